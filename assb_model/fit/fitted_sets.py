"""Parameter-set files written by a fit, and loading them back.

The file has the layout of ``parameter_sets/<name>.json`` — a ``"values"`` dict of
``{value, unit, kind, source}`` per parameter — plus the name of the base set and the
fit's statistics. Fitted values have kind ``"calibrated"`` and the source
``"fitted to FILE by assb fit (...)"``; values the fit was run with as overrides keep kind
``"assumed"``. Every other value comes from the base set.

Note that values the base set *derives* from a fitted one are not re-derived: fitting the
contact fraction, for instance, leaves the cathode exchange-current density as the set
derived it from the original contact fraction.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import pybamm

from assb_model.fit.fit_parameters import unit_of
from assb_model.parameters.sets import list_parameter_sets, load_parameter_set
from assb_model.parameters.validation import ParameterError, validate_parameter_values

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
    """Write a fit's values as a parameter-set JSON file.

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
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    content = fitted_parameter_set_dict(result, name, provenance, base)
    path.write_text(json.dumps(content, indent=1, ensure_ascii=False, allow_nan=False) + "\n")
    return path


def read_fitted_parameter_file(path: str | Path) -> dict:
    """The content of a fitted parameter-set file, checked for ``base_parameter_set`` and
    ``values``.

    Raises
    ------
    ParameterError
        If the file cannot be read or is not such a file.
    """
    path = Path(path)
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ParameterError(f"{path}: cannot read fitted parameter set: {exc}") from exc
    base = content.get("base_parameter_set") if isinstance(content, dict) else None
    if not base or not isinstance(content.get("values"), dict):
        raise ParameterError(
            f"{path}: not a fitted parameter set (needs 'base_parameter_set' and 'values')"
        )
    return content


def load_fitted_parameter_set(path: str | Path) -> pybamm.ParameterValues:
    """Parameter values of a file written by :func:`write_fitted_parameter_set`.

    The base set named in the file is loaded and the file's ``"values"`` applied.

    Raises
    ------
    ParameterError
        If the file is not such a file, names no base set, holds a parameter the base set
        does not have, or a value is unphysical.
    """
    content = read_fitted_parameter_file(path)
    base = content["base_parameter_set"]
    pv = load_parameter_set(base)
    unknown = [k for k in content["values"] if k not in pv.keys()]
    if unknown:
        raise ParameterError(f"{path}: parameter(s) not in {base}: {unknown}")
    pv.update({k: e["value"] for k, e in content["values"].items()})
    validate_parameter_values(pv, str(path))
    return pv
