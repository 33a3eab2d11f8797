"""A scenario: which cell (parameter set or file, what-ifs), which model options, which mesh.

Every entry point — the Python API, every ``assb`` command, a sweep, a fit, the model's
impedance — describes what it simulates as a :class:`Scenario`, so a what-if given as
``--set sigma_se=2e-6``, ``overrides={"sigma_se": 2e-6}`` or a sweep point means the same
model everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pybamm

from assb_model.errors import ParameterError
from assb_model.model import ASSBModel
from assb_model.model.model import check_options
from assb_model.parameters import registry
from assb_model.parameters.sets import build_parameter_table, parameter_names
from assb_model.parameters.validation import validate_parameter_values

#: Default mesh: points across separator and composite, and radially in NMC particles.
#: Chosen from a mesh-convergence check (docs/model.md: capacity changes < 0.2 mAh/g
#: when every count is doubled).
DEFAULT_VAR_PTS = {"x_s": 8, "x_p": 24, "r_p": 16}

DEFAULT_SET = "giraldo2021_sp_lpscl_coated"


@dataclass(frozen=True)
class Scenario:
    """What to simulate.

    Parameters
    ----------
    parameter_set : str, path or pybamm.ParameterValues
        A set name (``assb list``), a parameter-set file, or parameter values (used as
        they are: no derivations re-run).
    options : dict
        Model options (:class:`assb_model.ASSBModel`).
    overrides : dict
        What-ifs: alias or PyBaMM name → value in its unit
        (:mod:`assb_model.parameters.registry`; PyBaMM names take SI values). What
        follows from a value is re-derived (:func:`assb_model.build_parameter_table`).
    var_pts : dict, optional
        Mesh points (default :data:`DEFAULT_VAR_PTS`).
    """

    parameter_set: Any = DEFAULT_SET
    options: dict = field(default_factory=dict)
    overrides: dict = field(default_factory=dict)
    var_pts: dict | None = None

    def __post_init__(self):
        object.__setattr__(self, "options", dict(self.options or {}))
        object.__setattr__(self, "overrides", dict(self.overrides or {}))

    @property
    def label(self) -> str:
        """The set name or file path (for messages and reports)."""
        if isinstance(self.parameter_set, pybamm.ParameterValues):
            return "parameter values"
        return str(self.parameter_set)

    @property
    def is_values(self) -> bool:
        return isinstance(self.parameter_set, pybamm.ParameterValues)

    def with_overrides(self, **overrides) -> Scenario:
        """A copy with more what-ifs (alias or PyBaMM name → value)."""
        return replace(self, overrides={**self.overrides, **overrides})

    def model_overrides(self, extra: dict | None = None) -> dict[str, float]:
        """The what-ifs as PyBaMM name → SI value, checked against the registry's bounds."""
        names = self.parameter_set.keys() if self.is_values else parameter_names(self.parameter_set)
        return registry.to_model_values({**self.overrides, **(extra or {})}, names, self.label)

    def parameter_table(self, extra: dict | None = None):
        """The parameter table with provenance (:class:`ParameterTable`); not for
        parameter values given directly."""
        if self.is_values:
            raise ParameterError("a scenario of parameter values has no parameter table")
        return build_parameter_table(self.parameter_set, self.model_overrides(extra))

    def parameter_values(self, extra: dict | None = None, *, si: dict | None = None):
        """The scenario's :class:`pybamm.ParameterValues`, checked for physical values.

        Parameters
        ----------
        extra : dict, optional
            More what-ifs (alias or name → value in its unit).
        si : dict, optional
            More what-ifs already as PyBaMM name → SI value.
        """
        overrides = {**self.model_overrides(extra), **(si or {})}
        if self.is_values:
            pv = self.parameter_set.copy()
            unknown = [k for k in overrides if k not in pv.keys()]
            if unknown:
                raise ParameterError(f"{self.label}: unknown parameter(s) {unknown}")
            pv.update(overrides)
        else:
            table = build_parameter_table(self.parameter_set, overrides)
            pv = pybamm.ParameterValues(table.values_dict())
        validate_parameter_values(pv, self.label)
        return pv

    def model(self, extra_options: dict | None = None) -> ASSBModel:
        """A new :class:`ASSBModel` with the scenario's options (plus ``extra_options``)."""
        return ASSBModel({**self.options, **(extra_options or {})})

    def check_options(self) -> None:
        """Raise a one-line error for an unknown option or value (no model is built)."""
        check_options(self.options)

    def mesh(self, model: ASSBModel) -> dict:
        """Mesh points for ``model``."""
        return {**model.default_var_pts, **(self.var_pts or DEFAULT_VAR_PTS)}

    def describe(self) -> dict:
        """Plain data for results files."""
        return {
            "parameter_set": self.label,
            "options": self.options,
            "overrides": self.overrides,
            "var_pts": self.var_pts or DEFAULT_VAR_PTS,
        }


def as_scenario(
    parameter_set=DEFAULT_SET,
    *,
    options: dict | None = None,
    overrides: dict | None = None,
    var_pts: dict | None = None,
) -> Scenario:
    """A :class:`Scenario` from a scenario, a set name, a file or parameter values.

    Given a scenario, ``options`` and ``overrides`` are added to its own (they win).
    """
    if isinstance(parameter_set, Scenario):
        return replace(
            parameter_set,
            options={**parameter_set.options, **(options or {})},
            overrides={**parameter_set.overrides, **(overrides or {})},
            var_pts=var_pts if var_pts is not None else parameter_set.var_pts,
        )
    if isinstance(parameter_set, Path):
        parameter_set = str(parameter_set)
    return Scenario(parameter_set, dict(options or {}), dict(overrides or {}), var_pts)


__all__ = ["DEFAULT_SET", "DEFAULT_VAR_PTS", "Scenario", "as_scenario"]
