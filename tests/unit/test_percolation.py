"""Closed-form checks of the percolation laws (effective conductivity, utilisation)."""

import numpy as np
import pybamm
import pytest

from assb_model.model.submodels.percolation import (
    SOFTPLUS_STEEPNESS,
    active_material_utilisation,
    percolation_transport_efficiency,
)

PARAMS = {
    "SE percolation threshold": 0.18,
    "SE percolation exponent": 2.0,
    "SE coated-sphere fraction": 0.0,
    "SE transport efficiency floor": 1e-6,
    "SE percolation strength exponent": 0.41,
    "NMC-SE contact number": 2.0,
}


def evaluate(expr_fn, eps, **changes):
    pv = pybamm.ParameterValues({**PARAMS, **changes})
    return float(pv.evaluate(expr_fn(pybamm.Scalar(eps))))


@pytest.mark.parametrize("eps", [0.25, 0.35, 0.45, 0.6, 0.9])
def test_random_mixture_equals_closed_form_above_threshold(eps):
    p = (eps - 0.18) / (1 - 0.18)
    expected = p**2 + 1e-6
    # the softplus exceeds max(0, p) by log(1 + exp(-k p))/k ~ exp(-k p)/k, so p**2 is off
    # by a relative 2 exp(-k p)/(k p): 2e-4 at eps = 0.25, < 1e-9 from eps = 0.35 on
    k = SOFTPLUS_STEEPNESS
    tol = 1.1 * 2 * np.exp(-k * p) / (k * p) + 1e-12
    assert evaluate(percolation_transport_efficiency, eps) == pytest.approx(expected, rel=tol)


@pytest.mark.parametrize("eps", [0.05, 0.2, 0.44, 0.7, 0.95])
def test_coated_spheres_equal_the_hashin_shtrikman_bound(eps):
    expected = 2 * eps / (3 - eps) + 1e-6
    b = evaluate(percolation_transport_efficiency, eps, **{"SE coated-sphere fraction": 1.0})
    assert b == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("w", [0.0, 0.3, 1.0])
def test_no_composite_conducts_better_than_its_se_fraction(w):
    """B <= 2 phi/(3 - phi) <= phi at every SE fraction and every topology (the floor, 1e-6,
    is the only excess, and only where phi < 1e-6)."""
    for eps in np.linspace(0.001, 1.0, 60):
        b = evaluate(percolation_transport_efficiency, eps, **{"SE coated-sphere fraction": w})
        assert b <= 2 * eps / (3 - eps) + 1e-6 + 1e-12
        assert b <= eps + 1e-6


@pytest.mark.parametrize("w", [0.0, 0.5, 1.0])
def test_bulk_se_limit(w):
    """At phi = 1 the composite is the bulk SE: B = 1 (to the floor and the softplus's
    exp(-k)/k excess, ~4e-46)."""
    b = evaluate(percolation_transport_efficiency, 1.0, **{"SE coated-sphere fraction": w})
    assert b == pytest.approx(1.0, abs=2e-6)


def test_random_mixture_is_floor_below_threshold():
    for eps in [0.0, 0.05, 0.1]:
        b = evaluate(percolation_transport_efficiency, eps)
        # well below threshold the smoothed fraction is exponentially small: only the floor
        assert b == pytest.approx(1e-6, rel=1e-3)
    # 0.03 below threshold the smoothing still adds ~7 % of the floor (documented width)
    assert 1e-6 < evaluate(percolation_transport_efficiency, 0.15) < 1.3e-6


def test_random_mixture_smooth_and_increasing_through_threshold():
    eps = np.linspace(0.1, 0.3, 81)
    b = np.array([evaluate(percolation_transport_efficiency, e) for e in eps])
    assert np.all(np.diff(b) > 0)
    # at threshold the residual reduced fraction is ln(2)/k
    at_c = evaluate(percolation_transport_efficiency, 0.18)
    assert at_c == pytest.approx((np.log(2) / SOFTPLUS_STEEPNESS) ** 2 + 1e-6, rel=1e-9)


def test_utilisation_closed_form_and_limits():
    eps = 0.44
    p = (eps - 0.18) / 0.82
    assert evaluate(active_material_utilisation, eps) == pytest.approx(
        1 - np.exp(-2.0 * p**0.41), rel=1e-6
    )
    assert evaluate(active_material_utilisation, 0.05) < 1e-3
    assert evaluate(active_material_utilisation, 1.0) == pytest.approx(1 - np.exp(-2.0), rel=1e-6)
