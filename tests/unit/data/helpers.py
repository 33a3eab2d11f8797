"""Synthetic cycling data and file writers shared by the data-loader tests."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

#: (time factor to s, current factor to A) for the unit labels used in headers.
TIME_FACTORS = {"s": 1.0, "min": 60.0, "h": 3600.0}
CURRENT_FACTORS = {"A": 1.0, "mA": 1e-3, "µA": 1e-6, "uA": 1e-6}
CAPACITY_FACTORS = {"Ah": 1e3, "mAh": 1.0}  # to mAh

#: Header styles: (time, current, voltage) templates taking the unit.
HEADER_STYLES = {
    "brackets": ("Time [{}]", "Current [{}]", "Voltage [{}]"),
    "parentheses": ("Test Time ({})", "Current ({})", "Potential ({})"),
    "slash": ("time/{}", "<I>/{}", "Ecell/{}"),
    "short": ("t [{}]", "I/{}", "Ewe/{}"),
    "underscore": ("test_time_{}", "current_{}", "voltage_{}"),
}


def cc_protocol(
    n_cycles: int = 2,
    charge_A: float = 1e-4,
    discharge_A: float = 1e-4,
    charge_s: float = 36000.0,
    discharge_s: float = 36000.0,
    rest_s: float = 600.0,
    start_with_rest: bool = True,
) -> list[tuple[str, float, float]]:
    """Steps ``(kind, current [A] discharge-positive, duration [s])`` of CC cycling."""
    steps: list[tuple[str, float, float]] = []
    if start_with_rest and rest_s > 0:
        steps.append(("rest", 0.0, rest_s))
    for _ in range(n_cycles):
        steps.append(("charge", -charge_A, charge_s))
        if rest_s > 0:
            steps.append(("rest", 0.0, rest_s))
        steps.append(("discharge", discharge_A, discharge_s))
        if rest_s > 0:
            steps.append(("rest", 0.0, rest_s))
    return steps


def synthesize(
    steps: Sequence[tuple[str, float, float]],
    points: int = 11,
    v_low: float = 2.0,
    v_high: float = 3.8,
) -> pd.DataFrame:
    """Rows of ``time_s``, ``current_A`` (discharge-positive) and ``voltage_V``.

    Each step gets ``points`` rows from its start to its end time (so consecutive steps share
    a time stamp); charge ramps the voltage up, discharge down, rest holds it.
    """
    t, v = 0.0, (v_low + v_high) / 2
    rows = []
    for kind, current, duration in steps:
        times = np.linspace(t, t + duration, points)
        if kind == "charge":
            volts = np.linspace(v + 0.05, v_high, points)
        elif kind == "discharge":
            volts = np.linspace(v - 0.05, v_low, points)
        else:
            volts = np.full(points, v)
        rows += [(a, current, b) for a, b in zip(times, volts, strict=True)]
        t, v = t + duration, volts[-1]
    return pd.DataFrame(rows, columns=["time_s", "current_A", "voltage_V"])


def to_file_frame(
    data: pd.DataFrame,
    *,
    style: str = "brackets",
    time_unit: str = "s",
    current_unit: str = "A",
    charge_positive: bool = True,
) -> pd.DataFrame:
    """The synthetic data in file units and sign, with headers in the given style."""
    time_h, current_h, voltage_h = (
        template.format(unit)
        for template, unit in zip(HEADER_STYLES[style], (time_unit, current_unit, "V"), strict=True)
    )
    sign = -1.0 if charge_positive else 1.0
    return pd.DataFrame(
        {
            time_h: data["time_s"] / TIME_FACTORS[time_unit],
            current_h: sign * data["current_A"] / CURRENT_FACTORS[current_unit],
            voltage_h: data["voltage_V"],
        }
    )


def write_delimited(
    frame: pd.DataFrame,
    path: Path,
    delimiter: str = ",",
    decimal: str = ".",
    preamble: Sequence[str] = (),
) -> Path:
    """Write ``frame`` with full float precision (``repr``) and optional preamble lines."""
    lines = [*preamble, delimiter.join(frame.columns)]
    for row in frame.itertuples(index=False):
        cells = [repr(float(x)) if isinstance(x, float | np.floating) else str(x) for x in row]
        if decimal != ".":
            cells = [c.replace(".", decimal) for c in cells]
        lines.append(delimiter.join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_xlsx(sheets: dict[str, pd.DataFrame | list[list[object]]], path: Path) -> Path:
    """Write sheets (DataFrames with headers, or raw row lists) with openpyxl."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, content in sheets.items():
        sheet = workbook.create_sheet(name)
        if isinstance(content, pd.DataFrame):
            sheet.append(list(content.columns))
            for row in content.itertuples(index=False):
                sheet.append([x.item() if hasattr(x, "item") else x for x in row])
        else:
            for row in content:
                sheet.append(row)
    workbook.save(path)
    return path


def write_mpr(path: Path, columns: dict[int, np.ndarray]) -> Path:
    """A minimal BioLogic .mpr (settings + version-2 data module) that galvani can read.

    ``columns`` maps galvani column IDs (4 time/s, 6 Ewe/V, 8 I/mA, 24 cycle number...) to
    values; galvani's own table gives each ID's dtype.
    """
    from galvani import BioLogic

    ids = list(columns)
    dtype, _ = BioLogic.VMPdata_dtype_from_colIDs(ids)
    n = len(next(iter(columns.values())))
    records = np.zeros(n, dtype=dtype)
    for col_id, values in columns.items():
        records[BioLogic.VMPdata_colID_dtype_map[col_id][0]] = values
    header = struct.pack("<IB", n, len(ids)) + struct.pack(f"<{len(ids)}H", *ids)
    data = header.ljust(405, b"\x00") + records.tobytes()

    def module(shortname: bytes, payload: bytes, version: int) -> bytes:
        hdr = np.zeros(1, dtype=BioLogic.VMPmodule_hdr_v1)
        hdr["shortname"] = shortname.ljust(10)
        hdr["longname"] = shortname.ljust(25)
        hdr["length"] = len(payload)
        hdr["version"] = version
        hdr["date"] = b"01/02/21"
        return b"MODULE" + hdr.tobytes() + payload

    path.write_bytes(
        BioLogic.MPR_MAGIC + module(b"VMP Set", b"\x00" * 16, 0) + module(b"VMP data", data, 2)
    )
    return path
