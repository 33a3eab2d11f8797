"""Lumped SE elements: the bulk R_SE‖C_SE and, optionally, a grain-boundary R_GB‖C_GB.

The paper resolves four processes by impedance (Table 2, Figure 5e): SE bulk, SE grain
boundary, SE/cathode interface and SE/anode interface. The SE bulk of the separator
pellet is lumped here; the interfaces are resolved by the electrochemical submodels.
By default (option "SE grain boundary": "composite") the paper's SE-GB arc (µF,
10–30 kHz) is the composite cathode's distributed ionic resistance charging the
SE/NMC double layer, which the porous-electrode model already contains
(``docs/model.md`` §5); with "lumped" a separate R_GB‖C_GB element is added.
The separator's ionic resistance is counted once, in the bulk element
(:class:`assb_model.model.submodels.percolation.PercolationTransportEfficiency` makes the
separator domain itself resistance-free).

For each element :math:`k \\in \\{SE, GB\\}` with voltage :math:`V_k`:

.. math::
    R_k C_k \\frac{dV_k}{dt} = I R_k - V_k \\quad \\text{("capacitive")}, \\qquad
    V_k = I R_k \\quad \\text{("resistive")}

The time constants R_k C_k are 1e-8–1e-4 s; in time-domain cycling runs the
"resistive" form is the default (no stiff states), and the "capacitive" form is used for
impedance.
"""

import pybamm

ELEMENTS = {
    "bulk": ("SE bulk", "SE bulk resistance [Ohm]", "SE bulk capacitance [F]"),
    "grain boundary": (
        "SE grain-boundary",
        "SE grain-boundary resistance [Ohm]",
        "SE grain-boundary capacitance [F]",
    ),
}


class LumpedSEElements(pybamm.BaseSubModel):
    """Series R‖C elements for the SE bulk and grain boundaries.

    Parameters
    ----------
    param : pybamm.LithiumIonParameters
    form : str
        "resistive" (V = I R, no state), "capacitive" (one ODE per element) or "none"
        (no elements: zero overpotential, no parameters needed).
    options : pybamm.BatteryModelOptions, optional
    grain_boundary : bool, optional
        Add the grain-boundary element (default False: bulk only).
    degradation : bool, optional
        The bulk resistance grows as the NMC-SE contact retained fraction :math:`r` of the
        contact-loss submodel falls, :math:`R_{SE} = R_{SE,0} r^{-m_s}`
        (m_s = "Separator degradation exponent"; the paper attributes the rise of R_SE
        with cycling to "volume changes in the cell", section 2).
    """

    def __init__(
        self, param, form="resistive", options=None, grain_boundary=False, degradation=False
    ):
        super().__init__(param, options=options)
        self.degradation = degradation
        if form not in ("resistive", "capacitive", "none"):
            raise pybamm.OptionError(f"lumped SE elements form '{form}' is unknown")
        self.form = form
        self.elements = [ELEMENTS["bulk"]]
        if grain_boundary:
            self.elements.append(ELEMENTS["grain boundary"])

    def get_fundamental_variables(self):
        variables = {}
        if self.form == "capacitive":
            for name, _, _ in self.elements:
                v = pybamm.Variable(f"{name} element voltage [V]")
                variables[f"{name} element voltage [V]"] = v
        return variables

    def get_coupled_variables(self, variables):
        if self.form == "none":
            variables["SE lumped elements overpotential [V]"] = pybamm.Scalar(0)
            return variables
        current = variables["Current [A]"]
        total = 0
        for name, r_name, c_name in self.elements:
            r = self._resistance(name, r_name, variables)
            variables[f"{name} resistance [Ohm]"] = r
            variables[f"{name} capacitance [F]"] = pybamm.Parameter(c_name)
            if self.form == "resistive":
                variables[f"{name} element voltage [V]"] = current * r
            total = total + variables[f"{name} element voltage [V]"]
        variables["SE lumped elements overpotential [V]"] = total
        return variables

    def _resistance(self, name, r_name, variables):
        r = pybamm.Parameter(r_name)
        if self.degradation and name == "SE bulk":
            retained = variables["X-averaged positive electrode contact retained fraction"]
            r = r * retained ** (-pybamm.Parameter("Separator degradation exponent"))
        return r

    def set_rhs(self, variables):
        if self.form != "capacitive":
            return
        current = variables["Current [A]"]
        for name, _, c_name in self.elements:
            v = variables[f"{name} element voltage [V]"]
            r = variables[f"{name} resistance [Ohm]"]
            c = pybamm.Parameter(c_name)
            self.rhs[v] = (current * r - v) / (r * c)

    def set_initial_conditions(self, variables):
        if self.form != "capacitive":
            return
        for name, _, _ in self.elements:
            v = variables[f"{name} element voltage [V]"]
            self.initial_conditions[v] = pybamm.Scalar(0)
