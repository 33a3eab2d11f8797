"""What a sweep can vary: PyBaMM parameter names, short aliases, protocol settings.

A swept quantity is named either by its PyBaMM parameter name (SI units, e.g.
``"Electrolyte conductivity [S.m-1]"``) or by a short alias in the units the paper and the
lab use (e.g. ``sigma_se`` in S/cm). Aliases convert to SI with a fixed factor.

How a quantity is varied decides what a sweep costs:

- **input**: the model is built and discretised once and the value is a PyBaMM input
  parameter (``"[input]"``), so each point only solves (~0.04 s);
- **rebuild**: the value changes the mesh or geometry (thicknesses, particle radius), the
  experiment (cut-off voltages, number of cycles) or a quantity PyBaMM does not allow as an
  input in an experiment (temperatures), so the points with the same value share one
  build (~0.5–1 s).

The rule was established by making every numeric parameter of the parameter sets an input
in turn (``tests/unit/sweep/test_parameters.py`` keeps it true).
"""

from dataclasses import dataclass

#: Name of the protocol quantities a sweep can vary (they are not PyBaMM parameters).
PROTOCOL_KEYS = ("current_density", "upper_cutoff", "lower_cutoff", "cycles")

#: Protocol quantities that are fixed in the experiment, so each value needs a build.
PROTOCOL_REBUILD = ("upper_cutoff", "lower_cutoff", "cycles")

#: PyBaMM parameters that can not be input parameters: they set the mesh (lengths,
#: particle radius), are not allowed as inputs in a PyBaMM experiment (temperatures), or
#: are used outside the model (the NMC mass normalises capacities). Points differing in
#: these values are grouped and each group is built once.
REBUILD_PARAMETERS = (
    "Positive electrode thickness [m]",
    "Separator thickness [m]",
    "Negative electrode thickness [m]",
    "Positive particle radius [m]",
    "Ambient temperature [K]",
    "Initial temperature [K]",
    "NMC mass [kg]",
)

#: Parameters a sweep can not set, with what to use instead.
FORBIDDEN_PARAMETERS = {
    "Current function [A]": "the protocol sets the current: sweep 'current_density' (mA/cm2)",
}


@dataclass(frozen=True)
class Alias:
    """A short name for a swept quantity.

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


#: The documented aliases (``docs/sweeps.md``). Conductivities are in S/cm and lengths in
#: nm or µm, as in the paper; full PyBaMM names always take SI values.
ALIASES: dict[str, Alias] = {
    "current_density": Alias(
        "current_density", "mA/cm2", 1.0, "charge and discharge current density"
    ),
    "upper_cutoff": Alias("upper_cutoff", "V vs Li-In", 1.0, "charge cut-off voltage"),
    "lower_cutoff": Alias("lower_cutoff", "V vs Li-In", 1.0, "discharge cut-off voltage"),
    "cycles": Alias("cycles", "-", 1.0, "number of charge-discharge cycles"),
    "sigma_se": Alias(
        "Electrolyte conductivity [S.m-1]",
        "S/cm",
        100.0,
        "intrinsic ionic conductivity of the composite's SE (Table 1 of the paper)",
    ),
    "process_factor": Alias(
        "SE process contact factor", "-", 1.0, "processing/contact factor f_proc of B"
    ),
    "contact_fraction": Alias(
        "Initial positive electrode interface utilisation",
        "-",
        1.0,
        "fraction of the NMC surface in contact with SE (theta_c)",
    ),
    "contact_number": Alias(
        "NMC-SE contact number", "-", 1.0, "contacts per NMC particle N_c (utilisation)"
    ),
    "percolation_threshold": Alias(
        "SE percolation threshold", "-", 1.0, "SE volume fraction at percolation phi_c"
    ),
    "percolation_exponent": Alias(
        "SE percolation exponent", "-", 1.0, "conductivity exponent t of B = f p^t"
    ),
    "se_fraction": Alias(
        "Positive electrode porosity", "-", 1.0, "SE volume fraction of the composite phi"
    ),
    "nmc_fraction": Alias(
        "Positive electrode active material volume fraction",
        "-",
        1.0,
        "NMC volume fraction of the composite",
    ),
    "coating_thickness": Alias(
        "Coating thickness [m]", "nm", 1e-9, "LiSiO (LS) coating thickness on NMC"
    ),
    "coating_conductivity": Alias(
        "Coating ionic conductivity [S.m-1]", "S/cm", 100.0, "ionic conductivity of the coating"
    ),
    "interphase_conductivity": Alias(
        "Interphase ionic conductivity [S.m-1]",
        "S/cm",
        100.0,
        "ionic conductivity of the SE/NMC interphase (CEI)",
    ),
    "j0_cathode": Alias(
        "Positive electrode reference exchange-current density [A.m-2]",
        "A/m2",
        1.0,
        "NMC/SE exchange-current density at x = 0.5, per contact area",
    ),
    "diffusivity": Alias(
        "Positive particle diffusivity [m2.s-1]", "m2/s", 1.0, "Li diffusivity in NMC"
    ),
    "oxidation_rate": Alias(
        "SE oxidation rate constant [A.m-2]", "A/m2", 1.0, "SE oxidation (interphase growth)"
    ),
    "contact_loss": Alias(
        "Contact loss coefficient", "-", 1.0, "contact lost per unit stoichiometry swing"
    ),
    "network_damage": Alias(
        "SE network damage saturation",
        "-",
        1.0,
        "fraction of the composite's SE transport lost when the SE-network damage is complete",
    ),
    "anode_contact_gain": Alias(
        "Li-In interface contact gain [m2.A-1.h-1]",
        "m2/(A h)",
        1.0,
        "growth of the Li-In/SE contact per charge passed (R_SE/An falls)",
    ),
    "r_se_bulk": Alias(
        "SE bulk resistance [Ohm]", "Ohm", 1.0, "separator pellet (SE bulk) resistance"
    ),
    "cathode_thickness": Alias(
        "Positive electrode thickness [m]", "um", 1e-6, "composite cathode thickness (rebuild)"
    ),
    "separator_thickness": Alias(
        "Separator thickness [m]", "um", 1e-6, "SE separator pellet thickness (rebuild)"
    ),
    "particle_radius": Alias(
        "Positive particle radius [m]", "um", 1e-6, "NMC particle radius (rebuild)"
    ),
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


def _unit_from_name(name: str) -> str:
    if name.endswith("]") and "[" in name:
        return name[name.rindex("[") + 1 : -1]
    return "-"


def resolve_name(name: str, parameter_names) -> ResolvedName:
    """Resolve an alias or PyBaMM parameter name.

    Parameters
    ----------
    name : str
        Alias (:data:`ALIASES`), protocol key or PyBaMM parameter name.
    parameter_names : collection of str
        The names of the parameter set.

    Returns
    -------
    ResolvedName

    Raises
    ------
    KeyError
        The name is neither an alias nor a parameter of the set; the message suggests
        close matches.
    ValueError
        The parameter can not be swept (e.g. the protocol current).
    """
    if name in ALIASES:
        a = ALIASES[name]
        protocol = a.target in PROTOCOL_KEYS
        rebuild = a.target in PROTOCOL_REBUILD or a.target in REBUILD_PARAMETERS
        return ResolvedName(name, a.target, a.unit, a.to_si, protocol, rebuild)
    if name in FORBIDDEN_PARAMETERS:
        raise ValueError(f"'{name}' can not be swept: {FORBIDDEN_PARAMETERS[name]}")
    if name in parameter_names:
        return ResolvedName(
            name, name, _unit_from_name(name), 1.0, False, name in REBUILD_PARAMETERS
        )
    raise KeyError(_unknown_message(name, parameter_names))


def _unknown_message(name: str, parameter_names) -> str:
    import difflib

    candidates = list(ALIASES) + list(parameter_names)
    close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.5)
    lower = name.lower()
    close += [c for c in candidates if lower in c.lower() and c not in close][:3]
    hint = f"; did you mean {', '.join(repr(c) for c in close[:4])}?" if close else ""
    return (
        f"unknown sweep parameter '{name}': not an alias ({', '.join(ALIASES)}) nor a "
        f"parameter of the set{hint}"
    )
