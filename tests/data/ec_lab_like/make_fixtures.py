"""Write the EC-Lab-like text fixtures of this folder (run from the repository root).

    python tests/data/ec_lab_like/make_fixtures.py

Each fixture reproduces one failure mode seen on real instrument files (issue 15) with data
written here, so that the tests need no third-party file. The numbers are exact by
construction (constant currents, whole-second records), so the expected capacities below
are analytic:

* ``gcpl_clean.mpt``: GCPL, 2 cycles of 68 µA charge (3600 s) / rest / discharge (3000 s) /
  rest, records every 60 s; charge 0.068 mAh and discharge 0.0566667 mAh per cycle.
* ``gcpl_spike.mpt``: the same with one 100 mA reading in ``<I>/mA`` (a glitch).
* ``gcpl_1e300.mpt``: the same with one ``1E+300`` reading.
* ``gcpl_truncated.mpt``: the same, ending during the last discharge inside the last number
  of the last line (``-6.8000000E-002`` cut to ``-6.8``).
* ``gcpl_no_current.mpt``: the column set galvani gives for GCPL ``.mpr`` files: only the
  set point ``control/V/mA``, plus ``dq/mA.h`` and ``(Q-Qo)/mA.h``.
* ``mb_counter_lag.mpt``: modulo-bat columns of an ``.mpr`` file, whose
  ``Q charge/discharge/mA.h`` resets one row *after* the step change.
* ``cp_three_electrode.mpt``: a chronopotentiometry discharge at -100 mA in which ``<Ewe>/V``
  falls but ``Ewe-Ece/V`` rises (the counter electrode polarises more).
* ``peis_three_sweeps.mpt``: three PEIS sweeps (``cycle number`` 1-3) of R0 + R1‖C1.
* ``cycling_utf16.csv``, ``spectrum_utf16.csv``: UTF-16 text (Windows "Unicode").
* ``spectrum_truncated.csv``: a spectrum whose last value ``-4.612345e-03`` is cut to ``-4.6``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
CURRENT_MA = 0.068
STEPS = [("rest", 600), ("charge", 3600), ("rest", 600), ("discharge", 3000), ("rest", 600)]
N_CYCLES = 2


def e15(x: float) -> str:
    """EC-Lab's long format, e.g. ``3.015299923827115E+001``."""
    mantissa, exponent = f"{x:.15E}".split("E")
    return f"{mantissa}E{int(exponent):+04d}"


def e7(x: float) -> str:
    """EC-Lab's short format, e.g. ``3.4228721E+000``."""
    mantissa, exponent = f"{x:.7E}".split("E")
    return f"{mantissa}E{int(exponent):+04d}"


def header(technique: str, columns: list[str]) -> list[str]:
    lines = [
        "EC-Lab ASCII FILE",
        "Nb header lines : {n}",
        "",
        technique,
        "",
        "Run on channel : 1 (SN 0001)",
        "Written by tests/data/ec_lab_like/make_fixtures.py (synthetic data)",
        "",
    ]
    lines.append("\t".join(columns) + "\t")
    lines[1] = lines[1].format(n=len(lines))
    return lines


def gcpl_rows() -> list[dict[str, float]]:
    """Rows of the GCPL protocol (charge-positive file convention)."""
    rows = []
    t, q_net, voltage, ns, half = 0.0, 0.0, 3.40, 0, 0
    counter = 0.0
    for cycle in range(N_CYCLES):
        for kind, duration in STEPS:
            current = {"rest": 0.0, "charge": CURRENT_MA, "discharge": -CURRENT_MA}[kind]
            if kind == "discharge":
                half = 2 * cycle + 1
                counter = 0.0
            elif kind == "charge":
                half = 2 * cycle
                counter = 0.0
            for k in range(int(duration // 60)):
                t += 60.0
                dq = current * 60.0 / 3600.0
                q_net += dq
                counter += dq
                voltage += 0.002 * np.sign(current) if k else 0.01 * np.sign(current)
                rows.append(
                    {
                        "ox/red": 1.0 if current >= 0 else 0.0,
                        "Ns": float(ns),
                        "time/s": t,
                        "control/V/mA": current,
                        "Ewe/V": voltage,
                        "<I>/mA": current,
                        "dq/mA.h": dq,
                        "(Q-Qo)/mA.h": q_net,
                        "Q charge/discharge/mA.h": counter,
                        "half cycle": float(half),
                        "cycle number": float(half // 2),  # as EC-Lab numbers cycles
                    }
                )
            ns += 1
    return rows


GCPL_COLUMNS = [
    "mode",
    "ox/red",
    "Ns",
    "time/s",
    "control/V/mA",
    "Ewe/V",
    "<I>/mA",
    "dq/mA.h",
    "(Q-Qo)/mA.h",
    "Q charge/discharge/mA.h",
    "half cycle",
    "cycle number",
]
LONG = {"time/s", "dq/mA.h", "(Q-Qo)/mA.h", "Q charge/discharge/mA.h", "cycle number"}


def gcpl_line(row: dict[str, float], columns: list[str]) -> str:
    cells = []
    for column in columns:
        if column == "mode":
            cells.append("1")
        elif column in ("ox/red", "Ns", "half cycle"):
            cells.append(str(int(row[column])))
        elif column in LONG:
            cells.append(e15(row[column]))
        else:
            cells.append(e7(row[column]))
    return "\t".join(cells)


def write(name: str, lines: list[str], newline_at_end: bool = False, encoding="latin-1") -> None:
    text = "\n".join(lines) + ("\n" if newline_at_end else "")
    (HERE / name).write_text(text, encoding=encoding, newline="")


def gcpl_files() -> None:
    rows = gcpl_rows()
    body = [gcpl_line(r, GCPL_COLUMNS) for r in rows]
    head = header("Galvanostatic Cycling with Potential Limitation", GCPL_COLUMNS)
    write("gcpl_clean.mpt", head + body)  # EC-Lab exports end without a line break

    spike = list(body)
    k = 25  # inside the first charge
    cells = spike[k].split("\t")
    cells[GCPL_COLUMNS.index("<I>/mA")] = e7(100.0)
    spike[k] = "\t".join(cells)
    write("gcpl_spike.mpt", head + spike)

    huge = list(body)
    cells = huge[k].split("\t")
    cells[GCPL_COLUMNS.index("<I>/mA")] = "1.0000000E+300"
    huge[k] = "\t".join(cells)
    write("gcpl_1e300.mpt", head + huge)

    # cut off during the last discharge, inside the current (written last here):
    # "-6.8000000E-002" -> "-6.8", a value 100 times too large if it were accepted
    columns = [c for c in GCPL_COLUMNS if c != "<I>/mA"] + ["<I>/mA"]
    cut = [gcpl_line(r, columns) for r in rows[:-10]]
    cut[-1] = cut[-1][: -len("000000E-002")]
    write("gcpl_truncated.mpt", header("Galvanostatic Cycling", columns) + cut)

    columns = [c for c in GCPL_COLUMNS if c not in ("<I>/mA", "cycle number")]
    head = header("Galvanostatic Cycling with Potential Limitation", columns)
    write("gcpl_no_current.mpt", head + [gcpl_line(r, columns) for r in rows])


def mb_counter_lag() -> None:
    """MB rows whose ``Q charge/discharge`` resets one row after each sign change."""
    rows = gcpl_rows()
    counter = np.array([r["Q charge/discharge/mA.h"] for r in rows])
    current = np.array([r["<I>/mA"] for r in rows])
    lagged = counter.copy()
    # EC-Lab MB: on the first row of a new half cycle the counter still continues the old
    # one (adds |dq| of the new row to the old total), and resets on the next row.
    for k in range(1, len(rows)):
        if np.sign(current[k]) != np.sign(current[k - 1]) and current[k] != 0:
            previous = lagged[k - 1]
            lagged[k] = previous + abs(rows[k]["dq/mA.h"]) * np.sign(previous or 1.0)
    columns = ["mode", "ox/red", "Ns", "time/s", "control/mA", "Ewe/V", "I/mA"]
    columns += ["Q charge/discharge/mA.h", "half cycle"]
    lines = []
    for row, q in zip(rows, lagged, strict=True):
        row = {**row, "control/mA": row["<I>/mA"], "I/mA": row["<I>/mA"]}
        row["Q charge/discharge/mA.h"] = q
        lines.append(gcpl_line(row, columns))
    write("mb_counter_lag.mpt", header("Modulo Bat", columns) + lines)


def cp_three_electrode() -> None:
    columns = ["mode", "ox/red", "Ns", "time/s", "control/mA", "<Ewe>/V", "I/mA", "<Ece>/V"]
    columns += ["Q discharge/mA.h", "Q charge/mA.h", "cycle number", "Ewe-Ece/V"]
    lines = []
    q = 0.0
    for k in range(121):
        t = 300.0 + k
        current = -100.0
        if k:
            q += 100.0 / 3600.0
        ewe = -3.25 - 0.003 * k
        ece = 5.40 - 0.0037 * k
        row = {
            "ox/red": 0.0,
            "Ns": 0.0,
            "time/s": t,
            "control/mA": current,
            "<Ewe>/V": ewe,
            "I/mA": current,
            "<Ece>/V": ece,
            "Q discharge/mA.h": q,
            "Q charge/mA.h": 0.0,
            "cycle number": 0.0,
            "Ewe-Ece/V": ewe - ece,
        }
        lines.append(gcpl_line(row, columns))
    write("cp_three_electrode.mpt", header("Chronopotentiometry", columns) + lines)


def peis_three_sweeps() -> None:
    columns = ["freq/Hz", "Re(Z)/Ohm", "-Im(Z)/Ohm", "|Z|/Ohm", "Phase(Z)/deg", "time/s"]
    columns += ["<Ewe>/V", "<I>/mA", "cycle number"]
    f = np.logspace(np.log10(2e5), 0, 34)
    lines = []
    t = 0.0
    for sweep in (1, 2, 3):
        r1 = 100.0 * (1 + 0.01 * (sweep - 1))
        Z = 12.0 + r1 / (1 + 2j * np.pi * f * r1 * 1e-6)
        for fk, z in zip(f, Z, strict=True):
            t += 1.0 + 2.0 / fk
            cells = [e7(fk), e7(z.real), e7(-z.imag), e7(abs(z)), e7(-np.angle(z, deg=True))]
            cells += [e15(t), e7(3.42), e7(0.0), e15(float(sweep))]
            lines.append("\t".join(cells))
    write("peis_three_sweeps.mpt", header("Potentio Electrochemical Impedance Spectroscopy",
                                          columns) + lines)  # fmt: skip


def utf16_files() -> None:
    rows = ["Time [s],Current [mA],Voltage [V]"]
    for k in range(60):
        current = 1.0 if k < 30 else -1.0
        voltage = 3.5 + 0.01 * k if k < 30 else 3.8 - 0.01 * (k - 30)
        rows.append(f"{60.0 * k},{current},{voltage:.4f}")
    write("cycling_utf16.csv", rows, newline_at_end=True, encoding="utf-16")
    f = np.logspace(5, -1, 25)
    Z = 10 + 100 / (1 + 2j * np.pi * f * 1e-4)
    lines = ["frequency_Hz,Z_real_ohm,Z_imag_ohm"]
    lines += [f"{a:.6e},{z.real:.6e},{z.imag:.6e}" for a, z in zip(f, Z, strict=True)]
    write("spectrum_utf16.csv", lines, newline_at_end=True, encoding="utf-16")
    truncated = list(lines)
    fields = truncated[-1].split(",")
    fields[-1] = "-4.612345e-03"
    truncated[-1] = ",".join(fields)[: -len("12345e-03")]  # ... -> "-4.6"
    write("spectrum_truncated.csv", truncated, encoding="utf-8")


if __name__ == "__main__":
    gcpl_files()
    mb_counter_lag()
    cp_three_electrode()
    peis_three_sweeps()
    utf16_files()
    print("wrote", ", ".join(sorted(p.name for p in HERE.iterdir() if p.suffix != ".py")))
