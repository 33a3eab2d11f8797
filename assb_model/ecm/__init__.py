"""Equivalent-circuit analysis of impedance spectra: circuits, fitting, Kramers–Kronig
validation, effective capacitances, spectrum files and plots.

A general library: nothing here runs the battery model (the model's own spectrum:
:mod:`assb_model.model_eis`).
"""

# --- equivalent-circuit analysis (circuits, fitting, KK, I/O) -------------------------
# Exports of circuits.py, capacitance.py, fitting.py, validation.py and io.py. Plotting
# and the CLI are imported from their modules (they pull in matplotlib/argparse).
from assb_model.ecm.capacitance import (
    apex_frequency,
    brug_capacitance,
    characteristic_time,
    effective_capacitance,
)
from assb_model.ecm.circuits import (
    CPE,
    AnomalousDiffusionReflective,
    AnomalousDiffusionTransmissive,
    C,
    CircuitParseError,
    FiniteWarburgOpen,
    FiniteWarburgShort,
    L,
    Parallel,
    R,
    Series,
    Warburg,
    get_circuit,
    paper_fig5,
    paper_fig7,
    parse_circuit,
    register_element,
)
from assb_model.ecm.fitting import CircuitModel, FitResult, fit_best_circuit, fit_circuit
from assb_model.ecm.io import Spectrum, SpectrumFileError, read_spectrum, write_spectrum_csv
from assb_model.ecm.validation import KKResult, lin_kk

__all__ = [
    "CPE",
    "AnomalousDiffusionReflective",
    "AnomalousDiffusionTransmissive",
    "C",
    "CircuitModel",
    "CircuitParseError",
    "FiniteWarburgOpen",
    "FiniteWarburgShort",
    "FitResult",
    "KKResult",
    "L",
    "Parallel",
    "R",
    "Series",
    "Spectrum",
    "SpectrumFileError",
    "Warburg",
    "apex_frequency",
    "brug_capacitance",
    "characteristic_time",
    "effective_capacitance",
    "fit_best_circuit",
    "fit_circuit",
    "get_circuit",
    "lin_kk",
    "paper_fig5",
    "paper_fig7",
    "parse_circuit",
    "read_spectrum",
    "register_element",
    "write_spectrum_csv",
]
