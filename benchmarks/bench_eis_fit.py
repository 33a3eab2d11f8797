"""Benchmark: our equivalent-circuit fitter against impedance.py 1.7.1 ``CustomCircuit.fit``.

Spectra: three synthetic solid-state spectra built from Tables 2/3 of Giraldo et al. (2021)
(the same as ``tests/unit/ecm/synthetic.py``), 1 MHz-1 mHz, 10 points/decade, noise-free
and with 0.5 % proportional complex Gaussian noise (σ = 0.005|Z| on Z' and on Z''), several
seeds. For every spectrum both fitters start from the *same* initial guess (our automatic
one), so the comparison is of the optimisers, not of the guessing:

* ``ours``: :func:`assb_model.ecm.fitting.fit_circuit` (automatic guesses + seeded
  restarts, log-parameter space, modulus weighting, analytic Jacobian);
* ``imp``: ``CustomCircuit(circuit, initial_guess=x0).fit(f, Z)`` with impedance.py's
  defaults (``curve_fit``, unweighted, finite-difference Jacobian, maxfev=1e5);
* ``imp-mod``: the same with ``weight_by_modulus=True``.

impedance.py has no CPE-type (anomalous) diffusion element, so one is registered through
its own ``@element`` decorator (``Wao``, same formula as ours). numpy-2 shim: impedance.py
1.7.1's ``CustomCircuit.fit`` runs unchanged under numpy 2.3, but ``validation.linKK``
``eval``-s strings that contain ``np.float64(...)`` reprs and fails with
``NameError: name 'np' is not defined``; adding ``circuit_elements["np"] = numpy`` fixes
it (applied below for the Lin-KK comparison only).

Usage::

    python benchmarks/bench_eis_fit.py [--seeds 5]

Reported per spectrum: the largest relative error over the resistances, whether the fit
reached a modulus-weighted sum of squares no larger than that of the true parameters
("SS<=truth"), and the fit time as CPU time of this process (``time.process_time``, BLAS
limited to one thread), which is robust to other load on a shared machine.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import time
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from impedance.models.circuits import CustomCircuit
from impedance.models.circuits.elements import circuit_elements, element

from assb_model.ecm.capacitance import cpe_q_from_time
from assb_model.ecm.circuits import Component, paper_fig5, paper_fig7
from assb_model.ecm.fitting import fit_circuit, gof_modulus
from assb_model.ecm.initial_guess import initial_guess
from assb_model.ecm.validation import lin_kk

FREQ = np.logspace(6, -3, 91)
ALPHA = {"SE": 0.9, "GB": 0.95, "SECat": 0.85}


@element(num_params=3, units=["Ohm", "s", ""])
def Wao(p, f):
    """CPE-type reflective finite diffusion (Bisquert 1999), registered in impedance.py."""
    omega = 2 * np.pi * np.array(f)
    x = (1j * omega * p[1]) ** (p[2] / 2)
    return p[0] / (x * np.tanh(x))


def _params(rows, alpha_an, diffusion=None) -> np.ndarray:
    p: list[float] = []
    for label, (R, T) in rows.items():
        if T is None:
            p.append(R)
        else:
            a = {**ALPHA, "SEAn": alpha_an}[label]
            p += [R, float(cpe_q_from_time(R, T, a)), a]
    return np.array(p + list(diffusion or ()))


SPECTRA: dict[str, tuple[Component, np.ndarray, str]] = {
    "T3 B2-2 (fig7)": (
        paper_fig7(),
        _params(
            {"SE": (171.6, 5e-8), "GB": (19.4, 7e-6), "SECat": (150.2, 3e-4), "SEAn": (57.4, 0.07)},
            0.85,
            (200.0, 50.0, 0.9),
        ),
        "p(R0,CPE0)-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)-Wao0",
    ),
    "T2 SM-uncoated (fig5, bare R_SE)": (
        paper_fig5(bare_se=True),
        _params(
            {"SE": (277.0, None), "GB": (57.8, 4e-5), "SECat": (797.0, 1e-3),
             "SEAn": (245.2, 0.09)},
            0.8,
        ),
        "R0-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)",
    ),
    "T2 SM-B1 (fig5)": (
        paper_fig5(),
        _params(
            {"SE": (244.5, 5e-8), "GB": (49.1, 6e-5), "SECat": (543.0, 8e-4),
             "SEAn": (164.1, 0.22)},
            0.8,
        ),
        "p(R0,CPE0)-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)",
    ),
}  # fmt: skip


def _noisy(Z: np.ndarray, seed: int | None) -> np.ndarray:
    if seed is None:
        return Z
    rng = np.random.default_rng(seed)
    return Z + 0.005 * np.abs(Z) * (rng.normal(size=Z.size) + 1j * rng.normal(size=Z.size))


def _max_r_error(names, values, truth, skip: tuple[str, ...] = ()) -> float:
    idx = [i for i, n in enumerate(names) if n.startswith("R_") and n not in skip]
    return float(np.max(np.abs(np.asarray(values)[idx] / truth[idx] - 1)))


def _generic_guess(names) -> np.ndarray:
    """What a user might type without looking closely: R = 100, Q = 1e-6, alpha = 0.9."""
    table = {"R": 100.0, "Q": 1e-6, "a": 0.9, "T": 10.0}
    return np.array([table[n[0]] for n in names])


def _run_impedance_py(string, x0, Z, weight_by_modulus):
    model = CustomCircuit(string, initial_guess=[float(v) for v in x0])
    t0 = time.process_time()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(FREQ, Z, weight_by_modulus=weight_by_modulus)
        values = np.asarray(model.parameters_)
    except Exception as err:  # impedance.py raises on failed convergence
        return None, time.process_time() - t0, type(err).__name__
    return values, time.process_time() - t0, ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="noisy realisations per spectrum")
    args = parser.parse_args()
    cases = [None, *range(args.seeds)]
    header = (
        f"{'spectrum':34s} {'noise':>7s} | {'ours maxR':>9s} {'<=truth':>7s} {'t [s]':>6s} | "
        f"{'imp maxR':>9s} {'<=truth':>7s} {'t [s]':>6s} | "
        f"{'imp-mod maxR':>12s} {'<=truth':>7s} {'t [s]':>6s}"
    )
    print(header)
    print("-" * len(header))
    stats: dict[str, dict[str, list]] = {
        k: {"err": [], "err_no_gb": [], "ok": [], "t": []} for k in ("ours", "imp", "mod")
    }
    for name, (circuit, truth, string) in SPECTRA.items():
        Z0 = circuit.impedance(FREQ, truth)
        for seed in cases:
            Z = _noisy(Z0, seed)
            gof_truth = gof_modulus(Z, Z0, truth.size)
            t0 = time.process_time()
            res = fit_circuit(circuit, FREQ, Z)
            t_ours = time.process_time() - t0
            x0 = initial_guess(circuit, FREQ, Z)
            row = {"ours": (res.values, t_ours, "")}
            row["imp"] = _run_impedance_py(string, x0, Z, False)
            row["mod"] = _run_impedance_py(string, x0, Z, True)
            cells = []
            for key, (values, t, err) in row.items():
                if values is None:
                    e, ok = np.inf, False
                    stats[key]["err_no_gb"].append(np.inf)
                    cells.append(f"{'fail:' + err[:8]:>9s} {'-':>7s} {t:6.2f}")
                else:
                    e = _max_r_error(circuit.param_names, values, truth)
                    stats[key]["err_no_gb"].append(
                        _max_r_error(circuit.param_names, values, truth, ("R_GB",))
                    )
                    g = gof_modulus(Z, circuit.impedance(FREQ, values), truth.size)
                    # absolute slack 1e-14 = rms relative deviation 1e-7 (noise-free case)
                    ok = g <= gof_truth * (1 + 1e-6) + 1e-14
                    width = 11 if key == "mod" else 8
                    cells.append(f"{100 * e:{width}.2f}% {'yes' if ok else 'NO':>7s} {t:6.2f}")
                stats[key]["err"].append(e)
                stats[key]["ok"].append(ok)
                stats[key]["t"].append(t)
            noise = "0" if seed is None else f"s{seed}"
            print(f"{name:34s} {noise:>7s} | " + " | ".join(cells))

    n = len(stats["ours"]["t"])
    print(f"\nsummary over {n} fits ({len(SPECTRA)} spectra x (noise-free + {args.seeds} seeds))")
    for key, label in (("ours", "ours"), ("imp", "impedance.py"), ("mod", "impedance.py mod")):
        s = stats[key]
        err, err_ng = np.array(s["err"]), np.array(s["err_no_gb"])
        print(
            f"  {label:17s} SS<=truth {sum(s['ok']):2d}/{n}  "
            f"max R err <1 % {np.sum(err < 0.01):2d}/{n}  <10 % {np.sum(err < 0.1):2d}/{n}  "
            f"(without R_GB <10 % {np.sum(err_ng < 0.1):2d}/{n})  "
            f"time median {np.median(s['t']):.3f} s, max {np.max(s['t']):.2f} s"
        )
    ratio = np.array(stats["imp"]["t"]) / np.array(stats["ours"]["t"])
    ratio_mod = np.array(stats["mod"]["t"]) / np.array(stats["ours"]["t"])
    print(
        f"  time ratio impedance.py/ours: median {np.median(ratio):.1f}x "
        f"(range {ratio.min():.1f}-{ratio.max():.1f}); with modulus weighting: "
        f"median {np.median(ratio_mod):.1f}x"
    )

    # Same poor start for both fitters (noise-free and seed 0).
    print("\nfrom a generic start (all R = 100 ohm, Q = 1e-6, alpha = 0.9, T_Diff = 10 s):")
    for name, (circuit, truth, string) in SPECTRA.items():
        Z0 = circuit.impedance(FREQ, truth)
        for seed in (None, 0):
            Z = _noisy(Z0, seed)
            x0 = _generic_guess(circuit.param_names)
            t0 = time.process_time()
            res = fit_circuit(circuit, FREQ, Z, initial_guess=x0)
            t_ours = time.process_time() - t0
            values, t_imp, err = _run_impedance_py(string, x0, Z, False)
            e_ours = _max_r_error(circuit.param_names, res.values, truth)
            e_imp = np.inf if values is None else _max_r_error(circuit.param_names, values, truth)
            noise = "0" if seed is None else f"s{seed}"
            print(
                f"  {name:34s} {noise:>3s}  ours max R err {100 * e_ours:8.2f} % "
                f"({t_ours:.2f} s)   impedance.py {100 * e_imp:8.2f} % ({t_imp:.2f} s) {err}"
            )

    # Lin-KK: impedance.py needs the numpy-2 shim.
    from impedance.validation import linKK

    circuit, truth, _ = SPECTRA["T2 SM-B1 (fig5)"]
    Z = _noisy(circuit.impedance(FREQ, truth), 0)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            linKK(FREQ, Z, c=0.85, max_M=100, fit_type="complex", add_cap=True)
        shim = "not needed"
    except NameError:
        circuit_elements["np"] = np
        shim = "needed (NameError: name 'np' is not defined)"
    t0 = time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):  # linKK prints progress every 10 M
        M, _, _, res_re, res_im = linKK(
            FREQ, Z, c=0.85, max_M=100, fit_type="complex", add_cap=True
        )
    t_imp = time.process_time() - t0
    t0 = time.process_time()
    kk = lin_kk(FREQ, Z)
    t_ours = time.process_time() - t0
    print(
        f"\nLin-KK on T2 SM-B1 + 0.5 % noise: impedance.py shim {shim}; impedance.py M={M}, "
        f"max|res|={max(np.abs(res_re).max(), np.abs(res_im).max()):.4f}, {t_imp:.3f} s; "
        f"ours M={kk.M}, max|res|={kk.max_residual:.4f}, {t_ours:.3f} s"
    )


if __name__ == "__main__":
    main()
