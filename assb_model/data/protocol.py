"""Turn a measured, segmented cycling file back into PyBaMM experiment steps.

The output is plain strings (this module does not import PyBaMM), e.g.::

    ["Rest for 600 seconds",
     "Charge at 0.102 mA until 3.8 V",
     "Discharge at 0.102 mA until 2.0 V"]

so that ``pybamm.Experiment(to_pybamm_experiment_steps(df))`` replays a measured protocol.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: A charge/discharge step whose voltage stays within this band [V] while its current decays
#: is written as a constant-voltage hold.
CV_VOLTAGE_BAND_V = 0.005


def to_pybamm_experiment_steps(
    df: pd.DataFrame,
    *,
    include_duration: bool = False,
    min_rest_s: float = 1.0,
) -> list[str]:
    """PyBaMM experiment step strings reproducing the steps of a loaded file.

    For each ``step`` in time order:

    * rest -> ``"Rest for N seconds"``, N from the step's first row to the next step's first
      row (rests shorter than ``min_rest_s`` are dropped);
    * charge / discharge -> ``"Charge at I mA until V V"`` with I the median ``|current|`` of
      the step (4 significant digits) and V the step's last voltage rounded to 10 mV;
    * a charge / discharge step whose voltage stays within :data:`CV_VOLTAGE_BAND_V` while
      ``|I|`` decays (a CV step, kept separate when the file has a step column) ->
      ``"Hold at V V until I mA"`` with I the last ``|current|``;
    * charge / discharge steps of a single instant (zero duration) are dropped.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`assb_model.data.load_cycling`.
    include_duration : bool
        Write ``"Charge at I mA for N seconds or until V V"`` so a step that ended on time
        rather than on voltage is replayed faithfully.
    min_rest_s : float
        Shortest rest [s] to keep.

    Returns
    -------
    list of str
        One string per step.
    """
    needed = {"time_s", "current_A", "voltage_V", "step", "step_type"}
    if not needed <= set(df.columns):
        raise ValueError(f"needs the columns of load_cycling; missing {needed - set(df.columns)}")
    time = df["time_s"].to_numpy(float)
    steps = df["step"].to_numpy()
    change = np.flatnonzero(steps[1:] != steps[:-1]) + 1
    starts = np.concatenate(([0], change)).astype(int)
    ends = np.concatenate((change, [len(df)])).astype(int)

    out: list[str] = []
    for a, b in zip(starts, ends, strict=True):
        step = df.iloc[a:b]
        kind = step["step_type"].iloc[0]
        duration = (time[b] if b < len(time) else time[b - 1]) - time[a]
        if kind == "rest":
            if duration >= min_rest_s:
                out.append(f"Rest for {duration:.0f} seconds")
            continue
        if time[b - 1] - time[a] <= 0:
            continue
        out.append(_active_step(step, kind, duration, include_duration))
    return out


def _active_step(step: pd.DataFrame, kind: str, duration: float, include_duration: bool) -> str:
    current_mA = np.abs(step["current_A"].to_numpy(float)) * 1e3
    voltage = step["voltage_V"].to_numpy(float)
    if _is_constant_voltage(current_mA, voltage):
        return f"Hold at {_volts(float(np.median(voltage)))} V until {current_mA[-1]:.4g} mA"
    verb = "Charge" if kind == "charge" else "Discharge"
    limit = f"for {duration:.0f} seconds or " if include_duration else ""
    return f"{verb} at {float(np.median(current_mA)):.4g} mA {limit}until {_volts(voltage[-1])} V"


def _is_constant_voltage(current_mA: np.ndarray, voltage: np.ndarray) -> bool:
    return (
        len(voltage) >= 3
        and float(np.ptp(voltage)) <= CV_VOLTAGE_BAND_V
        and current_mA[-1] < 0.9 * current_mA[0]
    )


def _volts(value: float) -> str:
    """Round to 10 mV and drop one trailing zero: 3.8 -> "3.8", 2.0 -> "2.0", 3.85 -> "3.85"."""
    text = f"{value:.2f}"
    return text[:-1] if text.endswith("0") else text
