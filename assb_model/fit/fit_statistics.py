"""Uncertainty of a least-squares fit from the Jacobian of its residuals.

With residuals ``r`` (``m`` of them) and their Jacobian ``J`` with respect to the ``n``
fitted-space parameters ``z`` at the optimum, the linearised covariance is

.. math::

    \\operatorname{cov}(z) = s^2 (J^T J)^{-1}, \\qquad s^2 = \\frac{r^T r}{m - n},

(the pseudo-inverse when ``JᵀJ`` is singular). Standard errors are the square roots of its
diagonal, correlations ``cov_ij / (se_i se_j)``. Parameters fitted as ``z = log10 p`` get
the asymmetric 95 % interval ``10^(z ± 1.96 se_z)`` and the delta-method standard error
``p ln(10) se_z``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: |correlation| above which a pair of parameters is reported as not separately identifiable.
CORRELATION_LIMIT = 0.95

#: Two-sided 95 % normal quantile.
Z95 = 1.959963984540054


@dataclass
class JacobianStatistics:
    """Output of :func:`jacobian_statistics` (fitted space ``z``).

    Attributes
    ----------
    covariance : numpy.ndarray
        ``n × n`` covariance of ``z``.
    standard_errors : numpy.ndarray
        Standard errors of ``z``.
    correlation : numpy.ndarray
        ``n × n`` correlation matrix (NaN where a standard error is zero or infinite).
    residual_std : float
        ``s``, the residuals' standard deviation estimate (their unit).
    rank : int
        Numerical rank of ``J``; below ``n`` some combination of parameters is not
        determined by the data at all.
    condition_number : float
        Ratio of the largest to smallest singular value of ``J``.
    """

    covariance: np.ndarray
    standard_errors: np.ndarray
    correlation: np.ndarray
    residual_std: float
    rank: int
    condition_number: float


def jacobian_statistics(jacobian: np.ndarray, residuals: np.ndarray) -> JacobianStatistics:
    """Covariance, standard errors and correlations from ``J`` and ``r`` at the optimum.

    Parameters
    ----------
    jacobian : numpy.ndarray
        ``m × n`` Jacobian of the residuals with respect to the fitted-space parameters.
    residuals : numpy.ndarray
        The ``m`` residuals at the optimum.

    Returns
    -------
    JacobianStatistics
        Directions the data do not constrain (rank deficiency) get infinite standard errors.
    """
    J = np.atleast_2d(np.asarray(jacobian, float))
    r = np.asarray(residuals, float)
    m, n = J.shape
    dof = max(m - n, 1)
    s2 = float(r @ r) / dof
    sv = np.linalg.svd(J, compute_uv=False)
    tol = sv.max() * max(m, n) * np.finfo(float).eps if sv.size and sv.max() > 0 else 0.0
    rank = int(np.sum(sv > tol))
    cond = float(sv.max() / sv.min()) if sv.size and sv.min() > 0 else float("inf")
    cov = s2 * np.linalg.pinv(J.T @ J, rcond=1e-12, hermitian=True)
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    if rank < n:
        # the unconstrained directions: parameters loading on null-space vectors
        _, _, vt = np.linalg.svd(J)
        null = vt[rank:]
        free = np.any(np.abs(null) > 1e-6, axis=0)
        se = np.where(free, np.inf, se)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(se, se)
    corr[~np.isfinite(corr)] = np.nan
    if rank < n:
        corr = _null_space_correlation(J, rank, corr)
    np.fill_diagonal(corr, 1.0)
    return JacobianStatistics(cov, se, corr, float(np.sqrt(s2)), rank, cond)


def _null_space_correlation(J: np.ndarray, rank: int, corr: np.ndarray) -> np.ndarray:
    """Pairs that move together along an unconstrained direction are correlated ±1."""
    _, _, vt = np.linalg.svd(J)
    out = corr.copy()
    for v in vt[rank:]:
        idx = np.flatnonzero(np.abs(v) > 1e-6)
        for i in idx:
            for j in idx:
                if i != j:
                    # along v the fit is unchanged: estimates trade off with this sign
                    out[i, j] = np.sign(v[i] * v[j])
    return out


def correlated_pairs(
    names: list[str], correlation: np.ndarray, limit: float = CORRELATION_LIMIT
) -> list[tuple[str, str, float]]:
    """Pairs ``(a, b, corr)`` with ``|corr| > limit``: not separately identifiable."""
    out = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            c = correlation[i, j]
            if np.isfinite(c) and abs(c) > limit:
                out.append((names[i], names[j], float(c)))
    return out
