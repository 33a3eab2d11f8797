"""Each supported file format loads to the same tidy DataFrame."""

from __future__ import annotations

import sys
import types

import numpy as np
import pandas as pd
import pytest

from assb_model.data import TIDY_COLUMNS, CyclingDataError, load_cycling
from tests.unit.data.helpers import (
    cc_protocol,
    synthesize,
    to_file_frame,
    write_delimited,
    write_mpr,
    write_xlsx,
)


@pytest.fixture
def data() -> pd.DataFrame:
    return synthesize(cc_protocol(n_cycles=2))


@pytest.fixture
def file_frame(data) -> pd.DataFrame:
    return to_file_frame(data, current_unit="mA")


def assert_matches(df: pd.DataFrame, data: pd.DataFrame, rtol: float = 1e-12) -> None:
    assert tuple(df.columns) == TIDY_COLUMNS
    np.testing.assert_allclose(df["time_s"], data["time_s"], rtol=rtol)
    np.testing.assert_allclose(df["current_A"], data["current_A"], rtol=rtol, atol=1e-15)
    np.testing.assert_allclose(df["voltage_V"], data["voltage_V"], rtol=rtol)
    assert df["cycle"].max() == 2


@pytest.mark.parametrize(
    ("delimiter", "suffix"), [(",", ".csv"), ("\t", ".tsv"), (";", ".csv"), ("\t", ".txt")]
)
def test_delimited_text(tmp_path, data, file_frame, delimiter, suffix):
    path = write_delimited(file_frame, tmp_path / f"cell{suffix}", delimiter)
    df = load_cycling(path)
    assert_matches(df, data)
    assert df.attrs["delimiter"] == delimiter
    assert df.attrs["source"] == str(path)


def test_semicolon_with_decimal_comma(tmp_path, data, file_frame):
    path = write_delimited(file_frame, tmp_path / "eu.csv", ";", decimal=",")
    df = load_cycling(path)
    assert_matches(df, data)
    assert df.attrs["decimal"] == ","


def test_ec_lab_text_export_with_preamble(tmp_path, data):
    frame = pd.DataFrame(
        {
            "mode": 1,
            "time/s": data["time_s"],
            "control/V/mA": 0.0,
            "Ewe/V": data["voltage_V"],
            "<I>/mA": -data["current_A"] * 1e3,
            "cycle number": 0.0,
        }
    )
    preamble = ["EC-Lab ASCII FILE", "Nb header lines : 4", "", "Galvanostatic Cycling"]
    path = write_delimited(frame, tmp_path / "cell.mpt", "\t", preamble=preamble)
    df = load_cycling(path)
    np.testing.assert_allclose(df["current_A"], data["current_A"], rtol=1e-12, atol=1e-15)
    assert df.attrs["header_line"] == 5
    assert df.attrs["columns"]["current"] == "<I>/mA"
    assert df.attrs["cycle_source"] == "file"


def test_windows_1252_encoded_micro_sign(tmp_path, data):
    frame = to_file_frame(data, current_unit="µA")
    path = tmp_path / "cp1252.csv"
    text = (tmp_path / "x").with_suffix(".csv")
    write_delimited(frame, text)
    path.write_bytes(text.read_text(encoding="utf-8").encode("cp1252"))
    df = load_cycling(path)
    assert_matches(df, data)
    assert df.attrs["units"]["current"] == "µA"


def test_xlsx_single_sheet(tmp_path, data, file_frame):
    path = write_xlsx({"Data": file_frame}, tmp_path / "cell.xlsx")
    df = load_cycling(path)
    assert_matches(df, data)
    assert df.attrs["sheet"] == "Data"
    assert df.attrs["format"] == "xlsx"


def test_xlsx_finds_data_sheet_after_info_sheet(tmp_path, data):
    arbin = pd.DataFrame(
        {
            "Data_Point": np.arange(1, len(data) + 1),
            "Test_Time(s)": data["time_s"],
            "Step_Time(s)": 0.0,
            "Current(A)": -data["current_A"],
            "Voltage(V)": data["voltage_V"],
        }
    )
    info = [["Test Name", "NMC cell"], ["Channel", 1]]
    path = write_xlsx({"Global_Info": info, "Channel_1-006": arbin}, tmp_path / "arbin.xlsx")
    df = load_cycling(path)
    assert_matches(df, data)
    assert df.attrs["sheet"] == "Channel_1-006"
    assert df.attrs["columns"]["time"] == "Test_Time(s)"
    assert load_cycling(path, sheet=1).equals(df)
    assert load_cycling(path, sheet="Channel_1-006").equals(df)


def test_xlsx_header_below_title_rows(tmp_path, data, file_frame):
    rows = [["Cycling export"], [], [*file_frame.columns]]
    rows += [list(r) for r in file_frame.itertuples(index=False)]
    path = write_xlsx({"Sheet1": rows}, tmp_path / "titled.xlsx")
    df = load_cycling(path)
    assert_matches(df, data)
    assert df.attrs["header_line"] == 3


def test_xlsx_unknown_sheet(tmp_path, file_frame):
    path = write_xlsx({"Data": file_frame}, tmp_path / "cell.xlsx")
    with pytest.raises(CyclingDataError, match=r"no sheet named 'Nope'; sheets are \['Data'\]"):
        load_cycling(path, sheet="Nope")


def test_biologic_mpr_via_galvani(tmp_path, data):
    half = len(data) // 2
    cycle_number = np.where(np.arange(len(data)) < half, 0.0, 1.0)
    path = write_mpr(
        tmp_path / "cell.mpr",
        {
            4: data["time_s"].to_numpy(),
            6: data["voltage_V"].to_numpy(),
            8: -data["current_A"].to_numpy() * 1e3,  # I/mA, charge-positive, float32
            24: cycle_number,
        },
    )
    df = load_cycling(path)
    assert_matches(df, data, rtol=1e-6)
    assert df.attrs["format"] == "BioLogic mpr"
    assert df.attrs["current_sign"] == "charge-positive"
    # EC-Lab counts cycles from 0; the tidy frame counts from 1.
    assert df["cycle"].iloc[0] == 1
    assert df["cycle"].iloc[-1] == 2


def test_mpr_without_galvani_names_the_package(tmp_path, monkeypatch):
    path = tmp_path / "cell.mpr"
    path.write_bytes(b"BIO-LOGIC")
    monkeypatch.setitem(sys.modules, "galvani", None)
    with pytest.raises(CyclingDataError, match=r"cell\.mpr: .*needs the optional package galvani"):
        load_cycling(path)


def test_corrupt_mpr(tmp_path):
    path = tmp_path / "bad.mpr"
    path.write_bytes(b"not a biologic file at all")
    with pytest.raises(CyclingDataError, match=r"bad\.mpr: galvani could not read"):
        load_cycling(path)


def test_neware_ndax_via_fastnda(tmp_path, data, monkeypatch):
    # fastnda's column names (polars frame; a pandas frame has the same interface here).
    frame = pd.DataFrame(
        {
            "index": np.arange(len(data)),
            "voltage_V": data["voltage_V"],
            "current_mA": -data["current_A"] * 1e3,
            "unix_time_s": 1.7e9 + data["time_s"],
            "step_time_s": 0.0,
            "total_time_s": data["time_s"],
            "cycle_count": 1,
            "step_type": "CC_Chg",
        }
    )
    fake = types.ModuleType("fastnda")
    fake.read = lambda path: frame
    monkeypatch.setitem(sys.modules, "fastnda", fake)
    path = tmp_path / "cell.ndax"
    path.write_bytes(b"PK")
    df = load_cycling(path)
    np.testing.assert_allclose(df["current_A"], data["current_A"], rtol=1e-12, atol=1e-15)
    assert df.attrs["columns"]["time"] == "total_time_s"
    assert df.attrs["format"] == "Neware nda/ndax"


def test_neware_without_fastnda_names_the_package(tmp_path, monkeypatch):
    path = tmp_path / "cell.nda"
    path.write_bytes(b"NEWARE")
    monkeypatch.setitem(sys.modules, "fastnda", None)
    with pytest.raises(CyclingDataError, match="needs the optional package fastnda"):
        load_cycling(path)


@pytest.mark.parametrize(("suffix", "advice"), [(".xls", "re-save"), (".res", "Arbin")])
def test_unsupported_formats_explain_how_to_convert(tmp_path, suffix, advice):
    path = tmp_path / f"cell{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CyclingDataError, match=advice):
        load_cycling(path)


def test_tidy_output_round_trips(tmp_path):
    data = synthesize(cc_protocol(n_cycles=2))
    first = load_cycling(write_delimited(to_file_frame(data), tmp_path / "a.csv"), active_mass_g=2)
    path = tmp_path / "tidy.csv"
    first.to_csv(path, index=False, float_format="%.17g")
    again = load_cycling(path, active_mass_g=2)
    pd.testing.assert_frame_equal(again, first, check_exact=False, rtol=1e-12, atol=1e-15)
    assert again.attrs["current_sign"] == "discharge-positive"
    assert again.attrs["capacity_source"].startswith("integrated current")
    # the tidy capacity columns are recognised and agree with the integrated current
    assert [c["agrees"] for c in again.attrs["capacity_checks"]] == [True]
