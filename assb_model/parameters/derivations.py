"""Derivations that turn the paper's tables into model parameters.

Each function takes table or section-3 values and returns one model parameter; the
formula is in the docstring and the source of the inputs in its References line.
All inputs and outputs are SI unless the argument name says otherwise.
"""

import math

import numpy as np
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


def composite_conductivity(
    ionic_resistance: float, thickness: float, area: float, transport_efficiency: float
) -> float:
    """The SE's own conductivity in a composite of given ionic resistance.

    The composite's through-thickness ionic resistance is
    :math:`R_{ion} = L/(\\sigma_{SE}\\,\\mathcal{B}\\,A)` with :math:`\\mathcal{B}` the
    transport efficiency of its microstructure (``submodels/percolation.py``), so

    .. math:: \\sigma_{SE} = \\frac{L}{R_{ion}\\,\\mathcal{B}\\,A}

    References: Table 2/3 R_SE,GB through :func:`assb_model.parameters.inversion.invert_table_arcs`.
    """
    if min(ionic_resistance, thickness, area, transport_efficiency) <= 0:
        raise ValueError(
            "ionic resistance, thickness, area and transport efficiency must be positive "
            f"(transport efficiency {transport_efficiency:.3g}: is the SE fraction below the "
            "percolation threshold?)"
        )
    return thickness / (ionic_resistance * transport_efficiency * area)


def charged_stoichiometry(x_grid, ocp_grid, potential: float) -> float:
    """Stoichiometry at which a decreasing OCP :math:`U(x)` equals ``potential`` [V vs Li].

    References: the tables' impedance was measured "after the charging process" (2nd charge
    to 3.8 V vs Li–In, section 2), after a rest: the particles relax to the OCP.
    """
    x = np.asarray(x_grid, dtype=float)
    u = np.asarray(ocp_grid, dtype=float)
    if not (u.max() >= potential >= u.min()):
        raise ValueError(f"{potential:.3f} V vs Li is outside the OCP's range")
    order = np.argsort(u)
    return float(np.interp(potential, u[order], x[order]))


def oxidation_exposure(
    x_grid,
    ocp_grid,
    x_start: float,
    x_charged: float,
    seconds_per_unit_x: float,
    transfer_coefficient: float,
    oxidation_limit: float,
    temperature: float,
    half_cycles: int = 3,
) -> float:
    """Time integral of the SE-oxidation driving factor over the quasi-static path to the
    2nd charge [s].

    .. math::
        I = n\\,\\tau_x \\int_{x_c}^{x_0}
        \\exp\\left(\\frac{\\beta F (U(x) - U_{ox})}{RT}\\right) dx

    for :math:`n` = 3 half cycles (charge 1, discharge 1, charge 2) between the pristine
    stoichiometry :math:`x_0` and the charged one :math:`x_c`, at the OCP (the paper's
    0.13 mA/cm² moves the NMC surface ~10 mV away from it), with :math:`\\tau_x` the time
    per unit stoichiometry at the protocol's current.
    """
    x = np.asarray(x_grid, dtype=float)
    u = np.asarray(ocp_grid, dtype=float)
    inside = (x >= x_charged) & (x <= x_start)
    f = np.exp(
        np.minimum(
            transfer_coefficient
            * FARADAY
            * (u[inside] - oxidation_limit)
            / (GAS_CONSTANT * temperature),
            50,
        )
    )
    return half_cycles * seconds_per_unit_x * float(np.trapezoid(f, x[inside]))


def tunnelling_film_thickness(
    exposure: float,
    rate_constant: float,
    coating_thickness: float,
    blocking_length: float,
    molar_volume: float,
    initial_thickness: float = 0.0,
) -> float:
    """Interphase thickness grown under electron-blocking (tunnelling) control.

    With :math:`dL/dt = (\\bar V/F)\\,k_{ox} e^{-(L_{coat} + L)/\\lambda} g(t)`
    (``submodels/degradation.py``) and :math:`I = \\int g\\,dt`
    (:func:`oxidation_exposure`):

    .. math::
        L = \\lambda \\ln\\left(e^{L_0/\\lambda} + \\frac{\\bar V k_{ox}
        e^{-L_{coat}/\\lambda}}{F\\lambda} I\\right)
    """
    lam = blocking_length
    growth = molar_volume * rate_constant * math.exp(-coating_thickness / lam) / (FARADAY * lam)
    return lam * math.log(math.exp(initial_thickness / lam) + growth * exposure)


def contact_retained(loss_coefficient: float, swing: float) -> float:
    """NMC–SE contact retained after a total stoichiometry swing, :math:`e^{-k_{cl}\\,\\Delta x}`
    (``submodels/degradation.py``, ContactLoss, with a uniform reaction)."""
    return math.exp(-loss_coefficient * swing)


def intercalation_capacitance(
    c_max: float, active_fraction: float, thickness: float, area: float, ocp_slope: float
) -> float:
    """Differential (intercalation) capacitance of the connected NMC [F].

    .. math:: C_{int} = \\frac{F c_{max} \\varepsilon_{AM} L A}{|dU/dx|}
    """
    return FARADAY * c_max * active_fraction * thickness * area / abs(ocp_slope)


def reference_exchange_current(j0: float, x: float, x_ref: float) -> float:
    """Exchange-current density at the reference stoichiometry from one at ``x``, for the
    law :math:`j_0 \\propto \\sqrt{x(1-x)}`
    (:func:`assb_model.parameters.nmc111.exchange_current_density`).

    .. math:: j_{0,ref} = j_0(x)\\sqrt{\\frac{x_{ref}(1 - x_{ref})}{x(1 - x)}}
    """
    if not (0 < x < 1 and 0 < x_ref < 1):
        raise ValueError(f"stoichiometries must be in (0, 1), got {x} and {x_ref}")
    return j0 * math.sqrt(x_ref * (1 - x_ref) / (x * (1 - x)))


def mean(values) -> float:
    """Arithmetic mean of table rows (batches), ignoring missing values."""
    vals = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    if not vals:
        raise ValueError("no values to average")
    return sum(vals) / len(vals)
