"""Replay a measured protocol with the model: measured steps → :class:`pybamm.Experiment`.

Each measured step becomes one experiment step (``to_pybamm_experiment_steps``): a
charge or discharge at the step's median current until the voltage it ended at, a
constant-voltage hold, or a rest of the measured duration. Measured cycles become
experiment cycles, so ``solution.cycles[i].steps[j]`` replays the j-th kept step of the
i-th measured cycle. The model starts pristine (fully discharged NMC), as the paper's
cells do: replay a file from the cell's first charge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pybamm

from assb_model.data.protocol import to_pybamm_experiment_steps
from assb_model.errors import UserError
from assb_model.fit.curves import simulated_curves
from assb_model.simulation import MeasuredSteps, Runner, as_scenario
from assb_model.simulation.runner import nmc_mass_g


class ComparisonError(UserError, ValueError):
    """A comparison cannot be set up (e.g. a requested cycle is not in the data)."""


_CURRENT = re.compile(r"at ([0-9.eE+-]+) mA")


@dataclass(frozen=True)
class ReplayStep:
    """One measured step and the PyBaMM instruction that replays it.

    Parameters
    ----------
    cycle, step : int
        Measured cycle and step numbers.
    step_type : str
        ``"charge"``, ``"discharge"``, ``"rest"`` or ``"hold"`` (constant voltage).
    instruction : str
        PyBaMM experiment step string.
    end_voltage_V : float
        Last measured voltage of the step (where the replayed step stops).
    """

    cycle: int
    step: int
    step_type: str
    instruction: str
    end_voltage_V: float


@dataclass(frozen=True)
class MeasuredProtocol:
    """The replayable steps of a measured file.

    Parameters
    ----------
    steps : tuple of ReplayStep
    current_scale : float
        Factor applied to every measured current (model NMC mass / measured active mass),
        so the model sees the measured specific current [mA/g].
    """

    steps: tuple[ReplayStep, ...]
    current_scale: float = 1.0

    @property
    def cycles(self) -> list[int]:
        """Measured cycle numbers, in order."""
        return list(dict.fromkeys(s.cycle for s in self.steps))

    def pybamm_protocol(self) -> MeasuredSteps:
        """The steps as a simulation-layer protocol, one experiment cycle per cycle."""
        grouped = [tuple(s.instruction for s in self.steps if s.cycle == c) for c in self.cycles]
        return MeasuredSteps(tuple(grouped))

    def experiment(self) -> pybamm.Experiment:
        """The protocol as a :class:`pybamm.Experiment`, one experiment cycle per cycle."""
        return self.pybamm_protocol().experiment(1.0)


def measured_protocol(
    df: pd.DataFrame,
    *,
    last_cycle: int | None = None,
    current_scale: float = 1.0,
    min_rest_s: float = 1.0,
) -> MeasuredProtocol:
    """The steps of a loaded file as a :class:`MeasuredProtocol`.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`assb_model.data.load_cycling`.
    last_cycle : int, optional
        Replay up to and including this cycle (default: the whole file). Earlier cycles are
        always replayed: the cell's state carries over.
    current_scale : float
        Multiplies every current (see :class:`MeasuredProtocol`).
    min_rest_s : float
        Shorter rests are dropped.

    Raises
    ------
    ComparisonError
        If no charge or discharge step is left.
    """
    if last_cycle is not None:
        df = df[df["cycle"] <= last_cycle]
    time = df["time_s"].to_numpy(float)
    step_ids = df["step"].to_numpy()
    change = np.flatnonzero(step_ids[1:] != step_ids[:-1]) + 1
    starts = np.concatenate(([0], change)).astype(int)
    ends = np.concatenate((change, [len(df)])).astype(int)
    out = []
    for a, b in zip(starts, ends, strict=True):
        part = df.iloc[a:b]
        kind = str(part["step_type"].iloc[0])
        if kind == "rest":
            # from the row before the rest (when it began) to its last row: the same clock as
            # the curves' step time (assb_model.fit.curves)
            duration = time[b - 1] - time[max(a - 1, 0)]
            if duration < min_rest_s:
                continue
            instruction = f"Rest for {duration:.0f} seconds"
        else:
            strings = to_pybamm_experiment_steps(part)
            if not strings:
                continue
            instruction = _scale_current(strings[0], current_scale)
            if instruction.startswith("Hold"):
                kind = "hold"
        out.append(
            ReplayStep(
                int(part["cycle"].iloc[0]),
                int(part["step"].iloc[0]),
                kind,
                instruction,
                float(part["voltage_V"].iloc[-1]),
            )
        )
    if not any(s.step_type in ("charge", "discharge") for s in out):
        raise ComparisonError("the measured data has no charge or discharge step to replay")
    return MeasuredProtocol(tuple(out), current_scale)


def _scale_current(instruction: str, scale: float) -> str:
    if scale == 1.0:
        return instruction
    return _CURRENT.sub(lambda m: f"at {float(m.group(1)) * scale:.4g} mA", instruction)


class ReplaySimulation:
    """A measured protocol, built once and solved for any values of the input parameters.

    A :class:`~assb_model.simulation.runner.Runner` with the
    :class:`~assb_model.simulation.protocols.MeasuredSteps` of the file.

    Parameters
    ----------
    parameter_set : str, path, Scenario or pybamm.ParameterValues
    protocol : MeasuredProtocol
    options : dict, optional
        Model options (:class:`assb_model.ASSBModel`).
    input_parameters : iterable of str, optional
        Parameter names made PyBaMM input parameters (values given to :meth:`run`).
    parameter_overrides : dict, optional
    var_pts : dict, optional
        Mesh (default :data:`assb_model.simulation.DEFAULT_VAR_PTS`).
    solver : pybamm.BaseSolver, optional
        Default :class:`pybamm.IDAKLUSolver`.
    """

    def __init__(
        self,
        parameter_set,
        protocol: MeasuredProtocol,
        options: dict | None = None,
        input_parameters: Iterable[str] = (),
        parameter_overrides: dict | None = None,
        var_pts: dict | None = None,
        solver: pybamm.BaseSolver | None = None,
    ):
        scenario = as_scenario(
            parameter_set, options=options, overrides=parameter_overrides, var_pts=var_pts
        )
        self.protocol = protocol
        self.input_parameters = tuple(input_parameters)
        self.runner = Runner(
            scenario,
            protocol.pybamm_protocol(),
            self.input_parameters,
            solver=solver,
            force_inputs=True,
        )
        self.label = self.runner.label
        self.nmc_mass_g = nmc_mass_g(self.runner.base_values, {})

    def solve(self, **inputs) -> pybamm.Solution:
        """Solve; ``inputs`` are the values of :attr:`input_parameters` by name.

        Raises
        ------
        SimulationError
            If the solver fails before the first step ends.
        """
        return self.runner.solve({k: float(v) for k, v in inputs.items()})[0]

    def run(self, **inputs) -> pd.DataFrame:
        """Solve and return the simulated curves (:mod:`assb_model.fit.curves`)."""
        return self.curves(self.solve(**inputs))

    def curves(self, solution: pybamm.Solution) -> pd.DataFrame:
        """Simulated curves of a solution of this simulation."""
        return simulated_curves(solution, self.protocol.steps, self.nmc_mass_g)
