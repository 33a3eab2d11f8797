"""What a sweep can vary: the quantities of the parameter registry.

A swept quantity is named by an alias of :mod:`assb_model.parameters.registry` (values in
the alias's unit, e.g. ``sigma_se`` in S/cm) or by a PyBaMM parameter name (SI values).
How a quantity is varied decides what a sweep costs:

- **input**: the model is built and discretised once and the value is a PyBaMM input
  parameter, so each point only solves (~0.04 s);
- **rebuild**: the value changes the mesh (thicknesses, particle radius), the experiment
  (cut-off voltages, number of cycles), a quantity PyBaMM does not allow as an input in an
  experiment (temperatures), or one from which other parameters are derived (composite
  mass): the points with the same value share one build (~0.5–1 s).

This module is the registry seen from a sweep (aliases with their target, unit and factor);
the registry itself is the one list.
"""

from dataclasses import dataclass

from assb_model.errors import UnknownParameterError
from assb_model.parameters import registry
from assb_model.parameters.registry import (
    FORBIDDEN_PARAMETERS,
    PROTOCOL_KEYS,
    PROTOCOL_REBUILD,
    PYBAMM_REBUILD,
)

#: Parameters PyBaMM cannot take as inputs (:data:`registry.PYBAMM_REBUILD`); every
#: registry quantity of mode "rebuild" is rebuilt for as well.
REBUILD_PARAMETERS = PYBAMM_REBUILD


@dataclass(frozen=True)
class Alias:
    """A registry alias as a sweep sees it.

    Attributes
    ----------
    target : str
        The PyBaMM parameter name, or a protocol key (:data:`PROTOCOL_KEYS`).
    unit : str
        Unit of the values given with the alias.
    to_si : float
        Factor from the alias unit to the target's unit (SI for PyBaMM names).
    description : str
    """

    target: str
    unit: str
    to_si: float
    description: str


#: The aliases (``docs/parameters.md``, "Registry").
ALIASES: dict[str, Alias] = {
    q.alias: Alias(q.name, q.unit, q.to_si, q.description) for q in registry.QUANTITIES
}


@dataclass(frozen=True)
class ResolvedName:
    """A swept name resolved to what the model sees.

    Attributes
    ----------
    name : str
        As the user gave it (alias or PyBaMM name); also the results-table column.
    target : str
        PyBaMM parameter name or protocol key.
    unit : str
        Unit of the user's values.
    to_si : float
        Multiply the user's value by this to get the target's value.
    is_protocol : bool
    needs_rebuild : bool
        True if each value needs its own model build.
    """

    name: str
    target: str
    unit: str
    to_si: float
    is_protocol: bool
    needs_rebuild: bool


def resolve_name(name: str, parameter_names) -> ResolvedName:
    """Resolve an alias or PyBaMM parameter name (:func:`registry.resolve`).

    Raises
    ------
    UnknownParameterError
        (a :class:`KeyError`) The name is neither an alias nor a parameter of the set; the
        message suggests close matches.
    ParameterError
        (a :class:`ValueError`) The parameter can not be swept (e.g. the protocol current).
    """
    try:
        r = registry.resolve(name, parameter_names)
    except UnknownParameterError as exc:
        raise UnknownParameterError(
            str(exc).replace("unknown parameter", "unknown sweep parameter", 1)
        ) from None
    return ResolvedName(name, r.name, r.unit, r.to_si, r.is_protocol, r.needs_rebuild)


__all__ = [
    "ALIASES",
    "FORBIDDEN_PARAMETERS",
    "PROTOCOL_KEYS",
    "PROTOCOL_REBUILD",
    "REBUILD_PARAMETERS",
    "Alias",
    "ResolvedName",
    "resolve_name",
]
