"""Inversion of the paper's impedance analysis: from a cell's table arcs to the model's
composite ionic resistance, interface resistance and Li–In resistance.

The paper fits its spectra with four R‖CPE arcs (Figure 5e/7e). The model's composite is
not four arcs: it is a porous electrode, a de Levie transmission line whose ionic
resistance :math:`R_{ion}` (through the thickness) and interface impedance
:math:`z` (in total over the composite) mix into the "R_SE,GB" and "R_SE/Cat" arcs a
circuit fit returns. So the table's arcs are not the model's resistances, and this module
finds the resistances whose spectrum, fitted with the paper's circuit exactly as the model's
own spectra are (:func:`assb_model.model_eis.fidelity.fit_model_spectrum`: Figure 7e
circuit, modulus weighting, 1 MHz–1 mHz), returns the table's arcs.

The spectrum is analytic (no battery-model simulation):

.. math::
    Z = \\frac{R_{SE}}{1 + s R_{SE} C_{SE}}
      + \\sqrt{R_{ion} z}\\,\\coth\\sqrt{R_{ion}/z}
      + \\frac{R_{An}}{1 + s R_{An} C_{An}}, \\qquad
    z = \\left[\\frac{1}{R_{int} + Z_d} + s C_{dl}\\right]^{-1}

with the spherical-particle diffusion impedance (reflective centre)

.. math::
    Z_d = \\frac{\\tau}{3 C_{int}}\\,\\frac{\\tanh y}{y - \\tanh y}, \\qquad
    y = \\sqrt{s\\tau},\\; \\tau = R_p^2/D, \\qquad
    C_{int} = \\frac{F c_{max}\\, u\\,\\varepsilon_{NMC} L A}{|dU/dx|}

(:math:`Z_d \\to 1/(s C_{int})` at low frequency: the intercalation capacitance).
:math:`R_{SE}`, :math:`C_{SE}`, :math:`C_{dl}` (:math:`C_{eff,SE/Cat}`) and
:math:`C_{An}` are the table's. Secant iteration in log space on
:math:`R_{ion}, R_{int}, R_{An}`, one arc each (start: :math:`3R_{SE,GB}`,
:math:`R_{SE/Cat}`, :math:`R_{SE/An}`), until the fitted arcs equal the table's to
:data:`RTOL`.

Why not :math:`R_{ion} = 3 R_{SE,GB}`: that low-frequency limit holds when the interface
arc is far slower than the ionic one; in the paper's cells they overlap (e.g. Li6PS5Cl:
R_SE,GB 19 Ω next to R_SE/Cat 150 Ω), and the circuit fit splits the transmission line
differently. The inversion replaces the per-set ratios and arc factors that earlier
versions calibrated against simulated spectra.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

#: The model's impedance window (1 MHz to 1 mHz, 10 points per decade).
FREQUENCIES = np.logspace(6, -3, 91)
#: Relative tolerance on the fitted arcs.
RTOL = 1e-4
#: A circuit fit is not a smooth function of the spectrum: where two of its optima swap
#: (e.g. the anode arc next to the diffusion tail), a fitted arc jumps and the table's
#: value may lie in the jump. Then the iterate whose fitted arcs come closest is kept if
#: they are within this relative tolerance (the residual is recorded).
ACCEPT = 1e-2
MAX_ITERATIONS = 25


@dataclass(frozen=True)
class TableArcs:
    """A cell's table arcs (means of its rows) [Ohm, F]."""

    R_SE: float
    C_SE: float
    R_GB: float
    R_SECat: float
    C_SECat: float
    R_An: float
    C_An: float


@dataclass(frozen=True)
class InvertedResistances:
    """The model resistances whose fitted spectrum returns the table's arcs [Ohm]."""

    R_ion: float
    R_int: float
    R_An: float
    iterations: int
    fitted: dict
    #: Largest relative difference of a fitted arc from the table's.
    residual: float = 0.0


def diffusion_impedance(s: np.ndarray, tau: float, c_int: float) -> np.ndarray:
    """Spherical-particle diffusion impedance :math:`Z_d` [Ohm] (module docstring)."""
    y = np.sqrt(s * tau)
    t = np.tanh(y)
    return tau / (3 * c_int) * t / (y - t)


def composite_impedance(
    f: np.ndarray,
    arcs: TableArcs,
    r_ion: float,
    r_int: float,
    r_an: float,
    tau: float,
    c_int: float,
) -> np.ndarray:
    """Analytic cell impedance: SE pellet arc, transmission-line composite, Li–In arc."""
    s = 2j * np.pi * np.asarray(f, dtype=float)
    z_int = 1 / (1 / (r_int + diffusion_impedance(s, tau, c_int)) + s * arcs.C_SECat)
    nu = np.sqrt(r_ion / z_int)
    z_tl = np.sqrt(r_ion * z_int) / np.tanh(nu)
    z_se = arcs.R_SE / (1 + s * arcs.R_SE * arcs.C_SE)
    z_an = r_an / (1 + s * r_an * arcs.C_An)
    return z_se + z_tl + z_an


def fitted_arcs(z: np.ndarray, f: np.ndarray = FREQUENCIES) -> dict[str, float]:
    """The paper's Figure 7e circuit fitted to a spectrum: R of each arc [Ohm]."""
    from assb_model.ecm.circuits import paper_fig7
    from assb_model.ecm.fitting import fit_circuit

    fit = fit_circuit(paper_fig7(), f, z, n_starts=4)
    return {a.name: a.R_ohm for a in fit.arcs()}


def invert_table_arcs(arcs: TableArcs, tau: float, c_int: float) -> InvertedResistances:
    """Resistances whose spectrum, fitted with the paper's circuit, returns ``arcs``.

    Parameters
    ----------
    arcs : TableArcs
    tau : float
        Particle diffusion time :math:`R_p^2/D` [s].
    c_int : float
        Intercalation capacitance of the connected NMC at the measured state [F].

    Raises
    ------
    ValueError
        The iteration does not converge (one line naming the cell's arcs).
    """
    key = tuple(float(f"{v:.12g}") for v in (*vars(arcs).values(), tau, c_int))
    return _invert(key)


@lru_cache(maxsize=256)
def _invert(key: tuple) -> InvertedResistances:
    *values, tau, c_int = key
    arcs = TableArcs(*values)
    if min(values) <= 0 or tau <= 0 or c_int <= 0:
        raise ValueError(f"table arcs must be positive to be inverted, got {arcs}")
    targets = {"GB": arcs.R_GB, "SECat": arcs.R_SECat, "SEAn": arcs.R_An}
    x = {"GB": 3 * arcs.R_GB, "SECat": arcs.R_SECat, "SEAn": arcs.R_An}
    slope = dict.fromkeys(targets, 1.0)  # d ln(fitted arc) / d ln(resistance), per arc
    previous: dict | None = None
    best: InvertedResistances | None = None
    for it in range(1, MAX_ITERATIONS + 1):
        z = composite_impedance(FREQUENCIES, arcs, x["GB"], x["SECat"], x["SEAn"], tau, c_int)
        fit = fitted_arcs(z)
        errors = {k: math.log(fit[k] / targets[k]) for k in targets}
        worst = max(abs(e) for e in errors.values())
        if best is None or worst < best.residual:
            best = InvertedResistances(x["GB"], x["SECat"], x["SEAn"], it, fit, worst)
        if worst < RTOL:
            return best
        for k in targets:
            if previous is not None:
                dx = math.log(x[k] / previous["x"][k])
                if abs(dx) > 1e-9:
                    # secant slope in log space, kept in a plausible range: the arcs of a
                    # transmission line overlap, so one resistance can move a fitted arc
                    # faster than itself (the anode arc next to the diffusion tail: ~2)
                    s = (math.log(fit[k]) - math.log(previous["fit"][k])) / dx
                    slope[k] = min(max(s, 0.2), 5.0)
        previous = {"x": dict(x), "fit": dict(fit)}
        for k in targets:
            x[k] *= math.exp(-errors[k] / slope[k])
    if best.residual < ACCEPT:
        return best
    raise ValueError(
        "the paper's circuit fitted to the analytic composite spectrum does not return the "
        f"table arcs R_SE,GB {arcs.R_GB:g}, R_SE/Cat {arcs.R_SECat:g}, R_SE/An {arcs.R_An:g} "
        f"Ohm (last fit: {', '.join(f'{k} {v:.4g}' for k, v in fit.items())})"
    )
