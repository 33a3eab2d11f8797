"""Li–In counter electrode and the cell voltage vs Li–In.

The Li–In alloy is a two-phase electrode with a flat potential
:math:`U_{LiIn}` vs Li (default 0.62 V). Its SE/anode interface is PyBaMM's lithium-metal
interface (symmetric Butler–Volmer with exchange-current density :math:`j_{0,an}`, and a
double layer :math:`C_{dl,an}` in the differential surface form), parameterised from the
paper's :math:`R_{SE/An}` and :math:`C_{eff,SE/An}`:

.. math::
    R_{SE/An} = \\frac{RT}{F u_{an} j_{0,an} A}

(:math:`u_{an}` the lithium-metal interface utilisation: 1, or growing with the charge
passed under the "counter electrode degradation" option, see
:class:`assb_model.model.submodels.degradation.AnodeContactGain`)

The cycler measures the cell against Li–In, so

.. math::
    V = \\phi_{s,cc}^{+} - U_{LiIn} - V_{SE} - V_{GB}

where :math:`\\phi_{s,cc}^{+}` is PyBaMM's positive current-collector potential with the
lithium-metal counter electrode as reference (it already contains the anode
overpotential) and :math:`V_{SE}, V_{GB}` are the lumped element voltages. The cathode
potential vs Li is reported as "Cathode potential vs Li [V]" :math:`= V + U_{LiIn}` (the
cycler-scale conversion the paper uses).
"""

import pybamm


class CounterElectrodeVariables(pybamm.BaseSubModel):
    """Derived variables of the counter electrode (potential, interface resistance).

    Parameters
    ----------
    param : pybamm.LithiumIonParameters
    counter : str
        "Li-In" (offset :math:`U_{LiIn}`) or "lithium metal" (offset 0).
    options : pybamm.BatteryModelOptions, optional
    """

    def __init__(self, param, counter="Li-In", options=None):
        super().__init__(param, options=options)
        self.counter = counter

    def get_coupled_variables(self, variables):
        if self.counter == "Li-In":
            u_ce = pybamm.Parameter("Li-In counter electrode potential vs Li [V]")
        else:
            u_ce = pybamm.Scalar(0)
        T = variables["X-averaged cell temperature [K]"]
        j0 = variables["Lithium metal interface exchange current density [A.m-2]"]
        u = variables["Lithium metal interface utilisation"]
        variables.update(
            {
                "Counter electrode potential vs Li [V]": u_ce,
                "SE/anode interface resistance [Ohm]": (
                    self.param.R * T / (self.param.F * u * j0 * self.param.A_cc)
                ),
            }
        )
        return variables


class CellVoltageMixin:
    """Subtract the counter-electrode offset and the lumped SE elements from PyBaMM's
    positive current-collector potential to obtain the voltage the cycler measures."""

    def _get_standard_whole_cell_variables(self, variables):
        variables = super()._get_standard_whole_cell_variables(variables)
        offset = (
            variables["Counter electrode potential vs Li [V]"]
            + variables["SE lumped elements overpotential [V]"]
        )
        names = ["Voltage expression [V]", "Terminal voltage [V]"]
        if self.options["voltage as a state"] == "false":
            names.append("Voltage [V]")
        for name in names:
            variables[name] = variables[name] - offset
        variables["Cathode potential vs Li [V]"] = (
            variables["Voltage expression [V]"] + variables["Counter electrode potential vs Li [V]"]
        )
        return variables


class FullOhmCellVoltage(CellVoltageMixin, pybamm.electrode.ohm.Full):
    """PyBaMM's Ohm's-law electrode with the cell voltage measured vs Li–In."""


class SurfaceFormCellVoltage(CellVoltageMixin, pybamm.electrode.ohm.SurfaceForm):
    """PyBaMM's surface-form electrode with the cell voltage measured vs Li–In."""
