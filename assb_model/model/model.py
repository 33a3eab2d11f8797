"""The composite-cathode all-solid-state battery model, :class:`ASSBModel`."""

import pybamm

from assb_model.errors import UserError
from assb_model.model.submodels.counter_electrode import (
    CounterElectrodeVariables,
    FullOhmCellVoltage,
    SurfaceFormCellVoltage,
)
from assb_model.model.submodels.degradation import (
    AnodeContactGain,
    ContactLoss,
    InterfaceContactLoss,
    InterphaseGrowth,
)
from assb_model.model.submodels.interface import FilmButlerVolmer, InterfaceFilm, NoInterfaceFilm
from assb_model.model.submodels.lumped_elements import LumpedSEElements
from assb_model.model.submodels.percolation import (
    BruggemanWithLumpedSeparator,
    PercolatedActiveMaterial,
    PercolationTransportEfficiency,
)
from assb_model.model.submodels.se_conductivity import SingleIonConductivity

#: The model's own options, their allowed values (first = default) and meaning.
ASSB_OPTIONS = {
    "SE conductivity": ("percolation", "Bruggeman"),
    "active material utilisation": ("percolation", "full"),
    "cathode interface": ("coating and interphase", "none"),
    "interphase growth": ("SE oxidation", "none"),
    "contact loss": ("chemo-mechanical", "none"),
    "lumped SE elements": ("resistive", "capacitive", "none"),
    "SE grain boundary": ("composite", "lumped"),
    "counter electrode": ("Li-In", "lithium metal"),
    "counter electrode degradation": ("Li deposition", "none"),
    "SE transport": ("single-ion", "full"),
}


class OptionError(UserError, pybamm.OptionError):
    """An unknown model option or option value (one line naming it)."""


def _split_options(options):
    """Separate our options from PyBaMM's, validating ours."""
    options = dict(options or {})
    ours = {}
    for name, allowed in ASSB_OPTIONS.items():
        value = options.pop(name, allowed[0])
        if value not in allowed:
            raise OptionError(f"Option '{name}' must be one of {list(allowed)}, got '{value}'")
        ours[name] = value
    if options.get("working electrode", "positive") != "positive":
        raise OptionError("ASSBModel is a half-cell model: 'working electrode' is 'positive'")
    options["working electrode"] = "positive"
    if ours["cathode interface"] != "none":
        # the constant interface utilisation is the NMC-SE contact fraction
        options.setdefault("interface utilisation", ("full", "constant"))
    return ours, options


def check_options(options) -> None:
    """Raise :class:`OptionError` for an unknown option or value, ours or PyBaMM's, without
    building a model."""
    _, pybamm_options = _split_options(options)
    try:
        pybamm.BatteryModelOptions(pybamm_options)
    except pybamm.OptionError as exc:
        raise OptionError(" ".join(str(exc).split())) from None


class ASSBModel(pybamm.lithium_ion.DFN):
    """Composite-cathode sulfide all-solid-state cell: NMC | SE separator | Li–In.

    A PyBaMM half-cell DFN (``"working electrode": "positive"``) whose electrolyte is a
    single-ion conducting sulfide SE, with submodels for SE percolation, the coated
    SE/NMC interface, cathode degradation, lumped SE bulk/grain-boundary elements and
    the Li–In counter electrode. Equations: ``docs/model.md``.

    Parameters
    ----------
    options : dict, optional
        PyBaMM options plus the model's own (:data:`ASSB_OPTIONS`; first value is the
        default):

        - "SE conductivity": "percolation" | "Bruggeman" (PyBaMM's own law)
        - "active material utilisation": "percolation" | "full"
        - "cathode interface": "coating and interphase" | "none" (bare PyBaMM kinetics)
        - "interphase growth": "SE oxidation" (the SE oxidised at the contacts grows the
          interphase, :class:`~assb_model.model.submodels.degradation.InterphaseGrowth`)
          | "none" (the interphase keeps its initial thickness)
        - "contact loss": "chemo-mechanical" (NMC-SE contact lost with the lithiation
          swing, and what follows from it: contact-area shrink, SE-network and separator
          damage; :class:`~assb_model.model.submodels.degradation.ContactLoss`) | "none"
        - "lumped SE elements": "resistive" | "capacitive" | "none"
        - "SE grain boundary": "composite" (the paper's SE-GB arc is the composite's
          distributed ionic resistance; no separate element) | "lumped" (an extra
          R_GB‖C_GB element in series, from "SE grain-boundary resistance [Ohm]")
        - "counter electrode": "Li-In" | "lithium metal"
        - "counter electrode degradation": "Li deposition" (the Li–In/SE contact grows
          with the charge passed, :class:`~assb_model.model.submodels.degradation.AnodeContactGain`)
          | "none"
        - "SE transport": "single-ion" (no SE concentration equation) | "full" (PyBaMM's
          electrolyte diffusion with transference number 1)
    name : str, optional
    build : bool, optional
    """

    def __init__(self, options=None, name="ASSB composite-cathode model", build=True):
        self.assb_options, pybamm_options = _split_options(options)
        try:
            super().__init__(pybamm_options, name=name, build=build)
        except pybamm.OptionError as exc:
            if isinstance(exc, OptionError):
                raise
            raise OptionError(" ".join(str(exc).split())) from None

    @property
    def _contact_loss(self):
        return self.assb_options["contact loss"] != "none"

    # --- SE transport -------------------------------------------------------------
    def set_electrolyte_concentration_submodel(self):
        if self.assb_options["SE transport"] == "single-ion":
            self.submodels["electrolyte diffusion"] = (
                pybamm.electrolyte_diffusion.ConstantConcentration(self.param, self.options)
            )
        else:
            super().set_electrolyte_concentration_submodel()

    def set_electrolyte_potential_submodel(self):
        super().set_electrolyte_potential_submodel()
        if (
            self.assb_options["SE transport"] == "single-ion"
            and self.options["surface form"] == "false"
        ):
            self.submodels["electrolyte conductivity"] = SingleIonConductivity(
                self.param, self.options
            )

    def set_transport_efficiency_submodels(self):
        super().set_transport_efficiency_submodels()
        if self.assb_options["SE conductivity"] == "percolation":
            submodel = PercolationTransportEfficiency(
                self.param, self.options, network_degradation=self._contact_loss
            )
        else:
            submodel = BruggemanWithLumpedSeparator(self.param, self.options)
        self.submodels["electrolyte transport efficiency"] = submodel

    # --- active material: percolation utilisation and contact loss ------------------
    def set_active_material_submodel(self):
        super().set_active_material_submodel()
        percolation = self.assb_options["active material utilisation"] == "percolation"
        if self._contact_loss:
            submodel = ContactLoss(self.param, self.options, percolation)
        elif percolation:
            submodel = PercolatedActiveMaterial(self.param, self.options)
        else:
            return
        self.submodels["positive primary active material"] = submodel

    def set_interface_utilisation_submodel(self):
        super().set_interface_utilisation_submodel()
        if self._contact_loss and self.assb_options["cathode interface"] != "none":
            percolation = self.assb_options["active material utilisation"] == "percolation"
            self.submodels["Positive interface utilisation"] = InterfaceContactLoss(
                self.param, self.options, percolation
            )
        if self.assb_options["counter electrode degradation"] == "Li deposition":
            self.submodels["Negative interface utilisation"] = AnodeContactGain(
                self.param, self.options
            )

    # --- SE/cathode interface -----------------------------------------------------
    def set_intercalation_kinetics_submodel(self):
        super().set_intercalation_kinetics_submodel()
        if self.assb_options["cathode interface"] == "none":
            self.submodels["cathode interface film"] = NoInterfaceFilm(
                self.param, options=self.options
            )
        else:
            self.submodels["positive primary interface"] = FilmButlerVolmer(
                self.param, self.options
            )
            self.submodels["cathode interface film"] = InterfaceFilm(
                self.param, options=self.options
            )

    def set_sei_submodel(self):
        super().set_sei_submodel()
        growth = self.assb_options["interphase growth"] != "none"
        self.submodels["positive primary sei"] = InterphaseGrowth(
            self.param, self.options, growth=growth
        )

    # --- separator bulk/grain boundary, counter electrode and cell voltage ----------
    def set_solid_submodel(self):
        super().set_solid_submodel()
        cls = FullOhmCellVoltage if self.options["surface form"] == "false" else None
        cls = cls or SurfaceFormCellVoltage
        self.submodels["positive electrode potential"] = cls(self.param, "positive", self.options)
        form = self.assb_options["lumped SE elements"]
        gb = self.assb_options["SE grain boundary"] == "lumped"
        self.submodels["lumped SE elements"] = LumpedSEElements(
            self.param, form, self.options, grain_boundary=gb, degradation=self._contact_loss
        )
        self.submodels["counter electrode"] = CounterElectrodeVariables(
            self.param, self.assb_options["counter electrode"], self.options
        )

    @property
    def default_parameter_values(self):
        # through PyBaMM's registry of parameter sets (entry point of this package), so
        # that the model layer does not import the parameter layer above it
        return pybamm.ParameterValues("giraldo2021_sp_lpscl_coated")
