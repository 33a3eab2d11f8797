"""The explorer's callbacks as plain functions: controls, runs, comparison list, views,
downloads, files, and the wiring of the Dash app."""

import base64
import io
import json
import math
import socket

import dash
import pandas as pd
import pytest

import assb_model
from assb_model.explore import app as explore_app
from assb_model.explore import backend
from assb_model.explore import figures as fig

LPSCL = "giraldo2021_sp_lpscl_coated"
Q = {q["alias"]: q for q in backend.whatif_quantities()}


@pytest.fixture(scope="module")
def session():
    return backend.Session()


@pytest.fixture(scope="module")
def solved(session):
    return explore_app.solve(session, LPSCL, backend.default_values(LPSCL), {})


# --- controls ----------------------------------------------------------------------------
def test_log_slider_round_trip():
    q = Q["sigma_se"]
    assert explore_app.slider_position(q, 1e-5) == pytest.approx(-5)
    assert explore_app.value_from_slider(q, -5) == 1e-5
    # positions between decades give 3 significant digits, not 0.000031622776601683794
    assert explore_app.value_from_slider(q, -4.5) == 3.16e-5
    # out-of-range values put the slider at the bound (the run reports the error)
    assert explore_app.slider_position(q, 10.0) == pytest.approx(-1)
    assert explore_app.slider_position(q, None) is None


def test_linear_slider_steps():
    assert explore_app.value_from_slider(Q["cycles"], 3.4) == 3
    assert isinstance(explore_app.value_from_slider(Q["cycles"], 3.4), int)
    assert explore_app.value_from_slider(Q["upper_cutoff"], 3.8349) == 3.83
    assert explore_app.value_from_slider(Q["coating_thickness"], 9.2) == 9.0


def test_sync_quantity():
    q = Q["sigma_se"]
    no = dash.no_update
    # slider moved: the box takes its value (the box drives the run)
    assert explore_app.sync_quantity(q, "slider", -6, 4e-5, None) == (no, 1e-6)
    # the same value: nothing to update (no second run)
    assert explore_app.sync_quantity(q, "slider", -6, 1e-6, None) == (no, no)
    # box typed: the slider follows
    pos, box = explore_app.sync_quantity(q, "input", -4.4, 1e-7, None)
    assert pos == pytest.approx(-7) and box is no
    # parameter set changed or reset: both take the set's value
    pos, box = explore_app.sync_quantity(q, "reset", -7, 1e-7, 5e-7)
    assert box == 5e-7 and pos == pytest.approx(math.log10(5e-7))
    assert explore_app.sync_quantity(q, None, -7, 1e-7, None) == (no, no)


def test_map_grid():
    assert explore_app.map_grid(Q["sigma_se"], 1e-7, 1e-3, 5) == [1e-7, 1e-6, 1e-5, 1e-4, 1e-3]
    assert explore_app.map_grid(Q["upper_cutoff"], 3.6, 4.0, 5) == [3.6, 3.7, 3.8, 3.9, 4.0]
    assert explore_app.map_grid(Q["cycles"], 1, 4, 9) == [1.0, 2.0, 3.0, 4.0]
    for bad in [(1e-3, 1e-7, 5), (1e-7, 1e-3, 1), (None, 1, 5)]:
        with pytest.raises(backend.ExploreError, match="capacity map"):
            explore_app.map_grid(Q["sigma_se"], *bad)


def test_run_label():
    assert explore_app.run_label(LPSCL, backend.default_values(LPSCL), {}) == "sp_lpscl_coated"
    label = explore_app.run_label(
        LPSCL,
        {**backend.default_values(LPSCL), "sigma_se": 1e-6, "cycles": 2},
        {"interphase growth": "none"},
    )
    assert label == "sp_lpscl_coated · sigma_se=1e-06 S/cm, cycles=2, interphase growth=none"


# --- runs --------------------------------------------------------------------------------
def test_solve_fills_the_page(solved, session):
    run = solved["run"]
    assert solved["error"] == ""
    assert solved["headline"].endswith(" mAh/g")
    assert float(solved["headline"].split()[0]) == pytest.approx(run["first_discharge"], abs=0.05)
    assert solved["command"] == f"assb simulate {LPSCL}"
    assert "coulombic efficiency" in solved["detail"]
    # the store's data are JSON (what Dash sends to the browser)
    json.dumps(run)
    assert set(run["curves"]) == set(backend.CURVE_COLUMNS)
    again = explore_app.solve(session, LPSCL, {"sigma_se": 1e-6}, {})
    assert again["status"].startswith("re-solved in")
    assert again["run"]["first_discharge"] < run["first_discharge"]


def test_solve_error_is_one_message(session):
    out = explore_app.solve(session, LPSCL, {"upper_cutoff": 3.0, "lower_cutoff": 3.2}, {})
    assert out["run"] is None and out["headline"] == "—"
    assert "above the lower cut-off" in out["error"] and "\n" not in out["error"]
    # the command still shows the state that failed
    assert out["command"].endswith("--set lower_cutoff=3.2")


def test_no_capacity_is_zero_with_its_reason(session):
    """A charge cut-off below the open-circuit voltage: the cell stores nothing (0 mAh/g,
    as a cycler shows it), and the detail line says why."""
    out = explore_app.solve(session, LPSCL, {"upper_cutoff": 2.5}, {})
    assert out["error"] == "" and out["run"]["first_discharge"] == 0.0
    assert out["headline"] == "0.0 mAh/g"
    assert out["detail"].startswith("no capacity")


def test_kept_runs(solved):
    a = solved["run"]
    b = {**a, "id": "other"}
    kept = explore_app.update_kept("keep", a, [])
    assert kept == [a]
    assert explore_app.update_kept("keep", a, kept) == [a]  # the same run once
    kept = explore_app.update_kept("keep", b, kept)
    assert [k["id"] for k in kept] == [a["id"], "other"]
    assert explore_app.update_kept("remove", None, kept, 0) == [b]
    assert explore_app.update_kept("clear", a, kept) == []
    many = []
    for i in range(explore_app.MAX_KEPT + 3):
        many = explore_app.update_kept("keep", {**a, "id": str(i)}, many)
    assert len(many) == explore_app.MAX_KEPT and many[-1]["id"] == str(explore_app.MAX_KEPT + 2)
    assert explore_app.update_kept("keep", None, [a]) == [a]


def test_views_overlay_kept_runs(solved):
    a = solved["run"]
    kept = [{**a, "id": "k1", "label": "kept one"}]
    f = fig.voltage_figure(a, kept)
    assert [t.name for t in f.data] == ["kept one", "current: " + a["label"]]
    assert f.data[-1].line.color == fig.CURRENT_COLOUR and f.data[0].line.color == fig.PALETTE[0]
    c = fig.cycles_figure(a, kept)
    assert len(c.data) == 4  # discharge and charge of each run
    assert fig.voltage_figure(None, []).layout.annotations[0].text == "no result"
    table = explore_app.comparison_table(a, kept)
    assert "kept one" in str(table) and "mAh/g" in str(table)


def test_spectrum_and_map_callbacks(solved, session):
    spectrum = explore_app.compute_spectrum(session, solved["run"], 1)
    assert "error" not in spectrum and "after charge 1" in spectrum["state_text"]
    assert len(fig.nyquist_figure(spectrum).data) == 1
    assert "error" in explore_app.compute_spectrum(session, None, 1)
    assert "whole number" in explore_app.compute_spectrum(session, solved["run"], "x")["error"]

    seen = []
    data = explore_app.compute_map(
        session, solved["run"], "sigma_se", 1e-6, 1e-4, 3, progress=lambda d, n: seen.append(d)
    )
    assert data["quantity"]["alias"] == "sigma_se" and seen[-1] == 3
    json.dumps(data)
    caps = data["data"]["discharge_capacity_mAh_per_g"]
    assert caps == sorted(caps)  # capacity rises with the SE conductivity
    # the set's own SE conductivity (inferred from its R_SE,GB), in S/cm
    sigma = assb_model.load_parameter_set(LPSCL)["Electrolyte conductivity [S.m-1]"] / 100
    assert data["current"] == pytest.approx(sigma)
    assert fig.map_figure(data).layout.xaxis.type == "log"
    bad = explore_app.compute_map(session, solved["run"], "sigma_se", 1e-3, 1e-6, 3)
    assert "'to'" in bad["error"]


# --- downloads ---------------------------------------------------------------------------
def test_csv_and_png_downloads(solved):
    a = solved["run"]
    kept = [{**a, "id": "k1", "label": "kept one"}]
    out = explore_app.export("voltage", "csv", a, kept, None, None)
    df = pd.read_csv(io.StringIO(out["content"]))
    assert out["filename"] == "assb_explore_voltage.csv"
    assert {"run", "command", *backend.CURVE_COLUMNS} <= set(df.columns)
    assert set(df["run"]) == {"kept one", "current: " + a["label"]}
    cycles = pd.read_csv(
        io.StringIO(explore_app.export("cycles", "csv", a, [], None, None)["content"])
    )
    assert cycles["discharge_capacity_mAh_per_g"].iloc[0] == pytest.approx(a["first_discharge"])
    png = explore_app.export("voltage", "png", a, kept, None, None)
    raw = base64.b64decode(png["content"])
    assert png["base64"] and raw[:8] == b"\x89PNG\r\n\x1a\n" and len(raw) > 20_000
    with pytest.raises(backend.ExploreError, match="compute a spectrum first"):
        explore_app.export("nyquist", "csv", a, [], None, None)
    with pytest.raises(backend.ExploreError, match="unknown download format"):
        explore_app.export("voltage", "svg", a, [], None, None)


def test_nyquist_and_map_downloads(solved, session):
    spectrum = explore_app.compute_spectrum(session, solved["run"], 1)
    df = pd.read_csv(
        io.StringIO(explore_app.export("nyquist", "csv", None, [], spectrum, None)["content"])
    )
    assert list(df.columns) == backend.NYQUIST_COLUMNS
    data = explore_app.compute_map(session, solved["run"], "upper_cutoff", 3.7, 3.9, 3)
    df = pd.read_csv(io.StringIO(explore_app.export("map", "csv", None, [], None, data)["content"]))
    assert list(df["upper_cutoff"]) == [3.7, 3.8, 3.9]
    for view, args in (("nyquist", (spectrum, None)), ("map", (None, data))):
        raw = base64.b64decode(explore_app.export(view, "png", None, [], *args)["content"])
        assert raw[:4] == b"\x89PNG"


# --- files -------------------------------------------------------------------------------
def _fitted(sigma_s_per_m: float) -> bytes:
    values = {"Electrolyte conductivity [S.m-1]": {"value": sigma_s_per_m, "unit": "S.m-1"}}
    return json.dumps({"base_parameter_set": LPSCL, "values": values}).encode()


def test_load_file_by_path_and_upload(tmp_path):
    path = tmp_path / "mine.json"
    path.write_bytes(_fitted(1e-3))
    assert explore_app.load_file(str(path), None, None, tmp_path) == str(path.resolve())
    upload = "data:application/json;base64," + base64.b64encode(_fitted(2e-3)).decode()
    saved = explore_app.load_file(None, upload, "../evil name.json", tmp_path / "up")
    assert saved.endswith("evil name.json") and str(tmp_path / "up") in saved
    assert backend.default_values(saved)["sigma_se"] == pytest.approx(2e-5)


def test_bad_files_are_one_line(tmp_path):
    with pytest.raises(backend.ExploreError, match="give the path"):
        explore_app.load_file("", None, None, tmp_path)
    with pytest.raises(backend.ExploreError, match="not a parameter-set name nor an existing file"):
        explore_app.load_file(str(tmp_path / "missing.json"), None, None, tmp_path)
    upload = "data:application/json;base64," + base64.b64encode(b"[1, 2").decode()
    with pytest.raises(backend.ExploreError, match="cannot read fitted parameter set"):
        explore_app.load_file(None, upload, "broken.json", tmp_path)
    with pytest.raises(backend.ExploreError, match="could not be decoded"):
        explore_app.load_file(None, "no comma here", "x.json", tmp_path)


# --- the app -----------------------------------------------------------------------------
def test_layout_shows_sets_controls_and_views():
    text = str(explore_app.build_layout())
    for name in backend.parameter_sets():
        assert name in text
    for q in backend.whatif_quantities():
        assert q["label"] in text
    for ident in ("headline", "error", "command", "graph-voltage", "graph-cycles"):
        assert f"'{ident}'" in text
    for ident in ("graph-nyquist", "graph-map", "map-progress", "download"):
        assert f"'{ident}'" in text


def test_app_wiring(session):
    app = explore_app.create_app(session)
    outputs = " ".join(app.callback_map)
    for ident in ("current-run.data", "graph-voltage.figure", "graph-nyquist.figure"):
        assert ident in outputs
    for ident in ("graph-map.figure", "download.data", "parameter-set.options"):
        assert ident in outputs
    client = app.server.test_client()
    page = client.get("/")
    assert page.status_code == 200 and b"assb explore" in page.data
    layout = client.get("/_dash-layout").get_json()
    assert LPSCL in json.dumps(layout)


def test_cli_reports_a_busy_port():
    from assb_model.cli.main import main

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["explore", "--port", str(port), "--no-browser"]) == 2
