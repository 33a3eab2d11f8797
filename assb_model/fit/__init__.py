"""Compare the model with measured cycling data and fit its parameters (docs/compare_fit.md).

An analysis on top of the simulation layer; measured files are read by
:mod:`assb_model.data`. Modules, in the order a comparison uses them:

* :mod:`~assb_model.fit.replay`: measured steps → ``pybamm.Experiment``;
  the simulation built once, with input parameters.
* :mod:`~assb_model.fit.curves`: measured and simulated step curves in one
  layout (capacity within each step).
* :mod:`~assb_model.fit.alignment`: common axis, interpolation, energies.
* :mod:`~assb_model.fit.compare`: :func:`compare`, per-step and per-cycle
  errors.
* :mod:`~assb_model.fit.fit_parameters`: short names → PyBaMM names, log
  scaling, bounds.
* :mod:`~assb_model.fit.fit_targets`: the residual vector.
* :mod:`~assb_model.fit.fit_statistics`: covariance, correlations.
* :mod:`~assb_model.fit.fit_impedance`: optional joint impedance residual.
* :mod:`~assb_model.fit.fit`: :func:`fit_cycling`.
* :mod:`~assb_model.fit.fitted_sets`: write / load the fitted parameter set.
* :mod:`~assb_model.fit.synthetic`: synthetic "measured" data, the shipped
  example.
* :mod:`~assb_model.fit.plotting`: figures (imported from its module).
"""

import pybamm

from assb_model.data.errors import CyclingDataError
from assb_model.errors import UnknownParameterSetError
from assb_model.fit.compare import Comparison, ComparisonError, compare
from assb_model.fit.fit import FitResult, fit_cycling
from assb_model.fit.fit_parameters import SHORT_NAMES, FitSetupError
from assb_model.fit.fitted_sets import (
    load_fitted_parameter_set,
    write_fitted_parameter_set,
)
from assb_model.fit.replay import (
    MeasuredProtocol,
    ReplaySimulation,
    measured_protocol,
)
from assb_model.fit.synthetic import (
    example_data_path,
    example_parameter_values,
    synthetic_cycling,
)
from assb_model.parameters.validation import ParameterError

#: Errors that mean "the user asked for something impossible" (the CLI prints one line and
#: exits with 2).
USER_ERRORS = (
    CyclingDataError,
    ComparisonError,
    FitSetupError,
    ParameterError,
    UnknownParameterSetError,
    pybamm.OptionError,
    FileNotFoundError,
)

__all__ = [
    "SHORT_NAMES",
    "USER_ERRORS",
    "Comparison",
    "ComparisonError",
    "FitResult",
    "FitSetupError",
    "MeasuredProtocol",
    "ReplaySimulation",
    "compare",
    "example_data_path",
    "example_parameter_values",
    "fit_cycling",
    "load_fitted_parameter_set",
    "measured_protocol",
    "synthetic_cycling",
    "write_fitted_parameter_set",
]
