"""Comparing measured with simulated curves, without running the model.

Measured data here are written as a cycler file (charge-positive mA, like a real export) and
read with the loader, so the whole path from file to metrics is covered; "simulated" curves
are made by hand, so every expected number is known exactly.
"""

import numpy as np
import pandas as pd
import pytest

from assb_model.data import load_cycling
from assb_model.fit.alignment import (
    energy_per_gram,
    measured_points,
    monotone_interp,
    step_extent,
    voltage_on_grid,
)
from assb_model.fit.compare import (
    JSON_KEYS,
    Comparison,
    ComparisonError,
    compare_curves,
    parse_cycles,
    select_cycles,
)
from assb_model.fit.curves import CURVE_COLUMNS, measured_curves
from assb_model.fit.replay import ReplayStep, measured_protocol

MASS_G = 0.0069
I_A = 1.02e-4  # 0.102 mA
DT = 60.0


def _write_cycler_file(path, n_cycles=2, charge_s=3600.0, discharge_s=3000.0, rest_s=600.0):
    """CC cycles with rests, logged every DT like a cycler (first row of a step one DT in)."""
    rows = [(0.0, I_A * 1e3, 3.0)]  # the charge starts at t = 0
    t = 0.0
    for _ in range(n_cycles):
        for kind, duration in (
            ("charge", charge_s),
            ("rest", rest_s),
            ("discharge", discharge_s),
            ("rest", rest_s),
        ):
            for k in range(1, int(duration / DT) + 1):
                frac = k * DT / duration
                if kind == "charge":
                    rows.append((t + k * DT, I_A * 1e3, 3.0 + 0.7 * frac))
                elif kind == "discharge":
                    rows.append((t + k * DT, -I_A * 1e3, 3.6 - 1.0 * frac))
                else:
                    rows.append((t + k * DT, 0.0, 3.65 if rows[-1][2] > 3.3 else 2.65))
            t += duration
    frame = pd.DataFrame(rows, columns=["Time [s]", "Current [mA]", "Voltage [V]"])
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def measured_df(tmp_path):
    return load_cycling(_write_cycler_file(tmp_path / "cell.csv"), active_mass_g=MASS_G)


def test_measured_curves_capacity_counts_the_whole_first_interval(measured_df):
    # a CC step of duration T passes I T; the loader's trapezoid across the step boundary
    # would credit only half of the first interval (I DT / 2 short, a factor-2 trap)
    curves = measured_curves(measured_df, MASS_G)
    assert list(curves.columns) == list(CURVE_COLUMNS)
    q_end = curves.groupby("step")["specific_capacity_mAh_per_g"].max()
    kinds = curves.groupby("step")["step_type"].first()
    expected = {"charge": I_A * 3600 / 3.6 / MASS_G, "discharge": I_A * 3000 / 3.6 / MASS_G}
    for step, kind in kinds.items():
        if kind == "rest":
            assert q_end[step] == 0.0
        else:
            assert q_end[step] == pytest.approx(expected[kind], rel=1e-9)


def test_measured_curves_step_time_starts_at_previous_row(measured_df):
    curves = measured_curves(measured_df, MASS_G)
    first = curves.groupby("step").first()
    # every step after the first begins when the previous row was logged: DT before
    assert np.allclose(first["step_time_s"].iloc[1:], DT)
    last = curves.groupby("step").last()
    rests = last[last["step_type"] == "rest"]
    assert np.allclose(rests["step_time_s"], 600.0)


def test_measured_protocol_replays_steps_and_scales_current(measured_df):
    protocol = measured_protocol(measured_df)
    kinds = [s.step_type for s in protocol.steps]
    assert kinds == ["charge", "rest", "discharge", "rest"] * 2
    assert protocol.steps[0].instruction == "Charge at 0.102 mA until 3.7 V"
    assert protocol.steps[1].instruction == "Rest for 600 seconds"
    assert protocol.steps[2].instruction == "Discharge at 0.102 mA until 2.6 V"
    assert protocol.cycles == [1, 2]
    experiment = protocol.experiment()
    assert len(experiment.cycles) == 2
    # a cell with twice the model's mass: the model gets half the current (same mA/g)
    half = measured_protocol(measured_df, current_scale=0.5, last_cycle=1)
    assert half.steps[0].instruction == "Charge at 0.051 mA until 3.7 V"
    assert half.cycles == [1]


def test_parse_and_select_cycles(measured_df):
    assert parse_cycles("1,3,5-7") == [1, 3, 5, 6, 7]
    assert parse_cycles(None) is None and parse_cycles("all") is None
    with pytest.raises(ComparisonError, match="cannot read cycles"):
        parse_cycles("1;2")
    with pytest.raises(ComparisonError, match="backwards"):
        parse_cycles("3-1")
    assert select_cycles(measured_df, None) == [1, 2]
    with pytest.raises(ComparisonError, match=r"cycle\(s\) \[4\] not in the data"):
        select_cycles(measured_df, [1, 4])


def test_monotone_interp_holds_ends_and_ignores_repeats():
    x = np.array([0.0, 1.0, 1.0, 2.0])
    y = np.array([0.0, 1.0, 5.0, 2.0])
    out = monotone_interp(np.array([-1.0, 0.5, 1.0, 3.0]), x, y)
    assert np.allclose(out, [0.0, 0.5, 1.0, 2.0])


def test_voltage_on_grid_falls_back_to_cut_off():
    grid = np.linspace(0, 10, 5)
    assert np.allclose(voltage_on_grid(None, grid, "discharge", 2.0), 2.0)
    step = pd.DataFrame({"specific_capacity_mAh_per_g": [0.0, 5.0], "voltage_V": [3.0, 2.0]})
    # beyond the simulated end, the voltage is held at the end (the cut-off)
    assert np.allclose(voltage_on_grid(step, grid, "discharge", 9.9), [3.0, 2.5, 2.0, 2.0, 2.0])
    assert step_extent(step, "discharge") == 5.0
    assert step_extent(None, "rest") == 0.0


def test_measured_points_keeps_common_range_and_caps_count():
    step = pd.DataFrame(
        {"specific_capacity_mAh_per_g": np.arange(11.0), "voltage_V": np.linspace(3, 4, 11)}
    )
    x, v = measured_points(step, "charge", 4.0)
    assert np.allclose(x, [0, 1, 2, 3, 4])
    assert np.allclose(v, np.linspace(3, 4, 11)[:5])
    x, _ = measured_points(step, "charge", 10.0, max_points=3)
    assert np.allclose(x, [0, 5, 10])


def test_energy_counts_capacity_before_first_sample():
    # constant 3 V over 0..10 mAh/g, first sample at q = 1: E = 30 mWh/g exactly
    step = pd.DataFrame(
        {"specific_capacity_mAh_per_g": np.arange(1.0, 11.0), "voltage_V": np.full(10, 3.0)}
    )
    assert energy_per_gram(step) == pytest.approx(30.0)


def _sim_from(curves: pd.DataFrame, dv: float = 0.0, q_scale: float = 1.0) -> pd.DataFrame:
    """'Simulated' curves: the measured ones shifted by dv volts, capacity scaled."""
    sim = curves.copy()
    sim["voltage_V"] = sim["voltage_V"] + dv
    sim["specific_capacity_mAh_per_g"] = sim["specific_capacity_mAh_per_g"] * q_scale
    return sim


def test_identical_curves_give_zero_errors(measured_df):
    curves = measured_curves(measured_df, MASS_G)
    protocol = measured_protocol(measured_df)
    result = compare_curves(curves, _sim_from(curves), protocol)
    assert isinstance(result, Comparison)
    assert np.allclose(result.cycles["capacity_error_mAh_per_g"], 0.0)
    assert np.allclose(result.cycles["voltage_rmse_mV"], 0.0)
    assert np.allclose(result.steps["voltage_max_error_mV"].dropna(), 0.0)


def test_voltage_offset_and_capacity_shortfall_have_the_right_sign_and_size(measured_df):
    curves = measured_curves(measured_df, MASS_G)
    protocol = measured_protocol(measured_df)
    # model 10 mV high everywhere and 5 % short in capacity: errors are model - measured
    result = compare_curves(curves, _sim_from(curves, dv=0.010, q_scale=0.95), protocol, [2])
    c = result.cycles.iloc[0]
    assert c["cycle"] == 2
    assert c["capacity_error_percent"] == pytest.approx(-5.0, abs=1e-9)
    assert c["capacity_error_mAh_per_g"] == pytest.approx(
        -0.05 * c["measured_discharge_mAh_per_g"], rel=1e-9
    )
    # over the common range the measured curve, stretched by 1/0.95, differs from the
    # shifted one by at most 10 mV + the stretch; the mean-voltage error is the offset plus
    # the stretch's effect, which the capacity-weighted mean removes exactly here
    assert c["mean_discharge_voltage_error_mV"] == pytest.approx(10.0, abs=1e-6)
    assert c["discharge_energy_error_percent"] == pytest.approx(
        100 * (0.95 * (1 + 0.010 / c["measured_mean_discharge_voltage_V"]) - 1), rel=1e-6
    )
    rests = result.steps[result.steps["step_type"] == "rest"]
    assert np.allclose(rests["voltage_rmse_mV"], 10.0)
    json_rows = result.to_json_dict()["cycles"]
    assert [set(r) for r in json_rows] == [set(JSON_KEYS)]


def test_missing_simulated_step_is_compared_as_held_at_cut_off(measured_df):
    curves = measured_curves(measured_df, MASS_G)
    protocol = measured_protocol(measured_df, last_cycle=1)
    sim = curves[(curves["cycle"] == 1) & (curves["step"] < 3)]  # the model stopped early
    result = compare_curves(curves[curves["cycle"] == 1], sim, protocol)
    c = result.cycles.iloc[0]
    assert c["simulated_discharge_mAh_per_g"] == 0.0
    assert c["capacity_error_percent"] == pytest.approx(-100.0)


def test_replay_step_is_hashable_record():
    s = ReplayStep(1, 2, "rest", "Rest for 5 seconds", 3.0)
    assert {s: 1}[s] == 1
