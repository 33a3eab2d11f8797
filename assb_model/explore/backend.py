"""The explorer's one door into the model: parameter sets, quantities, runs, spectra, maps.

Everything :mod:`assb_model.explore` needs from the model, the parameter sets, the sweep
engine and the model impedance goes through this module, so that the app, its callbacks
and its tests depend only on the small interface below:

- :func:`parameter_sets`, :func:`whatif_quantities`, :func:`default_values`,
  :func:`model_options`, :func:`command_line`;
- :class:`Session` (keeps built simulations) with :meth:`Session.run`,
  :meth:`Session.nyquist` and :meth:`Session.capacity_map`;
- :class:`ExploreError`: every failure, as one readable line.

Values are always given by *alias* in the alias's unit (``sigma_se`` in S/cm,
``coating_thickness`` in nm, ...), as :func:`whatif_quantities` lists them.

It is a thin layer over the simulation layer: quantities, units, bounds and input-or-
rebuild come from the parameter registry (:mod:`assb_model.parameters.registry`), a run is a
:class:`~assb_model.simulation.Runner` (one per parameter set and options: input
quantities re-solve, rebuild quantities and cut-offs build once per value), a set file is a
:class:`~assb_model.simulation.Scenario` like a set name, the spectrum is
:func:`assb_model.model_eis.model_impedance` and the map is the sweep engine.
"""

from __future__ import annotations

import logging
import math
import shlex
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

#: The parameter set the explorer opens with (the paper's Li6PS5Cl cell).
DEFAULT_PARAMETER_SET = "giraldo2021_sp_lpscl_coated"

#: Longest error message shown (PyBaMM's solver messages repeat whole experiment steps).
MAX_MESSAGE_CHARS = 300

#: Frequencies of the Nyquist view: 1 MHz to 10 mHz, 7 per decade (~0.8 s per spectrum).
NYQUIST_FREQUENCIES_HZ = np.logspace(6, -2, 57)

#: The what-if quantities of the page, in display order, with the range of their control
#: (within the registry's physical bounds) and its step (None: logarithmic). Unit, log
#: scale, meaning and input-or-rebuild come from the registry.
_CONTROLS: tuple[tuple[str, str, float, float, float | None], ...] = (
    ("sigma_se", "SE ionic conductivity", 1e-8, 1e-1, None),
    ("coating_thickness", "LS coating thickness", 0.0, 50.0, 0.5),
    ("se_fraction", "SE volume fraction of the composite", 0.05, 0.58, 0.01),
    ("cathode_thickness", "Composite cathode thickness", 5.0, 200.0, 1.0),
    ("current_density", "Current density", 0.01, 5.0, None),
    ("upper_cutoff", "Upper (charge) cut-off", 2.5, 4.6, 0.01),
    ("lower_cutoff", "Lower (discharge) cut-off", 1.8, 3.5, 0.01),
    ("cycles", "Number of cycles", 1, 100, 1),
)


def _quantity(alias: str, label: str, lo: float, hi: float, step) -> dict:
    from assb_model.parameters.registry import BY_ALIAS

    q = BY_ALIAS[alias]
    return {
        "alias": alias,
        "label": label,
        "unit": q.unit,
        "min": lo,
        "max": hi,
        "log": q.log,
        "mode": q.mode,
        "rebuild": q.needs_rebuild,
        "step": step,
        "description": q.description,
    }


_QUANTITIES: tuple[dict, ...] = tuple(_quantity(*c) for c in _CONTROLS)
_BY_ALIAS = {q["alias"]: q for q in _QUANTITIES}


class ExploreError(Exception):
    """Anything that went wrong, as one readable line (``str(exc)``)."""

    def __init__(self, message: object):
        super().__init__(one_line(message))


def one_line(message: object) -> str:
    """``message`` (text or an exception) as a single line of at most
    :data:`MAX_MESSAGE_CHARS` characters."""
    if isinstance(message, BaseException):
        text = str(message) or type(message).__name__
        if isinstance(message, KeyError) and message.args:
            text = str(message.args[0])
    else:
        text = str(message)
    text = " ".join(text.split())
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[: MAX_MESSAGE_CHARS - 1].rstrip() + "…"
    return text


def _wrap(exc: BaseException, context: str = "") -> ExploreError:
    """An :class:`ExploreError` for ``exc``; unexpected exception types are logged with
    their traceback (the page shows one line, the server log keeps the detail)."""
    if isinstance(exc, ExploreError):
        return exc
    known = _known_errors()
    if not isinstance(exc, known):
        logger.error("explore: unexpected error", exc_info=exc)
        text = f"{type(exc).__name__}: {one_line(exc)}"
    else:
        text = one_line(exc)
    return ExploreError(f"{context}{text}")


def _known_errors() -> tuple[type[BaseException], ...]:
    import pybamm

    from assb_model.errors import AssbError

    return (AssbError, pybamm.OptionError, pybamm.SolverError, pybamm.ModelError)


# ---------------------------------------------------------------------------------------
# What can be set
# ---------------------------------------------------------------------------------------
def parameter_sets() -> list[str]:
    """Names of the registered parameter sets (the five cells of the paper)."""
    from assb_model.parameters.sets import list_parameter_sets

    return list_parameter_sets()


def whatif_quantities() -> list[dict]:
    """The quantities the explorer varies, in display order.

    Returns
    -------
    list of dict
        ``{"alias", "label", "unit", "min", "max", "log", "mode", "rebuild", "step"}``:
        bounds in the alias unit; ``log`` for a logarithmic control; ``mode`` is
        ``"input"`` (re-solve only), ``"rebuild"`` (new model build) or ``"protocol"``;
        ``rebuild`` says whether a change needs a new build; ``step`` is the control's
        step on a linear scale (``None`` for log scales).
    """
    return [dict(q) for q in _QUANTITIES]


def model_options() -> dict[str, list[str]]:
    """Model option → allowed values (the first is the default)."""
    from assb_model import ASSB_OPTIONS

    return {name: list(values) for name, values in ASSB_OPTIONS.items()}


def default_options() -> dict[str, str]:
    """Model option → default value."""
    return {name: values[0] for name, values in model_options().items()}


def _alias(alias: str):
    from assb_model.parameters.registry import BY_ALIAS

    return BY_ALIAS[alias]


def _clean(value: float) -> float:
    """Round to 12 significant digits (unit conversions leave 9.000000000000002 nm)."""
    return float(f"{float(value):.12g}")


def _values_from(pv) -> dict[str, float]:
    out = {}
    for q in _QUANTITIES:
        alias = q["alias"]
        if alias == "current_density":
            out[alias] = _clean(float(pv["Default current density [A.m-2]"]) / 10)
        elif alias == "upper_cutoff":
            out[alias] = _clean(pv["Open-circuit voltage at 100% SOC [V]"])
        elif alias == "lower_cutoff":
            out[alias] = _clean(pv["Open-circuit voltage at 0% SOC [V]"])
        elif alias == "cycles":
            out[alias] = 1
        else:
            q = _alias(alias)
            out[alias] = _clean(q.from_model(float(pv[q.name])))
    return out


@dataclass(frozen=True)
class _Source:
    """A parameter set name or file, resolved."""

    key: tuple
    label: str
    is_file: bool


def _resolve_source(parameter_set_or_path: str) -> _Source:
    text = str(parameter_set_or_path or "").strip()
    if not text:
        raise ExploreError("no parameter set given")
    if text in parameter_sets():
        return _Source((text,), text, False)
    path = Path(text).expanduser()
    if not path.is_file():
        raise ExploreError(
            f"'{text}' is not a parameter-set name nor an existing file "
            f"(sets: {', '.join(parameter_sets())})"
        )
    path = path.resolve()
    return _Source((str(path), path.stat().st_mtime_ns), str(path), True)


@lru_cache(maxsize=32)
def _parameter_values(key: tuple, label: str):
    """The values of a set or file (cached per file version; callers copy)."""
    from assb_model.parameters.sets import load_parameter_set

    return load_parameter_set(label)


def _values_of(source: _Source):
    return _parameter_values(source.key, source.label)


def default_values(parameter_set: str) -> dict[str, float]:
    """The set's (or file's) value of every what-if quantity, alias → value in the alias
    unit; the protocol values are the paper's protocol the set records (1 cycle)."""
    try:
        source = _resolve_source(parameter_set)
        return _values_from(_values_of(source))
    except Exception as exc:
        raise _wrap(exc) from exc


def check_values(parameter_set: str, values: Mapping) -> dict[str, float]:
    """All what-if values: the set's defaults replaced by ``values``, checked against the
    bounds. Raises :class:`ExploreError` naming the first bad value."""
    full = default_values(parameter_set)
    for alias, value in dict(values or {}).items():
        if alias not in _BY_ALIAS:
            raise ExploreError(
                f"unknown quantity '{alias}'; the explorer varies {', '.join(_BY_ALIAS)}"
            )
        q = _BY_ALIAS[alias]
        unit = "" if q["unit"] == "-" else f" {q['unit']}"
        if value is None or value == "":
            raise ExploreError(f"{q['label']} ({alias}): no value given")
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise ExploreError(f"{q['label']} ({alias}): '{value}' is not a number") from None
        if not math.isfinite(v):
            raise ExploreError(f"{q['label']} ({alias}): {v} is not a finite number")
        if not q["min"] <= v <= q["max"]:
            raise ExploreError(
                f"{q['label']} {alias} = {v:g}{unit} is outside its bounds "
                f"[{q['min']:g}, {q['max']:g}]{unit}"
            )
        if alias == "cycles":
            if v != int(v):
                raise ExploreError(f"number of cycles must be a whole number, got {v:g}")
            v = int(v)
        full[alias] = v
    return full


def check_options(options: Mapping | None) -> dict[str, str]:
    """All model options: the defaults replaced by ``options``, each value checked."""
    allowed = model_options()
    out = default_options()
    for name, value in dict(options or {}).items():
        if name not in allowed:
            raise ExploreError(f"unknown model option '{name}'; options: {', '.join(allowed)}")
        if value not in allowed[name]:
            raise ExploreError(
                f"model option '{name}' must be one of {', '.join(allowed[name])}; got '{value}'"
            )
        out[name] = value
    return out


# ---------------------------------------------------------------------------------------
# The command that reproduces a state
# ---------------------------------------------------------------------------------------
def _fmt(value: float) -> str:
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def command_line(parameter_set: str, values: Mapping, options: Mapping | None) -> str:
    """The ``assb simulate`` command that reproduces this state (grammar of issue 11).

    Only values and options that differ from the set's (or file's) own are written:
    ``assb simulate NAME --set ALIAS=VALUE ... --option "NAME=VALUE"``, or
    ``assb simulate --parameter-set PATH ...`` for a file.
    """
    source = _resolve_source(parameter_set)
    full = check_values(parameter_set, values)
    defaults = default_values(parameter_set)
    opts = check_options(options)
    parts = ["assb simulate"]
    if source.is_file:
        parts.append(f"--parameter-set {shlex.quote(source.label)}")
    else:
        parts.append(source.label)
    for q in _QUANTITIES:
        alias = q["alias"]
        if not math.isclose(full[alias], defaults[alias], rel_tol=1e-12, abs_tol=0.0):
            parts.append(f"--set {alias}={_fmt(full[alias])}")
    for name, value in opts.items():
        if value != default_options()[name]:
            parts.append(f'--option "{name}={value}"')
    return " ".join(parts)


# ---------------------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------------------


@dataclass
class RunResult:
    """One run of the cycling protocol.

    Attributes
    ----------
    curves : pandas.DataFrame
        ``cycle, step_type, specific_capacity_mAh_per_g, voltage_V`` (capacity within each
        step, mAh/g of NMC; voltage vs Li–In).
    cycles : pandas.DataFrame
        ``cycle, charge_capacity_mAh_per_g, discharge_capacity_mAh_per_g,
        coulombic_efficiency``.
    first_discharge_mAh_per_g : float
    rebuilt : bool
        True if this run built a new model (else it only re-solved).
    elapsed_s : float
        Wall time of the run (build included when rebuilt).
    nmc_mass_mg : float
        NMC mass the capacities are normalised by.
    note : str
        Why there is nothing to show ("no capacity: ..."), else empty.
    """

    curves: pd.DataFrame
    cycles: pd.DataFrame
    first_discharge_mAh_per_g: float
    rebuilt: bool
    elapsed_s: float = 0.0
    nmc_mass_mg: float = float("nan")
    note: str = ""


CURVE_COLUMNS = ["cycle", "step_type", "specific_capacity_mAh_per_g", "voltage_V"]
CYCLE_COLUMNS = [
    "cycle",
    "charge_capacity_mAh_per_g",
    "discharge_capacity_mAh_per_g",
    "coulombic_efficiency",
]
NYQUIST_COLUMNS = ["frequency_Hz", "Z_real_ohm", "Z_imag_ohm"]


class Session:
    """Keeps built simulations: a build per parameter set, options and rebuild values;
    a change of an input quantity only re-solves.

    Safe to share between the threads of a web server: runs on the built simulations are
    serialised by a lock (a PyBaMM simulation must not be solved by two threads at once).

    Parameters
    ----------
    max_builds : int
        Built simulations kept (least recently used dropped first).
    """

    def __init__(self, max_builds: int = 8):
        self.max_builds = int(max_builds)
        self._builds: OrderedDict = OrderedDict()
        self._built: set = set()
        self._spectra: OrderedDict = OrderedDict()
        self._lock = threading.RLock()

    # --- internals --------------------------------------------------------------------
    def _prepare(self, parameter_set, values, options):
        source = _resolve_source(parameter_set)
        full = check_values(parameter_set, values)
        opts = check_options(options)
        if not full["upper_cutoff"] > full["lower_cutoff"]:
            raise ExploreError(
                f"upper cut-off ({full['upper_cutoff']:g} V) must be above the lower cut-off "
                f"({full['lower_cutoff']:g} V vs Li-In)"
            )
        return source, full, opts

    def _runner(self, source: _Source, opts: dict):
        """The runner of a set (or file) and options: built models are its cache."""
        from assb_model.simulation import CCCycling, Runner, Scenario

        key = (source.key, tuple(sorted(opts.items())))
        runner = self._builds.get(key)
        if runner is None:
            scenario = Scenario(source.label, opts)
            runner = Runner(scenario, CCCycling(), [q["alias"] for q in _QUANTITIES])
            self._builds[key] = runner
            while len(self._builds) > self.max_builds:
                self._builds.popitem(last=False)
        self._builds.move_to_end(key)
        return runner

    @staticmethod
    def _build_key(runner, full) -> tuple:
        rebuild = tuple((q["alias"], full[q["alias"]]) for q in _QUANTITIES if q["rebuild"])
        return rebuild

    def needs_rebuild(self, parameter_set: str, values: Mapping, options: Mapping) -> bool:
        """True if :meth:`run` with these arguments would build a new model."""
        source, full, opts = self._prepare(parameter_set, values, options)
        key = (source.key, tuple(sorted(opts.items())))
        runner = self._builds.get(key)
        return runner is None or (*key, self._build_key(runner, full)) not in self._built

    # --- the interface ----------------------------------------------------------------
    def run(self, parameter_set: str, values: Mapping, options: Mapping | None) -> RunResult:
        """Run the CC protocol with these values (alias → value) and model options.

        Raises
        ------
        ExploreError
            Unknown set, bad file, value out of bounds, unphysical value, infeasible
            cut-off, solver failure: one line.
        """
        from assb_model.errors import SimulationError
        from assb_model.simulation.runner import NoCapacityError

        t0 = time.perf_counter()
        try:
            source, full, opts = self._prepare(parameter_set, values, options)
            with self._lock:
                runner = self._runner(source, opts)
                key = (source.key, tuple(sorted(opts.items())), self._build_key(runner, full))
                # the runner builds per rebuild value and per cut-offs/cycles
                rebuilt = key not in self._built
                point = {q["alias"]: full[q["alias"]] for q in _QUANTITIES}
                point["cycles"] = int(point["cycles"])
                try:
                    res = runner.run(point)
                except NoCapacityError:
                    # what a cycler shows: the charge ends at once, 0 mAh/g
                    self._built.add(key)
                    return RunResult(
                        pd.DataFrame(columns=CURVE_COLUMNS),
                        pd.DataFrame(columns=CYCLE_COLUMNS),
                        0.0,
                        rebuilt,
                        time.perf_counter() - t0,
                        note=NoCapacityError.NOTE,
                    )
                except SimulationError as exc:
                    text = str(exc)
                    if "cycles completed" in text or "infeasible" in text:
                        raise ExploreError(
                            f"infeasible protocol at {full['current_density']:g} mA/cm2 "
                            f"between {full['lower_cutoff']:g} and {full['upper_cutoff']:g} V "
                            f"vs Li-In: " + one_line(exc).replace("no step could start", "no step")
                        ) from exc
                    raise
                self._built.add(key)
        except Exception as exc:
            raise _wrap(exc) from exc
        cycles = res.cycles[CYCLE_COLUMNS].reset_index(drop=True)
        curves = res.curves[CURVE_COLUMNS].reset_index(drop=True)
        first = float(cycles["discharge_capacity_mAh_per_g"].iloc[0]) if len(cycles) else np.nan
        return RunResult(
            curves,
            cycles,
            first,
            rebuilt,
            time.perf_counter() - t0,
            res.nmc_mass_g * 1e3,
        )

    def nyquist(
        self,
        parameter_set: str,
        values: Mapping,
        options: Mapping | None,
        after_charge: int = 1,
        frequencies=NYQUIST_FREQUENCIES_HZ,
    ) -> pd.DataFrame:
        """The model's impedance spectrum after charge ``after_charge`` of the protocol
        (and a 600 s rest), or of the as-assembled cell (``after_charge=0``).

        Returns
        -------
        pandas.DataFrame
            ``frequency_Hz, Z_real_ohm, Z_imag_ohm`` (``Z_imag`` < 0 when capacitive),
            high to low frequency; ``attrs["state"]`` describes the state.
        """
        from assb_model.model_eis import model_impedance
        from assb_model.simulation import Scenario, Segment

        try:
            source, full, opts = self._prepare(parameter_set, values, options)
            n = int(after_charge)
            if n != after_charge or not 0 <= n <= full["cycles"]:
                raise ExploreError(
                    f"the spectrum is taken after a charge from 0 (as assembled) to "
                    f"{int(full['cycles'])} (the number of cycles); got {after_charge}"
                )
            f = np.asarray(frequencies, dtype=float)
            overrides = {
                q["alias"]: full[q["alias"]] for q in _QUANTITIES if q["mode"] != "protocol"
            }
            key = (
                source.key,
                tuple(sorted(opts.items())),
                tuple(sorted(overrides.items())),
                full["current_density"],
                full["upper_cutoff"],
                full["lower_cutoff"],
                n,
                tuple(f),
            )
            with self._lock:
                cached = self._spectra.get(key)
            if cached is not None:
                return cached.copy()
            protocol = (
                Segment(
                    max(n, 1), full["current_density"], full["upper_cutoff"], full["lower_cutoff"]
                ),
            )
            m = model_impedance(
                Scenario(source.label, opts, overrides),
                f,
                after_cycles=n,
                protocol=protocol,
            )
        except Exception as exc:
            raise _wrap(exc, "impedance: ") from exc
        df = pd.DataFrame(
            {
                "frequency_Hz": m.frequency,
                "Z_real_ohm": m.impedance.real,
                "Z_imag_ohm": m.impedance.imag,
            }
        )
        df.attrs["state"] = {k: float(v) for k, v in m.state.items()}
        with self._lock:
            self._spectra[key] = df
            while len(self._spectra) > 16:
                self._spectra.popitem(last=False)
        return df.copy()

    def capacity_map(
        self,
        parameter_set: str,
        values: Mapping,
        options: Mapping | None,
        quantity: str,
        grid,
        progress: Callable[[int, int], None] | None = None,
    ) -> pd.DataFrame:
        """First-cycle capacity over a grid of one quantity, through the sweep engine.

        The other quantities keep ``values``. ``progress(done, total)`` is called as
        points finish (from a helper thread).

        Returns
        -------
        pandas.DataFrame
            One row per grid value: ``quantity`` (alias unit), the sweep's outputs
            (``discharge_capacity_mAh_per_g``, ``charge_capacity_mAh_per_g``,
            ``coulombic_efficiency``, ...), ``status`` and ``error``.
        """
        from assb_model.sweep import Axis, SweepSpec, run_sweep

        try:
            source, full, opts = self._prepare(parameter_set, values, options)
            if quantity not in _BY_ALIAS:
                raise ExploreError(
                    f"unknown quantity '{quantity}'; the explorer varies {', '.join(_BY_ALIAS)}"
                )
            grid = [float(v) for v in np.atleast_1d(np.asarray(grid, dtype=float))]
            if len(grid) < 2:
                raise ExploreError("a capacity map needs at least 2 values")
            for v in grid:
                check_values(parameter_set, {quantity: v})
            overrides = {
                q["alias"]: full[q["alias"]]
                for q in _QUANTITIES
                if q["mode"] != "protocol" and q["alias"] != quantity
            }
            protocol = {
                k: full[k]
                for k in ("current_density", "upper_cutoff", "lower_cutoff", "cycles")
                if k != quantity
            }
            if "cycles" in protocol:
                protocol["cycles"] = int(protocol["cycles"])
            spec = SweepSpec(
                source.label,
                axes=(Axis.of(quantity, grid),),
                options=opts,
                overrides=overrides,
                **protocol,
            )
            result = run_sweep(
                spec, None, workers=1, backend="serial", progress=False, on_point=progress
            )
        except Exception as exc:
            raise _wrap(exc, "capacity map: ") from exc
        df = result.results.drop(columns=["point_id"], errors="ignore")
        df = df.sort_values(quantity).reset_index(drop=True)
        df["error"] = df["error"].fillna("").astype(str).map(one_line)
        return df
