"""``assb calibrate``: the calibration runs from the package; CI runs its reduced problem."""

import copy

import pytest

from assb_model import calibration
from assb_model.cli.main import main
from assb_model.parameters import sets


def test_quick_calibration_finds_the_stored_contact_number(capsys):
    # the capacity stage of the Li6PS5Cl set, started from the assumed contact number with
    # the other stored constants, converges back to the stored one within 2 %
    assert main(["calibrate", "--quick"]) == 0
    out = capsys.readouterr().out
    assert out.count("ok ") == 1 and "MISMATCH" not in out


def test_check_flags_a_constant_that_moved():
    stored = copy.deepcopy(sets.calibrated_constants())
    record = {"constants": copy.deepcopy(stored)}
    ok, _ = calibration.check(record, stored, rtol=0.02)
    assert ok
    record["constants"][0]["value"] *= 1.05  # 5 % off
    ok, lines = calibration.check(record, stored, rtol=0.02)
    assert not ok and lines[0].startswith("MISMATCH")


def test_calibration_targets_come_from_the_paper_files():
    # nothing retyped: Table 3 batch B2 and section 2 as shipped in parameter_sets/paper/
    assert calibration.RSECAT_B2 == pytest.approx({2: 150.2, 10: 214.9, 29: 252.6, 130: 379.0})
    assert calibration.UNCOATED_RSECAT == pytest.approx(
        {"giraldo2021_sp_lps80_coated": 295.9, "giraldo2021_sm_lps80_coated": 797.0}
    )
    assert calibration.CAPACITY_130 == pytest.approx(80.0)
    assert [t[2] for t in calibration.CAPACITY_TARGETS] == [60.0, 80.0, 140.0]


def test_at_most_six_calibrated_values_over_the_five_sets():
    """The issue's budget: distinct values of kind "calibrated" over every set's table."""
    values = set()
    for name in sets.list_parameter_sets():
        for e in sets.build_parameter_table(name):
            if e.kind == "calibrated":
                values.add((e.name, e.value))
    assert len(values) <= 6, sorted(values)


def test_the_posterior_matches_the_constants():
    """calibrated.json's Laplace posterior (the input of uncertainty propagation) names
    the calibrated constants, at their values, with a symmetric positive-definite
    covariance."""
    import numpy as np

    record = sets.read_json("calibrated.json")
    post = record["posterior"]
    assert len(post["names"]) == len(record["constants"]) == 6
    for name, mean, c in zip(post["names"], post["log10_mean"], record["constants"], strict=True):
        assert name == c["name"]
        assert mean == pytest.approx(np.log10(c["value"]), abs=1e-9)
    cov = np.array(post["log10_cov"])
    assert np.allclose(cov, cov.T)
    assert np.all(np.linalg.eigvalsh(cov) > 0)
