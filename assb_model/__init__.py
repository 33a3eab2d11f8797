"""assb-model: a PyBaMM model of sulfide all-solid-state composite cathodes.

Reproduces and extends Giraldo et al., Batteries 2021, 7, 77
(doi:10.3390/batteries7040077).

The public names below are imported on first use (PEP 562), so that ``import assb_model``
and the command line start without loading PyBaMM.
"""

from importlib import import_module

__version__ = "0.1.0"

#: Public name → module that defines it.
_EXPORTS = {
    "ASSB_OPTIONS": "assb_model.model",
    "ASSBModel": "assb_model.model",
    "AssbError": "assb_model.errors",
    "ParameterError": "assb_model.errors",
    "SimulationError": "assb_model.errors",
    "UnknownParameterSetError": "assb_model.errors",
    "build_parameter_table": "assb_model.parameters.sets",
    "list_parameter_sets": "assb_model.parameters.catalog",
    "load_parameter_set": "assb_model.parameters.sets",
    "Scenario": "assb_model.simulation",
    "CCCycling": "assb_model.simulation",
    "Schedule": "assb_model.simulation",
    "Segment": "assb_model.simulation",
    "Runner": "assb_model.simulation",
    "SimulationResult": "assb_model.simulation",
    "simulate": "assb_model.simulation",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'assb_model' has no attribute '{name}'")


def __dir__():
    return sorted([*globals(), *_EXPORTS])
