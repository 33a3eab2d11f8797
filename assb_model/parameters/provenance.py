"""Parameter entries with unit and provenance, and tables of them."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: Provenance kinds. "paper": read off the reference paper; "derived": computed from
#: other entries by a documented function in :mod:`assb_model.parameters.derivations`;
#: "literature": from a cited publication; "calibrated": fitted by a named script against
#: named data; "assumed": a modelling choice not (yet) constrained by data, with the
#: reason; "numerical": a device of the discretisation with no physical meaning.
KINDS = ("paper", "derived", "literature", "calibrated", "assumed", "numerical")


@dataclass(frozen=True)
class Entry:
    """One model parameter.

    Parameters
    ----------
    name : str
        PyBaMM-style name, "Description [unit]".
    value : float or callable
        Value in SI units (callables: functions of state, e.g. the OCP).
    unit : str
        Unit of ``value`` ("-" for dimensionless).
    kind : str
        One of :data:`KINDS`.
    source : str
        Where the value comes from: table and row, section, formula, or citation/DOI.
    """

    name: str
    value: Any
    unit: str
    kind: str
    source: str

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"parameter '{self.name}': unknown provenance kind '{self.kind}'")


@dataclass
class ParameterTable:
    """An ordered collection of :class:`Entry`, keyed by name."""

    entries: dict[str, Entry] = field(default_factory=dict)

    def add(self, name, value, unit, kind, source) -> Any:
        """Add (or replace) an entry and return its value for use in later derivations."""
        self.entries[name] = Entry(name, value, unit, kind, source)
        return value

    def __getitem__(self, name: str) -> Any:
        return self.entries[name].value

    def __contains__(self, name: str) -> bool:
        return name in self.entries

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def values_dict(self) -> dict[str, Any]:
        """Name → value, as accepted by :class:`pybamm.ParameterValues`."""
        return {e.name: e.value for e in self}

    def rows(self) -> list[dict[str, str]]:
        """Printable rows: name, value, unit, kind, source."""
        out = []
        for e in self:
            if isinstance(e.value, Callable):
                value = f"function {getattr(e.value, '__name__', 'f')}"
            elif isinstance(e.value, float):
                value = f"{e.value:.6g}"
            else:
                value = str(e.value)
            out.append(
                {"name": e.name, "value": value, "unit": e.unit, "kind": e.kind, "source": e.source}
            )
        return out
