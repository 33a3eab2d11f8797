"""Nothing lost: a sweep killed mid-run and resumed holds every point exactly once, with
the values of an uninterrupted run."""

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from assb_model.sweep import SweepSpec, run_sweep
from assb_model.sweep.journal import read_results

SET = "giraldo2021_sp_lpscl_coated"
PARAM = "sigma_se=1e-6:1e-3:60:log"
N = 60


def _command(out, *extra):
    return [
        sys.executable, "-m", "assb_model.cli.sweep", SET, "--param", PARAM,
        "--out", str(out), "--resume", "--no-plots", "--no-progress", *extra,
    ]  # fmt: skip


def _rows(path) -> int:
    if not path.exists():
        return 0
    return max(0, path.read_text().count("\n") - 1)


def _start_and_stop(out, sig, min_rows=8, *extra):
    """Start the CLI in its own process group; send ``sig`` to the whole group once
    ``min_rows`` points are recorded."""
    proc = subprocess.Popen(
        _command(out, *extra),
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    results = out / "results.csv"
    deadline = time.monotonic() + 180
    while _rows(results) < min_rows:
        if proc.poll() is not None:
            pytest.fail(f"sweep ended before it could be stopped: {proc.communicate()}")
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("sweep did not start within 180 s")
        time.sleep(0.02)
    os.killpg(proc.pid, sig)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


@pytest.fixture(scope="module")
def clean():
    return run_sweep(SweepSpec(SET, [PARAM]), progress=False).results


def _check_complete_and_equal(out, clean, before):
    df = read_results(out / "results.csv")
    assert len(df) == N and df["point_id"].is_unique
    assert (df["status"] == "ok").all()
    # every row written before the interruption is still there, unchanged
    merged = before.merge(df, on="point_id", suffixes=("_before", ""))
    assert len(merged) == len(before)
    pd.testing.assert_series_equal(
        merged["discharge_capacity_mAh_per_g_before"],
        merged["discharge_capacity_mAh_per_g"],
        check_names=False,
    )
    # identical to an uninterrupted in-process run (floats round-trip exactly)
    cols = [c for c in clean.columns if c not in ("solve_time_s", "error")]
    pd.testing.assert_frame_equal(df[cols], clean[cols], check_dtype=False)
    return json.loads((out / "sweep.json").read_text())


def test_killed_sweep_resumes_without_loss_or_repeats(tmp_path, clean):
    out = tmp_path / "sweep"
    code, _ = _start_and_stop(out, signal.SIGKILL, 8, "--workers", "2")
    assert code == -signal.SIGKILL
    before = read_results(out / "results.csv")
    assert 8 <= len(before) < N, "killed too late to test resuming"
    assert before["point_id"].is_unique

    done = subprocess.run(_command(out, "--workers", "2"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    meta = _check_complete_and_equal(out, clean, before)
    first, second = meta["runs"]
    assert first["finished"] is None  # killed: never logged its end
    assert second["computed"] == N - len(before)  # no finished point computed again
    assert meta["complete"] is True


@pytest.mark.slow
def test_sigterm_saves_and_exits_130_then_resumes(tmp_path, clean):
    out = tmp_path / "sweep"
    code, err = _start_and_stop(out, signal.SIGTERM, 8)
    assert code == 130 and "--resume" in err
    before = read_results(out / "results.csv")
    meta = json.loads((out / "sweep.json").read_text())
    assert meta["runs"][0]["interrupted"] is True
    assert meta["runs"][0]["computed"] == len(before)
    done = subprocess.run(_command(out), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    _check_complete_and_equal(out, clean, before)


def test_same_command_without_resume_refuses_a_started_folder(tmp_path):
    out = tmp_path / "sweep"
    run_sweep(SweepSpec(SET, ["sigma_se=1e-4"]), out, progress=False)
    cmd = [sys.executable, "-m", "assb_model.cli.sweep", SET, "--param", "sigma_se=1e-4",
           "--out", str(out), "--no-progress"]  # fmt: skip
    res = subprocess.run(cmd, capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "--resume" in res.stderr
