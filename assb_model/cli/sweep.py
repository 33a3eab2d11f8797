"""``assb sweep``: the command-line face of :func:`assb_model.sweep.run_sweep`.

Wired into ``assb`` through :func:`add_sweep_parser`; also runnable on its own as
``python -m assb_model.cli.sweep NAME --param ...`` (same arguments).
"""

import argparse
import sys
from pathlib import Path

from assb_model.cli import args as cli_args
from assb_model.parameters.registry import QUANTITIES

EPILOG = (
    "aliases (unit): "
    + ", ".join(f"{q.alias} ({q.unit})" for q in QUANTITIES)
    + (". Full PyBaMM names take SI values. Details: docs/sweeps.md")
)


def add_sweep_arguments(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the sweep arguments to a parser."""
    cli_args.add_model_arguments(p)
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUES",
        help="swept quantity: NAME=START:STOP:N[:log] (grid), NAME=v1,v2,... (list), "
        "NAME=v (fixed), NAME=LOW:HIGH[:log] (range, for --sample); repeatable, full "
        "factorial over grids and lists",
    )
    p.add_argument("--out", required=True, help="folder for results.csv, sweep.json, plots/")
    p.add_argument("--workers", type=int, default=1, help="local worker processes (default 1)")
    cli_args.add_protocol_arguments(p, cycles=1)
    p.add_argument(
        "--sample",
        choices=("grid", "random", "lhs", "morris", "sobol"),
        default="grid",
        help="design (default grid = full factorial); morris/sobol also write sensitivity.csv",
    )
    p.add_argument(
        "--samples",
        type=int,
        help="points (random/lhs), trajectories (morris) or base N, a power of 2 (sobol)",
    )
    p.add_argument("--seed", type=int, help="seed of the sampled designs")
    p.add_argument(
        "--output",
        action="append",
        help="output(s) to analyse/plot (default: discharge capacity, energy, CE)",
    )
    p.add_argument("--curves", action="store_true", help="also store each point's curves")
    p.add_argument("--resume", action="store_true", help="continue the sweep in --out")
    p.add_argument("--overwrite", action="store_true", help="replace a previous sweep in --out")
    p.add_argument(
        "--backend",
        choices=("auto", "serial", "processes", "threads"),
        default="auto",
        help="local backend (default: serial for 1 worker, processes otherwise)",
    )
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786")
    p.add_argument("--dask-local", type=int, metavar="N", help="start a Dask LocalCluster of N")
    p.add_argument("--chunk-size", type=int, help="points per task (default: automatic)")
    p.add_argument("--no-plots", action="store_true", help="do not write plots")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def add_sweep_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``sweep`` to the ``assb`` sub-commands."""
    p = subparsers.add_parser(
        "sweep",
        help="parameter sweep / sensitivity analysis (parallel, resumable)",
        description="Sweep model parameters and protocol settings; see docs/sweeps.md.",
        epilog=EPILOG,
    )
    add_sweep_arguments(p)
    p.set_defaults(func=run_sweep_cli)
    return p


def spec_from_args(args):
    """The :class:`SweepSpec` of parsed arguments."""
    from assb_model.sweep.spec import SweepSpec

    overrides, protocol = cli_args.what_ifs(args)
    base = {
        "current_density": args.current_density,
        "upper_cutoff": args.upper_cutoff,
        "lower_cutoff": args.lower_cutoff,
        "cycles": args.cycles,
        **protocol,
    }
    return SweepSpec(
        parameter_set=cli_args.parameter_set(args),
        axes=tuple(args.param),
        design=args.sample,
        samples=args.samples,
        seed=args.seed,
        current_density=base["current_density"],
        upper_cutoff=base["upper_cutoff"],
        lower_cutoff=base["lower_cutoff"],
        cycles=int(base["cycles"]),
        options=cli_args.options(args),
        overrides=overrides,
        save_curves=args.curves,
    )


def run_sweep_cli(args) -> int:
    """Run ``assb sweep``: returns the exit code (0 done, 130 interrupted)."""
    from assb_model.sweep.engine import run_sweep

    spec = spec_from_args(args)
    out = Path(args.out)
    # a batch scheduler's SIGTERM saves and stops like Ctrl-C
    try:
        with cli_args.interruptible(
            "assb sweep",
            f"finished points are saved in {out / 'results.csv'}",
            "run the same command with --resume to continue",
        ):
            result = run_sweep(
                spec,
                out,
                workers=args.workers,
                backend="dask" if (args.scheduler or args.dask_local) else args.backend,
                scheduler=args.scheduler,
                dask_local=args.dask_local,
                resume=args.resume,
                overwrite=args.overwrite,
                progress=not args.no_progress,
                chunk_size=args.chunk_size,
            )
    except cli_args.Interrupted:
        return 130
    df = result.results
    n_ok = int((df["status"] == "ok").sum())
    print(
        f"{len(df)} points: {n_ok} ok, {len(df) - n_ok} failed; {result.computed} computed in "
        f"{result.elapsed_s:.1f} s; wrote {out / 'results.csv'}, {out / 'sweep.json'}"
    )
    outputs = args.output or None
    if spec.design in ("morris", "sobol"):
        from assb_model.sweep.sensitivity import analyse

        names = outputs or ["discharge_capacity_mAh_per_g"]
        indices, notes = analyse(spec, df, names)
        table = _sensitivity_table(indices)
        table.to_csv(out / "sensitivity.csv", index=False)
        for note in notes:
            print(f"note: {note}")
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        if not args.no_plots:
            _save_sensitivity_plots(indices, spec.design, out / "plots")
    elif not args.no_plots:
        from assb_model.sweep.plotting import DEFAULT_PLOT_OUTPUTS, save_sweep_plots

        paths = save_sweep_plots(result, out / "plots", outputs or DEFAULT_PLOT_OUTPUTS)
        if paths:
            print("plots: " + ", ".join(str(p) for p in paths))
    return 0


def _sensitivity_table(indices: dict):
    import pandas as pd

    frames = [
        df.rename_axis("parameter").reset_index().assign(output=o) for o, df in indices.items()
    ]
    df = pd.concat(frames, ignore_index=True)
    return df[["output", *[c for c in df.columns if c != "output"]]]


def _save_sensitivity_plots(indices: dict, method: str, folder: Path) -> None:
    import matplotlib.pyplot as plt

    from assb_model.sweep.plotting import plot_sensitivity

    folder.mkdir(parents=True, exist_ok=True)
    for output, df in indices.items():
        ax = plot_sensitivity(df, title=f"{method}: {output}")
        ax.figure.savefig(folder / f"sensitivity_{output}.png", dpi=130, bbox_inches="tight")
        plt.close(ax.figure)


def build_parser() -> argparse.ArgumentParser:
    """Stand-alone parser (``python -m assb_model.cli.sweep``)."""
    p = argparse.ArgumentParser(
        prog="python -m assb_model.cli.sweep",
        description="Sweep model parameters and protocol settings (= 'assb sweep').",
        epilog=EPILOG,
    )
    add_sweep_arguments(p)
    return p


def main(argv=None) -> int:
    """Entry point of ``python -m assb_model.cli.sweep``; errors as one line."""
    import matplotlib

    matplotlib.use("Agg")
    args = build_parser().parse_args(argv)
    return cli_args.guarded(run_sweep_cli, args, "sweep")


if __name__ == "__main__":
    sys.exit(main())
