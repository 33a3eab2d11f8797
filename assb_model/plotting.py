"""Figures users look at: voltage–capacity curves (impedance plots: assb_model.ecm)."""

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


def _finish(fig, ax, title=None):
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def plot_cycling(result, measured=None, title=None):
    """Discharge capacity and coulombic efficiency vs cycle (e.g. Figure 6b).

    Parameters
    ----------
    result : SimulationResult
    measured : dict, optional
        {cycle: capacity mAh/g} points to overlay (paper values).
    """
    c = result.cycles
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(c["cycle"], c["discharge_capacity_mAh_per_g"], "o-", ms=3, label="model: discharge")
    ax.plot(c["cycle"], c["charge_capacity_mAh_per_g"], "s", ms=2, alpha=0.5, label="model: charge")
    if measured:
        ax.plot(list(measured), list(measured.values()), "k*", ms=10, label="paper")
    ax.set_xlabel("Cycle number")
    ax.set_ylabel("Specific capacity [mAh g$^{-1}$ NMC]")
    ax2 = ax.twinx()
    ax2.plot(c["cycle"], 100 * c["coulombic_efficiency"], "-", color="tab:gray", lw=1)
    ax2.set_ylabel("Coulombic efficiency [%] (grey)")
    ax2.set_ylim(80, 102)
    _annotate_segments(ax, c)
    ax.legend(loc="lower left", fontsize=8)
    return _finish(fig, ax, title)


def _annotate_segments(ax, c):
    """Mark where the current density or the charge-end voltage changes."""
    cols = [k for k in ("current_density_mA_per_cm2", "upper_cutoff_V_vs_LiIn") if k in c]
    if not cols:
        return
    prev = None
    top = ax.get_ylim()[1]
    for _, row in c.iterrows():
        key = tuple(row[k] for k in cols)
        if key != prev:
            label = ", ".join(
                f"{row[k]:g} mA cm$^{{-2}}$" if k.startswith("current") else f"{row[k]:g} V"
                for k in cols
            )
            ax.axvline(row["cycle"] - 0.5, color="k", lw=0.5, alpha=0.4)
            ax.annotate(label, (row["cycle"], top), fontsize=7, rotation=90, va="top", ha="left")
            prev = key


def plot_resistance_vs_cycle(result, measured, title=None):
    """Model R_SE/Cat after each charge vs the paper's values (Table 3)."""
    c = result.cycles
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(
        c["cycle"], c["R_SE_Cat_after_charge_ohm"], "-", label="model: R$_{SE/Cat}$ after charge"
    )
    ax.plot(list(measured), list(measured.values()), "k*", ms=10, label="paper (Table 3, B2)")
    ax.set_xlabel("Cycle number")
    ax.set_ylabel("R$_{SE/Cat}$ [Ω]")
    ax.legend(fontsize=8)
    return _finish(fig, ax, title)


def plot_conductivity_map(df, markers=None, title=None, pellet=None):
    """Capacity vs SE conductivity, one line per parameter set and current density.

    Parameters
    ----------
    df : DataFrame from :func:`assb_model.sweep.presets.capacity_vs_conductivity`
    markers : dict, optional
        {parameter set: (sigma S/cm, measured capacity)} plotted as stars: the cells at the
        SE conductivity the model uses (inferred from their impedance).
    pellet : dict, optional
        {parameter set: Table 1 sigma S/cm}: the same capacity at the pellet value, an open
        circle joined to the star (where the paper's two numbers disagree).
    """
    fig, ax = plt.subplots(figsize=(8, 4.5))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    names = list(dict.fromkeys(df["parameter_set"]))
    for k, name in enumerate(names):
        for i, ls in zip(sorted(df["current_density"].unique()), ["-", "--", ":"], strict=False):
            sel = df[(df["parameter_set"] == name) & (df["current_density"] == i)]
            sel = sel[sel["status"] == "ok"]
            ax.semilogx(
                sel["sigma_se"],
                sel["discharge_capacity_mAh_per_g"],
                ls,
                color=colours[k % 10],
                label=f"{name.replace('giraldo2021_', '')}, {i:g} mA cm$^{{-2}}$",
            )
        if markers and name in markers:
            s, q = markers[name]
            ax.semilogx([s], [q], "*", color=colours[k % 10], ms=14, mec="k")
            if pellet and name in pellet:
                ax.semilogx([pellet[name], s], [q, q], ":", color=colours[k % 10], lw=1)
                ax.semilogx([pellet[name]], [q], "o", mfc="none", mec=colours[k % 10], ms=8)
    ax.set_xlabel("SE ionic conductivity σ$_{SE}$ [S cm$^{-1}$]")
    ax.set_ylabel("First discharge capacity [mAh g$^{-1}$]")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.text(
        0.01,
        0.97,
        "★ = paper's cells at the σ$_{SE}$ the model uses (inferred from R$_{SE,GB}$),\n"
        "measured capacity; ○ = Table 1's pellet σ",
        transform=ax.transAxes,
        fontsize=7,
        va="top",
    )
    return _finish(fig, ax, title)


def plot_coating_map(df, title=None):
    """Capacity and R_SE/Cat vs coating thickness, one line per coating conductivity."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.8))
    for sig in sorted(df["coating_conductivity"].unique()):
        sel = df[(df["coating_conductivity"] == sig) & (df["status"] == "ok")]
        lab = f"σ$_{{coat}}$ = {sig:.0e} S cm$^{{-1}}$"
        ax1.plot(
            sel["coating_thickness"], sel["discharge_capacity_mAh_per_g"], "o-", ms=3, label=lab
        )
        ax2.semilogy(
            sel["coating_thickness"], sel["R_SE_Cat_after_first_charge_ohm"], "o-", ms=3, label=lab
        )
    ax1.set_xlabel("Coating thickness [nm]")
    ax1.set_ylabel("First discharge capacity [mAh g$^{-1}$]")
    ax2.set_xlabel("Coating thickness [nm]")
    ax2.set_ylabel("R$_{SE/Cat}$ after first charge [Ω]")
    ax1.legend(fontsize=7)
    ax2.grid(alpha=0.3)
    return _finish(fig, ax1, title)


def plot_cutoff_study(df, title=None):
    """Capacity, energy and retention vs upper cut-off voltage."""
    ok = df[df["status"] == "ok"]
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6))
    axes[0].plot(ok["upper_cutoff"], ok["discharge_capacity_mAh_per_g"], "o-")
    axes[0].set_ylabel("First discharge capacity [mAh g$^{-1}$]")
    axes[1].plot(ok["upper_cutoff"], ok["energy_mWh_per_g"], "o-", color="tab:orange")
    axes[1].set_ylabel("First discharge energy [mWh g$^{-1}$]")
    axes[2].plot(ok["upper_cutoff"], 100 * ok["capacity_retention"], "o-", color="tab:green")
    axes[2].set_ylabel("Capacity retention over 10 cycles [%]")
    for ax in axes:
        ax.set_xlabel("Upper cut-off [V vs Li–In]")
        ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def plot_xy(df, x, y, xlabel, ylabel, group=None, logx=False, title=None):
    """Generic line plot of a what-if table (one line per ``group`` value)."""
    fig, ax = plt.subplots(figsize=(6, 4))
    groups = [(None, df)] if group is None else list(df.groupby(group, sort=False))
    for key, sel in groups:
        sel = sel[sel["status"] == "ok"]
        lab = None if key is None else str(key).replace("giraldo2021_", "")
        (ax.semilogx if logx else ax.plot)(sel[x], sel[y], "o-", ms=3, label=lab)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if group is not None:
        ax.legend(fontsize=7)
    return _finish(fig, ax, title)
