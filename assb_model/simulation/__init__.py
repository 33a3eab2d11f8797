"""The simulation layer."""

from assb_model.simulation.cycling import (
    CyclingSimulation,
    SimulationError,
    SimulationResult,
    simulate,
)

__all__ = ["CyclingSimulation", "SimulationError", "SimulationResult", "simulate"]
