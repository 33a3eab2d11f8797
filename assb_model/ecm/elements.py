"""Equivalent-circuit elements and the element registry.

Every element maps frequencies :math:`f` (Hz) and its parameter values to a complex
impedance :math:`Z = Z' + jZ''` in ohm, with the electrochemical sign convention that a
capacitive response has a *negative* imaginary part. Elements also return the analytic
derivative of :math:`Z` with respect to each of their parameters, which the fitter uses as
an exact Jacobian.

New element types are added with the :func:`register_element` decorator; the circuit-string
parser in :mod:`assb_model.ecm.circuits` looks element symbols up in :data:`ELEMENT_REGISTRY`.

References
----------
.. [1] J. Bisquert, G. Garcia-Belmonte, F. Fabregat-Santiago, P. R. Bueno, "Theoretical
   models for ac impedance of finite diffusion layers exhibiting low frequency
   dispersion", J. Electroanal. Chem. 475 (1999) 152-163.
.. [2] M. E. Orazem, B. Tribollet, *Electrochemical Impedance Spectroscopy*, 2nd ed.,
   Wiley (2017), ch. 9 (finite-length diffusion).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import ClassVar, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "CPE",
    "ELEMENT_REGISTRY",
    "AnomalousDiffusionReflective",
    "AnomalousDiffusionTransmissive",
    "C",
    "Component",
    "Element",
    "FiniteWarburgOpen",
    "FiniteWarburgShort",
    "L",
    "R",
    "Warburg",
    "register_element",
]

#: Registered element classes keyed by their circuit-string symbol (``"R"``, ``"CPE"``...).
ELEMENT_REGISTRY: dict[str, type[Element]] = {}

_E = TypeVar("_E", bound="type[Element]")


class Component(ABC):
    """Anything with an impedance: a single element or a series/parallel combination.

    A component owns a flat parameter vector whose order is the order of
    :attr:`param_names` (elements in the order they appear in the circuit string).
    """

    @property
    @abstractmethod
    def param_names(self) -> tuple[str, ...]:
        """Names of the parameters, in parameter-vector order."""

    @property
    @abstractmethod
    def parameter_units(self) -> tuple[str, ...]:
        """Units of the parameters."""

    @property
    @abstractmethod
    def parameter_scales(self) -> tuple[str, ...]:
        """``"log"`` or ``"linear"`` per parameter (the scale the fitter works on)."""

    @property
    @abstractmethod
    def bounds(self) -> NDArray[np.float64]:
        """Default bounds, array of shape ``(n_params, 2)``."""

    @abstractmethod
    def elements(self) -> list[Element]:
        """The elements of the component, in parameter order."""

    @abstractmethod
    def to_string(self) -> str:
        """Circuit string, e.g. ``"R0-p(R1,CPE1)"``; parsing it gives the same circuit."""

    @abstractmethod
    def _eval(
        self, omega: NDArray[np.float64], params: NDArray[np.float64], grad: bool
    ) -> tuple[NDArray[np.complex128], NDArray[np.complex128] | None]:
        """Impedance and (optionally) its derivatives, shape ``(n_params, n_f)``."""

    @property
    def n_params(self) -> int:
        """Number of parameters."""
        return len(self.param_names)

    @property
    def values(self) -> NDArray[np.float64] | None:
        """Stored parameter values of all elements, or ``None`` if any is unset."""
        parts = [e._values for e in self.elements()]
        if any(v is None for v in parts):
            return None
        return np.concatenate(parts) if parts else np.zeros(0)

    def _params(self, params: ArrayLike | None) -> NDArray[np.float64]:
        if params is None:
            params = self.values
            if params is None:
                raise ValueError(f"{self.to_string()}: no parameter values given or stored")
        p = np.asarray(params, dtype=float).ravel()
        if p.size != self.n_params:
            raise ValueError(
                f"{self.to_string()}: expected {self.n_params} parameters "
                f"{self.param_names}, got {p.size}"
            )
        return p

    def impedance(self, f: ArrayLike, params: ArrayLike | None = None) -> NDArray[np.complex128]:
        """Complex impedance in ohm at frequencies ``f`` (Hz).

        Parameters
        ----------
        f : array_like
            Frequencies in Hz (positive).
        params : array_like, optional
            Parameter vector in :attr:`param_names` order; defaults to the stored values.

        Returns
        -------
        numpy.ndarray
            Complex impedance, same shape as ``f``; capacitive responses have
            negative imaginary parts.
        """
        f_arr = np.asarray(f, dtype=float)
        Z, _ = self._eval(2 * np.pi * f_arr.ravel(), self._params(params), False)
        return Z.reshape(f_arr.shape)

    def impedance_and_gradient(
        self, f: ArrayLike, params: ArrayLike | None = None
    ) -> tuple[NDArray[np.complex128], NDArray[np.complex128]]:
        r"""Impedance and its derivative with respect to every parameter.

        Returns
        -------
        Z : numpy.ndarray
            Complex impedance, shape ``(n_f,)``.
        dZ : numpy.ndarray
            Complex derivatives :math:`\partial Z/\partial p_k`, shape ``(n_params, n_f)``.
        """
        omega = 2 * np.pi * np.asarray(f, dtype=float).ravel()
        Z, dZ = self._eval(omega, self._params(params), True)
        return Z, dZ

    def parameters(self, params: ArrayLike | None = None) -> dict[str, float]:
        """Map parameter names to values."""
        return dict(zip(self.param_names, self._params(params).tolist(), strict=True))

    def __str__(self) -> str:
        return self.to_string()


def register_element(cls: _E | None = None, *, overwrite: bool = False) -> _E | Callable:
    """Register an :class:`Element` subclass under its ``symbol`` (class decorator).

    Parameters
    ----------
    cls : type
        The element class; it must define ``symbol``, ``param_suffixes``, ``units``,
        ``default_bounds``, ``scales``, ``typical_values`` and ``_evaluate``.
    overwrite : bool, optional
        Replace an existing registration with the same symbol instead of raising.

    Returns
    -------
    type
        The class itself, unchanged.

    Examples
    --------
    >>> @register_element
    ... class G(Element):  # doctest: +SKIP
    ...     symbol = "G"
    ...     ...
    """

    def decorator(klass: _E) -> _E:
        symbol = klass.symbol
        if not symbol or not symbol[0].isalpha() or not symbol.isalnum():
            raise ValueError(f"element symbol {symbol!r} must be alphanumeric")
        if symbol == "p":
            raise ValueError("'p' is reserved for parallel blocks in circuit strings")
        if symbol in ELEMENT_REGISTRY and not overwrite:
            raise ValueError(f"element symbol {symbol!r} is already registered")
        n = len(klass.param_suffixes)
        for attr in ("units", "default_bounds", "scales", "typical_values"):
            if len(getattr(klass, attr)) != n:
                raise ValueError(f"{klass.__name__}.{attr} must have {n} entries")
        ELEMENT_REGISTRY[symbol] = klass
        return klass

    if cls is None:
        return decorator
    return decorator(cls)


class Element(Component):
    """Base class of a circuit element with a fixed number of parameters.

    Parameters
    ----------
    name : str
        Element name as written in a circuit string: the element symbol followed by a
        label, e.g. ``"R0"``, ``"CPE_SE"``, ``"Wo1"``.
    *values : float
        Optional parameter values (all or none), used by :meth:`impedance` when no
        parameter vector is passed.
    param_names : sequence of str, optional
        Explicit parameter names. By default a one-parameter element's parameter is named
        after the element (``"R0"``) and a multi-parameter element's parameters are
        ``"<name>_<suffix>"`` (``"CPE1_Q"``, ``"CPE1_alpha"``).
    """

    symbol: ClassVar[str] = ""
    #: Short parameter names, e.g. ``("Q", "alpha")``.
    param_suffixes: ClassVar[tuple[str, ...]] = ()
    units: ClassVar[tuple[str, ...]] = ()
    #: Default (lower, upper) bounds used by the fitter.
    default_bounds: ClassVar[tuple[tuple[float, float], ...]] = ()
    #: ``"log"`` for strictly positive scale parameters, ``"linear"`` for exponents.
    scales: ClassVar[tuple[str, ...]] = ()
    #: Fallback initial values when nothing better can be inferred from data.
    typical_values: ClassVar[tuple[float, ...]] = ()
    #: Role used to interpret fits: resistor, capacitor, inductor, cpe or diffusion.
    category: ClassVar[str] = "other"

    def __init__(self, name: str, *values: float, param_names: Sequence[str] | None = None):
        if not isinstance(name, str) or not name.startswith(self.symbol):
            raise ValueError(f"{type(self).__name__} name must start with {self.symbol!r}")
        label = name[len(self.symbol) :]
        if not label or not all(ch.isalnum() or ch == "_" for ch in label):
            raise ValueError(
                f"element name {name!r} needs a label of letters, digits or '_' after "
                f"{self.symbol!r} (e.g. {self.symbol}0)"
            )
        self.name = name
        n = len(self.param_suffixes)
        if param_names is None:
            if n == 1:
                param_names = (name,)
            else:
                param_names = tuple(f"{name}_{s}" for s in self.param_suffixes)
        if len(param_names) != n:
            raise ValueError(f"{name}: expected {n} parameter names, got {len(param_names)}")
        self._param_names = tuple(param_names)
        if values and len(values) != n:
            raise ValueError(f"{name}: expected {n} values, got {len(values)}")
        self._values = np.asarray(values, dtype=float) if values else None

    @property
    def values(self) -> NDArray[np.float64] | None:
        """Stored parameter values (``None`` if unset)."""
        return self._values

    @values.setter
    def values(self, new: ArrayLike | None) -> None:
        self._values = None if new is None else self._params(new).copy()

    # -- Component interface -------------------------------------------------------------
    @property
    def param_names(self) -> tuple[str, ...]:
        return self._param_names

    @property
    def parameter_units(self) -> tuple[str, ...]:
        return tuple(self.units)

    @property
    def parameter_scales(self) -> tuple[str, ...]:
        return tuple(self.scales)

    @property
    def bounds(self) -> NDArray[np.float64]:
        return np.array(self.default_bounds, dtype=float).reshape(-1, 2)

    def elements(self) -> list[Element]:
        return [self]

    def to_string(self) -> str:
        return self.name

    def _eval(
        self, omega: NDArray[np.float64], params: NDArray[np.float64], grad: bool
    ) -> tuple[NDArray[np.complex128], NDArray[np.complex128] | None]:
        Z, dZ = self._evaluate(omega, params)
        if grad and dZ is None:
            dZ = _finite_difference(self, omega, params)
        return Z, (dZ if grad else None)

    def _evaluate(
        self, omega: NDArray[np.float64], p: NDArray[np.float64]
    ) -> tuple[NDArray[np.complex128], NDArray[np.complex128]]:
        """Return ``(Z, dZ/dp)``; subclasses may return ``dZ=None`` to get finite differences."""
        raise NotImplementedError

    def __repr__(self) -> str:
        vals = "" if self.values is None else ", " + ", ".join(f"{v:.6g}" for v in self.values)
        return f"{type(self).__name__}({self.name!r}{vals})"


def _finite_difference(
    element: Element, omega: NDArray[np.float64], p: NDArray[np.float64]
) -> NDArray[np.complex128]:
    """Central-difference gradient for user elements that do not provide one."""
    grads = []
    for k in range(p.size):
        h = 1e-6 * max(abs(p[k]), 1e-12)
        up, dn = p.copy(), p.copy()
        up[k] += h
        dn[k] -= h
        grads.append((element._evaluate(omega, up)[0] - element._evaluate(omega, dn)[0]) / (2 * h))
    return np.array(grads)


def _s(omega: NDArray[np.float64]) -> NDArray[np.complex128]:
    return 1j * omega


def _log_s(omega: NDArray[np.float64]) -> NDArray[np.complex128]:
    """Principal log of jω, written out to avoid round-off in the phase."""
    return np.log(omega) + 0.5j * np.pi


@register_element
class R(Element):
    r"""Resistor, :math:`Z = R`."""

    symbol = "R"
    param_suffixes = ("R",)
    units = ("Ohm",)
    default_bounds = ((1e-6, 1e10),)
    scales = ("log",)
    typical_values = (100.0,)
    category = "resistor"

    def _evaluate(self, omega, p):
        Z = np.full(omega.shape, p[0], dtype=complex)
        return Z, np.ones((1, omega.size), dtype=complex)


@register_element
class C(Element):
    r"""Capacitor, :math:`Z = 1/(j\omega C)`."""

    symbol = "C"
    param_suffixes = ("C",)
    units = ("F",)
    default_bounds = ((1e-16, 1e4),)
    scales = ("log",)
    typical_values = (1e-6,)
    category = "capacitor"

    def _evaluate(self, omega, p):
        Z = 1.0 / (_s(omega) * p[0])
        return Z, (-Z / p[0])[None, :]


@register_element
class L(Element):
    r"""Inductor, :math:`Z = j\omega L`."""

    symbol = "L"
    param_suffixes = ("L",)
    units = ("H",)
    default_bounds = ((1e-14, 1e2),)
    scales = ("log",)
    typical_values = (1e-7,)
    category = "inductor"

    def _evaluate(self, omega, p):
        s = _s(omega)
        return s * p[0], s[None, :]


@register_element
class CPE(Element):
    r"""Constant-phase element, :math:`Z = 1/(Q (j\omega)^{\alpha})`.

    :math:`Q` is in :math:`\mathrm{F\,s^{\alpha-1}}` (= :math:`\mathrm{S\,s^{\alpha}}`) and
    :math:`0 < \alpha \le 1`; :math:`\alpha = 1` is an ideal capacitor :math:`C = Q`.
    """

    symbol = "CPE"
    param_suffixes = ("Q", "alpha")
    units = ("F s^(alpha-1)", "")
    default_bounds = ((1e-16, 1e4), (0.2, 1.0))
    scales = ("log", "linear")
    typical_values = (1e-6, 0.85)
    category = "cpe"

    def _evaluate(self, omega, p):
        Q, alpha = p
        ls = _log_s(omega)
        Z = np.exp(-alpha * ls) / Q
        return Z, np.array([-Z / Q, -Z * ls])


@register_element
class Warburg(Element):
    r"""Semi-infinite Warburg element, :math:`Z = \sigma (1 - j)/\sqrt{\omega}`.

    Equivalently :math:`Z = \sigma\sqrt{2}/\sqrt{j\omega}`; :math:`\sigma` (the Warburg
    coefficient) is in :math:`\Omega\,\mathrm{s^{-1/2}}`.
    """

    symbol = "W"
    param_suffixes = ("sigma",)
    units = ("Ohm s^-0.5",)
    default_bounds = ((1e-8, 1e10),)
    scales = ("log",)
    typical_values = (10.0,)
    category = "diffusion"

    def _evaluate(self, omega, p):
        Z = p[0] * (1 - 1j) / np.sqrt(omega)
        return Z, (Z / p[0])[None, :]


def _tanh_over_x(x: NDArray[np.complex128]) -> tuple[NDArray, NDArray]:
    """:math:`g(x) = \\tanh(x)/x` and :math:`g'(x)`."""
    t = np.tanh(x)
    g = t / x
    dg = ((1 - t * t) * x - t) / (x * x)
    return g, dg


def _coth_over_x(x: NDArray[np.complex128]) -> tuple[NDArray, NDArray]:
    """:math:`h(x) = \\coth(x)/x` and :math:`h'(x)`."""
    c = 1.0 / np.tanh(x)
    h = c / x
    dh = ((1 - c * c) * x - c) / (x * x)
    return h, dh


class _FiniteDiffusion(Element):
    r"""Finite-length diffusion :math:`Z = R_d\,g(x)`, :math:`x = (j\omega T_d)^{\alpha/2}`.

    Subclasses choose the boundary condition (``g = tanh(x)/x`` transmissive,
    ``coth(x)/x`` reflective) and whether :math:`\alpha` is a free parameter.
    """

    units: ClassVar[tuple[str, ...]] = ("Ohm", "s")
    default_bounds: ClassVar[tuple[tuple[float, float], ...]] = ((1e-6, 1e10), (1e-9, 1e10))
    scales: ClassVar[tuple[str, ...]] = ("log", "log")
    typical_values: ClassVar[tuple[float, ...]] = (100.0, 10.0)
    category = "diffusion"
    reflective: ClassVar[bool] = False

    def _shape(self, x):
        return _coth_over_x(x) if self.reflective else _tanh_over_x(x)

    def _evaluate(self, omega, p):
        Rd, Td = p[0], p[1]
        alpha = p[2] if p.size > 2 else 1.0
        log_sT = _log_s(omega) + np.log(Td)
        x = np.exp(0.5 * alpha * log_sT)
        g, dg = self._shape(x)
        Z = Rd * g
        grads = [g, Rd * dg * (0.5 * alpha * x / Td)]
        if p.size > 2:
            grads.append(Rd * dg * (0.5 * x * log_sT))
        return Z, np.array(grads)


@register_element
class FiniteWarburgShort(_FiniteDiffusion):
    r"""Transmissive finite-length Warburg ("short", ideal reservoir at the far boundary).

    .. math:: Z = R_d \frac{\tanh\sqrt{j\omega T_d}}{\sqrt{j\omega T_d}}, \quad
       T_d = L^2/D

    :math:`Z \to R_d` as :math:`\omega \to 0`.
    """

    symbol = "Ws"
    param_suffixes = ("R", "T")


@register_element
class FiniteWarburgOpen(_FiniteDiffusion):
    r"""Reflective (bounded, blocking) finite-length Warburg ("open").

    .. math:: Z = R_d \frac{\coth\sqrt{j\omega T_d}}{\sqrt{j\omega T_d}}

    At low frequency :math:`Z \to R_d/3 + 1/(j\omega C_d)` with :math:`C_d = T_d/R_d`.
    """

    symbol = "Wo"
    param_suffixes = ("R", "T")
    reflective = True


@register_element
class AnomalousDiffusionReflective(_FiniteDiffusion):
    r"""CPE-type ("anomalous") finite diffusion with a reflecting boundary, Bisquert 1999.

    The chemical capacitance of the diffusion transmission line is replaced by a CPE of
    exponent :math:`\alpha` ([1]_, model of low-frequency dispersion):

    .. math:: Z = R_d \frac{\coth\left[(j\omega T_d)^{\alpha/2}\right]}
       {(j\omega T_d)^{\alpha/2}}

    For :math:`\alpha = 1` this is :class:`FiniteWarburgOpen`. At low frequency
    :math:`Z \to R_d/3 + R_d (j\omega T_d)^{-\alpha}`, a CPE with
    :math:`Q = T_d^{\alpha}/R_d`, so :math:`T_d = (R_d Q)^{1/\alpha}` is the time constant
    of that CPE (the paper's :math:`T_\mathrm{Diff}`). At high frequency
    :math:`Z \to R_d (j\omega T_d)^{-\alpha/2}` (a Warburg-like line of phase
    :math:`-\alpha\cdot 45^\circ`).

    References
    ----------
    .. [1] J. Bisquert et al., J. Electroanal. Chem. 475 (1999) 152-163.
    """

    symbol = "Wao"
    param_suffixes = ("R", "T", "alpha")
    units = ("Ohm", "s", "")
    default_bounds = ((1e-6, 1e10), (1e-9, 1e10), (0.2, 1.0))
    scales = ("log", "log", "linear")
    typical_values = (100.0, 10.0, 0.9)
    reflective = True


@register_element
class AnomalousDiffusionTransmissive(_FiniteDiffusion):
    r"""CPE-type ("anomalous") finite diffusion with a transmissive boundary, Bisquert 1999.

    .. math:: Z = R_d \frac{\tanh\left[(j\omega T_d)^{\alpha/2}\right]}
       {(j\omega T_d)^{\alpha/2}}

    For :math:`\alpha = 1` this is :class:`FiniteWarburgShort`; :math:`Z \to R_d` as
    :math:`\omega \to 0`.
    """

    symbol = "Was"
    param_suffixes = ("R", "T", "alpha")
    units = ("Ohm", "s", "")
    default_bounds = ((1e-6, 1e10), (1e-9, 1e10), (0.2, 1.0))
    scales = ("log", "log", "linear")
    typical_values = (100.0, 10.0, 0.9)
