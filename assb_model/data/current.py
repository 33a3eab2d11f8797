"""The current column: derived when a file has none, cleaned of glitches, and its sign.

Three decisions the loader must be able to justify, each returned with its evidence:

* **Where the current comes from** (:func:`derive_current`). BioLogic GCPL ``.mpr`` files
  read by galvani hold only the set point ``control/V/mA`` (not a measurement); their
  charge increment ``dq`` (or the running net charge ``(Q-Qo)``) gives the mean current of
  each sampling interval, ``I_k = dq_k / Δt_k`` — exactly what EC-Lab exports as ``<I>/mA``.
* **Glitches** (:func:`remove_spikes`): one-row spikes (a 100 mA reading in a 68 µA test,
  a ``1e300``) are replaced by the three-row running median (a Hampel filter) and listed.
* **The sign convention** (:func:`decide_sign`): from how the voltage responds to the
  current, for every voltage column of the file, cross-checked with the file's own
  charge / discharge counters when it has them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assb_model.data.segmentation import (
    AS_TO_MAH,
    MIN_SIGN_AGREEMENT,
    ChargeSign,
    detect_current_sign,
    find_spikes,
    running_median3,
)

#: Voltage spikes are only flagged above this magnitude [V]: below it a one-row excursion may
#: be a real pulse response, and voltage glitches do not change capacities anyway.
VOLTAGE_SPIKE_FLOOR_V = 10.0


@dataclass
class Glitch:
    """One replaced value."""

    column: str
    row: str
    value: float
    replaced_by: float
    unit: str

    def describe(self) -> str:
        return (
            f"{self.row}: {self.column} {self.value:.4g} {self.unit} is a one-row spike "
            f"(> {SPIKE_TEXT}); replaced by {self.replaced_by:.4g} {self.unit}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "row": self.row,
            "value": self.value,
            "replaced_by": self.replaced_by,
            "unit": self.unit,
        }


SPIKE_TEXT = "10x the largest current or voltage held for two rows or more"


def remove_spikes(
    values: np.ndarray, floor: float = 0.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Replace one-row spikes by the running median.

    Parameters
    ----------
    values : numpy.ndarray
        The column in SI units.
    floor : float, optional
        Magnitudes at or below this are never spikes.

    Returns
    -------
    tuple of numpy.ndarray
        ``(cleaned values, spike row indices, original values at those rows)``.
    """
    rows = find_spikes(values, floor)
    cleaned = np.array(values, dtype=float, copy=True)
    if rows.size:
        cleaned[rows] = running_median3(values)[rows]
    return cleaned, rows, np.asarray(values, dtype=float)[rows]


def derive_current(time_s: np.ndarray, charge_mAh: np.ndarray, cumulative: bool) -> np.ndarray:
    """Mean current [A] of each sampling interval from a charge column [mAh].

    Parameters
    ----------
    time_s : numpy.ndarray
        Time [s], non-decreasing.
    charge_mAh : numpy.ndarray
        Charge passed in the interval ending at each row (``cumulative=False``, EC-Lab
        ``dq``) or signed charge since the start (``cumulative=True``, ``(Q-Qo)``), in the
        file's sign convention.
    cumulative : bool
        Which of the two the column is.

    Returns
    -------
    numpy.ndarray
        ``I_k = q_k / Δt_k`` in A (file sign); the first row, and rows logged at the same
        time as the previous one, repeat the previous value (0 for the first row).
    """
    q = np.diff(charge_mAh) if cumulative else np.asarray(charge_mAh, dtype=float)[1:]
    dt = np.diff(time_s)
    current = np.zeros(len(time_s))
    positive = dt > 0
    current[1:][positive] = q[positive] / AS_TO_MAH / dt[positive]
    for k in np.flatnonzero(~positive) + 1:  # zero-length interval: hold the last value
        current[k] = current[k - 1]
    return current


@dataclass
class SignDecision:
    """The sign convention and why."""

    convention: ChargeSign
    source: str  # "argument" or "detected"
    agreement: float | None
    voltage_header: str | None
    evidence: str
    others: dict[str, float] = field(default_factory=dict)


def counter_sign(
    current: np.ndarray,
    rest_current: float,
    charge_counter: np.ndarray | None,
    discharge_counter: np.ndarray | None,
) -> ChargeSign | None:
    """The convention implied by which of the file's own counters grows with which sign.

    A file's discharge counter grows while the cell discharges; if it grows (by at least
    90 % of its total growth) during negative current the file is charge-positive, during
    positive current discharge-positive. Same for the charge counter with opposite signs.
    ``None`` when the counters do not tell (absent, flat or mixed).
    """
    votes: set[str] = set()
    active = np.abs(current[1:]) > rest_current
    for counter, grows_with_negative in (
        (discharge_counter, "charge-positive"),
        (charge_counter, "discharge-positive"),
    ):
        if counter is None or len(counter) < 2:
            continue
        growth = np.clip(np.diff(counter), 0.0, None) * active
        total = float(growth.sum())
        if not total > 0:
            continue
        with_negative = float(growth[current[1:] < 0].sum()) / total
        if with_negative >= 0.9:
            votes.add(grows_with_negative)
        elif with_negative <= 0.1:
            votes.add(
                "discharge-positive"
                if grows_with_negative == "charge-positive"
                else "charge-positive"
            )
    return votes.pop() if len(votes) == 1 else None


def decide_sign(
    current: np.ndarray,
    rest_current: float,
    voltages: dict[str, np.ndarray],
) -> tuple[SignDecision | None, dict[str, float]]:
    """Detect the convention from the voltage response, preferring the first voltage column.

    Parameters
    ----------
    current : numpy.ndarray
        Current in the file's sign (A).
    rest_current : float
        Rest threshold (A).
    voltages : dict
        Header -> voltage [V] for every candidate column, most preferred first.

    Returns
    -------
    tuple
        The decision (``None`` if no column tells) and every column's agreement.
    """
    results = {h: detect_current_sign(current, v, rest_current) for h, v in voltages.items()}
    agreements = {h: a for h, (_, a) in results.items()}
    for header, (convention, agreement) in results.items():
        if convention is None:
            continue
        verb = "raises" if agreement > 0 else "lowers"
        evidence = (
            f"positive current {verb} {header!r} (agreement {agreement:+.2f}, "
            f"threshold ±{MIN_SIGN_AGREEMENT})"
        )
        first = next(iter(voltages))
        if header != first:
            evidence += f"; {first!r} does not tell (agreement {agreements[first]:+.2f})"
        opposite = {
            h: a
            for h, (c, a) in results.items()
            if c is not None and c != convention and h != header
        }
        if opposite:
            listed = ", ".join(f"{h!r} {a:+.2f}" for h, a in opposite.items())
            evidence += (
                f"; {listed} would give the opposite, not used ({header!r} ranks first; "
                "a working-electrode voltage is preferred to one that includes the counter "
                "electrode)"
            )
        return (
            SignDecision(convention, "detected", agreement, header, evidence, agreements),
            agreements,
        )
    return None, agreements
