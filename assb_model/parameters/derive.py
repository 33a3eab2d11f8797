"""``assb derive``: a cell description → a parameter-set file with full provenance.

The file (``NAME.json``) holds the checked description (``cell_description``; a spectrum
given to fit is replaced by the arcs fitted to it) and every value the derivation gives
(``values``: value, unit, kind, source); ``NAME_report.md`` says in a few lines what came
from the description, what was derived, and what was assumed, taken from literature or
calibrated. The file works wherever a set name does (``--parameter-set PATH``): loading it
derives the set again from the embedded description and checks that the values still match
(an edited value, or a set derived by another version, is an error naming the values).
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

from assb_model.parameters.cells import IMPEDANCE_COLUMNS, CellDescription, load_cell
from assb_model.parameters.files import SetSource, write_parameter_file
from assb_model.parameters.provenance import ParameterTable
from assb_model.parameters.sets import build_parameter_table, check_derived_values


def _plain(value):
    if callable(value):
        return f"function {getattr(value, '__name__', 'f')}"
    return value


def embedded_description(cell: CellDescription) -> dict:
    """The description as stored in a derived file: a spectrum to fit is replaced by the
    fitted arcs (so that loading the file does not need the spectrum file)."""
    raw = {k: v for k, v in cell.raw.items()}
    imp = raw.get("impedance")
    if isinstance(imp, dict) and "spectrum" in imp and cell.impedance is not None:
        rows = []
        for _, r in cell.impedance.iterrows():
            row = {"label": f"{r['sample']} (fitted: {cell.impedance_text})"}
            for key, column in IMPEDANCE_COLUMNS.items():
                if column in r and not math.isnan(r[column]):
                    row[key] = float(r[column])
            rows.append(row)
        raw["impedance"] = {"batch": rows}
    return raw


def derived_content(table: ParameterTable, cell: CellDescription) -> dict:
    """The JSON content of a derived set file."""
    from assb_model import __version__

    values = {
        e.name: {"value": _plain(e.value), "unit": e.unit, "kind": e.kind, "source": e.source}
        for e in table
    }
    return {
        "name": cell.name,
        "description": cell.description,
        "derived_by": f"assb derive (assb-model {__version__})",
        "kinds": dict(Counter(e.kind for e in table)),
        "cell_description": embedded_description(cell),
        "values": values,
    }


def report(table: ParameterTable, cell: CellDescription) -> str:
    """A short Markdown report of what was derived and what was assumed."""
    lines = [
        f"# {cell.name}: derived parameter set",
        "",
        cell.description,
        "",
        f"{len(table)} values: "
        + ", ".join(f"{n} {k}" for k, n in Counter(e.kind for e in table).most_common())
        + ".",
        "",
    ]
    if cell.impedance is None:
        lines += [
            f"No impedance data: the interface and transport constants are those inferred for "
            f"the reference cell `{cell.reference_cell}` (held as what-ifs).",
            "",
        ]
    else:
        lines += [f"Impedance data: {cell.impedance_text}.", ""]
    sections = [
        ("From the description", (cell.kind,)),
        ("Derived (by which function)", ("derived",)),
        ("Assumed (not constrained by data; candidates for calibration)", ("assumed",)),
        ("Calibrated", ("calibrated",)),
    ]
    for title, kinds in sections:
        entries = [e for e in table if e.kind in kinds]
        if not entries:
            continue
        lines += [f"## {title}", "", "| parameter | value | unit | source |", "|---|---|---|---|"]
        for e in entries:
            value = _plain(e.value)
            shown = f"{value:.6g}" if isinstance(value, float) else str(value)
            lines.append(f"| {e.name} | {shown} | {e.unit} | {e.source} |")
        lines.append("")
    literature = [e for e in table if e.kind == "literature"]
    unverified = [e.name for e in literature if "not verified" in e.source]
    lines.append(
        f"{len(literature)} values from the literature and the material library"
        + (
            f" ({len(unverified)} not verified in a source: {', '.join(unverified)})."
            if unverified
            else "."
        )
    )
    return "\n".join(lines) + "\n"


def derive(description, out) -> tuple[Path, Path, ParameterTable]:
    """Derive a cell description (a TOML path or a :class:`CellDescription`) and write
    ``OUT/NAME.json`` and ``OUT/NAME_report.md``.

    Returns
    -------
    (set file, report file, table)
    """
    cell = description if isinstance(description, CellDescription) else load_cell(description)
    table = build_parameter_table(SetSource(cell.name, cell.name, cell))
    out = Path(out)
    path = write_parameter_file(out / f"{cell.name}.json", derived_content(table, cell))
    report_path = out / f"{cell.name}_report.md"
    report_path.write_text(report(table, cell), encoding="utf-8")
    return path, report_path, table


__all__ = ["check_derived_values", "derive", "derived_content", "embedded_description", "report"]
