"""Step and cycle segmentation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assb_model.data import CyclingDataError, load_cycling
from assb_model.data.segmentation import classify_modes, number_cycles, number_steps
from tests.unit.data.helpers import cc_protocol, synthesize, to_file_frame, write_delimited


def modes(*kinds: str) -> np.ndarray:
    return np.array(kinds, dtype=object)


def test_classify_modes_with_threshold():
    current = np.array([0.0, 1e-9, -1e-9, 1e-3, -1e-3])
    assert list(classify_modes(current, 1e-6)) == [
        "rest",
        "rest",
        "rest",
        "discharge",
        "charge",
    ]


@pytest.mark.parametrize(
    ("sequence", "start", "expected"),
    [
        (
            ("rest", "charge", "rest", "discharge", "rest", "charge", "discharge"),
            "charge",
            [1, 1, 1, 1, 1, 2, 2],
        ),
        (("charge", "discharge", "charge", "discharge", "charge"), "charge", [1, 1, 2, 2, 3]),
        # an interrupted charge (charge, rest, charge) stays in one cycle
        (("charge", "rest", "charge", "discharge", "charge"), "charge", [1, 1, 1, 1, 2]),
        # a file that starts on a discharge has it alone in cycle 1
        (("discharge", "charge", "discharge"), "charge", [1, 2, 2]),
        (("discharge", "charge", "discharge", "charge"), "discharge", [1, 1, 2, 2]),
        (("rest", "rest"), "charge", [1, 1]),
    ],
)
def test_number_cycles(sequence, start, expected):
    assert list(number_cycles(modes(*sequence), start)) == expected


def test_number_steps_breaks_on_any_label_change():
    m = modes("rest", "charge", "charge", "charge", "rest", "discharge")
    file_step = np.array([1, 2, 2, 3, 4, 5])  # CC then CV inside one charge
    assert list(number_steps(m)) == [1, 2, 2, 2, 3, 4]
    assert list(number_steps(m, file_step)) == [1, 2, 2, 3, 4, 5]


def test_loaded_charge_rest_discharge_sequence(tmp_path):
    data = synthesize(cc_protocol(n_cycles=3), points=5)
    df = load_cycling(write_delimited(to_file_frame(data), tmp_path / "cell.csv"))
    assert df.attrs["cycle_source"].startswith("segmented")
    runs = df.groupby("step", sort=True).agg(kind=("step_type", "first"), cycle=("cycle", "first"))
    expected = ["rest"] + ["charge", "rest", "discharge", "rest"] * 3
    assert list(runs["kind"]) == expected
    assert list(runs.index) == list(range(1, len(expected) + 1))
    assert list(runs["cycle"]) == [1] * 5 + [2] * 4 + [3] * 4
    assert df["cycle"].is_monotonic_increasing and df["step"].is_monotonic_increasing
    assert df["cycle"].dtype == np.int64 and df["step"].dtype == np.int64


def test_cycle_start_at_discharge(tmp_path):
    data = synthesize(cc_protocol(n_cycles=2, rest_s=0))
    df = load_cycling(
        write_delimited(to_file_frame(data), tmp_path / "cell.csv"), cycle_start="discharge"
    )
    # charge | discharge charge | discharge
    runs = df.groupby("step").agg(kind=("step_type", "first"), cycle=("cycle", "first"))
    assert list(runs["kind"]) == ["charge", "discharge", "charge", "discharge"]
    assert list(runs["cycle"]) == [1, 2, 2, 3]


def test_small_currents_count_as_rest(tmp_path):
    data = synthesize(cc_protocol(n_cycles=1))
    noisy = data.copy()
    rest = noisy["current_A"] == 0
    noisy.loc[rest, "current_A"] = np.where(np.arange(rest.sum()) % 2, 3e-8, -3e-8)
    path = write_delimited(to_file_frame(noisy), tmp_path / "noisy.csv")
    df = load_cycling(path)  # default threshold 0.1 % of 1e-4 A = 1e-7 A
    assert (df.loc[rest.to_numpy(), "step_type"] == "rest").all()
    assert df["charge_capacity_mAh"].max() == pytest.approx(1.0, rel=1e-9)
    strict = load_cycling(path, rest_current_A=1e-8)
    assert strict["step"].max() > df["step"].max()


def test_file_cycle_column_counting_from_zero(tmp_path):
    data = synthesize(cc_protocol(n_cycles=2, rest_s=0, start_with_rest=False), points=4)
    frame = to_file_frame(data)
    frame["cycle number"] = np.repeat([0, 1], len(frame) // 2)
    df = load_cycling(write_delimited(frame, tmp_path / "cell.csv"))
    assert df.attrs["cycle_source"] == "file"
    assert list(df["cycle"].unique()) == [1, 2]


def test_file_cycle_column_counting_from_one_is_kept(tmp_path):
    data = synthesize(cc_protocol(n_cycles=2, rest_s=0, start_with_rest=False), points=4)
    frame = to_file_frame(data)
    frame["Cycle_Index"] = np.repeat([3, 4], len(frame) // 2)  # a continued test
    df = load_cycling(write_delimited(frame, tmp_path / "cell.csv"))
    assert list(df["cycle"].unique()) == [3, 4]


@pytest.mark.parametrize(
    ("cycles", "problem"),
    [([1, 1, 2, 1, 2, 2], "cycle number decreases"), ([1, 1, 1.5, 2, 2, 2], "not an integer")],
)
def test_bad_cycle_column(tmp_path, cycles, problem):
    frame = pd.DataFrame(
        {
            "Time [s]": np.arange(6.0),
            "Current [mA]": [1, 1, -1, -1, 1, 1],
            "Voltage [V]": [3.0, 3.2, 3.1, 3.0, 3.1, 3.2],
            "Cycle": cycles,
        }
    )
    path = write_delimited(frame, tmp_path / "cell.csv")
    with pytest.raises(CyclingDataError) as info:
        load_cycling(path)
    message = str(info.value)
    assert problem in message and "column 'Cycle'" in message
    assert str(path) in message
    assert "data row 3 (file line 4)" in message or "data row 4 (file line 5)" in message


def test_file_step_column_separates_cc_and_cv(tmp_path):
    frame = pd.DataFrame(
        {
            "Time [s]": [0, 100, 200, 300, 400, 500, 600, 700],
            "Current [mA]": [0.1, 0.1, 0.1, 0.05, 0.02, -0.1, -0.1, -0.1],
            "Voltage [V]": [3.5, 3.7, 3.8, 3.8, 3.8, 3.7, 3.4, 2.0],
            "Step_Index": [2, 2, 2, 3, 3, 4, 4, 4],
        }
    )
    df = load_cycling(write_delimited(frame, tmp_path / "cccv.csv"))
    assert list(df["step"]) == [1, 1, 1, 2, 2, 3, 3, 3]
    assert list(df["step_type"]) == ["charge"] * 5 + ["discharge"] * 3
