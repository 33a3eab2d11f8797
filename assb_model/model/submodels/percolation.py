"""SE percolation: effective ionic conductivity and active-material utilisation.

Both quantities are tied to one microstructure description of the composite cathode:
the SE volume fraction :math:`\\varphi` (PyBaMM's "porosity" of the positive electrode,
because the SE plays the role of the electrolyte), a percolation threshold
:math:`\\varphi_c`, the exponents of percolation theory, and the process's SE topology.

The reduced SE fraction above threshold is smoothed with a softplus so that the solver
never sees a kink:

.. math::
    p = \\frac{1}{k}\\ln\\left(1 + e^{k (\\varphi - \\varphi_c)/(1 - \\varphi_c)}\\right)

Effective conductivity (transport efficiency :math:`\\mathcal{B} = \\sigma_{eff}/\\sigma_{SE}`,
:math:`\\sigma_{SE}` the SE's own conductivity in the composite), one law for every cell:

.. math::
    \\mathcal{B} = w\\,\\frac{2\\varphi}{3 - \\varphi} + (1 - w)\\,p^{t} + \\mathcal{B}_{floor}

- :math:`p^t` is the conductivity of a random mixture of a conducting and an insulating
  phase (percolation theory, :math:`t \\approx 2` in 3-D): zero below the threshold;
- :math:`2\\varphi/(3-\\varphi)` is the Hashin–Shtrikman upper bound for a conducting
  phase of fraction :math:`\\varphi` around insulating particles, reached by the
  coated-sphere assemblage (every particle wrapped in a shell of SE): the topology the
  solution process makes ("particles of the active materials are covered with a
  layer-type sulfide SE", section 1 of the paper);
- :math:`w` = "SE coated-sphere fraction", the share of the SE network in that topology
  (0 for a simple mixture, 1 for the solution process: a property of the process).

Both terms are at most the Hashin–Shtrikman bound, which is at most :math:`\\varphi` (the
parallel bound), so no composite conducts better than its SE fraction permits, and both
equal 1 at :math:`\\varphi = 1` (the bulk SE).

Fraction of NMC that is ionically connected to the percolating SE cluster, with
:math:`P_\\infty = p^{\\beta}` the percolation strength (:math:`\\beta = 0.41` in 3-D)
and :math:`N_c` the number of SE contacts per NMC particle:

.. math::
    u_{AM} = 1 - \\exp(-N_c P_\\infty)
"""

import pybamm

#: Steepness of the softplus that smooths max(0, reduced fraction); ln(2)/k is the
#: residual reduced fraction exactly at threshold.
SOFTPLUS_STEEPNESS = 100.0


def reduced_fraction(eps_se, param_prefix: str = "SE"):
    """Smoothed reduced SE fraction above the percolation threshold, ``p`` (-)."""
    phi_c = pybamm.Parameter(f"{param_prefix} percolation threshold")
    x = (eps_se - phi_c) / (1 - phi_c)
    k = SOFTPLUS_STEEPNESS
    # log(1 + exp(k x)) / k written to stay finite for large k x
    return pybamm.maximum(x, 0) + pybamm.log(1 + pybamm.exp(-k * pybamm.AbsoluteValue(x))) / k


def hashin_shtrikman_upper(eps_se):
    """Hashin–Shtrikman upper bound of the transport efficiency, :math:`2\\varphi/(3-\\varphi)`
    (conducting phase of fraction :math:`\\varphi` around insulating inclusions)."""
    return 2 * eps_se / (3 - eps_se)


def percolation_transport_efficiency(eps_se):
    """Transport efficiency of the composite SE (module docstring):
    :math:`w\\,2\\varphi/(3-\\varphi) + (1-w)\\,p^t + B_{floor}`."""
    t = pybamm.Parameter("SE percolation exponent")
    w = pybamm.Parameter("SE coated-sphere fraction")
    floor = pybamm.Parameter("SE transport efficiency floor")
    random_mixture = reduced_fraction(eps_se) ** t
    return w * hashin_shtrikman_upper(eps_se) + (1 - w) * random_mixture + floor


def active_material_utilisation(eps_se):
    """Fraction of NMC connected to the percolating SE, :math:`1-\\exp(-N_c p^\\beta)`."""
    beta = pybamm.Parameter("SE percolation strength exponent")
    n_c = pybamm.Parameter("NMC-SE contact number")
    return 1 - pybamm.exp(-n_c * reduced_fraction(eps_se) ** beta)


def network_damage_factor(retained):
    """Composite transport left after SE-network damage,
    :math:`1 - D_{max}(1 - e^{-(1 - r)/x_D})` with :math:`r` the NMC-SE contact retained
    fraction (:class:`PercolationTransportEfficiency`); 1 for an undamaged composite."""
    d_max = pybamm.Parameter("SE network damage saturation")
    x_d = pybamm.Parameter("SE network damage contact-loss scale")
    return 1 - d_max * (1 - pybamm.exp(-(1 - retained) / x_d))


class PercolationTransportEfficiency(pybamm.transport_efficiency.BaseModel):
    """Electrolyte transport efficiency of a sulfide composite cathode.

    Composite cathode: percolation law (module docstring). Separator: the SE pellet's
    ionic resistance is carried by the lumped SE-bulk element
    (:mod:`assb_model.model.submodels.lumped_elements`), so that it is counted once; the
    separator domain is given a transport efficiency of "Separator numerical transport
    efficiency" (default 1e4), which makes its own resistance negligible.

    With ``network_degradation`` the composite's transport efficiency falls with the
    NMC-SE contact lost, :math:`1 - r` (:math:`r` the contact retained fraction of the
    contact-loss submodel), and saturates:

    .. math:: B = B_0 \\left[1 - D_{max}\\left(1 - e^{-(1 - r)/x_D}\\right)\\right]

    (:math:`D_{max}` = "SE network damage saturation", the fraction of the composite's
    transport lost when the damage is complete, 0 = off; :math:`x_D` = "SE network damage
    contact-loss scale", the lost-contact fraction over which it develops). The volume
    changes that break NMC-SE contacts also break SE-SE contacts (section 2 of the paper:
    R_SE,GB rises with cycling, "attributed to the volume changes in the cell"); Table 3's
    SE-GB arc rises fast over the first ~30 charges and slowly afterwards, which a
    saturating damage follows and a power law of :math:`r` does not (docs/model.md §4).

    Parameters
    ----------
    param : pybamm.LithiumIonParameters
    options : pybamm.BatteryModelOptions
    network_degradation : bool, optional
    """

    def __init__(self, param, options=None, network_degradation=False):
        super().__init__(param, "Electrolyte", options=options)
        self.network_degradation = network_degradation

    def get_coupled_variables(self, variables):
        tor_dict = {}
        for domain in self.options.whole_cell_domains:
            Domain = domain.capitalize()
            if domain == "separator":
                b_sep = pybamm.Parameter("Separator numerical transport efficiency")
                tor_dict[domain] = pybamm.FullBroadcast(b_sep, "separator", "current collector")
            else:
                eps = variables[f"{Domain} porosity"]
                tor_dict[domain] = percolation_transport_efficiency(eps)
                if self.network_degradation:
                    retained = variables["Positive electrode contact retained fraction"]
                    tor_dict[domain] = tor_dict[domain] * network_damage_factor(retained)
        variables.update(self._get_standard_transport_efficiency_variables(tor_dict))

        eps_p = variables["Positive electrode porosity"]
        kappa = variables.get("Positive electrolyte transport efficiency")
        sigma_se = self.param.kappa_e(self.param.c_e_init_av, self.param.T_init)
        variables.update(
            {
                "Composite SE effective conductivity [S.m-1]": pybamm.x_average(sigma_se * kappa),
                "SE reduced fraction above percolation threshold": pybamm.x_average(
                    reduced_fraction(eps_p)
                ),
            }
        )
        return variables


class BruggemanWithLumpedSeparator(pybamm.transport_efficiency.Bruggeman):
    """PyBaMM's Bruggeman law in the composite, with the separator treated as in
    :class:`PercolationTransportEfficiency` (its resistance is in the lumped element)."""

    def __init__(self, param, options=None):
        super().__init__(param, "Electrolyte", options=options)

    def get_coupled_variables(self, variables):
        variables = super().get_coupled_variables(variables)
        tor_dict = {}
        for domain in self.options.whole_cell_domains:
            if domain == "separator":
                b_sep = pybamm.Parameter("Separator numerical transport efficiency")
                tor_dict[domain] = pybamm.FullBroadcast(b_sep, "separator", "current collector")
            else:
                short = domain.split()[0].capitalize()
                tor_dict[domain] = variables[f"{short} electrolyte transport efficiency"]
        variables.update(self._get_standard_transport_efficiency_variables(tor_dict))
        kappa = variables["Positive electrolyte transport efficiency"]
        sigma_se = self.param.kappa_e(self.param.c_e_init_av, self.param.T_init)
        variables["Composite SE effective conductivity [S.m-1]"] = pybamm.x_average(
            sigma_se * kappa
        )
        return variables


class PercolatedActiveMaterial(pybamm.active_material.BaseModel):
    """Constant active-material volume fraction reduced by the percolation utilisation.

    The electrochemically active NMC volume fraction is
    :math:`\\varepsilon_{AM} = u_{AM}\\,\\varepsilon_{NMC}`; isolated particles hold
    lithium that can neither be extracted nor reinserted. Capacities in mAh/g are still
    normalised by the total NMC mass, as in the paper.
    """

    def __init__(self, param, options, phase="primary"):
        super().__init__(param, "positive", options=options, phase=phase)

    def get_fundamental_variables(self):
        eps_nmc = self.phase_param.epsilon_s
        u_am = active_material_utilisation(self.domain_param.epsilon_init)
        variables = self._get_standard_active_material_variables(u_am * eps_nmc)
        zero = pybamm.FullBroadcast(0, "positive electrode", "current collector")
        variables.update(self._get_standard_active_material_change_variables(zero))
        variables.update(
            {
                "Positive electrode active material utilisation": u_am,
                "X-averaged positive electrode active material utilisation": pybamm.x_average(u_am),
                "Loss of lithium due to loss of active material in positive electrode [mol]": (
                    pybamm.Scalar(0)
                ),
            }
        )
        return variables
