"""The results folder: incremental rows, exact floats, resume and its refusals."""

import json

import numpy as np
import pytest

from assb_model.sweep import SweepSpec, SweepSpecError, plan_sweep
from assb_model.sweep.journal import METADATA_FILE, RESULTS_FILE, ResultStore, read_results
from assb_model.sweep.outputs import empty_outputs

SET = "giraldo2021_sp_lpscl_coated"


@pytest.fixture(scope="module")
def plan():
    return plan_sweep(SweepSpec(SET, ["sigma_se=1e-5:1e-3:6:log"]))


def _record(job, value):
    rec = {**job.values, **empty_outputs(), "nmc_mass_mg": 6.9}
    rec.update(
        discharge_capacity_mAh_per_g=value,
        status="ok" if np.isfinite(value) else "failed",
        error="" if np.isfinite(value) else "SolverError: x, with a comma",
        solve_time_s=0.01,
        point_id=job.point_id,
    )
    return rec


def test_rows_are_flushed_at_once_and_floats_are_exact(tmp_path, plan):
    store = ResultStore(plan, tmp_path)
    value = 0.1 + 0.2  # 0.30000000000000004: needs all 17 digits
    store.add(_record(plan.jobs[3], value))
    df = read_results(tmp_path / RESULTS_FILE)  # visible before close
    assert len(df) == 1 and df["discharge_capacity_mAh_per_g"].iloc[0] == value
    store.add(_record(plan.jobs[0], np.nan))
    store.close()
    df = read_results(tmp_path / RESULTS_FILE)
    assert list(df["point_id"]) == [plan.jobs[0].point_id, plan.jobs[3].point_id]  # design order
    assert df["error"].iloc[0] == "SolverError: x, with a comma"
    assert np.isnan(df["discharge_capacity_mAh_per_g"].iloc[0])
    meta = json.loads((tmp_path / METADATA_FILE).read_text())
    assert meta["spec"]["axes"][0]["name"] == "sigma_se"
    assert meta["swept"]["sigma_se"]["unit"] == "S/cm"
    assert {"pybamm", "assb_model", "casadi"} <= set(meta["versions"])
    assert meta["parameter_values"]["Electrolyte conductivity [S.m-1]"] > 0


def test_resume_skips_finished_points_and_drops_a_partial_line(tmp_path, plan):
    store = ResultStore(plan, tmp_path)
    for job in plan.jobs[:3]:
        store.add(_record(job, 1.0))
    store._file.write("1e-05,12.5,3")  # killed in the middle of a row
    store._file.flush()
    with pytest.raises(SweepSpecError, match="--resume"):
        ResultStore(plan, tmp_path)
    again = ResultStore(plan, tmp_path, resume=True)
    assert again.finished_ids() == {j.point_id for j in plan.jobs[:3]}
    for job in plan.jobs:
        again.add(_record(job, 2.0))  # the finished ones are not written twice
    again.close()
    df = read_results(tmp_path / RESULTS_FILE)
    assert len(df) == len(plan.jobs) and df["point_id"].is_unique
    assert list(df["discharge_capacity_mAh_per_g"]) == [1.0] * 3 + [2.0] * 3


def test_a_different_sweep_is_refused_and_overwrite_starts_again(tmp_path, plan):
    store = ResultStore(plan, tmp_path)
    store.add(_record(plan.jobs[0], 1.0))
    store.close()
    other = plan_sweep(SweepSpec(SET, ["sigma_se=1e-5:1e-3:7:log"]))
    with pytest.raises(SweepSpecError, match=r"different sweep.*num"):
        ResultStore(other, tmp_path, resume=True)
    fresh = ResultStore(other, tmp_path, overwrite=True)
    assert fresh.finished_ids() == set()
    fresh.close()


def test_a_foreign_results_file_is_not_touched(tmp_path, plan):
    (tmp_path / RESULTS_FILE).write_text("a,b\n1,2\n")
    with pytest.raises(SweepSpecError, match="not a sweep folder"):
        ResultStore(plan, tmp_path, resume=True)
    assert (tmp_path / RESULTS_FILE).read_text() == "a,b\n1,2\n"


def test_in_memory_store(plan):
    store = ResultStore(plan)
    store.add(_record(plan.jobs[1], 3.0))
    store.close()
    df = store.dataframe()
    assert list(df.columns) == plan.columns and len(df) == 1
