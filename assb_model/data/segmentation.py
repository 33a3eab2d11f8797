"""Current sign convention, step / cycle segmentation and cumulative capacities.

All functions here work on plain arrays in SI units with the current already in the PyBaMM
convention (**positive = discharge**), except :func:`detect_current_sign`, which is what
decides that convention.

Rules
-----
* **Rest**: ``|I| <= rest_current_A``; the default threshold is :data:`REST_FRACTION` of the
  largest *sustained* ``|I|`` in the file (:func:`sustained_scale`: the largest value of the
  three-row running median of ``|I|``, which a one-row spike cannot move). Otherwise
  ``I > 0`` is discharge and ``I < 0`` charge.
* **Glitches**: a single row whose ``|I|`` exceeds :data:`SPIKE_FACTOR` times the sustained
  scale is a spike (:func:`find_spikes`); the loader replaces it by the running median (a
  Hampel filter) and reports it.
* **Step**: a new step starts whenever the mode (charge / discharge / rest) changes, the file's
  own step index changes (so CC and CV parts of a charge stay separate) or the cycle changes.
* **Cycle** (when the file has no cycle column): cycle 1 starts at the first row; a new cycle
  starts at the first row of a ``start`` half-cycle (charge by default, as the paper's cells
  are charged first from the pristine state) once the opposite half-cycle has occurred in the
  current cycle. Rests never start a cycle. A file that begins with the opposite half-cycle
  therefore has it alone in cycle 1.
* **Capacities** restart at zero at each cycle and grow only during steps of their direction;
  see :func:`cumulative_within_cycles`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

ChargeSign = Literal["charge-positive", "discharge-positive"]
SIGN_CONVENTIONS: tuple[str, ...] = ("charge-positive", "discharge-positive")
CycleStart = Literal["charge", "discharge"]

#: Default rest threshold as a fraction of the largest sustained |current| in the file.
REST_FRACTION = 1e-3
#: A one-row value more than this many times the sustained scale is a glitch (spike).
SPIKE_FACTOR = 10.0
#: Integration rules for the current (see :func:`integrated_counters`).
INTEGRATION_RULES = ("trapezoid", "interval-mean")
#: Minimum |agreement| for the sign heuristic to trust itself (see detect_current_sign).
MIN_SIGN_AGREEMENT = 0.5

#: 1 A s = 1/3.6 mAh and 1 W s = 1/3.6 mWh.
AS_TO_MAH = 1.0 / 3.6


def running_median3(values: np.ndarray) -> np.ndarray:
    """Median of each value with its two neighbours (mirrored at the ends).

    A value that differs from both neighbours in the same direction (a one-row spike) is
    replaced by the nearer neighbour; runs of two or more equal-ish values are kept.
    """
    x = np.asarray(values, dtype=float)
    if x.size < 3:
        return x.copy()
    padded = np.pad(x, 1, mode="reflect")
    return np.median(np.stack([padded[:-2], padded[1:-1], padded[2:]]), axis=0)


def sustained_scale(values: np.ndarray) -> float:
    """Largest ``|value|`` held for more than one row: ``max(running_median3(|values|))``.

    Non-finite values are ignored. A single spike cannot raise it; it equals ``max|values|``
    whenever every extreme lasts at least two rows.
    """
    a = np.abs(np.asarray(values, dtype=float))
    a = a[np.isfinite(a)]
    if a.size == 0:
        return 0.0
    return float(np.max(running_median3(a)))


def find_spikes(values: np.ndarray, floor: float = 0.0) -> np.ndarray:
    """Rows holding a one-row spike: ``|x| > SPIKE_FACTOR * sustained_scale`` (and ``> floor``).

    Because the scale is the largest three-row running median, any row above it differs
    from both of its neighbours, so every flagged row is isolated.

    Parameters
    ----------
    values : numpy.ndarray
        The column (e.g. current in A).
    floor : float, optional
        Values at or below this magnitude are never spikes.

    Returns
    -------
    numpy.ndarray
        Indices of the spikes (empty when the column has no sustained non-zero level).
    """
    scale = sustained_scale(values)
    if scale <= 0.0 or len(values) < 3:
        return np.array([], dtype=int)
    a = np.abs(np.asarray(values, dtype=float))
    return np.flatnonzero((a > SPIKE_FACTOR * scale) & (a > floor))


def default_rest_current(current: np.ndarray) -> float:
    """Rest threshold: :data:`REST_FRACTION` of the sustained ``|current|`` (0 if none flows)."""
    return REST_FRACTION * sustained_scale(current) if len(current) else 0.0


def _runs(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) indices of runs of equal consecutive labels."""
    if len(labels) == 0:
        return np.array([], dtype=int), np.array([], dtype=int)
    change = np.flatnonzero(labels[1:] != labels[:-1]) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [len(labels)]))
    return starts, ends


def detect_current_sign(
    current: np.ndarray, voltage: np.ndarray, rest_current: float
) -> tuple[ChargeSign | None, float]:
    """Infer whether the file's positive current is charge or discharge.

    Heuristic: charging raises the cell voltage. For every run of rows with the same current
    sign (rests excluded) take the voltage change from the row before the run to its last row,
    ``dV``, and form

    .. math:: a = \\frac{\\sum \\operatorname{sign}(I)\\, dV}{\\sum |dV|} \\in [-1, 1].

    ``a > 0`` means positive current raises the voltage (charge-positive, the usual cycler
    convention); ``a < 0`` means discharge-positive. The answer is trusted only when
    ``|a| >= MIN_SIGN_AGREEMENT`` (at least 75 % of the voltage movement agrees).

    Parameters
    ----------
    current : numpy.ndarray
        Current in the file's sign convention (any unit).
    voltage : numpy.ndarray
        Cell voltage.
    rest_current : float
        ``|current|`` at or below this is rest (same unit as ``current``).

    Returns
    -------
    tuple of (str or None, float)
        The convention, or ``None`` if it cannot be told (no current flows, the voltage does
        not move, or charge and discharge both move it the same way), and ``a``.
    """
    sign = np.where(np.abs(current) > rest_current, np.sign(current), 0.0)
    starts, ends = _runs(sign)
    active = sign[starts] != 0
    starts, ends = starts[active], ends[active]
    if len(starts) == 0:
        return None, 0.0
    before = voltage[np.maximum(starts - 1, 0)]
    dv = voltage[ends - 1] - before
    total = float(np.sum(np.abs(dv)))
    if total == 0.0:
        return None, 0.0
    agreement = float(np.sum(sign[starts] * dv)) / total
    if abs(agreement) < MIN_SIGN_AGREEMENT:
        return None, agreement
    return ("charge-positive" if agreement > 0 else "discharge-positive"), agreement


def classify_modes(current: np.ndarray, rest_current: float) -> np.ndarray:
    """Label each row ``"charge"``, ``"discharge"`` or ``"rest"`` (discharge-positive current).

    Parameters
    ----------
    current : numpy.ndarray
        Current [A], positive = discharge.
    rest_current : float
        Rest threshold [A].

    Returns
    -------
    numpy.ndarray
        Object array of mode labels.
    """
    modes = np.full(len(current), "rest", dtype=object)
    modes[current > rest_current] = "discharge"
    modes[current < -rest_current] = "charge"
    return modes


def number_cycles(modes: np.ndarray, start: CycleStart = "charge") -> np.ndarray:
    """Cycle numbers (from 1) from the mode sequence; see the module rules.

    Parameters
    ----------
    modes : numpy.ndarray
        Row modes from :func:`classify_modes`.
    start : {"charge", "discharge"}
        The half-cycle that opens a cycle.

    Returns
    -------
    numpy.ndarray
        Integer cycle number per row.
    """
    opposite = "discharge" if start == "charge" else "charge"
    cycles = np.ones(len(modes), dtype=np.int64)
    cycle, seen_opposite = 1, False
    starts, ends = _runs(modes)
    for a, b in zip(starts, ends, strict=True):
        if modes[a] == start and seen_opposite:
            cycle, seen_opposite = cycle + 1, False
        elif modes[a] == opposite:
            seen_opposite = True
        cycles[a:b] = cycle
    return cycles


def number_steps(*labels: np.ndarray) -> np.ndarray:
    """Step numbers (from 1): a new step whenever any of the label arrays changes.

    Parameters
    ----------
    *labels : numpy.ndarray
        Per-row labels, e.g. the mode, the cycle and the file's own step index.

    Returns
    -------
    numpy.ndarray
        Integer step number per row.
    """
    n = len(labels[0])
    change = np.zeros(n, dtype=bool)
    for label in labels:
        change[1:] |= label[1:] != label[:-1]
    return np.cumsum(change, dtype=np.int64) + 1


def integrated_counters(
    time: np.ndarray,
    current: np.ndarray,
    modes: np.ndarray,
    voltage: np.ndarray | None = None,
    rule: str = "trapezoid",
) -> tuple[np.ndarray, np.ndarray]:
    """Running charge and discharge throughput of the current integrated over time.

    ``x`` is the current (or the power ``I V`` when ``voltage`` is given) with rest rows set
    to zero. ``rule="trapezoid"``: each sampling interval contributes
    ``(x_k^+ + x_{k+1}^+) / 2 * dt`` to the discharge counter and the same with ``x^-`` to
    the charge counter (a current sampled at the time stamps). ``rule="interval-mean"``:
    row ``k`` holds the mean current of the interval ending at it, which contributes
    ``x_k^± dt_k`` (BioLogic EC-Lab writes ``<I>`` and ``dq = <I> dt`` this way).

    Parameters
    ----------
    time : numpy.ndarray
        Time [s].
    current : numpy.ndarray
        Current [A], positive = discharge.
    modes : numpy.ndarray
        Row modes; rest rows carry no current.
    voltage : numpy.ndarray, optional
        Voltage [V]; if given the counters are energies [mWh] instead of capacities [mAh].
    rule : {"trapezoid", "interval-mean"}
        How a row's current covers the sampling intervals.

    Returns
    -------
    tuple of numpy.ndarray
        ``(charge, discharge)`` counters, non-decreasing, starting at 0.
    """
    if rule not in INTEGRATION_RULES:
        raise ValueError(f"rule must be one of {INTEGRATION_RULES}, not {rule!r}")
    x = np.where(modes == "rest", 0.0, current)
    if voltage is not None:
        x = x * voltage
    dt = np.diff(time)
    out = []
    for part in (np.clip(-x, 0.0, None), np.clip(x, 0.0, None)):
        if rule == "trapezoid":
            increments = 0.5 * (part[:-1] + part[1:]) * dt * AS_TO_MAH
        else:
            increments = part[1:] * dt * AS_TO_MAH
        out.append(np.concatenate(([0.0], np.cumsum(increments))))
    return out[0], out[1]


def cumulative_within_cycles(
    charge_counter: np.ndarray,
    discharge_counter: np.ndarray,
    modes: np.ndarray,
    steps: np.ndarray,
    cycles: np.ndarray,
    *,
    continuous: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Charge and discharge capacity passed since the start of each row's cycle.

    Within each step of direction *d* the capacity passed is ``|C_d - C_ref|`` for the
    direction's counter ``C_d``; totals of earlier steps of the same cycle are carried, so
    both capacities are non-decreasing within a cycle and hold their value through rests.

    ``C_ref`` is the counter on the row before the step (``continuous=True``, for integrated
    counters). A cycler's own capacity column may instead restart at zero at each step, half
    cycle or cycle (``continuous=False``): then ``C_ref`` is whichever of the previous row's
    value and zero is closer to the step's first value, which handles every reset style as
    long as resets fall on step boundaries.

    Parameters
    ----------
    charge_counter, discharge_counter : numpy.ndarray
        Per-row counters (may be the same array for a single net-capacity column).
    modes, steps, cycles : numpy.ndarray
        Per-row mode, step and cycle.
    continuous : bool
        Whether the counters never reset.

    Returns
    -------
    tuple of numpy.ndarray
        ``(charge_capacity, discharge_capacity)`` in the counters' unit.
    """
    n = len(modes)
    charge, discharge = np.zeros(n), np.zeros(n)
    targets = {"charge": (charge, charge_counter), "discharge": (discharge, discharge_counter)}
    totals = {"charge": 0.0, "discharge": 0.0}
    starts, ends = _runs(steps)
    for a, b in zip(starts, ends, strict=True):
        if a == 0 or cycles[a] != cycles[a - 1]:
            totals = {"charge": 0.0, "discharge": 0.0}
        charge[a:b], discharge[a:b] = totals["charge"], totals["discharge"]
        mode = modes[a]
        if mode not in targets:
            continue
        out, counter = targets[mode]
        passed = np.abs(counter[a:b] - _reference(counter, a, continuous))
        out[a:b] += passed
        totals[mode] += float(passed[-1])
    return charge, discharge


def _reference(counter: np.ndarray, start: int, continuous: bool) -> float:
    first = float(counter[start])
    if start == 0:
        return 0.0 if continuous else first
    previous = float(counter[start - 1])
    if continuous or abs(first - previous) <= abs(first):
        return previous
    return 0.0


def first_decrease(values: np.ndarray) -> int | None:
    """Index of the first element smaller than its predecessor, or ``None``."""
    bad = np.flatnonzero(np.diff(values) < 0)
    return int(bad[0]) + 1 if len(bad) else None
