"""Check a sweep specification and resolve its points for the engine.

:func:`plan_sweep` does all the checking before any work starts: names (aliases or
PyBaMM parameters), values of every point (:func:`validate_parameter_values` and
:func:`validate_protocol`, so a negative conductivity is one clear error naming the
parameter), model options, and that every swept input enters the model with these options
(sweeping a bookkeeping value such as "Composite void fraction" would change nothing).
It then groups the points by the values that need a model build, so that each group is
built once.
"""

import json
import numbers
from dataclasses import dataclass, field

import pybamm

from assb_model.model import ASSBModel
from assb_model.parameters.sets import UnknownParameterSetError, load_parameter_set
from assb_model.parameters.validation import (
    ParameterError,
    validate_parameter_values,
    validate_protocol,
)
from assb_model.simulation.cycling import with_inputs
from assb_model.sweep.outputs import OUTPUT_COLUMNS, STATUS_COLUMNS
from assb_model.sweep.parameters import PROTOCOL_KEYS, ResolvedName, resolve_name
from assb_model.sweep.spec import SweepSpec, SweepSpecError, fingerprint, point_id


@dataclass(frozen=True)
class Job:
    """One point, resolved: what a worker needs to compute it.

    Attributes
    ----------
    point_id : str
    values : dict
        Axis name → value in the axis's unit (written to the results table).
    group : str
        Key of the model build this point needs.
    current_density : float
        [mA/cm2]
    inputs : dict
        PyBaMM input parameter name → SI value.
    nmc_mass_g : float
        NMC mass the capacities are normalised by (:func:`nmc_mass_g`).
    """

    point_id: str
    values: dict
    group: str
    current_density: float
    inputs: dict
    nmc_mass_g: float


@dataclass(frozen=True)
class BuildGroup:
    """Everything that is fixed in one model build.

    Attributes
    ----------
    key : str
    upper_cutoff, lower_cutoff : float
        [V vs Li–In]
    cycles : int
    overrides : dict
        Rebuild parameters (PyBaMM name → SI value) of this group.
    """

    key: str
    upper_cutoff: float
    lower_cutoff: float
    cycles: int
    overrides: dict


@dataclass
class SweepPlan:
    """A checked sweep: its unique points resolved into jobs and build groups.

    Attributes
    ----------
    spec : SweepSpec
    jobs : list of Job
        Unique points in design order.
    groups : dict
        Group key → :class:`BuildGroup`.
    context : dict
        What every worker needs to build a group (picklable): parameter set, options,
        fixed overrides (SI), mesh, input parameter names, whether to keep curves.
    resolved : dict
        Axis name → :class:`ResolvedName`.
    parameter_values : dict
        Numeric parameter values of the set after the fixed overrides (recorded in the
        metadata file).
    """

    spec: SweepSpec
    jobs: list
    groups: dict
    context: dict
    resolved: dict
    parameter_values: dict = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """Columns of the results table: axes, outputs, status, error, time, point id."""
        return [*self.spec.names, *OUTPUT_COLUMNS, *STATUS_COLUMNS]

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(self.context["input_parameters"])

    @property
    def rebuild_names(self) -> list[str]:
        return [n for n, r in self.resolved.items() if r.needs_rebuild]

    def fingerprint(self) -> str:
        """Identity of the sweep: spec and parameter values (a resume must match it)."""
        return fingerprint({"spec": self.spec.to_dict(), "parameters": self.parameter_values})

    def units(self) -> dict:
        """Unit of every axis column."""
        return {n: r.unit for n, r in self.resolved.items()}

    def summary(self) -> str:
        """One line: points, builds, inputs."""
        rebuild = self.rebuild_names
        return (
            f"{len(self.jobs)} points, {len(self.groups)} model build(s)"
            + (f" (rebuild for {', '.join(rebuild)})" if rebuild else "")
            + f"; inputs: {', '.join(['current_density', *self.input_names])}"
        )


#: Parameters the NMC mass is proportional to (m = eps_NMC rho_NMC L A).
MASS_SCALING = (
    "Positive electrode active material volume fraction",
    "Positive electrode thickness [m]",
    "Electrode width [m]",
    "Electrode height [m]",
)
NMC_MASS = "NMC mass [kg]"


def nmc_mass_g(reference: dict, point: dict) -> float:
    r"""NMC mass of a point [g], for normalising its capacities.

    The set's NMC mass ``m0`` scales with the NMC volume fraction, composite thickness
    and electrode area, so a point that changes them is normalised by the NMC it really
    contains:

    .. math:: m = m_0 \frac{\varepsilon}{\varepsilon_0} \frac{L}{L_0}
              \frac{W H}{W_0 H_0}

    An NMC mass given explicitly (swept or fixed) is used as it is.

    Parameters
    ----------
    reference : dict
        The parameter set's own values (before any override).
    point : dict
        The point's values (set, fixed overrides, swept values; SI).
    """
    if point[NMC_MASS] != reference[NMC_MASS]:
        return float(point[NMC_MASS]) * 1e3
    scale = 1.0
    for name in MASS_SCALING:
        scale *= float(point[name]) / float(reference[name])
    return float(reference[NMC_MASS]) * scale * 1e3


def _numeric_values(pv: pybamm.ParameterValues) -> dict:
    out = {}
    for k in pv.keys():
        v = pv[k]
        if isinstance(v, numbers.Number) and not isinstance(v, bool):
            out[k] = float(v)
    return out


def _resolve(name: str, pv, numeric: dict) -> ResolvedName:
    try:
        r = resolve_name(name, pv.keys())
    except KeyError as exc:
        raise SweepSpecError(str(exc.args[0])) from None
    except ValueError as exc:
        raise SweepSpecError(str(exc)) from None
    if not r.is_protocol and r.target not in numeric:
        raise SweepSpecError(
            f"'{r.target}' is not a number in the parameter set (it is a function of the "
            "state) and can not be swept"
        )
    return r


def inputs_without_effect(pv: pybamm.ParameterValues, options: dict, names) -> list[str]:
    """Input parameters among ``names`` that do not enter the model with these options.

    The model is processed with ``names`` as inputs (no discretisation, ~0.3 s) and every
    input found in its equations, events and variables counts as used.
    """
    names = list(names)
    if not names:
        return []
    model = with_inputs(pv, names).process_model(ASSBModel(options), inplace=False)
    exprs = [
        *model.rhs.values(),
        *model.algebraic.values(),
        *model.initial_conditions.values(),
        *(e.expression for e in model.events),
        *model.variables.values(),
    ]
    exprs += [v for bc in model.boundary_conditions.values() for v, _ in bc.values()]
    used = set()
    for expr in exprs:
        for node in expr.pre_order():
            if isinstance(node, pybamm.InputParameter):
                used.add(node.name)
    return [n for n in names if n not in used]


def plan_sweep(spec: SweepSpec) -> SweepPlan:
    """Check a sweep specification and resolve its points.

    Parameters
    ----------
    spec : SweepSpec

    Returns
    -------
    SweepPlan

    Raises
    ------
    SweepSpecError
        With one message naming the problem: unknown name, empty range, unphysical value
        (naming the parameter and the point), bad option, parameter without effect.
    """
    spec.check()
    try:
        pv = load_parameter_set(spec.parameter_set)
    except UnknownParameterSetError as exc:
        raise SweepSpecError(str(exc)) from None
    label = spec.parameter_set
    numeric = _numeric_values(pv)

    fixed = {}
    for name, value in spec.overrides.items():
        r = _resolve(name, pv, numeric)
        if r.is_protocol:
            raise SweepSpecError(
                f"'{name}' is a protocol setting: set it as the spec's {r.target} "
                "(or --param for a sweep), not as a fixed parameter value"
            )
        fixed[r.target] = float(value) * r.to_si
    base = {**{k: pv[k] for k in pv.keys()}, **fixed}
    try:
        validate_parameter_values(base, label)
    except ParameterError as exc:
        raise SweepSpecError(f"invalid fixed value: {exc}") from None

    resolved = {a.name: _resolve(a.name, pv, numeric) for a in spec.axes}
    targets = [r.target for r in resolved.values()]
    dup = sorted({t for t in targets if targets.count(t) > 1})
    if dup:
        raise SweepSpecError(f"the same quantity is swept twice (alias and name?): {dup}")
    for r in resolved.values():
        if r.target in fixed:
            raise SweepSpecError(f"'{r.target}' is both swept and fixed")

    options = dict(spec.options)
    try:
        ASSBModel(options, build=False)
    except pybamm.OptionError as exc:
        raise SweepSpecError(f"invalid model option: {exc}") from None

    input_names = sorted(
        r.target for r in resolved.values() if not r.is_protocol and not r.needs_rebuild
    )
    unused = inputs_without_effect(pv, options, input_names)
    if unused:
        raise SweepSpecError(
            f"sweeping {', '.join(repr(u) for u in unused)} would change nothing: not used by "
            "the model with these options (a value recorded from the derivation, or a "
            "parameter of an option that is off)"
        )

    jobs, groups, seen = [], {}, set()
    for values in spec.points():
        pid = point_id(values)
        if pid in seen:
            continue  # sampled designs can repeat a point: compute it once
        seen.add(pid)
        protocol = {
            "current_density": spec.current_density,
            "upper_cutoff": spec.upper_cutoff,
            "lower_cutoff": spec.lower_cutoff,
            "cycles": spec.cycles,
        }
        si, rebuild = {}, {}
        for name, value in values.items():
            r = resolved[name]
            if r.is_protocol:
                protocol[r.target] = value
            elif r.needs_rebuild:
                rebuild[r.target] = value * r.to_si
            else:
                si[r.target] = value * r.to_si
        merged = {**base, **si, **rebuild}
        _check_point(values, protocol, merged, label)
        key = fingerprint(
            [protocol["upper_cutoff"], protocol["lower_cutoff"], protocol["cycles"], rebuild]
        )[:12]
        if key not in groups:
            groups[key] = BuildGroup(
                key,
                float(protocol["upper_cutoff"]),
                float(protocol["lower_cutoff"]),
                int(protocol["cycles"]),
                rebuild,
            )
        mass = nmc_mass_g(numeric, merged)
        jobs.append(Job(pid, values, key, float(protocol["current_density"]), si, mass))

    context = {
        "parameter_set": spec.parameter_set,
        "options": options,
        "overrides": fixed,
        "var_pts": spec.var_pts,
        "input_parameters": input_names,
        "save_curves": bool(spec.save_curves),
    }
    record = {k: v for k, v in base.items() if isinstance(v, numbers.Number)}
    return SweepPlan(spec, jobs, groups, context, resolved, json.loads(json.dumps(record)))


def _check_point(values: dict, protocol: dict, parameters: dict, label: str) -> None:
    where = ", ".join(f"{k}={v:g}" for k, v in values.items())
    cycles = protocol["cycles"]
    try:
        if cycles != int(cycles):
            raise ParameterError(f"number of cycles must be an integer, got {cycles:g}")
        validate_parameter_values(parameters, label)
        validate_protocol(
            parameters,
            protocol["current_density"],
            protocol["upper_cutoff"],
            protocol["lower_cutoff"],
            int(cycles),
        )
    except ParameterError as exc:
        raise SweepSpecError(f"invalid sweep point ({where}): {exc}") from None


__all__ = ["PROTOCOL_KEYS", "BuildGroup", "Job", "SweepPlan", "plan_sweep"]
