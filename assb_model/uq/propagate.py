"""Propagate the input uncertainty through the model with the sweep engine.

:func:`run_uq` samples the facts of a set (:mod:`assb_model.uq.inputs`), maps them to the
model parameters they change (:class:`~assb_model.uq.derived.DerivedInputs`), and runs
the samples as one sweep (:func:`assb_model.sweep.run_sweep`, design ``"zip"``): the model
is built once, each sample only solves with its inputs, in parallel worker processes, and
every finished sample is recorded at once, so an interrupted run resumed with the same
``out`` computes only what is missing. The set's own inputs (the nominal point) run as one
more point of the same sweep.

Layout of ``out``::

    sweep/         the sweep folder (results.csv, sweep.json, curves/, cycles/)
    samples.csv    one row per sample: facts, model inputs, outputs
    summary.csv    one row per output: nominal, quantiles, 90 % interval, Monte Carlo error
    uq.json        what was sampled (spread, posterior, seed), the summary
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from assb_model.parameters import registry
from assb_model.sweep import Axis, SweepSpec, run_sweep
from assb_model.sweep.spec import point_id
from assb_model.uq.derived import DerivedInputs
from assb_model.uq.inputs import (
    BatchSpread,
    CalibrationPosterior,
    UncertainInputs,
    design,
    uncertain_inputs,
)
from assb_model.uq.intervals import summarise

#: Outputs summarised by default (:data:`assb_model.simulation.summary.OUTPUTS`).
UQ_OUTPUTS = (
    "discharge_capacity_mAh_per_g",
    "charge_capacity_mAh_per_g",
    "coulombic_efficiency",
    "energy_mWh_per_g",
    "mean_voltage_V",
    "last_discharge_capacity_mAh_per_g",
    "capacity_retention",
    "R_SE_Cat_after_first_charge_ohm",
    "R_SE_Cat_end_ohm",
)

_DERIVED_CACHE: dict = {}


@dataclass
class UQSpec:
    """An uncertainty propagation: which set, what is uncertain, which protocol.

    Parameters
    ----------
    parameter_set : str
    samples : int
        Latin-hypercube samples.
    seed : int
    spread : BatchSpread
        Batch spread (``BatchSpread(0)``: off; ``BatchSpread(2)``: doubled).
    calibration : CalibrationPosterior
        Calibration uncertainty (``CalibrationPosterior(0)``: off).
    current_density, upper_cutoff, lower_cutoff, cycles :
        Protocol (mA/cm2, V vs Li–In).
    schedule : list of dict, optional
        Segments instead (see :class:`assb_model.sweep.SweepSpec`).
    options, overrides : dict
        Model options; what-ifs (alias or PyBaMM name → value), held in every sample.
    grid : list of Axis, optional
        Grid axes crossed with the samples (a what-if map with bands).
    save_curves, save_cycles : bool
        Keep each sample's curves (voltage fan chart) and cycle table (capacity fan).
    """

    parameter_set: str
    samples: int = 200
    seed: int = 0
    spread: BatchSpread = field(default_factory=BatchSpread)
    calibration: CalibrationPosterior = field(default_factory=CalibrationPosterior)
    current_density: float = 0.13
    upper_cutoff: float = 3.8
    lower_cutoff: float = 2.0
    cycles: int = 2
    schedule: list | None = None
    options: dict = field(default_factory=dict)
    overrides: dict = field(default_factory=dict)
    grid: tuple = ()
    save_curves: bool = False
    save_cycles: bool = True

    def describe(self) -> dict:
        d = asdict(self)
        d["grid"] = [a.to_dict() for a in self.grid]
        return d


@dataclass
class UQResult:
    """Samples, their outputs and the intervals.

    Attributes
    ----------
    spec : UQSpec
    inputs : UncertainInputs
    derived : DerivedInputs
    samples : DataFrame
        One row per sample (and grid point): ``sample``, the facts, the model inputs,
        the outputs, ``status``, ``point_id``.
    nominal : DataFrame
        The nominal point's row(s) (one per grid point).
    summary : DataFrame
        :func:`assb_model.uq.intervals.summarise` of the outputs (no grid) .
    sweep : SweepResult
    """

    spec: UQSpec
    inputs: UncertainInputs
    derived: DerivedInputs
    samples: pd.DataFrame
    nominal: pd.DataFrame
    summary: pd.DataFrame
    sweep: object

    def interval(self, output: str, level: float = 0.90) -> tuple[float, float]:
        from assb_model.uq.intervals import interval

        return interval(self.samples[output], level)

    def cycles(self) -> pd.DataFrame:
        """Cycle tables of every sample stacked (``sample`` column), if kept."""
        frames = []
        rows = pd.concat([self.samples, self.nominal], ignore_index=True)
        for s, pid in zip(rows["sample"], rows["point_id"], strict=True):
            try:
                frames.append(self.sweep.cycles(pid).assign(sample=s))
            except KeyError:
                continue
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def curves(self, cycle: int = 1) -> pd.DataFrame:
        """Curves of one cycle of every sample stacked (``sample`` column), if kept."""
        frames = []
        rows = pd.concat([self.samples, self.nominal], ignore_index=True)
        for s, pid in zip(rows["sample"], rows["point_id"], strict=True):
            try:
                c = self.sweep.curves(pid)
            except KeyError:
                continue
            frames.append(c[c["cycle"] == cycle].assign(sample=s))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def derived_inputs(
    inputs: UncertainInputs, options: dict | None = None, workers: int = 1
) -> DerivedInputs:
    """:meth:`DerivedInputs.build`, kept per set, spread and options for this process."""
    from assb_model.uq.derived import _derive

    # keyed by the set's values too: a changed calibration or cell file is a new map
    key = (
        inputs.parameter_set,
        tuple(inputs.names),
        tuple(np.round(inputs.sd(), 12)),
        json.dumps(options or {}, sort_keys=True),
        json.dumps(_derive(inputs.parameter_set, {}), sort_keys=True),
    )
    if key not in _DERIVED_CACHE:
        _DERIVED_CACHE[key] = DerivedInputs.build(inputs, options, workers)
    return _DERIVED_CACHE[key]


def _fixed_names(spec: UQSpec) -> set[str]:
    """PyBaMM names a what-if or a grid axis of the spec fixes (not sampled then)."""
    from assb_model.parameters.sets import parameter_names

    names = parameter_names(spec.parameter_set)
    out = set()
    for key in [*spec.overrides, *(a.name for a in spec.grid)]:
        try:
            out.add(registry.resolve(key, names).name)
        except (KeyError, ValueError):
            out.add(key)
    return out


def sample_table(
    spec: UQSpec, workers: int = 1
) -> tuple[UncertainInputs, DerivedInputs, pd.DataFrame, list]:
    """The facts and model inputs of every sample (the last row: the nominal point).

    Returns the inputs, their map, the table (``sample`` -1 is the nominal point) and the
    names of the model inputs that vary.
    """
    inputs = uncertain_inputs(spec.parameter_set, spec.spread, spec.calibration)
    derived = derived_inputs(inputs, spec.options, workers)
    facts = design(inputs, spec.samples, spec.seed)
    nominal = pd.DataFrame([np.exp(inputs.center)], columns=inputs.names)
    facts = pd.concat([facts, nominal], ignore_index=True)
    values = derived.map(facts)
    fixed = _fixed_names(spec)
    grid_names = {a.name for a in spec.grid}
    varied = [
        n
        for n in values.columns
        if n not in fixed
        and n not in grid_names
        and not np.allclose(values[n], values[n].iloc[-1], rtol=1e-12, atol=0)
    ]
    table = pd.concat([facts.add_prefix("fact: "), values[varied]], axis=1)
    table.insert(0, "sample", [*range(spec.samples), -1])
    return inputs, derived, table, varied


def run_uq(
    spec: UQSpec,
    out=None,
    *,
    workers: int = 1,
    progress: bool = True,
    overwrite: bool = False,
    limit: int | None = None,
) -> UQResult:
    """Run the samples of ``spec`` through the model; summarise; write ``out``.

    Parameters
    ----------
    spec : UQSpec
    out : path, optional
        Folder (module docstring); a folder of the same spec is resumed.
    workers : int
        Worker processes of the sweep.
    progress : bool
        Progress bar (tqdm).
    overwrite : bool
        Replace a different run found in ``out``.
    limit : int, optional
        Stop after this many new points (an interrupted run, for tests); resumed later.
    """
    inputs, derived, table, varied = sample_table(spec, workers)
    axes = [Axis.of(n, table[n].to_numpy()) for n in varied]
    if not axes:
        # nothing varies: one point, the nominal one, stands for every sample
        axes = [Axis.of("current_density", [spec.current_density])]
    axes += list(spec.grid)
    sweep_spec = SweepSpec(
        spec.parameter_set,
        axes,
        design="zip" if varied else "grid",
        current_density=spec.current_density,
        upper_cutoff=spec.upper_cutoff,
        lower_cutoff=spec.lower_cutoff,
        cycles=spec.cycles,
        options=spec.options,
        overrides=spec.overrides,
        save_curves=spec.save_curves,
        save_cycles=spec.save_cycles,
        schedule=spec.schedule,
    )
    folder = Path(out) / "sweep" if out is not None else None
    if limit is not None:
        sweep = _run_limited(sweep_spec, folder, workers, progress, overwrite, limit)
    else:
        sweep = run_sweep(
            sweep_spec,
            folder,
            workers=workers,
            resume=True,
            overwrite=overwrite,
            progress=progress,
        )
    samples = _join(spec, table, varied, sweep)
    is_nominal = samples["sample"] == -1
    nominal, samples = samples[is_nominal].reset_index(drop=True), samples[~is_nominal]
    samples = samples.reset_index(drop=True)
    outputs = [c for c in UQ_OUTPUTS if c in samples.columns]
    if not spec.grid:
        nominal_values = nominal.iloc[0].to_dict() if len(nominal) else None
        summary = summarise(samples, outputs, nominal_values)
    else:
        # one summary per grid point (a what-if map with intervals)
        keys = [a.name for a in spec.grid]
        frames = []
        for combo, g in samples.groupby(keys, sort=True):
            combo = combo if isinstance(combo, tuple) else (combo,)
            match = np.logical_and.reduce(
                [nominal[k] == v for k, v in zip(keys, combo, strict=True)]
            )
            nom = nominal[match].iloc[0].to_dict() if match.any() else None
            part = summarise(g, outputs, nom)
            for k, v in zip(reversed(keys), reversed(combo), strict=True):
                part.insert(0, k, v)
            frames.append(part)
        summary = pd.concat(frames, ignore_index=True)
    result = UQResult(spec, inputs, derived, samples, nominal, summary, sweep)
    if out is not None:
        _write(result, Path(out))
    return result


def _run_limited(sweep_spec, folder, workers, progress, overwrite, limit):
    """Run at most ``limit`` new points, then stop as an interrupt would."""
    done = {"n": 0}

    class _Stop(Exception):
        pass

    def on_point(_done, _total):
        done["n"] += 1
        if done["n"] >= limit:
            raise _Stop

    try:
        run_sweep(
            sweep_spec,
            folder,
            workers=1,
            resume=True,
            overwrite=overwrite,
            progress=progress,
            on_point=on_point,
        )
    except _Stop:
        pass
    from assb_model.sweep import load_sweep

    _, results, _ = load_sweep(folder)
    return _Partial(results, folder)


@dataclass
class _Partial:
    """What an interrupted run has recorded (results table and stored tables)."""

    results: pd.DataFrame
    out: Path

    def cycles(self, pid):
        return _read_stored(self.out / "cycles", pid)

    def curves(self, pid):
        return _read_stored(self.out / "curves", pid)


def _read_stored(folder: Path, pid: str) -> pd.DataFrame:
    for suffix, reader in ((".parquet", pd.read_parquet), (".csv", pd.read_csv)):
        path = folder / f"{pid}{suffix}"
        if path.exists():
            return reader(path)
    raise KeyError(pid)


def _join(spec: UQSpec, table: pd.DataFrame, varied: list, sweep) -> pd.DataFrame:
    """One row per sample (and grid point) with the outputs of its sweep point."""
    results = sweep.results.set_index("point_id")
    rows = []
    grid = [a for a in spec.grid]
    grid_values = [a.grid_values() for a in grid]
    import itertools

    for combo in itertools.product(*grid_values):
        fixed = dict(zip([a.name for a in grid], combo, strict=True))
        for _, row in table.iterrows():
            values = {n: float(Axis.of(n, [row[n]]).values[0]) for n in varied}
            if not varied:
                values = {"current_density": spec.current_density}
            from assb_model.sweep.spec import _clean

            values = {k: _clean(v) for k, v in {**values, **fixed}.items()}
            pid = point_id(values)
            rec = {**row.to_dict(), **fixed, "point_id": pid}
            if pid in results.index:
                r = results.loc[pid]
                for c in results.columns:
                    if c not in rec:
                        rec[c] = r[c]
            else:
                rec["status"] = "missing"
            rows.append(rec)
    df = pd.DataFrame(rows)
    df["sample"] = df["sample"].astype(int)
    for c in df.columns:
        if c in UQ_OUTPUTS:
            df.loc[df["status"] != "ok", c] = np.nan
    return df


def _write(result: UQResult, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    pd.concat([result.samples, result.nominal], ignore_index=True).to_csv(
        out / "samples.csv", index=False
    )
    if len(result.summary):
        result.summary.to_csv(out / "summary.csv", index=False)
    info = {
        "spec": result.spec.describe(),
        "facts": [
            {"name": n, "kind": k, "value": math.exp(c), "log_sd": float(s)}
            for n, k, c, s in zip(
                result.inputs.names,
                result.inputs.kinds,
                result.inputs.center,
                result.inputs.sd(),
                strict=True,
            )
        ],
        "model_inputs": result.derived.names,
        "status": result.samples["status"].value_counts().to_dict(),
        "summary": result.summary.to_dict("records"),
    }
    (out / "uq.json").write_text(json.dumps(info, indent=1, default=float) + "\n")


__all__ = ["UQ_OUTPUTS", "UQResult", "UQSpec", "derived_inputs", "run_uq", "sample_table"]
