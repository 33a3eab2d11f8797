"""Step-by-step curves (voltage against capacity passed within each step), measured or simulated.

Both :func:`measured_curves` and :func:`simulated_curves` return the same layout, one row
per sample:

=============================== ======================================================
``cycle``                       cycle number as in the measured file
``step``                        the measured file's step number (simulated steps carry
                                the number of the measured step they replay)
``step_type``                   ``"charge"``, ``"discharge"``, ``"rest"`` or ``"hold"``
``time_s``                      total time [s]
``step_time_s``                 time since the step started [s]
``current_A``                   positive = discharge (PyBaMM convention)
``voltage_V``                   cell voltage [V vs Li–In]
``specific_capacity_mAh_per_g`` capacity passed since the step started [mAh/g]
=============================== ======================================================
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pybamm

CURVE_COLUMNS = (
    "cycle",
    "step",
    "step_type",
    "time_s",
    "step_time_s",
    "current_A",
    "voltage_V",
    "specific_capacity_mAh_per_g",
)


def measured_curves(df: pd.DataFrame, active_mass_g: float) -> pd.DataFrame:
    """Curves of a tidy DataFrame from :func:`assb_model.data.load_cycling`.

    The capacity within a step is, when the file had capacity columns
    (``df.attrs["capacity_source"]`` starts with ``"file"``), the change of the loader's
    counter since the row before the step (zero at a cycle start, where the counters
    restart). Otherwise it is integrated here: the trapezoidal rule within the step, and
    ``|I| Δt`` with the step's first current for the interval from the previous row (the
    step began then, with its own current; the loader's trapezoid across the step boundary
    would credit only half of that interval, shifting the whole step by ``I Δt / 2``).

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`~assb_model.data.load_cycling`.
    active_mass_g : float
        Active mass [g] to normalise by.

    Returns
    -------
    pandas.DataFrame
        :data:`CURVE_COLUMNS`.
    """
    if not active_mass_g > 0:
        raise ValueError(f"active_mass_g must be positive, not {active_mass_g!r}")
    time = df["time_s"].to_numpy(float)
    cycle = df["cycle"].to_numpy()
    step = df["step"].to_numpy()
    kind = df["step_type"].to_numpy(object)
    current = df["current_A"].to_numpy(float)
    from_file = str(df.attrs.get("capacity_source", "")).startswith("file")
    counters = {
        "charge": df["charge_capacity_mAh"].to_numpy(float),
        "discharge": df["discharge_capacity_mAh"].to_numpy(float),
    }
    change = np.flatnonzero(step[1:] != step[:-1]) + 1
    starts = np.concatenate(([0], change)).astype(int)
    ends = np.concatenate((change, [len(df)])).astype(int)
    step_time = np.empty(len(df))
    capacity = np.zeros(len(df))
    for a, b in zip(starts, ends, strict=True):
        # the step began when the previous row was logged (the loader credits that interval
        # to this step)
        step_time[a:b] = time[a:b] - time[max(a - 1, 0)]
        if kind[a] in counters and from_file:
            q = counters[kind[a]]
            ref = q[a - 1] if a > 0 and cycle[a - 1] == cycle[a] else 0.0
            capacity[a:b] = np.maximum.accumulate(np.maximum(q[a:b] - ref, 0.0))
        elif kind[a] != "rest":
            capacity[a:b] = _integrate_step(time, current, a, b)
    return pd.DataFrame(
        {
            "cycle": cycle.astype(int),
            "step": step.astype(int),
            "step_type": kind,
            "time_s": time,
            "step_time_s": step_time,
            "current_A": current,
            "voltage_V": df["voltage_V"].to_numpy(float),
            "specific_capacity_mAh_per_g": capacity / active_mass_g,
        }
    )


def _integrate_step(time: np.ndarray, current: np.ndarray, a: int, b: int) -> np.ndarray:
    """Capacity [mAh] passed since the step ``[a, b)`` began (at the previous row)."""
    i = np.abs(current[a:b])
    first = i[0] * (time[a] - time[a - 1]) if a > 0 else 0.0
    inside = 0.5 * (i[1:] + i[:-1]) * np.diff(time[a:b])
    return (first + np.concatenate(([0.0], np.cumsum(inside)))) / 3.6


def simulated_curves(solution: pybamm.Solution, steps: Sequence, mass_g: float) -> pd.DataFrame:
    """Curves of an experiment solution whose steps replay ``steps``.

    Parameters
    ----------
    solution : pybamm.Solution
        Solution of a :class:`pybamm.Experiment` built from ``steps`` (one cycle per
        measured cycle, in order).
    steps : sequence of :class:`assb_model.fit.replay.ReplayStep`
        The replayed steps, in order.
    mass_g : float
        Model NMC mass [g].

    Returns
    -------
    pandas.DataFrame
        :data:`CURVE_COLUMNS`; steps the solver did not reach, or that ended at once (the
        cut-off already reached), have no rows.
    """
    frames = []
    solved = [s for cyc in solution.cycles if cyc is not None for s in cyc.steps]
    for spec, step in zip(steps, solved, strict=False):
        if isinstance(step, pybamm.EmptySolution) or len(step.t) < 2:
            continue
        t = step["Time [s]"].entries
        current = step["Current [A]"].entries
        dq = np.abs(np.diff(t)) * 0.5 * np.abs(current[1:] + current[:-1]) / 3.6
        q = np.concatenate(([0.0], np.cumsum(dq))) if spec.step_type != "rest" else 0.0 * t
        frames.append(
            pd.DataFrame(
                {
                    "cycle": spec.cycle,
                    "step": spec.step,
                    "step_type": spec.step_type,
                    "time_s": t,
                    "step_time_s": t - t[0],
                    "current_A": current,
                    "voltage_V": step["Voltage [V]"].entries,
                    "specific_capacity_mAh_per_g": q / mass_g,
                }
            )
        )
    if not frames:
        return pd.DataFrame({c: [] for c in CURVE_COLUMNS})
    return pd.concat(frames, ignore_index=True)
