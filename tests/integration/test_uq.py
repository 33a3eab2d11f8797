"""Uncertainty: intervals are computed from the batch rows and the posterior, widen with
the spread, vanish without it, survive an interruption, and reach the reproduction."""

import json
import math

import numpy as np
import pandas as pd
import pytest

from assb_model.parameters import paper
from assb_model.uq import (
    BatchSpread,
    CalibrationPosterior,
    DerivedInputs,
    UQSpec,
    design,
    pooled_log_sd,
    run_uq,
    uncertain_inputs,
)
from assb_model.uq.intervals import order_statistic_ci

#: A set with one row of its own (Table 3 B2-2) whose inversion is quick.
SET = "giraldo2021_sp_lpscl_coated"


def test_pooled_spread_is_that_of_the_batch_rows():
    t2, t3 = paper.table2(), paper.table3()
    groups = [
        t2[(t2["process"] == "simple mixture") & t2["coated"]]["R_SECat_ohm"],
        t2[(t2["process"] == "solution process") & t2["coated"]]["R_SECat_ohm"],
        t3[t3["cycle_number"] == 2]["R_SECat_ohm"],
    ]
    ss = sum(float(np.sum((np.log(g) - np.log(g).mean()) ** 2)) for g in groups)
    assert pooled_log_sd()["R_SECat_ohm"] == pytest.approx(math.sqrt(ss / 4))
    # 526-858 Ohm (simple mixture), 107/150 Ohm (Li6PS5Cl): about 0.2 in ln
    assert 0.15 < pooled_log_sd()["R_SECat_ohm"] < 0.3


def test_posterior_marginal_of_a_set():
    names = uncertain_inputs(SET).names
    # its own contact number and the three shared constants; not the other sets'
    assert names.count("NMC-SE contact number") == 1
    assert {"Film electron-blocking length [m]", "Contact loss coefficient"} <= set(names)


def test_no_spread_gives_a_zero_width_input_interval():
    inputs = uncertain_inputs(SET, BatchSpread(0.0), CalibrationPosterior(0.0))
    facts = design(inputs, 16, seed=3)
    assert (facts.max() - facts.min()).max() == 0.0
    result = run_uq(
        UQSpec(SET, samples=16, spread=BatchSpread(0.0), calibration=CalibrationPosterior(0.0)),
        progress=False,
    )
    assert len(result.sweep.results) == 1  # one point stands for every sample
    lo, hi = result.interval("discharge_capacity_mAh_per_g")
    assert hi - lo == 0.0
    assert lo == pytest.approx(140.0, abs=0.5)


@pytest.fixture(scope="module")
def spread_runs():
    out = {}
    for scale in (1.0, 2.0):
        spec = UQSpec(
            SET, samples=24, spread=BatchSpread(scale), calibration=CalibrationPosterior(0.0)
        )
        out[scale] = run_uq(spec, workers=2, progress=False)
    return out


def test_doubling_the_batch_spread_widens_the_interval(spread_runs):
    def width(scale, output):
        lo, hi = spread_runs[scale].interval(output)
        return hi - lo

    for output in ("discharge_capacity_mAh_per_g", "R_SE_Cat_end_ohm"):
        assert width(1.0, output) > 0
        assert width(2.0, output) > 1.5 * width(1.0, output), output
    # the same Latin hypercube: doubling the log-sd doubles each sample's log-deviation
    f1 = spread_runs[1.0].samples["fact: Table R_SE/Cat [Ohm]"]
    f2 = spread_runs[2.0].samples["fact: Table R_SE/Cat [Ohm]"]
    center = uncertain_inputs(SET).center[2]
    np.testing.assert_allclose(np.log(f2) - center, 2 * (np.log(f1) - center), rtol=1e-9)


def test_the_derived_inputs_follow_full_derivations():
    inputs = uncertain_inputs(SET)
    derived = DerivedInputs.build(inputs)
    assert "Electrolyte conductivity [S.m-1]" in derived.names
    assert "Positive electrode reference exchange-current density [A.m-2]" in derived.names
    errors = derived.check(design(inputs, 3, seed=7)).abs().max()
    # measured: at most 4.1 % (Li-In and NMC exchange currents) on 6 samples of this set;
    # the inputs that are the facts themselves are exact (docs/uncertainty.md)
    assert errors.max() < 0.08, errors
    assert errors["Contact loss coefficient"] < 1e-12


def test_interrupted_and_resumed_loses_nothing(tmp_path):
    spec = UQSpec(SET, samples=10, seed=5, save_cycles=True)
    part = run_uq(spec, tmp_path / "a", progress=False, limit=4)
    assert int((part.samples["status"] == "ok").sum()) == 4
    resumed = run_uq(spec, tmp_path / "a", progress=False)
    whole = run_uq(spec, tmp_path / "b", progress=False)
    cols = ["sample", "discharge_capacity_mAh_per_g", "R_SE_Cat_end_ohm", "point_id"]
    pd.testing.assert_frame_equal(resumed.samples[cols], whole.samples[cols])
    meta = json.loads((tmp_path / "a" / "sweep" / "sweep.json").read_text())
    assert sum(r["computed"] for r in meta["runs"]) == 11  # 10 samples + nominal, once each
    rows = pd.read_csv(tmp_path / "a" / "sweep" / "results.csv")
    assert rows["point_id"].is_unique and len(rows) == 11
    assert (tmp_path / "a" / "summary.csv").exists()
    assert len(resumed.cycles()) == 2 * 11


def test_order_statistic_interval_covers_the_quantile():
    rng = np.random.default_rng(0)
    hits = 0
    for _ in range(200):
        lo, hi = order_statistic_ci(rng.normal(size=200), 0.05)
        hits += lo <= -1.6449 <= hi
    assert hits / 200 > 0.9


def test_cli(tmp_path, capsys):
    from assb_model.cli.main import main

    out = tmp_path / "uq"
    code = main(["uq", SET, "--samples", "6", "--out", str(out), "--workers", "1",
                 "--cycles", "2", "--no-progress"])  # fmt: skip
    assert code == 0
    text = capsys.readouterr().out
    assert "discharge_capacity_mAh_per_g" in text
    summary = pd.read_csv(out / "summary.csv")
    assert {"q05", "q95", "se_q05", "nominal"} <= set(summary.columns)
    assert (out / "plots" / "fan_capacity.png").stat().st_size > 5_000
    assert (out / "plots" / "fan_voltage.png").stat().st_size > 5_000
    assert len(pd.read_csv(out / "samples.csv")) == 7


@pytest.mark.slow
def test_reproduce_quick_coverage_and_width(tmp_path):
    from assb_model import reproduce as rp

    summary = rp.reproduce(tmp_path, quick=True, progress=False)
    for row in summary["comparison"]:
        assert "interval_90" in row, row["quantity"]
    info = summary["uncertainty"]
    assert info["median_relative_half_width_capacity"] <= 0.30
    assert info["coverage"] >= 0.70
    assert "90 % interval" in (tmp_path / "report.md").read_text()


def test_a_what_if_grid_gets_an_interval_at_every_point():
    from assb_model.sweep import Axis

    spec = UQSpec(SET, samples=4, cycles=1, grid=(Axis.logspace("sigma_se", 1e-6, 1e-4, 2),))
    result = run_uq(spec, workers=1, progress=False)
    cap = result.summary[result.summary["output"] == "discharge_capacity_mAh_per_g"]
    assert list(cap["sigma_se"]) == [1e-6, 1e-4]
    assert (cap["q95"] > cap["q05"]).all()
    # the grid fixes the SE conductivity: it is not sampled
    assert "Electrolyte conductivity [S.m-1]" not in result.samples.columns
    assert cap["q50"].iloc[1] > cap["q50"].iloc[0] + 20  # 1e-6 S/cm limits the capacity


def test_ctrl_c_with_two_workers_exits_and_the_same_command_resumes(tmp_path):
    """The command, stopped with Ctrl-C (SIGINT to its process group) while 2 worker
    processes run, saves, exits with 130 at once, and the same command completes it."""
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "uq"
    cmd = [sys.executable, "-m", "assb_model.cli.main", "uq", SET, "--samples", "300",
           "--out", str(out), "--workers", "2", "--no-plots", "--no-progress",
           "--no-curves"]  # fmt: skip
    proc = subprocess.Popen(
        cmd,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # the command as a terminal starts it: Ctrl-C not ignored. Started as a background
        # job of a non-interactive shell (`bash .ci/run &`), pytest inherits SIGINT
        # ignored, every child would too, and Python then leaves it ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    results = out / "sweep" / "results.csv"
    t0 = time.monotonic()
    lines = 0
    while lines < 12:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < t0 + 120, "did not start"
        time.sleep(0.05)
        lines = results.read_text().count("\n") if results.exists() else 0
    # what the run looked like when it was stopped (a failure below says it)
    seen = f"{lines - 1} samples recorded after {time.monotonic() - t0:.1f} s"
    assert proc.poll() is None, f"finished before Ctrl-C ({seen})"
    os.killpg(proc.pid, signal.SIGINT)
    out_text, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "run the same command again" in err, (
        f"rc {proc.returncode} after Ctrl-C at {seen}; stdout: {out_text[-500:]!r}; "
        f"stderr: {err[-1500:]!r}"
    )
    before = pd.read_csv(results)
    assert 11 <= len(before) < 301
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    after = pd.read_csv(results)
    assert len(after) == 301 and after["point_id"].is_unique
    meta = json.loads((out / "sweep" / "sweep.json").read_text())
    assert [r["computed"] for r in meta["runs"]] == [len(before), 301 - len(before)]
