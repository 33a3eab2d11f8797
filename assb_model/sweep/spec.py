"""Sweep specifications: axes (grids, lists, ranges), designs (factorial, random, Latin
hypercube, Morris, Sobol) and the points they generate.

An :class:`Axis` is one swept quantity; a :class:`SweepSpec` combines axes with a design,
the base protocol and fixed parameter values. :func:`assb_model.sweep.plan.plan_sweep`
checks a spec and resolves its points for the engine. Everything here is plain data that
round-trips through JSON (:meth:`SweepSpec.to_dict`, :meth:`SweepSpec.from_dict`), so the
metadata file of a sweep is enough to re-run it exactly.
"""

import hashlib
import importlib
import itertools
import json
import math
from dataclasses import asdict, dataclass, field

import numpy as np

from assb_model.parameters.validation import ParameterError

#: Default parameter set of a sweep.
DEFAULT_PARAMETER_SET = "giraldo2021_sp_lpscl_coated"

#: Designs: "grid" is the full factorial over the axes' values; the others sample the
#: axes' ranges ("random": uniform, "lhs": Latin hypercube, "morris"/"sobol": the SALib
#: designs of the sensitivity analyses, ``samples`` = trajectories / base sample size);
#: "zip" takes the i-th value of every list axis as point i (samples drawn elsewhere,
#: e.g. by :mod:`assb_model.uq`), crossed with the grid axes.
DESIGNS = ("grid", "random", "lhs", "morris", "sobol", "zip")

#: Significant digits kept for generated values (stable point ids, readable tables).
SIGNIFICANT_DIGITS = 12


class SweepSpecError(ParameterError):
    """An invalid sweep specification; raised before any point is computed."""


def _clean(value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise SweepSpecError(f"sweep values must be finite numbers, got {value}")
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def _number(text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise SweepSpecError(f"{what}: '{text}' is not a number") from None


@dataclass(frozen=True)
class Axis:
    """One swept quantity.

    Build with :meth:`linspace`, :meth:`logspace`, :meth:`of`, :meth:`range` or
    :meth:`parse`.

    Attributes
    ----------
    name : str
        Alias or PyBaMM parameter name (values in the alias's unit, or SI).
    kind : str
        ``"grid"`` (``num`` values from ``start`` to ``stop``), ``"values"`` (explicit
        list) or ``"range"`` (bounds for sampled designs).
    start, stop : float, optional
    num : int, optional
    values : tuple of float, optional
    log : bool
        Logarithmic spacing (grids) or sampling (ranges).
    """

    name: str
    kind: str
    start: float | None = None
    stop: float | None = None
    num: int | None = None
    values: tuple[float, ...] | None = None
    log: bool = False

    # --- constructors ---------------------------------------------------------------
    @classmethod
    def linspace(cls, name: str, start: float, stop: float, num: int) -> "Axis":
        """``num`` linearly spaced values from ``start`` to ``stop`` (inclusive)."""
        return cls(name, "grid", float(start), float(stop), int(num))

    @classmethod
    def logspace(cls, name: str, start: float, stop: float, num: int) -> "Axis":
        """``num`` logarithmically spaced values from ``start`` to ``stop`` (inclusive)."""
        return cls(name, "grid", float(start), float(stop), int(num), log=True)

    @classmethod
    def of(cls, name: str, values) -> "Axis":
        """An explicit list of values (one value: a fixed setting)."""
        values = np.atleast_1d(np.asarray(values, dtype=float))
        return cls(name, "values", values=tuple(float(v) for v in values))

    @classmethod
    def range(cls, name: str, low: float, high: float, log: bool = False) -> "Axis":
        """Bounds for random, Latin-hypercube, Morris and Sobol designs."""
        return cls(name, "range", float(low), float(high), log=bool(log))

    @classmethod
    def parse(cls, text: str) -> "Axis":
        """Parse the command-line form.

        ``NAME=START:STOP:N`` (linear grid), ``NAME=START:STOP:N:log`` (log grid),
        ``NAME=v1,v2,v3`` (list), ``NAME=v`` (fixed value), ``NAME=LOW:HIGH`` or
        ``NAME=LOW:HIGH:log`` (range, for sampled designs).
        """
        if "=" not in text:
            raise SweepSpecError(f"--param expects NAME=VALUES, got '{text}'")
        name, body = (s.strip() for s in text.split("=", 1))
        if not name or not body:
            raise SweepSpecError(f"--param expects NAME=VALUES, got '{text}'")
        if "," in body:
            items = [s.strip() for s in body.split(",") if s.strip()]
            return cls.of(name, [_number(s, f"--param {name}") for s in items])
        if ":" not in body:
            return cls.of(name, [_number(body, f"--param {name}")])
        parts = [s.strip() for s in body.split(":")]
        log = parts[-1].lower() == "log"
        if parts[-1].lower() in ("log", "lin", "linear"):
            parts = parts[:-1]
        if len(parts) == 2:
            lo, hi = (_number(s, f"--param {name}") for s in parts)
            return cls.range(name, lo, hi, log)
        if len(parts) == 3:
            start, stop = (_number(s, f"--param {name}") for s in parts[:2])
            num = _number(parts[2], f"--param {name}: number of points")
            if num != int(num):
                raise SweepSpecError(f"--param {name}: number of points must be an integer")
            return cls(name, "grid", start, stop, int(num), log=log)
        raise SweepSpecError(
            f"--param '{text}': expected START:STOP:N[:log], LOW:HIGH[:log] or v1,v2,..."
        )

    # --- checks and values ----------------------------------------------------------
    def check(self, repeats: bool = False) -> None:
        """Raise :class:`SweepSpecError` for an empty or malformed axis (``repeats``: a
        list may repeat values, as a column of a zipped design may)."""
        where = f"sweep parameter '{self.name}'"
        if self.kind == "values":
            if not self.values:
                raise SweepSpecError(f"{where}: empty list of values")
            vals = [_clean(v) for v in self.values]
            if not repeats and len(set(vals)) != len(vals):
                raise SweepSpecError(f"{where}: repeated values {list(self.values)}")
            return
        if self.kind not in ("grid", "range"):
            raise SweepSpecError(f"{where}: unknown axis kind '{self.kind}'")
        lo, hi = _clean(self.start), _clean(self.stop)
        if self.log and not (lo > 0 and hi > 0):
            raise SweepSpecError(f"{where}: log spacing needs positive bounds, got {lo}:{hi}")
        if self.kind == "range":
            if not hi > lo:
                raise SweepSpecError(f"{where}: empty range {lo}:{hi} (need LOW < HIGH)")
            return
        if self.num is None or self.num < 2:
            raise SweepSpecError(
                f"{where}: a grid needs N >= 2 points, got {self.num} "
                "(give one value as NAME=VALUE)"
            )
        if lo == hi:
            raise SweepSpecError(f"{where}: empty range {lo}:{hi} (START equals STOP)")

    @property
    def is_fixed(self) -> bool:
        """True for a single value (a fixed setting, not part of a sampled design)."""
        return self.kind == "values" and len(self.values or ()) == 1

    def grid_values(self, repeats: bool = False) -> list[float]:
        """Values of a grid or list axis."""
        self.check(repeats)
        if self.kind == "values":
            return [_clean(v) for v in self.values]
        if self.kind == "range":
            raise SweepSpecError(
                f"sweep parameter '{self.name}': a range ({self.start}:{self.stop}) needs a "
                "sampled design (--sample random|lhs|morris|sobol); give START:STOP:N for a grid"
            )
        space = np.geomspace if self.log else np.linspace
        return [_clean(v) for v in space(self.start, self.stop, self.num)]

    def problem_bounds(self) -> tuple[float, float]:
        """Bounds in the sampling space (log10 of the values for log axes)."""
        self.check()
        if self.kind != "range":
            raise SweepSpecError(f"sweep parameter '{self.name}': not a range LOW:HIGH[:log]")
        if self.log:
            return math.log10(self.start), math.log10(self.stop)
        return self.start, self.stop

    def from_problem(self, x: np.ndarray) -> np.ndarray:
        """Values from sampling-space coordinates (inverse of :meth:`problem_bounds`)."""
        return 10.0**x if self.log else x

    def describe(self) -> str:
        """The command-line form of this axis."""
        if self.kind == "values":
            return f"{self.name}=" + ",".join(f"{v:g}" for v in self.values)
        tail = ":log" if self.log else ""
        if self.kind == "range":
            return f"{self.name}={self.start:g}:{self.stop:g}{tail}"
        return f"{self.name}={self.start:g}:{self.stop:g}:{self.num}{tail}"

    def to_dict(self) -> dict:
        d = {k: v for k, v in asdict(self).items() if v is not None}
        if "values" in d:
            d["values"] = list(d["values"])
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Axis":
        d = dict(d)
        if "values" in d:
            d["values"] = tuple(d["values"])
        return cls(**d)


@dataclass
class SweepSpec:
    """What to sweep, how to sample it, and the protocol around it.

    Parameters
    ----------
    parameter_set : str
        Name of the parameter set (:func:`assb_model.list_parameter_sets`).
    axes : sequence of Axis or str
        Swept quantities; strings are parsed with :meth:`Axis.parse`.
    design : str
        One of :data:`DESIGNS`; ``"grid"`` is the full factorial.
    samples : int, optional
        Points of a random/LHS design; trajectories of a Morris design; the base sample
        size N of a Sobol design (N (D + 2) points, a power of 2).
    seed : int, optional
        Seed of the sampled designs (fixed seed → same points).
    design_options : dict, optional
        ``{"num_levels": 4}`` (Morris), ``{"calc_second_order": False}`` (Sobol).
    current_density, upper_cutoff, lower_cutoff, cycles :
        Base protocol (mA/cm2, V vs Li–In); an axis of the same name overrides it.
    options : dict, optional
        Model options (:class:`assb_model.ASSBModel`).
    overrides : dict, optional
        Fixed parameter values by alias (alias units) or PyBaMM name (SI).
    var_pts : dict, optional
        Mesh points (default :data:`assb_model.simulation.DEFAULT_VAR_PTS`).
    save_curves : bool
        Also store every point's full voltage curves.
    save_cycles : bool
        Also store every point's cycle table (one row per cycle).
    schedule : list of dict, optional
        Segments ``{"cycles", "current_density", "upper_cutoff", "lower_cutoff"}`` run in
        turn instead of ``cycles`` at one current (e.g. the Figure 6 protocol); ``cycles``
        is then their total.
    """

    parameter_set: str = DEFAULT_PARAMETER_SET
    axes: tuple = ()
    design: str = "grid"
    samples: int | None = None
    seed: int | None = None
    design_options: dict = field(default_factory=dict)
    current_density: float = 0.13
    upper_cutoff: float = 3.8
    lower_cutoff: float = 2.0
    cycles: int = 1
    options: dict = field(default_factory=dict)
    overrides: dict = field(default_factory=dict)
    var_pts: dict | None = None
    save_curves: bool = False
    save_cycles: bool = False
    schedule: list | None = None

    def __post_init__(self):
        if isinstance(self.axes, str | Axis):
            self.axes = (self.axes,)
        self.axes = tuple(Axis.parse(a) if isinstance(a, str) else a for a in self.axes)
        self.options = dict(self.options or {})
        self.overrides = dict(self.overrides or {})
        self.design_options = dict(self.design_options or {})
        if self.schedule is not None:
            self.schedule = [dict(seg) for seg in self.schedule]
            self.cycles = sum(int(seg["cycles"]) for seg in self.schedule)

    # --- structure --------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        """Axis names, in order (the first columns of the results table)."""
        return [a.name for a in self.axes]

    @property
    def sampled_axes(self) -> list[Axis]:
        """Axes that a sampled design draws from (the ranges)."""
        return [a for a in self.axes if a.kind == "range"]

    @property
    def listed_axes(self) -> list[Axis]:
        """Axes with listed values (grids, lists, fixed values)."""
        return [a for a in self.axes if a.kind != "range"]

    def check(self) -> None:
        """Structural checks that need no parameter set (see ``plan_sweep`` for the rest)."""
        if self.design not in DESIGNS:
            raise SweepSpecError(f"unknown design '{self.design}'; use one of {DESIGNS}")
        if not self.axes:
            raise SweepSpecError("nothing to sweep: give at least one --param NAME=VALUES")
        names = self.names
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise SweepSpecError(f"sweep parameter(s) given twice: {dup}")
        for axis in self.axes:
            axis.check(repeats=self.design == "zip")
        if self.design == "grid":
            return
        if self.design == "zip":
            lengths = {len(a.values) for a in self.axes if a.kind == "values"}
            if len(lengths) > 1:
                raise SweepSpecError(
                    f"a zip design needs lists of one length, got lengths {sorted(lengths)}"
                )
            if any(a.kind == "range" for a in self.axes):
                raise SweepSpecError("a zip design takes lists and grids, not ranges")
            return
        if not self.sampled_axes:
            raise SweepSpecError(f"a {self.design} design needs at least one range LOW:HIGH")
        if self.samples is None or int(self.samples) < 1:
            raise SweepSpecError(f"a {self.design} design needs samples >= 1, got {self.samples}")
        if self.design == "sobol" and int(self.samples) & (int(self.samples) - 1):
            raise SweepSpecError(f"a Sobol design needs samples = a power of 2, got {self.samples}")
        if self.design in ("morris", "sobol"):
            varied = [a.name for a in self.listed_axes if not a.is_fixed]
            if varied:
                raise SweepSpecError(
                    f"a {self.design} design samples ranges only: give {varied} as ranges "
                    "LOW:HIGH or as one fixed value"
                )

    def problem(self) -> dict:
        """The SALib problem of a sampled design (log axes in log10 space)."""
        axes = self.sampled_axes
        return {
            "num_vars": len(axes),
            "names": [a.name for a in axes],
            "bounds": [list(a.problem_bounds()) for a in axes],
        }

    def design_matrix(self) -> np.ndarray:
        """Sample matrix of a sampled design, in SALib's problem space (one row a point)."""
        problem = self.problem()
        d, n, seed = problem["num_vars"], int(self.samples), self.seed
        if self.design == "random":
            u = np.random.default_rng(seed).random((n, d))
        elif self.design == "lhs":
            from scipy.stats import qmc

            u = qmc.LatinHypercube(d=d, seed=seed).random(n)
        elif self.design == "morris":
            morris = _salib_sampler("morris")
            levels = int(self.design_options.get("num_levels", 4))
            return morris.sample(problem, n, num_levels=levels, seed=seed)
        elif self.design == "sobol":
            sobol = _salib_sampler("sobol")
            second = bool(self.design_options.get("calc_second_order", False))
            return sobol.sample(problem, n, calc_second_order=second, seed=seed)
        else:
            raise SweepSpecError(f"design '{self.design}' has no sample matrix")
        lo, hi = np.array(problem["bounds"]).T
        return lo + u * (hi - lo)

    def points(self) -> list[dict]:
        """Every point of the design, as ``{axis name: value}`` (duplicates kept)."""
        self.check()
        if self.design == "grid":
            grids = [a.grid_values() for a in self.axes]
            return [
                dict(zip(self.names, combo, strict=True)) for combo in itertools.product(*grids)
            ]
        if self.design == "zip":
            zipped = [a for a in self.axes if a.kind == "values"]
            columns = [a.grid_values(repeats=True) for a in zipped]
            samples = [
                {a.name: c[i] for a, c in zip(zipped, columns, strict=True)}
                for i in range(len(columns[0]) if columns else 1)
            ]
            crossed = [a for a in self.axes if a.kind == "grid"]
            rows = []
            for combo in itertools.product(*(a.grid_values() for a in crossed)):
                fixed = dict(zip([a.name for a in crossed], combo, strict=True))
                rows += [{n: {**fixed, **z}[n] for n in self.names} for z in samples]
            return rows
        # random/LHS samples are crossed with the listed axes (e.g. a few cut-offs, each
        # with the same sample of inputs); for Morris/Sobol those are fixed values
        sampled = self.sampled_axes
        x = self.design_matrix()
        cols = [a.from_problem(x[:, j]) for j, a in enumerate(sampled)]
        samples = [
            {a.name: _clean(c[i]) for a, c in zip(sampled, cols, strict=True)}
            for i in range(x.shape[0])
        ]
        listed = self.listed_axes
        rows = []
        for combo in itertools.product(*(a.grid_values() for a in listed)):
            fixed = dict(zip([a.name for a in listed], combo, strict=True))
            rows += [{n: {**fixed, **s}[n] for n in self.names} for s in samples]
        return rows

    # --- serialisation ----------------------------------------------------------------
    def to_dict(self) -> dict:
        """JSON-compatible form (the ``spec`` entry of the metadata file)."""
        d = asdict(self)
        d["axes"] = [a.to_dict() for a in self.axes]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "SweepSpec":
        d = dict(d)
        d["axes"] = tuple(Axis.from_dict(a) for a in d.get("axes", ()))
        return cls(**d)

    def command_line(self) -> str:
        """An ``assb sweep`` command that reproduces this spec (without ``--out``)."""
        parts = ["assb sweep", self.parameter_set]
        parts += [f'--param "{a.describe()}"' for a in self.axes]
        if self.design != "grid":
            parts += [f"--sample {self.design}", f"--samples {self.samples}"]
            if self.seed is not None:
                parts.append(f"--seed {self.seed}")
        defaults = SweepSpec()
        for key, flag in (
            ("current_density", "--current-density"),
            ("upper_cutoff", "--upper-cutoff"),
            ("lower_cutoff", "--lower-cutoff"),
            ("cycles", "--cycles"),
        ):
            if getattr(self, key) != getattr(defaults, key):
                parts.append(f"{flag} {getattr(self, key)}")
        parts += [f'--option "{k}={v}"' for k, v in self.options.items()]
        parts += [f'--set "{k}={v}"' for k, v in self.overrides.items()]
        if self.save_curves:
            parts.append("--curves")
        return " ".join(parts)


def _salib_sampler(name: str):
    try:
        return importlib.import_module(f"SALib.sample.{name}")
    except ImportError:
        raise SweepSpecError(
            f"the {name} design needs SALib: pip install 'assb-model[sweep]'"
        ) from None


def point_id(values: dict) -> str:
    """Stable id of a point: a hash of its values (axis name → value)."""
    text = json.dumps({k: float(v) for k, v in values.items()}, sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def fingerprint(obj) -> str:
    """Hash of a JSON-compatible object (sweep identity for resuming)."""
    text = json.dumps(obj, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()
