"""``assb uq``: prediction intervals of one set's outputs (:func:`assb_model.uq.run_uq`).

The set's batch spread and calibration uncertainty are sampled (Latin hypercube),
propagated through the sweep engine (model built once, parallel, resumable: run the same
command again after an interruption) and summarised as intervals, fan charts and CSV.
"""

import argparse
from pathlib import Path

from assb_model.cli import args as cli_args


def add_uq_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``uq`` to the ``assb`` sub-commands."""
    p = subparsers.add_parser(
        "uq",
        help="prediction intervals from batch spread and calibration uncertainty",
        description="Sample the set's batch-to-batch spread (Tables 2/3) and the calibration "
        "posterior, run every sample (resumable: re-run the same command after an "
        "interruption), write samples.csv, summary.csv and fan charts; see "
        "docs/uncertainty.md.",
    )
    cli_args.add_model_arguments(p)
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=START:STOP:N[:log]",
        help="a what-if grid crossed with the samples (intervals at every grid point); repeatable",
    )
    p.add_argument("--samples", type=int, default=200, help="Latin-hypercube samples (200)")
    p.add_argument("--seed", type=int, default=0, help="seed of the design (0)")
    p.add_argument("--out", required=True, help="folder for samples.csv, summary.csv, plots/")
    p.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    cli_args.add_protocol_arguments(p, cycles=2)
    p.add_argument(
        "--spread-scale",
        type=float,
        default=1.0,
        help="multiply the batch spread's log-sd (1 = the paper's batches, 0 = off)",
    )
    p.add_argument(
        "--calibration-scale",
        type=float,
        default=1.0,
        help="multiply the calibration posterior's sd (1 = the Laplace posterior, 0 = off)",
    )
    p.add_argument("--no-curves", action="store_true", help="no voltage fan chart (faster)")
    p.add_argument("--no-plots", action="store_true", help="do not write plots")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--overwrite", action="store_true", help="replace another run in --out")
    p.set_defaults(func=run_uq_cli)
    return p


def run_uq_cli(args) -> int:
    """Run ``assb uq``: 0 done, 130 interrupted (finished samples kept)."""
    from assb_model.uq import BatchSpread, CalibrationPosterior, UQSpec, run_uq

    overrides, protocol = cli_args.what_ifs(args)
    if args.samples < 1:
        raise cli_args.ArgumentError(f"--samples must be at least 1, got {args.samples}")
    from assb_model.sweep import Axis
    from assb_model.sweep.spec import SweepSpecError

    grid = tuple(Axis.parse(text) for text in args.param)
    for axis in grid:
        if axis.kind != "grid":
            raise SweepSpecError(f"assb uq --param {axis.name}: give a grid START:STOP:N[:log]")
    spec = UQSpec(
        cli_args.parameter_set(args),
        grid=grid,
        samples=args.samples,
        seed=args.seed,
        spread=BatchSpread(args.spread_scale),
        calibration=CalibrationPosterior(args.calibration_scale),
        current_density=protocol.get("current_density", args.current_density),
        upper_cutoff=protocol.get("upper_cutoff", args.upper_cutoff),
        lower_cutoff=protocol.get("lower_cutoff", args.lower_cutoff),
        cycles=int(protocol.get("cycles", args.cycles)),
        options=cli_args.options(args),
        overrides=overrides,
        save_curves=not args.no_curves,
    )
    out = Path(args.out)
    try:
        with cli_args.interruptible(
            "assb uq",
            f"finished samples are saved in {out / 'sweep'}",
            "run the same command again to continue",
        ):
            result = run_uq(
                spec,
                out,
                workers=args.workers,
                progress=not args.no_progress,
                overwrite=args.overwrite,
            )
    except cli_args.Interrupted:
        return 130
    s = result.summary
    n_ok = int((result.samples["status"] == "ok").sum())
    print(f"{len(result.samples)} sample runs: {n_ok} ok; nominal = the set's own inputs")
    if grid:
        keys = [a.name for a in grid]
        s = s[s["output"].isin(["discharge_capacity_mAh_per_g", "R_SE_Cat_end_ohm"])]
        print(s[[*keys, "output", "nominal", "q05", "q50", "q95"]].to_string(index=False))
        written = [out / "samples.csv", out / "summary.csv", out / "uq.json"]
        if not args.no_plots and len(grid) == 1:
            written += _map_plot(result, keys[0], out / "plots")
        print("wrote " + ", ".join(str(p) for p in written))
        return 0
    head = ("output", "nominal", "5 %", "median", "95 %", "MC se 5/95 %")
    print(f"{head[0]:36s} " + " ".join(f"{h:>10s}" for h in head[1:]))
    for _, r in s.iterrows():
        print(
            f"{r['output']:36s} {r['nominal']:10.4g} {r['q05']:10.4g} {r['q50']:10.4g} "
            f"{r['q95']:10.4g} {r['se_q05']:7.2g}/{r['se_q95']:<8.2g}"
        )
    written = [out / "samples.csv", out / "summary.csv", out / "uq.json"]
    if not args.no_plots:
        written += _plots(result, out / "plots")
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


def _plots(result, folder: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from assb_model.uq.plotting import fan_capacity, fan_voltage

    folder.mkdir(parents=True, exist_ok=True)
    name = str(result.spec.parameter_set).replace("giraldo2021_", "")
    paths = []
    cycles = result.cycles()
    if len(cycles):
        fig = fan_capacity(cycles, title=f"{name}: capacity vs cycle")
        paths.append(folder / "fan_capacity.png")
        fig.savefig(paths[-1], dpi=130, bbox_inches="tight")
        plt.close(fig)
    curves = result.curves(1)
    if len(curves):
        fig = fan_voltage(curves, title=f"{name}: cycle 1")
        paths.append(folder / "fan_voltage.png")
        fig.savefig(paths[-1], dpi=130, bbox_inches="tight")
        plt.close(fig)
    return paths


def _map_plot(result, key: str, folder: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from assb_model.uq.plotting import band_map

    folder.mkdir(parents=True, exist_ok=True)
    df = pd.concat([result.samples, result.nominal], ignore_index=True)
    axis = result.spec.grid[0]
    fig = band_map(df, key, "discharge_capacity_mAh_per_g", logx=axis.log)
    ax = fig.axes[0]
    ax.set_xlabel(key)
    ax.set_ylabel("First discharge capacity [mAh g$^{-1}$]")
    path = folder / f"band_{key}.png"
    fig.savefig(path, dpi=130, bbox_inches="tight")
    plt.close(fig)
    return [path]
