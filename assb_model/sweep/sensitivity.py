"""Global sensitivity analysis (SALib Morris and Sobol) on the sweep engine.

The sample is the spec's design (``design="morris"`` or ``"sobol"``, with ranges as axes;
log axes are sampled uniformly in log10), computed with :func:`run_sweep` (parallel,
resumable, Dask-capable), and analysed with SALib.

Morris: μ* is the mean absolute elementary effect, in output units per unit of the
normalised range (a move of the parameter across its whole range — in log10 for log
axes — changes the output by about μ*); σ large relative to μ* flags non-linearity or
interactions. Sobol: S1 is the share of the output variance explained by the parameter
alone, ST including its interactions.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from assb_model.errors import AssbError
from assb_model.sweep.engine import SweepResult, run_sweep
from assb_model.sweep.spec import SweepSpec, SweepSpecError, point_id

METHODS = ("morris", "sobol")


class SensitivityError(AssbError, RuntimeError):
    """The analysis cannot be computed (e.g. failed points in a Sobol sample)."""


@dataclass
class SensitivityResult:
    """Sensitivity indices of one or more outputs.

    Attributes
    ----------
    method : str
        ``"morris"`` or ``"sobol"``.
    indices : dict
        Output name → DataFrame indexed by parameter (Morris: ``mu_star``,
        ``mu_star_conf``, ``mu``, ``sigma``; Sobol: ``S1``, ``S1_conf``, ``ST``,
        ``ST_conf``), most important first.
    sweep : SweepResult
    notes : list of str
        E.g. Morris trajectories dropped because a point failed.
    """

    method: str
    indices: dict
    sweep: SweepResult
    notes: list = field(default_factory=list)

    def table(self) -> pd.DataFrame:
        """All indices in one long table (output, parameter, index columns)."""
        frames = [
            df.rename_axis("parameter").reset_index().assign(output=out)
            for out, df in self.indices.items()
        ]
        df = pd.concat(frames, ignore_index=True)
        return df[["output", *[c for c in df.columns if c != "output"]]]

    def plot(self, output: str | None = None, ax=None):
        """Bar (tornado) plot of one output's indices."""
        from assb_model.sweep.plotting import plot_sensitivity

        output = output or next(iter(self.indices))
        return plot_sensitivity(self.indices[output], ax=ax, title=f"{self.method}: {output}")


def _responses(spec: SweepSpec, results: pd.DataFrame, output: str) -> np.ndarray:
    ids = [point_id(p) for p in spec.points()]
    by_id = results.set_index("point_id")
    y = by_id[output].where(by_id["status"] == "ok")
    return y.reindex(ids).to_numpy(dtype=float)


def morris_indices(spec: SweepSpec, results: pd.DataFrame, output: str):
    """Morris indices of ``output`` from a finished Morris sweep.

    Trajectories with a failed point are left out (each trajectory is self-contained).

    Returns
    -------
    indices : pandas.DataFrame
    note : str
        Empty, or how many trajectories were dropped.
    """
    from SALib.analyze import morris

    problem = spec.problem()
    x = spec.design_matrix()
    y = _responses(spec, results, output)
    size = problem["num_vars"] + 1
    keep = np.isfinite(y).reshape(-1, size).all(axis=1)
    if not keep.any():
        raise SensitivityError(f"every Morris trajectory has a failed point ({output})")
    rows = np.repeat(keep, size)
    levels = int(spec.design_options.get("num_levels", 4))
    res = morris.analyze(problem, x[rows], y[rows], num_levels=levels, seed=spec.seed)
    df = pd.DataFrame(
        {k: np.asarray(res[k], dtype=float) for k in ("mu", "mu_star", "sigma", "mu_star_conf")},
        index=pd.Index(problem["names"], name="parameter"),
    )
    note = "" if keep.all() else f"{(~keep).sum()} of {len(keep)} trajectories dropped ({output})"
    return df.sort_values("mu_star", ascending=False), note


def sobol_indices(spec: SweepSpec, results: pd.DataFrame, output: str):
    """Sobol indices of ``output`` from a finished Sobol sweep (no failed points allowed)."""
    from SALib.analyze import sobol

    problem = spec.problem()
    y = _responses(spec, results, output)
    if not np.isfinite(y).all():
        raise SensitivityError(
            f"{int((~np.isfinite(y)).sum())} of {len(y)} Sobol points have no {output} "
            "(failed): narrow the ranges or use Morris, which can drop trajectories"
        )
    second = bool(spec.design_options.get("calc_second_order", False))
    res = sobol.analyze(problem, y, calc_second_order=second, seed=spec.seed)
    df = pd.DataFrame(
        {k: np.asarray(res[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")},
        index=pd.Index(problem["names"], name="parameter"),
    )
    return df.sort_values("ST", ascending=False), ""


def analyse(spec: SweepSpec, results: pd.DataFrame, outputs) -> tuple[dict, list]:
    """Indices of each output from finished Morris/Sobol results (e.g. a loaded sweep)."""
    if spec.design not in METHODS:
        raise SweepSpecError(f"sensitivity needs a morris or sobol design, not '{spec.design}'")
    fn = morris_indices if spec.design == "morris" else sobol_indices
    indices, notes = {}, []
    for output in [outputs] if isinstance(outputs, str) else outputs:
        indices[output], note = fn(spec, results, output)
        if note:
            notes.append(note)
    return indices, notes


def sensitivity_analysis(
    spec: SweepSpec,
    outputs=("discharge_capacity_mAh_per_g",),
    out=None,
    **run_kwargs,
) -> SensitivityResult:
    """Run a Morris or Sobol sample through the sweep engine and analyse it.

    Parameters
    ----------
    spec : SweepSpec
        ``design="morris"`` (``samples`` = trajectories) or ``"sobol"`` (``samples`` =
        N, a power of 2), axes as ranges (``Axis.range`` / ``"NAME=LOW:HIGH[:log]"``).
    outputs : str or sequence of str
        Output columns to analyse (:data:`assb_model.sweep.OUTPUT_COLUMNS`).
    out : path, optional
        Sweep folder; ``sensitivity.csv`` is written there too.
    **run_kwargs
        Passed to :func:`run_sweep` (workers, backend, scheduler, resume...).

    Returns
    -------
    SensitivityResult
    """
    if spec.design not in METHODS:
        raise SweepSpecError(
            f"sensitivity analysis needs design='morris' or 'sobol', got '{spec.design}'"
        )
    sweep = run_sweep(spec, out, **run_kwargs)
    indices, notes = analyse(spec, sweep.results, outputs)
    result = SensitivityResult(spec.design, indices, sweep, notes)
    if out is not None:
        result.table().to_csv(Path(out) / "sensitivity.csv", index=False)
    return result
