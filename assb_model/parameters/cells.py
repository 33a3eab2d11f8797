"""Cell descriptions: a cell as built and measured, in a TOML file (docs/cells.md).

A description holds the data of one cell — composite mass, diameter, weight fractions,
materials (from the library ``parameter_sets/materials.json``), SE conductivity, process,
coating, separator, counter electrode and, optionally, the fitted impedance arcs at the 2nd
charge (or a spectrum file to fit with the paper's circuit first) — and nothing derived.
:func:`assb_model.parameters.sets.build_parameter_table` turns it into a parameter set;
``assb derive CELL.toml`` writes that set as a file with full provenance. The five paper
sets are the descriptions in ``parameter_sets/paper/cells/``.

:func:`load_cell` checks a description and names the key of any problem in one line
(:class:`CellError`).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module, resources
from pathlib import Path
from typing import Any

import pandas as pd

from assb_model.errors import UserError
from assb_model.parameters import paper
from assb_model.parameters.catalog import data_dir, read_json

#: The columns of an impedance row (Tables 2 and 3): resistance [Ohm] and effective
#: capacitance [µF] per arc, in the tables' column names.
IMPEDANCE_COLUMNS = {
    "R_SE_ohm": "R_SE_ohm",
    "C_SE_uF": "Ceff_SE_uF",
    "R_GB_ohm": "R_GB_ohm",
    "C_GB_uF": "Ceff_GB_uF",
    "R_SECat_ohm": "R_SECat_ohm",
    "C_SECat_uF": "Ceff_SECat_uF",
    "R_SEAn_ohm": "R_SEAn_ohm",
    "C_SEAn_uF": "Ceff_SEAn_uF",
}
#: Keys an impedance row must give (the capacitance of the bulk arc may be missing: the
#: paper fitted some spectra with a bare R_SE).
REQUIRED_ARCS = ("R_SE_ohm", "R_GB_ohm", "C_GB_uF", "R_SECat_ohm", "C_SECat_uF", "R_SEAn_ohm")

#: Provenance kind of a value read from a description, by the description's ``data_kind``.
DATA_KINDS = ("paper", "description")


class CellError(UserError, ValueError):
    """A cell description that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Value:
    """A number of a description, in SI, with where it comes from."""

    value: float
    unit: str
    source: str


@dataclass(frozen=True)
class CellDescription:
    """A checked cell description (all numbers SI; :attr:`raw` is the file's content).

    Attributes
    ----------
    name, description : str
    data_kind : str
        "paper" (the paper's data) or "description" (a user's cell): the provenance kind
        of the values read from it.
    path : pathlib.Path or None
    composite_mass, diameter : Value
    mass_fractions : dict
        "active", "electrolyte", "carbon" → :class:`Value`.
    void_fraction : Value or None
    active_material, carbon, electrolyte, process, coating, separator, counter_electrode : str
        Names in the material library.
    electrolyte_conductivity : Value
    coating_thickness : Value
    coating_conductivity : Value or None
    separator_mass : Value
    separator_void_fraction, separator_conductivity : Value or None
    counter_potential : Value or None
    microstructure : dict
        Process inputs given in the description (PyBaMM name → :class:`Value`).
    impedance : pandas.DataFrame or None
        One row per batch, columns of Tables 2/3 (``R_SE_ohm``, ``Ceff_SE_uF``...).
    impedance_text : str
        How to cite the rows.
    reference_cell : str or None
        A set whose inferred interface and transport constants the cell takes when it has
        no impedance data of its own.
    initial_capacity : float or None
        Measured first discharge capacity [mAh/g] (a target for calibration, not an input).
    raw : dict
    """

    name: str
    description: str
    data_kind: str
    path: Path | None
    composite_mass: Value
    diameter: Value
    mass_fractions: dict
    void_fraction: Value | None
    active_material: str
    carbon: str
    electrolyte: str
    electrolyte_conductivity: Value
    process: str
    coating: str
    coating_thickness: Value
    coating_conductivity: Value | None
    separator: str
    separator_mass: Value
    separator_void_fraction: Value | None
    separator_conductivity: Value | None
    counter_electrode: str
    counter_potential: Value | None
    microstructure: dict = field(default_factory=dict)
    impedance: pd.DataFrame | None = None
    impedance_text: str = ""
    reference_cell: str | None = None
    initial_capacity: float | None = None
    raw: dict = field(default_factory=dict)

    @property
    def coated(self) -> bool:
        return self.coating != "none" and self.coating_thickness.value > 0

    @property
    def process_label(self) -> str:
        return library("processes", self.process).get("label", self.process)

    @property
    def kind(self) -> str:
        """Provenance kind of the description's own numbers."""
        return "paper" if self.data_kind == "paper" else "description"


# --- the material library ----------------------------------------------------------------
@cache
def _library() -> dict:
    return read_json("materials.json")


def library(section: str, name: str) -> dict:
    """A library entry (``library("active_materials", "NMC111")``).

    Raises
    ------
    CellError
        Unknown name, or an entry that is not available yet (with the reason).
    """
    entries = _library()[section]
    what = _SINGULAR.get(section, section)
    if name not in entries:
        raise CellError(
            f"unknown {what} '{name}'; the library has "
            f"{', '.join(k for k, e in entries.items() if e.get('available', True))}"
        )
    entry = entries[name]
    if not entry.get("available", True):
        raise CellError(f"{what} '{name}': {entry['reason']}")
    return entry


_SINGULAR = {
    "active_materials": "active material",
    "solid_electrolytes": "solid electrolyte",
    "carbons": "carbon",
    "coatings": "coating",
    "processes": "process",
    "counter_electrodes": "counter electrode",
}


def resolve(spec: Any, unit: str = "") -> tuple[Any, str, str, str]:
    """A library value: ``(value, unit, kind, source)``.

    ``spec`` is a number, ``"literature:KEY"`` (literature.json), ``"module:name"`` (a
    function) or ``{"value", "unit", "source"}``.
    """
    if isinstance(spec, int | float):
        return float(spec), unit or "-", "literature", "material library"
    if isinstance(spec, dict):
        return float(spec["value"]), spec["unit"], "literature", spec["source"]
    if isinstance(spec, str) and spec.startswith("literature:"):
        e = read_json("literature.json")[spec.split(":", 1)[1]]
        note = "" if e.get("verified", False) else " [not verified in source]"
        unit = e["unit"].replace(" vs Li/Li+", "").replace(" ", ".")
        return e["value"], unit, "literature", e["source"] + note
    if isinstance(spec, str) and ":" in spec:
        module, name = spec.split(":", 1)
        return getattr(import_module(module), name), unit, "literature", spec
    raise ValueError(f"material library: cannot read {spec!r}")


# --- reading and checking a description ----------------------------------------------------
class _Reader:
    """Reads keys of a TOML table and names the key of any problem."""

    def __init__(self, content: dict, where: str, kind: str):
        self.content, self.where, self.kind = content, where, kind

    def fail(self, key: str, problem: str) -> CellError:
        return CellError(f"{self.where}: {key}: {problem}")

    def table(self, name: str, required: bool = True) -> dict:
        value = self.content.get(name)
        if value is None:
            if required:
                raise self.fail(f"[{name}]", "missing (see docs/cells.md)")
            return {}
        if not isinstance(value, dict):
            raise self.fail(f"[{name}]", "must be a table")
        return value

    def text(self, table: str, key: str, default=None) -> str:
        t = self.content.get(table, {}) if table else self.content
        value = t.get(key, default)
        label = f"[{table}] {key}" if table else key
        if value is None:
            raise self.fail(label, "missing")
        if not isinstance(value, str):
            raise self.fail(label, f"must be text, got {value!r}")
        return value

    def number(
        self,
        table: str,
        key: str,
        unit: str,
        factor: float = 1.0,
        *,
        minimum: float | None = 0.0,
        exclusive: bool = True,
        maximum: float | None = None,
        default=None,
        default_source: str = "",
    ) -> Value | None:
        t = self.content.get(table, {})
        label = f"[{table}] {key}"
        if key not in t:
            if default is None:
                if default_source == "optional":
                    return None
                raise self.fail(label, "missing")
            return Value(float(default) * factor, unit, default_source)
        value = t[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(label, f"must be a number, got {value!r}")
        v = float(value)
        if not math.isfinite(v):
            raise self.fail(label, f"must be finite, got {v}")
        if minimum is not None and (v < minimum or (exclusive and v == minimum)):
            word = "positive" if minimum == 0 and exclusive else f">= {minimum:g}"
            if minimum == 0 and not exclusive:
                word = "zero or positive"
            raise self.fail(label, f"must be {word}, got {v:g}")
        if maximum is not None and v > maximum:
            raise self.fail(label, f"must be at most {maximum:g}, got {v:g}")
        sources = t.get("sources", {})
        source = sources.get(key) if isinstance(sources, dict) else None
        where = self.where if self.kind != "paper" else "paper"
        return Value(v * factor, unit, source or f"cell description ({where}): {label}")


def _fractions(r: _Reader) -> dict:
    comp = r.table("composite")
    raw = comp.get("mass_fractions")
    if not isinstance(raw, dict):
        raise r.fail("[composite] mass_fractions", "missing (a table: active, electrolyte, carbon)")
    unknown = sorted(set(raw) - {"active", "electrolyte", "carbon"})
    if unknown:
        raise r.fail("[composite] mass_fractions", f"unknown component(s) {unknown}")
    out = {}
    sources = comp.get("sources", {}) if isinstance(comp.get("sources"), dict) else {}
    for part in ("active", "electrolyte", "carbon"):
        v = raw.get(part, 0.0 if part == "carbon" else None)
        label = f"[composite] mass_fractions.{part}"
        if v is None:
            raise r.fail(label, "missing")
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 1:
            raise r.fail(label, f"must be a number in [0, 1], got {v!r}")
        src = sources.get("mass_fractions") or f"cell description: {label}"
        out[part] = Value(float(v), "-", src)
    total = sum(v.value for v in out.values())
    if abs(total - 1) > 1e-6:
        raise r.fail("[composite] mass_fractions", f"must sum to 1, they sum to {total:g}")
    if out["active"].value <= 0 or out["electrolyte"].value <= 0:
        raise r.fail("[composite] mass_fractions", "active and electrolyte must be above 0")
    return out


def _impedance(r: _Reader, content: dict, base: Path | None) -> tuple:
    imp = content.get("impedance")
    if imp is None:
        return None, ""
    if not isinstance(imp, dict):
        raise r.fail("[impedance]", "must be a table")
    if "table" in imp:  # rows of the paper's tables, by reference
        table = imp["table"]
        rows = imp.get("rows")
        if table not in ("table2", "table3") or not isinstance(rows, list) or not rows:
            raise r.fail("[impedance]", "table must be 'table2' or 'table3' with rows = [...]")
        try:
            selected = paper.impedance_rows(table, rows, imp.get("process"))
        except KeyError as exc:
            raise r.fail("[impedance] rows", str(exc.args[0])) from None
        text = f"{'Table 2' if table == 'table2' else 'Table 3'} rows {rows}"
        if imp.get("process"):
            text += f" ({imp['process']})"
        return selected.reset_index(drop=True), text
    if "spectrum" in imp:
        return _rows_from_spectrum(r, imp, base)
    batches = imp.get("batch")
    if not isinstance(batches, list) or not batches:
        raise r.fail(
            "[impedance]",
            "give [[impedance.batch]] rows (R in Ohm, C in µF), table + rows, or spectrum",
        )
    rows = []
    for k, batch in enumerate(batches, start=1):
        row = {"sample": str(batch.get("label", f"batch {k}"))}
        for key, column in IMPEDANCE_COLUMNS.items():
            v = batch.get(key)
            label = f"[[impedance.batch]] {k}: {key}"
            if v is None:
                if key in REQUIRED_ARCS:
                    raise r.fail(label, "missing")
                row[column] = float("nan")
                continue
            if isinstance(v, bool) or not isinstance(v, int | float) or not v > 0:
                raise r.fail(label, f"must be a positive number, got {v!r}")
            row[column] = float(v)
        rows.append(row)
    return pd.DataFrame(rows), f"{r.where} [[impedance.batch]] ({len(rows)} row(s))"


def _rows_from_spectrum(r: _Reader, imp: dict, base: Path | None) -> tuple:
    """Fit the paper's circuit to a spectrum file; one row of fitted arcs."""
    from assb_model.ecm.fitting import fit_circuit
    from assb_model.ecm.io import read_spectrum

    path = Path(imp["spectrum"])
    if base is not None and not path.is_absolute():
        path = base / path
    circuit = imp.get("circuit", "paper-fig7")
    spectrum = read_spectrum(path)
    fit = fit_circuit(circuit, spectrum.frequency, spectrum.impedance)
    arcs = {a.name: a for a in fit.arcs()}
    missing = [a for a in ("SE", "GB", "SECat", "SEAn") if a not in arcs]
    if missing:
        raise r.fail("[impedance] circuit", f"the fitted circuit has no arc(s) {missing}")
    row = {"sample": path.name}
    for name in ("SE", "GB", "SECat", "SEAn"):
        row[f"R_{name}_ohm"] = float(arcs[name].R_ohm)
        c = arcs[name].C_eff_F * 1e6
        row[f"Ceff_{name}_uF"] = float(c) if math.isfinite(c) else float("nan")
    return pd.DataFrame([row]), f"{path.name} fitted with the paper's circuit {circuit}"


def _void_fraction(r: _Reader, table: str) -> Value | None:
    return r.number(
        table,
        "void_fraction",
        "-",
        minimum=0,
        exclusive=False,
        maximum=0.99,
        default_source="optional",
    )


def parse_cell(content: dict, where: str = "cell description", path: Path | None = None):
    """Check a description's content and return a :class:`CellDescription`.

    Raises
    ------
    CellError
        One line naming the key and the problem.
    """
    data_kind = content.get("data_kind", "description")
    if data_kind not in DATA_KINDS:
        raise CellError(f"{where}: data_kind: must be one of {DATA_KINDS}, got {data_kind!r}")
    r = _Reader(content, where, data_kind)
    name = r.text("", "name")
    for t in ("composite", "active_material", "solid_electrolyte", "separator"):
        r.table(t)
    active = r.text("active_material", "name")
    library("active_materials", active)
    carbon = content.get("carbon", {}).get("name", "VGCF")
    library("carbons", carbon)
    electrolyte = r.text("solid_electrolyte", "name")
    library("solid_electrolytes", electrolyte)
    process = r.text("process", "name", default="simple_mixture") if "process" in content else None
    if process is None:
        raise r.fail("[process] name", "missing ('simple_mixture' or 'solution')")
    library("processes", process)
    coating_table = content.get("coating", {"material": "none"})
    coating = coating_table.get("material", "none")
    library("coatings", coating)
    separator = r.text("separator", "material", default="75Li2S-25P2S5")
    library("solid_electrolytes", separator)
    counter = content.get("counter_electrode", {}).get("kind", "Li-In")
    library("counter_electrodes", counter)

    micro = {}
    names = {
        "contact_number": "NMC-SE contact number",
        "contact_fraction": "Initial positive electrode interface utilisation",
    }
    for key, pybamm_name in names.items():
        v = r.number("process", key, "-", minimum=0, exclusive=True, default_source="optional")
        if v is not None:
            if key == "contact_fraction" and v.value > 1:
                raise r.fail(f"[process] {key}", f"must be at most 1, got {v.value:g}")
            micro[pybamm_name] = v
    base = path.parent if path is not None else None
    impedance, impedance_text = _impedance(r, content, base)
    reference = content.get("reference_cell")
    if impedance is None and reference is None:
        raise r.fail(
            "[impedance]",
            "missing: give the fitted arcs at the 2nd charge ([[impedance.batch]]), a "
            "spectrum file, or reference_cell = NAME to take a paper cell's interface "
            "constants",
        )
    coating_thickness = (
        r.number("coating", "thickness_nm", "m", 1e-9, minimum=0, exclusive=False)
        if coating != "none"
        else Value(0.0, "m", "uncoated: no coating")
    )
    capacity = content.get("initial_capacity_mAh_per_g")
    return CellDescription(
        name=name,
        description=str(content.get("description", name)),
        data_kind=data_kind,
        path=path,
        composite_mass=r.number("composite", "mass_mg", "kg", 1e-6),
        diameter=r.number("composite", "diameter_mm", "m", 1e-3),
        mass_fractions=_fractions(r),
        void_fraction=_void_fraction(r, "composite"),
        active_material=active,
        carbon=carbon,
        electrolyte=electrolyte,
        electrolyte_conductivity=r.number(
            "solid_electrolyte", "conductivity_S_per_cm", "S.m-1", 100.0, maximum=1.0
        ),
        process=process,
        coating=coating,
        coating_thickness=coating_thickness,
        coating_conductivity=r.number(
            "coating", "conductivity_S_per_cm", "S.m-1", 100.0, default_source="optional"
        )
        if coating != "none"
        else None,
        separator=separator,
        separator_mass=r.number("separator", "mass_mg", "kg", 1e-6),
        separator_void_fraction=_void_fraction(r, "separator"),
        separator_conductivity=r.number(
            "separator", "conductivity_S_per_cm", "S.m-1", 100.0, default_source="optional"
        ),
        counter_electrode=counter,
        counter_potential=r.number(
            "counter_electrode", "potential_V", "V", minimum=None, default_source="optional"
        ),
        microstructure=micro,
        impedance=impedance,
        impedance_text=impedance_text,
        reference_cell=reference,
        initial_capacity=float(capacity) if capacity is not None else None,
        raw=content,
    )


def load_cell(path) -> CellDescription:
    """Read and check a cell-description TOML file.

    Raises
    ------
    CellError
        Unreadable file or a problem with a key (one line naming it).
    """
    path = Path(path)
    try:
        content = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CellError(f"{path}: no such cell description") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CellError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CellError(f"{path}: not valid TOML: {exc}") from None
    return parse_cell(content, str(path), path)


@cache
def paper_cell(name: str) -> CellDescription:
    """The shipped description of a paper set (``parameter_sets/paper/cells/NAME.toml``)."""
    with resources.as_file(data_dir() / "paper" / "cells" / f"{name}.toml") as path:
        cell = load_cell(path)
    if cell.name != name:
        raise CellError(f"{path}: name '{cell.name}' does not match the file")
    return cell


__all__ = [
    "IMPEDANCE_COLUMNS",
    "CellDescription",
    "CellError",
    "Value",
    "library",
    "load_cell",
    "paper_cell",
    "parse_cell",
    "resolve",
]
