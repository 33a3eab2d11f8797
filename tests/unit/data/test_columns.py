"""Header parsing: every column-name family the loader promises to recognise."""

from __future__ import annotations

import pytest

from assb_model.data.columns import match_columns, split_header, unit_factor
from assb_model.data.errors import CyclingDataError


@pytest.mark.parametrize(
    ("header", "quantity", "unit"),
    [
        ("Time [s]", "time", "s"),
        ("time/s", "time", "s"),
        ("Test Time (s)", "time", "s"),
        ("Time (h)", "time", "h"),
        ("t [h]", "time", "h"),
        ("Test_Time(s)", "time", "s"),
        ("total_time_s", "time", "s"),
        ("Relative Time(h:min:s.ms)", "time", "h:min:s.ms"),
        ("Current [mA]", "current", "mA"),
        ("I/mA", "current", "mA"),
        ("Current (A)", "current", "A"),
        ("<I>/mA", "current", "mA"),
        ("current_mA", "current", "mA"),
        ("Current [µA]", "current", "µA"),
        ("Amps", "current", "A"),
        ("Voltage [V]", "voltage", "V"),
        ("Ecell/V", "voltage", "V"),
        ("Potential (V)", "voltage", "V"),
        ("Ewe/V", "voltage", "V"),
        ("<Ewe>/V", "voltage", "V"),
        ("Voltage(V)", "voltage", "V"),
        ("Cycle", "cycle", None),
        ("cycle number", "cycle", None),
        ("Cycle_Index", "cycle", None),
        ("cycle_count", "cycle", None),
        ("Step", "step", None),
        ("Step_Index", "step", None),
        ("Ns", "step", None),
        ("Capacity [mAh]", "capacity", "mAh"),
        ("(Q-Qo)/mA.h", "net_charge", "mA.h"),
        ("dq/mA.h", "charge_increment", "mA.h"),
        ("dQ/C", "charge_increment", "C"),
        ("half cycle", "half_cycle", None),
        ("Q charge/discharge/mA.h", "capacity", "mA.h"),
        ("Q charge/mA.h", "charge_capacity", "mA.h"),
        ("Q discharge/mA.h", "discharge_capacity", "mA.h"),
        ("Charge_Capacity(Ah)", "charge_capacity", "Ah"),
        ("Discharge_Capacity(Ah)", "discharge_capacity", "Ah"),
        ("Chg. Cap.(mAh)", "charge_capacity", "mAh"),
        ("DChg. Cap.(mAh)", "discharge_capacity", "mAh"),
    ],
)
def test_header_variants_are_recognised(header, quantity, unit):
    choices, _ = match_columns([header])
    assert quantity in choices, f"{header!r} not recognised as {quantity}"
    assert choices[quantity].unit == unit
    assert choices[quantity].header == header


@pytest.mark.parametrize("header", ["TIME [S]", "current [MA]", "VOLTAGE (v)"])
def test_names_are_case_insensitive(header):
    choices, _ = match_columns([header])
    assert len(choices) == 1


def test_total_time_is_preferred_over_step_time():
    header = ["Data_Point", "Step_Time(s)", "Test_Time(s)", "Current(A)", "Voltage(V)"]
    choices, _ = match_columns(header)
    assert choices["time"].header == "Test_Time(s)"
    choices, _ = match_columns(["step time/s", "time/s", "I/mA", "Ewe/V"])
    assert choices["time"].header == "time/s"


def test_measured_current_is_preferred_over_control_setpoint():
    choices, _ = match_columns(["time/s", "control/V/mA", "Ewe/V", "I/mA"])
    assert choices["current"].header == "I/mA"
    assert "control/V/mA" not in {c.header for c in choices.values()}


def test_cell_voltage_is_preferred_over_working_electrode():
    choices, _ = match_columns(["time/s", "Ewe/V", "Ecell/V", "I/mA"])
    assert choices["voltage"].header == "Ecell/V"


def test_step_time_in_seconds_is_not_a_step_index():
    # Maccor writes "Step (Sec)" for the step time: it must not become the step column.
    choices, rejected = match_columns(["Test (Sec)", "Step (Sec)", "Amps", "Volts"])
    assert "step" not in choices
    assert "step" in rejected


def test_column_with_wrong_kind_of_unit_is_skipped():
    # "E/W.h" is an energy, not a voltage; the real voltage column wins.
    choices, _ = match_columns(["time/s", "E/W.h", "I/mA", "Voltage/V"])
    assert choices["voltage"].header == "Voltage/V"


def test_unknown_unit_is_reported_as_rejected():
    choices, rejected = match_columns(["Time [s]", "Current [kA]", "Voltage [V]"])
    assert "current" not in choices
    assert rejected["current"][0].unit == "kA"


def test_overrides_pick_named_columns_and_none_ignores():
    header = ["Zeit [s]", "Strom [mA]", "Spannung [V]", "Cycle"]
    choices, _ = match_columns(
        header, {"time": "Zeit [s]", "current_A": "Strom [mA]", "voltage": "spannung [v]"}
    )
    assert choices["time"].index == 0
    assert choices["current"].unit == "mA"
    assert choices["voltage"].index == 2
    choices, _ = match_columns(header, {"time": "Zeit [s]", "cycle": None})
    assert "cycle" not in choices


def test_override_naming_absent_column_raises():
    with pytest.raises(CyclingDataError, match="'Nope' given for current"):
        match_columns(["Time [s]", "I/mA"], {"current": "Nope"})


def test_unknown_override_key_raises():
    with pytest.raises(CyclingDataError, match="unknown key 'temperature'"):
        match_columns(["Time [s]"], {"temperature": "T"})


@pytest.mark.parametrize(
    ("kind", "unit", "factor"),
    [
        ("time", "s", 1.0),
        ("time", "min", 60.0),
        ("time", "h", 3600.0),
        ("time", "hr", 3600.0),
        ("current", "A", 1.0),
        ("current", "mA", 1e-3),
        ("current", "µA", 1e-6),
        ("current", "μA", 1e-6),  # Greek mu, not the micro sign
        ("current", "uA", 1e-6),
        ("voltage", "mV", 1e-3),
        ("capacity", "Ah", 1e3),
        ("capacity", "A.h", 1e3),
        ("capacity", "mAh", 1.0),
        ("capacity", "mA.h", 1.0),
        ("capacity", "mA·h", 1.0),
        ("capacity", "C", 1.0 / 3.6),
    ],
)
def test_unit_factors(kind, unit, factor):
    assert unit_factor(kind, unit) == pytest.approx(factor, rel=1e-15)


def test_unknown_unit_has_no_factor():
    assert unit_factor("current", "kA") is None
    assert unit_factor("time", "fortnight") is None


def test_split_header_keeps_non_unit_suffixes_in_the_name():
    assert split_header("Cycle_Index") == ("cycle index", None)
    assert split_header("(Q-Qo)/mA.h") == ("(q qo)", "mA.h")
