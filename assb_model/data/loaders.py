"""Load measured cycling data into one tidy, validated DataFrame.

.. important::
   ``current_A`` follows the **PyBaMM convention: positive current = discharge**, negative =
   charge. Most cyclers (BioLogic, Arbin, Neware, Maccor exports) write the opposite; the
   loader detects the file's convention from the data (see
   :func:`assb_model.data.segmentation.detect_current_sign`) or takes it from
   ``current_sign=``, and flips the sign when needed.

See ``docs/data.md`` for the formats, the column-name mapping and the error messages.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from assb_model.data.cells import convert_columns, looks_like_clock, uses_decimal_comma
from assb_model.data.columns import (
    CLOCK_TIME,
    REQUIRED,
    UNIT_KIND,
    ColumnChoice,
    is_clock_unit,
    known_units,
    match_columns,
    unit_factor,
)
from assb_model.data.errors import CyclingDataError, data_error
from assb_model.data.readers import RawTable, read_table
from assb_model.data.segmentation import (
    SIGN_CONVENTIONS,
    ChargeSign,
    CycleStart,
    classify_modes,
    cumulative_within_cycles,
    default_rest_current,
    detect_current_sign,
    first_decrease,
    integrated_counters,
    number_cycles,
    number_steps,
)

#: Columns of the DataFrame returned by :func:`load_cycling` (per-gram ones only with a mass).
TIDY_COLUMNS = (
    "time_s",
    "current_A",
    "voltage_V",
    "cycle",
    "step",
    "step_type",
    "charge_capacity_mAh",
    "discharge_capacity_mAh",
)
PER_GRAM_COLUMNS = ("charge_capacity_mAh_per_g", "discharge_capacity_mAh_per_g")

#: Largest plausible cell voltage when a header has no voltage unit (volts are assumed).
MAX_ASSUMED_VOLTS = 20.0


@dataclass(frozen=True)
class _Unit:
    """A resolved unit: factor to the target unit (``None`` for clock strings)."""

    factor: float | None
    label: str
    source: str  # "header", "argument", "assumed" (volts) or "values" (clock strings)


def load_cycling(
    path: str | Path,
    *,
    columns: Mapping[str, str | None] | None = None,
    current_unit: str | None = None,
    time_unit: str | None = None,
    capacity_unit: str | None = None,
    current_sign: ChargeSign | None = None,
    active_mass_g: float | None = None,
    sheet: str | int | None = None,
    voltage_unit: str | None = None,
    rest_current_A: float | None = None,
    cycle_start: CycleStart = "charge",
) -> pd.DataFrame:
    """Load a cycler file as a tidy DataFrame in SI units, **current positive = discharge**.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV / TSV / semicolon text (any suffix, incl. EC-Lab ``.mpt``), ``.xlsx``, BioLogic
        ``.mpr`` (needs galvani) or Neware ``.nda``/``.ndax`` (needs fastnda).
    columns : mapping, optional
        Header text for a quantity when the automatic mapping fails or picks the wrong column,
        e.g. ``{"current": "I_cell (mA)"}``. Keys: ``time``, ``current``, ``voltage``,
        ``cycle``, ``step``, ``charge_capacity``, ``discharge_capacity``, ``capacity`` (or the
        tidy names ``time_s``, ``current_A``...). A value of ``None`` ignores that quantity.
    current_unit, time_unit, capacity_unit, voltage_unit : str, optional
        Units that override the header (``"mA"``, ``"h"``, ``"mAh"``, ``"V"``...). Needed when
        the header has no unit.
    current_sign : {"charge-positive", "discharge-positive"}, optional
        The file's current convention. Detected from the data if omitted.
    active_mass_g : float, optional
        Active-material mass [g]; adds ``charge/discharge_capacity_mAh_per_g``.
    sheet : str or int, optional
        Excel sheet (default: the first sheet with a recognisable header).
    rest_current_A : float, optional
        ``|I|`` [A] at or below which a row counts as rest. Default: 0.1 % of the largest
        ``|I|`` in the file.
    cycle_start : {"charge", "discharge"}
        Half-cycle that opens a cycle when the file has no cycle column.

    Returns
    -------
    pandas.DataFrame
        Columns ``time_s``, ``current_A`` (positive = discharge), ``voltage_V``, ``cycle``
        (from 1), ``step`` (from 1), ``step_type`` (``"charge"``/``"discharge"``/``"rest"``),
        ``charge_capacity_mAh``, ``discharge_capacity_mAh`` (cumulative within each cycle, so
        within each half-cycle) and, with a mass, ``..._mAh_per_g``. ``df.attrs`` holds
        ``source``, ``format``, ``columns`` (quantity -> header used), ``units`` and
        ``unit_sources``, ``current_sign`` and ``current_sign_source``, ``rest_current_A``,
        ``cycle_source``, ``capacity_source`` and reader details.

    Raises
    ------
    CyclingDataError
        For any malformed input; the message names the file, the column and the row.
    """
    path = Path(path)
    _check_arguments(path, current_sign, cycle_start, active_mass_g, rest_current_A)
    table = read_table(path, sheet=sheet, overrides=columns)
    choices, rejected = _match(path, table, columns)
    unit_arguments = {
        "time": time_unit,
        "current": current_unit,
        "voltage": voltage_unit,
        "capacity": capacity_unit,
    }
    units, ignored = _resolve_units(path, table, choices, rejected, unit_arguments)
    decimal_comma = uses_decimal_comma(table, [choices[q] for q in REQUIRED])
    clock = {q for q, unit in units.items() if unit.label == CLOCK_TIME}
    values = convert_columns(path, table, choices, clock, decimal_comma)
    _check_time(path, values["time"], choices["time"], table)

    time_s = values["time"] * (units["time"].factor or 1.0)  # clock strings are already in s
    current_file = values["current"] * units["current"].factor
    voltage_V = values["voltage"] * units["voltage"].factor
    _check_assumed_volts(path, voltage_V, units["voltage"], choices["voltage"])

    rest_current = (
        default_rest_current(current_file) if rest_current_A is None else float(rest_current_A)
    )
    sign, sign_source, agreement = _resolve_sign(
        path, current_sign, current_file, voltage_V, rest_current, choices["current"].header
    )
    current_A = -current_file if sign == "charge-positive" else current_file
    modes = classify_modes(current_A, rest_current)

    if "cycle" in choices:
        cycles = _file_cycles(path, values["cycle"], choices["cycle"], table)
        cycle_source = "file"
    else:
        cycles = number_cycles(modes, cycle_start)
        cycle_source = f"segmented (a cycle starts at a {cycle_start})"
    step_labels = [modes, cycles] + ([values["step"]] if "step" in choices else [])
    steps = number_steps(*step_labels)

    charge, discharge, capacity_source = _capacities(
        time_s, current_A, modes, steps, cycles, values, units
    )
    frame = pd.DataFrame(
        {
            "time_s": time_s,
            "current_A": current_A,
            "voltage_V": voltage_V,
            "cycle": cycles,
            "step": steps,
            "step_type": modes.astype(str),
            "charge_capacity_mAh": charge,
            "discharge_capacity_mAh": discharge,
        }
    )
    if active_mass_g is not None:
        frame["charge_capacity_mAh_per_g"] = charge / active_mass_g
        frame["discharge_capacity_mAh_per_g"] = discharge / active_mass_g
    if ignored:
        warnings.warn(
            f"{path}: ignored columns {ignored}; capacities: {capacity_source}",
            stacklevel=2,
        )

    frame.attrs.update(table.meta)
    frame.attrs.update(
        {
            "source": str(path),
            "columns": {q: c.header for q, c in choices.items()},
            "units": {q: u.label for q, u in units.items()},
            "unit_sources": {q: u.source for q, u in units.items()},
            "current_sign": sign,
            "current_sign_source": sign_source,
            "sign_agreement": agreement,
            "current_convention": "positive = discharge (PyBaMM)",
            "rest_current_A": rest_current,
            "cycle_source": cycle_source,
            "capacity_source": capacity_source,
            "decimal": "," if decimal_comma else ".",
            "active_mass_g": active_mass_g,
            "ignored_columns": ignored,
        }
    )
    return frame


def _check_arguments(
    path: Path,
    current_sign: str | None,
    cycle_start: str,
    active_mass_g: float | None,
    rest_current_A: float | None,
) -> None:
    if current_sign is not None and current_sign not in SIGN_CONVENTIONS:
        raise data_error(
            path, f"current_sign must be one of {SIGN_CONVENTIONS}, not {current_sign!r}"
        )
    if cycle_start not in ("charge", "discharge"):
        raise data_error(path, f"cycle_start must be 'charge' or 'discharge', not {cycle_start!r}")
    if active_mass_g is not None and not (np.isfinite(active_mass_g) and active_mass_g > 0):
        raise data_error(path, f"active_mass_g must be a positive number, not {active_mass_g!r}")
    if rest_current_A is not None and not (np.isfinite(rest_current_A) and rest_current_A >= 0):
        raise data_error(path, f"rest_current_A must be >= 0, not {rest_current_A!r}")


def _match(
    path: Path, table: RawTable, columns: Mapping[str, str | None] | None
) -> tuple[dict[str, ColumnChoice], dict[str, list[ColumnChoice]]]:
    """Map the header to quantities; every required quantity must be present."""
    try:
        choices, rejected = match_columns(table.header, columns)
    except CyclingDataError as exc:
        raise data_error(path, str(exc)) from None
    for quantity in REQUIRED:
        if quantity not in choices and quantity not in rejected:
            raise data_error(
                path,
                f"no {quantity} column found; header columns are {table.header}; name it with "
                f"columns={{{quantity!r}: '<header>'}}",
            )
    return choices, rejected


def _resolve_units(
    path: Path,
    table: RawTable,
    choices: dict[str, ColumnChoice],
    rejected: dict[str, list[ColumnChoice]],
    arguments: dict[str, str | None],
) -> tuple[dict[str, _Unit], dict[str, str]]:
    """Units of the measured columns; updates ``choices`` in place.

    A required column whose header unit is unknown is kept (its unit argument, if given,
    rescues it; otherwise :func:`_resolve_unit` raises). An optional capacity column with an
    unknown or missing unit is dropped and reported in the second return value.
    """
    units: dict[str, _Unit] = {}
    ignored: dict[str, str] = {}
    for quantity, kind in UNIT_KIND.items():
        if kind is None:
            continue
        choice = choices.get(quantity)
        if choice is None and quantity in rejected:
            choice = rejected[quantity][0]
            if arguments[kind] is None and quantity not in REQUIRED:
                ignored[choice.header] = f"unknown {kind} unit {choice.unit!r}"
                continue
            choices[quantity] = choice
        if choice is None:
            continue
        if choice.unit is None and arguments[kind] is None and quantity not in REQUIRED:
            ignored[choice.header] = f"no unit in the header (pass {kind}_unit= to use it)"
            del choices[quantity]
            continue
        units[quantity] = _resolve_unit(path, kind, choice, arguments[kind], table)
    return units, ignored


def _check_time(path: Path, time: np.ndarray, choice: ColumnChoice, table: RawTable) -> None:
    """Time may repeat (cyclers log step ends twice) but must never decrease."""
    bad = first_decrease(time)
    if bad is not None:
        raise data_error(
            path,
            f"time goes backwards ({time[bad]:g} after {time[bad - 1]:g} on the previous "
            "data row); time must not decrease (is this a step-time column, or two files "
            "joined?)",
            column=choice.header,
            row=table.locator.describe(bad),
        )


def _check_assumed_volts(
    path: Path, voltage_V: np.ndarray, unit: _Unit, choice: ColumnChoice
) -> None:
    """Refuse a unit-less voltage column whose values are not plausible volts."""
    largest = float(np.max(np.abs(voltage_V)))
    if unit.source == "assumed" and largest > MAX_ASSUMED_VOLTS:
        raise data_error(
            path,
            f"no unit in the header and values up to {largest:g} do not look like volts; "
            "pass voltage_unit='mV' (or 'V')",
            column=choice.header,
        )


def _resolve_unit(
    path: Path, kind: str, choice: ColumnChoice, argument: str | None, table: RawTable
) -> _Unit:
    """The unit of one column: the argument if given, else the header."""
    if argument is not None:
        if kind == "time" and is_clock_unit(argument):
            return _Unit(None, CLOCK_TIME, "argument")
        factor = unit_factor(kind, argument)
        if factor is None:
            raise data_error(
                path,
                f"unknown {kind} unit {argument!r} given as {kind}_unit=; "
                f"known units: {known_units(kind)}",
            )
        return _Unit(factor, argument, "argument")
    if choice.unit is None:
        if kind == "voltage":
            return _Unit(1.0, "V", "assumed")
        if kind == "time" and looks_like_clock(table.column(choice.index)):
            return _Unit(None, CLOCK_TIME, "values")
        raise data_error(
            path,
            f"no unit in the header; pass {kind}_unit= (one of {known_units(kind)})",
            column=choice.header,
        )
    if kind == "time" and is_clock_unit(choice.unit):
        return _Unit(None, CLOCK_TIME, "header")
    factor = unit_factor(kind, choice.unit)
    if factor is None:
        raise data_error(
            path,
            f"unknown {kind} unit {choice.unit!r}; known units: {known_units(kind)}; "
            f"pass {kind}_unit= to override",
            column=choice.header,
        )
    return _Unit(factor, choice.unit, "header")


def _resolve_sign(
    path: Path,
    current_sign: ChargeSign | None,
    current: np.ndarray,
    voltage: np.ndarray,
    rest_current: float,
    header: str,
) -> tuple[ChargeSign, str, float | None]:
    if current_sign is not None:
        return current_sign, "argument", None
    detected, agreement = detect_current_sign(current, voltage, rest_current)
    if detected is None:
        reason = (
            "no current above the rest threshold flows (rest-only data)"
            if not np.any(np.abs(current) > rest_current)
            else f"the voltage does not move consistently with the current (agreement "
            f"{agreement:+.2f})"
        )
        raise data_error(
            path,
            f"cannot detect the current sign convention: {reason}; pass "
            "current_sign='charge-positive' (most cyclers) or 'discharge-positive'",
            column=header,
        )
    return detected, "detected", agreement


def _file_cycles(path: Path, raw: np.ndarray, choice: ColumnChoice, table: RawTable) -> np.ndarray:
    """The file's cycle column as integers from 1 (0-based counters are shifted by one)."""
    fractional = np.flatnonzero(np.abs(raw - np.round(raw)) > 1e-9)
    if len(fractional):
        row = int(fractional[0])
        raise data_error(
            path,
            f"cycle number {raw[row]:g} is not an integer",
            column=choice.header,
            row=table.locator.describe(row),
        )
    bad = first_decrease(raw)
    if bad is not None:
        raise data_error(
            path,
            f"cycle number decreases ({raw[bad]:g} after {raw[bad - 1]:g}); cycle numbers "
            "must not decrease",
            column=choice.header,
            row=table.locator.describe(bad),
        )
    cycles = np.round(raw).astype(np.int64)
    return cycles + max(0, 1 - int(cycles.min()))


def _capacities(
    time_s: np.ndarray,
    current_A: np.ndarray,
    modes: np.ndarray,
    steps: np.ndarray,
    cycles: np.ndarray,
    values: dict[str, np.ndarray],
    units: dict[str, _Unit],
) -> tuple[np.ndarray, np.ndarray, str]:
    """Capacities from the file's counters if present, else by trapezoidal integration."""

    def mah(quantity: str) -> np.ndarray:
        return values[quantity] * units[quantity].factor

    if "charge_capacity" in units and "discharge_capacity" in units:
        counters = (mah("charge_capacity"), mah("discharge_capacity"))
        source = "file (charge and discharge capacity columns)"
    elif "capacity" in units:
        counters = (mah("capacity"), mah("capacity"))
        source = "file (capacity column)"
    else:
        counters = integrated_counters(time_s, current_A, modes)
        charge, discharge = cumulative_within_cycles(*counters, modes, steps, cycles)
        return charge, discharge, "integrated (trapezoidal rule)"
    charge, discharge = cumulative_within_cycles(*counters, modes, steps, cycles, continuous=False)
    return charge, discharge, source
