"""The what-if explorer: a Dash app over :mod:`assb_model.explore.backend`.

The callbacks registered by :func:`create_app` are thin: each calls one plain function of
this module (:func:`solve`, :func:`sync_quantity`, :func:`update_kept`,
:func:`compute_spectrum`, :func:`compute_map`, :func:`export`, :func:`load_file`, ...)
that takes and returns plain data, so the unit tests call them without a browser. All the
model work goes through :mod:`assb_model.explore.backend`; every failure reaches the page
as one line (:class:`~assb_model.explore.backend.ExploreError`) and the server goes on.
"""

from __future__ import annotations

import base64
import math
import re
import tempfile
import threading
import uuid
from pathlib import Path

import dash
import numpy as np
from dash import ALL, MATCH, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from assb_model.explore import backend
from assb_model.explore import figures as fig

#: Most runs kept in the comparison list (the oldest is dropped first).
MAX_KEPT = 8

#: Default number of points of a capacity map.
MAP_POINTS = 9

_HIDDEN = {"display": "none"}
_ERROR_SHOWN = {"display": "block"}
_BUSY_ON = {"visibility": "visible"}
_BUSY_OFF = {"visibility": "hidden"}

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
       background: #f4f5f7; color: #1d1f23; }
header { background: #1d2b3a; color: #fff; padding: 10px 18px; }
header h1 { font-size: 20px; margin: 0; font-weight: 600; }
header p { margin: 2px 0 0 0; font-size: 13px; color: #c9d3de; }
.main { display: grid; grid-template-columns: 370px 1fr; gap: 14px; padding: 14px; }
.panel, .card { background: #fff; border: 1px solid #dde1e6; border-radius: 6px;
       padding: 10px 12px; }
.panel h2, .card h2 { font-size: 14px; margin: 4px 0 8px 0; text-transform: uppercase;
       letter-spacing: .04em; color: #46505c; }
.q { margin-bottom: 10px; }
.q label { font-size: 13px; font-weight: 600; }
.q .unit { color: #66707b; font-weight: 400; }
.tag { font-size: 10px; background: #fff1d6; color: #8a5a00; border-radius: 3px; padding: 1px 4px;
       margin-left: 4px; font-weight: 500; }
.q-row { display: grid; grid-template-columns: 1fr 96px; gap: 8px; align-items: center; }
.q-input, .small-input { width: 92px; font-size: 13px; }
.q-input .dash-input-stepper, .small-input .dash-input-stepper { display: none; }
.sets .dash-options-list-option { display: flex; gap: 6px; align-items: center; font-size: 13px;
       margin: 1px 0; }
.headline { display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
.capacity { font-size: 30px; font-weight: 700; }
.muted { color: #66707b; font-size: 13px; }
.error { background: #fde8e8; color: #8a1c1c; border: 1px solid #f3b4b4; border-radius: 4px;
         padding: 6px 10px; margin-top: 6px; font-size: 14px; }
.busy { color: #8a5a00; font-weight: 600; font-size: 13px; }
pre.command { background: #f6f8fa; padding: 8px; margin: 0; white-space: pre-wrap;
              word-break: break-all; font-size: 12.5px; border-radius: 4px; flex: 1; }
.main > div, .views > div { min-width: 0; }
.views { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; margin-top: 14px; }
.card-head { display: flex; justify-content: space-between; align-items: center; }
.card-head button { margin-left: 4px; }
button { font-size: 12px; padding: 3px 8px; cursor: pointer; }
.row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; font-size: 13px;
       margin: 4px 0; }
table.comparison { border-collapse: collapse; font-size: 12px; width: 100%; margin-top: 6px; }
table.comparison td, table.comparison th { border-bottom: 1px solid #eee; padding: 2px 4px;
       text-align: left; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
details summary { cursor: pointer; font-size: 13px; font-weight: 600; margin: 6px 0; }
.opt { font-size: 12px; margin-bottom: 6px; }
"""

_INDEX = (
    "<!DOCTYPE html>\n<html>\n<head>\n{%metas%}\n<title>{%title%}</title>\n{%favicon%}\n"
    "{%css%}\n<style>" + _CSS + "</style>\n</head>\n<body>\n{%app_entry%}\n<footer>\n"
    "{%config%}\n{%scripts%}\n{%renderer%}\n</footer>\n</body>\n</html>"
)


# ---------------------------------------------------------------------------------------
# Plain helpers
# ---------------------------------------------------------------------------------------
def _quantities() -> dict[str, dict]:
    return {q["alias"]: q for q in backend.whatif_quantities()}


def round_sig(value: float, digits: int = 3) -> float:
    """``value`` rounded to ``digits`` significant digits (values set on a log slider)."""
    if value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.{digits}g}")


def slider_position(q: dict, value) -> float | None:
    """Position of the control's slider for ``value`` (log10 of it on a log scale),
    clamped to the bounds; ``None`` for no usable value."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(v):
        return None
    v = min(max(v, q["min"]), q["max"])
    return math.log10(v) if q["log"] else v


def value_from_slider(q: dict, position: float) -> float:
    """The value a slider position stands for (rounded to 3 significant digits on a log
    scale, to the step on a linear one)."""
    if q["log"]:
        return round_sig(10.0 ** float(position))
    step = q["step"] or 1
    v = round(float(position) / step) * step
    return round(v) if float(step).is_integer() else float(f"{v:.10g}")


def short_set_name(parameter_set: str) -> str:
    """A set name without the ``giraldo2021_`` prefix; a file's name without folders."""
    name = str(parameter_set)
    if "/" in name or "\\" in name:
        return Path(name).name
    return name.removeprefix("giraldo2021_")


def run_label(parameter_set: str, values: dict, options: dict) -> str:
    """Short description of a run: the set and what differs from its own values."""
    quantities = _quantities()
    defaults = backend.default_values(parameter_set)
    changes = []
    for alias, value in values.items():
        if alias in defaults and not math.isclose(float(value), defaults[alias], rel_tol=1e-9):
            unit = quantities[alias]["unit"]
            changes.append(f"{alias}={value:g}" + ("" if unit == "-" else f" {unit}"))
    default_opts = backend.default_options()
    changes += [f"{k}={v}" for k, v in options.items() if default_opts.get(k) != v]
    return short_set_name(parameter_set) + (f" · {', '.join(changes)}" if changes else "")


def map_grid(q: dict, low: float, high: float, points: int) -> list[float]:
    """The grid of a capacity map: ``points`` values from ``low`` to ``high`` (log-spaced
    on a log scale; whole numbers for the number of cycles).

    Raises
    ------
    backend.ExploreError
        For a missing, reversed or too short range.
    """
    try:
        low, high, points = float(low), float(high), int(points)
    except (TypeError, ValueError):
        raise backend.ExploreError("capacity map: give numbers for from, to and points") from None
    if not high > low:
        raise backend.ExploreError(f"capacity map: 'to' ({high:g}) must exceed 'from' ({low:g})")
    if not 2 <= points <= 101:
        raise backend.ExploreError(f"capacity map: points must be 2 to 101, got {points}")
    if q["log"]:
        if low <= 0:
            raise backend.ExploreError("capacity map: a log scale needs a positive 'from'")
        grid = [round_sig(v, 4) for v in np.geomspace(low, high, points)]
    else:
        grid = [float(f"{v:.6g}") for v in np.linspace(low, high, points)]
    if q["step"] == 1:
        grid = [float(v) for v in sorted({round(v) for v in grid})]
    return sorted(set(grid))


def _records(df) -> dict:
    return {c: df[c].tolist() for c in df.columns}


def _pairs(values, ids, key: str) -> dict:
    return {i[key]: v for i, v in zip(ids or [], values or [], strict=False)}


# ---------------------------------------------------------------------------------------
# Callback bodies (plain functions of plain data)
# ---------------------------------------------------------------------------------------
def solve(session: backend.Session, parameter_set: str, values: dict, options: dict) -> dict:
    """Run the model for the page's state.

    Returns
    -------
    dict
        ``run`` (the store's run dict, or ``None`` on error), ``headline``, ``detail``,
        ``status``, ``error`` (one line or ``""``), ``command``.
    """
    try:
        command = backend.command_line(parameter_set, values, options)
        result = session.run(parameter_set, values, options)
    except backend.ExploreError as exc:
        return {
            "run": None,
            "headline": fig.format_capacity(None),
            "detail": "no result for this state",
            "status": "",
            "error": str(exc),
            "command": _command_or_blank(parameter_set, values, options),
        }
    first = result.cycles.iloc[0] if len(result.cycles) else None
    detail = result.note
    if first is not None:
        detail = (
            f"first-cycle discharge · charge {first['charge_capacity_mAh_per_g']:.1f} mAh/g · "
            f"coulombic efficiency {100 * first['coulombic_efficiency']:.1f} % · "
            f"NMC {result.nmc_mass_mg:.2f} mg"
        )
    ms = 1e3 * result.elapsed_s
    status = (
        f"model rebuilt and solved in {result.elapsed_s:.2f} s"
        if result.rebuilt
        else f"re-solved in {ms:.0f} ms (model built once)"
    )
    run = {
        "id": uuid.uuid4().hex[:8],
        "label": run_label(parameter_set, values, options),
        "parameter_set": parameter_set,
        "values": dict(values),
        "options": dict(options),
        "command": command,
        "first_discharge": result.first_discharge_mAh_per_g,
        "curves": _records(result.curves),
        "cycles": _records(result.cycles),
    }
    return {
        "run": run,
        "headline": fig.format_capacity(result.first_discharge_mAh_per_g),
        "detail": detail,
        "status": status,
        "error": "",
        "command": command,
    }


def _command_or_blank(parameter_set, values, options) -> str:
    try:
        return backend.command_line(parameter_set, values, options)
    except backend.ExploreError:
        return ""


def sync_quantity(q: dict, trigger: str | None, position, value, default):
    """Keep a quantity's slider and number box in step.

    Parameters
    ----------
    q : dict
        The quantity (:func:`backend.whatif_quantities`).
    trigger : str or None
        What changed: ``"slider"``, ``"input"``, ``"reset"`` (parameter set or reset
        button) or ``None`` (page load).
    position, value : float
        The slider position and the box's value.
    default : float
        The parameter set's value.

    Returns
    -------
    tuple
        (slider position, box value); ``dash.no_update`` where nothing changes.
    """
    if trigger == "slider" and position is not None:
        new = value_from_slider(q, position)
        same = value is not None and _close(new, value)
        return dash.no_update, (dash.no_update if same else new)
    if trigger == "input":
        pos = slider_position(q, value)
        return (dash.no_update if pos is None else pos), dash.no_update
    if trigger == "reset":
        return slider_position(q, default), default
    return dash.no_update, dash.no_update


def _close(a, b) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=0.0)
    except (TypeError, ValueError):
        return False


def update_kept(action: str | None, current: dict | None, kept: list | None, index=None):
    """The comparison list after ``action``: ``"keep"`` the current run, ``"clear"``, or
    ``"remove"`` entry ``index``."""
    kept = list(kept or [])
    if action == "keep" and current:
        if all(k.get("id") != current.get("id") for k in kept):
            kept.append(current)
        kept = kept[-MAX_KEPT:]
    elif action == "clear":
        kept = []
    elif action == "remove" and index is not None and 0 <= index < len(kept):
        kept.pop(index)
    return kept


def comparison_table(current: dict | None, kept: list | None):
    """The comparison list as an HTML table (kept runs, then the current one)."""
    rows = []
    for i, run in enumerate(kept or []):
        rows.append(
            html.Tr(
                [
                    html.Td(html.Span(className="swatch", style={"background": fig.run_colour(i)})),
                    html.Td(run["label"]),
                    html.Td(fig.format_capacity(run["first_discharge"])),
                    html.Td(
                        html.Button("×", id={"type": "remove-run", "index": i}, title="remove")
                    ),
                ]
            )
        )
    if current:
        rows.append(
            html.Tr(
                [
                    html.Td(
                        html.Span(className="swatch", style={"background": fig.CURRENT_COLOUR})
                    ),
                    html.Td("current: " + current["label"]),
                    html.Td(fig.format_capacity(current["first_discharge"])),
                    html.Td(""),
                ]
            )
        )
    if not rows:
        return html.Div("no runs", className="muted")
    head = html.Tr([html.Th(""), html.Th("run"), html.Th("1st discharge"), html.Th("")])
    return html.Table([html.Thead(head), html.Tbody(rows)], className="comparison")


def state_text(state: dict) -> str:
    """How the spectrum's state reads on the page."""
    n = int(state.get("after_cycles", 0))
    where = "as assembled" if n == 0 else f"after charge {n} + {state.get('rest_s', 0):.0f} s rest"
    return (
        f"{where}: {state.get('voltage_vs_LiIn_V', float('nan')):.3f} V vs Li–In, "
        f"SOC {state.get('soc', float('nan')):.2f}"
    )


def compute_spectrum(session: backend.Session, current: dict | None, after_charge) -> dict:
    """The Nyquist store for the current run's state, or an ``error``."""
    if not current:
        return {"error": "no valid state to take a spectrum of (fix the error above first)"}
    try:
        n = int(after_charge if after_charge is not None else 1)
    except (TypeError, ValueError):
        return {"error": f"after charge: '{after_charge}' is not a whole number"}
    try:
        df = session.nyquist(current["parameter_set"], current["values"], current["options"], n)
    except backend.ExploreError as exc:
        return {"error": str(exc)}
    text = state_text(df.attrs.get("state", {}))
    return {
        "data": _records(df),
        "label": current["label"],
        "state_text": text,
        "status": f"{current['label']}; {text}",
    }


def compute_map(
    session: backend.Session,
    current: dict | None,
    alias: str,
    low,
    high,
    points,
    progress=None,
) -> dict:
    """The capacity-map store over ``alias`` around the current run's state, or an
    ``error``."""
    if not current:
        return {"error": "no valid state to map around (fix the error above first)"}
    quantities = _quantities()
    if alias not in quantities:
        return {"error": f"capacity map: unknown quantity '{alias}'"}
    q = quantities[alias]
    try:
        grid = map_grid(q, low, high, points)
        df = session.capacity_map(
            current["parameter_set"],
            current["values"],
            current["options"],
            alias,
            grid,
            progress=progress,
        )
    except backend.ExploreError as exc:
        return {"error": str(exc)}
    keep = [alias, *[c for c in df.columns if c != alias]]
    df = df[keep]
    n_failed = int((df["status"] != "ok").sum())
    status = f"{len(df)} points around {current['label']}"
    if n_failed:
        status += f"; {n_failed} failed: {df.loc[df['status'] != 'ok', 'error'].iloc[0]}"
    return {
        "data": _records(df.astype(object).where(df.notna(), None)),
        "quantity": q,
        "current": current["values"].get(alias),
        "status": status,
    }


def export(view: str, fmt: str, current, kept, spectrum, map_data) -> dict:
    """What ``dcc.Download`` needs for a view as ``"csv"`` or ``"png"``.

    Raises
    ------
    backend.ExploreError
        Nothing to export yet, unknown view or format.
    """
    try:
        if fmt == "csv":
            text = fig.view_table(view, current, kept, spectrum, map_data).to_csv(index=False)
            return {"content": text, "filename": f"assb_explore_{view}.csv", "base64": False}
        if fmt == "png":
            png = fig.view_png(view, current, kept, spectrum, map_data)
            return {
                "content": base64.b64encode(png).decode("ascii"),
                "filename": f"assb_explore_{view}.png",
                "base64": True,
                "type": "image/png",
            }
    except ValueError as exc:
        raise backend.ExploreError(str(exc)) from exc
    raise backend.ExploreError(f"unknown download format '{fmt}' (csv or png)")


def load_file(path_text: str | None, upload: str | None, filename: str | None, folder: Path):
    """A parameter-set file from a server path or an upload, checked.

    Returns
    -------
    str
        The path to use as the parameter set.

    Raises
    ------
    backend.ExploreError
        Unreadable or invalid file.
    """
    if upload:
        name = Path(filename or "parameter_set.json").name
        if not re.fullmatch(r"[\w.\- ]+", name):
            name = "parameter_set.json"
        try:
            _, payload = upload.split(",", 1)
            data = base64.b64decode(payload)
        except ValueError:
            raise backend.ExploreError(f"{name}: the upload could not be decoded") from None
        target = Path(folder) / uuid.uuid4().hex[:8] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        path = str(target)
    else:
        path = str(path_text or "").strip()
        if not path:
            raise backend.ExploreError("give the path of a parameter-set file")
    backend.default_values(path)  # reads and checks the file
    return str(Path(path).expanduser().resolve())


# ---------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------
def _marks(q: dict) -> dict:
    if q["log"]:
        lo, hi = math.ceil(math.log10(q["min"])), math.floor(math.log10(q["max"]))
        return {k: f"1e{k}" for k in range(lo, hi + 1)}
    return {q["min"]: f"{q['min']:g}", q["max"]: f"{q['max']:g}"}


def _quantity_control(q: dict, value) -> html.Div:
    a = q["alias"]
    unit = "" if q["unit"] == "-" else q["unit"]
    label = [q["label"], " ", html.Span(unit, className="unit")]
    if q["rebuild"]:
        label.append(html.Span("rebuild", className="tag", title="a change builds the model"))
    log = q["log"]
    return html.Div(
        className="q",
        children=[
            html.Label(label, htmlFor=f"q-{a}"),
            html.Div(
                className="q-row",
                children=[
                    dcc.Slider(
                        id={"type": "q-slider", "alias": a},
                        min=math.log10(q["min"]) if log else q["min"],
                        max=math.log10(q["max"]) if log else q["max"],
                        step=0.01 if log else q["step"],
                        value=slider_position(q, value),
                        marks=_marks(q),
                        updatemode="mouseup",
                        allow_direct_input=False,
                    ),
                    dcc.Input(
                        id={"type": "q-input", "alias": a},
                        type="number",
                        value=value,
                        debounce=True,
                        step="any",
                        className="q-input",
                        name=a,
                    ),
                ],
            ),
        ],
    )


def _card(view: str, title: str, body: list) -> html.Div:
    buttons = [
        html.Button(fmt.upper(), id={"type": "dl-btn", "view": view, "fmt": fmt}, title=f"{fmt}")
        for fmt in ("png", "csv")
    ]
    return html.Div(
        className="card",
        id=f"card-{view}",
        children=[
            html.Div(className="card-head", children=[html.H2(title), html.Div(buttons)]),
            *body,
        ],
    )


def build_layout(parameter_set: str = backend.DEFAULT_PARAMETER_SET) -> html.Div:
    """The page (a new client id per page load)."""
    quantities = backend.whatif_quantities()
    defaults = backend.default_values(parameter_set)
    options = backend.model_options()
    graph_config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
    controls = html.Div(
        className="panel",
        children=[
            html.H2("Parameter set"),
            dcc.RadioItems(
                id="parameter-set",
                options=[{"label": n, "value": n} for n in backend.parameter_sets()],
                value=parameter_set,
                className="sets",
            ),
            html.Div(
                className="row",
                children=[
                    dcc.Input(
                        id="file-path",
                        type="text",
                        placeholder="or a parameter-set file path",
                        style={"width": "210px"},
                    ),
                    html.Button("Load", id="file-load"),
                ],
            ),
            dcc.Upload(
                id="file-upload",
                children=html.Div(["or drop / ", html.A("choose a file"), " (fitted set JSON)"]),
                className="muted",
                style={"border": "1px dashed #bbb", "padding": "4px", "textAlign": "center"},
            ),
            html.Div(id="file-status", className="muted"),
            html.H2("What if…", style={"marginTop": "14px"}),
            *[_quantity_control(q, defaults[q["alias"]]) for q in quantities],
            html.Button("Reset to the set's values", id="reset"),
            html.Details(
                [
                    html.Summary("Model options"),
                    *[
                        html.Div(
                            className="opt",
                            children=[
                                html.Div(name),
                                dcc.Dropdown(
                                    id={"type": "option", "name": name},
                                    options=[{"label": v, "value": v} for v in allowed],
                                    value=allowed[0],
                                    clearable=False,
                                ),
                            ],
                        )
                        for name, allowed in options.items()
                    ],
                ],
                style={"marginTop": "10px"},
            ),
        ],
    )
    headline = html.Div(
        className="panel",
        children=[
            html.Div(
                className="headline",
                children=[
                    html.Div(
                        [
                            html.Div("First-cycle discharge capacity", className="muted"),
                            html.Div(id="headline", className="capacity", children="—"),
                        ]
                    ),
                    html.Div(
                        [
                            html.Div(id="headline-detail", className="muted"),
                            html.Div(id="status", className="muted"),
                            html.Div(
                                "Solving… (a change marked 'rebuild' builds the model, ~1 s)",
                                id="busy",
                                className="busy",
                                style=_BUSY_OFF,
                            ),
                        ]
                    ),
                ],
            ),
            html.Div(id="error", className="error", role="alert", style=_HIDDEN),
            html.Div(
                className="row",
                style={"marginTop": "8px"},
                children=[
                    html.Pre(id="command", className="command"),
                    dcc.Clipboard(target_id="command", title="copy the command"),
                ],
            ),
        ],
    )
    voltage = _card(
        "voltage",
        "Voltage vs capacity",
        [
            dcc.Loading(
                dcc.Graph(id="graph-voltage", config=graph_config, style={"height": "380px"}),
                delay_show=400,
            ),
            html.Div(
                className="row",
                children=[
                    html.Button("Keep this run for comparison", id="keep-run"),
                    html.Button("Clear comparison", id="clear-runs"),
                ],
            ),
            html.Div(id="comparison"),
        ],
    )
    cycles = _card(
        "cycles",
        "Capacity vs cycle",
        [dcc.Graph(id="graph-cycles", config=graph_config, style={"height": "380px"})],
    )
    nyquist = _card(
        "nyquist",
        "Nyquist (model impedance)",
        [
            html.Div(
                className="row",
                children=[
                    "after charge",
                    dcc.Input(
                        id="nyq-charge",
                        type="number",
                        value=1,
                        min=0,
                        step=1,
                        className="small-input",
                    ),
                    "(0 = as assembled)",
                    html.Button("Compute spectrum", id="nyq-run"),
                    dcc.Checklist(
                        id="nyq-auto",
                        options=[{"label": " update with every run", "value": "auto"}],
                        value=[],
                        inline=True,
                    ),
                ],
            ),
            html.Div("Computing the spectrum…", id="nyq-busy", className="busy", style=_BUSY_OFF),
            dcc.Graph(id="graph-nyquist", config=graph_config, style={"height": "340px"}),
            html.Div(id="nyq-status", className="muted"),
        ],
    )
    first = quantities[0]
    capacity_map = _card(
        "map",
        "Capacity map",
        [
            html.Div(
                className="row",
                children=[
                    dcc.Dropdown(
                        id="map-quantity",
                        options=[{"label": q["label"], "value": q["alias"]} for q in quantities],
                        value=first["alias"],
                        clearable=False,
                        style={"width": "230px"},
                    ),
                    "from",
                    dcc.Input(
                        id="map-from",
                        type="number",
                        value=first["min"],
                        step="any",
                        className="small-input",
                    ),
                    "to",
                    dcc.Input(
                        id="map-to",
                        type="number",
                        value=first["max"],
                        step="any",
                        className="small-input",
                    ),
                    "points",
                    dcc.Input(
                        id="map-points",
                        type="number",
                        value=MAP_POINTS,
                        min=2,
                        max=101,
                        className="small-input",
                    ),
                    html.Button("Run map", id="map-run"),
                ],
            ),
            html.Div(
                id="map-progress-box",
                style=_HIDDEN,
                children=[
                    html.Progress(id="map-progress", value="0", max=str(MAP_POINTS)),
                    html.Span(id="map-progress-text", className="muted"),
                ],
            ),
            dcc.Interval(id="map-interval", interval=250, disabled=True),
            dcc.Graph(id="graph-map", config=graph_config, style={"height": "340px"}),
            html.Div(id="map-status", className="muted"),
        ],
    )
    return html.Div(
        [
            html.Header(
                [
                    html.H1("assb explore — what-if explorer"),
                    html.P(
                        "Sulfide all-solid-state composite cathodes (Giraldo et al., Batteries "
                        "2021): change a quantity and the model re-solves."
                    ),
                ]
            ),
            html.Div(
                className="main",
                children=[
                    controls,
                    html.Div(
                        [
                            headline,
                            html.Div(
                                className="views", children=[voltage, cycles, nyquist, capacity_map]
                            ),
                        ]
                    ),
                ],
            ),
            dcc.Store(id="client-id", data=uuid.uuid4().hex),
            dcc.Store(id="current-run"),
            dcc.Store(id="kept-runs", data=[]),
            dcc.Store(id="spectrum"),
            dcc.Store(id="map-data"),
            dcc.Download(id="download"),
        ]
    )


# ---------------------------------------------------------------------------------------
# The app
# ---------------------------------------------------------------------------------------
def create_app(session: backend.Session | None = None) -> dash.Dash:
    """The Dash app; its Flask server is ``app.server``.

    Parameters
    ----------
    session : backend.Session, optional
        Keeps the built models (a new one by default).
    """
    session = session or backend.Session()
    quantities = _quantities()
    upload_dir = tempfile.TemporaryDirectory(prefix="assb-explore-")
    progress: dict[str, tuple[int, int]] = {}
    progress_lock = threading.Lock()

    app = dash.Dash(
        __name__,
        title="assb explore",
        update_title=None,
        index_string=_INDEX,
    )
    app.layout = build_layout
    app._assb_session = session  # for tests and benchmarks
    app._assb_upload_dir = upload_dir

    @app.callback(
        Output({"type": "q-slider", "alias": MATCH}, "value"),
        Output({"type": "q-input", "alias": MATCH}, "value"),
        Input({"type": "q-slider", "alias": MATCH}, "value"),
        Input({"type": "q-input", "alias": MATCH}, "value"),
        Input("parameter-set", "value"),
        Input("reset", "n_clicks"),
        State({"type": "q-input", "alias": MATCH}, "id"),
        prevent_initial_call=True,
    )
    def _sync(position, value, parameter_set, _reset, ident):
        q = quantities[ident["alias"]]
        trigger_id = dash.ctx.triggered_id
        if isinstance(trigger_id, dict):
            trigger = "slider" if trigger_id["type"] == "q-slider" else "input"
        elif trigger_id in ("parameter-set", "reset"):
            trigger = "reset"
        else:
            trigger = None
        default = None
        if trigger == "reset":
            try:
                default = backend.default_values(parameter_set)[q["alias"]]
            except backend.ExploreError:
                return dash.no_update, dash.no_update
        return sync_quantity(q, trigger, position, value, default)

    @app.callback(
        Output("current-run", "data"),
        Output("headline", "children"),
        Output("headline-detail", "children"),
        Output("status", "children"),
        Output("error", "children"),
        Output("error", "style"),
        Output("command", "children"),
        Input("parameter-set", "value"),
        Input({"type": "q-input", "alias": ALL}, "value"),
        Input({"type": "option", "name": ALL}, "value"),
        State({"type": "q-input", "alias": ALL}, "id"),
        State({"type": "option", "name": ALL}, "id"),
        running=[(Output("busy", "style"), _BUSY_ON, _BUSY_OFF)],
    )
    def _solve(parameter_set, values, options, value_ids, option_ids):
        if any(v is None for v in values):
            # a box being edited (emptied, or not a number yet): wait for a value
            raise PreventUpdate
        out = solve(
            session,
            parameter_set,
            _pairs(values, value_ids, "alias"),
            _pairs(options, option_ids, "name"),
        )
        return (
            out["run"],
            out["headline"],
            out["detail"],
            out["status"],
            out["error"],
            _ERROR_SHOWN if out["error"] else _HIDDEN,
            out["command"],
        )

    @app.callback(
        Output("kept-runs", "data"),
        Input("keep-run", "n_clicks"),
        Input("clear-runs", "n_clicks"),
        Input({"type": "remove-run", "index": ALL}, "n_clicks"),
        State("current-run", "data"),
        State("kept-runs", "data"),
        prevent_initial_call=True,
    )
    def _kept(_keep, _clear, removes, current, kept):
        trigger_id = dash.ctx.triggered_id
        if isinstance(trigger_id, dict):
            if not any(removes or []):
                return dash.no_update
            return update_kept("remove", current, kept, trigger_id["index"])
        action = {"keep-run": "keep", "clear-runs": "clear"}.get(trigger_id)
        return update_kept(action, current, kept)

    @app.callback(
        Output("graph-voltage", "figure"),
        Output("graph-cycles", "figure"),
        Output("comparison", "children"),
        Input("current-run", "data"),
        Input("kept-runs", "data"),
    )
    def _views(current, kept):
        return (
            fig.voltage_figure(current, kept),
            fig.cycles_figure(current, kept),
            comparison_table(current, kept),
        )

    @app.callback(
        Output("spectrum", "data"),
        Output("graph-nyquist", "figure"),
        Output("nyq-status", "children"),
        Output("nyq-status", "style"),
        Input("nyq-run", "n_clicks"),
        Input("current-run", "data"),
        State("nyq-auto", "value"),
        State("nyq-charge", "value"),
        State("spectrum", "data"),
        running=[(Output("nyq-busy", "style"), _BUSY_ON, _BUSY_OFF)],
    )
    def _nyquist(clicks, current, auto, after_charge, spectrum):
        if dash.ctx.triggered_id == "current-run" and "auto" not in (auto or []):
            if spectrum is None:
                return None, fig.nyquist_figure(None), "", {}
            return dash.no_update, dash.no_update, dash.no_update, dash.no_update
        if dash.ctx.triggered_id is None and not clicks:
            return None, fig.nyquist_figure(None), "", {}
        data = compute_spectrum(session, current, after_charge)
        if "error" in data:
            return None, fig.nyquist_figure(None), data["error"], {"color": "#8a1c1c"}
        return data, fig.nyquist_figure(data), data["status"], {}

    @app.callback(
        Output("map-from", "value"),
        Output("map-to", "value"),
        Input("map-quantity", "value"),
        prevent_initial_call=True,
    )
    def _map_range(alias):
        q = quantities.get(alias)
        return (q["min"], q["max"]) if q else (dash.no_update, dash.no_update)

    @app.callback(
        Output("map-data", "data"),
        Output("graph-map", "figure"),
        Output("map-status", "children"),
        Output("map-status", "style"),
        Input("map-run", "n_clicks"),
        State("current-run", "data"),
        State("map-quantity", "value"),
        State("map-from", "value"),
        State("map-to", "value"),
        State("map-points", "value"),
        State("client-id", "data"),
        running=[
            (Output("map-interval", "disabled"), False, True),
            (Output("map-progress-box", "style"), {"display": "block"}, _HIDDEN),
            (Output("map-run", "disabled"), True, False),
        ],
    )
    def _map(clicks, current, alias, low, high, points, client):
        if not clicks:
            return None, fig.map_figure(None), "", {}

        def report(done, total):
            with progress_lock:
                progress[client] = (done, total)

        report(0, int(points or 0))
        data = compute_map(session, current, alias, low, high, points, progress=report)
        if "error" in data:
            return None, fig.map_figure(None), data["error"], {"color": "#8a1c1c"}
        return data, fig.map_figure(data), data["status"], {}

    @app.callback(
        Output("map-progress", "value"),
        Output("map-progress", "max"),
        Output("map-progress-text", "children"),
        Input("map-interval", "n_intervals"),
        State("client-id", "data"),
        prevent_initial_call=True,
    )
    def _map_progress(_n, client):
        with progress_lock:
            done, total = progress.get(client, (0, 0))
        return str(done), str(max(total, 1)), f" {done} of {total} points"

    @app.callback(
        Output("download", "data"),
        Output("error", "children", allow_duplicate=True),
        Output("error", "style", allow_duplicate=True),
        Input({"type": "dl-btn", "view": ALL, "fmt": ALL}, "n_clicks"),
        State("current-run", "data"),
        State("kept-runs", "data"),
        State("spectrum", "data"),
        State("map-data", "data"),
        prevent_initial_call=True,
    )
    def _download(clicks, current, kept, spectrum, map_data):
        trigger_id = dash.ctx.triggered_id
        if not isinstance(trigger_id, dict) or not any(clicks or []):
            return dash.no_update, dash.no_update, dash.no_update
        try:
            data = export(trigger_id["view"], trigger_id["fmt"], current, kept, spectrum, map_data)
        except backend.ExploreError as exc:
            return dash.no_update, str(exc), _ERROR_SHOWN
        return data, dash.no_update, dash.no_update

    @app.callback(
        Output("parameter-set", "options"),
        Output("parameter-set", "value"),
        Output("file-status", "children"),
        Output("error", "children", allow_duplicate=True),
        Output("error", "style", allow_duplicate=True),
        Input("file-load", "n_clicks"),
        Input("file-upload", "contents"),
        State("file-path", "value"),
        State("file-upload", "filename"),
        State("parameter-set", "options"),
        prevent_initial_call=True,
    )
    def _load(_clicks, contents, path_text, filename, set_options):
        upload = contents if dash.ctx.triggered_id == "file-upload" else None
        try:
            path = load_file(path_text, upload, filename, Path(upload_dir.name))
        except backend.ExploreError as exc:
            return dash.no_update, dash.no_update, "", str(exc), _ERROR_SHOWN
        set_options = list(set_options or [])
        if all(o["value"] != path for o in set_options):
            set_options.append({"label": f"file: {Path(path).name}", "value": path})
        return set_options, path, f"loaded {path}", dash.no_update, dash.no_update

    return app
