"""Parameter sweeps at scale: build once, vary inputs, in parallel, resumable.

>>> from assb_model.sweep import SweepSpec, run_sweep
>>> spec = SweepSpec("giraldo2021_sp_lpscl_coated", ["sigma_se=1e-5:1e-3:5:log"])
>>> result = run_sweep(spec, workers=2)                      # doctest: +SKIP
>>> result.results[["sigma_se", "discharge_capacity_mAh_per_g"]]  # doctest: +SKIP

Usage, aliases and units, resume semantics, Dask clusters: docs/sweeps.md.
"""

from assb_model.sweep.engine import SweepError, SweepResult, run_sweep
from assb_model.sweep.journal import load_sweep
from assb_model.sweep.outputs import OUTPUT_COLUMNS
from assb_model.sweep.parameters import ALIASES, REBUILD_PARAMETERS
from assb_model.sweep.plan import SweepPlan, plan_sweep
from assb_model.sweep.spec import Axis, SweepSpec, SweepSpecError

__all__ = [
    "ALIASES",
    "OUTPUT_COLUMNS",
    "REBUILD_PARAMETERS",
    "Axis",
    "SweepError",
    "SweepPlan",
    "SweepResult",
    "SweepSpec",
    "SweepSpecError",
    "load_sweep",
    "plan_sweep",
    "run_sweep",
]
