"""Recognise cycler column headers and the units written in them.

A header is split into a *name* and a *unit*: ``Time [s]``, ``Test Time (s)``, ``time/s``,
``<I>/mA``, ``Charge_Capacity(Ah)`` and ``current_mA`` all work. The name is normalised
(lower case, ``_ - .`` as spaces) and compared, in order of preference, with the variants each
cycler writes; the unit is looked up in the tables below and turned into a factor to SI (or to
mAh for capacities).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assb_model.data.errors import CyclingDataError

#: Quantities the loader looks for; the first three are required (a current may instead be
#: derived from a charge-increment or net-charge column, see :data:`CURRENT_SOURCES`).
REQUIRED = ("time", "current", "voltage")
OPTIONAL = (
    "cycle",
    "step",
    "charge_capacity",
    "discharge_capacity",
    "capacity",
    "half_cycle",
    "charge_increment",
    "net_charge",
)
#: Columns a current can be derived from when the file has none (EC-Lab GCPL ``.mpr``
#: files read by galvani hold only the set point ``control/V/mA``).
CURRENT_SOURCES = ("charge_increment", "net_charge")
QUANTITIES = REQUIRED + OPTIONAL

#: Normalised header names for each quantity, most preferred first. ``step time`` and ``date
#: time`` are deliberately absent: the loader needs the total test time.
NAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "time": (
        "test time",
        "total time",
        "elapsed time",
        "time",
        "t",
        "run time",
        "relative time",
    ),
    "current": ("current", "i", "cur", "<i>", "cell current", "amps", "amp"),
    "voltage": (
        "voltage",
        "cell voltage",
        "ecell",
        "ewe",
        "<ewe>",
        "ewe ece",
        "potential",
        "cell potential",
        "e",
        "v",
        "u",
        "volts",
    ),
    "cycle": (
        "cycle",
        "cycle number",
        "cycle index",
        "cycle no",
        "cycle nr",
        "cycle num",
        "cycle count",
        "cycle id",
        "cyc#",
        "cycles",
    ),
    "step": ("step", "step index", "step number", "step no", "step nr", "step count", "ns"),
    "charge_capacity": (
        "charge capacity",
        "q charge",
        "chg cap",
        "charge cap",
        "chg capacity",
        "capacity charge",
    ),
    "discharge_capacity": (
        "discharge capacity",
        "q discharge",
        "dchg cap",
        "dischg cap",
        "discharge cap",
        "dchg capacity",
        "capacity discharge",
    ),
    "capacity": ("capacity", "cap", "q charge/discharge", "q", "amp hr"),
    "half_cycle": ("half cycle",),
    # charge passed during the interval ending at the row (EC-Lab dq/mA.h, dQ/C)
    "charge_increment": ("dq",),
    # signed charge passed since the start, never reset (EC-Lab (Q-Qo)/mA.h)
    "net_charge": ("(q qo)", "q qo", "net charge"),
}

#: Header names that carry their own unit (Maccor writes ``Amps`` and ``Volts``).
IMPLIED_UNITS = {"amps": "A", "amp": "A", "volts": "V", "amp hr": "Ah"}

#: Unit tables: normalised unit -> factor to the target unit named in the key's kind.
UNIT_FACTORS: dict[str, dict[str, float]] = {
    # to seconds
    "time": {
        "s": 1.0,
        "sec": 1.0,
        "secs": 1.0,
        "second": 1.0,
        "seconds": 1.0,
        "ms": 1e-3,
        "min": 60.0,
        "mins": 60.0,
        "minute": 60.0,
        "minutes": 60.0,
        "h": 3600.0,
        "hr": 3600.0,
        "hrs": 3600.0,
        "hour": 3600.0,
        "hours": 3600.0,
        "d": 86400.0,
        "day": 86400.0,
        "days": 86400.0,
    },
    # to amperes
    "current": {
        "a": 1.0,
        "amp": 1.0,
        "amps": 1.0,
        "ampere": 1.0,
        "amperes": 1.0,
        "ma": 1e-3,
        "milliamp": 1e-3,
        "milliamps": 1e-3,
        "ua": 1e-6,
        "na": 1e-9,
    },
    # to volts
    "voltage": {"v": 1.0, "volt": 1.0, "volts": 1.0, "mv": 1e-3},
    # to milliampere-hours
    "capacity": {
        "ah": 1e3,
        "ahr": 1e3,
        "amphr": 1e3,
        "mah": 1.0,
        "mahr": 1.0,
        "uah": 1e-3,
        "c": 1.0 / 3.6,
        "as": 1.0 / 3.6,
        "mc": 1e-3 / 3.6,
        "mas": 1e-3 / 3.6,
    },
}

#: Which unit table each quantity uses (``None``: a count, no unit).
UNIT_KIND = {
    "time": "time",
    "current": "current",
    "voltage": "voltage",
    "cycle": None,
    "step": None,
    "charge_capacity": "capacity",
    "discharge_capacity": "capacity",
    "capacity": "capacity",
    "half_cycle": None,
    "charge_increment": "capacity",
    "net_charge": "capacity",
}

#: Time given as a clock string, e.g. Neware's ``Total Time(h:min:s.ms)``.
CLOCK_TIME = "h:mm:ss"

#: Keys accepted in ``columns=``: quantity names and the tidy output names.
COLUMN_KEY_ALIASES = {
    "time_s": "time",
    "current_a": "current",
    "voltage_v": "voltage",
    "charge_capacity_mah": "charge_capacity",
    "discharge_capacity_mah": "discharge_capacity",
    "capacity_mah": "capacity",
}

_SUFFIX_UNITS = {u for table in UNIT_FACTORS.values() for u in table} - {"c", "d", "as"}


def normalise_unit(unit: str) -> str:
    """Lower-case a unit and drop separators: ``mA.h`` -> ``mah``, ``µA`` -> ``ua``."""
    unit = unit.strip().lower().replace("µ", "u").replace("μ", "u")
    return re.sub(r"[\s.·*\-]", "", unit)


def normalise_name(name: str) -> str:
    """Lower-case a header name, read ``_ - .`` as spaces and collapse whitespace."""
    name = re.sub(r"[_\-.]", " ", name.strip().lower())
    return re.sub(r"\s+", " ", name).strip()


def split_header(header: str) -> tuple[str, str | None]:
    """Split a header into ``(normalised name, unit as written or None)``.

    Recognised forms: ``Name [unit]``, ``Name (unit)``, ``Name/unit`` (the last slash, as
    BioLogic writes ``Q charge/discharge/mA.h``) and ``name_unit`` when the suffix is a known
    unit (``current_mA``).

    Parameters
    ----------
    header : str
        The header cell as written in the file.

    Returns
    -------
    tuple of (str, str or None)
        The normalised name and the raw unit text.
    """
    text = str(header).strip()
    if text.startswith("<") and text.endswith(">") and "/" in text:
        text = text[1:-1]  # EC-Lab OCV exports write <Ewe/V> for <Ewe>/V
    for opening, closing in (("[", "]"), ("(", ")")):
        if text.endswith(closing) and opening in text:
            start = text.rindex(opening)
            name = text[:start].strip()
            if name:
                return _with_implied_unit(normalise_name(name), text[start + 1 : -1].strip())
    if "/" in text:
        name, unit = text.rsplit("/", 1)
        if name.strip() and unit.strip():
            return _with_implied_unit(normalise_name(name), unit.strip())
    if "_" in text:
        name, unit = text.rsplit("_", 1)
        if name and normalise_unit(unit) in _SUFFIX_UNITS:
            return normalise_name(name), unit
    return _with_implied_unit(normalise_name(text), None)


def _with_implied_unit(name: str, unit: str | None) -> tuple[str, str | None]:
    if unit is None or unit == "":
        return name, IMPLIED_UNITS.get(name)
    return name, unit


def unit_factor(kind: str, unit: str) -> float | None:
    """Factor from ``unit`` to the target unit of ``kind``, or ``None`` if unknown.

    Parameters
    ----------
    kind : {"time", "current", "voltage", "capacity"}
        The unit table; targets are s, A, V and mAh.
    unit : str
        The unit as written (``"mA"``, ``"A.h"``, ``"µA"``...).

    Returns
    -------
    float or None
        Multiply values in ``unit`` by this to get the target unit.
    """
    return UNIT_FACTORS[kind].get(normalise_unit(unit))


def is_clock_unit(unit: str | None) -> bool:
    """Whether a header unit describes ``h:mm:ss`` clock strings (``h:min:s.ms``)."""
    return unit is not None and ":" in unit


def known_units(kind: str) -> str:
    """A short human list of accepted units for error messages."""
    examples = {
        "time": "s, min, h, d",
        "current": "A, mA, uA (µA), nA",
        "voltage": "V, mV",
        "capacity": "Ah, mAh, uAh, C, As",
    }
    return examples[kind]


@dataclass(frozen=True)
class ColumnChoice:
    """One recognised column.

    Attributes
    ----------
    index : int
        Position in the header row (0-based).
    header : str
        The header exactly as written in the file.
    unit : str or None
        The unit parsed from the header (``None`` if none was written).
    """

    index: int
    header: str
    unit: str | None


def canonical_key(key: str) -> str:
    """Map a ``columns=`` key (``"current"`` or ``"current_A"``) to a quantity name."""
    lowered = key.strip().lower()
    lowered = COLUMN_KEY_ALIASES.get(lowered, lowered)
    if lowered not in QUANTITIES:
        raise CyclingDataError(
            f"unknown key {key!r} in columns=; use one of {', '.join(QUANTITIES)}"
        )
    return lowered


def unit_fits(quantity: str, unit: str | None) -> bool:
    """Whether a header unit could belong to the quantity.

    A missing unit fits (the loader then asks for the unit argument); a count (cycle, step)
    fits only a missing or ``#`` unit, so Maccor's ``Step (Sec)`` is not a step index.
    """
    kind = UNIT_KIND[quantity]
    if kind is None:
        return unit is None or normalise_unit(unit) in {"", "#", "no", "n"}
    if unit is None:
        return True
    if kind == "time" and is_clock_unit(unit):
        return True
    return unit_factor(kind, unit) is not None


def match_columns(
    header: Sequence[object],
    overrides: Mapping[str, str | None] | None = None,
) -> tuple[dict[str, ColumnChoice], dict[str, list[ColumnChoice]]]:
    """Find each quantity's column in a header row.

    For each quantity the best-ranked name variant wins; among columns with that name one
    whose unit fits is preferred, so ``E/V`` is a voltage but ``Energy/W.h`` never is.

    Parameters
    ----------
    header : sequence
        The header cells, in file order.
    overrides : mapping, optional
        ``{quantity: header text}`` chosen by the user; ``None`` ignores that quantity.

    Returns
    -------
    tuple of (dict, dict)
        ``choices``: quantity -> chosen column; ``rejected``: quantity -> name matches whose
        unit did not fit (used to name an unknown unit in an error).

    Raises
    ------
    CyclingDataError
        If an override names a column that is not in the header.
    """
    cells = ["" if cell is None else str(cell).strip() for cell in header]
    parsed = [split_header(cell) for cell in cells]
    overrides = {canonical_key(k): v for k, v in (overrides or {}).items()}
    choices: dict[str, ColumnChoice] = {}
    rejected: dict[str, list[ColumnChoice]] = {}
    used: set[int] = set()

    for quantity, wanted in overrides.items():
        if wanted is None:
            continue
        index = _find_exact(cells, wanted)
        if index is None:
            raise CyclingDataError(
                f"column {wanted!r} given for {quantity} is not in the header; "
                f"header columns are {cells}"
            )
        choices[quantity] = ColumnChoice(index, cells[index], parsed[index][1])
        used.add(index)

    for quantity in QUANTITIES:
        if quantity in overrides:
            continue
        candidates = [
            (NAME_VARIANTS[quantity].index(name), index)
            for index, (name, _) in enumerate(parsed)
            if name in NAME_VARIANTS[quantity] and index not in used
        ]
        fitting = [c for c in candidates if unit_fits(quantity, parsed[c[1]][1])]
        if fitting:
            index = min(fitting)[1]
            choices[quantity] = ColumnChoice(index, cells[index], parsed[index][1])
            used.add(index)
        elif candidates:
            rejected[quantity] = [
                ColumnChoice(i, cells[i], parsed[i][1]) for _, i in sorted(candidates)
            ]
    return choices, rejected


def looks_like_impedance(header: Sequence[object]) -> bool:
    """Whether a header row belongs to an impedance spectrum (Re(Z) and Im(Z) columns, with
    or without frequency); the spectrum reader's own column names decide
    (:func:`assb_model.ecm.io.is_spectrum_header`)."""
    from assb_model.ecm.io import is_spectrum_header

    cells = ["" if c is None else str(c) for c in header]
    return is_spectrum_header(cells, require_frequency=False)


def voltage_candidates(header: Sequence[object]) -> list[ColumnChoice]:
    """Every column that could be the cell voltage, most preferred first.

    Parameters
    ----------
    header : sequence
        The header cells, in file order.

    Returns
    -------
    list of ColumnChoice
        Columns whose name is a voltage variant and whose unit fits, ordered as
        :data:`NAME_VARIANTS` ranks them (EC-Lab: ``Ewe/V`` before ``Ewe-Ece/V``).
    """
    cells = ["" if cell is None else str(cell).strip() for cell in header]
    ranked = []
    for index, cell in enumerate(cells):
        name, unit = split_header(cell)
        if name in NAME_VARIANTS["voltage"] and unit_fits("voltage", unit):
            ranked.append(
                (NAME_VARIANTS["voltage"].index(name), index, ColumnChoice(index, cell, unit))
            )
    return [choice for *_, choice in sorted(ranked, key=lambda item: item[:2])]


def _find_exact(cells: Sequence[str], wanted: str) -> int | None:
    target = wanted.strip()
    for index, cell in enumerate(cells):
        if cell == target:
            return index
    for index, cell in enumerate(cells):
        if cell.lower() == target.lower():
            return index
    return None
