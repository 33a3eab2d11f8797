"""Multi-segment cycling protocols of the paper (Figures 6 and 8) and their runner.

The paper gives the current densities and charge-end voltages but not every detail of
the schedules; the choices made here are stated in :data:`FIGURE6_SCHEDULE` and
:data:`FIGURE8_SCHEDULE` and in docs/reproduction.md.
"""

from dataclasses import dataclass

import pybamm

from assb_model.model import ASSBModel
from assb_model.parameters.validation import ParameterError, validate_parameter_values
from assb_model.simulation.cycling import (
    DEFAULT_VAR_PTS,
    SimulationError,
    SimulationResult,
    nmc_mass_g,
    resolve_parameters,
    summarise_solution,
    with_inputs,
)


@dataclass(frozen=True)
class Segment:
    """``cycles`` CC charge–discharge cycles at one current density and cut-off pair."""

    cycles: int
    current_density: float  # mA/cm2
    upper_cutoff: float = 3.8  # V vs Li-In
    lower_cutoff: float = 2.0  # V vs Li-In


#: Figure 6b: 130 cycles at current densities rising from 0.13 to 1 mA/cm2. The paper
#: stops the cell for impedance after cycles 2, 10, 29 and 130 (Table 3) and removes the
#: efficiency "at the end of each current density", so the current changes after cycles
#: 10 and 29. Assumed schedule: 1-10 at 0.13, 11-29 at 0.5, 30-130 at 1.0 mA/cm2.
FIGURE6_SCHEDULE = (Segment(10, 0.13), Segment(19, 0.5), Segment(101, 1.0))

#: Figure 8: 30 cycles at 3.8 V vs Li-In, then 10 cycles at each raised charge-end
#: voltage. Current density not stated for this series: 0.13 mA/cm2 assumed.
FIGURE8_SCHEDULE = (
    Segment(30, 0.13, 3.8),
    Segment(10, 0.13, 3.9),
    Segment(10, 0.13, 4.0),
    Segment(10, 0.13, 4.1),
    Segment(10, 0.13, 4.3),
    Segment(10, 0.13, 4.4),
)


def schedule_experiment(segments, area_m2: float) -> pybamm.Experiment:
    """A :class:`pybamm.Experiment` running each segment's CC cycles in turn."""
    cycles = []
    for seg in segments:
        current = seg.current_density * 10 * area_m2  # mA/cm2 -> A
        cycle = (
            pybamm.step.current(-current, termination=f"> {seg.upper_cutoff} V"),
            pybamm.step.current(current, termination=f"< {seg.lower_cutoff} V"),
        )
        cycles += [cycle] * seg.cycles
    return pybamm.Experiment(cycles)


class ScheduleSimulation:
    """A multi-segment protocol, built once and run with any input parameters.

    Parameters
    ----------
    parameter_set : str or pybamm.ParameterValues
    segments : sequence of Segment
    options : dict, optional
    input_parameters : iterable of str, optional
    parameter_overrides : dict, optional
    var_pts : dict, optional
    solver : pybamm.BaseSolver, optional
    """

    def __init__(
        self,
        parameter_set,
        segments,
        options=None,
        input_parameters=(),
        parameter_overrides=None,
        var_pts=None,
        solver=None,
    ):
        pv, self.label = resolve_parameters(parameter_set, parameter_overrides)
        self.segments = tuple(segments)
        self.parameter_values = pv.copy()
        self.input_parameters = tuple(input_parameters)
        pv = with_inputs(pv, self.input_parameters, self.label)
        area = pv["Electrode width [m]"] * pv["Electrode height [m]"]
        self.nmc_mass_g = nmc_mass_g(pv, self.label)
        model = ASSBModel(options)
        self.simulation = pybamm.Simulation(
            model,
            parameter_values=pv,
            experiment=schedule_experiment(self.segments, area),
            var_pts={**model.default_var_pts, **(var_pts or DEFAULT_VAR_PTS)},
            solver=solver or pybamm.IDAKLUSolver(),
        )

    @property
    def n_cycles(self) -> int:
        return sum(s.cycles for s in self.segments)

    def run(self, allow_incomplete: bool = False, **inputs) -> SimulationResult:
        """Solve the schedule; ``inputs`` by parameter name.

        If the cell cannot complete a cycle (e.g. degraded below the cut-off), the
        result holds the cycles completed so far; with ``allow_incomplete=False`` that
        raises :class:`SimulationError` instead.
        """
        if set(inputs) != set(self.input_parameters):
            raise ParameterError(
                f"{self.label}: inputs must be exactly {sorted(self.input_parameters)}"
            )
        values = self.parameter_values.copy()
        values.update(inputs)
        validate_parameter_values(values, self.label)
        try:
            solution = self.simulation.solve(inputs=inputs)
        except pybamm.SolverError as exc:
            raise SimulationError(f"{self.label}: solver failed: {exc}") from exc
        cycles, curves = summarise_solution(solution, self.nmc_mass_g)
        if len(cycles) < self.n_cycles and not allow_incomplete:
            raise SimulationError(
                f"{self.label}: only {len(cycles)} of {self.n_cycles} cycles completed "
                f"(last step ended by: {solution.termination})"
            )
        # label every cycle with its segment's protocol
        seg_of_cycle = []
        for seg in self.segments:
            seg_of_cycle += [seg] * seg.cycles
        cycles["current_density_mA_per_cm2"] = [
            seg_of_cycle[c - 1].current_density for c in cycles["cycle"]
        ]
        cycles["upper_cutoff_V_vs_LiIn"] = [
            seg_of_cycle[c - 1].upper_cutoff for c in cycles["cycle"]
        ]
        protocol = {"segments": [s.__dict__ for s in self.segments]}
        return SimulationResult(cycles, curves, solution, values, self.nmc_mass_g, protocol)
