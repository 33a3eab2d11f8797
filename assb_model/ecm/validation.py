r"""Kramers–Kronig consistency check of impedance spectra (Lin-KK).

Following Schönleber et al. (2014), the spectrum is fitted by *linear* least squares to a
Voigt circuit with fixed, log-spaced time constants, which is Kramers–Kronig compliant by
construction:

.. math:: \hat Z(\omega) = R_0 + \sum_{k=1}^{M} \frac{R_k}{1 + j\omega\tau_k}
   \;[+\, j\omega L]\;[+\, 1/(j\omega C)], \qquad
   \tau_1 = \frac{1}{\omega_\max},\ \tau_M = \frac{1}{\omega_\min}

with modulus weighting :math:`1/|Z_i|`. The under/over-fitting measure of Schönleber et
al.,

.. math:: \mu = 1 - \frac{\sum_{R_k<0}|R_k|}{\sum_{R_k\ge0}|R_k|},

drops below :math:`c` (default 0.85) once the fit starts to use negative resistances to
follow noise. Used alone as the stop rule it halts too early on clean spectra of a few
discrete time constants (measured dummy cells): there μ falls below 0.85 at M = 3-6, where
the Voigt grid cannot yet place its time constants near the true ones and the residuals are
5-50 %, while M ≈ 20 gives 0.1-0.4 %. The stop rule here is therefore:

**M = max(M_μ, M_plateau)**, where M_μ is the smallest M with μ < c and M_plateau the
smallest M whose pseudo-χ² (mean squared relative residual) is within a factor
``plateau_factor`` (default 2) of the lowest pseudo-χ² over M ≤ ``max_M`` — the residuals
have reached their noise plateau. On noisy spectra the plateau is reached before μ < c and
the rule is Schönleber's; on clean ones it continues until the Voigt fit stops improving.
``M=`` fixes the number of elements; ``plateau_factor=None`` gives the plain μ rule.

The residuals :math:`\Delta' = (Z' - \hat Z')/|Z|`, :math:`\Delta'' = (Z'' - \hat Z'')/|Z|`
of a valid spectrum scatter around zero at the noise level; drift, non-linearity or
instrument artefacts show up as systematic residuals, usually at the low-frequency end. The
series capacitance (on by default) lets a blocking/diffusive low-frequency tail pass.

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
    rule : str
        How ``M`` was chosen, in words.
    M_mu, M_plateau : int or None
        The two candidates of the stop rule (``None`` when ``M`` was given, or for
        ``M_plateau`` when the plateau rule is off).
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
    rule: str = ""
    M_mu: int | None = None
    M_plateau: int | None = None

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
    M: int | None = None,
    max_M: int | None = None,
    plateau_factor: float | None = 2.0,
    add_capacitance: bool = True,
    add_inductance: bool = True,
    threshold: float = 0.02,
    extend_decades: float = 0.0,
) -> KKResult:
    r"""Lin-KK test (Schönleber et al. 2014) with the stop rule of the module docstring.

    Parameters
    ----------
    f : array_like
        Frequencies in Hz.
    Z : array_like
        Complex impedance in ohm.
    c : float, optional
        :math:`\mu` threshold of Schönleber's criterion (the CLI's ``--mu``).
    M : int, optional
        Fixed number of Voigt elements (the CLI's ``--M``); skips the stop rule.
    max_M : int, optional
        Upper limit of ``M``; default ``min(N, 5 per decade + 10)``.
    plateau_factor : float or None, optional
        ``M`` is at least the smallest number of elements whose pseudo-χ² is within this
        factor of the lowest one up to ``max_M``; ``None``: Schönleber's μ rule alone.
    add_capacitance : bool, optional
        Include a series capacitance (for blocking/diffusion tails).
    add_inductance : bool, optional
        Include a series inductance (for cable inductance at high frequency).
    threshold : float, optional
        The spectrum passes if every relative residual is within ``threshold`` (default
        2 %, about 4 standard deviations of 0.5 % measurement noise).
    extend_decades : float, optional
        Extend the τ range beyond the measured window by this many decades each way.

    Returns
    -------
    KKResult

    Raises
    ------
    ValueError
        Fewer than 3 frequencies, or ``M``/``c``/``plateau_factor`` out of range.
    """
    f = np.asarray(f, dtype=float).ravel()
    Z = np.asarray(Z, dtype=complex).ravel()
    if f.size != Z.size or f.size < 3:
        raise ValueError("lin_kk needs at least 3 frequencies and as many impedances")
    if not 0 < c <= 1:
        raise ValueError(f"the mu threshold c must be in (0, 1], not {c!r}")
    if plateau_factor is not None and not plateau_factor >= 1:
        raise ValueError(f"plateau_factor must be >= 1, not {plateau_factor!r}")
    omega = 2 * np.pi * f
    decades = np.log10(f.max() / f.min())
    max_M = max_M or min(f.size, int(5 * decades) + 10)
    if M is not None and not 1 <= M <= 2 * f.size:
        raise ValueError(f"M must be between 1 and {2 * f.size} (2N), not {M!r}")
    ext = 10.0**extend_decades
    t_lo, t_hi = 1.0 / omega.max() / ext, ext / omega.min()

    def fit(m: int):
        tau = np.array([np.sqrt(t_lo * t_hi)]) if m == 1 else np.geomspace(t_lo, t_hi, m)
        x, Z_fit = _fit(omega, Z, tau, add_capacitance, add_inductance)
        R_k = x[1 : 1 + m]
        pos = np.abs(R_k[R_k >= 0]).sum()
        mu = 1.0 - np.abs(R_k[R_k < 0]).sum() / pos if pos > 0 else 0.0
        r = np.concatenate([(Z.real - Z_fit.real), (Z.imag - Z_fit.imag)]) / np.tile(np.abs(Z), 2)
        return tau, x, Z_fit, R_k, float(mu), float(np.mean(r * r))

    M_mu = M_plateau = None
    if M is not None:
        chosen = M
        rule = f"M = {M} given"
    else:
        fits = {m: fit(m) for m in range(1, max_M + 1)}
        M_mu = next((m for m, res in fits.items() if res[4] < c), max_M)
        chosen = M_mu
        rule = f"μ < {c:g} from M = {M_mu}" if fits[M_mu][4] < c else f"μ ≥ {c:g} up to M = {max_M}"
        if plateau_factor is not None:
            best = min(res[5] for res in fits.values())
            M_plateau = next(m for m, res in fits.items() if res[5] <= plateau_factor * best)
            if M_plateau > M_mu:
                chosen = M_plateau
                rule += (
                    f"; residuals still falling, plateau (pseudo-χ² within {plateau_factor:g}x "
                    f"its lowest) at M = {M_plateau}"
                )
    tau, x, Z_fit, R_k, mu, _ = fit(chosen)
    k = 1 + chosen
    L = float(x[k]) if add_inductance else 0.0
    k += int(add_inductance)
    C = float(1.0 / x[k]) if add_capacitance and x[k] != 0 else np.inf
    return KKResult(
        frequencies=f,
        Z=Z,
        Z_fit=Z_fit,
        M=chosen,
        mu=mu,
        tau=tau,
        R_k=R_k,
        R0=float(x[0]),
        L=L,
        C=C,
        threshold=threshold,
        rule=rule,
        M_mu=M_mu,
        M_plateau=M_plateau,
    )
