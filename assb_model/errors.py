"""The package's errors: one base class, one line for the user, one exit code.

Every error the package raises on purpose derives from :class:`AssbError`; its message is
one readable line naming the problem (a parameter, a file and line, a sweep point) and its
:attr:`~AssbError.exit_code` is what the ``assb`` command returns:

- :class:`UserError` (exit code 2): the request cannot be done as asked — an unknown name,
  an unphysical value, a malformed file, an infeasible protocol;
- :class:`SimulationError` (exit code 1): the request was fine but the computation failed —
  the solver stopped, a worker died, a fit did not converge.

This module imports nothing, so every layer (and the light-weight file readers) can use it.
"""


class AssbError(Exception):
    """Base class of the package's errors (exit code 1 unless a subclass says otherwise)."""

    #: Exit code of the ``assb`` command for this error.
    exit_code = 1


class UserError(AssbError):
    """The request cannot be done as asked (exit code 2)."""

    exit_code = 2


class ParameterError(UserError, ValueError):
    """An unknown or unphysical parameter value; the message names the parameter."""


class UnknownParameterError(ParameterError, KeyError):
    """A parameter name that is neither an alias nor a parameter of the set."""

    def __str__(self) -> str:
        # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownParameterSetError(UserError, KeyError):
    """A parameter-set name (or file) that does not exist."""

    def __str__(self) -> str:
        # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ArgumentError(UserError, ValueError):
    """A malformed command-line value (``--set NAME=VALUE`` without ``=``, a bad number)."""


class SimulationError(AssbError, RuntimeError):
    """The solver failed; the message says at which step and why."""


__all__ = [
    "ArgumentError",
    "AssbError",
    "ParameterError",
    "SimulationError",
    "UnknownParameterError",
    "UnknownParameterSetError",
    "UserError",
]
