"""SE/cathode interface: coating, interphase (CEI), charge transfer and double layer.

All interfacial quantities are per unit *contact* area between NMC and SE. The contact
area per electrode volume is :math:`a\\,\\theta_c`, with :math:`a = 3\\varepsilon_{AM}/R_p`
and :math:`\\theta_c` the contact fraction (PyBaMM's constant "interface utilisation").

Film resistance (coating + interphase), in series with charge transfer:

.. math::
    R_{film} = \\frac{L_{coat}}{\\sigma_{coat}} + \\frac{L_{CEI}}{\\sigma_{CEI}}
    \\quad [\\Omega\\,m^2]

Charge transfer through the film (symmetric Butler–Volmer, per contact area):

.. math::
    j_c = 2 j_0 \\sinh\\left(\\frac{F(\\Delta\\phi - U - j_c R_{film})}{2RT}\\right),
    \\qquad j = \\theta_c\\, j_c

:math:`j_c` appears on both sides, so it is an algebraic state. The double layer is
PyBaMM's surface form (``"surface form": "differential"``) with a capacitance per
geometric particle area of :math:`\\theta_c C_{dl,c}` (set in the parameter set).

Lumped interface resistance, comparable with the paper's :math:`R_{SE/Cat}`:

.. math::
    R_{SE/Cat} = \\left(A \\int_0^{L_p} \\frac{a\\,\\theta_c}{RT/(F j_0) + R_{film}}
    \\,dx\\right)^{-1}
"""

import pybamm


class InterfaceFilm(pybamm.BaseSubModel):
    """Coating and interphase film resistance per contact area, and R_SE/Cat in ohm.

    Parameters
    ----------
    param : pybamm.LithiumIonParameters
    options : pybamm.BatteryModelOptions, optional
    """

    def get_coupled_variables(self, variables):
        l_coat = pybamm.Parameter("Coating thickness [m]")
        sigma_coat = pybamm.Parameter("Coating ionic conductivity [S.m-1]")
        sigma_cei = pybamm.Parameter("Interphase ionic conductivity [S.m-1]")
        l_cei = variables["Positive electrode interphase thickness [m]"]

        r_coat = l_coat / sigma_coat
        r_cei = l_cei / sigma_cei
        r_film = r_coat + r_cei
        variables.update(
            {
                "Positive electrode coating resistance [Ohm.m2]": r_coat,
                "Positive electrode interphase resistance [Ohm.m2]": r_cei,
                "X-averaged positive electrode interphase resistance [Ohm.m2]": (
                    pybamm.x_average(r_cei)
                ),
                "Positive electrode interface film resistance [Ohm.m2]": r_film,
            }
        )
        variables.update(self._lumped_interface_resistance(variables, r_film))
        return variables

    def _lumped_interface_resistance(self, variables, r_film):
        j0 = variables["Positive electrode exchange current density [A.m-2]"]
        a = variables["Positive electrode surface area to volume ratio [m-1]"]
        u = variables["Positive electrode interface utilisation"]
        T = variables["Positive electrode temperature [K]"]
        r_ct = self.param.R * T / (self.param.F * j0)
        conductance = pybamm.x_average(a * u / (r_ct + r_film)) * self.param.p.L
        r_total = 1 / (conductance * self.param.A_cc)
        r_ct_only = 1 / (pybamm.x_average(a * u / r_ct) * self.param.p.L * self.param.A_cc)
        return {
            "Positive electrode charge-transfer resistance [Ohm.m2]": r_ct,
            "SE/cathode interface resistance [Ohm]": r_total,
            # the same without "/": usable as an IDAKLU output variable (a casadi name)
            "SE-cathode interface resistance [Ohm]": r_total,
            "SE/cathode charge-transfer resistance [Ohm]": r_ct_only,
        }


class NoInterfaceFilm(InterfaceFilm):
    """Neutral setting: no coating or interphase resistance (PyBaMM's bare interface)."""

    def get_coupled_variables(self, variables):
        zero = pybamm.FullBroadcast(0, "positive electrode", "current collector")
        variables.update(
            {
                "Positive electrode coating resistance [Ohm.m2]": zero,
                "Positive electrode interphase resistance [Ohm.m2]": zero,
                "X-averaged positive electrode interphase resistance [Ohm.m2]": (pybamm.Scalar(0)),
                "Positive electrode interface film resistance [Ohm.m2]": zero,
            }
        )
        variables.update(self._lumped_interface_resistance(variables, zero))
        return variables


class FilmButlerVolmer(pybamm.kinetics.SymmetricButlerVolmer):
    """Symmetric Butler–Volmer kinetics behind a resistive film, per contact area.

    The contact-area current density :math:`j_c` is an algebraic state so that the film
    drop :math:`j_c R_{film}` can be subtracted from the overpotential exactly.
    """

    _J_NAME = "Positive electrode contact-area interfacial current density [A.m-2]"

    def __init__(self, param, options):
        super().__init__(param, "positive", "lithium-ion main", options, "primary")

    def get_fundamental_variables(self):
        variables = super().get_fundamental_variables()
        j_c = pybamm.Variable(
            self._J_NAME,
            domain="positive electrode",
            auxiliary_domains={"secondary": "current collector"},
        )
        variables[self._J_NAME] = j_c
        return variables

    def get_coupled_variables(self, variables):
        r_film = variables["Positive electrode interface film resistance [Ohm.m2]"]
        self._eta_film = variables[self._J_NAME] * r_film
        variables = super().get_coupled_variables(variables)
        variables.update(
            {
                "Positive electrode interface film overpotential [V]": self._eta_film,
                "X-averaged positive electrode interface film overpotential [V]": (
                    pybamm.x_average(self._eta_film)
                ),
            }
        )
        return variables

    def _get_kinetics(self, j0, ne, eta_r, T, u):
        return super()._get_kinetics(j0, ne, eta_r - self._eta_film, T, u)

    def _get_standard_overpotential_variables(self, eta_r):
        # report the charge-transfer part only; the film drop has its own variable
        return super()._get_standard_overpotential_variables(eta_r - self._eta_film)

    def set_algebraic(self, variables):
        super().set_algebraic(variables)
        j_c = variables[self._J_NAME]
        j = variables["Positive electrode interfacial current density [A.m-2]"]
        u = variables["Positive electrode interface utilisation"]
        self.algebraic[j_c] = j_c * u - j

    def set_initial_conditions(self, variables):
        super().set_initial_conditions(variables)
        self.initial_conditions[variables[self._J_NAME]] = pybamm.Scalar(0)
