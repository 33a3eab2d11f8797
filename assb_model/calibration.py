"""Calibrate the constants the paper cannot give directly, against a stated subset of its
data, and write them to ``parameter_sets/calibrated.json``.

Six constants are calibrated; everything else is measured, derived from the set's own table
rows by a documented inversion (:mod:`assb_model.parameters.inversion`,
:mod:`assb_model.parameters.derivations`), taken from the literature, or fixed (and said so).

==============================================  ==================  ============================
constant                                        applies to          calibration data
==============================================  ==================  ============================
NMC-SE contact number                           SM 80Li2S·20P2S5    initial capacity, SM coated
                                                                    (60 mAh/g)
NMC-SE contact number                           SP 80Li2S·20P2S5    initial capacity, SP coated
                                                                    (80 mAh/g)
NMC-SE contact number                           SP Li6PS5Cl         initial capacity (140 mAh/g)
Film electron-blocking length [m]               all                 SP 80Li2S·20P2S5 pair: the
                                                                    coated cell without its
                                                                    coating has the uncoated
                                                                    cell's R_SE/Cat (295.9 Ω)
SE oxidation rate constant [A.m-2]              all                 Table 3 B2 R_SE/Cat(n)/
Contact loss coefficient                        all                 R_SE/Cat(2), n = 10, 29, 130;
                                                                    Figure 6b: 80 mAh/g after
                                                                    130 cycles
==============================================  ==================  ============================

Validation data, never used here (docs/reproduction.md): the simple-mixture pair (the coated
SM cell without its coating against the uncoated SM row, 797 Ω: a prediction), the
uncoated cells' capacities (SM ~60, SP 100 mAh/g), the absolute Table 3 values and the
fitted arcs at cycles 10–130, R_SE,GB and R_SE/An growth, the coulombic efficiencies
(first cycle, after 130 cycles: 95 %), and the Figure 8 charge-end-voltage series (withheld
from the project's copy of the paper: a blind prediction).

Stages, iterated until no constant moves by more than 1 %:

1. **capacity** — for each SE and process, the contact number that gives the coated cell's
   initial discharge capacity (first cycle, 0.13 mA/cm², 2.0–3.8 V vs Li–In; ``brentq``).
2. **interphase** — jointly, the electron-blocking length λ, the SE-oxidation rate constant
   and the contact-loss coefficient (``least_squares`` in log10, residuals scaled by the
   data uncertainty :data:`DATA_SD`) from (a) the SP 80Li2S·20P2S5 pair: the coated cell,
   as a what-if without its coating (its exchange current held), must give the uncoated
   cell's R_SE/Cat at the 2nd charge — the paper's Figure 7e circuit fitted to the model's
   spectrum after the 2nd charge, as in Tables 2 and 3 — and (b) the 130-cycle protocol of
   Figure 6 (Table 3 B2 R_SE/Cat ratios, 80 mAh/g after 130 cycles).

Every trial value is a fact about the measured cells: the per-set inversions (exchange
currents, SE conductivity) are re-run with it (``build_parameter_table(facts=...)``).

Identifiability (:func:`identifiability`): the Jacobian of all eight scaled residuals with
respect to the six constants (log10) at the optimum gives the Laplace approximation of
their posterior — standard deviations in decades, 95 % intervals and correlations — written
to ``calibrated.json`` (``"posterior"``, the input of ``assb uq``), and the same for the
candidate constants that are fixed (oxidation transfer coefficient, interphase
conductivity, molar volume, contact fraction): what their interval would be if they were
calibrated too.

Run:
    assb calibrate            # calibrate and write parameter_sets/calibrated.json (~15 min)
    assb calibrate --check    # re-run and check the stored values
    assb calibrate --quick    # the reduced problem CI runs (the Li6PS5Cl capacity stage)

All data come from the project's copy of the paper (``parameter_sets/paper/``).
"""

import datetime
import json
import time
from pathlib import Path

import numpy as np
import pybamm
from scipy.optimize import brentq, least_squares

import assb_model
from assb_model.errors import AssbError, SimulationError
from assb_model.model_eis.fidelity import fit_model_spectrum
from assb_model.model_eis.spectrum import impedance_after_cycles
from assb_model.parameters import catalog, paper, sets
from assb_model.parameters.cells import paper_cell
from assb_model.simulation import FIGURE6_SCHEDULE, ScheduleSimulation

SCRIPT = "assb calibrate (assb_model/calibration.py)"

CONTACTS = "NMC-SE contact number"
K_OX = "SE oxidation rate constant [A.m-2]"
K_CL = "Contact loss coefficient"
LAMBDA = "Film electron-blocking length [m]"
COATING = "Coating thickness [m]"
J0 = "Positive electrode reference exchange-current density [A.m-2]"
SIGMA = "Electrolyte conductivity [S.m-1]"
J0_LI = "Exchange-current density for lithium metal electrode [A.m-2]"
LPSCL = "giraldo2021_sp_lpscl_coated"
SP_PAIR = ("giraldo2021_sp_lps80_coated", "giraldo2021_sp_lps80_uncoated")
SM_PAIR = ("giraldo2021_sm_lps80_coated", "giraldo2021_sm_lps80_uncoated")

#: Fixed constants whose identifiability is reported next to the calibrated ones.
CANDIDATES = (
    "SE oxidation transfer coefficient",
    "Interphase ionic conductivity [S.m-1]",
    "Interphase molar volume [m3.mol-1]",
    "Initial positive electrode interface utilisation",
)

_SOURCES = {
    "giraldo2021_sm_lps80_coated": "section 2: simple-mixture average, Figure 4a",
    "giraldo2021_sp_lps80_coated": "section 2: solution-process average, Figure 4b",
    LPSCL: "section 2: Figure 6a",
}


def _initial_capacity(name: str) -> float:
    """The set's measured initial discharge capacity [mAh/g] (its definition, section 2)."""
    return float(catalog.cell_definition(name)["initial_capacity_mAh_per_g"])


#: Capacity targets: (sets sharing the contact number, the set whose measured initial
#: discharge capacity [mAh/g] is fitted, that capacity, source)
CAPACITY_TARGETS = [
    (pair, pair[0], _initial_capacity(pair[0]), _SOURCES[pair[0]]) for pair in (SM_PAIR, SP_PAIR)
] + [((LPSCL,), LPSCL, _initial_capacity(LPSCL), _SOURCES[LPSCL])]
TABLE3_CHARGES = (2, 10, 29, 130)
#: Table 3 batch B2, R_SE/Cat at charges 2, 10, 29, 130 [Ohm]
RSECAT_B2 = paper.table3_series("R_SECat_ohm", "B2", TABLE3_CHARGES)
#: mAh/g after 130 cycles, section 2 (Figure 6b)
CAPACITY_130 = float(paper.section3_facts()["facts"]["LPSCl_capacity_after_130_cycles"]["value"])


def _uncoated_row(name: str) -> float:
    imp = catalog.cell_definition(name)["impedance"]
    rows = paper.impedance_rows(imp["table"], imp["rows"], imp.get("process"))
    return float(rows["R_SECat_ohm"].mean())


#: R_SE/Cat of the uncoated rows [Ohm] (Table 2): SP calibrates λ, SM validates it.
UNCOATED_RSECAT = {SP_PAIR[0]: _uncoated_row(SP_PAIR[1]), SM_PAIR[0]: _uncoated_row(SM_PAIR[1])}

#: One standard deviation of each calibration datum (weights of the least squares and of
#: the Laplace approximation): capacities read from Figures 4 and 6 ("~60", "80 average")
#: ±5 mAh/g; R_SE/Cat ratios between charges ±5 % (two fitted arcs of one cell); the
#: coated/uncoated R_SE/Cat pair ±15 % (different cells: the coated SM batches of Table 2
#: spread by a factor 1.6, the SP ones by 2 %).
DATA_SD = {"capacity": 5.0, "ratio": 0.05, "pair": 0.15, "capacity_130": 5.0}

#: Where the calibration starts: each evaluation of the interphase stage is a 130-cycle run
#: and an impedance fit, so it starts near the optimum of an earlier run of this module
#: (2026-12-05, from the assumed values λ = 3 nm, k_ox = 2.5e-11 A/m², k_cl = 2e-3 and the
#: contact numbers 0.75 / 1.07 / 3.0), rounded; the result does not depend on them beyond
#: the stopping tolerance.
START = {
    ("contacts", SM_PAIR): 0.75,
    ("contacts", SP_PAIR): 1.06,
    ("contacts", (LPSCL,)): 2.83,
    LAMBDA: 2.2e-9,
    K_OX: 5.8e-11,
    K_CL: 2.6e-3,
}


def _contacts(constants: dict, name: str) -> float:
    for group, *_ in CAPACITY_TARGETS:
        if name in group:
            return constants[("contacts", group)]
    raise KeyError(name)


def facts_for(name: str, constants: dict) -> dict:
    """The calibrated constants as PyBaMM values for one set."""
    return {
        CONTACTS: _contacts(constants, name),
        LAMBDA: constants[LAMBDA],
        K_OX: constants[K_OX],
        K_CL: constants[K_CL],
        **constants.get("fixed", {}),
    }


def trial_values(name: str, constants: dict, whatif: dict | None = None) -> pybamm.ParameterValues:
    """The set with trial constants as facts (inferences re-run), then ``whatif``."""
    table = sets.build_parameter_table(
        name, whatif, facts=facts_for(name, constants), calibrated=False
    )
    return pybamm.ParameterValues(table.values_dict())


# --- the model outputs the calibration compares with data ---------------------------------
def first_discharge(name: str, constants: dict) -> float:
    """First-cycle discharge capacity [mAh/g] (0.13 mA/cm², 2.0–3.8 V vs Li–In); 0 if the
    cell cannot complete the cycle."""
    try:
        res = assb_model.simulate(trial_values(name, constants))
        return float(res.cycles["discharge_capacity_mAh_per_g"].iloc[0])
    except (SimulationError, IndexError):
        return 0.0


def fitted_cathode_arc(name: str, constants: dict, whatif: dict | None = None) -> float:
    """R_SE/Cat [Ohm] of the paper's circuit fitted to the model's spectrum after the 2nd
    charge (Figure 6 protocol, 600 s rest), as in Tables 2 and 3."""
    pv = trial_values(name, constants, whatif)
    (res,) = impedance_after_cycles(pv, (2,))
    return {a.name: a.R_ohm for a in fit_model_spectrum(res).arcs()}["SECat"]


def figure6(constants: dict, sim: ScheduleSimulation | None = None) -> dict:
    """The Li6PS5Cl cell on the Figure 6 protocol: R_SE/Cat after charges 2, 10, 29, 130
    (the model's lumped resistance), capacities and coulombic efficiencies."""
    table = sets.build_parameter_table(LPSCL, facts=facts_for(LPSCL, constants), calibrated=False)
    if sim is None:
        sim = degradation_simulation(constants)
    inputs = {k: table[k] for k in DEGRADATION_INPUTS}
    res = sim.run(allow_incomplete=True, **inputs)
    c = res.cycles.set_index("cycle")
    out = {"n_cycles": len(c)}
    if len(c) < 130:
        return out
    for n in TABLE3_CHARGES:
        out[f"R{n}"] = float(c.loc[n, "R_SE_Cat_after_charge_ohm"])
    for n in (1, 2, 10, 29, 130):
        out[f"Q{n}"] = float(c.loc[n, "discharge_capacity_mAh_per_g"])
        out[f"CE{n}"] = float(c.loc[n, "coulombic_efficiency"])
    return out


#: What the interphase and degradation constants change in the Li6PS5Cl set (inputs of
#: one build).
DEGRADATION_INPUTS = (K_OX, K_CL, LAMBDA, J0, SIGMA, J0_LI)


def degradation_simulation(constants: dict) -> ScheduleSimulation:
    """The Figure 6 protocol built once for the Li6PS5Cl set at ``constants``'s contact
    number and λ, with :data:`DEGRADATION_INPUTS` as inputs."""
    pv = trial_values(LPSCL, constants)
    return ScheduleSimulation(pv, FIGURE6_SCHEDULE, input_parameters=DEGRADATION_INPUTS)


# --- residuals ----------------------------------------------------------------------------
def capacity_residuals(constants: dict) -> list[float]:
    return [
        (first_discharge(name, constants) - q) / DATA_SD["capacity"]
        for _, name, q, _ in CAPACITY_TARGETS
    ]


def pair_residual(constants: dict, coated: str = SP_PAIR[0]) -> float:
    r = fitted_cathode_arc(coated, constants, {COATING: 0.0})
    return np.log(r / UNCOATED_RSECAT[coated]) / DATA_SD["pair"]


def degradation_residuals(f6: dict) -> list[float]:
    if f6["n_cycles"] < 130:
        return [5.0, 5.0, 5.0, -5.0]
    r = [
        np.log((f6[f"R{n}"] / f6["R2"]) / (RSECAT_B2[n] / RSECAT_B2[2])) / DATA_SD["ratio"]
        for n in (10, 29, 130)
    ]
    r.append((f6["Q130"] - CAPACITY_130) / DATA_SD["capacity_130"])
    return r


RESIDUAL_NAMES = [
    *(f"initial capacity {name}" for _, name, _, _ in CAPACITY_TARGETS),
    "R_SE/Cat SP coated without coating vs uncoated",
    "R_SE/Cat(10)/R_SE/Cat(2)",
    "R_SE/Cat(29)/R_SE/Cat(2)",
    "R_SE/Cat(130)/R_SE/Cat(2)",
    "capacity after 130 cycles",
]


def all_residuals(constants: dict) -> np.ndarray:
    """The eight scaled residuals (:data:`RESIDUAL_NAMES`)."""
    return np.array(
        [
            *capacity_residuals(constants),
            pair_residual(constants),
            *degradation_residuals(figure6(constants)),
        ]
    )


# --- stages -------------------------------------------------------------------------------
def stage_capacity(constants: dict, log: bool = True) -> dict:
    """Contact number per SE/process from the initial capacity (1-D root finding)."""
    out = dict(constants)
    for group, name, target, _ in CAPACITY_TARGETS:

        def residual(log_n, name=name, target=target, group=group):
            trial = {**out, ("contacts", group): float(np.exp(log_n))}
            q = first_discharge(name, trial)
            if log:
                print(f"  capacity {name}: N_c = {np.exp(log_n):.4g} -> {q:.2f} mAh/g")
            return q - target

        log_n = brentq(residual, *_bracket(residual, np.log(out[("contacts", group)])), xtol=1e-4)
        out[("contacts", group)] = float(np.exp(log_n))
    return out


def _bracket(f, x0: float, step: float = 0.5, tries: int = 8) -> tuple[float, float]:
    """An interval around ``x0`` where ``f`` changes sign (widened step by step: far from
    the data the set's inversions can fail, so the search stays near the start)."""
    lo, hi = x0 - step, x0 + step
    f_lo, f_hi = f(lo), f(hi)
    for _ in range(tries):
        if f_lo * f_hi < 0:
            return lo, hi
        if abs(f_lo) < abs(f_hi):
            lo -= step
            f_lo = f(lo)
        else:
            hi += step
            f_hi = f(hi)
    raise SimulationError(f"calibration: no sign change of the residual between {lo} and {hi}")


def stage_interphase(constants: dict, log: bool = True) -> tuple[dict, np.ndarray]:
    """λ, k_ox and k_cl jointly (least squares in log10): the SP pair and the Figure 6
    protocol. Jointly, because the coated cells' interphase growth depends on
    k_ox·exp(-L_coat/λ), the uncoated cells' on k_ox: the pair fixes their ratio, Table 3
    their product."""
    sim = degradation_simulation(constants)
    names = (LAMBDA, K_OX, K_CL)

    def residuals(x):
        trial = {**constants, **{n: 10**v for n, v in zip(names, x, strict=True)}}
        try:
            r = [pair_residual(trial), *degradation_residuals(figure6(trial, sim))]
        except (SimulationError, AssbError):
            r = [5.0, 5.0, 5.0, 5.0, -5.0]
        if log:
            shown = ", ".join(
                f"{n.split(' [')[0]} {10**v:.4g}" for n, v in zip(names, x, strict=True)
            )
            print(f"  interphase: {shown} -> {np.round(r, 3)}")
        return np.array(r)

    x0 = np.log10([constants[n] for n in names])
    # forward differences of 0.02 decade (diff_step is relative to |log10 value| ~ 9)
    sol = least_squares(residuals, x0, diff_step=0.002, xtol=1e-3, ftol=1e-4, max_nfev=40)
    return {**constants, **{n: 10**v for n, v in zip(names, sol.x, strict=True)}}, sol.fun


def _changes(a: dict, b: dict) -> float:
    keys = [k for k in a if k != "fixed"]
    return max(abs(b[k] / a[k] - 1) for k in keys)


def calibrate(log: bool = True, passes: int = 4, rtol: float = 0.01) -> dict:
    """Run the stages from :data:`START` until the constants change by < ``rtol``."""
    t0 = time.perf_counter()
    c = dict(START)
    history = []
    for it in range(passes):
        before = dict(c)
        c = stage_capacity(c, log)
        c, _ = stage_interphase(c, log)
        change = _changes(before, c)
        history.append({"pass": it + 1, "largest_change": change})
        if log:
            print(f"pass {it + 1}: largest relative change {change:.4f}")
        if change < rtol:
            break
    ident = identifiability(c, log=log)
    validation = validate(c)
    elapsed = time.perf_counter() - t0
    return {
        "script": SCRIPT,
        "date": datetime.date.today().isoformat(),
        "pybamm_version": pybamm.__version__,
        "elapsed_s": round(elapsed, 1),
        "passes": history,
        "data_used": {
            "initial_capacity_mAh_per_g": {n: q for _, n, q, _ in CAPACITY_TARGETS},
            "uncoated_R_SECat_ohm": {SP_PAIR[1]: UNCOATED_RSECAT[SP_PAIR[0]]},
            "table3_B2_R_SECat_ohm": RSECAT_B2,
            "capacity_after_130_cycles_mAh_per_g": CAPACITY_130,
            "schedule_figure6": [s.__dict__ for s in FIGURE6_SCHEDULE],
            "data_sd": DATA_SD,
        },
        "left_for_validation": [
            "the SM pair: coated SM cell without its coating vs the uncoated SM row (797 Ohm)",
            "uncoated initial capacities (SM ~60, SP 100 mAh/g)",
            "Table 3 absolute values and fitted arcs at charges 10, 29, 130; R_SE,GB, R_SE, "
            "R_SE/An growth; C_eff and T columns",
            "coulombic efficiency of the first cycle and after 130 cycles (95 %)",
            "Figure 8 charge-end-voltage series (blind)",
        ],
        "residual_names": RESIDUAL_NAMES,
        "scaled_residuals": ident["residuals"],
        "validation": validation,
        "identifiability": ident["report"],
        "posterior": ident["posterior"],
        "constants": constants_from(c),
    }


# --- identifiability ----------------------------------------------------------------------
def _calibrated_keys(constants: dict) -> list:
    return [k for k in constants if k != "fixed"]


def _key_name(key) -> str:
    return CONTACTS if isinstance(key, tuple) else key


def _key_scope(key) -> dict | None:
    if isinstance(key, tuple):
        cell = paper_cell(key[1][0])
        return {"electrolyte": cell.electrolyte, "process": cell.process}
    return None


def _key_label(key) -> str:
    if isinstance(key, tuple):
        s = _key_scope(key)
        return f"{CONTACTS} ({s['electrolyte']}, {s['process']})"
    return key


def identifiability(constants: dict, step: float = 0.05, log: bool = True) -> dict:
    """Jacobian of the scaled residuals w.r.t. log10 of the calibrated constants (and of
    the fixed candidates), the Laplace approximation of the posterior, and correlations."""
    base_values = sets.build_parameter_table(LPSCL, calibrated=False)
    keys = _calibrated_keys(constants)
    r0 = all_residuals(constants)
    columns = {}
    for key in keys:
        trial = {**constants, key: constants[key] * 10**step}
        columns[key] = (all_residuals(trial) - r0) / step
        if log:
            print(f"  sensitivity {_key_label(key)}: {np.round(columns[key], 3)}")
    cand = {}
    for name in CANDIDATES:
        v = float(base_values[name])
        trial = {**constants, "fixed": {**constants.get("fixed", {}), name: v * 10**step}}
        cand[name] = (all_residuals(trial) - r0) / step
        if log:
            print(f"  sensitivity {name} (fixed): {np.round(cand[name], 3)}")
    J = np.column_stack([columns[k] for k in keys])
    cov = np.linalg.inv(J.T @ J)
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    report = {
        "method": "Laplace approximation at the optimum: covariance (J^T J)^-1 of log10 of the "
        "constants, J the forward-difference Jacobian (step 0.05 decade) of the residuals "
        "scaled by DATA_SD",
        "constants": [
            {
                "name": _key_label(k),
                "log10_value": float(np.log10(constants[k])),
                "sd_decades": float(s),
                "ci95": [
                    float(constants[k] * 10 ** (-1.96 * s)),
                    float(constants[k] * 10 ** (1.96 * s)),
                ],
            }
            for k, s in zip(keys, sd, strict=True)
        ],
        "correlation": {"names": [_key_label(k) for k in keys], "matrix": corr.round(3).tolist()},
        "fixed_candidates": [],
        "condition_number": float(np.linalg.cond(J.T @ J)),
    }
    for name, col in cand.items():
        Ja = np.column_stack([J, col])
        cov_a = np.linalg.pinv(Ja.T @ Ja)
        report["fixed_candidates"].append(
            {
                "name": name,
                "sensitivity_norm": float(np.linalg.norm(col)),
                "sd_decades_if_calibrated": float(np.sqrt(max(cov_a[-1, -1], 0.0))),
                "largest_correlation_if_calibrated": float(
                    np.max(np.abs(cov_a[-1, :-1] / np.sqrt(np.diag(cov_a)[:-1] * cov_a[-1, -1])))
                ),
            }
        )
    posterior = {
        "method": report["method"],
        "names": [_key_name(k) for k in keys],
        "scopes": [_key_scope(k) for k in keys],
        "log10_mean": [float(np.log10(constants[k])) for k in keys],
        "log10_cov": cov.tolist(),
    }
    return {"residuals": r0.tolist(), "report": report, "posterior": posterior}


def validate(constants: dict) -> dict:
    """The held-out numbers the calibration never saw (module docstring)."""
    f6 = figure6(constants)
    out = {
        "SM coated without coating, fitted R_SE/Cat [Ohm]": fitted_cathode_arc(
            SM_PAIR[0], constants, {COATING: 0.0}
        ),
        "SM uncoated row R_SE/Cat [Ohm]": UNCOATED_RSECAT[SM_PAIR[0]],
        "first discharge SM uncoated [mAh/g]": first_discharge(SM_PAIR[1], constants),
        "first discharge SP uncoated [mAh/g]": first_discharge(SP_PAIR[1], constants),
        "coulombic efficiency cycle 1 (Li6PS5Cl)": f6.get("CE1"),
        "coulombic efficiency cycle 130 (Li6PS5Cl)": f6.get("CE130"),
    }
    return {k: (round(v, 5) if isinstance(v, float) else v) for k, v in out.items()}


def constants_from(constants: dict) -> list[dict]:
    src = f"calibrated by {SCRIPT} against"
    out = []
    for group, name, target, why in CAPACITY_TARGETS:
        cell = paper_cell(name)
        out.append(
            {
                "name": CONTACTS,
                "parameter_sets": list(group),
                "scope": {"electrolyte": cell.electrolyte, "process": cell.process},
                "value": constants[("contacts", group)],
                "unit": "-",
                "source": f"{src} the initial capacity of {name} ({target:g} mAh/g, {why})",
            }
        )
    out += [
        {
            "name": LAMBDA,
            "process": None,
            "value": constants[LAMBDA],
            "unit": "m",
            "source": f"{src} the SP 80Li2S·20P2S5 pair: {SP_PAIR[0]} without its coating "
            f"gives the uncoated row's R_SE/Cat ({UNCOATED_RSECAT[SP_PAIR[0]]:g} Ohm, Table 2, "
            "2nd charge, fitted arc)",
        },
        {
            "name": K_OX,
            "process": None,
            "value": constants[K_OX],
            "unit": "A.m-2",
            "source": f"{src} Table 3 B2 R_SE/Cat growth (charges 2, 10, 29, 130) and "
            "Figure 6b (80 mAh/g after 130 cycles), jointly with the contact loss",
        },
        {
            "name": K_CL,
            "process": None,
            "value": constants[K_CL],
            "unit": "-",
            "source": f"{src} Table 3 B2 R_SE/Cat growth and Figure 6b (80 mAh/g after 130 "
            "cycles), jointly with the SE oxidation rate",
        },
    ]
    return out


def stored_constants(stored: list[dict]) -> dict:
    """Calibration constants (internal keys) from the entries of ``calibrated.json``."""
    c = {}
    for e in stored:
        if e["name"] == CONTACTS:
            group = next(g for g, *_ in CAPACITY_TARGETS if e["parameter_sets"][0] in g)
            c[("contacts", group)] = e["value"]
        else:
            c[e["name"]] = e["value"]
    return c


def _scope(c: dict) -> str:
    return ", ".join(c.get("parameter_sets") or [c.get("process") or "all sets"])


def stored_path() -> Path:
    """The shipped ``calibrated.json``."""
    with __import__("importlib").resources.as_file(catalog.data_dir() / "calibrated.json") as p:
        return Path(p)


def check(record: dict, stored: list[dict], rtol: float) -> tuple[bool, list[str]]:
    """Compare re-run constants with stored ones; (all within ``rtol``, one line each)."""
    ok, lines = True, []
    for new, old in zip(record["constants"], stored, strict=True):
        # relative difference (absolute for a constant stored as 0, e.g. an exponent)
        diff = abs(new["value"] - old["value"])
        rel = diff / abs(old["value"]) if old["value"] else diff
        flag = "ok" if rel <= rtol else "MISMATCH"
        ok &= rel <= rtol
        lines.append(
            f"{flag:8s} {new['name']} ({_scope(new)}): stored {old['value']:.5g}, "
            f"re-run {new['value']:.5g} ({100 * rel:.2f} %)"
        )
    return ok, lines


def quick_check(rtol: float = 0.02) -> tuple[bool, list[str]]:
    """The reduced problem: the capacity stage for the Li6PS5Cl set, started from the
    assumed contact number with the other stored constants, must find the stored contact
    number again (the calibration's own code on one set, in a few seconds)."""
    stored = stored_constants(sets.calibrated_constants())
    group = (LPSCL,)
    start = {**stored, ("contacts", group): START[("contacts", group)]}
    target = _initial_capacity(LPSCL)

    def residual(log_n):
        return first_discharge(LPSCL, {**start, ("contacts", group): float(np.exp(log_n))}) - target

    log_n = brentq(residual, *_bracket(residual, np.log(start[("contacts", group)])), xtol=1e-4)
    value = float(np.exp(log_n))
    rel = abs(value / stored[("contacts", group)] - 1)
    ok = rel <= rtol
    line = (
        f"{'ok' if ok else 'MISMATCH':8s} {CONTACTS} ({LPSCL}): stored "
        f"{stored[('contacts', group)]:.5g}, re-run {value:.5g} ({100 * rel:.2f} %)"
    )
    return ok, [line]


def run_calibration_cli(args) -> int:
    """``assb calibrate [--check] [--quick] [--rtol R] [--out FILE]``."""
    if args.quick:
        ok, lines = quick_check(args.rtol)
        print("\n".join(lines))
        return 0 if ok else 1
    record = calibrate()
    target = args.out or stored_path()
    if args.check:
        stored = json.loads(Path(target).read_text())["constants"]
        ok, lines = check(record, stored, args.rtol)
        print("\n".join(lines))
        return 0 if ok else 1
    Path(target).write_text(json.dumps(record, indent=1) + "\n")
    for c in record["constants"]:
        print(f"{c['name']} ({_scope(c)}): {c['value']:.5g} {c['unit']}")
    print(f"wrote {target} ({record['elapsed_s']} s)")
    return 0
