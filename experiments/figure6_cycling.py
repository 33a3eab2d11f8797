"""Figure 6b of Giraldo et al. (2021): 130 cycles of the Li6PS5Cl cell at rising currents.

A :class:`~assb_model.simulation.Schedule` protocol (the assumed schedule of
``FIGURE6_SCHEDULE``) run once by a :class:`~assb_model.simulation.Runner`; R_SE/Cat after
each charge against Table 3.

Run: ``python experiments/figure6_cycling.py [OUT_DIR]`` (default results/figure6).
"""

import sys
from pathlib import Path

from assb_model.parameters import paper
from assb_model.plotting import plot_cycling, plot_resistance_vs_cycle
from assb_model.simulation import FIGURE6_SCHEDULE, Runner, Schedule

out = Path(sys.argv[1] if len(sys.argv) > 1 else "results/figure6")
out.mkdir(parents=True, exist_ok=True)
res = Runner("giraldo2021_sp_lpscl_coated", Schedule(FIGURE6_SCHEDULE)).run(allow_incomplete=True)
table3 = paper.table3_series("R_SECat_ohm", "B2")
cycles = res.cycles.set_index("cycle")
for n, measured in table3.items():
    print(
        f"charge {n:3d}: R_SE/Cat {cycles.loc[n, 'R_SE_Cat_after_charge_ohm']:6.1f} Ohm "
        f"(Table 3: {measured:.1f})"
    )
print(f"capacity after 130 cycles: {cycles['discharge_capacity_mAh_per_g'].iloc[-1]:.1f} mAh/g")
plot_cycling(res, {1: 140.0, 130: 80.0}).savefig(out / "figure6b.png", dpi=150)
plot_resistance_vs_cycle(res, table3).savefig(out / "figure6_resistance.png", dpi=150)
print(f"wrote {out}")
