"""``assb data FILE``: what the project reads from a measured file, before any model runs
(docs/data.md)."""

from __future__ import annotations

import argparse
import json

from assb_model.cli import args as cli_args


def load_kwargs(args) -> dict:
    """The loader's reading options from parsed arguments (``--current-sign``, units,
    ``--column``)."""
    kwargs = {}
    if args.current_sign:
        kwargs["current_sign"] = args.current_sign
    for unit in ("current_unit", "time_unit", "voltage_unit", "capacity_unit"):
        if getattr(args, unit):
            kwargs[unit] = getattr(args, unit)
    if args.column:
        kwargs["columns"] = {
            k: (v or None) for k, v in cli_args.pairs(args.column, "--column").items()
        }
    return kwargs


def add_data_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``data`` (what the project reads from a file) to an ``argparse`` sub-parser
    collection."""
    p = subparsers.add_parser(
        "data",
        help="show what the project reads from a cycling or impedance file",
        description=(
            "Read a measured file as 'assb compare', 'assb fit' and 'assb fit-eis' would, "
            "and report it before any model runs: format and kind (cycling or impedance), "
            "the columns used with their units, the current sign convention and the evidence "
            "for it, glitches, per-cycle and total charge and discharge capacity (mAh, from "
            "the current integrated over time, checked against the file's own columns), or "
            "for impedance files each sweep's points and frequency range (docs/data.md)."
        ),
    )
    p.add_argument("file", help="cycling file (CSV, xlsx, .mpt, .mpr...) or impedance spectrum")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.add_argument("--sweep", type=int, help="impedance files: report only sweep N (from 1)")
    g = p.add_argument_group("reading a cycling file (see docs/data.md)")
    g.add_argument("--current-sign", choices=["charge-positive", "discharge-positive"])
    g.add_argument("--current-unit")
    g.add_argument("--time-unit")
    g.add_argument("--voltage-unit")
    g.add_argument("--capacity-unit")
    g.add_argument(
        "--column", action="append", help="QUANTITY=HEADER, e.g. current='I (mA)' (repeatable)"
    )
    p.set_defaults(func=run_data_cli)
    return p


def run_data_cli(args) -> int:
    """Run ``assb data`` from parsed arguments; returns the exit code (errors: one line,
    exit code 2 for an unreadable file, through the main command's handler)."""
    from assb_model.data.describe import describe_file, format_description, json_ready

    description = describe_file(args.file, sweep=args.sweep, **load_kwargs(args))
    if args.json:
        print(json.dumps(json_ready(description), indent=1, ensure_ascii=False))
    else:
        print(format_description(description))
    return 0
