"""Per-cycle summary of a tidy cycling DataFrame from :func:`assb_model.data.load_cycling`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from assb_model.data.loaders import TIDY_COLUMNS
from assb_model.data.segmentation import cumulative_within_cycles, integrated_counters


def cycle_summary(df: pd.DataFrame, active_mass_g: float | None = None) -> pd.DataFrame:
    """Capacities, coulombic efficiency, mean voltages and energies per cycle.

    Capacities are the largest cumulative values in each cycle (the loader's integrated
    current). Energies integrate ``|I| V`` over the charge and discharge steps with the
    loader's integration rule (``df.attrs["integration_rule"]``, trapezoidal by default),
    and the mean voltage of a half-cycle is its energy divided by its integrated capacity
    (the capacity-weighted mean voltage).

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`assb_model.data.load_cycling`.
    active_mass_g : float, optional
        Active mass [g] for the per-gram columns; defaults to ``df.attrs["active_mass_g"]``.

    Returns
    -------
    pandas.DataFrame
        One row per cycle: ``cycle``, ``charge_capacity_mAh``, ``discharge_capacity_mAh``,
        (``charge_capacity_mAh_per_g``, ``discharge_capacity_mAh_per_g``),
        ``coulombic_efficiency`` (discharge / charge capacity, a fraction; NaN without a
        charge), ``mean_charge_voltage_V``, ``mean_discharge_voltage_V``,
        ``charge_energy_mWh`` and ``discharge_energy_mWh``.

    Raises
    ------
    ValueError
        If ``df`` lacks a tidy column or the mass is not positive.
    """
    missing = [c for c in TIDY_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"cycle_summary needs the columns of load_cycling; missing {missing}")
    mass = active_mass_g if active_mass_g is not None else df.attrs.get("active_mass_g")
    if mass is not None and not mass > 0:
        raise ValueError(f"active_mass_g must be positive, not {mass!r}")

    time = df["time_s"].to_numpy(float)
    current = df["current_A"].to_numpy(float)
    voltage = df["voltage_V"].to_numpy(float)
    modes = df["step_type"].to_numpy(object)
    steps = df["step"].to_numpy()
    cycles = df["cycle"].to_numpy()

    def per_cycle(counters: tuple[np.ndarray, np.ndarray]) -> tuple[pd.Series, pd.Series]:
        charge, discharge = cumulative_within_cycles(*counters, modes, steps, cycles)
        frame = pd.DataFrame({"cycle": cycles, "charge": charge, "discharge": discharge})
        grouped = frame.groupby("cycle", sort=True)
        return grouped["charge"].max(), grouped["discharge"].max()

    rule = df.attrs.get("integration_rule", "trapezoid")
    charge_q, discharge_q = per_cycle(integrated_counters(time, current, modes, rule=rule))
    charge_e, discharge_e = per_cycle(integrated_counters(time, current, modes, voltage, rule))
    grouped = df.groupby("cycle", sort=True)
    summary = pd.DataFrame(
        {
            "cycle": grouped["cycle"].first().to_numpy(),
            "charge_capacity_mAh": grouped["charge_capacity_mAh"].max().to_numpy(),
            "discharge_capacity_mAh": grouped["discharge_capacity_mAh"].max().to_numpy(),
        }
    )
    if mass is not None:
        summary["charge_capacity_mAh_per_g"] = summary["charge_capacity_mAh"] / mass
        summary["discharge_capacity_mAh_per_g"] = summary["discharge_capacity_mAh"] / mass
    with np.errstate(divide="ignore", invalid="ignore"):
        summary["coulombic_efficiency"] = _ratio(
            summary["discharge_capacity_mAh"].to_numpy(), summary["charge_capacity_mAh"].to_numpy()
        )
        summary["mean_charge_voltage_V"] = _ratio(charge_e.to_numpy(), charge_q.to_numpy())
        summary["mean_discharge_voltage_V"] = _ratio(discharge_e.to_numpy(), discharge_q.to_numpy())
    summary["charge_energy_mWh"] = charge_e.to_numpy()
    summary["discharge_energy_mWh"] = discharge_e.to_numpy()
    return summary


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator`` with NaN where the denominator is zero."""
    out = np.full(len(numerator), np.nan)
    ok = denominator > 0
    out[ok] = numerator[ok] / denominator[ok]
    return out
