"""Prediction intervals from samples, and their Monte Carlo error.

An interval is the pair of sample quantiles (5 % and 95 % for the 90 % interval). Its
ends are estimates from a finite sample; two measures of their Monte Carlo error are
given:

- the bootstrap standard error of each end (resampling the samples with replacement; a
  Latin hypercube is at least as accurate as independent sampling for the monotone
  outputs here, so this errs on the safe side);
- the distribution-free 95 % confidence interval of each quantile from order statistics
  (the ranks between which the true quantile lies with 95 % probability, binomial).

The convergence of the ends is shown by the same quantiles of the first half of the
samples (a Latin hypercube's first half is not itself a Latin hypercube, but is a random
sample of the same distribution).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Quantiles reported for each output: the 90 % and 50 % intervals and the median.
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def interval(values, level: float = 0.90) -> tuple[float, float]:
    """The central ``level`` interval of the finite values (NaN, NaN if none)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if not len(x):
        return (float("nan"), float("nan"))
    a = (1 - level) / 2
    lo, hi = np.quantile(x, [a, 1 - a])
    return (float(lo), float(hi))


def bootstrap_se(values, q: float, n_boot: int = 1000, seed: int = 0) -> float:
    """Bootstrap standard error of the ``q`` sample quantile (:func:`scipy.stats.bootstrap`)."""
    from scipy.stats import bootstrap

    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) < 2:
        return float("nan")
    res = bootstrap(
        (x,),
        lambda s, axis: np.quantile(s, q, axis=axis),
        n_resamples=n_boot,
        method="percentile",
        rng=np.random.default_rng(seed),
    )
    return float(res.standard_error)


def order_statistic_ci(values, q: float, confidence: float = 0.95) -> tuple[float, float]:
    """Distribution-free confidence interval of the ``q`` quantile (order statistics).

    The ranks :math:`r < s` with :math:`B(s-1) - B(r-1) \\ge` ``confidence``, ``B`` the
    binomial(n, q) distribution function; NaN where the sample is too small for it.
    """
    from scipy.stats import binom

    x = np.asarray(values, dtype=float)
    x = np.sort(x[np.isfinite(x)])
    n = len(x)
    if n < 2:
        return (float("nan"), float("nan"))
    a = (1 - confidence) / 2
    r = int(binom.ppf(a, n, q))  # P(K <= r) >= a: the r-th order statistic (1-based)
    s = int(binom.ppf(1 - a, n, q)) + 1
    lo = x[r - 1] if r >= 1 else float("nan")
    hi = x[s - 1] if s <= n else float("nan")
    return (float(lo), float(hi))


def summarise(samples: pd.DataFrame, outputs, nominal: dict | None = None) -> pd.DataFrame:
    """One row per output: nominal value, quantiles, 90 % interval, Monte Carlo errors.

    Parameters
    ----------
    samples : DataFrame
        One row per sample (failed samples' outputs NaN).
    outputs : list of str
    nominal : dict, optional
        Output → value of the set's own inputs.
    """
    rows = []
    for name in outputs:
        x = samples[name].to_numpy(dtype=float)
        finite = x[np.isfinite(x)]
        row = {"output": name, "n": len(finite)}
        if nominal is not None:
            row["nominal"] = nominal.get(name, float("nan"))
        qs = np.quantile(finite, QUANTILES) if len(finite) else [np.nan] * len(QUANTILES)
        for q, v in zip(QUANTILES, qs, strict=True):
            row[f"q{round(100 * q):02d}"] = float(v)
        lo, hi = row["q05"], row["q95"]
        mid = row["q50"]
        row["relative_half_width"] = (hi - lo) / 2 / abs(mid) if mid else float("nan")
        row["se_q05"] = bootstrap_se(finite, 0.05)
        row["se_q95"] = bootstrap_se(finite, 0.95)
        row["ci95_q05_low"], row["ci95_q05_high"] = order_statistic_ci(finite, 0.05)
        row["ci95_q95_low"], row["ci95_q95_high"] = order_statistic_ci(finite, 0.95)
        half = x[: len(x) // 2]
        row["q05_first_half"], row["q95_first_half"] = interval(half)
        rows.append(row)
    return pd.DataFrame(rows)


__all__ = ["QUANTILES", "bootstrap_se", "interval", "order_statistic_ci", "summarise"]
