"""Planning: every check happens before any work, and points are grouped by build."""

import pytest

from assb_model.sweep import SweepSpec, SweepSpecError, plan_sweep
from assb_model.sweep.engine import make_chunks

SET = "giraldo2021_sp_lpscl_coated"
SIGMA = "Electrolyte conductivity [S.m-1]"


def test_inputs_are_converted_to_si_and_share_one_build():
    plan = plan_sweep(SweepSpec(SET, ["sigma_se=1e-5:1e-3:5:log", "current_density=0.13,0.5"]))
    assert len(plan.jobs) == 10 and len(plan.groups) == 1
    assert plan.input_names == (SIGMA,)
    job = plan.jobs[0]
    assert job.inputs[SIGMA] == pytest.approx(job.values["sigma_se"] * 100)
    assert job.current_density == job.values["current_density"]
    assert plan.columns[:2] == ["sigma_se", "current_density"]
    assert plan.columns[-4:] == ["status", "error", "solve_time_s", "point_id"]


def test_rebuild_parameters_and_cutoffs_are_grouped():
    plan = plan_sweep(
        SweepSpec(
            SET,
            ["sigma_se=1e-5:1e-3:4:log", "upper_cutoff=3.8,4.1,4.3", "cathode_thickness=40,60"],
        )
    )
    assert len(plan.jobs) == 24
    assert len(plan.groups) == 6  # 3 cut-offs x 2 thicknesses, each built once
    thick = {g.overrides["Positive electrode thickness [m]"] for g in plan.groups.values()}
    assert sorted(thick) == pytest.approx([40e-6, 60e-6])
    assert {g.upper_cutoff for g in plan.groups.values()} == {3.8, 4.1, 4.3}
    assert set(plan.rebuild_names) == {"upper_cutoff", "cathode_thickness"}


def test_chunks_stay_within_groups_and_cover_every_point():
    plan = plan_sweep(SweepSpec(SET, ["sigma_se=1e-5:1e-3:10:log", "upper_cutoff=3.8,4.1"]))
    for workers in (1, 2, 8):
        chunks = make_chunks(plan.jobs, workers)
        assert sorted(j.point_id for c in chunks for j in c) == sorted(
            j.point_id for j in plan.jobs
        )
        assert all(len({j.group for j in c}) == 1 for c in chunks)
    many = plan_sweep(SweepSpec(SET, ["upper_cutoff=3.6:4.2:16", "sigma_se=1e-4,1e-3"]))
    # two or more groups per worker: one task per group, so each group is built once
    assert len(make_chunks(many.jobs, 2)) == 16
    # one group: decreasing task sizes so that the workers finish together
    one = plan_sweep(SweepSpec(SET, ["sigma_se=1e-6:1e-3:100:log"]))
    sizes = [len(c) for c in make_chunks(one.jobs, 2)]
    assert sizes[0] == 25 and sizes == sorted(sizes, reverse=True) and sum(sizes) == 100
    assert max(len(c) for c in make_chunks(one.jobs, 2, max_chunk=10)) == 10


@pytest.mark.parametrize(
    ("axes", "kwargs", "match"),
    [
        (["sigma_se=-1e-4,1e-4"], {}, r"'Electrolyte conductivity \[S.m-1\]' must be positive"),
        (["sigma_se=-1e-4,1e-4"], {}, r"sigma_se=-0.0001"),
        (["no_such_thing=1,2"], {}, "unknown sweep parameter 'no_such_thing'"),
        (["sigma_se=1e-3:1e-3:4"], {}, "empty range"),
        (["se_fraction=0.5,0.7"], {}, "exceeds 1"),
        (["upper_cutoff=1.9,3.8"], {}, "must be above the lower cut-off"),
        (["cycles=0,1"], {}, "at least 1"),
        (["cycles=1.5"], {}, "integer"),
        (["current_density=0,0.1"], {}, "current density must be positive"),
        (["Composite void fraction=0.1,0.2"], {}, "would change nothing"),
        (["sigma_se=1e-4,1e-3"], {"options": {"SE transport": "magic"}}, "invalid model option"),
        (["sigma_se=1e-4,1e-3"], {"overrides": {"cycles": 3}}, "protocol setting"),
        (["sigma_se=1e-4,1e-3"], {"overrides": {"sigma_se": 1e-3}}, "both swept and fixed"),
        (["sigma_se=1e-4", SIGMA + "=1,2"], {}, "swept twice"),
        (["Current function [A]=1,2"], {}, "current_density"),
    ],
)
def test_invalid_specs_fail_with_one_clear_message(axes, kwargs, match):
    with pytest.raises(SweepSpecError, match=match):
        plan_sweep(SweepSpec(SET, axes, **kwargs))


def test_unknown_parameter_set():
    with pytest.raises(SweepSpecError, match="unknown parameter set"):
        plan_sweep(SweepSpec("no_such_set", ["sigma_se=1e-4"]))


def test_bruggeman_coefficient_counts_only_with_the_bruggeman_option():
    name = "Positive electrode Bruggeman coefficient (electrolyte)"
    with pytest.raises(SweepSpecError, match="would change nothing"):
        plan_sweep(SweepSpec(SET, [f"{name}=1.5,2"]))
    plan = plan_sweep(SweepSpec(SET, [f"{name}=1.5,2"], options={"SE conductivity": "Bruggeman"}))
    assert plan.input_names == (name,)


def test_sampled_duplicates_are_computed_once():
    spec = SweepSpec(
        SET,
        ["sigma_se=1e-5:1e-3:log", "coated_sphere_fraction=0:1"],
        design="morris",
        samples=6,
        seed=2,
    )
    plan = plan_sweep(spec)
    assert len(plan.jobs) == len({tuple(p.items()) for p in spec.points()})
    assert len(plan.jobs) <= len(spec.points())


def test_fingerprint_depends_on_spec_and_parameter_values():
    a = plan_sweep(SweepSpec(SET, ["sigma_se=1e-4,1e-3"]))
    b = plan_sweep(SweepSpec(SET, ["sigma_se=1e-4,1e-3"]))
    c = plan_sweep(
        SweepSpec(SET, ["sigma_se=1e-4,1e-3"], overrides={"coated_sphere_fraction": 0.5})
    )
    assert a.fingerprint() == b.fingerprint() != c.fingerprint()


def test_capacities_are_normalised_by_the_nmc_the_point_contains():
    plan = plan_sweep(SweepSpec(SET, ["cathode_thickness=40,80", "nmc_fraction=0.2,0.4"]))
    m0 = 6.9  # mg: 10 mg composite at 69 wt%
    pv = plan.parameter_values
    for job in plan.jobs:
        thick = job.values["cathode_thickness"] * 1e-6 / pv["Positive electrode thickness [m]"]
        frac = job.values["nmc_fraction"] / pv["Positive electrode active material volume fraction"]
        assert job.nmc_mass_g * 1e3 == pytest.approx(m0 * thick * frac, rel=1e-6)
    same = plan_sweep(SweepSpec(SET, ["sigma_se=1e-4,1e-3"]))
    assert [j.nmc_mass_g for j in same.jobs] == pytest.approx([m0 / 1e3] * 2)
    explicit = plan_sweep(SweepSpec(SET, ["NMC mass [kg]=5e-6,7e-6", "nmc_fraction=0.2,0.4"]))
    assert sorted({round(j.nmc_mass_g, 9) for j in explicit.jobs}) == [0.005, 0.007]
