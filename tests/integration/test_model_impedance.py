"""Model impedance: the linearised spectrum against the model's own resistances, a DC
polarisation run and small-sine time-domain simulations, and against Tables 2 and 3.

Tolerances (docs/model_impedance.md has the measured numbers):

* arc widths vs the model's resistances, 5 %: the spectrum is exact (no noise), so what
  is left is the mismatch between the model and the paper's circuit, mostly the
  CPE-type planar diffusion element standing in for spherical particle diffusion, which
  takes ~5 % out of the neighbouring SE/anode arc of the Li6PS5Cl set (57 Ohm, the
  smallest); 7 % for that arc;
* frequency domain vs time domain, 2 % (the pybamm-eis validation pattern); measured
  < 1e-4, limited by the solver tolerance on a 0.5 mV response;
* low-frequency limit vs DC polarisation, 2 %; measured < 0.1 %.
"""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pybamm
import pytest

from assb_model import ASSBModel, list_parameter_sets
from assb_model.ecm.circuits import paper_fig5
from assb_model.ecm.fitting import aic, fit_circuit
from assb_model.model_eis.fidelity import (
    TOLERANCE,
    compare_with_table,
    fidelity_report_rows,
    fidelity_table,
    fit_model_spectrum,
    table_reference,
)
from assb_model.model_eis.spectrum import (
    DEFAULT_FREQUENCIES,
    ModelImpedance,
    charged_stoichiometry,
    impedance_after_cycles,
    impedance_at_state,
    model_at_state,
    model_impedance,
    stoichiometry_at_soc,
)
from assb_model.parameters.validation import ParameterError

LPSCL = "giraldo2021_sp_lpscl_coated"
#: An SE conductivity of 50 S/m (2000 x the set's) makes the composite's ionic resistance
#: ~0.03 Ohm; with a lumped grain-boundary element the spectrum is then four lumped elements
#: and diffusion.
NO_COMPOSITE_RESISTANCE = {"Electrolyte conductivity [S.m-1]": 50.0}
LUMPED_GB = {"SE grain boundary": "lumped"}
AMPLITUDE_A = 1e-6  # 1 % of 0.1 mA


# --- time-domain counterparts of the linearisation --------------------------------------
def _time_domain_simulation(result: ModelImpedance, current) -> pybamm.Simulation:
    """The linearised model (same options, same state) driven by a current function."""
    pv = result.parameter_values.copy()
    pv["Current function [A]"] = current
    model = model_at_state(result.solution, result.options, result.inputs)
    return pybamm.Simulation(
        model,
        parameter_values=pv,
        var_pts={**model.default_var_pts, **result.var_pts},
        solver=pybamm.IDAKLUSolver(rtol=1e-9, atol=1e-11),
    )


def sine_impedance(result: ModelImpedance, frequencies, periods=(5, 5), samples=64):
    """Impedance from small sine currents and the FFT of the voltage response.

    ``periods[0]`` periods let transients decay, ``periods[1]`` are analysed; the
    response of a zero-current run is subtracted (the rested state still drifts slowly).
    """
    freq = pybamm.InputParameter("Frequency [Hz]")
    amp = pybamm.InputParameter("Amplitude [A]")
    sim = _time_domain_simulation(result, amp * pybamm.sin(2 * np.pi * freq * pybamm.t))
    skip, keep = periods
    out = []
    for f in frequencies:
        t = np.linspace(0, (skip + keep) / f, (skip + keep) * samples + 1)
        v = {
            a: sim.solve([0, t[-1]], t_interp=t, inputs={"Frequency [Hz]": f, "Amplitude [A]": a})[
                "Voltage [V]"
            ].entries
            for a in (AMPLITUDE_A, 0.0)
        }
        window = slice(skip * samples, (skip + keep) * samples)
        dv = np.fft.rfft((v[AMPLITUDE_A] - v[0.0])[window])
        di = np.fft.rfft(AMPLITUDE_A * np.sin(2 * np.pi * f * t[window]))
        out.append(-dv[keep] / di[keep])  # PyBaMM: I > 0 discharges, V = V0 - Z I
    return np.array(out)


def dc_polarisation(result: ModelImpedance, t_end=3000.0):
    """Fit dV/I = R + t/C to the second half of a small constant-current step."""
    amp = pybamm.InputParameter("Amplitude [A]")
    sim = _time_domain_simulation(result, amp)
    t = np.linspace(0, t_end, 1001)
    v = {
        a: sim.solve([0, t_end], t_interp=t, inputs={"Amplitude [A]": a})["Voltage [V]"].entries
        for a in (AMPLITUDE_A, 0.0)
    }
    r = -(v[AMPLITUDE_A] - v[0.0]) / AMPLITUDE_A
    late = t >= t_end / 2
    slope, intercept = np.polyfit(t[late], r[late], 1)
    return intercept, 1 / slope


# --- fixtures ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lpscl():
    """The Li6PS5Cl set after the 2nd charge (default state)."""
    return model_impedance(LPSCL)


@pytest.fixture(scope="module")
def lpscl_fit(lpscl):
    return fit_model_spectrum(lpscl)


@pytest.fixture(scope="module")
def lumped():
    """Same, with the composite's ionic resistance made negligible."""
    return model_impedance(LPSCL, parameter_overrides=NO_COMPOSITE_RESISTANCE, options=LUMPED_GB)


@pytest.fixture(scope="module")
def lumped_fit(lumped):
    return fit_model_spectrum(lumped)


def _fitted(fit):
    return {a.name: a for a in fit.arcs()}


# --- the spectrum -----------------------------------------------------------------------
def test_default_window_sign_and_state(lpscl):
    f, Z = lpscl
    assert f[0] == pytest.approx(1e6) and f[-1] == pytest.approx(1e-3) and f.size == 91
    assert np.all(Z.imag < 0), "capacitive spectrum: Z'' < 0 at every frequency"
    assert np.all(np.diff(Z.real) > 0), "Z' grows monotonically towards low frequency"
    assert lpscl.state["after_cycles"] == 2
    # charged to 3.8 V vs Li-In, rested: ~4.37 V vs Li, SOC just below 1
    assert 4.3 < lpscl.state["cathode_potential_vs_Li_V"] < 4.42
    assert 0.9 < lpscl.state["soc"] < 1.0
    assert lpscl.state["interphase_thickness_nm"] > 0, "first-cycle interphase growth"


def test_four_arcs_in_the_papers_frequency_bands_and_a_diffusion_tail(lpscl, lpscl_fit):
    arcs = lpscl_fit.arcs()
    assert [a.name for a in arcs] == ["SE", "GB", "SECat", "SEAn"]
    T = np.array([a.T_s for a in arcs])
    assert np.all(np.diff(np.log10(T)) > 1), "time constants at least a decade apart"
    apex = {a.name: a.f_apex_Hz for a in arcs}
    assert apex["SE"] > 1e6, "bulk arc incomplete at 1 MHz (the paper's 'incomplete semicircle')"
    assert 1e3 < apex["GB"] < 3e4
    assert 100 < apex["SECat"] < 1e3  # paper: 100-300 Hz
    assert 1 < apex["SEAn"] < 10  # paper: 1-10 Hz
    assert lpscl_fit.gof < 1e-5
    # the low-frequency tail: -Z'' rises monotonically below 0.03 Hz, and without the
    # diffusion element (Figure 5e's circuit) the fit is clearly worse
    f, Z = lpscl
    tail = f <= 0.03
    assert np.all(np.diff(-Z.imag[tail]) > 0)
    assert aic(lpscl_fit) < aic(fit_circuit(paper_fig5(), f, Z)) - 100


def test_high_frequency_intercept_needs_extrapolation(lpscl, lpscl_fit, lumped, lumped_fit):
    """Re Z(1 MHz) is the bulk R||C at omega tau = 0.33 (plus, with the lumped option, the
    grain-boundary R||C), not R_SE; the fit extrapolates."""
    w = 2 * np.pi * 1e6
    elements = [("R_SE_ohm", "SE bulk capacitance [F]")]
    for res, extra in ((lpscl, []), (lumped, [("R_GB_ohm", "SE grain-boundary capacitance [F]")])):
        pv, r = res.parameter_values, res.resistances
        expected = sum(r[key] / (1 + (w * r[key] * pv[c]) ** 2) for key, c in elements + extra)
        # 1 %: the composite adds ~1.3 Ohm (0.8 %) at 1 MHz (the double layer shorts the
        # interface, the electronic path is not ideal)
        assert res.impedance[0].real == pytest.approx(expected, rel=0.01)
        assert res.impedance[0].real < 0.92 * (r["R_SE_ohm"] + r["R_GB_lumped_ohm"])
    for fit in (lpscl_fit, lumped_fit):
        assert fit["R_SE"] == pytest.approx(lpscl.resistances["R_SE_ohm"], rel=0.05)


def test_arc_widths_equal_the_lumped_resistances(lumped, lumped_fit):
    """Without the composite's ionic resistance each arc is one model resistance."""
    r = lumped.resistances
    assert r["R_ion_composite_ohm"] < 1.0
    fitted = _fitted(lumped_fit)
    for arc, key in (("SE", "R_SE_ohm"), ("GB", "R_GB_ohm"), ("SECat", "R_SECat_ohm")):
        assert fitted[arc].R_ohm == pytest.approx(r[key], rel=0.05), arc
    assert fitted["SEAn"].R_ohm == pytest.approx(r["R_SEAn_ohm"], rel=0.07)  # measured -4.9 %
    # the capacitances of the lumped elements come back too (ideal R||C: alpha = 1)
    pv = lumped.parameter_values
    assert fitted["SE"].C_eff_F == pytest.approx(pv["SE bulk capacitance [F]"], rel=0.05)
    assert fitted["GB"].C_eff_F == pytest.approx(pv["SE grain-boundary capacitance [F]"], rel=0.05)


def test_arc_widths_with_the_composite_ionic_resistance(lpscl, lpscl_fit):
    """The composite's ionic path forms a transmission line with the SE/cathode interface:
    R_SE and R_SE/An stay single arcs, the paper's GB and SE/Cat arcs together equal the
    line's width, the GB arc is ~R_ion/3 (the reading behind the parameter sets), and the
    whole real-axis width before the tail equals the model's total."""
    r = lpscl.resistances
    assert r["R_GB_lumped_ohm"] == 0.0, "default: no separate grain-boundary element"
    fitted = _fitted(lpscl_fit)
    assert fitted["SE"].R_ohm == pytest.approx(r["R_SE_ohm"], rel=0.05)
    # 7 %: the anode arc's low-frequency side merges with the diffusion tail (fit -5 %)
    assert fitted["SEAn"].R_ohm == pytest.approx(r["R_SEAn_ohm"], rel=0.07)
    middle = fitted["GB"].R_ohm + fitted["SECat"].R_ohm
    assert middle == pytest.approx(r["R_SECat_porous_ohm"], rel=0.05)
    # 15 %: an R||CPE fitted to the line's high-frequency part is not exactly R_ion/3
    # (parameters/inversion.py inverts the paper's circuit on the analytic line per set)
    assert fitted["GB"].R_ohm == pytest.approx(r["R_ion_composite_ohm"] / 3, rel=0.15)
    total = sum(a.R_ohm for a in fitted.values())
    assert total == pytest.approx(r["R_total_ohm"], rel=0.05)
    # sanity of the transmission-line width: between R_SE/Cat and R_SE/Cat + R_ion/3
    assert r["R_SECat_ohm"] < r["R_SECat_porous_ohm"]
    assert r["R_SECat_porous_ohm"] <= r["R_SECat_ohm"] + r["R_ion_composite_ohm"] / 3


# --- time-domain checks -----------------------------------------------------------------
def test_agrees_with_small_sine_time_domain_simulation(lpscl):
    frequencies = np.array([1e3, 100.0, 10.0, 1.0])
    Z_eis = model_impedance_at(lpscl, frequencies)
    Z_td = sine_impedance(lpscl, frequencies)
    assert np.abs(Z_td) == pytest.approx(np.abs(Z_eis), rel=0.02)
    assert np.angle(Z_td) == pytest.approx(np.angle(Z_eis), rel=0.02)
    assert np.max(np.abs(Z_td - Z_eis) / np.abs(Z_eis)) < 0.02


def model_impedance_at(result: ModelImpedance, frequencies):
    return impedance_at_state(
        result.solution,
        result.parameter_values,
        frequencies,
        options=result.options,
        inputs=result.inputs,
        var_pts=result.var_pts,
    )


def test_low_frequency_limit_matches_dc_polarisation():
    """Z -> R_lf + 1/(j omega C_int) below the diffusion range; a current step gives
    dV/I = R_lf + t/C_int. Without degradation: the charged state with SE oxidation is
    not stationary (R_SE/Cat grows ~7 Ohm/h at rest, measured 2026-12-05), so its DC
    limit is not defined."""
    result = model_impedance(
        LPSCL, np.array([1e-6]), options={"interphase growth": "none", "contact loss": "none"}
    )
    z = result.impedance[0]
    r_lf, c_int = z.real, -1 / (2 * np.pi * 1e-6 * z.imag)
    r_dc, c_dc = dc_polarisation(result)
    assert r_dc == pytest.approx(r_lf, rel=0.02)
    assert c_dc == pytest.approx(c_int, rel=0.02)
    # the limit lies above the arcs: diffusion adds to the total before the tail
    assert r_lf > result.resistances["R_total_ohm"]


def test_state_carried_over_equals_cycling_with_the_impedance_options(lpscl):
    """Cycling with the EIS options themselves gives the same spectrum (to 0.1 %)."""
    pv = lpscl.parameter_values
    area = pv["Electrode width [m]"] * pv["Electrode height [m]"]
    current = 0.13 * 10 * area
    charge = pybamm.step.current(-current, termination="> 3.8 V")
    discharge = pybamm.step.current(current, termination="< 2.0 V")
    rest = pybamm.step.rest(lpscl.state["rest_s"])
    model = ASSBModel(lpscl.options)  # surface form "differential", capacitive elements
    solution = pybamm.Simulation(
        model,
        parameter_values=pv,
        experiment=pybamm.Experiment([(charge, discharge), (charge, rest)]),
        var_pts={**model.default_var_pts, **lpscl.var_pts},
        solver=pybamm.IDAKLUSolver(),
    ).solve()
    f = DEFAULT_FREQUENCIES[::10]
    direct = impedance_at_state(solution, pv, f, options=lpscl.options, var_pts=lpscl.var_pts)
    assert np.max(np.abs(direct - lpscl.impedance[::10]) / np.abs(direct)) < 1e-3


# --- state definition -------------------------------------------------------------------
def test_soc_scale(lpscl_values):
    x_ch = charged_stoichiometry(lpscl_values)
    u_liin = lpscl_values["Li-In counter electrode potential vs Li [V]"]
    ocp = lpscl_values["Positive electrode OCP [V]"]
    assert float(ocp(pybamm.Scalar(x_ch)).evaluate()) == pytest.approx(3.8 + u_liin, abs=1e-6)
    assert stoichiometry_at_soc(lpscl_values, 0.0) == pytest.approx(0.999)
    assert stoichiometry_at_soc(lpscl_values, 1.0) == pytest.approx(x_ch)
    with pytest.raises(ParameterError, match="soc"):
        stoichiometry_at_soc(lpscl_values, 1.5)


def test_pristine_cell_at_an_soc():
    half = model_impedance(LPSCL, DEFAULT_FREQUENCIES[::5], after_cycles=0, soc=0.5)
    pristine = model_impedance(LPSCL, DEFAULT_FREQUENCIES[::5], after_cycles=0)
    assert half.state["soc"] == pytest.approx(0.5, abs=1e-3)
    assert pristine.state["soc"] == pytest.approx(0.0, abs=1e-3)
    # j0 ~ sqrt(x(1-x)) vanishes at x = 0.999: the pristine cathode arc is ~10x wider
    ratio = pristine.resistances["R_SECat_ohm"] / half.resistances["R_SECat_ohm"]
    assert ratio > 5
    assert pristine.impedance[-1].real > half.impedance[-1].real + 500


def test_partial_charge_to_an_soc_after_cycling():
    result = model_impedance(LPSCL, DEFAULT_FREQUENCIES[::10], after_cycles=3, soc=0.5)
    assert result.state["after_cycles"] == 3
    assert result.state["soc"] == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"after_cycles": -1}, "after_cycles"),
        ({"soc": -0.1}, "soc"),
        ({"rest_s": -5.0}, "rest_s"),
        ({"inputs": {"No such parameter": 1.0}}, "unknown input"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        model_impedance(LPSCL, DEFAULT_FREQUENCIES[:3], **kwargs)


def test_inputs_are_pybamm_input_parameters():
    """An input changes the spectrum as the same value set directly would."""
    name = "SE bulk resistance [Ohm]"
    f = np.array([1e4])
    a = model_impedance(LPSCL, f, after_cycles=0, soc=0.5, inputs={name: 40.0})
    b = model_impedance(LPSCL, f, after_cycles=0, soc=0.5, parameter_overrides={name: 40.0})
    assert a.impedance[0] == pytest.approx(b.impedance[0], rel=1e-9)
    assert a.resistances["R_SE_ohm"] == pytest.approx(40.0)


# --- after degradation ------------------------------------------------------------------
def _check_degradation(results):
    r_cat = [res.resistances["R_SECat_ohm"] for res in results]
    fitted = [_fitted(fit_model_spectrum(res))["SECat"].R_ohm for res in results]
    assert np.all(np.diff(r_cat) > 0), "R_SE/Cat grows with cycling"
    assert np.all(np.diff(fitted) > 0), "and so does the fitted SE/cathode arc"
    for res, fit_r in zip(results, fitted, strict=True):
        # the fitted arc tracks the model's own R_SE/Cat (GB absorbs ~R_ion/3, see above)
        assert fit_r == pytest.approx(res.resistances["R_SECat_ohm"], rel=0.05)
    return r_cat, fitted


def test_spectrum_after_degradation():
    results = impedance_after_cycles(LPSCL, (2, 10))
    r_cat, _ = _check_degradation(results)
    assert r_cat[1] > 1.2 * r_cat[0]
    # the separator and SE-network damage laws are off in every set (not identifiable,
    # docs/model.md section 4): the separator bulk and the composite's ionic path, and
    # with them the high-frequency intercept, stay as they were (to 1e-3: measured
    # 1.6e-4 on R_SE, the separator domain's own numerical resistance)
    before, after = (res.resistances for res in results)
    assert after["R_SE_ohm"] == pytest.approx(before["R_SE_ohm"], rel=1e-3)
    assert after["R_ion_composite_ohm"] == pytest.approx(before["R_ion_composite_ohm"], rel=1e-3)
    assert results[1].impedance[0].real == pytest.approx(results[0].impedance[0].real, rel=1e-3)


@pytest.mark.slow
def test_spectrum_after_the_figure6_protocol():
    results = impedance_after_cycles(LPSCL, (2, 10, 29, 130))
    r_cat, _ = _check_degradation(results)
    table3 = [150.2, 214.9, 252.6, 379.0]  # Table 3 B2
    # same direction as Table 3; within 20 % of its values (the growth ratios are
    # calibration targets with 5 % data sd; the 2nd-charge level is derived)
    assert np.all(np.diff(table3) > 0)
    assert np.asarray(r_cat) == pytest.approx(table3, rel=0.2)


# --- fidelity against Tables 2 and 3 ----------------------------------------------------
def test_fidelity_rows_for_the_lpscl_set(lpscl, lpscl_fit):
    """All four arcs come back within 10 % of Table 3 row B2-2; R_SE,GB, R_SE/Cat and
    R_SE/An within 5 %: the set is derived by inverting the circuit fit of an analytic
    spectrum at a quasi-static estimate of the state after the 2nd charge
    (parameters/inversion.py); the simulated state differs by a few % (measured: R_SE/Cat
    -3.5 %)."""
    rows = {
        r["arc"]: r for r in compare_with_table(LPSCL, lpscl, lpscl_fit, table_reference(LPSCL))
    }
    assert rows["R_SE"]["R_table_ohm"] == pytest.approx(171.6)
    for arc in ("R_SE", "R_SE,GB", "R_SE/Cat", "R_SE/An"):
        assert rows[arc]["within_tolerance"], rows[arc]
    for arc in ("R_SE,GB", "R_SE/Cat", "R_SE/An"):
        assert abs(rows[arc]["fit_vs_table_pct"]) < 5, rows[arc]
    report = fidelity_report_rows(pd.DataFrame(list(rows.values())))
    assert {"quantity", "unit", "paper", "simulated", "note"} <= set(report[0])
    assert report[0]["paper"] == pytest.approx(171.6)


def test_table_reference_for_later_cycles():
    ref = table_reference(LPSCL, 130)
    assert ref["rows"] == "Table 3 B2-130"
    assert ref["R_SECat_ohm"] == pytest.approx(379.0)
    uncoated = table_reference("giraldo2021_sm_lps80_uncoated")
    assert np.isnan(uncoated["Ceff_SE_uF"]), "bare R_SE row: no bulk capacitance"
    with pytest.raises(KeyError):
        table_reference("giraldo2021_sm_lps80_coated", 10)


#: The derived sets' fitted arcs that are known to miss the 10 % target at the 2nd charge,
#: with the measured value (docs/model_impedance.md, "Fidelity target"). Strict: a change
#: that brings them inside must update this list and the docs.
KNOWN_MISSES_2ND_CHARGE = {
    "giraldo2021_sp_lps80_uncoated": (
        "R_SE/Cat fit -10.7 % of its row (2026-12-05): the derivation estimates the "
        "interphase grown by the 2nd charge on the OCP path (1.54 nm), the model grows "
        "1.17 nm because the cell's polarisation keeps the interface below the OCP path near "
        "the cut-off; with less film the model's own R_SE/Cat is 290 Ohm against the 318 Ohm "
        "the inversion derived"
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN_MISSES_2ND_CHARGE[n]))
        if n in KNOWN_MISSES_2ND_CHARGE
        else n
        for n in list_parameter_sets()
    ],
)
def test_fidelity_target(name):
    """2nd charge: the paper's circuit fitted to the model's spectrum recovers all four
    resistances within 10 % of the table rows the set was derived from (R_SE,GB, R_SE/Cat
    and R_SE/An through the analytic circuit-fit inversion of parameters/inversion.py,
    R_SE from the derived separator conductivity). The spectrum is deterministic, so a
    change that moves an arc past 10 % is a real loss of fidelity, not noise. Issue 12's
    acceptance asks the coated sets within 10 %; the uncoated ones are held to the same
    target, with the one documented miss above."""
    result = model_impedance(name)
    rows = compare_with_table(name, result, fit_model_spectrum(result), table_reference(name))
    misses = [(r["arc"], round(r["fit_vs_table_pct"], 1)) for r in rows]
    assert all(abs(r["R_fit_ohm"] / r["R_table_ohm"] - 1) <= TOLERANCE for r in rows), misses


@pytest.fixture(scope="module")
def later_cycles():
    df = fidelity_table([LPSCL], later_cycles=(10, 29, 130))
    return df[df["cycle"] > 2]


@pytest.mark.slow
def test_fidelity_target_later_cycles(later_cycles):
    """Table 3's later charges (10, 29, 130) of the Li6PS5Cl set, the arcs the model's
    degradation describes: the fitted SE/cathode arc within 15 % (issue 12's acceptance for
    the R_SE/Cat series; its growth ratios are calibration targets, the absolute values
    follow from the derived 2nd-charge value; measured 2026-12-05: +2.9, -1.5, -10.3 %) and
    the SE/anode arc within 15 % (not fitted; -8.3, -0.9, +7.4 %)."""
    rows = later_cycles[later_cycles["arc"].isin(["R_SE/Cat", "R_SE/An"])]
    assert len(rows) == 6
    pct = rows.set_index(["cycle", "arc"])["fit_vs_table_pct"]
    assert (pct.abs() <= 15).all(), pct.to_string()


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="R_SE and R_SE,GB growth (Table 3: x1.35, x2.58 by charge 130) is not modelled: "
    "the separator and SE-network damage laws are off, not identifiable from one cell "
    "(docs/model.md section 4); measured 2026-12-05 at charge 130: -24 %, -63 %",
)
def test_fidelity_later_cycles_bulk_and_network_arcs(later_cycles):
    """Records the known miss; strict, so a model that starts to follow Table 3's bulk and
    SE-GB growth within 10 % fails here until the docs and this marker are updated."""
    rows = later_cycles[later_cycles["arc"].isin(["R_SE", "R_SE,GB"])]
    assert len(rows) == 6
    assert rows["within_tolerance"].all(), rows[["cycle", "arc", "fit_vs_table_pct"]].to_string()


# --- command line -----------------------------------------------------------------------
def test_cli_writes_spectrum_and_plots(tmp_path):
    out = tmp_path / "eis"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "assb_model.cli.eis",
            LPSCL,
            "--after-cycles",
            "0",
            "--soc",
            "0.5",
            "--points-per-decade",
            "3",
            "--out",
            str(out),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["state"]["soc"] == pytest.approx(0.5, abs=1e-3)
    assert {p.split("/")[-1] for p in payload["files"]} == {
        "impedance.csv",
        "nyquist.png",
        "bode.png",
    }
    lines = (out / "impedance.csv").read_text().splitlines()
    assert lines[0] == "frequency_Hz,Z_real_ohm,Z_imag_ohm"
    data = np.loadtxt(out / "impedance.csv", delimiter=",", skiprows=1)
    assert data.shape == (28, 3)
    assert np.all(data[:, 2] < 0), "Z_imag negative (capacitive)"


def test_cli_user_errors_exit_2(capsys):
    from assb_model.cli.eis import main

    assert main(["no_such_set"]) == 2
    assert "unknown parameter set" in capsys.readouterr().err
    assert main([LPSCL, "--soc", "2"]) == 2
    assert "soc" in capsys.readouterr().err
    assert main([LPSCL, "--option", "novalue"]) == 2
    assert main([LPSCL, "--fmin", "10", "--fmax", "1"]) == 2
