"""Development check: read every real instrument file of a folder as ``assb data`` does.

    python benchmarks/check_realdata.py ../shared/realdata [--broken] [--starts]

Not a test (the files are third-party and some are GPL-licensed, so they are not shipped).
For every file it prints the format, the kind and either what was read — cycling: total
charge and discharge [mAh] next to an independent integration of the current over time
from the EC-Lab text export (``X.mpt`` for both ``X.mpt`` and ``X.mpr``); impedance: sweeps,
points and frequency range — or the one-line refusal. ``--broken`` also feeds damaged copies
of every file (empty, cut at several places, a byte flipped, NaN / inf / a 100x spike in a
data line, UTF-16 re-encoding, binary garbage) and counts how each ended: read, refused with
one line, or an unexpected exception (which would be a traceback in the CLI). ``--starts``
compares the circuit fitter's adaptive starts with 4 and 30 fixed starts on the first sweep
of every spectrum (``paper-fig5``/``paper-fig7``, with and without ``L_wire``; about 10 min).

The independent integration reads the ``.mpt`` with pandas (not with the project's loader)
and sums ``I_k (t_k - t_(k-1))`` over rows of each sign: EC-Lab's ``<I>`` is the mean
current of the interval ending at a row and its own ``dq`` column equals ``<I> Δt``.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
import traceback
from pathlib import Path

import numpy as np
import pandas as pd

from assb_model.data.describe import describe_file
from assb_model.data.errors import CyclingDataError
from assb_model.ecm.io import SpectrumFileError

EXPECTED = (CyclingDataError, SpectrumFileError)


def independent_totals(mpt: Path) -> tuple[float, float] | None:
    """``(charge, discharge)`` [mAh] of an EC-Lab text export, or ``None`` without a current."""
    raw = mpt.read_bytes().decode("latin-1")
    lines = raw.splitlines()
    match = re.search(r"(\d+)", lines[1]) if len(lines) > 1 else None
    if not match:
        return None
    start = int(match.group(1)) - 1
    table = "\n".join(lines[start:])
    header = lines[start].split("\t")
    first = lines[start + 1].split("\t") if len(lines) > start + 1 else []
    if first and "," in first[0] + (first[-1] if first else "") and "." not in first[-1]:
        table = table.replace(",", ".")  # decimal commas (tab-delimited export)
    frame = pd.read_csv(io.StringIO(table), sep="\t", index_col=False)
    column = next((c for c in ("I/mA", "<I>/mA") if c in header), None)
    if column is None or "freq/Hz" in header:
        return None
    current = frame[column].to_numpy(float)
    dt = np.diff(frame["time/s"].to_numpy(float))
    q = current[1:] * dt / 3600.0  # mA s -> mAh, interval-mean rule
    # EC-Lab is charge-positive: positive current charges
    return float(q[q > 0].sum()), float(-q[q < 0].sum())


def describe(path: Path) -> tuple[str, dict | None, str]:
    """``(status, description, message)`` with status ``read``, ``refused`` or ``TRACEBACK``."""
    try:
        return "read", describe_file(path), ""
    except EXPECTED as exc:
        message = str(exc)
        lines = message.splitlines()
        return ("refused" if len(lines) == 1 else "MULTI-LINE"), None, message
    except Exception as exc:  # counting what would be a traceback in the CLI
        return "TRACEBACK", None, "".join(traceback.format_exception_only(exc)).strip()


def table(folder: Path) -> list[str]:
    rows = [
        "| file | format | kind | read: charge / discharge [mAh] or sweeps | independent "
        "(.mpt, ∫I dt) | difference |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "LICENSE"):
        if path.name.endswith(".md"):
            continue
        status, desc, message = describe(path)
        name = str(path.relative_to(folder))
        if desc is None:
            reason = message.split(": ", 1)[1] if ": " in message else message
            rows.append(f"| {name} | – | – | {status}: {reason[:160]} | – | – |")
            continue
        if desc["kind"] == "impedance":
            sweeps = desc["spectra"]
            points = sorted({s["points"] for s in sweeps})
            f_lo = min(s["frequency_min_Hz"] for s in sweeps)
            f_hi = max(s["frequency_max_Hz"] for s in sweeps)
            what = (
                f"{len(sweeps)} sweep{'s' if len(sweeps) > 1 else ''} × "
                f"{'/'.join(map(str, points))} points, {f_lo:.4g}–{f_hi:.4g} Hz"
            )
            rows.append(f"| {name} | {desc['format']} | impedance | {what} | – | – |")
            continue
        charge, discharge = desc["total_charge_mAh"], desc["total_discharge_mAh"]
        what = f"{charge:.5g} / {discharge:.5g}"
        mpt = path.with_suffix(".mpt")
        truth = independent_totals(mpt) if mpt.exists() else None
        if truth is None:
            rows.append(f"| {name} | {desc['format']} | cycling | {what} | – | – |")
            continue
        scale = max(sum(truth), 1e-300)
        diff = max(abs(charge - truth[0]), abs(discharge - truth[1])) / scale
        rows.append(
            f"| {name} | {desc['format']} | cycling | {what} | {truth[0]:.5g} / "
            f"{truth[1]:.5g} | {100 * diff:.2g} % |"
        )
    return rows


def broken_copies(path: Path) -> list[tuple[str, bytes]]:
    raw = path.read_bytes()
    out = [("empty", b""), ("garbage", bytes(range(256)) * 8)]
    for fraction in (0.3, 0.7, 0.97):
        out.append((f"cut at {fraction:.0%}", raw[: int(len(raw) * fraction)]))
    out.append(("cut 7 bytes early", raw[:-7]))
    if len(raw) > 100:
        flipped = bytearray(raw)
        flipped[len(raw) * 2 // 3] ^= 0x5A
        out.append(("byte flipped", bytes(flipped)))
    if path.suffix.lower() != ".mpr":
        text = raw.decode("latin-1")
        out.append(("UTF-16", text.encode("utf-16")))
        lines = text.split("\n")
        k = len(lines) * 3 // 4
        for label, token in (("NaN", "NaN"), ("inf", "inf"), ("spike", None)):
            damaged = list(lines)
            cells = re.split(r"(\t|,)", damaged[k])
            numeric = [i for i, c in enumerate(cells) if re.fullmatch(r"-?[\d.]+(E[-+]\d+)?", c)]
            if len(numeric) < 2:
                continue
            i = numeric[1]
            cells[i] = token if token else f"{100 * float(cells[i]) + 1:.7E}"
            damaged[k] = "".join(cells)
            out.append((label, "\n".join(damaged).encode("latin-1")))
    return out


def broken(folder: Path) -> list[str]:
    counts = {"read": 0, "refused": 0, "TRACEBACK": 0, "MULTI-LINE": 0}
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.name == "LICENSE" or path.suffix == ".md":
                continue
            for label, content in broken_copies(path):
                copy = Path(tmp) / path.name
                copy.write_bytes(content)
                status, _, message = describe(copy)
                counts[status] += 1
                if status in ("TRACEBACK", "MULTI-LINE"):
                    problems.append(f"{path.name} ({label}): {message}")
    lines = [f"broken copies: {sum(counts.values())}; " + ", ".join(
        f"{k}: {v}" for k, v in counts.items())]  # fmt: skip
    return lines + problems


def starts(folder: Path) -> list[str]:
    import time

    from assb_model.cli.fit_eis import _circuit
    from assb_model.ecm.fitting import fit_circuit
    from assb_model.ecm.io import read_spectra

    out, cases, misses, times, used = [], 0, {"auto": 0, "4": 0}, [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "ABORT" in path.name or path.name.endswith("_2.z"):
            continue  # duplicates of other files
        try:
            spectrum = read_spectra(path)[0]
        except EXPECTED:
            continue
        for name in ("paper-fig5", "paper-fig7"):
            for inductance in (False, True):
                circuit = _circuit(name, inductance)
                f, Z = spectrum
                t0 = time.perf_counter()
                auto = fit_circuit(circuit, f, Z)
                times.append(time.perf_counter() - t0)
                used.append(auto.n_starts)
                four = fit_circuit(circuit, f, Z, n_starts=4)
                thirty = fit_circuit(circuit, f, Z, n_starts=30)
                best = min(auto.gof, four.gof, thirty.gof)
                cases += 1
                flags = []
                for label, result in (("auto", auto), ("4", four)):
                    if result.gof > best * (1 + 1e-3):
                        misses[label] += 1
                        flags.append(f"{label} +{100 * (result.gof / best - 1):.2g} %")
                out.append(
                    f"{path.name} {name}{'+L' if inductance else ''}: auto {auto.n_starts} "
                    f"starts, GOF {auto.gof:.4e}; 4: {four.gof:.4e}; 30: {thirty.gof:.4e} "
                    + " ".join(flags)
                )
    out.append(
        f"{cases} fits: above the lowest minimum found: auto {misses['auto']}, 4 starts "
        f"{misses['4']}; auto: {np.mean(used):.1f} starts on average, median "
        f"{np.median(times):.2g} s per fit (max {max(times):.2g} s)"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--broken", action="store_true", help="also try damaged copies")
    parser.add_argument("--starts", action="store_true", help="also compare fit starts")
    args = parser.parse_args(argv)
    import warnings

    warnings.simplefilter("ignore")  # the table reports what matters
    print("\n".join(table(args.folder)))
    if args.broken:
        print()
        print("\n".join(broken(args.folder)))
    if args.starts:
        print()
        print("\n".join(starts(args.folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
