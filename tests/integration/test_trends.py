"""Monotonic trends the physics must show (each point is a full simulation)."""

import itertools

import numpy as np
import pytest

import assb_model

SET = "giraldo2021_sp_lps80_coated"


def _discharge(name=SET, **kwargs):
    return assb_model.simulate(name, **kwargs).cycles["discharge_capacity_mAh_per_g"].iloc[0]


def test_capacity_rises_monotonically_with_se_conductivity():
    # Table 1 (pellet) conductivity of the set's SE; the composite conducts ~40x better
    # (derived from R_SE,GB), so at 0.13 mA/cm2 transport limits only below ~1e-7 S/cm
    sigmas_S_per_cm = [3e-9, 1e-8, 3e-8, 1e-7, 1e-6, 1e-5]
    caps = [
        _discharge(parameter_overrides={"Electrolyte conductivity [S.m-1]": s * 100})
        for s in sigmas_S_per_cm
    ]
    # strictly rising where transport limits, saturating (utilisation-limited) at the top;
    # 0.01 mAh/g is below the mesh/solver resolution of capacity
    assert all(b >= a - 0.01 for a, b in itertools.pairwise(caps))
    assert caps[-1] - caps[0] > 30
    assert caps[2] - caps[1] > 5


def test_capacity_falls_with_interphase_resistance():
    # at 1 mA/cm2, degradation off, a thicker initial interphase (0.1 Ohm.m2 per 10 nm)
    caps = [
        _discharge(
            "giraldo2021_sp_lpscl_coated",
            current_density=1.0,
            options={"cathode degradation": "none"},
            parameter_overrides={"Initial interphase thickness [m]": l_nm * 1e-9},
        )
        for l_nm in [0, 5, 10, 20]
    ]
    assert np.all(np.diff(caps) < -0.5)


def test_capacity_falls_with_coating_thickness():
    caps = [
        _discharge(
            "giraldo2021_sp_lpscl_coated",
            current_density=1.0,
            options={"cathode degradation": "none"},
            parameter_overrides={"Coating thickness [m]": l_nm * 1e-9},
        )
        for l_nm in [0, 30, 100, 300]
    ]
    assert np.all(np.diff(caps) < 0)
    assert caps[0] - caps[-1] > 1


def test_degradation_raises_interface_resistance_faster_at_higher_cutoff():
    growth = {}
    for upper in (3.8, 4.3):
        res = assb_model.simulate("giraldo2021_sp_lpscl_coated", upper_cutoff=upper, cycles=4)
        r = res.cycles["R_SE_Cat_after_charge_ohm"].to_numpy()
        assert np.all(np.diff(r) > 0)
        growth[upper] = r[-1] / r[0]
    assert growth[4.3] > growth[3.8] > 1.05


def test_degradation_off_keeps_interface_resistance():
    res = assb_model.simulate(
        "giraldo2021_sp_lpscl_coated", cycles=3, options={"cathode degradation": "none"}
    )
    r = res.cycles["R_SE_Cat_after_charge_ohm"].to_numpy()
    # the charge ends at the same stoichiometry each cycle, so R_SE/Cat is unchanged
    assert r == pytest.approx(r[0], rel=1e-3)
    q = res.cycles["discharge_capacity_mAh_per_g"].to_numpy()
    assert q == pytest.approx(q[0], abs=0.2)


def test_contact_loss_degrades_interface_network_and_separator():
    """With contact loss only (no interphase growth), the three exponents act through the
    contact retained fraction r exactly as documented: theta_c = theta_c0 r^m_theta,
    R_SE = R_SE0 r_avg^-m_s, B = B0 r^m; and they raise R_SE/Cat, R_SE and R_ion."""
    exponents = {
        "Interface contact degradation exponent": 2.0,
        "Separator degradation exponent": 1.0,
        "SE network degradation exponent": 3.0,
        "Contact loss coefficient": 0.02,  # ~10x the calibrated value: visible in 3 cycles
    }
    res = assb_model.simulate(
        "giraldo2021_sp_lpscl_coated",
        cycles=3,
        current_density=0.5,
        options={"cathode degradation": "contact loss"},
        parameter_overrides=exponents,
    )
    sol, pv = res.solution, res.parameter_values
    r = sol["Positive electrode contact retained fraction"].entries
    r_av = sol["X-averaged positive electrode contact retained fraction"].entries
    assert r_av[-1] < 0.97, "contact is being lost"
    theta0 = pv["Initial positive electrode interface utilisation"]
    # identities, exact up to floating point (1e-9)
    np.testing.assert_allclose(
        sol["Positive electrode interface utilisation"].entries, theta0 * r**2.0, rtol=1e-9
    )
    np.testing.assert_allclose(
        sol["SE bulk resistance [Ohm]"].entries,
        pv["SE bulk resistance [Ohm]"] * r_av**-1.0,
        rtol=1e-9,
    )
    b = sol["Positive electrolyte transport efficiency"].entries
    np.testing.assert_allclose(b / b[:, :1], r**3.0 / r[:, :1] ** 3.0, rtol=1e-9)
    # and the lumped interface resistance after each charge rises
    assert np.all(np.diff(res.cycles["R_SE_Cat_after_charge_ohm"].to_numpy()) > 0)
