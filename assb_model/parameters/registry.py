"""The parameter registry: every quantity a user can set, with one meaning everywhere.

Each :class:`Quantity` names a PyBaMM parameter (SI units, as the model and the parameter
sets hold it) or a protocol setting, a short alias in the unit the paper and the lab use
(``sigma_se`` in S/cm, ``coating_thickness`` in nm), whether it spans decades (log scale
in sweeps, fits and sliders), its physical bounds, and how a change reaches the model:

- ``"input"``: the model is built once and the value is a PyBaMM input parameter (a
  re-solve, ~0.05 s). Only quantities on which no other parameter of the set depends can
  be inputs (``tests/unit/test_registry.py`` checks it against the derivations), so a
  value given as an input and the same value given as an override that re-derives the set
  give the same model;
- ``"rebuild"``: the value changes the mesh (thicknesses, particle radius) or other
  parameters derived from it (composite mass → thickness and NMC mass): the set is
  re-derived and the model rebuilt (~0.5–1 s);
- ``"protocol"``: a setting of the cycling protocol, not a parameter.

The sweep engine, the fit, the command line (``--set``), the validation of values and the
parameter table in ``docs/parameters.md`` all read this registry. Any PyBaMM parameter
name of a set is accepted too (SI values; its bounds, where the registry has none, are
checked by :mod:`assb_model.parameters.validation`).

This module imports nothing heavy (no PyBaMM), so the command line can list aliases
quickly.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field

from assb_model.errors import ParameterError, UnknownParameterError

#: How a change of a quantity reaches the model (module docstring).
MODES = ("input", "rebuild", "protocol")

#: What a quantity describes. "cell": the cell as built (a change re-derives what follows
#: from it, e.g. thickness from composite mass); "material", "interface", "degradation",
#: "microstructure": model constants of that mechanism; "protocol": the cycling protocol.
ROLES = ("cell", "microstructure", "material", "interface", "degradation", "protocol")


@dataclass(frozen=True)
class Quantity:
    """One settable quantity.

    Attributes
    ----------
    alias : str
        Short name (``sigma_se``), in :attr:`unit`.
    name : str
        PyBaMM parameter name (SI) or protocol key (:data:`PROTOCOL_KEYS`).
    unit : str
        Unit of values given with the alias.
    to_si : float
        Factor from :attr:`unit` to the unit of :attr:`name`.
    description : str
    minimum, maximum : float or None
        Physical bounds in :attr:`unit` (``None``: unbounded).
    exclusive_minimum : bool
        The minimum itself is not allowed (a conductivity must be > 0).
    log : bool
        Spans decades: log-scaled in sweeps, fits and sliders.
    mode : str
        One of :data:`MODES`.
    role : str
        One of :data:`ROLES`.
    integer : bool
        Only whole numbers (number of cycles).
    synonyms : tuple of str
        The fit's descriptive names (e.g. "SE conductivity"), accepted in any case and with
        spaces or underscores; aliases themselves are matched exactly.
    """

    alias: str
    name: str
    unit: str
    to_si: float
    description: str
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    log: bool = False
    mode: str = "input"
    role: str = "material"
    integer: bool = False
    synonyms: tuple[str, ...] = field(default=())

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"{self.alias}: mode must be one of {MODES}")
        if self.role not in ROLES:
            raise ValueError(f"{self.alias}: role must be one of {ROLES}")

    @property
    def is_protocol(self) -> bool:
        return self.mode == "protocol"

    @property
    def needs_rebuild(self) -> bool:
        """Each value needs its own model build (rebuild quantities and the protocol's
        cut-offs and number of cycles)."""
        return self.mode == "rebuild" or self.name in PROTOCOL_REBUILD

    @property
    def si_unit(self) -> str:
        """Unit of :attr:`name` (the bracket of a PyBaMM name; "-" if none)."""
        return unit_of(self.name) if not self.is_protocol else self.unit

    def to_model(self, value: float) -> float:
        """Value in :attr:`unit` → value of :attr:`name` (SI)."""
        return float(value) * self.to_si

    def from_model(self, value: float) -> float:
        """Value of :attr:`name` (SI) → value in :attr:`unit`."""
        return float(value) / self.to_si

    def check(self, value: float, label: str = "") -> None:
        """Raise :class:`ParameterError` if ``value`` (in :attr:`unit`) is outside the
        physical bounds; the message names the alias, the value and the bounds."""
        check_value(
            f"'{self.alias}' ({self.description}, {self.unit})",
            value,
            self.minimum,
            self.maximum,
            self.exclusive_minimum,
            label,
            self.integer,
        )

    def bounds_text(self) -> str:
        """The bounds as text, e.g. "(0, 1]"."""
        lo = "-inf" if self.minimum is None else f"{self.minimum:g}"
        hi = "inf" if self.maximum is None else f"{self.maximum:g}"
        return f"{'(' if self.exclusive_minimum or self.minimum is None else '['}{lo}, {hi}]"


#: Protocol settings (not PyBaMM parameters).
PROTOCOL_KEYS = ("current_density", "upper_cutoff", "lower_cutoff", "cycles")
#: Protocol settings fixed in the PyBaMM experiment: each value needs a build.
PROTOCOL_REBUILD = ("upper_cutoff", "lower_cutoff", "cycles")


def bound_problem(what: str, v: float, lo, hi, exclusive: bool) -> str | None:
    """The problem of value ``v`` of ``what`` with bounds ``lo``, ``hi`` (``None``: open),
    or ``None`` if there is none. One wording for every check of the package."""
    if lo == 0 and hi == 1 and not exclusive:
        return None if 0 <= v <= 1 else f"{what} must be in [0, 1], got {v:g}"
    if lo is not None and (v < lo or (exclusive and v == lo)):
        if lo == 0:
            return (
                f"{what} must be positive, got {v:g}"
                if exclusive
                else (f"{what} must not be negative, got {v:g}")
            )
        relation = "greater than" if exclusive else "at least"
        return f"{what} must be {relation} {lo:g}, got {v:g}"
    if hi is not None and v > hi:
        return f"{what} must be at most {hi:g}, got {v:g}"
    return None


def check_value(
    what: str, value, lo, hi, exclusive: bool, label: str = "", integer: bool = False
) -> float:
    """``value`` as a float, or :class:`ParameterError` naming ``what`` and the bounds."""
    where = f"{label}: " if label else ""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{where}{what} must be a number, got {value!r}") from None
    if not math.isfinite(v):
        raise ParameterError(f"{where}{what} must be finite, got {v:g}")
    if integer and v != int(v):
        raise ParameterError(f"{where}{what} must be a whole number, got {v:g}")
    problem = bound_problem(what, v, lo, hi, exclusive)
    if problem:
        raise ParameterError(where + problem)
    return v


def _q(alias, name, unit, to_si, description, **kw) -> Quantity:
    return Quantity(alias, name, unit, to_si, description, **kw)


#: The registry, in the order of ``docs/parameters.md``.
QUANTITIES: tuple[Quantity, ...] = (
    # --- protocol -------------------------------------------------------------------
    _q(
        "current_density",
        "current_density",
        "mA/cm2",
        1.0,
        "charge and discharge current density",
        minimum=0,
        maximum=100,
        exclusive_minimum=True,
        log=True,
        mode="protocol",
        role="protocol",
    ),
    _q(
        "upper_cutoff",
        "upper_cutoff",
        "V vs Li-In",
        1.0,
        "charge cut-off voltage",
        minimum=1.7,
        maximum=4.8,
        exclusive_minimum=True,
        mode="protocol",
        role="protocol",
    ),
    _q(
        "lower_cutoff",
        "lower_cutoff",
        "V vs Li-In",
        1.0,
        "discharge cut-off voltage",
        minimum=1.7,
        maximum=4.8,
        exclusive_minimum=True,
        mode="protocol",
        role="protocol",
    ),
    _q(
        "cycles",
        "cycles",
        "-",
        1.0,
        "number of charge-discharge cycles",
        minimum=1,
        maximum=10000,
        mode="protocol",
        role="protocol",
        integer=True,
    ),
    # --- the cell as built ----------------------------------------------------------
    _q(
        "composite_mass",
        "Composite mass [kg]",
        "mg",
        1e-6,
        "composite cathode mass (thickness and NMC mass follow)",
        minimum=0,
        maximum=1000,
        exclusive_minimum=True,
        mode="rebuild",
        role="cell",
    ),
    _q(
        "se_mass_fraction",
        "SE mass fraction",
        "-",
        1.0,
        "SE weight fraction of the composite (NMC = 1 - SE - carbon; volume fractions, "
        "thickness and NMC mass follow)",
        minimum=0,
        maximum=1,
        exclusive_minimum=True,
        mode="rebuild",
        role="cell",
    ),
    _q(
        "diameter",
        "Pellet diameter [m]",
        "mm",
        1e-3,
        "pellet (electrode) diameter (area, thicknesses and NMC mass follow)",
        minimum=0,
        maximum=1000,
        exclusive_minimum=True,
        mode="rebuild",
        role="cell",
    ),
    _q(
        "cathode_thickness",
        "Positive electrode thickness [m]",
        "um",
        1e-6,
        "composite cathode thickness at fixed volume fractions (NMC mass follows)",
        minimum=0,
        maximum=1e4,
        exclusive_minimum=True,
        mode="rebuild",
        role="cell",
    ),
    _q(
        "separator_thickness",
        "Separator thickness [m]",
        "um",
        1e-6,
        "SE separator pellet thickness (its bulk resistance follows)",
        minimum=0,
        maximum=1e5,
        exclusive_minimum=True,
        mode="rebuild",
        role="cell",
    ),
    _q(
        "particle_radius",
        "Positive particle radius [m]",
        "um",
        1e-6,
        "NMC particle radius",
        minimum=0,
        maximum=1e3,
        exclusive_minimum=True,
        mode="rebuild",
        role="cell",
    ),
    _q(
        "coating_thickness",
        "Coating thickness [m]",
        "nm",
        1e-9,
        "Li2SiO3 (LS) coating thickness on NMC",
        minimum=0,
        maximum=1000,
        role="cell",
    ),
    _q(
        "se_fraction",
        "Positive electrode porosity",
        "-",
        1.0,
        "SE volume fraction of the composite (NMC fraction and thickness held)",
        minimum=0,
        maximum=1,
        role="cell",
    ),
    _q(
        "nmc_fraction",
        "Positive electrode active material volume fraction",
        "-",
        1.0,
        "NMC volume fraction of the composite (SE fraction and thickness held; NMC mass follows)",
        minimum=0,
        maximum=1,
        role="cell",
    ),
    # --- materials ------------------------------------------------------------------
    _q(
        "sigma_se",
        "Electrolyte conductivity [S.m-1]",
        "S/cm",
        100.0,
        "ionic conductivity of the SE inside the composite (the paper's sets: inferred from "
        "R_SE,GB; Table 1's pellet value is reported as 'Table 1 SE conductivity')",
        minimum=0,
        maximum=1,
        exclusive_minimum=True,
        log=True,
        synonyms=("SE conductivity",),
    ),
    _q(
        "separator_conductivity",
        "Separator SE conductivity [S.m-1]",
        "S/cm",
        100.0,
        "ionic conductivity of the 75Li2S·25P2S5 separator (its bulk resistance follows)",
        minimum=0,
        maximum=1,
        exclusive_minimum=True,
        log=True,
        mode="rebuild",
    ),
    _q(
        "r_se_bulk",
        "SE bulk resistance [Ohm]",
        "Ohm",
        1.0,
        "separator pellet (SE bulk) resistance",
        minimum=0,
    ),
    _q(
        "coating_conductivity",
        "Coating ionic conductivity [S.m-1]",
        "S/cm",
        100.0,
        "ionic conductivity of the coating",
        minimum=0,
        maximum=1,
        exclusive_minimum=True,
        log=True,
    ),
    _q(
        "diffusivity",
        "Positive particle diffusivity [m2.s-1]",
        "m2/s",
        1.0,
        "Li diffusivity in NMC",
        minimum=0,
        maximum=1e-8,
        exclusive_minimum=True,
        log=True,
        synonyms=("diffusivity",),
    ),
    # --- microstructure -------------------------------------------------------------
    _q(
        "coated_sphere_fraction",
        "SE coated-sphere fraction",
        "-",
        1.0,
        "share w of the SE network that wraps the NMC particles (0: random mixture, "
        "percolation law; 1: coated spheres, Hashin-Shtrikman bound)",
        minimum=0,
        maximum=1,
        role="microstructure",
        synonyms=("coated sphere fraction", "SE topology"),
    ),
    _q(
        "percolation_threshold",
        "SE percolation threshold",
        "-",
        1.0,
        "SE volume fraction at percolation phi_c",
        minimum=0,
        maximum=1,
        role="microstructure",
    ),
    _q(
        "percolation_exponent",
        "SE percolation exponent",
        "-",
        1.0,
        "conductivity exponent t of the percolation law",
        minimum=0,
        maximum=10,
        exclusive_minimum=True,
        role="microstructure",
    ),
    _q(
        "contact_number",
        "NMC-SE contact number",
        "-",
        1.0,
        "SE contacts per NMC particle N_c (active-material utilisation)",
        minimum=0,
        maximum=100,
        role="microstructure",
        synonyms=("contact number",),
    ),
    _q(
        "contact_fraction",
        "Initial positive electrode interface utilisation",
        "-",
        1.0,
        "fraction of the NMC surface in contact with SE (theta_c)",
        minimum=0,
        maximum=1,
        role="microstructure",
        synonyms=("contact fraction",),
    ),
    # --- interface ------------------------------------------------------------------
    _q(
        "j0_cathode",
        "Positive electrode reference exchange-current density [A.m-2]",
        "A/m2",
        1.0,
        "NMC/SE exchange-current density at x = 0.5, per contact area",
        minimum=0,
        exclusive_minimum=True,
        log=True,
        role="interface",
        synonyms=("cathode exchange current",),
    ),
    _q(
        "interphase_conductivity",
        "Interphase ionic conductivity [S.m-1]",
        "S/cm",
        100.0,
        "ionic conductivity of the SE/NMC interphase (CEI)",
        minimum=0,
        maximum=1,
        exclusive_minimum=True,
        log=True,
        role="interface",
        synonyms=("interphase conductivity",),
    ),
    # --- degradation ----------------------------------------------------------------
    _q(
        "oxidation_rate",
        "SE oxidation rate constant [A.m-2]",
        "A/m2",
        1.0,
        "SE oxidation (interphase growth) rate constant",
        minimum=0,
        log=True,
        role="degradation",
    ),
    _q(
        "blocking_length",
        "Film electron-blocking length [m]",
        "nm",
        1e-9,
        "decay length of SE oxidation through the coating and the grown interphase",
        minimum=0,
        exclusive_minimum=True,
        log=True,
        role="degradation",
        synonyms=("electron blocking length", "tunnelling length"),
    ),
    _q(
        "contact_loss",
        "Contact loss coefficient",
        "-",
        1.0,
        "NMC-SE contact lost per unit stoichiometry swing",
        minimum=0,
        maximum=1,
        log=True,
        role="degradation",
        synonyms=("contact loss",),
    ),
    _q(
        "network_damage",
        "SE network damage saturation",
        "-",
        1.0,
        "fraction of the composite's SE transport lost when the network damage is complete",
        minimum=0,
        maximum=1,
        role="degradation",
    ),
    _q(
        "anode_contact_gain",
        "Li-In interface contact gain [m2.A-1.h-1]",
        "m2/(A h)",
        1.0,
        "growth of the Li-In/SE contact per charge passed (R_SE/An falls)",
        minimum=0,
        role="degradation",
    ),
)


def _key(text: str) -> str:
    """Spelling-insensitive key: lower case, spaces and hyphens as underscores."""
    return "_".join(text.strip().lower().replace("-", " ").split())


#: Alias → quantity (exact spelling).
BY_ALIAS: dict[str, Quantity] = {q.alias: q for q in QUANTITIES}
#: Synonym (lower case, spaces as underscores) → quantity.
BY_SYNONYM: dict[str, Quantity] = {_key(s): q for q in QUANTITIES for s in q.synonyms}
#: PyBaMM name / protocol key → quantity.
BY_NAME: dict[str, Quantity] = {q.name: q for q in QUANTITIES}

#: PyBaMM parameters that PyBaMM cannot take as input parameters: they set the mesh
#: (lengths, particle radius) or are not allowed as inputs in a PyBaMM experiment
#: (temperatures). Established by making every numeric parameter of the sets an input in
#: turn (``tests/unit/sweep/test_parameters.py`` keeps it true).
PYBAMM_REBUILD = (
    "Positive electrode thickness [m]",
    "Separator thickness [m]",
    "Negative electrode thickness [m]",
    "Positive particle radius [m]",
    "Ambient temperature [K]",
    "Initial temperature [K]",
)

#: Every parameter a change of which needs a build: :data:`PYBAMM_REBUILD` and the
#: registry's "rebuild" quantities (other parameters are derived from them).
REBUILD_PARAMETERS = tuple(
    dict.fromkeys([*PYBAMM_REBUILD, *(q.name for q in QUANTITIES if q.mode == "rebuild")])
)

#: Parameters that can not be set, with what to use instead.
FORBIDDEN_PARAMETERS = {
    "Current function [A]": "the protocol sets the current: use 'current_density' (mA/cm2)",
}


def unit_of(name: str) -> str:
    """Unit of a PyBaMM-style name, "Description [unit]" → "unit" ("-" if none)."""
    if name.endswith("]") and "[" in name:
        return name[name.rindex("[") + 1 : -1]
    return "-"


def lookup(name: str) -> Quantity | None:
    """The quantity of an alias, synonym, PyBaMM name or protocol key (``None`` if the
    registry has none)."""
    if name in BY_NAME:
        return BY_NAME[name]
    return BY_ALIAS.get(name) or BY_SYNONYM.get(_key(name))


@dataclass(frozen=True)
class Resolved:
    """A name as the user gave it, resolved to what the model sees.

    Attributes
    ----------
    label : str
        As given (alias, synonym or PyBaMM name).
    name : str
        PyBaMM parameter name or protocol key.
    unit : str
        Unit of the user's values.
    to_si : float
        Multiply a user value by this to get the model value.
    quantity : Quantity or None
        The registry entry (``None`` for a PyBaMM name the registry does not list).
    """

    label: str
    name: str
    unit: str
    to_si: float
    quantity: Quantity | None

    @property
    def is_protocol(self) -> bool:
        return self.quantity is not None and self.quantity.is_protocol

    @property
    def needs_rebuild(self) -> bool:
        if self.quantity is not None:
            return self.quantity.needs_rebuild or self.name in REBUILD_PARAMETERS
        return self.name in REBUILD_PARAMETERS

    @property
    def log(self) -> bool:
        return self.quantity is not None and self.quantity.log

    def to_model(self, value: float) -> float:
        return float(value) * self.to_si

    def from_model(self, value: float) -> float:
        return float(value) / self.to_si

    def check(self, value: float, label: str = "") -> None:
        """Bounds check in the user's unit, naming the quantity as the user did (only
        where the registry has bounds; every other parameter is checked by
        :mod:`assb_model.parameters.validation` once the set is derived)."""
        q = self.quantity
        if q is None:
            check_value(f"'{self.label}'", value, None, None, False, label)
            return
        if self.label == q.alias:
            q.check(value, label)
            return
        scale = q.to_si / self.to_si  # alias unit -> the unit of the name given
        lo = None if q.minimum is None else q.minimum * scale
        hi = None if q.maximum is None else q.maximum * scale
        check_value(f"'{self.label}'", value, lo, hi, q.exclusive_minimum, label, q.integer)


def resolve(label: str, parameter_names=None) -> Resolved:
    """Resolve an alias, synonym, protocol key or PyBaMM parameter name.

    An alias (or synonym) takes values in its own unit; a PyBaMM name always takes SI
    values, also when the registry lists it.

    Parameters
    ----------
    label : str
    parameter_names : collection of str, optional
        Parameter names of the set: a PyBaMM name that the registry does not list must be
        one of them.

    Raises
    ------
    UnknownParameterError
        Unknown name (with suggestions).
    ParameterError
        A parameter that cannot be set.
    """
    label = str(label).strip()
    if label in FORBIDDEN_PARAMETERS:
        raise ParameterError(f"'{label}' cannot be set: {FORBIDDEN_PARAMETERS[label]}")
    if label in BY_NAME:
        q = BY_NAME[label]
        unit = q.si_unit if not q.is_protocol else q.unit
        return Resolved(label, q.name, unit, 1.0, q)
    q = BY_ALIAS.get(label) or BY_SYNONYM.get(_key(label))
    if q is not None:
        return Resolved(label, q.name, q.unit, q.to_si, q)
    if parameter_names is not None and label in parameter_names:
        return Resolved(label, label, unit_of(label), 1.0, None)
    raise UnknownParameterError(unknown_message(label, parameter_names))


def unknown_message(label: str, parameter_names=None) -> str:
    """One line: the name is unknown, with the closest aliases or parameter names."""
    candidates = [q.alias for q in QUANTITIES] + list(parameter_names or [])
    close = difflib.get_close_matches(label, candidates, n=3, cutoff=0.5)
    lower = label.lower()
    close += [c for c in candidates if lower in c.lower() and c not in close][:3]
    hint = f"; did you mean {', '.join(repr(c) for c in close[:4])}?" if close else ""
    return (
        f"unknown parameter '{label}': not an alias ({', '.join(q.alias for q in QUANTITIES)}) "
        f"nor a parameter of the set{hint}"
    )


def to_model_values(values: dict, parameter_names=None, label: str = "") -> dict[str, float]:
    """``{alias or PyBaMM name: value in its unit}`` → ``{PyBaMM name: SI value}``.

    Checks the registry's bounds; protocol keys are refused (they are not parameters).

    Raises
    ------
    ParameterError
    """
    out: dict[str, float] = {}
    for key, value in (values or {}).items():
        r = resolve(key, parameter_names)
        if r.is_protocol:
            raise ParameterError(
                f"'{key}' is a protocol setting, not a parameter: give it to the protocol "
                "(e.g. --current-density, --upper-cutoff) or sweep it"
            )
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise ParameterError(
                f"{label + ': ' if label else ''}'{key}': '{value}' is not a number"
            ) from None
        r.check(v, label)
        if r.name in out:
            raise ParameterError(f"'{r.name}' is given twice (alias and name?)")
        out[r.name] = r.to_model(v)
    return out


def whatif_quantities() -> list[Quantity]:
    """Quantities a what-if explores (everything but the degradation constants)."""
    return [q for q in QUANTITIES if q.role != "degradation"]


def markdown_table() -> str:
    """The registry as the Markdown table of ``docs/parameters.md`` (kept equal by a test)."""
    lines = [
        "| alias | unit | PyBaMM name (SI) | bounds | log | how a change reaches the model | "
        "meaning |",
        "|---|---|---|---|---|---|---|",
    ]
    for q in QUANTITIES:
        name = q.name if not q.is_protocol else "(protocol)"
        lines.append(
            f"| `{q.alias}` | {q.unit} | {name} | {q.bounds_text()} | {'yes' if q.log else ''} "
            f"| {q.mode} | {q.description} |"
        )
    return "\n".join(lines) + "\n"


__all__ = [
    "BY_ALIAS",
    "BY_NAME",
    "BY_SYNONYM",
    "FORBIDDEN_PARAMETERS",
    "MODES",
    "PROTOCOL_KEYS",
    "PROTOCOL_REBUILD",
    "PYBAMM_REBUILD",
    "QUANTITIES",
    "REBUILD_PARAMETERS",
    "ROLES",
    "Quantity",
    "Resolved",
    "lookup",
    "markdown_table",
    "resolve",
    "to_model_values",
    "unit_of",
    "whatif_quantities",
]
