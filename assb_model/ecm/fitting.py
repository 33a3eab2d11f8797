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
  best one; the lowest cost wins. ``n_starts="auto"`` (default): the same sequence, stopped
  once the lowest cost has been reached by two starts (costs equal to 0.01 %), with at least
  :data:`MIN_AUTO_STARTS` and at most :data:`MAX_AUTO_STARTS` starts.
* Warnings (:attr:`FitResult.warnings`): a non-finite objective, parameters ending on a
  bound (except α = 1, an ideal capacitor), an optimiser that stopped without converging,
  and the lowest cost reached only once at the start limit;
  :meth:`FitResult.check_against_kk` adds residuals far above a Kramers–Kronig fit's.
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
from scipy.optimize import least_squares
from scipy.special import stdtrit

from assb_model.ecm.capacitance import apex_frequency, characteristic_time, effective_capacitance
from assb_model.ecm.circuits import Parallel, Series, get_circuit
from assb_model.ecm.elements import CPE, C, Component, R
from assb_model.ecm.initial_guess import initial_guesses
from assb_model.ecm.io import format_eng

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

#: ``n_starts="auto"``: at least MIN_AUTO_STARTS starts, then more until the lowest cost has
#: been reached twice, at most MAX_AUTO_STARTS (see docs/eis.md for how these were chosen).
MIN_AUTO_STARTS = 16
MAX_AUTO_STARTS = 30
#: Two starts reached the same minimum when their costs agree to this relative tolerance
#: (flat valleys of over-parametrised circuits end 1e-5 apart from different starts).
SAME_MINIMUM_RTOL = 1e-4
#: A fit's rms residual this many times the Lin-KK rms residual (and above
#: :data:`KK_RESIDUAL_FLOOR`) means the circuit misses structure the data have.
KK_RESIDUAL_RATIO = 3.0
#: A parameter within this fraction of a bound (log scale: relative) is "on the bound".
BOUND_TOLERANCE = 1e-3
KK_RESIDUAL_FLOOR = 0.005


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
    n_best : int
        How many starts reached the lowest cost.
    warnings : list of str
        Reasons to distrust the fit (see the module docstring); empty for a clean fit.
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
    n_best: int = 1
    warnings: list[str] = field(default_factory=list)

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
            "rms_residual": self.rms_residual,
            "weighting": self.weighting,
            "n_starts": self.n_starts,
            "n_best": self.n_best,
            "warnings": list(self.warnings),
            "parameters": {
                n: {"value": float(v), "std_error": float(s), "ci95": [float(lo), float(hi)]}
                for n, v, s, (lo, hi) in zip(
                    self.param_names, self.values, self.std_errors, self.ci95, strict=True
                )
            },
        }

    @property
    def rms_residual(self) -> float:
        """Root-mean-square relative residual :math:`|Z - \\hat Z|/|Z|` per component."""
        r = np.concatenate([self.residuals_real, self.residuals_imag])
        return float(np.sqrt(np.mean(r * r)))

    def check_against_kk(self, kk: Any) -> str | None:
        """A warning if the fit leaves far larger residuals than a Kramers–Kronig fit.

        A spectrum that passes Lin-KK is described by *some* causal, stable, linear system
        to ``kk.rms_residual``; a circuit leaving more than :data:`KK_RESIDUAL_RATIO` times
        that (and more than :data:`KK_RESIDUAL_FLOOR`) misses structure the data have.
        Adds the warning to :attr:`warnings` and returns it (``None`` if consistent, or if
        the spectrum itself fails the test).
        """
        if not kk.passed:
            return None
        fit_rms, kk_rms = self.rms_residual, kk.rms_residual
        if fit_rms > KK_RESIDUAL_FLOOR and fit_rms > KK_RESIDUAL_RATIO * kk_rms:
            message = (
                f"fit residuals (rms {100 * fit_rms:.2g} %) are {fit_rms / kk_rms:.0f}x those "
                f"of a Kramers-Kronig fit (rms {100 * kk_rms:.2g} %): the data are valid but "
                "the circuit does not describe them (try --inductance or another circuit)"
            )
            if message not in self.warnings:
                self.warnings.append(message)
            return message
        return None

    def table(self) -> str:
        """Plain-text table with the paper's columns (R, C_eff, T per arc) and the GOF,
        in engineering notation (mΩ, µF...)."""
        lines = [f"circuit: {self.circuit.to_string()}"]
        widths = (8, 11, 11, 11, 10, 6, 11)

        def row(*cells: str) -> str:
            first, *rest = cells
            return f"{first:<{widths[0]}}" + "".join(
                f"  {c:>{w}}" for c, w in zip(rest, widths[1:], strict=False)
            )

        lines.append(row("arc", "R", "C_eff", "T", "Q", "alpha", "f_apex"))
        if self.series_resistance() > 0:
            lines.append(row("series", format_eng(self.series_resistance(), "Ω")))
        for a in self.arcs():
            lines.append(
                row(
                    a.name,
                    format_eng(a.R_ohm, "Ω"),
                    format_eng(a.C_eff_F, "F", 3),
                    format_eng(a.T_s, "s", 3),
                    f"{a.Q:.3g}",
                    f"{a.alpha:.3f}",
                    format_eng(a.f_apex_Hz, "Hz", 3),
                )
            )
        units = {"R_ohm": "Ω", "T_s": "s"}
        diff = self.diffusion()
        if diff is not None:
            txt = ", ".join(
                f"{k}={format_eng(v, units[k]) if k in units else f'{v:.4g}'}"
                for k, v in diff.items()
                if k not in ("element", "type")
            )
            lines.append(f"diffusion ({diff['element']}): {txt}")
        for element in self.circuit.elements():
            if element.category == "inductor":
                value = self.parameters[element.param_names[0]]
                lines.append(f"inductance ({element.name}): {format_eng(value, 'H')}")
        lines.append(
            f"GOF (modulus-weighted chi^2/dof): {self.gof:.2e} (rms residual "
            f"{100 * self.rms_residual:.2g} %; {self.n_starts} starts, lowest cost reached "
            f"{self.n_best}x)"
        )
        lines += [f"warning: {w}" for w in self.warnings]
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
    n_starts: int | Literal["auto"] = "auto",
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
    n_starts : int or "auto", optional
        Number of starts: automatic candidates first, then seeded perturbations. ``"auto"``
        (default): stop once the lowest cost has been reached twice (2 to
        :data:`MAX_AUTO_STARTS` starts).
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

    auto = isinstance(n_starts, str)
    if auto and n_starts != "auto":
        raise ValueError(f"n_starts must be a positive integer or 'auto', not {n_starts!r}")
    if not auto and not (isinstance(n_starts, int | np.integer) and n_starts >= 1):
        raise ValueError(f"n_starts must be a positive integer or 'auto', not {n_starts!r}")
    planned = MAX_AUTO_STARTS if auto else int(n_starts)
    starts = _starting_points(circuit, f, Z, initial_guess, planned, seed, lo, hi, free)
    for x in starts:
        for name, v in (fixed or {}).items():
            x[names.index(name)] = v
    x_fixed = starts[0].copy()
    prob = _Problem(circuit, f, Z, weighting, free, x_fixed)
    log_all = np.array([s == "log" for s in circuit.parameter_scales])
    lo_u = np.where(log_all, np.log(lo), lo)[free]
    hi_u = np.where(log_all, np.log(hi), hi)[free]
    budget = max_nfev or 100 * int(free.sum())

    data_cost = 0.5 * float(np.sum((prob.w_re * Z.real) ** 2 + (prob.w_im * Z.imag) ** 2))
    best, nfev, used, n_best = None, 0, 0, 0
    for x0 in starts:
        u0 = np.clip(prob.to_u(x0), lo_u + 1e-9, hi_u - 1e-9)
        with np.errstate(all="ignore"):  # a start may wander into overflow; judged by cost
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
        used += 1
        cost = float(sol.cost) if np.isfinite(sol.cost) else np.inf
        if best is None:
            best, n_best = (sol, x0, cost), 1
        else:
            same = abs(cost - best[2]) <= max(SAME_MINIMUM_RTOL * best[2], 1e-12 * data_cost)
            if same:
                n_best += 1
            if cost < best[2]:
                best, n_best = (sol, x0, cost), (n_best if same else 1)
        if auto and used >= MIN_AUTO_STARTS and n_best >= 2:
            break
    sol, x_start, _ = best

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
    t = stdtrit(dof, 0.975)  # Student-t quantile (scipy.stats.t.ppf, without its 0.5 s import)
    pf = p[free]
    sig_p = np.where(prob.log, pf * sig_u, sig_u)
    with np.errstate(over="ignore", invalid="ignore"):  # unidentified: infinite intervals
        lo_ci = np.where(prob.log, np.exp(u - t * sig_u), u - t * sig_u)
        hi_ci = np.where(prob.log, np.exp(u + t * sig_u), u + t * sig_u)

    std = np.zeros(m)
    ci = np.column_stack([p, p])
    corr = np.full((m, m), np.nan)
    std[free] = sig_p
    ci[free, 0], ci[free, 1] = lo_ci, hi_ci
    corr[np.ix_(free, free)] = corr_free

    Z_fit = circuit.impedance(f, p)
    warnings = _fit_warnings(circuit, p, free, lo, hi, sol, auto and n_best < 2, used)
    gof = gof_modulus(Z, Z_fit, int(free.sum())) if np.all(np.isfinite(Z_fit)) else np.nan
    if not np.isfinite(gof):
        warnings.insert(
            0, f"the fit ended with a non-finite objective (GOF = {gof}); the result is unusable"
        )
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
        gof=gof,
        chi2_weighted=float(r @ r) / dof,
        weighting=weighting,
        success=bool(sol.success),
        message=str(sol.message),
        n_starts=used,
        nfev=nfev,
        fit_time_s=time.perf_counter() - t0,
        initial_guess=x_start,
        free=free,
        n_best=n_best,
        warnings=warnings,
    )


def _fit_warnings(
    circuit: Component,
    p: NDArray,
    free: NDArray,
    lo: NDArray,
    hi: NDArray,
    sol: Any,
    found_once: bool,
    used: int,
) -> list[str]:
    """Parameters on a bound, a non-converged optimiser, a minimum found only once."""
    out = []
    names, units = circuit.param_names, circuit.parameter_units
    log = np.array([sc == "log" for sc in circuit.parameter_scales])
    for i in np.flatnonzero(free):
        if log[i]:  # within 0.1 %: the optimiser stops just inside an active bound
            near_lo = np.log(p[i]) - np.log(lo[i]) <= BOUND_TOLERANCE
            near_hi = np.log(hi[i]) - np.log(p[i]) <= BOUND_TOLERANCE
        else:
            span = hi[i] - lo[i]
            near_lo = p[i] - lo[i] <= BOUND_TOLERANCE * span
            near_hi = hi[i] - p[i] <= BOUND_TOLERANCE * span
        if near_hi and "alpha" in names[i] and hi[i] == 1.0:
            continue  # alpha = 1 is an ideal capacitor, a legitimate result
        if near_lo or near_hi:
            side = "lower" if near_lo else "upper"
            unit = {"Ohm": "Ω"}.get(units[i], units[i])
            value = f"{p[i]:.4g} {unit}".strip()
            out.append(
                f"{names[i]} = {value} is at its {side} bound: the data do not "
                "determine it, or the circuit does not fit them (widen bounds= or choose "
                "another circuit)"
            )
    if not sol.success:
        out.append(f"the optimiser stopped without converging ({sol.message})")
    if found_once:
        out.append(
            f"the lowest cost was reached by only one of {used} starts; a lower minimum may "
            "exist (try more starts)"
        )
    return out


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
