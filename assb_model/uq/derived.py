"""From sampled facts to the model parameters they change, through the set's derivations.

A full derivation with new table facts re-runs the inversion of the paper's circuit fit
(:func:`assb_model.parameters.inversion.invert_table_arcs`, ~2 s each), too slow for
hundreds of samples. The derived parameters are smooth-ish, nearly power-law functions of
the facts (a resistance inferred from an arc scales with it, a conductivity inversely), so
:class:`DerivedInputs` derives the set exactly at its own facts and with the facts moved
by :math:`\\pm 1` along each sampling direction :math:`c_j` (a column of the Cholesky
factor of the facts' log covariance, :func:`assb_model.uq.design`), and maps a sample
:math:`\\ln f = \\ln f_0 + \\sum_j z_j c_j` by the quadratic through those three
derivations, direction by direction:

.. math:: \\ln p_k(z) = \\ln p_k(0) + \\sum_j \\left(J_{kj} z_j + \\tfrac12 H_{kj} z_j^2\\right)

(:meth:`DerivedInputs.check` measures its error against full derivations;
docs/uncertainty.md gives the numbers).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from assb_model.parameters.registry import REBUILD_PARAMETERS
from assb_model.uq.inputs import UncertainInputs

#: Relative change below which a derived parameter counts as unchanged by a fact.
UNCHANGED = 1e-9


def _numeric(table) -> dict[str, float]:
    out = {}
    for e in table:
        v = e.value
        if isinstance(v, numbers.Number) and not isinstance(v, bool):
            out[e.name] = float(v)
    return out


def _derive(parameter_set: str, facts: dict) -> dict[str, float]:
    from assb_model.parameters.sets import build_parameter_table

    return _numeric(build_parameter_table(parameter_set, facts=facts))


@dataclass
class DerivedInputs:
    """Model parameters as log-linear functions of the sampled facts.

    Attributes
    ----------
    inputs : UncertainInputs
    names : list of str
        Model parameters the facts change (PyBaMM names, SI), bookkeeping entries of the
        tables (``"Table ..."``) and the facts themselves excluded unless the model reads
        them.
    base : numpy.ndarray
        Their values at the set's own facts.
    jacobian : numpy.ndarray
        d ln(parameter) / dz, one row per name, one column per sampling direction: a
        sample's facts are ``center + cholesky @ z`` in log (:func:`~assb_model.uq.design`).
    cholesky : numpy.ndarray
        Cholesky factor of the log covariance of the varied facts.
    curvature : numpy.ndarray
        d² ln(parameter) / dz² along each direction (zero for one-sided secants).
    """

    inputs: UncertainInputs
    names: list[str]
    base: np.ndarray
    jacobian: np.ndarray
    cholesky: np.ndarray | None = None
    curvature: np.ndarray | None = None

    @classmethod
    def build(
        cls,
        inputs: UncertainInputs,
        options: dict | None = None,
        workers: int = 1,
        central: bool = True,
    ) -> DerivedInputs:
        """Derive the set at its facts and with the facts moved along each direction of the
        sampling (a column of the Cholesky factor of their log covariance: one fact for the
        independent batch spread, the correlated calibration constants together), by
        ±1 (``central``) or +1; the moved derivations in ``workers`` processes."""
        names = inputs.names
        f0 = np.exp(inputs.center)
        base = _derive(inputs.parameter_set, {})
        varied = inputs.varied
        chol = np.linalg.cholesky(inputs.cov[np.ix_(varied, varied)]) if varied else None
        tasks = []
        for j in range(len(varied)):
            direction = {names[i]: (f0[i], float(chol[r, j])) for r, i in enumerate(varied)}
            direction = {k: v for k, v in direction.items() if v[1] != 0.0}
            for sign in (1.0, -1.0) if central else (1.0,):
                tasks.append((inputs.parameter_set, direction, sign))
        moved = _map(_moved_task, tasks, workers)
        steps = 2 if central else 1
        slopes, curvatures = [], []
        for j in range(len(varied)):
            (up, h_up), *down = moved[steps * j : steps * (j + 1)]
            low, h_low = down[0] if down else (None, 0.0)
            slope, curve = {}, {}
            for k in base:
                ends = [up] + ([low] if low is not None else [])
                if base[k] <= 0 or any(k not in e or e[k] <= 0 for e in ends):
                    continue
                d_up = math.log(up[k] / base[k])
                d_low = math.log(low[k] / base[k]) if low is not None else None
                if abs(d_up) < UNCHANGED and (d_low is None or abs(d_low) < UNCHANGED):
                    continue
                if d_low is None:
                    slope[k], curve[k] = d_up / h_up, 0.0
                else:
                    # y = a z + b z^2 through (h_up, d_up) and (h_low, d_low)
                    a, b = np.linalg.solve([[h_up, h_up**2], [h_low, h_low**2]], [d_up, d_low])
                    slope[k], curve[k] = float(a), 2.0 * float(b)
            slopes.append(slope)
            curvatures.append(curve)
        changed = sorted({k for col in slopes for k in col})
        changed = [k for k in changed if not k.startswith("Table ")]
        used = _used_by_model(inputs.parameter_set, options or {}, changed)
        shape = (len(used), len(varied))
        jac = np.array([[c.get(k, 0.0) for c in slopes] for k in used]).reshape(shape)
        hess = np.array([[c.get(k, 0.0) for c in curvatures] for k in used]).reshape(shape)
        return cls(inputs, used, np.array([base[k] for k in used]), jac, chol, hess)

    def map(self, facts: pd.DataFrame) -> pd.DataFrame:
        """Model parameters of each sample (one row per row of ``facts``)."""
        if not self.names:
            return pd.DataFrame(index=facts.index)
        varied = self.inputs.varied
        dlog = np.log(facts[self.inputs.names].to_numpy(dtype=float)) - self.inputs.center
        if not varied:
            z = np.zeros((len(facts), 0))
        else:
            z = np.linalg.solve(self.cholesky, dlog[:, varied].T).T
        values = self.base * np.exp(z @ self.jacobian.T + 0.5 * (z**2) @ self.curvature.T)
        return pd.DataFrame(values, columns=self.names, index=facts.index)

    def check(self, facts: pd.DataFrame) -> pd.DataFrame:
        """Relative error of :meth:`map` against full derivations, per sample and parameter
        (NaN where the full derivation itself fails: its inversion does not converge)."""
        from assb_model.errors import ParameterError

        mapped = self.map(facts)
        rows = []
        for idx, row in facts.iterrows():
            try:
                exact = _derive(self.inputs.parameter_set, row.to_dict())
            except ParameterError:
                rows.append(dict.fromkeys(self.names, float("nan")))
                continue
            rows.append({k: mapped.loc[idx, k] / exact[k] - 1 for k in self.names})
        return pd.DataFrame(rows, index=facts.index)


def _moved_task(task: tuple) -> tuple[dict, float]:
    """The set derived with its facts moved by ``sign`` along a direction (``{name:
    (value, log step)}``); where the circuit fit of the inversion jumps between optima a
    full step may fail: then half a step."""
    from assb_model.errors import ParameterError

    parameter_set, direction, sign = task
    error = None
    for h in (sign, sign / 2):
        facts = {k: v * math.exp(h * step) for k, (v, step) in direction.items()}
        try:
            return _derive(parameter_set, facts), h
        except ParameterError as exc:
            error = exc
    raise error


def _map(func, tasks: list, workers: int) -> list:
    """``func`` over ``tasks``, in worker processes if there are several (the sweep's
    start method: fork where it is safe)."""
    if workers <= 1 or len(tasks) < 2:
        return [func(t) for t in tasks]
    import concurrent.futures as cf
    import multiprocessing as mp

    from assb_model.sweep.engine import default_start_method

    ctx = mp.get_context(default_start_method())
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        return list(pool.map(func, tasks))


def _used_by_model(parameter_set: str, options: dict, names: list[str]) -> list[str]:
    """The names among ``names`` the model reads as numbers (not rebuild parameters)."""
    if not names:
        return []
    from assb_model.simulation.scenario import Scenario
    from assb_model.sweep.plan import inputs_without_effect

    keep = [n for n in names if n not in REBUILD_PARAMETERS]
    pv = Scenario(parameter_set, options).parameter_values()
    keep = [n for n in keep if n in pv.keys() and isinstance(pv[n], numbers.Number)]
    unused = set(inputs_without_effect(pv, options, keep))
    return [n for n in keep if n not in unused]
