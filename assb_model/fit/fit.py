"""Fit model parameters to measured cycling curves (and optionally an impedance spectrum).

:func:`fit_cycling` replays each measured protocol with the chosen parameters as PyBaMM
input parameters (the model is built once), and minimises the residuals of
:mod:`~assb_model.fit.fit_targets` with :func:`scipy.optimize.least_squares`
(trust-region reflective, bounded) in a scaled space: each parameter's fitted-space value
(``log10`` for parameters spanning decades, see
:mod:`~assb_model.fit.fit_parameters`) mapped linearly onto [0, 1] between its
bounds. The Jacobian is taken by finite differences, and again by central differences at
the optimum for the covariance (:mod:`~assb_model.fit.fit_statistics`).
With ``starts > 1`` the optimiser also runs from Latin-hypercube points of that space and
the lowest cost wins (a local optimiser stops at the first minimum it meets;
docs/compare_fit.md shows one). Why scipy and not PyBOP, and why not IDAKLU
sensitivities: ``docs/compare_fit.md``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pybamm
from scipy.optimize import least_squares

from assb_model.errors import SimulationError
from assb_model.fit.compare import (
    Comparison,
    compare_curves,
    load_measured,
    measured_mass,
    select_cycles,
)
from assb_model.fit.curves import measured_curves
from assb_model.fit.fit_impedance import impedance_target
from assb_model.fit.fit_parameters import (
    FitParameter,
    FitSetupError,
    build_fit_parameters,
    scalar_values,
)
from assb_model.fit.fit_statistics import (
    CORRELATION_LIMIT,
    Z95,
    correlated_pairs,
    jacobian_statistics,
)
from assb_model.fit.fit_targets import (
    StepTarget,
    build_targets,
    target_residuals,
    voltage_rmse_mV,
)
from assb_model.fit.replay import MeasuredProtocol, ReplaySimulation, measured_protocol
from assb_model.simulation import as_scenario

#: Relative finite-difference step in the [0, 1]-scaled space (a 1 % change over 4 decades).
FD_STEP = 1e-3

#: Convergence tolerances of ``least_squares``: the step in the [0, 1] space (1e-4 is a
#: fraction of any useful standard error) and the relative decrease of the cost.
XTOL = 1e-4
FTOL = 1e-6

#: A fitted value within this fraction of its (scaled) range of a bound is "at the bound".
BOUND_TOLERANCE = 1e-3

#: Starts whose final costs differ by less than this fraction reached the same minimum
#: (``FTOL`` stops each within ~1e-5 of its minimum's cost; notebook 04's two minima
#: differ by 13 %); costs below MINIMUM_ATOL are exact fits, all the same.
MINIMUM_RTOL = 1e-3
MINIMUM_ATOL = 1e-12


def same_minimum(cost: float, best: float, rtol: float = MINIMUM_RTOL) -> bool:
    """``cost`` ended at the minimum whose cost is ``best`` (:data:`MINIMUM_RTOL`)."""
    return cost <= best * (1 + rtol) + MINIMUM_ATOL


@dataclass
class _Dataset:
    """One measured file in the fit: its targets and the simulation that replays it."""

    source: str
    measured: pd.DataFrame
    protocol: MeasuredProtocol
    cycles: list[int]
    targets: list[StepTarget]
    simulation: ReplaySimulation


@dataclass
class FitResult:
    """Result of :func:`fit_cycling`.

    Attributes
    ----------
    parameters : list of FitParameter
        What was fitted (names, bounds, start values, scaling).
    values : dict
        Fitted value by PyBaMM name.
    standard_errors : dict
        Standard error by PyBaMM name (delta method for log-scaled parameters; ``inf`` if
        the data do not determine the parameter).
    confidence_intervals : dict
        95 % interval ``(lower, upper)`` by name (asymmetric for log-scaled parameters).
    correlation : pandas.DataFrame
        Correlation matrix of the fitted-space parameters.
    non_identifiable : list of tuple
        ``(name_a, name_b, correlation)`` with ``|correlation| >`` :data:`CORRELATION_LIMIT`.
    at_bounds : list of str
        Parameters that ended on a bound (their uncertainty is not meaningful).
    converged : bool
        The optimiser met a convergence criterion.
    message : str
        The optimiser's verdict in words.
    evaluations : int
        Model evaluations, including those for the final Jacobian.
    rmse_mV, initial_rmse_mV : float
        Unweighted voltage RMSE over all fitted samples, at the fit and at the start.
    residual_std_mV : float
        ``s``, the standard deviation of the (weighted) residuals at the optimum.
    comparisons : list of Comparison
        Each dataset compared with the model at the fitted values.
    sources : list of str
    parameter_set : str
        Name (or label) of the base set.
    notes : list of str
    starts : list of dict
        One entry per start of the optimiser (``start``, ``end``: name → physical value;
        ``cost``: sum of squared weighted residuals at the end; ``evaluations``;
        ``status``; ``chosen``: this end is the fit), in the order run; the first is the
        given start. The fit is the lowest-cost end (the given start's if within
        :data:`MINIMUM_RTOL`).
    """

    parameters: list[FitParameter]
    values: dict[str, float]
    standard_errors: dict[str, float]
    confidence_intervals: dict[str, tuple[float, float]]
    correlation: pd.DataFrame
    non_identifiable: list[tuple[str, str, float]]
    at_bounds: list[str]
    converged: bool
    message: str
    evaluations: int
    rmse_mV: float
    initial_rmse_mV: float
    residual_std_mV: float
    comparisons: list[Comparison]
    sources: list[str]
    parameter_set: str
    options: dict = field(default_factory=dict)
    parameter_overrides: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    base_values: dict = field(default_factory=dict)
    starts: list[dict] = field(default_factory=list)

    def agreeing_starts(self, rtol: float = MINIMUM_RTOL) -> int:
        """How many starts ended within ``rtol`` of the lowest cost (1 for one start)."""
        costs = [s["cost"] for s in self.starts]
        if not costs:
            return 1
        return sum(same_minimum(c, min(costs), rtol) for c in costs)

    def table(self) -> pd.DataFrame:
        """One row per parameter: label, name, unit, initial, value, se, 95 % CI, flags."""
        rows = []
        for p in self.parameters:
            lo, hi = self.confidence_intervals[p.name]
            rows.append(
                {
                    "label": p.label,
                    "name": p.name,
                    "unit": p.unit,
                    "log_scaled": p.log,
                    "initial": p.initial,
                    "value": self.values[p.name],
                    "standard_error": self.standard_errors[p.name],
                    "ci95_lower": lo,
                    "ci95_upper": hi,
                    "lower_bound": p.lower,
                    "upper_bound": p.upper,
                    "at_bound": p.name in self.at_bounds,
                }
            )
        return pd.DataFrame(rows)

    def summary(self) -> str:
        """A plain-text report: verdict, values ± standard error, correlations, errors."""
        verdict = "converged" if self.converged else "DID NOT CONVERGE"
        lines = [f"fit {verdict}: {self.message}", ""]
        width = max(len(p.name) for p in self.parameters)
        lines.append(
            f"{'parameter':{width}s}  {'start':>10s}  {'fitted':>10s}  {'± s.e.':>10s}  "
            f"{'95 % interval':>23s}  unit"
        )
        for _, r in self.table().iterrows():
            flag = "  (at bound)" if r["at_bound"] else ""
            lines.append(
                f"{r['name']:{width}s}  {r['initial']:10.4g}  {r['value']:10.4g}  "
                f"{r['standard_error']:10.3g}  [{r['ci95_lower']:10.4g}, "
                f"{r['ci95_upper']:10.4g}]  {r['unit']}{flag}"
            )
        if len(self.parameters) > 1:
            lines += ["", "correlation (fitted space):", self.correlation.round(3).to_string()]
        for a, b, c in self.non_identifiable:
            lines.append(
                f"NOT IDENTIFIABLE: '{a}' and '{b}' are correlated {c:+.3f} "
                f"(|r| > {CORRELATION_LIMIT}); the data determine a combination, not both"
            )
        lines += [
            "",
            f"voltage RMSE {self.initial_rmse_mV:.2f} mV at the start → {self.rmse_mV:.2f} mV "
            f"fitted; residual s.d. {self.residual_std_mV:.2f} mV; "
            f"{self.evaluations} model evaluations",
        ]
        if len(self.starts) > 1:
            best = next(k for k, st in enumerate(self.starts) if st.get("chosen"))
            lines.append(
                f"{len(self.starts)} starts: {self.agreeing_starts()} ended at the lowest cost "
                f"(within {100 * MINIMUM_RTOL:g} %); the fit is start {best + 1}'s end"
            )
            for k, st in enumerate(self.starts, start=1):
                where = ", ".join(f"{v:.4g}" for v in st["end"].values())
                lines.append(f"  start {k}: cost {st['cost']:.6g} at ({where})")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def to_json_dict(self) -> dict:
        """The report as JSON-serialisable dict (``assb fit --json``)."""
        names = [p.name for p in self.parameters]
        return {
            "converged": self.converged,
            "message": self.message,
            "parameter_set": self.parameter_set,
            "measured": self.sources,
            "parameters": [
                {k: _plain(v) for k, v in row.items()} for row in self.table().to_dict("records")
            ],
            "correlation": {
                "names": names,
                "matrix": [[_plain(x) for x in row] for row in self.correlation.to_numpy()],
            },
            "non_identifiable": [
                {"a": a, "b": b, "correlation": c} for a, b, c in self.non_identifiable
            ],
            "at_bounds": self.at_bounds,
            "rmse_mV": _plain(self.rmse_mV),
            "initial_rmse_mV": _plain(self.initial_rmse_mV),
            "residual_std_mV": _plain(self.residual_std_mV),
            "evaluations": self.evaluations,
            "cycles": [c.to_json_dict()["cycles"] for c in self.comparisons],
            "notes": self.notes,
            "starts": [
                {
                    "start": {k: _plain(v) for k, v in st["start"].items()},
                    "end": {k: _plain(v) for k, v in st["end"].items()},
                    "cost": _plain(st["cost"]),
                    "evaluations": st["evaluations"],
                    "status": st["status"],
                    "chosen": bool(st.get("chosen")),
                }
                for st in self.starts
            ],
        }

    def write_parameter_set(
        self,
        path: str | Path,
        name: str | None = None,
        provenance: dict | None = None,
        base: str | None = None,
    ) -> Path:
        """Write the fitted values as a parameter-set file
        (:func:`~assb_model.fit.fitted_sets.write_fitted_parameter_set`)."""
        from assb_model.fit.fitted_sets import write_fitted_parameter_set

        return write_fitted_parameter_set(self, path, name, provenance, base)


def _plain(x):
    if isinstance(x, bool | np.bool_):
        return bool(x)
    if isinstance(x, int | np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        return float(x) if math.isfinite(x) else None
    return x


def fit_cycling(
    measured: str | Path | pd.DataFrame | Sequence[str | Path | pd.DataFrame],
    parameter_set="giraldo2021_sp_lpscl_coated",
    fit: Sequence[str] = ("SE conductivity",),
    *,
    cycles: Sequence[int] | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    initial: Mapping[str, float] | None = None,
    active_mass_g: float | None = None,
    options: dict | None = None,
    parameter_overrides: dict | None = None,
    max_points: int = 150,
    include_rests: bool = True,
    voltage_noise_V: float = 1e-3,
    capacity_tolerance: float = 1e-3,
    max_evaluations: int = 200,
    starts: int = 1,
    seed: int = 0,
    impedance=None,
    impedance_weight: float = 1.0,
    var_pts: dict | None = None,
    solver: pybamm.BaseSolver | None = None,
    **load_kwargs,
) -> FitResult:
    """Fit parameters of a set to one or more measured cycling files.

    Parameters
    ----------
    measured : path, DataFrame, or a sequence of them
        Cycler file(s) (:func:`~assb_model.data.load_cycling`) or tidy DataFrame(s), each
        replayed from the pristine cell (e.g. the same cell type at several rates).
    parameter_set : str or pybamm.ParameterValues
        The base set; start values and default bounds come from it.
    fit : sequence of str
        Short names (``"SE conductivity"``, ``"contact fraction"``,
        ``"contact number"``, ``"interphase conductivity"``, ``"cathode exchange current"``,
        ``"diffusivity"``, ``"contact loss"``;
        :data:`~assb_model.fit.fit_parameters.SHORT_NAMES`) or PyBaMM parameter
        names.
    cycles : sequence of int, optional
        Cycles to fit (default all); earlier cycles are simulated but not fitted.
    bounds : mapping, optional
        Name → ``(lower, upper)`` in physical units.
    initial : mapping, optional
        Name → start value (default: the set's value).
    active_mass_g : float, optional
        Measured active mass [g] (default: from the DataFrame, else the set's NMC mass).
    options, parameter_overrides, var_pts, solver
        As for :func:`assb_model.simulate`.
    max_points : int
        Most measured samples per step in the residual.
    include_rests : bool
        Fit the rests' relaxation too (informative about diffusion and kinetics).
    voltage_noise_V, capacity_tolerance : float
        ``σ_V`` and the relative ``σ_q`` of the residual weighting
        (:mod:`assb_model.fit.fit_targets`).
    max_evaluations : int
        Most model evaluations the optimiser may use from each start (finite-difference
        ones included; the final Jacobian for the uncertainty, ``2 n`` more, is not
        counted).
    starts : int
        Starts of the optimiser: the given start (``initial``, else the set's values) and
        ``starts - 1`` Latin-hypercube points of the scaled parameter space (``seed``);
        the lowest-cost end is the fit, :attr:`FitResult.starts` lists them all. Costs
        up to ``starts`` times as much as one start.
    seed : int
        Seed of the Latin hypercube.
    impedance : path or assb_model.ecm.Spectrum, optional
        Spectrum to fit jointly (needs ``assb_model.model_eis.spectrum``; skipped with a
        note otherwise, :mod:`assb_model.fit.fit_impedance`).
    impedance_weight : float
        Weight of the spectrum against the cycling data.
    **load_kwargs
        Passed to :func:`~assb_model.data.load_cycling`.

    Returns
    -------
    FitResult
        Check :attr:`FitResult.converged`; a fit that ran out of evaluations is returned
        with ``converged=False`` and its last values.

    Raises
    ------
    FitSetupError
        For unknown parameters, bad bounds or start values.
    """
    scenario = as_scenario(
        parameter_set, options=options, overrides=parameter_overrides, var_pts=var_pts
    )
    base, label = scenario.parameter_values(), scenario.label
    params = build_fit_parameters(list(fit), base, bounds, initial)
    if not (isinstance(starts, int | np.integer) and starts >= 1):
        raise FitSetupError(f"starts must be a whole number of at least 1, got {starts!r}")
    names = [p.name for p in params]
    model_mass = float(base["NMC mass [kg]"]) * 1e3
    items = [measured] if isinstance(measured, str | Path | pd.DataFrame) else list(measured)
    if not items:
        raise FitSetupError("no measured data given")
    datasets = [
        _dataset(
            m,
            scenario,
            names,
            cycles,
            active_mass_g,
            model_mass,
            options,
            var_pts,
            solver,
            max_points,
            include_rests,
            voltage_noise_V,
            capacity_tolerance,
            load_kwargs,
        )
        for m in items
    ]
    notes: list[str] = []
    eis_target = None
    if impedance is not None:
        eis_target, note = impedance_target(impedance, weight=impedance_weight)
        if note:
            notes.append(note)
            warnings.warn(note, stacklevel=2)

    lo = np.array([p.fitted_bounds[0] for p in params])
    span = np.array([p.fitted_bounds[1] for p in params]) - lo
    counter = {"n": 0, "failed": 0}

    def physical(u: np.ndarray) -> dict[str, float]:
        return {p.name: p.to_physical(lo[i] + span[i] * u[i]) for i, p in enumerate(params)}

    def residuals(u: np.ndarray) -> np.ndarray:
        inputs = physical(u)
        counter["n"] += 1
        parts = []
        for d in datasets:
            try:
                curves = d.simulation.run(**inputs)
            except SimulationError:
                counter["failed"] += 1
                curves = pd.DataFrame()
            parts.append(target_residuals(d.targets, curves, voltage_noise_V))
        if eis_target is not None:
            pv = base.copy()
            pv.update(inputs)
            parts.append(eis_target.residuals(pv, options, voltage_noise_V))
        return np.concatenate(parts)

    u0 = np.array([(p.to_fitted(p.initial) - lo[i]) / span[i] for i, p in enumerate(params)])
    initial_rmse = _rmse(datasets, physical(u0))
    runs, k_best = multistart(residuals, u0, starts, seed, max_evaluations)
    u, status, message = runs[k_best]["u"], runs[k_best]["status"], runs[k_best]["message"]
    if k_best > 0:
        notes.append(
            f"start {k_best + 1} of {starts} ended at a lower cost than the given start "
            f"({runs[k_best]['cost']:.6g} vs {runs[0]['cost']:.6g}): the given start "
            "stopped in a local minimum"
        )
    r = residuals(u)
    J = _central_jacobian(residuals, u)
    stats = jacobian_statistics(J, r)
    # back from the [0, 1] scaling to the fitted space z (log10 or linear)
    values, se, ci = _physical_uncertainty(params, lo + span * u, stats.standard_errors * span)
    corr = pd.DataFrame(stats.correlation, index=names, columns=names)
    at_bounds = [p.name for i, p in enumerate(params) if min(u[i], 1 - u[i]) < BOUND_TOLERANCE]
    converged, message = _verdict(status, message, max_evaluations, counter)
    if not converged:
        notes.append("the uncertainties are taken at a point that is not an optimum: ignore them")
    if stats.rank < len(params):
        notes.append(
            f"the Jacobian has rank {stats.rank} < {len(params)}: some parameter "
            "combination does not change the fitted curves at all"
        )
    for name in at_bounds:
        notes.append(f"'{name}' ended on a bound: widen the bounds or fix the parameter")
    if 0 < counter["failed"] < counter["n"]:
        notes.append(
            f"{counter['failed']} of {counter['n']} simulations failed (treated as held at "
            "the cut-off)"
        )
    comparisons = [_comparison_at(d, physical(u), label) for d in datasets]
    return FitResult(
        parameters=params,
        values=values,
        standard_errors=se,
        confidence_intervals=ci,
        correlation=corr,
        non_identifiable=correlated_pairs(names, stats.correlation),
        at_bounds=at_bounds,
        converged=converged,
        message=message,
        evaluations=counter["n"],
        rmse_mV=_rmse(datasets, physical(u)),
        initial_rmse_mV=initial_rmse,
        residual_std_mV=1e3 * stats.residual_std,
        comparisons=comparisons,
        sources=[d.source for d in datasets],
        parameter_set=label,
        options=dict(options or {}),
        parameter_overrides=dict(parameter_overrides or {}),
        notes=notes,
        base_values=scalar_values(base),
        starts=[
            {
                "start": physical(run["start"]),
                "end": physical(run["u"]),
                "cost": run["cost"],
                "evaluations": run["evaluations"],
                "status": run["status"],
                "chosen": k == k_best,
            }
            for k, run in enumerate(runs)
        ],
    )


def _physical_uncertainty(params: list[FitParameter], z: np.ndarray, se_z: np.ndarray):
    """Values, standard errors and 95 % intervals in physical units from the fitted space.

    Log-scaled: ``se = p ln(10) se_z`` (delta method), interval ``10^(z ± 1.96 se_z)``.
    """
    values, se, ci = {}, {}, {}
    for i, p in enumerate(params):
        values[p.name] = p.to_physical(z[i])
        if p.log:
            se[p.name] = values[p.name] * math.log(10) * se_z[i]
            ci[p.name] = (10 ** (z[i] - Z95 * se_z[i]), 10 ** (z[i] + Z95 * se_z[i]))
        else:
            se[p.name] = se_z[i]
            ci[p.name] = (z[i] - Z95 * se_z[i], z[i] + Z95 * se_z[i])
    return values, se, ci


def _dataset(
    measured,
    base,
    names,
    cycles,
    active_mass_g,
    model_mass,
    options,
    var_pts,
    solver,
    max_points,
    include_rests,
    voltage_noise_V,
    capacity_tolerance,
    load_kwargs,
) -> _Dataset:
    df, source = load_measured(measured, active_mass_g, **load_kwargs)
    mass = measured_mass(df, active_mass_g, model_mass)
    chosen = select_cycles(df, cycles)
    protocol = measured_protocol(df, last_cycle=max(chosen), current_scale=model_mass / mass)
    curves = measured_curves(df, mass)
    targets = build_targets(
        curves,
        protocol,
        chosen,
        max_points=max_points,
        include_rests=include_rests,
        voltage_noise_V=voltage_noise_V,
        capacity_tolerance=capacity_tolerance,
    )
    sim = ReplaySimulation(base, protocol, input_parameters=names, solver=solver)
    return _Dataset(source, curves, protocol, chosen, targets, sim)


def _rmse(datasets: list[_Dataset], inputs: dict) -> float:
    errs = []
    for d in datasets:
        try:
            curves = d.simulation.run(**inputs)
        except SimulationError:
            curves = pd.DataFrame()
        errs.append((voltage_rmse_mV(d.targets, curves), sum(len(t.axis) for t in d.targets)))
    total = sum(n for _, n in errs)
    return float(np.sqrt(sum(e**2 * n for e, n in errs) / total)) if total else float("nan")


def _comparison_at(d: _Dataset, inputs: dict, label: str) -> Comparison:
    try:
        simulated = d.simulation.run(**inputs)
    except SimulationError:
        simulated = pd.DataFrame(columns=d.measured.columns)
    comparison = compare_curves(d.measured, simulated, d.protocol, d.cycles)
    comparison.source, comparison.parameter_set = d.source, label
    return comparison


def _central_jacobian(fun, u: np.ndarray, h: float = FD_STEP) -> np.ndarray:
    """Central differences in the [0, 1] space (one-sided at a bound)."""
    cols = []
    for i in range(len(u)):
        up, down = u.copy(), u.copy()
        up[i], down[i] = min(u[i] + h, 1.0), max(u[i] - h, 0.0)
        cols.append((fun(up) - fun(down)) / (up[i] - down[i]))
    return np.column_stack(cols)


class _BudgetExhausted(Exception):
    """The optimiser asked for more model evaluations than allowed."""


def start_points(u0: np.ndarray, starts: int, seed: int = 0) -> list[np.ndarray]:
    """The optimiser's starts in the scaled space [0, 1]^n: ``u0``, then ``starts - 1``
    points of a Latin hypercube (:class:`scipy.stats.qmc.LatinHypercube`, ``seed``)."""
    points = [np.asarray(u0, dtype=float)]
    if starts > 1:
        from scipy.stats import qmc

        points += list(qmc.LatinHypercube(d=len(u0), seed=seed).random(starts - 1))
    return points


def multistart(
    fun, u0: np.ndarray, starts: int, seed: int, max_evaluations: int
) -> tuple[list[dict], int]:
    """:func:`_optimise` from each of :func:`start_points`; the runs and the index of the
    lowest-cost end (the first of equals: the given start wins ties).

    Each run is a dict: ``start``, ``u`` (end), ``status``, ``message``, ``cost``,
    ``evaluations``.
    """
    runs = []
    for s0 in start_points(u0, starts, seed):
        calls = {"n": 0}

        def counted(u, calls=calls):
            calls["n"] += 1
            return fun(u)

        u, status, message, cost = _optimise(counted, s0, max_evaluations)
        runs.append(
            {
                "start": s0,
                "u": u,
                "status": status,
                "message": message,
                "cost": cost,
                "evaluations": calls["n"],
            }
        )
    costs = [run["cost"] for run in runs]
    k_best = int(np.argmin(costs))
    if same_minimum(costs[0], costs[k_best]):
        k_best = 0  # the same minimum: keep the given start's end
    return runs, k_best


def _optimise(fun, u0: np.ndarray, max_evaluations: int) -> tuple[np.ndarray, int, str, float]:
    """Bounded trust-region least squares on [0, 1]^n, at most ``max_evaluations`` calls.

    scipy's own ``max_nfev`` does not count the finite-difference Jacobian's calls, so the
    budget is enforced here; when it runs out, the best point seen is returned with
    status 0. Returns the point, scipy's status and message, and the cost (sum of squared
    residuals) there.
    """
    best = {"cost": np.inf, "u": u0.copy(), "n": 0}

    def counted(u):
        if best["n"] >= max_evaluations:
            raise _BudgetExhausted
        best["n"] += 1
        r = fun(u)
        cost = float(r @ r)
        if cost < best["cost"]:
            best["cost"], best["u"] = cost, np.array(u, float)
        return r

    try:
        opt = least_squares(
            counted,
            u0,
            bounds=(np.zeros(len(u0)), np.ones(len(u0))),
            method="trf",
            diff_step=FD_STEP,
            x_scale=1.0,
            xtol=XTOL,
            ftol=FTOL,
        )
    except _BudgetExhausted:
        return np.clip(best["u"], 0.0, 1.0), 0, "budget", best["cost"]
    return np.clip(opt.x, 0.0, 1.0), int(opt.status), str(opt.message), 2 * float(opt.cost)


def _verdict(status: int, message: str, max_evaluations: int, counter: dict) -> tuple[bool, str]:
    if counter["failed"] and counter["failed"] == counter["n"]:
        return False, "every simulation failed; check the parameter set, bounds and protocol"
    if status == 0:
        return False, (
            f"stopped after the maximum of {max_evaluations} model evaluations without "
            "meeting a convergence criterion; the values reported are the best point found, "
            "not an optimum (raise max_evaluations, narrow the bounds or fit fewer parameters)"
        )
    if status < 0:
        return False, f"the optimiser failed: {message}"
    return True, message
