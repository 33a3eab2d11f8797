"""Property-based tests: random valid CC cycling files load back exactly; corrupted ones fail
with a message that names the corrupted row and column."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assb_model.data import CyclingDataError, cycle_summary, load_cycling
from tests.unit.data.helpers import (
    CURRENT_FACTORS,
    HEADER_STYLES,
    TIME_FACTORS,
    cc_protocol,
    synthesize,
    to_file_frame,
    write_delimited,
)

SETTINGS = settings(max_examples=50, deadline=None, derandomize=True)
BAD_TOKENS = ["abc", "--", "#VALUE!", "", "NaN", "x1", "3V"]


@dataclass
class CyclingFile:
    """A random CC cycling protocol and how it is written to disk."""

    n_cycles: int
    charge_A: float
    discharge_A: float
    charge_s: float
    discharge_s: float
    rest_s: float
    points: int
    style: str
    time_unit: str
    current_unit: str
    charge_positive: bool
    delimiter: str
    decimal: str

    def data(self) -> pd.DataFrame:
        steps = cc_protocol(
            self.n_cycles,
            self.charge_A,
            self.discharge_A,
            self.charge_s,
            self.discharge_s,
            self.rest_s,
        )
        return synthesize(steps, points=self.points)

    def frame(self) -> pd.DataFrame:
        return to_file_frame(
            self.data(),
            style=self.style,
            time_unit=self.time_unit,
            current_unit=self.current_unit,
            charge_positive=self.charge_positive,
        )

    def write(self, frame: pd.DataFrame, folder: Path) -> Path:
        return write_delimited(frame, folder / "cell.csv", self.delimiter, self.decimal)


@st.composite
def cycling_files(draw) -> CyclingFile:
    charge_A = draw(st.floats(1e-5, 1e-2))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    return CyclingFile(
        n_cycles=draw(st.integers(1, 4)),
        charge_A=charge_A,
        # within a factor 5 so neither current falls under the 0.1 % rest threshold
        discharge_A=charge_A * draw(st.floats(0.2, 5.0)),
        charge_s=draw(st.floats(60.0, 36000.0)),
        discharge_s=draw(st.floats(60.0, 36000.0)),
        rest_s=draw(st.sampled_from([0.0]) | st.floats(10.0, 3600.0)),
        points=draw(st.integers(3, 12)),
        style=draw(st.sampled_from(sorted(HEADER_STYLES))),
        time_unit=draw(st.sampled_from(sorted(TIME_FACTORS))),
        current_unit=draw(st.sampled_from(sorted(CURRENT_FACTORS))),
        charge_positive=draw(st.booleans()),
        delimiter=delimiter,
        decimal="," if delimiter != "," and draw(st.booleans()) else ".",
    )


@SETTINGS
@given(spec=cycling_files())
def test_valid_files_round_trip(spec: CyclingFile):
    data = spec.data()
    with tempfile.TemporaryDirectory() as folder:
        df = load_cycling(spec.write(spec.frame(), Path(folder)))
    np.testing.assert_allclose(df["time_s"], data["time_s"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(df["current_A"], data["current_A"], rtol=1e-12, atol=1e-20)
    np.testing.assert_allclose(df["voltage_V"], data["voltage_V"], rtol=1e-12)
    assert df["cycle"].max() == spec.n_cycles
    assert df.attrs["current_sign"] == (
        "charge-positive" if spec.charge_positive else "discharge-positive"
    )
    summary = cycle_summary(df)
    np.testing.assert_allclose(
        summary["charge_capacity_mAh"], spec.charge_A * spec.charge_s / 3.6, rtol=1e-9
    )
    np.testing.assert_allclose(
        summary["discharge_capacity_mAh"], spec.discharge_A * spec.discharge_s / 3.6, rtol=1e-9
    )


@SETTINGS
@given(spec=cycling_files(), data=st.data())
def test_corrupt_cell_is_reported_at_its_row_and_column(spec: CyclingFile, data):
    frame = spec.frame().astype(object)
    row = data.draw(st.integers(0, len(frame) - 1), label="row")
    column = data.draw(st.integers(0, 2), label="column")
    token = data.draw(st.sampled_from(BAD_TOKENS), label="token")
    frame.iat[row, column] = token
    with tempfile.TemporaryDirectory() as folder:
        path = spec.write(frame, Path(folder))
        with pytest.raises(CyclingDataError) as info:
            load_cycling(path)
    message = str(info.value)
    assert str(path) in message
    assert f"column {frame.columns[column]!r}" in message
    assert f"data row {row + 1} (file line {row + 2})" in message


@SETTINGS
@given(spec=cycling_files(), data=st.data())
def test_time_reversal_is_reported_at_its_row(spec: CyclingFile, data):
    frame = spec.frame()
    row = data.draw(st.integers(1, len(frame) - 1), label="row")
    step_back = data.draw(st.floats(1e-6, 10.0), label="step_back")
    time_column = frame.columns[0]
    frame.iat[row, 0] = frame.iat[row - 1, 0] * (1 - 1e-9) - step_back
    with tempfile.TemporaryDirectory() as folder:
        path = spec.write(frame, Path(folder))
        with pytest.raises(CyclingDataError) as info:
            load_cycling(path)
    message = str(info.value)
    assert str(path) in message
    assert f"column {time_column!r}, data row {row + 1} (file line {row + 2})" in message
    assert "time goes backwards" in message
