"""Compare the model with measured cycling data, step by step and cycle by cycle.

:func:`compare` loads a cycler file, replays its protocol with the model
(:mod:`~assb_model.fit.replay`), aligns each simulated step with its
measured step (:mod:`~assb_model.fit.alignment`) and reports capacity,
voltage, mean-voltage and energy errors. All errors are **simulated − measured**.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pybamm

from assb_model.data.loaders import load_cycling
from assb_model.fit.alignment import (
    AXIS,
    energy_per_gram,
    measured_points,
    step_extent,
    voltage_on_grid,
)
from assb_model.fit.curves import measured_curves
from assb_model.fit.replay import (
    ComparisonError,
    MeasuredProtocol,
    ReplaySimulation,
    measured_protocol,
)
from assb_model.simulation import as_scenario

#: Most measured points per step used for the voltage errors (``None``: all).
DEFAULT_POINTS: int | None = None

#: Keys of each cycle in :meth:`Comparison.to_json_dict` (the ``assb compare --json`` layout).
JSON_KEYS = (
    "cycle",
    "measured_discharge_mAh_per_g",
    "simulated_discharge_mAh_per_g",
    "capacity_error_mAh_per_g",
    "voltage_rmse_mV",
    "voltage_max_error_mV",
)


@dataclass
class Comparison:
    """Result of :func:`compare`.

    Attributes
    ----------
    cycles : pandas.DataFrame
        One row per compared cycle (capacities, coulombic efficiencies, errors).
    steps : pandas.DataFrame
        One row per compared step.
    residuals : pandas.DataFrame
        Measured and simulated voltage on each step's common axis, and their difference.
    measured, simulated : pandas.DataFrame
        Curves (:mod:`assb_model.fit.curves`) of the compared cycles.
    source : str
        The measured file (or ``"DataFrame"``).
    parameter_set : str
    active_mass_g : float
        Measured active mass [g] the measured capacities are normalised by.
    notes : list of str
        Anything the user should know (e.g. the simulation stopped early).
    """

    cycles: pd.DataFrame
    steps: pd.DataFrame
    residuals: pd.DataFrame
    measured: pd.DataFrame
    simulated: pd.DataFrame
    source: str = "DataFrame"
    parameter_set: str = ""
    active_mass_g: float = math.nan
    notes: list[str] = field(default_factory=list)

    def to_json_dict(self) -> dict:
        """``{"cycles": [{...}]}`` with the keys :data:`JSON_KEYS` (NaN → ``None``)."""
        rows = []
        for _, r in self.cycles.iterrows():
            row = {k: _json_number(r[k]) for k in JSON_KEYS}
            row["cycle"] = int(r["cycle"])
            rows.append(row)
        return {"cycles": rows}


def _json_number(x):
    x = float(x)
    return None if not math.isfinite(x) else x


def parse_cycles(text: str | None) -> list[int] | None:
    """``"1,3,5-7"`` → ``[1, 3, 5, 6, 7]``; ``None``, ``""`` or ``"all"`` → ``None`` (all)."""
    if text is None or text.strip().lower() in ("", "all"):
        return None
    out: list[int] = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not m:
            raise ComparisonError(f"cannot read cycles '{text}' (expected e.g. 1,3,5-7)")
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        if b < a:
            raise ComparisonError(f"cycle range '{part.strip()}' runs backwards")
        out.extend(range(a, b + 1))
    return sorted(set(out))


def load_measured(
    measured: str | Path | pd.DataFrame, active_mass_g: float | None = None, **load_kwargs
) -> tuple[pd.DataFrame, str]:
    """A tidy DataFrame and a label, from a path (loaded) or a tidy DataFrame (as is)."""
    if isinstance(measured, pd.DataFrame):
        return measured, str(measured.attrs.get("source", "DataFrame"))
    df = load_cycling(measured, active_mass_g=active_mass_g, **load_kwargs)
    return df, str(measured)


def select_cycles(df: pd.DataFrame, cycles: Sequence[int] | None) -> list[int]:
    """The requested cycles, checked against the data (all cycles if ``None``)."""
    available = [int(c) for c in dict.fromkeys(df["cycle"].to_numpy())]
    if cycles is None:
        return available
    missing = sorted(set(cycles) - set(available))
    if missing:
        raise ComparisonError(
            f"cycle(s) {missing} not in the data; it has cycles {available[0]}–{available[-1]}"
        )
    return sorted(set(cycles))


def compare(
    measured: str | Path | pd.DataFrame,
    parameter_set="giraldo2021_sp_lpscl_coated",
    *,
    cycles: Sequence[int] | None = None,
    active_mass_g: float | None = None,
    options: dict | None = None,
    parameter_overrides: dict | None = None,
    var_pts: dict | None = None,
    solver: pybamm.BaseSolver | None = None,
    n_points: int | None = DEFAULT_POINTS,
    **load_kwargs,
) -> Comparison:
    """Run the model with a measured file's protocol and compare the two.

    The model replays every step of the file up to the last requested cycle (currents,
    cut-offs and rests from the data;
    :func:`~assb_model.fit.replay.measured_protocol`), starting from the
    pristine cell. Capacities are per gram of active material: the measured ones with
    ``active_mass_g``, the simulated ones with the set's NMC mass. When the two masses
    differ, the currents are scaled so the model sees the measured specific current [mA/g].

    Parameters
    ----------
    measured : str, pathlib.Path or pandas.DataFrame
        A cycler file (read with :func:`~assb_model.data.load_cycling`) or its tidy
        DataFrame.
    parameter_set : str or pybamm.ParameterValues
    cycles : sequence of int, optional
        Cycles to compare (default: all).
    active_mass_g : float, optional
        Measured active mass [g]; default ``df.attrs["active_mass_g"]``, else the set's NMC
        mass (6.9 mg for the paper's cells).
    options, parameter_overrides, var_pts, solver
        As for :func:`assb_model.simulate`.
    n_points : int, optional
        Most measured points per step used for the voltage errors (default: all).
    **load_kwargs
        Passed to :func:`~assb_model.data.load_cycling` (``current_sign=``, ``columns=``...).

    Returns
    -------
    Comparison
    """
    scenario = as_scenario(
        parameter_set, options=options, overrides=parameter_overrides, var_pts=var_pts
    )
    model_mass = float(scenario.parameter_values()["NMC mass [kg]"]) * 1e3
    label = scenario.label
    df, source = load_measured(measured, active_mass_g, **load_kwargs)
    mass = measured_mass(df, active_mass_g, model_mass)
    chosen = select_cycles(df, cycles)
    protocol = measured_protocol(df, last_cycle=max(chosen), current_scale=model_mass / mass)
    sim = ReplaySimulation(scenario, protocol, solver=solver)
    solution = sim.solve()
    simulated = sim.curves(solution)
    meas = measured_curves(df, mass)
    result = compare_curves(meas, simulated, protocol, chosen, n_points)
    result.source, result.parameter_set, result.active_mass_g = source, label, mass
    n_solved = sum(len(c.steps) for c in solution.cycles if c is not None)
    if n_solved < len(protocol.steps):
        result.notes.append(
            f"the simulation stopped after {n_solved} of {len(protocol.steps)} steps "
            f"({solution.termination}); later steps are compared as held at their cut-off"
        )
    return result


def measured_mass(df: pd.DataFrame, active_mass_g: float | None, model_mass: float) -> float:
    """The measured active mass [g]: the argument, else ``df.attrs``, else the model's."""
    mass = active_mass_g if active_mass_g is not None else df.attrs.get("active_mass_g")
    mass = model_mass if mass is None else float(mass)
    if not mass > 0:
        raise ComparisonError(f"active mass must be positive, not {mass!r}")
    return mass


def compare_curves(
    measured: pd.DataFrame,
    simulated: pd.DataFrame,
    protocol: MeasuredProtocol,
    cycles: Sequence[int] | None = None,
    n_points: int | None = DEFAULT_POINTS,
) -> Comparison:
    """Compare curves already computed (no simulation): the core of :func:`compare`.

    Parameters
    ----------
    measured, simulated : pandas.DataFrame
        Curves (:mod:`assb_model.fit.curves`).
    protocol : MeasuredProtocol
        The replayed steps (which measured steps to compare).
    cycles : sequence of int, optional
        Cycles to compare (default: all in ``protocol``).
    n_points : int, optional
        Most measured points per step used for the voltage errors (default: all).
    """
    chosen = set(protocol.cycles if cycles is None else cycles)
    meas_steps = dict(tuple(measured.groupby("step", sort=False)))
    sim_steps = dict(tuple(simulated.groupby("step", sort=False))) if len(simulated) else {}
    step_rows, residual_frames = [], []
    for spec in protocol.steps:
        if spec.cycle not in chosen:
            continue
        row, res = compare_step(meas_steps.get(spec.step), sim_steps.get(spec.step), spec, n_points)
        step_rows.append(row)
        residual_frames.append(res)
    steps = pd.DataFrame(step_rows)
    residuals = pd.concat(residual_frames, ignore_index=True)
    cycles_df = summarise_cycles(steps, residuals)
    keep = measured["cycle"].isin(chosen)
    keep_sim = simulated["cycle"].isin(chosen) if len(simulated) else slice(None)
    return Comparison(
        cycles_df,
        steps,
        residuals,
        measured[keep].reset_index(drop=True),
        simulated[keep_sim].reset_index(drop=True),
    )


def compare_step(
    meas: pd.DataFrame | None, sim: pd.DataFrame | None, spec, n_points: int | None = None
):
    """Metrics and residuals of one step (see :func:`compare_curves`).

    Returns
    -------
    row : dict
        Capacities [mAh/g], durations [s], mean voltages [V], energies [mWh/g], and voltage
        RMSE / max error [mV] at the measured samples within the common range of the step's
        axis (capacity, or time for rests).
    residuals : pandas.DataFrame
    """
    kind = spec.step_type
    axis = AXIS[kind]
    span_m, span_s = step_extent(meas, kind), step_extent(sim, kind)
    common = min(span_m, span_s)
    grid, v_m = measured_points(meas, kind, common, n_points)
    v_s = voltage_on_grid(sim, grid, kind, spec.end_voltage_V)
    err_mV = 1e3 * (v_s - v_m)
    compare_voltage = kind != "hold" and len(grid) > 0
    row = {
        "cycle": spec.cycle,
        "step": spec.step,
        "step_type": kind,
        "direction": _direction(meas, kind),
        "instruction": spec.instruction,
        "measured_duration_s": _last(meas, "step_time_s"),
        "simulated_duration_s": _last(sim, "step_time_s"),
        "measured_capacity_mAh_per_g": _last(meas, "specific_capacity_mAh_per_g"),
        "simulated_capacity_mAh_per_g": _last(sim, "specific_capacity_mAh_per_g"),
        "measured_energy_mWh_per_g": energy_per_gram(meas),
        "simulated_energy_mWh_per_g": energy_per_gram(sim),
        "common_range": common,
        "common_axis": axis,
        "voltage_rmse_mV": float(np.sqrt(np.mean(err_mV**2))) if compare_voltage else np.nan,
        "voltage_max_error_mV": float(np.max(np.abs(err_mV))) if compare_voltage else np.nan,
    }
    for who in ("measured", "simulated"):
        q = row[f"{who}_capacity_mAh_per_g"]
        row[f"{who}_mean_voltage_V"] = row[f"{who}_energy_mWh_per_g"] / q if q > 0 else np.nan
    residuals = pd.DataFrame(
        {
            "cycle": spec.cycle,
            "step": spec.step,
            "step_type": kind,
            "specific_capacity_mAh_per_g": grid if axis != "step_time_s" else np.nan,
            "step_time_s": grid if axis == "step_time_s" else np.nan,
            "measured_voltage_V": v_m,
            "simulated_voltage_V": v_s,
            "error_mV": err_mV,
        }
    )
    if not compare_voltage:
        residuals = residuals.iloc[0:0]
    return row, residuals


def _direction(meas: pd.DataFrame | None, kind: str) -> str:
    """Charge or discharge (a hold: from the sign of its current); rests: ``"rest"``."""
    if kind != "hold":
        return kind
    if meas is None or not len(meas):
        return "charge"
    return "charge" if float(meas["current_A"].mean()) < 0 else "discharge"


def _last(step: pd.DataFrame | None, column: str) -> float:
    return float(step[column].iloc[-1]) if step is not None and len(step) else 0.0


def summarise_cycles(steps: pd.DataFrame, residuals: pd.DataFrame) -> pd.DataFrame:
    """Per-cycle capacities, coulombic efficiencies and errors from the step table.

    Voltage RMSE and max error pool the charge and discharge steps' common ranges (rests and
    holds excluded); capacities, energies and mean voltages sum over a cycle's steps of each
    direction (a charge interrupted by a rest counts once).
    """
    rows = []
    active = residuals[residuals["step_type"].isin(["charge", "discharge"])]
    for cycle, part in steps.groupby("cycle", sort=True):
        row: dict = {"cycle": int(cycle)}
        for direction in ("charge", "discharge"):
            sel = part[part["direction"] == direction]
            for who in ("measured", "simulated"):
                q = float(sel[f"{who}_capacity_mAh_per_g"].sum()) if len(sel) else np.nan
                e = float(sel[f"{who}_energy_mWh_per_g"].sum()) if len(sel) else np.nan
                row[f"{who}_{direction}_mAh_per_g"] = q
                row[f"{who}_{direction}_energy_mWh_per_g"] = e
                row[f"{who}_mean_{direction}_voltage_V"] = e / q if q > 0 else np.nan
        for who in ("measured", "simulated"):
            qc, qd = row[f"{who}_charge_mAh_per_g"], row[f"{who}_discharge_mAh_per_g"]
            row[f"{who}_coulombic_efficiency"] = qd / qc if qc > 0 else np.nan
        qm, qs = row["measured_discharge_mAh_per_g"], row["simulated_discharge_mAh_per_g"]
        row["capacity_error_mAh_per_g"] = qs - qm
        row["capacity_error_percent"] = 100 * (qs - qm) / qm if qm > 0 else np.nan
        row["charge_capacity_error_mAh_per_g"] = (
            row["simulated_charge_mAh_per_g"] - row["measured_charge_mAh_per_g"]
        )
        err = active.loc[active["cycle"] == cycle, "error_mV"].to_numpy()
        row["voltage_rmse_mV"] = float(np.sqrt(np.mean(err**2))) if len(err) else np.nan
        row["voltage_max_error_mV"] = float(np.max(np.abs(err))) if len(err) else np.nan
        row["mean_discharge_voltage_error_mV"] = 1e3 * (
            row["simulated_mean_discharge_voltage_V"] - row["measured_mean_discharge_voltage_V"]
        )
        em = row["measured_discharge_energy_mWh_per_g"]
        es = row["simulated_discharge_energy_mWh_per_g"]
        row["discharge_energy_error_mWh_per_g"] = es - em
        row["discharge_energy_error_percent"] = 100 * (es - em) / em if em > 0 else np.nan
        rows.append(row)
    return pd.DataFrame(rows)
