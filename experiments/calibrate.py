"""Calibrate the constants the paper cannot give directly, against a stated subset of its
data, and write them to ``parameter_sets/calibrated.json``.

Calibrated (6 constants shared by all five parameter sets, distinguished only by
process where the physics distinguishes it):

=================================  ==================  =====================================
constant                           applies to          data it is fitted to
=================================  ==================  =====================================
SE process contact factor          simple mixture      initial capacity, SM coated (60 mAh/g)
SE process contact factor          solution process    initial capacity, SP 80Li2S·20P2S5
                                                       coated (80 mAh/g) and Li6PS5Cl (140)
NMC-SE contact number              solution process    (same two capacities)
SE oxidation rate constant [A.m-2] all                 Table 3 B2: R_SE/Cat(n)/R_SE/Cat(2),
Interphase passivation thickness   all                 n = 10, 29, 130 (shape and size of
                                                       the growth)
Contact loss coefficient           all                 Figure 6b: 80 mAh/g after 130 cycles
=================================  ==================  =====================================

Left for validation (never used here): the uncoated cells' capacities (SM ~60, SP 100
mAh/g), total resistances (~1200 / ~600 / ~400 Ohm), the absolute R_SE/Cat values, the
coulombic efficiency after 130 cycles (95 %), and the Figure 8 charge-end-voltage series
(withheld from the project's copy of the paper: a blind prediction).

Not calibrated, because no available data constrains them: the SE-oxidation voltage
sensitivity ("SE oxidation transfer coefficient"), the coating's electron-blocking
length, the interphase conductivity and passivation thickness, the simple-mixture contact
number. They stay "assumed" (see their sources in parameter_sets/common.json). The
passivation thickness is calibrated because with its assumed value (1 nm) the growth
saturates too early: the best fit of the other two constants left -15 % in
R_SE/Cat(130)/R_SE/Cat(2) and -10 % in the 130-cycle capacity.

Method: two stages of ``scipy.optimize.least_squares`` in log-parameter space. Stage 1
fits the three microstructure constants to the three initial capacities (first cycle,
0.13 mA/cm2, 2.0-3.8 V vs Li-In); stage 2 fits the three degradation constants to the
130-cycle protocol of Figure 6 (``assb_model.protocols.FIGURE6_SCHEDULE``) with stage 1's
values fixed. Residuals are relative errors.

Run:
    python experiments/calibrate.py            # calibrate and write calibrated.json
    python experiments/calibrate.py --check    # re-run and check the stored values
"""

import argparse
import datetime
import json
import sys
import time
from pathlib import Path

import numpy as np
import pybamm
from scipy.optimize import least_squares

import assb_model
from assb_model.parameters import sets
from assb_model.protocols import FIGURE6_SCHEDULE, ScheduleSimulation

OUT = Path(__file__).resolve().parents[1] / "parameter_sets" / "calibrated.json"
SCRIPT = "experiments/calibrate.py"

FACTOR = "SE process contact factor"
CONTACTS = "NMC-SE contact number"
K_OX = "SE oxidation rate constant [A.m-2]"
K_CL = "Contact loss coefficient"
L_PASS = "Interphase passivation thickness [m]"

#: Stage-1 targets: (parameter set, measured initial discharge capacity [mAh/g], source)
CAPACITY_TARGETS = [
    ("giraldo2021_sm_lps80_coated", 60.0, "section 2: simple-mixture average, Figure 4a"),
    ("giraldo2021_sp_lps80_coated", 80.0, "section 2: solution-process average, Figure 4b"),
    ("giraldo2021_sp_lpscl_coated", 140.0, "section 2: Figure 6a"),
]
#: Stage-2 targets: Table 3 batch B2, R_SE/Cat at cycles 2, 10, 29, 130 [Ohm]
RSECAT_B2 = {2: 150.2, 10: 214.9, 29: 252.6, 130: 379.0}
CAPACITY_130 = 80.0  # mAh/g after 130 cycles, section 2 (Figure 6b)


def _first_cycle_capacity(name: str, overrides: dict) -> float:
    table = sets.build_parameter_table(name, overrides)
    pv = pybamm.ParameterValues(table.values_dict())
    res = assb_model.simulate(pv)
    return float(res.cycles["discharge_capacity_mAh_per_g"].iloc[0])


def stage1(log: bool = True):
    """Fit process contact factors and the solution-process contact number."""
    x0 = np.log([0.1, 10.0, 3.0])  # assumed values in the set files

    def overrides(x, process):
        f_sm, f_sp, n_sp = np.exp(x)
        if process == "simple mixture":
            return {FACTOR: f_sm}
        return {FACTOR: f_sp, CONTACTS: n_sp}

    def residuals(x):
        r = []
        for name, target, _ in CAPACITY_TARGETS:
            process = sets.cell_definition(name)["process"]
            try:
                q = _first_cycle_capacity(name, overrides(x, process))
            except assb_model.SimulationError:
                q = 0.0
            r.append((q - target) / target)
        if log:
            print(f"  stage 1: x = {np.round(np.exp(x), 4)}  rel. residuals {np.round(r, 4)}")
        return np.array(r)

    bounds = (np.log([1e-3, 1e-1, 0.2]), np.log([1e2, 1e4, 20.0]))
    sol = least_squares(residuals, x0, bounds=bounds, diff_step=1e-3, xtol=1e-4, ftol=1e-6)
    f_sm, f_sp, n_sp = np.exp(sol.x)
    return {"f_sm": f_sm, "f_sp": f_sp, "n_sp": n_sp, "residuals": sol.fun.tolist()}


def stage2(stage1_values: dict, log: bool = True):
    """Fit the SE-oxidation rate and contact-loss coefficient to the 130-cycle data."""
    name = "giraldo2021_sp_lpscl_coated"
    overrides = {FACTOR: stage1_values["f_sp"], CONTACTS: stage1_values["n_sp"]}
    pv = pybamm.ParameterValues(sets.build_parameter_table(name, overrides).values_dict())
    sim = ScheduleSimulation(pv, FIGURE6_SCHEDULE, input_parameters=[K_OX, K_CL, L_PASS])
    x0 = np.log([pv[K_OX], pv[K_CL], pv[L_PASS]])

    def residuals(x):
        k_ox, k_cl, l_pass = np.exp(x)
        try:
            res = sim.run(allow_incomplete=True, **{K_OX: k_ox, K_CL: k_cl, L_PASS: l_pass})
            c = res.cycles.set_index("cycle")
            r2 = c.loc[2, "R_SE_Cat_after_charge_ohm"]
            r = [
                (c.loc[n, "R_SE_Cat_after_charge_ohm"] / r2) / (RSECAT_B2[n] / RSECAT_B2[2]) - 1
                for n in (10, 29, 130)
            ]
            r.append((c.loc[130, "discharge_capacity_mAh_per_g"] - CAPACITY_130) / CAPACITY_130)
        except (assb_model.SimulationError, KeyError):
            r = [1.0, 1.0, 1.0, -1.0]
        if log:
            print(
                f"  stage 2: k_ox = {k_ox:.4g}, k_cl = {k_cl:.4g}, L_pass = {l_pass:.4g}  "
                f"rel. residuals {np.round(r, 4)}"
            )
        return np.array(r)

    bounds = (np.log([1e-14, 1e-5, 1e-11]), np.log([1e-7, 1e-1, 1e-6]))
    # each evaluation is a 130-cycle run (~5-10 s): stop at 0.1 % changes, at most 40 runs
    sol = least_squares(
        residuals, x0, bounds=bounds, diff_step=1e-3, xtol=1e-3, ftol=1e-3, max_nfev=40
    )
    k_ox, k_cl, l_pass = np.exp(sol.x)
    return {"k_ox": k_ox, "k_cl": k_cl, "l_pass": l_pass, "residuals": sol.fun.tolist()}


def constants_from(s1: dict, s2: dict) -> list[dict]:
    src = f"calibrated by {SCRIPT} against"
    return [
        {
            "name": FACTOR,
            "process": "simple mixture",
            "value": s1["f_sm"],
            "unit": "-",
            "source": f"{src} the simple-mixture coated initial capacity (60 mAh/g)",
        },
        {
            "name": FACTOR,
            "process": "solution process",
            "value": s1["f_sp"],
            "unit": "-",
            "source": f"{src} the solution-process initial capacities (80 and 140 mAh/g)",
        },
        {
            "name": CONTACTS,
            "process": "solution process",
            "value": s1["n_sp"],
            "unit": "-",
            "source": f"{src} the solution-process initial capacities (80 and 140 mAh/g)",
        },
        {
            "name": K_OX,
            "process": None,
            "value": s2["k_ox"],
            "unit": "A.m-2",
            "source": f"{src} Table 3 B2 R_SE/Cat growth (cycles 2, 10, 29, 130)",
        },
        {
            "name": L_PASS,
            "process": None,
            "value": s2["l_pass"],
            "unit": "m",
            "source": f"{src} Table 3 B2 R_SE/Cat growth (cycles 2, 10, 29, 130)",
        },
        {
            "name": K_CL,
            "process": None,
            "value": s2["k_cl"],
            "unit": "-",
            "source": f"{src} Figure 6b (80 mAh/g after 130 cycles)",
        },
    ]


def calibrate(log: bool = True) -> dict:
    """Run both stages from the assumed starting values; return the calibration record."""
    # start from the assumed values, never from a previous calibration
    saved = OUT.read_text() if OUT.exists() else None
    OUT.unlink(missing_ok=True)
    sets._json.cache_clear()
    try:
        t0 = time.perf_counter()
        s1 = stage1(log)
        s2 = stage2(s1, log)
        elapsed = time.perf_counter() - t0
    finally:
        if saved is not None:
            OUT.write_text(saved)
        sets._json.cache_clear()
    return {
        "script": SCRIPT,
        "date": datetime.date.today().isoformat(),
        "pybamm_version": pybamm.__version__,
        "elapsed_s": round(elapsed, 1),
        "data_used": {
            "initial_capacity_mAh_per_g": {n: q for n, q, _ in CAPACITY_TARGETS},
            "table3_B2_R_SECat_ohm": RSECAT_B2,
            "capacity_after_130_cycles_mAh_per_g": CAPACITY_130,
            "schedule_figure6": [s.__dict__ for s in FIGURE6_SCHEDULE],
        },
        "left_for_validation": [
            "uncoated initial capacities (SM ~60, SP 100 mAh/g)",
            "total resistances ~1200 / ~600 / ~400 Ohm and per-arc resistances",
            "absolute R_SE/Cat values (Tables 2, 3)",
            "coulombic efficiency after 130 cycles (95 %)",
            "Figure 8 charge-end-voltage series (blind)",
        ],
        "stage1_relative_residuals": s1["residuals"],
        "stage2_relative_residuals": s2["residuals"],
        "constants": constants_from(s1, s2),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="re-run and compare with the file")
    parser.add_argument("--rtol", type=float, default=0.02, help="tolerance for --check")
    args = parser.parse_args(argv)
    record = calibrate()
    if args.check:
        stored = json.loads(OUT.read_text())["constants"]
        ok = True
        for new, old in zip(record["constants"], stored, strict=True):
            rel = abs(new["value"] - old["value"]) / abs(old["value"])
            flag = "ok" if rel <= args.rtol else "MISMATCH"
            ok &= rel <= args.rtol
            print(
                f"{flag:8s} {new['name']} ({new['process']}): stored {old['value']:.5g}, "
                f"re-run {new['value']:.5g} ({100 * rel:.2f} %)"
            )
        return 0 if ok else 1
    OUT.write_text(json.dumps(record, indent=1) + "\n")
    for c in record["constants"]:
        print(f"{c['name']} ({c['process'] or 'all'}): {c['value']:.5g} {c['unit']}")
    print(f"wrote {OUT} ({record['elapsed_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
