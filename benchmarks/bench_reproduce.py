"""Speed of the paper protocols: the 130-cycle Figure 6 run and a 200-point sigma_SE map.

Goals (issue "Reproduce the paper"): 130-cycle protocol <= 10 s, 200-point map <= 30 s on
2 cores. Both build the model once and vary input parameters; the map is also timed the
naive way (a fresh simulation per point) on a subset, to show the ratio.

Run: ``python benchmarks/bench_reproduce.py``
"""

import time

import numpy as np

import assb_model
from assb_model.simulation import FIGURE6_SCHEDULE, ScheduleSimulation
from assb_model.sweep import presets


def main() -> None:
    t0 = time.perf_counter()
    sim = ScheduleSimulation("giraldo2021_sp_lpscl_coated", FIGURE6_SCHEDULE)
    res = sim.run()
    t_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    sim.run()
    t_again = time.perf_counter() - t0
    print(
        f"Figure 6, 130 cycles: build + solve {t_first:.1f} s, solve again {t_again:.1f} s "
        f"({len(res.cycles)} cycles, last discharge "
        f"{res.cycles['discharge_capacity_mAh_per_g'].iloc[-1]:.1f} mAh/g)"
    )

    sigmas = np.logspace(-7, -2, 200)
    t0 = time.perf_counter()
    df = presets.capacity_vs_conductivity(
        ["giraldo2021_sp_lps80_coated"], sigma_S_per_cm=sigmas, current_densities=(0.13,)
    )
    t_map = time.perf_counter() - t0
    print(f"200-point sigma_SE map (one process): {t_map:.1f} s, {sum(df.status == 'ok')} ok")

    subset = sigmas[::20]
    t0 = time.perf_counter()
    for s in subset:
        assb_model.simulate(
            "giraldo2021_sp_lps80_coated",
            parameter_overrides={"Electrolyte conductivity [S.m-1]": s * 100},
        )
    t_naive = (time.perf_counter() - t0) / len(subset) * len(sigmas)
    print(
        f"naive (fresh simulation per point, extrapolated from {len(subset)}): {t_naive:.1f} s; "
        f"ratio {t_naive / t_map:.1f}x"
    )


if __name__ == "__main__":
    main()
