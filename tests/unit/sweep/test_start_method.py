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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is used on Linux only")
def test_a_second_sweep_in_one_process_still_forks():
    """The first sweep's progress bar (even disabled) starts tqdm's monitor thread; the
    second sweep of the process must not take it for a foreign thread and fall back to the
    forkserver (which made every repeat of a sweep ~1 s slower)."""
    from tqdm import tqdm

    bar = tqdm(total=1, disable=True)  # what run_sweep creates
    bar.close()
    monitors = [t for t in threading.enumerate() if type(t).__module__.startswith("tqdm")]
    assert monitors, "tqdm no longer starts a monitor thread: this test no longer tests it"
    assert not [t for t in engine._foreign_threads() if t in monitors]
    if not engine._foreign_threads():
        assert engine.default_start_method() == "fork"
