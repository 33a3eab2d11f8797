"""Read a cycler file into a raw table: the header row plus the cells below it, untouched.

Formats
-------
* Delimited text (``.csv``, ``.tsv``, ``.txt``, ``.dat``, EC-Lab ``.mpt`` exports, any other
  suffix): comma, semicolon, tab or ``|``. The header row is *found*, not assumed: the first
  of the first :data:`HEADER_SEARCH_ROWS` lines that names a time, a current and a voltage
  column, for one of the delimiters (EC-Lab exports state it: ``Nb header lines : N``).
  Preamble lines (EC-Lab, Maccor and Scribner write them) are skipped and blank lines are
  ignored; UTF-8, UTF-16, Windows-1252 (:func:`assb_model.textfiles.decode_text`). A
  last line cut off inside a number is refused
  (:func:`assb_model.textfiles.truncated_last_line`).
* Excel ``.xlsx``/``.xlsm`` (openpyxl): the given ``sheet`` or else the first sheet with such
  a header row (Arbin puts a ``Global_Info`` sheet first).
* BioLogic ``.mpr`` (galvani, imported lazily).
* Neware ``.nda``/``.ndax`` (fastnda, imported lazily; not a hard dependency).

Cells are not converted here: :mod:`assb_model.data.loaders` converts and validates them so
that every bad cell can be reported with its row.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assb_model.data.columns import CURRENT_SOURCES, REQUIRED, match_columns
from assb_model.data.errors import CyclingDataError, RowLocator, data_error
from assb_model.textfiles import (
    FORMAT_LINES,
    BinaryContentError,
    decode_text,
    truncated_last_line,
)

#: How many leading rows are searched for the header row.
HEADER_SEARCH_ROWS = 500

DELIMITERS = ("\t", ";", ",", "|")
#: First line of a BioLogic EC-Lab text export; the second gives the header line number.
EC_LAB_MAGIC = "EC-LAB ASCII FILE"
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
NEWARE_SUFFIXES = {".nda", ".ndax"}

#: Formats with no reader here, and what to do instead.
UNSUPPORTED = {
    ".xls": "legacy .xls workbooks are not supported; re-save the sheet as .xlsx or CSV",
    ".res": (
        "Arbin .res files (MS Access databases) are not supported; export the test to "
        "CSV or .xlsx with Arbin's MITS Pro / Data Watcher, or convert it with cellpy"
    ),
}


@dataclass
class RawTable:
    """A header row and the data cells below it, as read from the file.

    Exactly one of ``rows`` (row-major cells: text and Excel) and ``arrays`` (one array per
    column: binary formats) is set.
    """

    header: list[str]
    rows: list[Sequence[Any]] | None = None
    arrays: list[np.ndarray] | None = None
    locator: RowLocator = field(default_factory=RowLocator)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        """Number of data rows."""
        if self.rows is not None:
            return len(self.rows)
        return len(self.arrays[0]) if self.arrays else 0

    def column(self, index: int) -> np.ndarray:
        """The cells of one column; a row too short to have the cell gives ``None``."""
        if self.arrays is not None:
            return np.asarray(self.arrays[index])
        cells = [row[index] if index < len(row) else None for row in self.rows]
        out = np.empty(len(cells), dtype=object)
        out[:] = cells
        return out


def read_table(
    path: Path,
    *,
    sheet: str | int | None = None,
    overrides: Mapping[str, str | None] | None = None,
) -> RawTable:
    """Read ``path`` into a :class:`RawTable`, choosing the reader from the suffix.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    sheet : str or int, optional
        Excel sheet name or 0-based index.
    overrides : mapping, optional
        The user's ``columns=`` mapping, used to recognise the header row.

    Returns
    -------
    RawTable
        Header and unconverted data.

    Raises
    ------
    CyclingDataError
        If the file cannot be read, is empty or has no recognisable header row.
    """
    suffix = path.suffix.lower()
    if not path.is_file():
        reason = "no such file" if not path.exists() else "not a regular file"
        raise data_error(path, f"cannot read file: {reason}")
    if UNSUPPORTED.get(suffix):
        raise data_error(path, UNSUPPORTED[suffix])
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, sheet, overrides)
    if suffix == ".mpr":
        return _read_mpr(path)
    if suffix in NEWARE_SUFFIXES:
        return _read_neware(path)
    return _read_text(path, overrides)


def header_score(cells: Sequence[Any], overrides: Mapping[str, str | None] | None) -> int:
    """How many of time / current / voltage a candidate header row names (0-3)."""
    named = [cell for cell in cells if cell is not None and str(cell).strip()]
    if len(named) < 2:
        return 0
    try:
        choices, rejected = match_columns(cells, overrides)
    except CyclingDataError:
        return 0
    found = {q for q in REQUIRED if q in choices or q in rejected}
    if "current" not in found and any(q in choices for q in CURRENT_SOURCES):
        found.add("current")  # a current can be derived from the charge columns
    return len(found)


def missing_header_error(
    path: Path,
    best: Sequence[Any] | None,
    where: str,
    overrides: Mapping[str, str | None] | None,
) -> CyclingDataError:
    """The error for a file whose header row names too few of time / current / voltage."""
    if best is None:
        return data_error(path, f"no header row found in the first {HEADER_SEARCH_ROWS} rows")
    cells = ["" if c is None else str(c).strip() for c in best]
    try:
        choices, rejected = match_columns(cells, overrides)
    except CyclingDataError as exc:
        return data_error(path, str(exc))
    missing = [q for q in REQUIRED if q not in choices and q not in rejected]
    return data_error(
        path,
        f"no {' or '.join(missing)} column found; the best header row ({where}) has "
        f"columns {cells}; name the columns with columns={{{missing[0]!r}: '<header>'}}"
        + (NO_CURRENT_HINT if missing == ["current"] else ""),
    )


#: Added to "no current column" errors: the usual reason on real files.
NO_CURRENT_HINT = (
    " (an open-circuit or rest-only record has no current, hence no charge or discharge)"
)


def _read_text(path: Path, overrides: Mapping[str, str | None] | None) -> RawTable:
    raw = _read_bytes(path)
    if not raw.strip():
        raise data_error(path, "file is empty")
    try:
        text, encoding = decode_text(raw)
    except BinaryContentError as exc:
        raise data_error(path, f"{exc}; see docs/data.md for formats") from None
    if not text.strip():
        raise data_error(path, "file is empty")
    lines = text.splitlines()

    ec_lab = bool(lines) and lines[0].strip().upper().startswith(EC_LAB_MAGIC)
    stated = _ec_lab_header_index(lines) if ec_lab else None
    best = _find_header(lines, overrides)
    if stated is not None and (best is None or best[0] < len(REQUIRED)):
        # name the columns of the header line the export states, not a preamble line
        best = (header_score(_split_line(lines[stated], "\t"), overrides), stated, "\t")
    if best is None or best[0] < len(REQUIRED):
        cells = None if best is None else _split_line(lines[best[1]], best[2])
        where = "" if best is None else f"file line {best[1] + 1}"
        raise missing_header_error(path, cells, where, overrides)

    _, header_index, delimiter = best
    rows: list[list[str]] = []
    file_lines: list[int] = []
    reader = csv.reader(lines[header_index + 1 :], delimiter=delimiter)
    for offset, row in enumerate(reader):
        if any(cell.strip() for cell in row):
            rows.append(row)
            file_lines.append(header_index + 2 + offset)
    if not rows:
        raise data_error(path, f"header found on file line {header_index + 1} but no data rows")
    tail = list(zip(file_lines, rows, strict=True))[-(FORMAT_LINES + 1) :]
    cut = truncated_last_line(tail, text.endswith(("\n", "\r")))
    if cut is not None:
        raise data_error(path, cut)
    return RawTable(
        header=_split_line(lines[header_index], delimiter),
        rows=rows,
        locator=RowLocator(file_lines, "file line"),
        meta={
            "format": "BioLogic EC-Lab text (.mpt)" if ec_lab else "delimited text",
            "instrument": "BioLogic EC-Lab" if ec_lab else None,
            "delimiter": delimiter,
            "encoding": encoding,
            "header_line": header_index + 1,
        },
    )


def _find_header(
    lines: list[str], overrides: Mapping[str, str | None] | None
) -> tuple[int, int, str] | None:
    """``(score, line index, delimiter)`` of the best header candidate, or ``None``."""
    best: tuple[int, int, str] | None = None
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        if not line.strip():
            continue
        for delimiter in DELIMITERS:
            if delimiter not in line:
                continue
            score = header_score(_split_line(line, delimiter), overrides)
            if best is None or score > best[0]:
                best = (score, index, delimiter)
        if best is not None and best[0] == len(REQUIRED):
            break
    return best


def _ec_lab_header_index(lines: list[str]) -> int | None:
    """0-based index of the column-header line an EC-Lab export states (``Nb header lines``)."""
    for line in lines[1:4]:
        if "header lines" in line.lower():
            digits = re.search(r"(\d+)", line)
            if digits and 1 <= int(digits.group(1)) <= len(lines):
                return int(digits.group(1)) - 1
    return None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise data_error(path, f"cannot read file: {exc.strerror or exc}") from exc


def _split_line(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _read_excel(
    path: Path, sheet: str | int | None, overrides: Mapping[str, str | None] | None
) -> RawTable:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl is a declared dependency
        raise data_error(path, "reading .xlsx files needs openpyxl: pip install openpyxl") from exc
    if not _read_bytes(path):
        raise data_error(path, "file is empty")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException...
        raise data_error(path, f"cannot read Excel workbook: {exc}") from exc
    try:
        names = workbook.sheetnames
        if sheet is None:
            candidates = names
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise data_error(path, f"sheet index {sheet} out of range; sheets are {names}")
            candidates = [names[sheet]]
        elif sheet in names:
            candidates = [sheet]
        else:
            raise data_error(path, f"no sheet named {sheet!r}; sheets are {names}")
        best: tuple[int, str, int, Sequence[Any]] | None = None
        for name in candidates:
            table = _excel_sheet(workbook[name], name, overrides)
            if isinstance(table, RawTable):
                table.meta["format"] = "xlsx"
                if not table.rows:
                    raise data_error(path, f"sheet {name!r} has a header but no data rows")
                return table
            score, row_number, cells = table
            if best is None or score > best[0]:
                best = (score, name, row_number, cells)
    finally:
        workbook.close()
    if best is None:
        raise data_error(path, "workbook has no sheets")
    _, name, row_number, cells = best
    raise missing_header_error(path, cells, f"sheet {name!r} row {row_number}", overrides)


def _excel_sheet(
    worksheet: Any, name: str, overrides: Mapping[str, str | None] | None
) -> RawTable | tuple[int, int, Sequence[Any]]:
    """A :class:`RawTable` for one sheet, or ``(best score, row, cells)`` if no header."""
    worksheet.reset_dimensions()
    best: tuple[int, int, Sequence[Any]] = (0, 0, [])
    header_row: int | None = None
    rows: list[Sequence[Any]] = []
    sheet_rows: list[int] = []
    header: list[str] = []
    for row_number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if header_row is None:
            if row_number > HEADER_SEARCH_ROWS:
                break
            score = header_score(row, overrides)
            if score > best[0]:
                best = (score, row_number, row)
            if score == len(REQUIRED):
                header_row = row_number
                header = ["" if c is None else str(c).strip() for c in row]
            continue
        if any(cell is not None and str(cell).strip() for cell in row):
            rows.append(row)
            sheet_rows.append(row_number)
    if header_row is None:
        return best
    return RawTable(
        header=header,
        rows=rows,
        locator=RowLocator(sheet_rows, f"sheet {name!r} row"),
        meta={"sheet": name, "header_line": header_row},
    )


def _read_mpr(path: Path) -> RawTable:
    data = read_mpr_records(path)
    header = list(data.dtype.names or ())
    table = _columnar(path, header, [np.asarray(data[name]) for name in header], "BioLogic mpr")
    table.meta["instrument"] = "BioLogic EC-Lab"
    return table


def read_mpr_records(path: Path) -> np.ndarray:
    """The data records of a BioLogic ``.mpr`` file (a numpy structured array), via galvani.

    Raises
    ------
    CyclingDataError
        If galvani is missing or cannot read the file.
    """
    try:
        from galvani import BioLogic
    except ImportError as exc:
        raise data_error(
            path,
            "reading BioLogic .mpr files needs the optional package galvani; install it "
            "with `pip install galvani` (or `pip install assb-model[data]`), or export the "
            "file from EC-Lab as text (.mpt) and load that",
        ) from exc
    try:
        handle = open(path, "rb")  # a file object: galvani leaves paths it opens open
    except OSError as exc:
        raise data_error(path, f"cannot read file: {exc.strerror or exc}") from exc
    try:
        with handle:
            return BioLogic.MPRfile(handle).data
    except Exception as exc:  # galvani raises ValueError, OSError, struct.error...
        message = " ".join(str(exc).split())  # galvani's messages span several lines
        raise data_error(path, f"galvani could not read this .mpr file: {message}") from exc


def _read_neware(path: Path) -> RawTable:
    try:
        import fastnda
    except ImportError as exc:
        raise data_error(
            path,
            "reading Neware .nda/.ndax files needs the optional package fastnda; install it "
            "with `pip install fastnda`, or export the file to CSV/xlsx from Neware BTSDA",
        ) from exc
    try:
        frame = fastnda.read(str(path))
    except Exception as exc:  # fastnda raises ValueError, KeyError, zipfile errors...
        raise data_error(path, f"fastnda could not read this file: {exc}") from exc
    header = [str(name) for name in frame.columns]
    arrays = [np.asarray(frame[name].to_numpy()) for name in frame.columns]
    return _columnar(path, header, arrays, "Neware nda/ndax")


def _columnar(path: Path, header: list[str], arrays: list[np.ndarray], fmt: str) -> RawTable:
    if not header or len(arrays[0]) == 0:
        raise data_error(path, "file contains no data records")
    return RawTable(header=header, arrays=arrays, locator=RowLocator(None), meta={"format": fmt})
