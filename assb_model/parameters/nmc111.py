"""LiNi1/3Mn1/3Co1/3O2 (NMC111) functions: open-circuit potential and kinetics."""

import pybamm

#: Stoichiometry of the pristine (as-synthesised, fully lithiated) NMC111. Not exactly 1,
#: where the exchange-current density vanishes; 0.999 (U = 3.17 V vs Li) keeps the
#: first-cycle lithium inventory within 0.3 mAh/g of the full LiMO2.
PRISTINE_STOICHIOMETRY = 0.999

#: Stoichiometry at which the impedance-derived exchange-current density applies: the
#: tables were measured "after the charging process" (2nd charge, ~3.8 V vs Li–In),
#: where the model's NMC111 is near x = 0.5.
REFERENCE_STOICHIOMETRY = 0.5

OCP_SOURCE = (
    "About:Energy / Faraday Institution BPX example 'NMC111|graphite 12.5 Ah pouch cell' "
    "(2022, examples/nmc_pouch_cell_BPX.json of the FaradayInstitution/BPX repository, not "
    "peer reviewed); fitted for x = 0.424–0.962, extrapolated above 4.3 V vs Li "
    "(docs/literature_notes.md)"
)


def ocp(sto):
    """NMC111 open-circuit potential vs Li/Li+ [V] as a function of stoichiometry.

    .. math::
        U(x) = -3.0442x + 10.0489 - 0.65638\\tanh(-4.0213(x - 0.80064))
        + 4.2468\\tanh(12.178(x - 7.5766)) - 0.37571\\tanh(59.331(x - 0.99784))

    Monotonic on [0, 1]; 4.2 V at x ≈ 0.46, 4.42 V at x ≈ 0.38, 5.0 V at x ≈ 0.18.

    References
    ----------
    See :data:`OCP_SOURCE`.
    """
    return (
        -3.04420906 * sto
        + 10.04892207
        - 0.65637536 * pybamm.tanh(-4.02134095 * (sto - 0.80063948))
        + 4.24678547 * pybamm.tanh(12.17805062 * (sto - 7.57659337))
        - 0.3757068 * pybamm.tanh(59.33067782 * (sto - 0.99784492))
    )


def exchange_current_density(c_e, c_s_surf, c_s_max, T):
    """Exchange-current density per NMC–SE contact area [A.m-2].

    .. math::
        j_0 = j_{0,ref} \\sqrt{\\frac{x (1 - x)}{x_{ref}(1 - x_{ref})}}, \\qquad
        x = c_{s,surf}/c_{s,max}

    :math:`j_{0,ref}` ("Positive electrode reference exchange-current density [A.m-2]")
    is derived from the measured R_SE/Cat (derivations.cathode_exchange_current_density).
    The SE Li+ concentration is constant (single-ion conductor), so there is no
    :math:`c_e` dependence; the measurements were isothermal (25 °C), so there is no
    Arrhenius factor.
    """
    j0_ref = pybamm.Parameter("Positive electrode reference exchange-current density [A.m-2]")
    x = c_s_surf / c_s_max
    x_ref = REFERENCE_STOICHIOMETRY
    # x(1 - x) is floored at 1e-8 (x within 1e-8 of 0 or 1): the solver's trial states can
    # step past x = 1 at the end of discharge, where the square root would be undefined
    return j0_ref * (pybamm.maximum(x * (1 - x), 1e-8) / (x_ref * (1 - x_ref))) ** 0.5
