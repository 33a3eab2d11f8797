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

import math
from dataclasses import replace
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
from assb_model.parameters.cells import CellDescription, Value, library
from assb_model.parameters.cells import resolve as resolve_library
from assb_model.parameters.files import SetSource, resolve_source
from assb_model.parameters.provenance import Override, ParameterTable

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


def _material(t: ParameterTable, section: str, material: str, key: str, name: str):
    """Add a value of the material library (``materials.json``) and return it."""
    value, unit, kind, source = resolve_library(library(section, material)[key])
    return t.add(name, value, unit, kind, f"{material}: {source}")


def _described(t: ParameterTable, cell: CellDescription, name: str, v: Value):
    """Add a number of the cell description and return it (SI)."""
    return t.add(name, v.value, v.unit, cell.kind, v.source)


def _add_json_entries(t: ParameterTable, entries: dict) -> None:
    for name, e in entries.items():
        t.add(name, e["value"], e["unit"], e["kind"], e["source"])


def calibrated_constants() -> list[dict]:
    """Constants written by the calibration (``assb calibrate``; empty before it).

    Each entry: name, value, unit, scope (``parameter_sets``: the sets it was calibrated
    for; ``electrolyte``/``process``: every cell of that SE and process; neither: every
    cell), source.
    """
    try:
        return read_json("calibrated.json")["constants"]
    except FileNotFoundError:
        return []


def _applies(constant: dict, cell: CellDescription) -> bool:
    """Whether a calibrated constant applies to a cell: the paper's sets by name; other
    cells by their SE and process where the constant states them."""
    listed = constant.get("parameter_sets")
    if listed is not None and cell.name in listed:
        return True
    scope = constant.get("scope")
    if scope is not None:
        return all(
            {"electrolyte": cell.electrolyte, "process": cell.process}.get(k) == v
            for k, v in scope.items()
        )
    return listed is None and constant.get("process") in (None, cell.process_label)


def _impedance_rows(cell: CellDescription):
    """The cell's impedance rows and how to cite them."""
    return cell.impedance, cell.impedance_text


def _table_arc(t: ParameterTable, cell: CellDescription, arc: str, label: str, note: str = ""):
    """Add the mean resistance of one arc of the cell's rows ("Table <label> [Ohm]") and
    return it with the mean effective capacitance [F] of the arc."""
    rows, rows_txt = _impedance_rows(cell)
    r = t.add(
        f"Table {label} [Ohm]",
        d.mean(rows[f"R_{arc}_ohm"]),
        "Ohm",
        cell.kind,
        f"mean of {rows_txt}, {label}{note}",
    )
    return r, d.capacitance_from_ceff(d.mean(rows[f"Ceff_{arc}_uF"]))


# --- sections, in the order they are derived ---------------------------------------------
def _geometry(t: ParameterTable, cell: CellDescription) -> None:
    """Pellet area, composite thickness and volume fractions, NMC mass."""
    diameter = _described(t, cell, "Pellet diameter [m]", cell.diameter)
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
    m_comp = _described(t, cell, "Composite mass [kg]", cell.composite_mass)
    w = cell.mass_fractions
    w_se = _described(t, cell, "SE mass fraction", w["electrolyte"])
    w_c = _described(t, cell, "Carbon mass fraction", w["carbon"])
    w_nmc = t.add(
        "NMC mass fraction",
        1 - w_se - w_c,
        "-",
        "derived",
        f"1 - SE - carbon mass fractions ({w['active'].source})",
    )
    if w_nmc <= 0:
        raise ParameterError(
            f"SE ({w_se:g}) and carbon ({w_c:g}) mass fractions leave no NMC in the composite"
        )
    fractions = {"NMC": w_nmc, "SE": w_se, "C": w_c}
    rho = {
        "NMC": _material(
            t,
            "active_materials",
            cell.active_material,
            "density",
            "Active material density [kg.m-3]",
        ),
        "SE": _material(
            t, "solid_electrolytes", cell.electrolyte, "density", "Composite SE density [kg.m-3]"
        ),
        "C": _material(t, "carbons", cell.carbon, "density", "Carbon fibre density [kg.m-3]"),
    }
    common = read_json("common.json")
    _add_json_entries(t, {k: v for k, v in common.items() if "void" in k})
    if cell.void_fraction is not None:
        _described(t, cell, "Composite void fraction", cell.void_fraction)
    if cell.separator_void_fraction is not None:
        _described(t, cell, "Separator void fraction", cell.separator_void_fraction)
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
        "= composite mass × NMC mass fraction (6.9 mg for the paper's cells; the paper's "
        "'69 mg' is taken as a typo)",
    )


def _separator(t: ParameterTable, cell: CellDescription) -> None:
    """Separator pellet: thickness, conductivity (from R_SE) and the lumped bulk element."""
    rows, rows_txt = _impedance_rows(cell)
    area = t["Electrode width [m]"] * t["Electrode height [m]"]
    m_sep = _described(t, cell, "Separator mass [kg]", cell.separator_mass)
    rho_sep = _material(
        t, "solid_electrolytes", cell.separator, "density", "Separator SE density [kg.m-3]"
    )
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
    if rows is not None:
        r_se = t.add(
            "Table R_SE [Ohm]",
            d.mean(rows["R_SE_ohm"]),
            "Ohm",
            cell.kind,
            f"mean of {rows_txt}, R_SE",
        )
        sigma_source = "derivations.conductivity_from_resistance(R_SE, separator thickness, area)"
        if cell.separator_conductivity is not None:
            sigma_source = cell.separator_conductivity.source + " (given)"
        sigma_sep = t.infer(
            "Separator SE conductivity [S.m-1]",
            lambda: (
                cell.separator_conductivity.value
                if cell.separator_conductivity is not None
                else d.conductivity_from_resistance(r_se, l_sep, area)
            ),
            "S.m-1",
            sigma_source,
        )
    else:
        sigma_sep = t.infer(
            "Separator SE conductivity [S.m-1]",
            lambda: cell.separator_conductivity.value,
            "S.m-1",
            cell.separator_conductivity.source if cell.separator_conductivity else "reference",
        )
    t.add(
        "SE bulk resistance [Ohm]",
        d.resistance_from_conductivity(sigma_sep, l_sep, area),
        "Ohm",
        "derived",
        "L_sep / (σ_sep A): the separator's ionic resistance, counted once, here",
    )
    _capacitance_and_gb(t, cell)


def _capacitance_and_gb(t: ParameterTable, cell: CellDescription) -> None:
    """The bulk and grain-boundary arcs' capacitances and the GB resistance."""
    rows, rows_txt = _impedance_rows(cell)
    if rows is None:
        return
    if rows["Ceff_SE_uF"].notna().any():
        c_se, c_se_src = d.mean(rows["Ceff_SE_uF"]), f"mean of {rows_txt}, C_eff,SE"
    elif "table" in cell.raw.get("impedance", {}):
        # the paper fitted these spectra with a bare R_SE (no high-frequency data)
        imp = cell.raw["impedance"]
        all_rows = paper.table2() if imp["table"] == "table2" else paper.table3()
        c_se = d.mean(all_rows["Ceff_SE_uF"])
        c_se_src = f"{rows_txt} have no C_eff,SE (bare R_SE fit); mean of all rows of the table"
    else:
        c_se = d.mean(paper.table2()["Ceff_SE_uF"])
        c_se_src = f"{rows_txt} give no C_eff,SE: mean of the paper's Table 2 rows (assumed)"
    t.add("SE bulk capacitance [F]", d.capacitance_from_ceff(c_se), "F", cell.kind, c_se_src)
    t.add(
        "SE grain-boundary resistance [Ohm]",
        d.mean(rows["R_GB_ohm"]),
        "Ohm",
        cell.kind,
        f"mean of {rows_txt}, R_SE,GB (sets the composite ionic resistance; a separate "
        "element only with the model option 'SE grain boundary': 'lumped')",
    )
    t.add(
        "SE grain-boundary capacitance [F]",
        d.capacitance_from_ceff(d.mean(rows["Ceff_GB_uF"])),
        "F",
        cell.kind,
        f"mean of {rows_txt}, C_eff,SE,GB",
    )


def _model_constants(t: ParameterTable, cell: CellDescription, calibrated: bool = True) -> None:
    """SE conductivity, shared model constants, the process's microstructure, calibration."""
    _described(t, cell, "Electrolyte conductivity [S.m-1]", cell.electrolyte_conductivity)
    common = read_json("common.json")
    _add_json_entries(t, {k: v for k, v in common.items() if "void" not in k})
    _add_json_entries(t, library("processes", cell.process)["values"])
    for name, v in cell.microstructure.items():
        _described(t, cell, name, v)
    for c in calibrated_constants() if calibrated else ():
        if _applies(c, cell):
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


def _active_material(t: ParameterTable, cell: CellDescription) -> None:
    """The active material: lithium sites, diffusivity, radius, OCP, pristine state."""
    name = cell.active_material
    entry = library("active_materials", name)
    if "maximum_concentration" in entry:
        c_max = _material(
            t,
            "active_materials",
            name,
            "maximum_concentration",
            "Maximum concentration in positive electrode [mol.m-3]",
        )
    else:
        molar_mass = _material(
            t, "active_materials", name, "molar_mass", "Active material molar mass [kg.mol-1]"
        )
        c_max = t.add(
            "Maximum concentration in positive electrode [mol.m-3]",
            d.maximum_concentration(t["Active material density [kg.m-3]"], molar_mass),
            "mol.m-3",
            "derived",
            "derivations.maximum_concentration(active material density, molar mass)",
        )
    _material(t, "active_materials", name, "diffusivity", "Positive particle diffusivity [m2.s-1]")
    _material(t, "active_materials", name, "particle_radius", "Positive particle radius [m]")
    ocp, _, _, ocp_ref = resolve_library(entry["ocp"])
    source = entry.get("ocp_source", nmc111.OCP_SOURCE if ocp is nmc111.ocp else ocp_ref)
    t.add("Positive electrode OCP [V]", ocp, "V", "literature", f"{name}: {source}")
    x0 = entry["pristine_stoichiometry"]
    t.add(
        "Initial concentration in positive electrode [mol.m-3]",
        x0 * c_max,
        "mol.m-3",
        "derived",
        f"pristine {name} stoichiometry {x0} × c_max",
    )
    t.add(
        "Positive electrode conductivity [S.m-1]",
        10.0,
        "S.m-1",
        "assumed",
        "VGCF-wired composite; electronic resistance negligible vs ionic (2 wt% carbon)",
    )


def _cathode_interface(t: ParameterTable, cell: CellDescription) -> None:
    """Coating, contact area, exchange current and double layer from R_SE/Cat and C_eff."""
    rows, rows_txt = _impedance_rows(cell)
    area = t["Electrode width [m]"] * t["Electrode height [m]"]
    thickness = t["Positive electrode thickness [m]"]
    radius = t["Positive particle radius [m]"]
    if cell.coating != "none":
        l_coat = _described(t, cell, "Coating thickness [m]", cell.coating_thickness)
    else:
        l_coat = t.add("Coating thickness [m]", 0.0, "m", "derived", "uncoated NMC: no coating")
    coating = cell.coating if cell.coating != "none" else "Li2SiO3"
    if cell.coating_conductivity is not None:
        sigma_coat = _described(
            t, cell, "Coating ionic conductivity [S.m-1]", cell.coating_conductivity
        )
    else:
        # uncoated cells keep the conductivity of the paper's coating for what-ifs
        sigma_coat = _material(
            t, "coatings", coating, "conductivity", "Coating ionic conductivity [S.m-1]"
        )
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
    if rows is not None:
        r_cat, c_eff = _table_arc(t, cell, "SECat", "R_SE/Cat", " (2nd charge)")

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
    j0, *_ = resolve_library(
        library("active_materials", cell.active_material)["exchange_current_density"]
    )
    t.add(
        "Positive electrode exchange-current density [A.m-2]",
        j0,
        "A.m-2",
        "derived",
        f"j0_ref·sqrt(x(1-x)/(x_ref(1-x_ref))), x_ref = {nmc111.REFERENCE_STOICHIOMETRY}",
    )
    t.infer(
        "Positive electrode double-layer capacity [F.m-2]",
        lambda: d.particle_double_layer_capacitance(c_eff, eps_am, radius, thickness, area),
        "F.m-2",
        f"derivations.particle_double_layer_capacitance(mean C_eff,SE/Cat of {rows_txt})",
    )
    _material(
        t,
        "solid_electrolytes",
        cell.electrolyte,
        "oxidation_limit",
        "SE oxidative stability limit vs Li [V]",
    )


def _counter_electrode(t: ParameterTable, cell: CellDescription) -> None:
    """Counter electrode: potential, exchange current from R_SE/An, double layer."""
    rows, rows_txt = _impedance_rows(cell)
    area = t["Electrode width [m]"] * t["Electrode height [m]"]
    name = "Li-In counter electrode potential vs Li [V]"
    if cell.counter_potential is not None:
        _described(t, cell, name, cell.counter_potential)
    else:
        _material(t, "counter_electrodes", cell.counter_electrode, "potential", name)
    if rows is not None:
        r_an, c_dl = _table_arc(t, cell, "SEAn", "R_SE/An")
    t.infer(
        "Exchange-current density for lithium metal electrode [A.m-2]",
        lambda: d.exchange_current_from_resistance(
            r_an * t["SE-anode arc inversion factor"], area, t["Ambient temperature [K]"]
        ),
        "A.m-2",
        "derivations.exchange_current_from_resistance(R_SE/An × 'SE-anode arc inversion "
        "factor', area, T): Li–In interface",
    )
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


def _protocol_defaults(t: ParameterTable, cell: CellDescription) -> None:
    """Default current and voltage limits (the paper's protocol, section 3.5)."""
    facts = paper.section3_facts()["facts"]
    capacity = library("active_materials", cell.active_material)["reversible_capacity_mAh_per_g"]
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
        t["NMC mass [kg]"] * 1e3 * capacity * 1e-3,
        "A.h",
        "derived",
        f"NMC mass × {capacity:g} mAh/g (reversibly accessible capacity of "
        f"{cell.active_material}; 160 mAh/g for NMC111, section 2)",
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
    cell: CellDescription, overrides: dict, frozen: dict | None = None, calibrated: bool = True
) -> ParameterTable:
    """Run every section for a cell description."""
    t = ParameterTable(overrides=overrides, frozen=frozen or {})
    _geometry(t, cell)
    _separator(t, cell)
    _model_constants(t, cell, calibrated)
    _composite_conductivity(t)
    _active_material(t, cell)
    _cathode_interface(t, cell)
    _counter_electrode(t, cell)
    _protocol_defaults(t, cell)
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
    cell = source.cell
    _check_derived_file(source, calibrated)
    values = {**source.overrides, **dict(overrides or {})}
    ov = _as_overrides(values, source.values)
    data = ov if reinfer else {k: v for k, v in ov.items() if k in INFERENCE_DATA}
    try:
        reference = _reference_constants(cell, calibrated)
        table = _derive(cell, data, frozen=reference, calibrated=calibrated)
        if len(data) < len(ov):
            table = _derive(cell, ov, frozen=table.inferred(), calibrated=calibrated)
    except ValueError as exc:  # a derivation refused the values
        raise ParameterError(f"{source.label}: {exc}") from None
    unknown = table.unused_overrides()
    if unknown:
        raise UnknownParameterError(
            f"{source.label}: unknown parameter(s) {unknown}: not in the set {source.base}"
        )
    return table


#: Relative tolerance when a derived file's values are checked against a new derivation.
RTOL = 1e-12


def check_derived_values(content: dict, table: ParameterTable, label: str) -> None:
    """Raise :class:`ParameterError` if a derived file's stored numbers differ from a new
    derivation of its description."""
    stored = content.get("values", {})
    moved = []
    for e in table:
        entry = stored.get(e.name)
        if entry is None or callable(e.value):
            continue
        new, old = e.value, entry.get("value")
        if isinstance(new, int | float) and isinstance(old, int | float):
            if not math.isclose(new, old, rel_tol=RTOL, abs_tol=0.0):
                moved.append(f"{e.name} (file {old:g}, derived {new:g})")
    missing = sorted(set(stored) - {e.name for e in table})
    if moved or missing:
        what = "; ".join(moved[:3]) + (f" and {len(moved) - 3} more" if len(moved) > 3 else "")
        if missing:
            what += ("; " if what else "") + f"not derived any more: {missing[:3]}"
        raise ParameterError(
            f"{label}: the stored values differ from what its cell description gives ({what}); "
            "edit the description and run 'assb derive' again, or use --set for a what-if"
        )


def _check_derived_file(source: SetSource, calibrated: bool) -> None:
    """A derived set file (``assb derive``) must still give its stored values."""
    if "cell_description" in source.content and calibrated:
        frozen = _reference_constants(source.cell, calibrated)
        check_derived_values(source.content, _derive(source.cell, {}, frozen), source.label)


def _reference_constants(cell: CellDescription, calibrated: bool) -> dict | None:
    """For a cell without impedance data: the constants inferred for its reference cell
    (the interface and transport of that cell's materials and process)."""
    if cell.impedance is not None:
        return None
    if cell.reference_cell is None:  # parse_cell refuses this; kept for direct callers
        raise ParameterError(f"{cell.name}: no impedance data and no reference cell")
    reference = build_parameter_table(cell.reference_cell, calibrated=calibrated)
    return {
        name: replace(entry, source=f"{entry.source} (of the reference cell {cell.reference_cell})")
        for name, entry in reference.inferred().items()
    }


@cache
def _base_names(label: str) -> frozenset:
    return frozenset(build_parameter_table(label).entries)


def parameter_names(parameter_set) -> frozenset:
    """The parameter names of a set or file (what-ifs change values, never names)."""
    return _base_names(str(resolve_source(parameter_set).label))


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
