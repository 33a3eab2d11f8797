"""What the project reads from a file, before any model runs (``assb data FILE``).

:func:`describe_file` decides whether a file is cycling data or an impedance spectrum, reads
it with :func:`assb_model.data.load_cycling` or :func:`assb_model.ecm.io.read_spectra` and
returns a JSON-ready dictionary: the format, the columns used with their units, the current
sign convention and the evidence for it, per-cycle and total charge and discharge capacity
(cycling) or the sweeps with their points and frequency range (impedance), and every
warning. :func:`format_description` turns it into the text ``assb data`` prints.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from assb_model.data.columns import looks_like_impedance
from assb_model.data.errors import data_error
from assb_model.data.readers import DELIMITERS, HEADER_SEARCH_ROWS, read_mpr_records
from assb_model.textfiles import BinaryContentError, decode_text

#: Suffixes that only hold impedance spectra.
IMPEDANCE_SUFFIXES = {".z", ".dta", ".par"}


def file_kind(path: str | Path) -> str:
    """``"impedance"`` or ``"cycling"``, from the suffix and the column headers.

    Raises
    ------
    CyclingDataError
        If the file does not exist or cannot be read at all.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        reason = "no such file" if not path.exists() else "not a regular file"
        raise data_error(path, f"cannot read file: {reason}")
    if suffix in IMPEDANCE_SUFFIXES:
        return "impedance"
    if suffix == ".mpr":
        names = read_mpr_records(path).dtype.names or ()
        return "impedance" if "freq/Hz" in names else "cycling"
    if suffix in {".xlsx", ".xlsm", ".xls", ".nda", ".ndax", ".res"}:
        return "cycling"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise data_error(path, f"cannot read file: {exc.strerror or exc}") from exc
    try:
        text, _ = decode_text(raw)
    except BinaryContentError:
        return "cycling"  # the cycling reader reports binary content
    from assb_model.ecm.io import detect_instrument

    if detect_instrument(path, text) is not None:
        return "impedance"
    for line in text.splitlines()[:HEADER_SEARCH_ROWS]:
        for delimiter in (*DELIMITERS, None):
            if delimiter is not None and delimiter not in line:
                continue
            cells = line.split(delimiter) if delimiter else line.split()
            if len(cells) >= 3 and looks_like_impedance(cells):
                return "impedance"
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if lines and _three_numbers(lines[0]):
        return "impedance"  # a header-less f, Z', Z'' table (the spectrum reader's format)
    return "cycling"


def _three_numbers(line: str) -> bool:
    cells = [c for c in re.split(r"[\s,;]+", line.strip()) if c]
    try:
        [float(c) for c in cells]
    except ValueError:
        return False
    return len(cells) == 3


def describe_file(
    path: str | Path, *, sweep: int | None = None, **load_kwargs: Any
) -> dict[str, Any]:
    """Read a file as the project would and say what was read.

    Parameters
    ----------
    path : str or pathlib.Path
        A cycling file (any format of :func:`assb_model.data.load_cycling`) or an impedance
        spectrum (any format of :func:`assb_model.ecm.io.read_spectra`).
    sweep : int, optional
        Impedance files: report only this sweep (from 1).
    **load_kwargs
        Cycling files: passed to :func:`~assb_model.data.load_cycling` (``current_sign=``,
        ``columns=``, units...).

    Returns
    -------
    dict
        ``kind`` (``"cycling"`` or ``"impedance"``), ``file``, ``format``, ``warnings``...
        Cycling: ``columns``, ``current``, ``rest_current_A``, ``capacities``,
        ``capacity_checks``, ``glitches``, ``cycles`` (each ``{"cycle", "charge_mAh",
        "discharge_mAh"}``), ``total_charge_mAh``, ``total_discharge_mAh``. Impedance:
        ``n_sweeps`` and ``spectra`` (each ``{"sweep", "points", "frequency_min_Hz",
        "frequency_max_Hz", "notes"}``).

    Raises
    ------
    CyclingDataError or assb_model.ecm.io.SpectrumFileError
        For a file that cannot be read right; one message naming the file and the reason.
    """
    path = Path(path)
    kind = file_kind(path)
    if kind == "impedance":
        if load_kwargs:
            raise data_error(
                path,
                f"{', '.join(sorted(load_kwargs))} apply to cycling files; this is an "
                "impedance spectrum",
            )
        return _describe_impedance(path, sweep)
    if sweep is not None:
        raise data_error(path, "--sweep applies to impedance files; this is cycling data")
    return _describe_cycling(path, load_kwargs)


def _describe_impedance(path: Path, sweep: int | None) -> dict[str, Any]:
    from assb_model.ecm.io import SpectrumFileError, read_spectra

    spectra = read_spectra(path)
    if sweep is not None:
        if not 1 <= sweep <= len(spectra):
            n = len(spectra)
            raise SpectrumFileError(
                f"{path}: has {n} sweep{'s' if n > 1 else ''}; sweep {sweep} does not exist"
            )
        chosen = [spectra[sweep - 1]]
    else:
        chosen = spectra
    return {
        "file": str(path),
        "kind": "impedance",
        "format": spectra[0].reader,
        "n_sweeps": len(spectra),
        "spectra": [
            {
                "sweep": s.sweep,
                "points": len(s),
                "frequency_min_Hz": float(s.frequency.min()),
                "frequency_max_Hz": float(s.frequency.max()),
                "notes": list(s.notes),
            }
            for s in chosen
        ],
        "warnings": [],
    }


def _describe_cycling(path: Path, load_kwargs: dict[str, Any]) -> dict[str, Any]:
    from assb_model.data.loaders import load_cycling
    from assb_model.data.summary import cycle_summary

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = load_cycling(path, **load_kwargs)
        summary = cycle_summary(df)
    prefix = f"{path}: "
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    messages = [m[len(prefix) :] if m.startswith(prefix) else m for m in messages]
    attrs = df.attrs
    units = attrs["units"]
    columns = {
        q: {"header": header, "unit": units.get(q)} for q, header in attrs["columns"].items()
    }
    cycles = [
        {
            "cycle": int(row["cycle"]),
            "charge_mAh": float(row["charge_capacity_mAh"]),
            "discharge_mAh": float(row["discharge_capacity_mAh"]),
        }
        for _, row in summary.iterrows()
    ]
    return {
        "file": str(path),
        "kind": "cycling",
        "format": attrs.get("format"),
        "instrument": attrs.get("instrument"),
        "rows": len(df),
        "columns": columns,
        "current": {
            "origin": attrs["current_origin"],
            "file_convention": attrs["current_sign"],
            "convention_source": attrs["current_sign_source"],
            "evidence": attrs["sign_evidence"],
            "voltage_agreements": attrs["voltage_agreements"],
            "tidy_convention": attrs["current_convention"],
        },
        "rest_current_A": attrs["rest_current_A"],
        "rest_current_source": attrs["rest_current_source"],
        "cycle_source": attrs["cycle_source"],
        "capacities": attrs["capacity_source"],
        "integration_rule": attrs["integration_rule"],
        "capacity_checks": attrs["capacity_checks"],
        "glitches": attrs["glitches"],
        "cycles": cycles,
        "total_charge_mAh": float(sum(c["charge_mAh"] for c in cycles)),
        "total_discharge_mAh": float(sum(c["discharge_mAh"] for c in cycles)),
        "notes": [n for n in attrs["notes"] if n not in messages],
        "warnings": messages,
    }


def format_description(desc: dict[str, Any]) -> str:
    """The text ``assb data`` prints for a :func:`describe_file` result."""
    from assb_model.ecm.io import format_eng

    lines = []
    if desc["kind"] == "impedance":
        lines.append(
            f"file: {desc['file']} ({desc['format']}), kind: impedance, "
            f"{desc['n_sweeps']} sweep{'s' if desc['n_sweeps'] > 1 else ''}"
        )
        lines.append(f"{'sweep':>5}  {'points':>6}  {'f_min':>10}  {'f_max':>10}")
        for s in desc["spectra"]:
            lines.append(
                f"{s['sweep']:>5}  {s['points']:>6}  {format_eng(s['frequency_min_Hz'], 'Hz'):>10}"
                f"  {format_eng(s['frequency_max_Hz'], 'Hz'):>10}"
            )
        notes = dict.fromkeys(n for s in desc["spectra"] for n in s["notes"])
        lines += [f"note: {n}" for n in notes]
        return "\n".join(lines)

    lines.append(f"file: {desc['file']} ({desc['format']}), kind: cycling, {desc['rows']} rows")
    used = ", ".join(
        f"{q} {c['header']!r}" + (f" [{c['unit']}]" if c["unit"] else "")
        for q, c in desc["columns"].items()
    )
    lines.append(f"columns: {used}")
    current = desc["current"]
    lines.append(f"current: {current['origin']}")
    lines.append(
        f"sign: the file is {current['file_convention']} ({current['convention_source']}: "
        f"{current['evidence']}); tidy data: {current['tidy_convention']}"
    )
    lines.append(
        f"rest: |I| <= {format_eng(desc['rest_current_A'], 'A')} ({desc['rest_current_source']})"
    )
    lines.append(f"cycles: {desc['cycle_source']}")
    lines.append(f"capacities: {desc['capacities']}")
    for check in desc["capacity_checks"]:
        verdict = "agrees" if check["agrees"] else "DISAGREES"
        lines.append(
            f"check: {check['column']} ({check['kind']}) {verdict} with the integrated "
            f"current ({100 * check['relative_difference']:.3g} % of the throughput)"
        )
    lines.append(f"{'cycle':>5}  {'charge [mAh]':>13}  {'discharge [mAh]':>15}")
    for c in desc["cycles"]:
        lines.append(f"{c['cycle']:>5}  {c['charge_mAh']:>13.6g}  {c['discharge_mAh']:>15.6g}")
    lines.append(
        f"{'total':>5}  {desc['total_charge_mAh']:>13.6g}  {desc['total_discharge_mAh']:>15.6g}"
    )
    lines += [f"note: {n}" for n in desc["notes"]]
    lines += [f"warning: {w}" for w in desc["warnings"]]
    return "\n".join(lines)


def json_ready(value: Any) -> Any:
    """NumPy scalars as Python numbers, NaN and infinities as ``None``."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, np.bool_):
        return bool(value)
    return value
