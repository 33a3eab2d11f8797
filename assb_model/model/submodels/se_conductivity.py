"""Charge conservation in a single-ion conducting solid electrolyte.

With only Li+ mobile (transference number 1) and a fixed Li+ concentration, Ohm's law
holds in the SE without a diffusion potential:

.. math::
    i_e = -\\kappa_{eff} \\nabla\\phi_e, \\qquad
    \\nabla\\cdot i_e = \\sum_k a j_k, \\qquad \\kappa_{eff} = \\sigma_{SE}\\,\\mathcal{B}

This is PyBaMM's full electrolyte conductivity with the concentration term removed. The
flux is written as a product of the conductivity and a bare gradient so that PyBaMM's
finite-volume method takes the *harmonic* mean of the conductivity at cell faces. That
matters here: the conductivity jumps by up to 10^4 between the (resistance-free)
separator domain and the composite, and an arithmetic mean at the interface face would
short-circuit half a composite cell (an error of ~2 % of the composite resistance with
24 cells, which vanishes only as the mesh is refined).
"""

import pybamm


class SingleIonConductivity(pybamm.electrolyte_conductivity.Full):
    """Ohm's law in a single-ion conducting SE (see module docstring)."""

    def get_coupled_variables(self, variables):
        T = variables["Cell temperature [K]"]
        tor = variables["Electrolyte transport efficiency"]
        c_e = variables["Electrolyte concentration [mol.m-3]"]
        phi_e = variables["Electrolyte potential [V]"]

        kappa_eff = self.param.kappa_e(c_e, T) * tor
        i_e = -kappa_eff * pybamm.grad(phi_e)
        i_e.print_name = "i_e"

        variables.update(self._get_standard_current_variables(i_e))
        variables.update(self._get_electrolyte_overpotentials(variables))
        return variables
