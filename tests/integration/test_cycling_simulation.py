"""Build once, run many: input parameters give the same answers as rebuilding."""

import pytest

import assb_model
from assb_model.parameters.validation import ParameterError
from assb_model.simulation.cycling import CyclingSimulation

SIGMA = "Electrolyte conductivity [S.m-1]"


@pytest.fixture(scope="module")
def sim():
    return CyclingSimulation("giraldo2021_sp_lps80_coated", input_parameters=[SIGMA])


@pytest.mark.parametrize(("sigma", "current_density"), [(5e-4, 0.13), (5e-3, 0.5)])
def test_inputs_equal_rebuilt_model(sim, sigma, current_density):
    fast = sim.run(current_density, **{SIGMA: sigma}).cycles
    slow = assb_model.simulate(
        "giraldo2021_sp_lps80_coated",
        current_density=current_density,
        parameter_overrides={SIGMA: sigma},
    ).cycles
    for col in ("charge_capacity_mAh_per_g", "discharge_capacity_mAh_per_g"):
        # identical equations and solver: agreement to solver tolerance
        assert fast[col].iloc[0] == pytest.approx(slow[col].iloc[0], rel=1e-6)


def test_inputs_are_checked(sim):
    with pytest.raises(ParameterError, match="missing"):
        sim.run(0.13)
    with pytest.raises(ParameterError, match="must be positive"):
        sim.run(0.13, **{SIGMA: -1.0})
    with pytest.raises(ParameterError, match="unknown parameter"):
        CyclingSimulation(input_parameters=["No such parameter"])
