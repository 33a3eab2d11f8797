"""Reproduce one result of Giraldo et al. (2021): section 'figure6' of assb_model.reproduce.

Writes PNG figures, report.md and summary.json for this section only.

Run: ``python experiments/figure6_cycling.py [--out results/figure6_cycling] [--quick]``
"""

import argparse

from assb_model.reproduce import SECTIONS, reproduce

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=SECTIONS["figure6"].__doc__.splitlines()[0])
    parser.add_argument("--out", default="results/figure6_cycling")
    parser.add_argument("--quick", action="store_true", help="reduced grids")
    args = parser.parse_args()
    summary = reproduce(args.out, quick=args.quick, sections=["figure6"])
    print(f"wrote {args.out}/report.md ({summary['elapsed_s']} s)")
