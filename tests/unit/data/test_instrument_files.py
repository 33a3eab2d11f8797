"""Failure modes of real instrument files, reproduced by the fixtures of tests/data/ec_lab_like.

Each fixture (written by ``tests/data/ec_lab_like/make_fixtures.py``) holds a GCPL-like
protocol with exact capacities: per cycle 68 µA x 3600 s = 0.068 mAh charged and
68 µA x 3000 s = 0.0566667 mAh discharged, two cycles. Before issue 15 the loader gave:
spike / 1e300 -> 1 of 280 rows active, 0.0011 mAh; counter lag -> 0.1927 / 0.2493 mAh;
CP -> 0 mAh both ways (sign from Ewe-Ece); GCPL without a current column -> refused;
UTF-16 -> "binary". Every test here fails on that code.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assb_model.data import CyclingDataError, cycle_summary, load_cycling
from assb_model.data.segmentation import (
    find_spikes,
    integrated_counters,
    sustained_scale,
)
from tests.unit.data.helpers import write_mpr

FIXTURES = Path(__file__).parents[2] / "data" / "ec_lab_like"
CHARGE_MAH = 0.068 * 3600 / 3600  # per cycle
DISCHARGE_MAH = 0.068 * 3000 / 3600


def load(name: str, **kwargs) -> pd.DataFrame:
    return load_cycling(FIXTURES / name, **kwargs)


def totals(df: pd.DataFrame) -> tuple[float, float]:
    summary = cycle_summary(df)
    return summary["charge_capacity_mAh"].sum(), summary["discharge_capacity_mAh"].sum()


@pytest.fixture(scope="module")
def clean() -> pd.DataFrame:
    return load("gcpl_clean.mpt")


def test_clean_gcpl_capacities_are_exact(clean):
    summary = cycle_summary(clean)
    assert list(summary["cycle"]) == [1, 2]
    # constant current, whole records: the integral is exact to rounding
    np.testing.assert_allclose(summary["charge_capacity_mAh"], CHARGE_MAH, rtol=1e-12)
    np.testing.assert_allclose(summary["discharge_capacity_mAh"], DISCHARGE_MAH, rtol=1e-12)
    assert clean.attrs["integration_rule"] == "interval-mean"
    assert clean.attrs["format"] == "BioLogic EC-Lab text (.mpt)"
    checks = {c["column"]: c for c in clean.attrs["capacity_checks"]}
    assert checks["dq/mA.h"]["agrees"] and checks["(Q-Qo)/mA.h"]["agrees"]
    assert checks["dq/mA.h"]["relative_difference"] < 1e-12
    assert clean.attrs["glitches"] == []


@pytest.mark.parametrize(("name", "value"), [("gcpl_spike.mpt", 0.1), ("gcpl_1e300.mpt", 1e297)])
def test_one_row_glitch_is_replaced_and_reported(clean, name, value):
    with pytest.warns(UserWarning, match=r"data row 26 \(file line 35\).*one-row spike"):
        df = load(name)
    # a 100 mA reading in a 68 uA test used to make every other row "rest"
    assert (df["step_type"] == clean["step_type"]).all()
    np.testing.assert_allclose(totals(df), totals(clean), rtol=1e-12)
    (glitch,) = df.attrs["glitches"]
    assert glitch["column"] == "<I>/mA" and glitch["value"] == pytest.approx(value, rel=1e-6)
    assert glitch["replaced_by"] == pytest.approx(6.8e-5, rel=1e-9)  # its neighbours
    assert df.attrs["rest_current_A"] == pytest.approx(6.8e-8, rel=1e-9)  # 0.1 % of 68 uA


def test_one_spike_in_a_short_file_is_a_glitch_not_corruption(tmp_path):
    lines = (FIXTURES / "gcpl_spike.mpt").read_text(encoding="latin-1").split("\n")
    path = tmp_path / "short.mpt"
    path.write_text("\n".join(lines[:9] + lines[9 + 20 : 9 + 35]), encoding="latin-1")
    with pytest.warns(UserWarning, match="one-row spike"):
        df = load_cycling(path, current_sign="charge-positive")
    assert len(df) == 15 and len(df.attrs["glitches"]) == 1
    assert df["charge_capacity_mAh"].max() == pytest.approx(0.068 * 14 * 60 / 3600, rel=1e-12)


def test_many_spikes_mean_a_corrupt_column(tmp_path):
    lines = (FIXTURES / "gcpl_clean.mpt").read_text(encoding="latin-1").split("\n")
    for k in range(12, 200, 40):  # 5 spikes in 280 rows (> 1 %)
        cells = lines[k].split("\t")
        cells[6] = "1.0000000E+002"
        lines[k] = "\t".join(cells)
    path = tmp_path / "corrupt.mpt"
    path.write_text("\n".join(lines), encoding="latin-1")
    with pytest.raises(CyclingDataError, match=r"column '<I>/mA': 5 of 280 values are one-row"):
        load_cycling(path)


def test_current_derived_from_dq_when_the_file_has_only_the_set_point(clean):
    df = load("gcpl_no_current.mpt")
    assert "derived from 'dq/mA.h'" in df.attrs["current_origin"]
    assert "current" not in df.attrs["columns"]  # control/V/mA is never taken as the current
    np.testing.assert_allclose(df["current_A"], clean["current_A"], rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(totals(df), totals(clean), rtol=1e-12)
    # cycles from 'half cycle' // 2, as EC-Lab numbers them: same as the .mpt's cycle column
    assert (df["cycle"] == clean["cycle"]).all()


def test_gcpl_mpr_with_set_point_only_equals_its_text_export(tmp_path, clean):
    raw = pd.read_csv(FIXTURES / "gcpl_clean.mpt", sep="\t", skiprows=8, index_col=False)
    path = write_mpr(
        tmp_path / "gcpl.mpr",
        {
            4: raw["time/s"].to_numpy(),
            5: raw["control/V/mA"].to_numpy(),
            6: raw["Ewe/V"].to_numpy(),
            7: raw["dq/mA.h"].to_numpy(),
            13: raw["(Q-Qo)/mA.h"].to_numpy(),
            211: raw["Q charge/discharge/mA.h"].to_numpy(),
            212: raw["half cycle"].to_numpy(),
        },
    )
    df = load_cycling(path)
    assert df.attrs["format"] == "BioLogic mpr" and df.attrs["integration_rule"] == "interval-mean"
    pd.testing.assert_frame_equal(
        cycle_summary(df)[["cycle", "charge_capacity_mAh", "discharge_capacity_mAh"]],
        cycle_summary(clean)[["cycle", "charge_capacity_mAh", "discharge_capacity_mAh"]],
        rtol=1e-9,
    )


def test_counter_whose_reset_lags_the_step_change_is_not_used():
    df = load("mb_counter_lag.mpt")
    np.testing.assert_allclose(totals(df), (2 * CHARGE_MAH, 2 * DISCHARGE_MAH), rtol=1e-12)
    (check,) = df.attrs["capacity_checks"]
    assert check["column"] == "Q charge/discharge/mA.h" and not check["agrees"]
    # per-step differencing of the lagging counter is what gave 0.25 instead of 0.113 mAh
    assert check["discharge_mAh"] == pytest.approx(0.249333, rel=1e-5)
    assert any("not used" in note for note in df.attrs["notes"])


def test_sign_from_the_working_electrode_not_ewe_minus_ece():
    df = load("cp_three_electrode.mpt")
    assert df.attrs["columns"]["voltage"] == "<Ewe>/V"
    assert df.attrs["current_sign"] == "charge-positive"
    assert df.attrs["voltage_agreements"]["Ewe-Ece/V"] == pytest.approx(-1.0)
    assert "'Ewe-Ece/V' -1.00 would give the opposite" in df.attrs["sign_evidence"]
    assert "counters agree" in df.attrs["sign_evidence"]
    np.testing.assert_allclose(totals(df), (0.0, 120 * 100 / 3600), rtol=1e-12)


def test_counters_contradicting_the_voltage_are_an_error(tmp_path):
    text = (FIXTURES / "cp_three_electrode.mpt").read_text(encoding="latin-1")
    swapped = text.replace("Q discharge/mA.h\tQ charge/mA.h", "Q charge/mA.h\tQ discharge/mA.h")
    path = tmp_path / "swapped.mpt"
    path.write_text(swapped, encoding="latin-1")
    with pytest.raises(CyclingDataError, match="current sign is ambiguous"):
        load_cycling(path)
    df = load_cycling(path, current_sign="charge-positive")  # the override decides
    assert totals(df)[1] == pytest.approx(120 * 100 / 3600, rel=1e-12)


def test_cut_off_last_line_is_refused_naming_it():
    with pytest.raises(CyclingDataError) as info:
        load("gcpl_truncated.mpt")
    message = str(info.value)
    assert "gcpl_truncated.mpt" in message and "line 279" in message and "'-6.8'" in message


def test_utf16_csv_is_text_not_binary(tmp_path):
    df = load("cycling_utf16.csv")
    assert df.attrs["encoding"] == "utf-16"
    utf8 = tmp_path / "utf8.csv"
    utf8.write_text((FIXTURES / "cycling_utf16.csv").read_text(encoding="utf-16"))
    pd.testing.assert_frame_equal(df, load_cycling(utf8))
    assert totals(df)[0] == pytest.approx(29 * 60 / 3600, rel=1e-12)  # 1 mA for 29 min


def test_impedance_file_is_refused_as_cycling_data():
    with pytest.raises(CyclingDataError, match="impedance spectrum"):
        load("peis_three_sweeps.mpt")


def test_spike_does_not_move_the_sustained_scale():
    current = np.r_[np.zeros(10), np.full(20, 6.8e-5), np.zeros(5), -np.full(20, 6.8e-5)]
    spiked = current.copy()
    spiked[15] = 0.1
    assert sustained_scale(spiked) == sustained_scale(current) == pytest.approx(6.8e-5)
    assert list(find_spikes(spiked)) == [15]
    assert list(find_spikes(current)) == []
    # a two-row excursion is a sustained level, not a spike
    two = current.copy()
    two[15:17] = 0.1
    assert list(find_spikes(two)) == [] and sustained_scale(two) == pytest.approx(0.1)


def test_integration_rules():
    time = np.array([0.0, 10.0, 20.0, 30.0])
    current = np.array([0.0, 1.0, 1.0, 1.0])  # A, discharge; on from t = 0 (interval means)
    modes = np.array(["rest", "discharge", "discharge", "discharge"], dtype=object)
    _, mean = integrated_counters(time, current, modes, rule="interval-mean")
    _, trap = integrated_counters(time, current, modes, rule="trapezoid")
    assert mean[-1] == pytest.approx(30 / 3.6) and trap[-1] == pytest.approx(25 / 3.6)
    with pytest.raises(ValueError, match="rule must be one of"):
        integrated_counters(time, current, modes, rule="simpson")


@settings(max_examples=40, deadline=None, derandomize=True)
@given(cut=st.integers(min_value=1, max_value=2000))
def test_a_file_cut_anywhere_loads_right_or_is_refused(cut):
    """Cut the clean file ``cut`` bytes before its end: the loader either refuses it, or
    every row it returns equals the original row (no value from a cut-off number)."""
    text = (FIXTURES / "gcpl_clean.mpt").read_text(encoding="latin-1")
    lines = text.split("\n")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cut.mpt"
        path.write_text(text[: len(text) - cut], encoding="latin-1")
        try:
            df = load_cycling(path)
        except CyclingDataError as exc:
            assert str(path) in str(exc)
            return
        reference = Path(folder) / "rows.mpt"  # the same number of rows, uncut
        reference.write_text("\n".join(lines[: 9 + len(df)]), encoding="latin-1")
        expected = load_cycling(reference)
    for column in ("time_s", "current_A", "voltage_V"):
        np.testing.assert_array_equal(df[column], expected[column])
    np.testing.assert_allclose(totals(df), totals(expected), rtol=1e-12)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"\x00\x01\x02\x03 binary \xff\xfe\x00" * 20, "binary"),
        ("\ufeff".encode() + b"time/s\tI/mA\n1\t2\n", "no voltage column"),
    ],
)
def test_broken_copies_are_refused(tmp_path, content, message):
    path = tmp_path / "broken.mpt"
    path.write_bytes(content)
    with pytest.raises(CyclingDataError, match=message):
        load_cycling(path)


@pytest.mark.parametrize("bad", ["NaN", "inf", "-1.#IND", ""])
def test_bad_value_in_an_ec_lab_row_names_the_row(tmp_path, bad):
    lines = (FIXTURES / "gcpl_clean.mpt").read_text(encoding="latin-1").split("\n")
    cells = lines[50].split("\t")
    cells[6] = bad
    lines[50] = "\t".join(cells)
    path = tmp_path / "bad.mpt"
    path.write_text("\n".join(lines), encoding="latin-1")
    with pytest.raises(CyclingDataError, match=r"column '<I>/mA', data row 42 \(file line 51\)"):
        load_cycling(path)
