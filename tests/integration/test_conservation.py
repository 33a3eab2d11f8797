"""Conservation of charge: what the cycler counts equals what the cathode stored."""

import numpy as np
import pytest
from scipy.integrate import trapezoid


def test_charge_passed_equals_lithium_extracted_plus_side_reaction(lpscl_first_cycle):
    res = lpscl_first_cycle
    sol = res.solution
    F = 96485.33212
    step = sol.cycles[0].steps[0]  # first charge
    t = step["Time [s]"].entries
    current = step["Current [A]"].entries
    q_cycler = -trapezoid(current, t)  # C, charging current is negative
    n_li = step["Total lithium in positive electrode [mol]"].entries
    # lithium in particles that lost contact is no longer counted in the electrode but
    # was not passed through the circuit
    n_lam = step[
        "Loss of lithium due to loss of active material in positive electrode [mol]"
    ].entries
    assert n_lam[-1] > 0
    q_lithium = (n_li[0] - n_li[-1] - (n_lam[-1] - n_lam[0])) * F
    # SE oxidation current (anodic side reaction) integrated over the electrode
    pv = res.parameter_values
    area = pv["Electrode width [m]"] * pv["Electrode height [m]"]
    length = pv["Positive electrode thickness [m]"]
    a_j_side = step[
        "X-averaged positive electrode SEI volumetric interfacial current density [A.m-3]"
    ].entries
    q_side = trapezoid(a_j_side, t) * length * area
    assert q_side > 0  # SE oxidation takes part of the charging current
    # finite volumes conserve exactly; the tolerance is the solver's (rtol 1e-6)
    assert q_lithium + q_side == pytest.approx(q_cycler, rel=1e-5)


def test_reported_capacity_is_integral_of_current(lpscl_first_cycle):
    res = lpscl_first_cycle
    for k, col in [(0, "charge_capacity_mAh_per_g"), (1, "discharge_capacity_mAh_per_g")]:
        step = res.solution.cycles[0].steps[k]
        t = step["Time [s]"].entries
        i = np.abs(step["Current [A]"].entries)
        mAh = trapezoid(i, t) / 3.6
        assert res.cycles[col].iloc[0] == pytest.approx(mAh / res.nmc_mass_g, rel=1e-9)
    # and PyBaMM's own throughput counter agrees
    q_ah = res.solution.cycles[0].steps[0]["Throughput capacity [A.h]"].entries
    assert (q_ah[-1] - q_ah[0]) * 1e3 / res.nmc_mass_g == pytest.approx(
        res.cycles["charge_capacity_mAh_per_g"].iloc[0], rel=1e-4
    )
