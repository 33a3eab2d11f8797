"""The five parameter sets of Giraldo et al. (2021), one per reported cell type.

Each set is defined by a JSON file in ``parameter_sets/`` (cell type, which table rows it
is derived from, and per-set values with provenance), the shared files
``parameter_sets/common.json`` (model constants with provenance),
``parameter_sets/literature.json`` (literature values with DOI) and
``parameter_sets/calibrated.json``, and the paper's tables in ``parameter_sets/paper/``.
:func:`build_parameter_table` runs the derivations of
:mod:`assb_model.parameters.derivations`, section by section (the ``_section`` functions
below, in order), and returns every value with its unit and provenance.

What-ifs (``overrides``) have one meaning wherever they enter (the Python API, every
command, a sweep): the given value replaces the set's when its entry is added, so every
quantity derived from it is re-derived (composite mass → thickness → NMC mass); the
material and interface constants *inferred* from the set's own measurements (exchange
currents from the impedance arcs, the separator's conductivity from R_SE, the composite's
process factor from R_SE,GB) stay at the values inferred for the cell as built. Overrides
of the measurements themselves (:data:`INFERENCE_DATA`) re-run the inferences.
"""

from __future__ import annotations

from functools import cache

import pybamm

from assb_model.errors import ParameterError, UnknownParameterError
from assb_model.model.submodels.percolation import active_material_utilisation, reduced_fraction
from assb_model.parameters import derivations as d
from assb_model.parameters import nmc111, paper
from assb_model.parameters.catalog import (
    PARAMETER_SET_NAMES,
    cell_definition,
    list_parameter_sets,
    read_json,
)
from assb_model.parameters.files import SetSource, resolve_source
from assb_model.parameters.provenance import Override, ParameterTable

#: Table 1 composition and Li-site concentration key for each SE used in composites.
SE_DENSITY_KEY = {
    "80Li2S-20P2S5": "density_80Li2S_20P2S5",
    "Li6PS5Cl": "density_li6ps5cl",
}
SE_STABILITY_KEY = {
    "80Li2S-20P2S5": "oxidation_limit_li7p3s11",
    "Li6PS5Cl": "oxidation_limit_li6ps5cl",
}

#: Measurements, and the factors that interpret them, from which material constants are
#: inferred: an override of one of these re-runs the inferences (it changes the data, not
#: the cell).
INFERENCE_DATA = (
    "Table R_SE [Ohm]",
    "SE grain-boundary resistance [Ohm]",
    "Table R_SE/Cat [Ohm]",
    "Table R_SE/An [Ohm]",
    "Composite ionic resistance to GB-arc ratio",
    "SE-cathode arc inversion factor",
    "SE-anode arc inversion factor",
)

__all__ = [
    "INFERENCE_DATA",
    "PARAMETER_SET_NAMES",
    "build_parameter_table",
    "calibrated_constants",
    "cell_definition",
    "list_parameter_sets",
    "load_parameter_set",
    "parameter_names",
]


def _lit(t: ParameterTable, key: str, name: str | None = None):
    """Add a literature entry from literature.json and return its value (SI)."""
    e = read_json("literature.json")[key]
    note = "" if e.get("verified", False) else " [not verified in source]"
    unit = e["unit"].replace(" vs Li/Li+", "").replace(" ", ".")
    return t.add(name or e["name"], e["value"], unit, "literature", e["source"] + note)


def _add_json_entries(t: ParameterTable, entries: dict) -> None:
    for name, e in entries.items():
        t.add(name, e["value"], e["unit"], e["kind"], e["source"])


def calibrated_constants() -> list[dict]:
    """Constants written by the calibration (``assb calibrate``; empty before it).

    Each entry: name, value, unit, process (``None`` = every set) or parameter_sets,
    source.
    """
    try:
        return read_json("calibrated.json")["constants"]
    except FileNotFoundError:
        return []


def _applies(constant: dict, name: str, process: str) -> bool:
    """Whether a calibrated constant applies to a set: listed by name, else by process."""
    if constant.get("parameter_sets") is not None:
        return name in constant["parameter_sets"]
    return constant.get("process") in (None, process)


def _impedance_rows(cell: dict):
    """The set's rows of Table 2/3 and how to cite them."""
    imp = cell["impedance"]
    rows = paper.impedance_rows(imp["table"], imp["rows"], imp.get("process"))
    text = f"{'Table 2' if imp['table'] == 'table2' else 'Table 3'} rows {imp['rows']}"
    if imp.get("process"):
        text += f" ({imp['process']})"
    return rows, text


# --- sections, in the order they are derived ---------------------------------------------
def _geometry(t: ParameterTable, cell: dict) -> None:
    """Pellet area, composite thickness and volume fractions, NMC mass (section 3)."""
    facts = paper.section3_facts()["facts"]
    se = cell["composite_electrolyte"]
    diameter = t.add(
        "Pellet diameter [m]",
        facts["pellet_diameter"]["value"] * 1e-3,
        "m",
        "paper",
        "section 3.4: bilayer pellet φ = 10 mm",
    )
    area = t.add(
        "Electrode area [m2]",
        d.electrode_area(diameter),
        "m2",
        "derived",
        "derivations.electrode_area(pellet diameter)",
    )
    t.add("Electrode width [m]", diameter, "m", "derived", "1-D model: width = diameter")
    t.add(
        "Electrode height [m]",
        area / diameter,
        "m",
        "derived",
        "1-D model: height = area / width so that width × height = electrode area",
    )
    m_comp = t.add(
        "Composite mass [kg]",
        facts["composite_mass"]["value"] * 1e-6,
        "kg",
        "paper",
        "section 3.4: composite electrode 10 mg",
    )
    wt = facts["composite_mass_ratio_NMC_SE_VGCF"]["value"]
    ratio = "section 3.3: NMC:SE:VGCF 69:29:2"
    w_se = t.add("SE mass fraction", wt[1] / 100, "-", "paper", ratio)
    w_c = t.add("Carbon mass fraction", wt[2] / 100, "-", "paper", ratio)
    w_nmc = t.add(
        "NMC mass fraction",
        1 - w_se - w_c,
        "-",
        "derived",
        f"1 - SE - carbon mass fractions ({ratio})",
    )
    if w_nmc <= 0:
        raise ParameterError(
            f"SE ({w_se:g}) and carbon ({w_c:g}) mass fractions leave no NMC in the composite"
        )
    fractions = {"NMC": w_nmc, "SE": w_se, "C": w_c}
    rho = {
        "NMC": _lit(t, "density_nmc111", "NMC111 density [kg.m-3]"),
        "SE": _lit(t, SE_DENSITY_KEY[se], "Composite SE density [kg.m-3]"),
        "C": _lit(t, "density_vgcf", "Carbon fibre density [kg.m-3]"),
    }
    common = read_json("common.json")
    _add_json_entries(t, {k: v for k, v in common.items() if "void" in k})
    thickness, phi = d.composite_geometry(
        m_comp, fractions, rho, t["Composite void fraction"], area
    )
    source = "derivations.composite_geometry(composite mass, mass fractions, densities, void)"
    thickness = t.add("Positive electrode thickness [m]", thickness, "m", "derived", source)
    eps_nmc = t.add(
        "Positive electrode active material volume fraction",
        phi["NMC"],
        "-",
        "derived",
        source + ": NMC volume fraction (all NMC, before utilisation)",
    )
    t.add(
        "Positive electrode porosity",
        phi["SE"],
        "-",
        "derived",
        source + ": SE volume fraction (the SE is the 'electrolyte')",
    )
    t.add(
        "Positive electrode carbon volume fraction",
        phi["C"],
        "-",
        "derived",
        source + ": VGCF volume fraction",
    )
    t.add(
        "NMC mass [kg]",
        d.active_material_mass(eps_nmc, rho["NMC"], thickness, area),
        "kg",
        "derived",
        "derivations.active_material_mass(NMC volume fraction, density, thickness, area) "
        "= composite mass × NMC mass fraction (6.9 mg; the paper's '69 mg' is taken as a "
        "typo)",
    )


def _separator(t: ParameterTable, cell: dict) -> None:
    """Separator pellet: thickness, conductivity (from R_SE) and the lumped bulk element."""
    facts = paper.section3_facts()["facts"]
    rows, rows_txt = _impedance_rows(cell)
    area = t["Electrode width [m]"] * t["Electrode height [m]"]
    m_sep = t.add(
        "Separator mass [kg]",
        facts["separator_mass"]["value"] * 1e-6,
        "kg",
        "paper",
        "section 3.4: 75Li2S·25P2S5 separator 80 mg",
    )
    rho_sep = _lit(t, "density_75Li2S_25P2S5", "Separator SE density [kg.m-3]")
    l_sep = t.add(
        "Separator thickness [m]",
        d.pellet_thickness(m_sep, rho_sep, t["Separator void fraction"], area),
        "m",
        "derived",
        "derivations.pellet_thickness(separator mass, density, void fraction, area)",
    )
    t.add(
        "Separator porosity", 1.0, "-", "derived", "separator is a dense SE pellet: SE fraction 1"
    )
    r_se = t.add(
        "Table R_SE [Ohm]", d.mean(rows["R_SE_ohm"]), "Ohm", "paper", f"mean of {rows_txt}, R_SE"
    )
    sigma_sep = t.infer(
        "Separator SE conductivity [S.m-1]",
        lambda: d.conductivity_from_resistance(r_se, l_sep, area),
        "S.m-1",
        "derivations.conductivity_from_resistance(R_SE, separator thickness, area)",
    )
    t.add(
        "SE bulk resistance [Ohm]",
        d.resistance_from_conductivity(sigma_sep, l_sep, area),
        "Ohm",
        "derived",
        "L_sep / (σ_sep A): the separator's ionic resistance, counted once, here",
    )
    if rows["Ceff_SE_uF"].notna().any():
        c_se, c_se_src = d.mean(rows["Ceff_SE_uF"]), f"mean of {rows_txt}, C_eff,SE"
    else:
        # the paper fitted these spectra with a bare R_SE (no high-frequency data)
        imp = cell["impedance"]
        all_rows = paper.table2() if imp["table"] == "table2" else paper.table3()
        c_se = d.mean(all_rows["Ceff_SE_uF"])
        c_se_src = f"{rows_txt} have no C_eff,SE (bare R_SE fit); mean of all rows of the table"
    t.add("SE bulk capacitance [F]", d.capacitance_from_ceff(c_se), "F", "paper", c_se_src)
    t.add(
        "SE grain-boundary resistance [Ohm]",
        d.mean(rows["R_GB_ohm"]),
        "Ohm",
        "paper",
        f"mean of {rows_txt}, R_SE,GB (sets the composite ionic resistance; a separate "
        "element only with the model option 'SE grain boundary': 'lumped')",
    )
    t.add(
        "SE grain-boundary capacitance [F]",
        d.capacitance_from_ceff(d.mean(rows["Ceff_GB_uF"])),
        "F",
        "paper",
        f"mean of {rows_txt}, C_eff,SE,GB",
    )


def _model_constants(t: ParameterTable, name: str, cell: dict, calibrated: bool = True) -> None:
    """Table 1 SE conductivity, shared model constants, the set's own values, calibration."""
    se, code = cell["composite_electrolyte"], cell["table1_process_code"]
    t.add(
        "Electrolyte conductivity [S.m-1]",
        paper.conductivity_S_per_m(se, code),
        "S.m-1",
        "paper",
        f"Table 1: {se} ({code}), converted S/cm → S/m",
    )
    common = read_json("common.json")
    _add_json_entries(t, {k: v for k, v in common.items() if "void" not in k})
    _add_json_entries(t, cell["values"])
    for c in calibrated_constants() if calibrated else ():
        if _applies(c, name, cell["process"]):
            t.add(c["name"], c["value"], c["unit"], "calibrated", c["source"])


def _composite_conductivity(t: ParameterTable) -> None:
    """Composite ionic resistance and the process contact factor it implies.

    The paper's SE-GB arc is the composite's distributed ionic resistance seen through the
    paper's circuit (model option "SE grain boundary": "composite"), so
    ``R_ion = ratio × R_SE,GB`` (ratio 3: transmission-line limit, refined per set by the
    calibration), and the process contact factor is the value of :math:`f_{proc}` in
    :math:`B = f_{proc} p^t + B_{floor}` that gives it
    (:func:`derivations.process_contact_factor`).
    """
    area = t["Electrode width [m]"] * t["Electrode height [m]"]
    r_ion = t.infer(
        "Composite ionic resistance [Ohm]",
        lambda: (
            t["Composite ionic resistance to GB-arc ratio"]
            * t["SE grain-boundary resistance [Ohm]"]
        ),
        "Ohm",
        "'Composite ionic resistance to GB-arc ratio' × R_SE,GB (the paper's SE-GB arc is "
        "the composite's ionic path, docs/model.md §5)",
    )

    def contact_factor():
        p_t = pybamm.ParameterValues(t.values_dict()).evaluate(
            reduced_fraction(pybamm.Scalar(t["Positive electrode porosity"]))
            ** pybamm.Parameter("SE percolation exponent")
        )
        return d.process_contact_factor(
            r_ion,
            t["Positive electrode thickness [m]"],
            area,
            t["Electrolyte conductivity [S.m-1]"],
            float(p_t),
            t["SE transport efficiency floor"],
        )

    t.infer(
        "SE process contact factor",
        contact_factor,
        "-",
        "derivations.process_contact_factor(composite ionic resistance, thickness, area, "
        "Table 1 SE conductivity, p^t): the in-composite SE conductivity implied by the "
        "impedance relative to the Table 1 pellet",
    )


def _nmc(t: ParameterTable) -> None:
    """NMC111: lithium sites, diffusivity, radius, OCP, pristine state, conductivity."""
    molar_mass = _lit(t, "nmc111_molar_mass", "NMC111 molar mass [kg.mol-1]")
    c_max = t.add(
        "Maximum concentration in positive electrode [mol.m-3]",
        d.maximum_concentration(t["NMC111 density [kg.m-3]"], molar_mass),
        "mol.m-3",
        "derived",
        "derivations.maximum_concentration(NMC111 density, molar mass)",
    )
    _lit(t, "nmc111_diffusivity", "Positive particle diffusivity [m2.s-1]")
    _lit(t, "nmc111_particle_radius", "Positive particle radius [m]")
    t.add("Positive electrode OCP [V]", nmc111.ocp, "V", "literature", nmc111.OCP_SOURCE)
    t.add(
        "Initial concentration in positive electrode [mol.m-3]",
        nmc111.PRISTINE_STOICHIOMETRY * c_max,
        "mol.m-3",
        "derived",
        f"pristine NMC111 stoichiometry {nmc111.PRISTINE_STOICHIOMETRY} × c_max",
    )
    t.add(
        "Positive electrode conductivity [S.m-1]",
        10.0,
        "S.m-1",
        "assumed",
        "VGCF-wired composite; electronic resistance negligible vs ionic (2 wt% carbon)",
    )


def _cathode_interface(t: ParameterTable, cell: dict) -> None:
    """Coating, contact area, exchange current and double layer from R_SE/Cat and C_eff."""
    facts = paper.section3_facts()["facts"]
    rows, rows_txt = _impedance_rows(cell)
    coated = cell["coated"]
    area = t["Electrode width [m]"] * t["Electrode height [m]"]
    thickness = t["Positive electrode thickness [m]"]
    radius = t["Positive particle radius [m]"]
    l_coat = t.add(
        "Coating thickness [m]",
        facts["LS_coating_thickness_mean"]["value"] * 1e-9 if coated else 0.0,
        "m",
        "paper" if coated else "derived",
        "section 2: LS coating ~9 nm (5–14 nm)" if coated else "uncoated NMC: no coating",
    )
    sigma_coat = _lit(t, "sigma_li2sio3_amorphous", "Coating ionic conductivity [S.m-1]")
    # the contact area is that of the NMC connected to the percolating SE, as in the model
    # with its default options (percolation utilisation)
    u_am = t.add(
        "Initial active material utilisation (derived)",
        float(
            pybamm.ParameterValues(t.values_dict()).evaluate(
                active_material_utilisation(pybamm.Scalar(t["Positive electrode porosity"]))
            )
        ),
        "-",
        "derived",
        "percolation.active_material_utilisation(SE volume fraction): 1 - exp(-N_c p^beta)",
    )
    eps_am = u_am * t["Positive electrode active material volume fraction"]
    r_cat = t.add(
        "Table R_SE/Cat [Ohm]",
        d.mean(rows["R_SECat_ohm"]),
        "Ohm",
        "paper",
        f"mean of {rows_txt}, R_SE/Cat (2nd charge)",
    )

    def exchange_current():
        film_asr = (
            l_coat / sigma_coat
            + t["Initial interphase thickness [m]"] / t["Interphase ionic conductivity [S.m-1]"]
        )
        theta = t["Initial positive electrode interface utilisation"]
        contact = d.contact_area(eps_am, radius, theta, thickness, area)
        r_inv = r_cat * t["SE-cathode arc inversion factor"]
        return d.cathode_exchange_current_density(
            r_inv, contact, film_asr, t["Ambient temperature [K]"]
        )

    t.infer(
        "Positive electrode reference exchange-current density [A.m-2]",
        exchange_current,
        "A.m-2",
        "derivations.cathode_exchange_current_density(R_SE/Cat × 'SE-cathode arc inversion "
        "factor', contact area a·θc·L·A with a = 3 u_AM ε_NMC / R_p, coating + initial "
        "interphase ASR), per contact area at the reference stoichiometry",
    )
    t.add(
        "Positive electrode exchange-current density [A.m-2]",
        nmc111.exchange_current_density,
        "A.m-2",
        "derived",
        f"j0_ref·sqrt(x(1-x)/(x_ref(1-x_ref))), x_ref = {nmc111.REFERENCE_STOICHIOMETRY}",
    )
    c_eff = d.capacitance_from_ceff(d.mean(rows["Ceff_SECat_uF"]))
    t.infer(
        "Positive electrode double-layer capacity [F.m-2]",
        lambda: d.particle_double_layer_capacitance(c_eff, eps_am, radius, thickness, area),
        "F.m-2",
        f"derivations.particle_double_layer_capacitance(mean C_eff,SE/Cat of {rows_txt})",
    )
    _lit(
        t, SE_STABILITY_KEY[cell["composite_electrolyte"]], "SE oxidative stability limit vs Li [V]"
    )


def _counter_electrode(t: ParameterTable, cell: dict) -> None:
    """Li–In counter electrode: potential, exchange current from R_SE/An, double layer."""
    rows, rows_txt = _impedance_rows(cell)
    area = t["Electrode width [m]"] * t["Electrode height [m]"]
    _lit(t, "liin_potential", "Li-In counter electrode potential vs Li [V]")
    r_an = t.add(
        "Table R_SE/An [Ohm]",
        d.mean(rows["R_SEAn_ohm"]),
        "Ohm",
        "paper",
        f"mean of {rows_txt}, R_SE/An",
    )
    t.infer(
        "Exchange-current density for lithium metal electrode [A.m-2]",
        lambda: d.exchange_current_from_resistance(
            r_an * t["SE-anode arc inversion factor"], area, t["Ambient temperature [K]"]
        ),
        "A.m-2",
        "derivations.exchange_current_from_resistance(R_SE/An × 'SE-anode arc inversion "
        "factor', area, T): Li–In interface",
    )
    c_dl = d.capacitance_from_ceff(d.mean(rows["Ceff_SEAn_uF"]))
    for name, why in (
        ("Lithium counter electrode double-layer capacity [F.m-2]", ""),
        (
            "Negative electrode double-layer capacity [F.m-2]",
            " (PyBaMM reads the Li-metal interface capacitance under this name)",
        ),
    ):
        t.infer(
            name,
            lambda: c_dl / area,
            "F.m-2",
            f"mean C_eff,SE/An of {rows_txt} / electrode area{why}",
        )


def _protocol_defaults(t: ParameterTable) -> None:
    """Default current and voltage limits (section 3.5)."""
    facts = paper.section3_facts()["facts"]
    area = t["Electrode width [m]"] * t["Electrode height [m]"]
    i_dens = t.add(
        "Default current density [A.m-2]",
        facts["current_density_range"]["value"][0] * 10,
        "A.m-2",
        "paper",
        "section 3.5: 0.13 mA/cm2 (lowest rate), converted to A/m2",
    )
    t.add(
        "Nominal cell capacity [A.h]",
        t["NMC mass [kg]"] * 1e3 * facts["NMC_reversible_capacity"]["value"] * 1e-3,
        "A.h",
        "derived",
        "NMC mass × 160 mAh/g (section 2: reversibly accessible capacity)",
    )
    t.add(
        "Current function [A]",
        -i_dens * area,
        "A",
        "derived",
        "default current density × electrode area (0.102 mA), negative = charge (PyBaMM "
        "sign convention): the cell is assembled discharged (pristine NMC), so a plain "
        "pybamm.Simulation starts with the paper's first charge",
    )
    t.add(
        "Upper voltage cut-off [V]",
        4.8,
        "V",
        "numerical",
        "solver limit, 4.8 V vs Li–In = 5.42 V vs Li: above every protocol's charge-end "
        "voltage (paper max 4.4 V), below the end of the OCP fit's extrapolation (x = 0, 5.5 V)",
    )
    t.add(
        "Lower voltage cut-off [V]",
        facts["cutoff_lower_vs_LiIn"]["value"] - 0.3,
        "V",
        "derived",
        "solver event: 0.3 V below the 2.0 V vs Li–In discharge cut-off",
    )
    t.add(
        "Open-circuit voltage at 0% SOC [V]",
        facts["cutoff_lower_vs_LiIn"]["value"],
        "V",
        "paper",
        "section 3.5: 2.0 V vs Li–In",
    )
    t.add(
        "Open-circuit voltage at 100% SOC [V]",
        facts["cutoff_upper_vs_LiIn"]["value"],
        "V",
        "paper",
        "section 3.5: 3.8 V vs Li–In",
    )


def _derive(
    name: str, overrides: dict, frozen: dict | None = None, calibrated: bool = True
) -> ParameterTable:
    """Run every section for the shipped set ``name``."""
    cell = cell_definition(name)
    t = ParameterTable(overrides=overrides, frozen=frozen or {})
    _geometry(t, cell)
    _separator(t, cell)
    _model_constants(t, name, cell, calibrated)
    _composite_conductivity(t)
    _nmc(t)
    _cathode_interface(t, cell)
    _counter_electrode(t, cell)
    _protocol_defaults(t)
    return t


def _as_overrides(values: dict, provenance: dict | None = None) -> dict[str, Override]:
    out = {}
    for key, value in values.items():
        if isinstance(value, Override):
            out[key] = value
            continue
        entry = (provenance or {}).get(key)
        if entry is not None:
            out[key] = Override(
                value, entry.get("kind", "assumed"), entry.get("source", "override")
            )
        else:
            out[key] = Override(value)
    return out


def build_parameter_table(
    parameter_set="giraldo2021_sp_lpscl_coated",
    overrides: dict | None = None,
    *,
    reinfer: bool = False,
    calibrated: bool = True,
) -> ParameterTable:
    """All parameters of one set with unit and provenance.

    Order of precedence of the model constants: ``common.json`` < the set's own JSON <
    ``calibrated.json`` < a parameter-set file's values < ``overrides``.

    Parameters
    ----------
    parameter_set : str or path
        A set name (:func:`list_parameter_sets`) or a parameter-set file
        (:mod:`assb_model.parameters.files`).
    overrides : dict, optional
        PyBaMM name → SI value (aliases are resolved by the callers through
        :mod:`assb_model.parameters.registry`). What-ifs (module docstring): what is
        derived from a value is re-derived, the constants inferred from the set's own
        measurements are kept.
    reinfer : bool
        Treat every override as a fact about the cell as measured: re-run the inferences
        with it (the calibration does this; a what-if does not).
    calibrated : bool
        Include the calibrated constants (``calibrated.json``); the calibration itself
        starts without them.

    Returns
    -------
    ParameterTable

    Raises
    ------
    UnknownParameterSetError
    UnknownParameterError
        An override names no parameter of the set.
    ParameterError
        A derivation is impossible with the given values (one line naming it).
    """
    source: SetSource = resolve_source(parameter_set)
    values = {**source.overrides, **dict(overrides or {})}
    ov = _as_overrides(values, source.values)
    data = ov if reinfer else {k: v for k, v in ov.items() if k in INFERENCE_DATA}
    try:
        table = _derive(source.base, data, calibrated=calibrated)
        if len(data) < len(ov):
            table = _derive(source.base, ov, frozen=table.inferred(), calibrated=calibrated)
    except ValueError as exc:  # a derivation refused the values
        raise ParameterError(f"{source.label}: {exc}") from None
    unknown = table.unused_overrides()
    if unknown:
        raise UnknownParameterError(
            f"{source.label}: unknown parameter(s) {unknown}: not in the set {source.base}"
        )
    return table


@cache
def _base_names(base: str) -> frozenset:
    return frozenset(_derive(base, {}).entries)


def parameter_names(parameter_set) -> frozenset:
    """The parameter names of a set or file (what-ifs change values, never names)."""
    return _base_names(resolve_source(parameter_set).base)


def load_parameter_set(parameter_set="giraldo2021_sp_lpscl_coated", overrides=None):
    """A parameter set as :class:`pybamm.ParameterValues`, checked for physical values.

    Parameters
    ----------
    parameter_set : str or path
        A set name (:func:`list_parameter_sets`) or a parameter-set file.
    overrides : dict, optional
        See :func:`build_parameter_table`.
    """
    from assb_model.parameters.validation import validate_parameter_values

    label = str(parameter_set)
    pv = pybamm.ParameterValues(build_parameter_table(parameter_set, overrides).values_dict())
    validate_parameter_values(pv, label)
    return pv


def _entry_point(name):
    def get_parameter_values():
        return build_parameter_table(name).values_dict()

    get_parameter_values.__name__ = name
    get_parameter_values.__doc__ = f"Parameter values of '{name}' (see docs/parameters.md)."
    return get_parameter_values


giraldo2021_sm_lps80_coated = _entry_point("giraldo2021_sm_lps80_coated")
giraldo2021_sm_lps80_uncoated = _entry_point("giraldo2021_sm_lps80_uncoated")
giraldo2021_sp_lps80_coated = _entry_point("giraldo2021_sp_lps80_coated")
giraldo2021_sp_lps80_uncoated = _entry_point("giraldo2021_sp_lps80_uncoated")
giraldo2021_sp_lpscl_coated = _entry_point("giraldo2021_sp_lpscl_coated")
