"""Synthetic "measured" cycling data: the model's own curves sampled like a cycler, plus noise.

Used for the shipped example (``assb_model/examples``, made by
``experiments/make_synthetic_example.py``) and for the tests that check a fit recovers known
parameters. The output is **synthetic**; it is not a measurement.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pybamm

from assb_model.simulation import Runner, Schedule, Segment, as_scenario

#: Shipped example dataset (synthetic) and its metadata, in ``assb_model/examples``.
EXAMPLE_CSV = "synthetic_lpscl_cycling.csv"
EXAMPLE_METADATA = "synthetic_lpscl_cycling.json"


def synthetic_cycling(
    parameter_set="giraldo2021_sp_lpscl_coated",
    *,
    parameter_overrides: dict | None = None,
    cycles: int = 3,
    current_mA: float = 0.102,
    upper_cutoff: float = 3.8,
    lower_cutoff: float = 2.0,
    rest_s: float = 600.0,
    sample_interval_s: float = 60.0,
    voltage_noise_V: float = 1e-3,
    current_noise: float = 1e-3,
    seed: int = 0,
    options: dict | None = None,
) -> pd.DataFrame:
    """Simulate CC cycling with rests and sample it as a cycler file would.

    Protocol per cycle: charge at ``current_mA`` to ``upper_cutoff``, rest, discharge to
    ``lower_cutoff``, rest, from the pristine state. Each step is logged every
    ``sample_interval_s`` and at its end (where the cut-off is reached).

    Noise model: independent Gaussian voltage noise of standard deviation
    ``voltage_noise_V``; relative Gaussian noise ``current_noise`` on the current during
    charge and discharge; rests log zero current. Voltages are rounded to 0.1 mV, currents
    to 1 nA, times to 0.1 s, like a cycler export.

    Parameters
    ----------
    parameter_set : str or pybamm.ParameterValues
    parameter_overrides : dict, optional
        The "true" values that differ from the set.
    cycles : int
    current_mA : float
        Charge and discharge current [mA].
    upper_cutoff, lower_cutoff : float
        Cut-off voltages [V vs Li–In].
    rest_s : float
        Rest after each half-cycle [s] (0: none).
    sample_interval_s : float
        Logging period [s].
    voltage_noise_V, current_noise : float
        Noise standard deviations (absolute [V]; relative).
    seed : int
        Random seed (the data are reproducible).
    options : dict, optional
        Model options.

    Returns
    -------
    pandas.DataFrame
        Cycler-style columns ``Time [s]``, ``Current [mA]`` (**charge positive**, as most
        cyclers write it), ``Voltage [V]`` and ``Cycle``.
    """
    scenario = as_scenario(parameter_set, options=options, overrides=parameter_overrides)
    values = scenario.parameter_values()
    area_cm2 = float(values["Electrode width [m]"]) * float(values["Electrode height [m]"]) * 1e4
    protocol = Schedule(
        (Segment(cycles, current_mA / area_cm2, upper_cutoff, lower_cutoff),),
        rest_s=rest_s,
        period_s=sample_interval_s,
    )
    solution = Runner(scenario, protocol).solve()[0]
    rows = []
    for k, cyc in enumerate(solution.cycles, start=1):
        for step in cyc.steps:
            t = step["Time [s]"].entries
            current = step["Current [A]"].entries
            voltage = step["Voltage [V]"].entries
            # the step's first point coincides with the previous step's last: a cycler logs
            # the first point of a step one period after it starts
            first = 0 if not rows else 1
            for i in range(first, len(t)):
                rows.append((t[i], current[i], voltage[i], k))
    time, current, voltage, cycle_no = (np.array(c) for c in zip(*rows, strict=True))
    rng = np.random.default_rng(seed)
    active = np.abs(current) > 1e-12
    current = np.where(active, current * (1 + current_noise * rng.standard_normal(len(time))), 0)
    voltage = voltage + voltage_noise_V * rng.standard_normal(len(time))
    return pd.DataFrame(
        {
            "Time [s]": np.round(time, 1),
            "Current [mA]": np.round(-current * 1e3, 6),
            "Voltage [V]": np.round(voltage, 4),
            "Cycle": cycle_no.astype(int),
        }
    )


def write_cycler_csv(df: pd.DataFrame, path: str | Path, preamble: str = "") -> Path:
    """Write a cycler-style DataFrame as CSV, optionally after ``#`` comment lines."""
    path = Path(path)
    lines = [f"# {line}".rstrip() for line in preamble.splitlines()] if preamble else []
    with path.open("w", encoding="utf-8", newline="") as fh:
        for line in lines:
            fh.write(line + "\n")
        df.to_csv(fh, index=False)
    return path


def example_metadata(name: str = EXAMPLE_METADATA) -> dict:
    """The metadata of the shipped example (true values, protocol, noise model...)."""
    return json.loads(example_data_path(name).read_text(encoding="utf-8"))


def example_parameter_values(name: str = EXAMPLE_METADATA) -> pybamm.ParameterValues:
    """The base parameter values the shipped example was generated from (before its true
    values were applied).

    The set named in the metadata, with the scalar values recorded at generation time
    (``"parameter_set_values"``), so that the example stays consistent when a parameter set
    is later re-calibrated. Fitting the example's true parameters from these values
    recovers the true values.
    """
    from assb_model.parameters.sets import load_parameter_set

    meta = example_metadata(name)
    pv = load_parameter_set(meta["parameter_set"])
    recorded = meta.get("parameter_set_values", {})
    pv.update({k: v for k, v in recorded.items() if k in pv.keys()})
    return pv


def example_data_path(name: str = EXAMPLE_CSV) -> Path:
    """Path of a file of the shipped (synthetic) example, ``assb_model/examples/<name>``."""
    path = Path(str(resources.files("assb_model") / "examples" / name))
    if not path.exists():
        raise FileNotFoundError(f"example file not found: {path}")
    return path
