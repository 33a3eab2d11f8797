"""Equivalent circuits: series/parallel composition, a circuit-string parser, paper circuits.

Circuits are trees of Python objects::

    Series(R("R0"), Parallel(R("R1"), CPE("CPE1")), FiniteWarburgOpen("Wo1"))

and can be written as impedance.py-style strings, ``"R0-p(R1,CPE1)-Wo1"``: ``-`` joins in
series, ``p(a,b,...)`` joins in parallel, and an element is a registered symbol (see
:data:`assb_model.ecm.elements.ELEMENT_REGISTRY`) followed by a label. The string is read by
a small recursive-descent parser; nothing is ``eval``-ed.

A circuit's parameters form one flat vector, ordered as the elements appear in the string
(:attr:`~assb_model.ecm.elements.Component.param_names`); ``circuit.impedance(f, params)``
is vectorised over ``f``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from assb_model.ecm.elements import (
    CPE,
    ELEMENT_REGISTRY,
    AnomalousDiffusionReflective,
    AnomalousDiffusionTransmissive,
    C,
    Component,
    Element,
    FiniteWarburgOpen,
    FiniteWarburgShort,
    L,
    R,
    Warburg,
    register_element,
)
from assb_model.errors import UserError

__all__ = [
    "CPE",
    "PAPER_ARC_LABELS",
    "AnomalousDiffusionReflective",
    "AnomalousDiffusionTransmissive",
    "C",
    "CircuitParseError",
    "Component",
    "Element",
    "FiniteWarburgOpen",
    "FiniteWarburgShort",
    "L",
    "Parallel",
    "R",
    "Series",
    "Warburg",
    "get_circuit",
    "paper_fig5",
    "paper_fig7",
    "parse_circuit",
    "register_element",
]


class _Composite(Component):
    """Common bookkeeping of :class:`Series` and :class:`Parallel`."""

    def __init__(self, *children: Component):
        if not children:
            raise ValueError(f"{type(self).__name__} needs at least one component")
        for child in children:
            if not isinstance(child, Component):
                raise TypeError(f"{child!r} is not a circuit component")
        self.children: tuple[Component, ...] = children
        names = [e.name for e in self.elements()]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"duplicate element names in circuit: {', '.join(dup)}")
        pnames = self.param_names
        dup = sorted({n for n in pnames if pnames.count(n) > 1})
        if dup:
            raise ValueError(f"duplicate parameter names in circuit: {', '.join(dup)}")
        sizes = [c.n_params for c in children]
        self._slices = [
            slice(a, b) for a, b in zip(np.cumsum([0, *sizes[:-1]]), np.cumsum(sizes), strict=True)
        ]

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(n for c in self.children for n in c.param_names)

    @property
    def parameter_units(self) -> tuple[str, ...]:
        return tuple(u for c in self.children for u in c.parameter_units)

    @property
    def parameter_scales(self) -> tuple[str, ...]:
        return tuple(s for c in self.children for s in c.parameter_scales)

    @property
    def bounds(self) -> NDArray[np.float64]:
        return np.vstack([c.bounds for c in self.children])

    def elements(self) -> list[Element]:
        return [e for c in self.children for e in c.elements()]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(repr(c) for c in self.children)})"


class Series(_Composite):
    r"""Components in series, :math:`Z = \sum_i Z_i`. Nested series are flattened."""

    def __init__(self, *children: Component):
        flat: list[Component] = []
        for child in children:
            flat.extend(child.children if isinstance(child, Series) else [child])
        super().__init__(*flat)

    def to_string(self) -> str:
        return "-".join(c.to_string() for c in self.children)

    def _eval(self, omega, params, grad):
        Z = np.zeros(omega.size, dtype=complex)
        grads = []
        for child, sl in zip(self.children, self._slices, strict=True):
            Zc, dZc = child._eval(omega, params[sl], grad)
            Z += Zc
            if grad:
                grads.append(dZc)
        return Z, (np.vstack(grads) if grad else None)


class Parallel(_Composite):
    r"""Components in parallel, :math:`Z = (\sum_i Z_i^{-1})^{-1}`.

    The derivative with respect to a parameter of branch :math:`i` is
    :math:`\partial Z/\partial p = (Z/Z_i)^2\,\partial Z_i/\partial p`.
    """

    def __init__(self, *children: Component):
        if len(children) < 2:
            raise ValueError("Parallel needs at least two branches")
        super().__init__(*children)

    def to_string(self) -> str:
        return "p(" + ",".join(c.to_string() for c in self.children) + ")"

    def _eval(self, omega, params, grad):
        branch = [
            c._eval(omega, params[sl], grad)
            for c, sl in zip(self.children, self._slices, strict=True)
        ]
        Y = sum(1.0 / Zc for Zc, _ in branch)
        Z = 1.0 / Y
        if not grad:
            return Z, None
        return Z, np.vstack([(Z / Zc) ** 2 * dZc for Zc, dZc in branch])


# ---------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------
class CircuitParseError(UserError, ValueError):
    """A circuit string could not be parsed; the message shows the position."""


class _Parser:
    """Recursive-descent parser of ``series := term ('-' term)*``,
    ``term := 'p(' series (',' series)+ ')' | ELEMENT``."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = self._tokenize(text)
        self.i = 0

    def _error(self, msg: str, pos: int | None = None) -> CircuitParseError:
        if pos is None:
            pos = self.tokens[self.i][1] if self.i < len(self.tokens) else len(self.text)
        return CircuitParseError(f"{msg} at position {pos} in circuit {self.text!r}")

    def _tokenize(self, text: str) -> list[tuple[str, int]]:
        tokens: list[tuple[str, int]] = []
        i = 0
        while i < len(text):
            ch = text[i]
            if ch.isspace():
                i += 1
            elif ch in "-,()":
                tokens.append((ch, i))
                i += 1
            elif ch.isalpha():
                j = i
                while j < len(text) and (text[j].isalnum() or text[j] == "_"):
                    j += 1
                tokens.append((text[i:j], i))
                i = j
            else:
                raise CircuitParseError(
                    f"unexpected character {ch!r} at position {i} in circuit {text!r}"
                )
        return tokens

    def _peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def _expect(self, tok: str) -> None:
        if self._peek() != tok:
            found = self._peek()
            raise self._error(
                f"expected {tok!r} but found {found!r}" if found else f"missing {tok!r}"
            )
        self.i += 1

    def parse(self) -> Component:
        if not self.tokens:
            raise CircuitParseError("empty circuit string")
        node = self._series()
        if self.i != len(self.tokens):
            raise self._error(f"unexpected {self._peek()!r}")
        return node

    def _series(self) -> Component:
        terms = [self._term()]
        while self._peek() == "-":
            self.i += 1
            terms.append(self._term())
        return terms[0] if len(terms) == 1 else Series(*terms)

    def _term(self) -> Component:
        tok = self._peek()
        if tok is None or tok in "-,)" or tok == "(":
            raise self._error("expected an element or 'p('" + (f", found {tok!r}" if tok else ""))
        pos = self.tokens[self.i][1]
        self.i += 1
        if tok == "p" and self._peek() == "(":
            self.i += 1
            branches = [self._series()]
            while self._peek() == ",":
                self.i += 1
                branches.append(self._series())
            self._expect(")")
            if len(branches) < 2:
                raise self._error("p(...) needs at least two branches", pos)
            return Parallel(*branches)
        return self._element(tok, pos)

    def _element(self, name: str, pos: int) -> Element:
        symbols = sorted(
            (s for s in ELEMENT_REGISTRY if name.startswith(s) and len(name) > len(s)),
            key=len,
            reverse=True,
        )
        if not symbols:
            known = ", ".join(sorted(ELEMENT_REGISTRY))
            raise self._error(
                f"unknown element {name!r} (an element is a symbol from [{known}] "
                "followed by a label, e.g. R0)",
                pos,
            )
        return ELEMENT_REGISTRY[symbols[0]](name)


def parse_circuit(text: str) -> Component:
    """Build a circuit from an impedance.py-style string, without ``eval``.

    Parameters
    ----------
    text : str
        E.g. ``"R0-p(R1,CPE1)-p(R2,CPE2)-Wo1"``. Element names are a registered symbol
        (longest match wins, so ``CPE1`` is a CPE and ``Wo1`` a reflective Warburg) followed
        by a label of letters, digits or ``_``; names must be unique.

    Returns
    -------
    Component
        The circuit; ``parse_circuit(s).to_string() == s`` up to white space.

    Raises
    ------
    CircuitParseError
        For unknown elements, unbalanced parentheses, empty branches, ``p()`` with a single
        branch, stray characters or duplicate names.
    """
    if not isinstance(text, str):
        raise CircuitParseError(f"circuit must be a string, not {type(text).__name__}")
    try:
        return _Parser(text).parse()
    except CircuitParseError:
        raise
    except ValueError as err:  # duplicate names and the like, raised by the constructors
        raise CircuitParseError(f"{err} in circuit {text!r}") from err


# ---------------------------------------------------------------------------------------
# Circuits of Giraldo et al. (2021)
# ---------------------------------------------------------------------------------------
#: Labels of the four R‖CPE arcs of Figures 5e/7e, from high to low frequency.
PAPER_ARC_LABELS: tuple[str, ...] = ("SE", "GB", "SECat", "SEAn")


def _paper_arcs(bare_se: bool) -> list[Component]:
    blocks: list[Component] = []
    for label in PAPER_ARC_LABELS:
        resistor = R(f"R_{label}")
        if bare_se and label == "SE":
            blocks.append(resistor)
            continue
        cpe = CPE(f"CPE_{label}", param_names=(f"Q_{label}", f"alpha_{label}"))
        blocks.append(Parallel(resistor, cpe))
    return blocks


def _with_inductance(blocks: list[Component], inductance: bool) -> list[Component]:
    """Prepend the series inductance ``L_wire`` (cables, cell holder) if asked for."""
    return [L("L_wire"), *blocks] if inductance else blocks


def paper_fig5(bare_se: bool = False, inductance: bool = False) -> Series:
    r"""Equivalent circuit of Figure 5e of Giraldo et al. (2021).

    :math:`R_{SE}\|CPE_{SE} - R_{GB}\|CPE_{GB} - R_{SE/Cat}\|CPE_{SE/Cat} -
    R_{SE/An}\|CPE_{SE/An}` in series (solid-electrolyte bulk, grain boundaries,
    electrolyte/cathode and electrolyte/anode interfaces, from high to low frequency).

    Parameters
    ----------
    bare_se : bool, optional
        Use a bare resistor for :math:`R_{SE}`, as the paper does for spectra without
        high-frequency information (simple-mixture uncoated and solution-process B1).
    inductance : bool, optional
        Add a series inductance ``L_wire`` [H] in front (cables and cell holder: the
        positive Z'' at the highest frequencies of real spectra). Not in the paper's
        circuit; without it such points leave large residuals.

    Returns
    -------
    Series
        Parameters (``L_wire`` first with ``inductance``) ``R_SE, Q_SE, alpha_SE, R_GB,
        Q_GB, alpha_GB, R_SECat, Q_SECat, alpha_SECat, R_SEAn, Q_SEAn, alpha_SEAn``
        (``Q_SE``/``alpha_SE`` absent if ``bare_se``).

    References
    ----------
    Giraldo et al., Batteries 7 (2021) 77, Figure 5e and Table 2.
    """
    return Series(*_with_inductance(_paper_arcs(bare_se), inductance))


def paper_fig7(bare_se: bool = False, inductance: bool = False) -> Series:
    r"""Equivalent circuit of Figure 7e of Giraldo et al. (2021): Figure 5e plus diffusion.

    The diffusion element "Diff" is the CPE-type reflective finite diffusion of Bisquert et
    al. (refs. 40-41 of the paper),
    :class:`~assb_model.ecm.elements.AnomalousDiffusionReflective`, with parameters
    ``R_Diff`` (ohm), ``T_Diff`` (s) and ``alpha_Diff``.

    Parameters
    ----------
    bare_se : bool, optional
        Use a bare resistor for :math:`R_{SE}` (see :func:`paper_fig5`).
    inductance : bool, optional
        Add the series inductance ``L_wire`` (see :func:`paper_fig5`).

    References
    ----------
    Giraldo et al., Batteries 7 (2021) 77, Figure 7e and Table 3.
    """
    diff = AnomalousDiffusionReflective("Wao_Diff", param_names=("R_Diff", "T_Diff", "alpha_Diff"))
    return Series(*_with_inductance([*_paper_arcs(bare_se), diff], inductance))


_NAMED_CIRCUITS = {
    "paper-fig5": lambda: paper_fig5(),
    "paper-fig7": lambda: paper_fig7(),
    "paper-fig5-bare-se": lambda: paper_fig5(bare_se=True),
    "paper-fig7-bare-se": lambda: paper_fig7(bare_se=True),
    # with the series inductance L_wire ("-l")
    "paper-fig5-l": lambda: paper_fig5(inductance=True),
    "paper-fig7-l": lambda: paper_fig7(inductance=True),
    "paper-fig5-bare-se-l": lambda: paper_fig5(bare_se=True, inductance=True),
    "paper-fig7-bare-se-l": lambda: paper_fig7(bare_se=True, inductance=True),
}


def get_circuit(spec: str | Component) -> Component:
    """Return a circuit from a name (``"paper-fig5"``, ``"paper-fig7"``,
    ``"paper-fig5-bare-se"``, ``"paper-fig7-bare-se"``, each also with ``-l`` for the
    series inductance), a circuit string, or a circuit.

    Raises
    ------
    CircuitParseError
        If ``spec`` is neither a known name nor a valid circuit string.
    """
    if isinstance(spec, Component):
        return spec
    key = spec.strip().lower().replace("_", "-")
    if key in _NAMED_CIRCUITS:
        return _NAMED_CIRCUITS[key]()
    if key.startswith("paper"):
        raise CircuitParseError(
            f"unknown circuit name {spec!r}; known names: {', '.join(_NAMED_CIRCUITS)}"
        )
    return parse_circuit(spec)
