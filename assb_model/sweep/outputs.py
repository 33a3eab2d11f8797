"""The columns of a sweep's results table.

The outputs are the simulation layer's run outputs
(:data:`assb_model.simulation.summary.OUTPUTS`, one documented set of names for every
what-if); this module adds the bookkeeping columns and keeps error messages short.
"""

from assb_model.simulation.summary import OUTPUTS, empty_outputs

#: Output columns of the results table, with unit and meaning (docs/sweeps.md).
OUTPUT_COLUMNS: dict[str, str] = OUTPUTS

#: Bookkeeping columns after the outputs.
STATUS_COLUMNS = ("status", "error", "solve_time_s", "point_id")

#: Longest error message kept in the results table (PyBaMM's messages repeat the whole
#: experiment step).
MAX_ERROR_CHARS = 400


def short_error(exc: BaseException | str) -> str:
    """One line, at most :data:`MAX_ERROR_CHARS` characters, naming the exception type."""
    text = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 3] + "..."


__all__ = ["MAX_ERROR_CHARS", "OUTPUT_COLUMNS", "STATUS_COLUMNS", "empty_outputs", "short_error"]
