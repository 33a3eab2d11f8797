"""Plots of sweep results: line plots (1 axis), heat maps with contours (2 axes), main
effects (more axes), and the bar/tornado plot of a sensitivity analysis."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from assb_model.sweep.outputs import OUTPUT_COLUMNS

#: Outputs the CLI plots by default.
DEFAULT_PLOT_OUTPUTS = (
    "discharge_capacity_mAh_per_g",
    "energy_mWh_per_g",
    "coulombic_efficiency",
)

#: Short axis labels of the outputs.
OUTPUT_LABELS = {
    "discharge_capacity_mAh_per_g": "discharge capacity [mAh g$^{-1}$]",
    "charge_capacity_mAh_per_g": "charge capacity [mAh g$^{-1}$]",
    "coulombic_efficiency": "coulombic efficiency [-]",
    "energy_mWh_per_g": "discharge energy [mWh g$^{-1}$]",
    "mean_voltage_V": "mean discharge voltage [V vs Li-In]",
    "last_discharge_capacity_mAh_per_g": "last discharge capacity [mAh g$^{-1}$]",
    "capacity_retention": "capacity retention [-]",
    "R_SE_Cat_after_first_charge_ohm": "R$_{SE/Cat}$ after charge 1 [Ω]",
    "R_SE_Cat_end_ohm": "R$_{SE/Cat}$ at the end [Ω]",
    "cycles_completed": "cycles completed",
}


def _label(result, name: str) -> str:
    if name in OUTPUT_LABELS:
        return OUTPUT_LABELS[name]
    unit = result.plan.resolved[name].unit if name in result.plan.resolved else "-"
    return name if unit == "-" or name.endswith("]") else f"{name} [{unit}]"


def _is_log(result, name: str) -> bool:
    for axis in result.spec.axes:
        if axis.name == name:
            if axis.log:
                return True
            vals = np.asarray(axis.values or [], dtype=float)
            return len(vals) > 2 and vals.min() > 0 and vals.max() / vals.min() >= 100
    return False


def _varied(result) -> list[str]:
    df = result.results
    return [n for n in result.spec.names if df[n].nunique() > 1]


def _check_output(output: str) -> None:
    if output not in OUTPUT_COLUMNS:
        raise ValueError(f"unknown output '{output}'; choose from {list(OUTPUT_COLUMNS)}")


def plot_line(result, output: str, axis: str | None = None, ax=None):
    """Output against one axis; failed points are marked with a cross on the x axis."""
    _check_output(output)
    axis = axis or _varied(result)[0]
    ax = ax or plt.subplots(figsize=(5, 3.5))[1]
    df = result.results.sort_values(axis)
    ok = df[df["status"] == "ok"]
    ax.plot(ok[axis], ok[output], "o-", ms=3)
    bad = df[df["status"] != "ok"]
    if len(bad):
        ax.plot(
            bad[axis],
            np.full(len(bad), np.nanmin(ok[output]) if len(ok) else 0),
            "rx",
            label="failed",
        )
        ax.legend()
    if _is_log(result, axis):
        ax.set_xscale("log")
    ax.set_xlabel(_label(result, axis))
    ax.set_ylabel(_label(result, output))
    ax.grid(alpha=0.3)
    return ax


def _edges(values: np.ndarray, log: bool) -> np.ndarray:
    v = np.log10(values) if log else values
    if len(v) == 1:
        e = np.array([v[0] - 0.5, v[0] + 0.5])
    else:
        mid = 0.5 * (v[1:] + v[:-1])
        e = np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])
    return 10**e if log else e


def plot_heatmap(result, output: str, x: str | None = None, y: str | None = None, ax=None):
    """Output over two axes: a colour map with labelled contours.

    Grid designs are drawn cell by cell (failed points blank); sampled designs as
    coloured points with contours interpolated between them.
    """
    _check_output(output)
    varied = _varied(result)
    x = x or varied[0]
    y = y or varied[1]
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(5.5, 4))
    df = result.results
    z = df[output].where(df["status"] == "ok")
    xlog, ylog = _is_log(result, x), _is_log(result, y)
    if result.spec.design == "grid":
        table = pd.DataFrame({"x": df[x], "y": df[y], "z": z}).pivot_table(
            index="y", columns="x", values="z", aggfunc="mean", dropna=False
        )
        xs, ys, zz = table.columns.to_numpy(float), table.index.to_numpy(float), table.to_numpy()
        mesh = ax.pcolormesh(_edges(xs, xlog), _edges(ys, ylog), np.ma.masked_invalid(zz))
        if min(zz.shape) >= 2 and np.isfinite(zz).sum() >= 4 and np.nanmax(zz) > np.nanmin(zz):
            cs = ax.contour(xs, ys, np.ma.masked_invalid(zz), colors="k", linewidths=0.7)
            ax.clabel(cs, fontsize=7, fmt="%.3g")
    else:
        good = np.isfinite(z)
        mesh = ax.scatter(df[x][good], df[y][good], c=z[good], s=18, zorder=3)
        ax.margins(0.04)
        if good.sum() >= 6:
            import matplotlib.tri as mtri

            gx, gy = df[x][good].to_numpy(float), df[y][good].to_numpy(float)
            # triangulate where the points are evenly spread (log space for log axes)
            tri = mtri.Triangulation(np.log10(gx) if xlog else gx, np.log10(gy) if ylog else gy)
            tri = mtri.Triangulation(gx, gy, triangles=tri.triangles)
            cs = ax.tricontour(tri, z[good].to_numpy(float), colors="k", linewidths=0.7)
            ax.clabel(cs, fontsize=7, fmt="%.3g")
    if xlog:
        ax.set_xscale("log")
    if ylog:
        ax.set_yscale("log")
    fig.colorbar(mesh, ax=ax, label=_label(result, output))
    ax.set_xlabel(_label(result, x))
    ax.set_ylabel(_label(result, y))
    return ax


def plot_main_effects(result, output: str, axes=None):
    """Mean output against each axis (the other axes averaged), one panel per axis."""
    _check_output(output)
    names = _varied(result)
    if axes is None:
        _, axes = plt.subplots(1, len(names), figsize=(3.2 * len(names), 3), squeeze=False)
        axes = axes[0]
    df = result.results[result.results["status"] == "ok"]
    for ax, name in zip(axes, names, strict=False):
        if result.spec.design == "grid":
            means = df.groupby(name)[output].mean()
            ax.plot(means.index, means.to_numpy(), "o-", ms=3)
        else:
            ax.plot(df[name], df[output], ".", ms=3)
        if _is_log(result, name):
            ax.set_xscale("log")
        ax.set_xlabel(_label(result, name))
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(_label(result, output))
    return axes


def plot_sweep(result, output: str = "discharge_capacity_mAh_per_g", ax=None):
    """The natural plot for the number of varied axes (1: line, 2: heat map, more:
    main effects)."""
    n = len(_varied(result))
    if n == 0:
        raise ValueError("nothing varies in this sweep: no plot")
    if n == 1:
        return plot_line(result, output, ax=ax)
    if n == 2:
        return plot_heatmap(result, output, ax=ax)
    return plot_main_effects(result, output)


def save_sweep_plots(result, out_dir, outputs=DEFAULT_PLOT_OUTPUTS) -> list[Path]:
    """Write the natural plot of each output as PNG; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if not len(_varied(result)) or not (result.results["status"] == "ok").any():
        return []
    paths = []
    outputs = list(outputs)
    if result.spec.cycles > 1 or "cycles" in result.spec.names:
        outputs.append("capacity_retention")
    for output in outputs:
        plot_sweep(result, output)
        fig = plt.gcf()
        path = out_dir / f"{output}.png"
        fig.savefig(path, dpi=130, bbox_inches="tight")
        plt.close(fig)
        paths.append(path)
    return paths


def plot_sensitivity(indices: pd.DataFrame, ax=None, title: str | None = None):
    """Bar (tornado) plot of sensitivity indices, most important parameter on top.

    Parameters
    ----------
    indices : pandas.DataFrame
        From :func:`assb_model.sweep.sensitivity.morris_indices` (``mu_star``,
        ``mu_star_conf``, ``sigma``) or :func:`~assb_model.sweep.sensitivity.sobol_indices`
        (``S1``, ``S1_conf``, ``ST``, ``ST_conf``), indexed by parameter.
    """
    df = indices.copy()
    ax = ax or plt.subplots(figsize=(5.5, 0.45 * len(df) + 1.2))[1]
    if "mu_star" in df:
        df = df.sort_values("mu_star")
        y = np.arange(len(df))
        ax.barh(y, df["mu_star"], xerr=df["mu_star_conf"], color="C0", label="μ*")
        ax.plot(df["sigma"], y, "kD", ms=4, label="σ (interaction/nonlinearity)")
        ax.set_xlabel("Morris μ* (mean |elementary effect|)")
        ax.set_xlim(left=0)
    else:
        df = df.sort_values("ST")
        y = np.arange(len(df))
        ax.barh(y + 0.2, df["ST"], 0.4, xerr=df["ST_conf"], color="C1", label="total S$_T$")
        ax.barh(y - 0.2, df["S1"], 0.4, xerr=df["S1_conf"], color="C0", label="first order S$_1$")
        ax.set_xlabel("Sobol index")
        ax.set_xlim(left=0)
    ax.set_yticks(y, df.index)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    if title:
        ax.set_title(title, fontsize=10)
    return ax
