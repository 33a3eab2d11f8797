"""The single exception raised for malformed cycling data, and how its messages are built.

Every message names the file first, then (where they apply) the column as written in the
file's header and the row, so a user can open the file and find the offending cell:

``data.csv, column 'Current [mA]', data row 17 (file line 18): non-numeric value 'abc'``

*Data row* counts data rows from 1 (the first row below the header is data row 1); the file
line (text files) or sheet row (Excel) is the number an editor or spreadsheet shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assb_model.errors import UserError


class CyclingDataError(UserError, ValueError):
    """A cycling-data file cannot be turned into a trustworthy tidy DataFrame."""


@dataclass(frozen=True)
class RowLocator:
    """Turns a 0-based data-row index into the row label a user sees in the file.

    Parameters
    ----------
    file_rows : list of int or None
        For each data row, its 1-based line (text) or row (spreadsheet) number in the file;
        ``None`` for binary formats, where only the data-row number is meaningful.
    row_kind : str
        What ``file_rows`` counts, e.g. ``"file line"`` or ``"sheet 'Data' row"``.
    """

    file_rows: list[int] | None = None
    row_kind: str = "file line"

    def describe(self, index: int) -> str:
        """Return e.g. ``"data row 17 (file line 18)"`` for the 0-based data-row ``index``."""
        label = f"data row {index + 1}"
        if self.file_rows is not None and 0 <= index < len(self.file_rows):
            label += f" ({self.row_kind} {self.file_rows[index]})"
        return label


def data_error(
    path: str | Path,
    problem: str,
    *,
    column: str | None = None,
    row: str | None = None,
) -> CyclingDataError:
    """Build a :class:`CyclingDataError` whose message names the file, column and row.

    Parameters
    ----------
    path : str or pathlib.Path
        The file being loaded.
    problem : str
        What is wrong, as a sentence fragment.
    column : str, optional
        The column header as written in the file.
    row : str, optional
        A row label from :meth:`RowLocator.describe`.

    Returns
    -------
    CyclingDataError
        The exception, ready to ``raise``.
    """
    parts = [str(path)]
    if column is not None:
        parts.append(f"column {column!r}")
    if row is not None:
        parts.append(row)
    return CyclingDataError(f"{', '.join(parts)}: {problem}")
