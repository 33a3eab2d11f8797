"""The `assb` command line: output formats, files, and error messages."""

import json
import subprocess
import sys

import pytest

from assb_model.cli.main import main


def test_list(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert out.count("giraldo2021_") == 5


def test_params_table_and_json(capsys):
    assert main(["params", "giraldo2021_sp_lpscl_coated"]) == 0
    out = capsys.readouterr().out
    assert "Positive electrode thickness [m]" in out and "derived" in out
    assert main(["params", "giraldo2021_sp_lpscl_coated", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"name", "value", "unit", "kind", "source"} <= set(rows[0])


def test_simulate_json_and_files(tmp_path, capsys):
    code = main(
        [
            "simulate",
            "giraldo2021_sp_lpscl_coated",
            "--cycles",
            "2",
            "--json",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["cycle"] for c in data["cycles"]] == [1, 2]
    c1 = data["cycles"][0]
    assert set(c1) == {
        "cycle",
        "charge_capacity_mAh_per_g",
        "discharge_capacity_mAh_per_g",
        "coulombic_efficiency",
    }
    assert c1["coulombic_efficiency"] == pytest.approx(
        c1["discharge_capacity_mAh_per_g"] / c1["charge_capacity_mAh_per_g"]
    )
    for f in ("curves.csv", "capacity.csv", "voltage_capacity.png"):
        assert (tmp_path / f).stat().st_size > 100


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["simulate", "no_such_set"], "unknown parameter set 'no_such_set'"),
        (["simulate", "giraldo2021_sp_lpscl_coated", "--lower-cutoff", "1.0"], "lower limit"),
        (["params", "nope"], "unknown parameter set"),
        (["simulate", "giraldo2021_sp_lpscl_coated", "--option", "bad"], "NAME=VALUE"),
        (
            ["simulate", "giraldo2021_sp_lpscl_coated", "--option", "SE conductivity=magic"],
            "'SE conductivity' must be one of",
        ),
    ],
)
def test_errors_are_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_installed_entry_point():
    out = subprocess.run(
        [sys.executable, "-m", "assb_model.cli", "list"], capture_output=True, text=True, check=True
    )
    assert "giraldo2021_sp_lpscl_coated" in out.stdout
