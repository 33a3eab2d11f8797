r"""Complex nonlinear least-squares fitting of equivalent circuits.

Method
------
* Residuals: real and imaginary parts stacked, :math:`r = w\,(\hat Z - Z)`, with
  ``weighting="modulus"`` (default, :math:`w_i = 1/|Z_i|` for both parts),
  ``"proportional"`` (:math:`1/|Z'_i|` and :math:`1/|Z''_i|`, floored at
  :math:`10^{-3}|Z_i|`) or ``"unit"`` (:math:`w = 1`).
* Fitted variables: :math:`u = \ln p` for scale parameters (R, Q, C, L, T...), and the
  exponents :math:`\alpha` on their bounded linear scale; bounds are enforced by
  :func:`scipy.optimize.least_squares` (trust-region reflective) in that space.
* Jacobian: analytic (every element returns :math:`\partial Z/\partial p`).
* Starts: the best few automatic initial guesses of
  :mod:`assb_model.ecm.initial_guess` plus deterministic, seeded perturbations of the
  best one; the lowest cost wins.
* Uncertainty: :math:`\mathrm{cov}(u) = s^2 (J^T J)^{-1}` with
  :math:`s^2 = \sum r^2/(2N - M)` (pseudo-inverse if singular), propagated to the
  physical parameters by the delta method (:math:`\sigma_p = p\,\sigma_u` on log scale);
  95 % intervals are :math:`u \pm t_{0.975,\,2N-M}\,\sigma_u` mapped back (asymmetric
  for log-scale parameters, always positive).
* Goodness of fit: see :attr:`FitResult.gof`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats
from scipy.optimize import least_squares

from assb_model.ecm.capacitance import apex_frequency, characteristic_time, effective_capacitance
from assb_model.ecm.circuits import Parallel, Series, get_circuit
from assb_model.ecm.elements import CPE, C, Component, R
from assb_model.ecm.initial_guess import initial_guesses

__all__ = [
    "Arc",
    "CircuitModel",
    "FitResult",
    "fit_best_circuit",
    "fit_circuit",
    "gof_modulus",
    "sort_equivalent_arcs",
]

Weighting = Literal["modulus", "proportional", "unit"]


def _weights(Z: NDArray[np.complex128], weighting: str) -> tuple[NDArray, NDArray]:
    mod = np.abs(Z)
    if weighting == "modulus":
        return 1.0 / mod, 1.0 / mod
    if weighting == "proportional":
        floor = 1e-3 * mod
        return 1.0 / np.maximum(np.abs(Z.real), floor), 1.0 / np.maximum(np.abs(Z.imag), floor)
    if weighting == "unit":
        one = np.ones(Z.size)
        return one, one
    raise ValueError(f"weighting must be 'modulus', 'proportional' or 'unit', not {weighting!r}")


def gof_modulus(Z: ArrayLike, Z_fit: ArrayLike, n_params: int) -> float:
    r"""Modulus-weighted :math:`\chi^2` per degree of freedom (the reported GOF).

    .. math:: \mathrm{GOF} = \frac{1}{2N - M} \sum_{i=1}^{N}
       \frac{(Z'_i - \hat Z'_i)^2 + (Z''_i - \hat Z''_i)^2}{|Z_i|^2}

    This is Boukamp's modulus-weighted chi-square normalised by the degrees of freedom,
    the quantity ZView reports as "Chi-Squared" for modulus weighting; its square root is
    the rms relative deviation per component (GOF = 3e-5 means about 0.55 %).

    Parameters
    ----------
    Z, Z_fit : array_like
        Data and model impedances.
    n_params : int
        Number of fitted parameters :math:`M`.
    """
    Z = np.asarray(Z, dtype=complex)
    Z_fit = np.asarray(Z_fit, dtype=complex)
    dof = max(2 * Z.size - n_params, 1)
    return float(np.sum(np.abs(Z_fit - Z) ** 2 / np.abs(Z) ** 2) / dof)


@dataclass(frozen=True)
class Arc:
    """One ``R‖CPE`` (or ``R‖C``) arc of a fitted circuit."""

    name: str
    R_ohm: float
    Q: float
    alpha: float
    C_eff_F: float
    T_s: float
    f_apex_Hz: float

    def as_dict(self) -> dict[str, float]:
        """The five table quantities ``R_ohm, Q, alpha, C_eff_F, T_s``."""
        return {
            "R_ohm": self.R_ohm,
            "Q": self.Q,
            "alpha": self.alpha,
            "C_eff_F": self.C_eff_F,
            "T_s": self.T_s,
        }


@dataclass
class FitResult:
    """Result of :func:`fit_circuit`.

    Attributes
    ----------
    circuit : Component
        The fitted circuit (its element values are *not* modified).
    param_names : tuple of str
    values : numpy.ndarray
        Best-fit parameters.
    std_errors : numpy.ndarray
        One-standard-deviation errors (delta method from the fitted space); zero for
        fixed parameters.
    ci95 : numpy.ndarray
        95 % confidence intervals, shape ``(n_params, 2)``.
    correlation : numpy.ndarray
        Correlation matrix of the free parameters (in the fitted space), full size with
        NaN rows/columns for fixed parameters.
    frequencies, Z, Z_fit : numpy.ndarray
        Data and fitted impedance.
    residuals_real, residuals_imag : numpy.ndarray
        :math:`(Z - \\hat Z)/|Z|` componentwise.
    gof : float
        Modulus-weighted :math:`\\chi^2` per degree of freedom, see :func:`gof_modulus`
        (reported regardless of the weighting used in the fit).
    chi2_weighted : float
        Sum of squared residuals of the fit's own weighting divided by :math:`2N-M`.
    weighting : str
    success : bool
    message : str
    n_starts : int
    nfev : int
    fit_time_s : float
    initial_guess : numpy.ndarray
        The starting vector that led to the best fit.
    """

    circuit: Component
    param_names: tuple[str, ...]
    values: NDArray[np.float64]
    std_errors: NDArray[np.float64]
    ci95: NDArray[np.float64]
    correlation: NDArray[np.float64]
    frequencies: NDArray[np.float64]
    Z: NDArray[np.complex128]
    Z_fit: NDArray[np.complex128]
    gof: float
    chi2_weighted: float
    weighting: str
    success: bool
    message: str
    n_starts: int
    nfev: int
    fit_time_s: float
    initial_guess: NDArray[np.float64]
    free: NDArray[np.bool_] = field(repr=False, default=None)

    @property
    def residuals_real(self) -> NDArray[np.float64]:
        return (self.Z.real - self.Z_fit.real) / np.abs(self.Z)

    @property
    def residuals_imag(self) -> NDArray[np.float64]:
        return (self.Z.imag - self.Z_fit.imag) / np.abs(self.Z)

    @property
    def parameters(self) -> dict[str, float]:
        """Best-fit values by name."""
        return dict(zip(self.param_names, self.values.tolist(), strict=True))

    def __getitem__(self, name: str) -> float:
        return self.parameters[name]

    def relative_errors(self) -> dict[str, float]:
        """Standard errors relative to the values."""
        rel = self.std_errors / np.abs(self.values)
        return dict(zip(self.param_names, rel.tolist(), strict=True))

    def predict(self, f: ArrayLike) -> NDArray[np.complex128]:
        """Impedance of the fitted circuit at frequencies ``f``."""
        return self.circuit.impedance(f, self.values)

    # -- physical interpretation ----------------------------------------------------------
    def arcs(self) -> list[Arc]:
        """``R‖CPE``/``R‖C`` blocks of the top-level series, highest apex frequency first."""
        vals = self.parameters
        blocks = self.circuit.children if isinstance(self.circuit, Series) else [self.circuit]
        out = []
        for block in blocks:
            if not (isinstance(block, Parallel) and len(block.children) == 2):
                continue
            r = next((c for c in block.children if isinstance(c, R)), None)
            q = next((c for c in block.children if isinstance(c, CPE | C)), None)
            if r is None or q is None:
                continue
            Rv = vals[r.param_names[0]]
            if isinstance(q, CPE):
                Qv, av = vals[q.param_names[0]], vals[q.param_names[1]]
            else:
                Qv, av = vals[q.param_names[0]], 1.0
            label = r.name[2:] if r.name.startswith("R_") else r.name
            out.append(
                Arc(
                    name=label,
                    R_ohm=Rv,
                    Q=Qv,
                    alpha=av,
                    C_eff_F=float(effective_capacitance(Rv, Qv, av)),
                    T_s=float(characteristic_time(Rv, Qv, av)),
                    f_apex_Hz=float(apex_frequency(Rv, Qv, av)),
                )
            )
        return sorted(out, key=lambda a: a.T_s)

    def series_resistance(self) -> float:
        """Sum of the bare resistors of the top-level series (0 if there are none)."""
        blocks = self.circuit.children if isinstance(self.circuit, Series) else [self.circuit]
        vals = self.parameters
        return float(sum(vals[b.param_names[0]] for b in blocks if isinstance(b, R)))

    def diffusion(self) -> dict[str, Any] | None:
        """Parameters of the first diffusion element, or ``None``."""
        vals = self.parameters
        for e in self.circuit.elements():
            if e.category != "diffusion":
                continue
            out: dict[str, Any] = {"element": e.name, "type": type(e).__name__}
            for suffix, pname in zip(e.param_suffixes, e.param_names, strict=True):
                key = {"R": "R_ohm", "T": "T_s", "alpha": "alpha", "sigma": "sigma_ohm_s-0.5"}
                out[key.get(suffix, suffix)] = vals[pname]
            return out
        return None

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary (the ``assb fit-eis --json`` object)."""
        return {
            "circuit": self.circuit.to_string(),
            "series_R_ohm": self.series_resistance(),
            "arcs": [a.as_dict() for a in self.arcs()],
            "arc_names": [a.name for a in self.arcs()],
            "diffusion": self.diffusion(),
            "gof": self.gof,
            "weighting": self.weighting,
            "parameters": {
                n: {"value": float(v), "std_error": float(s), "ci95": [float(lo), float(hi)]}
                for n, v, s, (lo, hi) in zip(
                    self.param_names, self.values, self.std_errors, self.ci95, strict=True
                )
            },
        }

    def table(self) -> str:
        """Plain-text table with the paper's columns (R, C_eff, T per arc) and the GOF."""
        lines = [f"circuit: {self.circuit.to_string()}"]
        lines.append(
            f"{'arc':<8}{'R (Ohm)':>12}{'C_eff (uF)':>13}{'T (s)':>11}"
            f"{'Q':>12}{'alpha':>8}{'f_apex (Hz)':>13}"
        )
        if self.series_resistance() > 0:
            lines.append(f"{'series':<8}{self.series_resistance():>12.1f}")
        for a in self.arcs():
            lines.append(
                f"{a.name:<8}{a.R_ohm:>12.1f}{a.C_eff_F * 1e6:>13.3g}{a.T_s:>11.2g}"
                f"{a.Q:>12.3g}{a.alpha:>8.3f}{a.f_apex_Hz:>13.3g}"
            )
        diff = self.diffusion()
        if diff is not None:
            txt = ", ".join(f"{k}={v:.4g}" for k, v in diff.items() if k not in ("element", "type"))
            lines.append(f"diffusion ({diff['element']}): {txt}")
        lines.append(f"GOF (modulus-weighted chi^2/dof): {self.gof:.2e}")
        return "\n".join(lines)


class _Problem:
    """Residuals and Jacobian in the fitted space, with a one-entry cache."""

    def __init__(self, circuit, f, Z, weighting, free, x_fixed):
        self.circuit = circuit
        self.f = f
        self.Z = Z
        self.w_re, self.w_im = _weights(Z, weighting)
        self.free = free
        self.x_fixed = x_fixed
        self.log = np.array([s == "log" for s in circuit.parameter_scales])[free]
        self._key: bytes | None = None

    def to_params(self, u: NDArray) -> NDArray:
        p = self.x_fixed.copy()
        p[self.free] = np.where(self.log, np.exp(u), u)
        return p

    def to_u(self, p: NDArray) -> NDArray:
        q = p[self.free]
        return np.where(self.log, np.log(q), q)

    def _evaluate(self, u: NDArray) -> None:
        key = u.tobytes()
        if key == self._key:
            return
        Zm, dZ = self.circuit.impedance_and_gradient(self.f, self.to_params(u))
        dZ = dZ[self.free]
        dZ = dZ * np.where(self.log, np.exp(u), 1.0)[:, None]
        d = Zm - self.Z
        self._r = np.concatenate([d.real * self.w_re, d.imag * self.w_im])
        self._J = np.vstack([(dZ.real * self.w_re).T, (dZ.imag * self.w_im).T])
        self._key = key

    def residuals(self, u: NDArray) -> NDArray:
        self._evaluate(u)
        return self._r

    def jacobian(self, u: NDArray) -> NDArray:
        self._evaluate(u)
        return self._J


def _covariance(J: NDArray, r: NDArray) -> NDArray:
    """:math:`s^2 (J^T J)^{-1}` via SVD, dropping numerically null directions."""
    n, m = J.shape
    dof = max(n - m, 1)
    s2 = float(r @ r) / dof
    _, sv, Vt = np.linalg.svd(J, full_matrices=False)
    keep = sv > sv[0] * 1e-10 if sv.size else sv.astype(bool)
    inv = (Vt[keep].T / sv[keep] ** 2) @ Vt[keep]
    cov = s2 * inv
    if not keep.all():  # unidentifiable directions: infinite variance along them
        null = Vt[~keep]
        loads = np.abs(null).max(axis=0) > 1e-6
        cov = np.where(np.outer(loads, loads), np.inf, cov)
    return cov


def fit_circuit(
    circuit: Component | str,
    f: ArrayLike,
    Z: ArrayLike,
    initial_guess: ArrayLike | Mapping[str, float] | None = None,
    *,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    fixed: Mapping[str, float] | None = None,
    weighting: Weighting = "modulus",
    n_starts: int = 4,
    seed: int = 0,
    max_nfev: int | None = None,
    sort_arcs: bool = True,
) -> FitResult:
    """Fit an equivalent circuit to an impedance spectrum.

    Parameters
    ----------
    circuit : Component or str
        Circuit object, circuit string (``"R0-p(R1,CPE1)"``) or named circuit
        (``"paper-fig5"``, ``"paper-fig7"``...).
    f : array_like
        Frequencies in Hz.
    Z : array_like
        Complex impedance in ohm (capacitive: negative imaginary part).
    initial_guess : array_like or mapping, optional
        Starting values (vector in ``param_names`` order, or a partial mapping that
        overrides the automatic guess). Default: automatic (see
        :mod:`assb_model.ecm.initial_guess`).
    bounds : mapping, optional
        ``{name: (lower, upper)}`` overriding the elements' default bounds.
    fixed : mapping, optional
        ``{name: value}`` parameters held constant.
    weighting : {"modulus", "proportional", "unit"}, optional
        Residual weighting (default ``"modulus"``).
    n_starts : int, optional
        Total number of starts: automatic candidates first, then seeded perturbations.
    seed : int, optional
        Seed of the perturbations (results are deterministic).
    max_nfev : int, optional
        Evaluation budget per start (default ``100 * n_free``).
    sort_arcs : bool, optional
        Structurally identical arcs (e.g. the four ``R‖CPE`` of ``paper-fig5``) can be
        swapped without changing the impedance; relabel them so that their characteristic
        times increase in circuit order (see :func:`sort_equivalent_arcs`).

    Returns
    -------
    FitResult
    """
    t0 = time.perf_counter()
    circuit = get_circuit(circuit)
    f = np.asarray(f, dtype=float).ravel()
    Z = np.asarray(Z, dtype=complex).ravel()
    if f.size != Z.size:
        raise ValueError(f"f and Z differ in length ({f.size} vs {Z.size})")
    if not (np.all(np.isfinite(f)) and np.all(f > 0)):
        raise ValueError("frequencies must be finite and positive")
    if not np.all(np.isfinite(Z)):
        raise ValueError("impedance contains NaN or infinite values")
    names = circuit.param_names
    m = len(names)
    _check_names(names, bounds, fixed)
    lo, hi = circuit.bounds.T.copy()
    for name, (a, b) in (bounds or {}).items():
        lo[names.index(name)], hi[names.index(name)] = a, b
    free = np.array([n not in (fixed or {}) for n in names])
    if 2 * f.size <= free.sum():
        raise ValueError(f"{f.size} frequencies are too few to fit {free.sum()} parameters")

    starts = _starting_points(circuit, f, Z, initial_guess, n_starts, seed, lo, hi, free)
    for x in starts:
        for name, v in (fixed or {}).items():
            x[names.index(name)] = v
    x_fixed = starts[0].copy()
    prob = _Problem(circuit, f, Z, weighting, free, x_fixed)
    log_all = np.array([s == "log" for s in circuit.parameter_scales])
    lo_u = np.where(log_all, np.log(lo), lo)[free]
    hi_u = np.where(log_all, np.log(hi), hi)[free]
    budget = max_nfev or 100 * int(free.sum())

    best, nfev = None, 0
    for x0 in starts:
        u0 = np.clip(prob.to_u(x0), lo_u + 1e-9, hi_u - 1e-9)
        sol = least_squares(
            prob.residuals,
            u0,
            jac=prob.jacobian,
            bounds=(lo_u, hi_u),
            method="trf",
            x_scale="jac",
            ftol=1e-12,
            xtol=1e-12,
            gtol=1e-12,
            max_nfev=budget,
        )
        nfev += sol.nfev
        if best is None or sol.cost < best[0].cost:
            best = (sol, x0)
    sol, x_start = best

    p = prob.to_params(sol.x)
    if sort_arcs:
        p = sort_equivalent_arcs(circuit, p, free)
    u = prob.to_u(p)
    r = prob.residuals(u)
    J = prob.jacobian(u)
    cov_u = _covariance(J, r)
    sig_u = np.sqrt(np.clip(np.diag(cov_u), 0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr_free = cov_u / np.outer(sig_u, sig_u)
    dof = max(r.size - int(free.sum()), 1)
    t = stats.t.ppf(0.975, dof)
    pf = p[free]
    sig_p = np.where(prob.log, pf * sig_u, sig_u)
    lo_ci = np.where(prob.log, np.exp(u - t * sig_u), u - t * sig_u)
    hi_ci = np.where(prob.log, np.exp(u + t * sig_u), u + t * sig_u)

    std = np.zeros(m)
    ci = np.column_stack([p, p])
    corr = np.full((m, m), np.nan)
    std[free] = sig_p
    ci[free, 0], ci[free, 1] = lo_ci, hi_ci
    corr[np.ix_(free, free)] = corr_free

    Z_fit = circuit.impedance(f, p)
    return FitResult(
        circuit=circuit,
        param_names=names,
        values=p,
        std_errors=std,
        ci95=ci,
        correlation=corr,
        frequencies=f,
        Z=Z,
        Z_fit=Z_fit,
        gof=gof_modulus(Z, Z_fit, int(free.sum())),
        chi2_weighted=float(r @ r) / dof,
        weighting=weighting,
        success=bool(sol.success),
        message=str(sol.message),
        n_starts=len(starts),
        nfev=nfev,
        fit_time_s=time.perf_counter() - t0,
        initial_guess=x_start,
        free=free,
    )


def sort_equivalent_arcs(
    circuit: Component, params: NDArray[np.float64], free: NDArray[np.bool_] | None = None
) -> NDArray[np.float64]:
    """Relabel interchangeable arcs so that their time constants increase in circuit order.

    A series of ``R‖CPE`` blocks has the same impedance under any permutation of the
    blocks, so a fit may converge to permuted labels. Within each group of top-level
    arcs with the same element types, the parameter sub-vectors are re-assigned in
    order of increasing :math:`T = (RQ)^{1/\alpha}` (the convention of Figures 5e/7e:
    SE bulk, grain boundary, cathode interface, anode interface). Groups containing a
    fixed parameter are left alone.
    """
    if not isinstance(circuit, Series):
        return params
    out = params.copy()
    free = np.ones(params.size, bool) if free is None else free
    start = np.cumsum([0] + [c.n_params for c in circuit.children])
    groups: dict[tuple, list[int]] = {}
    for k, block in enumerate(circuit.children):
        if isinstance(block, Parallel) and len(block.children) == 2:
            types = tuple(type(c) for c in block.children)
            if R in types and (CPE in types or C in types):
                groups.setdefault(types, []).append(k)
    for types, members in groups.items():
        if len(members) < 2:
            continue
        slices = [slice(start[k], start[k + 1]) for k in members]
        if not all(free[sl].all() for sl in slices):
            continue
        times = []
        for sl in slices:
            vals = dict(zip(types, _split(types, params[sl]), strict=True))
            Rv = vals[R][0]
            Qv, av = (vals[CPE][0], vals[CPE][1]) if CPE in vals else (vals[C][0], 1.0)
            times.append(characteristic_time(Rv, Qv, av))
        for sl, k in zip(slices, np.argsort(times), strict=True):
            out[sl] = params[slices[k]]
    return out


def _split(types: tuple, vec: NDArray) -> list[NDArray]:
    sizes = [len(t.param_suffixes) for t in types]
    return np.split(vec, np.cumsum(sizes)[:-1])


def _check_names(names, *mappings) -> None:
    for mapping in mappings:
        unknown = sorted(set(mapping or {}) - set(names))
        if unknown:
            raise ValueError(f"unknown parameter(s) {unknown}; circuit has {list(names)}")


def _starting_points(circuit, f, Z, guess, n_starts, seed, lo, hi, free) -> list[NDArray]:
    """Automatic candidates (or the user's guess) followed by seeded perturbations."""
    names = circuit.param_names
    if guess is None or isinstance(guess, Mapping):
        n_auto = max(1, min(n_starts, 3))
        starts = initial_guesses(circuit, f, Z, n=n_auto)
        if isinstance(guess, Mapping):
            _check_names(names, guess)
            for x in starts:
                for name, v in guess.items():
                    x[names.index(name)] = v
    else:
        x = np.asarray(guess, dtype=float).ravel()
        if x.size != len(names):
            raise ValueError(f"initial_guess has {x.size} values, circuit has {len(names)}")
        starts = [x]
    rng = np.random.default_rng(seed)
    log = np.array([s == "log" for s in circuit.parameter_scales])
    base = starts[0]
    while len(starts) < n_starts:
        x = base.copy()
        x[log] *= np.exp(rng.normal(0.0, 0.5, log.sum()))
        x[~log] += rng.uniform(-0.1, 0.1, (~log).sum())
        starts.append(np.clip(x, lo * (1 + 1e-9), hi * (1 - 1e-9)))
    return [np.clip(x, lo, hi) for x in starts]


class CircuitModel:
    """scikit-learn-style wrapper: ``CircuitModel("paper-fig7").fit(f, Z)``.

    Parameters
    ----------
    circuit : Component or str
        Circuit, circuit string or named circuit.
    **fit_options
        Passed to :func:`fit_circuit` (``weighting``, ``n_starts``, ``fixed``...).

    Attributes
    ----------
    parameters_ : numpy.ndarray
        Best-fit parameters after :meth:`fit`.
    conf_ : numpy.ndarray
        One-standard-deviation errors (as in impedance.py).
    result_ : FitResult
    """

    def __init__(self, circuit: Component | str, **fit_options: Any):
        self.circuit = get_circuit(circuit)
        self.fit_options = fit_options

    @property
    def param_names(self) -> tuple[str, ...]:
        return self.circuit.param_names

    def fit(
        self, f: ArrayLike, Z: ArrayLike, initial_guess: ArrayLike | None = None
    ) -> CircuitModel:
        """Fit to a spectrum; returns ``self``."""
        self.result_ = fit_circuit(self.circuit, f, Z, initial_guess, **self.fit_options)
        self.parameters_ = self.result_.values
        self.conf_ = self.result_.std_errors
        return self

    def predict(self, f: ArrayLike) -> NDArray[np.complex128]:
        """Impedance of the fitted circuit."""
        if not hasattr(self, "result_"):
            raise RuntimeError("call fit() first")
        return self.result_.predict(f)

    def __repr__(self) -> str:
        return f"CircuitModel({self.circuit.to_string()!r})"


def aic(result: FitResult) -> float:
    r"""Akaike information criterion of a fit from its modulus-weighted residuals.

    :math:`\mathrm{AIC} = n \ln(\mathrm{WSS}/n) + 2k` with :math:`n = 2N` residuals,
    :math:`k` free parameters and WSS the modulus-weighted sum of squares.
    """
    n = 2 * result.Z.size
    k = int(result.free.sum()) if result.free is not None else len(result.values)
    wss = result.gof * max(n - k, 1)
    return float(n * np.log(max(wss, 1e-300) / n) + 2 * k)


def fit_best_circuit(
    f: ArrayLike,
    Z: ArrayLike,
    candidates: Sequence[Component | str] = ("paper-fig5", "paper-fig7"),
    **fit_options: Any,
) -> tuple[FitResult, dict[str, FitResult]]:
    """Fit several circuits and return the one with the lowest AIC (see :func:`aic`).

    The default chooses between Figure 5e (four arcs) and Figure 7e (four arcs plus
    CPE-type diffusion): the diffusion element is kept only if it lowers the weighted sum
    of squares by more than the AIC penalty of its three extra parameters.

    Returns
    -------
    best : FitResult
    all_results : dict
        Results keyed by circuit string.
    """
    results = {}
    for cand in candidates:
        res = fit_circuit(cand, f, Z, **fit_options)
        results[res.circuit.to_string()] = res
    best = min(results.values(), key=aic)
    return best, results
