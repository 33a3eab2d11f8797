"""Multi-start of the cycling fit's optimiser, on residuals with two known minima."""

import numpy as np
import pytest

from assb_model.fit.fit import MINIMUM_RTOL, multistart, start_points


def two_minima(u):
    """Cost (u-0.15)^2 (u-0.85)^2 + 0.01 (u-0.85)^2: the global minimum at u = 0.85
    (cost 0), a local one near u = 0.15 (cost ~0.005) that a start below 0.5 falls into."""
    x = u[0]
    return np.array([(x - 0.15) * (x - 0.85), 0.1 * (x - 0.85)])


def test_start_points_begin_with_the_given_start_and_fill_a_latin_hypercube():
    u0 = np.array([0.3, 0.7])
    points = start_points(u0, 5, seed=1)
    assert len(points) == 5
    np.testing.assert_array_equal(points[0], u0)
    rest = np.array(points[1:])
    assert ((rest >= 0) & (rest <= 1)).all()
    # a Latin hypercube: each of the 4 strata of each axis holds exactly one point
    for axis in range(2):
        assert sorted(np.floor(rest[:, axis] * 4).astype(int)) == [0, 1, 2, 3]
    # reproducible with its seed, different with another
    np.testing.assert_array_equal(np.array(start_points(u0, 5, seed=1)[1:]), rest)
    assert not np.allclose(np.array(start_points(u0, 5, seed=2)[1:]), rest)
    assert len(start_points(u0, 1)) == 1


def test_one_start_stops_in_the_local_minimum():
    runs, best = multistart(two_minima, np.array([0.05]), 1, 0, 200)
    assert best == 0 and len(runs) == 1
    assert runs[0]["u"][0] == pytest.approx(0.15, abs=0.02)
    assert runs[0]["cost"] > 1e-3  # not the global minimum (cost 0)


def test_more_starts_find_the_global_minimum_and_say_which():
    runs, best = multistart(two_minima, np.array([0.05]), 4, 0, 200)
    assert len(runs) == 4
    assert best > 0  # the given start's end is the local minimum
    assert runs[best]["u"][0] == pytest.approx(0.85, abs=1e-3)
    assert runs[best]["cost"] < 1e-8
    assert runs[best]["cost"] == min(r["cost"] for r in runs)
    assert all(r["evaluations"] > 0 for r in runs)
    np.testing.assert_array_equal(runs[0]["start"], [0.05])


def test_the_given_start_wins_a_tie():
    """Starts that end at the same minimum (within MINIMUM_RTOL) keep the given start's
    end, so adding starts never moves a fit that was already at the best minimum."""
    runs, best = multistart(two_minima, np.array([0.9]), 4, 0, 200)
    assert best == 0
    assert runs[0]["u"][0] == pytest.approx(0.85, abs=1e-3)
    assert min(r["cost"] for r in runs) >= 0
    assert MINIMUM_RTOL < 0.13  # notebook 04's two minima differ by 13 % in cost
