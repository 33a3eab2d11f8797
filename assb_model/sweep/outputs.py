"""The outputs recorded for each sweep point, computed from a PyBaMM experiment solution.

Capacities and energies are integrated over the solver's time points as
:func:`assb_model.simulation.summarise_solution` does, so a sweep row equals the
``cycles`` table of :meth:`assb_model.simulation.CyclingSimulation.run` for the same
inputs and solver (to rounding). Only two variables are read, voltage and R_SE/Cat
(:data:`assb_model.sweep.solver.OUTPUT_VARIABLES`); the sweep's solver computes just
these during the solve (the full curves only when asked for), which keeps the per-point
cost close to the solve itself.
"""

import numpy as np
import pandas as pd
import pybamm

from assb_model.sweep.solver import R_SE_CAT

#: Output columns of the results table, with unit and meaning (docs/sweeps.md).
OUTPUT_COLUMNS: dict[str, str] = {
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

#: Bookkeeping columns after the outputs.
STATUS_COLUMNS = ("status", "error", "solve_time_s", "point_id")

#: Longest error message kept in the results table (PyBaMM's messages repeat the whole
#: experiment step).
MAX_ERROR_CHARS = 400


def _charge_mAh(t: np.ndarray, current_A: float) -> float:
    """Charge passed in a constant-current step [mAh] (trapezoidal rule, as
    :func:`~assb_model.simulation.summarise_solution`)."""
    if len(t) < 2:
        return 0.0
    return float(np.cumsum(np.abs(np.diff(t)) * current_A)[-1] / 3.6)


def _energy_mWh(t: np.ndarray, voltage: np.ndarray, current_A: float) -> float:
    """Energy of a constant-current step, the integral of V |I| dt [mWh]."""
    if len(t) < 2:
        return 0.0
    p = np.abs(voltage) * current_A
    return float(np.sum(np.abs(np.diff(t)) * 0.5 * (p[1:] + p[:-1])) / 3.6)


def empty_outputs() -> dict:
    """All outputs missing (NaN), for points that failed before any cycle completed."""
    out = {k: np.nan for k in OUTPUT_COLUMNS if k != "nmc_mass_mg"}
    out["cycles_completed"] = 0
    return out


def solution_outputs(
    solution: pybamm.Solution, nmc_mass_g: float, n_cycles: int, current_A: float
) -> tuple[dict, str]:
    """Per-point outputs of a cycling solution.

    Parameters
    ----------
    solution : pybamm.Solution
        Solution of the paper's experiment (charge step then discharge step per cycle).
    nmc_mass_g : float
        NMC mass that capacities are normalised by [g].
    n_cycles : int
        Cycles in the protocol.
    current_A : float
        Magnitude of the protocol's constant current (the same in every step) [A].

    Returns
    -------
    outputs : dict
        :data:`OUTPUT_COLUMNS` → value (NaN where not available).
    error : str
        Empty if all cycles completed; otherwise why not (the outputs of the completed
        cycles are still returned). A cycle with a step that PyBaMM skipped as infeasible
        (its cut-off already reached when it starts) is not complete.
    """
    out = empty_outputs()
    complete, stopped = [], ""
    for k, cyc in enumerate(solution.cycles, start=1):
        if cyc is None:
            continue
        steps = cyc.steps
        empty = [isinstance(step, pybamm.EmptySolution) for step in steps]
        if len(steps) != 2 or any(empty):
            if any(empty):
                kind = "charge" if empty[0] else "discharge"
                stopped = f"cycle {k}: the {kind} step is infeasible (cut-off reached at its start)"
            break
        complete.append(steps)
    if complete:
        # Only the variables the outputs need are read (the sweep's solver computes no
        # others): the first discharge's voltage, R_SE/Cat after the first and the last
        # charge.
        (charge1, discharge1), (charge_n, discharge_n) = complete[0], complete[-1]
        current = abs(float(current_A))
        qc = _charge_mAh(charge1.t, current)
        qd = _charge_mAh(discharge1.t, current)
        qd_n = _charge_mAh(discharge_n.t, current)
        ed = _energy_mWh(discharge1.t, discharge1["Voltage [V]"].entries, current)
        r_name = R_SE_CAT
        r1 = float(charge1[r_name].entries[-1])
        r_n = r1 if len(complete) == 1 else float(charge_n[r_name].entries[-1])
        out.update(
            {
                "discharge_capacity_mAh_per_g": qd / nmc_mass_g,
                "charge_capacity_mAh_per_g": qc / nmc_mass_g,
                "coulombic_efficiency": qd / qc if qc > 0 else np.nan,
                "energy_mWh_per_g": ed / nmc_mass_g,
                "mean_voltage_V": ed / qd if qd > 0 else np.nan,
                "last_discharge_capacity_mAh_per_g": qd_n / nmc_mass_g,
                "capacity_retention": qd_n / qd if qd > 0 else np.nan,
                "R_SE_Cat_after_first_charge_ohm": r1,
                "R_SE_Cat_end_ohm": r_n,
            }
        )
    out["cycles_completed"] = len(complete)
    error = ""
    if len(complete) < n_cycles:
        why = stopped or f"last step ended by: {solution.termination}"
        error = f"only {len(complete)} of {n_cycles} cycles completed ({why})"
    return out, error


def short_error(exc: BaseException | str) -> str:
    """One line, at most :data:`MAX_ERROR_CHARS` characters, naming the exception type."""
    text = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 3] + "..."


def curves_frame(solution: pybamm.Solution, nmc_mass_g: float) -> pd.DataFrame:
    """The full voltage curves (the layout of :attr:`SimulationResult.curves`)."""
    from assb_model.simulation.cycling import summarise_solution

    return summarise_solution(solution, nmc_mass_g)[1]
