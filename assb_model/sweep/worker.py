"""What runs on a worker (a thread, a process or a Dask worker): compute points.

Each worker keeps its built :class:`~assb_model.simulation.CyclingSimulation` objects in a
cache keyed by the sweep context and the build group, so a worker builds each group at
most once however many chunks it receives. The cache is per thread: PyBaMM simulations
are not shared between threads. Only plain data (the plan's context, groups and jobs)
crosses process boundaries; the casadi objects are built where they are used.
"""

import signal
import threading
import time
from collections import OrderedDict

import pybamm

from assb_model.simulation.cycling import CURRENT_DENSITY_INPUT, CyclingSimulation
from assb_model.sweep.outputs import (
    curves_frame,
    empty_outputs,
    short_error,
    solution_outputs,
)
from assb_model.sweep.plan import BuildGroup, Job
from assb_model.sweep.solver import sweep_solver
from assb_model.sweep.spec import fingerprint

_LOCAL = threading.local()
_QUEUE = None

#: Built simulations kept per thread (least recently used dropped first): chunks never
#: mix build groups, so a small cache suffices and bounds the memory of many-group sweeps.
MAX_CACHED = 8


class _BuildFailure:
    """A build that failed: every point of the group records this message."""

    def __init__(self, message: str):
        self.message = message


def _cache() -> OrderedDict:
    if not hasattr(_LOCAL, "simulations"):
        _LOCAL.simulations = OrderedDict()
    return _LOCAL.simulations


def clear_cache() -> None:
    """Forget this thread's simulations."""
    _cache().clear()


def get_simulation(context: dict, group: BuildGroup):
    """The simulation of a build group, built on first use (or the reason it failed)."""
    build_keys = ("parameter_set", "options", "overrides", "var_pts", "input_parameters")
    curves = bool(context.get("save_curves"))
    key = fingerprint([{k: context[k] for k in build_keys}, curves, group.key])
    cache = _cache()
    if key not in cache:
        try:
            sim = CyclingSimulation(
                context["parameter_set"],
                upper_cutoff=group.upper_cutoff,
                lower_cutoff=group.lower_cutoff,
                cycles=group.cycles,
                options=context["options"],
                input_parameters=context["input_parameters"],
                parameter_overrides={**context["overrides"], **group.overrides},
                var_pts=context["var_pts"],
                solver=sweep_solver(curves=curves),
            )
            sim.simulation.build_for_experiment()
            cache[key] = sim
        except Exception as exc:
            cache[key] = _BuildFailure(short_error(f"model build failed: {short_error(exc)}"))
        while len(cache) > MAX_CACHED:
            cache.popitem(last=False)
    cache.move_to_end(key)
    return cache[key]


def _area_m2(sim: CyclingSimulation, job: Job) -> float:
    """Electrode area of a point (a symbol if width or height are swept inputs)."""
    area = sim.area_m2
    if isinstance(area, pybamm.Symbol):
        return float(area.evaluate(inputs=job.inputs))
    return float(area)


def compute_point(context: dict, group: BuildGroup, job: Job) -> dict:
    """Solve one point; never raises for a failed solve (the record says why).

    Returns
    -------
    dict
        The results-table row (axis values, outputs, status, error, solve time, point
        id); with ``"_curves"`` (a DataFrame) when the context asks for curves.
    """
    sim = get_simulation(context, group)
    record = {**job.values}
    curves = None
    t0 = time.perf_counter()
    if isinstance(sim, _BuildFailure):
        outputs, error = empty_outputs(), sim.message
    else:
        try:
            solution = sim.simulation.solve(
                inputs={CURRENT_DENSITY_INPUT: job.current_density, **job.inputs}
            )
            current = job.current_density * 10 * _area_m2(sim, job)  # mA/cm2 -> A
            outputs, error = solution_outputs(solution, job.nmc_mass_g, group.cycles, current)
            if context.get("save_curves"):
                curves = curves_frame(solution, job.nmc_mass_g)
        except Exception as exc:
            outputs, error = empty_outputs(), short_error(exc)
    record.update(outputs)
    record["nmc_mass_mg"] = job.nmc_mass_g * 1e3
    record.update(
        {
            "status": "failed" if error else "ok",
            "error": error,
            "solve_time_s": time.perf_counter() - t0,
            "point_id": job.point_id,
        }
    )
    if curves is not None:
        record["_curves"] = curves
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
    """Process-pool initializer: stream records to ``queue``; leave Ctrl-C to the parent.

    PyBaMM's telemetry is switched off in the worker: its sending thread does not survive
    the fork that starts a worker, so nothing it queued would be sent, and its queue's
    lock may have been copied locked.
    """
    global _QUEUE
    _QUEUE = queue
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    telemetry = getattr(pybamm, "telemetry", None)
    if telemetry is not None and hasattr(telemetry, "disable"):
        telemetry.disable()
