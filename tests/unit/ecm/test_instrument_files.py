"""Real spectra from impedance.py's data folder (MIT, tests/data/impedance_py) and the
project's own EC-Lab-like fixtures (tests/data/ec_lab_like): readers for every instrument,
sweeps, cut-off files, UTF-16, and the Kramers-Kronig stop rule on measured dummy cells.

Expected point counts and frequency ranges are those impedance.py 1.7.1's own readers
return for the same files (checked when the fixtures were added).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assb_model.ecm.io import (
    SpectrumFileError,
    detect_instrument,
    format_eng,
    read_spectra,
    read_spectrum,
    sweep_starts,
)
from assb_model.ecm.validation import lin_kk
from tests.unit.data.helpers import write_mpr

DATA = Path(__file__).parents[2] / "data"
IMPEDANCE_PY = DATA / "impedance_py"
EC_LAB_LIKE = DATA / "ec_lab_like"

# file: (reader, points, f_min [Hz], f_max [Hz])
INSTRUMENT_FILES = {
    "exampleDataGamry.DTA": ("impedance.py gamry", 72, 0.0158898, 200015.6),
    "exampleDataGamryABORT.DTA": ("impedance.py gamry", 72, 0.0158898, 200015.6),
    "exampleDataAutolab.txt": ("impedance.py autolab", 41, 0.1, 1e4),
    "exampleDataCHInstruments.txt": ("impedance.py chinstruments", 73, 0.1, 99610.0),
    "exampleDataParstat.txt": ("impedance.py parstat", 31, 10.0, 1e4),
    "exampleDataVersaStudio.par": ("impedance.py versastudio", 61, 0.02154435, 1e5),
    "exampleDataPowersuite.txt": ("impedance.py powersuite", 30, 0.1, 2e6),
    "exampleDataZPlot_noComments.z": ("impedance.py zplot", 31, 300.0, 3e5),
    "exampleDataZPlot.z": ("ZView .z", 21, 3000.0, 3e5),
    "exampleDataBioLogic.mpt": ("BioLogic EC-Lab text (.mpt)", 43, 0.01689554, 1000.3201),
    "exampleData.csv": ("delimited text", 66, 0.0031623, 1e4),
}
DUMMY_CELLS = [f"Circuit{i}_EIS_{j}.z" for i in (1, 2, 3) for j in (1, 2)]


@pytest.mark.parametrize("name", list(INSTRUMENT_FILES))
def test_every_instrument_file_is_read(name):
    reader, points, f_min, f_max = INSTRUMENT_FILES[name]
    (spectrum,) = read_spectra(IMPEDANCE_PY / name)
    assert spectrum.reader.startswith(reader)
    assert len(spectrum) == points
    assert spectrum.frequency.min() == pytest.approx(f_min, rel=1e-6)
    assert spectrum.frequency.max() == pytest.approx(f_max, rel=1e-6)
    assert np.all(np.isfinite(spectrum.impedance))
    # capacitive: Z'' < 0 over most of the low-frequency half
    low = spectrum.impedance.imag[spectrum.frequency <= np.median(spectrum.frequency)]
    assert np.mean(low < 0) > 0.5


def test_instrument_detection_is_by_content_not_only_suffix(tmp_path):
    text = (IMPEDANCE_PY / "exampleDataParstat.txt").read_text()
    renamed = tmp_path / "spectrum.dat"
    renamed.write_text(text)
    assert detect_instrument(renamed) == "parstat"
    assert detect_instrument(IMPEDANCE_PY / "exampleData.csv") is None


def test_biologic_file_without_frequency_is_refused():
    with pytest.raises(SpectrumFileError, match="no frequency column in header"):
        read_spectra(IMPEDANCE_PY / "exampleDataBioLogic_MissingFreq.mpt")


def test_bad_number_in_an_impedance_py_file_names_the_line(tmp_path):
    lines = (IMPEDANCE_PY / "exampleDataCHInstruments.txt").read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("Freq/Hz")) + 5
    lines[index] = lines[index].replace(lines[index].split(",")[1], " 9.9x1e+1")
    path = tmp_path / "chi.txt"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SpectrumFileError, match=rf"line {index + 1}: '9.9x1e\+1' is not a number"):
        read_spectra(path)


@pytest.mark.parametrize("name", DUMMY_CELLS)
def test_measured_dummy_cells_pass_kramers_kronig(name):
    """Measured R-C dummy circuits are valid spectra: the stop rule must not fail them.

    Schönleber's μ < 0.85 alone stops at M = 3-6 with 10-50 % residuals; the plateau rule
    continues until the Voigt fit stops improving (max residual 0.03-0.5 %)."""
    f, Z = read_spectrum(IMPEDANCE_PY / name)
    result = lin_kk(f, Z)
    assert result.passed and result.max_residual < 0.005
    assert result.M_plateau > result.M_mu and result.M == result.M_plateau
    mu_only = lin_kk(f, Z, plateau_factor=None)
    assert mu_only.M == result.M_mu <= 6
    assert not mu_only.passed and mu_only.max_residual > 0.05


def test_kk_options():
    f, Z = read_spectrum(IMPEDANCE_PY / "Circuit2_EIS_1.z")
    fixed = lin_kk(f, Z, M=20)
    assert fixed.M == 20 and fixed.M_mu is None and "given" in fixed.rule
    strict = lin_kk(f, Z, c=0.5, plateau_factor=None)
    assert strict.M >= lin_kk(f, Z, plateau_factor=None).M  # a lower μ threshold stops later
    for bad in ({"M": 0}, {"c": 1.5}, {"plateau_factor": 0.5}):
        with pytest.raises(ValueError):
            lin_kk(f, Z, **bad)


def test_sweeps_split_by_cycle_number_and_by_frequency_restart(tmp_path):
    spectra = read_spectra(EC_LAB_LIKE / "peis_three_sweeps.mpt")
    assert [(s.sweep, s.n_sweeps, len(s)) for s in spectra] == [(1, 3, 34), (2, 3, 34), (3, 3, 34)]
    # sweep 2 has R1 1 % larger (the fixture): the low-frequency limit moves by 1 Ω
    assert spectra[1].impedance[-1].real - spectra[0].impedance[-1].real == pytest.approx(
        1.0, abs=0.01
    )
    with pytest.raises(SpectrumFileError, match=r"holds 3 sweeps \(34, 34, 34 points\)"):
        read_spectrum(EC_LAB_LIKE / "peis_three_sweeps.mpt")
    assert read_spectrum(EC_LAB_LIKE / "peis_three_sweeps.mpt", sweep=3).sweep == 3
    with pytest.raises(SpectrumFileError, match="sweep 4 does not exist"):
        read_spectrum(EC_LAB_LIKE / "peis_three_sweeps.mpt", sweep=4)
    # without a cycle column: the frequency jumping back up starts a new sweep
    f = np.logspace(5, 0, 11)
    assert list(sweep_starts(np.r_[f, f, f[:4]])) == [0, 11, 22]
    assert list(sweep_starts(np.r_[f[::-1], f[::-1]])) == [0, 11]  # upward sweeps
    assert list(sweep_starts(np.r_[f[:6], f[5], f[6:]])) == [0]  # a repeated point


def test_multi_sweep_mpr(tmp_path):
    spectra = read_spectra(EC_LAB_LIKE / "peis_three_sweeps.mpt")
    f = np.concatenate([s.frequency for s in spectra])
    Z = np.concatenate([s.impedance for s in spectra])
    path = write_mpr(
        tmp_path / "peis.mpr",
        {
            4: np.arange(f.size, dtype=float),
            32: f,
            37: Z.real,
            38: -Z.imag,
            24: np.repeat([1.0, 2.0, 3.0], 34),
        },
    )
    from_mpr = read_spectra(path)
    assert [len(s) for s in from_mpr] == [34, 34, 34]
    np.testing.assert_allclose(from_mpr[2].impedance, spectra[2].impedance, rtol=1e-6)


def test_cut_off_spectrum_is_refused_naming_the_line():
    with pytest.raises(SpectrumFileError, match=r"line 26, '-4\.6', is written shorter"):
        read_spectra(EC_LAB_LIKE / "spectrum_truncated.csv")


def test_utf16_spectrum():
    (spectrum,) = read_spectra(EC_LAB_LIKE / "spectrum_utf16.csv")
    assert len(spectrum) == 25
    assert spectrum.impedance[0].real == pytest.approx(
        10 + 100 / (1 + (2 * np.pi * 10) ** 2), rel=1e-5
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02\x03\xff\xfe\xfd" * 40, "binary"),
        (b"f,Z',Z''\n10,1,-1\n1,inf,-2\n", "missing/NaN/infinite value at line 3"),
        (b"f,Z',Z''\n10,1,-1\n1,2,NaN\n", "missing/NaN/infinite value at line 3"),
        (b"   \n", "no data rows"),
    ],
)
def test_broken_copies_are_refused(tmp_path, content, message):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(SpectrumFileError, match=message):
        read_spectra(path)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.0123, "Ω", "12.3 mΩ"),
        (4.56e-6, "F", "4.56 µF"),
        (171.6, "Ω", "171.6 Ω"),
        (999.96, "Ω", "1 kΩ"),
        (2.5e5, "Hz", "250 kHz"),
        (0.0, "Ω", "0 Ω"),
        (float("nan"), "Ω", "nan Ω"),
        (1e-20, "F", "1e-20 F"),
    ],
)
def test_engineering_notation(value, unit, text):
    assert format_eng(value, unit) == text


def test_missing_impedance_py_is_named(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "impedance.preprocessing", None)
    with pytest.raises(SpectrumFileError, match=r"needs the optional package impedance\.py"):
        read_spectra(IMPEDANCE_PY / "exampleDataGamry.DTA")
