"""Which parameter sets exist and where their files are: light-weight (no PyBaMM, no pandas),
so that ``assb list`` and the command line's checks start at once."""

from __future__ import annotations

import json
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

from assb_model.errors import UnknownParameterSetError

#: The five parameter sets of Giraldo et al. (2021), one per reported cell type.
PARAMETER_SET_NAMES = (
    "giraldo2021_sm_lps80_coated",
    "giraldo2021_sm_lps80_uncoated",
    "giraldo2021_sp_lps80_coated",
    "giraldo2021_sp_lps80_uncoated",
    "giraldo2021_sp_lpscl_coated",
)


def data_dir():
    """Folder holding the parameter-set files.

    Installed, they are the package data ``assb_model.parameter_sets``; in a source
    checkout imported from the repository root they are ``parameter_sets/``.
    """
    try:
        return resources.files("assb_model.parameter_sets")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "parameter_sets"


@cache
def read_json(name: str) -> dict:
    """A JSON file of the parameter-set folder (cached; do not modify the result)."""
    with resources.as_file(data_dir() / name) as path:
        return json.loads(path.read_text(encoding="utf-8"))


def list_parameter_sets() -> list[str]:
    """Names of the parameter sets shipped with the package."""
    return list(PARAMETER_SET_NAMES)


@cache
def cell_definition(name: str) -> dict:
    """The cell description of one shipped set, as read from its TOML file
    (``parameter_sets/paper/cells/NAME.toml``; checked by
    :func:`assb_model.parameters.cells.paper_cell`).

    Raises
    ------
    UnknownParameterSetError
    """
    if name not in PARAMETER_SET_NAMES:
        raise UnknownParameterSetError(
            f"unknown parameter set '{name}'; available: {', '.join(PARAMETER_SET_NAMES)} "
            "(or the path of a parameter-set file or cell description)"
        )
    with resources.as_file(data_dir() / "paper" / "cells" / f"{name}.toml") as path:
        return tomllib.loads(path.read_text(encoding="utf-8"))


def looks_like_file(text) -> bool:
    """Whether a ``--parameter-set`` argument names a file rather than a set."""
    return isinstance(text, Path) or str(text).endswith((".json", ".toml")) or "/" in str(text)


__all__ = [
    "PARAMETER_SET_NAMES",
    "cell_definition",
    "data_dir",
    "list_parameter_sets",
    "looks_like_file",
    "read_json",
]
