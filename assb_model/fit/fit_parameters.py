"""Parameters that can be fitted to measured cycling data: names, scaling and bounds.

A fitted parameter is named by a registry alias (``sigma_se``), one of the fit's
descriptive names (``"SE conductivity"``; :data:`SHORT_NAMES`, any case) or a PyBaMM name
(:mod:`assb_model.parameters.registry`). Bounds and start values are in the unit of the
name they are given with (the alias's unit; SI for PyBaMM names); fitted values are
reported in SI under the PyBaMM name.

A fit works in a *fitted space* ``z``: ``z = log10(p)`` for parameters the registry marks
as spanning decades (conductivities, exchange currents, diffusivities) and ``z = p`` otherwise.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pybamm

from assb_model.errors import UserError
from assb_model.parameters import registry


class FitSetupError(UserError, ValueError):
    """A fit is mis-specified (unknown parameter, bad bounds, nothing to fit...)."""


@dataclass(frozen=True)
class ParameterSpec:
    """How one short name maps onto the model.

    Parameters
    ----------
    name : str
        PyBaMM parameter name.
    log : bool
        Fit ``log10`` of the value.
    bounds : tuple of float, optional
        Default physical bounds; ``None``: a factor :data:`DEFAULT_LOG_SPAN` either side of
        the parameter set's value.
    """

    name: str
    log: bool
    bounds: tuple[float, float] | None = None
    inferred: bool = False


#: Default search ranges (SI) of parameters whose physical bounds include values the
#: model cannot run at (no contact at all).
FIT_RANGES = {
    "contact_fraction": (0.01, 1.0),
    "contact_number": (0.1, 30.0),
    "coated_sphere_fraction": (0.0, 1.0),
}

#: The fit's descriptive names (lower case) and what they mean; built from the registry's
#: synonyms.
SHORT_NAMES: dict[str, ParameterSpec] = {
    synonym.lower(): ParameterSpec(q.name, q.log, FIT_RANGES.get(q.alias))
    for q in registry.QUANTITIES
    for synonym in q.synonyms
}

#: Default bounds of a log-scaled parameter: its set value divided / multiplied by this.
DEFAULT_LOG_SPAN = 100.0


@dataclass(frozen=True)
class FitParameter:
    """One fitted parameter.

    Parameters
    ----------
    name : str
        PyBaMM parameter name.
    label : str
        What the user asked for (a short name or the PyBaMM name).
    log : bool
        Fitted as ``log10(value)``.
    lower, upper : float
        Physical bounds.
    initial : float
        Physical start value (inside the bounds).
    """

    name: str
    label: str
    log: bool
    lower: float
    upper: float
    initial: float

    @property
    def unit(self) -> str:
        """The unit in the name's brackets, ``"-"`` if there is none."""
        return unit_of(self.name)

    def to_fitted(self, value: float) -> float:
        """Physical value → fitted space."""
        return math.log10(value) if self.log else float(value)

    def to_physical(self, z: float) -> float:
        """Fitted space → physical value."""
        return float(10.0**z) if self.log else float(z)

    @property
    def fitted_bounds(self) -> tuple[float, float]:
        """Bounds in fitted space."""
        return self.to_fitted(self.lower), self.to_fitted(self.upper)


def scalar_values(parameter_values: pybamm.ParameterValues) -> dict[str, float]:
    """The numeric (not function) entries of a parameter set, as plain floats."""
    return {
        k: float(v)
        for k, v in parameter_values.items()
        if isinstance(v, numbers.Number) and not isinstance(v, bool)
    }


def unit_of(name: str) -> str:
    """Unit of a PyBaMM-style name, ``"Description [unit]"`` → ``"unit"`` (``"-"`` if none)."""
    match = re.search(r"\[([^\]]+)\]\s*$", name)
    return match.group(1) if match else "-"


def resolve_name(label: str, parameter_values: pybamm.ParameterValues) -> ParameterSpec:
    """The :class:`ParameterSpec` of an alias, descriptive name or PyBaMM parameter name.

    A PyBaMM name that the registry does not list is fitted in log space when its value is
    positive and the lower bound (default: value / :data:`DEFAULT_LOG_SPAN`) is too, and
    linearly otherwise (``inferred=True`` in the returned spec).

    Raises
    ------
    FitSetupError
        If the name is neither an alias nor a parameter of the set, or the parameter is
        a function (only scalar parameters can be fitted).
    """
    q = registry.lookup(label)
    if q is not None and not q.is_protocol:
        spec = ParameterSpec(q.name, q.log, FIT_RANGES.get(q.alias))
    else:
        spec = ParameterSpec(label, log=True, inferred=True)
    if spec.name not in parameter_values.keys():
        names = ", ".join(sorted(SHORT_NAMES))
        raise FitSetupError(
            f"cannot fit '{label}': not a short name ({names}), an alias nor a parameter of the set"
        )
    value = parameter_values[spec.name]
    if not isinstance(value, int | float) or isinstance(value, bool):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise FitSetupError(
                f"cannot fit '{label}': '{spec.name}' is a function, not a number"
            ) from None
    return spec


def _to_si(label: str, name: str) -> float:
    """Factor from the unit of values given under ``label`` to SI."""
    if label == name:
        return 1.0
    q = registry.lookup(label)
    return q.to_si if q is not None else 1.0


def build_fit_parameters(
    labels: Sequence[str],
    parameter_values: pybamm.ParameterValues,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    initial: Mapping[str, float] | None = None,
) -> list[FitParameter]:
    """Turn what the user asked to fit into :class:`FitParameter` objects.

    Parameters
    ----------
    labels : sequence of str
        Short names (:data:`SHORT_NAMES`) or PyBaMM parameter names.
    parameter_values : pybamm.ParameterValues
        The base set (start values and default bounds come from it).
    bounds : mapping, optional
        Label or PyBaMM name → ``(lower, upper)`` in physical units.
    initial : mapping, optional
        Label or PyBaMM name → start value (default: the set's value, clipped to the bounds).

    Raises
    ------
    FitSetupError
        For an empty list, a parameter named twice, unknown names in ``bounds``/``initial``,
        bounds that are not ordered or (log-scaled) not positive, or a start outside them.
    """
    if not labels:
        raise FitSetupError("nothing to fit: name at least one parameter")
    bounds, initial = dict(bounds or {}), dict(initial or {})
    specs = [resolve_name(label, parameter_values) for label in labels]
    names = [s.name for s in specs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise FitSetupError(f"parameter(s) named twice: {dupes}")
    out = []
    for label, spec in zip(labels, specs, strict=True):
        value = float(parameter_values[spec.name])
        lo_hi, given_as = _pop_for(bounds, label, spec.name)
        if lo_hi is not None:
            factor = _to_si(given_as, spec.name)
            lo_hi = (float(lo_hi[0]) * factor, float(lo_hi[1]) * factor)
        log = spec.log
        if spec.inferred:
            log = value > 0 and (lo_hi is None or lo_hi[0] > 0)
        if lo_hi is None:
            lo_hi = spec.bounds or _default_bounds(spec.name, value)
        lower, upper = (float(b) for b in lo_hi)
        if not lower < upper:
            raise FitSetupError(f"'{label}': lower bound {lower:g} is not below upper {upper:g}")
        if log and lower <= 0:
            raise FitSetupError(f"'{label}' is fitted in log space; its bounds must be > 0")
        start, given_as = _pop_for(initial, label, spec.name)
        if start is not None:
            start = float(start) * _to_si(given_as, spec.name)
        if start is None:
            start = min(max(value, lower), upper)
        elif not lower <= float(start) <= upper:
            raise FitSetupError(f"'{label}': start {start:g} is outside [{lower:g}, {upper:g}]")
        out.append(FitParameter(spec.name, label, log, lower, upper, float(start)))
    for leftover, what in ((bounds, "bounds"), (initial, "initial")):
        if leftover:
            raise FitSetupError(f"{what} given for parameters not fitted: {sorted(leftover)}")
    return out


def _pop_for(mapping: dict, label: str, name: str):
    """The value given under ``label`` or ``name`` (popped), and the key it was given as."""
    for key in (label, name):
        if key in mapping:
            return mapping.pop(key), key
    return None, None


def _default_bounds(name: str, value: float) -> tuple[float, float]:
    if value <= 0:
        raise FitSetupError(f"'{name}' is {value:g}; give its bounds explicitly")
    return value / DEFAULT_LOG_SPAN, value * DEFAULT_LOG_SPAN
