"""Reading and writing impedance spectra.

Supported inputs (chosen by file extension in :func:`read_spectrum`):

* delimited text (``.csv``, ``.tsv``, ``.txt``, ``.dat``; comma, tab, semicolon or white
  space) with a header naming frequency, real and imaginary columns in any of the usual
  spellings (``freq``, ``Frequency (Hz)``, ``freq/Hz``; ``Z'``, ``Zreal``, ``Re(Z)/Ohm``;
  ``Z''``, ``-Z''``, ``-Im(Z)/Ohm``...), or no header and three columns ``f, Z', Z''``;
  BioLogic ``.mpt`` exports are read the same way;
* ZView/ZPlot ``.z`` files (data after ``End Comments``: columns 1, 5, 6 of the ZPlot
  layout, or three columns);
* BioLogic ``.mpr`` binaries through the optional ``galvani`` package.

Sign convention: returned impedances have a negative imaginary part for a capacitive
response. A column whose name starts with ``-`` is negated; afterwards, if most imaginary
values in the lower-frequency half of the spectrum are still positive, the file is taken
to store :math:`-Z''` and the sign is flipped (``imag_convention="auto"``; pass ``"z"`` or
``"minus_z"`` to force it). Every problem raises :class:`SpectrumFileError` whose message
names the file, the problem and, where relevant, the column and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from assb_model.errors import UserError

__all__ = [
    "Spectrum",
    "SpectrumFileError",
    "read_biologic_mpr",
    "read_delimited",
    "read_spectrum",
    "read_zview",
    "write_spectrum_csv",
]

ImagConvention = Literal["auto", "z", "minus_z"]

_FREQ = {"f", "freq", "frequency", "freqhz", "frequencyhz"}
_REAL = {"z'", "zreal", "re(z)", "zre", "real", "re", "zr", "z1", "zprime", "realz"}
_IMAG = {"z''", 'z"', "zimag", "im(z)", "zim", "imag", "im", "zi", "z2", "zdoubleprime", "imagz"}
_UNIT_PAREN = re.compile(r"\((hz|ohm|ohms|ω|a|b|s|deg)\)$")


class SpectrumFileError(UserError, ValueError):
    """A spectrum file is missing, malformed or contains invalid values."""


@dataclass(frozen=True)
class Spectrum:
    """An impedance spectrum read from a file.

    Unpacks as ``f, Z = read_spectrum(path)``.

    Attributes
    ----------
    frequency : numpy.ndarray
        Frequencies in Hz (file order).
    impedance : numpy.ndarray
        Complex impedance in ohm, negative imaginary part when capacitive.
    source : str
        File path.
    notes : tuple of str
        What the reader inferred (e.g. a flipped imaginary sign).
    """

    frequency: NDArray[np.float64]
    impedance: NDArray[np.complex128]
    source: str = ""
    notes: tuple[str, ...] = field(default=())

    def __iter__(self) -> Iterator[NDArray]:
        yield self.frequency
        yield self.impedance

    def __len__(self) -> int:
        return self.frequency.size


def _error(path: Path | str, problem: str) -> SpectrumFileError:
    return SpectrumFileError(f"{path}: {problem}")


def _canonical(name: str) -> tuple[str | None, bool]:
    """Classify a column name as ``"f"``, ``"re"``, ``"im"`` or ``None``; and negated?"""
    s = name.strip().lower().replace("−", "-").replace("’", "'").replace("″", "''")
    s = re.sub(r"\s+", "", s)
    if len(s) > 1 and s[0] == s[-1] and s[0] in "\"'":
        s = s[1:-1]
    neg = s.startswith("-")
    s = s.lstrip("-")
    s = s.split("/")[0]
    s = re.sub(r"\[[^\]]*\]$", "", s)
    s = _UNIT_PAREN.sub("", s)
    s = re.sub(r"_(hz|ohm|ohms)$", "", s)
    s = s.replace("_", "")
    if s in _FREQ:
        return "f", neg
    if s in _REAL:
        return "re", neg
    if s in _IMAG:
        return "im", neg
    return None, neg


def _read_lines(path: Path) -> list[str]:
    if not path.exists():
        raise _error(path, "file not found")
    if path.is_dir():
        raise _error(path, "is a directory, not a spectrum file")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.splitlines()


def _split(line: str, delimiter: str | None) -> list[str]:
    if delimiter is None:
        return line.split()
    return [x.strip() for x in line.split(delimiter)]


def _guess_delimiter(line: str) -> str | None:
    for d in ("\t", ";", ","):
        if d in line:
            return d
    return None


def _to_float(token: str, decimal_comma: bool) -> float:
    if decimal_comma:
        token = token.replace(",", ".")
    return float(token)


def _parse_table(
    path: Path,
    lines: list[tuple[int, str]],
    columns: tuple[int, int, int] | None,
) -> tuple[NDArray, NDArray, NDArray, bool, list[str]]:
    """Parse numbered lines into (f, Z', Z''); first line may be a header."""
    if not lines:
        raise _error(path, "contains no data rows")
    delimiter = _guess_delimiter(lines[0][1])
    first = _split(lines[0][1], delimiter)
    decimal_comma = delimiter == ";"
    notes: list[str] = []

    def is_number(tok: str) -> bool:
        try:
            _to_float(tok, decimal_comma)
        except ValueError:
            return False
        return True

    negate = False
    if all(is_number(t) for t in first if t):
        cols = columns or (0, 1, 2)
        body = lines
    else:
        kinds = [_canonical(h) for h in first]
        found: dict[str, tuple[int, bool]] = {}
        for i, (kind, neg) in enumerate(kinds):
            if kind is not None and kind not in found:
                found[kind] = (i, neg)
        labels = {"f": "frequency", "re": "real-part (Z')", "im": "imaginary-part (Z'')"}
        for kind in ("f", "re", "im"):
            if kind not in found:
                raise _error(
                    path,
                    f"no {labels[kind]} column in header (line {lines[0][0]}); "
                    f"columns found: {', '.join(repr(h) for h in first)}",
                )
        cols = (found["f"][0], found["re"][0], found["im"][0])
        negate = found["im"][1]
        if negate:
            notes.append(f"column {first[cols[2]]!r} holds -Z''; negated")
        body = lines[1:]
    if not body:
        raise _error(path, "contains no data rows")
    names = ("frequency", "Z'", "Z''")
    data = np.empty((len(body), 3))
    for r, (lineno, line) in enumerate(body):
        tokens = _split(line, delimiter)
        if len(tokens) <= max(cols):
            raise _error(path, f"line {lineno} has {len(tokens)} fields, expected {max(cols) + 1}")
        for c, col in enumerate(cols):
            try:
                data[r, c] = _to_float(tokens[col], decimal_comma)
            except ValueError:
                raise _error(
                    path, f"line {lineno}, column {names[c]}: {tokens[col]!r} is not a number"
                ) from None
    linenos = [n for n, _ in body]
    _validate(path, data, linenos)
    im = -data[:, 2] if negate else data[:, 2]
    return data[:, 0], data[:, 1], im, negate, notes


def _validate(path: Path, data: NDArray, linenos: list[int]) -> None:
    names = ("frequency", "Z'", "Z''")
    for c, name in enumerate(names):
        bad = np.flatnonzero(~np.isfinite(data[:, c]))
        if bad.size:
            raise _error(
                path,
                f"column {name} has a missing/NaN/infinite value at line {linenos[bad[0]]}"
                + (f" (and {bad.size - 1} more)" if bad.size > 1 else ""),
            )
    bad = np.flatnonzero(data[:, 0] <= 0)
    if bad.size:
        raise _error(
            path,
            f"column frequency has a non-positive value ({data[bad[0], 0]:g}) at line "
            f"{linenos[bad[0]]}; frequencies must be > 0",
        )


def _apply_convention(
    f: NDArray, im: NDArray, convention: ImagConvention, notes: list[str]
) -> NDArray:
    if convention == "z":
        return im
    if convention == "minus_z":
        return -im
    if convention != "auto":
        raise ValueError(f"imag_convention must be 'auto', 'z' or 'minus_z', not {convention!r}")
    low = im[f <= np.median(f)] if f.size >= 4 else im
    if np.count_nonzero(low > 0) > low.size / 2:
        notes.append(
            "imaginary part is mostly positive in the low-frequency half: the file stores "
            "-Z''; sign flipped so that capacitive Z'' < 0"
        )
        return -im
    return im


def _numbered(lines: list[str], start: int = 0) -> list[tuple[int, str]]:
    """Non-blank, non-comment lines with their 1-based line numbers."""
    out = []
    for i, line in enumerate(lines[start:], start=start + 1):
        s = line.strip()
        if s and not s.startswith(("#", "%", "!")):
            out.append((i, s))
    return out


def read_delimited(path: str | Path, *, imag_convention: ImagConvention = "auto") -> Spectrum:
    """Read a CSV/TSV/whitespace table (or a BioLogic ``.mpt`` export).

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    imag_convention : {"auto", "z", "minus_z"}, optional
        How the imaginary column is signed; ``"auto"`` detects it (module docstring).

    Returns
    -------
    Spectrum

    Raises
    ------
    SpectrumFileError
        Missing file or columns, non-numeric, NaN or non-positive frequencies, NaN
        impedance, or no data rows.
    """
    path = Path(path)
    lines = _read_lines(path)
    start = 0
    if lines and lines[0].strip().upper().startswith("EC-LAB ASCII FILE"):
        m = next((re.search(r"(\d+)", ln) for ln in lines[:5] if "header lines" in ln), None)
        start = int(m.group(1)) - 1 if m else 0
    f, re_, im, _, notes = _parse_table(path, _numbered(lines, start), None)
    im = _apply_convention(f, im, imag_convention, notes)
    return Spectrum(f, re_ + 1j * im, str(path), tuple(notes))


def read_zview(path: str | Path, *, imag_convention: ImagConvention = "auto") -> Spectrum:
    """Read a ZView/ZPlot ``.z`` file.

    Data start after the ``End Comments`` line (or after a ``Freq(Hz)`` header line); rows
    with at least six fields follow the ZPlot layout (frequency, amplitude, bias, time,
    Z', Z'', ...), rows with three fields are ``f, Z', Z''``.
    """
    path = Path(path)
    lines = _read_lines(path)
    start = None
    for i, line in enumerate(lines):
        if "end comments" in line.lower() or line.strip().lower().startswith("freq(hz)"):
            start = i + 1
    if start is None:
        start = 0
    body = _numbered(lines, start)
    if not body:
        raise _error(path, "contains no data rows after the header")
    n_fields = len(_split(body[0][1], _guess_delimiter(body[0][1])))
    cols = (0, 4, 5) if n_fields >= 6 else (0, 1, 2)
    f, re_, im, _, notes = _parse_table(path, body, cols)
    im = _apply_convention(f, im, imag_convention, notes)
    return Spectrum(f, re_ + 1j * im, str(path), tuple(notes))


def read_biologic_mpr(path: str | Path) -> Spectrum:
    """Read a BioLogic ``.mpr`` impedance file with ``galvani`` (optional dependency).

    Rows with zero frequency (non-impedance records) are dropped. BioLogic stores
    :math:`-\\mathrm{Im}(Z)`, which is negated.
    """
    path = Path(path)
    try:
        from galvani import BioLogic
    except ImportError as err:
        raise _error(
            path, "reading .mpr files needs the optional 'galvani' package (pip install galvani)"
        ) from err
    if not path.exists():
        raise _error(path, "file not found")
    try:
        data = BioLogic.MPRfile(str(path)).data
    except Exception as err:  # galvani raises many kinds of errors on bad files
        raise _error(path, f"not a readable BioLogic .mpr file ({err})") from err
    fields = data.dtype.names or ()
    for name in ("freq/Hz", "Re(Z)/Ohm", "-Im(Z)/Ohm"):
        if name not in fields:
            raise _error(path, f"no {name!r} column; this .mpr file holds no impedance data")
    f = np.asarray(data["freq/Hz"], dtype=float)
    keep = f != 0
    table = np.column_stack(
        [f[keep], data["Re(Z)/Ohm"][keep], -np.asarray(data["-Im(Z)/Ohm"], float)[keep]]
    )
    if table.shape[0] == 0:
        raise _error(path, "contains no impedance data rows")
    _validate(path, table, list(np.flatnonzero(keep) + 1))
    return Spectrum(table[:, 0], table[:, 1] + 1j * table[:, 2], str(path), ())


def read_spectrum(path: str | Path, *, imag_convention: ImagConvention = "auto") -> Spectrum:
    """Read a spectrum, choosing the reader from the file extension.

    ``.z`` → :func:`read_zview`; ``.mpr`` → :func:`read_biologic_mpr`; anything else →
    :func:`read_delimited`.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".z":
        return read_zview(path, imag_convention=imag_convention)
    if suffix == ".mpr":
        return read_biologic_mpr(path)
    return read_delimited(path, imag_convention=imag_convention)


def write_spectrum_csv(path: str | Path, f: ArrayLike, Z: ArrayLike) -> Path:
    """Write ``frequency_Hz,Z_real_ohm,Z_imag_ohm`` (``Z_imag`` negative when capacitive).

    Returns
    -------
    pathlib.Path
        The written file.
    """
    path = Path(path)
    f = np.asarray(f, dtype=float).ravel()
    Z = np.asarray(Z, dtype=complex).ravel()
    if f.size != Z.size:
        raise ValueError(f"f and Z differ in length ({f.size} vs {Z.size})")
    rows = [f"{a:.12g},{z.real:.12g},{z.imag:.12g}" for a, z in zip(f, Z, strict=True)]
    path.write_text("frequency_Hz,Z_real_ohm,Z_imag_ohm\n" + "\n".join(rows) + "\n")
    return path
