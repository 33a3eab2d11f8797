"""Fitting: recovery from automatic initial guesses, uncertainty, reporting, API.

Requirements checked (synthetic spectra of :mod:`tests.unit.ecm.synthetic`, 1 MHz-1 mHz,
10 points/decade):

* noise-free data: every parameter (R, Q, alpha, diffusion) within 1 %;
* 0.5 % proportional complex Gaussian noise (σ = 0.005|Z| on Z' and on Z'', seed 0):
  every R within 10 %.

Because R_GB has a Cramér–Rao standard deviation of 9-15 % at that noise level (see the
synthetic module), the 10 % target for R_GB holds for seed 0 but not for every noise
realisation. Seed-independent checks therefore come in addition: on several seeds the fit
reaches a weighted sum of squares no larger than that of the true parameters (so a miss is
the data's, not the optimiser's), every parameter lies within 4 reported standard errors of
the truth, and every R whose uncertainty is below 3.3 % is within 10 %.
"""

from __future__ import annotations

import numpy as np
import pytest

from assb_model.ecm.circuits import parse_circuit
from assb_model.ecm.fitting import (
    CircuitModel,
    FitResult,
    fit_best_circuit,
    fit_circuit,
    gof_modulus,
    sort_equivalent_arcs,
)
from tests.unit.ecm.synthetic import FREQ, noisy, noisy_components, spectra

SPECTRA = spectra()
NAMES = list(SPECTRA)


def _is_resistance(name: str) -> bool:
    return name.startswith("R_")


@pytest.fixture(scope="module")
def noise_free_fits() -> dict[str, FitResult]:
    out = {}
    for name, (circuit, p) in SPECTRA.items():
        out[name] = fit_circuit(circuit, FREQ, circuit.impedance(FREQ, p))
    return out


@pytest.fixture(scope="module")
def noisy_fits() -> dict[tuple[str, int], FitResult]:
    out = {}
    for name, (circuit, p) in SPECTRA.items():
        Z0 = circuit.impedance(FREQ, p)
        for seed in (0, 1, 2):
            out[name, seed] = fit_circuit(circuit, FREQ, noisy(Z0, 0.005, seed))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_noise_free_recovers_every_parameter_to_1_percent(noise_free_fits, name):
    _, p_true = SPECTRA[name]
    res = noise_free_fits[name]
    rel = np.abs(res.values / p_true - 1)
    assert rel.max() < 0.01, dict(zip(res.param_names, rel, strict=True))
    assert res.gof < 1e-12
    assert res.fit_time_s < 1.0  # target 0.5 s on one core; margin for loaded CI machines


@pytest.mark.parametrize("name", NAMES)
def test_noisy_seed0_recovers_every_resistance_to_10_percent(noisy_fits, name):
    _, p_true = SPECTRA[name]
    res = noisy_fits[name, 0]
    rel = {n: abs(v / t - 1) for n, v, t in zip(res.param_names, res.values, p_true, strict=True)}
    bad = {n: r for n, r in rel.items() if _is_resistance(n) and r >= 0.10}
    assert not bad
    # GOF of a correct model on 0.5 % noise is about 0.005^2 = 2.5e-5 (paper: 1e-5 - 6e-5)
    assert 1.5e-5 < res.gof < 3.5e-5


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", NAMES)
def test_noisy_fit_reaches_the_least_squares_minimum(noisy_fits, name, seed):
    circuit, p_true = SPECTRA[name]
    res = noisy_fits[name, seed]
    Z_true = circuit.impedance(FREQ, p_true)
    gof_truth = gof_modulus(res.Z, Z_true, len(p_true))
    assert res.gof <= gof_truth * (1 + 1e-9)
    # errors are consistent with the reported (Jacobian) standard errors
    z = np.abs(np.log(res.values / p_true)) / (res.std_errors / res.values)
    assert z.max() < 4.0, dict(zip(res.param_names, np.round(z, 2), strict=True))
    # well-determined resistances (1σ < 3.3 %) are always within 10 %
    for n, v, t, s in zip(res.param_names, res.values, p_true, res.std_errors, strict=True):
        if _is_resistance(n) and s / v < 0.033:
            assert abs(v / t - 1) < 0.10, n


@pytest.mark.slow
def test_every_r_within_10_percent_across_noise_realisations():
    """The 10 % target over many realisations, under both readings of "0.5 % noise".

    Component-proportional noise (σ = 0.5 % of |Z'| and of |Z''|) fitted with the matching
    ("proportional") weighting: R_GB's Cramér–Rao 1σ is 1.9-4.1 %, so a 10 % miss is a
    2.4σ event for the worst spectrum (SM-B1) and rare; measured 2026-11-27: 89 of 90
    realisations (30 seeds x 3 spectra) with every R within 10 %, worst 10.3 %. Required
    here: at least 95 % of them. Modulus-proportional noise (σ = 0.5 % of |Z| on both
    parts): R_GB's 1σ is 8.6-15 %, misses are frequent for any estimator (measured: 32 of
    90 realisations miss on R_GB - 9, 5, 18 per spectrum - with modulus weighting);
    required: every other R within 10 % in every realisation (their 1σ <= 3 %; measured
    worst 6.9 %)."""
    passed = total = 0
    for circuit, p in SPECTRA.values():
        Z0 = circuit.impedance(FREQ, p)
        r_idx = [i for i, n in enumerate(circuit.param_names) if _is_resistance(n)]
        not_gb = [i for i in r_idx if circuit.param_names[i] != "R_GB"]
        for seed in range(30):
            res = fit_circuit(
                circuit, FREQ, noisy_components(Z0, 0.005, seed), weighting="proportional"
            )
            passed += int(np.max(np.abs(res.values[r_idx] / p[r_idx] - 1)) < 0.10)
            total += 1
            res = fit_circuit(circuit, FREQ, noisy(Z0, 0.005, seed))
            assert np.max(np.abs(res.values[not_gb] / p[not_gb] - 1)) < 0.10, seed
    assert passed / total >= 0.95, f"{passed}/{total}"


def test_confidence_intervals_and_correlations(noisy_fits):
    res = noisy_fits["B2-2", 0]
    lo, hi = res.ci95.T
    assert np.all(lo < res.values) and np.all(res.values < hi)
    assert np.all(lo[[n.startswith(("R_", "Q_", "T_")) for n in res.param_names]] > 0)
    corr = res.correlation
    np.testing.assert_allclose(np.diag(corr), 1.0)
    np.testing.assert_allclose(corr, corr.T)
    assert np.all(np.abs(corr) <= 1 + 1e-9)
    # Q and alpha of the bulk arc (apex above 1 MHz) are strongly anticorrelated
    i, j = res.param_names.index("Q_SE"), res.param_names.index("alpha_SE")
    assert corr[i, j] < -0.9


def test_arc_report_is_ordered_and_consistent(noisy_fits):
    res = noisy_fits["B2-2", 0]
    arcs = res.arcs()
    assert [a.name for a in arcs] == ["SE", "GB", "SECat", "SEAn"]
    times = [a.T_s for a in arcs]
    assert times == sorted(times)
    for a in arcs:
        assert a.T_s == pytest.approx(a.R_ohm * a.C_eff_F, rel=1e-12)
        assert a.f_apex_Hz == pytest.approx(1 / (2 * np.pi * a.T_s), rel=1e-12)
        assert set(a.as_dict()) == {"R_ohm", "Q", "alpha", "C_eff_F", "T_s"}
    summary = res.summary()
    assert summary["series_R_ohm"] == 0.0
    assert summary["diffusion"]["element"] == "Wao_Diff"
    assert set(summary["diffusion"]) >= {"R_ohm", "T_s", "alpha"}
    assert summary["gof"] == res.gof
    assert "GOF" in res.table()


def test_bare_series_resistance_is_reported(noise_free_fits):
    res = noise_free_fits["SM-uncoated"]
    assert res.series_resistance() == pytest.approx(277.0, rel=1e-6)
    assert len(res.arcs()) == 3
    assert res.diffusion() is None


def test_permuted_arcs_are_relabelled_by_time_constant():
    circuit, p = SPECTRA["SM-B1"]
    blocks = p.reshape(4, 3)
    swapped = blocks[[2, 0, 3, 1]].ravel()
    np.testing.assert_allclose(circuit.impedance(FREQ, swapped), circuit.impedance(FREQ, p))
    np.testing.assert_allclose(sort_equivalent_arcs(circuit, swapped), p)


@pytest.mark.parametrize("weighting", ["modulus", "proportional", "unit"])
def test_circuit_model_api_and_weightings(weighting):
    circuit = parse_circuit("R0-p(R1,CPE1)-p(R2,CPE2)")
    p = np.array([20.0, 100.0, 2e-6, 0.9, 300.0, 1e-4, 0.8])
    Z = circuit.impedance(FREQ, p)
    model = CircuitModel("R0-p(R1,CPE1)-p(R2,CPE2)", weighting=weighting).fit(FREQ, Z)
    np.testing.assert_allclose(model.parameters_, p, rtol=1e-6)
    assert model.conf_.shape == p.shape
    np.testing.assert_allclose(model.predict(FREQ), Z, rtol=1e-6)
    assert model.result_.weighting == weighting


def test_fixed_parameters_and_partial_initial_guess():
    circuit, p = SPECTRA["SM-B1"]
    Z = circuit.impedance(FREQ, p)
    res = fit_circuit(circuit, FREQ, Z, initial_guess={"alpha_SE": 0.9}, fixed={"R_SE": 244.5})
    assert res["R_SE"] == 244.5
    assert res.std_errors[0] == 0.0
    np.testing.assert_allclose(res.values, p, rtol=1e-4)


def test_gof_definition():
    Z = np.array([1 - 1j, 2 - 2j, 3 + 0j])
    Z_fit = Z * (1 + 0.01)
    # sum(|ΔZ|^2/|Z|^2) = 3 * 1e-4; dof = 2*3 - 1
    assert gof_modulus(Z, Z_fit, 1) == pytest.approx(3e-4 / 5)


def test_auto_selection_prefers_diffusion_only_when_present(noisy_fits):
    circuit, p = SPECTRA["B2-2"]
    best, results = fit_best_circuit(FREQ, noisy(circuit.impedance(FREQ, p)))
    assert best.circuit.to_string() == circuit.to_string()
    assert len(results) == 2
    circuit5, p5 = SPECTRA["SM-B1"]
    best5, _ = fit_best_circuit(FREQ, noisy(circuit5.impedance(FREQ, p5)))
    assert best5.diffusion() is None


def test_input_errors():
    circuit, p = SPECTRA["SM-B1"]
    Z = circuit.impedance(FREQ, p)
    with pytest.raises(ValueError, match="differ in length"):
        fit_circuit(circuit, FREQ[:-1], Z)
    with pytest.raises(ValueError, match="positive"):
        fit_circuit(circuit, -FREQ, Z)
    with pytest.raises(ValueError, match="unknown parameter"):
        fit_circuit(circuit, FREQ, Z, fixed={"R_XX": 1.0})
    with pytest.raises(ValueError, match="NaN"):
        fit_circuit(circuit, FREQ, np.where(FREQ > 1, Z, np.nan))
