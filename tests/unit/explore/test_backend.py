"""The explorer's adapter: quantities, defaults, runs, spectra, maps, commands and errors.

Runs are checked against the package's own ``simulate`` and the sweep engine (the same
state by three routes must give the same capacity), and against physical trends (a less
conductive SE gives less capacity; the NMC mass scales with the composite thickness).
"""

import json
import math

import numpy as np
import pytest

from assb_model.explore import backend

LPSCL = "giraldo2021_sp_lpscl_coated"


@pytest.fixture(scope="module")
def session():
    return backend.Session()


@pytest.fixture(scope="module")
def fitted_file(tmp_path_factory):
    """A fitted parameter-set file: the Li6PS5Cl set with a 10x lower SE conductivity."""
    path = tmp_path_factory.mktemp("sets") / "lpscl_low_sigma.json"
    content = {
        "name": "lpscl_low_sigma",
        "base_parameter_set": LPSCL,
        "values": {
            "Electrolyte conductivity [S.m-1]": {
                "value": 4e-4,
                "unit": "S.m-1",
                "kind": "assumed",
                "source": "test file",
            }
        },
    }
    path.write_text(json.dumps(content))
    return path


def test_five_paper_sets():
    sets = backend.parameter_sets()
    assert len(sets) == 5 and backend.DEFAULT_PARAMETER_SET in sets


def test_quantities_have_bounds_units_and_modes():
    qs = {q["alias"]: q for q in backend.whatif_quantities()}
    required = {
        "sigma_se",
        "coating_thickness",
        "se_fraction",
        "cathode_thickness",
        "current_density",
        "upper_cutoff",
        "lower_cutoff",
        "cycles",
    }
    assert required <= set(qs)
    for q in qs.values():
        assert {"alias", "label", "unit", "min", "max", "log", "mode"} <= set(q)
        assert q["min"] < q["max"], q
        assert q["mode"] in ("input", "rebuild", "protocol")
        if q["log"]:
            assert q["min"] > 0
    assert qs["sigma_se"]["log"] and qs["sigma_se"]["unit"] == "S/cm"
    assert qs["sigma_se"]["mode"] == "input" and qs["cathode_thickness"]["mode"] == "rebuild"
    assert qs["upper_cutoff"]["rebuild"] and not qs["current_density"]["rebuild"]


@pytest.mark.parametrize("name", backend.parameter_sets())
def test_defaults_are_the_sets_values_within_bounds(name):
    from assb_model import load_parameter_set

    values = backend.default_values(name)
    pv = load_parameter_set(name)
    # alias units: S/cm and nm, protocol of the paper (0.13 mA/cm2, 2.0-3.8 V, 1 cycle)
    assert values["sigma_se"] == pytest.approx(pv["Electrolyte conductivity [S.m-1]"] / 100)
    assert values["coating_thickness"] == pytest.approx(pv["Coating thickness [m]"] * 1e9)
    assert values["cathode_thickness"] == pytest.approx(
        pv["Positive electrode thickness [m]"] * 1e6
    )
    assert (values["current_density"], values["upper_cutoff"], values["lower_cutoff"]) == (
        0.13,
        3.8,
        2.0,
    )
    assert values["cycles"] == 1
    for q in backend.whatif_quantities():
        assert q["min"] <= values[q["alias"]] <= q["max"], (name, q["alias"])


def test_model_options_are_the_models():
    from assb_model import ASSB_OPTIONS

    opts = backend.model_options()
    assert opts == {k: list(v) for k, v in ASSB_OPTIONS.items()}
    assert backend.default_options() == {k: v[0] for k, v in ASSB_OPTIONS.items()}


def test_command_line_lists_what_differs():
    assert backend.command_line(LPSCL, {}, {}) == f"assb simulate {LPSCL}"
    defaults = backend.default_values(LPSCL)
    cmd = backend.command_line(
        LPSCL,
        {**defaults, "sigma_se": 1e-6, "upper_cutoff": 4.1, "cycles": 3},
        {"interphase growth": "none", "SE conductivity": "percolation"},
    )
    assert cmd == (
        f"assb simulate {LPSCL} --set sigma_se=1e-06 --set upper_cutoff=4.1 --set cycles=3 "
        '--option "interphase growth=none"'
    )


def test_command_line_for_a_file(fitted_file):
    cmd = backend.command_line(str(fitted_file), {"cycles": 2}, {})
    assert cmd == f"assb simulate --parameter-set {fitted_file.resolve()} --set cycles=2"


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"sigma_se": 5.0}, ["sigma_se", "outside its bounds"]),
        ({"sigma_se": None}, ["sigma_se", "no value"]),
        ({"sigma_se": "abc"}, ["not a number"]),
        ({"cycles": 1.5}, ["whole number"]),
        ({"nonsense": 1}, ["unknown quantity 'nonsense'"]),
    ],
)
def test_bad_values_are_one_line(values, words):
    with pytest.raises(backend.ExploreError) as info:
        backend.check_values(LPSCL, values)
    message = str(info.value)
    assert "\n" not in message and all(w in message for w in words), message


def test_bad_options_and_sets_are_one_line(tmp_path):
    with pytest.raises(backend.ExploreError, match="unknown model option 'colour'"):
        backend.check_options({"colour": "red"})
    with pytest.raises(backend.ExploreError, match="must be one of"):
        backend.check_options({"interphase growth": "rust"})
    with pytest.raises(backend.ExploreError, match="not a parameter-set name nor an existing file"):
        backend.default_values("no_such_set")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(backend.ExploreError, match="cannot read fitted parameter set"):
        backend.default_values(str(bad))
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"base_parameter_set": LPSCL, "values": {"Colour": {"value": 1}}}))
    with pytest.raises(backend.ExploreError, match="Colour"):
        backend.default_values(str(wrong))


def test_one_line_collapses_and_truncates():
    text = backend.one_line(RuntimeError("a\n  b\tc" + "x" * 1000))
    assert text.startswith("a b c") and len(text) == backend.MAX_MESSAGE_CHARS
    assert "\n" not in text


def test_default_run_equals_simulate(session):
    from assb_model import simulate

    res = session.run(LPSCL, {}, {})
    ref = simulate(LPSCL)
    # the same model and solver as assb_model.simulate, with the session's inputs as
    # PyBaMM inputs: equal within the solver tolerance (measured 4e-9)
    assert res.first_discharge_mAh_per_g == pytest.approx(
        ref.cycles["discharge_capacity_mAh_per_g"].iloc[0], rel=1e-6
    )
    assert list(res.curves.columns) == backend.CURVE_COLUMNS
    assert list(res.cycles.columns) == backend.CYCLE_COLUMNS
    assert set(res.curves["step_type"]) == {"charge", "discharge"}
    assert res.nmc_mass_mg == pytest.approx(ref.nmc_mass_g * 1e3)


def test_input_change_resolves_without_rebuild_and_follows_conductivity(session):
    base = session.run(LPSCL, {}, {})
    low = session.run(LPSCL, {"sigma_se": 1e-6}, {})
    lower = session.run(LPSCL, {"sigma_se": 1e-7}, {})
    assert not low.rebuilt and not lower.rebuilt
    # a poorer SE network limits the usable capacity (percolation model, docs/model.md)
    caps = [lower.first_discharge_mAh_per_g, low.first_discharge_mAh_per_g]
    assert caps[0] < caps[1] < base.first_discharge_mAh_per_g
    assert base.first_discharge_mAh_per_g - caps[0] > 50  # not a rounding-level change


def test_rebuild_quantities_build_once(session):
    first = session.run(LPSCL, {"upper_cutoff": 3.9}, {})
    again = session.run(LPSCL, {"upper_cutoff": 3.9, "sigma_se": 1e-5}, {})
    assert first.rebuilt and not again.rebuilt
    assert session.needs_rebuild(LPSCL, {"upper_cutoff": 3.95}, {})
    assert not session.needs_rebuild(LPSCL, {"upper_cutoff": 3.9, "current_density": 0.5}, {})


def test_nmc_mass_scales_with_cathode_thickness(session):
    base = session.run(LPSCL, {}, {})
    thick = backend.default_values(LPSCL)["cathode_thickness"]
    double = session.run(LPSCL, {"cathode_thickness": 2 * thick}, {})
    assert double.rebuilt
    assert double.nmc_mass_mg == pytest.approx(2 * base.nmc_mass_mg, rel=1e-9)


def test_infeasible_cutoff_is_no_capacity_and_session_survives(session):
    # a charge cut-off below the open-circuit voltage (or, with a poor SE, an IR drop
    # beyond it): nothing is stored or delivered, 0 mAh/g with the reason
    for values in ({"upper_cutoff": 2.5}, {"upper_cutoff": 2.5, "sigma_se": 3e-7}):
        res = session.run(LPSCL, values, {})
        assert res.first_discharge_mAh_per_g == 0.0 and len(res.curves) == 0
        assert res.note.startswith("no capacity") and "\n" not in res.note
    with pytest.raises(backend.ExploreError, match="must be above the lower cut-off"):
        session.run(LPSCL, {"upper_cutoff": 3.0, "lower_cutoff": 3.2}, {})
    assert session.run(LPSCL, {}, {}).first_discharge_mAh_per_g > 100


def test_file_equals_set_with_the_same_value(session, fitted_file):
    assert backend.default_values(str(fitted_file))["sigma_se"] == pytest.approx(4e-6)
    from_file = session.run(str(fitted_file), {}, {})
    from_set = session.run(LPSCL, {"sigma_se": 4e-6}, {})
    assert from_file.first_discharge_mAh_per_g == pytest.approx(
        from_set.first_discharge_mAh_per_g, rel=1e-9
    )


def test_capacity_map_matches_runs_and_reports_progress(session):
    grid = [1e-7, 1e-6, 1e-5]
    calls = []
    df = session.capacity_map(
        LPSCL, {"upper_cutoff": 3.9}, {}, "sigma_se", grid, progress=lambda d, n: calls.append(d)
    )
    assert list(df["sigma_se"]) == grid and (df["status"] == "ok").all()
    assert calls[-1] == 3 and calls == sorted(calls)
    for sigma, cap in zip(grid, df["discharge_capacity_mAh_per_g"], strict=True):
        run = session.run(LPSCL, {"upper_cutoff": 3.9, "sigma_se": sigma}, {})
        # the sweep's solver differs from the default only by its expanded Jacobian and
        # output variables: equal within the solver tolerance (docs/performance.md;
        # measured 1.9e-5 at 1e-5 S/cm, where transport limits)
        assert cap == pytest.approx(run.first_discharge_mAh_per_g, rel=5e-5)


def test_capacity_map_over_a_rebuild_quantity_and_errors(session):
    df = session.capacity_map(LPSCL, {}, {}, "cycles", [1, 2])
    assert list(df["cycles_completed"]) == [1, 2]
    with pytest.raises(backend.ExploreError, match="outside its bounds"):
        session.capacity_map(LPSCL, {}, {}, "sigma_se", [1e-9, 1e-6])
    # a cut-off below the open-circuit voltage: no capacity (0 mAh/g, as a cycler records
    # it) with its reason; the other points still solve
    df = session.capacity_map(LPSCL, {}, {}, "upper_cutoff", [2.5, 3.8])
    assert list(df["status"]) == ["ok", "ok"]
    assert df["discharge_capacity_mAh_per_g"].iloc[0] == 0
    assert df["error"].iloc[0].startswith("no capacity") and "\n" not in df["error"].iloc[0]


def test_nyquist_after_first_charge_follows_conductivity(session):
    spec = session.nyquist(LPSCL, {}, {}, after_charge=1)
    assert list(spec.columns) == backend.NYQUIST_COLUMNS
    f = spec["frequency_Hz"].to_numpy()
    assert np.all(np.diff(f) < 0) and f[0] == pytest.approx(1e6)
    assert spec.attrs["state"]["after_cycles"] == 1
    # after the charge the cell rests near the upper cut-off
    assert 3.6 < spec.attrs["state"]["voltage_vs_LiIn_V"] < 3.8
    assert (spec["Z_real_ohm"] > 0).all()
    low = session.nyquist(LPSCL, {"sigma_se": 1e-6}, {}, after_charge=1)
    # a 40x lower SE conductivity widens the composite's ionic (transmission-line) part
    at_1hz = np.argmin(np.abs(f - 1.0))
    assert low["Z_real_ohm"].iloc[at_1hz] > spec["Z_real_ohm"].iloc[at_1hz] + 10
    with pytest.raises(backend.ExploreError, match="after a charge from 0"):
        session.nyquist(LPSCL, {}, {}, after_charge=2)


def test_solver_failure_is_one_line_and_session_survives(session):
    # 5 mA/cm2 through an SE of 1e-8 S/cm: the solver fails at the first step
    with pytest.raises(backend.ExploreError) as info:
        session.run(LPSCL, {"current_density": 5.0, "sigma_se": 1e-8}, {})
    assert "solver failed" in str(info.value) and "\n" not in str(info.value)
    assert not math.isnan(session.run(LPSCL, {}, {}).first_discharge_mAh_per_g)
