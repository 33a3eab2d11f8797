"""Nyquist, Bode, fit and Kramers–Kronig residual plots.

All functions build :class:`matplotlib.figure.Figure` objects directly (no ``pyplot``
state), so they work with any backend, including Agg on headless machines; save them with
``fig.savefig(path)``. Nyquist plots use equal axes with :math:`-Z''` upwards and, like
Figures 5 and 7 of Giraldo et al. (2021), filled markers at each frequency decade (labelled)
and open markers elsewhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from assb_model.ecm.fitting import FitResult
    from assb_model.ecm.validation import KKResult

__all__ = ["plot_bode", "plot_fit", "plot_kk_residuals", "plot_nyquist"]

_DATA_STYLE = {"marker": "o", "linestyle": "none", "markersize": 4, "color": "C0"}
_FIT_STYLE = {"linestyle": "-", "linewidth": 1.5, "color": "C3"}


def format_frequency(f: float) -> str:
    """``1e6 -> "1 MHz"``, ``0.01 -> "10 mHz"``."""
    for factor, unit in ((1e6, "MHz"), (1e3, "kHz"), (1.0, "Hz"), (1e-3, "mHz")):
        if f >= factor * 0.999:
            return f"{f / factor:.3g} {unit}"
    return f"{f * 1e6:.3g} µHz"


def _decade_indices(f: NDArray[np.float64], tol: float = 0.05) -> list[int]:
    """Index of the point nearest to each integer decade (within ``tol`` decades)."""
    logf = np.log10(f)
    out = []
    for k in range(int(np.floor(logf.min())), int(np.ceil(logf.max())) + 1):
        i = int(np.argmin(np.abs(logf - k)))
        if abs(logf[i] - k) <= tol:
            out.append(i)
    return out


def _nyquist(ax: Axes, f, Z, Z_fit=None, label: str = "data", decades: bool = True) -> None:
    ax.plot(Z.real, -Z.imag, markerfacecolor="none", label=label, **_DATA_STYLE)
    if decades:
        idx = _decade_indices(f)
        ax.plot(Z.real[idx], -Z.imag[idx], label="decades", **{**_DATA_STYLE, "markersize": 6})
        for i in idx:
            ax.annotate(
                format_frequency(f[i]),
                (Z.real[i], -Z.imag[i]),
                textcoords="offset points",
                xytext=(4, 6),
                fontsize=7,
            )
    if Z_fit is not None:
        ax.plot(Z_fit.real, -Z_fit.imag, label="fit", **_FIT_STYLE)
    ax.set_xlabel("Z' / Ω")
    ax.set_ylabel("−Z'' / Ω")
    ax.set_aspect("equal", adjustable="datalim")
    ax.axhline(0, color="0.7", linewidth=0.5)
    ax.legend(loc="best", fontsize=8)


def _bode(ax_mag: Axes, ax_ph: Axes, f, Z, Z_fit=None, label: str = "data") -> None:
    ax_mag.loglog(f, np.abs(Z), markerfacecolor="none", label=label, **_DATA_STYLE)
    ax_ph.semilogx(f, -np.degrees(np.angle(Z)), markerfacecolor="none", label=label, **_DATA_STYLE)
    if Z_fit is not None:
        ax_mag.loglog(f, np.abs(Z_fit), label="fit", **_FIT_STYLE)
        ax_ph.semilogx(f, -np.degrees(np.angle(Z_fit)), label="fit", **_FIT_STYLE)
    ax_mag.set_ylabel("|Z| / Ω")
    ax_ph.set_ylabel("−phase / °")
    ax_ph.set_xlabel("frequency / Hz")
    ax_mag.legend(loc="best", fontsize=8)
    ax_ph.legend(loc="best", fontsize=8)


def _arrays(f: ArrayLike, Z: ArrayLike, Z_fit: ArrayLike | None):
    f = np.asarray(f, dtype=float)
    Z = np.asarray(Z, dtype=complex)
    return f, Z, (None if Z_fit is None else np.asarray(Z_fit, dtype=complex))


def plot_nyquist(
    f: ArrayLike,
    Z: ArrayLike,
    Z_fit: ArrayLike | None = None,
    *,
    label: str = "data",
    title: str | None = None,
) -> Figure:
    """Nyquist plot (equal axes, :math:`-Z''` up, filled and labelled decade markers).

    Parameters
    ----------
    f, Z : array_like
        Frequencies (Hz) and complex impedance (ohm).
    Z_fit : array_like, optional
        Model impedance at the same frequencies, drawn as a line.
    label, title : str, optional
        Legend label of the data and figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    f, Z, Z_fit = _arrays(f, Z, Z_fit)
    fig = Figure(figsize=(6, 4.5), layout="constrained")
    ax = fig.add_subplot()
    _nyquist(ax, f, Z, Z_fit, label=label)
    if title:
        ax.set_title(title)
    return fig


def plot_bode(
    f: ArrayLike,
    Z: ArrayLike,
    Z_fit: ArrayLike | None = None,
    *,
    label: str = "data",
    title: str | None = None,
) -> Figure:
    """Bode plot: :math:`|Z|` and :math:`-\\varphi` against frequency (log axes)."""
    f, Z, Z_fit = _arrays(f, Z, Z_fit)
    fig = Figure(figsize=(6, 5), layout="constrained")
    ax_mag, ax_ph = fig.subplots(2, 1, sharex=True)
    _bode(ax_mag, ax_ph, f, Z, Z_fit, label=label)
    if title:
        fig.suptitle(title)
    return fig


def plot_fit(result: FitResult, *, title: str | None = None) -> Figure:
    """Data and fit: Nyquist, Bode magnitude and phase, and relative residuals.

    Parameters
    ----------
    result : FitResult
        Output of :func:`assb_model.ecm.fitting.fit_circuit`.
    title : str, optional
        Figure title (default: the circuit string and the GOF).

    Returns
    -------
    matplotlib.figure.Figure
    """
    f, Z = result.frequencies, result.Z
    order = np.argsort(f)[::-1]
    f_fine = np.geomspace(f.max(), f.min(), 20 * f.size)
    Z_line = result.predict(f_fine)
    fig = Figure(figsize=(11, 7), layout="constrained")
    grid = fig.add_gridspec(3, 2, height_ratios=[1, 1, 0.8])
    ax_ny = fig.add_subplot(grid[0:2, 0])
    ax_mag = fig.add_subplot(grid[0, 1])
    ax_ph = fig.add_subplot(grid[1, 1], sharex=ax_mag)
    ax_res = fig.add_subplot(grid[2, :])
    _nyquist(ax_ny, f[order], Z[order])
    ax_ny.plot(Z_line.real, -Z_line.imag, label="fit", **_FIT_STYLE)
    ax_ny.legend(loc="best", fontsize=8)
    _bode(ax_mag, ax_ph, f[order], Z[order])
    ax_mag.loglog(f_fine, np.abs(Z_line), label="fit", **_FIT_STYLE)
    ax_ph.semilogx(f_fine, -np.degrees(np.angle(Z_line)), label="fit", **_FIT_STYLE)
    ax_mag.legend(loc="best", fontsize=8)
    ax_ph.legend(loc="best", fontsize=8)
    _residuals(ax_res, f, result.residuals_real, result.residuals_imag)
    fig.suptitle(title or f"{result.circuit.to_string()}   GOF = {result.gof:.2e}", fontsize=9)
    return fig


def _residuals(ax: Axes, f, res_re, res_im, threshold: float | None = None) -> None:
    ax.semilogx(f, 100 * res_re, "o-", markersize=3, linewidth=0.8, label="Δ' (real)")
    ax.semilogx(f, 100 * res_im, "s-", markersize=3, linewidth=0.8, label="Δ'' (imag)")
    ax.axhline(0, color="0.5", linewidth=0.6)
    if threshold is not None:
        for sign in (-1, 1):
            ax.axhline(sign * 100 * threshold, color="C3", linestyle="--", linewidth=0.8)
    ax.set_xlabel("frequency / Hz")
    ax.set_ylabel("residual / % of |Z|")
    ax.legend(loc="best", fontsize=8)


def plot_kk_residuals(result: KKResult, *, title: str | None = None) -> Figure:
    """Lin-KK residuals :math:`(Z - \\hat Z)/|Z|` against frequency with the threshold."""
    fig = Figure(figsize=(7, 3.5), layout="constrained")
    ax = fig.add_subplot()
    _residuals(
        ax, result.frequencies, result.residuals_real, result.residuals_imag, result.threshold
    )
    verdict = "pass" if result.passed else "FAIL"
    ax.set_title(
        title
        or f"Lin-KK: M = {result.M}, μ = {result.mu:.2f}, "
        f"max |Δ| = {100 * result.max_residual:.2f} % ({verdict})",
        fontsize=9,
    )
    return fig
