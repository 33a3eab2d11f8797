"""Bad input gives one clear error naming the problem."""

import pytest

import assb_model
from assb_model.parameters.validation import ParameterError, validate_parameter_values


@pytest.mark.parametrize(
    ("name", "value", "match"),
    [
        (
            "Electrolyte conductivity [S.m-1]",
            -1e-3,
            "'Electrolyte conductivity \\[S.m-1\\]' must be positive",
        ),
        ("Coating thickness [m]", -1e-9, "'Coating thickness \\[m\\]' must not be negative"),
        ("Positive electrode porosity", 1.2, "'Positive electrode porosity' must be in \\[0, 1\\]"),
        (
            "Positive electrode thickness [m]",
            0.0,
            "'Positive electrode thickness \\[m\\]' must be positive",
        ),
    ],
)
def test_unphysical_values_are_named(lpscl_values, name, value, match):
    pv = lpscl_values.copy()
    pv[name] = value
    with pytest.raises(ParameterError, match=match):
        validate_parameter_values(pv, "test set")


def test_volume_fractions_must_fit(lpscl_values):
    pv = lpscl_values.copy()
    pv["Positive electrode porosity"] = 0.7
    with pytest.raises(ParameterError, match="exceeds 1"):
        validate_parameter_values(pv)


def test_unknown_override_is_named():
    with pytest.raises(ParameterError, match="unknown parameter"):
        assb_model.simulate(parameter_overrides={"Not a parameter [V]": 1.0})


def test_override_validated():
    with pytest.raises(ParameterError, match="Coating ionic conductivity"):
        assb_model.simulate(parameter_overrides={"Coating ionic conductivity [S.m-1]": -1.0})


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lower_cutoff": 1.5}, "at or below the model's lower limit"),
        ({"upper_cutoff": 5.0}, "at or above the model's upper limit"),
        ({"upper_cutoff": 1.9}, "must be above the lower cut-off"),
        ({"current_density": -0.1}, "current density must be positive"),
        ({"cycles": 0}, "at least 1"),
    ],
)
def test_bad_protocol(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        assb_model.simulate("giraldo2021_sp_lpscl_coated", **kwargs)


def test_unknown_model_option():
    import pybamm

    with pytest.raises(pybamm.OptionError, match="'SE conductivity' must be one of"):
        assb_model.ASSBModel({"SE conductivity": "magic"})
