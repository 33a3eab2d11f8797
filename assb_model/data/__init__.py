"""Measured data files: load cycler files into tidy DataFrames and summarise them.

File input and output only: nothing here runs the model (comparing the model with data and
fitting it: :mod:`assb_model.fit`). ``current_A`` in every DataFrame here follows the PyBaMM
convention: **positive current = discharge**. See ``docs/data.md``.
"""

from assb_model.data.errors import CyclingDataError
from assb_model.data.loaders import PER_GRAM_COLUMNS, TIDY_COLUMNS, load_cycling
from assb_model.data.protocol import to_pybamm_experiment_steps
from assb_model.data.summary import cycle_summary

__all__ = [
    "PER_GRAM_COLUMNS",
    "TIDY_COLUMNS",
    "CyclingDataError",
    "cycle_summary",
    "load_cycling",
    "to_pybamm_experiment_steps",
]
