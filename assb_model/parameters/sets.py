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
currents from the impedance arcs, the separator's conductivity from R_SE, the SE's
in-composite conductivity from R_SE,GB) stay at the values inferred for the cell as built. Overrides
of the measurements themselves (:data:`INFERENCE_DATA`) re-run the inferences.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import cache

import numpy as np
import pybamm

from assb_model.errors import ParameterError, UnknownParameterError
from assb_model.model.submodels.percolation import (
    active_material_utilisation,
    percolation_transport_efficiency,
)
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
from assb_model.parameters.inversion import TableArcs, invert_table_arcs
from assb_model.parameters.provenance import Override, ParameterTable

#: Measurements, and the factors that interpret them, from which material constants are
#: inferred: an override of one of these re-runs the inferences (it changes the data, not
#: the cell).
INFERENCE_DATA = (
    "Table R_SE [Ohm]",
    "SE grain-boundary resistance [Ohm]",
    "Table R_SE/Cat [Ohm]",
    "Table R_SE/An [Ohm]",
    "Table C_eff,SE/Cat [F]",
    "Table C_eff,SE/An [F]",
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
    """The SE's stated conductivity, shared model constants, the process's microstructure,
    calibration."""
    v = cell.electrolyte_conductivity
    if cell.impedance is not None:
        # the pellet value is reported; the model's SE conductivity is inferred from the
        # cell's own R_SE,GB (_composite_conductivity)
        t.add(
            "Table 1 SE conductivity [S.m-1]",
            v.value,
            v.unit,
            cell.kind,
            f"{v.source} (the SE measured as a pellet; reported, not used by the model: the "
            "SE's conductivity inside the composite is inferred from R_SE,GB)",
        )
    else:
        _described(t, cell, "Electrolyte conductivity [S.m-1]", v)
    common = read_json("common.json")
    _add_json_entries(t, {k: v for k, v in common.items() if "void" not in k})
    _add_json_entries(t, library("processes", cell.process)["values"])
    for name, v in cell.microstructure.items():
        _described(t, cell, name, v)
    for c in calibrated_constants() if calibrated else ():
        if _applies(c, cell):
            t.add(c["name"], c["value"], c["unit"], "calibrated", c["source"])


def _charged_state(t: ParameterTable) -> None:
    """The state the tables were measured in (after the 2nd charge to 3.8 V vs Li–In and a
    rest), estimated on the quasi-static path: the NMC's stoichiometry, the interphase grown
    and the contact retained by then (derivations.charged_stoichiometry,
    oxidation_exposure, tunnelling_film_thickness, contact_retained)."""
    pv = pybamm.ParameterValues(t.values_dict())
    area = t["Electrode width [m]"] * t["Electrode height [m]"]
    u_am = t.add(
        "Initial active material utilisation (derived)",
        float(
            pv.evaluate(
                active_material_utilisation(pybamm.Scalar(t["Positive electrode porosity"]))
            )
        ),
        "-",
        "derived",
        "percolation.active_material_utilisation(SE volume fraction): 1 - exp(-N_c p^beta)",
    )
    x_grid = np.linspace(0.02, 0.999, 4000)
    ocp = t["Positive electrode OCP [V]"]
    u_grid = np.asarray(pv.evaluate(ocp(pybamm.Vector(x_grid)))).ravel()
    x0 = (
        t["Initial concentration in positive electrode [mol.m-3]"]
        / t["Maximum concentration in positive electrode [mol.m-3]"]
    )
    v_top = (
        t["Open-circuit voltage at 100% SOC [V]"] + t["Li-In counter electrode potential vs Li [V]"]
    )
    x_c = t.infer(
        "Positive electrode stoichiometry at the 2nd charge",
        lambda: d.charged_stoichiometry(x_grid, u_grid, v_top),
        "-",
        "derivations.charged_stoichiometry: OCP = 3.8 V vs Li–In + the Li–In potential (the "
        "tables' state: after the 2nd charge and a rest)",
    )
    coulombs_per_x = (
        d.FARADAY
        * t["Maximum concentration in positive electrode [mol.m-3]"]
        * u_am
        * t["Positive electrode active material volume fraction"]
        * t["Positive electrode thickness [m]"]
        * area
    )

    def exposure():
        return d.oxidation_exposure(
            x_grid,
            u_grid,
            x0,
            x_c,
            coulombs_per_x / (t["Default current density [A.m-2]"] * area),
            t["SE oxidation transfer coefficient"],
            t["SE oxidative stability limit vs Li [V]"],
            t["Ambient temperature [K]"],
        )

    t.infer(
        "Interphase thickness at the 2nd charge (estimated) [m]",
        lambda: d.tunnelling_film_thickness(
            exposure(),
            t["SE oxidation rate constant [A.m-2]"],
            t["Coating thickness [m]"],
            t["Film electron-blocking length [m]"],
            t["Interphase molar volume [m3.mol-1]"],
            t["Initial interphase thickness [m]"],
        ),
        "m",
        "derivations.tunnelling_film_thickness(oxidation_exposure of charge 1, discharge 1 "
        "and charge 2 at the default current density, on the OCP): the interphase the "
        "model grows by the time the tables were measured",
    )
    t.infer(
        "NMC-SE contact retained at the 2nd charge (estimated)",
        lambda: d.contact_retained(t["Contact loss coefficient"], 3 * (x0 - x_c)),
        "-",
        "derivations.contact_retained(contact loss coefficient, 3 swings x0 → x_charged)",
    )
    t.infer(
        "Intercalation capacitance at the 2nd charge [F]",
        lambda: d.intercalation_capacitance(
            t["Maximum concentration in positive electrode [mol.m-3]"],
            u_am
            * t["NMC-SE contact retained at the 2nd charge (estimated)"]
            * t["Positive electrode active material volume fraction"],
            t["Positive electrode thickness [m]"],
            area,
            float(np.interp(x_c, x_grid, np.gradient(u_grid, x_grid))),
        ),
        "F",
        "derivations.intercalation_capacitance(c_max, connected NMC fraction, L, A, dU/dx at "
        "the 2nd-charge stoichiometry)",
    )


def _impedance_inversion(t: ParameterTable, cell: CellDescription) -> None:
    """The model resistances whose spectrum, fitted with the paper's circuit, returns the
    cell's table arcs (:func:`assb_model.parameters.inversion.invert_table_arcs`)."""
    rows, rows_txt = _impedance_rows(cell)
    if rows is not None:
        r_cat, c_cat = _table_arc(t, cell, "SECat", "R_SE/Cat", " (2nd charge)")
        r_an, c_an = _table_arc(t, cell, "SEAn", "R_SE/An")
        c_cat = t.add(
            "Table C_eff,SE/Cat [F]", c_cat, "F", cell.kind, f"mean of {rows_txt}, C_eff,SE/Cat"
        )
        c_an = t.add(
            "Table C_eff,SE/An [F]", c_an, "F", cell.kind, f"mean of {rows_txt}, C_eff,SE/An"
        )

    def inverted():
        arcs = TableArcs(
            R_SE=t["Table R_SE [Ohm]"],
            C_SE=t["SE bulk capacitance [F]"],
            R_GB=t["SE grain-boundary resistance [Ohm]"],
            R_SECat=r_cat,
            C_SECat=c_cat,
            R_An=r_an,
            C_An=c_an,
        )
        tau = t["Positive particle radius [m]"] ** 2 / t["Positive particle diffusivity [m2.s-1]"]
        return invert_table_arcs(arcs, tau, t["Intercalation capacitance at the 2nd charge [F]"])

    source = (
        "inversion.invert_table_arcs: the {} of the analytic composite spectrum whose fit "
        f"with the paper's Figure 7e circuit returns {rows_txt}'s arcs"
    )
    t.infer(
        "Composite ionic resistance [Ohm]",
        lambda: inverted().R_ion,
        "Ohm",
        source.format("through-thickness ionic resistance R_ion"),
    )
    t.infer(
        "Composite interface resistance at the 2nd charge [Ohm]",
        lambda: inverted().R_int,
        "Ohm",
        source.format("interface resistance R_int (charge transfer + films, whole composite)"),
    )
    t.infer(
        "Li-In interface resistance [Ohm]",
        lambda: inverted().R_An,
        "Ohm",
        source.format("Li–In/SE interface resistance"),
    )


def _composite_conductivity(t: ParameterTable, cell: CellDescription) -> None:
    """The SE's conductivity inside the composite, from its ionic resistance and the
    process's transport law (derivations.composite_conductivity)."""
    if cell.impedance is None:
        return  # the described conductivity (_model_constants)
    area = t["Electrode width [m]"] * t["Electrode height [m]"]
    pv = pybamm.ParameterValues(t.values_dict())
    b = t.infer(
        "Composite SE transport efficiency (as built)",
        lambda: float(
            pv.evaluate(
                percolation_transport_efficiency(pybamm.Scalar(t["Positive electrode porosity"]))
            )
        ),
        "-",
        "percolation.percolation_transport_efficiency(SE volume fraction) of the cell as "
        "measured: the process's law, at most the Hashin–Shtrikman bound 2φ/(3-φ) ≤ φ",
    )
    t.infer(
        "Electrolyte conductivity [S.m-1]",
        lambda: d.composite_conductivity(
            t["Composite ionic resistance [Ohm]"],
            t["Positive electrode thickness [m]"],
            area,
            b,
        ),
        "S.m-1",
        "derivations.composite_conductivity(composite ionic resistance, thickness, area, "
        "transport efficiency): the SE's own conductivity inside the composite, as the "
        "impedance implies it (it differs from the Table 1 pellet value: docs/parameters.md)",
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


def _coating(t: ParameterTable, cell: CellDescription) -> None:
    """What the SE touches: the coating (thickness, ionic conductivity), the carbon|SE
    contact area, and the SE's oxidative stability limit."""
    if cell.coating != "none":
        _described(t, cell, "Coating thickness [m]", cell.coating_thickness)
    else:
        t.add("Coating thickness [m]", 0.0, "m", "derived", "uncoated NMC: no coating")
    coating = cell.coating if cell.coating != "none" else "Li2SiO3"
    if cell.coating_conductivity is not None:
        _described(t, cell, "Coating ionic conductivity [S.m-1]", cell.coating_conductivity)
    else:
        # uncoated cells keep the conductivity of the paper's coating for what-ifs
        _material(t, "coatings", coating, "conductivity", "Coating ionic conductivity [S.m-1]")
    bet = _material(
        t,
        "carbons",
        cell.carbon,
        "specific_surface_area",
        "Carbon fibre specific surface area [m2.kg-1]",
    )
    area = t["Electrode width [m]"] * t["Electrode height [m]"]
    t.add(
        "Carbon-SE contact area per volume [m-1]",
        t["Composite mass [kg]"]
        * t["Carbon mass fraction"]
        * bet
        * t["Carbon-SE contact fraction"]
        / (t["Positive electrode thickness [m]"] * area),
        "m-1",
        "derived",
        "carbon mass × specific surface area × carbon-SE contact fraction / composite volume",
    )
    _material(
        t,
        "solid_electrolytes",
        cell.electrolyte,
        "oxidation_limit",
        "SE oxidative stability limit vs Li [V]",
    )


def _cathode_interface(t: ParameterTable, cell: CellDescription) -> None:
    """Exchange current and double layer of the NMC|SE contacts from R_SE/Cat and C_eff."""
    area = t["Electrode width [m]"] * t["Electrode height [m]"]
    thickness = t["Positive electrode thickness [m]"]
    radius = t["Positive particle radius [m]"]
    u_am = t["Initial active material utilisation (derived)"]
    eps_am = u_am * t["Positive electrode active material volume fraction"]

    def exchange_current():
        film_asr = (
            t["Coating thickness [m]"] / t["Coating ionic conductivity [S.m-1]"]
            + t["Interphase thickness at the 2nd charge (estimated) [m]"]
            / t["Interphase ionic conductivity [S.m-1]"]
        )
        contact = d.contact_area(
            eps_am * t["NMC-SE contact retained at the 2nd charge (estimated)"],
            radius,
            t["Initial positive electrode interface utilisation"],
            thickness,
            area,
        )
        j0 = d.cathode_exchange_current_density(
            t["Composite interface resistance at the 2nd charge [Ohm]"],
            contact,
            film_asr,
            t["Ambient temperature [K]"],
        )
        return d.reference_exchange_current(
            j0,
            t["Positive electrode stoichiometry at the 2nd charge"],
            nmc111.REFERENCE_STOICHIOMETRY,
        )

    t.infer(
        "Positive electrode reference exchange-current density [A.m-2]",
        exchange_current,
        "A.m-2",
        "derivations.cathode_exchange_current_density(composite interface resistance at the "
        "2nd charge, contact area a·θc·L·A·r with a = 3 u_AM ε_NMC / R_p and r the contact "
        "retained, coating + interphase-at-the-2nd-charge ASR), referred to x_ref "
        "(derivations.reference_exchange_current), per contact area",
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
    rows_txt = cell.impedance_text
    t.infer(
        "Positive electrode double-layer capacity [F.m-2]",
        lambda: d.particle_double_layer_capacitance(
            t["Table C_eff,SE/Cat [F]"], eps_am, radius, thickness, area
        ),
        "F.m-2",
        f"derivations.particle_double_layer_capacitance(mean C_eff,SE/Cat of {rows_txt})",
    )


def _counter_electrode(t: ParameterTable, cell: CellDescription) -> None:
    """Counter electrode: potential, exchange current from R_SE/An, double layer."""
    area = t["Electrode width [m]"] * t["Electrode height [m]"]
    t.infer(
        "Exchange-current density for lithium metal electrode [A.m-2]",
        lambda: d.exchange_current_from_resistance(
            t["Li-In interface resistance [Ohm]"], area, t["Ambient temperature [K]"]
        ),
        "A.m-2",
        "derivations.exchange_current_from_resistance(Li–In interface resistance, area, T)",
    )
    rows_txt = cell.impedance_text
    for name, why in (
        ("Lithium counter electrode double-layer capacity [F.m-2]", ""),
        (
            "Negative electrode double-layer capacity [F.m-2]",
            " (PyBaMM reads the Li-metal interface capacitance under this name)",
        ),
    ):
        t.infer(
            name,
            lambda: t["Table C_eff,SE/An [F]"] / area,
            "F.m-2",
            f"mean C_eff,SE/An of {rows_txt} / electrode area{why}",
        )


def _counter_potential(t: ParameterTable, cell: CellDescription) -> None:
    """The Li–In potential vs Li."""
    name = "Li-In counter electrode potential vs Li [V]"
    if cell.counter_potential is not None:
        _described(t, cell, name, cell.counter_potential)
    else:
        _material(t, "counter_electrodes", cell.counter_electrode, "potential", name)


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
    _active_material(t, cell)
    _counter_potential(t, cell)
    _coating(t, cell)
    _protocol_defaults(t, cell)
    _charged_state(t)
    _impedance_inversion(t, cell)
    _composite_conductivity(t, cell)
    _cathode_interface(t, cell)
    _counter_electrode(t, cell)
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
    facts: dict | None = None,
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
    facts : dict, optional
        PyBaMM name → SI value: facts about the cell as measured (the inferences re-run
        with them), applied before the what-ifs of ``overrides`` (the calibration's trial
        constants, then a what-if of the calibrated cell).
    reinfer : bool
        Treat every override as a fact (``facts=overrides``).
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
    values = {**source.overrides, **dict(facts or {}), **dict(overrides or {})}
    ov = _as_overrides(values, source.values)
    known = set(facts or {}) | set(INFERENCE_DATA)
    data = ov if reinfer else {k: v for k, v in ov.items() if k in known}
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


#: Relative tolerance when a derived file's values are checked against a new derivation:
#: an edited value is caught; the inversion of the circuit fit (an iterative least-squares
#: fit, converged to 1e-4 in the fitted arcs) may differ in the last digits between
#: machines' linear-algebra libraries.
RTOL = 1e-6


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
