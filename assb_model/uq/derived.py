"""From sampled facts to the model parameters they change, through the set's derivations.

A full derivation with new table facts re-runs the inversion of the paper's circuit fit
(:func:`assb_model.parameters.inversion.invert_table_arcs`, ~1.6 s each), too slow for
hundreds of samples. The derived parameters are smooth, nearly power-law functions of the
facts (a resistance inferred from an arc scales with it, a conductivity inversely), so
:class:`DerivedInputs` derives the set exactly at its own facts and once per varied fact
moved by one standard deviation, and maps a sample by the log-log secants:

.. math:: \\ln p_k(f) = \\ln p_k(f_0) + \\sum_i J_{ki} (\\ln f_i - \\ln f_{0,i}),
          \\qquad J_{ki} = \\frac{\\ln p_k(f_0 + h_i e_i) - \\ln p_k(f_0)}{h_i}

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
        d ln(parameter) / d ln(fact), one row per name, one column per fact.
    """

    inputs: UncertainInputs
    names: list[str]
    base: np.ndarray
    jacobian: np.ndarray

    @classmethod
    def build(
        cls, inputs: UncertainInputs, options: dict | None = None, workers: int = 1
    ) -> DerivedInputs:
        """Derive the set at its facts and at each varied fact moved by one sd (the moved
        derivations in ``workers`` processes)."""
        names = inputs.names
        f0 = dict(zip(names, np.exp(inputs.center), strict=True))
        base = _derive(inputs.parameter_set, {})
        sd = inputs.sd()
        tasks = [
            (inputs.parameter_set, names[i], f0[names[i]], float(sd[i])) for i in inputs.varied
        ]
        columns = {}
        for i, (moved, h) in zip(inputs.varied, _map(_moved_task, tasks, workers), strict=True):
            columns[i] = {
                k: (math.log(moved[k] / base[k]) / h)
                for k in base
                if k in moved
                and base[k] > 0
                and moved[k] > 0
                and abs(moved[k] / base[k] - 1) > UNCHANGED
            }
        changed = sorted({k for col in columns.values() for k in col})
        changed = [k for k in changed if not k.startswith("Table ")]
        used = _used_by_model(inputs.parameter_set, options or {}, changed)
        jac = np.zeros((len(used), len(names)))
        for i, col in columns.items():
            for r, k in enumerate(used):
                jac[r, i] = col.get(k, 0.0)
        return cls(inputs, used, np.array([base[k] for k in used]), jac)

    def map(self, facts: pd.DataFrame) -> pd.DataFrame:
        """Model parameters of each sample (one row per row of ``facts``)."""
        if not self.names:
            return pd.DataFrame(index=facts.index)
        dlog = np.log(facts[self.inputs.names].to_numpy(dtype=float)) - self.inputs.center
        values = self.base * np.exp(dlog @ self.jacobian.T)
        return pd.DataFrame(values, columns=self.names, index=facts.index)

    def check(self, facts: pd.DataFrame) -> pd.DataFrame:
        """Relative error of :meth:`map` against full derivations, per sample and parameter."""
        mapped = self.map(facts)
        rows = []
        for idx, row in facts.iterrows():
            exact = _derive(self.inputs.parameter_set, row.to_dict())
            rows.append({k: mapped.loc[idx, k] / exact[k] - 1 for k in self.names})
        return pd.DataFrame(rows, index=facts.index)


def _moved_task(task: tuple) -> tuple[dict, float]:
    return _moved(*task)


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


def _moved(parameter_set: str, name: str, value: float, sd: float) -> tuple[dict, float]:
    """The set derived with one fact moved by ``sd`` in log (up, else down, else half):
    where the circuit fit of the inversion jumps between optima, one side may fail."""
    from assb_model.errors import ParameterError

    error = None
    for h in (sd, -sd, sd / 2, -sd / 2):
        try:
            return _derive(parameter_set, {name: value * math.exp(h)}), h
        except ParameterError as exc:
            error = exc
    raise error


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
