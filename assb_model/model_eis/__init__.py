"""The model's own impedance spectrum (small-signal linearisation) and its fidelity to the
paper's Tables 2 and 3 through the paper's equivalent circuit."""

from assb_model.model_eis.spectrum import (
    ModelImpedance,
    impedance_after_cycles,
    model_impedance,
    model_resistances,
)

__all__ = ["ModelImpedance", "impedance_after_cycles", "model_impedance", "model_resistances"]
