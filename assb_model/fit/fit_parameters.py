"""Parameters that can be fitted to measured cycling data: short names, scaling and bounds.

A fit works in a *fitted space* ``z``: ``z = log10(p)`` for parameters that span decades
(conductivities, exchange currents, diffusivities, the process contact factor) and
``z = p`` otherwise. Bounds are given, and reported, in physical units.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pybamm


class FitSetupError(ValueError):
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


#: Short names accepted by ``assb fit --fit`` (case-insensitive), and what they mean.
SHORT_NAMES: dict[str, ParameterSpec] = {
    "se conductivity": ParameterSpec("Electrolyte conductivity [S.m-1]", log=True),
    "contact factor": ParameterSpec("SE process contact factor", log=True),
    "process factor": ParameterSpec("SE process contact factor", log=True),
    "contact fraction": ParameterSpec(
        "Initial positive electrode interface utilisation", log=False, bounds=(0.01, 1.0)
    ),
    "contact number": ParameterSpec("NMC-SE contact number", log=False, bounds=(0.1, 30.0)),
    "interphase conductivity": ParameterSpec("Interphase ionic conductivity [S.m-1]", log=True),
    "cathode exchange current": ParameterSpec(
        "Positive electrode reference exchange-current density [A.m-2]", log=True
    ),
    "diffusivity": ParameterSpec("Positive particle diffusivity [m2.s-1]", log=True),
    "contact loss": ParameterSpec("Contact loss coefficient", log=True),
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
    """The :class:`ParameterSpec` of a short name or a full PyBaMM parameter name.

    A full name that is not in :data:`SHORT_NAMES` is fitted in log space when its value is
    positive and the lower bound (default: value / :data:`DEFAULT_LOG_SPAN`) is too, and
    linearly otherwise (``inferred=True`` in the returned spec).

    Raises
    ------
    FitSetupError
        If the name is neither a short name nor a parameter of the set, or the parameter is
        a function (only scalar parameters can be fitted).
    """
    key = " ".join(label.lower().replace("_", " ").split())
    if key in SHORT_NAMES:
        spec = SHORT_NAMES[key]
    else:
        by_name = {s.name: s for s in SHORT_NAMES.values()}
        spec = by_name.get(label, ParameterSpec(label, log=True, inferred=True))
    if spec.name not in parameter_values.keys():
        raise FitSetupError(
            f"cannot fit '{label}': not a short name ({', '.join(sorted(SHORT_NAMES))}) "
            "nor a parameter of the set"
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
        lo_hi = _pop_for(bounds, label, spec.name)
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
        start = _pop_for(initial, label, spec.name)
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
    for key in (label, name):
        if key in mapping:
            return mapping.pop(key)
    return None


def _default_bounds(name: str, value: float) -> tuple[float, float]:
    if value <= 0:
        raise FitSetupError(f"'{name}' is {value:g}; give its bounds explicitly")
    return value / DEFAULT_LOG_SPAN, value * DEFAULT_LOG_SPAN
