"""``assb data``, ``assb compare`` and ``assb fit``: thin command-line layers over
:mod:`describe`, :mod:`compare` and :mod:`fit`.

The main CLI (:mod:`assb_model.cli`) adds these with :func:`add_data_parser`,
:func:`add_compare_parser` and :func:`add_fit_parser`; ``python -m assb_model.data.cli
data|compare|fit ...`` runs them alone.
Exit codes: 0 success; 1 a fit that did not converge, or a solver failure; 2 a user error
(bad file, unknown set or parameter), reported as one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assb_model.data.compare_fit import USER_ERRORS
from assb_model.data.compare_fit.compare import parse_cycles
from assb_model.data.compare_fit.fit_parameters import SHORT_NAMES
from assb_model.simulation import SimulationError


class _ArgumentError(ValueError):
    """A malformed command-line value."""


def _pairs(values, what: str) -> dict[str, str]:
    out = {}
    for item in values or []:
        if "=" not in item:
            raise _ArgumentError(f"{what} expects NAME=VALUE, got '{item}'")
        key, value = item.rsplit("=", 1)
        out[key.strip()] = value.strip()
    return out


def _floats(values, what: str) -> dict[str, float]:
    out = {}
    for key, value in _pairs(values, what).items():
        try:
            out[key] = float(value)
        except ValueError:
            raise _ArgumentError(f"{what} {key}: '{value}' is not a number") from None
    return out


def _bounds(values) -> dict[str, tuple[float, float]]:
    out = {}
    for key, value in _pairs(values, "--bounds").items():
        try:
            lo, hi = (float(x) for x in value.split(":"))
        except ValueError:
            raise _ArgumentError(f"--bounds {key}: expected LOWER:UPPER, got '{value}'") from None
        out[key] = (lo, hi)
    return out


def _parameter_set(text: str) -> tuple[str, dict, dict]:
    """Set name, overrides and their provenance entries: a set name as is, or the content of
    a fitted set file written by ``assb fit`` (its base set and its values)."""
    if text.endswith(".json") and Path(text).exists():
        from assb_model.data.compare_fit.fitted_sets import read_fitted_parameter_file

        content = read_fitted_parameter_file(text)
        entries = content["values"]
        return (
            content["base_parameter_set"],
            {k: e["value"] for k, e in entries.items()},
            entries,
        )
    return text, {}, {}


def _load_kwargs(args) -> dict:
    kwargs = {}
    if args.current_sign:
        kwargs["current_sign"] = args.current_sign
    for unit in ("current_unit", "time_unit", "voltage_unit", "capacity_unit"):
        if getattr(args, unit):
            kwargs[unit] = getattr(args, unit)
    if args.column:
        kwargs["columns"] = {k: (v or None) for k, v in _pairs(args.column, "--column").items()}
    return kwargs


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--parameter-set",
        required=True,
        help="parameter set (see 'assb list'), or a fitted set file written by 'assb fit'",
    )
    p.add_argument("--cycles", help="cycles to use, e.g. 1,3,5-7 (default: all)")
    p.add_argument(
        "--active-mass-mg",
        type=float,
        help="measured active (NMC) mass in mg (default: the set's NMC mass, 6.9 mg)",
    )
    p.add_argument("--option", action="append", help="model option NAME=VALUE (repeatable)")
    p.add_argument("--set", action="append", help="parameter override NAME=VALUE (repeatable)")
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


def add_data_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``data`` (what the project reads from a file) to an ``argparse`` sub-parser
    collection."""
    p = subparsers.add_parser(
        "data",
        help="show what the project reads from a cycling or impedance file",
        description=(
            "Read a measured file as 'assb compare', 'assb fit' and 'assb fit-eis' would, "
            "and report it before any model runs: format and kind (cycling or impedance), "
            "the columns used with their units, the current sign convention and the evidence "
            "for it, glitches, per-cycle and total charge and discharge capacity (mAh, from "
            "the current integrated over time, checked against the file's own columns), or "
            "for impedance files each sweep's points and frequency range (docs/data.md)."
        ),
    )
    p.add_argument("file", help="cycling file (CSV, xlsx, .mpt, .mpr...) or impedance spectrum")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.add_argument("--sweep", type=int, help="impedance files: report only sweep N (from 1)")
    g = p.add_argument_group("reading a cycling file (see docs/data.md)")
    g.add_argument("--current-sign", choices=["charge-positive", "discharge-positive"])
    g.add_argument("--current-unit")
    g.add_argument("--time-unit")
    g.add_argument("--voltage-unit")
    g.add_argument("--capacity-unit")
    g.add_argument(
        "--column", action="append", help="QUANTITY=HEADER, e.g. current='I (mA)' (repeatable)"
    )
    p.set_defaults(func=run_data_cli)
    return p


def run_data_cli(args) -> int:
    """Run ``assb data`` from parsed arguments; returns the exit code (2: unreadable file)."""
    from assb_model.data.describe import describe_file, format_description, json_ready
    from assb_model.data.errors import CyclingDataError
    from assb_model.eis.io import SpectrumFileError

    try:
        description = describe_file(args.file, sweep=args.sweep, **_load_kwargs(args))
    except (CyclingDataError, SpectrumFileError, _ArgumentError) as exc:
        print(f"assb: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(json_ready(description), indent=1, ensure_ascii=False))
    else:
        print(format_description(description))
    return 0


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
    short = ", ".join(f"'{k}'" for k in SHORT_NAMES)
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
    p.add_argument("--max-evaluations", type=int, default=200, help="model evaluations (200)")
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


def _guard(run, args) -> int:
    try:
        return run(args)
    except (*USER_ERRORS, _ArgumentError) as exc:
        print(f"assb {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except SimulationError as exc:
        print(f"assb {args.command}: error: {exc}", file=sys.stderr)
        return 1


def run_compare_cli(args) -> int:
    """Run ``assb compare`` from parsed arguments; returns the exit code."""
    return _guard(_compare, args)


def run_fit_cli(args) -> int:
    """Run ``assb fit`` from parsed arguments; returns the exit code."""
    return _guard(_fit, args)


def _common_kwargs(args, file_values: dict) -> dict:
    mass = args.active_mass_mg * 1e-3 if args.active_mass_mg is not None else None
    overrides = {**file_values, **_floats(args.set, "--set")}
    return {
        "cycles": parse_cycles(args.cycles),
        "active_mass_g": mass,
        "options": _pairs(args.option, "--option") or None,
        "parameter_overrides": overrides or None,
        **_load_kwargs(args),
    }


def _compare(args) -> int:
    from assb_model.data.compare_fit.compare import compare

    name, file_values, _ = _parameter_set(args.parameter_set)
    result = compare(args.measured, name, **_common_kwargs(args, file_values))
    if file_values:
        result.parameter_set = f"{Path(args.parameter_set).name} (on {name})"
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
    from assb_model.data.compare_fit.plotting import save_comparison_figures

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
    from assb_model.data.compare_fit.fit import fit_cycling

    name, file_values, provenance = _parameter_set(args.parameter_set)
    kwargs = _common_kwargs(args, file_values)
    result = fit_cycling(
        args.measured,
        name,
        args.fit,
        bounds=_bounds(args.bounds),
        initial=_floats(args.initial, "--initial"),
        max_evaluations=args.max_evaluations,
        include_rests=not args.no_rests,
        voltage_noise_V=args.voltage_noise_mV * 1e-3,
        capacity_tolerance=args.capacity_tolerance,
        impedance=args.impedance,
        **kwargs,
    )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    set_path = result.write_parameter_set(out / "fitted_parameter_set.json", args.name, provenance)
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
    """A parser with only ``data``, ``compare`` and ``fit`` (``python -m assb_model.data.cli``)."""
    p = argparse.ArgumentParser(prog="assb", description="compare the model with data, fit it")
    sub = p.add_subparsers(dest="command", required=True)
    add_data_parser(sub)
    add_compare_parser(sub)
    add_fit_parser(sub)
    return p


def main(argv=None) -> int:
    """Entry point of ``python -m assb_model.data.cli``."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
