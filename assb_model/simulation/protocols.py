"""Protocols: what the cell is put through, as PyBaMM experiments.

A protocol knows which of its settings the built model can take as inputs (the current
density of :class:`CCCycling`) and which are fixed in the experiment (cut-off voltages,
number of cycles, schedules): :meth:`Protocol.build_key` is what a
:class:`~assb_model.simulation.runner.Runner` builds once for.

- :class:`CCCycling`: the paper's galvanostatic protocol, CC charge to an upper cut-off and
  CC discharge to a lower one, N times; the current density is an input.
- :class:`Schedule`: segments of CC cycles at different current densities and cut-offs
  (Figures 6 and 8), optionally with rests and a logging period.
- :class:`MeasuredSteps`: a measured file's steps replayed (``assb compare``/``assb fit``).
- :class:`ImpedanceStates`: cycling up to the charges after which impedance is taken,
  with a rest after each (model impedance, Tables 2 and 3).

The paper gives the current densities and charge-end voltages but not every detail of the
Figure 6 and 8 schedules; the choices made here are stated in :data:`FIGURE6_SCHEDULE` and
:data:`FIGURE8_SCHEDULE` and in docs/reproduction.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pybamm

from assb_model.errors import ParameterError

#: Name of the input parameter that carries the current density of a cycling run.
CURRENT_DENSITY_INPUT = "Current density [mA.cm-2]"


def _amps(current_density, area_m2):
    """mA/cm2 → A (1 mA/cm2 = 10 A/m2)."""
    return current_density * 10 * area_m2


def _cc_cycle(current, upper: float, lower: float, rest_s: float = 0.0) -> tuple:
    steps = [pybamm.step.current(-current, termination=f"> {upper} V")]
    if rest_s > 0:
        steps.append(pybamm.step.rest(rest_s))
    steps.append(pybamm.step.current(current, termination=f"< {lower} V"))
    if rest_s > 0:
        steps.append(pybamm.step.rest(rest_s))
    return tuple(steps)


class Protocol:
    """Base class: a protocol turns into a :class:`pybamm.Experiment` for an electrode area."""

    #: Input parameters the experiment reads (besides the model's).
    inputs: tuple[str, ...] = ()

    def experiment(self, area_m2: float) -> pybamm.Experiment:  # pragma: no cover
        raise NotImplementedError

    def build_key(self) -> tuple:
        """What is fixed in the experiment (equal keys share one build)."""
        return (type(self).__name__, repr(self))

    @property
    def n_cycles(self) -> int:  # pragma: no cover
        raise NotImplementedError

    def input_values(self) -> dict[str, float]:
        """Values of :attr:`inputs` for this protocol."""
        return {}

    def with_settings(self, **settings) -> Protocol:
        """A copy with protocol settings changed (``current_density``, ``upper_cutoff``...)."""
        if not settings:
            return self
        unknown = [k for k in settings if not hasattr(self, k)]
        if unknown:
            raise ParameterError(
                f"{type(self).__name__} has no setting(s) {unknown} (a protocol setting of "
                "the paper's CC cycling)"
            )
        return replace(self, **settings)

    def check(self) -> None:
        """Raise :class:`ParameterError` for an impossible protocol."""

    def describe(self) -> dict:
        """The protocol as plain data (for results and reports)."""
        return {"protocol": type(self).__name__}


@dataclass(frozen=True)
class CCCycling(Protocol):
    """The paper's protocol: CC charge to ``upper_cutoff``, CC discharge to
    ``lower_cutoff`` [V vs Li–In], ``cycles`` times, at ``current_density`` [mA/cm2]
    (an input: one build serves any current density)."""

    current_density: float = 0.13
    upper_cutoff: float = 3.8
    lower_cutoff: float = 2.0
    cycles: int = 1
    rest_s: float = 0.0

    inputs = (CURRENT_DENSITY_INPUT,)

    def experiment(self, area_m2: float) -> pybamm.Experiment:
        current = _amps(pybamm.InputParameter(CURRENT_DENSITY_INPUT), area_m2)
        cycle = _cc_cycle(current, self.upper_cutoff, self.lower_cutoff, self.rest_s)
        return pybamm.Experiment([cycle] * int(self.cycles))

    def build_key(self) -> tuple:
        return ("CCCycling", self.upper_cutoff, self.lower_cutoff, int(self.cycles), self.rest_s)

    @property
    def n_cycles(self) -> int:
        return int(self.cycles)

    def input_values(self) -> dict[str, float]:
        return {CURRENT_DENSITY_INPUT: float(self.current_density)}

    def check(self) -> None:
        if not self.current_density > 0:
            raise ParameterError(
                f"current density must be positive, got {self.current_density:g} mA/cm2"
            )
        if self.cycles < 1 or int(self.cycles) != self.cycles:
            raise ParameterError(f"number of cycles must be at least 1, got {self.cycles}")
        if not self.upper_cutoff > self.lower_cutoff:
            raise ParameterError(
                f"upper cut-off ({self.upper_cutoff:g} V) must be above the lower cut-off "
                f"({self.lower_cutoff:g} V vs Li-In)"
            )

    def describe(self) -> dict:
        return {
            "current_density_mA_per_cm2": self.current_density,
            "upper_cutoff_V_vs_LiIn": self.upper_cutoff,
            "lower_cutoff_V_vs_LiIn": self.lower_cutoff,
            "cycles": int(self.cycles),
        }


@dataclass(frozen=True)
class Segment:
    """``cycles`` CC charge–discharge cycles at one current density and cut-off pair."""

    cycles: int
    current_density: float  # mA/cm2
    upper_cutoff: float = 3.8  # V vs Li-In
    lower_cutoff: float = 2.0  # V vs Li-In


#: Figure 6b: 130 cycles at current densities rising from 0.13 to 1 mA/cm2. The paper
#: stops the cell for impedance after cycles 2, 10, 29 and 130 (Table 3) and removes the
#: efficiency "at the end of each current density", so the current changes after cycles
#: 10 and 29. Assumed schedule: 1-10 at 0.13, 11-29 at 0.5, 30-130 at 1.0 mA/cm2.
FIGURE6_SCHEDULE = (Segment(10, 0.13), Segment(19, 0.5), Segment(101, 1.0))

#: Figure 8: 30 cycles at 3.8 V vs Li-In, then 10 cycles at each raised charge-end
#: voltage. Current density not stated for this series: 0.13 mA/cm2 assumed.
FIGURE8_SCHEDULE = (
    Segment(30, 0.13, 3.8),
    Segment(10, 0.13, 3.9),
    Segment(10, 0.13, 4.0),
    Segment(10, 0.13, 4.1),
    Segment(10, 0.13, 4.3),
    Segment(10, 0.13, 4.4),
)


@dataclass(frozen=True)
class Schedule(Protocol):
    """Segments of CC cycles run in turn (:data:`FIGURE6_SCHEDULE`, :data:`FIGURE8_SCHEDULE`).

    Parameters
    ----------
    segments : tuple of Segment
    rest_s : float
        Rest after each charge and each discharge [s] (0: none).
    period_s : float, optional
        Logging period of the experiment [s] (PyBaMM's ``period``).
    """

    segments: tuple[Segment, ...] = FIGURE6_SCHEDULE
    rest_s: float = 0.0
    period_s: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "segments", tuple(self.segments))

    def experiment(self, area_m2: float) -> pybamm.Experiment:
        cycles = []
        for seg in self.segments:
            cycle = _cc_cycle(
                _amps(seg.current_density, area_m2), seg.upper_cutoff, seg.lower_cutoff, self.rest_s
            )
            cycles += [cycle] * seg.cycles
        period = None if self.period_s is None else f"{self.period_s:g} seconds"
        return pybamm.Experiment(cycles, period=period)

    @property
    def n_cycles(self) -> int:
        return sum(s.cycles for s in self.segments)

    def segment_of_cycle(self) -> list[Segment]:
        """The segment of each cycle (index 0 = cycle 1)."""
        return [seg for seg in self.segments for _ in range(seg.cycles)]

    def check(self) -> None:
        if not self.segments:
            raise ParameterError("the schedule has no segments")
        for seg in self.segments:
            CCCycling(seg.current_density, seg.upper_cutoff, seg.lower_cutoff, seg.cycles).check()

    def describe(self) -> dict:
        return {"segments": [s.__dict__ for s in self.segments]}


@dataclass(frozen=True)
class MeasuredSteps(Protocol):
    """A measured protocol replayed: one PyBaMM instruction per measured step, one
    experiment cycle per measured cycle.

    Parameters
    ----------
    cycles : tuple of tuple of str
        PyBaMM step strings of each cycle (:func:`assb_model.fit.replay.measured_protocol`).
    """

    cycles: tuple[tuple[str, ...], ...] = ()

    def experiment(self, area_m2: float) -> pybamm.Experiment:
        return pybamm.Experiment([tuple(c) for c in self.cycles])

    @property
    def n_cycles(self) -> int:
        return len(self.cycles)

    def check(self) -> None:
        if not self.cycles:
            raise ParameterError("the measured protocol has no steps")


@dataclass(frozen=True)
class ImpedanceStates(Protocol):
    """Cycling up to the charges after which impedance is taken, resting after each.

    Cycle ``n`` of ``schedule`` (the last segment repeats if needed) is charged; if ``n``
    is in ``charges`` the cell rests ``rest_s``; every cycle but the last is discharged.
    With ``target_stoichiometry`` the last charge also stops when the average NMC
    stoichiometry reaches it (a state of charge below the cut-off). ``charges == (0,)`` is
    the as-assembled cell, rested ``max(rest_s, 1)`` s.
    """

    charges: tuple[int, ...] = (2,)
    schedule: tuple[Segment, ...] = FIGURE6_SCHEDULE
    rest_s: float = 600.0
    target_stoichiometry: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "charges", tuple(sorted({int(c) for c in self.charges})))
        object.__setattr__(self, "schedule", tuple(self.schedule))

    def _cycle_settings(self, n: int, area_m2: float) -> list[tuple]:
        per_cycle = [seg for seg in self.schedule for _ in range(seg.cycles)]
        if not per_cycle:
            raise ParameterError("the protocol has no cycles")
        per_cycle += [per_cycle[-1]] * max(0, n - len(per_cycle))
        return [
            (_amps(s.current_density, area_m2), s.upper_cutoff, s.lower_cutoff)
            for s in per_cycle[:n]
        ]

    def experiment(self, area_m2: float) -> pybamm.Experiment:
        if self.charges == (0,):
            return pybamm.Experiment([pybamm.step.rest(max(self.rest_s, 1.0))])
        last = max(self.charges)
        steps = []
        for n, (current, upper, lower) in enumerate(self._cycle_settings(last, area_m2), 1):
            termination = [f"> {upper} V"]
            if n == last and self.target_stoichiometry is not None:
                termination.append(
                    pybamm.step.CustomTermination(
                        "cathode state of charge",
                        lambda v, x=self.target_stoichiometry: (
                            v["Average positive particle stoichiometry"] - x
                        ),
                    )
                )
            cycle = [pybamm.step.current(-current, termination=termination)]
            if n in self.charges and self.rest_s > 0:
                cycle.append(pybamm.step.rest(self.rest_s))
            if n != last:
                cycle.append(pybamm.step.current(current, termination=f"< {lower} V"))
            steps.append(tuple(cycle))
        return pybamm.Experiment(steps)

    @property
    def n_cycles(self) -> int:
        return max(self.charges)

    def check(self) -> None:
        if not self.charges or self.charges[0] < 0:
            raise ParameterError(f"cycles must be non-negative integers, got {list(self.charges)}")
        if 0 in self.charges and len(self.charges) > 1:
            raise ParameterError("the pristine state (cycle 0) cannot be combined with others")
        if self.rest_s < 0:
            raise ParameterError(f"rest_s must be >= 0, got {self.rest_s}")


__all__ = [
    "CURRENT_DENSITY_INPUT",
    "FIGURE6_SCHEDULE",
    "FIGURE8_SCHEDULE",
    "CCCycling",
    "ImpedanceStates",
    "MeasuredSteps",
    "Protocol",
    "Schedule",
    "Segment",
]
