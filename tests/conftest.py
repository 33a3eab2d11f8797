"""Shared fixtures: parameter values and small simulation helpers."""

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def lpscl_values():
    from assb_model import load_parameter_set

    return load_parameter_set("giraldo2021_sp_lpscl_coated")


@pytest.fixture(scope="session")
def lpscl_first_cycle():
    """One 0.13 mA/cm2 cycle of the Li6PS5Cl set with the default model (shared)."""
    from assb_model import simulate

    return simulate("giraldo2021_sp_lpscl_coated")
