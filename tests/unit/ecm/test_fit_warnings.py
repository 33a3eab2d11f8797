"""Fits that should not be trusted say so; adaptive starts; the inductance option; text in
engineering notation.

Spectra are synthetic (exact circuits), so every expected value is known: a parameter
pushed onto a bound by a bounds= too narrow for the truth, a circuit with one arc fitted to
two, a spectrum with 1 µH of cable inductance.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import assb_model.ecm.fitting as fitting
from assb_model.cli.fit_eis import main as fit_eis_main
from assb_model.ecm.circuits import get_circuit, paper_fig5, paper_fig7, parse_circuit
from assb_model.ecm.fitting import MAX_AUTO_STARTS, MIN_AUTO_STARTS, fit_circuit
from assb_model.ecm.io import write_spectrum_csv
from assb_model.ecm.validation import lin_kk

F = np.logspace(5, -1, 43)
TWO_ARCS = parse_circuit("R0-p(R1,CPE1)-p(R2,CPE2)")
P_TWO_ARCS = np.array([20.0, 100.0, 2e-6, 0.9, 300.0, 1e-4, 0.8])


def test_parameter_on_a_bound_is_reported():
    Z = TWO_ARCS.impedance(F, P_TWO_ARCS)
    result = fit_circuit(TWO_ARCS, F, Z, bounds={"R1": (1.0, 50.0)})  # truth: 100 Ω
    assert result["R1"] == pytest.approx(50.0)
    assert any(w.startswith("R1 = 50 Ω is at its upper bound") for w in result.warnings)
    assert result.summary()["warnings"] == result.warnings


def test_clean_fit_has_no_warning_and_alpha_one_is_not_a_bound_warning():
    Z = TWO_ARCS.impedance(F, P_TWO_ARCS)
    assert fit_circuit(TWO_ARCS, F, Z).warnings == []
    ideal = parse_circuit("R0-p(R1,CPE1)")
    result = fit_circuit(ideal, F, ideal.impedance(F, [10.0, 100.0, 1e-5, 1.0]))
    assert result["CPE1_alpha"] == pytest.approx(1.0)
    assert result.warnings == []


def test_residuals_far_above_kramers_kronig_are_reported():
    Z = TWO_ARCS.impedance(F, P_TWO_ARCS) * (
        1 + 0.002 * np.random.default_rng(0).normal(size=F.size)
    )
    one_arc = fit_circuit("R0-p(R1,CPE1)", F, Z)
    kk = lin_kk(F, Z)
    assert kk.passed
    message = one_arc.check_against_kk(kk)
    assert message is not None and "does not describe them" in message
    assert message in one_arc.warnings
    two_arcs = fit_circuit(TWO_ARCS, F, Z)
    assert two_arcs.check_against_kk(kk) is None  # the right circuit is consistent


def test_non_finite_objective_is_reported(monkeypatch):
    monkeypatch.setattr(fitting, "gof_modulus", lambda *args: float("nan"))
    result = fit_circuit(TWO_ARCS, F, TWO_ARCS.impedance(F, P_TWO_ARCS))
    assert result.warnings[0].startswith("the fit ended with a non-finite objective")


def test_adaptive_starts_stop_when_the_best_is_found_twice():
    Z = TWO_ARCS.impedance(F, P_TWO_ARCS)
    result = fit_circuit(TWO_ARCS, F, Z)
    assert MIN_AUTO_STARTS <= result.n_starts <= MAX_AUTO_STARTS
    assert result.n_best >= 2
    assert fit_circuit(TWO_ARCS, F, Z, n_starts=7).n_starts == 7
    for bad in (0, -1, "many", 2.5):
        with pytest.raises(ValueError, match="n_starts"):
            fit_circuit(TWO_ARCS, F, Z, n_starts=bad)


def test_inductance_option_of_the_paper_circuits():
    assert paper_fig5(inductance=True).param_names[0] == "L_wire"
    assert get_circuit("paper-fig7-bare-se-l").to_string().startswith("L_wire-R_SE-")
    assert paper_fig7(inductance=True).n_params == paper_fig7().n_params + 1
    circuit = paper_fig5(bare_se=True, inductance=True)
    truth = np.array([1e-6, 15.0, 20.0, 2e-6, 0.9, 60.0, 3e-5, 0.8, 30.0, 4e-4, 0.95])
    f = np.logspace(6, -1, 71)
    Z = circuit.impedance(f, truth)
    assert np.any(Z.imag > 0)  # inductive at the highest frequencies
    with_l = fit_circuit(circuit, f, Z)
    assert with_l["L_wire"] == pytest.approx(1e-6, rel=0.01)
    assert with_l.rms_residual < 1e-4
    without = fit_circuit(paper_fig5(bare_se=True), f, Z)
    assert without.rms_residual > 100 * with_l.rms_residual
    assert "inductance (L_wire): 1 µH" in with_l.table()


def test_table_in_engineering_notation():
    circuit = parse_circuit("R0-p(R1,CPE1)")
    result = fit_circuit(circuit, F, circuit.impedance(F, [0.004, 0.012, 5e-3, 0.95]))
    table = result.table()
    assert "4 mΩ" in table and "12 mΩ" in table  # milliohm arcs used to print as 0.0
    assert "mF" in table or "µF" in table


def test_cli_sweeps_options_and_json(tmp_path, capsys):
    circuit = parse_circuit("R0-p(R1,CPE1)")
    f = np.logspace(5, 0, 21)
    rows = []
    for r1 in (100.0, 110.0):
        rows.append(circuit.impedance(f, [10.0, r1, 1e-6, 0.9]))
    path = write_spectrum_csv(tmp_path / "two.csv", np.r_[f, f], np.concatenate(rows))
    argv = ["fit-eis", str(path), "--circuit", "R0-p(R1,CPE1)", "--json", "--M", "12"]
    assert fit_eis_main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_sweeps"] == 2 and [s["sweep"] for s in out["sweeps"]] == [1, 2]
    assert [s["parameters"]["R1"]["value"] for s in out["sweeps"]] == pytest.approx([100, 110])
    assert all(s["kk"]["M"] == 12 and s["warnings"] == [] for s in out["sweeps"])
    assert fit_eis_main([*argv, "--sweep", "2"]) == 0
    single = json.loads(capsys.readouterr().out)
    assert single["sweep"] == 2 and single["parameters"]["R1"]["value"] == pytest.approx(110)
    assert fit_eis_main([*argv[:-2], "--inductance", "--mu", "0.7", "--starts", "3"]) == 0
    fitted = json.loads(capsys.readouterr().out)["sweeps"][0]
    assert fitted["circuit"].startswith("L_wire-") and fitted["n_starts"] == 3
    assert any("L_wire" in w and "lower bound" in w for w in fitted["warnings"])


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--sweep", "3"], "--sweep 3 does not exist"),
        (["--starts", "0"], "--starts must be"),
        (["--mu", "1.5"], "--mu must be in"),
        (["--M", "0"], "--M must be a positive"),
    ],
)
def test_cli_bad_options_exit_2(tmp_path, capsys, extra, message):
    path = write_spectrum_csv(tmp_path / "s.csv", F, TWO_ARCS.impedance(F, P_TWO_ARCS))
    assert fit_eis_main(["fit-eis", str(path), *extra]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_cli_exit_1_when_nothing_usable(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(fitting, "gof_modulus", lambda *args: float("nan"))
    path = write_spectrum_csv(tmp_path / "s.csv", F, TWO_ARCS.impedance(F, P_TWO_ARCS))
    assert fit_eis_main(["fit-eis", str(path), "--circuit", TWO_ARCS.to_string(), "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["gof"] is None
    assert "no sweep gave a usable fit" in captured.err
