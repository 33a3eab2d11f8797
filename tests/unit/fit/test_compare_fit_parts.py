"""The pieces of a fit that need no model run: names, scaling, residuals, statistics, files."""

import json
import math

import numpy as np
import pandas as pd
import pytest

from assb_model import load_parameter_set
from assb_model.cli.args import numbers as _floats
from assb_model.cli.args import pairs as _pairs
from assb_model.cli.fit import _bounds
from assb_model.errors import ArgumentError as _ArgumentError
from assb_model.fit import fit_impedance
from assb_model.fit.fit import FitResult
from assb_model.fit.fit_parameters import (
    SHORT_NAMES,
    FitParameter,
    FitSetupError,
    build_fit_parameters,
    unit_of,
)
from assb_model.fit.fit_statistics import (
    Z95,
    correlated_pairs,
    jacobian_statistics,
)
from assb_model.fit.fit_targets import StepTarget, target_residuals
from assb_model.fit.fitted_sets import (
    load_fitted_parameter_set,
    write_fitted_parameter_set,
)
from assb_model.parameters.validation import ParameterError

SET = "giraldo2021_sp_lpscl_coated"


@pytest.fixture(scope="module")
def values():
    return load_parameter_set(SET)


# --- names, scaling, bounds --------------------------------------------------------------


@pytest.mark.parametrize(
    ("short", "name", "log"),
    [
        ("SE conductivity", "Electrolyte conductivity [S.m-1]", True),
        ("SE topology", "SE coated-sphere fraction", False),
        ("coated sphere fraction", "SE coated-sphere fraction", False),
        ("contact fraction", "Initial positive electrode interface utilisation", False),
        ("contact number", "NMC-SE contact number", False),
        ("interphase conductivity", "Interphase ionic conductivity [S.m-1]", True),
        (
            "cathode exchange current",
            "Positive electrode reference exchange-current density [A.m-2]",
            True,
        ),
        ("diffusivity", "Positive particle diffusivity [m2.s-1]", True),
    ],
)
def test_short_names_map_to_pybamm_names(values, short, name, log):
    assert SHORT_NAMES[short.lower()].name == name
    (p,) = build_fit_parameters([short.upper()], values)  # case-insensitive
    assert (p.name, p.log, p.label) == (name, log, short.upper())
    assert p.lower < p.initial < p.upper or p.initial in (p.lower, p.upper)


def test_full_pybamm_name_and_default_log_bounds(values):
    (p,) = build_fit_parameters(["Contact loss coefficient"], values)
    v = float(values["Contact loss coefficient"])
    assert p.log and p.lower == pytest.approx(v / 100) and p.upper == pytest.approx(v * 100)
    assert p.to_physical(p.to_fitted(0.0123)) == pytest.approx(0.0123)
    assert p.fitted_bounds == pytest.approx((math.log10(v) - 2, math.log10(v) + 2))


def test_full_name_with_bounds_from_zero_is_fitted_linearly(values):
    name = "Positive electrode thickness [m]"
    (p,) = build_fit_parameters([name], values, bounds={name: (0.0, 1e-4)})
    assert not p.log and p.to_fitted(5e-5) == 5e-5


def test_bounds_and_start_values(values):
    (p,) = build_fit_parameters(
        ["diffusivity"],
        values,
        bounds={"diffusivity": (1e-15, 1e-13)},
        initial={"Positive particle diffusivity [m2.s-1]": 5e-15},
    )
    assert (p.lower, p.upper, p.initial) == (1e-15, 1e-13, 5e-15)
    (q,) = build_fit_parameters(["contact fraction"], values, bounds={"contact fraction": (0.5, 1)})
    assert q.initial == 0.5  # the set's 0.3 clipped into the bounds


@pytest.mark.parametrize(
    ("labels", "kwargs", "message"),
    [
        ([], {}, "nothing to fit"),
        (["no such thing"], {}, "not a short name"),
        (["Positive electrode OCP [V]"], {}, "is a function"),
        (["SE topology", "coated sphere fraction"], {}, "named twice"),
        (["diffusivity"], {"bounds": {"diffusivity": (1e-13, 1e-15)}}, "not below"),
        (["diffusivity"], {"initial": {"diffusivity": 1.0}}, "outside"),
        (["diffusivity"], {"bounds": {"SE topology": (0, 1)}}, "not fitted"),
        (["diffusivity"], {"bounds": {"diffusivity": (0.0, 1e-13)}}, "log space"),
    ],
)
def test_fit_setup_errors(values, labels, kwargs, message):
    with pytest.raises(FitSetupError, match=message):
        build_fit_parameters(labels, values, **kwargs)


def test_unit_of():
    assert unit_of("Electrolyte conductivity [S.m-1]") == "S.m-1"
    assert unit_of("SE coated-sphere fraction") == "-"


# --- statistics --------------------------------------------------------------------------


def test_jacobian_statistics_match_linear_regression():
    rng = np.random.default_rng(0)
    x = np.linspace(0, 1, 200)
    J = np.column_stack([x, np.ones_like(x)])
    y = 2.0 * x + 1.0 + 0.01 * rng.standard_normal(len(x))
    beta, *_ = np.linalg.lstsq(J, y, rcond=None)
    r = J @ beta - y
    stats = jacobian_statistics(J, r)
    s2 = r @ r / (len(x) - 2)
    expected = s2 * np.linalg.inv(J.T @ J)
    assert np.allclose(stats.covariance, expected)
    assert stats.standard_errors == pytest.approx(np.sqrt(np.diag(expected)))
    assert stats.residual_std == pytest.approx(math.sqrt(s2))
    assert stats.rank == 2
    # slope and intercept of a fit on [0, 1] are negatively correlated, but identifiable
    assert -0.95 < stats.correlation[0, 1] < -0.5
    assert correlated_pairs(["a", "b"], stats.correlation) == []
    assert Z95 == pytest.approx(1.96, abs=1e-3)


def test_collinear_parameters_are_flagged_with_infinite_errors():
    # y depends only on a + b: the two cannot be told apart
    x = np.linspace(0, 1, 50)
    J = np.column_stack([x, x, np.ones_like(x)])
    r = 0.01 * np.sin(7 * x)
    stats = jacobian_statistics(J, r)
    assert stats.rank == 2
    assert np.isinf(stats.standard_errors[0]) and np.isinf(stats.standard_errors[1])
    assert np.isfinite(stats.standard_errors[2])
    assert stats.correlation[0, 1] == pytest.approx(-1.0)
    pairs = correlated_pairs(["a", "b", "c"], stats.correlation)
    assert [(a, b) for a, b, _ in pairs] == [("a", "b")]


# --- residuals ---------------------------------------------------------------------------


def _target(step_type="discharge", n=11, q_end=10.0, weights=None):
    axis = np.linspace(0.0, q_end, n)
    voltage = 3.5 - 0.1 * axis
    return StepTarget(
        step=3,
        step_type=step_type,
        axis=axis,
        voltage=voltage,
        weights=np.ones(n) if weights is None else weights,
        capacity=q_end if step_type != "rest" else 0.0,
        capacity_sigma=1e-3 * q_end if step_type != "rest" else 0.0,
        fallback_V=voltage[-1],
    )


def _sim(step=3, q_end=10.0, dv=0.0):
    q = np.linspace(0.0, q_end, 101)
    return pd.DataFrame(
        {"step": step, "specific_capacity_mAh_per_g": q, "voltage_V": 3.5 - 0.1 * q + dv}
    )


def test_target_residuals_zero_for_a_perfect_model_and_fixed_length():
    t = _target()
    r = target_residuals([t], _sim())
    assert r.shape == (t.size,) == (12,)
    assert np.allclose(r, 0.0)
    # a model that never reached the step: voltages held at the cut-off, capacity 0
    r_missing = target_residuals([t], pd.DataFrame())
    assert r_missing.shape == (12,)
    assert r_missing[-1] == pytest.approx(1e-3 * (0.0 - 10.0) / 1e-2)


def test_target_residuals_offset_and_capacity_sign():
    t = _target()
    r = target_residuals([t], _sim(dv=0.005))
    assert np.allclose(r[:-1], 0.005)
    # 1 % short: capacity residual sigma_V * (-0.1) / sigma_q = 1e-3 * -0.1 / 0.01 = -0.01 V
    r_short = target_residuals([t], _sim(q_end=9.9), voltage_noise_V=1e-3)
    assert r_short[-1] == pytest.approx(-0.01)
    # beyond the simulated end the model is held at its last voltage (3.5 - 0.99)
    assert r_short[-2] == pytest.approx((3.5 - 0.99) - (3.5 - 1.0))


def test_weights_scale_voltage_residuals():
    t = _target(weights=np.full(11, 0.5))
    r = target_residuals([t], _sim(dv=0.004))
    assert np.allclose(r[:-1], 0.002)


# --- impedance hook ---------------------------------------------------------------------


def test_joint_impedance_is_skipped_cleanly_without_model_impedance(monkeypatch):
    monkeypatch.setattr(fit_impedance, "model_impedance_function", lambda: None)
    target, note = fit_impedance.impedance_target("spectrum.csv")
    assert target is None
    assert "not available" in note and "spectrum.csv" in note


def test_joint_impedance_residual_scaling(monkeypatch):
    def fake(parameter_values, frequencies, options=None):
        return np.full(len(frequencies), 101.0 - 10.0j)  # 1 % high in the real part

    monkeypatch.setattr(fit_impedance, "model_impedance_function", lambda: fake)

    class Spec:
        frequency = np.array([1.0, 10.0])
        impedance = np.array([100.0 - 10.0j, 100.0 - 10.0j])
        source = "mem"

    target, note = fit_impedance.impedance_target(Spec(), relative_noise=0.01)
    assert note is None and target.size == 4
    r = target.residuals(None, None, voltage_noise_V=1e-3)
    # a misfit of 1 Ohm on |Z| = 100.5 Ohm at 1 % noise ~ 1 sigma -> ~ sigma_V
    assert r[:2] == pytest.approx(1e-3 * 1.0 / (0.01 * abs(100 - 10j)))
    assert np.allclose(r[2:], 0.0)


def test_joint_impedance_accepts_a_model_impedance_object(monkeypatch):
    class Result:  # like assb_model.model_eis.spectrum.ModelImpedance
        def __init__(self, f):
            self.frequency = f
            self.impedance = np.full(len(f), 100.0 - 10.0j)

    monkeypatch.setattr(
        fit_impedance, "model_impedance_function", lambda: lambda pv, f, options=None: Result(f)
    )

    class Spec:
        frequency = np.array([1.0, 10.0, 100.0])
        impedance = np.full(3, 100.0 - 10.0j)
        source = "mem"

    target, _ = fit_impedance.impedance_target(Spec())
    assert np.allclose(target.residuals(None, None, 1e-3), 0.0)


# --- fitted parameter-set files ----------------------------------------------------------


def _fake_result(values) -> FitResult:
    p = FitParameter("Electrolyte conductivity [S.m-1]", "SE conductivity", True, 1e-4, 1.0, 1e-2)
    q = FitParameter("NMC-SE contact number", "contact number", False, 0.1, 30.0, 3.0)
    names = [p.name, q.name]
    return FitResult(
        parameters=[p, q],
        values={p.name: 3.2e-3, q.name: 4.5},
        standard_errors={p.name: 1e-4, q.name: 0.2},
        confidence_intervals={p.name: (3.0e-3, 3.4e-3), q.name: (4.1, 4.9)},
        correlation=pd.DataFrame(np.eye(2), index=names, columns=names),
        non_identifiable=[],
        at_bounds=[],
        converged=True,
        message="ok",
        evaluations=10,
        rmse_mV=1.0,
        initial_rmse_mV=40.0,
        residual_std_mV=0.9,
        comparisons=[],
        sources=["/data/cell_B1.csv"],
        parameter_set=SET,
        parameter_overrides={"Contact loss coefficient": 0.01},
    )


def test_fitted_set_roundtrip(tmp_path, values):
    result = _fake_result(values)
    path = write_fitted_parameter_set(result, tmp_path / "sets" / "fitted.json")
    content = json.loads(path.read_text())
    assert content["base_parameter_set"] == SET
    entry = content["values"]["Electrolyte conductivity [S.m-1]"]
    assert entry["kind"] == "calibrated" and entry["source"].startswith("fitted to cell_B1.csv")
    assert content["values"]["Contact loss coefficient"]["kind"] == "assumed"
    pv = load_fitted_parameter_set(path)
    assert pv["Electrolyte conductivity [S.m-1]"] == 3.2e-3
    assert pv["NMC-SE contact number"] == 4.5
    assert pv["Contact loss coefficient"] == 0.01
    # everything else from the base set
    assert pv["Positive particle radius [m]"] == values["Positive particle radius [m]"]
    summary = result.summary()
    assert "fit converged" in summary and "Electrolyte conductivity [S.m-1]" in summary


def test_fitted_set_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    with pytest.raises(ParameterError, match="not a fitted parameter set"):
        load_fitted_parameter_set(bad)
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps({"base_parameter_set": SET, "values": {"Nope": {"value": 1}}}))
    with pytest.raises(ParameterError, match="not in"):
        load_fitted_parameter_set(unknown)


# --- command-line value parsing ----------------------------------------------------------


def test_cli_value_parsing():
    assert _pairs(["a=b", "c = d=e"], "--x") == {"a": "b", "c = d": "e"}
    assert _floats(["SE coated-sphere fraction=0.5"], "--set") == {"SE coated-sphere fraction": 0.5}
    assert _bounds(["diffusivity=1e-15:1e-13"]) == {"diffusivity": (1e-15, 1e-13)}
    with pytest.raises(_ArgumentError, match="NAME=VALUE"):
        _pairs(["novalue"], "--set")
    with pytest.raises(_ArgumentError, match="LOWER:UPPER"):
        _bounds(["diffusivity=1e-15"])
    with pytest.raises(_ArgumentError, match="not a number"):
        _floats(["x=abc"], "--set")
