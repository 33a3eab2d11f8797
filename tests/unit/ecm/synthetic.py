"""Synthetic solid-state spectra built from rows of Tables 2 and 3 of Giraldo et al. (2021).

The tables give R (ohm), C_eff (µF) and T (s) per arc but not the CPE exponents, so the
exponents are chosen here (0.8-0.95) and Q follows from :math:`Q = T^\\alpha/R`.

* The bulk arc (T_SE = 5e-8 s) has its apex at 3.2 MHz, above the 1 MHz limit, as in the
  paper ("incomplete semicircle"). The data reach ωT = 0.31, the low-frequency side of the
  arc (−Z'' up to 28 % of R_SE), which pins R_SE (0.5 %) and T_SE; Q_SE and alpha_SE trade
  off against each other (±20 % and ±1.4 %), so only the noise-free test asks for them.
* The diffusion element of row B2-2 uses T_d = 50 s instead of the table's 4e6 s. With
  4e6 s the finite-length behaviour lies nine decades below the window, the element is a
  pure power-law tail :math:`R_d (j\\omega T_d)^{-\\alpha/2}` there and only
  :math:`R_d T_d^{-\\alpha/2}` and alpha are identifiable; 50 s puts the transition
  (1/(2πT_d) ≈ 3 mHz) inside the window so that R_d and T_d can be tested separately.

Identifiability (Cramér–Rao 1σ of each R for 0.5 % proportional noise per component, 91
points, computed from the Jacobian at the true parameters):

========  =====  =====  ======  ======  ======
spectrum  R_SE   R_GB   R_Cat   R_An    R_Diff
========  =====  =====  ======  ======  ======
B2-2      0.5 %  10 %   1.6 %   3.0 %   2.7 %
SM-unc    0.1 %  8.6 %  1.2 %   2.6 %   –
SM-B1     0.2 %  15 %   1.7 %   2.0 %   –
========  =====  =====  ======  ======  ======

R_GB (a small arc between two large ones) is intrinsically uncertain at this noise level;
the tests check it against its own reported uncertainty as well as the 10 % target.
"""

from __future__ import annotations

import numpy as np

from assb_model.ecm.capacitance import cpe_q_from_time
from assb_model.ecm.circuits import Component, paper_fig5, paper_fig7

#: 1 MHz to 1 mHz, 10 points per decade (91 points).
FREQ = np.logspace(6, -3, 91)

#: Table 3, row B2-2 (LPSCl, solution process, 2nd cycle): (R [ohm], T [s]) per arc.
TABLE3_B2_2 = {
    "SE": (171.6, 5e-8), "GB": (19.4, 7e-6), "SECat": (150.2, 3e-4), "SEAn": (57.4, 0.07)
}  # fmt: skip
#: Table 2, simple mixture, uncoated (R_SE fitted as a bare resistor in the paper).
TABLE2_SM_UNCOATED = {
    "SE": (277.0, None), "GB": (57.8, 4e-5), "SECat": (797.0, 1e-3), "SEAn": (245.2, 0.09)
}  # fmt: skip
#: Table 2, simple mixture, B1.
TABLE2_SM_B1 = {
    "SE": (244.5, 5e-8), "GB": (49.1, 6e-5), "SECat": (543.0, 8e-4), "SEAn": (164.1, 0.22)
}  # fmt: skip

ALPHAS = {"SE": 0.9, "GB": 0.95, "SECat": 0.85}


def _params(rows: dict, alpha_an: float, diffusion: tuple | None = None) -> np.ndarray:
    alphas = {**ALPHAS, "SEAn": alpha_an}
    p: list[float] = []
    for label, (R, T) in rows.items():
        if T is None:
            p.append(R)
        else:
            a = alphas[label]
            p += [R, float(cpe_q_from_time(R, T, a)), a]
    if diffusion is not None:
        p += list(diffusion)
    return np.array(p)


def spectra() -> dict[str, tuple[Component, np.ndarray]]:
    """Name -> (circuit, true parameter vector)."""
    return {
        # diffusion: R_d = 200 ohm, T_d = 50 s, alpha = 0.9 (finite-length part visible)
        "B2-2": (paper_fig7(), _params(TABLE3_B2_2, 0.85, (200.0, 50.0, 0.9))),
        "SM-uncoated": (paper_fig5(bare_se=True), _params(TABLE2_SM_UNCOATED, 0.8)),
        "SM-B1": (paper_fig5(), _params(TABLE2_SM_B1, 0.8)),
    }


def noisy(Z: np.ndarray, level: float = 0.005, seed: int = 0) -> np.ndarray:
    """Add proportional complex Gaussian noise: σ = level·|Z| on each of Z' and Z''."""
    rng = np.random.default_rng(seed)
    return Z + level * np.abs(Z) * (rng.normal(size=Z.size) + 1j * rng.normal(size=Z.size))


def noisy_components(Z: np.ndarray, level: float = 0.005, seed: int = 0) -> np.ndarray:
    """Add component-proportional Gaussian noise: σ = level·|Z'| on Z' and level·|Z''| on
    Z'' (the other common reading of "0.5 % noise"; Cramér–Rao 1σ of R_GB 1.9 / 2.4 /
    4.1 % for B2-2 / SM-unc / SM-B1 instead of 10 / 8.6 / 15 %)."""
    rng = np.random.default_rng(seed)
    return Z.real * (1 + level * rng.normal(size=Z.size)) + 1j * Z.imag * (
        1 + level * rng.normal(size=Z.size)
    )
