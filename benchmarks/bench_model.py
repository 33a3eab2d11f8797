"""Time one charge–discharge cycle of ASSBModel vs PyBaMM's half-cell DFN.

Both models run side by side in one process on the same parameter values
(giraldo2021_sp_lpscl_coated), the same mesh and the IDAKLU solver, with the paper's
protocol (0.13 mA/cm2, CC charge to 3.8 V vs Li–In, CC discharge to 2.0 V vs Li–In; the
DFN, which measures against Li, gets the same limits + 0.62 V). Reported: the median
of N repeats of (a) build + solve and (b) solve only (simulation already built), and
the ratio ASSB / DFN.

Run: ``python benchmarks/bench_model.py [--repeats N]``
"""

import argparse
import statistics
import time

import pybamm

import assb_model
from assb_model.simulation.scenario import DEFAULT_VAR_PTS


def paper_experiment(current: float, upper: float, lower: float) -> pybamm.Experiment:
    """One CC charge to ``upper`` and CC discharge to ``lower`` [V] at ``current`` [A]."""
    return pybamm.Experiment(
        [
            (
                pybamm.step.current(-current, termination=f"> {upper} V"),
                pybamm.step.current(current, termination=f"< {lower} V"),
            )
        ]
    )


def _sim(model, pv, offset):
    area = pv["Electrode width [m]"] * pv["Electrode height [m]"]
    current = 0.13 * 10 * area
    return pybamm.Simulation(
        model,
        parameter_values=pv.copy(),
        experiment=paper_experiment(current, 3.8 + offset, 2.0 + offset),
        var_pts={**model.default_var_pts, **DEFAULT_VAR_PTS},
        solver=pybamm.IDAKLUSolver(),
    )


def main(repeats: int = 5) -> None:
    pv = assb_model.load_parameter_set("giraldo2021_sp_lpscl_coated")
    offset = pv["Li-In counter electrode potential vs Li [V]"]
    cases = {
        "ASSBModel (default options)": (lambda: assb_model.ASSBModel(), 0.0),
        "pybamm DFN half-cell": (
            lambda: pybamm.lithium_ion.DFN({"working electrode": "positive"}),
            offset,
        ),
    }
    results = {}
    for label, (make, off) in cases.items():
        full, solve_only = [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            sim = _sim(make(), pv, off)
            sim.solve()
            full.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            sim.solve()
            solve_only.append(time.perf_counter() - t0)
        results[label] = (statistics.median(full), statistics.median(solve_only))
        print(
            f"{label:30s} build+solve {results[label][0]:.3f} s   "
            f"solve only {results[label][1]:.3f} s   (median of {repeats})"
        )
    a, d = results["ASSBModel (default options)"], results["pybamm DFN half-cell"]
    print(f"ratio ASSB/DFN: build+solve {a[0] / d[0]:.2f}x   solve only {a[1] / d[1]:.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    main(parser.parse_args().repeats)
