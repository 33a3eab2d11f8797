"""Fan charts: the 5–95 % and 25–75 % bands of the samples, the nominal run as a line."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Bands drawn (outer first): quantile pair and opacity.
BANDS = (((0.05, 0.95), 0.25), ((0.25, 0.75), 0.45))


def _bands(ax, x, y: np.ndarray, color, label: str):
    """Draw the bands of ``y`` (samples × points) over ``x``; NaN = no value."""
    ok = np.sum(np.isfinite(y), axis=0) >= max(2, y.shape[0] // 2)
    for (lo, hi), alpha in BANDS:
        q_lo = np.nanquantile(y, lo, axis=0)
        q_hi = np.nanquantile(y, hi, axis=0)
        ax.fill_between(
            np.asarray(x)[ok],
            q_lo[ok],
            q_hi[ok],
            color=color,
            alpha=alpha,
            lw=0,
            label=f"{label} {int(100 * lo)}–{int(100 * hi)} %",
        )


def fan_capacity(cycles: pd.DataFrame, nominal: pd.DataFrame | None = None, ax=None, title=""):
    """Discharge capacity vs cycle: bands over the samples, the nominal run as a line.

    Parameters
    ----------
    cycles : DataFrame
        Stacked cycle tables with a ``sample`` column (:meth:`UQResult.cycles`); sample -1
        is the nominal run.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    data = cycles[cycles["sample"] >= 0]
    wide = data.pivot_table(
        index="sample", columns="cycle", values="discharge_capacity_mAh_per_g"
    ).sort_index(axis=1)
    _bands(ax, wide.columns.to_numpy(), wide.to_numpy(dtype=float), "C0", "samples")
    nom = cycles[cycles["sample"] == -1] if nominal is None else nominal
    if len(nom):
        ax.plot(nom["cycle"], nom["discharge_capacity_mAh_per_g"], "k-", lw=1.2, label="nominal")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Cycle [-]")
    ax.set_ylabel("Discharge capacity [mAh g$^{-1}$]")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax.figure


def fan_voltage(curves: pd.DataFrame, ax=None, title="", points: int = 200):
    """Voltage vs specific capacity of one cycle's charge and discharge.

    Each sample's curve is interpolated on a common capacity grid; the bands at a capacity
    are over the samples that reach it (drawn where at least half do).

    Parameters
    ----------
    curves : DataFrame
        Stacked curves of one cycle with a ``sample`` column (:meth:`UQResult.curves`).
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for kind, color in (("charge", "C3"), ("discharge", "C0")):
        part = curves[curves["step_type"] == kind]
        samples = part[part["sample"] >= 0]
        if not len(samples):
            continue
        qmax = samples["specific_capacity_mAh_per_g"].max()
        grid = np.linspace(0, qmax, points)
        y = []
        for _, g in samples.groupby("sample"):
            q, v = g["specific_capacity_mAh_per_g"].to_numpy(), g["voltage_V"].to_numpy()
            y.append(np.interp(grid, q, v, left=np.nan, right=np.nan))
        _bands(ax, grid, np.array(y), color, kind)
        nom = part[part["sample"] == -1]
        if len(nom):
            ax.plot(nom["specific_capacity_mAh_per_g"], nom["voltage_V"], color="k", lw=1.0)
    ax.plot([], [], "k-", lw=1.0, label="nominal")
    ax.set_xlabel("Specific capacity [mAh g$^{-1}$ NMC]")
    ax.set_ylabel("Voltage [V vs Li–In]")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax.figure


def band_map(df: pd.DataFrame, x: str, y: str, group: str | None = None, ax=None, logx=False):
    """A what-if map with bands: per ``x`` (and ``group``), the sample quantiles of ``y``
    (5–95 % and 25–75 %) and the nominal line (``sample`` -1)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    groups = [(None, df)] if group is None else list(df.groupby(group))
    for i, (name, g) in enumerate(groups):
        color = f"C{i}"
        samples = g[g["sample"] >= 0]
        wide = samples.pivot_table(index="sample", columns=x, values=y).sort_index(axis=1)
        label = str(name).replace("giraldo2021_", "") if name is not None else "samples"
        _bands(ax, wide.columns.to_numpy(dtype=float), wide.to_numpy(dtype=float), color, label)
        nom = g[g["sample"] == -1].sort_values(x)
        ax.plot(nom[x], nom[y], color=color, lw=1.2)
    if logx:
        from matplotlib.ticker import NullFormatter

        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())  # minor labels overlap on short ranges
        ticks = np.unique(df[x].to_numpy(dtype=float))
        if len(ticks) <= 8:  # label the grid itself
            ax.set_xticks(ticks, [f"{v:.3g}" for v in ticks])
    ax.legend(fontsize=7)
    return ax.figure


__all__ = ["BANDS", "band_map", "fan_capacity", "fan_voltage"]
