"""Load measured cycling data into one tidy, validated DataFrame.

Capacities are the current integrated over time (:mod:`assb_model.data.capacity`), never a
cycler's counter; the current's origin, glitches and sign convention are decided with
evidence by :mod:`assb_model.data.current`.

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
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from assb_model.data.capacity import CapacityCheck, check_columns, choose_rule
from assb_model.data.cells import (
    convert_columns,
    looks_like_clock,
    to_float,
    uses_decimal_comma,
)
from assb_model.data.columns import (
    CLOCK_TIME,
    CURRENT_SOURCES,
    REQUIRED,
    UNIT_KIND,
    ColumnChoice,
    canonical_key,
    is_clock_unit,
    known_units,
    looks_like_impedance,
    match_columns,
    unit_factor,
    voltage_candidates,
)
from assb_model.data.current import (
    SPIKE_TEXT,
    VOLTAGE_SPIKE_FLOOR_V,
    Glitch,
    SignDecision,
    counter_sign,
    decide_sign,
    derive_current,
    remove_spikes,
)
from assb_model.data.errors import CyclingDataError, data_error
from assb_model.data.readers import NO_CURRENT_HINT, RawTable, read_table
from assb_model.data.segmentation import (
    REST_FRACTION,
    SIGN_CONVENTIONS,
    ChargeSign,
    CycleStart,
    classify_modes,
    cumulative_within_cycles,
    default_rest_current,
    first_decrease,
    integrated_counters,
    number_cycles,
    number_steps,
    sustained_scale,
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
#: More one-row spikes than this fraction of the rows (and more than two) means a corrupt
#: column, not glitches.
MAX_GLITCH_FRACTION = 0.01


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
        ``|I|`` held for two rows or more (a one-row glitch cannot raise it).
    cycle_start : {"charge", "discharge"}
        Half-cycle that opens a cycle when the file has no cycle column.

    Returns
    -------
    pandas.DataFrame
        Columns ``time_s``, ``current_A`` (positive = discharge), ``voltage_V``, ``cycle``
        (from 1), ``step`` (from 1), ``step_type`` (``"charge"``/``"discharge"``/``"rest"``),
        ``charge_capacity_mAh``, ``discharge_capacity_mAh`` (the current integrated over
        time, cumulative within each cycle, so within each half-cycle) and, with a mass,
        ``..._mAh_per_g``. ``df.attrs`` holds ``source``, ``format``, ``columns`` (quantity
        -> header used), ``units`` and ``unit_sources``, ``current_origin``,
        ``current_sign``, ``current_sign_source``, ``sign_evidence`` and
        ``voltage_agreements``, ``rest_current_A``, ``glitches`` (replaced one-row spikes),
        ``cycle_source``, ``capacity_source``, ``integration_rule``, ``capacity_checks``
        (each capacity-like file column against the integral), ``notes`` and reader
        details. One-row spikes and disagreeing charge columns also raise a
        ``UserWarning``.

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
    decimal_comma = uses_decimal_comma(table, [choices[q] for q in REQUIRED if q in choices])
    clock = {q for q, unit in units.items() if unit.label == CLOCK_TIME}
    values = convert_columns(path, table, choices, clock, decimal_comma)
    _check_time(path, values["time"], choices["time"], table)
    notes: list[str] = []

    def mah(quantity: str) -> np.ndarray:
        return values[quantity] * units[quantity].factor

    time_s = values["time"] * (units["time"].factor or 1.0)  # clock strings are already in s
    if "current" in choices:
        current_raw = values["current"] * units["current"].factor
        current_origin = f"column {choices['current'].header!r}"
    else:
        current_raw, current_origin = _derived_current(time_s, values, units, choices)
    voltage_raw = values["voltage"] * units["voltage"].factor
    _check_assumed_volts(path, voltage_raw, units["voltage"], choices["voltage"])

    glitches: list[Glitch] = []
    current_file = _despike(path, table, current_raw, "current", choices, glitches)
    voltage_V = _despike(path, table, voltage_raw, "voltage", choices, glitches)

    rest_current = (
        default_rest_current(current_file) if rest_current_A is None else float(rest_current_A)
    )
    voltages = _voltage_columns(path, table, choices, units, voltage_V, decimal_comma, columns)
    file_counters = _direction_counters(values, units)
    decision = _resolve_sign(path, current_sign, current_file, rest_current, voltages, choices)
    if decision.voltage_header != choices["voltage"].header and decision.voltage_header:
        voltage_V = voltages[decision.voltage_header]
        notes.append(
            f"voltage column {decision.voltage_header!r} used instead of "
            f"{choices['voltage'].header!r}, which does not move with the current"
        )
        choices["voltage"] = next(
            c for c in voltage_candidates(table.header) if c.header == decision.voltage_header
        )
    counters_say = counter_sign(current_file, rest_current, *file_counters)
    if decision.source == "detected" and counters_say is not None:
        if counters_say != decision.convention:
            raise data_error(
                path,
                f"the current sign is ambiguous: the voltage says {decision.convention} "
                f"({decision.evidence}) but the file's charge/discharge counters grow as for "
                f"{counters_say}; pass current_sign='charge-positive' or 'discharge-positive'",
                column=choices["current"].header if "current" in choices else None,
            )
        decision.evidence += "; the file's charge and discharge counters agree"
    sign = decision.convention
    current_A = -current_file if sign == "charge-positive" else current_file
    modes = classify_modes(current_A, rest_current)

    if "cycle" in choices:
        cycles = _file_cycles(path, values["cycle"], choices["cycle"], table)
        cycle_source = "file"
    elif "half_cycle" in choices:
        halves = _file_cycles(path, values["half_cycle"], choices["half_cycle"], table) - 1
        cycles = halves // 2 + 1
        cycle_source = f"file ({choices['half_cycle'].header!r} // 2, as EC-Lab numbers cycles)"
    else:
        cycles = number_cycles(modes, cycle_start)
        cycle_source = f"segmented (a cycle starts at a {cycle_start})"
    step_labels = [modes, cycles] + ([values["step"]] if "step" in choices else [])
    steps = number_steps(*step_labels)

    flip = -1.0 if sign == "charge-positive" else 1.0
    net = _net_increments(values, units, choices, flip)
    instrument_rule = (
        "interval-mean" if table.meta.get("instrument") == "BioLogic EC-Lab" else "trapezoid"
    )
    if "current" not in choices:
        rule, rule_reason = "interval-mean", "the current is each interval's mean by construction"
    else:
        rule, rule_reason = choose_rule(
            time_s, current_A, modes, instrument_rule, next(iter(net.items()), None)
        )
    counters = integrated_counters(time_s, current_A, modes, rule=rule)
    charge, discharge = cumulative_within_cycles(*counters, modes, steps, cycles)
    totals = (float(counters[0][-1]), float(counters[1][-1]))
    checks = _best_readings(
        check_columns(totals, _check_inputs(net, values, units, choices), modes, steps, cycles)
    )
    warn: list[str] = [g.describe() for g in glitches]
    for check in checks:
        if check.agrees:
            continue
        if check.kind in ("net charge", "charge increment"):
            warn.append(
                f"{check.describe()}; capacities come from the integrated current (a current "
                "column that is not the measured current, or one sampled too coarsely, "
                "causes this)"
            )
        else:
            notes.append(
                f"{check.describe()}; not used: its resets do not fall on the rows where the "
                "current changes (capacities come from the integrated current)"
            )
    notes = warn + notes
    capacity_source = f"integrated current ({rule} rule: {rule_reason})"

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
    for message in warn:
        warnings.warn(f"{path}: {message}", stacklevel=2)

    frame.attrs.update(table.meta)
    frame.attrs.update(
        {
            "source": str(path),
            "columns": {q: c.header for q, c in choices.items()},
            "units": {q: u.label for q, u in units.items()},
            "unit_sources": {q: u.source for q, u in units.items()},
            "current_origin": current_origin,
            "current_sign": sign,
            "current_sign_source": decision.source,
            "sign_agreement": decision.agreement,
            "sign_evidence": decision.evidence,
            "voltage_agreements": decision.others,
            "current_convention": "positive = discharge (PyBaMM)",
            "rest_current_A": rest_current,
            "rest_current_source": "argument"
            if rest_current_A is not None
            else f"{REST_FRACTION:g} x the largest current held for two rows or more",
            "glitches": [g.as_dict() for g in glitches],
            "cycle_source": cycle_source,
            "capacity_source": capacity_source,
            "integration_rule": rule,
            "capacity_checks": [c.as_dict() for c in checks],
            "notes": notes,
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
    if looks_like_impedance(table.header):
        raise data_error(
            path,
            "this is an impedance spectrum (it has Re(Z) and Im(Z) columns), not cycling "
            "data; read it with `assb data` or `assb fit-eis`",
        )
    try:
        choices, rejected = match_columns(table.header, columns)
    except CyclingDataError as exc:
        raise data_error(path, str(exc)) from None
    for quantity in REQUIRED:
        if quantity == "current" and any(q in choices for q in CURRENT_SOURCES):
            continue  # derived from the charge columns
        if quantity not in choices and quantity not in rejected:
            raise data_error(
                path,
                f"no {quantity} column found; header columns are {table.header}; name it with "
                f"columns={{{quantity!r}: '<header>'}}"
                + (NO_CURRENT_HINT if quantity == "current" else ""),
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
    rest_current: float,
    voltages: dict[str, np.ndarray],
    choices: dict[str, ColumnChoice],
) -> SignDecision:
    header = choices["current"].header if "current" in choices else None
    first = next(iter(voltages))
    if current_sign is not None:
        return SignDecision(current_sign, "argument", None, first, "given as current_sign=")
    decision, agreements = decide_sign(current, rest_current, voltages)
    if decision is None:
        agreement = agreements[first]
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
    return decision


def _despike(
    path: Path,
    table: RawTable,
    values: np.ndarray,
    quantity: str,
    choices: dict[str, ColumnChoice],
    glitches: list[Glitch],
) -> np.ndarray:
    """The column with one-row spikes replaced (and recorded in ``glitches``)."""
    floor = VOLTAGE_SPIKE_FLOOR_V if quantity == "voltage" else 0.0
    cleaned, rows, originals = remove_spikes(values, floor)
    unit = "V" if quantity == "voltage" else "A"
    header = choices[quantity].header if quantity in choices else "derived current"
    for row, original in zip(rows, originals, strict=True):
        glitches.append(
            Glitch(
                header, table.locator.describe(int(row)), float(original), float(cleaned[row]), unit
            )
        )
    if rows.size > max(2, MAX_GLITCH_FRACTION * len(values)):
        raise data_error(
            path,
            f"{rows.size} of {len(values)} values are one-row spikes above "
            f"{SPIKE_TEXT}; the column looks corrupt",
            column=header,
        )
    return cleaned


def _voltage_columns(
    path: Path,
    table: RawTable,
    choices: dict[str, ColumnChoice],
    units: dict[str, _Unit],
    voltage_V: np.ndarray,
    decimal_comma: bool,
    overrides: Mapping[str, str | None] | None,
) -> dict[str, np.ndarray]:
    """Header -> volts for the chosen voltage column first, then the other candidates.

    Other candidates are used only as sign evidence; one with a bad cell or an unknown unit
    is skipped (it is not the column the user's data depend on).
    """
    chosen = choices["voltage"]
    out = {chosen.header: voltage_V}
    named = {canonical_key(k) for k in (overrides or {})}
    if "voltage" in named:
        return out
    for candidate in voltage_candidates(table.header):
        if candidate.index == chosen.index or candidate.unit is None:
            continue
        factor = unit_factor("voltage", candidate.unit)
        numbers, bad = to_float(table.column(candidate.index), decimal_comma)
        if factor is None or bad.any():
            continue
        out[candidate.header] = remove_spikes(numbers * factor, VOLTAGE_SPIKE_FLOOR_V)[0]
    return out


def _derived_current(
    time_s: np.ndarray,
    values: dict[str, np.ndarray],
    units: dict[str, _Unit],
    choices: dict[str, ColumnChoice],
) -> tuple[np.ndarray, str]:
    """Mean current of each interval [A, file sign] from ``dq`` (checked against
    ``(Q-Qo)`` when both exist; ``(Q-Qo)`` wins if ``dq`` turns out not to be per interval)."""
    derived = {
        q: derive_current(time_s, values[q] * units[q].factor, cumulative=q == "net_charge")
        for q in CURRENT_SOURCES
        if q in units
    }
    if not derived:
        raise CyclingDataError("no current column and no usable charge column")
    used = next(iter(derived))
    if len(derived) == 2:
        a, b = derived["charge_increment"], derived["net_charge"]
        if np.max(np.abs(a - b)) > 0.01 * max(sustained_scale(b), 1e-300):
            used = "net_charge"
    others = [choices[q].header for q in derived if q != used]
    check = f", checked against {others[0]!r}" if others and used == "charge_increment" else ""
    return derived[used], (
        f"derived from {choices[used].header!r} / Δt (the mean current of each interval"
        f"{check}): the file has no measured current column"
    )


def _direction_counters(
    values: dict[str, np.ndarray], units: dict[str, _Unit]
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The file's own charge and discharge counters [mAh], when it has both."""
    if "charge_capacity" in units and "discharge_capacity" in units:
        return (
            values["charge_capacity"] * units["charge_capacity"].factor,
            values["discharge_capacity"] * units["discharge_capacity"].factor,
        )
    return None, None


def _net_increments(
    values: dict[str, np.ndarray],
    units: dict[str, _Unit],
    choices: dict[str, ColumnChoice],
    flip: float,
) -> dict[str, np.ndarray]:
    """Header -> signed per-row charge increments [mAh], discharge positive, of the file's
    net-charge columns (``dq`` first, then ``(Q-Qo)``)."""
    out = {}
    for quantity in ("net_charge", "charge_increment"):
        if quantity in units:
            q = values[quantity] * units[quantity].factor * flip
            if quantity == "net_charge":
                out[choices[quantity].header] = np.concatenate(([0.0], np.diff(q)))
            else:
                out[choices[quantity].header] = np.concatenate(([0.0], q[1:]))
                out[choices[quantity].header + " (as charge since the step start)"] = (
                    _increments_with_resets(q)
                )
    return out


def _increments_with_resets(q: np.ndarray) -> np.ndarray:
    """Per-row increments of a counter that restarts at zero (EC-Lab's CP ``dQ/C``): the
    reference of each row is the previous value or zero, whichever is closer."""
    previous = np.concatenate(([0.0], q[:-1]))
    reference = np.where(np.abs(q - previous) <= np.abs(q), previous, 0.0)
    return q - reference


def _best_readings(checks: list[CapacityCheck]) -> list[CapacityCheck]:
    """Keep, of the two readings of a charge-increment column (per interval, or since the
    step start), the one closer to the integrated current."""
    suffix = " (as charge since the step start)"
    by_column = {c.column: c for c in checks}
    out = []
    for check in checks:
        if check.column.endswith(suffix):
            continue
        other = by_column.get(check.column + suffix)
        if other is not None and other.relative_difference < check.relative_difference:
            check = replace(other, column=check.column, kind="charge since the step start")
        out.append(check)
    return out


def _check_inputs(
    net: dict[str, np.ndarray],
    values: dict[str, np.ndarray],
    units: dict[str, _Unit],
    choices: dict[str, ColumnChoice],
) -> dict[str, tuple[str, object]]:
    """The file columns :func:`check_columns` compares with the integrated current."""
    columns: dict[str, tuple[str, object]] = {}
    for header, increments in net.items():
        net_header = choices["net_charge"].header if "net_charge" in choices else None
        kind = "net charge" if header == net_header else "charge increment"
        columns[header] = (kind, increments)
    if "charge_capacity" in units and "discharge_capacity" in units:
        header = f"{choices['charge_capacity'].header} / {choices['discharge_capacity'].header}"
        columns[header] = (
            "per-direction counters",
            (
                values["charge_capacity"] * units["charge_capacity"].factor,
                values["discharge_capacity"] * units["discharge_capacity"].factor,
            ),
        )
    if "capacity" in units:
        columns[choices["capacity"].header] = (
            "counter",
            values["capacity"] * units["capacity"].factor,
        )
    return columns


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
