"""The parameter registry: one meaning per quantity, whatever the way in.

The key property: a quantity the registry calls an *input* changes no other parameter of a
set when given as a what-if (so making it a PyBaMM input of a built model is the same model
as re-deriving the set with it); a *rebuild* quantity re-derives what follows from it.
"""

import math

import pytest

from assb_model.errors import ParameterError, UnknownParameterError
from assb_model.parameters import registry
from assb_model.parameters.catalog import list_parameter_sets
from assb_model.parameters.sets import build_parameter_table
from assb_model.simulation.runner import nmc_mass_g

SET = "giraldo2021_sp_lpscl_coated"
#: Entries recorded for provenance only (the model computes its own), allowed to follow.
REPORTED_ONLY = {"Initial active material utilisation (derived)"}
#: Used outside the model: the runner scales the NMC mass of a run with its inputs
#: (assb_model.simulation.runner.nmc_mass_g, checked below), and the nominal capacity only
#: feeds PyBaMM's C-rate variable.
MASS_FOLLOWERS = {"NMC mass [kg]", "Nominal cell capacity [A.h]"}


def _numbers(table) -> dict[str, float]:
    return {e.name: float(e.value) for e in table if isinstance(e.value, int | float)}


def _trial_value(q: registry.Quantity, value_si: float) -> float:
    """A different, allowed value (SI)."""
    v = q.from_model(value_si)
    trial = v * 1.5 if v > 0 else 0.1
    if q.maximum is not None and trial > q.maximum:
        trial = (v + q.maximum) / 2 if v < q.maximum else v * 0.5
    return q.to_model(trial)


@pytest.mark.parametrize("name", list_parameter_sets())
@pytest.mark.parametrize(
    "quantity", [q for q in registry.QUANTITIES if q.mode == "input"], ids=lambda q: q.alias
)
def test_an_input_quantity_changes_only_itself(name, quantity):
    base = build_parameter_table(name)
    value = _trial_value(quantity, base[quantity.name])
    changed = build_parameter_table(name, {quantity.name: value})
    a, b = _numbers(base), _numbers(changed)
    moved = {k for k in a if not math.isclose(a[k], b[k], rel_tol=1e-12, abs_tol=0)}
    assert moved - REPORTED_ONLY - MASS_FOLLOWERS == {quantity.name}, quantity.alias
    if moved & MASS_FOLLOWERS:
        inputs = {quantity.name: value}
        assert nmc_mass_g(_numbers(base), inputs) == pytest.approx(b["NMC mass [kg]"] * 1e3)


@pytest.mark.parametrize(
    ("alias", "value", "follows"),
    [
        # composite mass doubles -> thickness and NMC mass double, fractions stay
        ("composite_mass", 20.0, {"Positive electrode thickness [m]": 2, "NMC mass [kg]": 2}),
        # separator thickness doubles -> its bulk resistance doubles
        ("separator_thickness", None, {"SE bulk resistance [Ohm]": 2}),
        # cathode thickness doubles -> NMC mass doubles
        ("cathode_thickness", None, {"NMC mass [kg]": 2}),
        # diameter doubles -> area x4, so the same masses give a quarter of the thickness
        ("diameter", 20.0, {"Electrode area [m2]": 4, "Positive electrode thickness [m]": 0.25}),
    ],
)
def test_a_rebuild_quantity_re_derives_what_follows(alias, value, follows):
    q = registry.BY_ALIAS[alias]
    base = build_parameter_table(SET)
    si = q.to_model(value) if value is not None else 2 * base[q.name]
    changed = build_parameter_table(SET, {q.name: si})
    for name, ratio in follows.items():
        assert changed[name] / base[name] == pytest.approx(ratio, rel=1e-9), name


def test_se_mass_fraction_re_derives_the_volume_fractions():
    base = build_parameter_table(SET)
    changed = build_parameter_table(SET, {"SE mass fraction": 0.39})
    assert changed["NMC mass fraction"] == pytest.approx(0.59)
    assert changed["Positive electrode porosity"] > base["Positive electrode porosity"]
    assert changed["NMC mass [kg]"] == pytest.approx(0.59e-5, rel=1e-9)


def test_inferred_constants_are_held_in_what_ifs_and_re_inferred_from_new_data():
    base = build_parameter_table(SET)
    j0 = "Positive electrode reference exchange-current density [A.m-2]"
    # a what-if of the cell (thinner coating) keeps the material's exchange current ...
    whatif = build_parameter_table(SET, {"Coating thickness [m]": 0.0})
    assert whatif[j0] == base[j0]
    assert "held in what-ifs" in whatif.entries[j0].source
    # ... while a different measurement re-infers it (R_SE/Cat halved: j0 about doubles)
    data = build_parameter_table(SET, {"Table R_SE/Cat [Ohm]": base["Table R_SE/Cat [Ohm]"] / 2})
    assert data[j0] > 1.9 * base[j0]
    # the calibration treats every override as data
    theta = "Initial positive electrode interface utilisation"
    reinferred = build_parameter_table(SET, {theta: 0.26}, reinfer=True)
    assert reinferred[j0] != base[j0]
    # ... and a fact that contradicts the measurement is an error: without its coating the
    # Li6PS5Cl cell would have grown more interphase by the 2nd charge than its R_SE/Cat
    with pytest.raises(ParameterError, match="exceeds the measured R_SE/Cat"):
        build_parameter_table(SET, {"Coating thickness [m]": 0.0}, reinfer=True)


def test_sigma_se_changes_the_se_not_the_microstructure():
    base = build_parameter_table(SET)
    changed = build_parameter_table(SET, {"Electrolyte conductivity [S.m-1]": 1e-4})
    for name in (
        "Composite SE transport efficiency (as built)",
        "Composite ionic resistance [Ohm]",
    ):
        assert changed[name] == base[name]
    assert changed.entries["Electrolyte conductivity [S.m-1]"].kind == "assumed"
    # the set's own value is inferred from its R_SE,GB, not Table 1's pellet
    assert base.entries["Electrolyte conductivity [S.m-1]"].kind == "derived"
    assert base["Electrolyte conductivity [S.m-1]"] != base["Table 1 SE conductivity [S.m-1]"]


def test_aliases_take_their_unit_names_take_si():
    r = registry.resolve("sigma_se")
    assert (r.name, r.unit) == ("Electrolyte conductivity [S.m-1]", "S/cm")
    assert r.to_model(2e-6) == pytest.approx(2e-4)
    r = registry.resolve("Electrolyte conductivity [S.m-1]")
    assert r.to_model(2e-4) == 2e-4 and r.unit == "S.m-1"
    assert registry.resolve("coating_thickness").to_model(9) == pytest.approx(9e-9)


def test_descriptive_fit_names_are_case_insensitive_aliases_are_exact():
    assert registry.lookup("SE TOPOLOGY").alias == "coated_sphere_fraction"
    assert registry.lookup("se conductivity").alias == "sigma_se"
    assert registry.lookup("sigma_SE") is None
    with pytest.raises(UnknownParameterError, match="did you mean 'sigma_se'"):
        registry.resolve("sigma_SE", [])


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ({"sigma_se": -1e-4}, "'sigma_se' .* must be positive"),
        ({"se_fraction": 1.2}, r"must be in \[0, 1\]"),
        ({"Electrolyte conductivity [S.m-1]": 0.0}, r"'Electrolyte conductivity \[S.m-1\]'"),
        ({"coating_thickness": "thin"}, "not a number"),
        ({"current_density": 0.5}, "protocol setting"),
        ({"Current function [A]": 1.0}, "cannot be set"),
    ],
)
def test_bad_values_are_one_clear_error(values, match):
    with pytest.raises(ParameterError, match=match):
        registry.to_model_values(values, ["Electrolyte conductivity [S.m-1]"])


def test_every_quantity_is_documented_consistently():
    aliases = [q.alias for q in registry.QUANTITIES]
    assert len(aliases) == len(set(aliases))
    for q in registry.QUANTITIES:
        assert q.description and q.unit
        if q.log:
            assert q.minimum is not None and q.minimum >= 0, q.alias
        if not q.is_protocol:
            assert q.name == "SE mass fraction" or "[" in q.name or q.si_unit == "-", q.alias


def test_the_docs_table_is_the_registry():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "parameters.md").read_text()
    start = text.index("<!-- registry table: generated, do not edit -->\n") + len(
        "<!-- registry table: generated, do not edit -->\n"
    )
    end = text.index("<!-- end of registry table -->")
    assert text[start:end] == registry.markdown_table()
