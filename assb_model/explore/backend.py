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

What this module relies on today (to be re-implemented on the simulation layer of issue
11, "One simulation layer, one parameter registry, one command-line grammar"):

- :data:`assb_model.sweep.parameters.ALIASES` (alias → PyBaMM name, unit factor) and
  :data:`assb_model.sweep.parameters.REBUILD_PARAMETERS`;
- :func:`assb_model.parameters.sets.list_parameter_sets` and ``load_parameter_set``;
  fitted parameter-set files through
  :mod:`assb_model.data.compare_fit.fitted_sets` (``read_fitted_parameter_file``,
  ``load_fitted_parameter_set``): a file is its base set plus its ``values``;
- the set's protocol defaults "Default current density [A.m-2]", "Open-circuit voltage at
  100% SOC [V]" and "Open-circuit voltage at 0% SOC [V]";
- :class:`assb_model.simulation.CyclingSimulation` (build once, ``run(current_density,
  **inputs)`` re-solves), :class:`~assb_model.simulation.SimulationError`;
- :func:`assb_model.sweep.plan.nmc_mass_g` (the NMC mass scales with the composite
  thickness), :func:`assb_model.sweep.run_sweep` and :class:`~assb_model.sweep.SweepSpec`
  (the capacity map; progress is read from the ``results.csv`` the engine appends to as
  each point finishes, as ``run_sweep`` has no progress callback today);
- :func:`assb_model.eis.model_impedance.model_impedance` with a one-segment
  :class:`assb_model.protocols.Segment` protocol;
- :data:`assb_model.ASSB_OPTIONS` (option → allowed values, the first the default).
"""

from __future__ import annotations

import logging
import math
import shlex
import tempfile
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

#: Protocol keys (not PyBaMM parameters).
_PROTOCOL = ("current_density", "upper_cutoff", "lower_cutoff", "cycles")

# The what-if quantities, their physical bounds, scale and how a change is applied.
# For now the bounds live here; after issue 11 they come from the parameter registry
# (alias, unit, bounds, log scale, input-or-rebuild), and this table goes.
# "mode": "input" (re-solve only), "rebuild" (a new model build: the value sets the mesh),
# "protocol" (a protocol setting; "rebuild" says whether it needs a new build).
_QUANTITIES: tuple[dict, ...] = (
    {
        "alias": "sigma_se",
        "label": "SE ionic conductivity",
        "unit": "S/cm",
        "min": 1e-8,
        "max": 1e-1,
        "log": True,
        "mode": "input",
        "rebuild": False,
        "step": None,
    },
    {
        "alias": "coating_thickness",
        "label": "LS coating thickness",
        "unit": "nm",
        "min": 0.0,
        "max": 50.0,
        "log": False,
        "mode": "input",
        "rebuild": False,
        "step": 0.5,
    },
    {
        "alias": "se_fraction",
        "label": "SE volume fraction of the composite",
        "unit": "-",
        "min": 0.05,
        "max": 0.58,
        "log": False,
        "mode": "input",
        "rebuild": False,
        "step": 0.01,
    },
    {
        "alias": "cathode_thickness",
        "label": "Composite cathode thickness",
        "unit": "um",
        "min": 5.0,
        "max": 200.0,
        "log": False,
        "mode": "rebuild",
        "rebuild": True,
        "step": 1.0,
    },
    {
        "alias": "current_density",
        "label": "Current density",
        "unit": "mA/cm2",
        "min": 0.01,
        "max": 5.0,
        "log": True,
        "mode": "protocol",
        "rebuild": False,
        "step": None,
    },
    {
        "alias": "upper_cutoff",
        "label": "Upper (charge) cut-off",
        "unit": "V vs Li-In",
        "min": 2.5,
        "max": 4.6,
        "log": False,
        "mode": "protocol",
        "rebuild": True,
        "step": 0.01,
    },
    {
        "alias": "lower_cutoff",
        "label": "Lower (discharge) cut-off",
        "unit": "V vs Li-In",
        "min": 1.8,
        "max": 3.5,
        "log": False,
        "mode": "protocol",
        "rebuild": True,
        "step": 0.01,
    },
    {
        "alias": "cycles",
        "label": "Number of cycles",
        "unit": "-",
        "min": 1,
        "max": 100,
        "log": False,
        "mode": "protocol",
        "rebuild": True,
        "step": 1,
    },
)
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

    from assb_model.parameters.sets import UnknownParameterSetError
    from assb_model.parameters.validation import ParameterError
    from assb_model.simulation import SimulationError
    from assb_model.sweep import SweepError

    return (
        ParameterError,
        SimulationError,
        UnknownParameterSetError,
        SweepError,
        pybamm.OptionError,
        pybamm.SolverError,
        pybamm.ModelError,
    )


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
    from assb_model.sweep.parameters import ALIASES

    return ALIASES[alias]


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
            a = _alias(alias)
            out[alias] = _clean(float(pv[a.target]) / a.to_si)
    return out


@dataclass(frozen=True)
class _Source:
    """A parameter set name or file, resolved: the base set and the file's values."""

    key: tuple
    base: str
    overrides: dict
    label: str
    is_file: bool


def _resolve_source(parameter_set_or_path: str) -> _Source:
    text = str(parameter_set_or_path or "").strip()
    if not text:
        raise ExploreError("no parameter set given")
    if text in parameter_sets():
        return _Source((text,), text, {}, text, False)
    path = Path(text).expanduser()
    if not path.is_file():
        raise ExploreError(
            f"'{text}' is not a parameter-set name nor an existing file "
            f"(sets: {', '.join(parameter_sets())})"
        )
    path = path.resolve()
    return _file_source(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _file_source(path: str, mtime_ns: int) -> _Source:
    from assb_model.data.compare_fit.fitted_sets import (
        load_fitted_parameter_set,
        read_fitted_parameter_file,
    )

    try:
        content = read_fitted_parameter_file(path)
        load_fitted_parameter_set(path)  # checks names and values against the base set
    except Exception as exc:
        raise _wrap(exc) from exc
    overrides = {}
    for name, entry in content["values"].items():
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ExploreError(f"{path}: value of '{name}' is not a number ({value!r})")
        overrides[name] = float(value)
    return _Source((path, mtime_ns), content["base_parameter_set"], overrides, path, True)


@lru_cache(maxsize=32)
def _parameter_values(key: tuple, base: str, overrides_items: tuple):
    """The set's values with the file's values applied (cached; callers copy)."""
    from assb_model.parameters.sets import load_parameter_set

    pv = load_parameter_set(base)
    pv.update(dict(overrides_items))
    return pv


def _values_of(source: _Source):
    return _parameter_values(source.key, source.base, tuple(sorted(source.overrides.items())))


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
        parts.append(source.base)
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
#: The what-if quantities that are PyBaMM input parameters of one build (with the current
#: density, an input of every CyclingSimulation).
_INPUT_ALIASES = tuple(q["alias"] for q in _QUANTITIES if q["mode"] == "input")
#: Parameter (not protocol) quantities that need a build per value.
_REBUILD_ALIASES = tuple(q["alias"] for q in _QUANTITIES if q["mode"] == "rebuild")


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
    """

    curves: pd.DataFrame
    cycles: pd.DataFrame
    first_discharge_mAh_per_g: float
    rebuilt: bool
    elapsed_s: float = 0.0
    nmc_mass_mg: float = float("nan")


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

    @staticmethod
    def _si(full: dict, aliases) -> dict[str, float]:
        out = {}
        for alias in aliases:
            a = _alias(alias)
            out[a.target] = full[alias] * a.to_si
        return out

    def _rebuild_overrides(self, source: _Source, full: dict) -> dict[str, float]:
        """The file's values, the rebuild quantities (SI) and the NMC mass they imply."""
        from assb_model.sweep.plan import NMC_MASS, nmc_mass_g

        overrides = {**source.overrides, **self._si(full, _REBUILD_ALIASES)}
        reference = _parameter_values((source.base,), source.base, ())
        numeric = {k: reference[k] for k in reference.keys()}
        point = {**numeric, **overrides}
        if NMC_MASS not in source.overrides:
            # the same rule as a sweep: the NMC mass scales with the composite thickness
            overrides[NMC_MASS] = nmc_mass_g(numeric, point) * 1e-3
        return overrides

    def needs_rebuild(self, parameter_set: str, values: Mapping, options: Mapping) -> bool:
        """True if :meth:`run` with these arguments would build a new model."""
        source, full, opts = self._prepare(parameter_set, values, options)
        return self._build_key(source, full, opts) not in self._builds

    def _build_key(self, source, full, opts) -> tuple:
        overrides = self._rebuild_overrides(source, full)
        protocol = (full["upper_cutoff"], full["lower_cutoff"], int(full["cycles"]))
        return (source.key, tuple(sorted(opts.items())), tuple(sorted(overrides.items())), protocol)

    # --- the interface ----------------------------------------------------------------
    def run(self, parameter_set: str, values: Mapping, options: Mapping | None) -> RunResult:
        """Run the CC protocol with these values (alias → value) and model options.

        Raises
        ------
        ExploreError
            Unknown set, bad file, value out of bounds, unphysical value, infeasible
            cut-off, solver failure: one line.
        """
        from assb_model.simulation import CyclingSimulation, SimulationError

        t0 = time.perf_counter()
        try:
            source, full, opts = self._prepare(parameter_set, values, options)
            key = self._build_key(source, full, opts)
            inputs = self._si(full, _INPUT_ALIASES)
            with self._lock:
                sim = self._builds.get(key)
                rebuilt = sim is None
                if rebuilt:
                    sim = CyclingSimulation(
                        source.base,
                        upper_cutoff=full["upper_cutoff"],
                        lower_cutoff=full["lower_cutoff"],
                        cycles=int(full["cycles"]),
                        options=opts,
                        input_parameters=sorted(inputs),
                        parameter_overrides=self._rebuild_overrides(source, full),
                    )
                    sim.simulation.build_for_experiment()
                    self._builds[key] = sim
                    while len(self._builds) > self.max_builds:
                        self._builds.popitem(last=False)
                self._builds.move_to_end(key)
                infeasible = (
                    f"infeasible protocol at {full['current_density']:g} mA/cm2 between "
                    f"{full['lower_cutoff']:g} and {full['upper_cutoff']:g} V vs Li-In: "
                )
                try:
                    res = sim.run(full["current_density"], **inputs)
                except SimulationError as exc:
                    if "cycles completed" in str(exc) or "infeasible" in str(exc):
                        raise ExploreError(infeasible + one_line(exc)) from exc
                    raise
                except AttributeError as exc:
                    # every step ended at once: PyBaMM returns an EmptySolution, which
                    # CyclingSimulation.run cannot summarise
                    if "EmptySolution" not in str(exc):
                        raise
                    raise ExploreError(
                        infeasible + "no step of the first cycle could start (the voltage "
                        "is beyond a cut-off from the first instant)"
                    ) from exc
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
        from assb_model.eis.model_impedance import model_impedance
        from assb_model.protocols import Segment

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
                **self._rebuild_overrides(source, full),
                **self._si(full, _INPUT_ALIASES),
            }
            key = (
                self._build_key(source, full, opts),
                tuple(sorted(overrides.items())),
                full["current_density"],
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
                source.base,
                f,
                after_cycles=n,
                protocol=protocol,
                options=opts,
                parameter_overrides=overrides,
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
            target = _alias(quantity).target
            overrides = {**source.overrides}
            for alias in (*_INPUT_ALIASES, *_REBUILD_ALIASES):
                a = _alias(alias)
                overrides[a.target] = full[alias] * a.to_si
            overrides.pop(target, None)
            protocol = {k: full[k] for k in _PROTOCOL if k != quantity}
            protocol["cycles"] = int(protocol.get("cycles", 1))
            spec = SweepSpec(
                source.base,
                axes=(Axis.of(quantity, grid),),
                options=opts,
                overrides=overrides,
                **protocol,
            )
            with tempfile.TemporaryDirectory(prefix="assb-explore-map-") as tmp:
                out = Path(tmp) / "sweep"
                stop = threading.Event()
                watcher = None
                if progress is not None:
                    watcher = threading.Thread(
                        target=_watch_progress,
                        args=(out / "results.csv", len(grid), progress, stop),
                        daemon=True,
                    )
                    watcher.start()
                try:
                    result = run_sweep(spec, out, workers=1, backend="serial", progress=False)
                finally:
                    stop.set()
                    if watcher is not None:
                        watcher.join(timeout=2)
            if progress is not None:
                progress(len(grid), len(grid))
        except Exception as exc:
            raise _wrap(exc, "capacity map: ") from exc
        df = result.results.drop(columns=["point_id"], errors="ignore")
        df = df.sort_values(quantity).reset_index(drop=True)
        df["error"] = df["error"].fillna("").astype(str).map(one_line)
        return df


def _watch_progress(path: Path, total: int, progress, stop: threading.Event) -> None:
    """Call ``progress(done, total)`` as the sweep appends rows to ``results.csv``."""
    last = -1
    while not stop.is_set():
        done = 0
        try:
            with open(path, encoding="utf-8") as fh:
                done = max(0, sum(1 for _ in fh) - 1)
        except OSError:
            pass
        done = min(done, total)
        if done != last:
            last = done
            try:
                progress(done, total)
            except Exception:  # a broken progress display must not stop the map
                logger.exception("explore: progress callback failed")
        stop.wait(0.1)
