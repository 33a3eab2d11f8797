"""assb-model: a PyBaMM model of sulfide all-solid-state composite cathodes.

Reproduces and extends Giraldo et al., Batteries 2021, 7, 77
(doi:10.3390/batteries7040077).
"""

from assb_model.model import ASSB_OPTIONS, ASSBModel
from assb_model.parameters.sets import (
    build_parameter_table,
    list_parameter_sets,
    load_parameter_set,
)
from assb_model.parameters.validation import ParameterError
from assb_model.simulation.cycling import SimulationError, SimulationResult, simulate

__version__ = "0.1.0"

__all__ = [
    "ASSB_OPTIONS",
    "ASSBModel",
    "ParameterError",
    "SimulationError",
    "SimulationResult",
    "build_parameter_table",
    "list_parameter_sets",
    "load_parameter_set",
    "simulate",
]
