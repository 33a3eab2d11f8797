r"""Effective capacitance and characteristic times of constant-phase elements.

For an arc :math:`R\|\mathrm{CPE}` with :math:`Z_\mathrm{CPE} = 1/(Q (j\omega)^\alpha)`:

* **Hsu–Mansfeld / normal (through-film) distribution** (Hirschorn et al. 2010, eq. 14)

  .. math:: C_\mathrm{eff} = Q^{1/\alpha} R^{(1-\alpha)/\alpha}

  This is what Giraldo et al. (2021) use for Tables 2 and 3 ("as described by Hirschorn et
  al. [31]") with :math:`R` the resistance in parallel with the CPE.
* **Brug et al. (1984) / surface distribution** (Hirschorn et al. 2010, eq. 20)

  .. math:: C_\mathrm{eff} = Q^{1/\alpha}
     \left(\frac{1}{R_e} + \frac{1}{R_t}\right)^{(\alpha-1)/\alpha}

  for a CPE caused by a distribution of time constants *along the electrode surface*,
  where :math:`R_e` is the resistance in *series* (electrolyte) and :math:`R_t` the one in
  parallel (charge transfer); for a blocking electrode (:math:`R_t\to\infty`) it reduces to
  :math:`Q^{1/\alpha} R_e^{(1-\alpha)/\alpha}`. The two formulas differ only in which
  resistance sets the cut-off of the distribution; they coincide for :math:`\alpha = 1`,
  and for :math:`\alpha < 1` the Brug value is smaller when :math:`R_e \ll R_t`.

The characteristic time of the arc is :math:`T = R C_\mathrm{eff} = (RQ)^{1/\alpha}` and the
apex of the arc (maximum of :math:`-Z''`) is at :math:`f_\max = 1/(2\pi T)`, independent of
:math:`\alpha`.

References
----------
.. [1] B. Hirschorn, M. E. Orazem, B. Tribollet, V. Vivier, I. Frateur, M. Musiani,
   "Determination of effective capacitance and film thickness from constant-phase-element
   parameters", Electrochim. Acta 55 (2010) 6218-6227, doi:10.1016/j.electacta.2009.10.065.
.. [2] C. H. Hsu, F. Mansfeld, "Concerning the conversion of the constant phase element
   parameter Y0 into a capacitance", Corrosion 57 (2001) 747.
.. [3] G. J. Brug, A. L. G. van den Eeden, M. Sluyters-Rehbach, J. H. Sluyters, "The analysis
   of electrode impedances complicated by the presence of a constant phase element",
   J. Electroanal. Chem. 176 (1984) 275.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "apex_frequency",
    "brug_capacitance",
    "characteristic_time",
    "cpe_q_from_capacitance",
    "cpe_q_from_time",
    "effective_capacitance",
]

FloatOrArray = float | NDArray[np.float64]


def _out(x: NDArray[np.float64]) -> FloatOrArray:
    return float(x) if np.ndim(x) == 0 else x


def effective_capacitance(R: ArrayLike, Q: ArrayLike, alpha: ArrayLike) -> FloatOrArray:
    r"""Effective capacitance of :math:`R\|\mathrm{CPE}` (Hsu–Mansfeld, Hirschorn eq. 14).

    .. math:: C_\mathrm{eff} = Q^{1/\alpha} R^{(1-\alpha)/\alpha}

    Parameters
    ----------
    R : array_like
        Resistance in parallel with the CPE (ohm).
    Q : array_like
        CPE coefficient (F s^(alpha-1)).
    alpha : array_like
        CPE exponent, :math:`0 < \alpha \le 1`.

    Returns
    -------
    float or numpy.ndarray
        :math:`C_\mathrm{eff}` in F.
    """
    R, Q, alpha = (np.asarray(x, dtype=float) for x in (R, Q, alpha))
    return _out(Q ** (1.0 / alpha) * R ** ((1.0 - alpha) / alpha))


def brug_capacitance(
    Q: ArrayLike, alpha: ArrayLike, R_series: ArrayLike, R_parallel: ArrayLike = np.inf
) -> FloatOrArray:
    r"""Effective capacitance for a surface distribution (Brug et al., Hirschorn eq. 20).

    .. math:: C_\mathrm{eff} = Q^{1/\alpha}
       \left(R_e^{-1} + R_t^{-1}\right)^{(\alpha-1)/\alpha}

    Parameters
    ----------
    Q, alpha : array_like
        CPE parameters.
    R_series : array_like
        Series (electrolyte) resistance :math:`R_e` in ohm.
    R_parallel : array_like, optional
        Parallel (charge-transfer) resistance :math:`R_t`; infinite for a blocking electrode.

    Returns
    -------
    float or numpy.ndarray
        :math:`C_\mathrm{eff}` in F.
    """
    Q, alpha, Re, Rt = (np.asarray(x, dtype=float) for x in (Q, alpha, R_series, R_parallel))
    return _out(Q ** (1.0 / alpha) * (1.0 / Re + 1.0 / Rt) ** ((alpha - 1.0) / alpha))


def characteristic_time(R: ArrayLike, Q: ArrayLike, alpha: ArrayLike) -> FloatOrArray:
    r"""Characteristic time :math:`T = R C_\mathrm{eff} = (RQ)^{1/\alpha}` in s."""
    R, Q, alpha = (np.asarray(x, dtype=float) for x in (R, Q, alpha))
    return _out((R * Q) ** (1.0 / alpha))


def apex_frequency(R: ArrayLike, Q: ArrayLike, alpha: ArrayLike) -> FloatOrArray:
    r"""Frequency of the arc apex (maximum of :math:`-Z''`), :math:`1/(2\pi (RQ)^{1/\alpha})`."""
    return _out(1.0 / (2.0 * np.pi * np.asarray(characteristic_time(R, Q, alpha))))


def cpe_q_from_time(R: ArrayLike, T: ArrayLike, alpha: ArrayLike) -> FloatOrArray:
    r"""CPE coefficient giving characteristic time ``T``: :math:`Q = T^\alpha/R`."""
    R, T, alpha = (np.asarray(x, dtype=float) for x in (R, T, alpha))
    return _out(T**alpha / R)


def cpe_q_from_capacitance(R: ArrayLike, C_eff: ArrayLike, alpha: ArrayLike) -> FloatOrArray:
    r"""Inverse of :func:`effective_capacitance`: :math:`Q = C_\mathrm{eff}^\alpha R^{\alpha-1}`."""
    R, C_eff, alpha = (np.asarray(x, dtype=float) for x in (R, C_eff, alpha))
    return _out(C_eff**alpha * R ** (alpha - 1.0))
