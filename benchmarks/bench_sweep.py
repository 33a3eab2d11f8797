"""Sweep throughput: build-once sweep vs a fresh pybamm.Simulation per point, scaling
from 1 to 2 workers, threads vs processes, and the Dask LocalCluster overhead.

All cases run the same σ_SE sweep (log grid 1e-6 to 1e-3 S/cm) of one full
charge–discharge cycle each (giraldo2021_sp_lpscl_coated, 0.13 mA/cm², 3.8–2.0 V vs
Li–In), end to end through :func:`assb_model.sweep.run_sweep` with results written to a
temporary folder (planning, worker start-up, model builds and journaling included).

The fresh-Simulation baseline builds ``pybamm.Simulation(ASSBModel(), ...)`` with the
point's σ_SE as a constant and solves it, for ``--fresh`` points (serially, on one core);
its total for the full sweep is that per-point time × the number of points.

Run: ``python benchmarks/bench_sweep.py [--points 1000] [--fresh 20] [--skip ...]``
"""

import argparse
import os
import statistics
import tempfile
import time

import numpy as np
import pybamm

import assb_model
from assb_model.simulation.protocols import CURRENT_DENSITY_INPUT
from assb_model.simulation.runner import nmc_mass_g
from assb_model.simulation.scenario import DEFAULT_VAR_PTS
from assb_model.simulation.summary import cycle_table
from assb_model.sweep import SweepSpec, run_sweep

SET = "giraldo2021_sp_lpscl_coated"
SIGMA = "Electrolyte conductivity [S.m-1]"


def _spec(points: int) -> SweepSpec:
    return SweepSpec(SET, [f"sigma_se=1e-6:1e-3:{points}:log"])


class OtherLoad:
    """CPU used by other processes while a case runs, in cores (Linux: /proc/stat).

    All busy CPU time minus this process's and its waited-for children's (the worker
    processes forked by the sweep; forkserver workers would count as "other"). The
    machine is shared: a busy second core slows even a one-core case down.
    """

    @staticmethod
    def _busy() -> float:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")  # minus idle, iowait

    @staticmethod
    def _own() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    def __enter__(self):
        self.t0, self.busy0, self.own0 = time.perf_counter(), self._busy(), self._own()
        return self

    def __exit__(self, *exc):
        wall = time.perf_counter() - self.t0
        other = (self._busy() - self.busy0) - (self._own() - self.own0)
        self.cores = max(0.0, other) / wall if wall > 0 else 0.0

    def __str__(self) -> str:
        return f"other processes used {self.cores:.2f} cores"


def time_sweep(points: int, **kwargs) -> tuple[float, object, OtherLoad]:
    with tempfile.TemporaryDirectory() as tmp, OtherLoad() as load:
        t0 = time.perf_counter()
        res = run_sweep(_spec(points), tmp, progress=False, **kwargs)
        elapsed = time.perf_counter() - t0
    n_ok = int((res.results["status"] == "ok").sum())
    assert n_ok == points, f"{points - n_ok} points failed"
    return elapsed, res, load


def time_fresh_simulations(points: int, n: int) -> tuple[float, dict]:
    """Median time of build + solve of a new pybamm.Simulation for ``n`` sweep points.

    Also returns, per σ_SE [S/cm], the first-cycle outputs of the fresh solution (computed
    after the timer stops) to check that the sweep gives the same answers.
    """
    sigmas = np.geomspace(1e-6, 1e-3, points)[:: max(1, points // n)][:n] * 100
    pv0 = assb_model.load_parameter_set(SET)
    area = pv0["Electrode width [m]"] * pv0["Electrode height [m]"]
    times, answers = [], {}
    for sigma in sigmas:
        t0 = time.perf_counter()
        pv = pv0.copy()
        pv[SIGMA] = float(sigma)
        model = assb_model.ASSBModel()
        sim = pybamm.Simulation(
            model,
            parameter_values=pv,
            experiment=pybamm.Experiment(
                [
                    (
                        pybamm.step.current(-0.13 * 10 * area, termination="> 3.8 V"),
                        pybamm.step.current(0.13 * 10 * area, termination="< 2.0 V"),
                    )
                ]
            ),
            var_pts={**model.default_var_pts, **DEFAULT_VAR_PTS},
            solver=pybamm.IDAKLUSolver(),
        )
        solution = sim.solve()
        times.append(time.perf_counter() - t0)
        cycles, _ = cycle_table(solution, nmc_mass_g(pv, {}))
        answers[float(sigma) / 100] = cycles.iloc[0]
    return statistics.median(times), answers


def compare_answers(results, answers: dict) -> str:
    """Largest relative difference between sweep rows and fresh simulations."""
    pairs = {
        "discharge_capacity_mAh_per_g": "discharge_capacity_mAh_per_g",
        "charge_capacity_mAh_per_g": "charge_capacity_mAh_per_g",
        "coulombic_efficiency": "coulombic_efficiency",
        "R_SE_Cat_after_first_charge_ohm": "R_SE_Cat_after_charge_ohm",
    }
    worst = dict.fromkeys(pairs, 0.0)
    sig = results["sigma_se"].to_numpy()
    for sigma, fresh in answers.items():
        row = results.iloc[int(np.argmin(np.abs(sig / sigma - 1)))]
        assert abs(row["sigma_se"] / sigma - 1) < 1e-9, "sweep and baseline points differ"
        for mine, theirs in pairs.items():
            worst[mine] = max(worst[mine], abs(row[mine] / fresh[theirs] - 1))
    return ", ".join(f"{k} {v:.1e}" for k, v in worst.items())


def batched_inputs_supported() -> str:
    """Try IDAKLU's batched inputs on the experiment: PyBaMM's answer."""
    from assb_model.simulation.cycling import CyclingSimulation

    runner = CyclingSimulation(SET, input_parameters=[SIGMA])
    simulation = runner._build({}, runner.protocol).simulation
    inputs = [{CURRENT_DENSITY_INPUT: 0.13, SIGMA: s} for s in (1e-3, 1e-2)]
    try:
        simulation.solve(inputs=inputs)
    except Exception as exc:
        return f"no ({type(exc).__name__}: {exc})"
    return "yes"


def main(points: int, fresh: int, skip: set[str]) -> None:
    print(f"cores: {len(os.sched_getaffinity(0))}, load average at start: {os.getloadavg()}")
    print(f"pybamm {pybamm.__version__}; {points}-point sigma_se sweep, 1 cycle per point\n")
    print(f"IDAKLU batched inputs with an experiment: {batched_inputs_supported()}\n")
    rows = {}

    t2, res, load = time_sweep(points, workers=2, backend="processes")
    rows["sweep, 2 worker processes"] = t2
    med = float(res.results["solve_time_s"].median())
    print(f"sweep 2 processes: {t2:.1f} s  (median solve per point {1e3 * med:.1f} ms; {load})")

    if "fresh" not in skip:
        with OtherLoad() as load:
            per_point, answers = time_fresh_simulations(points, fresh)
        total = per_point * points
        rows[f"fresh pybamm.Simulation per point (x{points}, 1 core)"] = total
        print(
            f"fresh Simulation per point: {per_point:.3f} s (median of {fresh}) -> "
            f"{total:.0f} s for {points} points on 1 core ({load})"
        )
        print(
            f"sweep vs fresh Simulation, largest relative difference over {fresh} points: "
            f"{compare_answers(res.results, answers)}"
        )
        print(f"RATIO fresh-per-point / sweep(2 workers): {total / t2:.1f}x")
        print(f"  (both on 2 cores, fresh ideally parallel: {total / 2 / t2:.1f}x)")

    if "serial" not in skip:
        t1, _, load = time_sweep(points, workers=1)
        rows["sweep, 1 worker (serial)"] = t1
        print(f"sweep 1 worker: {t1:.1f} s; scaling 1 -> 2 workers: {t1 / t2:.2f}x ({load})")

    if "threads" not in skip:
        tt, _, load = time_sweep(points, workers=2, backend="threads")
        rows["sweep, 2 threads"] = tt
        print(f"sweep 2 threads: {tt:.1f} s; processes are {tt / t2:.2f}x faster ({load})")

    if "dask" not in skip:
        from distributed import Client, LocalCluster

        t0 = time.perf_counter()
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
        startup = time.perf_counter() - t0
        td, _, load = time_sweep(points, scheduler=client)
        client.close()
        cluster.close()
        rows["sweep, Dask LocalCluster (2 processes), cluster running"] = td
        rows["  + LocalCluster start-up"] = startup
        print(
            f"Dask LocalCluster 2 workers: start-up {startup:.1f} s, sweep {td:.1f} s; "
            f"overhead vs local processes: {td - t2:+.1f} s ({td / t2:.2f}x), "
            f"{td + startup - t2:+.1f} s including start-up ({load}, Dask workers included)"
        )
    print(f"\nload average at end: {os.getloadavg()}")
    print("\n| case | wall time [s] |\n|---|---|")
    for k, v in rows.items():
        print(f"| {k} | {v:.1f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--fresh", type=int, default=20, help="fresh-Simulation points timed")
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=("fresh", "serial", "threads", "dask"),
        help="cases to leave out",
    )
    a = parser.parse_args()
    main(a.points, a.fresh, set(a.skip))
