"""Degradation: SE oxidation / interphase growth and contact loss at the cathode, and the
Li–In/SE contact that grows with lithium deposition at the anode (:class:`AnodeContactGain`).

PyBaMM's SEI laws are reductive (anode) and share parameters between electrodes; the
laws here are written for the oxide-cathode/sulfide-SE interface.

Interphase growth (SE oxidation at the NMC and carbon contacts)
---------------------------------------------------------------
The sulfide SE is oxidised where an electronic conductor touches it and the local
potential vs Li, :math:`\\Delta\\phi = \\phi_s - \\phi_e`, exceeds its oxidative stability
limit :math:`U_{ox}`: at the NMC|SE contacts and at the carbon|SE contacts. The electrons
must cross the films between the conductor and the SE — the coating (on NMC only) and the
interphase already grown — and an electronically insulating film suppresses the transfer
exponentially with its thickness (tunnelling, decay length :math:`\\lambda`, one length
for the coating and the interphase):

.. math::
    j_{ox} = k_{ox}\\, e^{-(L_{coat} + L_{CEI})/\\lambda}\\,
    \\exp\\left(\\beta_{ox} F (\\Delta\\phi - U_{ox}) / RT\\right), \\qquad
    \\frac{dL_{CEI}}{dt} = \\frac{\\bar V_{CEI}}{F} j_{ox}

and the same at the carbon contacts without a coating, with their own interphase
:math:`L_C` (Cabrera–Mott-like logarithmic growth: a film that passivates by blocking
electrons, not by slowing ion transport). The coating therefore suppresses the first
oxidation at the NMC contacts by :math:`e^{-L_{coat}/\\lambda}`: the paper's "the LS
coating was effective in blocking the initial interfacial reactions" (section 4).

Both currents are anodic side currents (PyBaMM sign: positive) passed through PyBaMM's
positive-electrode "SEI" reaction slot, so that they take part of the charging current
(first-cycle coulombic efficiency below one) without consuming cyclable lithium from the
NMC. Only the NMC-contact interphase is resistive for the cell (it sits in series with the
charge transfer, :mod:`assb_model.model.submodels.interface`): the carbon-contact
interphase passes charge irreversibly without raising :math:`R_{SE/Cat}` — the
"parasitic-charge path consistent with the impedance".

Contact loss (chemo-mechanical, Koerver et al. 2017)
----------------------------------------------------
NMC particles lose contact with the SE in proportion to their lithiation swing. With
:math:`\\varepsilon_{AM}` the connected active-material fraction,

.. math::
    \\frac{d\\varepsilon_{AM}}{dt} = -k_{cl}\\, \\varepsilon_{AM}
    \\frac{3 |j|}{R_p c_{max} F}

so :math:`k_{cl}` is the fraction of contact lost per unit stoichiometry swing.
"""

import pybamm

from assb_model.model.submodels.percolation import active_material_utilisation


class InterphaseGrowth(pybamm.sei.NoSEI):
    """SE oxidation at the cathode contact area and the resulting interphase thickness.

    Parameters
    ----------
    param : pybamm.LithiumIonParameters
    options : pybamm.BatteryModelOptions
    growth : bool
        If False, the interphase keeps its initial thickness (no side current).
    """

    def __init__(self, param, options, growth=True):
        super().__init__(param, "positive", options, phase="primary")
        self.growth = growth

    @staticmethod
    def _thickness(name):
        """A film-thickness state per node of the composite (scaled to nm)."""
        return pybamm.Variable(
            name,
            domain="positive electrode",
            auxiliary_domains={"secondary": "current collector"},
            scale=1e-9,
        )

    def get_fundamental_variables(self):
        variables = super().get_fundamental_variables()
        if self.growth:
            l_cei = self._thickness("Positive electrode interphase thickness [m]")
            l_c = self._thickness("Positive electrode carbon-SE interphase thickness [m]")
        else:
            l_cei = pybamm.FullBroadcast(
                pybamm.Parameter("Initial interphase thickness [m]"),
                "positive electrode",
                "current collector",
            )
            l_c = pybamm.FullBroadcast(0, "positive electrode", "current collector")
        variables.update(
            {
                "Positive electrode interphase thickness [m]": l_cei,
                "X-averaged positive electrode interphase thickness [m]": pybamm.x_average(l_cei),
                "Positive electrode carbon-SE interphase thickness [m]": l_c,
                "X-averaged positive electrode carbon-SE interphase thickness [m]": (
                    pybamm.x_average(l_c)
                ),
            }
        )
        return variables

    def get_coupled_variables(self, variables):
        if not self.growth:
            zero = pybamm.FullBroadcast(0, "positive electrode", "current collector")
            variables["Positive electrode SE oxidation current density [A.m-2]"] = zero
            variables["Carbon-SE oxidation current density [A.m-2]"] = zero
            variables["NMC-SE oxidation current [A]"] = pybamm.Scalar(0)
            variables["Carbon-SE oxidation current [A]"] = pybamm.Scalar(0)
            return super().get_coupled_variables(variables)

        param = self.param
        delta_phi = variables["Positive electrode surface potential difference [V]"]
        T = variables["Positive electrode temperature [K]"]
        u = variables["Positive electrode interface utilisation"]
        l_cei = variables["Positive electrode interphase thickness [m]"]

        k_ox = pybamm.Parameter("SE oxidation rate constant [A.m-2]")
        beta = pybamm.Parameter("SE oxidation transfer coefficient")
        u_ox = pybamm.Parameter("SE oxidative stability limit vs Li [V]")
        l_coat = pybamm.Parameter("Coating thickness [m]")
        lam = pybamm.Parameter("Film electron-blocking length [m]")
        a_c = pybamm.Parameter("Carbon-SE contact area per volume [m-1]")
        l_c = variables["Positive electrode carbon-SE interphase thickness [m]"]

        arg = beta * param.F * (delta_phi - u_ox) / (param.R * T)
        # cap the exponent: beyond ~5 V vs Li the law is extrapolated anyway, and an
        # unbounded exponential only makes the solver fail
        driving = k_ox * pybamm.exp(pybamm.minimum(arg, 50))
        j_ox = driving * pybamm.exp(-(l_coat + l_cei) / lam)
        j_ox_c = driving * pybamm.exp(-l_c / lam)
        # PyBaMM's SEI slot is per particle area a = 3 eps / R: the NMC contacts are the
        # fraction u of it, the carbon contacts add a_c j_c per electrode volume
        eps_am = variables["Positive electrode active material volume fraction"]
        a_p = 3 * eps_am / self.phase_param.R
        j_sei = u * j_ox + a_c * j_ox_c / a_p
        variables.update(self._get_standard_reaction_variables(j_sei))
        volume = self.param.p.L * self.param.A_cc
        a_nmc = a_p * u
        variables.update(
            {
                "Positive electrode SE oxidation current density [A.m-2]": j_ox,
                "X-averaged positive electrode SE oxidation current density [A.m-2]": (
                    pybamm.x_average(j_ox)
                ),
                "Carbon-SE oxidation current density [A.m-2]": j_ox_c,
                "NMC-SE oxidation current [A]": pybamm.x_average(a_nmc * j_ox) * volume,
                "Carbon-SE oxidation current [A]": pybamm.x_average(a_c * j_ox_c) * volume,
            }
        )
        return super().get_coupled_variables(variables)

    def set_rhs(self, variables):
        if not self.growth:
            return
        l_cei = variables["Positive electrode interphase thickness [m]"]
        j_ox = variables["Positive electrode SE oxidation current density [A.m-2]"]
        l_c = variables["Positive electrode carbon-SE interphase thickness [m]"]
        j_ox_c = variables["Carbon-SE oxidation current density [A.m-2]"]
        v_bar = pybamm.Parameter("Interphase molar volume [m3.mol-1]")
        self.rhs[l_cei] = v_bar * j_ox / self.param.F
        self.rhs[l_c] = v_bar * j_ox_c / self.param.F

    def set_initial_conditions(self, variables):
        if not self.growth:
            return
        l_cei = variables["Positive electrode interphase thickness [m]"]
        self.initial_conditions[l_cei] = pybamm.Parameter("Initial interphase thickness [m]")
        l_c = variables["Positive electrode carbon-SE interphase thickness [m]"]
        self.initial_conditions[l_c] = pybamm.Scalar(0)


def initial_connected_fraction(param, percolation_utilisation=True):
    """Initial volume fraction of NMC connected to the SE: :math:`u_{AM}\\varepsilon_{NMC}`
    (percolation utilisation) or all of it; the reference of the contact retained
    fraction :math:`r = \\varepsilon_{AM}/\\varepsilon_{AM,0}`."""
    eps_nmc = param.p.prim.epsilon_s
    if percolation_utilisation:
        return active_material_utilisation(param.p.epsilon_init) * eps_nmc
    return eps_nmc


class InterfaceContactLoss(pybamm.interface_utilisation.BaseModel):
    """NMC–SE contact fraction that shrinks with the lost contact (interfacial debonding).

    .. math:: \\theta_c = \\theta_{c,0}\\, r^{m_\\theta}

    with :math:`r` the contact retained fraction of :class:`ContactLoss` and
    :math:`m_\\theta` = "Interface contact degradation exponent" (0: constant contact
    fraction). The volume changes that isolate whole particles first shrink the contact
    of the connected ones (Koerver et al. 2017), which raises R_SE/Cat with cycling in
    addition to the interphase growth; it does not remove capacity by itself.

    Parameters
    ----------
    param : pybamm.LithiumIonParameters
    options : pybamm.BatteryModelOptions
    percolation_utilisation : bool
        As for :class:`ContactLoss` (the initial connected fraction).
    """

    def __init__(self, param, options, percolation_utilisation=True):
        super().__init__(param, "positive", options)
        self.percolation_utilisation = percolation_utilisation

    def get_coupled_variables(self, variables):
        # r from the state itself (ContactLoss's own variable needs the interfacial
        # current, which needs this utilisation)
        eps = variables["Positive electrode active material volume fraction"]
        retained = eps / initial_connected_fraction(self.param, self.percolation_utilisation)
        m = pybamm.Parameter("Interface contact degradation exponent")
        u = self.domain_param.u_init * retained**m
        variables.update(self._get_standard_interface_utilisation_variables(u))
        return variables


class ContactLoss(pybamm.active_material.BaseModel):
    """Loss of NMC–SE contact driven by the lithiation swing (module docstring).

    The lithium held by particles when they lose contact stays in them (it is stranded,
    not lost): its concentration per electrode volume, :math:`s`, grows as

    .. math:: \\frac{ds}{dt} = -\\bar c_s \\frac{d\\varepsilon_{AM}}{dt}

    with :math:`\\bar c_s` the particles' r-averaged concentration at the same place, and
    "Loss of lithium due to loss of active material in positive electrode [mol]" is
    :math:`L A\\,\\bar s^x`. PyBaMM's ``LossActiveMaterial`` books the same lithium in one
    state whose rate depends on every particle concentration of the electrode (a dense
    row of the Jacobian); one state per node depends only on its own particle, which keeps
    the Jacobian sparse (docs/performance.md).

    Parameters
    ----------
    param : pybamm.LithiumIonParameters
    options : pybamm.BatteryModelOptions
    percolation_utilisation : bool
        If True the initial connected fraction is the percolation utilisation
        :func:`assb_model.model.submodels.percolation.active_material_utilisation`.
    """

    def __init__(self, param, options, percolation_utilisation=True):
        super().__init__(param, "positive", options=options, phase="primary")
        self.percolation_utilisation = percolation_utilisation

    def _initial_fraction(self):
        return initial_connected_fraction(self.param, self.percolation_utilisation)

    def get_fundamental_variables(self):
        domain = {
            "domain": "positive electrode",
            "auxiliary_domains": {"secondary": "current collector"},
        }
        eps = pybamm.Variable("Positive electrode active material volume fraction", **domain)
        stranded = pybamm.Variable(
            "Positive electrode stranded lithium concentration [mol.m-3]", scale=1e3, **domain
        )
        variables = self._get_standard_active_material_variables(eps)
        volume = self.domain_param.L * self.param.A_cc
        variables.update(
            {
                "Positive electrode stranded lithium concentration [mol.m-3]": stranded,
                "Loss of lithium due to loss of active material in positive electrode [mol]": (
                    volume * pybamm.x_average(stranded)
                ),
            }
        )
        return variables

    def get_coupled_variables(self, variables):
        eps = variables["Positive electrode active material volume fraction"]
        j = variables["Positive electrode interfacial current density [A.m-2]"]
        k_cl = pybamm.Parameter("Contact loss coefficient")
        r_p = self.phase_param.R
        c_max = self.phase_param.c_max
        deps_dt = -k_cl * eps * 3 * pybamm.AbsoluteValue(j) / (r_p * c_max * self.param.F)
        variables.update(self._get_standard_active_material_change_variables(deps_dt))
        eps0 = self._initial_fraction()
        variables.update(
            {
                "Positive electrode active material utilisation": eps / self.phase_param.epsilon_s,
                "X-averaged positive electrode active material utilisation": (
                    pybamm.x_average(eps / self.phase_param.epsilon_s)
                ),
                "Positive electrode contact retained fraction": eps / eps0,
                "X-averaged positive electrode contact retained fraction": pybamm.x_average(
                    eps / eps0
                ),
            }
        )
        return variables

    def set_rhs(self, variables):
        eps = variables["Positive electrode active material volume fraction"]
        stranded = variables["Positive electrode stranded lithium concentration [mol.m-3]"]
        deps_dt = variables["Positive electrode active material volume fraction change [s-1]"]
        c_s_rav = variables["R-averaged positive particle concentration [mol.m-3]"]
        self.rhs = {eps: deps_dt, stranded: -c_s_rav * deps_dt}

    def set_initial_conditions(self, variables):
        eps = variables["Positive electrode active material volume fraction"]
        stranded = variables["Positive electrode stranded lithium concentration [mol.m-3]"]
        self.initial_conditions = {eps: self._initial_fraction(), stranded: pybamm.Scalar(0)}


class AnodeContactGain(pybamm.interface_utilisation.BaseModel):
    """Li–In/SE contact that grows with the charge passed (lithium deposition).

    .. math:: u_{an} = 1 + g_{an}\\, \\frac{Q_t}{A}

    with :math:`Q_t` PyBaMM's "Throughput capacity [A.h]", :math:`A` the electrode area
    and :math:`g_{an}` = "Li-In interface contact gain [m2.A-1.h-1]" (0: constant). The
    utilisation multiplies the lithium-metal exchange current, so
    :math:`R_{SE/An} = R_{SE/An,0}/u_{an}`. Section 2 of the paper: "R_SE/An decreases,
    because lithium deposition during cycling" improves the anode interface (Table 3:
    57.4 → 52.3 Ω from the 2nd to the 130th charge). Linear in throughput: one constant
    for one observed trend; it is not meant for extrapolation far beyond 130 cycles.

    Parameters
    ----------
    param : pybamm.LithiumIonParameters
    options : pybamm.BatteryModelOptions
    """

    def __init__(self, param, options):
        super().__init__(param, "negative", options)

    def get_coupled_variables(self, variables):
        q_t = variables["Throughput capacity [A.h]"]
        gain = pybamm.Parameter("Li-In interface contact gain [m2.A-1.h-1]")
        u = 1 + gain * q_t / self.param.A_cc
        variables.update(self._get_standard_interface_utilisation_variables(u))
        return variables
