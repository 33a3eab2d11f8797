"""Optional: an impedance spectrum fitted jointly with the cycling curves.

The joint fit uses the model's own impedance, :func:`assb_model.model_eis.model_impedance`
(a ``ModelImpedance`` at its default state: after the 2nd charge and a 600 s rest, the
state of the paper's Tables 2 and 3; measure the spectrum there). Each
frequency adds two residuals (real, imaginary parts) ``weight σ_V (Z_model − Z) /
(ε |Z|)`` with ``ε`` the relative noise of the spectrum (default 1 %), so a 1 % impedance
misfit weighs like a voltage misfit of ``σ_V``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pybamm


def model_impedance_function():
    """The model's impedance, :func:`assb_model.model_eis.model_impedance` (an earlier
    layout looked it up under another name; the fit is now an analysis above it)."""
    from assb_model.model_eis import model_impedance

    return model_impedance


@dataclass(frozen=True)
class ImpedanceTarget:
    """A measured spectrum in the joint residual.

    Attributes
    ----------
    frequency : numpy.ndarray
        Hz.
    impedance : numpy.ndarray
        Complex, Ohm.
    source : str
    relative_noise : float
        ``ε``.
    weight : float
    function : callable
        The model-impedance function.
    """

    frequency: np.ndarray
    impedance: np.ndarray
    source: str
    relative_noise: float
    weight: float
    function: object

    @property
    def size(self) -> int:
        """Residuals contributed (real and imaginary part per frequency)."""
        return 2 * len(self.frequency)

    def residuals(
        self, parameter_values: pybamm.ParameterValues, options: dict | None, voltage_noise_V: float
    ) -> np.ndarray:
        """Scaled real and imaginary misfits at ``parameter_values``."""
        result = self.function(parameter_values, self.frequency, options=options)
        # assb_model.ecm returns a ModelImpedance (frequency, impedance); plain arrays work
        z_model = np.asarray(getattr(result, "impedance", result), complex)
        scale = self.weight * voltage_noise_V / (self.relative_noise * np.abs(self.impedance))
        d = (z_model - self.impedance) * scale
        return np.concatenate([d.real, d.imag])


def impedance_target(
    spectrum, relative_noise: float = 0.01, weight: float = 1.0
) -> tuple[ImpedanceTarget | None, str | None]:
    """The spectrum as a fit target, and a note (``None``: nothing to note).

    Parameters
    ----------
    spectrum : str, pathlib.Path or assb_model.ecm.Spectrum
        A spectrum file (read with :func:`assb_model.ecm.read_spectrum`) or a read spectrum.
    relative_noise : float
        ``ε``.
    weight : float
        Extra weight of the spectrum against the cycling data.
    """
    function = model_impedance_function()
    label = str(spectrum) if isinstance(spectrum, str | Path) else getattr(spectrum, "source", "")
    if function is None:
        return None, (
            f"impedance spectrum {label or '(given)'} not used: the model's impedance is not "
            "available; fitted to cycling data only"
        )
    if isinstance(spectrum, str | Path):
        from assb_model.ecm import read_spectrum

        spectrum = read_spectrum(spectrum)
    target = ImpedanceTarget(
        np.asarray(spectrum.frequency, float),
        np.asarray(spectrum.impedance, complex),
        label,
        relative_noise,
        weight,
        function,
    )
    return target, None
