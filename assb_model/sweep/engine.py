"""Run a sweep: plan, split into chunks, compute on a backend, record as points finish.

Backends (``backend=``):

- ``"serial"``: in this process (the default for one worker: no start-up cost);
- ``"processes"``: a :class:`concurrent.futures.ProcessPoolExecutor` (the default for
  several workers); records stream back through a queue as each point finishes;
- ``"threads"``: a thread pool, one simulation per thread (slower: the solver holds the
  GIL; kept for comparison, see docs/performance.md);
- ``"dask"``: a Dask distributed cluster (:mod:`assb_model.sweep.dask_backend`).

PyBaMM cannot solve an experiment for a batch of inputs at once ("Solving with a list of
input sets is not supported with experiments"), so IDAKLU's batched, threaded inputs are
not an option for the cycling protocol; processes are.
"""

import concurrent.futures as cf
import math
import multiprocessing as mp
import queue as queue_module
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from assb_model.errors import AssbError
from assb_model.sweep import worker
from assb_model.sweep.journal import ResultStore
from assb_model.sweep.plan import SweepPlan, plan_sweep
from assb_model.sweep.spec import SweepSpec, SweepSpecError

BACKENDS = ("auto", "serial", "processes", "threads", "dask")

#: Start method of worker processes when the parent may not be forked (see
#: :func:`default_start_method`): "forkserver" forks each worker from a server that has
#: imported PyBaMM once (no fork of a threaded parent); "spawn" where there is none.
DEFAULT_START_METHOD = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"


#: Modules of daemon threads that may live in a process that forks workers: PyBaMM's
#: telemetry consumer (posthog's, started by ``import pybamm``; workers never use it, see
#: :func:`assb_model.sweep.worker.init_process`) and tqdm's monitor (started by the first
#: progress bar of the process, even a disabled one; it only takes tqdm's own lock, and
#: workers draw no bars). Without the second, every sweep after the first in one process
#: fell back to the forkserver and paid ~1 s of worker start-up (docs/performance.md).
_HARMLESS_THREAD_MODULES = ("posthog", "tqdm")


def _foreign_threads() -> list[threading.Thread]:
    """Live threads other than the main thread and :data:`_HARMLESS_THREAD_MODULES`'."""
    return [
        t
        for t in threading.enumerate()
        if t is not threading.main_thread()
        and not type(t).__module__.startswith(_HARMLESS_THREAD_MODULES)
    ]


def default_start_method() -> str:
    """Fork (on Linux) from a process without other Python threads, else
    :data:`DEFAULT_START_METHOD`.

    A forked worker starts with PyBaMM already imported (a new interpreter, even the
    forkserver's, spends about 2 s importing it, most of a 1000-point sweep's start-up).
    Forking a process whose threads may hold locks the child needs (Jupyter's kernel
    threads, a Dask client's event loop) can deadlock the child, so then the forkserver
    is used. :func:`run_sweep` decides before it starts its own progress bar.
    """
    if (
        sys.platform.startswith("linux")
        and "fork" in mp.get_all_start_methods()
        and not _foreign_threads()
    ):
        return "fork"
    return DEFAULT_START_METHOD


class SweepError(AssbError, RuntimeError):
    """The sweep could not finish (e.g. worker processes died); finished points are kept."""


@dataclass
class SweepResult:
    """The outcome of :func:`run_sweep`.

    Attributes
    ----------
    results : pandas.DataFrame
        One row per point: axis values, outputs, ``status`` (ok/failed), ``error``,
        ``solve_time_s``, ``point_id``.
    plan : SweepPlan
    metadata : dict
        What ``sweep.json`` holds (spec, parameter values, versions, runs).
    out : pathlib.Path or None
    elapsed_s : float
        Wall time of this run.
    computed : int
        Points computed in this run (the rest were already recorded).
    """

    results: pd.DataFrame
    plan: SweepPlan
    metadata: dict
    out: Path | None
    elapsed_s: float
    computed: int
    _store: ResultStore | None = None

    @property
    def spec(self) -> SweepSpec:
        return self.plan.spec

    @property
    def ok(self) -> pd.DataFrame:
        """Rows that solved."""
        return self.results[self.results["status"] == "ok"]

    @property
    def failed(self) -> pd.DataFrame:
        """Rows that failed, with their error messages."""
        return self.results[self.results["status"] != "ok"]

    def curves(self, point_id: str) -> pd.DataFrame:
        """Full curves of one point (needs ``save_curves=True``)."""
        return self._store.load_curves(point_id)

    def cycles(self, point_id: str) -> pd.DataFrame:
        """Cycle table of one point (needs ``save_cycles=True``)."""
        return self._store.load_curves(point_id, "cycles")

    def plot(self, output: str = "discharge_capacity_mAh_per_g", ax=None):
        """Line plot (1 axis), heat map (2 axes) or main effects (more); see plotting."""
        from assb_model.sweep.plotting import plot_sweep

        return plot_sweep(self, output, ax=ax)


def make_chunks(
    jobs: list, workers: int, chunk_size: int | None = None, max_chunk: int | None = None
) -> list[list]:
    """Split jobs into tasks that each stay within one build group.

    With at least two groups per worker, each group is one task (built once in total),
    largest first. Otherwise each group is split with decreasing sizes ("guided"
    scheduling: a task is 1/(2 x workers) of what remains, at least 2 points), so the
    workers finish together; a worker builds each group it receives once.

    Parameters
    ----------
    jobs : list of Job
    workers : int
    chunk_size : int, optional
        Fixed task size instead.
    max_chunk : int, optional
        Largest task (bounds the work lost with a task, e.g. on Dask).
    """
    by_group: dict[str, list] = {}
    for job in jobs:
        by_group.setdefault(job.group, []).append(job)
    groups = sorted(by_group.values(), key=len, reverse=True)
    chunks = []
    for group_jobs in groups:
        i = 0
        while i < len(group_jobs):
            remaining = len(group_jobs) - i
            if chunk_size is not None:
                size = chunk_size
            elif len(groups) >= 2 * workers:
                size = remaining
            else:
                size = max(2, math.ceil(remaining / (2 * workers)))
            if max_chunk is not None:
                size = min(size, max_chunk)
            chunks.append(group_jobs[i : i + size])
            i += size
    return chunks


def _groups_of(plan: SweepPlan, chunk: list) -> dict:
    return {j.group: plan.groups[j.group] for j in chunk}


def _run_serial(plan, chunks, on_result, workers):
    for chunk in chunks:
        for job in chunk:
            on_result(worker.compute_point(plan.context, plan.groups[job.group], job))


def _run_threads(plan, chunks, on_result, workers):
    lock = threading.Lock()

    def task(chunk):
        for job in chunk:
            record = worker.compute_point(plan.context, plan.groups[job.group], job)
            with lock:
                on_result(record)

    with cf.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(task, c) for c in chunks]
        try:
            for f in cf.as_completed(futures):
                f.result()
        except BaseException:
            for f in futures:
                f.cancel()
            raise


def _terminate(pool: cf.ProcessPoolExecutor) -> None:
    """Stop the pool's worker processes now (they ignore Ctrl-C)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.terminate()
    for p in processes:
        p.join(timeout=5)


def _start_method_context(start_method: str | None):
    """The multiprocessing context; a forkserver is started at once, so that it imports
    PyBaMM while this process plans the sweep."""
    method = start_method or default_start_method()
    ctx = mp.get_context(method)
    if method == "forkserver":
        from multiprocessing import forkserver

        ctx.set_forkserver_preload(["assb_model.sweep.worker"])
        forkserver.ensure_running()
    return ctx


def _run_processes(plan, chunks, on_result, workers, start_method=None, retries=2):
    ctx = _start_method_context(start_method)
    seen: set[str] = set()

    def take(record):
        if record["point_id"] not in seen:
            seen.add(record["point_id"])
            on_result(record)

    remaining = chunks
    for _ in range(retries + 1):
        records_queue = ctx.Queue()
        pool = cf.ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=worker.init_process,
            initargs=(records_queue,),
        )
        try:
            futures = {
                pool.submit(worker.run_chunk, plan.context, _groups_of(plan, c), c): c
                for c in remaining
            }
            pending = set(futures)
            broken = False
            while pending:
                try:
                    take(records_queue.get(timeout=0.1))
                except queue_module.Empty:
                    pass
                for f in [f for f in pending if f.done()]:
                    pending.discard(f)
                    try:
                        for record in f.result():
                            take(record)
                    except cf.process.BrokenProcessPool:
                        broken = True
            while True:
                try:
                    take(records_queue.get_nowait())
                except queue_module.Empty:
                    break
        except BaseException:
            _terminate(pool)
            raise
        pool.shutdown(wait=True)
        remaining = [[j for j in c if j.point_id not in seen] for c in remaining]
        remaining = [c for c in remaining if c]
        if not broken or not remaining:
            return
        print(
            f"sweep: a worker process died; retrying {sum(map(len, remaining))} points",
            file=sys.stderr,
        )
    raise SweepError(
        f"worker processes died {retries + 1} times; {sum(map(len, remaining))} points are "
        "unfinished (the finished ones are saved: resume to retry)"
    )


def _choose_backend(backend: str, workers: int, scheduler, dask_local) -> str:
    if backend not in BACKENDS:
        raise SweepSpecError(f"unknown backend '{backend}'; use one of {BACKENDS}")
    if workers < 1:
        raise SweepSpecError(f"workers must be at least 1, got {workers}")
    if scheduler is not None or dask_local:
        if backend not in ("auto", "dask"):
            raise SweepSpecError(f"a Dask scheduler was given with backend '{backend}'")
        return "dask"
    if backend == "dask":
        raise SweepSpecError("the Dask backend needs scheduler=ADDRESS or dask_local=N")
    if backend == "auto":
        return "serial" if workers == 1 else "processes"
    return backend


def run_sweep(
    spec: SweepSpec,
    out=None,
    *,
    workers: int = 1,
    backend: str = "auto",
    scheduler=None,
    dask_local: int | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = True,
    chunk_size: int | None = None,
    start_method: str | None = None,
    on_point=None,
) -> SweepResult:
    """Run a parameter sweep.

    Every point is checked before any work starts (:func:`plan_sweep`); the model is built
    once per build group per worker and each point only solves. Finished points (ok or
    failed) are recorded at once, so an interrupted sweep loses nothing and, resumed,
    computes no finished point again.

    Parameters
    ----------
    spec : SweepSpec
    out : path, optional
        Folder for ``results.csv``, ``sweep.json`` and ``curves/``; ``None`` keeps the
        results in memory only.
    workers : int
        Local worker processes (or threads).
    backend : str
        One of :data:`BACKENDS` (``"auto"``: serial for one worker, processes otherwise,
        Dask if a scheduler is given).
    scheduler : str or distributed.Client, optional
        Address of a Dask scheduler (``"tcp://host:8786"``) or a client.
    dask_local : int, optional
        Start a Dask ``LocalCluster`` with this many worker processes.
    resume : bool
        Continue the sweep found in ``out`` (same spec required).
    overwrite : bool
        Replace a previous sweep in ``out``.
    progress : bool
        Show a progress bar with ETA (tqdm, on stderr).
    chunk_size : int, optional
        Points per task (default: :func:`make_chunks` decides, within build groups).
    start_method : str, optional
        Multiprocessing start method (default :func:`default_start_method`: "fork" on
        Linux outside Jupyter and Dask, else "forkserver").
    on_point : callable, optional
        Called as ``on_point(done, total)`` in this process after every finished point
        (e.g. a progress display of a web page).

    Returns
    -------
    SweepResult

    Raises
    ------
    SweepSpecError
        Invalid spec or folder state, before any work.
    SweepError
        Workers died repeatedly (finished points are saved).
    KeyboardInterrupt
        Re-raised after the finished points have been saved.
    """
    if not isinstance(spec, SweepSpec):
        raise SweepSpecError(f"run_sweep expects a SweepSpec, got {type(spec).__name__}")
    kind = _choose_backend(backend, workers, scheduler, dask_local)
    if kind == "processes":
        # decided before the progress bar starts its monitor thread (harmless to workers)
        start_method = start_method or default_start_method()
        _start_method_context(start_method)  # warm up while planning
    plan = plan_sweep(spec)
    store = ResultStore(plan, out, resume=resume, overwrite=overwrite)
    done = store.finished_ids()
    todo = [j for j in plan.jobs if j.point_id not in done]
    n_workers = dask_local or workers
    chunks = make_chunks(todo, n_workers, chunk_size, max_chunk=200 if kind == "dask" else None)
    if progress:
        where = f" -> {out}" if out is not None else ""
        print(
            f"sweep {spec.parameter_set}: {plan.summary()}; {len(done)} done, "
            f"{len(todo)} to run on {kind}"
            + (f" x{n_workers}" if kind != "serial" else "")
            + where,
            file=sys.stderr,
        )
    store.start_run({"backend": kind, "workers": n_workers, "to_compute": len(todo)})

    from tqdm import tqdm

    bar = tqdm(
        total=len(plan.jobs),
        initial=len(done),
        unit="pt",
        desc="sweep",
        disable=not progress,
        file=sys.stderr,
        smoothing=0.05,
    )
    counts = {"ok": 0, "failed": 0}

    def on_result(record):
        store.add(record)
        counts["ok" if record["status"] == "ok" else "failed"] += 1
        bar.update(1)
        if on_point is not None:
            on_point(len(done) + counts["ok"] + counts["failed"], len(plan.jobs))

    t0 = time.perf_counter()
    interrupted = True
    try:
        if todo:
            if kind == "serial":
                _run_serial(plan, chunks, on_result, workers)
            elif kind == "threads":
                _run_threads(plan, chunks, on_result, workers)
            elif kind == "processes":
                _run_processes(plan, chunks, on_result, workers, start_method)
            else:
                from assb_model.sweep.dask_backend import run_dask

                run_dask(plan, chunks, on_result, scheduler=scheduler, n_local=dask_local)
        interrupted = False
    finally:
        bar.close()
        elapsed = time.perf_counter() - t0
        store.close(
            elapsed_s=round(elapsed, 3),
            computed=counts["ok"] + counts["failed"],
            ok=counts["ok"],
            failed=counts["failed"],
            interrupted=interrupted,
        )
    return SweepResult(
        store.dataframe(),
        plan,
        store.metadata,
        Path(out) if out is not None else None,
        elapsed,
        counts["ok"] + counts["failed"],
        store,
    )
