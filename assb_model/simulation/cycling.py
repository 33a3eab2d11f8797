"""Two fixed-protocol runners with PyBaMM inputs named up front.

:class:`CyclingSimulation` (the paper's CC protocol) and :class:`ScheduleSimulation`
(segments of CC cycling, Figures 6 and 8) are :class:`~assb_model.simulation.runner.Runner`
objects whose ``input_parameters`` are always PyBaMM input parameters (whatever the
registry says) and whose :meth:`run` takes the inputs as keywords: the form the
calibration and the tests use to vary any parameter of a built model.
"""

from __future__ import annotations

from assb_model.simulation.protocols import CCCycling, Schedule
from assb_model.simulation.runner import Runner, SimulationResult
from assb_model.simulation.scenario import as_scenario


class CyclingSimulation(Runner):
    """The paper's galvanostatic protocol, built once and run with any inputs.

    Parameters
    ----------
    parameter_set : str, path, Scenario or pybamm.ParameterValues
    upper_cutoff, lower_cutoff : float
        Cut-off voltages [V vs Li–In] (a change needs a new simulation).
    cycles : int
    options : dict, optional
    input_parameters : iterable of str
        Parameter names (or aliases) made PyBaMM input parameters; values go to :meth:`run`.
    parameter_overrides : dict, optional
    var_pts : dict, optional
    solver : pybamm.BaseSolver, optional
    """

    def __init__(
        self,
        parameter_set="giraldo2021_sp_lpscl_coated",
        upper_cutoff: float = 3.8,
        lower_cutoff: float = 2.0,
        cycles: int = 1,
        options: dict | None = None,
        input_parameters=(),
        parameter_overrides: dict | None = None,
        var_pts: dict | None = None,
        solver=None,
    ):
        scenario = as_scenario(
            parameter_set, options=options, overrides=parameter_overrides, var_pts=var_pts
        )
        protocol = CCCycling(0.13, upper_cutoff, lower_cutoff, cycles)
        vary = ("current_density", *input_parameters)
        super().__init__(scenario, protocol, vary, solver=solver, force_inputs=True)

    def run(self, current_density: float = 0.13, /, **inputs) -> SimulationResult:
        """Solve at ``current_density`` [mA/cm2] with the inputs by name."""
        return super().run({"current_density": current_density, **inputs})


class ScheduleSimulation(Runner):
    """A multi-segment protocol, built once and run with any input parameters.

    Parameters
    ----------
    parameter_set : str, path, Scenario or pybamm.ParameterValues
    segments : sequence of Segment
    options, input_parameters, parameter_overrides, var_pts, solver
        As :class:`CyclingSimulation`.
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
        scenario = as_scenario(
            parameter_set, options=options, overrides=parameter_overrides, var_pts=var_pts
        )
        super().__init__(
            scenario, Schedule(tuple(segments)), input_parameters, solver=solver, force_inputs=True
        )

    @property
    def segments(self):
        return self.protocol.segments

    @property
    def n_cycles(self) -> int:
        return self.protocol.n_cycles

    def run(self, allow_incomplete: bool = False, **inputs) -> SimulationResult:
        """Solve the schedule; ``inputs`` by parameter name.

        If the cell cannot complete a cycle (e.g. degraded below the cut-off), the result
        holds the cycles completed so far; with ``allow_incomplete=False`` that raises
        :class:`~assb_model.errors.SimulationError` instead.
        """
        return super().run(inputs, allow_incomplete=allow_incomplete)


__all__ = ["CyclingSimulation", "ScheduleSimulation"]
