"""Spectrum readers/writer: column-name variants, sign convention, malformed files."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from assb_model.ecm.circuits import parse_circuit
from assb_model.ecm.io import (
    SpectrumFileError,
    read_biologic_mpr,
    read_spectrum,
    write_spectrum_csv,
)

F = np.logspace(5, -1, 25)
Z = parse_circuit("R0-p(R1,CPE1)-p(R2,CPE2)").impedance(F, [10, 100, 1e-6, 0.9, 300, 1e-4, 0.8])


def _write(path, header: str | None, rows, sep=","):
    lines = [] if header is None else [header]
    lines += [sep.join(f"{x:.12g}" for x in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_writer_round_trip(tmp_path):
    path = write_spectrum_csv(tmp_path / "s.csv", F, Z)
    assert path.read_text().splitlines()[0] == "frequency_Hz,Z_real_ohm,Z_imag_ohm"
    spec = read_spectrum(path)
    f, z = spec
    np.testing.assert_allclose(f, F, rtol=1e-11)
    np.testing.assert_allclose(z, Z, rtol=1e-11)
    assert np.all(z.imag < 0) and spec.notes == ()


@pytest.mark.parametrize(
    ("header", "sep", "stores_minus"),
    [
        ("freq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm", "\t", True),
        ("Frequency (Hz),Z' (Ω),-Z'' (Ω)", ",", True),
        ("frequency_Hz Z_real_ohm Z_imag_ohm", " ", False),
        ('"f","Zreal","Zimag"', ",", False),
        ("Freq [Hz];Z';Z''", ";", False),
        ("time/s,freq,Z',Z''", ",", False),
    ],
)
def test_column_name_variants(tmp_path, header, sep, stores_minus):
    imag = -Z.imag if stores_minus else Z.imag
    cols = [F, Z.real, imag]
    if header.startswith("time"):
        cols = [np.arange(F.size), *cols]
    path = _write(tmp_path / "s.csv", header, np.column_stack(cols), sep)
    f, z = read_spectrum(path)
    np.testing.assert_allclose(f, F, rtol=1e-11)
    np.testing.assert_allclose(z, Z, rtol=1e-11)


def test_headerless_and_comment_lines(tmp_path):
    path = tmp_path / "s.txt"
    body = "\n".join(f"{a:.12g}\t{b.real:.12g}\t{b.imag:.12g}" for a, b in zip(F, Z, strict=True))
    path.write_text("# exported spectrum\n\n" + body + "\n")
    _, z = read_spectrum(path)
    np.testing.assert_allclose(z, Z, rtol=1e-11)


def test_sign_detection_flips_positive_imaginary_column(tmp_path):
    path = _write(tmp_path / "s.csv", "f,Z',Z''", np.column_stack([F, Z.real, -Z.imag]))
    spec = read_spectrum(path)
    np.testing.assert_allclose(spec.impedance, Z, rtol=1e-11)
    assert any("-Z''" in note for note in spec.notes)
    forced = read_spectrum(path, imag_convention="z")
    np.testing.assert_allclose(forced.impedance, np.conj(Z), rtol=1e-11)


def test_sign_detection_ignores_high_frequency_inductance(tmp_path):
    """Positive Z'' above the median frequency (cable inductance) does not trigger a flip."""
    z = Z.copy()
    z[: F.size // 2 - 1] = z[: F.size // 2 - 1].real + 5j
    path = write_spectrum_csv(tmp_path / "s.csv", F, z)
    np.testing.assert_allclose(read_spectrum(path).impedance, z, rtol=1e-11)


def test_zview_z_files(tmp_path):
    rows = "\n".join(
        f"{a:.10E}, 0.0, 0.0, {i:.1f}, {b.real:.10E}, {b.imag:.10E}, 0, 0, 1"
        for i, (a, b) in enumerate(zip(F, Z, strict=True))
    )
    path = tmp_path / "cell.z"
    path.write_text("ZPlot2 ASCII\nComments: test\nEnd Comments\n" + rows + "\n")
    f, z = read_spectrum(path)
    np.testing.assert_allclose(f, F, rtol=1e-9)
    np.testing.assert_allclose(z, Z, rtol=1e-9)
    three = tmp_path / "three.z"
    lines = [f"{a},{b.real},{b.imag}" for a, b in zip(F, Z, strict=True)]
    three.write_text("End Comments\n" + "\n".join(lines))
    np.testing.assert_allclose(read_spectrum(three).impedance, Z, rtol=1e-12)


def test_biologic_mpt_text_export(tmp_path):
    head = ["EC-Lab ASCII FILE", "Nb header lines : 4", "PEIS", ""]
    cols = "freq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\t|Z|/Ohm"
    rows = [f"{a}\t{b.real}\t{-b.imag}\t{abs(b)}" for a, b in zip(F, Z, strict=True)]
    path = tmp_path / "cell.mpt"
    path.write_text("\n".join([*head[:3], cols, *rows]) + "\n")
    np.testing.assert_allclose(read_spectrum(path).impedance, Z, rtol=1e-12)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "no data rows"),
        ("frequency_Hz,Z_real_ohm,Z_imag_ohm\n", "no data rows"),
        ("frequency_Hz,Z_real_ohm\n1,2\n", "no imaginary-part"),
        ("freq,Zimag\n1,2\n", "no real-part"),
        ("Zreal,Zimag\n1,2\n", "no frequency column"),
        ("f,Z',Z''\n10,1,-1\n1,nan,-2\n", "column Z' has a missing/NaN/infinite value at line 3"),
        ("f,Z',Z''\n10,1,-1\n1,2,\n", "line 3"),
        ("f,Z',Z''\n10,1,-1\n-1,2,-2\n", "non-positive value (-1) at line 3"),
        ("f,Z',Z''\n0,1,-1\n", "non-positive"),
        ("f,Z',Z''\nnan,1,-1\n", "column frequency has a missing/NaN"),
        ("f,Z',Z''\n10,abc,-1\n", "'abc' is not a number"),
        ("f,Z',Z''\n10,1\n", "line 2 has 2 fields"),
    ],
)
def test_malformed_files_raise_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(SpectrumFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_spectrum(path)
    try:
        read_spectrum(path)
    except SpectrumFileError as err:
        assert isinstance(err, ValueError)
        assert str(err).startswith(str(path))


def test_missing_file(tmp_path):
    with pytest.raises(SpectrumFileError, match="file not found"):
        read_spectrum(tmp_path / "nope.csv")


def test_mpr_without_galvani(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "galvani", None)  # makes `import galvani` fail
    path = tmp_path / "x.mpr"
    path.write_bytes(b"\0" * 10)
    with pytest.raises(SpectrumFileError, match="galvani"):
        read_biologic_mpr(path)


def test_corrupt_mpr(tmp_path):
    pytest.importorskip("galvani")
    path = tmp_path / "x.mpr"
    path.write_bytes(b"not a biologic file")
    with pytest.raises(SpectrumFileError, match="not a readable BioLogic"):
        read_spectrum(path)
