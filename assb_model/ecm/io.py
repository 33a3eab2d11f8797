"""Reading and writing impedance spectra.

Supported inputs (:func:`read_spectra` / :func:`read_spectrum` choose the reader from the
suffix and the first lines):

* delimited text (``.csv``, ``.tsv``, ``.txt``, ``.dat``; comma, tab, semicolon or white
  space; decimal commas in non-comma files) with a header naming frequency, real and
  imaginary columns in any of the usual spellings (``freq``, ``Frequency (Hz)``,
  ``freq/Hz``; ``Z'``, ``Zreal``, ``Re(Z)/Ohm``; ``Z''``, ``-Z''``, ``-Im(Z)/Ohm``...), or no
  header and three columns ``f, Z', Z''``; BioLogic ``.mpt`` exports are read the same way
  (their ``cycle number`` column separates sweeps);
* ZView/ZPlot ``.z`` files with an ``End Comments`` line (columns 1, 5, 6 of the ZPlot
  layout, or three columns);
* BioLogic ``.mpr`` binaries through the optional ``galvani`` package;
* through impedance.py's maintained readers (``impedance.preprocessing.readFile``, optional:
  ``pip install assb-model[data]``): Gamry ``.DTA``, VersaStudio ``.par``, Autolab and ZPlot exports
  without an ``End Comments`` line, CH Instruments (with their preamble), Parstat and
  PowerSuite text files — recognised by their first lines (:func:`detect_instrument`).
  impedance.py's readers do not name bad lines; the values they return are validated here
  (finite, positive frequencies), and the raw text is checked for a cut-off last line.

**Sweeps.** A file may hold several sweeps (EC-Lab PEIS/GEIS with repeats). They are split
by the ``cycle number`` column where the file has one, otherwise where the frequency jumps
back against the sweep direction (:func:`sweep_starts`); :func:`read_spectra` returns one
:class:`Spectrum` per sweep, and :func:`read_spectrum` refuses a multi-sweep file unless
``sweep=`` says which one (fitting several sweeps as one spectrum gives a wrong answer).

**Numbers.** Every value must be a finite number and every frequency positive; a file cut off
inside a number (``-4.6e-3`` -> ``-4.6``) is refused naming the line
(:func:`assb_model.textfiles.truncated_last_line`). Text may be UTF-8, UTF-16 or
Windows-1252.

Sign convention: returned impedances have a negative imaginary part for a capacitive
response. A column whose name starts with ``-`` is negated; afterwards, if most imaginary
values in the lower-frequency half of the spectrum are still positive, the file is taken
to store :math:`-Z''` and the sign is flipped (``imag_convention="auto"``; pass ``"z"`` or
``"minus_z"`` to force it). Every problem raises :class:`SpectrumFileError` whose message
names the file, the problem and, where relevant, the column and line.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from assb_model.errors import UserError
from assb_model.textfiles import (
    FORMAT_LINES,
    BinaryContentError,
    decode_text,
    truncated_last_line,
)

__all__ = [
    "Spectrum",
    "SpectrumFileError",
    "detect_instrument",
    "format_eng",
    "is_spectrum_header",
    "read_biologic_mpr",
    "read_delimited",
    "read_spectra",
    "read_spectrum",
    "read_zview",
    "sweep_starts",
    "write_spectrum_csv",
]

ImagConvention = Literal["auto", "z", "minus_z"]

_FREQ = {"f", "freq", "frequency", "freqhz", "frequencyhz"}
_REAL = {"z'", "zreal", "re(z)", "zre", "real", "re", "zr", "z1", "zprime", "realz"}
_IMAG = {"z''", 'z"', "zimag", "im(z)", "zim", "imag", "im", "zi", "z2", "zdoubleprime", "imagz"}
_UNIT_PAREN = re.compile(r"\((hz|ohm|ohms|ω|a|b|s|deg)\)$")
_SWEEP_COLUMNS = {"cyclenumber", "cycle", "sweep", "sweepnumber"}

#: impedance.py instrument names and what they read.
IMPEDANCE_PY_READERS = {
    "gamry": "Gamry .DTA",
    "versastudio": "VersaStudio .par",
    "autolab": "Autolab / ZView text",
    "zplot": "ZPlot .z",
    "chinstruments": "CH Instruments text",
    "parstat": "Parstat text",
    "powersuite": "PowerSuite text",
}


class SpectrumFileError(UserError, ValueError):
    """A spectrum file is missing, malformed or contains invalid values."""


@dataclass(frozen=True)
class Spectrum:
    """An impedance spectrum (one sweep) read from a file.

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
    sweep, n_sweeps : int
        This sweep's number (from 1) and the number of sweeps in the file.
    reader : str
        Which reader read the file (e.g. ``"delimited text"``, ``"impedance.py gamry"``).
    """

    frequency: NDArray[np.float64]
    impedance: NDArray[np.complex128]
    source: str = ""
    notes: tuple[str, ...] = field(default=())
    sweep: int = 1
    n_sweeps: int = 1
    reader: str = ""

    def __iter__(self) -> Iterator[NDArray]:
        yield self.frequency
        yield self.impedance

    def __len__(self) -> int:
        return self.frequency.size


def _error(path: Path | str, problem: str) -> SpectrumFileError:
    return SpectrumFileError(f"{path}: {problem}")


# ---------------------------------------------------------------------------------------
# Engineering notation (used by the text outputs)
# ---------------------------------------------------------------------------------------
_PREFIXES = {-15: "f", -12: "p", -9: "n", -6: "µ", -3: "m", 0: "", 3: "k", 6: "M", 9: "G"}


def format_eng(value: float, unit: str, digits: int = 4) -> str:
    """``value`` in engineering notation with an SI prefix: ``0.0123, "Ω"`` -> ``"12.3 mΩ"``.

    Parameters
    ----------
    value : float
        The number in the base unit.
    unit : str
        The base unit (``"Ω"``, ``"F"``, ``"s"``, ``"Hz"``...).
    digits : int, optional
        Significant digits.

    Returns
    -------
    str
        E.g. ``"4.56 µF"``, ``"171.6 Ω"``, ``"nan Ω"``; values beyond the prefixes (below
        1e-15 or from 1e12) fall back to ``"1.2e-18 F"``.
    """
    if not math.isfinite(value):
        return f"{value} {unit}".strip()
    if value == 0:
        return f"0 {unit}".strip()
    exponent = int(math.floor(math.log10(abs(value)) / 3) * 3)
    scaled = value / 10.0**exponent
    if float(f"{abs(scaled):.{digits}g}") >= 1000:  # rounding to 1000.0 moves up a prefix
        exponent += 3
        scaled /= 1000
    if exponent not in _PREFIXES:
        return f"{value:.{digits}g} {unit}".strip()
    return f"{scaled:.{digits}g} {_PREFIXES[exponent]}{unit}".strip()


# ---------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------
def _canonical(name: str) -> tuple[str | None, bool]:
    """Classify a column name as ``"f"``, ``"re"``, ``"im"``, ``"sweep"`` or ``None``; and
    negated?"""
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
    if s in _SWEEP_COLUMNS:
        return "sweep", False
    return None, neg


def is_spectrum_header(cells: list[str], require_frequency: bool = True) -> bool:
    """Whether header cells name a frequency (unless not required), a real-part and an
    imaginary-part column."""
    kinds = {_canonical(str(c))[0] for c in cells}
    return ({"re", "im"} | ({"f"} if require_frequency else set())) <= kinds


def _read_text(path: Path) -> tuple[str, str]:
    """The decoded text of a file and its encoding."""
    if not path.exists():
        raise _error(path, "file not found")
    if path.is_dir():
        raise _error(path, "is a directory, not a spectrum file")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise _error(path, f"cannot read file: {err.strerror or err}") from err
    try:
        return decode_text(raw)
    except BinaryContentError as err:
        raise _error(path, f"{err}; see docs/eis.md for the spectrum formats") from None


def _read_lines(path: Path) -> tuple[list[str], bool]:
    """Lines of a text file and whether it ends with a line break."""
    text, _ = _read_text(path)
    return text.splitlines(), text.endswith(("\n", "\r"))


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


def _check_cut(path: Path, body: list[tuple[int, str]], delimiter, complete: bool) -> None:
    tail = [(n, _split(line, delimiter)) for n, line in body[-(FORMAT_LINES + 1) :]]
    problem = truncated_last_line(tail, complete)
    if problem is not None:
        raise _error(path, problem)


def _parse_table(
    path: Path,
    lines: list[tuple[int, str]],
    columns: tuple[int, int, int] | None,
    complete: bool = True,
) -> tuple[NDArray, NDArray, NDArray, NDArray | None, list[str]]:
    """Parse numbered lines into (f, Z', Z'', sweep labels or None); the first line may
    be a header."""
    if not lines:
        raise _error(path, "contains no data rows")
    delimiter = _guess_delimiter(lines[0][1])
    first = _split(lines[0][1], delimiter)
    notes: list[str] = []

    def is_number(tok: str) -> bool:
        try:
            _to_float(tok, delimiter not in (",", None))
        except ValueError:
            return False
        return True

    negate = False
    sweep_col = None
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
        sweep_col = found["sweep"][0] if "sweep" in found else None
        negate = found["im"][1]
        if negate:
            notes.append(f"column {first[cols[2]]!r} holds -Z''; negated")
        body = lines[1:]
    if not body:
        raise _error(path, "contains no data rows")
    decimal_comma = delimiter not in (",", None) and any(
        "," in tok for tok in _split(body[0][1], delimiter)
    )
    _check_cut(path, body, delimiter, complete)
    names = ("frequency", "Z'", "Z''")
    wanted = (*cols, sweep_col) if sweep_col is not None else cols
    data = np.empty((len(body), len(wanted)))
    for r, (lineno, line) in enumerate(body):
        tokens = _split(line, delimiter)
        if len(tokens) <= max(wanted):
            raise _error(
                path, f"line {lineno} has {len(tokens)} fields, expected {max(wanted) + 1}"
            )
        for c, col in enumerate(wanted):
            try:
                data[r, c] = _to_float(tokens[col], decimal_comma)
            except ValueError:
                label = names[c] if c < 3 else repr(first[col])
                raise _error(
                    path, f"line {lineno}, column {label}: {tokens[col]!r} is not a number"
                ) from None
    linenos = [n for n, _ in body]
    _validate(path, data[:, :3], linenos)
    im = -data[:, 2] if negate else data[:, 2]
    sweeps = data[:, 3] if sweep_col is not None else None
    return data[:, 0], data[:, 1], im, sweeps, notes


def _validate(path: Path, data: NDArray, linenos: list[int], what: str = "line") -> None:
    names = ("frequency", "Z'", "Z''")
    for c, name in enumerate(names):
        bad = np.flatnonzero(~np.isfinite(data[:, c]))
        if bad.size:
            raise _error(
                path,
                f"column {name} has a missing/NaN/infinite value at {what} {linenos[bad[0]]}"
                + (f" (and {bad.size - 1} more)" if bad.size > 1 else ""),
            )
    bad = np.flatnonzero(data[:, 0] <= 0)
    if bad.size:
        raise _error(
            path,
            f"column frequency has a non-positive value ({data[bad[0], 0]:g}) at {what} "
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


# ---------------------------------------------------------------------------------------
# Sweeps
# ---------------------------------------------------------------------------------------
def sweep_starts(f: ArrayLike, labels: ArrayLike | None = None) -> NDArray[np.int64]:
    """Indices where a new sweep begins (always including 0).

    With ``labels`` (a file's ``cycle number`` column), a sweep starts wherever the label
    changes. Otherwise the sweep direction is the sign of the median step of
    :math:`\\log f`; a new sweep starts where the frequency steps against that direction by
    more than half of the range the current sweep has covered so far (a restart, not a
    repeated point).

    Parameters
    ----------
    f : array_like
        Frequencies in file order.
    labels : array_like, optional
        Sweep labels per point.

    Returns
    -------
    numpy.ndarray
        Start indices, increasing, first 0.
    """
    f = np.asarray(f, dtype=float)
    if f.size == 0:
        return np.array([0])
    if labels is not None:
        lab = np.asarray(labels)
        return np.concatenate(([0], np.flatnonzero(lab[1:] != lab[:-1]) + 1))
    logf = np.log10(f)
    step = np.diff(logf)
    direction = np.sign(np.median(step)) if step.size else 0.0
    starts = [0]
    if direction == 0:
        return np.array(starts)
    for k, d in enumerate(step, start=1):
        covered = abs(logf[k - 1] - logf[starts[-1]])
        if np.sign(d) == -direction and abs(d) > 0.5 * covered and covered > 0:
            starts.append(k)
    return np.array(starts)


def _split_sweeps(
    path: Path,
    f: NDArray,
    Z: NDArray,
    labels: NDArray | None,
    notes: list[str],
    reader: str,
    imag_convention: ImagConvention,
    im_raw: NDArray | None = None,
) -> list[Spectrum]:
    starts = sweep_starts(f, labels if labels is not None and np.unique(labels).size > 1 else None)
    ends = np.concatenate((starts[1:], [f.size]))
    n = len(starts)
    out = []
    for k, (a, b) in enumerate(zip(starts, ends, strict=True), start=1):
        sweep_notes = list(notes)
        im = Z.imag[a:b] if im_raw is None else im_raw[a:b]
        im = _apply_convention(f[a:b], im, imag_convention, sweep_notes)
        out.append(
            Spectrum(
                f[a:b].copy(),
                Z.real[a:b] + 1j * im,
                str(path),
                tuple(sweep_notes),
                sweep=k,
                n_sweeps=n,
                reader=reader,
            )
        )
    return out


# ---------------------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------------------
def _delimited_spectra(path: Path, imag_convention: ImagConvention) -> list[Spectrum]:
    lines, complete = _read_lines(path)
    start = 0
    if lines and lines[0].strip().upper().startswith("EC-LAB ASCII FILE"):
        m = next((re.search(r"(\d+)", ln) for ln in lines[:5] if "header lines" in ln), None)
        start = int(m.group(1)) - 1 if m else 0
    f, re_, im, sweeps, notes = _parse_table(path, _numbered(lines, start), None, complete)
    reader = "BioLogic EC-Lab text (.mpt)" if start else "delimited text"
    return _split_sweeps(path, f, re_ + 0j, sweeps, notes, reader, imag_convention, im_raw=im)


def read_delimited(path: str | Path, *, imag_convention: ImagConvention = "auto") -> Spectrum:
    """Read a CSV/TSV/whitespace table (or a BioLogic ``.mpt`` export) holding one sweep.

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
        impedance, a cut-off last line, no data rows, or several sweeps.
    """
    return _one(Path(path), _delimited_spectra(Path(path), imag_convention), None)


def _zview_spectra(path: Path, imag_convention: ImagConvention) -> list[Spectrum]:
    lines, complete = _read_lines(path)
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
    f, re_, im, _, notes = _parse_table(path, body, cols, complete)
    return _split_sweeps(path, f, re_ + 0j, None, notes, "ZView .z", imag_convention, im_raw=im)


def read_zview(path: str | Path, *, imag_convention: ImagConvention = "auto") -> Spectrum:
    """Read a ZView/ZPlot ``.z`` file holding one sweep.

    Data start after the ``End Comments`` line (or after a ``Freq(Hz)`` header line); rows
    with at least six fields follow the ZPlot layout (frequency, amplitude, bias, time,
    Z', Z'', ...), rows with three fields are ``f, Z', Z''``.
    """
    return _one(Path(path), _zview_spectra(Path(path), imag_convention), None)


def _mpr_spectra(path: Path) -> list[Spectrum]:
    try:
        from galvani import BioLogic
    except ImportError as err:
        raise _error(
            path, "reading .mpr files needs the optional 'galvani' package (pip install galvani)"
        ) from err
    if not path.exists():
        raise _error(path, "file not found")
    try:
        with open(path, "rb") as handle:  # a file object: galvani leaves paths it opens open
            data = BioLogic.MPRfile(handle).data
    except Exception as err:  # galvani raises many kinds of errors on bad files
        message = " ".join(str(err).split())  # galvani's messages span several lines
        raise _error(path, f"not a readable BioLogic .mpr file ({message})") from err
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
    _validate(path, table, list(np.flatnonzero(keep) + 1), what="data record")
    labels = np.asarray(data["cycle number"])[keep] if "cycle number" in fields else None
    Z = table[:, 1] + 1j * table[:, 2]
    return _split_sweeps(path, table[:, 0], Z, labels, [], "BioLogic .mpr (galvani)", "z")


def read_biologic_mpr(path: str | Path) -> Spectrum:
    """Read a BioLogic ``.mpr`` impedance file holding one sweep, with ``galvani``
    (optional dependency).

    Rows with zero frequency (non-impedance records) are dropped. BioLogic stores
    :math:`-\\mathrm{Im}(Z)`, which is negated.
    """
    return _one(Path(path), _mpr_spectra(Path(path)), None)


def detect_instrument(path: str | Path, text: str | None = None) -> str | None:
    """The impedance.py reader for a file, from its suffix and first lines, or ``None``.

    Returns one of :data:`IMPEDANCE_PY_READERS` (``"gamry"``, ``"versastudio"``,
    ``"autolab"``, ``"zplot"``, ``"chinstruments"``, ``"parstat"``, ``"powersuite"``) for
    the layouts this module does not read itself; ``None`` for delimited text, ``.z``
    files with an ``End Comments`` line, ``.mpt`` and ``.mpr``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".mpr":
        return None
    if text is None:
        text, _ = _read_text(path)
    head = text[:20000]
    lines = [ln.strip().strip('"').strip() for ln in head.splitlines()[:200]]
    first = lines[0] if lines else ""
    if suffix == ".dta" or (first.upper() == "EXPLAIN" and "ZCURVE" in head):
        return "gamry"
    if suffix == ".par" or ("<Application>" in head and "VersaStudio" in head):
        return "versastudio"
    if suffix == ".z":
        return None if "end comments" in head.lower() else "zplot"
    if any(line.startswith("Freq/Hz") for line in lines) and "Impedance" in head:
        return "chinstruments"
    tokens = [t.strip().lower() for t in re.split(r"\t|,", first)]
    if "frequency (hz)" in tokens and "zre (ohms)" in tokens:
        return "parstat"
    if tokens[:3] == ["frequency", "zre", "zimg"]:
        return "powersuite"
    if first.startswith(("Z60W Data File", "ZPlotW Data File")):
        return "autolab" if not any(ln.startswith("Freq(Hz)") for ln in lines) else "zplot"
    return None


def _impedance_py_spectra(
    path: Path, instrument: str, text: str, encoding: str, imag_convention: ImagConvention
) -> list[Spectrum]:
    try:
        from impedance.preprocessing import readFile
    except ImportError as err:
        raise _error(
            path,
            f"reading {IMPEDANCE_PY_READERS[instrument]} files needs the optional package "
            "impedance.py (pip install impedance, or pip install assb-model[data])",
        ) from err
    lines = text.splitlines()
    body = [(i, ln) for i, ln in enumerate(lines, start=1) if ln.strip()]
    numeric = [(i, ln) for i, ln in body if re.match(r"^\s*[-+]?[\d.]", ln)]
    if numeric and numeric[-1] == body[-1]:
        delimiter = "," if "," in numeric[-1][1] and instrument != "gamry" else None
        _check_cut(path, numeric, delimiter, text.endswith(("\n", "\r")))
    source = path
    tmp = None
    if encoding not in ("utf-8", "cp1252", "latin-1"):  # impedance.py opens files itself
        tmp = tempfile.NamedTemporaryFile("w", suffix=path.suffix, delete=False, encoding="utf-8")
        tmp.write(text)
        tmp.close()
        source = Path(tmp.name)
    try:
        f, Z = readFile(str(source), instrument=instrument)
    except ValueError as err:
        raise _error(path, _locate(str(err), lines, instrument)) from None
    except Exception as err:  # IndexError, AssertionError, UnboundLocalError...
        raise _error(
            path,
            f"impedance.py's {instrument} reader could not read it "
            f"({type(err).__name__}: {err}); is it a {IMPEDANCE_PY_READERS[instrument]} file?",
        ) from None
    finally:
        if tmp is not None:
            Path(tmp.name).unlink(missing_ok=True)
    f = np.asarray(f, dtype=float)
    Z = np.asarray(Z, dtype=complex)
    if f.size == 0:
        raise _error(path, f"no impedance data found by impedance.py's {instrument} reader")
    _validate(path, np.column_stack([f, Z.real, Z.imag]), list(range(1, f.size + 1)), "point")
    reader = f"impedance.py {instrument} ({IMPEDANCE_PY_READERS[instrument]})"
    return _split_sweeps(path, f, Z, None, [], reader, imag_convention)


def _locate(message: str, lines: list[str], instrument: str) -> str:
    """Turn ``could not convert string to float: 'abc'`` into a message naming the line."""
    match = re.search(r"could not convert string to float: '(.*)'", message)
    if match:
        token = match.group(1).strip()
        for number, line in enumerate(lines, start=1):
            if token and token in re.split(r"[\s,;]+", line.strip()):
                return f"line {number}: {token!r} is not a number"
        if not token:
            return f"an empty field where impedance.py's {instrument} reader expects a number"
        return f"{token!r} is not a number"
    return f"impedance.py's {instrument} reader failed: {message}"


def read_spectra(path: str | Path, *, imag_convention: ImagConvention = "auto") -> list[Spectrum]:
    """Read every sweep of a spectrum file (see the module docstring for formats).

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    imag_convention : {"auto", "z", "minus_z"}, optional
        How the imaginary part is signed (ignored for ``.mpr``, whose convention is known).

    Returns
    -------
    list of Spectrum
        One per sweep, in file order.

    Raises
    ------
    SpectrumFileError
        With one message naming the file, the problem and, where it applies, the line.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".mpr":
        return _mpr_spectra(path)
    text, encoding = _read_text(path)
    if not text.strip():
        raise _error(path, "contains no data rows")
    instrument = detect_instrument(path, text)
    if instrument is not None:
        return _impedance_py_spectra(path, instrument, text, encoding, imag_convention)
    if suffix == ".z":
        return _zview_spectra(path, imag_convention)
    return _delimited_spectra(path, imag_convention)


def _one(path: Path, spectra: list[Spectrum], sweep: int | None) -> Spectrum:
    n = len(spectra)
    if sweep is None:
        if n == 1:
            return spectra[0]
        sizes = ", ".join(str(len(s)) for s in spectra)
        raise _error(
            path,
            f"holds {n} sweeps ({sizes} points); choose one with sweep=N (1-{n}; CLI "
            "--sweep N) or read them all with read_spectra",
        )
    if not 1 <= sweep <= n:
        raise _error(path, f"has {n} sweep{'s' if n > 1 else ''}; sweep {sweep} does not exist")
    return spectra[sweep - 1]


def read_spectrum(
    path: str | Path, *, imag_convention: ImagConvention = "auto", sweep: int | None = None
) -> Spectrum:
    """Read one sweep of a spectrum file, choosing the reader from the suffix and content.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    imag_convention : {"auto", "z", "minus_z"}, optional
        How the imaginary part is signed.
    sweep : int, optional
        Which sweep (from 1) of a multi-sweep file; required when the file has several.

    Returns
    -------
    Spectrum

    Raises
    ------
    SpectrumFileError
        As :func:`read_spectra`, and for a multi-sweep file without ``sweep=``.
    """
    return _one(Path(path), read_spectra(path, imag_convention=imag_convention), sweep)


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
