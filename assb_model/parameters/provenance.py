"""Parameter entries with unit and provenance, and tables of them."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: Provenance kinds. "paper": read off the reference paper; "description": given in a user's
#: cell description (docs/cells.md); "derived": computed from
#: other entries by a documented function in :mod:`assb_model.parameters.derivations`;
#: "literature": from a cited publication; "calibrated": fitted by a named script against
#: named data; "assumed": a modelling choice not (yet) constrained by data, with the
#: reason; "numerical": a device of the discretisation with no physical meaning.
KINDS = ("paper", "description", "derived", "literature", "calibrated", "assumed", "numerical")


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


@dataclass(frozen=True)
class Override:
    """A value that replaces what a parameter set would give.

    Parameters
    ----------
    value : float
        SI value.
    kind : str
        Provenance kind of the value (default "assumed").
    source : str
        Where it comes from (default: a user override).
    """

    value: Any
    kind: str = "assumed"
    source: str = "override"


@dataclass
class ParameterTable:
    """An ordered collection of :class:`Entry`, keyed by name, built by derivations that
    read earlier entries.

    Two mechanisms give every way into a parameter set one meaning (docs/parameters.md,
    "What-ifs"):

    - ``overrides``: a value given for a name replaces the value the set would give when
      the entry is added, so every later derivation reads the override (setting the
      composite mass re-derives its thickness);
    - ``frozen``: entries inferred from the set's own measurements (e.g. the exchange
      current from R_SE/Cat) are kept at the values inferred for the cell as built,
      instead of being re-inferred from a changed cell: a what-if changes the cell, not
      the materials.
    """

    entries: dict[str, Entry] = field(default_factory=dict)
    overrides: dict[str, Override] = field(default_factory=dict)
    frozen: dict[str, Entry] = field(default_factory=dict)
    #: Names added through :meth:`infer`.
    inferred_names: list[str] = field(default_factory=list)

    def _override(self, name: str, unit: str, was: str) -> Any:
        o = self.overrides[name]
        source = o.source if o.source != "override" else f"override{was}"
        self.entries[name] = Entry(name, o.value, unit, o.kind, source)
        return o.value

    def add(self, name, value, unit, kind, source) -> Any:
        """Add (or replace) an entry and return its value for use in later derivations
        (an override's value if one is given for ``name``)."""
        if name in self.overrides:
            return self._override(name, unit, f" (was {value!r}, {kind})")
        self.entries[name] = Entry(name, value, unit, kind, source)
        return value

    def infer(self, name: str, compute: Callable[[], Any], unit: str, source: str) -> Any:
        """Add an entry inferred from the set's measurements: computed by ``compute()``
        unless overridden or frozen (then ``compute`` is not called)."""
        self.inferred_names.append(name)
        if name in self.overrides:
            return self._override(name, unit, "")
        if name in self.frozen:
            e = self.frozen[name]
            self.entries[name] = Entry(
                name,
                e.value,
                e.unit,
                e.kind,
                e.source + " — inferred for the cell as built, held in what-ifs",
            )
            return e.value
        return self.add(name, compute(), unit, "derived", source)

    def inferred(self) -> dict[str, Entry]:
        """The entries added through :meth:`infer` (to freeze in a what-if)."""
        return {n: self.entries[n] for n in self.inferred_names}

    def unused_overrides(self) -> list[str]:
        """Overrides whose name no derivation added."""
        return [n for n in self.overrides if n not in self.entries]

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
