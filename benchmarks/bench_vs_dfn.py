"""The ASSB model against what a user gets by hand from PyBaMM's half-cell DFN.

Two measurements, side by side in one process, on the same parameter values
(``giraldo2021_sp_lpscl_coated``), the same mesh and PyBaMM's IDAKLU solver, with the
paper's protocol (0.13 mA/cm², CC charge to 3.8 V vs Li–In, CC discharge to 2.0 V; the DFN,
which measures against Li, gets the limits + 0.62 V):

1. **one cycle, solve only**: median of repeated ``sim.solve()`` of a built simulation
   (ASSBModel through :class:`assb_model.simulation.Runner` with the sweep's solver; the DFN
   as ``pybamm.Simulation(DFN, ...)`` with IDAKLU's defaults);
2. **a 1000-point σ_SE sweep** (log grid 1e-4 to 1e-1 S/cm: below ~1e-4 S/cm PyBaMM's
   Bruggeman DFN cannot complete the cycle, and failed points would flatter it) with 2
   worker processes: ``assb sweep`` (through
   :func:`assb_model.sweep.run_sweep`: planning, workers, journal, results file) against a
   hand-written loop — PyBaMM's DFN with "Electrolyte conductivity [S.m-1]" as an input,
   built once per process in a ``multiprocessing`` pool of 2, each point solved and its
   discharge capacity read from the solution.

The cases alternate (A, B, A, B ...) so that a change of load on the shared machine hits
both; reported: each run, the medians and the ratios. Both sweeps fork their workers from
this process (the assb sweep would fall back to the forkserver if another thread ran).

Run: ``python benchmarks/bench_vs_dfn.py [--points 1000] [--repeats 5] [--solve-repeats 20]``
(five repeats: the sweeps of one run spread by ~0.05x, docs/performance.md)
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import tempfile
import time

import numpy as np
import pybamm

from assb_model.parameters.sets import load_parameter_set
from assb_model.simulation import CCCycling, Runner, Scenario
from assb_model.simulation.scenario import DEFAULT_VAR_PTS
from assb_model.simulation.solver import fast_solver
from assb_model.sweep import SweepSpec, run_sweep
from assb_model.sweep.engine import default_start_method

SET = "giraldo2021_sp_lpscl_coated"
SIGMA = "Electrolyte conductivity [S.m-1]"


def dfn_simulation(inputs=()) -> pybamm.Simulation:
    """PyBaMM's half-cell DFN on the set's values, as a user would set it up."""
    pv = load_parameter_set(SET)
    offset = float(pv["Li-In counter electrode potential vs Li [V]"])
    for name in inputs:
        pv[name] = "[input]"
    area = float(pv["Electrode width [m]"]) * float(pv["Electrode height [m]"])
    current = 0.13 * 10 * area
    experiment = pybamm.Experiment(
        [
            (
                pybamm.step.current(-current, termination=f"> {3.8 + offset} V"),
                pybamm.step.current(current, termination=f"< {2.0 + offset} V"),
            )
        ]
    )
    model = pybamm.lithium_ion.DFN({"working electrode": "positive"})
    return pybamm.Simulation(
        model,
        parameter_values=pv,
        experiment=experiment,
        var_pts={**model.default_var_pts, **DEFAULT_VAR_PTS},
        solver=pybamm.IDAKLUSolver(),
    )


def solve_only(repeats: int) -> dict[str, float]:
    """Median solve time of one built cycle, ASSB (runner, sweep solver) and DFN."""
    runner = Runner(Scenario(SET), CCCycling(), solver=fast_solver)
    dfn = dfn_simulation()
    runner.solve()
    dfn.solve()
    times = {"ASSBModel": [], "DFN": []}
    for _ in range(repeats):
        t0 = time.perf_counter()
        runner.solve(validate=False)
        times["ASSBModel"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        dfn.solve()
        times["DFN"].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


# --- the hand-written DFN sweep --------------------------------------------------------
_SIM = None


def _init_dfn():
    global _SIM
    _SIM = dfn_simulation(inputs=(SIGMA,))
    _SIM.build_for_experiment()


def _dfn_point(sigma_S_per_m: float) -> float:
    solution = _SIM.solve(inputs={SIGMA: sigma_S_per_m})
    discharge = solution.cycles[0].steps[1]
    q = discharge["Discharge capacity [A.h]"].entries
    return float(q[-1] - q[0])


def dfn_sweep(points: int, workers: int = 2) -> float:
    sigmas = np.geomspace(1e-4, 1e-1, points) * 100
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(workers, initializer=_init_dfn) as pool:
        capacities = pool.map(_dfn_point, sigmas, chunksize=max(1, points // (4 * workers)))
    elapsed = time.perf_counter() - t0
    assert len(capacities) == points and all(c > 0 for c in capacities)
    return elapsed


def assb_sweep(points: int, workers: int = 2) -> float:
    spec = SweepSpec(SET, [f"sigma_se=1e-4:1e-1:{points}:log"])
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        res = run_sweep(spec, tmp, workers=workers, progress=False)
        elapsed = time.perf_counter() - t0
    assert (res.results["status"] == "ok").all()
    return elapsed


def main(points: int, repeats: int, solve_repeats: int) -> None:
    print(f"cores: {len(os.sched_getaffinity(0))}, load average at start: {os.getloadavg()}")
    print(f"pybamm {pybamm.__version__}")
    solve = solve_only(solve_repeats)
    print(
        f"one cycle, solve only (median of {solve_repeats}): ASSBModel "
        f"{1e3 * solve['ASSBModel']:.1f} ms, DFN {1e3 * solve['DFN']:.1f} ms -> "
        f"ratio {solve['ASSBModel'] / solve['DFN']:.2f}x"
    )
    runs = {"assb sweep": [], "hand-written DFN sweep": []}
    for k in range(repeats):
        method = default_start_method()
        runs["assb sweep"].append(assb_sweep(points))
        runs["hand-written DFN sweep"].append(dfn_sweep(points))
        print(
            f"run {k + 1}: assb sweep {runs['assb sweep'][-1]:.1f} s, hand-written DFN sweep "
            f"{runs['hand-written DFN sweep'][-1]:.1f} s "
            f"({runs['assb sweep'][-1] / runs['hand-written DFN sweep'][-1]:.2f}x; "
            f"assb workers started by {method})"
        )
    a = statistics.median(runs["assb sweep"])
    d = statistics.median(runs["hand-written DFN sweep"])
    print(
        f"{points}-point sigma_se sweep, 2 workers (median of {repeats}): assb sweep {a:.1f} s, "
        f"hand-written DFN sweep {d:.1f} s -> ratio {a / d:.2f}x"
    )
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--solve-repeats", type=int, default=20)
    a = parser.parse_args()
    main(a.points, a.repeats, a.solve_repeats)
