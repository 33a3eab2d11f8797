"""Electrochemical impedance spectroscopy: circuits, fitting, validation, I/O and plots."""

# --- equivalent-circuit analysis (circuits, fitting, KK, I/O) -------------------------
# Exports of circuits.py, capacitance.py, fitting.py, validation.py and io.py. Plotting
# and the CLI are imported from their modules (they pull in matplotlib/argparse).
from assb_model.eis.capacitance import (
    apex_frequency,
    brug_capacitance,
    characteristic_time,
    effective_capacitance,
)
from assb_model.eis.circuits import (
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
from assb_model.eis.fitting import CircuitModel, FitResult, fit_best_circuit, fit_circuit
from assb_model.eis.io import Spectrum, SpectrumFileError, read_spectrum, write_spectrum_csv
from assb_model.eis.validation import KKResult, lin_kk

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
# --- end of equivalent-circuit analysis ------------------------------------------------

# --- model impedance: add imports here and extend with ``__all__ += [...]`` -------------
from assb_model.eis.model_impedance import (
    ModelImpedance,
    impedance_after_cycles,
    model_impedance,
    model_resistances,
)

__all__ += ["ModelImpedance", "impedance_after_cycles", "model_impedance", "model_resistances"]
