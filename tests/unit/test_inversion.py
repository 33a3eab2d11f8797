"""The inversion of the paper's circuit fit (parameters/inversion.py) and the derivations
of the tables' state (derivations.py): analytic cases and round trips."""

import math

import numpy as np
import pytest

from assb_model.parameters import derivations as d
from assb_model.parameters.inversion import (
    FREQUENCIES,
    TableArcs,
    composite_impedance,
    diffusion_impedance,
    fitted_arcs,
    invert_table_arcs,
)

#: Li6PS5Cl-like cell (Table 3 B2-2 magnitudes): tau = R_p^2/D, C_int of the connected NMC
TAU, C_INT = 625.0, 2.1


def test_diffusion_impedance_is_the_intercalation_capacitance_at_low_frequency():
    """Z_d -> 1/(s C_int) + tau/(15 C_int) for s tau -> 0 (spherical particle: the series
    resistance R_p^2/(15 D C_int) of the finite-space sphere)."""
    s = 2j * np.pi * 1e-7
    z = diffusion_impedance(np.array([s]), TAU, C_INT)[0]
    assert z.imag == pytest.approx((1 / (s * C_INT)).imag, rel=1e-6)
    assert z.real == pytest.approx(TAU / (15 * C_INT), rel=1e-3)


def test_transmission_line_limits():
    """At high frequency every element is shorted; at low frequency (no diffusion) the
    transmission line is sqrt(R_ion z) coth(sqrt(R_ion/z)) = z + R_ion/3 - R_ion^2/(45 z)
    + ... (de Levie's limit and its next term, z = R_int)."""
    arcs = TableArcs(170.0, 3e-10, 20.0, 150.0, 2e-6, 57.0, 1e-3)
    f = np.array([1e9])
    z = composite_impedance(f, arcs, 60.0, 150.0, 57.0, TAU, C_INT)[0]
    assert abs(z) < 1.0  # every element is shorted by its capacitance at 1 GHz
    # DC-like limit with no diffusion: C_int huge, f low enough for every double layer
    z = composite_impedance(np.array([1e-4]), arcs, 60.0, 150.0, 57.0, 1e-12, 1e12)[0]
    expected = 170.0 + 60.0 / 3 - 60.0**2 / (45 * 150.0) + 150.0 + 57.0
    assert z.real == pytest.approx(expected, rel=1e-4)


def test_round_trip_recovers_the_resistances():
    """Spectrum of known resistances -> the paper's circuit fit -> its arcs -> inversion
    gives the resistances back (to the inversion's tolerance plus the fit's)."""
    arcs0 = TableArcs(171.6, 3e-10, 1.0, 1.0, 2e-6, 1.0, 1.1e-3)
    truth = {"R_ion": 70.0, "R_int": 140.0, "R_An": 60.0}
    z = composite_impedance(
        FREQUENCIES, arcs0, truth["R_ion"], truth["R_int"], truth["R_An"], TAU, C_INT
    )
    fit = fitted_arcs(z)
    arcs = TableArcs(171.6, 3e-10, fit["GB"], fit["SECat"], 2e-6, fit["SEAn"], 1.1e-3)
    inv = invert_table_arcs(arcs, TAU, C_INT)
    assert inv.R_ion == pytest.approx(truth["R_ion"], rel=2e-3)
    assert inv.R_int == pytest.approx(truth["R_int"], rel=2e-3)
    assert inv.R_An == pytest.approx(truth["R_An"], rel=2e-3)
    # and the fitted arcs of the inverted resistances are the table's
    for k in ("GB", "SECat", "SEAn"):
        assert inv.fitted[k] == pytest.approx(fit[k], rel=2e-4)


def test_inversion_refuses_non_positive_arcs():
    with pytest.raises(ValueError, match="positive"):
        invert_table_arcs(TableArcs(170.0, 3e-10, 0.0, 150.0, 2e-6, 57.0, 1e-3), TAU, C_INT)


def test_tunnelling_film_linear_and_logarithmic_limits():
    v, k, lam = 5e-5, 1e-10, 2e-9
    # small exposure: L = V k exp(-L_coat/lam) I / F
    i_small = 1e-3
    expected = v * k * math.exp(-9e-9 / lam) * i_small / d.FARADAY
    got = d.tunnelling_film_thickness(i_small, k, 9e-9, lam, v)
    assert got == pytest.approx(expected, rel=1e-6)
    # large exposure: L = lam ln(K I) - L_coat (the coating is worth its thickness)
    i_big = 1e20
    bare = d.tunnelling_film_thickness(i_big, k, 0.0, lam, v)
    coated = d.tunnelling_film_thickness(i_big, k, 9e-9, lam, v)
    assert bare - coated == pytest.approx(9e-9, rel=1e-3)


def test_oxidation_exposure_of_a_flat_potential():
    """U constant: the integral is n tau_x (x0 - xc) exp(beta F (U - U_ox)/RT)."""
    x = np.linspace(0.3, 1.0, 701)
    u = np.full_like(x, 4.0)
    got = d.oxidation_exposure(x, u, 0.999, 0.4, 100.0, 0.2, 2.0, 298.15)
    factor = math.exp(0.2 * d.FARADAY * 2.0 / (d.GAS_CONSTANT * 298.15))
    assert got == pytest.approx(3 * 100.0 * (0.999 - 0.4) * factor, rel=2e-3)


def test_state_of_the_tables():
    x = np.linspace(0.2, 1.0, 801)
    u = 5.0 - 2.0 * x  # decreasing OCP
    assert d.charged_stoichiometry(x, u, 4.42) == pytest.approx(0.29, abs=1e-9)
    with pytest.raises(ValueError, match="outside"):
        d.charged_stoichiometry(x, u, 6.0)
    assert d.contact_retained(2e-3, 1.8) == pytest.approx(math.exp(-3.6e-3))
    # j0 ∝ sqrt(x(1-x)): referring back and forth is the identity
    j0_ref = d.reference_exchange_current(1.0, 0.38, 0.5)
    assert j0_ref == pytest.approx(math.sqrt(0.25 / (0.38 * 0.62)))


def test_composite_conductivity_refuses_no_transport():
    assert d.composite_conductivity(100.0, 5e-5, 7.85e-5, 0.1) == pytest.approx(
        5e-5 / (100.0 * 0.1 * 7.85e-5)
    )
    with pytest.raises(ValueError, match="percolation threshold"):
        d.composite_conductivity(100.0, 5e-5, 7.85e-5, 0.0)
