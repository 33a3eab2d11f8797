"""Unit detection and conversion: a file in mA/h/mAh equals one in A/s/Ah."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assb_model.data import CyclingDataError, load_cycling
from tests.unit.data.helpers import cc_protocol, synthesize, to_file_frame, write_delimited


@pytest.fixture
def data() -> pd.DataFrame:
    return synthesize(cc_protocol(n_cycles=2, charge_A=2.5e-4, discharge_A=1.5e-4))


def with_capacities(frame: pd.DataFrame, reference: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Add Arbin-style charge / discharge capacity columns in ``unit``."""
    scale = {"Ah": 1e-3, "mAh": 1.0}[unit]
    frame = frame.copy()
    frame[f"Charge_Capacity({unit})"] = reference["charge_capacity_mAh"] * scale
    frame[f"Discharge_Capacity({unit})"] = reference["discharge_capacity_mAh"] * scale
    return frame


def test_ma_hours_mah_file_equals_a_seconds_ah_file(tmp_path, data):
    reference = load_cycling(write_delimited(to_file_frame(data), tmp_path / "ref.csv"))
    si = with_capacities(to_file_frame(data, time_unit="s", current_unit="A"), reference, "Ah")
    lab = with_capacities(to_file_frame(data, time_unit="h", current_unit="mA"), reference, "mAh")
    a = load_cycling(write_delimited(si, tmp_path / "si.csv"))
    b = load_cycling(write_delimited(lab, tmp_path / "lab.csv"))
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12, atol=1e-18)
    # ...and both are in SI: a factor-1000 or -3600 slip would break these.
    np.testing.assert_allclose(a["time_s"], data["time_s"], rtol=1e-12)
    np.testing.assert_allclose(a["current_A"], data["current_A"], rtol=1e-12, atol=1e-18)
    assert a["charge_capacity_mAh"].max() == pytest.approx(2.5e-4 * 36000 / 3.6, rel=1e-9)
    assert b.attrs["units"] == {
        "time": "h",
        "current": "mA",
        "voltage": "V",
        "charge_capacity": "mAh",
        "discharge_capacity": "mAh",
    }
    assert a.attrs["capacity_source"].startswith("integrated current")
    for frame in (a, b):  # the Ah and mAh capacity columns are read in the right unit
        (check,) = frame.attrs["capacity_checks"]
        assert check["relative_difference"] < 1e-9


@pytest.mark.parametrize(
    ("time_unit", "current_unit"), [("min", "µA"), ("h", "uA"), ("s", "mA"), ("min", "A")]
)
def test_other_unit_combinations(tmp_path, data, time_unit, current_unit):
    frame = to_file_frame(data, time_unit=time_unit, current_unit=current_unit)
    df = load_cycling(write_delimited(frame, tmp_path / "cell.csv"))
    np.testing.assert_allclose(df["time_s"], data["time_s"], rtol=1e-12)
    np.testing.assert_allclose(df["current_A"], data["current_A"], rtol=1e-12, atol=1e-18)


def test_millivolts(tmp_path, data):
    frame = to_file_frame(data)
    frame = frame.rename(columns={"Voltage [V]": "Voltage [mV]"})
    frame["Voltage [mV]"] *= 1e3
    df = load_cycling(write_delimited(frame, tmp_path / "mv.csv"))
    np.testing.assert_allclose(df["voltage_V"], data["voltage_V"], rtol=1e-12)


def test_explicit_unit_overrides_header(tmp_path, data):
    # The header claims A but the numbers are mA: the argument wins.
    frame = to_file_frame(data, current_unit="mA").rename(columns={"Current [mA]": "Current [A]"})
    df = load_cycling(write_delimited(frame, tmp_path / "cell.csv"), current_unit="mA")
    np.testing.assert_allclose(df["current_A"], data["current_A"], rtol=1e-12, atol=1e-18)
    assert df.attrs["unit_sources"]["current"] == "argument"


def test_time_unit_argument_for_unitless_header(tmp_path, data):
    frame = to_file_frame(data, time_unit="h").rename(columns={"Time [h]": "Time"})
    path = write_delimited(frame, tmp_path / "cell.csv")
    with pytest.raises(CyclingDataError) as info:
        load_cycling(path)
    message = str(info.value)
    assert str(path) in message and "column 'Time'" in message and "time_unit=" in message
    df = load_cycling(path, time_unit="h")
    np.testing.assert_allclose(df["time_s"], data["time_s"], rtol=1e-12)


def test_unitless_voltage_is_volts(tmp_path, data):
    frame = to_file_frame(data).rename(columns={"Voltage [V]": "Voltage"})
    df = load_cycling(write_delimited(frame, tmp_path / "cell.csv"))
    assert df.attrs["unit_sources"]["voltage"] == "assumed"
    np.testing.assert_allclose(df["voltage_V"], data["voltage_V"], rtol=1e-12)


def test_unitless_voltage_in_millivolts_is_refused(tmp_path, data):
    frame = to_file_frame(data).rename(columns={"Voltage [V]": "Voltage"})
    frame["Voltage"] *= 1e3
    path = write_delimited(frame, tmp_path / "cell.csv")
    with pytest.raises(CyclingDataError, match="voltage_unit='mV'"):
        load_cycling(path)
    df = load_cycling(path, voltage_unit="mV")
    np.testing.assert_allclose(df["voltage_V"], data["voltage_V"], rtol=1e-12)


@pytest.mark.parametrize(
    ("column", "unit", "kind"),
    [("Current [kA]", "kA", "current"), ("Time [fortnight]", "fortnight", "time")],
)
def test_unknown_header_unit_is_named(tmp_path, data, column, unit, kind):
    frame = to_file_frame(data)
    old = "Current [A]" if kind == "current" else "Time [s]"
    path = write_delimited(frame.rename(columns={old: column}), tmp_path / "cell.csv")
    with pytest.raises(CyclingDataError) as info:
        load_cycling(path)
    message = str(info.value)
    assert str(path) in message
    assert f"column {column!r}" in message
    assert f"unknown {kind} unit {unit!r}" in message


def test_unknown_unit_argument_is_named(tmp_path, data):
    path = write_delimited(to_file_frame(data), tmp_path / "cell.csv")
    with pytest.raises(
        CyclingDataError, match="unknown current unit 'amps/s' given as current_unit"
    ):
        load_cycling(path, current_unit="amps/s")


def test_capacity_column_without_unit_is_ignored_with_a_warning(tmp_path, data):
    frame = to_file_frame(data)
    frame["Capacity"] = 123.0
    path = write_delimited(frame, tmp_path / "cell.csv")
    with pytest.warns(UserWarning, match="Capacity"):
        df = load_cycling(path)
    assert df.attrs["capacity_source"].startswith("integrated")


def test_clock_time_strings(tmp_path):
    frame = pd.DataFrame(
        {
            "Total Time": ["0:00:00", "0:30:00", "1:00:00.5", "1 day, 0:00:00", "1-00:00:01"],
            "Current(mA)": [0.0, -1.0, -1.0, -1.0, 0.0],
            "Voltage(V)": [3.0, 3.5, 3.6, 3.7, 3.65],
        }
    )
    df = load_cycling(write_delimited(frame, tmp_path / "neware.csv", ";"))
    np.testing.assert_allclose(df["time_s"], [0, 1800, 3600.5, 86400, 86401])
    assert df.attrs["units"]["time"] == "h:mm:ss"
