"""Lin-KK validation: valid circuit spectra pass, a drifting measurement fails.

Thresholds: noise-free circuit spectra leave residuals below 0.5 % (the finite set of
Voigt elements cannot follow arcs whose apex lies outside the measured window exactly);
0.5 % noise gives a largest residual of about 1.4 % (2.8σ over 182 values), inside the
default 2 % threshold. The drift case is a time-varying cell: R_SE/Cat and R_SE/An grow
linearly by 50 % during a 1 MHz -> 1 mHz sweep (two periods per frequency plus 0.5 s),
which produces residuals of 4-8 % at the low-frequency end.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from assb_model.ecm.validation import lin_kk
from tests.unit.ecm.synthetic import FREQ, noisy, spectra

SPECTRA = spectra()


def drifting_spectrum(name: str, growth: float = 0.5) -> np.ndarray:
    """Measure high -> low frequency while R_SECat and R_SEAn grow linearly in time."""
    circuit, p = SPECTRA[name]
    elapsed = np.cumsum(2.0 / FREQ + 0.5)
    progress = elapsed / elapsed[-1]
    idx = [circuit.param_names.index(n) for n in ("R_SECat", "R_SEAn")]
    Z = np.empty(FREQ.size, dtype=complex)
    for i, x in enumerate(progress):
        q = p.copy()
        q[idx] *= 1 + growth * x
        Z[i] = circuit.impedance(FREQ[i : i + 1], q)[0]
    return Z


@pytest.mark.parametrize("name", list(SPECTRA))
def test_valid_spectra_pass(name):
    circuit, p = SPECTRA[name]
    Z = circuit.impedance(FREQ, p)
    clean = lin_kk(FREQ, Z)
    assert clean.passed
    assert clean.max_residual < 0.005
    assert clean.M <= 55  # default cap: 5 per decade + 10
    noisy_result = lin_kk(FREQ, noisy(Z))
    assert noisy_result.passed
    assert noisy_result.mu < 0.85  # noise makes the μ criterion stop before the cap
    assert 0.003 < noisy_result.rms_residual < 0.006  # the noise level, 0.5 %


@pytest.mark.parametrize("name", list(SPECTRA))
def test_drift_artefact_fails(name):
    result = lin_kk(FREQ, noisy(drifting_spectrum(name)))
    assert not result.passed
    worst = np.argmax(np.maximum(np.abs(result.residuals_real), np.abs(result.residuals_imag)))
    assert FREQ[worst] < 1.0  # the violation is at the slow (low-frequency) end


def test_voigt_fit_recovers_a_single_rc():
    """An RC whose τ is on the grid for every M (τ_1 = 1/ω_max) is represented exactly."""
    f = np.logspace(5, -2, 71)
    tau = 1 / (2 * np.pi * f.max())
    Z = 10 + 100 / (1 + 1j * 2 * np.pi * f * tau)
    res = lin_kk(f, Z, add_capacitance=False, add_inductance=False)
    assert res.max_residual < 1e-10
    assert res.R0 == pytest.approx(10, rel=1e-8)
    assert res.R_k.sum() == pytest.approx(100, rel=1e-8)


def test_residual_plot_and_input_checks():
    circuit, p = SPECTRA["SM-B1"]
    res = lin_kk(FREQ, circuit.impedance(FREQ, p))
    fig = res.plot()
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert "Hz" in ax.get_xlabel() and "%" in ax.get_ylabel()
    with pytest.raises(ValueError):
        lin_kk(FREQ[:2], circuit.impedance(FREQ[:2], p))
