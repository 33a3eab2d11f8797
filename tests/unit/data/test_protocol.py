"""Measured protocol -> PyBaMM experiment step strings."""

from __future__ import annotations

import pandas as pd
import pytest

from assb_model.data import load_cycling, to_pybamm_experiment_steps
from tests.unit.data.helpers import cc_protocol, synthesize, to_file_frame, write_delimited


@pytest.fixture
def loaded(tmp_path) -> pd.DataFrame:
    data = synthesize(cc_protocol(n_cycles=2, charge_A=1.02e-4, discharge_A=1.02e-4), points=7)
    data.loc[data["current_A"] > 0, "voltage_V"] -= 0.004  # last discharge V = 1.996
    return load_cycling(write_delimited(to_file_frame(data), tmp_path / "cell.csv"))


def test_steps_from_measured_cc_cycling(loaded):
    steps = to_pybamm_experiment_steps(loaded)
    cycle = [
        "Charge at 0.102 mA until 3.8 V",
        "Rest for 600 seconds",
        "Discharge at 0.102 mA until 2.0 V",
        "Rest for 600 seconds",
    ]
    assert steps == ["Rest for 600 seconds", *cycle, *cycle]


def test_include_duration(loaded):
    steps = to_pybamm_experiment_steps(loaded, include_duration=True)
    assert steps[1] == "Charge at 0.102 mA for 36000 seconds or until 3.8 V"


def test_short_rests_are_dropped(loaded):
    steps = to_pybamm_experiment_steps(loaded, min_rest_s=601)
    assert not any(step.startswith("Rest") for step in steps)


def test_cv_step_becomes_a_hold(tmp_path):
    frame = pd.DataFrame(
        {
            "Time [s]": [0, 100, 200, 300, 400, 500, 600, 700],
            "Current [mA]": [0.1, 0.1, 0.1, 0.05, 0.02, -0.1, -0.1, -0.1],
            "Voltage [V]": [3.5, 3.7, 3.8, 3.8, 3.8, 3.7, 3.4, 2.0],
            "Step_Index": [2, 2, 2, 3, 3, 4, 4, 4],
        }
    )
    df = load_cycling(write_delimited(frame, tmp_path / "cccv.csv"))
    # The CV step has only 2 rows here: too few to call it a hold, so it stays a charge.
    assert to_pybamm_experiment_steps(df)[1].startswith("Charge at")
    frame = pd.concat([frame.iloc[:4], frame.iloc[[3]], frame.iloc[4:]], ignore_index=True)
    frame.loc[4, ["Time [s]", "Current [mA]"]] = [350, 0.03]
    df = load_cycling(write_delimited(frame, tmp_path / "cccv2.csv"))
    assert to_pybamm_experiment_steps(df) == [
        "Charge at 0.1 mA until 3.8 V",
        "Hold at 3.8 V until 0.02 mA",
        "Discharge at 0.1 mA until 2.0 V",
    ]


def test_strings_are_valid_pybamm_steps(loaded):
    pybamm = pytest.importorskip("pybamm")
    steps = to_pybamm_experiment_steps(loaded)
    experiment = pybamm.Experiment(steps)
    charge = pybamm.step.string(steps[1])
    assert charge.value == pytest.approx(-1.02e-4)  # PyBaMM: charge current is negative
    assert len(experiment.steps) == len(steps)


def test_data_modules_do_not_import_pybamm():
    # The loader stays usable (and fast) without PyBaMM: no module here imports it.
    import ast
    from pathlib import Path

    import assb_model.data

    for source in Path(assb_model.data.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "pybamm" for name in names), source.name
