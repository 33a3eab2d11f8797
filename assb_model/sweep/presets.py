"""What-if maps as sweep presets: the questions users bring (capacity vs SE conductivity,
coating, cut-off voltage, SE fraction, current density).

Each preset is a :class:`~assb_model.sweep.spec.SweepSpec` per parameter set run by the
sweep engine (:func:`~assb_model.sweep.engine.run_sweep`: model built once, inputs varied,
rebuilds grouped, failures recorded), returned as one tidy :class:`pandas.DataFrame`: a
``parameter_set`` column, the swept aliases in their units, the run outputs
(:data:`assb_model.simulation.summary.OUTPUTS`) and ``status``/``error``.
:mod:`assb_model.plotting` draws them. The same maps from the command line:
``assb sweep NAME --param sigma_se=1e-7:1e-2:21:log`` etc. (docs/sweeps.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from assb_model.sweep.engine import run_sweep
from assb_model.sweep.spec import Axis, SweepSpec

#: Default grids (module constants so that defaults are not rebuilt per call).
SIGMA_GRID_S_PER_CM = tuple(np.logspace(-7, -2, 21))
COATING_GRID_NM = tuple(np.linspace(0, 30, 7))
CUTOFF_GRID_V = tuple(np.round(np.arange(3.6, 4.61, 0.1), 2))
SE_FRACTION_GRID = tuple(np.linspace(0.1, 0.55, 19))


def run_preset(
    parameter_sets, axes, *, workers: int = 1, progress: bool = False, **spec_kwargs
) -> pd.DataFrame:
    """Run the same sweep on several parameter sets; one table with a ``parameter_set``
    column.

    Parameters
    ----------
    parameter_sets : str or list of str
    axes : list of Axis or str
        The swept quantities (:class:`~assb_model.sweep.spec.Axis` or the ``--param``
        form).
    workers : int
    progress : bool
    **spec_kwargs
        Other :class:`SweepSpec` fields (``cycles``, ``current_density``, ``options``,
        ``overrides``...).
    """
    names = [parameter_sets] if isinstance(parameter_sets, str) else list(parameter_sets)
    frames = []
    for name in names:
        spec = SweepSpec(name, tuple(axes), **spec_kwargs)
        df = run_sweep(spec, workers=workers, progress=progress).results
        frames.append(df.assign(parameter_set=name))
    df = pd.concat(frames, ignore_index=True)
    return df[["parameter_set", *[c for c in df.columns if c != "parameter_set"]]]


def capacity_vs_conductivity(
    parameter_sets,
    sigma_S_per_cm=SIGMA_GRID_S_PER_CM,
    current_densities=(0.13, 1.0),
    **kwargs,
) -> pd.DataFrame:
    """First-cycle capacity vs the SE's intrinsic ionic conductivity ``sigma_se`` [S/cm]
    (Table 1's unit), at each current density [mA/cm2]."""
    axes = [Axis.of("sigma_se", sigma_S_per_cm), Axis.of("current_density", current_densities)]
    return run_preset(parameter_sets, axes, **kwargs)


def capacity_vs_coating(
    parameter_set="giraldo2021_sp_lpscl_coated",
    thickness_nm=COATING_GRID_NM,
    coating_sigma_S_per_cm=(1e-8, 1e-7, 1e-6),
    current_density=1.0,
    **kwargs,
) -> pd.DataFrame:
    """First-cycle capacity and R_SE/Cat vs coating thickness [nm] and coating
    conductivity [S/cm] (interface kinetics per contact area held at the set's values)."""
    axes = [
        Axis.of("coating_conductivity", coating_sigma_S_per_cm),
        Axis.of("coating_thickness", thickness_nm),
    ]
    return run_preset(parameter_set, axes, current_density=current_density, **kwargs)


def cutoff_study(
    parameter_set="giraldo2021_sp_lpscl_coated",
    upper_cutoffs=CUTOFF_GRID_V,
    cycles=10,
    current_density=0.13,
    **kwargs,
) -> pd.DataFrame:
    """Capacity, energy and ``cycles``-cycle retention vs the upper cut-off voltage."""
    axes = [Axis.of("upper_cutoff", upper_cutoffs)]
    return run_preset(parameter_set, axes, cycles=cycles, current_density=current_density, **kwargs)


def capacity_vs_se_fraction(
    parameter_set="giraldo2021_sp_lpscl_coated",
    se_fractions=SE_FRACTION_GRID,
    current_density=0.13,
    **kwargs,
) -> pd.DataFrame:
    """First-cycle capacity vs SE volume fraction (NMC volume fraction held fixed; the
    percolation threshold shows as the onset)."""
    axes = [Axis.of("se_fraction", se_fractions)]
    return run_preset(parameter_set, axes, current_density=current_density, **kwargs)


def rate_capability(
    parameter_sets,
    current_densities=(0.05, 0.13, 0.25, 0.5, 1.0, 2.0),
    **kwargs,
) -> pd.DataFrame:
    """First-cycle discharge capacity vs current density [mA/cm2]."""
    return run_preset(parameter_sets, [Axis.of("current_density", current_densities)], **kwargs)


__all__ = [
    "COATING_GRID_NM",
    "CUTOFF_GRID_V",
    "SE_FRACTION_GRID",
    "SIGMA_GRID_S_PER_CM",
    "capacity_vs_coating",
    "capacity_vs_conductivity",
    "capacity_vs_se_fraction",
    "cutoff_study",
    "rate_capability",
    "run_preset",
]
