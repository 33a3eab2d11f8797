"""Monotonic trends the physics must show (each point is a full simulation)."""

import itertools

import numpy as np
import pybamm
import pytest

import assb_model
from assb_model.simulation.runner import NoCapacityError

SET = "giraldo2021_sp_lps80_coated"


def _discharge(name=SET, **kwargs):
    try:
        res = assb_model.simulate(name, **kwargs)
    except NoCapacityError:  # the charge cannot start: nothing stored or delivered
        return 0.0
    return res.cycles["discharge_capacity_mAh_per_g"].iloc[0]


def test_capacity_rises_monotonically_with_se_conductivity():
    # the set's SE conducts 6e-5 S/cm in the composite (inferred from R_SE,GB); at
    # 0.13 mA/cm2 transport limits below ~1e-5 S/cm and no charge can start at 1e-8
    sigmas_S_per_cm = [1e-8, 1e-7, 3e-7, 1e-6, 1e-5, 1e-4]
    caps = [
        _discharge(parameter_overrides={"Electrolyte conductivity [S.m-1]": s * 100})
        for s in sigmas_S_per_cm
    ]
    # strictly rising where transport limits, saturating (utilisation-limited) at the top;
    # 0.01 mAh/g is below the mesh/solver resolution of capacity
    assert all(b >= a - 0.01 for a, b in itertools.pairwise(caps))
    assert caps[0] == 0 and caps[-1] > 75
    assert caps[3] - caps[2] > 10


def test_capacity_falls_with_interphase_resistance():
    # at 1 mA/cm2, degradation off, a thicker initial interphase (0.1 Ohm.m2 per 10 nm;
    # at 20 nm the discharge cannot start any more)
    caps = [
        _discharge(
            "giraldo2021_sp_lpscl_coated",
            current_density=1.0,
            options={"interphase growth": "none", "contact loss": "none"},
            parameter_overrides={"Initial interphase thickness [m]": l_nm * 1e-9},
        )
        for l_nm in [0, 2, 4, 8]
    ]
    assert np.all(np.diff(caps) < -0.5)


def test_capacity_falls_with_coating_thickness():
    caps = [
        _discharge(
            "giraldo2021_sp_lpscl_coated",
            current_density=1.0,
            options={"interphase growth": "none", "contact loss": "none"},
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
        "giraldo2021_sp_lpscl_coated",
        cycles=3,
        options={"interphase growth": "none", "contact loss": "none"},
    )
    r = res.cycles["R_SE_Cat_after_charge_ohm"].to_numpy()
    # the charge ends at the same stoichiometry each cycle, so R_SE/Cat is unchanged
    assert r == pytest.approx(r[0], rel=1e-3)
    q = res.cycles["discharge_capacity_mAh_per_g"].to_numpy()
    assert q == pytest.approx(q[0], abs=0.2)


def test_contact_loss_degrades_interface_network_and_separator():
    """With contact loss only (no interphase growth), the degradation laws act through the
    contact retained fraction r exactly as documented: theta_c = theta_c0 r^m_theta,
    R_SE = R_SE0 r_avg^-m_s, B = B0 [1 - D_max (1 - exp(-(1 - r)/x_D))]; and they raise
    R_SE/Cat, R_SE and R_ion."""
    d_max, x_d = 0.5, 0.02
    exponents = {
        "Interface contact degradation exponent": 2.0,
        "Separator degradation exponent": 1.0,
        "SE network damage saturation": d_max,
        "SE network damage contact-loss scale": x_d,
        "Contact loss coefficient": 0.02,  # ~10x the calibrated value: visible in 3 cycles
    }
    res = assb_model.simulate(
        "giraldo2021_sp_lpscl_coated",
        cycles=3,
        current_density=0.5,
        options={"interphase growth": "none"},
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
    damage = 1 - d_max * (1 - np.exp(-(1 - r) / x_d))
    np.testing.assert_allclose(b / b[:, :1], damage / damage[:, :1], rtol=1e-9)
    # the damage saturates: never more than D_max of the transport is lost
    assert damage.min() > 1 - d_max
    # and the lumped interface resistance after each charge rises
    assert np.all(np.diff(res.cycles["R_SE_Cat_after_charge_ohm"].to_numpy()) > 0)


def test_network_damage_saturates_where_a_power_law_would_not():
    """B/B0 = 1 - D_max(1 - exp(-(1-r)/x_D)): 1 at r = 1, within 1e-12 of 1 - D_max once
    the lost contact is 30 x_D, and monotone in the lost contact."""
    from assb_model.model.submodels.percolation import network_damage_factor

    pv = pybamm.ParameterValues(
        {"SE network damage saturation": 0.6, "SE network damage contact-loss scale": 0.02}
    )
    factor = [pv.evaluate(network_damage_factor(pybamm.Scalar(r))) for r in (1, 0.99, 0.9, 0.4)]
    assert factor[0] == pytest.approx(1.0, abs=1e-15)
    assert factor[-1] == pytest.approx(0.4, abs=1e-12)
    assert factor[0] > factor[1] > factor[2] >= factor[3]


def test_anode_contact_gain_lowers_r_se_an_with_the_charge_passed():
    """R_SE/An = R_SE/An,0 / (1 + g Q_t/A) (AnodeContactGain): checked against PyBaMM's
    own throughput capacity to 1e-9 (an identity), falling over the run; with the option
    off it stays at the derived value."""
    gain = 2e-3  # m2/(A h): ~10x the calibrated value, visible in 2 cycles
    res = assb_model.simulate(
        "giraldo2021_sp_lpscl_coated",
        cycles=2,
        options={"interphase growth": "none", "contact loss": "none"},
        parameter_overrides={"Li-In interface contact gain [m2.A-1.h-1]": gain},
    )
    sol, pv = res.solution, res.parameter_values
    area = pv["Electrode width [m]"] * pv["Electrode height [m]"]
    q_t = sol["Throughput capacity [A.h]"].entries
    r_an = sol["SE/anode interface resistance [Ohm]"].entries
    np.testing.assert_allclose(r_an * (1 + gain * q_t / area), r_an[0], rtol=1e-9)
    assert r_an[-1] < 0.99 * r_an[0]
    off = assb_model.simulate(
        "giraldo2021_sp_lpscl_coated",
        cycles=1,
        options={
            "interphase growth": "none",
            "contact loss": "none",
            "counter electrode degradation": "none",
        },
        parameter_overrides={"Li-In interface contact gain [m2.A-1.h-1]": gain},
    )
    r_off = off.solution["SE/anode interface resistance [Ohm]"].entries
    np.testing.assert_allclose(r_off, r_an[0], rtol=1e-12)
