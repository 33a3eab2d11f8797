"""Limit cases: the ASSB model reduces to PyBaMM's own half-cell DFN."""

import numpy as np
import pybamm
import pytest

import assb_model
from assb_model import ASSBModel

NEUTRAL = {
    "SE conductivity": "Bruggeman",
    "active material utilisation": "full",
    "cathode interface": "none",
    "interphase growth": "none",
    "contact loss": "none",
    "lumped SE elements": "none",
    "counter electrode": "lithium metal",
    "counter electrode degradation": "none",
    "SE transport": "full",
}
VAR_PTS = {"x_n": 20, "x_s": 8, "x_p": 24, "r_p": 16}


def _discharge(model, pv):
    sim = pybamm.Simulation(
        model,
        parameter_values=pv.copy(),
        experiment=pybamm.Experiment(["Discharge at 0.0001 A until 3.0 V"]),
        var_pts=VAR_PTS,
        solver=pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-10),
    )
    sol = sim.solve()
    return sol["Time [s]"].entries, sol["Voltage [V]"].entries


@pytest.fixture(scope="module")
def limit_values():
    pv = assb_model.load_parameter_set("giraldo2021_sp_lpscl_coated")
    c_max = pv["Maximum concentration in positive electrode [mol.m-3]"]
    pv.update(
        {
            # "large sigma_SE": electrolyte losses become negligible in both models
            "Electrolyte conductivity [S.m-1]": 10.0,
            "Initial concentration in positive electrode [mol.m-3]": 0.45 * c_max,
        }
    )
    return pv


def test_neutral_model_equals_pybamm_half_cell_dfn(limit_values):
    t1, v1 = _discharge(ASSBModel(NEUTRAL), limit_values)
    t2, v2 = _discharge(pybamm.lithium_ion.DFN({"working electrode": "positive"}), limit_values)
    # same end of discharge (3.0 V) within 0.01 % of the duration
    assert t1[-1] == pytest.approx(t2[-1], rel=1e-4)
    t = np.linspace(0, min(t1[-1], t2[-1]), 2000)
    dv = np.abs(np.interp(t, t1, v1) - np.interp(t, t2, v2))
    # the criterion is 1 mV over the whole curve; the residual ~0.1 mV is the
    # DFN's separator resistance (0.6 mm at 10 S/m: 0.76 Ohm x 0.1 mA), which our
    # separator domain does not carry (it is in the lumped bulk element, switched off)
    assert dv.max() < 1e-3


def test_single_ion_se_has_no_concentration_gradient(lpscl_first_cycle):
    """PyBaMM's full electrolyte with t+ = 1 keeps c_e uniform and gives the same
    voltage as the single-ion (constant-concentration) submodel."""
    full = assb_model.simulate("giraldo2021_sp_lpscl_coated", options={"SE transport": "full"})
    c_e = full.solution["Electrolyte concentration [mol.m-3]"].entries
    c0 = 1000.0
    # relative variation at solver tolerance level (rtol 1e-6 default), not 1e-3 physics
    assert np.max(np.abs(c_e - c0)) / c0 < 1e-8
    v_full = full.curves["voltage_V"].to_numpy()
    v_single = lpscl_first_cycle.curves["voltage_V"].to_numpy()
    q_full = full.curves["specific_capacity_mAh_per_g"].to_numpy()
    assert full.cycles["discharge_capacity_mAh_per_g"].iloc[0] == pytest.approx(
        lpscl_first_cycle.cycles["discharge_capacity_mAh_per_g"].iloc[0], abs=0.01
    )
    assert len(v_full) > 10 and len(v_single) > 10 and q_full.max() > 100


def test_zero_film_butler_volmer_is_pybamms_butler_volmer():
    """With no coating, no interphase and contact fraction 1, the film Butler-Volmer
    (algebraic contact-area current behind a film) is PyBaMM's symmetric Butler-Volmer:
    the same voltage over a 4 h discharge to 1 uV (measured: 6e-9 V, solver tolerance)."""
    pv = assb_model.load_parameter_set("giraldo2021_sp_lpscl_coated")
    c_max = pv["Maximum concentration in positive electrode [mol.m-3]"]
    pv.update(
        {
            "Coating thickness [m]": 0.0,
            "Initial interphase thickness [m]": 0.0,
            "Initial positive electrode interface utilisation": 1.0,
            "Current function [A]": 1e-4,
            "Initial concentration in positive electrode [mol.m-3]": 0.45 * c_max,
        }
    )
    base = {"interphase growth": "none", "contact loss": "none"}
    t = np.linspace(0, 4 * 3600, 300)
    v = []
    for options in (base, {**base, "cathode interface": "none"}):
        sim = pybamm.Simulation(
            ASSBModel(options),
            parameter_values=pv.copy(),
            solver=pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-10),
        )
        v.append(sim.solve([0, t[-1]])["Voltage [V]"](t))
    assert np.max(np.abs(v[0] - v[1])) < 1e-6


def test_li_in_without_interface_resistance_is_li_metal_plus_0p62_v():
    """With an ideal Li-In/SE interface (j0 -> infinity) the Li-In cell's voltage is the
    lithium-metal cell's minus the Li-In potential (0.62 V), to 1 uV, and the cathode
    potential vs Li is the voltage + 0.62 V."""
    pv = assb_model.load_parameter_set("giraldo2021_sp_lpscl_coated")
    pv.update({"Exchange-current density for lithium metal electrode [A.m-2]": 1e8})
    opts = {"interphase growth": "none", "contact loss": "none"}
    sols = {}
    for ce in ("Li-In", "lithium metal"):
        sim = pybamm.Simulation(
            ASSBModel({**opts, "counter electrode": ce}),
            parameter_values=pv.copy(),
            solver=pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-10),
        )
        sols[ce] = sim.solve([0, 3600])
    offset = pv["Li-In counter electrode potential vs Li [V]"]
    assert offset == pytest.approx(0.62)
    v_in = sols["Li-In"]["Voltage [V]"].entries
    v_li = sols["lithium metal"]["Voltage [V]"].entries
    np.testing.assert_allclose(v_li - v_in, offset, atol=1e-6)
    np.testing.assert_allclose(
        sols["Li-In"]["Cathode potential vs Li [V]"].entries, v_in + offset, atol=1e-9
    )
