"""Reproduce one result of Giraldo et al. (2021): section 'resistances' of assb_model.reproduce.

Writes PNG figures, report.md and summary.json for this section only.

Run: ``python experiments/table2_3_resistances.py [--out results/table2_3_resistances] [--quick]``
"""

import argparse

from assb_model.reproduce import SECTIONS, reproduce

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=SECTIONS["resistances"].__doc__.splitlines()[0])
    parser.add_argument("--out", default="results/table2_3_resistances")
    parser.add_argument("--quick", action="store_true", help="reduced grids")
    args = parser.parse_args()
    summary = reproduce(args.out, quick=args.quick, sections=["resistances"])
    print(f"wrote {args.out}/report.md ({summary['elapsed_s']} s)")
