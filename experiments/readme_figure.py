"""First charge–discharge cycle of the five parameter sets (the README figure).

Run: ``python experiments/readme_figure.py [--out docs/figures/first_cycle_all_sets.png]``
"""

import argparse

import assb_model
from assb_model.plotting import plot_voltage_capacity

LABELS = {
    "giraldo2021_sm_lps80_coated": "simple mixture, 80Li2S·20P2S5, LS-coated",
    "giraldo2021_sm_lps80_uncoated": "simple mixture, 80Li2S·20P2S5, uncoated",
    "giraldo2021_sp_lps80_coated": "solution process, 80Li2S·20P2S5, LS-coated",
    "giraldo2021_sp_lps80_uncoated": "solution process, 80Li2S·20P2S5, uncoated",
    "giraldo2021_sp_lpscl_coated": "solution process, Li6PS5Cl, LS-coated",
}


def main(out: str) -> None:
    names = assb_model.list_parameter_sets()
    results = [assb_model.simulate(name) for name in names]
    fig = plot_voltage_capacity(
        results,
        labels=[LABELS[n] for n in names],
        title="First cycle, 0.13 mA cm$^{-2}$, 2.0–3.8 V vs Li–In (model)",
    )
    fig.savefig(out, dpi=150, bbox_inches="tight")
    for name, res in zip(names, results, strict=True):
        q = res.cycles["discharge_capacity_mAh_per_g"].iloc[0]
        print(f"{name:32s} discharge {q:6.1f} mAh/g")
    print(f"wrote {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/figures/first_cycle_all_sets.png")
    main(parser.parse_args().out)
