"""Put a measured and a simulated step on one axis so their voltages can be subtracted.

Charge, discharge and hold steps are aligned on the specific capacity passed within the
step (a CC step's capacity is proportional to its time, and capacity is what the paper
compares); rests on the time since the rest began.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Curve column used as the common axis, by step type.
AXIS = {
    "charge": "specific_capacity_mAh_per_g",
    "discharge": "specific_capacity_mAh_per_g",
    "hold": "specific_capacity_mAh_per_g",
    "rest": "step_time_s",
}


def monotone_interp(x_new: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Linear interpolation on a non-decreasing ``x`` (repeated ``x`` keep their first ``y``).

    Outside ``[x[0], x[-1]]`` the end values are held.
    """
    x = np.maximum.accumulate(np.asarray(x, float))
    x_unique, first = np.unique(x, return_index=True)
    y = np.asarray(y, float)[first]
    if len(x_unique) == 1:
        return np.full(np.shape(x_new), y[0])
    return np.interp(x_new, x_unique, y)


def step_extent(step: pd.DataFrame | None, step_type: str) -> float:
    """Length of a step on its axis (capacity [mAh/g] or time [s]); 0 without data."""
    if step is None or not len(step):
        return 0.0
    return float(step[AXIS[step_type]].iloc[-1])


def measured_points(
    step: pd.DataFrame | None, step_type: str, upper: float, max_points: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The measured samples of a step whose axis value lies in ``[0, upper]``.

    Residuals are taken at the measured samples (the simulation, densely resolved, is
    interpolated to them): no interpolation of noisy or coarsely logged data, one residual
    per measurement. ``max_points`` keeps that many, evenly spread by index.

    Returns
    -------
    axis, voltage : numpy.ndarray
    """
    if step is None or not len(step):
        return np.zeros(0), np.zeros(0)
    x = step[AXIS[step_type]].to_numpy(float)
    v = step["voltage_V"].to_numpy(float)
    keep = np.flatnonzero((x >= 0) & (x <= upper * (1 + 1e-12)))
    if max_points is not None and len(keep) > max_points:
        keep = keep[np.unique(np.linspace(0, len(keep) - 1, max_points).round().astype(int))]
    return x[keep], v[keep]


def voltage_on_grid(
    step: pd.DataFrame | None, grid: np.ndarray, step_type: str, fallback_V: float
) -> np.ndarray:
    """A step's voltage at the axis values ``grid``, held at its last value beyond its end.

    A step with no data (the simulation never reached it, or the cut-off was already
    reached when it began) is taken as held at ``fallback_V`` (the measured step's end
    voltage, i.e. its cut-off).
    """
    if step is None or not len(step):
        return np.full(len(grid), float(fallback_V))
    return monotone_interp(grid, step[AXIS[step_type]].to_numpy(), step["voltage_V"].to_numpy())


def energy_per_gram(step: pd.DataFrame) -> float:
    """∫ V dq over a step [mWh/g]; 0 without data.

    Trapezoidal between samples; the capacity passed before the first sample (a logged
    step's first row comes one period after it began) counts at the first voltage.
    """
    if step is None or not len(step):
        return 0.0
    q = step["specific_capacity_mAh_per_g"].to_numpy(float)
    v = step["voltage_V"].to_numpy(float)
    return float(v[0] * q[0] + np.sum(0.5 * (v[1:] + v[:-1]) * np.diff(q)))
