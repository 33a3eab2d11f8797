"""The ``assb fit-eis`` subcommand: fit an equivalent circuit to a measured spectrum.

::

    assb fit-eis FILE [--circuit auto|paper-fig5|paper-fig7|paper-fig5-bare-se|
                       paper-fig7-bare-se|"R0-p(R1,CPE1)-..."] [--inductance]
                      [--weighting modulus|proportional|unit] [--starts auto|N]
                      [--sweep N] [--M N] [--mu C] [--out DIR] [--json]

The default ``--circuit auto`` fits ``paper-fig5`` (Figure 5e: four ``R‖CPE`` arcs),
``paper-fig7`` (Figure 7e: the same plus CPE-type diffusion) and their variants with a bare
:math:`R_{SE}` (used in the paper when the bulk arc lies above the measured range), and
keeps the one with the lowest Akaike information criterion: a diffusion tail or a bulk
arc is only modelled when the data support it. ``--inductance`` adds a series inductance
``L_wire`` to every candidate (or to the given circuit).

A file with several sweeps (EC-Lab PEIS/GEIS repeats) has each sweep fitted and reported;
``--sweep N`` picks one. Each fit is followed by a Lin-KK test (``--M`` fixes its number of
elements, ``--mu`` its μ threshold); warnings (non-finite GOF, parameters on a bound, fit
residuals far above the Kramers–Kronig residuals, a minimum found only once) are printed
as ``warning:`` lines and listed under ``"warnings"`` in the JSON.

Exit codes: 0 when at least one sweep was fitted with a finite GOF (warnings or not); 1 when
no sweep gave a usable fit; 2 for a bad file, an unknown circuit or a bad option (one
message on stderr).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the circuit library is imported when a fit runs (fast `assb --help`)
    from assb_model.ecm.fitting import FitResult
    from assb_model.ecm.io import Spectrum
    from assb_model.ecm.validation import KKResult

__all__ = ["add_fit_eis_parser", "main", "run_fit_eis"]

AUTO_CANDIDATES = ("paper-fig5", "paper-fig7", "paper-fig5-bare-se", "paper-fig7-bare-se")


class _OptionError(ValueError):
    """A bad command-line value."""


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
            "(.csv/.tsv/.txt, ZView .z, BioLogic .mpt/.mpr, Gamry .DTA, VersaStudio .par, "
            "Autolab, CH Instruments, Parstat, PowerSuite) and print R, C_eff and T per arc, "
            "the GOF and a Kramers-Kronig check; each sweep of a multi-sweep file is fitted."
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
        "--inductance",
        action="store_true",
        help="add a series inductance L_wire (cables: positive Z'' at high frequency)",
    )
    p.add_argument(
        "--weighting",
        choices=("modulus", "proportional", "unit"),
        default="modulus",
        help="residual weighting (default: modulus)",
    )
    p.add_argument(
        "--starts",
        default="auto",
        help="fit starts: auto (default; until the lowest cost is reached twice, 2-30) or N",
    )
    p.add_argument("--sweep", type=int, help="fit only sweep N (from 1) of a multi-sweep file")
    p.add_argument(
        "--M", dest="kk_M", type=int, help="Lin-KK: fixed number of Voigt elements (default: auto)"
    )
    p.add_argument(
        "--mu",
        dest="kk_mu",
        type=float,
        default=0.85,
        help="Lin-KK: mu threshold of the stop rule (default 0.85; docs/eis.md)",
    )
    p.add_argument("--out", type=Path, default=None, help="write plots, CSV and JSON here")
    p.add_argument("--json", action="store_true", help="print only a JSON object on stdout")
    p.set_defaults(func=run_fit_eis)
    return p


def _starts(text: str) -> int | str:
    if str(text).strip().lower() == "auto":
        return "auto"
    try:
        value = int(text)
    except ValueError:
        raise _OptionError(f"--starts must be 'auto' or a positive integer, not {text!r}") from None
    if value < 1:
        raise _OptionError(f"--starts must be 'auto' or a positive integer, not {text!r}")
    return value


def _circuit(spec: str, inductance: bool):
    from assb_model.ecm.circuits import Series, get_circuit
    from assb_model.ecm.elements import L

    circuit = get_circuit(spec)
    if inductance and not any(e.category == "inductor" for e in circuit.elements()):
        circuit = Series(L("L_wire"), circuit)
    return circuit


def _fit(args: argparse.Namespace, f, Z) -> tuple[FitResult, dict[str, float]]:
    from assb_model.ecm.fitting import aic, fit_best_circuit, fit_circuit

    options = {"weighting": args.weighting, "n_starts": _starts(args.starts)}
    if str(args.circuit).strip().lower() == "auto":
        candidates = [_circuit(name, args.inductance) for name in AUTO_CANDIDATES]
        best, results = fit_best_circuit(f, Z, candidates, **options)
        return best, {name: aic(r) for name, r in results.items()}
    return fit_circuit(_circuit(args.circuit, args.inductance), f, Z, **options), {}


def _kk_dict(kk: KKResult) -> dict:
    return {
        "passed": kk.passed,
        "max_residual": kk.max_residual,
        "rms_residual": kk.rms_residual,
        "threshold": kk.threshold,
        "M": kk.M,
        "mu": kk.mu,
        "M_mu": kk.M_mu,
        "M_plateau": kk.M_plateau,
        "rule": kk.rule,
    }


def _summary(result: FitResult, kk: KKResult, aics: dict[str, float], spectrum: Spectrum) -> dict:
    out = result.summary()
    out["file"] = spectrum.source
    out["sweep"] = spectrum.sweep
    out["n_sweeps"] = spectrum.n_sweeps
    out["points"] = len(spectrum)
    out["frequency_min_Hz"] = float(spectrum.frequency.min())
    out["frequency_max_Hz"] = float(spectrum.frequency.max())
    out["kk"] = _kk_dict(kk)
    if aics:
        out["auto_selection_aic"] = aics
    return _finite_json(out)


def _finite_json(value):
    """NaN and infinities as ``null`` (JSON has no NaN)."""
    import numpy as np

    if isinstance(value, dict):
        return {k: _finite_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite_json(v) for v in value]
    if isinstance(value, float | np.floating) and not np.isfinite(value):
        return None
    return value


def _write_outputs(out: Path, stem: str, result: FitResult, kk: KKResult, summary: dict) -> None:
    import matplotlib

    from assb_model.ecm.io import write_spectrum_csv

    matplotlib.use("Agg")  # files only
    import matplotlib.pyplot as plt

    from assb_model.ecm.plotting import plot_bode, plot_fit, plot_nyquist

    out.mkdir(parents=True, exist_ok=True)
    f, Z = result.frequencies, result.Z
    for name, fig in (
        ("nyquist", plot_nyquist(f, Z, result.Z_fit, title=stem)),
        ("bode", plot_bode(f, Z, result.Z_fit, title=stem)),
        ("fit", plot_fit(result)),
        ("kk", kk.plot()),
    ):
        fig.savefig(out / f"{stem}_{name}.png", dpi=150)
        plt.close(fig)
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


def _kk_line(kk: KKResult) -> str:
    verdict = "pass" if kk.passed else "FAIL"
    return (
        f"Kramers-Kronig (Lin-KK, M={kk.M}: {kk.rule}): max residual "
        f"{100 * kk.max_residual:.2f} %, rms {100 * kk.rms_residual:.2f} % -> {verdict} "
        f"(threshold {100 * kk.threshold:.0f} %)"
    )


def _one_sweep(args, spectrum: Spectrum) -> tuple[dict, list[str]]:
    """Fit one sweep; returns the JSON summary and the text lines."""
    from assb_model.ecm.io import format_eng
    from assb_model.ecm.validation import lin_kk

    f, Z = spectrum
    result, aics = _fit(args, f, Z)
    kk = lin_kk(f, Z, M=args.kk_M, c=args.kk_mu)
    result.check_against_kk(kk)
    if not kk.passed:
        result.warnings.append(
            f"the spectrum fails the Kramers-Kronig test (max residual "
            f"{100 * kk.max_residual:.2g} %): drift, non-linearity or an artefact; fit "
            "parameters describe a spectrum that no stable linear system produces"
        )
    summary = _summary(result, kk, aics, spectrum)
    lines = []
    if spectrum.n_sweeps > 1:
        lines.append(
            f"sweep {spectrum.sweep} of {spectrum.n_sweeps}: {len(spectrum)} points, "
            f"{format_eng(f.min(), 'Hz')} - {format_eng(f.max(), 'Hz')}"
        )
    if aics:
        choice = ", ".join(f"{k}: {v:.1f}" for k, v in aics.items())
        lines.append(f"circuit chosen by AIC among {len(aics)} candidates ({choice})")
    lines.append(result.table())
    lines.append(_kk_line(kk))
    if args.out is not None:
        stem = Path(args.file).stem + (f"_sweep{spectrum.sweep}" if spectrum.n_sweeps > 1 else "")
        _write_outputs(args.out, stem, result, kk, summary)
    return summary, lines


def run_fit_eis(args: argparse.Namespace) -> int:
    """Run ``fit-eis`` with parsed arguments; returns the process exit code."""
    from assb_model.ecm.circuits import CircuitParseError
    from assb_model.ecm.io import SpectrumFileError, read_spectra

    try:
        _starts(args.starts)
        if args.kk_M is not None and args.kk_M < 1:
            raise _OptionError(f"--M must be a positive integer, not {args.kk_M}")
        if not 0 < args.kk_mu <= 1:
            raise _OptionError(f"--mu must be in (0, 1], not {args.kk_mu}")
        spectra = read_spectra(args.file)
        if args.sweep is not None:
            if not 1 <= args.sweep <= len(spectra):
                n = len(spectra)
                raise _OptionError(
                    f"{args.file} has {n} sweep{'s' if n > 1 else ''}; --sweep {args.sweep} "
                    "does not exist"
                )
            spectra = [spectra[args.sweep - 1]]
        if str(args.circuit).strip().lower() != "auto":
            _circuit(args.circuit, args.inductance)  # a bad circuit string fails here
    except (SpectrumFileError, CircuitParseError, _OptionError, ValueError) as err:
        print(f"assb fit-eis: error: {err}", file=sys.stderr)
        return 2
    summaries, texts, failures = [], [], []
    for spectrum in spectra:
        try:
            summary, lines = _one_sweep(args, spectrum)
        except ValueError as err:  # too few points for the circuit, and the like
            failures.append(f"sweep {spectrum.sweep}: {err}")
            continue
        except OSError as err:
            print(f"assb fit-eis: error: cannot write to {args.out}: {err}", file=sys.stderr)
            return 2
        summaries.append(summary)
        texts.append(lines)
    usable = [s for s in summaries if s.get("gof") is not None]
    if not summaries:
        message = "; ".join(failures) if len(spectra) > 1 else failures[0].split(": ", 1)[1]
        print(f"assb fit-eis: error: {message}", file=sys.stderr)
        return 2
    if args.json:
        if len(spectra) == 1:
            print(json.dumps(summaries[0]))
        else:
            payload = {
                "file": str(args.file),
                "n_sweeps": spectra[0].n_sweeps,
                "sweeps": summaries,
                "failed": failures,
            }
            print(json.dumps(payload))
    else:
        print(f"file: {args.file}")
        for note in dict.fromkeys(n for s in spectra for n in s.notes):
            print(f"note: {note}")
        print("\n\n".join("\n".join(lines) for lines in texts))
        for failure in failures:
            print(f"warning: could not fit {failure}")
        if args.out is not None:
            print(f"wrote plots, CSV and JSON to {args.out}")
    if not usable:
        print("assb fit-eis: error: no sweep gave a usable fit (GOF not finite)", file=sys.stderr)
        return 1
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
