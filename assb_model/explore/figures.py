"""The explorer's views: Plotly figures for the page, CSV tables and PNG images to download.

Every view is drawn from plain data (what the page keeps in its stores: lists of run
dicts, a spectrum, a map), so the same data give the figure on the page, the CSV and the
PNG. PNGs are drawn with matplotlib (already a dependency of the package, and it needs no
browser on the server); the on-screen Plotly figure can also be saved from its tool bar.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

#: Colours of the runs kept for comparison (matplotlib's tab10); the current run is black.
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
CURRENT_COLOUR = "#111111"

VIEWS = ("voltage", "cycles", "nyquist", "map")

_LAYOUT = {
    "template": "plotly_white",
    "margin": {"l": 60, "r": 15, "t": 30, "b": 50},
    "legend": {"orientation": "h", "y": -0.22, "font": {"size": 11}},
    "font": {"size": 12},
}


def run_colour(index: int | None) -> str:
    """Colour of kept run ``index`` (``None``: the current run)."""
    return CURRENT_COLOUR if index is None else PALETTE[index % len(PALETTE)]


def _runs(current: dict | None, kept: list | None) -> list[tuple[dict, str, bool]]:
    """(run, colour, is_current) for the kept runs then the current one (drawn on top)."""
    out = [(run, run_colour(i), False) for i, run in enumerate(kept or [])]
    if current:
        out.append((current, CURRENT_COLOUR, True))
    return out


def _segments(curves: dict) -> tuple[list, list, list]:
    """x, y, hover text of all steps of a run, joined with gaps (one trace per run)."""
    df = pd.DataFrame(curves)
    xs, ys, texts = [], [], []
    if df.empty:
        return xs, ys, texts
    for (cycle, step), g in df.groupby(["cycle", "step_type"], sort=False):
        xs += [*g["specific_capacity_mAh_per_g"].tolist(), None]
        ys += [*g["voltage_V"].tolist(), None]
        texts += [f"cycle {cycle} {step}"] * len(g) + [None]
    return xs, ys, texts


def empty_figure(message: str) -> go.Figure:
    """A blank figure carrying a message in its middle."""
    fig = go.Figure()
    fig.update_layout(
        **_LAYOUT,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[
            {
                "text": message,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"size": 14, "color": "#666"},
            }
        ],
    )
    return fig


def voltage_figure(current: dict | None, kept: list | None) -> go.Figure:
    """Voltage vs specific capacity of the current run and the kept runs."""
    runs = _runs(current, kept)
    if not runs:
        return empty_figure("no result")
    fig = go.Figure()
    for run, colour, is_current in runs:
        x, y, text = _segments(run["curves"])
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                text=text,
                mode="lines",
                name=("current: " if is_current else "") + run["label"],
                line={"color": colour, "width": 3 if is_current else 2},
                hovertemplate="%{x:.1f} mAh/g, %{y:.3f} V<br>%{text}<extra></extra>",
            )
        )
    fig.update_layout(
        **_LAYOUT,
        xaxis_title="Specific capacity [mAh/g NMC]",
        yaxis_title="Voltage [V vs Li–In]",
        uirevision="voltage",
    )
    return fig


def cycles_figure(current: dict | None, kept: list | None) -> go.Figure:
    """Charge and discharge capacity vs cycle of the current run and the kept runs."""
    runs = _runs(current, kept)
    if not runs:
        return empty_figure("no result")
    fig = go.Figure()
    n_max = max([1, *(max(run["cycles"]["cycle"] or [1]) for run, _, _ in runs)])
    for run, colour, is_current in runs:
        c = pd.DataFrame(run["cycles"])
        name = ("current: " if is_current else "") + run["label"]
        fig.add_trace(
            go.Scatter(
                x=c["cycle"],
                y=c["discharge_capacity_mAh_per_g"],
                mode="lines+markers",
                name=name,
                legendgroup=name,
                line={"color": colour, "width": 3 if is_current else 2},
                marker={"symbol": "circle", "size": 8},
                hovertemplate="cycle %{x}: discharge %{y:.1f} mAh/g<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=c["cycle"],
                y=c["charge_capacity_mAh_per_g"],
                mode="markers",
                name=name + " (charge)",
                legendgroup=name,
                showlegend=False,
                marker={"symbol": "circle-open", "size": 9, "color": colour},
                hovertemplate="cycle %{x}: charge %{y:.1f} mAh/g<extra></extra>",
            )
        )
    fig.update_layout(
        **_LAYOUT,
        xaxis_title="Cycle (filled: discharge, open: charge)",
        yaxis_title="Specific capacity [mAh/g NMC]",
        xaxis={"range": [0.5, n_max + 0.5], "dtick": max(1, math.ceil(n_max / 10))},
        yaxis={"rangemode": "tozero"},
        uirevision="cycles",
    )
    return fig


def nyquist_figure(spectrum: dict | None) -> go.Figure:
    """−Z'' vs Z' of the model's spectrum (equal axis scales, as impedance is plotted)."""
    if not spectrum or not spectrum.get("data"):
        return empty_figure("press “Compute spectrum” (about 1 s)")
    df = pd.DataFrame(spectrum["data"])
    fig = go.Figure(
        go.Scatter(
            x=df["Z_real_ohm"],
            y=-df["Z_imag_ohm"],
            customdata=df["frequency_Hz"],
            mode="lines+markers",
            marker={"size": 5, "color": CURRENT_COLOUR},
            line={"color": CURRENT_COLOUR},
            name=spectrum.get("label", ""),
            hovertemplate="Z' %{x:.1f} Ω, −Z'' %{y:.1f} Ω<br>%{customdata:.3g} Hz<extra></extra>",
        )
    )
    fig.update_layout(
        **_LAYOUT,
        xaxis_title="Z' [Ω]",
        yaxis_title="−Z'' [Ω]",
        yaxis={"scaleanchor": "x", "scaleratio": 1},
        uirevision="nyquist",
    )
    return fig


def map_figure(map_data: dict | None) -> go.Figure:
    """First-cycle discharge capacity over the chosen quantity, the current value marked."""
    if not map_data or not map_data.get("data"):
        return empty_figure("choose a quantity and press “Run map”")
    df = pd.DataFrame(map_data["data"])
    q = map_data["quantity"]
    ok = df[df["status"] == "ok"]
    failed = df[df["status"] != "ok"]
    fig = go.Figure(
        go.Scatter(
            x=ok[q["alias"]],
            y=ok["discharge_capacity_mAh_per_g"],
            mode="lines+markers",
            name="first-cycle discharge",
            line={"color": CURRENT_COLOUR},
            hovertemplate=f"%{{x:.3g}} {q['unit']}: %{{y:.1f}} mAh/g<extra></extra>",
        )
    )
    if len(failed):
        fig.add_trace(
            go.Scatter(
                x=failed[q["alias"]],
                y=[0.0] * len(failed),
                text=failed["error"],
                mode="markers",
                name="failed (hover for the reason)",
                marker={"symbol": "x", "size": 10, "color": PALETTE[3]},
                hovertemplate="%{x:.3g}: %{text}<extra></extra>",
            )
        )
    current = map_data.get("current")
    if current is not None:
        fig.add_vline(x=current, line={"dash": "dot", "color": "#888"})
    unit = "" if q["unit"] == "-" else f" [{q['unit']}]"
    fig.update_layout(
        **_LAYOUT,
        xaxis_title=f"{q['label']}{unit}",
        yaxis_title="First-cycle discharge [mAh/g NMC]",
        xaxis={"type": "log" if q["log"] else "linear", "exponentformat": "e"},
        yaxis={"rangemode": "tozero"},
    )
    return fig


# ---------------------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------------------
def view_table(view: str, current, kept, spectrum, map_data) -> pd.DataFrame:
    """The data behind a view as one table (what its CSV holds).

    Raises
    ------
    ValueError
        For an unknown view or a view with nothing to export yet.
    """
    if view in ("voltage", "cycles"):
        frames = []
        for run, _, is_current in _runs(current, kept):
            df = pd.DataFrame(run["curves" if view == "voltage" else "cycles"])
            df.insert(0, "run", ("current: " if is_current else "") + run["label"])
            df.insert(1, "command", run.get("command", ""))
            frames.append(df)
        if not frames:
            raise ValueError("nothing to export: no run yet")
        return pd.concat(frames, ignore_index=True)
    if view == "nyquist":
        if not spectrum or not spectrum.get("data"):
            raise ValueError("nothing to export: compute a spectrum first")
        return pd.DataFrame(spectrum["data"])
    if view == "map":
        if not map_data or not map_data.get("data"):
            raise ValueError("nothing to export: run a capacity map first")
        return pd.DataFrame(map_data["data"])
    raise ValueError(f"unknown view '{view}'; views: {', '.join(VIEWS)}")


def view_png(view: str, current, kept, spectrum, map_data, dpi: int = 150) -> bytes:
    """The view drawn with matplotlib, as PNG bytes."""
    from matplotlib.figure import Figure

    table = view_table(view, current, kept, spectrum, map_data)
    fig = Figure(figsize=(6.4, 4.4), layout="constrained")
    ax = fig.add_subplot()
    if view == "voltage":
        for run, colour, is_current in _runs(current, kept):
            df = pd.DataFrame(run["curves"])
            first = True
            for _, g in df.groupby(["cycle", "step_type"], sort=False):
                ax.plot(
                    g["specific_capacity_mAh_per_g"],
                    g["voltage_V"],
                    color=colour,
                    lw=2.2 if is_current else 1.5,
                    label=(("current: " if is_current else "") + run["label"]) if first else None,
                )
                first = False
        ax.set_xlabel("Specific capacity [mAh/g NMC]")
        ax.set_ylabel("Voltage [V vs Li–In]")
        ax.legend(fontsize=7, loc="best")
    elif view == "cycles":
        for run, colour, is_current in _runs(current, kept):
            c = pd.DataFrame(run["cycles"])
            label = ("current: " if is_current else "") + run["label"]
            ax.plot(c["cycle"], c["discharge_capacity_mAh_per_g"], "o-", color=colour, label=label)
            ax.plot(c["cycle"], c["charge_capacity_mAh_per_g"], "o", mfc="none", color=colour)
        ax.set_xlabel("Cycle")
        ax.set_ylabel("Specific capacity [mAh/g NMC]")
        ax.set_ylim(bottom=0)
        ax.set_title("filled: discharge, open: charge", fontsize=9)
        ax.legend(fontsize=7, loc="best")
    elif view == "nyquist":
        ax.plot(table["Z_real_ohm"], -table["Z_imag_ohm"], "o-", ms=3, color=CURRENT_COLOUR)
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_xlabel("Z' [Ω]")
        ax.set_ylabel("−Z'' [Ω]")
        ax.set_title(spectrum.get("state_text", ""), fontsize=9)
    else:
        q = map_data["quantity"]
        ok = table[table["status"] == "ok"]
        ax.plot(ok[q["alias"]], ok["discharge_capacity_mAh_per_g"], "o-", color=CURRENT_COLOUR)
        failed = table[table["status"] != "ok"]
        if len(failed):
            ax.plot(failed[q["alias"]], np.zeros(len(failed)), "x", color=PALETTE[3])
        if map_data.get("current") is not None:
            ax.axvline(map_data["current"], ls=":", color="#888")
        if q["log"]:
            ax.set_xscale("log")
        unit = "" if q["unit"] == "-" else f" [{q['unit']}]"
        ax.set_xlabel(f"{q['label']}{unit}")
        ax.set_ylabel("First-cycle discharge [mAh/g NMC]")
        ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def format_capacity(value) -> str:
    """``"140.1 mAh/g"``, or an em dash for no value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{float(value):.1f} mAh/g"
