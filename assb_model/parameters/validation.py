"""Checks that parameter values are physical, with one clear message per problem.

The bounds are the registry's (:mod:`assb_model.parameters.registry`, converted to SI) and,
for parameters the registry does not list, the tuples below.
"""

import numbers
from functools import cache

import pybamm

from assb_model.errors import ParameterError
from assb_model.parameters import registry

#: Parameters that must be strictly positive (conductivities, lengths, capacitances...).
POSITIVE = (
    "Electrolyte conductivity [S.m-1]",
    "Separator SE conductivity [S.m-1]",
    "Coating ionic conductivity [S.m-1]",
    "Interphase ionic conductivity [S.m-1]",
    "Positive electrode conductivity [S.m-1]",
    "Positive electrode thickness [m]",
    "Separator thickness [m]",
    "Positive particle radius [m]",
    "Positive particle diffusivity [m2.s-1]",
    "Maximum concentration in positive electrode [mol.m-3]",
    "SE bulk capacitance [F]",
    "SE grain-boundary capacitance [F]",
    "Positive electrode double-layer capacity [F.m-2]",
    "Electrode width [m]",
    "Electrode height [m]",
    "SE percolation exponent",
    "SE percolation strength exponent",
    "SE network damage contact-loss scale",
    "Film electron-blocking length [m]",
    "Interphase molar volume [m3.mol-1]",
)
#: Parameters that must be zero or positive.
NON_NEGATIVE = (
    "Coating thickness [m]",
    "Initial interphase thickness [m]",
    "SE bulk resistance [Ohm]",
    "SE grain-boundary resistance [Ohm]",
    "SE oxidation rate constant [A.m-2]",
    "Contact loss coefficient",
    "Carbon-SE contact area per volume [m-1]",
    "NMC-SE contact number",
    "SE transport efficiency floor",
    "Separator degradation exponent",
    "Li-In interface contact gain [m2.A-1.h-1]",
    "Interface contact degradation exponent",
)
#: Parameters that are fractions in [0, 1].
FRACTIONS = (
    "Positive electrode porosity",
    "Positive electrode active material volume fraction",
    "Separator porosity",
    "SE percolation threshold",
    "Initial positive electrode interface utilisation",
    "SE network damage saturation",
    "SE coated-sphere fraction",
)


@cache
def parameter_bounds() -> dict[str, tuple[float | None, float | None, bool]]:
    """PyBaMM name → (minimum, maximum, exclusive minimum) in SI, for every bounded
    parameter (registry quantities first, then the tuples of this module)."""
    out = {}
    for name in POSITIVE:
        out[name] = (0.0, None, True)
    for name in NON_NEGATIVE:
        out[name] = (0.0, None, False)
    for name in FRACTIONS:
        out[name] = (0.0, 1.0, False)
    for q in registry.QUANTITIES:
        if q.is_protocol or (q.minimum is None and q.maximum is None):
            continue
        lo = None if q.minimum is None else q.to_model(q.minimum)
        hi = None if q.maximum is None else q.to_model(q.maximum)
        out[q.name] = (lo, hi, q.exclusive_minimum)
    return out


def _number(pv, name):
    value = pv[name]
    if isinstance(value, pybamm.InputParameter):
        return None  # checked when the input is given
    if isinstance(value, numbers.Number):
        return float(value)
    if isinstance(value, pybamm.Scalar):
        return float(value.value)
    return None


def _bound_error(label: str, name: str, v: float, lo, hi, exclusive) -> str | None:
    problem = registry.bound_problem(f"'{name}'", v, lo, hi, exclusive)
    return f"{label}: {problem}" if problem else None


def validate_parameter_values(pv, label: str = "parameter set") -> None:
    """Raise :class:`ParameterError` for the first unphysical value found.

    Parameters
    ----------
    pv : pybamm.ParameterValues or dict
    label : str
        Name used in the message (e.g. the parameter-set name).
    """
    keys = set(pv.keys())
    for name, (lo, hi, exclusive) in parameter_bounds().items():
        if name in keys:
            v = _number(pv, name)
            if v is None:
                continue
            problem = _bound_error(label, name, v, lo, hi, exclusive)
            if problem:
                raise ParameterError(problem)
    names = (
        "Positive electrode porosity",
        "Positive electrode active material volume fraction",
    )
    if all(n in keys for n in names):
        vals = [_number(pv, n) for n in names]
        if None not in vals and sum(vals) > 1 + 1e-12:
            raise ParameterError(
                f"{label}: SE volume fraction ('Positive electrode porosity', {vals[0]:g}) + NMC "
                f"volume fraction ({vals[1]:g}) = {sum(vals):g} exceeds 1"
            )


def validate_protocol(
    pv: pybamm.ParameterValues,
    current_density: float,
    upper_cutoff: float,
    lower_cutoff: float,
    cycles: int,
) -> None:
    """Check a CC charge–discharge protocol against the parameter set's limits."""
    if not current_density > 0:
        raise ParameterError(f"current density must be positive, got {current_density:g} mA/cm2")
    if cycles < 1:
        raise ParameterError(f"number of cycles must be at least 1, got {cycles}")
    if not upper_cutoff > lower_cutoff:
        raise ParameterError(
            f"upper cut-off ({upper_cutoff:g} V) must be above the lower cut-off "
            f"({lower_cutoff:g} V vs Li-In)"
        )
    v_min = _number(pv, "Lower voltage cut-off [V]")
    v_max = _number(pv, "Upper voltage cut-off [V]")
    if v_min is not None and lower_cutoff <= v_min:
        raise ParameterError(
            f"lower cut-off {lower_cutoff:g} V vs Li-In is at or below the model's lower limit "
            f"'Lower voltage cut-off [V]' = {v_min:g} V"
        )
    if v_max is not None and upper_cutoff >= v_max:
        raise ParameterError(
            f"upper cut-off {upper_cutoff:g} V vs Li-In is at or above the model's upper limit "
            f"'Upper voltage cut-off [V]' = {v_max:g} V"
        )
