"""Optional: an impedance spectrum fitted jointly with the cycling curves.

The joint fit needs the model's own impedance, ``assb_model.model_eis.spectrum``, with
the signature::

    model_impedance(parameter_values: pybamm.ParameterValues,
                    frequencies: numpy.ndarray,        # Hz
                    options: dict | None = None)
        -> complex numpy.ndarray [Ohm], or an object with an ``impedance`` attribute

(``assb_model.model_eis.spectrum.model_impedance`` returns a ``ModelImpedance`` at its
default state: after the 2nd charge and a 600 s rest, the state of the paper's Tables 2
and 3; measure the spectrum there). When the function does not exist,
:func:`impedance_target` returns ``None`` with a note and the fit uses the cycling data
only. When it exists, each
frequency adds two residuals (real, imaginary parts) ``weight σ_V (Z_model − Z) /
(ε |Z|)`` with ``ε`` the relative noise of the spectrum (default 1 %), so a 1 % impedance
misfit weighs like a voltage misfit of ``σ_V``.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pybamm

#: Name of the function looked up in :mod:`assb_model.ecm`.
HOOK = "model_impedance"


def model_impedance_function():
    """``assb_model.model_eis.spectrum`` (the function) if it exists, else ``None``.

    It may be exported by :mod:`assb_model.ecm` or only live in its submodule of the same
    name.
    """
    try:
        from assb_model.ecm import model_impedance as hook
    except ImportError:
        return None
    if isinstance(hook, types.ModuleType):
        hook = getattr(hook, HOOK, None)
    return hook if callable(hook) else None


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
    """The spectrum as a fit target, or ``(None, note)`` if model impedance is unavailable.

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
            f"impedance spectrum {label or '(given)'} not used: the model's impedance "
            f"(assb_model.ecm.{HOOK}) is not available in this version; fitted to cycling "
            "data only"
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
