"""Command-line interface, ``assb``: a thin layer over the Python API.

Every command that runs the model takes the same grammar (:mod:`assb_model.cli.args`):
a parameter set (positional or ``--parameter-set NAME|PATH``), ``--set ALIAS=VALUE`` and
``--option NAME=VALUE``. Errors are one line on stderr; the exit code is the error's
(:mod:`assb_model.errors`: 2 for a request that cannot be done as asked, 1 for a failed
computation). Heavy modules (PyBaMM) are imported by the commands, not here, so
``assb --help`` and ``assb list`` start at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assb_model.cli import args as cli_args


def cmd_list(args) -> int:
    from assb_model.parameters.catalog import cell_definition, list_parameter_sets

    if args.quantities:
        from assb_model.parameters import registry

        print(f"{'alias':24s} {'unit':11s} {'bounds':18s} {'mode':9s} meaning")
        for q in registry.QUANTITIES:
            print(
                f"{q.alias:24s} {q.unit:11s} {q.bounds_text():18s} {q.mode:9s} "
                f"{q.description}{' (log scale)' if q.log else ''}"
            )
        return 0
    for name in list_parameter_sets():
        print(f"{name:32s} {cell_definition(name)['description']}")
    return 0


def cmd_params(args) -> int:
    from assb_model.parameters import registry
    from assb_model.parameters.sets import build_parameter_table

    parameters, protocol = cli_args.what_ifs(args)
    if protocol:
        raise cli_args.ArgumentError(
            f"{sorted(protocol)}: protocol settings are not parameters (use 'assb simulate')"
        )
    name = cli_args.parameter_set(args, default=None)
    table = build_parameter_table(name, registry.to_model_values(parameters, label=name))
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
    from assb_model.simulation import CCCycling, Runner

    scenario, settings = cli_args.scenario(args)
    protocol = CCCycling(
        args.current_density, args.upper_cutoff, args.lower_cutoff, args.cycles
    ).with_settings(**settings)
    res = Runner(scenario, protocol).run()
    p = res.protocol
    if args.json:
        print(json.dumps(res.to_json_dict(), indent=1))
    else:
        print(
            f"{scenario.label}: {p['current_density_mA_per_cm2']} mA/cm2, "
            f"{p['lower_cutoff_V_vs_LiIn']}-{p['upper_cutoff_V_vs_LiIn']} V vs Li-In, "
            f"NMC {res.nmc_mass_g * 1e3:.2f} mg"
            + (f"; what-ifs {scenario.overrides}" if scenario.overrides else "")
        )
        print(f"{'cycle':>5s} {'charge [mAh/g]':>15s} {'discharge [mAh/g]':>18s} {'CE [%]':>8s}")
        for _, r in res.cycles.iterrows():
            print(
                f"{int(r['cycle']):5d} {r['charge_capacity_mAh_per_g']:15.1f} "
                f"{r['discharge_capacity_mAh_per_g']:18.1f} {100 * r['coulombic_efficiency']:8.2f}"
            )
    if args.out:
        import matplotlib

        matplotlib.use("Agg")
        from assb_model.plotting import plot_voltage_capacity

        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        res.curves.to_csv(out / "curves.csv", index=False)
        res.cycles.to_csv(out / "capacity.csv", index=False)
        title = f"{scenario.label}, {p['current_density_mA_per_cm2']} mA cm$^{{-2}}$"
        fig = plot_voltage_capacity(res, title=title)
        fig.savefig(out / "voltage_capacity.png", dpi=150, bbox_inches="tight")
        if not args.json:
            files = ("curves.csv", "capacity.csv", "voltage_capacity.png")
            print("wrote " + ", ".join(str(out / f) for f in files))
    return 0


def cmd_derive(args) -> int:
    from assb_model.parameters.derive import derive

    path, report, table = derive(args.cell, args.out)
    kinds = {}
    for e in table:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    print(
        f"wrote {path} ({len(table)} values: "
        + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda x: -x[1]))
        + f") and {report}"
    )
    return 0


def cmd_reproduce(args) -> int:
    from assb_model.reproduce import reproduce

    summary = reproduce(
        args.out,
        quick=args.quick,
        progress=not args.no_progress,
        sections=args.section,
        uncertainty_intervals=not args.no_intervals,
    )
    print(f"wrote {Path(args.out) / 'report.md'} and summary.json ({summary['elapsed_s']} s)")
    return 0


def cmd_calibrate(args) -> int:
    from assb_model.calibration import run_calibration_cli

    return run_calibration_cli(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="assb",
        description="Composite-cathode sulfide all-solid-state battery model (Giraldo et al. 2021)",
        epilog="Commands that run the model take a parameter set (name or file), --set "
        "ALIAS=VALUE and --option NAME=VALUE; 'assb list --quantities' lists the aliases.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("list", help="list the parameter sets (or, --quantities, the aliases)")
    s.add_argument(
        "--quantities",
        action="store_true",
        help="list the quantities --set/--param accept: alias, unit, bounds, input or rebuild",
    )
    s.set_defaults(func=cmd_list)

    s = sub.add_parser(
        "params", help="print a parameter set (name or file) with units and provenance"
    )
    cli_args.add_model_arguments(s)
    s.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
    s.set_defaults(func=cmd_params)

    s = sub.add_parser(
        "derive",
        help="derive a parameter set from a cell description (TOML; docs/cells.md)",
        description="Derive every model parameter of a cell described in a TOML file and write "
        "a parameter-set file with full provenance (usable as --parameter-set PATH) and a "
        "short report of what was derived and what was assumed.",
    )
    s.add_argument("cell", help="cell description (.toml)")
    s.add_argument("--out", default=".", help="folder for NAME.json and NAME_report.md (.)")
    s.set_defaults(func=cmd_derive)

    s = sub.add_parser("simulate", help="run the paper's CC charge-discharge protocol")
    cli_args.add_model_arguments(s)
    cli_args.add_protocol_arguments(s)
    s.add_argument("--out", help="folder for curves.csv, capacity.csv, voltage_capacity.png")
    s.add_argument("--json", action="store_true", help="print the per-cycle table as JSON")
    s.set_defaults(func=cmd_simulate)

    s = sub.add_parser("reproduce", help="reproduce the paper: figures, report.md and summary.json")
    s.add_argument("--out", default="results", help="output folder (default: results)")
    s.add_argument("--quick", action="store_true", help="reduced grids (CI), same outputs")
    s.add_argument(
        "--section",
        action="append",
        choices=("figure4", "resistances", "figure6", "figure8", "impedance", "whatif"),
        help="run only this section (repeatable; default: all)",
    )
    s.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    s.add_argument(
        "--no-intervals",
        action="store_true",
        help="skip the 90 %% intervals of the comparison (faster; docs/uncertainty.md)",
    )
    s.set_defaults(func=cmd_reproduce)

    s = sub.add_parser(
        "calibrate",
        help="calibrate the constants the paper cannot give (writes parameter_sets/"
        "calibrated.json)",
    )
    s.add_argument("--check", action="store_true", help="re-run and compare with the file")
    s.add_argument("--rtol", type=float, default=0.02, help="tolerance for --check (0.02)")
    s.add_argument("--out", type=Path, help="output file (default: the shipped calibrated.json)")
    s.add_argument(
        "--quick",
        action="store_true",
        help="reduced problem (the 2nd-charge circuit-fit inversion of one set): a check "
        "that the calibration runs, not a calibration",
    )
    s.set_defaults(func=cmd_calibrate)

    from assb_model.cli.data import add_data_parser
    from assb_model.cli.eis import add_eis_parser
    from assb_model.cli.fit import add_compare_parser, add_fit_parser
    from assb_model.cli.fit_eis import add_fit_eis_parser
    from assb_model.cli.sweep import add_sweep_parser
    from assb_model.cli.uq import add_uq_parser

    add_data_parser(sub)
    add_compare_parser(sub)
    add_fit_parser(sub)
    add_fit_eis_parser(sub)
    add_eis_parser(sub)
    add_sweep_parser(sub)
    add_uq_parser(sub)

    from assb_model.cli.explore import add_explore_parser

    add_explore_parser(sub)
    return p


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return cli_args.guarded(args.func, args, args.command)
    except KeyboardInterrupt:
        print(f"assb {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
