"""Figure 4 of Giraldo et al. (2021): first cycle of the four 80Li2S·20P2S5 composites.

The paper's protocol (0.13 mA cm⁻², 2.0–3.8 V vs Li–In) through the Python API.

Run: ``python experiments/figure4_first_cycles.py [OUT_DIR]`` (default results/figure4).
"""

import sys
from pathlib import Path

import assb_model
from assb_model.plotting import plot_voltage_capacity

SETS = [name for name in assb_model.list_parameter_sets() if "lps80" in name]

out = Path(sys.argv[1] if len(sys.argv) > 1 else "results/figure4")
out.mkdir(parents=True, exist_ok=True)
results = [assb_model.simulate(name) for name in SETS]
for name, res in zip(SETS, results, strict=True):
    print(f"{name:32s} {res.outputs['discharge_capacity_mAh_per_g']:6.1f} mAh/g")
labels = [name.replace("giraldo2021_", "") for name in SETS]
plot_voltage_capacity(results, labels=labels).savefig(out / "figure4.png", dpi=150)
print(f"wrote {out / 'figure4.png'}")
