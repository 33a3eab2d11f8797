"""Parameter-set files written by a fit, and loading them back.

The file has the layout of ``parameter_sets/<name>.json`` — a ``"values"`` dict of
``{value, unit, kind, source}`` per parameter — plus the name of the base set and the
fit's statistics. Fitted values have kind ``"calibrated"`` and the source
``"fitted to FILE by assb fit (...)"``; values the fit was run with as overrides keep kind
``"assumed"``. Every other value comes from the base set.

The file works wherever a set name does (``--parameter-set PATH``): its values are applied
to the base set as what-ifs (:func:`assb_model.build_parameter_table`), as during the fit:
what is derived from a fitted value is re-derived, the constants inferred from the base
set's own measurements (e.g. the cathode exchange-current density) are kept.
"""

from __future__ import annotations

import datetime as _dt
import math
from pathlib import Path
from typing import TYPE_CHECKING

import pybamm

from assb_model.errors import ParameterError
from assb_model.fit.fit_parameters import unit_of
from assb_model.parameters.files import read_parameter_file, write_parameter_file
from assb_model.parameters.sets import list_parameter_sets, load_parameter_set

if TYPE_CHECKING:
    from assb_model.fit.fit import FitResult


def fitted_parameter_set_dict(
    result: FitResult,
    name: str | None = None,
    provenance: dict | None = None,
    base: str | None = None,
) -> dict:
    """The JSON content for :func:`write_fitted_parameter_set`.

    Parameters
    ----------
    result : FitResult
    name : str, optional
        Set name (default ``<base>_fitted``).
    provenance : dict, optional
        Entries (``value``/``unit``/``kind``/``source``) to keep for values the fit started
        from, e.g. those of an earlier fitted set; other values that differ from the base
        set (overrides, or parameter values passed instead of a set name) are written with
        kind ``"assumed"``.
    base : str, optional
        Name of the base parameter set; needed when the fit was given parameter values
        rather than a set name.

    Raises
    ------
    ParameterError
        If no base set name is known.
    """
    base = base or result.parameter_set
    if base not in list_parameter_sets():
        raise ParameterError(
            f"the fit's base '{base}' is not a parameter-set name; pass base=<set name> "
            f"(one of {', '.join(list_parameter_sets())})"
        )
    files = ", ".join(Path(s).name for s in result.sources)
    verdict = "converged" if result.converged else "NOT CONVERGED"
    provenance = provenance or {}
    values = {}
    for key, value in _differences(result, base).items():
        kept = provenance.get(key)
        if kept is not None and kept.get("value") == value:
            values[key] = dict(kept)
            continue
        values[key] = {
            "value": _number(value),
            "unit": unit_of(key),
            "kind": "assumed",
            "source": f"value the fit to {files} was run with (differs from {base})",
        }
    for p in result.parameters:
        lo, hi = result.confidence_intervals[p.name]
        values[p.name] = {
            "value": result.values[p.name],
            "unit": p.unit,
            "kind": "calibrated",
            "source": (
                f"fitted to {files} by assb fit ({verdict}; cycles "
                f"{_cycles(result)}; ± {result.standard_errors[p.name]:.3g} s.e., 95 % "
                f"interval [{lo:.4g}, {hi:.4g}]; start {p.initial:.4g}, bounds "
                f"[{p.lower:.4g}, {p.upper:.4g}]{', log-scaled' if p.log else ''}; voltage "
                f"RMSE {result.rmse_mV:.2f} mV)"
            ),
        }
    return {
        "name": name or f"{base}_fitted",
        "description": f"{base} with {len(result.parameters)} parameter(s) fitted to {files}",
        "base_parameter_set": base,
        "fitted_to": list(result.sources),
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "options": result.options,
        "fit": {
            "converged": result.converged,
            "message": result.message,
            "rmse_mV": result.rmse_mV,
            "initial_rmse_mV": result.initial_rmse_mV,
            "residual_std_mV": result.residual_std_mV,
            "correlation": {
                "names": list(result.correlation.index),
                "matrix": result.correlation.round(6).to_numpy().tolist(),
            },
            "non_identifiable": [list(t) for t in result.non_identifiable],
            "at_bounds": result.at_bounds,
            "notes": result.notes,
        },
        "values": values,
    }


def _differences(result: FitResult, base: str) -> dict[str, float]:
    """Scalar values the fit ran with that differ from the base set's (overrides first)."""
    out = dict(result.parameter_overrides)
    if result.base_values:
        reference = load_parameter_set(base)
        for key, value in result.base_values.items():
            if key in out or key not in reference.keys():
                continue
            ref = reference[key]
            if not isinstance(ref, int | float) or not math.isclose(value, ref, rel_tol=1e-12):
                out[key] = value
    return out


def _cycles(result: FitResult) -> str:
    cycles = sorted({int(c) for cmp in result.comparisons for c in cmp.cycles["cycle"]})
    return ",".join(str(c) for c in cycles) or "-"


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def write_fitted_parameter_set(
    result: FitResult,
    path: str | Path,
    name: str | None = None,
    provenance: dict | None = None,
    base: str | None = None,
):
    """Write a fit's values as a parameter-set file (:mod:`assb_model.parameters.files`).

    Parameters
    ----------
    result : FitResult
    path : str or pathlib.Path
        Output file (parent folders are created).
    name : str, optional
        Set name (default ``<base>_fitted``).
    provenance, base
        See :func:`fitted_parameter_set_dict`.

    Returns
    -------
    pathlib.Path
    """
    return write_parameter_file(path, fitted_parameter_set_dict(result, name, provenance, base))


def read_fitted_parameter_file(path: str | Path) -> dict:
    """The content of a parameter-set file
    (:func:`assb_model.parameters.files.read_parameter_file`)."""
    return read_parameter_file(path)


def load_fitted_parameter_set(path: str | Path) -> pybamm.ParameterValues:
    """Parameter values of a parameter-set file: its base set with the file's values applied
    as what-ifs (:func:`assb_model.load_parameter_set` with the path).

    Raises
    ------
    ParameterError
        If the file is not such a file, names no base set, holds a parameter the base set
        does not have, or a value is unphysical.
    """
    return load_parameter_set(path)
