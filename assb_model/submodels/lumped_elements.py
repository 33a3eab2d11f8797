"""Lumped SE bulk and grain-boundary elements, R_SE‖C_SE and R_GB‖C_GB in series.

The paper resolves four processes by impedance (Table 2, Figure 5e): SE bulk, SE grain
boundary, SE/cathode interface and SE/anode interface. The two SE processes of the
separator pellet are lumped here; the interfaces are resolved by the electrochemical
submodels. The separator's ionic resistance is counted once, in the bulk element
(:class:`assb_model.submodels.percolation.PercolationTransportEfficiency` makes the
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
    """

    def __init__(self, param, form="resistive", options=None):
        super().__init__(param, options=options)
        if form not in ("resistive", "capacitive", "none"):
            raise pybamm.OptionError(f"lumped SE elements form '{form}' is unknown")
        self.form = form

    def get_fundamental_variables(self):
        variables = {}
        if self.form == "capacitive":
            for name, _, _ in ELEMENTS.values():
                v = pybamm.Variable(f"{name} element voltage [V]")
                variables[f"{name} element voltage [V]"] = v
        return variables

    def get_coupled_variables(self, variables):
        if self.form == "none":
            variables["SE lumped elements overpotential [V]"] = pybamm.Scalar(0)
            return variables
        current = variables["Current [A]"]
        total = 0
        for name, r_name, c_name in ELEMENTS.values():
            r = pybamm.Parameter(r_name)
            variables[f"{name} resistance [Ohm]"] = r
            variables[f"{name} capacitance [F]"] = pybamm.Parameter(c_name)
            if self.form == "resistive":
                variables[f"{name} element voltage [V]"] = current * r
            total = total + variables[f"{name} element voltage [V]"]
        variables["SE lumped elements overpotential [V]"] = total
        return variables

    def set_rhs(self, variables):
        if self.form != "capacitive":
            return
        current = variables["Current [A]"]
        for name, r_name, c_name in ELEMENTS.values():
            v = variables[f"{name} element voltage [V]"]
            r = pybamm.Parameter(r_name)
            c = pybamm.Parameter(c_name)
            self.rhs[v] = (current * r - v) / (r * c)

    def set_initial_conditions(self, variables):
        if self.form != "capacitive":
            return
        for name, _, _ in ELEMENTS.values():
            v = variables[f"{name} element voltage [V]"]
            self.initial_conditions[v] = pybamm.Scalar(0)
