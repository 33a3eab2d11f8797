"""Every parameter set loads, validates, has provenance, and registers with PyBaMM."""

from dataclasses import replace

import pybamm
import pytest

import assb_model
from assb_model.errors import UnknownParameterSetError
from assb_model.parameters import paper
from assb_model.parameters.cells import paper_cell
from assb_model.parameters.provenance import KINDS
from assb_model.parameters.sets import build_parameter_table

NAMES = assb_model.list_parameter_sets()


def test_the_five_paper_sets_exist():
    assert NAMES == [
        "giraldo2021_sm_lps80_coated",
        "giraldo2021_sm_lps80_uncoated",
        "giraldo2021_sp_lps80_coated",
        "giraldo2021_sp_lps80_uncoated",
        "giraldo2021_sp_lpscl_coated",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_every_entry_has_unit_kind_and_source(name):
    table = build_parameter_table(name)
    assert len(table) > 60
    for e in table:
        assert e.kind in KINDS
        assert e.unit, e.name
        assert len(e.source) > 5, e.name


@pytest.mark.parametrize("name", NAMES)
def test_pybamm_entry_point(name):
    pv = pybamm.ParameterValues(name)
    ours = assb_model.load_parameter_set(name)
    assert pv["Positive electrode thickness [m]"] == ours["Positive electrode thickness [m]"]


def test_unknown_set_is_a_clear_error():
    with pytest.raises(UnknownParameterSetError, match="unknown parameter set 'nope'"):
        assb_model.load_parameter_set("nope")


def test_tables_transcribed_completely():
    assert len(paper.table1()) == 3
    assert len(paper.table2()) == 7
    assert len(paper.table3()) == 5
    t3 = paper.table3().set_index("label")
    # spot checks against the paper's Table 3
    assert t3.loc["B2-130", "R_SECat_ohm"] == 379.0
    assert t3.loc["B1-2", "R_SE_ohm"] == 186.6


def test_values_derived_from_the_right_rows():
    t = build_parameter_table("giraldo2021_sm_lps80_coated")
    # mean of Table 2 simple mixture B1-B3 R_SE/Cat: (543.0 + 858.4 + 525.8) / 3
    assert t["Table R_SE/Cat [Ohm]"] == pytest.approx((543.0 + 858.4 + 525.8) / 3)
    assert t["SE bulk resistance [Ohm]"] == pytest.approx((244.5 + 167.0 + 195.1) / 3)
    t = build_parameter_table("giraldo2021_sp_lpscl_coated")
    # Table 3 row B2-2 only: the cell Table 3 follows to the 130th charge
    assert t["Table R_SE/An [Ohm]"] == pytest.approx(57.4)
    # Table 1: Li6PS5Cl 4e-5 S/cm = 4e-3 S/m
    assert t["Electrolyte conductivity [S.m-1]"] == pytest.approx(4e-3)


def test_geometry_consistent_with_masses():
    t = build_parameter_table("giraldo2021_sp_lpscl_coated")
    area = t["Electrode area [m2]"]
    nmc = t["Positive electrode active material volume fraction"]
    mass = (
        nmc * t["Positive electrode thickness [m]"] * area * t["Active material density [kg.m-3]"]
    )
    assert mass == pytest.approx(6.9e-6, rel=1e-9)
    assert 40e-6 < t["Positive electrode thickness [m]"] < 50e-6
    # separator: 80 mg pellet ~0.5-0.6 mm
    assert 0.45e-3 < t["Separator thickness [m]"] < 0.65e-3


def test_coated_sets_have_the_papers_coating():
    assert build_parameter_table("giraldo2021_sp_lps80_coated")[
        "Coating thickness [m]"
    ] == pytest.approx(9e-9)
    assert build_parameter_table("giraldo2021_sp_lps80_uncoated")["Coating thickness [m]"] == 0


def test_composite_ionic_resistance_comes_from_the_gb_arc():
    """R_ion = ratio x R_SE,GB, and the derived process factor reproduces R_ion; an
    explicit override of the factor replaces the derivation (provenance "assumed")."""
    name = "giraldo2021_sp_lpscl_coated"
    t = build_parameter_table(name)
    r_ion = t["Composite ionic resistance [Ohm]"]
    assert r_ion == pytest.approx(
        t["Composite ionic resistance to GB-arc ratio"] * t["SE grain-boundary resistance [Ohm]"]
    )
    assert t.entries["SE process contact factor"].kind == "derived"
    over = build_parameter_table(name, {"SE process contact factor": 3.0})
    assert over["SE process contact factor"] == 3.0
    assert over.entries["SE process contact factor"].kind == "assumed"


def test_calibrated_constants_apply_to_the_sets_they_name():
    """An entry with "parameter_sets" applies to those sets only (per-set inversion)."""
    from assb_model.parameters import sets

    ratios = {
        n: build_parameter_table(n)["Composite ionic resistance to GB-arc ratio"]
        for n in sets.list_parameter_sets()
    }
    per_set = [
        c
        for c in sets.calibrated_constants()
        if c["name"] == "Composite ionic resistance to GB-arc ratio"
    ]
    assert len(per_set) == 5
    for c in per_set:
        (name,) = c["parameter_sets"]
        assert ratios[name] == pytest.approx(c["value"], rel=1e-12)
    cell = replace(paper_cell("giraldo2021_sp_lpscl_coated"), name="b")  # a solution-process cell
    assert sets._applies({"parameter_sets": ["a"]}, cell) is False
    assert sets._applies({"process": None}, cell) is True
    assert sets._applies({"process": "simple mixture"}, cell) is False
