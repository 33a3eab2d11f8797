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
    # Table 1: Li6PS5Cl 4e-5 S/cm = 4e-3 S/m, reported next to the inferred value
    assert t["Table 1 SE conductivity [S.m-1]"] == pytest.approx(4e-3)


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


def test_se_conductivity_comes_from_the_inverted_gb_arc():
    """σ_SE = L/(R_ion B A) with R_ion from the inversion of the set's arcs and B the
    process's bounded law; an explicit override replaces the derivation ("assumed")."""
    name = "giraldo2021_sp_lpscl_coated"
    t = build_parameter_table(name)
    area = t["Electrode width [m]"] * t["Electrode height [m]"]
    sigma = t["Positive electrode thickness [m]"] / (
        t["Composite ionic resistance [Ohm]"]
        * t["Composite SE transport efficiency (as built)"]
        * area
    )
    assert t["Electrolyte conductivity [S.m-1]"] == pytest.approx(sigma, rel=1e-12)
    assert t.entries["Electrolyte conductivity [S.m-1]"].kind == "derived"
    # solution process: coated spheres, the Hashin-Shtrikman bound at its SE fraction
    phi = t["Positive electrode porosity"]
    assert t["Composite SE transport efficiency (as built)"] == pytest.approx(
        2 * phi / (3 - phi), rel=1e-5
    )
    over = build_parameter_table(name, {"Electrolyte conductivity [S.m-1]": 3e-3})
    assert over["Electrolyte conductivity [S.m-1]"] == 3e-3
    assert over.entries["Electrolyte conductivity [S.m-1]"].kind == "assumed"


def test_no_set_conducts_better_than_its_se_fraction():
    from assb_model.parameters import sets

    for n in sets.list_parameter_sets():
        t = build_parameter_table(n)
        phi = t["Positive electrode porosity"]
        assert (
            t["Composite SE transport efficiency (as built)"]
            <= 2 * phi / (3 - phi) + 1e-6
            <= phi + 1e-6
        )


def test_sets_of_one_se_and_process_respond_identically_to_a_sigma_what_if():
    """One meaning of σ_SE: at the same σ_SE the two SP 80:20 sets (same SE fraction and
    process, different rows) have the same composite conductivity."""
    k = {}
    for n in ("giraldo2021_sp_lps80_coated", "giraldo2021_sp_lps80_uncoated"):
        t = build_parameter_table(n, {"Electrolyte conductivity [S.m-1]": 1e-5})
        k[n] = (
            t["Electrolyte conductivity [S.m-1]"]
            * t["Composite SE transport efficiency (as built)"]
        )
    a, b = k.values()
    assert a == pytest.approx(b, rel=1e-12)


def test_calibrated_constants_apply_to_the_sets_they_name():
    """An entry with "parameter_sets" applies to those sets only; a scope applies by SE and
    process."""
    from assb_model.parameters import sets

    for c in sets.calibrated_constants():
        for name in c.get("parameter_sets") or []:
            assert build_parameter_table(name)[c["name"]] == pytest.approx(c["value"], rel=1e-12)
    cell = replace(paper_cell("giraldo2021_sp_lpscl_coated"), name="b")  # a solution-process cell
    assert sets._applies({"parameter_sets": ["a"]}, cell) is False
    assert sets._applies({"process": None}, cell) is True
    assert sets._applies({"process": "simple mixture"}, cell) is False
