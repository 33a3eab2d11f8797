"""``assb calibrate``: the calibration runs from the package; CI runs its reduced problem."""

import copy

import pytest

from assb_model import calibration
from assb_model.cli.main import main
from assb_model.parameters import sets


def test_quick_calibration_finds_the_stored_inversion_factors(capsys):
    # the 2nd-charge circuit-fit inversion of the Li6PS5Cl set, started from the
    # uncalibrated factors (3, 1, 1), converges back to the stored ones within 2 %
    assert main(["calibrate", "--quick"]) == 0
    out = capsys.readouterr().out
    assert out.count("ok ") == 3 and "MISMATCH" not in out


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
    assert calibration.RGB_B2[130] == pytest.approx(50.0)
    assert calibration.CAPACITY_130 == pytest.approx(80.0)
    assert [t[2] for t in calibration.CAPACITY_TARGETS] == [60.0, 80.0, 140.0]
