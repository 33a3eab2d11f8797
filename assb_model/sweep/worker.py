"""What runs on a worker (a thread, a process or a Dask worker): compute points.

Each worker keeps its :class:`~assb_model.simulation.runner.Runner` objects in a cache keyed
by the sweep context; a runner builds each build group once (its own cache), so a worker
builds each group at most once however many chunks it receives. The cache is per thread:
PyBaMM simulations are not shared between threads. Only plain data (the plan's context,
groups and jobs) crosses process boundaries; the casadi objects are built where they are
used.
"""

import signal
import threading
import time
from collections import OrderedDict

import pybamm

from assb_model.simulation.protocols import CCCycling, Schedule, Segment
from assb_model.simulation.runner import BuildError, NoCapacityError, Runner
from assb_model.simulation.scenario import Scenario
from assb_model.simulation.solver import fast_solver
from assb_model.simulation.summary import (
    curves,
    cycle_table,
    empty_outputs,
    no_capacity_outputs,
    run_outputs,
)
from assb_model.simulation.summary import no_capacity as summary_no_capacity
from assb_model.sweep.outputs import short_error
from assb_model.sweep.plan import BuildGroup, Job
from assb_model.sweep.spec import fingerprint

_LOCAL = threading.local()
_QUEUE = None

#: Runners kept per thread (least recently used dropped first).
MAX_CACHED = 8


class _BuildFailure:
    """A runner that could not be set up: every point records this message."""

    def __init__(self, message: str):
        self.message = message


def _cache() -> OrderedDict:
    if not hasattr(_LOCAL, "runners"):
        _LOCAL.runners = OrderedDict()
    return _LOCAL.runners


def clear_cache() -> None:
    """Forget this thread's runners."""
    _cache().clear()


def get_runner(context: dict):
    """The runner of a sweep context, set up on first use (or the reason it failed)."""
    key = fingerprint(context)
    cache = _cache()
    if key not in cache:
        try:
            scenario = Scenario(
                context["parameter_set"],
                context["options"],
                context["overrides"],
                context["var_pts"],
            )
            p = context["protocol"]
            if p.get("schedule"):
                protocol = Schedule(tuple(Segment(**seg) for seg in p["schedule"]))
            else:
                protocol = CCCycling(
                    p["current_density"], p["upper_cutoff"], p["lower_cutoff"], p["cycles"]
                )
            curves_wanted = bool(context.get("save_curves"))
            cache[key] = Runner(
                scenario,
                protocol,
                context["axes"],
                solver=lambda: fast_solver(curves=curves_wanted),
            )
        except Exception as exc:
            cache[key] = _BuildFailure(short_error(f"model build failed: {short_error(exc)}"))
        while len(cache) > MAX_CACHED:
            cache.popitem(last=False)
    cache.move_to_end(key)
    return cache[key]


def compute_point(context: dict, group: BuildGroup, job: Job) -> dict:
    """Solve one point; never raises for a failed solve (the record says why).

    Returns
    -------
    dict
        The results-table row (axis values, outputs, status, error, solve time, point
        id); with ``"_curves"`` (a DataFrame) when the context asks for curves.
    """
    runner = get_runner(context)
    record = {**job.values}
    frame = cycles = None
    t0 = time.perf_counter()
    mass_g = job.nmc_mass_g
    no_capacity = False
    if isinstance(runner, _BuildFailure):
        outputs, error = empty_outputs(), runner.message
    else:
        try:
            # the plan has checked every value; the build of a group may still fail
            solution, point = runner.solve(job.values, validate=False)
            mass_g = point.nmc_mass_g
            table, stopped = cycle_table(solution, mass_g)
            outputs, error = run_outputs(
                table, group.cycles, mass_g, stopped, str(solution.termination)
            )
            if summary_no_capacity(table, stopped):
                outputs, error, no_capacity = (
                    no_capacity_outputs(mass_g),
                    NoCapacityError.NOTE,
                    True,
                )
            if context.get("save_curves"):
                frame = curves(solution, mass_g)
            if context.get("save_cycles"):
                cycles = table
        except NoCapacityError:
            # what a cycler records: the charge ends at once, nothing is stored or delivered
            outputs, error, no_capacity = no_capacity_outputs(mass_g), NoCapacityError.NOTE, True
        except BuildError as exc:
            outputs, error = empty_outputs(), short_error(str(exc))
        except Exception as exc:
            outputs, error = empty_outputs(), short_error(exc)
    outputs["nmc_mass_mg"] = mass_g * 1e3
    record.update(outputs)
    record.update(
        {
            "status": "failed" if error and not no_capacity else "ok",
            "error": error,
            "solve_time_s": time.perf_counter() - t0,
            "point_id": job.point_id,
        }
    )
    if frame is not None:
        record["_curves"] = frame
    if cycles is not None:
        record["_cycles"] = cycles
    return record


def run_chunk(context: dict, groups: dict, jobs: list) -> list[dict]:
    """Compute a chunk of points; in a process pool each record is also streamed.

    Parameters
    ----------
    context : dict
        :attr:`assb_model.sweep.plan.SweepPlan.context`.
    groups : dict
        Group key → :class:`BuildGroup` (at least the groups of ``jobs``).
    jobs : list of Job

    Returns
    -------
    list of dict
        The records of all points of the chunk.
    """
    records = []
    for job in jobs:
        record = compute_point(context, groups[job.group], job)
        if _QUEUE is not None:
            _QUEUE.put(record)
        records.append(record)
    return records


def init_process(queue) -> None:
    """Process-pool initializer: stream records to ``queue``; leave Ctrl-C to the parent;
    die at the parent's SIGTERM.

    PyBaMM's telemetry is switched off in the worker: its sending thread does not survive
    the fork that starts a worker, so nothing it queued would be sent, and its queue's
    lock may have been copied locked.
    """
    global _QUEUE
    _QUEUE = queue
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # a forked worker inherits the command's SIGTERM handler (which raises
    # KeyboardInterrupt): the pool's worker loop would catch that and live on, and the
    # parent's terminate() on an interrupt would then wait for it at exit
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    telemetry = getattr(pybamm, "telemetry", None)
    if telemetry is not None and hasattr(telemetry, "disable"):
        telemetry.disable()
