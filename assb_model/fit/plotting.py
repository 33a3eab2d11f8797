"""Figures of a model–data comparison: voltage overlay, dQ/dV, residuals, capacity fade.

Measured data are drawn as markers or thin grey-scale lines, the model as solid lines, one
colour per cycle; charge solid, discharge dashed. The backend is left alone (notebooks show
the figures inline); the CLI selects Agg.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from assb_model.fit.compare import Comparison

#: Voltage bin for dQ/dV [V].
DQDV_BIN_V = 0.01


def _colours(n: int):
    cmap = plt.get_cmap("viridis")
    return [cmap(x) for x in np.linspace(0.0, 0.85, max(n, 1))]


def _active(curves: pd.DataFrame) -> pd.DataFrame:
    return curves[curves["step_type"].isin(["charge", "discharge"])]


def plot_voltage_overlay(comparison: Comparison, ax=None, title: str | None = None):
    """Measured (markers) and simulated (lines) voltage against specific capacity.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _figure(ax)
    cycles = list(comparison.cycles["cycle"])
    for colour, cycle in zip(_colours(len(cycles)), cycles, strict=True):
        for who, curves in (("measured", comparison.measured), ("model", comparison.simulated)):
            part = _active(curves[curves["cycle"] == cycle]) if len(curves) else curves
            for k, (_, step) in enumerate(part.groupby("step", sort=True)):
                ls = "-" if step["step_type"].iloc[0] == "charge" else "--"
                label = f"cycle {cycle}" if who == "model" and k == 0 else None
                x, y = step["specific_capacity_mAh_per_g"], step["voltage_V"]
                if who == "measured":
                    stride = max(1, len(step) // 60)
                    ax.plot(x[::stride], y[::stride], "o", ms=2.5, mfc="none", color=colour)
                else:
                    ax.plot(x, y, ls, color=colour, lw=1.3, label=label)
    ax.plot([], [], "ko", ms=3, mfc="none", label="measured")
    ax.plot([], [], "k-", label="model, charge")
    ax.plot([], [], "k--", label="model, discharge")
    ax.set_xlabel("Specific capacity [mAh g$^{-1}$]")
    ax.set_ylabel("Voltage [V vs Li–In]")
    ax.legend(fontsize=7, loc="lower left")
    ax.set_title(title or "Voltage–capacity", fontsize=10)
    return fig


def differential_capacity(
    q: np.ndarray, v: np.ndarray, charge: bool, bin_V: float = DQDV_BIN_V
) -> tuple[np.ndarray, np.ndarray]:
    """dQ/dV of one step on a voltage grid of ``bin_V`` spacing.

    The voltage is made monotonic along the step (running maximum on charge, minimum on
    discharge) so noise does not fold the curve back, ``q(V)`` interpolated at the bin
    edges and differenced. Charge is positive, discharge negative.

    Returns
    -------
    voltage, dqdv : numpy.ndarray
        Bin centres [V] and dQ/dV [mAh g⁻¹ V⁻¹].
    """
    q, v = np.asarray(q, float), np.asarray(v, float)
    if len(q) < 3:
        return np.zeros(0), np.zeros(0)
    mono = np.maximum.accumulate(v) if charge else -np.maximum.accumulate(-v)
    order = mono if charge else -mono
    vv, first = np.unique(order, return_index=True)
    qq = q[first]
    if len(vv) < 2:
        return np.zeros(0), np.zeros(0)
    edges = np.arange(vv[0], vv[-1] + bin_V, bin_V)
    q_edges = np.interp(edges, vv, qq)
    centres = 0.5 * (edges[1:] + edges[:-1])
    dqdv = np.diff(q_edges) / bin_V
    return (centres, dqdv) if charge else (-centres, -dqdv)


def plot_dqdv(comparison: Comparison, ax=None, bin_V: float = DQDV_BIN_V):
    """Measured (thin, light) and simulated (solid) dQ/dV against voltage."""
    fig, ax = _figure(ax)
    cycles = list(comparison.cycles["cycle"])
    for colour, cycle in zip(_colours(len(cycles)), cycles, strict=True):
        for who, curves in (("measured", comparison.measured), ("model", comparison.simulated)):
            part = _active(curves[curves["cycle"] == cycle]) if len(curves) else curves
            for k, (_, step) in enumerate(part.groupby("step", sort=True)):
                charge = step["step_type"].iloc[0] == "charge"
                v, d = differential_capacity(
                    step["specific_capacity_mAh_per_g"].to_numpy(),
                    step["voltage_V"].to_numpy(),
                    charge,
                    bin_V,
                )
                if who == "measured":
                    ax.plot(v, d, color=colour, lw=0.8, alpha=0.45)
                else:
                    label = f"cycle {cycle}" if k == 0 else None
                    ax.plot(v, d, color=colour, lw=1.3, label=label)
    ax.axhline(0, color="k", lw=0.5)
    ax.plot([], [], color="grey", lw=0.8, alpha=0.45, label="measured")
    ax.plot([], [], color="grey", lw=1.3, label="model")
    ax.set_xlabel("Voltage [V vs Li–In]")
    ax.set_ylabel("dQ/dV [mAh g$^{-1}$ V$^{-1}$]")
    ax.legend(fontsize=7)
    ax.set_title("Differential capacity (charge > 0, discharge < 0)", fontsize=10)
    return fig


def plot_residuals(comparison: Comparison, ax=None):
    """Simulated − measured voltage [mV] against capacity, per charge/discharge step."""
    fig, ax = _figure(ax)
    res = _active(comparison.residuals)
    cycles = list(comparison.cycles["cycle"])
    for colour, cycle in zip(_colours(len(cycles)), cycles, strict=True):
        part = res[res["cycle"] == cycle]
        for k, (_, step) in enumerate(part.groupby("step", sort=True)):
            ls = "-" if step["step_type"].iloc[0] == "charge" else "--"
            label = f"cycle {cycle}" if k == 0 else None
            ax.plot(
                step["specific_capacity_mAh_per_g"],
                step["error_mV"],
                ls,
                color=colour,
                lw=1.0,
                label=label,
            )
    ax.axhline(0, color="k", lw=0.5)
    if len(res):
        lim = np.nanpercentile(np.abs(res["error_mV"]), 98)
        ax.set_ylim(-1.3 * lim - 1, 1.3 * lim + 1)
    ax.set_xlabel("Specific capacity [mAh g$^{-1}$]")
    ax.set_ylabel("Model − measured [mV]")
    ax.legend(fontsize=7)
    ax.set_title("Voltage residual (common range; y clipped at the 98th percentile)", fontsize=10)
    return fig


def plot_capacity_fade(comparison: Comparison, ax=None):
    """Charge and discharge capacity per cycle: measured (markers) and model (lines)."""
    fig, ax = _figure(ax)
    c = comparison.cycles
    for direction, marker in (("charge", "^"), ("discharge", "o")):
        ax.plot(
            c["cycle"],
            c[f"measured_{direction}_mAh_per_g"],
            marker,
            mfc="none",
            color="k",
            label=f"measured {direction}",
        )
        ax.plot(
            c["cycle"],
            c[f"simulated_{direction}_mAh_per_g"],
            "-" if direction == "charge" else "--",
            color="C0",
            label=f"model {direction}",
        )
    ax.set_xlabel("Cycle")
    ax.set_ylabel("Specific capacity [mAh g$^{-1}$]")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=7)
    ax.set_title("Capacity per cycle", fontsize=10)
    return fig


def plot_comparison(comparison: Comparison, title: str | None = None):
    """All four views in one 2 × 2 figure."""
    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    plot_voltage_overlay(comparison, axes[0, 0])
    plot_dqdv(comparison, axes[0, 1])
    plot_residuals(comparison, axes[1, 0])
    plot_capacity_fade(comparison, axes[1, 1])
    fig.suptitle(title or f"{Path(comparison.source).name} vs {comparison.parameter_set}")
    fig.tight_layout()
    return fig


def save_comparison_figures(
    comparison: Comparison, out: str | Path, prefix: str = ""
) -> list[Path]:
    """Write ``voltage_capacity.png``, ``dqdv.png``, ``residuals.png``,
    ``capacity_fade.png`` and ``comparison.png`` (all four) to ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, fn in (
        ("voltage_capacity", plot_voltage_overlay),
        ("dqdv", plot_dqdv),
        ("residuals", plot_residuals),
        ("capacity_fade", plot_capacity_fade),
        ("comparison", plot_comparison),
    ):
        fig = fn(comparison)
        path = out / f"{prefix}{name}.png"
        fig.savefig(path, dpi=130, bbox_inches="tight")
        plt.close(fig)
        paths.append(path)
    return paths


def _figure(ax):
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.2, 4.2))
        return fig, ax
    return ax.figure, ax
