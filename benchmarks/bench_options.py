"""What each degradation option costs: one cycle, solve only, against PyBaMM's DFN.

Five built ASSB models (default options and four with a mechanism switched off) and the
half-cell DFN of ``bench_vs_dfn.py`` on the same parameter values, mesh and IDAKLU, solved
in turn (A, B, C, ..., DFN, A, B, ...) so that a change of load hits every case; reported:
the median solve time of each and its ratio to the DFN's.

Run: ``python benchmarks/bench_options.py [--repeats 15]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # the DFN set-up of bench_vs_dfn.py

from bench_vs_dfn import SET, dfn_simulation

from assb_model.simulation import CCCycling, Runner, Scenario
from assb_model.simulation.solver import fast_solver

CASES = {
    "default": {},
    "no counter-electrode degradation": {"counter electrode degradation": "none"},
    "no interphase growth": {"interphase growth": "none"},
    "no contact loss": {"contact loss": "none"},
    "no degradation": {
        "interphase growth": "none",
        "contact loss": "none",
        "counter electrode degradation": "none",
    },
}


def main(repeats: int) -> None:
    runners = {
        k: Runner(Scenario(SET, options=v), CCCycling(), solver=fast_solver)
        for k, v in CASES.items()
    }
    dfn = dfn_simulation()
    dfn.solve()
    for runner in runners.values():
        runner.solve()
    times: dict[str, list[float]] = {k: [] for k in [*CASES, "DFN"]}
    for _ in range(repeats):
        for name, runner in runners.items():
            start = time.perf_counter()
            runner.solve()
            times[name].append(time.perf_counter() - start)
        start = time.perf_counter()
        dfn.solve()
        times["DFN"].append(time.perf_counter() - start)
    reference = statistics.median(times["DFN"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:34s} {median * 1e3:7.1f} ms  {median / reference:.2f}x the DFN")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    main(parser.parse_args().repeats)
