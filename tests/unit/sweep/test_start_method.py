"""Worker processes are forked only from a caller without other threads."""

import sys
import threading

import pytest

from assb_model.sweep import engine


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is used on Linux only")
def test_fork_without_other_threads(monkeypatch):
    monkeypatch.setattr(engine, "_foreign_threads", lambda: [])
    assert engine.default_start_method() == "fork"


def test_forkserver_while_another_thread_runs():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert thread in engine._foreign_threads()
        assert engine.default_start_method() == engine.DEFAULT_START_METHOD
    finally:
        stop.set()
        thread.join()


def test_pybamm_telemetry_thread_is_not_foreign():
    import pybamm  # noqa: F401  (starts the telemetry thread)

    foreign = engine._foreign_threads()
    assert not [t for t in foreign if type(t).__module__.startswith("posthog")]
    assert threading.main_thread() not in foreign
