"""What-if maps: the questions users bring (capacity vs SE conductivity, coating,
cut-off voltage, SE fraction, current density).

Each function builds the model once per protocol and varies PyBaMM input parameters, and
returns a tidy :class:`pandas.DataFrame` (one row per point, ``status`` and ``error``
columns for points whose solve failed); :mod:`assb_model.plotting` draws them.
"""

import numpy as np
import pandas as pd

from assb_model.parameters.validation import ParameterError
from assb_model.simulation.cycling import CyclingSimulation, SimulationError
from assb_model.simulation.protocols import ScheduleSimulation, Segment

SIGMA = "Electrolyte conductivity [S.m-1]"
COATING_L = "Coating thickness [m]"
COATING_SIGMA = "Coating ionic conductivity [S.m-1]"
SE_FRACTION = "Positive electrode porosity"

#: Default grids (module constants so that defaults are not rebuilt per call).
SIGMA_GRID_S_PER_CM = tuple(np.logspace(-7, -2, 21))
COATING_GRID_NM = tuple(np.linspace(0, 30, 7))
CUTOFF_GRID_V = tuple(np.round(np.arange(3.6, 4.61, 0.1), 2))
SE_FRACTION_GRID = tuple(np.linspace(0.1, 0.55, 19))


def _summary(res) -> dict:
    c = res.cycles
    first = c.iloc[0]
    out = {
        "charge_capacity_mAh_per_g": float(first["charge_capacity_mAh_per_g"]),
        "discharge_capacity_mAh_per_g": float(first["discharge_capacity_mAh_per_g"]),
        "coulombic_efficiency": float(first["coulombic_efficiency"]),
        "R_SE_Cat_after_charge_ohm": float(first["R_SE_Cat_after_charge_ohm"]),
    }
    d = res.curves[(res.curves["cycle"] == 1) & (res.curves["step_type"] == "discharge")]
    if len(d) > 1:
        t = d["time_s"].to_numpy()
        p = d["voltage_V"].to_numpy() * np.abs(d["current_A"].to_numpy())
        energy_mWh = float(np.sum(0.5 * (p[1:] + p[:-1]) * np.diff(t))) / 3.6
        out["energy_mWh_per_g"] = energy_mWh / res.nmc_mass_g
        q = out["discharge_capacity_mAh_per_g"]
        out["mean_discharge_voltage_V"] = out["energy_mWh_per_g"] / q if q > 0 else np.nan
    return out


def _run_point(sim, current_density, inputs) -> dict:
    try:
        res = sim.run(current_density, **inputs)
        return {**_summary(res), "status": "ok", "error": ""}
    except (SimulationError, ParameterError) as exc:
        return {"status": "failed", "error": str(exc)}


def capacity_vs_conductivity(
    parameter_sets,
    sigma_S_per_cm=SIGMA_GRID_S_PER_CM,
    current_densities=(0.13, 1.0),
    progress=None,
) -> pd.DataFrame:
    """First-cycle capacity vs the SE's intrinsic ionic conductivity.

    Parameters
    ----------
    parameter_sets : list of str
    sigma_S_per_cm : array
        SE conductivities [S/cm] (Table 1's unit); the model parameter is in S/m.
    current_densities : tuple of float
        mA/cm2.
    progress : callable, optional
        Called once per point (e.g. ``tqdm.update``).
    """
    rows = []
    for name in parameter_sets:
        sim = CyclingSimulation(name, input_parameters=[SIGMA])
        for i in current_densities:
            for s in sigma_S_per_cm:
                rows.append(
                    {
                        "parameter_set": name,
                        "current_density_mA_per_cm2": i,
                        "sigma_SE_S_per_cm": s,
                        **_run_point(sim, i, {SIGMA: s * 100}),
                    }
                )
                if progress:
                    progress()
    return pd.DataFrame(rows)


def capacity_vs_coating(
    parameter_set="giraldo2021_sp_lpscl_coated",
    thickness_nm=COATING_GRID_NM,
    coating_sigma_S_per_cm=(1e-8, 1e-7, 1e-6),
    current_density=1.0,
    progress=None,
) -> pd.DataFrame:
    """First-cycle capacity and R_SE/Cat vs coating thickness and coating conductivity
    (interface kinetics per contact area held at the parameter set's values)."""
    sim = CyclingSimulation(parameter_set, input_parameters=[COATING_L, COATING_SIGMA])
    rows = []
    for sig in coating_sigma_S_per_cm:
        for l_nm in thickness_nm:
            inputs = {COATING_L: l_nm * 1e-9, COATING_SIGMA: sig * 100}
            rows.append(
                {
                    "parameter_set": parameter_set,
                    "current_density_mA_per_cm2": current_density,
                    "coating_thickness_nm": l_nm,
                    "coating_conductivity_S_per_cm": sig,
                    **_run_point(sim, current_density, inputs),
                }
            )
            if progress:
                progress()
    return pd.DataFrame(rows)


def cutoff_study(
    parameter_set="giraldo2021_sp_lpscl_coated",
    upper_cutoffs=CUTOFF_GRID_V,
    cycles=10,
    current_density=0.13,
    progress=None,
) -> pd.DataFrame:
    """Capacity, energy and ``cycles``-cycle retention vs the upper cut-off voltage."""
    rows = []
    for v in upper_cutoffs:
        row = {
            "parameter_set": parameter_set,
            "upper_cutoff_V_vs_LiIn": float(v),
            "current_density_mA_per_cm2": current_density,
        }
        try:
            sim = ScheduleSimulation(parameter_set, [Segment(cycles, current_density, float(v))])
            res = sim.run(allow_incomplete=True)
            c = res.cycles
            row.update(_summary(res))
            row["cycles_completed"] = len(c)
            q = c["discharge_capacity_mAh_per_g"].to_numpy()
            row["retention_percent"] = 100 * q[-1] / q[0] if len(q) == cycles else np.nan
            row["R_SE_Cat_end_ohm"] = float(c["R_SE_Cat_after_charge_ohm"].iloc[-1])
            row.update({"status": "ok" if len(q) == cycles else "failed", "error": ""})
            if len(q) < cycles:
                row["error"] = f"only {len(q)} of {cycles} cycles completed"
        except (SimulationError, ParameterError) as exc:
            row.update({"status": "failed", "error": str(exc)})
        rows.append(row)
        if progress:
            progress()
    return pd.DataFrame(rows)


def capacity_vs_se_fraction(
    parameter_set="giraldo2021_sp_lpscl_coated",
    se_fractions=SE_FRACTION_GRID,
    current_density=0.13,
    progress=None,
) -> pd.DataFrame:
    """First-cycle capacity vs SE volume fraction (NMC volume fraction held fixed; the
    percolation threshold shows as the onset)."""
    sim = CyclingSimulation(parameter_set, input_parameters=[SE_FRACTION])
    rows = []
    for phi in se_fractions:
        rows.append(
            {
                "parameter_set": parameter_set,
                "se_volume_fraction": float(phi),
                "current_density_mA_per_cm2": current_density,
                **_run_point(sim, current_density, {SE_FRACTION: float(phi)}),
            }
        )
        if progress:
            progress()
    return pd.DataFrame(rows)


def rate_capability(
    parameter_sets,
    current_densities=(0.05, 0.13, 0.25, 0.5, 1.0, 2.0),
    progress=None,
) -> pd.DataFrame:
    """First-cycle discharge capacity vs current density."""
    rows = []
    for name in parameter_sets:
        sim = CyclingSimulation(name)
        for i in current_densities:
            rows.append(
                {
                    "parameter_set": name,
                    "current_density_mA_per_cm2": i,
                    **_run_point(sim, i, {}),
                }
            )
            if progress:
                progress()
    return pd.DataFrame(rows)
