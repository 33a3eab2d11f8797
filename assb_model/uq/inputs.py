"""What is uncertain: the batch-to-batch spread of the table rows and the calibration.

Two sources, sampled together (docs/uncertainty.md):

- **Batch spread** (:class:`BatchSpread`): each table quantity a set's inferences start
  from (R_SE, R_SE,GB, R_SE/Cat, R_SE/An, C_eff,SE/Cat, C_eff,SE/An; the facts of
  :data:`assb_model.parameters.sets.INFERENCE_DATA`) is log-normal around the set's own
  value, with the log standard deviation of the paper's batch rows *pooled* over every
  group of rows with at least two batches (Table 2 simple mixture coated B1–B3, solution
  process coated B1–B2, Table 3 Li6PS5Cl B1-2/B2-2: 4 degrees of freedom). A set with a
  single row (the uncoated cells) gets the pooled value; a set's own 1–2 degrees of freedom
  would be too few to estimate a spread. Quantities are sampled independently (three
  groups of 2–3 rows cannot estimate a correlation).
- **Calibration** (:class:`CalibrationPosterior`): the Laplace posterior of the six
  calibrated constants stored by ``assb calibrate`` (``calibrated.json`` ``posterior``):
  a multivariate normal in log10, the constants that apply to the set (its contact number,
  the three shared constants) taken as the marginal.

:func:`design` draws both from one Latin hypercube (:mod:`scipy.stats.qmc`) mapped through
the normal quantile function; :class:`DerivedInputs` pushes the sampled facts through the
set's own derivations (:func:`assb_model.parameters.sets.build_parameter_table` with
``facts=``) to the model parameters they change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from assb_model.parameters import paper
from assb_model.parameters.catalog import read_json
from assb_model.parameters.files import resolve_source

#: Table column → the fact (PyBaMM-style name, SI) it sets, and the factor to SI.
TABLE_FACTS: dict[str, tuple[str, float]] = {
    "R_SE_ohm": ("Table R_SE [Ohm]", 1.0),
    "R_GB_ohm": ("SE grain-boundary resistance [Ohm]", 1.0),
    "R_SECat_ohm": ("Table R_SE/Cat [Ohm]", 1.0),
    "R_SEAn_ohm": ("Table R_SE/An [Ohm]", 1.0),
    "Ceff_SECat_uF": ("Table C_eff,SE/Cat [F]", 1e-6),
    "Ceff_SEAn_uF": ("Table C_eff,SE/An [F]", 1e-6),
}


def _table2_group(process: str, coated: bool) -> pd.DataFrame:
    t = paper.table2()
    return t[(t["process"] == process) & (t["coated"] == coated)]


def batch_groups() -> dict[str, pd.DataFrame]:
    """The paper's batch rows by cell type (rows of the same cell made again).

    Table 2 (2nd charge): simple mixture coated B1–B3, uncoated (one row); solution process
    coated B1–B2, uncoated (one row). Table 3: the Li6PS5Cl cell's two batches at the 2nd
    charge (B1-2, B2-2).
    """
    t3 = paper.table3()
    return {
        "simple mixture coated": _table2_group("simple mixture", True),
        "simple mixture uncoated": _table2_group("simple mixture", False),
        "solution process coated": _table2_group("solution process", True),
        "solution process uncoated": _table2_group("solution process", False),
        "Li6PS5Cl solution process coated": t3[t3["cycle_number"] == 2],
    }


@cache
def pooled_log_sd() -> dict[str, float]:
    """Pooled standard deviation of ln(value) within batch groups, per table column.

    .. math:: s^2 = \\frac{\\sum_g \\sum_{i \\in g} (\\ln x_i - \\overline{\\ln x}_g)^2}
                         {\\sum_g (n_g - 1)}

    over the groups of :func:`batch_groups` with at least two rows.
    """
    out = {}
    for col in TABLE_FACTS:
        ss, dof = 0.0, 0
        for rows in batch_groups().values():
            x = np.log(rows[col].dropna().to_numpy(dtype=float))
            if len(x) >= 2:
                ss += float(np.sum((x - x.mean()) ** 2))
                dof += len(x) - 1
        out[col] = math.sqrt(ss / dof) if dof else 0.0
    return out


def spread_table() -> pd.DataFrame:
    """Per table column: the pooled log-sd, its degrees of freedom and each group's own."""
    rows = []
    for col, (fact, _) in TABLE_FACTS.items():
        row = {"column": col, "fact": fact, "pooled_log_sd": pooled_log_sd()[col]}
        dof = 0
        for name, g in batch_groups().items():
            x = np.log(g[col].dropna().to_numpy(dtype=float))
            row[f"{name} (n={len(x)})"] = float(np.std(x, ddof=1)) if len(x) >= 2 else np.nan
            dof += max(len(x) - 1, 0)
        row["dof"] = dof
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class BatchSpread:
    """Log-normal batch spread of a set's table facts.

    Parameters
    ----------
    scale : float
        Multiplies every log-sd (1: the paper's pooled spread; 0: off; 2: doubled).
    log_sd : dict, optional
        Table column → log-sd, instead of :func:`pooled_log_sd`.
    """

    scale: float = 1.0
    log_sd: dict | None = None

    def sd(self) -> dict[str, float]:
        """Fact name → standard deviation of its natural log."""
        base = self.log_sd if self.log_sd is not None else pooled_log_sd()
        return {TABLE_FACTS[c][0]: float(self.scale) * float(s) for c, s in base.items()}


@dataclass(frozen=True)
class CalibrationPosterior:
    """The Laplace posterior of the calibrated constants (``calibrated.json``).

    Parameters
    ----------
    scale : float
        Multiplies the standard deviations (0: calibration uncertainty off).
    """

    scale: float = 1.0

    @staticmethod
    def stored() -> dict:
        try:
            return read_json("calibrated.json").get("posterior") or {}
        except FileNotFoundError:
            return {}

    def for_cell(self, electrolyte: str, process: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Names, log10 mean and log10 covariance of the constants that apply to a cell."""
        post = self.stored()
        if not post:
            return [], np.zeros(0), np.zeros((0, 0))
        keep = []
        for i, scope in enumerate(post["scopes"]):
            if scope is None or all(
                {"electrolyte": electrolyte, "process": process}.get(k) == v
                for k, v in scope.items()
            ):
                keep.append(i)
        mean = np.asarray(post["log10_mean"], dtype=float)[keep]
        cov = np.asarray(post["log10_cov"], dtype=float)[np.ix_(keep, keep)]
        return [post["names"][i] for i in keep], mean, cov * float(self.scale) ** 2


@dataclass
class UncertainInputs:
    """The uncertain facts of one parameter set: their names, centres and spread.

    Attributes
    ----------
    parameter_set : str
    names : list of str
        Fact names (PyBaMM-style, SI) in design order: table facts, then calibrated
        constants.
    center : numpy.ndarray
        Natural log of each fact at the set's own value.
    cov : numpy.ndarray
        Covariance of the natural logs (block-diagonal: spread, calibration).
    kinds : list of str
        ``"batch spread"`` or ``"calibration"`` per fact.
    """

    parameter_set: str
    names: list[str]
    center: np.ndarray
    cov: np.ndarray
    kinds: list[str] = field(default_factory=list)

    @property
    def varied(self) -> list[int]:
        """Indices of the facts with a non-zero spread."""
        return [i for i in range(len(self.names)) if self.cov[i, i] > 0]

    def sd(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov))


def uncertain_inputs(
    parameter_set: str,
    spread: BatchSpread | None = None,
    calibration: CalibrationPosterior | None = None,
) -> UncertainInputs:
    """The facts of ``parameter_set`` with their log-normal spread.

    Parameters
    ----------
    parameter_set : str
        A set name or parameter-set file with impedance rows of its own.
    spread : BatchSpread, optional
        Default: the pooled spread (``BatchSpread()``); ``BatchSpread(0)`` switches it off.
    calibration : CalibrationPosterior, optional
        Default: the stored posterior; ``CalibrationPosterior(0)`` switches it off.
    """
    spread = BatchSpread() if spread is None else spread
    calibration = CalibrationPosterior() if calibration is None else calibration
    table = _nominal_table(str(parameter_set))
    cell = resolve_source(parameter_set).cell
    names, center, sds, kinds = [], [], [], []
    for fact, sd in spread.sd().items():
        if fact in table.entries:
            names.append(fact)
            center.append(math.log(table[fact]))
            sds.append(sd)
            kinds.append("batch spread")
    n_table = len(names)
    cal_names, mean10, cov10 = calibration.for_cell(cell.electrolyte, cell.process)
    ln10 = math.log(10.0)
    for name, m in zip(cal_names, mean10, strict=True):
        names.append(name)
        center.append(m * ln10)
        kinds.append("calibration")
    k = len(names)
    cov = np.zeros((k, k))
    cov[:n_table, :n_table] = np.diag(np.square(sds))
    cov[n_table:, n_table:] = cov10 * ln10**2
    return UncertainInputs(str(parameter_set), names, np.array(center), cov, kinds)


def _nominal_table(parameter_set: str):
    from assb_model.parameters.sets import build_parameter_table

    return build_parameter_table(parameter_set)


def design(inputs: UncertainInputs, samples: int, seed: int = 0) -> pd.DataFrame:
    """A Latin-hypercube sample of the facts (one row per sample, SI values).

    The unit hypercube (:class:`scipy.stats.qmc.LatinHypercube`, one dimension per varied
    fact) is mapped through the normal quantile function and the Cholesky factor of the
    log covariance. Facts without spread keep their value in every row.
    """
    from scipy.special import ndtri
    from scipy.stats import qmc

    if samples < 1:
        raise ValueError(f"samples must be at least 1, got {samples}")
    varied = inputs.varied
    logs = np.tile(inputs.center, (samples, 1))
    if varied:
        u = qmc.LatinHypercube(d=len(varied), seed=seed).random(samples)
        z = ndtri(u)
        sub = inputs.cov[np.ix_(varied, varied)]
        chol = np.linalg.cholesky(sub)
        logs[:, varied] += z @ chol.T
    df = pd.DataFrame(np.exp(logs), columns=inputs.names)
    df.index.name = "sample"
    return df
