"""Parameter-set files: a shipped set plus values, usable wherever a set name is.

A parameter-set file is JSON::

    {
     "name": "my_cell",
     "description": "...",
     "base_parameter_set": "giraldo2021_sp_lpscl_coated",
     "values": {
      "Positive particle diffusivity [m2.s-1]": {"value": 3e-15, "unit": "m2.s-1",
                                                 "kind": "calibrated", "source": "..."},
      "sigma_se": {"value": 1e-4}
     }
    }

``assb fit`` writes such files (:mod:`assb_model.fit.fitted_sets`); they can also be written
by hand. A key is a PyBaMM parameter name (SI value) or a registry alias (value in the
alias's unit, :mod:`assb_model.parameters.registry`). The values are applied to the base set
as what-ifs (:func:`assb_model.parameters.sets.build_parameter_table`): what follows from
them is re-derived, the constants inferred from the base set's own measurements are kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from assb_model.errors import ParameterError, UnknownParameterSetError
from assb_model.parameters import registry
from assb_model.parameters.catalog import PARAMETER_SET_NAMES, looks_like_file


@dataclass(frozen=True)
class SetSource:
    """Where a parameter set comes from.

    Attributes
    ----------
    base : str
        Name of the shipped set the values start from.
    label : str
        How to name it in messages: the set name or the file path.
    values : dict
        PyBaMM name → ``{"value": SI value, "kind": ..., "source": ...}`` from the file.
    path : pathlib.Path or None
    content : dict
        The whole file (empty for a shipped set).
    """

    base: str
    label: str
    values: dict = field(default_factory=dict)
    path: Path | None = None
    content: dict = field(default_factory=dict)

    @property
    def overrides(self) -> dict[str, float]:
        """PyBaMM name → SI value of the file's values."""
        return {k: e["value"] for k, e in self.values.items()}


def read_parameter_file(path: str | Path) -> dict:
    """The content of a parameter-set file, checked for ``base_parameter_set`` and
    ``values``.

    Raises
    ------
    ParameterError
        The file cannot be read or is not a parameter-set file (one line naming it).
    """
    path = Path(path)
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UnknownParameterSetError(f"{path}: no such parameter-set file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParameterError(f"{path}: cannot read parameter-set file: {exc}") from None
    base = content.get("base_parameter_set") if isinstance(content, dict) else None
    if not base or not isinstance(content.get("values"), dict):
        raise ParameterError(
            f"{path}: not a fitted parameter set or parameter-set file (needs "
            "'base_parameter_set' and 'values')"
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
    """The :class:`SetSource` of a set name or a parameter-set file path.

    Raises
    ------
    UnknownParameterSetError
        Neither a shipped set nor an existing file.
    ParameterError
        A malformed file.
    """
    if isinstance(parameter_set, SetSource):
        return parameter_set
    text = str(parameter_set)
    if text in PARAMETER_SET_NAMES:
        return SetSource(text, text)
    if not looks_like_file(parameter_set) and not Path(text).is_file():
        # cell_definition raises the message listing the sets
        from assb_model.parameters.catalog import cell_definition

        cell_definition(text)
    path = Path(text)
    content = read_parameter_file(path)
    values = dict(_entry(path, k, v) for k, v in content["values"].items())
    return SetSource(content["base_parameter_set"], str(path), values, path, content)


def write_parameter_file(path: str | Path, content: dict) -> Path:
    """Write a parameter-set file (parent folders are created); checks that it reads back.

    Parameters
    ----------
    path : str or pathlib.Path
    content : dict
        ``name``, ``base_parameter_set``, ``values`` and any other fields.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=1, ensure_ascii=False, allow_nan=False) + "\n")
    read_parameter_file(path)
    return path


__all__ = ["SetSource", "read_parameter_file", "resolve_source", "write_parameter_file"]
