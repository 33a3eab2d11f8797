"""Turn raw cells into numbers, and describe the cells that are not numbers.

Text and Excel cells arrive as strings, numbers or ``None``; binary formats as numeric arrays.
Accepted: finite numbers, with surrounding blanks, a decimal comma where the file uses one
(detected, see :func:`uses_decimal_comma`), and ``[d-]h:mm:ss[.fff]`` clock strings for time
columns. Everything else is a bad cell: empty, ``NaN``-like words, infinities, text.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from assb_model.data.columns import ColumnChoice
from assb_model.data.errors import data_error
from assb_model.data.readers import RawTable

CLOCK = re.compile(
    r"^\s*(?:(\d+)\s*(?:days?,?|d|-)\s*)?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d*)?)\s*$", re.IGNORECASE
)
DECIMAL_COMMA = re.compile(r"^\s*[+-]?\d+,\d+(?:[eE][+-]?\d+)?\s*$")
DECIMAL_POINT = re.compile(r"^\s*[+-]?\d*\.\d+")
NAN_WORDS = {"nan", "na", "n/a", "null", "none", "#n/a", "#value!"}


def looks_like_clock(cells: np.ndarray) -> bool:
    """Whether the first non-empty cell is a ``[d-]h:mm:ss`` string (Neware time exports)."""
    for cell in cells[:20]:
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        return isinstance(cell, str) and bool(CLOCK.match(str(cell)))
    return False


def uses_decimal_comma(table: RawTable, choices: list[ColumnChoice]) -> bool:
    """Whether a non-comma-delimited text file writes decimals as ``3,81``."""
    if table.rows is None or table.meta.get("delimiter", ",") == ",":
        return False
    comma = point = False
    for choice in choices:
        for cell in table.column(choice.index)[:200]:
            if isinstance(cell, str):
                comma |= bool(DECIMAL_COMMA.match(cell))
                point |= bool(DECIMAL_POINT.match(cell))
    return comma and not point


def convert_columns(
    path: Path,
    table: RawTable,
    choices: dict[str, ColumnChoice],
    clock: set[str],
    decimal_comma: bool,
) -> dict[str, np.ndarray]:
    """Convert every used column to float, raising at the first bad cell in file order.

    Parameters
    ----------
    path : pathlib.Path
        The file (for messages).
    table : RawTable
        The raw cells.
    choices : dict
        Quantity -> column to convert.
    clock : set of str
        Quantities whose cells are ``h:mm:ss`` strings (converted to seconds).
    decimal_comma : bool
        Read ``3,81`` as 3.81.

    Returns
    -------
    dict
        Quantity -> float array.

    Raises
    ------
    CyclingDataError
        At the first empty, NaN, infinite or non-numeric cell (earliest row, then leftmost
        column), naming its column and row and counting the other bad cells of that column.
    """
    values: dict[str, np.ndarray] = {}
    first_bad: tuple[int, int, str, str] | None = None  # (row, column index, header, problem)
    for quantity, choice in choices.items():
        cells = table.column(choice.index)
        is_clock = quantity in clock
        if is_clock:
            numbers, bad = clock_seconds(cells)
        else:
            numbers, bad = to_float(cells, decimal_comma)
        values[quantity] = numbers
        if bad.any():
            row = int(np.argmax(bad))
            problem = describe_bad_cell(cells[row], is_clock)
            more = int(bad.sum()) - 1
            if more:
                problem += f" ({more} more bad cell{'s' if more > 1 else ''} in this column)"
            candidate = (row, choice.index, choice.header, problem)
            if first_bad is None or candidate[:2] < first_bad[:2]:
                first_bad = candidate
    if first_bad is not None:
        row, _, header, problem = first_bad
        raise data_error(path, problem, column=header, row=table.locator.describe(row))
    return values


def to_float(cells: np.ndarray, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    """Floats and a mask of cells that are not finite numbers."""
    if cells.dtype.kind in "biuf":
        numbers = cells.astype(float)
        return numbers, ~np.isfinite(numbers)

    def clean(cell: object) -> object:
        if isinstance(cell, str):
            cell = cell.strip()
            return cell.replace(",", ".") if decimal_comma else cell
        if isinstance(cell, int | float | np.number) and not isinstance(cell, bool):
            return cell
        return None  # empty, bool, date or other objects are not numbers

    text = pd.Series(cells, dtype=object).map(clean)
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    return numbers, ~np.isfinite(numbers)


def clock_seconds(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Seconds from ``[d-]h:mm:ss[.fff]`` strings and a mask of cells that are not clocks."""
    numbers = np.full(len(cells), np.nan)
    for index, cell in enumerate(cells):
        match = CLOCK.match(str(cell)) if cell is not None else None
        if match:
            days, hours, minutes, seconds = match.groups()
            numbers[index] = (
                int(days or 0) * 86400 + int(hours) * 3600 + int(minutes) * 60 + float(seconds)
            )
    return numbers, ~np.isfinite(numbers)


def describe_bad_cell(cell: object, clock: bool) -> str:
    """A short description of why a cell is not a usable number."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return "empty cell (missing value)"
    if isinstance(cell, float | np.floating) and np.isnan(cell):
        return "missing value (NaN)"
    if isinstance(cell, str) and cell.strip().lower() in NAN_WORDS:
        return f"missing value ({cell.strip()!r})"
    if isinstance(cell, int | float | np.number) or _is_infinite_text(cell):
        return f"non-finite value {cell!r}"
    expected = "an h:mm:ss time" if clock else "a number"
    return f"non-numeric value {cell!r} (expected {expected})"


def _is_infinite_text(cell: object) -> bool:
    try:
        return isinstance(cell, str) and np.isinf(float(cell))
    except ValueError:
        return False
