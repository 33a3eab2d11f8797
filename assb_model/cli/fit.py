"""``assb compare`` and ``assb fit``: thin command-line layers over :mod:`compare` and
:mod:`fit`.

The main CLI (:mod:`assb_model.cli`) adds these with :func:`add_compare_parser` and
:func:`add_fit_parser`; ``python -m assb_model.cli.fit compare|fit ...`` runs them alone.
Exit codes: 0 success; 1 a fit that did not converge, or a solver failure; 2 a user error
(bad file, unknown set or parameter), reported as one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assb_model.cli import args as cli_args
from assb_model.cli.data import load_kwargs
from assb_model.errors import ArgumentError


def _bounds(values) -> dict[str, tuple[float, float]]:
    out = {}
    for key, value in cli_args.pairs(values, "--bounds").items():
        try:
            lo, hi = (float(x) for x in value.split(":"))
        except ValueError:
            raise ArgumentError(f"--bounds {key}: expected LOWER:UPPER, got '{value}'") from None
        out[key] = (lo, hi)
    return out


def _add_common(p: argparse.ArgumentParser) -> None:
    cli_args.add_model_arguments(p, positional=False, required=True)
    p.add_argument("--cycles", help="cycles to use, e.g. 1,3,5-7 (default: all)")
    p.add_argument(
        "--active-mass-mg",
        type=float,
        help="measured active (NMC) mass in mg (default: the set's NMC mass, 6.9 mg)",
    )
    g = p.add_argument_group("reading the measured file (see docs/data.md)")
    g.add_argument("--current-sign", choices=["charge-positive", "discharge-positive"])
    g.add_argument("--current-unit")
    g.add_argument("--time-unit")
    g.add_argument("--voltage-unit")
    g.add_argument("--capacity-unit")
    g.add_argument(
        "--column", action="append", help="QUANTITY=HEADER, e.g. current='I (mA)' (repeatable)"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


def add_compare_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``compare`` to an ``argparse`` sub-parser collection."""
    p = subparsers.add_parser(
        "compare",
        help="run the model with a measured file's protocol and compare",
        description=(
            "Replay a measured cycling file's protocol (currents, cut-offs, rests) with the "
            "model from the pristine cell, align the curves on specific capacity and report "
            "per cycle the capacity error, voltage RMSE and max error, mean-voltage and "
            "energy errors (simulated - measured)."
        ),
    )
    p.add_argument("measured", help="cycler file (CSV, xlsx, .mpr...; see docs/data.md)")
    _add_common(p)
    p.add_argument("--out", help="folder for CSV tables and the figures")
    p.set_defaults(func=run_compare_cli)
    return p


def add_fit_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``fit`` to an ``argparse`` sub-parser collection."""
    from assb_model.parameters.registry import QUANTITIES

    short = ", ".join(f"'{s}'" for q in QUANTITIES for s in q.synonyms)
    p = subparsers.add_parser(
        "fit",
        help="fit model parameters to measured cycling curves",
        description=(
            "Fit parameters to one or more measured cycling files (least squares on the "
            "voltage against capacity, and the capacities; docs/compare_fit.md). Reports "
            "values, standard errors, 95 % intervals, correlations (flags non-identifiable "
            "pairs) and writes a parameter-set file."
        ),
    )
    p.add_argument("measured", nargs="+", help="cycler file(s), replayed from the pristine cell")
    _add_common(p)
    p.add_argument(
        "--fit",
        action="append",
        required=True,
        help=f"parameter to fit (repeatable): {short}, or a PyBaMM parameter name",
    )
    p.add_argument("--bounds", action="append", help="NAME=LOWER:UPPER (repeatable)")
    p.add_argument("--initial", action="append", help="NAME=VALUE start value (repeatable)")
    p.add_argument(
        "--max-evaluations", type=int, default=200, help="model evaluations per start (200)"
    )
    p.add_argument(
        "--starts",
        type=int,
        default=1,
        help="optimiser starts: the given start and N-1 Latin-hypercube points; the "
        "lowest-cost end wins (1)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the Latin hypercube (0)")
    p.add_argument("--no-rests", action="store_true", help="do not fit the rest relaxations")
    p.add_argument(
        "--voltage-noise-mV", type=float, default=1.0, help="voltage noise scale σ_V (1 mV)"
    )
    p.add_argument(
        "--capacity-tolerance",
        type=float,
        default=1e-3,
        help="relative capacity uncertainty σ_q/Q (0.001)",
    )
    p.add_argument(
        "--impedance",
        help="impedance spectrum to fit jointly (needs the model's impedance; skipped if absent)",
    )
    p.add_argument("--name", help="name of the written parameter set (default <set>_fitted)")
    p.add_argument(
        "--out", default="results/fit", help="folder for the fitted set, tables and figures"
    )
    p.set_defaults(func=run_fit_cli)
    return p


def run_compare_cli(args) -> int:
    """Run ``assb compare`` from parsed arguments; returns the exit code."""
    return cli_args.guarded(_compare, args, "compare")


def run_fit_cli(args) -> int:
    """Run ``assb fit`` from parsed arguments; returns the exit code."""
    return cli_args.guarded(_fit, args, "fit")


def _common_kwargs(args) -> dict:
    from assb_model.fit.compare import parse_cycles

    mass = args.active_mass_mg * 1e-3 if args.active_mass_mg is not None else None
    return {"cycles": parse_cycles(args.cycles), "active_mass_g": mass, **load_kwargs(args)}


def _scenario(args):
    scenario, protocol = cli_args.scenario(args, default=None)
    if protocol:
        raise ArgumentError(
            f"{sorted(protocol)}: the measured file sets the protocol (currents, cut-offs)"
        )
    return scenario


def _compare(args) -> int:
    from assb_model.fit.compare import compare

    result = compare(args.measured, _scenario(args), **_common_kwargs(args))
    if args.json:
        print(json.dumps(result.to_json_dict(), indent=1))
    else:
        print(_compare_table(result))
    if args.out:
        written = write_comparison(result, args.out)
        if not args.json:
            print("wrote " + ", ".join(str(p) for p in written))
    return 0


def _compare_table(result) -> str:
    lines = [
        f"{result.source} vs {result.parameter_set} (errors = model - measured; "
        f"active mass {result.active_mass_g * 1e3:.3g} mg)",
        f"{'cycle':>5s} {'Q_dis meas':>10s} {'Q_dis model':>11s} {'error':>8s} {'error':>7s} "
        f"{'V RMSE':>7s} {'V max':>7s} {'<V> err':>8s} {'E err':>7s}",
        f"{'':5s} {'[mAh/g]':>10s} {'[mAh/g]':>11s} {'[mAh/g]':>8s} {'[%]':>7s} "
        f"{'[mV]':>7s} {'[mV]':>7s} {'[mV]':>8s} {'[%]':>7s}",
    ]
    for _, r in result.cycles.iterrows():
        lines.append(
            f"{int(r['cycle']):5d} {r['measured_discharge_mAh_per_g']:10.1f} "
            f"{r['simulated_discharge_mAh_per_g']:11.1f} {r['capacity_error_mAh_per_g']:8.2f} "
            f"{r['capacity_error_percent']:7.2f} {r['voltage_rmse_mV']:7.1f} "
            f"{r['voltage_max_error_mV']:7.1f} {r['mean_discharge_voltage_error_mV']:8.1f} "
            f"{r['discharge_energy_error_percent']:7.2f}"
        )
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines)


def write_comparison(result, out: str | Path, prefix: str = "") -> list[Path]:
    """Write the comparison's tables (CSV) and figures to ``out``."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    from assb_model.fit.plotting import save_comparison_figures

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in (
        ("comparison_cycles", result.cycles),
        ("comparison_steps", result.steps),
        ("residuals", result.residuals),
        ("simulated_curves", result.simulated),
    ):
        path = out / f"{prefix}{name}.csv"
        frame.to_csv(path, index=False)
        written.append(path)
    return written + save_comparison_figures(result, out, prefix)


def _fit(args) -> int:
    from assb_model.fit.fit import fit_cycling
    from assb_model.parameters.files import resolve_source

    scenario = _scenario(args)
    source = resolve_source(scenario.parameter_set)
    kwargs = _common_kwargs(args)
    result = fit_cycling(
        args.measured,
        scenario,
        args.fit,
        bounds=_bounds(args.bounds),
        initial=cli_args.numbers(args.initial, "--initial"),
        max_evaluations=args.max_evaluations,
        starts=args.starts,
        seed=args.seed,
        include_rests=not args.no_rests,
        voltage_noise_V=args.voltage_noise_mV * 1e-3,
        capacity_tolerance=args.capacity_tolerance,
        impedance=args.impedance,
        **kwargs,
    )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    set_path = result.write_parameter_set(
        out / "fitted_parameter_set.json", args.name, source.values, base=source.base
    )
    report = {**result.to_json_dict(), "parameter_file": str(set_path)}
    (out / "fit_summary.json").write_text(json.dumps(report, indent=1) + "\n")
    result.table().to_csv(out / "fit_parameters.csv", index=False)
    many = len(result.comparisons) > 1
    for k, comparison in enumerate(result.comparisons, start=1):
        write_comparison(comparison, out, prefix=f"data{k}_" if many else "")
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(result.summary())
        print(f"wrote {set_path}, {out / 'fit_summary.json'}, figures in {out}")
    if not result.converged:
        print(f"assb fit: did not converge: {result.message}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    """A parser with only ``compare`` and ``fit`` (for ``python -m assb_model.cli.fit``)."""
    p = argparse.ArgumentParser(prog="assb", description="compare the model with data, fit it")
    sub = p.add_subparsers(dest="command", required=True)
    add_compare_parser(sub)
    add_fit_parser(sub)
    return p


def main(argv=None) -> int:
    """Entry point of ``python -m assb_model.cli.fit``."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
