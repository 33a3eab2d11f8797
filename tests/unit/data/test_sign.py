"""Current sign convention: detection both ways, the override, and when detection must fail."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assb_model.data import CyclingDataError, load_cycling
from assb_model.data.segmentation import detect_current_sign
from tests.unit.data.helpers import cc_protocol, synthesize, to_file_frame, write_delimited


@pytest.fixture
def data() -> pd.DataFrame:
    return synthesize(cc_protocol(n_cycles=2))


@pytest.mark.parametrize("charge_positive", [True, False])
def test_detected_sign_gives_pybamm_convention(tmp_path, data, charge_positive):
    frame = to_file_frame(data, charge_positive=charge_positive)
    df = load_cycling(write_delimited(frame, tmp_path / "cell.csv"))
    expected = "charge-positive" if charge_positive else "discharge-positive"
    assert df.attrs["current_sign"] == expected
    assert df.attrs["current_sign_source"] == "detected"
    # PyBaMM convention: positive current = discharge, whatever the file wrote.
    np.testing.assert_allclose(df["current_A"], data["current_A"], rtol=1e-12, atol=1e-18)
    assert (df.loc[df["step_type"] == "discharge", "current_A"] > 0).all()
    assert (df.loc[df["step_type"] == "charge", "current_A"] < 0).all()
    charging = df[df["step_type"] == "charge"]
    assert charging["voltage_V"].iloc[-1] > charging["voltage_V"].iloc[0]


def test_override_is_obeyed_even_against_the_data(tmp_path, data):
    frame = to_file_frame(data, charge_positive=True)
    df = load_cycling(
        write_delimited(frame, tmp_path / "cell.csv"), current_sign="discharge-positive"
    )
    assert df.attrs["current_sign_source"] == "argument"
    np.testing.assert_allclose(df["current_A"], -data["current_A"], rtol=1e-12, atol=1e-18)


def test_override_matching_the_data(tmp_path, data):
    frame = to_file_frame(data, charge_positive=True)
    path = write_delimited(frame, tmp_path / "cell.csv")
    assert load_cycling(path, current_sign="charge-positive").equals(load_cycling(path))


def test_rest_only_data_needs_the_override(tmp_path):
    frame = pd.DataFrame(
        {"Time [s]": [0.0, 60.0, 120.0], "Current [mA]": 0.0, "Voltage [V]": [3.0, 3.0, 2.99]}
    )
    path = write_delimited(frame, tmp_path / "ocv.csv")
    with pytest.raises(CyclingDataError) as info:
        load_cycling(path)
    message = str(info.value)
    assert str(path) in message and "column 'Current [mA]'" in message
    assert "rest-only" in message and "current_sign=" in message
    df = load_cycling(path, current_sign="charge-positive")
    assert set(df["step_type"]) == {"rest"}
    assert set(df["cycle"]) == {1}


def test_flat_voltage_cannot_be_detected(tmp_path):
    frame = pd.DataFrame(
        {"Time [s]": [0.0, 1.0, 2.0, 3.0], "Current [mA]": [1, 1, -1, -1], "Voltage [V]": 3.0}
    )
    with pytest.raises(CyclingDataError, match="cannot detect the current sign"):
        load_cycling(write_delimited(frame, tmp_path / "flat.csv"))


def test_invalid_sign_argument(tmp_path, data):
    path = write_delimited(to_file_frame(data), tmp_path / "cell.csv")
    with pytest.raises(CyclingDataError, match="current_sign must be one of"):
        load_cycling(path, current_sign="positive")


def test_heuristic_agreement_and_ambiguity():
    current = np.array([0, 1, 1, 0, -1, -1, 0.0])
    rising_on_positive = np.array([3.0, 3.1, 3.3, 3.3, 3.2, 3.0, 3.0])
    assert detect_current_sign(current, rising_on_positive, 0.0) == ("charge-positive", 1.0)
    assert detect_current_sign(-current, rising_on_positive, 0.0) == ("discharge-positive", -1.0)
    # Both directions raise the voltage: contradictory, so no answer.
    both_rise = np.array([3.0, 3.1, 3.3, 3.3, 3.4, 3.6, 3.6])
    sign, agreement = detect_current_sign(current, both_rise, 0.0)
    assert sign is None
    assert abs(agreement) < 0.5
    assert detect_current_sign(np.zeros(3), np.ones(3), 0.0) == (None, 0.0)


def test_cv_phase_does_not_confuse_detection():
    # CC charge then CV hold (current decays at constant voltage) then discharge.
    current = np.array([-1, -1, -1, -0.5, -0.2, 1, 1, 1.0])  # charge-negative file
    voltage = np.array([3.5, 3.7, 3.8, 3.8, 3.8, 3.7, 3.4, 3.0])
    assert detect_current_sign(current, voltage, 1e-3)[0] == "discharge-positive"
