r"""Automatic initial guesses for equivalent-circuit fits.

The guesses exploit that, once the *shape* parameters of each series block are fixed
(time constant :math:`T` and exponent :math:`\alpha` of an arc, :math:`T_d, \alpha` of a
diffusion element), the circuit impedance is *linear* in the block amplitudes (arc
resistance, diffusion resistance, series resistance, :math:`1/C`, :math:`L`...):

.. math:: Z(\omega) \approx \sum_b a_b\, \phi_b(\omega), \qquad
   \phi_\mathrm{arc} = \frac{1}{1 + (j\omega T)^\alpha}

1. A regularised non-negative decomposition of the spectrum into RC elements with fixed
   log-spaced time constants (a crude distribution of relaxation times, DRT) gives
   candidate arc time constants (its peaks, including arcs whose apex lies up to 1.5
   decades above the highest measured frequency) and their widths (hence :math:`\alpha`,
   from the ZARC distribution variance :math:`\tfrac{\pi^2}{3}(\alpha^{-2}-1)`).
2. Every assignment of candidate peaks to the circuit's arcs (in time-constant order,
   following the order of the arcs in the circuit: high to low frequency as in Figures
   5e/7e of the paper) and every diffusion shape from a grid is scored by a
   modulus-weighted linear least-squares fit of the amplitudes; assignments with a
   non-positive amplitude are discarded. All of this uses one Gram matrix, so thousands
   of candidates cost milliseconds.
3. The best few candidates are returned as starting points for the nonlinear fit.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from math import comb

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import nnls

from assb_model.ecm.circuits import Parallel, Series
from assb_model.ecm.elements import (
    CPE,
    C,
    Component,
    Element,
    L,
    R,
    Warburg,
)

__all__ = ["DRTDecomposition", "decompose", "initial_guess", "initial_guesses"]

_FINITE_DIFFUSION = ("Ws", "Wo", "Wao", "Was")
_MAX_CANDIDATES = 20000


@dataclass
class DRTDecomposition:
    """Non-negative decomposition ``Z ≈ R_inf + Σ R_k/(1+jωτ_k) + 1/(jωC) + jωL``."""

    tau: NDArray[np.float64]
    R_k: NDArray[np.float64]
    R_inf: float
    inv_C: float
    L: float


def decompose(
    f: NDArray[np.float64],
    Z: NDArray[np.complex128],
    points_per_decade: int = 8,
    extend_decades: tuple[float, float] = (1.5, 1.0),
    regularization: float = 1.0,
) -> DRTDecomposition:
    """Regularised non-negative RC decomposition of a spectrum (modulus-weighted).

    Parameters
    ----------
    f, Z : numpy.ndarray
        Frequencies (Hz) and impedances (ohm).
    points_per_decade : int, optional
        Density of the time-constant grid.
    extend_decades : tuple of float, optional
        How far the grid extends beyond :math:`1/(2\\pi f_\\max)` and
        :math:`1/(2\\pi f_\\min)`.
    regularization : float, optional
        Weight of a second-difference (smoothness) penalty on :math:`R_k/\\max|Z|`.

    Returns
    -------
    DRTDecomposition
    """
    omega = 2 * np.pi * f
    lo = np.log10(1 / omega.max()) - extend_decades[0]
    hi = np.log10(1 / omega.min()) + extend_decades[1]
    tau = np.logspace(lo, hi, round((hi - lo) * points_per_decade) + 1)
    rc = 1.0 / (1.0 + 1j * omega[:, None] * tau[None, :])
    cols = np.hstack(
        [np.ones((f.size, 1)), rc, (1.0 / (1j * omega))[:, None], (1j * omega)[:, None]]
    )
    weight = 1.0 / np.abs(Z)
    A = np.vstack([cols.real * weight[:, None], cols.imag * weight[:, None]])
    b = np.concatenate([Z.real * weight, Z.imag * weight])
    # Scale the unknowns so that all are O(|Z|): R in ohm, 1/C in ohm*rad/s, L in H.
    scale = np.ones(A.shape[1])
    scale[-2] = omega.min()
    scale[-1] = 1.0 / omega.max()
    A = A * scale[None, :]
    n = tau.size
    D = np.zeros((n - 2, A.shape[1]))
    idx = np.arange(n - 2)
    D[idx, idx + 1], D[idx, idx + 2], D[idx, idx + 3] = 1.0, -2.0, 1.0
    D *= regularization / np.abs(Z).max()
    x, _ = nnls(np.vstack([A, D]), np.concatenate([b, np.zeros(n - 2)]), maxiter=5000)
    x = x * scale
    return DRTDecomposition(tau, x[1 : 1 + n], float(x[0]), float(x[-2]), float(x[-1]))


def _peaks(
    drt: DRTDecomposition, max_peaks: int, tau_range: tuple[float, float]
) -> tuple[NDArray, NDArray]:
    """Candidate arc time constants and exponents from the DRT peaks inside ``tau_range``.

    Peaks at the ends of the grid are artefacts (series resistance, diffusion tail) and
    are excluded by ``tau_range``; the ``max_peaks`` largest by basin mass are kept.
    """
    s = np.log(drt.tau)
    g = drt.R_k
    total = g.sum()
    if total <= 0:
        return np.array([]), np.array([])
    padded = np.concatenate([[-1.0], g, [-1.0]])
    is_max = (padded[1:-1] >= padded[:-2]) & (padded[1:-1] > padded[2:])
    is_max &= g > 1e-3 * g.max()
    peaks = np.flatnonzero(is_max)
    # Basin of each peak: between the minima separating it from its neighbours.
    bounds = [0]
    for a, b in itertools.pairwise(peaks):
        bounds.append(a + int(np.argmin(g[a : b + 1])))
    bounds.append(g.size)
    mass, tau, alpha = [], [], []
    for k, p in enumerate(peaks):
        lo, hi = bounds[k], bounds[k + 1]
        w, ss = g[lo:hi], s[lo:hi]
        m = w.sum()
        mean = (w * ss).sum() / m
        var = (w * (ss - mean) ** 2).sum() / m
        mass.append(m)
        # Interpolated peak position (parabola through the three top points).
        if 0 < p < g.size - 1:
            den = g[p - 1] - 2 * g[p] + g[p + 1]
            shift = 0.5 * (g[p - 1] - g[p + 1]) / den if den < 0 else 0.0
            tau.append(np.exp(s[p] + shift * (s[1] - s[0])))
        else:
            tau.append(np.exp(s[p]))
        alpha.append(1.0 / np.sqrt(1.0 + 3.0 * var / np.pi**2))
    tau, mass = np.array(tau), np.array(mass)
    inside = (tau >= tau_range[0]) & (tau <= tau_range[1])
    order = np.flatnonzero(inside)[np.argsort(mass[inside])[::-1][:max_peaks]]
    order = np.sort(order)
    return tau[order], np.clip(np.array(alpha)[order], 0.6, 0.98)


def _classify(block: Component) -> str:
    """Role of a top-level series block."""
    if isinstance(block, R):
        return "series_R"
    if isinstance(block, Parallel) and len(block.children) == 2:
        kinds = {type(c) for c in block.children}
        if R in kinds and (CPE in kinds or C in kinds):
            return "arc"
    if isinstance(block, Element):
        if block.symbol in _FINITE_DIFFUSION:
            return "diffusion"
        if isinstance(block, Warburg):
            return "warburg"
        if isinstance(block, C | CPE):
            return "capacitor"
        if isinstance(block, L):
            return "inductor"
    return "other"


def _diffusion_shapes(block: Element, omega: NDArray) -> list[tuple[tuple, NDArray]]:
    """Grid of (T_d, alpha) shapes of a finite-length diffusion element (unit amplitude)."""
    t_window = 1.0 / omega.min()
    Ts = t_window * 10.0 ** np.array([-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0, 6.0])
    alphas = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0) if block.n_params == 3 else (1.0,)
    shapes = []
    for T, a in itertools.product(Ts, alphas):
        p = np.array([1.0, T, a][: block.n_params])
        shapes.append(((T, a), block._evaluate(omega, p)[0]))
    return shapes


def _block_params(block: Component, role: str, amp: float, shape: tuple) -> dict[str, float]:
    """Turn a block amplitude and shape back into circuit parameters."""
    if role == "arc":
        T, alpha = shape
        out = {}
        for child in block.children:
            if isinstance(child, R):
                out[child.param_names[0]] = amp
            elif isinstance(child, CPE):
                out.update(zip(child.param_names, (T**alpha / amp, alpha), strict=True))
            else:
                out[child.param_names[0]] = T / amp
        return out
    if role == "diffusion":
        T, alpha = shape
        return dict(zip(block.param_names, (amp, T, alpha)[: block.n_params], strict=True))
    if role == "capacitor":
        vals = (1.0 / amp,) if isinstance(block, C) else (1.0 / amp, shape[0])
        return dict(zip(block.param_names, vals, strict=True))
    return {block.param_names[0]: amp}  # series R, Warburg sigma, inductance


def initial_guesses(
    circuit: Component,
    f: NDArray[np.float64],
    Z: NDArray[np.complex128],
    n: int = 3,
    max_peaks: int = 10,
) -> list[NDArray[np.float64]]:
    """Up to ``n`` distinct initial parameter vectors for ``circuit``, best first.

    Parameters
    ----------
    circuit : Component
        The circuit; its top-level series blocks are interpreted as series resistors,
        ``R‖CPE``/``R‖C`` arcs, diffusion elements, capacitors, Warburg elements or
        inductors. Other blocks start from their elements' typical values.
    f, Z : numpy.ndarray
        The spectrum (Hz, ohm).
    n : int, optional
        Number of candidates to return.
    max_peaks : int, optional
        Maximum number of DRT peaks considered as arc candidates.

    Returns
    -------
    list of numpy.ndarray
        Parameter vectors in ``circuit.param_names`` order, strictly inside the bounds.
    """
    f = np.asarray(f, dtype=float).ravel()
    Z = np.asarray(Z, dtype=complex).ravel()
    omega = 2 * np.pi * f
    weight = 1.0 / np.abs(Z)
    blocks = list(circuit.children) if isinstance(circuit, Series) else [circuit]
    roles = [_classify(b) for b in blocks]
    n_arc = roles.count("arc")

    n_shapes = int(
        np.prod(
            [
                len(_diffusion_shapes(b, omega[:1]))
                for b, r in zip(blocks, roles, strict=True)
                if r == "diffusion"
            ]
        )
    )
    while max_peaks > n_arc and comb(max_peaks, n_arc) * n_shapes > _MAX_CANDIDATES:
        max_peaks -= 1
    drt = decompose(f, Z)
    tau_p, alpha_p = _peaks(drt, max_peaks, (0.05 / omega.max(), 1.0 / omega.min()))
    tau_p, alpha_p = _pad_candidates(tau_p, alpha_p, n_arc, omega)

    # Columns: fixed blocks, then one column per candidate shape of each variable block.
    columns: list[NDArray] = []
    options: list[list[tuple[int, tuple]]] = []  # per block: (column index, shape)
    arc_cols = []
    for t, a in zip(tau_p, alpha_p, strict=True):
        arc_cols.append((len(columns), (t, a)))
        columns.append(1.0 / (1.0 + np.exp(a * (np.log(omega * t) + 0.5j * np.pi))))
    for block, role in zip(blocks, roles, strict=True):
        if role == "arc":
            options.append(arc_cols)
            continue
        opts = []
        if role == "diffusion":
            for shape, col in _diffusion_shapes(block, omega):
                opts.append((len(columns), shape))
                columns.append(col)
        elif role in ("series_R", "warburg", "inductor", "capacitor"):
            shape = (0.9,) if isinstance(block, CPE) else ()
            opts.append((len(columns), shape))
            p = np.array([1.0, 0.9][: block.n_params])
            # unit amplitude: R = 1, sigma = 1, L = 1, 1/C = 1 or 1/Q = 1
            columns.append(block._evaluate(omega, p)[0])
        options.append(opts)

    M = np.array(columns).T  # (n_f, n_cols)
    Mw = np.vstack([M.real * weight[:, None], M.imag * weight[:, None]])
    b = np.concatenate([Z.real * weight, Z.imag * weight])
    gram, mtb, btb = Mw.T @ Mw, Mw.T @ b, float(b @ b)

    variable = [k for k, r in enumerate(roles) if r != "other"]
    combos = _combinations(variable, roles, options, n_arc)
    if combos.size == 0:
        return [_fallback(circuit)]
    G = gram[combos[:, :, None], combos[:, None, :]]
    rhs = mtb[combos]
    ridge = 1e-12 * np.trace(G, axis1=1, axis2=2)[:, None, None] * np.eye(combos.shape[1])
    amps = np.linalg.solve(G + ridge, rhs[..., None])[..., 0]
    cost = btb - 2 * np.einsum("ij,ij->i", amps, rhs) + np.einsum("ij,ijk,ik->i", amps, G, amps)
    valid = np.all(amps > 0, axis=1)
    if not valid.any():  # keep the least-bad candidates with clipped amplitudes
        valid[:] = True
        amps = np.maximum(amps, 1e-6 * np.abs(Z).max())
    cand = np.flatnonzero(valid)[np.argsort(cost[valid])]

    lookup = {col: shape for opts in options for col, shape in opts}
    arc_pos = [j for j, k in enumerate(variable) if roles[k] == "arc"]
    out: list[NDArray[np.float64]] = []
    seen: set[tuple] = set()
    for c in cand:  # best candidate of each distinct arc assignment
        key = tuple(combos[c, arc_pos])
        if key in seen:
            continue
        seen.add(key)
        params: dict[str, float] = {}
        for j, k in enumerate(variable):
            params.update(_block_params(blocks[k], roles[k], amps[c, j], lookup[combos[c, j]]))
        for k, role in enumerate(roles):
            if role == "other":
                for e in blocks[k].elements():
                    params.update(zip(e.param_names, e.typical_values, strict=True))
        out.append(_inside_bounds(circuit, np.array([params[p] for p in circuit.param_names])))
        if len(out) == n:
            break
    return out


def initial_guess(
    circuit: Component, f: NDArray[np.float64], Z: NDArray[np.complex128]
) -> NDArray[np.float64]:
    """Best automatic initial parameter vector (see :func:`initial_guesses`)."""
    return initial_guesses(circuit, f, Z, n=1)[0]


def _pad_candidates(
    tau: NDArray, alpha: NDArray, n_arc: int, omega: NDArray
) -> tuple[NDArray, NDArray]:
    """Add one-per-decade time constants when the DRT shows fewer peaks than arcs."""
    need = n_arc + 1 - tau.size
    if need <= 0:
        return tau, alpha
    grid = np.logspace(np.log10(1 / omega.max()), np.log10(1 / omega.min()), 10)
    dist = np.min(np.abs(np.log10(grid)[:, None] - np.log10(tau)[None, :]), axis=1, initial=9)
    extra = grid[np.argsort(dist)[::-1][:need]]
    tau = np.concatenate([tau, extra])
    alpha = np.concatenate([alpha, np.full(extra.size, 0.85)])
    order = np.argsort(tau)
    return tau[order], alpha[order]


def _combinations(variable, roles, options, n_arc) -> NDArray[np.int64]:
    """All column-index combinations: ordered arc assignments x shapes of other blocks."""
    arc_opts = next((options[k] for k in variable if roles[k] == "arc"), [])
    arc_sets = list(itertools.combinations([c for c, _ in arc_opts], n_arc)) if n_arc else [()]
    other = [[c for c, _ in options[k]] for k in variable if roles[k] != "arc"]
    rows = []
    for arcs in arc_sets:
        for rest in itertools.product(*other):
            it_a, it_r = iter(arcs), iter(rest)
            rows.append([next(it_a) if roles[k] == "arc" else next(it_r) for k in variable])
            if len(rows) >= _MAX_CANDIDATES:
                return np.array(rows, dtype=int)
    return np.array(rows, dtype=int).reshape(len(rows), len(variable))


def _inside_bounds(circuit: Component, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Clip into the default bounds, with a margin on the fitter's (log/linear) scale."""
    lo, hi = circuit.bounds.T
    log = np.array([s == "log" for s in circuit.parameter_scales])
    out = x.copy()
    margin = 1e-6
    out[log] = np.exp(np.clip(np.log(x[log]), np.log(lo[log]) + margin, np.log(hi[log]) - margin))
    lin = ~log
    out[lin] = np.clip(x[lin], lo[lin] + margin * (hi[lin] - lo[lin]), hi[lin] - margin)
    return out


def _fallback(circuit: Component) -> NDArray[np.float64]:
    x = np.concatenate([e.typical_values for e in circuit.elements()])
    return _inside_bounds(circuit, x)
