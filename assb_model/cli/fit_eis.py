"""The ``assb fit-eis`` subcommand: fit an equivalent circuit to a measured spectrum.

::

    assb fit-eis FILE [--circuit auto|paper-fig5|paper-fig7|paper-fig5-bare-se|
                       paper-fig7-bare-se|"R0-p(R1,CPE1)-..."]
                      [--weighting modulus|proportional|unit] [--out DIR] [--json]

The default ``--circuit auto`` fits ``paper-fig5`` (Figure 5e: four ``R‖CPE`` arcs),
``paper-fig7`` (Figure 7e: the same plus CPE-type diffusion) and their variants with a bare
:math:`R_{SE}` (used in the paper when the bulk arc lies above the measured range), and
keeps the one with the lowest Akaike information criterion: a diffusion tail or a bulk
arc is only modelled when the data support it. The main ``assb`` command registers this
subcommand with :func:`add_fit_eis_parser`; ``python -m assb_model.cli.fit_eis fit-eis ...``
runs it alone.

Exit codes: 0 on success, 2 for a bad file, an unknown circuit or a failed fit (one
message on stderr).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from assb_model.ecm.circuits import CircuitParseError, get_circuit
from assb_model.ecm.fitting import FitResult, aic, fit_best_circuit, fit_circuit
from assb_model.ecm.io import SpectrumFileError, read_spectrum, write_spectrum_csv
from assb_model.ecm.validation import KKResult, lin_kk

__all__ = ["add_fit_eis_parser", "main", "run_fit_eis"]

AUTO_CANDIDATES = ("paper-fig5", "paper-fig7", "paper-fig5-bare-se", "paper-fig7-bare-se")


def add_fit_eis_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``fit-eis`` subcommand to an ``argparse`` subparsers object.

    Parameters
    ----------
    subparsers
        The object returned by ``ArgumentParser.add_subparsers()``.

    Returns
    -------
    argparse.ArgumentParser
        The subcommand parser (its ``func`` default is :func:`run_fit_eis`).
    """
    p = subparsers.add_parser(
        "fit-eis",
        help="fit an equivalent circuit to an impedance spectrum",
        description=(
            "Fit an equivalent circuit (default: the best of the paper's Figure 5e and 7e "
            "circuits, with or without a bulk-electrolyte arc, by AIC) to a spectrum file "
            "(.csv/.tsv/.txt, ZView .z, BioLogic .mpr) and print R, C_eff and T per arc and "
            "the GOF."
        ),
    )
    p.add_argument("file", type=Path, help="spectrum file")
    p.add_argument(
        "--circuit",
        default="auto",
        help="auto (default), paper-fig5, paper-fig7, paper-fig5-bare-se, paper-fig7-bare-se, "
        "or a circuit string such as 'R0-p(R1,CPE1)-p(R2,CPE2)-Wo1'",
    )
    p.add_argument(
        "--weighting",
        choices=("modulus", "proportional", "unit"),
        default="modulus",
        help="residual weighting (default: modulus)",
    )
    p.add_argument("--starts", type=int, default=4, help="number of fit starts (default 4)")
    p.add_argument("--out", type=Path, default=None, help="write plots, CSV and JSON here")
    p.add_argument("--json", action="store_true", help="print only a JSON object on stdout")
    p.set_defaults(func=run_fit_eis)
    return p


def _fit(args: argparse.Namespace, f, Z) -> tuple[FitResult, dict[str, float]]:
    options = {"weighting": args.weighting, "n_starts": args.starts}
    if str(args.circuit).strip().lower() == "auto":
        best, results = fit_best_circuit(f, Z, AUTO_CANDIDATES, **options)
        return best, {name: aic(r) for name, r in results.items()}
    return fit_circuit(get_circuit(args.circuit), f, Z, **options), {}


def _summary(result: FitResult, kk: KKResult, aics: dict[str, float], source: str) -> dict:
    out = result.summary()
    out["file"] = source
    out["kk"] = {"passed": kk.passed, "max_residual": kk.max_residual, "M": kk.M}
    if aics:
        out["auto_selection_aic"] = aics
    return out


def _write_outputs(out: Path, stem: str, result: FitResult, kk: KKResult, summary: dict) -> None:
    from assb_model.ecm.plotting import plot_bode, plot_fit, plot_nyquist

    out.mkdir(parents=True, exist_ok=True)
    f, Z = result.frequencies, result.Z
    plot_nyquist(f, Z, result.Z_fit, title=stem).savefig(out / f"{stem}_nyquist.png", dpi=150)
    plot_bode(f, Z, result.Z_fit, title=stem).savefig(out / f"{stem}_bode.png", dpi=150)
    plot_fit(result).savefig(out / f"{stem}_fit.png", dpi=150)
    kk.plot().savefig(out / f"{stem}_kk.png", dpi=150)
    write_spectrum_csv(out / f"{stem}_fit_spectrum.csv", f, result.Z_fit)
    with open(out / f"{stem}_fit_parameters.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["parameter", "value", "std_error", "ci95_low", "ci95_high", "unit"])
        units = result.circuit.parameter_units
        for name, v, s, (lo, hi), u in zip(
            result.param_names, result.values, result.std_errors, result.ci95, units, strict=True
        ):
            writer.writerow([name, f"{v:.8g}", f"{s:.4g}", f"{lo:.8g}", f"{hi:.8g}", u])
    (out / f"{stem}_fit.json").write_text(json.dumps(summary, indent=2) + "\n")


def run_fit_eis(args: argparse.Namespace) -> int:
    """Run ``fit-eis`` with parsed arguments; returns the process exit code."""
    try:
        spectrum = read_spectrum(args.file)
        f, Z = spectrum
        result, aics = _fit(args, f, Z)
        kk = lin_kk(f, Z)
    except (SpectrumFileError, CircuitParseError, ValueError) as err:
        print(f"assb fit-eis: error: {err}", file=sys.stderr)
        return 2
    summary = _summary(result, kk, aics, str(args.file))
    if args.out is not None:
        try:
            _write_outputs(args.out, Path(args.file).stem, result, kk, summary)
        except OSError as err:
            print(f"assb fit-eis: error: cannot write to {args.out}: {err}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps(summary))
        return 0
    print(f"file: {args.file}")
    for note in spectrum.notes:
        print(f"note: {note}")
    if aics:
        choice = ", ".join(f"{k}: {v:.1f}" for k, v in aics.items())
        print(f"circuit chosen by AIC among {len(aics)} candidates ({choice})")
    print(result.table())
    verdict = "pass" if kk.passed else "FAIL"
    print(
        f"Kramers-Kronig (Lin-KK, M={kk.M}): max residual {100 * kk.max_residual:.2f} % "
        f"-> {verdict} (threshold {100 * kk.threshold:.0f} %)"
    )
    if args.out is not None:
        print(f"wrote plots, CSV and JSON to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: ``python -m assb_model.cli.fit_eis fit-eis FILE ...``."""
    parser = argparse.ArgumentParser(prog="assb")
    sub = parser.add_subparsers(dest="command", required=True)
    add_fit_eis_parser(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
