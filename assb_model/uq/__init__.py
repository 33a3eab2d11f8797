"""Uncertainty: batch-to-batch spread and calibration uncertainty as prediction intervals.

>>> from assb_model.uq import UQSpec, run_uq
>>> result = run_uq(UQSpec("giraldo2021_sp_lpscl_coated", samples=64), workers=2)  # doctest: +SKIP
>>> result.summary[["output", "nominal", "q05", "q95"]]  # doctest: +SKIP

Method, assumptions and the coverage of the paper's numbers: docs/uncertainty.md.
"""

from assb_model.uq.derived import DerivedInputs
from assb_model.uq.inputs import (
    BatchSpread,
    CalibrationPosterior,
    UncertainInputs,
    batch_groups,
    design,
    pooled_log_sd,
    spread_table,
    uncertain_inputs,
)
from assb_model.uq.intervals import interval, summarise
from assb_model.uq.propagate import UQ_OUTPUTS, UQResult, UQSpec, run_uq, sample_table

__all__ = [
    "UQ_OUTPUTS",
    "BatchSpread",
    "CalibrationPosterior",
    "DerivedInputs",
    "UQResult",
    "UQSpec",
    "UncertainInputs",
    "batch_groups",
    "design",
    "interval",
    "pooled_log_sd",
    "run_uq",
    "sample_table",
    "spread_table",
    "summarise",
    "uncertain_inputs",
]
