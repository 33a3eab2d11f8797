"""Capacities from the current integrated over time, checked against the file's own columns.

A cycler's capacity counters are *not* used as the capacities: their resets need not fall
on the rows where the current changes sign (EC-Lab's ``Q charge/discharge/mA.h`` resets one
row after the step change in modulo-bat files, which turns a 0.18 mAh discharge into
0.46 mAh when the counter is differenced per step). Instead:

1. The current is integrated over time with a rule that matches how the instrument logs
   it (:func:`choose_rule`): ``interval-mean`` for BioLogic EC-Lab files (each row's
   current is the mean over the interval since the previous row, and EC-Lab's own
   ``dq = <I> Δt``), ``trapezoid`` otherwise. When the file has a running net-charge column
   (``dq``, ``(Q-Qo)``) both rules are compared with it and the closer one is used.
2. Every capacity-like column of the file is compared with that integral
   (:func:`check_columns`); a disagreement above :data:`CHECK_TOLERANCE` of the throughput
   is reported, never silently used or hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from assb_model.data.segmentation import (
    cumulative_within_cycles,
    integrated_counters,
)

#: Relative disagreement (of the total throughput) above which a file column is reported.
CHECK_TOLERANCE = 0.01


@dataclass
class CapacityCheck:
    """One file column compared with the integrated current."""

    column: str
    kind: str  # "net charge", "charge increment", "per-direction counters", "counter"
    charge_mAh: float
    discharge_mAh: float
    relative_difference: float

    @property
    def agrees(self) -> bool:
        return self.relative_difference <= CHECK_TOLERANCE

    def describe(self) -> str:
        verdict = "agrees" if self.agrees else "DISAGREES"
        return (
            f"{self.column} ({self.kind}): charge {self.charge_mAh:.6g} mAh, discharge "
            f"{self.discharge_mAh:.6g} mAh; {verdict} with the integrated current "
            f"({100 * self.relative_difference:.3g} % of the throughput)"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "kind": self.kind,
            "charge_mAh": self.charge_mAh,
            "discharge_mAh": self.discharge_mAh,
            "relative_difference": self.relative_difference,
            "agrees": self.agrees,
        }


def throughput(increments: np.ndarray) -> tuple[float, float]:
    """``(charge, discharge)`` totals of signed per-row increments (discharge positive)."""
    inc = np.asarray(increments, dtype=float)
    return float(np.clip(-inc, 0.0, None).sum()), float(np.clip(inc, 0.0, None).sum())


def integrated_totals(
    time_s: np.ndarray, current_A: np.ndarray, modes: np.ndarray, rule: str
) -> tuple[float, float]:
    """Total charge and discharge [mAh] of the integrated current."""
    charge, discharge = integrated_counters(time_s, current_A, modes, rule=rule)
    return float(charge[-1]), float(discharge[-1])


def _difference(a: tuple[float, float], b: tuple[float, float]) -> float:
    scale = max(a[0] + a[1], b[0] + b[1], 1e-300)
    return max(abs(a[0] - b[0]), abs(a[1] - b[1])) / scale


def choose_rule(
    time_s: np.ndarray,
    current_A: np.ndarray,
    modes: np.ndarray,
    default: str,
    net_increments: tuple[str, np.ndarray] | None,
) -> tuple[str, str]:
    """The integration rule and why.

    Parameters
    ----------
    time_s, current_A, modes : numpy.ndarray
        Time [s], current [A] (positive = discharge) and row modes.
    default : {"trapezoid", "interval-mean"}
        The instrument's rule.
    net_increments : tuple of (str, numpy.ndarray), optional
        ``(header, signed per-row charge increments [mAh], discharge positive)`` of a
        net-charge column, used to pick the closer rule.

    Returns
    -------
    tuple of (str, str)
        The rule and a sentence saying why.
    """
    reason = {
        "interval-mean": "BioLogic EC-Lab logs the mean current of the interval ending at "
        "each row (its dq = <I> dt)",
        "trapezoid": "the current is taken as sampled at the time stamps",
    }[default]
    if net_increments is None:
        return default, reason
    header, increments = net_increments
    target = throughput(increments)
    other = "trapezoid" if default == "interval-mean" else "interval-mean"
    misses = {
        rule: _difference(integrated_totals(time_s, current_A, modes, rule), target)
        for rule in (default, other)
    }
    if misses[other] < 0.5 * misses[default] and misses[default] > 1e-6:
        return other, (
            f"it reproduces {header!r} to {100 * misses[other]:.2g} % of the throughput "
            f"({default}: {100 * misses[default]:.2g} %)"
        )
    return default, f"{reason}; reproduces {header!r} to {100 * misses[default]:.2g} %"


def check_columns(
    totals: tuple[float, float],
    columns: dict[str, tuple[str, Any]],
    modes: np.ndarray,
    steps: np.ndarray,
    cycles: np.ndarray,
) -> list[CapacityCheck]:
    """Compare every capacity-like file column with the integrated totals.

    Parameters
    ----------
    totals : tuple of float
        Integrated ``(charge, discharge)`` [mAh].
    columns : dict
        ``header -> (kind, data)``: kind ``"net charge"`` / ``"charge increment"`` with
        signed per-row increments [mAh] (discharge positive); ``"per-direction counters"``
        with ``(charge counter, discharge counter)`` [mAh]; ``"counter"`` with one
        unsigned counter [mAh].
    modes, steps, cycles : numpy.ndarray
        Segmentation, for the counters (differenced per step, as cyclers reset them).

    Returns
    -------
    list of CapacityCheck
    """
    checks = []
    for header, (kind, data) in columns.items():
        if kind in ("net charge", "charge increment", "charge since the step start"):
            found = throughput(data)
        else:
            charge_counter, discharge_counter = data if kind != "counter" else (data, data)
            charge, discharge = cumulative_within_cycles(
                charge_counter, discharge_counter, modes, steps, cycles, continuous=False
            )
            found = _per_cycle_totals(charge, discharge, cycles)
        checks.append(CapacityCheck(header, kind, found[0], found[1], _difference(found, totals)))
    return checks


def _per_cycle_totals(
    charge: np.ndarray, discharge: np.ndarray, cycles: np.ndarray
) -> tuple[float, float]:
    """Sum over cycles of the largest within-cycle capacity."""
    total_c = total_d = 0.0
    for cycle in np.unique(cycles):
        rows = cycles == cycle
        total_c += float(charge[rows].max())
        total_d += float(discharge[rows].max())
    return total_c, total_d
