"""The ``fit-eis`` subcommand (called in-process through argparse) and the plots."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest
from matplotlib.figure import Figure

from assb_model.cli.fit_eis import add_fit_eis_parser, run_fit_eis
from assb_model.ecm.fitting import fit_circuit
from assb_model.ecm.io import write_spectrum_csv
from assb_model.ecm.plotting import plot_bode, plot_fit, plot_nyquist
from tests.unit.ecm.synthetic import FREQ, noisy, spectra

ARC_KEYS = {"R_ohm", "Q", "alpha", "C_eff_F", "T_s"}


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="assb")
    add_fit_eis_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["fit-eis", *argv])


@pytest.fixture(scope="module")
def b2_2_file(tmp_path_factory):
    circuit, p = spectra()["B2-2"]
    path = tmp_path_factory.mktemp("eis") / "b2_2.csv"
    return write_spectrum_csv(path, FREQ, noisy(circuit.impedance(FREQ, p)))


def test_json_output(b2_2_file, capsys):
    args = _parse([str(b2_2_file), "--circuit", "paper-fig7", "--json"])
    assert args.func is run_fit_eis
    assert run_fit_eis(args) == 0
    out = json.loads(capsys.readouterr().out)  # stdout holds only the JSON object
    assert {"series_R_ohm", "arcs", "diffusion", "gof"} <= set(out)
    assert len(out["arcs"]) == 4
    assert all(set(arc) == ARC_KEYS for arc in out["arcs"])
    times = [arc["T_s"] for arc in out["arcs"]]
    assert times == sorted(times)  # highest characteristic frequency first
    assert out["arcs"][2]["R_ohm"] == pytest.approx(150.2, rel=0.1)
    assert out["diffusion"]["T_s"] == pytest.approx(50.0, rel=0.2)
    assert 1e-5 < out["gof"] < 5e-5


def test_default_auto_circuit_and_outputs(b2_2_file, tmp_path, capsys):
    out_dir = tmp_path / "out"
    assert run_fit_eis(_parse([str(b2_2_file), "--out", str(out_dir)])) == 0
    text = capsys.readouterr().out
    assert "chosen by AIC" in text and "GOF" in text and "C_eff" in text
    assert "Wao_Diff" in text  # the diffusion tail is detected
    names = {p.name for p in out_dir.iterdir()}
    for suffix in ("nyquist.png", "bode.png", "fit.png", "kk.png", "fit.json",
                   "fit_parameters.csv", "fit_spectrum.csv"):  # fmt: skip
        assert f"b2_2_{suffix}" in names
    summary = json.loads((out_dir / "b2_2_fit.json").read_text())
    assert summary["diffusion"] is not None


def test_paper_fig5_has_null_diffusion(tmp_path, capsys):
    circuit, p = spectra()["SM-B1"]
    path = write_spectrum_csv(tmp_path / "sm_b1.csv", FREQ, circuit.impedance(FREQ, p))
    assert run_fit_eis(_parse([str(path), "--circuit", "paper-fig5", "--json"])) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["diffusion"] is None
    assert out["series_R_ohm"] == 0.0
    assert [a["R_ohm"] for a in out["arcs"]] == pytest.approx([244.5, 49.1, 543.0, 164.1])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["missing.csv"], "file not found"),
        (["{bad}"], "no frequency column"),
        (["{good}", "--circuit", "R0-p(R1,CPE1"], "missing ')'"),
        (["{good}", "--circuit", "paper-fig9"], "unknown circuit name"),
    ],
)
def test_errors_exit_2_with_one_message(tmp_path, capsys, argv, message):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,c\n1,2,3\n")
    good = write_spectrum_csv(tmp_path / "good.csv", FREQ, np.full(FREQ.size, 10 - 1j))
    argv = [a.format(bad=bad, good=good) for a in argv]
    assert run_fit_eis(_parse(argv)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_plots_return_labelled_figures():
    circuit, p = spectra()["B2-2"]
    Z = noisy(circuit.impedance(FREQ, p))
    nyq = plot_nyquist(FREQ, Z)
    assert isinstance(nyq, Figure)
    ax = nyq.axes[0]
    assert ax.get_xlabel() == "Z' / Ω" and ax.get_ylabel() == "−Z'' / Ω"
    assert ax.get_aspect() == 1.0
    assert ax.get_legend() is not None
    bode = plot_bode(FREQ, Z)
    assert [a.get_ylabel() for a in bode.axes] == ["|Z| / Ω", "−phase / °"]
    res = fit_circuit(circuit, FREQ, Z)
    fig = plot_fit(res)
    assert len(fig.axes) == 4
    assert all(a.get_xlabel() or a.get_ylabel() for a in fig.axes)
    assert "%" in fig.axes[-1].get_ylabel()
