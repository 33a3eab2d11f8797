"""Where a parameter set comes from: a shipped name, a cell description, or a set file.

``--parameter-set`` (and every ``parameter_set`` argument of the API) accepts:

- a shipped set name (``assb list``): the paper's cell descriptions
  (``parameter_sets/paper/cells/NAME.toml``);
- a **cell description** ``*.toml`` (docs/cells.md): derived as it is;
- a **derived set file** ``*.json`` written by ``assb derive``: its embedded cell
  description, derived again (the file's values are the record of that derivation; a
  value that no longer matches is an error, not silently used);
- a **parameter-set file** ``*.json`` with ``base_parameter_set`` and ``values``
  (``assb fit`` writes them; they can be written by hand)::

      {"name": "my_cell", "base_parameter_set": "giraldo2021_sp_lpscl_coated",
       "values": {"Positive particle diffusivity [m2.s-1]": {"value": 3e-15,
                  "kind": "calibrated", "source": "..."}, "sigma_se": {"value": 1e-4}}}

  A key is a PyBaMM name (SI value) or a registry alias (value in the alias's unit). The
  values are applied to the base set as what-ifs
  (:func:`assb_model.parameters.sets.build_parameter_table`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from assb_model.errors import ParameterError, UnknownParameterSetError
from assb_model.parameters import registry
from assb_model.parameters.catalog import PARAMETER_SET_NAMES, cell_definition, looks_like_file
from assb_model.parameters.cells import CellDescription, load_cell, paper_cell, parse_cell


@dataclass(frozen=True)
class SetSource:
    """Where a parameter set comes from.

    Attributes
    ----------
    base : str
        Name of the cell (the shipped set a file starts from, or the description's name).
    label : str
        How to name it in messages: the set name or the file path.
    cell : CellDescription
    values : dict
        PyBaMM name → ``{"value": SI value, "kind": ..., "source": ...}`` applied as
        what-ifs (parameter-set files).
    path : pathlib.Path or None
    content : dict
        The whole file (empty for a shipped set).
    """

    base: str
    label: str
    cell: CellDescription
    values: dict = field(default_factory=dict)
    path: Path | None = None
    content: dict = field(default_factory=dict)

    @property
    def overrides(self) -> dict[str, float]:
        """PyBaMM name → SI value of the file's values."""
        return {k: e["value"] for k, e in self.values.items()}


def _read_json(path: Path) -> dict:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UnknownParameterSetError(f"{path}: no such parameter-set file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParameterError(f"{path}: cannot read fitted parameter set (JSON): {exc}") from None
    if not isinstance(content, dict):
        raise ParameterError(f"{path}: not a parameter-set file (a JSON object expected)")
    return content


def read_parameter_file(path: str | Path) -> dict:
    """The content of a parameter-set file, checked for ``base_parameter_set`` and
    ``values`` (or ``cell_description`` for a derived set).

    Raises
    ------
    ParameterError
        The file cannot be read or is not a parameter-set file (one line naming it).
    """
    path = Path(path)
    content = _read_json(path)
    if isinstance(content.get("cell_description"), dict):
        return content
    base = content.get("base_parameter_set")
    if not base or not isinstance(content.get("values"), dict):
        raise ParameterError(
            f"{path}: not a fitted parameter set or parameter-set file (needs "
            "'base_parameter_set' and 'values', or a 'cell_description')"
        )
    if base not in PARAMETER_SET_NAMES:
        raise ParameterError(
            f"{path}: unknown base parameter set '{base}' (one of {', '.join(PARAMETER_SET_NAMES)})"
        )
    return content


def _entry(path: Path, key: str, raw) -> tuple[str, dict]:
    """A file value → (PyBaMM name, entry with an SI value)."""
    entry = dict(raw) if isinstance(raw, dict) else {"value": raw}
    if "value" not in entry:
        raise ParameterError(f"{path}: '{key}' has no 'value'")
    value = entry["value"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParameterError(f"{path}: '{key}': value {value!r} is not a number")
    q = registry.lookup(key)
    if q is not None and key != q.name:  # an alias: value in the alias's unit
        if q.is_protocol:
            raise ParameterError(f"{path}: '{key}' is a protocol setting, not a parameter")
        q.check(value, str(path))
        entry["value"] = q.to_model(value)
        key = q.name
    entry.setdefault("kind", "assumed")
    entry.setdefault("source", f"parameter-set file {path.name}")
    return key, entry


def resolve_source(parameter_set) -> SetSource:
    """The :class:`SetSource` of a set name, a cell description or a set file.

    Raises
    ------
    UnknownParameterSetError
        Neither a shipped set nor an existing file.
    ParameterError
        A malformed file (:class:`~assb_model.parameters.cells.CellError` for a
        description).
    """
    if isinstance(parameter_set, SetSource):
        return parameter_set
    if isinstance(parameter_set, CellDescription):
        return SetSource(parameter_set.name, parameter_set.name, parameter_set)
    text = str(parameter_set)
    if text in PARAMETER_SET_NAMES:
        return SetSource(text, text, paper_cell(text))
    if not looks_like_file(parameter_set) and not Path(text).is_file():
        cell_definition(text)  # raises the message listing the sets
    path = Path(text)
    if path.suffix == ".toml":
        cell = load_cell(path)
        return SetSource(cell.name, str(path), cell, path=path)
    content = read_parameter_file(path)
    if "cell_description" in content:
        cell = parse_cell(content["cell_description"], str(path), path)
        return SetSource(cell.name, str(path), cell, path=path, content=content)
    values = dict(_entry(path, k, v) for k, v in content["values"].items())
    base = content["base_parameter_set"]
    return SetSource(base, str(path), paper_cell(base), values, path, content)


def write_parameter_file(path: str | Path, content: dict) -> Path:
    """Write a parameter-set file (parent folders are created); checks that it reads back.

    Parameters
    ----------
    path : str or pathlib.Path
    content : dict
        ``name``, ``base_parameter_set``, ``values`` (or ``cell_description``) and any other
        fields.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(content, indent=1, ensure_ascii=False, allow_nan=False, default=str) + "\n"
    )
    read_parameter_file(path)
    return path


__all__ = ["SetSource", "read_parameter_file", "resolve_source", "write_parameter_file"]
