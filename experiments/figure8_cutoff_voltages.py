"""Figure 8 of Giraldo et al. (2021): raised charge-end voltages (a blind prediction: the
measured values are withheld from the project's copy of the paper).

Run: ``python experiments/figure8_cutoff_voltages.py [OUT_DIR]`` (default results/figure8).
"""

import sys
from pathlib import Path

from assb_model.plotting import plot_cycling
from assb_model.simulation import FIGURE8_SCHEDULE, Runner, Schedule

out = Path(sys.argv[1] if len(sys.argv) > 1 else "results/figure8")
out.mkdir(parents=True, exist_ok=True)
protocol = Schedule(FIGURE8_SCHEDULE)
res = Runner("giraldo2021_sp_lpscl_coated", protocol).run(allow_incomplete=True)
c = res.cycles
for v in sorted(set(c["upper_cutoff_V_vs_LiIn"])):
    q = c[c["upper_cutoff_V_vs_LiIn"] == v]["discharge_capacity_mAh_per_g"].to_numpy()
    print(f"{v:.1f} V vs Li-In: {q[-1]:6.1f} mAh/g, retention {100 * q[-1] / q[0]:5.1f} %")
plot_cycling(res).savefig(out / "figure8.png", dpi=150)
print(f"wrote {out / 'figure8.png'}")
