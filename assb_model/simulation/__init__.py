"""The simulation layer: what to simulate (:class:`Scenario`), how the cell is cycled
(protocols), one :class:`Runner` that builds once and varies inputs or rebuilds by
groups, and one summary with one set of output names."""

from assb_model.errors import SimulationError
from assb_model.simulation.cycling import CyclingSimulation, ScheduleSimulation
from assb_model.simulation.protocols import (
    CURRENT_DENSITY_INPUT,
    FIGURE6_SCHEDULE,
    FIGURE8_SCHEDULE,
    CCCycling,
    ImpedanceStates,
    MeasuredSteps,
    Protocol,
    Schedule,
    Segment,
)
from assb_model.simulation.runner import Point, Runner, SimulationResult, simulate
from assb_model.simulation.scenario import DEFAULT_VAR_PTS, Scenario, as_scenario
from assb_model.simulation.summary import CYCLE_COLUMNS, OUTPUTS

__all__ = [
    "CURRENT_DENSITY_INPUT",
    "CYCLE_COLUMNS",
    "DEFAULT_VAR_PTS",
    "FIGURE6_SCHEDULE",
    "FIGURE8_SCHEDULE",
    "OUTPUTS",
    "CCCycling",
    "CyclingSimulation",
    "ImpedanceStates",
    "MeasuredSteps",
    "Point",
    "Protocol",
    "Runner",
    "Scenario",
    "Schedule",
    "ScheduleSimulation",
    "Segment",
    "SimulationError",
    "SimulationResult",
    "as_scenario",
    "simulate",
]
