"""One grammar, one meaning: a what-if given with --set to any command, as a sweep point, or
in a parameter-set file is the same model."""

import json

import pandas as pd
import pytest

import assb_model
from assb_model.cli.main import main

SM = "giraldo2021_sm_lps80_coated"


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def _first_discharge(capsys, argv):
    return _json(capsys, argv)["cycles"][0]["discharge_capacity_mAh_per_g"]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep")
    argv = ["sweep", SM, "--param", "sigma_se=2e-6,1e-3", "--param", "coating_thickness=0,9"]
    assert main([*argv, "--out", str(out), "--no-progress", "--no-plots"]) == 0
    return pd.read_csv(out / "results.csv")


@pytest.mark.parametrize(
    ("alias", "value", "others"),
    [("sigma_se", 2e-6, {"coating_thickness": 9}), ("coating_thickness", 0, {"sigma_se": 1e-3})],
)
def test_simulate_set_equals_the_sweep_point(capsys, sweep, alias, value, others):
    setting = f"{alias}={value:g}"
    other = [a for k, v in others.items() for a in ("--set", f"{k}={v:g}")]
    base = _first_discharge(capsys, ["simulate", SM, *other, "--json"])
    changed = _first_discharge(capsys, ["simulate", SM, "--set", setting, *other, "--json"])
    row = sweep[(sweep[alias] == value)]
    for k, v in others.items():
        row = row[row[k] == v]
    # the same model through the registry either way: equal to solver tolerance (the sweep
    # keeps only the summary variables, same integration)
    assert changed == pytest.approx(float(row["discharge_capacity_mAh_per_g"].iloc[0]), abs=0.05)
    assert abs(changed - base) > 1e-3


def test_eis_set_changes_the_composite_ionic_resistance(capsys):
    argv = ["eis", SM, "--after-cycles", "1", "--fmin", "1", "--points-per-decade", "2"]
    base = _json(capsys, [*argv, "--json"])["resistances_ohm"]
    low = _json(capsys, [*argv, "--set", "sigma_se=2e-6", "--json"])["resistances_ohm"]
    # R_ion = L / (sigma_SE B A) with the microstructure held: sigma_SE from the set's
    # in-composite value (3.2e-4 S/cm, inferred from R_SE,GB) to 2e-6: R_ion up as much
    sigma0 = assb_model.load_parameter_set(SM)["Electrolyte conductivity [S.m-1]"] / 100
    ratio = low["R_ion_composite_ohm"] / base["R_ion_composite_ohm"]
    assert ratio == pytest.approx(sigma0 / 2e-6, rel=0.02)
    bare = _json(capsys, [*argv, "--set", "coating_thickness=0", "--json"])["resistances_ohm"]
    assert bare["R_SECat_ohm"] != pytest.approx(base["R_SECat_ohm"], rel=1e-4)


def test_params_shows_what_follows_from_a_what_if(capsys):
    base = {r["name"]: r for r in _json(capsys, ["params", SM, "--json"])}
    heavy = {
        r["name"]: r for r in _json(capsys, ["params", SM, "--set", "composite_mass=20", "--json"])
    }
    thickness = "Positive electrode thickness [m]"
    assert float(heavy[thickness]["value"]) == pytest.approx(2 * float(base[thickness]["value"]))
    assert heavy["Composite mass [kg]"]["kind"] == "assumed"


def test_a_parameter_set_file_works_everywhere(tmp_path, capsys):
    path = tmp_path / "my_cell.json"
    path.write_text(
        json.dumps(
            {"name": "my_cell", "base_parameter_set": SM, "values": {"sigma_se": {"value": 2e-6}}}
        )
    )
    from_file = _first_discharge(capsys, ["simulate", "--parameter-set", str(path), "--json"])
    from_set = _first_discharge(capsys, ["simulate", SM, "--set", "sigma_se=2e-6", "--json"])
    assert from_file == pytest.approx(from_set, rel=1e-9)
    rows = {r["name"]: r for r in _json(capsys, ["params", str(path), "--json"])}
    assert float(rows["Electrolyte conductivity [S.m-1]"]["value"]) == pytest.approx(2e-4)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["simulate", SM, "--set", "sigma_SE=1e-4"], "did you mean 'sigma_se'"),
        (["simulate", SM, "--set", "sigma_se=-1"], "must be positive"),
        (["simulate", SM, "--set", "upper_cutoff=9"], "'upper_cutoff'"),
        (["eis", SM, "--set", "se_fraction=2"], "must be in [0, 1]"),
        (["params", SM, "--set", "cycles=3"], "protocol settings are not parameters"),
        (["simulate", SM, "--parameter-set", "other"], "two parameter sets"),
        (["simulate", "--parameter-set", "missing.json"], "no such parameter-set file"),
    ],
)
def test_grammar_errors_are_one_line(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
