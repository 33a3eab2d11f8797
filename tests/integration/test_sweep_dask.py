"""The Dask backend on a real LocalCluster over TCP loopback gives the serial answers."""

import numpy as np
import pytest

from assb_model.sweep import SweepSpec, run_sweep

distributed = pytest.importorskip("distributed")

SET = "giraldo2021_sp_lpscl_coated"
SPEC = SweepSpec(SET, ["sigma_se=1e-6:1e-4:3:log", "upper_cutoff=3.7,3.8"])


def test_local_cluster_over_tcp_equals_serial(tmp_path):
    # threads in this process (already imported PyBaMM: fast to start), TCP on loopback
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        dask = run_sweep(SPEC, tmp_path, scheduler=cluster.scheduler_address, progress=False)
    serial = run_sweep(SPEC, progress=False)
    assert dask.metadata["runs"][-1]["backend"] == "dask"
    assert (dask.results["status"] == "ok").all()
    for col in ("discharge_capacity_mAh_per_g", "energy_mWh_per_g", "R_SE_Cat_end_ohm"):
        np.testing.assert_array_equal(dask.results[col], serial.results[col])


@pytest.mark.slow
def test_dask_local_worker_processes(tmp_path):
    res = run_sweep(SPEC, tmp_path, dask_local=2, progress=False)
    assert (res.results["status"] == "ok").all() and len(res.results) == 6
