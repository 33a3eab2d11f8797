"""Where sweep results go: appended row by row, resumable, plus the metadata file.

Layout of a sweep folder::

    results.csv    one row per finished point (ok or failed), appended and flushed as
                   each point finishes; sorted into design order when the sweep ends
    sweep.json     spec, parameter values, protocol, versions, runs (re-run exactly)
    curves/        <point_id>.parquet per point, if curves were asked for
    cycles/        <point_id>.parquet per point (its cycle table), if asked for
    plots/         written by the CLI

Resuming reads ``results.csv``, drops a partly written last line (a process killed while
writing), and skips every point whose id is already there; the metadata's fingerprint
(spec + parameter values) must match, so points of two different sweeps never mix.
Floats are written with ``repr`` and read back with ``float_precision="round_trip"``: a
resumed sweep holds exactly the values of an uninterrupted one.
"""

import csv
import datetime
import io
import json
import math
import os
import platform
import shutil
from pathlib import Path

import pandas as pd

from assb_model.sweep.outputs import OUTPUT_COLUMNS
from assb_model.sweep.plan import SweepPlan
from assb_model.sweep.spec import SweepSpec, SweepSpecError

RESULTS_FILE = "results.csv"
METADATA_FILE = "sweep.json"
CURVES_DIR = "curves"
CYCLES_DIR = "cycles"
FORMAT = "assb-model sweep 1"


def versions() -> dict:
    """Versions of the packages a result depends on."""
    import casadi
    import numpy
    import pybamm

    import assb_model

    out = {
        "assb_model": assb_model.__version__,
        "pybamm": pybamm.__version__,
        "casadi": casadi.__version__,
        "numpy": numpy.__version__,
        "pandas": pd.__version__,
        "python": platform.python_version(),
    }
    try:
        from importlib.metadata import version

        out["pybammsolvers"] = version("pybammsolvers")
    except Exception:
        pass
    return out


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, bool):
        return str(value)
    if hasattr(value, "item"):  # numpy scalar
        return _cell(value.item())
    return str(value)


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1, default=str))
    os.replace(tmp, path)


def read_results(path: Path) -> pd.DataFrame:
    """Read a results file exactly (round-trip floats)."""
    return pd.read_csv(path, float_precision="round_trip", keep_default_na=False, na_values=[""])


def metadata_for(plan: SweepPlan) -> dict:
    """The metadata of a sweep (without the run log)."""
    spec = plan.spec
    return {
        "format": FORMAT,
        "fingerprint": plan.fingerprint(),
        "command": spec.command_line(),
        "spec": spec.to_dict(),
        "parameter_set": spec.parameter_set,
        "protocol": {
            "current_density_mA_per_cm2": spec.current_density,
            "upper_cutoff_V_vs_LiIn": spec.upper_cutoff,
            "lower_cutoff_V_vs_LiIn": spec.lower_cutoff,
            "cycles": spec.cycles,
            "steps": "CC charge to upper cut-off, CC discharge to lower cut-off, per cycle",
        },
        "swept": {
            name: {
                "target": r.target,
                "unit": r.unit,
                "to_si": r.to_si,
                "varied_as": "rebuild" if r.needs_rebuild else "input",
            }
            for name, r in plan.resolved.items()
        },
        "columns": plan.columns,
        "outputs": OUTPUT_COLUMNS,
        "n_points": len(plan.jobs),
        "n_builds": len(plan.groups),
        "input_parameters": list(plan.input_names),
        "parameter_values": plan.parameter_values,
        "versions": versions(),
        "runs": [],
    }


def _differences(old: dict, new: dict) -> list[str]:
    diffs = []
    old_spec, new_spec = old.get("spec", {}), new["spec"]
    for key in sorted(set(old_spec) | set(new_spec)):
        if old_spec.get(key) != new_spec.get(key):
            diffs.append(f"{key}: {old_spec.get(key)!r} -> {new_spec.get(key)!r}")
    old_pv, new_pv = old.get("parameter_values", {}), new["parameter_values"]
    changed = [k for k in sorted(set(old_pv) | set(new_pv)) if old_pv.get(k) != new_pv.get(k)]
    if changed:
        diffs.append(f"parameter values of the set changed: {changed[:5]}")
    return diffs


class ResultStore:
    """The results of one sweep: in a folder (resumable) or, with ``out=None``, in memory.

    Parameters
    ----------
    plan : SweepPlan
    out : path, optional
    resume : bool
        Continue a sweep found in ``out`` (same spec); without it an ``out`` that already
        holds results is an error.
    overwrite : bool
        Delete a previous sweep's files in ``out`` and start again.
    """

    def __init__(self, plan: SweepPlan, out=None, resume: bool = False, overwrite: bool = False):
        self.plan = plan
        self.columns = plan.columns
        self.out = Path(out) if out is not None else None
        self.rows: dict[str, dict] = {}
        self.curves: dict[str, pd.DataFrame] = {}
        self.metadata = metadata_for(plan)
        self._file = None
        self._writer = None
        if self.out is not None:
            self._open(resume, overwrite)

    # --- folder handling ----------------------------------------------------------------
    @property
    def results_path(self) -> Path:
        return self.out / RESULTS_FILE

    @property
    def metadata_path(self) -> Path:
        return self.out / METADATA_FILE

    @property
    def curves_dir(self) -> Path:
        return self.out / CURVES_DIR

    def _open(self, resume: bool, overwrite: bool) -> None:
        out = self.out
        if out.exists() and not out.is_dir():
            raise SweepSpecError(f"--out {out} exists and is not a folder")
        if overwrite:
            for name in (RESULTS_FILE, METADATA_FILE):
                (out / name).unlink(missing_ok=True)
            shutil.rmtree(out / CURVES_DIR, ignore_errors=True)
            shutil.rmtree(out / CYCLES_DIR, ignore_errors=True)
        if self.metadata_path.exists():
            old = json.loads(self.metadata_path.read_text())
            if old.get("fingerprint") != self.metadata["fingerprint"]:
                diffs = "; ".join(_differences(old, self.metadata)) or "spec"
                raise SweepSpecError(
                    f"{out} holds a different sweep ({diffs}); use another --out, or "
                    "--overwrite to replace it"
                )
            self.metadata["runs"] = old.get("runs", [])
            self.metadata["created"] = old.get("created")
        elif self.results_path.exists():
            raise SweepSpecError(
                f"{self.results_path} exists without {METADATA_FILE}: not a sweep folder "
                "(use another --out, or --overwrite)"
            )
        self._load_existing()
        if self.rows and not resume:
            raise SweepSpecError(
                f"{out} already holds {len(self.rows)} of {len(self.plan.jobs)} points of this "
                "sweep: pass --resume to continue it, or --overwrite to start again"
            )
        out.mkdir(parents=True, exist_ok=True)
        self.metadata["created"] = self.metadata.get("created") or _now()
        _write_json(self.metadata_path, self.metadata)
        new = not self.results_path.exists()
        self._file = open(self.results_path, "a", newline="", encoding="utf-8")
        self._writer = csv.writer(self._file)
        if new:
            self._writer.writerow(self.columns)
            self._file.flush()

    def _load_existing(self) -> None:
        path = self.results_path
        if not path.exists():
            return
        raw = path.read_bytes()
        if raw and not raw.endswith(b"\n"):
            # a process killed mid-write left a partial line: drop it
            cut = raw.rfind(b"\n") + 1
            with open(path, "r+b") as f:
                f.truncate(cut)
            raw = raw[:cut]
        if not raw.strip():
            path.unlink()
            return
        header = next(csv.reader(io.StringIO(raw.decode("utf-8").split("\n", 1)[0])))
        if header != self.columns:
            raise SweepSpecError(
                f"{path} has other columns than this sweep ({header[:3]}...): not resumable"
            )
        known = {j.point_id for j in self.plan.jobs}
        df = read_results(path)
        for rec in df.to_dict("records"):
            pid = rec["point_id"]
            if pid in known and pid not in self.rows:
                self.rows[pid] = rec

    # --- recording ----------------------------------------------------------------------
    def finished_ids(self) -> set[str]:
        """Ids of the points already recorded (ok or failed)."""
        return set(self.rows)

    def add(self, record: dict) -> None:
        """Record one finished point (curves first, then its row, flushed at once)."""
        pid = record["point_id"]
        if pid in self.rows:
            return
        curves = record.pop("_curves", None)
        if curves is not None:
            self._save_curves(pid, curves)
        cycles = record.pop("_cycles", None)
        if cycles is not None:
            self._save_curves(pid, cycles, CYCLES_DIR)
        self.rows[pid] = record
        if self._writer is not None:
            self._writer.writerow([_cell(record.get(c)) for c in self.columns])
            self._file.flush()

    def _save_curves(self, pid: str, curves: pd.DataFrame, kind: str = CURVES_DIR) -> None:
        if self.out is None:
            self.curves[(kind, pid) if kind != CURVES_DIR else pid] = curves
            return
        folder = self.out / kind
        folder.mkdir(exist_ok=True)
        try:
            tmp = folder / f"{pid}.parquet.tmp"
            curves.to_parquet(tmp, index=False)
            os.replace(tmp, folder / f"{pid}.parquet")
        except ImportError:  # no pyarrow: CSV instead
            tmp = folder / f"{pid}.csv.tmp"
            curves.to_csv(tmp, index=False)
            os.replace(tmp, folder / f"{pid}.csv")

    def load_curves(self, pid: str, kind: str = CURVES_DIR) -> pd.DataFrame:
        """The stored curves (or, ``kind="cycles"``, the cycle table) of one point."""
        key = (kind, pid) if kind != CURVES_DIR else pid
        if key in self.curves:
            return self.curves[key]
        if self.out is not None:
            for suffix, reader in ((".parquet", pd.read_parquet), (".csv", pd.read_csv)):
                path = self.out / kind / f"{pid}{suffix}"
                if path.exists():
                    return reader(path)
        raise KeyError(f"no {kind} stored for point {pid} (run the sweep with save_{kind})")

    def start_run(self, info: dict) -> None:
        """Log the start of a run in the metadata file."""
        self.metadata["runs"].append({"started": _now(), "finished": None, **info})
        if self.out is not None:
            _write_json(self.metadata_path, self.metadata)

    def close(self, **info) -> None:
        """Finish: sort the results into design order and log the run's outcome."""
        if self._file is not None:
            self._file.close()
            self._file = self._writer = None
            self._rewrite_sorted()
        if self.metadata["runs"]:
            self.metadata["runs"][-1].update({"finished": _now(), **info})
        self.metadata["complete"] = len(self.rows) == len(self.plan.jobs)
        if self.out is not None:
            _write_json(self.metadata_path, self.metadata)

    def _rewrite_sorted(self) -> None:
        path = self.results_path
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        i = header.index("point_id")
        order = {j.point_id: k for k, j in enumerate(self.plan.jobs)}
        body.sort(key=lambda r: order.get(r[i], len(order)))
        tmp = path.with_suffix(".csv.tmp")
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([header, *body])
        os.replace(tmp, path)

    def dataframe(self) -> pd.DataFrame:
        """All recorded points, in design order."""
        if self.out is not None and self.results_path.exists():
            df = read_results(self.results_path)
        else:
            df = pd.DataFrame(
                [self.rows[j.point_id] for j in self.plan.jobs if j.point_id in self.rows]
            )
            df = df.reindex(columns=self.columns)
        order = {j.point_id: k for k, j in enumerate(self.plan.jobs)}
        if len(df):
            df = df.iloc[df["point_id"].map(order).argsort(kind="stable")].reset_index(drop=True)
            df["error"] = df["error"].fillna("")
        return df


def load_sweep(out) -> tuple[SweepSpec, pd.DataFrame, dict]:
    """Read a sweep folder: its spec, results and metadata."""
    out = Path(out)
    meta = json.loads((out / METADATA_FILE).read_text())
    return SweepSpec.from_dict(meta["spec"]), read_results(out / RESULTS_FILE), meta
