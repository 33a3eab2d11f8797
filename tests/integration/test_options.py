"""Every value of every model option builds and solves on every parameter set (PyBaMM's
``test_well_posed_*`` pattern): a coarse mesh, one cycle of the paper's protocol."""

import math

import pytest

from assb_model.model import ASSB_OPTIONS, ASSBModel, OptionError, check_options
from assb_model.parameters.catalog import list_parameter_sets
from assb_model.simulation import CCCycling, Runner, Scenario

#: Well-posedness does not depend on the mesh; a coarse one keeps 105 builds fast.
COARSE = {"x_s": 3, "x_p": 6, "r_p": 6}
CASES = [(option, value) for option, values in ASSB_OPTIONS.items() for value in values]


@pytest.mark.parametrize("name", list_parameter_sets())
@pytest.mark.parametrize(("option", "value"), CASES, ids=[f"{o}={v}" for o, v in CASES])
def test_every_option_value_builds_and_solves(name, option, value):
    scenario = Scenario(name, {option: value}, var_pts=COARSE)
    result = Runner(scenario, CCCycling()).run()
    capacity = result.outputs["discharge_capacity_mAh_per_g"]
    # a finite, physical first cycle: below the NMC's theoretical 275 mAh/g
    assert math.isfinite(capacity) and 0 < capacity < 275
    # the pristine NMC is at x = 0.999, not 1: a discharge may put back slightly more
    # lithium than the charge took out (up to 0.001 x 275 mAh/g), so CE can exceed 1 a bit
    assert 0.5 < result.outputs["coulombic_efficiency"] < 1.01


def test_each_option_switches_its_own_submodel():
    # one mechanism per option value: the option names the submodel that implements it
    assert type(ASSBModel().submodels["positive primary sei"]).__name__ == "InterphaseGrowth"
    off = ASSBModel({"interphase growth": "none"}).submodels["positive primary sei"]
    assert not off.growth
    cl = ASSBModel({"contact loss": "none"}).submodels["positive primary active material"]
    assert type(cl).__name__ == "PercolatedActiveMaterial"
    on = ASSBModel().submodels["positive primary active material"]
    assert type(on).__name__ == "ContactLoss"


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"contact loss": "sometimes"}, "'contact loss' must be one of"),
        ({"cathode degradation": "none"}, "cathode degradation"),
        ({"surface form": "bad"}, "surface form"),
    ],
)
def test_unknown_options_are_one_line_errors(options, match):
    with pytest.raises(OptionError, match=match):
        check_options(options)
