"""``assb sweep`` end to end (in process): results, metadata, heat map, sensitivity."""

import json

import pandas as pd

from assb_model.cli.sweep import main
from assb_model.sweep.journal import read_results
from assb_model.sweep.outputs import OUTPUT_COLUMNS

SET = "giraldo2021_sp_lpscl_coated"


def test_grid_sweep_writes_table_metadata_and_heat_maps(tmp_path, capsys):
    out = tmp_path / "grid"
    code = main([SET, "--param", "sigma_se=1e-6:1e-4:3:log", "--param", "upper_cutoff=3.7,3.8",
                 "--out", str(out), "--no-progress"])  # fmt: skip
    assert code == 0
    assert "6 points: 6 ok, 0 failed" in capsys.readouterr().out
    df = read_results(out / "results.csv")
    assert list(df.columns) == [
        "sigma_se", "upper_cutoff", *OUTPUT_COLUMNS, "status", "error", "solve_time_s", "point_id"
    ]  # fmt: skip
    # capacity rises with the SE conductivity and with the charge cut-off
    table = df.pivot(
        index="sigma_se", columns="upper_cutoff", values="discharge_capacity_mAh_per_g"
    )
    assert (table.diff().dropna() > 0).all().all()
    assert (table[3.8] > table[3.7]).all()
    meta = json.loads((out / "sweep.json").read_text())
    assert meta["command"].startswith("assb sweep giraldo2021_sp_lpscl_coated")
    assert meta["swept"]["upper_cutoff"]["varied_as"] == "rebuild"
    assert meta["n_builds"] == 2 and meta["complete"]
    assert (out / "plots" / "discharge_capacity_mAh_per_g.png").exists()


def test_morris_sweep_writes_sensitivity(tmp_path, capsys):
    out = tmp_path / "morris"
    code = main([SET, "--param", "sigma_se=1e-6:1e-3:log", "--param", "contact_loss=0:0.004",
                 "--sample", "morris", "--samples", "2", "--seed", "1", "--out", str(out),
                 "--no-progress"])  # fmt: skip
    assert code == 0
    sens = pd.read_csv(out / "sensitivity.csv")
    assert set(sens["parameter"]) == {"sigma_se", "contact_loss"}
    mu = sens.set_index("parameter")["mu_star"]
    # one cycle: the SE conductivity matters, contact loss (a per-cycle fade) much less;
    # it is not zero, because the contact lost in the first cycle already damages the SE
    # network (B/B0 falls by D_max/x_D ~ 26 per unit lost contact at the start), which
    # costs capacity where sigma_se is low (measured 2026-11-27: ratio 8.6)
    assert mu["sigma_se"] > 5 * mu["contact_loss"]
    assert (out / "plots" / "sensitivity_discharge_capacity_mAh_per_g.png").exists()
