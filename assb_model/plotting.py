"""Figures users look at: voltage–capacity curves (impedance plots: assb_model.eis)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def plot_voltage_capacity(results, labels=None, ax=None, title=None):
    """Cell voltage vs specific capacity for every cycle of one or more simulations.

    Parameters
    ----------
    results : SimulationResult or list of SimulationResult
    labels : list of str, optional
        Legend entries (one per result).
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(results, list | tuple):
        results = [results]
    labels = labels or [None] * len(results)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.2 if len(results) == 1 else 9.0, 4.2))
    else:
        fig = ax.figure
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, (res, label) in enumerate(zip(results, labels, strict=True)):
        curves = res.curves
        n_cyc = int(curves["cycle"].max())
        for cyc in range(1, n_cyc + 1):
            sel = curves[curves["cycle"] == cyc]
            alpha = 1.0 if n_cyc == 1 else 0.35 + 0.65 * (cyc - 1) / max(n_cyc - 1, 1)
            for j, (step_type, seg) in enumerate(sel.groupby("step", sort=True)):
                lab = None
                if cyc == 1 and j == 0:
                    lab = label or ("cycle 1" if n_cyc > 1 else None)
                ax.plot(
                    seg["specific_capacity_mAh_per_g"],
                    seg["voltage_V"],
                    color=colours[k % len(colours)],
                    alpha=alpha,
                    label=lab,
                    ls="-" if seg["step_type"].iloc[0] == "charge" else "--",
                )
                del step_type
    ax.set_xlabel("Specific capacity [mAh g$^{-1}$ NMC]")
    ax.set_ylabel("Voltage [V vs Li–In]")
    sec = ax.secondary_yaxis(
        "right", functions=(lambda v: v + _offset(results), lambda v: v - _offset(results))
    )
    sec.set_ylabel("Cathode potential [V vs Li/Li$^+$]")
    ax.plot([], [], "k-", label="charge")
    ax.plot([], [], "k--", label="discharge")
    if len(results) == 1:
        ax.legend(loc="lower left", fontsize=8)
    else:
        ax.legend(loc="upper left", bbox_to_anchor=(1.16, 1.0), fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def _offset(results):
    pv = results[0].parameter_values
    name = "Li-In counter electrode potential vs Li [V]"
    return float(pv[name]) if name in pv.keys() else 0.0
