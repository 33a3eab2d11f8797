"""One runner for every simulation: build once, then vary inputs or rebuild by groups.

A :class:`Runner` takes a :class:`~assb_model.simulation.scenario.Scenario` (which cell,
options, what-ifs, mesh) and a :class:`~assb_model.simulation.protocols.Protocol`, and the
names of the quantities its runs may change (``vary``). The registry
(:mod:`assb_model.parameters.registry`) decides how each reaches the model:

- an **input** quantity becomes a PyBaMM input parameter of one built model: a run only
  solves;
- a **rebuild** quantity (mesh, or a quantity other parameters are derived from) re-derives
  the parameter set and builds again, once per distinct value (builds are cached);
- a **protocol** setting changes the protocol: the current density of
  :class:`~assb_model.simulation.protocols.CCCycling` is an input, cut-offs and the number
  of cycles need a build.

Every way into the model — :func:`simulate`, the sweep workers, the fit, the model's
impedance, the explorer — runs through here, so the same values give the same model.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pybamm

from assb_model.errors import AssbError, ParameterError, SimulationError
from assb_model.parameters import registry
from assb_model.parameters.validation import validate_parameter_values, validate_protocol
from assb_model.simulation import summary
from assb_model.simulation.protocols import CCCycling, Protocol, Schedule
from assb_model.simulation.scenario import Scenario, as_scenario
from assb_model.simulation.solver import default_solver

#: Parameters the NMC mass is proportional to (m = eps_NMC rho_NMC L A): a run that gives
#: them as inputs is normalised by the NMC it really contains.
MASS_SCALING = (
    "Positive electrode active material volume fraction",
    "Positive electrode thickness [m]",
    "Electrode width [m]",
    "Electrode height [m]",
)
NMC_MASS = "NMC mass [kg]"


def nmc_mass_g(values: Mapping, inputs: Mapping) -> float:
    r"""NMC mass of a run [g], for normalising its capacities.

    ``values`` are the set's values for the run's build (re-derived for rebuild quantities,
    so they hold its NMC mass :math:`m_0 = \varepsilon \rho L A`); inputs that change the
    NMC volume fraction, thickness or electrode area scale it:

    .. math:: m = m_0 \frac{\varepsilon}{\varepsilon_0} \frac{L}{L_0}
              \frac{W H}{W_0 H_0}

    An NMC mass given as an input is used as it is.
    """
    if NMC_MASS in inputs:
        return float(inputs[NMC_MASS]) * 1e3
    mass = float(values[NMC_MASS])
    for name in MASS_SCALING:
        if name in inputs:
            mass *= float(inputs[name]) / float(values[name])
    return mass * 1e3


class BuildError(SimulationError):
    """The model could not be built or discretised (e.g. a mesh with no points)."""


class NoCapacityError(SimulationError):
    """The first charge cannot start: the cell is beyond its cut-off from the first
    instant (the IR drop of a poorly conducting cell exceeds it). A cycler would record
    0 mAh/g; a sweep records exactly that (:func:`assb_model.sweep.worker.compute_point`)."""

    #: What a sweep records for such a point.
    NOTE = (
        "no capacity: the voltage is beyond the charge cut-off at its first instant (a "
        "cut-off below the open-circuit voltage, or an IR drop that exceeds it)"
    )


@dataclass
class SimulationResult:
    """The result of one run.

    Attributes
    ----------
    cycles : pandas.DataFrame
        One row per complete cycle (:data:`assb_model.simulation.summary.CYCLE_COLUMNS`):
        capacities (mAh/g of NMC), coulombic efficiency, energy, mean voltage and the
        SE/cathode interface resistance at the end of the charge (where the paper
        measured impedance).
    curves : pandas.DataFrame
        Time series (:data:`~assb_model.simulation.summary.CURVE_COLUMNS`); empty when the
        solver kept only the summary variables.
    solution : pybamm.Solution
    parameter_values : pybamm.ParameterValues
        The values of this run (inputs filled in).
    nmc_mass_g : float
    protocol : dict
    outputs : dict
        The run's :data:`~assb_model.simulation.summary.OUTPUTS`.
    error : str
        Why the protocol did not complete (empty if it did).
    """

    cycles: pd.DataFrame
    curves: pd.DataFrame
    solution: pybamm.Solution
    parameter_values: pybamm.ParameterValues
    nmc_mass_g: float
    protocol: dict = field(default_factory=dict)
    outputs: dict = field(default_factory=dict)
    error: str = ""

    def to_json_dict(self) -> dict:
        """The per-cycle table and the run's outputs in the CLI's JSON layout."""
        keys = [
            "cycle",
            "charge_capacity_mAh_per_g",
            "discharge_capacity_mAh_per_g",
            "coulombic_efficiency",
        ]
        rows = [
            {k: (int(r[k]) if k == "cycle" else _float_or_none(r[k])) for k in keys}
            for _, r in self.cycles.iterrows()
        ]
        outputs = {k: _float_or_none(v) for k, v in self.outputs.items()}
        return {"cycles": rows, "outputs": outputs, "protocol": self.protocol}


def _float_or_none(x):
    x = float(x)
    return None if np.isnan(x) else x


@dataclass
class Point:
    """What one solve used: PyBaMM inputs, protocol, NMC mass, and its build."""

    inputs: dict
    protocol: Protocol
    nmc_mass_g: float
    area_m2: float
    build: _Build


@dataclass
class _Build:
    simulation: pybamm.Simulation
    parameter_values: pybamm.ParameterValues  # inputs as "[input]"
    values: pybamm.ParameterValues  # the scenario's values of this build (no inputs)
    protocol: Protocol


_STDERR_LOCK = threading.Lock()


@contextlib.contextmanager
def quiet_native_stderr():
    """Keep what the solver's C code writes to stderr off the terminal.

    SUNDIALS prints ``[ERROR] IDAICFailFlag ...`` when a consistent-initialisation line
    search needs another try, also on runs that then succeed. The C library writes to
    file descriptor 2 directly, so it is redirected for the solve (main thread only; the
    failure itself reaches the user as a :class:`SimulationError`).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with _STDERR_LOCK:
        try:
            saved = os.dup(2)
        except OSError:  # no stderr to redirect
            yield
            return
        sink = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(sink, 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(sink)


class Runner:
    """A scenario and a protocol, built once, run with any values of ``vary``.

    Parameters
    ----------
    scenario : Scenario, str, path or pybamm.ParameterValues
    protocol : Protocol, optional
        Default: the paper's :class:`~assb_model.simulation.protocols.CCCycling`.
    vary : iterable of str
        Aliases or PyBaMM names whose values :meth:`run` may be given (module docstring).
    solver : pybamm.BaseSolver or callable, optional
        A solver, or a function returning a new one per build (default IDAKLU keeping the
        whole state: :func:`~assb_model.simulation.solver.default_solver`).
    force_inputs : bool
        Make every ``vary`` parameter a PyBaMM input, also those the registry rebuilds
        for (PyBaMM then refuses mesh parameters: the rule behind the registry's modes).
    max_builds : int
        Builds kept (least recently used dropped first).
    """

    def __init__(
        self,
        scenario: Any = None,
        protocol: Protocol | None = None,
        vary=(),
        *,
        solver: pybamm.BaseSolver | Callable[[], pybamm.BaseSolver] | None = None,
        force_inputs: bool = False,
        max_builds: int = 8,
    ):
        self.scenario: Scenario = as_scenario(scenario if scenario is not None else Scenario())
        self.scenario.check_options()
        self.protocol = protocol if protocol is not None else CCCycling()
        self.protocol.check()
        self.label = self.scenario.label
        self.base_values = self.scenario.parameter_values()
        names = list(self.base_values.keys())
        self.vary: dict[str, registry.Resolved] = {}
        for label in vary:
            r = registry.resolve(label, names)
            if not r.is_protocol and r.name not in names:
                raise ParameterError(f"{self.label}: unknown parameter(s) ['{r.name}']")
            if r.is_protocol and not hasattr(self.protocol, r.name):
                raise ParameterError(
                    f"'{label}' is not a setting of the protocol {type(self.protocol).__name__}"
                )
            self.vary[label] = r
        self.input_names: tuple[str, ...] = tuple(
            r.name
            for r in self.vary.values()
            if not r.is_protocol and (force_inputs or not r.needs_rebuild)
        )
        self._force_inputs = force_inputs
        self._solver = solver
        self._solver_used = False
        self._builds: OrderedDict[Any, _Build] = OrderedDict()
        self.max_builds = max_builds

    # --- builds --------------------------------------------------------------------------
    def _new_solver(self) -> pybamm.BaseSolver:
        if self._solver is None:
            return default_solver()
        if isinstance(self._solver, pybamm.BaseSolver):
            if not self._solver_used:
                self._solver_used = True
                return self._solver
            return self._solver.copy()
        return self._solver()

    def _build(self, rebuild: dict[str, float], protocol: Protocol) -> _Build:
        key = (tuple(sorted(rebuild.items())), protocol.build_key())
        if key in self._builds:
            self._builds.move_to_end(key)
            return self._builds[key]
        values = self.scenario.parameter_values(si=rebuild) if rebuild else self.base_values
        pv = values.copy()
        for name in self.input_names:
            pv[name] = "[input]"
        # a symbol when the width or height is an input: the current follows the area
        area = pv["Electrode width [m]"] * pv["Electrode height [m]"]
        model = self.scenario.model()
        simulation = pybamm.Simulation(
            model,
            parameter_values=pv,
            experiment=protocol.experiment(area),
            var_pts=self.scenario.mesh(model),
            solver=self._new_solver(),
        )
        build = _Build(simulation, pv, values, protocol)
        self._builds[key] = build
        while len(self._builds) > self.max_builds:
            self._builds.popitem(last=False)
        return build

    def build(self, values: Mapping | None = None) -> None:
        """Build (and discretise) for ``values`` now, e.g. before timing solves."""
        rebuild, _, protocol = self._split(dict(values or {}), validate=False, need_inputs=False)
        self._build(rebuild, protocol).simulation.build_for_experiment()

    # --- values ------------------------------------------------------------------------
    def _split(self, values: dict, validate: bool, need_inputs: bool = True):
        """User values → (rebuild SI values, input SI values, protocol)."""
        rebuild, inputs, settings = {}, {}, {}
        for key, value in values.items():
            r = self.vary.get(key)
            if r is None:
                r = next((v for v in self.vary.values() if v.name == key), None)
            if r is None:
                raise ParameterError(
                    f"{self.label}: '{key}' is not among the quantities this runner varies "
                    f"{sorted(self.vary)}"
                )
            if validate:
                r.check(value, self.label)
            if r.is_protocol:
                settings[r.name] = int(value) if r.name == "cycles" else float(value)
            elif r.name in self.input_names:
                inputs[r.name] = r.to_model(value)
            else:
                rebuild[r.name] = r.to_model(value)
        if need_inputs:
            missing = set(self.input_names) - set(inputs)
            if missing:
                raise ParameterError(
                    f"{self.label}: inputs must be exactly {sorted(self.input_names)}; "
                    f"missing {sorted(missing)}"
                )
        protocol = self.protocol.with_settings(**settings)
        if settings and validate:
            protocol.check()
        return rebuild, inputs, protocol

    def _check_protocol(self, protocol: Protocol) -> None:
        """The cut-offs against the model's voltage limits (before anything is built)."""
        if isinstance(protocol, CCCycling):
            validate_protocol(
                self.base_values,
                protocol.current_density,
                protocol.upper_cutoff,
                protocol.lower_cutoff,
                protocol.n_cycles,
            )

    def _check_values(self, build: _Build, inputs: dict) -> None:
        if not inputs:
            return  # the build's values were checked when they were derived
        # only what the inputs change: their bounds, and the volume fractions' sum
        fractions = (
            "Positive electrode porosity",
            "Positive electrode active material volume fraction",
        )
        names = set(inputs) | (set(fractions) if set(fractions) & set(inputs) else set())
        values = {k: inputs.get(k, build.values[k]) for k in names}
        validate_parameter_values(values, self.label)

    # --- solving -------------------------------------------------------------------------
    def solve(
        self, values: Mapping | None = None, /, *, validate: bool = True, **more
    ) -> tuple[pybamm.Solution, Point]:
        """Solve for ``values`` (alias or name → value in its unit); the raw solution.

        Raises
        ------
        ParameterError
            A value outside its bounds, a name not in ``vary``, a missing input.
        SimulationError
            The model could not be built or the solver failed (one line).
        """
        rebuild, inputs, protocol = self._split({**(values or {}), **more}, validate)
        if validate:
            self._check_protocol(protocol)
        try:
            build = self._build(rebuild, protocol)
            build.simulation.build_for_experiment()
        except AssbError:
            raise
        except Exception as exc:  # PyBaMM raises many kinds while meshing/discretising
            message = " ".join(f"{type(exc).__name__}: {exc}".split())
            raise BuildError(f"model build failed: {message}") from exc
        if validate:
            self._check_values(build, inputs)
        area = float(
            inputs.get("Electrode width [m]", build.values["Electrode width [m]"])
        ) * float(inputs.get("Electrode height [m]", build.values["Electrode height [m]"]))
        all_inputs = {**protocol.input_values(), **inputs}
        try:
            with quiet_native_stderr():
                solution = build.simulation.solve(inputs=all_inputs)
        except pybamm.SolverError as exc:
            message = " ".join(str(exc).split())
            if "infeasible due to exceeded bounds at initial conditions" in message:
                raise NoCapacityError(
                    f"{self.label}: no capacity: no step of the first cycle can start (the "
                    "voltage is beyond a cut-off from the first instant, e.g. the IR drop "
                    "of a poorly conducting composite exceeds the charge cut-off)"
                ) from exc
            raise SimulationError(f"{self.label}: solver failed: {message}") from exc
        if isinstance(solution, pybamm.EmptySolution):
            raise NoCapacityError(
                f"{self.label}: no capacity: no step could start (the voltage is beyond a "
                "cut-off from the first instant)"
            )
        return solution, Point(inputs, protocol, nmc_mass_g(build.values, inputs), area, build)

    def run(
        self, values: Mapping | None = None, /, *, allow_incomplete: bool = False, **more
    ) -> SimulationResult:
        """Solve and summarise (:mod:`assb_model.simulation.summary`).

        Parameters
        ----------
        values : mapping, optional
            Alias or name → value in its unit, for the quantities of ``vary``.
        allow_incomplete : bool
            Return the completed cycles when the protocol stops early (e.g. a degraded
            cell cannot reach the cut-off) instead of raising :class:`SimulationError`.
        """
        solution, point = self.solve(values, **more)
        return self.result(solution, point, allow_incomplete=allow_incomplete)

    def result(
        self, solution: pybamm.Solution, point: Point, *, allow_incomplete: bool = False
    ) -> SimulationResult:
        """The :class:`SimulationResult` of a solution of :meth:`solve`."""
        mass = point.nmc_mass_g
        table, stopped = summary.cycle_table(solution, mass)
        outputs, error = summary.run_outputs(
            table, point.protocol.n_cycles, mass, stopped, str(solution.termination)
        )
        if summary.no_capacity(table, stopped):
            raise NoCapacityError(f"{self.label}: {NoCapacityError.NOTE}")
        if error and not allow_incomplete:
            raise SimulationError(f"{self.label}: {error}")
        try:
            curves = summary.curves(solution, mass)
        except KeyError:  # the solver kept only the summary variables
            curves = pd.DataFrame(columns=list(summary.CURVE_COLUMNS))
        values = point.build.values.copy()
        values.update(point.inputs)
        protocol = point.protocol.describe()
        if isinstance(point.protocol, Schedule) and len(table):
            # label every cycle with its segment's protocol
            segment = point.protocol.segment_of_cycle()
            table["current_density_mA_per_cm2"] = [
                segment[c - 1].current_density for c in table["cycle"]
            ]
            table["upper_cutoff_V_vs_LiIn"] = [segment[c - 1].upper_cutoff for c in table["cycle"]]
        return SimulationResult(table, curves, solution, values, mass, protocol, outputs, error)


def simulate(
    parameter_set: Any = "giraldo2021_sp_lpscl_coated",
    current_density: float = 0.13,
    upper_cutoff: float = 3.8,
    lower_cutoff: float = 2.0,
    cycles: int = 1,
    options: dict | None = None,
    parameter_overrides: dict | None = None,
    var_pts: dict | None = None,
    solver: pybamm.BaseSolver | None = None,
) -> SimulationResult:
    """Simulate the paper's galvanostatic protocol.

    Parameters
    ----------
    parameter_set : str, path, Scenario or pybamm.ParameterValues
        A parameter-set name (:func:`assb_model.list_parameter_sets`), a parameter-set file,
        a :class:`Scenario` or values.
    current_density : float
        Charge and discharge current density [mA/cm2] (paper: 0.13–1).
    upper_cutoff, lower_cutoff : float
        Cut-off voltages [V vs Li–In] (paper: 3.8–4.4 and 2.0).
    cycles : int
        Number of charge–discharge cycles, starting with a charge from the pristine state.
    options : dict, optional
        Model options (:class:`assb_model.ASSBModel`).
    parameter_overrides : dict, optional
        What-ifs: alias or PyBaMM name → value in its unit (``{"sigma_se": 2e-6}`` in
        S/cm; PyBaMM names in SI). What follows from them is re-derived.
    var_pts : dict, optional
        Mesh points; default :data:`~assb_model.simulation.scenario.DEFAULT_VAR_PTS`.
    solver : pybamm.BaseSolver, optional
        Default :class:`pybamm.IDAKLUSolver`.

    Returns
    -------
    SimulationResult
    """
    scenario = as_scenario(
        parameter_set, options=options, overrides=parameter_overrides, var_pts=var_pts
    )
    protocol = CCCycling(current_density, upper_cutoff, lower_cutoff, cycles)
    return Runner(scenario, protocol, solver=solver).run()


__all__ = [
    "MASS_SCALING",
    "NMC_MASS",
    "BuildError",
    "Point",
    "Runner",
    "SimulationResult",
    "nmc_mass_g",
    "quiet_native_stderr",
    "simulate",
]
