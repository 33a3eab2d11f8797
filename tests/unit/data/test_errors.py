"""Malformed input raises one CyclingDataError naming the file, the column and the row."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from assb_model.data import CyclingDataError, load_cycling
from tests.unit.data.helpers import write_xlsx

HEADER = "Time [s],Current [mA],Voltage [V]"
GOOD_ROWS = ["0,0.1,3.0", "10,0.1,3.1", "20,0.1,3.2", "30,-0.1,3.1", "40,-0.1,3.0"]


def write(tmp_path: Path, rows: list[str], header: str = HEADER, name: str = "cell.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def error_for(path: Path, **kwargs) -> str:
    with pytest.raises(CyclingDataError) as info:
        load_cycling(path, **kwargs)
    message = str(info.value)
    assert str(path) in message
    assert isinstance(info.value, ValueError)
    return message


def with_row(index: int, row: str) -> list[str]:
    rows = list(GOOD_ROWS)
    rows[index] = row
    return rows


@pytest.mark.parametrize(
    ("row", "column", "problem"),
    [
        ("20,abc,3.2", "Current [mA]", "non-numeric value 'abc'"),
        ("20,0.1,NaN", "Voltage [V]", "missing value ('NaN')"),
        ("20,,3.2", "Current [mA]", "empty cell"),
        ("20,0.1", "Voltage [V]", "empty cell"),  # short row
        ("20,inf,3.2", "Current [mA]", "non-finite value 'inf'"),
        ("2O,0.1,3.2", "Time [s]", "non-numeric value '2O'"),  # letter O for zero
    ],
)
def test_bad_cell_names_file_column_and_row(tmp_path, row, column, problem):
    message = error_for(write(tmp_path, with_row(2, row)))
    assert f"column {column!r}" in message
    assert "data row 3 (file line 4)" in message
    assert problem in message


def test_first_bad_cell_in_file_order_is_reported(tmp_path):
    rows = with_row(1, "10,0.1,x")
    rows[3] = "30,y,3.1"
    rows[4] = "40,z,3.0"
    message = error_for(write(tmp_path, rows))
    assert "column 'Voltage [V]', data row 2 (file line 3): non-numeric value 'x'" in message


def test_more_bad_cells_are_counted(tmp_path):
    rows = [r.replace("0.1", "?") for r in GOOD_ROWS]
    message = error_for(write(tmp_path, rows))
    assert "data row 1 (file line 2)" in message
    assert "4 more bad cells in this column" in message


def test_blank_lines_shift_file_line_but_not_data_row(tmp_path):
    rows = ["0,0.1,3.0", "", "10,0.1,3.1", "", "20,bad,3.2"]
    message = error_for(write(tmp_path, rows))
    assert "data row 3 (file line 6)" in message


def test_time_going_backwards(tmp_path):
    message = error_for(write(tmp_path, with_row(3, "15,-0.1,3.1")))
    assert "column 'Time [s]', data row 4 (file line 5)" in message
    assert "time goes backwards (15 after 20" in message


def test_repeated_time_stamps_are_allowed(tmp_path):
    df = load_cycling(write(tmp_path, with_row(3, "20,-0.1,3.1")))
    assert len(df) == 5


def test_missing_required_column(tmp_path):
    path = write(tmp_path, ["0,3.0", "10,3.1"], header="Time [s],Voltage [V]")
    message = error_for(path)
    assert "no current column found" in message
    assert "Time [s]" in message and "columns={'current'" in message


def test_no_header_at_all(tmp_path):
    path = write(tmp_path, ["1,2,3"], header="a,b,c")
    message = error_for(path)
    assert "no time or current or voltage column found" in message


def test_unknown_unit(tmp_path):
    message = error_for(write(tmp_path, GOOD_ROWS, header="Time [s],Current [mA/cm2],Voltage [V]"))
    assert "column 'Current [mA/cm2]'" in message and "unknown current unit 'mA/cm2'" in message


@pytest.mark.parametrize("content", [b"", b"   \n\n  \n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert "file is empty" in error_for(path)


def test_header_without_data(tmp_path):
    message = error_for(write(tmp_path, []))
    assert "header found on file line 1 but no data rows" in message


def test_missing_file(tmp_path):
    assert "cannot read file: no such file" in error_for(tmp_path / "nope.csv")


def test_directory_is_not_a_file(tmp_path):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert "not a regular file" in error_for(folder)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, GOOD_ROWS)
    path.chmod(0)
    assert "cannot read file" in error_for(path)


def test_binary_content_in_text_file(tmp_path):
    path = tmp_path / "cell.csv"
    path.write_bytes(b"\x00\x01\x02PK\x03\x04" * 10)
    assert "not a text file" in error_for(path)


def test_corrupt_xlsx(tmp_path):
    path = tmp_path / "cell.xlsx"
    path.write_text("this is not a zip archive")
    assert "cannot read Excel workbook" in error_for(path)


def test_xlsx_bad_cell_names_sheet_row(tmp_path):
    frame = pd.DataFrame(
        {"Time [s]": [0.0, 10.0, 20.0], "Current [mA]": [0.1, "oops", 0.1], "Voltage [V]": 3.0}
    )
    path = write_xlsx({"Record": frame}, tmp_path / "cell.xlsx")
    message = error_for(path)
    assert "column 'Current [mA]', data row 2 (sheet 'Record' row 3)" in message
    assert "non-numeric value 'oops'" in message


def test_xlsx_without_header_names_best_sheet(tmp_path):
    path = write_xlsx(
        {"Info": [["Name", "cell 1"]], "Data": [["Time [s]", "Voltage [V]"]]},
        tmp_path / "cell.xlsx",
    )
    message = error_for(path)
    assert "no current column found" in message and "sheet 'Data' row 1" in message


def test_bad_columns_override(tmp_path):
    message = error_for(write(tmp_path, GOOD_ROWS), columns={"current": "Amps (mA)"})
    assert "'Amps (mA)' given for current is not in the header" in message
