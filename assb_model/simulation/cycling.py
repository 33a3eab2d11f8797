"""Running the paper's protocol: CC charge to an upper cut-off, CC discharge to 2.0 V."""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pybamm

from assb_model.model import ASSBModel
from assb_model.parameters.sets import load_parameter_set
from assb_model.parameters.validation import (
    ParameterError,
    validate_parameter_values,
    validate_protocol,
)

#: Default mesh: points across separator and composite, and radially in NMC particles.
#: Chosen from a mesh-convergence check (docs/model.md: capacity changes < 0.2 mAh/g
#: when every count is doubled).
DEFAULT_VAR_PTS = {"x_s": 8, "x_p": 24, "r_p": 16}


class SimulationError(RuntimeError):
    """The solver failed; the message says at which step and why."""


@dataclass
class SimulationResult:
    """Result of :func:`simulate`.

    Attributes
    ----------
    cycles : pandas.DataFrame
        One row per cycle: cycle, charge/discharge capacity (mAh/g of NMC), coulombic
        efficiency, and the SE/cathode interface resistance at the end of the charge (where
        the paper measured impedance).
    curves : pandas.DataFrame
        Time series: cycle, step, time, current, voltage, cathode potential vs Li,
        specific capacity within the step.
    solution : pybamm.Solution
    parameter_values : pybamm.ParameterValues
    nmc_mass_g : float
    """

    cycles: pd.DataFrame
    curves: pd.DataFrame
    solution: pybamm.Solution
    parameter_values: pybamm.ParameterValues
    nmc_mass_g: float
    protocol: dict = field(default_factory=dict)

    def to_json_dict(self) -> dict:
        """The per-cycle table in the CLI's JSON layout."""
        keys = [
            "cycle",
            "charge_capacity_mAh_per_g",
            "discharge_capacity_mAh_per_g",
            "coulombic_efficiency",
        ]
        rows = []
        for _, r in self.cycles.iterrows():
            rows.append({k: (int(r[k]) if k == "cycle" else _float_or_none(r[k])) for k in keys})
        return {"cycles": rows}


def _float_or_none(x):
    x = float(x)
    return None if np.isnan(x) else x


def resolve_parameters(
    parameter_set, parameter_overrides=None
) -> tuple[pybamm.ParameterValues, str]:
    """Parameter values from a set name or a ParameterValues, with overrides applied."""
    if isinstance(parameter_set, pybamm.ParameterValues):
        pv, label = parameter_set.copy(), "parameter values"
    else:
        pv, label = load_parameter_set(parameter_set), str(parameter_set)
    if parameter_overrides:
        unknown = [k for k in parameter_overrides if k not in pv.keys()]
        if unknown:
            raise ParameterError(f"{label}: unknown parameter(s) {unknown}")
        pv.update(dict(parameter_overrides))
        validate_parameter_values(pv, label)
    return pv, label


def with_inputs(pv: pybamm.ParameterValues, names, label: str = "") -> pybamm.ParameterValues:
    """A copy of ``pv`` with the named parameters turned into PyBaMM input parameters.

    Raises :class:`ParameterError` naming any parameter the values do not contain.
    """
    unknown = [n for n in names if n not in pv.keys()]
    if unknown:
        raise ParameterError(f"{label}: unknown parameter(s) {unknown}")
    pv = pv.copy()
    for name in names:
        pv[name] = "[input]"
    return pv


#: Name of the input parameter that carries the current density of a cycling run.
CURRENT_DENSITY_INPUT = "Current density [mA.cm-2]"


def paper_experiment(current, upper_cutoff: float, lower_cutoff: float, cycles: int):
    """The paper's CC protocol as a :class:`pybamm.Experiment`.

    Parameters
    ----------
    current : float or pybamm.Symbol
        Charge and discharge current magnitude [A]; may contain input parameters, so that
        one built simulation serves any current.
    upper_cutoff, lower_cutoff : float
        Cut-off voltages [V vs Li–In].
    cycles : int
    """
    cycle = (
        pybamm.step.current(-current, termination=f"> {upper_cutoff} V"),
        pybamm.step.current(current, termination=f"< {lower_cutoff} V"),
    )
    return pybamm.Experiment([cycle] * cycles)


class CyclingSimulation:
    """The paper's galvanostatic protocol, built once and run with any inputs.

    The model is built and discretised once; the current density and any parameter named
    in ``input_parameters`` are PyBaMM input parameters, so :meth:`run` only solves.

    Parameters
    ----------
    parameter_set : str or pybamm.ParameterValues
    upper_cutoff, lower_cutoff : float
        Cut-off voltages [V vs Li–In] (a change needs a new simulation).
    cycles : int
    options : dict, optional
        Model options (:class:`assb_model.ASSBModel`).
    input_parameters : iterable of str, optional
        Parameter names to turn into inputs (values given to :meth:`run`).
    parameter_overrides : dict, optional
    var_pts : dict, optional
    solver : pybamm.BaseSolver, optional
    """

    def __init__(
        self,
        parameter_set="giraldo2021_sp_lpscl_coated",
        upper_cutoff: float = 3.8,
        lower_cutoff: float = 2.0,
        cycles: int = 1,
        options: dict | None = None,
        input_parameters=(),
        parameter_overrides: dict | None = None,
        var_pts: dict | None = None,
        solver: pybamm.BaseSolver | None = None,
    ):
        pv, self.label = resolve_parameters(parameter_set, parameter_overrides)
        validate_protocol(pv, 1.0, upper_cutoff, lower_cutoff, cycles)
        self.parameter_values = pv.copy()
        self.input_parameters = tuple(input_parameters)
        pv = with_inputs(pv, self.input_parameters, self.label)
        self.area_m2 = pv["Electrode width [m]"] * pv["Electrode height [m]"]
        self.nmc_mass_g = nmc_mass_g(pv, self.label)
        current = pybamm.InputParameter(CURRENT_DENSITY_INPUT) * 10 * self.area_m2
        self.protocol = {
            "upper_cutoff_V_vs_LiIn": upper_cutoff,
            "lower_cutoff_V_vs_LiIn": lower_cutoff,
            "cycles": cycles,
        }
        model = ASSBModel(options)
        self.simulation = pybamm.Simulation(
            model,
            parameter_values=pv,
            experiment=paper_experiment(current, upper_cutoff, lower_cutoff, cycles),
            var_pts={**model.default_var_pts, **(var_pts or DEFAULT_VAR_PTS)},
            solver=solver or pybamm.IDAKLUSolver(),
        )

    def run(self, current_density: float = 0.13, **inputs) -> "SimulationResult":
        """Solve the protocol.

        Parameters
        ----------
        current_density : float
            Current density [mA/cm2].
        **inputs
            Values of the ``input_parameters``, by parameter name (use a dict:
            ``run(0.13, **{"Electrolyte conductivity [S.m-1]": 1e-3})``).
        """
        validate_protocol(
            self.parameter_values,
            current_density,
            self.protocol["upper_cutoff_V_vs_LiIn"],
            self.protocol["lower_cutoff_V_vs_LiIn"],
            self.protocol["cycles"],
        )
        missing = set(self.input_parameters) - set(inputs)
        extra = set(inputs) - set(self.input_parameters)
        if missing or extra:
            raise ParameterError(
                f"{self.label}: inputs must be exactly {sorted(self.input_parameters)}; "
                f"missing {sorted(missing)}, unexpected {sorted(extra)}"
            )
        values = self.parameter_values.copy()
        values.update(inputs)
        validate_parameter_values(values, self.label)
        all_inputs = {CURRENT_DENSITY_INPUT: current_density, **inputs}
        try:
            solution = self.simulation.solve(inputs=all_inputs)
        except pybamm.SolverError as exc:
            raise SimulationError(f"{self.label}: solver failed: {exc}") from exc
        cycles_df, curves = summarise_solution(solution, self.nmc_mass_g)
        n = self.protocol["cycles"]
        if len(cycles_df) < n:
            raise SimulationError(
                f"{self.label}: only {len(cycles_df)} of {n} cycles completed "
                f"(last step ended by: {solution.termination})"
            )
        protocol = {"current_density_mA_per_cm2": current_density, **self.protocol}
        return SimulationResult(cycles_df, curves, solution, values, self.nmc_mass_g, protocol)


def simulate(
    parameter_set="giraldo2021_sp_lpscl_coated",
    current_density: float = 0.13,
    upper_cutoff: float = 3.8,
    lower_cutoff: float = 2.0,
    cycles: int = 1,
    options: dict | None = None,
    parameter_overrides: dict | None = None,
    var_pts: dict | None = None,
    solver: pybamm.BaseSolver | None = None,
) -> SimulationResult:
    """Simulate the paper's galvanostatic protocol.

    Parameters
    ----------
    parameter_set : str or pybamm.ParameterValues
        A parameter-set name (:func:`assb_model.list_parameter_sets`) or values.
    current_density : float
        Charge and discharge current density [mA/cm2] (paper: 0.13–1).
    upper_cutoff, lower_cutoff : float
        Cut-off voltages [V vs Li–In] (paper: 3.8–4.4 and 2.0).
    cycles : int
        Number of charge–discharge cycles, starting with a charge from the pristine state.
    options : dict, optional
        Model options (:class:`assb_model.ASSBModel`).
    parameter_overrides : dict, optional
        Parameter name → value replacing the set's values.
    var_pts : dict, optional
        Mesh points; default :data:`DEFAULT_VAR_PTS`.
    solver : pybamm.BaseSolver, optional
        Default :class:`pybamm.IDAKLUSolver`.

    Returns
    -------
    SimulationResult

    See Also
    --------
    CyclingSimulation : build once, run many times with input parameters.
    """
    pv, _ = resolve_parameters(parameter_set, parameter_overrides)
    validate_protocol(pv, current_density, upper_cutoff, lower_cutoff, cycles)
    sim = CyclingSimulation(
        parameter_set,
        upper_cutoff,
        lower_cutoff,
        cycles,
        options,
        parameter_overrides=parameter_overrides,
        var_pts=var_pts,
        solver=solver,
    )
    return sim.run(current_density)


def nmc_mass_g(pv: pybamm.ParameterValues, label: str = "") -> float:
    """NMC mass in grams (the paper normalises capacity by the NMC mass)."""
    if "NMC mass [kg]" not in pv.keys():
        raise ParameterError(f"{label}: no 'NMC mass [kg]' to normalise capacity by")
    return float(pv["NMC mass [kg]"]) * 1e3


def summarise_solution(solution: pybamm.Solution, mass_g: float):
    """Per-cycle capacities and the curves, from an experiment solution."""
    rows, frames = [], []
    for i, cyc in enumerate(solution.cycles, start=1):
        if cyc is None:
            continue
        caps = {}
        for j, step in enumerate(cyc.steps):
            if isinstance(step, pybamm.EmptySolution):
                # the step was infeasible from its start (cut-off reached at once)
                caps["charge" if j == 0 else "discharge"] = 0.0
                continue
            t = step["Time [s]"].entries
            current = step["Current [A]"].entries
            q_mAh = (
                np.concatenate(
                    [
                        [0.0],
                        np.cumsum(np.abs(np.diff(t)) * 0.5 * np.abs(current[1:] + current[:-1])),
                    ]
                )
                / 3.6
            )
            if np.max(np.abs(current)) < 1e-12:
                kind = "rest"
            else:
                kind = "charge" if np.median(current) < 0 else "discharge"
                caps[kind] = caps.get(kind, 0.0) + q_mAh[-1] / mass_g
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
                        "specific_capacity_mAh_per_g": q_mAh / mass_g,
                    }
                )
            )
        # the paper measured impedance after the charge: report R_SE/Cat there
        first = cyc.steps[0]
        r_cat = (
            np.nan
            if isinstance(first, pybamm.EmptySolution)
            else float(first["SE/cathode interface resistance [Ohm]"].entries[-1])
        )
        qc, qd = caps.get("charge", np.nan), caps.get("discharge", np.nan)
        # a cycle whose charge was skipped as infeasible (nothing charged) is not complete
        complete = caps.get("charge", 0.0) > 0 and "discharge" in caps
        rows.append(
            {
                "cycle": i,
                "charge_capacity_mAh_per_g": qc,
                "discharge_capacity_mAh_per_g": qd if complete else np.nan,
                "coulombic_efficiency": qd / qc if complete else np.nan,
                "R_SE_Cat_after_charge_ohm": r_cat,
            }
        )
    cycles = pd.DataFrame(rows)
    if not len(cycles):
        cycles = pd.DataFrame(
            columns=[
                "cycle",
                "charge_capacity_mAh_per_g",
                "discharge_capacity_mAh_per_g",
                "coulombic_efficiency",
                "R_SE_Cat_after_charge_ohm",
            ]
        )
    else:
        cycles = cycles[cycles["discharge_capacity_mAh_per_g"].notna()].reset_index(drop=True)
    curves = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return cycles, curves
