"""The five parameter sets of Giraldo et al. (2021), one per reported cell type.

Each set is defined by a JSON file in ``parameter_sets/`` (cell type, which table rows
it is derived from, and per-set values with provenance), the shared files
``parameter_sets/common.json`` (model constants with provenance) and
``parameter_sets/literature.json`` (literature values with DOI), and the paper's tables
in ``parameter_sets/paper/``. :func:`build_parameter_table` runs the derivations of
:mod:`assb_model.parameters.derivations` and returns every value with its unit and
provenance.
"""

import json
from functools import cache
from importlib import resources

import pybamm

from assb_model.model.submodels.percolation import active_material_utilisation, reduced_fraction
from assb_model.parameters import derivations as d
from assb_model.parameters import nmc111, paper
from assb_model.parameters.provenance import ParameterTable

PARAMETER_SET_NAMES = (
    "giraldo2021_sm_lps80_coated",
    "giraldo2021_sm_lps80_uncoated",
    "giraldo2021_sp_lps80_coated",
    "giraldo2021_sp_lps80_uncoated",
    "giraldo2021_sp_lpscl_coated",
)

#: Table 1 composition and Li-site concentration key for each SE used in composites.
SE_DENSITY_KEY = {
    "80Li2S-20P2S5": "density_80Li2S_20P2S5",
    "Li6PS5Cl": "density_li6ps5cl",
}
SE_STABILITY_KEY = {
    "80Li2S-20P2S5": "oxidation_limit_li7p3s11",
    "Li6PS5Cl": "oxidation_limit_li6ps5cl",
}


class UnknownParameterSetError(KeyError):
    """Raised for a parameter-set name that does not exist."""

    def __str__(self):
        return str(self.args[0])


def list_parameter_sets() -> list[str]:
    """Names of the parameter sets shipped with the package."""
    return list(PARAMETER_SET_NAMES)


@cache
def _json(name: str) -> dict:
    with resources.as_file(paper.data_dir() / name) as path:
        return json.loads(path.read_text())


def cell_definition(name: str) -> dict:
    """The JSON definition of one parameter set."""
    if name not in PARAMETER_SET_NAMES:
        raise UnknownParameterSetError(
            f"unknown parameter set '{name}'; available: {', '.join(PARAMETER_SET_NAMES)}"
        )
    return _json(f"{name}.json")


def _lit(table: ParameterTable, key: str, name: str | None = None):
    """Add a literature entry from literature.json and return its value (SI)."""
    e = _json("literature.json")[key]
    note = "" if e.get("verified", False) else " [not verified in source]"
    unit = e["unit"].replace(" vs Li/Li+", "").replace(" ", ".")
    return table.add(name or e["name"], e["value"], unit, "literature", e["source"] + note)


def _add_json_entries(table: ParameterTable, entries: dict) -> None:
    for name, e in entries.items():
        table.add(name, e["value"], e["unit"], e["kind"], e["source"])


def calibrated_constants() -> list[dict]:
    """Constants written by ``experiments/calibrate.py`` (empty before calibration).

    Each entry: name, value, unit, process (``None`` = every set), source.
    """
    try:
        return _json("calibrated.json")["constants"]
    except FileNotFoundError:
        return []


#: Derived parameters that ``overrides`` may set directly (their derivation is skipped).
OVERRIDABLE_DERIVED = ("SE process contact factor",)


def _applies(constant: dict, name: str, process: str) -> bool:
    """Whether a calibrated constant applies to a set: listed by name, else by process."""
    if constant.get("parameter_sets") is not None:
        return name in constant["parameter_sets"]
    return constant.get("process") in (None, process)


def _composite_conductivity(t: ParameterTable, phi_se: float, area: float, overrides: dict) -> None:
    """Add the composite ionic resistance and the process contact factor it implies.

    The paper's SE-GB arc is the composite's distributed ionic resistance seen through the
    paper's circuit (model option "SE grain boundary": "composite"), so
    ``R_ion = ratio × R_SE,GB`` (ratio 3: transmission-line limit, refined per set by
    ``experiments/calibrate.py``), and the process contact factor is the value of
    :math:`f_{proc}` in :math:`B = f_{proc} p^t + B_{floor}` that gives it
    (:func:`derivations.process_contact_factor`).
    """
    r_ion = t.add(
        "Composite ionic resistance [Ohm]",
        t["Composite ionic resistance to GB-arc ratio"] * t["SE grain-boundary resistance [Ohm]"],
        "Ohm",
        "derived",
        "'Composite ionic resistance to GB-arc ratio' × R_SE,GB (the paper's SE-GB arc is "
        "the composite's ionic path, docs/model.md §5)",
    )
    if "SE process contact factor" in overrides:
        t.add(
            "SE process contact factor",
            overrides["SE process contact factor"],
            "-",
            "assumed",
            "override (the composite ionic resistance above then no longer applies)",
        )
        return
    p_t = pybamm.ParameterValues(t.values_dict()).evaluate(
        reduced_fraction(pybamm.Scalar(phi_se)) ** pybamm.Parameter("SE percolation exponent")
    )
    t.add(
        "SE process contact factor",
        d.process_contact_factor(
            r_ion,
            t["Positive electrode thickness [m]"],
            area,
            t["Electrolyte conductivity [S.m-1]"],
            float(p_t),
            t["SE transport efficiency floor"],
        ),
        "-",
        "derived",
        "derivations.process_contact_factor(composite ionic resistance, thickness, area, "
        "Table 1 SE conductivity, p^t): the in-composite SE conductivity implied by the "
        "impedance relative to the Table 1 pellet",
    )


def build_parameter_table(name: str, overrides: dict | None = None) -> ParameterTable:
    """All parameters of one set with unit and provenance.

    Order of precedence for the model constants: ``common.json`` < the set's own JSON <
    ``calibrated.json`` (for the set's process) < ``overrides``; derived quantities
    (e.g. the exchange-current density from R_SE/Cat) are computed after all of them.

    Parameters
    ----------
    name : str
        One of :func:`list_parameter_sets`.
    overrides : dict, optional
        Parameter name → value applied before the derivations (provenance "assumed,
        override"), e.g. trial values during calibration.

    Returns
    -------
    ParameterTable
    """
    cell = cell_definition(name)
    facts = paper.section3_facts()["facts"]
    t = ParameterTable()
    se = cell["composite_electrolyte"]

    # --- geometry (section 3) ---------------------------------------------------------
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
    fractions = {"NMC": wt[0] / 100, "SE": wt[1] / 100, "C": wt[2] / 100}
    t.add("NMC mass fraction", fractions["NMC"], "-", "paper", "section 3.3: NMC:SE:VGCF 69:29:2")
    t.add("SE mass fraction", fractions["SE"], "-", "paper", "section 3.3: NMC:SE:VGCF 69:29:2")
    t.add("Carbon mass fraction", fractions["C"], "-", "paper", "section 3.3: NMC:SE:VGCF 69:29:2")
    rho = {
        "NMC": _lit(t, "density_nmc111", "NMC111 density [kg.m-3]"),
        "SE": _lit(t, SE_DENSITY_KEY[se], "Composite SE density [kg.m-3]"),
        "C": _lit(t, "density_vgcf", "Carbon fibre density [kg.m-3]"),
    }
    _add_json_entries(t, {k: v for k, v in _json("common.json").items() if "void" in k})
    void = t["Composite void fraction"]
    thickness, phi = d.composite_geometry(m_comp, fractions, rho, void, area)
    t.add(
        "Positive electrode thickness [m]",
        thickness,
        "m",
        "derived",
        "derivations.composite_geometry(10 mg, 69:29:2 wt%, densities, void fraction)",
    )
    t.add(
        "Positive electrode active material volume fraction",
        phi["NMC"],
        "-",
        "derived",
        "derivations.composite_geometry: NMC volume fraction (all NMC, before utilisation)",
    )
    t.add(
        "Positive electrode porosity",
        phi["SE"],
        "-",
        "derived",
        "derivations.composite_geometry: SE volume fraction (the SE is the 'electrolyte')",
    )
    t.add(
        "Positive electrode carbon volume fraction",
        phi["C"],
        "-",
        "derived",
        "derivations.composite_geometry: VGCF volume fraction",
    )
    t.add(
        "NMC mass [kg]",
        fractions["NMC"] * m_comp,
        "kg",
        "derived",
        "composite mass × NMC mass fraction (6.9 mg; the paper's '69 mg' is taken as a typo)",
    )

    # separator pellet and its lumped bulk element
    m_sep = t.add(
        "Separator mass [kg]",
        facts["separator_mass"]["value"] * 1e-6,
        "kg",
        "paper",
        "section 3.4: 75Li2S·25P2S5 separator 80 mg",
    )
    rho_sep = _lit(t, "density_75Li2S_25P2S5", "Separator SE density [kg.m-3]")
    void_sep = t["Separator void fraction"]
    l_sep = t.add(
        "Separator thickness [m]",
        d.pellet_thickness(m_sep, rho_sep, void_sep, area),
        "m",
        "derived",
        "derivations.pellet_thickness(80 mg, density, void fraction, area)",
    )
    t.add(
        "Separator porosity", 1.0, "-", "derived", "separator is a dense SE pellet: SE fraction 1"
    )

    imp = cell["impedance"]
    rows = paper.impedance_rows(imp["table"], imp["rows"], imp.get("process"))
    rows_txt = f"{'Table 2' if imp['table'] == 'table2' else 'Table 3'} rows {imp['rows']}"
    if imp.get("process"):
        rows_txt += f" ({imp['process']})"
    r_se = t.add(
        "Table R_SE [Ohm]", d.mean(rows["R_SE_ohm"]), "Ohm", "paper", f"mean of {rows_txt}, R_SE"
    )
    sigma_sep = t.add(
        "Separator SE conductivity [S.m-1]",
        d.conductivity_from_resistance(r_se, l_sep, area),
        "S.m-1",
        "derived",
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

    # --- composite SE -----------------------------------------------------------------
    code = cell["table1_process_code"]
    t.add(
        "Electrolyte conductivity [S.m-1]",
        paper.conductivity_S_per_m(se, code),
        "S.m-1",
        "paper",
        f"Table 1: {se} ({code}), converted S/cm → S/m",
    )
    _add_json_entries(t, {k: v for k, v in _json("common.json").items() if "void" not in k})
    _add_json_entries(t, cell["values"])
    for c in calibrated_constants():
        if _applies(c, name, cell["process"]):
            t.add(c["name"], c["value"], c["unit"], "calibrated", c["source"])
    overrides = dict(overrides or {})
    derived_overrides = {k: overrides.pop(k) for k in OVERRIDABLE_DERIVED if k in overrides}
    for key, value in overrides.items():
        if key not in t:
            raise KeyError(f"override of unknown parameter '{key}'")
        old = t.entries[key]
        t.add(key, value, old.unit, "assumed", f"override (was {old.value!r}, {old.kind})")
    _composite_conductivity(t, phi["SE"], area, derived_overrides)

    # --- NMC111 -------------------------------------------------------------------
    molar_mass = _lit(t, "nmc111_molar_mass", "NMC111 molar mass [kg.mol-1]")
    c_max = t.add(
        "Maximum concentration in positive electrode [mol.m-3]",
        d.maximum_concentration(rho["NMC"], molar_mass),
        "mol.m-3",
        "derived",
        "derivations.maximum_concentration(NMC111 density, molar mass)",
    )
    _lit(t, "nmc111_diffusivity", "Positive particle diffusivity [m2.s-1]")
    radius = _lit(t, "nmc111_particle_radius", "Positive particle radius [m]")
    t.add(
        "Positive electrode OCP [V]",
        nmc111.ocp,
        "V",
        "literature",
        nmc111.OCP_SOURCE,
    )
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

    # --- SE/cathode interface ---------------------------------------------------------
    temperature = t["Ambient temperature [K]"]
    coated = cell["coated"]
    l_coat = t.add(
        "Coating thickness [m]",
        facts["LS_coating_thickness_mean"]["value"] * 1e-9 if coated else 0.0,
        "m",
        "paper" if coated else "derived",
        "section 2: LS coating ~9 nm (5–14 nm)" if coated else "uncoated NMC: no coating",
    )
    sigma_coat = _lit(t, "sigma_li2sio3_amorphous", "Coating ionic conductivity [S.m-1]")
    film_asr = (
        l_coat / sigma_coat
        + t["Initial interphase thickness [m]"] / t["Interphase ionic conductivity [S.m-1]"]
    )
    theta = t["Initial positive electrode interface utilisation"]
    # the contact area is that of the NMC connected to the percolating SE, as in the model
    # with its default options (percolation utilisation)
    u_am = pybamm.ParameterValues(t.values_dict()).evaluate(
        active_material_utilisation(pybamm.Scalar(phi["SE"]))
    )
    t.add(
        "Initial active material utilisation (derived)",
        float(u_am),
        "-",
        "derived",
        "percolation.active_material_utilisation(SE volume fraction): 1 - exp(-N_c p^beta)",
    )
    eps_am = u_am * phi["NMC"]
    contact = d.contact_area(eps_am, radius, theta, thickness, area)
    r_cat = t.add(
        "Table R_SE/Cat [Ohm]",
        d.mean(rows["R_SECat_ohm"]),
        "Ohm",
        "paper",
        f"mean of {rows_txt}, R_SE/Cat (2nd charge)",
    )
    r_cat_inv = r_cat * t["SE-cathode arc inversion factor"]
    j0 = t.add(
        "Positive electrode reference exchange-current density [A.m-2]",
        d.cathode_exchange_current_density(r_cat_inv, contact, film_asr, temperature),
        "A.m-2",
        "derived",
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
    del j0
    t.add(
        "Positive electrode double-layer capacity [F.m-2]",
        d.particle_double_layer_capacitance(
            d.capacitance_from_ceff(d.mean(rows["Ceff_SECat_uF"])), eps_am, radius, thickness, area
        ),
        "F.m-2",
        "derived",
        f"derivations.particle_double_layer_capacitance(mean C_eff,SE/Cat of {rows_txt})",
    )
    u_ox_key = SE_STABILITY_KEY[se]
    _lit(t, u_ox_key, "SE oxidative stability limit vs Li [V]")

    # --- Li-In counter electrode ------------------------------------------------------
    _lit(t, "liin_potential", "Li-In counter electrode potential vs Li [V]")
    r_an = t.add(
        "Table R_SE/An [Ohm]",
        d.mean(rows["R_SEAn_ohm"]),
        "Ohm",
        "paper",
        f"mean of {rows_txt}, R_SE/An",
    )
    t.add(
        "Exchange-current density for lithium metal electrode [A.m-2]",
        d.exchange_current_from_resistance(
            r_an * t["SE-anode arc inversion factor"], area, temperature
        ),
        "A.m-2",
        "derived",
        "derivations.exchange_current_from_resistance(R_SE/An × 'SE-anode arc inversion "
        "factor', area, T): Li–In interface",
    )
    t.add(
        "Lithium counter electrode double-layer capacity [F.m-2]",
        d.capacitance_from_ceff(d.mean(rows["Ceff_SEAn_uF"])) / area,
        "F.m-2",
        "derived",
        f"mean C_eff,SE/An of {rows_txt} / electrode area",
    )
    t.add(
        "Negative electrode double-layer capacity [F.m-2]",
        d.capacitance_from_ceff(d.mean(rows["Ceff_SEAn_uF"])) / area,
        "F.m-2",
        "derived",
        f"mean C_eff,SE/An of {rows_txt} / electrode area (PyBaMM reads the Li-metal "
        "interface capacitance under this name)",
    )

    # --- protocol defaults (section 3.5) ------------------------------------------------
    i_dens = t.add(
        "Default current density [A.m-2]",
        facts["current_density_range"]["value"][0] * 10,
        "A.m-2",
        "paper",
        "section 3.5: 0.13 mA/cm2 (lowest rate), converted to A/m2",
    )
    q_nom = t.add(
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
    del q_nom
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
    return t


def load_parameter_set(name: str) -> pybamm.ParameterValues:
    """Load a parameter set as :class:`pybamm.ParameterValues`.

    Parameters
    ----------
    name : str
        One of :func:`list_parameter_sets`.
    """
    from assb_model.parameters.validation import validate_parameter_values

    pv = pybamm.ParameterValues(build_parameter_table(name).values_dict())
    validate_parameter_values(pv, name)
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
