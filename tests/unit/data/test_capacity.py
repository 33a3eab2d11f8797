"""Capacity integration, capacities read from files, per-gram values and the cycle summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assb_model.data import CyclingDataError, cycle_summary, load_cycling
from tests.unit.data.helpers import cc_protocol, synthesize, to_file_frame, write_delimited


def test_constant_current_ten_hours_is_one_mah(tmp_path):
    frame = pd.DataFrame(
        {
            "Time (h)": np.linspace(0.0, 10.0, 1001),
            "Current (mA)": 0.1,  # charge-positive file: charging
            "Voltage (V)": np.linspace(3.0, 3.8, 1001),
        }
    )
    df = load_cycling(write_delimited(frame, tmp_path / "cc.csv"))
    assert df["charge_capacity_mAh"].iloc[-1] == pytest.approx(1.0, rel=1e-9)
    assert (df["discharge_capacity_mAh"] == 0).all()
    assert df["charge_capacity_mAh"].is_monotonic_increasing
    assert df.attrs["capacity_source"].startswith("integrated")


def test_capacities_per_half_cycle_and_cycle(tmp_path):
    data = synthesize(cc_protocol(n_cycles=2, charge_A=1e-4, discharge_A=8e-5))
    df = load_cycling(write_delimited(to_file_frame(data), tmp_path / "cell.csv"))
    for _, cycle in df.groupby("cycle"):
        charge = cycle[cycle["step_type"] == "charge"]
        discharge = cycle[cycle["step_type"] == "discharge"]
        # During the charge nothing has been discharged yet in this cycle.
        assert (charge["discharge_capacity_mAh"] == 0).all()
        assert charge["charge_capacity_mAh"].iloc[-1] == pytest.approx(1.0, rel=1e-9)
        # The charge capacity holds through the following rest and discharge.
        assert (discharge["charge_capacity_mAh"] == charge["charge_capacity_mAh"].iloc[-1]).all()
        assert discharge["discharge_capacity_mAh"].iloc[-1] == pytest.approx(0.8, rel=1e-9)
    # Counters restart at every new cycle.
    first_rows = df.groupby("cycle").head(1)
    assert (first_rows[["charge_capacity_mAh", "discharge_capacity_mAh"]] == 0).all().all()


def test_per_gram_columns(tmp_path):
    data = synthesize(cc_protocol(n_cycles=1))
    df = load_cycling(write_delimited(to_file_frame(data), tmp_path / "c.csv"), active_mass_g=0.069)
    np.testing.assert_allclose(
        df["charge_capacity_mAh_per_g"], df["charge_capacity_mAh"] / 0.069, rtol=1e-15
    )
    np.testing.assert_allclose(
        df["discharge_capacity_mAh_per_g"], df["discharge_capacity_mAh"] / 0.069, rtol=1e-15
    )
    assert df.attrs["active_mass_g"] == 0.069


@pytest.mark.parametrize("mass", [0.0, -1.0, float("nan")])
def test_bad_mass(tmp_path, mass):
    path = write_delimited(to_file_frame(synthesize(cc_protocol(1))), tmp_path / "c.csv")
    with pytest.raises(CyclingDataError, match="active_mass_g must be a positive number"):
        load_cycling(path, active_mass_g=mass)


def _file_counters(reference: pd.DataFrame, style: str) -> dict[str, np.ndarray]:
    """Capacity columns written the way different cyclers write them."""
    charge = reference["charge_capacity_mAh"].to_numpy()
    discharge = reference["discharge_capacity_mAh"].to_numpy()
    kind = reference["step_type"].to_numpy()
    steps = reference["step"].to_numpy()
    if style == "arbin":  # cumulative within each cycle, in Ah
        return {"Charge_Capacity(Ah)": charge / 1e3, "Discharge_Capacity(Ah)": discharge / 1e3}
    if style == "biologic-net":  # (Q-Qo): net charge since the start, never resets
        flow = np.concatenate(([0.0], np.diff(charge - discharge)))
        flow[
            np.r_[True, reference["cycle"].to_numpy()[1:] != reference["cycle"].to_numpy()[:-1]]
        ] = 0
        return {"(Q-Qo)/mA.h": np.cumsum(flow)}
    if style == "neware":  # unsigned, restarts at zero every step
        out = np.zeros(len(kind))
        for step in np.unique(steps):
            rows = steps == step
            counter = charge if kind[rows][0] == "charge" else discharge
            out[rows] = counter[rows] - counter[rows][0]
        return {"Capacity(mAh)": out}
    raise AssertionError(style)


@pytest.mark.parametrize("style", ["arbin", "biologic-net", "neware"])
def test_file_capacity_columns_agree_with_integration(tmp_path, style):
    data = synthesize(cc_protocol(n_cycles=3, charge_A=1e-4, discharge_A=7e-5))
    reference = load_cycling(write_delimited(to_file_frame(data), tmp_path / "ref.csv"))
    frame = to_file_frame(data)
    for name, values in _file_counters(reference, style).items():
        frame[name] = values
    df = load_cycling(write_delimited(frame, tmp_path / f"{style}.csv"))
    # Capacities come from the integrated current; the file's columns are read (units,
    # resets) and checked against it: they agree to rounding.
    assert df.attrs["capacity_source"].startswith("integrated current")
    (check,) = df.attrs["capacity_checks"]
    assert check["agrees"] and check["relative_difference"] < 1e-9
    assert check["column"].startswith(next(iter(_file_counters(reference, style))))
    for column in ("charge_capacity_mAh", "discharge_capacity_mAh"):
        np.testing.assert_allclose(df[column], reference[column], rtol=1e-9, atol=1e-12)


def test_cycle_summary_values(tmp_path):
    data = synthesize(cc_protocol(n_cycles=2, charge_A=1e-4, discharge_A=8e-5))
    df = load_cycling(write_delimited(to_file_frame(data), tmp_path / "c.csv"), active_mass_g=0.01)
    summary = cycle_summary(df)
    assert list(summary["cycle"]) == [1, 2]
    np.testing.assert_allclose(summary["charge_capacity_mAh"], 1.0, rtol=1e-9)
    np.testing.assert_allclose(summary["discharge_capacity_mAh"], 0.8, rtol=1e-9)
    np.testing.assert_allclose(summary["charge_capacity_mAh_per_g"], 100.0, rtol=1e-9)
    np.testing.assert_allclose(summary["discharge_capacity_mAh_per_g"], 80.0, rtol=1e-9)
    np.testing.assert_allclose(summary["coulombic_efficiency"], 0.8, rtol=1e-9)
    # Linear voltage ramps at constant current: the mean voltage is the ramp midpoint.
    charge_rows = df[(df["cycle"] == 2) & (df["step_type"] == "charge")]
    v0, v1 = charge_rows["voltage_V"].iloc[[0, -1]]
    assert summary["mean_charge_voltage_V"].iloc[1] == pytest.approx((v0 + v1) / 2, rel=1e-9)
    assert summary["charge_energy_mWh"].iloc[1] == pytest.approx((v0 + v1) / 2, rel=1e-9)
    assert summary["mean_discharge_voltage_V"].iloc[1] < summary["mean_charge_voltage_V"].iloc[1]
    np.testing.assert_allclose(
        summary["discharge_energy_mWh"],
        summary["discharge_capacity_mAh"] * summary["mean_discharge_voltage_V"],
        rtol=1e-12,
    )


def test_cycle_summary_without_charge_has_nan_efficiency(tmp_path):
    frame = pd.DataFrame(
        {"Time [s]": [0.0, 3600.0], "Current [mA]": [-1.0, -1.0], "Voltage [V]": [3.5, 3.0]}
    )
    df = load_cycling(write_delimited(frame, tmp_path / "d.csv"))
    summary = cycle_summary(df)
    assert np.isnan(summary["coulombic_efficiency"].iloc[0])
    assert np.isnan(summary["mean_charge_voltage_V"].iloc[0])
    assert "charge_capacity_mAh_per_g" not in summary
    assert "charge_capacity_mAh_per_g" in cycle_summary(df, active_mass_g=1.0)


def test_cycle_summary_rejects_foreign_frames():
    with pytest.raises(ValueError, match="missing"):
        cycle_summary(pd.DataFrame({"time_s": [0.0]}))
