"""Derivations that turn the paper's tables into model parameters.

Each function takes table or section-3 values and returns one model parameter; the
formula is in the docstring and the source of the inputs in its References line.
All inputs and outputs are SI unless the argument name says otherwise.
"""

import math

from scipy.constants import R as GAS_CONSTANT
from scipy.constants import physical_constants

FARADAY = physical_constants["Faraday constant"][0]


def electrode_area(diameter: float) -> float:
    """Geometric electrode area of a pellet.

    .. math:: A = \\pi d^2 / 4

    References: section 3.4 (pellet diameter 10 mm).
    """
    if diameter <= 0:
        raise ValueError(f"pellet diameter must be positive, got {diameter}")
    return math.pi * diameter**2 / 4


def composite_geometry(
    mass: float,
    mass_fractions: dict[str, float],
    densities: dict[str, float],
    void_fraction: float,
    area: float,
) -> tuple[float, dict[str, float]]:
    """Thickness and solid volume fractions of a pressed composite.

    .. math::
        V_i = \\frac{w_i m}{\\rho_i}, \\quad
        V = \\frac{\\sum_i V_i}{1 - \\varepsilon_{void}}, \\quad
        L = V / A, \\quad \\varphi_i = V_i / V

    Returns
    -------
    thickness : float
        L [m].
    fractions : dict
        Volume fraction of each component [-] (they sum to 1 - void_fraction).

    References: section 3.3 (69:29:2 wt%), 3.4 (10 mg composite, Ø10 mm).
    """
    if abs(sum(mass_fractions.values()) - 1) > 1e-9:
        raise ValueError(f"mass fractions must sum to 1, got {sum(mass_fractions.values())}")
    if not 0 <= void_fraction < 1:
        raise ValueError(f"void fraction must be in [0, 1), got {void_fraction}")
    solid = {k: w * mass / densities[k] for k, w in mass_fractions.items()}
    volume = sum(solid.values()) / (1 - void_fraction)
    return volume / area, {k: v / volume for k, v in solid.items()}


def active_material_mass(
    volume_fraction: float, density: float, thickness: float, area: float
) -> float:
    """Mass of active material in a composite of given thickness and area.

    .. math:: m_{AM} = \\varepsilon_{AM}\\,\\rho_{AM}\\,L\\,A

    Equal to composite mass × NMC mass fraction for the composite of
    :func:`composite_geometry`; written in volume terms so that a what-if of the thickness,
    the NMC volume fraction or the area changes the mass the capacities are normalised by.

    References: section 3.5 (capacity normalised to the active-material mass).
    """
    return volume_fraction * density * thickness * area


def pellet_thickness(mass: float, density: float, void_fraction: float, area: float) -> float:
    """Thickness of a pressed SE pellet.

    .. math:: L = \\frac{m}{\\rho (1 - \\varepsilon_{void}) A}

    References: section 3.4 (80 mg 75Li2S·25P2S5 separator, Ø10 mm).
    """
    return mass / (density * (1 - void_fraction) * area)


def conductivity_from_resistance(resistance: float, thickness: float, area: float) -> float:
    """Ionic conductivity of a layer from its measured resistance.

    .. math:: \\sigma = \\frac{L}{R A}

    References: Table 2/3, column R_SE (separator bulk), with the pellet geometry.
    """
    if resistance <= 0:
        raise ValueError(f"resistance must be positive, got {resistance}")
    return thickness / (resistance * area)


def resistance_from_conductivity(conductivity: float, thickness: float, area: float) -> float:
    """Inverse of :func:`conductivity_from_resistance`, :math:`R = L/(\\sigma A)`."""
    return thickness / (conductivity * area)


def capacitance_from_ceff(ceff_uF: float) -> float:
    """Effective capacitance in farad from the tables' µF columns.

    .. math:: C = 10^{-6} C_{eff,\\mu F}

    References: Table 2/3, C_eff columns (Hirschorn et al. 2010 effective capacitance).
    """
    return ceff_uF * 1e-6


def exchange_current_from_resistance(resistance: float, area: float, temperature: float) -> float:
    """Exchange-current density of a symmetric Butler–Volmer interface whose linearised
    charge-transfer resistance is ``resistance`` over ``area``.

    .. math:: j_0 = \\frac{R_g T}{F R_{ct} A}

    (small-signal slope of :math:`j = 2 j_0 \\sinh(F\\eta/2R_gT)` is :math:`j_0F/R_gT`).

    References: Table 2/3, column R_SE/An (Li–In interface) or R_SE/Cat.
    """
    if resistance <= 0 or area <= 0:
        raise ValueError("resistance and area must be positive")
    return GAS_CONSTANT * temperature / (FARADAY * resistance * area)


def specific_surface_area(active_fraction: float, radius: float) -> float:
    """Particle surface area per electrode volume for spheres.

    .. math:: a = 3 \\varepsilon_{AM} / R_p
    """
    return 3 * active_fraction / radius


def contact_area(
    active_fraction: float, radius: float, contact_fraction: float, thickness: float, area: float
) -> float:
    """Total NMC–SE contact area in the composite.

    .. math:: A_c = a\\,\\theta_c\\,L\\,A
    """
    return specific_surface_area(active_fraction, radius) * contact_fraction * thickness * area


def cathode_exchange_current_density(
    r_se_cat: float, contact: float, film_asr: float, temperature: float
) -> float:
    """Exchange-current density per contact area from the SE/cathode arc.

    The arc resistance is the parallel sum over the contact area of charge transfer and
    the film (coating + initial interphase), in series per unit area:

    .. math::
        R_{ct}'' = R_{SE/Cat} A_c - R_{film}'', \\qquad
        j_0 = \\frac{R_g T}{F R_{ct}''}

    References: Table 2/3, column R_SE/Cat (2nd charge).
    """
    r_ct_asr = r_se_cat * contact - film_asr
    if r_ct_asr <= 0:
        raise ValueError(
            "the coating/interphase film alone exceeds the measured R_SE/Cat "
            f"({film_asr:.3g} Ohm.m2 > {r_se_cat * contact:.3g} Ohm.m2)"
        )
    return GAS_CONSTANT * temperature / (FARADAY * r_ct_asr)


def particle_double_layer_capacitance(
    ceff: float, active_fraction: float, radius: float, thickness: float, area: float
) -> float:
    """Double-layer capacitance per geometric particle area, from the SE/cathode arc.

    PyBaMM charges the double layer over the whole particle area :math:`a L A`; the
    capacitance sits only at the contact area, so per particle area it is
    :math:`\\theta_c C_{dl,c}`, which equals

    .. math:: C_{dl} = \\frac{C_{eff,SE/Cat}}{a L A}

    References: Table 2/3, column C_eff,SE/Cat.
    """
    return ceff / (specific_surface_area(active_fraction, radius) * thickness * area)


def maximum_concentration(density: float, molar_mass: float) -> float:
    """Lithium site concentration of a layered oxide LiMO2 (one Li per formula unit).

    .. math:: c_{max} = \\rho / M
    """
    return density / molar_mass


def specific_capacity(c_max: float, density: float) -> float:
    """Theoretical specific capacity in mAh/g for a full stoichiometry swing.

    .. math:: Q = \\frac{F c_{max}}{3600\\,\\rho}\\;[\\mathrm{mAh\\,g^{-1}}]

    (F c_max / ρ is in C/kg = A s/kg; 1 A s/kg = 1/3600 mAh/g.)
    """
    return FARADAY * c_max / density / 3600


def implied_effective_conductivity(thickness: float, area: float, ionic_resistance: float) -> float:
    """Effective composite SE conductivity implied by an ionic resistance of the composite.

    For a porous electrode with uniform reaction, the ionic resistance seen in the
    low-frequency impedance is one third of the through-thickness resistance:

    .. math:: \\sigma_{eff} = \\frac{L}{3 R_{ion} A}

    References: used with the paper's total resistances (~600 Ω, section 2) to show
    that Table 1's 5e-7 S/cm cannot be the in-composite conductivity.
    """
    return thickness / (3 * ionic_resistance * area)


def process_contact_factor(
    ionic_resistance: float,
    thickness: float,
    area: float,
    conductivity: float,
    p_t: float,
    floor: float = 0.0,
) -> float:
    """Process contact factor that gives a composite its ionic resistance.

    The composite's effective SE conductivity is :math:`\\sigma_{SE} B` with transport
    efficiency :math:`B = f_{proc} p^t + B_{floor}` (``submodels/percolation.py``), and
    its through-thickness ionic resistance is :math:`R_{ion} = L/(\\sigma_{SE} B A)`, so

    .. math:: f_{proc} = \\frac{L/(R_{ion}\\,\\sigma_{SE} A) - B_{floor}}{p^t}

    ``p_t`` is :math:`p^t` (reduced SE fraction to the percolation exponent).

    References: Table 2/3 R_SE,GB (through the composite ionic resistance), Table 1 σ_SE.
    """
    if min(ionic_resistance, thickness, area, conductivity, p_t) <= 0:
        raise ValueError("resistance, thickness, area, conductivity and p^t must be positive")
    b = thickness / (ionic_resistance * conductivity * area)
    if b <= floor:
        raise ValueError(
            f"composite ionic resistance {ionic_resistance:.3g} Ohm is above the floor's "
            f"({thickness / (floor * conductivity * area):.3g} Ohm)"
        )
    return (b - floor) / p_t


def mean(values) -> float:
    """Arithmetic mean of table rows (batches), ignoring missing values."""
    vals = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    if not vals:
        raise ValueError("no values to average")
    return sum(vals) / len(vals)
