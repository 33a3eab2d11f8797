"""Derivations of model parameters from the paper's tables: formulas and round trips."""

import math

import pytest

from assb_model.parameters import derivations as d


def test_electrode_area_of_10_mm_pellet():
    assert d.electrode_area(0.01) == pytest.approx(7.853982e-5, rel=1e-6)


def test_composite_geometry_volume_balance():
    area = d.electrode_area(0.01)
    rho = {"NMC": 4753.0, "SE": 1865.0, "C": 2000.0}
    w = {"NMC": 0.69, "SE": 0.29, "C": 0.02}
    thickness, phi = d.composite_geometry(1e-5, w, rho, 0.12, area)
    assert sum(phi.values()) == pytest.approx(0.88, abs=1e-12)
    # NMC volume reproduces its mass: phi_NMC * L * A * rho = 6.9 mg
    assert phi["NMC"] * thickness * area * 4753.0 == pytest.approx(6.9e-6, rel=1e-12)
    # ~45 um for 10 mg on 0.785 cm2 (REFERENCES.md back-of-envelope)
    assert 40e-6 < thickness < 50e-6


def test_mass_fractions_must_sum_to_one():
    with pytest.raises(ValueError, match="sum to 1"):
        d.composite_geometry(1e-5, {"a": 0.5, "b": 0.4}, {"a": 1.0, "b": 1.0}, 0.1, 1e-4)


def test_conductivity_resistance_round_trip_table2_row():
    # Table 2, solution process B2: R_SE = 250.8 Ohm; a 0.6 mm pellet
    sigma = d.conductivity_from_resistance(250.8, 6e-4, d.electrode_area(0.01))
    assert d.resistance_from_conductivity(sigma, 6e-4, d.electrode_area(0.01)) == pytest.approx(
        250.8
    )
    # ~3e-4 S/cm as REFERENCES.md estimates for 75Li2S-25P2S5
    assert 1e-2 < sigma < 1e-1


def test_exchange_current_density_gives_the_measured_resistance():
    """Linearised BV: R_ct = RT/(F j0 A) must give back the table resistance."""
    area, T = d.electrode_area(0.01), 298.15
    j0 = d.exchange_current_from_resistance(71.7, area, T)
    r = d.GAS_CONSTANT * T / (d.FARADAY * j0 * area)
    assert r == pytest.approx(71.7, rel=1e-12)
    # a factor-of-2 error in the linearisation would give 143.4 or 35.9 Ohm
    assert j0 == pytest.approx(8.314462618 * 298.15 / (96485.33212 * 71.7 * area), rel=1e-9)


def test_cathode_exchange_current_subtracts_film():
    j0_bare = d.cathode_exchange_current_density(150.0, 1e-3, 0.0, 298.15)
    j0_film = d.cathode_exchange_current_density(150.0, 1e-3, 0.05, 298.15)
    assert j0_film == pytest.approx(j0_bare * 0.15 / 0.10, rel=1e-12)
    with pytest.raises(ValueError, match="film alone exceeds"):
        d.cathode_exchange_current_density(150.0, 1e-3, 0.2, 298.15)


def test_nmc111_theoretical_capacity():
    c_max = d.maximum_concentration(4753.0, 0.096461)
    # 277.85 mAh/g for LiNi1/3Mn1/3Co1/3O2 (literature.json, nmc111_theoretical_capacity)
    assert d.specific_capacity(c_max, 4753.0) == pytest.approx(277.85, abs=0.05)


def test_double_layer_per_particle_area():
    c = d.particle_double_layer_capacitance(2e-6, 0.4, 2.5e-6, 45e-6, 7.85e-5)
    a = 3 * 0.4 / 2.5e-6
    assert c * a * 45e-6 * 7.85e-5 == pytest.approx(2e-6, rel=1e-12)


def test_mean_ignores_missing():
    assert d.mean([1.0, float("nan"), 3.0]) == 2.0
    assert math.isnan(float("nan"))
    with pytest.raises(ValueError):
        d.mean([float("nan")])


def test_composite_conductivity_round_trip():
    """sigma_SE reproduces the ionic resistance it was derived from: R = L/(sigma B A)."""
    area, thickness, b = 7.85e-5, 44.5e-6, 0.344
    sigma = d.composite_conductivity(300.0, thickness, area, b)
    assert thickness / (sigma * b * area) == pytest.approx(300.0, rel=1e-12)
    with pytest.raises(ValueError, match="positive"):
        d.composite_conductivity(-1.0, thickness, area, b)
