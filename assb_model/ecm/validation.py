r"""Kramers–Kronig consistency check of impedance spectra (Lin-KK).

Following Schönleber et al. (2014), the spectrum is fitted by *linear* least squares to a
Voigt circuit with fixed, log-spaced time constants, which is Kramers–Kronig compliant by
construction:

.. math:: \hat Z(\omega) = R_0 + \sum_{k=1}^{M} \frac{R_k}{1 + j\omega\tau_k}
   \;[+\, j\omega L]\;[+\, 1/(j\omega C)], \qquad
   \tau_1 = \frac{1}{\omega_\max},\ \tau_M = \frac{1}{\omega_\min}

with modulus weighting :math:`1/|Z_i|`. The number of elements :math:`M` is increased until
the under/over-fitting measure

.. math:: \mu = 1 - \frac{\sum_{R_k<0}|R_k|}{\sum_{R_k\ge0}|R_k|}

drops below :math:`c` (default 0.85), i.e. until the fit starts to use negative resistances
to follow noise. The residuals :math:`\Delta' = (Z' - \hat Z')/|Z|`,
:math:`\Delta'' = (Z'' - \hat Z'')/|Z|` of a valid spectrum scatter around zero at the
noise level; drift, non-linearity or instrument artefacts show up as systematic
residuals, usually at the low-frequency end. The series capacitance (on by default) lets
a blocking/diffusive low-frequency tail pass.

References
----------
.. [1] M. Schönleber, D. Klotz, E. Ivers-Tiffée, "A Method for Improving the Robustness of
   linear Kramers-Kronig Validity Tests", Electrochim. Acta 131 (2014) 20-27,
   doi:10.1016/j.electacta.2014.01.034.
.. [2] B. A. Boukamp, "A Linear Kronig-Kramers Transform Test for Immittance Data
   Validation", J. Electrochem. Soc. 142 (1995) 1885.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["KKResult", "lin_kk"]


@dataclass
class KKResult:
    """Result of :func:`lin_kk`.

    Attributes
    ----------
    frequencies, Z, Z_fit : numpy.ndarray
        Data and the Kramers–Kronig-compliant Voigt fit.
    M : int
        Number of RC elements chosen by the :math:`\\mu` criterion.
    mu : float
        :math:`\\mu` at the chosen ``M``.
    tau, R_k : numpy.ndarray
        Time constants and resistances of the Voigt elements.
    R0, L, C : float
        Series resistance, inductance (0 if not used) and capacitance (inf if not used).
    residuals_real, residuals_imag : numpy.ndarray
        :math:`(Z - \\hat Z)/|Z|` componentwise.
    threshold : float
        Pass threshold on the largest absolute residual.
    """

    frequencies: NDArray[np.float64]
    Z: NDArray[np.complex128]
    Z_fit: NDArray[np.complex128]
    M: int
    mu: float
    tau: NDArray[np.float64]
    R_k: NDArray[np.float64]
    R0: float
    L: float
    C: float
    threshold: float

    @property
    def residuals_real(self) -> NDArray[np.float64]:
        return (self.Z.real - self.Z_fit.real) / np.abs(self.Z)

    @property
    def residuals_imag(self) -> NDArray[np.float64]:
        return (self.Z.imag - self.Z_fit.imag) / np.abs(self.Z)

    @property
    def max_residual(self) -> float:
        """Largest absolute relative residual (real or imaginary)."""
        return float(max(np.abs(self.residuals_real).max(), np.abs(self.residuals_imag).max()))

    @property
    def rms_residual(self) -> float:
        """Root-mean-square relative residual over both components."""
        r = np.concatenate([self.residuals_real, self.residuals_imag])
        return float(np.sqrt(np.mean(r * r)))

    @property
    def passed(self) -> bool:
        """``True`` if every relative residual is within :attr:`threshold`."""
        return self.max_residual <= self.threshold

    def plot(self) -> Figure:
        """Residual plot (see :func:`assb_model.ecm.plotting.plot_kk_residuals`)."""
        from assb_model.ecm.plotting import plot_kk_residuals

        return plot_kk_residuals(self)


def _voigt_matrix(omega, tau, add_capacitance, add_inductance) -> NDArray[np.complex128]:
    cols = [np.ones_like(omega, dtype=complex)]
    cols += list((1.0 / (1.0 + 1j * omega[:, None] * tau[None, :])).T)
    if add_inductance:
        cols.append(1j * omega)
    if add_capacitance:
        cols.append(1.0 / (1j * omega))
    return np.array(cols).T


def _fit(omega, Z, tau, add_capacitance, add_inductance):
    A = _voigt_matrix(omega, tau, add_capacitance, add_inductance)
    w = 1.0 / np.abs(Z)
    Aw = np.vstack([A.real * w[:, None], A.imag * w[:, None]])
    # Column scaling keeps the inductance and capacitance columns well conditioned.
    scale = np.linalg.norm(Aw, axis=0)
    scale[scale == 0] = 1.0
    bw = np.concatenate([Z.real * w, Z.imag * w])
    x = np.linalg.lstsq(Aw / scale, bw, rcond=None)[0] / scale
    return x, A @ x


def lin_kk(
    f: ArrayLike,
    Z: ArrayLike,
    *,
    c: float = 0.85,
    max_M: int | None = None,
    add_capacitance: bool = True,
    add_inductance: bool = True,
    threshold: float = 0.02,
    extend_decades: float = 0.0,
) -> KKResult:
    """Lin-KK test with automatic number of Voigt elements (Schönleber et al. 2014).

    Parameters
    ----------
    f : array_like
        Frequencies in Hz.
    Z : array_like
        Complex impedance in ohm.
    c : float, optional
        :math:`\\mu` threshold; ``M`` is the smallest number of elements with
        :math:`\\mu < c`.
    max_M : int, optional
        Upper limit of ``M``; default ``min(N, 5 per decade + 10)``. Noisy measured
        spectra reach :math:`\\mu < c` at 2-3 elements per decade; noise-free model
        spectra may never reach it and stop at ``max_M`` (with tiny residuals).
    add_capacitance : bool, optional
        Include a series capacitance (for blocking/diffusion tails).
    add_inductance : bool, optional
        Include a series inductance (for cable inductance at high frequency).
    threshold : float, optional
        The spectrum passes if every relative residual is within ``threshold`` (default
        1 %, i.e. about 3 standard deviations of 0.3 % measurement noise).

    Returns
    -------
    KKResult
    """
    f = np.asarray(f, dtype=float).ravel()
    Z = np.asarray(Z, dtype=complex).ravel()
    if f.size != Z.size or f.size < 3:
        raise ValueError("lin_kk needs at least 3 frequencies and as many impedances")
    omega = 2 * np.pi * f
    decades = np.log10(f.max() / f.min())
    max_M = max_M or min(f.size, int(5 * decades) + 10)
    ext = 10.0**extend_decades
    t_lo, t_hi = 1.0 / omega.max() / ext, ext / omega.min()
    for M in range(1, max_M + 1):
        tau = np.array([np.sqrt(t_lo * t_hi)]) if M == 1 else np.geomspace(t_lo, t_hi, M)
        x, Z_fit = _fit(omega, Z, tau, add_capacitance, add_inductance)
        R_k = x[1 : 1 + M]
        pos = np.abs(R_k[R_k >= 0]).sum()
        mu = 1.0 - np.abs(R_k[R_k < 0]).sum() / pos if pos > 0 else 0.0
        if mu < c:
            break
    k = 1 + M
    L = float(x[k]) if add_inductance else 0.0
    k += int(add_inductance)
    C = float(1.0 / x[k]) if add_capacitance and x[k] != 0 else np.inf
    return KKResult(
        frequencies=f,
        Z=Z,
        Z_fit=Z_fit,
        M=M,
        mu=float(mu),
        tau=tau,
        R_k=R_k,
        R0=float(x[0]),
        L=L,
        C=C,
        threshold=threshold,
    )
