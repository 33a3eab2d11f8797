"""Mesh convergence of first-cycle capacity (numbers recorded in docs/model.md).

Run: ``python benchmarks/mesh_convergence.py``
"""

import assb_model

MESHES = [
    {"x_s": 4, "x_p": 12, "r_p": 8},
    {"x_s": 8, "x_p": 24, "r_p": 16},
    {"x_s": 16, "x_p": 48, "r_p": 32},
    {"x_s": 32, "x_p": 96, "r_p": 48},
]


def main() -> None:
    for name in ["giraldo2021_sp_lps80_coated", "giraldo2021_sp_lpscl_coated"]:
        for mesh in MESHES:
            res = assb_model.simulate(name, var_pts=mesh)
            q_c = res.cycles["charge_capacity_mAh_per_g"].iloc[0]
            q_d = res.cycles["discharge_capacity_mAh_per_g"].iloc[0]
            print(f"{name:30s} {mesh}  charge {q_c:8.3f}  discharge {q_d:8.3f} mAh/g")


if __name__ == "__main__":
    main()
