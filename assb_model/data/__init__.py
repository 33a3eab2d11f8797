"""Measured cycling data: load cycler files into tidy DataFrames and summarise them; compare
the model with them and fit its parameters.

``current_A`` in every DataFrame here follows the PyBaMM convention: **positive current =
discharge**. See ``docs/data.md`` (loading) and ``docs/compare_fit.md`` (comparing, fitting).
"""

# Comparing with the model and fitting (docs/compare_fit.md) live in the subpackage
# compare_fit, which runs PyBaMM; the loader modules here do not import it. Plotting
# (assb_model.data.compare_fit.plotting) and the CLI (assb_model.data.cli) are imported
# from their modules (they pull in matplotlib/argparse).
from assb_model.data.compare_fit import (
    SHORT_NAMES as FIT_PARAMETER_NAMES,
)
from assb_model.data.compare_fit import (
    Comparison,
    ComparisonError,
    FitResult,
    FitSetupError,
    MeasuredProtocol,
    ReplaySimulation,
    compare,
    example_data_path,
    example_parameter_values,
    fit_cycling,
    load_fitted_parameter_set,
    measured_protocol,
    synthetic_cycling,
    write_fitted_parameter_set,
)
from assb_model.data.errors import CyclingDataError
from assb_model.data.loaders import PER_GRAM_COLUMNS, TIDY_COLUMNS, load_cycling
from assb_model.data.protocol import to_pybamm_experiment_steps
from assb_model.data.summary import cycle_summary

__all__ = [
    "FIT_PARAMETER_NAMES",
    "PER_GRAM_COLUMNS",
    "TIDY_COLUMNS",
    "Comparison",
    "ComparisonError",
    "CyclingDataError",
    "FitResult",
    "FitSetupError",
    "MeasuredProtocol",
    "ReplaySimulation",
    "compare",
    "cycle_summary",
    "example_data_path",
    "example_parameter_values",
    "fit_cycling",
    "load_cycling",
    "load_fitted_parameter_set",
    "measured_protocol",
    "synthetic_cycling",
    "to_pybamm_experiment_steps",
    "write_fitted_parameter_set",
]
