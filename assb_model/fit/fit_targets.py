"""The residual vector a cycling fit minimises.

For each measured step of the fitted cycles (charge, discharge, and optionally rests):

* **voltage residuals** at up to ``max_points`` measured samples over the *whole measured
  step* — capacity axis for charge/discharge, time for rests. The simulated voltage is
  interpolated to each sample, and held at its last value beyond the simulated step's
  end (the cut-off), so a simulated capacity shorter than the measured one costs the
  difference between the cut-off and the measured curve. Each is divided by
  ``sqrt(1 + (S_k σ_q / σ_V)²)``, with ``S_k`` the measured slope ``|dV/dq|`` at the
  sample and ``σ_q = capacity_tolerance × Q_step``: an errors-in-variables weight. Near
  the vertical end of a discharge, a capacity difference far below the cycler's accuracy
  changes the voltage at fixed capacity by hundreds of mV; the weight stops those few
  points from dominating the fit.
* one **capacity residual** per charge/discharge step, ``σ_V (Q_sim − Q_meas) / σ_q``,
  which carries the capacity information those weighted end points no longer do.

Residuals are in volts; at the true parameters and with voltage noise ``σ_V`` each has
standard deviation ≈ ``σ_V``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from assb_model.fit.alignment import (
    AXIS,
    measured_points,
    step_extent,
    voltage_on_grid,
)
from assb_model.fit.replay import MeasuredProtocol

#: Half-width (samples) of the central difference for the measured slope |dV/dq|.
SLOPE_HALF_WIDTH = 3


@dataclass(frozen=True)
class StepTarget:
    """One measured step in the residual vector.

    Attributes
    ----------
    step : int
        Measured step number (matches the simulated curves' ``step``).
    step_type : str
    axis : numpy.ndarray
        Measured samples' capacity [mAh/g] (time [s] for rests).
    voltage : numpy.ndarray
        Measured voltages at ``axis`` [V].
    weights : numpy.ndarray
        Errors-in-variables weights of the voltage residuals.
    capacity : float
        Measured capacity of the step [mAh/g] (0 for rests).
    capacity_sigma : float
        ``σ_q`` [mAh/g].
    fallback_V : float
        Voltage assumed for a step the simulation did not reach (its measured end).
    """

    step: int
    step_type: str
    axis: np.ndarray
    voltage: np.ndarray
    weights: np.ndarray
    capacity: float
    capacity_sigma: float
    fallback_V: float

    @property
    def size(self) -> int:
        """Number of residuals this step contributes."""
        return len(self.axis) + (self.step_type != "rest")


def build_targets(
    measured: pd.DataFrame,
    protocol: MeasuredProtocol,
    cycles: Sequence[int],
    *,
    max_points: int = 150,
    include_rests: bool = True,
    voltage_noise_V: float = 1e-3,
    capacity_tolerance: float = 1e-3,
) -> list[StepTarget]:
    """The fitted steps of one measured dataset.

    Parameters
    ----------
    measured : pandas.DataFrame
        Measured curves (:func:`assb_model.fit.curves.measured_curves`).
    protocol : MeasuredProtocol
    cycles : sequence of int
        Cycles to fit.
    max_points : int
        Most samples per step.
    include_rests : bool
        Fit the relaxation during rests as well.
    voltage_noise_V : float
        ``σ_V`` [V].
    capacity_tolerance : float
        ``σ_q`` relative to the step's capacity (default 0.1 %, a cycler's current accuracy).
    """
    kinds = ("charge", "discharge", "rest") if include_rests else ("charge", "discharge")
    by_step = dict(tuple(measured.groupby("step", sort=False)))
    out = []
    for spec in protocol.steps:
        if spec.cycle not in cycles or spec.step_type not in kinds or spec.step not in by_step:
            continue
        meas = by_step[spec.step]
        extent = step_extent(meas, spec.step_type)
        axis, voltage = measured_points(meas, spec.step_type, extent, max_points)
        if not len(axis):
            continue
        capacity = extent if spec.step_type != "rest" else 0.0
        sigma_q = capacity_tolerance * capacity
        weights = np.ones(len(axis))
        if spec.step_type != "rest":
            slope = measured_slope(meas, axis)
            weights = 1.0 / np.sqrt(1.0 + (slope * sigma_q / voltage_noise_V) ** 2)
        out.append(
            StepTarget(
                spec.step,
                spec.step_type,
                axis,
                voltage,
                weights,
                capacity,
                sigma_q,
                spec.end_voltage_V,
            )
        )
    return out


def measured_slope(step: pd.DataFrame, at: np.ndarray) -> np.ndarray:
    """``|dV/dq|`` of a measured step at capacities ``at`` (central difference over
    ±:data:`SLOPE_HALF_WIDTH` samples, so voltage noise hardly enters)."""
    q = step[AXIS["charge"]].to_numpy(float)
    v = step["voltage_V"].to_numpy(float)
    q_unique, first = np.unique(q, return_index=True)
    v = v[first]
    if len(q_unique) < 2:
        return np.zeros(len(at))
    k = np.arange(len(q_unique))
    lo = np.clip(k - SLOPE_HALF_WIDTH, 0, len(k) - 1)
    hi = np.clip(k + SLOPE_HALF_WIDTH, 0, len(k) - 1)
    slope = np.abs((v[hi] - v[lo]) / (q_unique[hi] - q_unique[lo]))
    return np.interp(at, q_unique, slope)


def target_residuals(
    targets: Sequence[StepTarget], simulated: pd.DataFrame, voltage_noise_V: float = 1e-3
) -> np.ndarray:
    """Residual vector (simulated − measured) for simulated curves; fixed length.

    Parameters
    ----------
    targets : sequence of StepTarget
    simulated : pandas.DataFrame
        Simulated curves (:mod:`~assb_model.fit.curves`); steps missing from it
        count as held at their measured end voltage with zero capacity.
    voltage_noise_V : float
        ``σ_V`` [V], the scale of the capacity residuals.
    """
    by_step = dict(tuple(simulated.groupby("step", sort=False))) if len(simulated) else {}
    parts = []
    for t in targets:
        sim = by_step.get(t.step)
        v_sim = voltage_on_grid(sim, t.axis, t.step_type, t.fallback_V)
        parts.append(t.weights * (v_sim - t.voltage))
        if t.step_type != "rest":
            q_sim = step_extent(sim, t.step_type)
            sigma = t.capacity_sigma if t.capacity_sigma > 0 else 1.0
            parts.append(np.array([voltage_noise_V * (q_sim - t.capacity) / sigma]))
    return np.concatenate(parts) if parts else np.zeros(0)


def voltage_rmse_mV(targets: Sequence[StepTarget], simulated: pd.DataFrame) -> float:
    """Unweighted voltage RMSE [mV] over the targets' samples (cut-off hold beyond the end)."""
    by_step = dict(tuple(simulated.groupby("step", sort=False))) if len(simulated) else {}
    err = [
        voltage_on_grid(by_step.get(t.step), t.axis, t.step_type, t.fallback_V) - t.voltage
        for t in targets
    ]
    e = np.concatenate(err) if err else np.zeros(0)
    return float(1e3 * np.sqrt(np.mean(e**2))) if len(e) else float("nan")
