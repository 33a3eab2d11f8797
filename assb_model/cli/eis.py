"""The ``assb eis`` subcommand: the model's impedance spectrum at the paper's state.

::

    assb eis NAME|--parameter-set NAME|PATH [--set ALIAS=VALUE] [--option NAME=VALUE]
             [--soc S] [--after-cycles N] [--rest SECONDS] [--fmin HZ] [--fmax HZ]
             [--points-per-decade K] [--fit] [--out DIR] [--json]

A thin layer over :func:`assb_model.model_eis.spectrum.model_impedance`. Prints the
state (cathode SOC, potential, interphase thickness), the model's own resistances and,
with ``--fit``, the paper's Figure 7e circuit fitted to the spectrum. ``--out DIR`` writes
``impedance.csv`` (``frequency_Hz,Z_real_ohm,Z_imag_ohm``, ``Z_imag`` negative for
capacitive behaviour), ``nyquist.png``, ``bode.png`` and, with ``--fit``, ``fit.png``.
``--json`` prints one JSON object (state, resistances, spectrum, fit) instead of text.

The main ``assb`` command registers it with :func:`add_eis_parser`;
``python -m assb_model.cli.eis NAME ...`` runs it alone. Exit codes: 0 on success,
2 for a user error (unknown set, SOC outside [0, 1], bad option), 1 if the solver fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from assb_model.cli import args as cli_args
from assb_model.errors import ParameterError

__all__ = ["add_eis_parser", "main", "run_eis_cli"]


def add_eis_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``eis`` subcommand to an ``argparse`` subparsers object.

    Returns
    -------
    argparse.ArgumentParser
        The subcommand parser (its ``func`` default is :func:`run_eis_cli`).
    """
    p = subparsers.add_parser(
        "eis",
        help="simulate the impedance spectrum of a parameter set",
        description=(
            "Impedance spectrum of the model (small-signal linearisation, 1 MHz-1 mHz) after "
            "the N-th charge of the paper's protocol (default: the 2nd, like Tables 2 and 3) "
            "or at a cathode state of charge; see docs/model_impedance.md."
        ),
    )
    cli_args.add_model_arguments(p)
    p.add_argument(
        "--soc",
        type=float,
        default=None,
        help="cathode state of charge in [0, 1] on the model's scale (0: pristine x = 0.999, "
        "1: equilibrium at 3.8 V vs Li-In); default: as left by the charge",
    )
    p.add_argument(
        "--after-cycles",
        type=int,
        default=2,
        help="take the spectrum after the charge of this cycle (default 2; 0 = pristine cell)",
    )
    p.add_argument("--rest", type=float, default=600.0, help="rest after the charge, s (600)")
    p.add_argument("--fmin", type=float, default=1e-3, help="lowest frequency, Hz (1e-3)")
    p.add_argument("--fmax", type=float, default=1e6, help="highest frequency, Hz (1e6)")
    p.add_argument("--points-per-decade", type=int, default=10, help="default 10")
    p.add_argument("--fit", action="store_true", help="fit the paper's Figure 7e circuit")
    p.add_argument("--out", type=Path, default=None, help="write impedance.csv and PNGs here")
    p.add_argument("--json", action="store_true", help="print only a JSON object")
    p.set_defaults(func=run_eis_cli)
    return p


def _frequencies(args: argparse.Namespace) -> np.ndarray:
    if not 0 < args.fmin < args.fmax or args.points_per_decade < 1:
        raise ParameterError("need 0 < --fmin < --fmax and --points-per-decade >= 1")
    decades = np.log10(args.fmax / args.fmin)
    n = round(decades * args.points_per_decade) + 1
    return np.logspace(np.log10(args.fmax), np.log10(args.fmin), max(n, 2))


def _write(out: Path, result: Any, fit: Any, title: str) -> list[Path]:
    from assb_model.ecm.plotting import plot_bode, plot_fit, plot_nyquist

    out.mkdir(parents=True, exist_ok=True)
    files = [result.to_csv(out / "impedance.csv")]
    f, Z = result
    figures = {"nyquist.png": plot_nyquist(f, Z, label="model", title=title)}
    figures["bode.png"] = plot_bode(f, Z, label="model", title=title)
    if fit is not None:
        figures["fit.png"] = plot_fit(fit, title=f"{title}: paper Fig. 7e circuit")
    for name, fig in figures.items():
        fig.savefig(out / name, dpi=150, bbox_inches="tight")
        files.append(out / name)
    return files


def _text(result: Any, fit: Any) -> str:
    s, r = result.state, result.resistances
    lines = [
        f"{result.label}: after charge {s['after_cycles']} + {s['rest_s']:g} s rest, "
        f"SOC {s['soc']:.3f} (x = {s['stoichiometry']:.4f}), "
        f"{s['cathode_potential_vs_Li_V']:.3f} V vs Li, interphase "
        f"{s['interphase_thickness_nm']:.2f} nm",
        "model resistances (Ohm): "
        + ", ".join(f"{k.removesuffix('_ohm')} {v:.1f}" for k, v in r.items()),
        f"|Z| {np.abs(result.impedance).min():.1f}-{np.abs(result.impedance).max():.1f} Ohm over "
        f"{result.frequency.min():.3g}-{result.frequency.max():.3g} Hz",
    ]
    if fit is not None:
        lines.append(fit.table())
    return "\n".join(lines)


def run_eis_cli(args: argparse.Namespace) -> int:
    """Run ``assb eis`` with parsed arguments; returns the exit code."""
    from assb_model.model_eis.spectrum import model_impedance

    scenario, protocol = cli_args.scenario(args)
    if protocol:
        raise ParameterError(
            f"{sorted(protocol)}: protocol settings do not apply to 'assb eis' (it runs the "
            "Figure 6 schedule to the chosen charge)"
        )
    result = model_impedance(
        scenario,
        _frequencies(args),
        soc=args.soc,
        after_cycles=args.after_cycles,
        rest_s=args.rest,
    )
    fit = result.fit() if args.fit else None
    files = []
    if args.out is not None:
        title = f"{scenario.label}, charge {args.after_cycles}"
        files = _write(args.out, result, fit, title)
    if args.json:
        f, Z = result
        payload = {
            "parameter_set": result.label,
            "overrides": scenario.overrides,
            "state": result.state,
            "resistances_ohm": result.resistances,
            "spectrum": {
                "frequency_Hz": f.tolist(),
                "Z_real_ohm": Z.real.tolist(),
                "Z_imag_ohm": Z.imag.tolist(),
            },
            "fit": None if fit is None else fit.summary(),
            "files": [str(p) for p in files],
        }
        print(json.dumps(payload, indent=1))
    else:
        print(_text(result, fit))
        if files:
            print("wrote " + ", ".join(str(p) for p in files))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m assb_model.cli.eis``."""
    parser = argparse.ArgumentParser(prog="assb")
    add_eis_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["eis", *(sys.argv[1:] if argv is None else argv)])
    return cli_args.guarded(args.func, args, "eis")


if __name__ == "__main__":
    sys.exit(main())
