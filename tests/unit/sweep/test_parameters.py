"""Names, aliases and units; which parameters can be PyBaMM inputs (checked empirically)."""

import pytest

import assb_model
from assb_model.simulation.cycling import CyclingSimulation
from assb_model.sweep.parameters import (
    ALIASES,
    PROTOCOL_KEYS,
    REBUILD_PARAMETERS,
    resolve_name,
)

SET = "giraldo2021_sp_lpscl_coated"


@pytest.fixture(scope="module")
def names():
    return set(assb_model.load_parameter_set(SET).keys())


def test_sigma_se_alias_takes_s_per_cm(names):
    r = resolve_name("sigma_se", names)
    assert r.target == "Electrolyte conductivity [S.m-1]"
    assert r.unit == "S/cm"
    # 1 S/cm = 100 S/m: Table 1's 4e-5 S/cm is the set's 4e-3 S/m ("Table 1 SE
    # conductivity", reported next to the in-composite value the set infers)
    pv = assb_model.load_parameter_set(SET)
    assert 4e-5 * r.to_si == pytest.approx(pv["Table 1 SE conductivity [S.m-1]"])
    assert not r.needs_rebuild and not r.is_protocol


@pytest.mark.parametrize(
    ("alias", "factor", "rebuild"),
    [
        ("coating_thickness", 1e-9, False),
        ("cathode_thickness", 1e-6, True),
        ("particle_radius", 1e-6, True),
        ("upper_cutoff", 1.0, True),
        ("cycles", 1.0, True),
        ("current_density", 1.0, False),
    ],
)
def test_alias_units_and_rebuild_flags(names, alias, factor, rebuild):
    r = resolve_name(alias, names)
    assert r.to_si == factor
    assert r.needs_rebuild is rebuild


@pytest.mark.parametrize("name", assb_model.list_parameter_sets())
def test_every_alias_target_exists_in_every_set(name):
    keys = set(assb_model.load_parameter_set(name).keys())
    for alias, a in ALIASES.items():
        assert a.target in keys or a.target in PROTOCOL_KEYS, alias


def test_full_names_are_si_and_detect_rebuild(names):
    r = resolve_name("Positive electrode thickness [m]", names)
    assert (r.unit, r.to_si, r.needs_rebuild) == ("m", 1.0, True)
    r = resolve_name("SE coated-sphere fraction", names)
    assert (r.unit, r.needs_rebuild) == ("-", False)


def test_unknown_name_suggests_close_matches(names):
    with pytest.raises(KeyError, match="did you mean 'sigma_se'"):
        resolve_name("sigma_SE", names)
    with pytest.raises(KeyError, match="Electrolyte conductivity"):
        resolve_name("Electrolyte conductivity", names)


def test_protocol_current_cannot_be_swept(names):
    with pytest.raises(ValueError, match="current_density"):
        resolve_name("Current function [A]", names)


def test_a_mesh_parameter_cannot_be_an_input():
    # the rule behind REBUILD_PARAMETERS: PyBaMM cannot mesh a geometry given by inputs
    name = "Positive electrode thickness [m]"
    assert name in REBUILD_PARAMETERS
    sim = CyclingSimulation(SET, input_parameters=[name])
    with pytest.raises(Exception):  # noqa: B017 - PyBaMM raises IndexError while meshing
        sim.run(0.13, **{name: 4.5e-5})


@pytest.mark.slow
@pytest.mark.parametrize("name", REBUILD_PARAMETERS)
def test_every_rebuild_parameter_fails_as_input(name):
    pv = assb_model.load_parameter_set(SET)
    with pytest.raises(Exception):  # noqa: B017 - IndexError, ModelError or TypeError
        CyclingSimulation(SET, input_parameters=[name]).run(0.13, **{name: float(pv[name])})


@pytest.mark.slow
@pytest.mark.parametrize(
    "alias",
    [a for a, v in ALIASES.items() if v.target not in PROTOCOL_KEYS + REBUILD_PARAMETERS],
)
def test_every_input_alias_works_as_input(alias):
    # same value as input and as a constant: the same answer (to solver tolerance)
    target = ALIASES[alias].target
    value = float(assb_model.load_parameter_set(SET)[target])
    fast = CyclingSimulation(SET, input_parameters=[target]).run(0.13, **{target: value})
    slow = assb_model.simulate(SET)
    a = fast.cycles["discharge_capacity_mAh_per_g"].iloc[0]
    assert a == pytest.approx(slow.cycles["discharge_capacity_mAh_per_g"].iloc[0], rel=1e-5)
