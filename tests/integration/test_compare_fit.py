"""Comparing the model with data and fitting it, end to end.

The data are the model's own output with noise (the shipped synthetic example, or made
here), so the right answers are known: the model with the true parameters matches within
the noise, and a fit from a perturbed start recovers the true parameters.
"""

import contextlib
import json
import subprocess
import sys

import numpy as np
import pytest

from assb_model.cli.fit import main as data_cli
from assb_model.fit import (
    compare,
    example_data_path,
    example_parameter_values,
    fit_cycling,
    load_fitted_parameter_set,
)
from assb_model.fit.fit_impedance import model_impedance_function
from assb_model.fit.synthetic import (
    example_metadata,
    synthetic_cycling,
    write_cycler_csv,
)

SET = "giraldo2021_sp_lpscl_coated"

#: Known parameters of the fit-recovery test, and the start (the set's own values).
TRUE = {"Electrolyte conductivity [S.m-1]": 3.5e-3, "Positive particle diffusivity [m2.s-1]": 3e-15}
START = {"Electrolyte conductivity [S.m-1]": 1e-2, "Positive particle diffusivity [m2.s-1]": 1e-14}

#: Voltage noise of the synthetic data [V].
NOISE_V = 1e-3


@pytest.fixture(scope="module")
def one_cycle_file(tmp_path_factory):
    """One noisy synthetic cycle with the TRUE values (cycler-style CSV)."""
    df = synthetic_cycling(SET, parameter_overrides=TRUE, cycles=1, voltage_noise_V=NOISE_V, seed=7)
    return write_cycler_csv(df, tmp_path_factory.mktemp("data") / "cell.csv", "SYNTHETIC")


@pytest.fixture(scope="module")
def recovery(one_cycle_file):
    return fit_cycling(one_cycle_file, SET, ["SE conductivity", "diffusivity"], initial=START)


def test_example_is_labelled_synthetic_and_reproduced_by_its_true_values():
    meta = example_metadata()
    assert meta["synthetic"] is True
    first = example_data_path().read_text().splitlines()[0]
    assert "SYNTHETIC" in first
    truth = {k: v["true"] for k, v in meta["true_values"].items()}
    result = compare(example_data_path(), example_parameter_values(), parameter_overrides=truth)
    c = result.cycles
    assert list(c["cycle"]) == [1, 2, 3]
    # within sampling/noise: 0.1 % capacity (regenerate the example if the model changed:
    # python experiments/make_synthetic_example.py)
    assert np.all(np.abs(c["capacity_error_percent"]) < 0.1)
    assert np.all(c["voltage_rmse_mV"] < 5.0)
    assert np.all(np.abs(c["mean_discharge_voltage_error_mV"]) < 1.0)


def test_fade_comparison_with_the_untuned_set():
    # the set's contact-loss coefficient is 10x below the example's: the model fades less
    result = compare(example_data_path(), example_parameter_values())
    c = result.cycles.set_index("cycle")
    fade = c.loc[1] - c.loc[3]
    measured_fade = fade["measured_discharge_mAh_per_g"]
    model_fade = fade["simulated_discharge_mAh_per_g"]
    assert measured_fade > 3.0
    assert model_fade < 0.5 * measured_fade
    # the capacity error grows along the cycles (model - measured, model fades less)
    assert c["capacity_error_mAh_per_g"].is_monotonic_increasing


def test_fit_recovers_known_parameters(recovery, tmp_path):
    r = recovery
    assert r.converged, r.message
    for name, true in TRUE.items():
        fitted, se = r.values[name], r.standard_errors[name]
        # 3 % of the truth from a start 3.3x off; and the truth inside ~4 standard errors
        # (the errors assume independent residuals, which interpolation of the noise and
        # the steep ends of the curves slightly violate)
        assert abs(fitted / true - 1) < 0.03, (name, fitted, true)
        assert abs(fitted - true) < 4 * se, (name, fitted, se)
        lo, hi = r.confidence_intervals[name]
        assert lo < fitted < hi
    assert r.non_identifiable == []
    assert r.at_bounds == []
    # residuals at the optimum are the noise (weighted, so slightly below sigma_V)
    assert 0.5 < r.residual_std_mV < 1.2
    assert r.rmse_mV < r.initial_rmse_mV / 10
    # the written set loads and reproduces the data
    path = r.write_parameter_set(tmp_path / "fitted.json")
    pv = load_fitted_parameter_set(path)
    for name in TRUE:
        assert pv[name] == pytest.approx(r.values[name])
    assert json.loads(path.read_text())["values"][next(iter(TRUE))]["kind"] == "calibrated"


def test_fit_that_runs_out_of_evaluations_says_so(one_cycle_file):
    # without the model's impedance, a spectrum is skipped with a warning and a note
    skipped = model_impedance_function() is None
    with pytest.warns(UserWarning, match="not used") if skipped else contextlib.nullcontext():
        r = fit_cycling(
            one_cycle_file,
            SET,
            ["SE conductivity", "diffusivity"],
            initial=START,
            max_evaluations=3,
            impedance="spectrum_that_is_not_read.csv" if skipped else None,
        )
    assert not r.converged
    assert "maximum of 3 model evaluations" in r.message
    assert "DID NOT CONVERGE" in r.summary()
    assert any("not an optimum" in n for n in r.notes)
    if skipped:
        assert any("impedance spectrum" in n and "not used" in n for n in r.notes)


def test_a_nearly_degenerate_pair_is_reported_correlated(one_cycle_file):
    """The composite conducts sigma_SE * B(w) (w the SE topology): cycling data pin mostly
    the product, so the two estimates are strongly anti-correlated (measured -0.95 after
    14 evaluations; the exact flagging of a rank-deficient pair is tested with a
    constructed Jacobian in tests/unit/fit)."""
    r = fit_cycling(
        one_cycle_file,
        SET,
        ["SE conductivity", "SE topology"],
        initial={"Electrolyte conductivity [S.m-1]": 3.5e-3, "SE coated-sphere fraction": 0.9},
        max_evaluations=20,
    )
    assert r.correlation.iloc[0, 1] < -0.9


def test_cli_compare_json_and_files(tmp_path, capsys):
    code = data_cli(
        [
            "compare",
            str(example_data_path()),
            "--parameter-set",
            SET,
            "--cycles",
            "1-2",
            "--json",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["cycle"] for c in data["cycles"]] == [1, 2]
    assert set(data["cycles"][0]) == {
        "cycle",
        "measured_discharge_mAh_per_g",
        "simulated_discharge_mAh_per_g",
        "capacity_error_mAh_per_g",
        "voltage_rmse_mV",
        "voltage_max_error_mV",
    }
    for f in (
        "comparison_cycles.csv",
        "comparison_steps.csv",
        "residuals.csv",
        "voltage_capacity.png",
        "dqdv.png",
        "residuals.png",
        "capacity_fade.png",
    ):
        assert (tmp_path / f).stat().st_size > 100, f


def test_cli_fit_not_converged_exit_code_and_outputs(one_cycle_file, tmp_path, capsys):
    code = data_cli(
        [
            "fit",
            str(one_cycle_file),
            "--parameter-set",
            SET,
            "--fit",
            "SE conductivity",
            "--max-evaluations",
            "2",
            "--starts",
            "2",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 1
    captured = capsys.readouterr()
    assert "did not converge" in captured.err
    summary = json.loads((tmp_path / "fit_summary.json").read_text())
    assert summary["converged"] is False
    assert summary["parameters"][0]["name"] == "Electrolyte conductivity [S.m-1]"
    # two starts, each within its own budget of 2 evaluations, one of them the fit
    assert [s["evaluations"] for s in summary["starts"]] == [2, 2]
    assert sum(s["chosen"] for s in summary["starts"]) == 1
    fitted = json.loads((tmp_path / "fitted_parameter_set.json").read_text())
    assert "NOT CONVERGED" in fitted["values"]["Electrolyte conductivity [S.m-1]"]["source"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compare", "missing.csv", "--parameter-set", SET], "cannot read file"),
        (["compare", "EXAMPLE", "--parameter-set", "nope"], "unknown parameter set"),
        (["compare", "EXAMPLE", "--parameter-set", SET, "--cycles", "9"], "not in the data"),
        (["fit", "EXAMPLE", "--parameter-set", SET, "--fit", "bogus"], "cannot fit 'bogus'"),
        (
            ["fit", "EXAMPLE", "--parameter-set", SET, "--fit", "diffusivity", "--starts", "0"],
            "starts must be a whole number of at least 1",
        ),
    ],
)
def test_cli_user_errors_are_one_line(argv, message, capsys):
    argv = [str(example_data_path()) if a == "EXAMPLE" else a for a in argv]
    assert data_cli(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_module_entry_point():
    out = subprocess.run(
        [sys.executable, "-m", "assb_model.cli.fit", "compare", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--parameter-set" in out and "--cycles" in out


@pytest.mark.slow
def test_fit_two_rates_jointly(tmp_path):
    # two files of the same cell type at two rates, fitted together
    files = []
    for k, current in enumerate((0.102, 0.4)):
        df = synthetic_cycling(SET, parameter_overrides=TRUE, cycles=1, current_mA=current, seed=k)
        files.append(write_cycler_csv(df, tmp_path / f"rate{k}.csv"))
    r = fit_cycling(files, SET, ["SE conductivity", "diffusivity"], initial=START)
    assert r.converged
    for name, true in TRUE.items():
        assert abs(r.values[name] / true - 1) < 0.03
    assert len(r.comparisons) == 2


@pytest.mark.slow
@pytest.mark.skipif(model_impedance_function() is None, reason="no model impedance yet")
def test_joint_fit_with_the_models_own_spectrum(one_cycle_file, tmp_path):
    from assb_model import load_parameter_set
    from assb_model.ecm import write_spectrum_csv

    pv = load_parameter_set(SET)
    pv.update(TRUE)
    f = np.logspace(5, -2, 15)
    spectrum = model_impedance_function()(pv, f)
    path = write_spectrum_csv(tmp_path / "spectrum.csv", f, spectrum.impedance)
    r = fit_cycling(
        one_cycle_file,
        SET,
        ["SE conductivity", "diffusivity"],
        initial=START,
        impedance=path,
        max_evaluations=60,
    )
    assert r.converged, r.message
    assert not any("not used" in n for n in r.notes)
    for name, true in TRUE.items():
        assert abs(r.values[name] / true - 1) < 0.03, (name, r.values[name])
