"""Command-line parsing and one-line errors (nothing is computed here)."""

import argparse

import pytest

from assb_model.cli.sweep import add_sweep_parser, build_parser, main, spec_from_args

SET = "giraldo2021_sp_lpscl_coated"


def test_arguments_make_the_spec():
    args = build_parser().parse_args(
        [SET, "--param", "sigma_se=1e-5:1e-3:5:log", "--param", "upper_cutoff=3.8,4.1",
         "--out", "x", "--cycles", "3", "--set", "coated_sphere_fraction=0.5",
         "--option", "interphase growth=none", "--curves"]
    )  # fmt: skip
    spec = spec_from_args(args)
    assert spec.names == ["sigma_se", "upper_cutoff"]
    assert spec.cycles == 3 and spec.overrides == {"coated_sphere_fraction": 0.5}
    assert spec.options == {"interphase growth": "none"} and spec.save_curves
    assert len(spec.points()) == 10


def test_sweep_subcommand_plugs_into_assb():
    parser = argparse.ArgumentParser(prog="assb")
    add_sweep_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["sweep", SET, "--param", "sigma_se=1e-4", "--out", "x"])
    assert args.command == "sweep" and args.func.__name__ == "run_sweep_cli"


@pytest.mark.parametrize(
    ("param", "match"),
    [
        ("sigma_se=-1e-4:1e-3:3", "'Electrolyte conductivity [S.m-1]' must be positive"),
        ("sigma_sE=1e-4,1e-3", "unknown sweep parameter 'sigma_sE'"),
        ("sigma_se=1e-3:1e-3:3", "empty range"),
        ("sigma_se=1e-4:1e-3:0", "N >= 2"),
    ],
)
def test_invalid_sweeps_fail_before_work_with_one_line(tmp_path, capsys, param, match):
    code = main([SET, "--param", param, "--out", str(tmp_path / "o"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("assb sweep: error:") and err.count("\n") == 1
    assert match in err
    assert not (tmp_path / "o").exists()  # nothing started


def test_bad_set_value_is_one_line(tmp_path, capsys):
    code = main(
        [SET, "--param", "sigma_se=1e-4", "--set", "coated_sphere_fraction=abc", "--out", "o"]
    )
    assert code == 2 and "not a number" in capsys.readouterr().err
