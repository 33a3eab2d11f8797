"""The one command-line grammar of every command that runs the model.

- ``NAME`` (positional, where the command had it) or ``--parameter-set NAME|PATH``: a
  parameter set (``assb list``) or a parameter-set file (``assb fit`` writes them);
- ``--set ALIAS=VALUE`` (repeatable): a what-if, by registry alias in the alias's unit
  (``sigma_se=2e-6`` in S/cm, ``coating_thickness=0`` in nm; ``assb list --quantities``)
  or by PyBaMM name in SI; protocol settings (``current_density``, ``upper_cutoff``...)
  go to the protocol;
- ``--option NAME=VALUE`` (repeatable): a model option (docs/model.md).

Light-weight on purpose (no PyBaMM): ``assb --help`` imports only this.
"""

from __future__ import annotations

import argparse
import signal
import sys
from contextlib import contextmanager

from assb_model.errors import ArgumentError
from assb_model.parameters import registry


def pairs(values, flag: str) -> dict[str, str]:
    """``["A=1", "B=x"]`` → ``{"A": "1", "B": "x"}``; one error naming a malformed item."""
    out = {}
    for item in values or []:
        if "=" not in item:
            raise ArgumentError(f"{flag} expects NAME=VALUE, got '{item}'")
        key, value = (s.strip() for s in item.rsplit("=", 1))
        if not key:
            raise ArgumentError(f"{flag} expects NAME=VALUE, got '{item}'")
        out[key] = value
    return out


def numbers(values, flag: str) -> dict[str, float]:
    """Like :func:`pairs`, with the values as numbers."""
    out = {}
    for key, value in pairs(values, flag).items():
        try:
            out[key] = float(value)
        except ValueError:
            raise ArgumentError(f"{flag} {key}: '{value}' is not a number") from None
    return out


def add_model_arguments(
    p: argparse.ArgumentParser, *, positional: bool = True, required: bool = False
) -> None:
    """Add the parameter set, ``--set`` and ``--option`` arguments."""
    if positional:
        p.add_argument(
            "name",
            nargs="?",
            help="parameter set (see 'assb list') or parameter-set file; same as --parameter-set",
        )
    p.add_argument(
        "--parameter-set",
        metavar="NAME|PATH",
        required=required and not positional,
        help="parameter set (see 'assb list') or a parameter-set file (e.g. written by 'assb fit')",
    )
    p.add_argument(
        "--set",
        action="append",
        metavar="ALIAS=VALUE",
        help="what-if value, by alias in its unit (see 'assb list --quantities') or by PyBaMM "
        "name in SI (repeatable)",
    )
    p.add_argument(
        "--option", action="append", metavar="NAME=VALUE", help="model option (repeatable)"
    )


def add_protocol_arguments(p: argparse.ArgumentParser, cycles: int = 1) -> None:
    """The paper's CC protocol: ``--cycles``, ``--current-density``, ``--upper-cutoff``,
    ``--lower-cutoff`` (the defaults of :class:`assb_model.simulation.CCCycling`)."""
    p.add_argument(
        "--cycles", type=int, default=cycles, help=f"charge-discharge cycles (default {cycles})"
    )
    p.add_argument("--current-density", type=float, default=0.13, help="mA/cm2 (default 0.13)")
    p.add_argument("--upper-cutoff", type=float, default=3.8, help="V vs Li-In (default 3.8)")
    p.add_argument("--lower-cutoff", type=float, default=2.0, help="V vs Li-In (default 2.0)")


def parameter_set(args, default: str | None = "giraldo2021_sp_lpscl_coated") -> str:
    """The set name or file of parsed arguments (positional or ``--parameter-set``)."""
    positional = getattr(args, "name", None)
    flag = getattr(args, "parameter_set", None)
    if positional and flag and positional != flag:
        raise ArgumentError(
            f"two parameter sets given: '{positional}' and --parameter-set '{flag}'"
        )
    chosen = positional or flag or default
    if chosen is None:
        raise ArgumentError("no parameter set given: name one (see 'assb list') or a file")
    return chosen


def what_ifs(args) -> tuple[dict[str, float], dict[str, float]]:
    """``--set`` values split into parameter what-ifs and protocol settings (both in the
    units of the names they are given with)."""
    values = numbers(getattr(args, "set", None), "--set")
    parameters, protocol = {}, {}
    for key, value in values.items():
        q = registry.lookup(key)
        if q is not None and q.is_protocol:
            q.check(value, "--set")
            protocol[q.name] = value
        else:
            parameters[key] = value
    return parameters, protocol


def options(args) -> dict[str, str]:
    """``--option`` values."""
    return pairs(getattr(args, "option", None), "--option")


def scenario(args, default: str | None = "giraldo2021_sp_lpscl_coated"):
    """The :class:`~assb_model.simulation.Scenario` and protocol settings of parsed
    arguments."""
    from assb_model.simulation import Scenario

    parameters, protocol = what_ifs(args)
    return Scenario(parameter_set(args, default), options(args), parameters), protocol


def guarded(func, args, command: str) -> int:
    """Run a command; an error of the package becomes one line on stderr and its exit code
    (:mod:`assb_model.errors`)."""
    import sys

    from assb_model.errors import AssbError

    try:
        return func(args)
    except AssbError as exc:
        print(f"assb {command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except FileNotFoundError as exc:
        print(f"assb {command}: error: {exc}", file=sys.stderr)
        return 2


__all__ = [
    "add_model_arguments",
    "guarded",
    "numbers",
    "options",
    "pairs",
    "parameter_set",
    "scenario",
    "what_ifs",
]


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


@contextmanager
def interruptible(command: str, saved: str, again: str):
    """A long command that a batch scheduler's SIGTERM stops like Ctrl-C: the body runs
    with SIGTERM raising ``KeyboardInterrupt``; an interruption prints one line (what is
    saved where, how to continue) and raises :class:`Interrupted` (exit code 130)."""
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    except KeyboardInterrupt:
        print(f"{command}: interrupted; {saved}: {again}", file=sys.stderr)
        raise Interrupted from None
    finally:
        signal.signal(signal.SIGTERM, previous)


class Interrupted(Exception):
    """Raised by :func:`interruptible`; the command returns 130."""

    exit_code = 130
