"""Command-line interface, ``assb``: a thin layer over the Python API."""

import argparse
import json
import sys
from pathlib import Path

from assb_model.parameters.sets import UnknownParameterSetError, list_parameter_sets
from assb_model.parameters.validation import ParameterError


class CLIError(Exception):
    """A user error to be reported as one line on stderr (exit code 2)."""


def _parse_options(pairs):
    opts = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise CLIError(f"--option expects NAME=VALUE, got '{pair}'")
        k, v = pair.split("=", 1)
        opts[k.strip()] = v.strip()
    return opts


def cmd_list(args) -> int:
    from assb_model.parameters.sets import cell_definition

    for name in list_parameter_sets():
        print(f"{name:32s} {cell_definition(name)['description']}")
    return 0


def cmd_params(args) -> int:
    from assb_model.parameters.sets import build_parameter_table

    table = build_parameter_table(args.name)
    rows = table.rows()
    if args.json:
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return 0
    w = max(len(r["name"]) for r in rows)
    print(f"{'parameter':{w}s}  {'value':>12s}  {'unit':10s}  {'kind':10s}  source")
    for r in rows:
        print(
            f"{r['name']:{w}s}  {r['value']:>12s}  {r['unit']:10s}  {r['kind']:10s}  {r['source']}"
        )
    return 0


def cmd_simulate(args) -> int:
    from assb_model.simulation import simulate

    res = simulate(
        args.name,
        current_density=args.current_density,
        upper_cutoff=args.upper_cutoff,
        lower_cutoff=args.lower_cutoff,
        cycles=args.cycles,
        options=_parse_options(args.option),
    )
    if args.json:
        print(json.dumps(res.to_json_dict(), indent=1))
    else:
        print(
            f"{args.name}: {args.current_density} mA/cm2, "
            f"{args.lower_cutoff}-{args.upper_cutoff} V vs Li-In, NMC {res.nmc_mass_g * 1e3:.2f} mg"
        )
        print(f"{'cycle':>5s} {'charge [mAh/g]':>15s} {'discharge [mAh/g]':>18s} {'CE [%]':>8s}")
        for _, r in res.cycles.iterrows():
            print(
                f"{int(r['cycle']):5d} {r['charge_capacity_mAh_per_g']:15.1f} "
                f"{r['discharge_capacity_mAh_per_g']:18.1f} {100 * r['coulombic_efficiency']:8.2f}"
            )
    if args.out:
        from assb_model.plotting import plot_voltage_capacity

        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        res.curves.to_csv(out / "curves.csv", index=False)
        res.cycles.to_csv(out / "capacity.csv", index=False)
        fig = plot_voltage_capacity(
            res, title=f"{args.name}, {args.current_density} mA cm$^{{-2}}$"
        )
        fig.savefig(out / "voltage_capacity.png", dpi=150, bbox_inches="tight")
        if not args.json:
            files = ("curves.csv", "capacity.csv", "voltage_capacity.png")
            print("wrote " + ", ".join(str(out / f) for f in files))
    return 0


def cmd_reproduce(args) -> int:
    from assb_model.reproduce import reproduce

    summary = reproduce(args.out, quick=args.quick, progress=not args.no_progress)
    print(f"wrote {Path(args.out) / 'report.md'} and summary.json ({summary['elapsed_s']} s)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="assb",
        description="Composite-cathode sulfide all-solid-state battery model (Giraldo et al. 2021)",
    )
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("list", help="list the parameter sets")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("params", help="print a parameter set with units and provenance")
    s.add_argument("name")
    s.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
    s.set_defaults(func=cmd_params)

    s = sub.add_parser("simulate", help="run the paper's CC charge-discharge protocol")
    s.add_argument("name", help="parameter set (see 'assb list')")
    s.add_argument("--current-density", type=float, default=0.13, help="mA/cm2 (default 0.13)")
    s.add_argument("--upper-cutoff", type=float, default=3.8, help="V vs Li-In (default 3.8)")
    s.add_argument("--lower-cutoff", type=float, default=2.0, help="V vs Li-In (default 2.0)")
    s.add_argument("--cycles", type=int, default=1)
    s.add_argument("--option", action="append", help="model option NAME=VALUE (repeatable)")
    s.add_argument("--out", help="folder for curves.csv, capacity.csv, voltage_capacity.png")
    s.add_argument("--json", action="store_true", help="print the per-cycle table as JSON")
    s.set_defaults(func=cmd_simulate)

    s = sub.add_parser("reproduce", help="reproduce the paper: figures, report.md and summary.json")
    s.add_argument("--out", default="results", help="output folder (default: results)")
    s.add_argument("--quick", action="store_true", help="reduced grids (CI), same outputs")
    s.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    s.set_defaults(func=cmd_reproduce)

    from assb_model.data.cli import add_compare_parser, add_data_parser, add_fit_parser

    add_data_parser(sub)
    add_compare_parser(sub)
    add_fit_parser(sub)

    from assb_model.eis.cli import add_fit_eis_parser
    from assb_model.eis.model_cli import add_eis_parser

    add_fit_eis_parser(sub)
    add_eis_parser(sub)

    from assb_model.sweep.cli import add_sweep_parser

    add_sweep_parser(sub)
    return p


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (CLIError, ParameterError, UnknownParameterSetError) as exc:
        print(f"assb: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        import pybamm

        from assb_model.simulation import SimulationError
        from assb_model.sweep.engine import SweepError
        from assb_model.sweep.sensitivity import SensitivityError

        if isinstance(exc, SweepError | SensitivityError):
            print(f"assb: error: {exc}", file=sys.stderr)
            return 1
        if isinstance(exc, pybamm.OptionError):
            print(f"assb: error: {exc}", file=sys.stderr)
            return 2
        if isinstance(exc, SimulationError):
            print(f"assb: error: {exc}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
