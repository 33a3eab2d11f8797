"""SALib wiring checked on functions with known indices (no simulation)."""

import numpy as np
import pandas as pd
import pytest

from assb_model.sweep.plotting import plot_sensitivity
from assb_model.sweep.sensitivity import SensitivityError, analyse
from assb_model.sweep.spec import SweepSpec, point_id


def _results(spec, f, fail=()):
    rows = []
    for p in spec.points():
        pid = point_id(p)
        y = f(p)
        rows.append(
            {**p, "discharge_capacity_mAh_per_g": y, "status": "failed" if pid in fail else "ok",
             "point_id": pid}
        )  # fmt: skip
    return pd.DataFrame(rows).drop_duplicates("point_id")


def test_sobol_indices_of_a_linear_function():
    # Y = 4 a + b with a, b uniform on [0, 1]: Var = 16/12 + 1/12, S1 = 16/17 and 1/17
    spec = SweepSpec(axes=["a=0:1", "b=0:1", "c=0:1"], design="sobol", samples=1024, seed=1)
    df = _results(spec, lambda p: 4 * p["a"] + p["b"])
    idx, _ = analyse(spec, df, "discharge_capacity_mAh_per_g")
    s = idx["discharge_capacity_mAh_per_g"]
    assert list(s.index) == ["a", "b", "c"]
    assert s.loc["a", "S1"] == pytest.approx(16 / 17, abs=0.03)
    assert s.loc["b", "S1"] == pytest.approx(1 / 17, abs=0.02)
    assert s.loc["c", "ST"] == pytest.approx(0, abs=0.01)


def test_morris_mu_star_is_the_effect_across_the_range():
    # log axis: Y = 3 log10(x) + 0.5 y; x over 2 decades (normalised range = 2 in log10)
    spec = SweepSpec(axes=["x=1e-5:1e-3:log", "y=0:10"], design="morris", samples=10, seed=0)
    df = _results(spec, lambda p: 3 * np.log10(p["x"]) + 0.5 * p["y"])
    s = analyse(spec, df, "discharge_capacity_mAh_per_g")[0]["discharge_capacity_mAh_per_g"]
    # elementary effect per unit of the normalised range = slope x range
    assert s.loc["x", "mu_star"] == pytest.approx(3 * 2, rel=1e-6)
    assert s.loc["y", "mu_star"] == pytest.approx(0.5 * 10, rel=1e-6)
    assert s.loc["x", "sigma"] == pytest.approx(0, abs=1e-6)  # linear: no spread
    ax = plot_sensitivity(s)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["y", "x"]  # largest on top


def test_failed_points_drop_morris_trajectories_but_stop_sobol():
    spec = SweepSpec(axes=["x=0:1", "y=0:1"], design="morris", samples=6, seed=0)
    first = point_id(spec.points()[0])
    df = _results(spec, lambda p: p["x"], fail={first})
    _, notes = analyse(spec, df, "discharge_capacity_mAh_per_g")
    # every trajectory through the failed point is dropped (Morris points can repeat)
    ids = np.array([point_id(p) for p in spec.points()]).reshape(6, 3)
    n = int((ids == first).any(axis=1).sum())
    assert notes == [f"{n} of 6 trajectories dropped (discharge_capacity_mAh_per_g)"]
    sobol = SweepSpec(axes=["x=0:1", "y=0:1"], design="sobol", samples=8, seed=0)
    df = _results(sobol, lambda p: p["x"], fail={point_id(sobol.points()[0])})
    with pytest.raises(SensitivityError, match="failed"):
        analyse(sobol, df, "discharge_capacity_mAh_per_g")
