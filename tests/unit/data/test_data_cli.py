"""``assb data FILE [--json] [--sweep N]``: what the project reads from a file.

Run in-process through the main parser (the command must be registered there). Numbers
are the fixtures' exact capacities (tests/data/ec_lab_like/make_fixtures.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assb_model.cli.main import main

FIXTURES = Path(__file__).parents[2] / "data" / "ec_lab_like"
IMPEDANCE_PY = Path(__file__).parents[2] / "data" / "impedance_py"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["data", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_cycling_json_keys_and_numbers(capsys):
    code, out, err = run(capsys, FIXTURES / "gcpl_spike.mpt", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["kind"] == "cycling"
    assert data["format"] == "BioLogic EC-Lab text (.mpt)"
    assert [c["cycle"] for c in data["cycles"]] == [1, 2]
    for cycle in data["cycles"]:
        assert cycle["charge_mAh"] == pytest.approx(0.068, rel=1e-12)
        assert cycle["discharge_mAh"] == pytest.approx(0.068 * 3000 / 3600, rel=1e-12)
    assert data["total_charge_mAh"] == pytest.approx(0.136, rel=1e-12)
    assert data["total_discharge_mAh"] == pytest.approx(0.068 * 6000 / 3600, rel=1e-12)
    assert data["columns"]["current"] == {"header": "<I>/mA", "unit": "mA"}
    assert data["current"]["file_convention"] == "charge-positive"
    assert "raises 'Ewe/V'" in data["current"]["evidence"]
    assert data["integration_rule"] == "interval-mean"
    assert len(data["glitches"]) == 1 and "one-row spike" in data["warnings"][0]
    assert all(c["agrees"] for c in data["capacity_checks"])


def test_cycling_text_output(capsys):
    code, out, _ = run(capsys, FIXTURES / "cp_three_electrode.mpt")
    assert code == 0
    assert "kind: cycling" in out and "sign: the file is charge-positive" in out
    assert "'Ewe-Ece/V' -1.00 would give the opposite" in out
    assert "rest: |I| <= 100 µA" in out  # engineering notation: 0.1 % of 100 mA
    total = next(line for line in out.splitlines() if line.startswith("total"))
    assert total.split() == ["total", "0", "3.33333"]


def test_impedance_json_lists_every_sweep(capsys):
    code, out, _ = run(capsys, FIXTURES / "peis_three_sweeps.mpt", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "impedance" and data["n_sweeps"] == 3
    assert [s["points"] for s in data["spectra"]] == [34, 34, 34]
    assert data["spectra"][0]["frequency_min_Hz"] == pytest.approx(1.0, rel=1e-6)
    assert data["spectra"][0]["frequency_max_Hz"] == pytest.approx(2e5, rel=1e-6)
    code, out, _ = run(capsys, FIXTURES / "peis_three_sweeps.mpt", "--json", "--sweep", "2")
    assert [s["sweep"] for s in json.loads(out)["spectra"]] == [2]


def test_impedance_text_output_uses_engineering_notation(capsys):
    code, out, _ = run(capsys, IMPEDANCE_PY / "exampleDataGamry.DTA")
    assert code == 0
    assert "kind: impedance" in out and "impedance.py gamry" in out
    assert "15.89 mHz" in out and "200 kHz" in out


@pytest.mark.parametrize(
    ("name", "extra", "message"),
    [
        ("gcpl_truncated.mpt", [], "file ends mid-line"),
        ("spectrum_truncated.csv", [], "file ends mid-line"),
        ("peis_three_sweeps.mpt", ["--sweep", "4"], "sweep 4 does not exist"),
        ("gcpl_clean.mpt", ["--sweep", "1"], "--sweep applies to impedance files"),
        ("peis_three_sweeps.mpt", ["--current-sign", "charge-positive"], "apply to cycling"),
        ("missing.mpt", [], "no such file"),
    ],
)
def test_refusals_are_one_line_exit_2(capsys, name, extra, message):
    code, out, err = run(capsys, FIXTURES / name, *extra)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("assb data: error: ") and message in err


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff\x10binary" * 50,
        "Time [s],Current [mA],Voltage [V]\n0,1,3.5\n".encode("utf-16"),
        b"Time [s],Current [mA],Voltage [V]\n0,1,3.5\n60,nan,3.6\n",
        b"Time [s],Current [mA],Voltage [V]\n0,1,3.5\n60,inf,3.6\n",
        b"a,b,c\n1,2,3\n",
        b"f,Z',Z''\n1e5,1,-1\n1e4,2,",
    ],
)
def test_broken_files_never_give_a_traceback(tmp_path, capsys, content):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    code, out, err = run(capsys, path)
    if code == 0:  # the UTF-16 file is readable (one charge row): then it must say so
        assert "kind: cycling" in out
    else:
        assert code == 2 and len(err.strip().splitlines()) == 1 and str(path) in err
