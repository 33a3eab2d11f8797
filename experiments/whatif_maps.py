"""What-if maps: capacity vs SE conductivity, coating and cut-off voltage, as sweep presets.

The same maps from the command line: ``assb sweep NAME --param sigma_se=1e-7:1e-2:11:log``.

Run: ``python experiments/whatif_maps.py [OUT_DIR]`` (default results/whatif).
"""

import sys
from pathlib import Path

from assb_model.plotting import plot_coating_map, plot_conductivity_map, plot_cutoff_study
from assb_model.sweep import presets

out = Path(sys.argv[1] if len(sys.argv) > 1 else "results/whatif")
out.mkdir(parents=True, exist_ok=True)
sets = ["giraldo2021_sm_lps80_coated", "giraldo2021_sp_lps80_coated"]
sigma = presets.capacity_vs_conductivity(
    sets, sigma_S_per_cm=[1e-7, 1e-6, 1e-5, 1e-4, 1e-3], current_densities=(0.13,)
)
print(
    sigma.pivot_table(
        index="sigma_se", columns="parameter_set", values="discharge_capacity_mAh_per_g"
    ).round(1)
)
plot_conductivity_map(sigma).savefig(out / "map_sigma_se.png", dpi=150)
plot_coating_map(presets.capacity_vs_coating()).savefig(out / "map_coating.png", dpi=150)
plot_cutoff_study(presets.cutoff_study(cycles=3)).savefig(out / "map_cutoff.png", dpi=150)
print(f"wrote {out}")
