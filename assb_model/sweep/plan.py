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

from assb_model.errors import ParameterError, UnknownParameterSetError
from assb_model.model import ASSBModel, OptionError
from assb_model.parameters.validation import validate_parameter_values, validate_protocol
from assb_model.simulation.runner import NMC_MASS, nmc_mass_g
from assb_model.simulation.scenario import Scenario
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
    except (KeyError, ValueError) as exc:
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
    input found in its equations, events and variables counts as used. The NMC mass is
    used outside the model (it normalises the capacities).
    """
    names = [n for n in names if n != NMC_MASS]
    if not names:
        return []
    pv = pv.copy()
    for name in names:
        pv[name] = "[input]"
    model = pv.process_model(ASSBModel(options), inplace=False)
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
    scenario = Scenario(spec.parameter_set, spec.options, spec.overrides, spec.var_pts)
    label = scenario.label
    try:
        scenario.check_options()
    except OptionError as exc:
        raise SweepSpecError(f"invalid model option: {exc}") from None
    try:
        fixed = scenario.model_overrides()
    except UnknownParameterSetError as exc:
        raise SweepSpecError(str(exc)) from None
    except ParameterError as exc:
        raise SweepSpecError(f"invalid fixed value: {exc}") from None
    try:
        pv = scenario.parameter_values()
    except UnknownParameterSetError as exc:
        raise SweepSpecError(str(exc)) from None
    except ParameterError as exc:
        raise SweepSpecError(f"invalid fixed value: {exc}") from None
    numeric = _numeric_values(pv)

    resolved = {a.name: _resolve(a.name, pv, numeric) for a in spec.axes}
    targets = [r.target for r in resolved.values()]
    dup = sorted({t for t in targets if targets.count(t) > 1})
    if dup:
        raise SweepSpecError(f"the same quantity is swept twice (alias and name?): {dup}")
    for r in resolved.values():
        if r.target in fixed:
            raise SweepSpecError(f"'{r.target}' is both swept and fixed")

    input_names = sorted(
        r.target for r in resolved.values() if not r.is_protocol and not r.needs_rebuild
    )
    unused = inputs_without_effect(pv, spec.options, input_names)
    if unused:
        raise SweepSpecError(
            f"sweeping {', '.join(repr(u) for u in unused)} would change nothing: not used by "
            "the model with these options (a value recorded from the derivation, or a "
            "parameter of an option that is off)"
        )

    jobs, groups, seen, group_values = [], {}, set(), {}
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
            group_values[key] = _group_values(scenario, pv, rebuild, values)
        merged = {**group_values[key], **si}
        _check_point(values, protocol, merged, label)
        mass = nmc_mass_g(group_values[key], si)
        jobs.append(Job(pid, values, key, float(protocol["current_density"]), si, mass))

    context = {
        "parameter_set": spec.parameter_set,
        "options": dict(spec.options),
        "overrides": dict(spec.overrides),
        "var_pts": spec.var_pts,
        "axes": [a.name for a in spec.axes],
        "input_parameters": input_names,
        "protocol": {
            "current_density": spec.current_density,
            "upper_cutoff": spec.upper_cutoff,
            "lower_cutoff": spec.lower_cutoff,
            "cycles": spec.cycles,
        },
        "save_curves": bool(spec.save_curves),
        "save_cycles": bool(spec.save_cycles),
    }
    if spec.schedule is not None:
        context["protocol"]["schedule"] = [dict(seg) for seg in spec.schedule]
    record = {k: v for k, v in numeric.items()}
    return SweepPlan(spec, jobs, groups, context, resolved, json.loads(json.dumps(record)))


def _group_values(scenario: Scenario, pv, rebuild: dict, point: dict) -> dict:
    """Numeric values of a build group: the set re-derived with its rebuild values."""
    if not rebuild:
        return _numeric_values(pv)
    try:
        return _numeric_values(scenario.parameter_values(si=rebuild))
    except ParameterError as exc:
        where = ", ".join(f"{k}={v:g}" for k, v in point.items())
        raise SweepSpecError(f"invalid sweep point ({where}): {exc}") from None


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
