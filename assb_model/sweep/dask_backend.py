"""Dask distributed backend: chunks of points as tasks, each worker building once.

Each chunk is one task (:func:`assb_model.sweep.worker.run_chunk`); a Dask worker keeps
its built simulations between tasks (the worker module's cache lives in the worker
process), so a worker builds each build group at most once. Results come back per chunk
and are recorded as each task finishes; an interrupted sweep loses at most the chunks in
flight. The workers need ``assb-model`` installed (the same version: the metadata file
records it). How to start workers on a multi-node cluster: docs/sweeps.md.
"""

import sys

from assb_model.sweep import worker
from assb_model.sweep.spec import SweepSpecError


def _client(scheduler=None, n_local: int | None = None):
    """A client on ``scheduler`` (address or Client), or on a new LocalCluster."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SweepSpecError(
            "the Dask backend needs dask[distributed]: pip install 'assb-model[sweep]'"
        ) from None
    if scheduler is not None and not isinstance(scheduler, str):
        return scheduler, None, False  # a Client given by the caller: not ours to close
    if scheduler is not None:
        try:
            return Client(scheduler, timeout="30s"), None, True
        except OSError as exc:
            raise SweepSpecError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    cluster = LocalCluster(
        n_workers=int(n_local),
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
    )
    return Client(cluster), cluster, True


def run_dask(plan, chunks, on_result, scheduler=None, n_local: int | None = None) -> None:
    """Compute ``chunks`` on a Dask cluster, calling ``on_result`` for every record.

    Parameters
    ----------
    plan : assb_model.sweep.plan.SweepPlan
    chunks : list of list of Job
    on_result : callable
        Called in this process with each point's record.
    scheduler : str or distributed.Client, optional
    n_local : int, optional
        Workers of a LocalCluster started (and closed) here.
    """
    from distributed import as_completed

    client, cluster, owned = _client(scheduler, n_local)
    futures = []
    try:
        futures = [
            client.submit(
                worker.run_chunk,
                plan.context,
                {j.group: plan.groups[j.group] for j in chunk},
                chunk,
                pure=False,
            )
            for chunk in chunks
        ]
        failures = 0
        for future in as_completed(futures):
            try:
                records = future.result()
            except Exception as exc:  # a worker died: leave its points for a resume
                failures += 1
                print(f"sweep: a Dask task failed ({exc!r})", file=sys.stderr)
                continue
            for record in records:
                on_result(record)
        if failures:
            from assb_model.sweep.engine import SweepError

            raise SweepError(
                f"{failures} Dask task(s) failed; their points are unfinished (the finished "
                "ones are saved: resume to retry)"
            )
    finally:
        if futures:
            client.cancel(futures)
        if owned:
            client.close()
            if cluster is not None:
                cluster.close()
