"""One summary of a cycling solution, with one documented set of names.

- :func:`cycle_table`: one row per complete charge–discharge cycle
  (:data:`CYCLE_COLUMNS`); what :attr:`SimulationResult.cycles` holds.
- :func:`run_outputs`: one number per output (:data:`OUTPUTS`) for a whole run — the
  columns of a sweep's ``results.csv`` and of every what-if map.
- :func:`curves`: the time series (:data:`CURVE_COLUMNS`).

Capacities and energies are integrated over the solver's time points with the trapezoidal
rule. The summary reads only :data:`SUMMARY_VARIABLES`, so a solver that computes just those
(:func:`assb_model.simulation.solver.fast_solver`) gives the same numbers as one that
keeps the whole state.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pybamm

#: R_SE/Cat under a name without "/" (casadi function names cannot hold it, and IDAKLU
#: output variables become casadi functions).
R_SE_CAT = "SE-cathode interface resistance [Ohm]"

#: Variables the cycle table and the run outputs read (time is always available).
SUMMARY_VARIABLES = ("Current [A]", "Voltage [V]", R_SE_CAT)

#: Columns of :func:`cycle_table`, with unit and meaning.
CYCLE_COLUMNS: dict[str, str] = {
    "cycle": "cycle number (1 = the first charge from the pristine cell)",
    "charge_capacity_mAh_per_g": "charge capacity [mAh/g NMC]",
    "discharge_capacity_mAh_per_g": "discharge capacity [mAh/g NMC]",
    "coulombic_efficiency": "discharge / charge capacity [-]",
    "energy_mWh_per_g": "discharge energy, integral of V|I| dt / NMC mass [mWh/g]",
    "mean_voltage_V": "mean discharge voltage, energy / capacity [V vs Li-In]",
    "R_SE_Cat_after_charge_ohm": "SE/cathode interface resistance at the end of the charge, "
    "where the paper measured impedance [Ohm]",
}

#: Outputs of a run (:func:`run_outputs`), with unit and meaning (docs/sweeps.md).
OUTPUTS: dict[str, str] = {
    "discharge_capacity_mAh_per_g": "first-cycle discharge capacity [mAh/g NMC]",
    "charge_capacity_mAh_per_g": "first-cycle charge capacity [mAh/g NMC]",
    "coulombic_efficiency": "first-cycle discharge/charge capacity [-]",
    "energy_mWh_per_g": "first-cycle discharge energy, integral of V|I| dt / NMC mass [mWh/g]",
    "mean_voltage_V": "first-cycle mean discharge voltage, energy/capacity [V vs Li-In]",
    "last_discharge_capacity_mAh_per_g": "last-cycle discharge capacity [mAh/g NMC]",
    "capacity_retention": "last-cycle / first-cycle discharge capacity [-]",
    "R_SE_Cat_after_first_charge_ohm": "SE/cathode interface resistance after charge 1 [Ohm]",
    "R_SE_Cat_end_ohm": "SE/cathode interface resistance after the last charge [Ohm]",
    "cycles_completed": "complete charge-discharge cycles [-]",
    "nmc_mass_mg": "NMC mass the capacities are normalised by [mg]",
}

#: Columns of :func:`curves`.
CURVE_COLUMNS = (
    "cycle",
    "step",
    "step_type",
    "time_s",
    "current_A",
    "voltage_V",
    "cathode_potential_vs_Li_V",
    "specific_capacity_mAh_per_g",
)


def _integral(t: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Cumulative trapezoidal integral of ``y`` over ``t`` (starts at 0)."""
    if len(t) < 2:
        return np.zeros(len(t))
    return np.concatenate(([0.0], np.cumsum(np.abs(np.diff(t)) * 0.5 * (y[1:] + y[:-1]))))


def _step_kind(current: np.ndarray) -> str:
    if np.max(np.abs(current)) < 1e-12:
        return "rest"
    return "charge" if np.median(current) < 0 else "discharge"


def cycle_table(solution: pybamm.Solution, mass_g: float) -> tuple[pd.DataFrame, str]:
    """One row per complete cycle (:data:`CYCLE_COLUMNS`), and why the run stopped early.

    A cycle is complete when it charged (> 0) and discharged; a step that PyBaMM skipped
    as infeasible (its cut-off already reached when it starts) counts as nothing.

    Parameters
    ----------
    solution : pybamm.Solution
        Solution of a cycling experiment (rests allowed).
    mass_g : float
        NMC mass the capacities are normalised by [g].

    Returns
    -------
    table : pandas.DataFrame
    stopped : str
        Empty if every cycle completed, else the reason the first incomplete one did not.
    """
    columns: dict[str, list] = {name: [] for name in CYCLE_COLUMNS}
    stopped = ""
    for i, cyc in enumerate(solution.cycles, start=1):
        if cyc is None:
            continue
        charge = discharge = energy = 0.0
        has = {"charge": False, "discharge": False}
        r_cat = np.nan
        for j, step in enumerate(cyc.steps):
            if isinstance(step, pybamm.EmptySolution):
                if not stopped:
                    kind = "charge" if j == 0 else "discharge"
                    stopped = (
                        f"cycle {i}: the {kind} step is infeasible (cut-off reached at its start)"
                    )
                continue
            t = step.t
            current = step["Current [A]"].entries
            kind = _step_kind(current)
            if kind == "rest":
                continue
            q = _integral(t, np.abs(current))[-1] / 3.6  # mAh
            has[kind] = True
            if kind == "charge":
                charge += q
                r_cat = float(step[R_SE_CAT].entries[-1])
            else:
                discharge += q
                p = np.abs(step["Voltage [V]"].entries * current)
                energy += _integral(t, p)[-1] / 3.6  # mWh
        if not (has["charge"] and charge > 0 and has["discharge"]):
            stopped = stopped or f"cycle {i} did not complete"
            continue
        row = (
            i,
            charge / mass_g,
            discharge / mass_g,
            discharge / charge,
            energy / mass_g,
            energy / discharge if discharge > 0 else np.nan,
            r_cat,
        )
        for values, value in zip(columns.values(), row, strict=True):
            values.append(value)
    # built column by column: a frame from a list of row dicts costs ~1 ms, 5 % of a
    # one-cycle sweep point
    table = pd.DataFrame(
        {k: np.asarray(v, dtype=int if k == "cycle" else float) for k, v in columns.items()}
    )
    return table, stopped


def no_capacity(table: pd.DataFrame, stopped: str) -> bool:
    """The first charge could not start (its cut-off reached at its first instant): the
    run stores and delivers nothing (:class:`~assb_model.simulation.runner.NoCapacityError`)."""
    return len(table) == 0 and stopped.startswith("cycle 1: the charge step is infeasible")


def no_capacity_outputs(mass_g: float) -> dict:
    """What a cycler records for a run without capacity: 0 mAh/g charged and discharged,
    0 mWh/g; ratios (efficiency, retention, mean voltage) undefined."""
    out = empty_outputs()
    out["nmc_mass_mg"] = mass_g * 1e3
    for key in ("charge_capacity_mAh_per_g", "discharge_capacity_mAh_per_g", "energy_mWh_per_g"):
        out[key] = 0.0
    return out


def run_outputs(
    table: pd.DataFrame, n_cycles: int, mass_g: float, stopped: str = "", termination: str = ""
) -> tuple[dict, str]:
    """The run's :data:`OUTPUTS` from its :func:`cycle_table`.

    Returns
    -------
    outputs : dict
        NaN where not available (no complete cycle).
    error : str
        Empty if all ``n_cycles`` completed; otherwise why not (the outputs of the
        completed cycles are still returned).
    """
    out = empty_outputs()
    out["nmc_mass_mg"] = mass_g * 1e3
    if len(table):
        # plain dicts of the first and last rows (pandas row look-ups cost ~0.3 ms)
        values = table.to_numpy(dtype=float)
        first = dict(zip(table.columns, values[0], strict=True))
        last = dict(zip(table.columns, values[-1], strict=True))
        out.update(
            {
                "discharge_capacity_mAh_per_g": float(first["discharge_capacity_mAh_per_g"]),
                "charge_capacity_mAh_per_g": float(first["charge_capacity_mAh_per_g"]),
                "coulombic_efficiency": float(first["coulombic_efficiency"]),
                "energy_mWh_per_g": float(first["energy_mWh_per_g"]),
                "mean_voltage_V": float(first["mean_voltage_V"]),
                "last_discharge_capacity_mAh_per_g": float(last["discharge_capacity_mAh_per_g"]),
                "capacity_retention": float(
                    last["discharge_capacity_mAh_per_g"] / first["discharge_capacity_mAh_per_g"]
                )
                if first["discharge_capacity_mAh_per_g"] > 0
                else np.nan,
                "R_SE_Cat_after_first_charge_ohm": float(first["R_SE_Cat_after_charge_ohm"]),
                "R_SE_Cat_end_ohm": float(last["R_SE_Cat_after_charge_ohm"]),
            }
        )
    out["cycles_completed"] = len(table)
    error = ""
    if len(table) < n_cycles:
        why = stopped or f"last step ended by: {termination}"
        error = f"only {len(table)} of {n_cycles} cycles completed ({why})"
    return out, error


def empty_outputs() -> dict:
    """All outputs missing (NaN), for a run that failed before any cycle completed."""
    out = {k: np.nan for k in OUTPUTS}
    out["cycles_completed"] = 0
    return out


def curves(solution: pybamm.Solution, mass_g: float) -> pd.DataFrame:
    """Time series of every step (:data:`CURVE_COLUMNS`; needs the whole state)."""
    frames = []
    for i, cyc in enumerate(solution.cycles, start=1):
        if cyc is None:
            continue
        for j, step in enumerate(cyc.steps):
            if isinstance(step, pybamm.EmptySolution):
                continue
            t = step["Time [s]"].entries
            current = step["Current [A]"].entries
            kind = _step_kind(current)
            q = _integral(t, np.abs(current)) / 3.6 if kind != "rest" else np.zeros(len(t))
            frames.append(
                pd.DataFrame(
                    {
                        "cycle": i,
                        "step": j + 1,
                        "step_type": kind,
                        "time_s": t,
                        "current_A": current,
                        "voltage_V": step["Voltage [V]"].entries,
                        "cathode_potential_vs_Li_V": step["Cathode potential vs Li [V]"].entries,
                        "specific_capacity_mAh_per_g": q / mass_g,
                    }
                )
            )
    if not frames:
        return pd.DataFrame(columns=list(CURVE_COLUMNS))
    return pd.concat(frames, ignore_index=True)


__all__ = [
    "CURVE_COLUMNS",
    "CYCLE_COLUMNS",
    "OUTPUTS",
    "R_SE_CAT",
    "SUMMARY_VARIABLES",
    "curves",
    "cycle_table",
    "empty_outputs",
    "run_outputs",
]
