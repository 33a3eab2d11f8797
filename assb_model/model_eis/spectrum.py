r"""Impedance spectrum of :class:`assb_model.ASSBModel` by small-signal linearisation.

Method
------
The spectrum is PyBaMM's frequency-domain impedance (:class:`pybamm.EISSimulation`,
Hallemans et al. 2025): the discretised model :math:`M\,\dot y = F(y)` is linearised at a
rest state :math:`y_0` and :math:`Z(\omega) = -\delta V/\delta I` is obtained from
:math:`(j\omega M - J)\,\delta y = b` at each frequency (one sparse solve each). The
model is :class:`~assb_model.ASSBModel` with the user's options plus
:data:`EIS_OPTIONS`: ``"surface form": "differential"`` (double layers at the SE/cathode
and SE/anode interfaces) and ``"lumped SE elements": "capacitive"`` (R‖C elements for the
SE bulk and grain boundary). Without them the model has no capacitance above the
diffusion range and the arcs collapse.

State
-----
The linearisation point is the last state of a time-domain run of the *same* model with
the time-domain options (``"surface form": "false"``, resistive SE elements: the
capacitive form with its 5e-8 s bulk time constant makes long cycling runs fail), carried
over by variable name with :meth:`pybamm.BaseModel.set_initial_conditions_from` on the
same mesh. Carrying over the state is exact at rest: after the 2nd charge both routes
(cycling with the EIS options, or with the time-domain options) give the same spectrum to
0.01 Ω. :meth:`pybamm.EISSimulation.solve`'s own ``initial_soc`` is not used: for a half
cell it interpolates between the stoichiometries at the parameter set's "Lower/Upper
voltage cut-off [V]" (1.7/4.8 V, solver guards, not the protocol's limits), knows nothing
of the Li–In offset and cannot start from a cycled cell.

* ``after_cycles=N`` (default 2): the paper's state, "at the N-th charge" (Table 2 and
  Table 3 rows "B2-N"). The protocol (default
  :data:`assb_model.simulation.protocols.FIGURE6_SCHEDULE`, whose first 10 cycles are the standard
  0.13 mA cm⁻², 2.0–3.8 V vs Li–In protocol of Table 2) runs N − 1 full cycles and the
  N-th charge, then rests ``rest_s`` seconds at open circuit (default 600 s, > 9
  particle-diffusion time constants :math:`R_p^2/(\pi^2 D)`, so the interfaces and
  particles have relaxed; the paper does not state its rest). ``after_cycles=0`` is the
  as-assembled cell.
* ``soc``: the state of charge of the cathode on the model's own scale,

  .. math:: \mathrm{SOC} = \frac{x_0 - \bar x}{x_0 - x_{ch}}

  with :math:`x_0` the pristine stoichiometry (0.999), :math:`\bar x` the average
  stoichiometry of the connected NMC and :math:`x_{ch}` the stoichiometry whose
  open-circuit potential equals the upper cut-off (3.8 V vs Li–In + :math:`U_{LiIn}` =
  4.42 V vs Li, :math:`x_{ch} \approx 0.375`). SOC = 1 is the cell charged to
  equilibrium at the cut-off; a galvanostatic charge stops before it (after the 2nd
  charge and the rest the model sits at SOC ≈ 0.97). With ``after_cycles=0`` the
  pristine cell is set to the uniform stoichiometry of that SOC; with ``after_cycles=N``
  the N-th charge stops when :math:`\bar x` reaches it (or at the cut-off, whichever
  comes first). The SOC actually reached is reported in :attr:`ModelImpedance.state`.

What the spectrum contains
--------------------------
From high to low frequency: the SE bulk arc (:math:`R_{SE} C_{SE}` = 5e-8 s, apex above
1 MHz: at 1 MHz the spectrum is still 10 % below :math:`R_{SE}`, so the bulk resistance
is only seen extrapolated, e.g. by a circuit fit), the grain-boundary arc, the SE/cathode
arc, the SE/anode arc and the particle-diffusion tail. The composite's own ionic
resistance :math:`R_{ion} = L_p/(\sigma_{eff} A)` is not a lumped element: with the
SE/cathode interface it forms a transmission line whose real-axis width is
:math:`\sqrt{R_{ion} R_{SE/Cat}}\coth\sqrt{R_{ion}/R_{SE/Cat}}` (≈ :math:`R_{SE/Cat} +
R_{ion}/3` when :math:`R_{ion} \ll R_{SE/Cat}`), reported as ``R_SECat_porous_ohm`` by
:func:`model_resistances`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pybamm
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from assb_model.errors import ParameterError, SimulationError
from assb_model.model import ASSBModel
from assb_model.simulation import (
    DEFAULT_VAR_PTS,
    FIGURE6_SCHEDULE,
    ImpedanceStates,
    Runner,
    Segment,
    as_scenario,
)

if TYPE_CHECKING:
    from assb_model.ecm.fitting import FitResult

__all__ = [
    "DEFAULT_FREQUENCIES",
    "DEFAULT_REST_S",
    "EIS_OPTIONS",
    "ModelImpedance",
    "PreparedStates",
    "charged_stoichiometry",
    "impedance_after_cycles",
    "impedance_at_state",
    "model_at_state",
    "model_impedance",
    "model_resistances",
    "prepare_states",
    "soc_from_stoichiometry",
    "stoichiometry_at_soc",
]

#: Options the impedance model needs on top of the user's: double layers and R‖C elements.
EIS_OPTIONS = {"surface form": "differential", "lumped SE elements": "capacitive"}
#: 1 MHz to 1 mHz, 10 points per decade, high to low (the paper's window and order).
DEFAULT_FREQUENCIES = np.logspace(6, -3, 91)
#: Open-circuit rest between the charge and the impedance measurement [s].
DEFAULT_REST_S = 600.0

_OCP_NAME = "Positive electrode OCP [V]"
_C_MAX = "Maximum concentration in positive electrode [mol.m-3]"
_C_INIT = "Initial concentration in positive electrode [mol.m-3]"
_U_LIIN = "Li-In counter electrode potential vs Li [V]"


@dataclass
class ModelImpedance:
    """A simulated impedance spectrum and the model state it belongs to.

    Unpacks as ``f, Z = result``.

    Attributes
    ----------
    frequency : numpy.ndarray
        Frequencies [Hz].
    impedance : numpy.ndarray
        Complex impedance [Ω], :math:`Z'' < 0` for capacitive behaviour.
    resistances : dict
        The model's own resistances at the state (:func:`model_resistances`).
    state : dict
        ``after_cycles``, ``soc``, ``stoichiometry``, ``cathode_potential_vs_Li_V``,
        ``voltage_vs_LiIn_V``, ``interphase_thickness_nm``, ``contact_retained_fraction``,
        ``rest_s``.
    label : str
        Parameter-set name (or "parameter values").
    options : dict
        Options of the linearised model (the user's plus :data:`EIS_OPTIONS`).
    solution : pybamm.Solution
        The time-domain run whose last state is the linearisation point.
    parameter_values : pybamm.ParameterValues
    var_pts : dict
        Mesh of both the time-domain and the linearised model.
    inputs : dict
        PyBaMM input-parameter values used.
    """

    frequency: NDArray[np.float64]
    impedance: NDArray[np.complex128]
    resistances: dict[str, float]
    state: dict[str, float]
    label: str
    options: dict = field(repr=False)
    solution: pybamm.Solution = field(repr=False)
    parameter_values: pybamm.ParameterValues = field(repr=False)
    var_pts: dict = field(repr=False)
    inputs: dict = field(default_factory=dict, repr=False)

    def __iter__(self) -> Iterator[NDArray]:
        return iter((self.frequency, self.impedance))

    def to_csv(self, path: str | Path) -> Path:
        """Write ``frequency_Hz,Z_real_ohm,Z_imag_ohm`` (``Z_imag`` < 0 when capacitive).

        See :func:`~assb_model.ecm.io.write_spectrum_csv`.
        """
        from assb_model.ecm.io import write_spectrum_csv

        return write_spectrum_csv(path, self.frequency, self.impedance)

    def fit(self, circuit: Any = "paper-fig7", **kwargs: Any) -> FitResult:
        """Fit an equivalent circuit (default: the paper's Figure 7e) to the spectrum.

        Keyword arguments go to :func:`~assb_model.ecm.fitting.fit_circuit`.
        """
        from assb_model.ecm.fitting import fit_circuit

        return fit_circuit(circuit, self.frequency, self.impedance, **kwargs)


# ---------------------------------------------------------------------------------------
# State of charge on the model's scale
# ---------------------------------------------------------------------------------------
def _ocp(pv: pybamm.ParameterValues, x: float) -> float:
    param = pybamm.LithiumIonParameters({"working electrode": "positive"})
    T = pybamm.Scalar(float(pv["Initial temperature [K]"]))
    return float(pv.evaluate(param.p.prim.U(pybamm.Scalar(x), T)))


def _pristine_stoichiometry(pv: pybamm.ParameterValues) -> float:
    return float(pv[_C_INIT]) / float(pv[_C_MAX])


def charged_stoichiometry(pv: pybamm.ParameterValues, upper_cutoff: float = 3.8) -> float:
    """Stoichiometry whose open-circuit potential is the upper cut-off.

    Solves :math:`U(x_{ch}) = V_{up} + U_{LiIn}` (cut-off vs Li–In converted to vs Li).

    Parameters
    ----------
    pv : pybamm.ParameterValues
    upper_cutoff : float
        Upper cut-off [V vs Li–In].
    """
    target = upper_cutoff + float(pv[_U_LIIN])
    x0 = _pristine_stoichiometry(pv)
    lo = 1e-3
    if not _ocp(pv, x0) < target < _ocp(pv, lo):
        raise ParameterError(f"no stoichiometry in ({lo}, {x0}) has U = {target:.3f} V vs Li")
    return float(brentq(lambda x: _ocp(pv, x) - target, lo, x0, xtol=1e-10))


def stoichiometry_at_soc(
    pv: pybamm.ParameterValues, soc: float, upper_cutoff: float = 3.8
) -> float:
    r"""Average NMC stoichiometry at a cathode state of charge (module docstring).

    :math:`x = x_0 - \mathrm{SOC}\,(x_0 - x_{ch})`.
    """
    if not 0.0 <= soc <= 1.0:
        raise ParameterError(f"soc must lie in [0, 1], got {soc}")
    x0 = _pristine_stoichiometry(pv)
    return x0 - soc * (x0 - charged_stoichiometry(pv, upper_cutoff))


def soc_from_stoichiometry(
    pv: pybamm.ParameterValues, x: float, upper_cutoff: float = 3.8
) -> float:
    """Inverse of :func:`stoichiometry_at_soc` (not clipped to [0, 1])."""
    x0 = _pristine_stoichiometry(pv)
    return (x0 - x) / (x0 - charged_stoichiometry(pv, upper_cutoff))


# ---------------------------------------------------------------------------------------
# The model's own resistances at a state
# ---------------------------------------------------------------------------------------
def _last(solution: pybamm.Solution, name: str) -> float:
    return float(np.ravel(solution.last_state[name].entries)[-1])


def model_resistances(solution: pybamm.Solution, pv: pybamm.ParameterValues) -> dict[str, float]:
    r"""Resistances of the model at the last state of ``solution`` [Ω].

    Returns
    -------
    dict
        ``R_SE_ohm`` (lumped bulk element), ``R_GB_ohm`` (the lumped grain-boundary
        element with option "SE grain boundary": "lumped"; by default the composite's
        ionic contribution :math:`R_{ion}/3` that the paper's circuit reads as the SE-GB
        arc), ``R_GB_lumped_ohm`` (0 by default), ``R_SECat_ohm`` (the variable
        "SE/cathode interface resistance [Ohm]", film + charge transfer over the contact
        area), ``R_SEAn_ohm``, ``R_ion_composite_ohm`` (:math:`L_p/(\sigma_{eff} A)`),
        ``R_SECat_porous_ohm`` (the transmission-line width
        :math:`\sqrt{R_{ion} R_{SE/Cat}}\coth\sqrt{R_{ion}/R_{SE/Cat}}`; electronic
        resistance neglected, ~0.2 Ω) and ``R_total_ohm`` (:math:`R_{SE} + R_{GB} +
        R_{SE/Cat,porous} + R_{SE/An}`, the real-axis width before the diffusion tail).
    """
    r_cat = _last(solution, "SE/cathode interface resistance [Ohm]")
    sigma = _last(solution, "Composite SE effective conductivity [S.m-1]")
    area = float(pv["Electrode width [m]"]) * float(pv["Electrode height [m]"])
    r_ion = float(pv["Positive electrode thickness [m]"]) / (sigma * area)
    nu = np.sqrt(r_ion / r_cat)
    r_porous = float(np.sqrt(r_ion * r_cat) / np.tanh(nu))
    try:
        r_gb_lumped = _last(solution, "SE grain-boundary resistance [Ohm]")
    except KeyError:  # option "SE grain boundary": "composite" (default)
        r_gb_lumped = 0.0
    out = {
        "R_SE_ohm": _last(solution, "SE bulk resistance [Ohm]"),
        "R_GB_ohm": r_gb_lumped if r_gb_lumped > 0 else r_ion / 3,
        "R_GB_lumped_ohm": r_gb_lumped,
        "R_SECat_ohm": r_cat,
        "R_SEAn_ohm": _last(solution, "SE/anode interface resistance [Ohm]"),
        "R_ion_composite_ohm": r_ion,
        "R_SECat_porous_ohm": r_porous,
    }
    out["R_total_ohm"] = out["R_SE_ohm"] + r_gb_lumped + r_porous + out["R_SEAn_ohm"]
    return out


def _state_summary(solution: pybamm.Solution, pv, after_cycles: int, rest_s: float) -> dict:
    x = _last(solution, "Average positive particle stoichiometry")
    try:
        retained = _last(solution, "X-averaged positive electrode contact retained fraction")
    except KeyError:
        retained = 1.0
    return {
        "after_cycles": after_cycles,
        "soc": soc_from_stoichiometry(pv, x),
        "stoichiometry": x,
        "cathode_potential_vs_Li_V": _last(solution, "Cathode potential vs Li [V]"),
        "voltage_vs_LiIn_V": _last(solution, "Voltage [V]"),
        "interphase_thickness_nm": 1e9
        * _last(solution, "X-averaged positive electrode interphase thickness [m]"),
        "contact_retained_fraction": retained,
        "rest_s": rest_s,
    }


# ---------------------------------------------------------------------------------------
# State preparation (time-domain runs)
# ---------------------------------------------------------------------------------------
def _time_domain_options(options: Mapping | None) -> dict:
    return {k: v for k, v in dict(options or {}).items() if k not in EIS_OPTIONS}


def _eis_options(options: Mapping | None) -> dict:
    return {**_time_domain_options(options), **EIS_OPTIONS}


def _var_pts(model: ASSBModel, var_pts: Mapping | None) -> dict:
    return {**model.default_var_pts, **(var_pts or DEFAULT_VAR_PTS)}


def _state_step(solution: pybamm.Solution, n: int, rest_s: float, label: str) -> pybamm.Solution:
    """The step of cycle ``n`` whose last state is the impedance state."""
    k = 1 if rest_s > 0 else 0
    cycles = solution.cycles
    if len(cycles) < n or cycles[n - 1] is None or len(cycles[n - 1].steps) <= k:
        raise SimulationError(
            f"{label}: the protocol stopped before the state after charge {n} "
            f"({len(cycles)} cycles run; last step ended by: {solution.termination})"
        )
    step = cycles[n - 1].steps[k]
    if isinstance(step, pybamm.EmptySolution):
        raise SimulationError(f"{label}: charge {n} was infeasible (cut-off reached at once)")
    return step


@dataclass
class PreparedStates:
    """Result of :func:`prepare_states`.

    Attributes
    ----------
    states : dict
        Cycle → solution whose last state is the impedance state.
    parameter_values : pybamm.ParameterValues
        The values of the run (inputs as "[input]").
    label : str
    soc_reference : pybamm.ParameterValues
        The set's values with the inputs filled in and the pristine stoichiometry of the
        set, which defines the SOC scale.
    inputs : dict
    rest_s : float
    """

    states: dict[int, pybamm.Solution]
    parameter_values: pybamm.ParameterValues
    label: str
    soc_reference: pybamm.ParameterValues
    inputs: dict
    rest_s: float
    options: dict = field(default_factory=dict)
    var_pts: dict | None = None


def prepare_states(
    parameter_set: str | pybamm.ParameterValues = "giraldo2021_sp_lpscl_coated",
    cycles: Sequence[int] = (2,),
    *,
    soc: float | None = None,
    protocol: Sequence[Segment] = FIGURE6_SCHEDULE,
    rest_s: float = DEFAULT_REST_S,
    options: Mapping | None = None,
    parameter_overrides: Mapping | None = None,
    inputs: Mapping | None = None,
    var_pts: Mapping | None = None,
) -> PreparedStates:
    """Run the time-domain model to the states at which impedance is taken.

    One run of ``protocol`` up to the largest of ``cycles``; after the charge of every
    requested cycle the cell rests ``rest_s`` at open circuit (the paper stopped the
    cycling for impedance) and then goes on. Cycle 0 is the as-assembled cell (at the
    uniform stoichiometry of ``soc`` if given), rested ``rest_s`` (at least 1 s).

    Parameters
    ----------
    parameter_set : str or pybamm.ParameterValues
    cycles : sequence of int
        Charges after which the state is wanted (0 = pristine, alone).
    soc : float, optional
        Cathode SOC (module docstring); only with a single entry in ``cycles``.
    protocol : sequence of Segment
        Default :data:`~assb_model.simulation.protocols.FIGURE6_SCHEDULE`.
    rest_s : float
    options : dict, optional
        Model options (EIS-only options are dropped here).
    parameter_overrides, inputs : dict, optional
        Values replacing the set's; ``inputs`` become PyBaMM input parameters.
    var_pts : dict, optional
        Mesh, default :data:`assb_model.simulation.DEFAULT_VAR_PTS`.

    Returns
    -------
    PreparedStates
    """
    cycles = sorted({int(c) for c in cycles})
    if soc is not None and len(cycles) > 1:
        raise ParameterError("soc applies to a single state")
    states_protocol = ImpedanceStates(tuple(cycles), tuple(protocol), rest_s)
    states_protocol.check()
    scenario = as_scenario(
        parameter_set, options=options, overrides=parameter_overrides, var_pts=var_pts
    )
    scenario = replace(scenario, options=_time_domain_options(scenario.options))
    inputs = dict(inputs or {})
    scale = scenario.parameter_values()
    label = scenario.label
    unknown = [k for k in inputs if k not in scale.keys()]
    if unknown:
        raise ParameterError(f"{label}: unknown input parameter(s) {unknown}")
    scale.update(inputs)
    x_target = None if soc is None else stoichiometry_at_soc(scale, soc)
    if cycles == [0] and x_target is not None:
        # the pristine cell at the uniform stoichiometry of that SOC
        scenario = scenario.with_overrides(**{_C_INIT: x_target * float(scale[_C_MAX])})
    elif x_target is not None:
        states_protocol = ImpedanceStates(tuple(cycles), tuple(protocol), rest_s, x_target)
    runner = Runner(scenario, states_protocol, list(inputs), force_inputs=True)
    solution, point = runner.solve(inputs)
    pv = point.build.parameter_values
    if cycles == [0]:
        states = {0: solution}
    else:
        states = {n: _state_step(solution, n, rest_s, label) for n in cycles}
    return PreparedStates(
        states, pv, label, scale, inputs, rest_s, scenario.options, scenario.var_pts
    )


# ---------------------------------------------------------------------------------------
# Linearisation at a state
# ---------------------------------------------------------------------------------------
def model_at_state(
    solution: pybamm.Solution, options: Mapping | None = None, inputs: Mapping | None = None
) -> ASSBModel:
    """An :class:`~assb_model.ASSBModel` with the EIS options, starting from a state.

    The initial conditions are the last state of ``solution`` (a run of the model with
    the same mesh and degradation options), carried over by variable name. The same model
    serves the time-domain checks (small sine, DC step) of the linearisation.
    """
    model = ASSBModel(_eis_options(options))
    model.set_initial_conditions_from(solution, inputs=dict(inputs or {}))
    return model


def impedance_at_state(
    solution: pybamm.Solution,
    parameter_values: pybamm.ParameterValues,
    frequencies: ArrayLike = DEFAULT_FREQUENCIES,
    *,
    options: Mapping | None = None,
    inputs: Mapping | None = None,
    var_pts: Mapping | None = None,
) -> NDArray[np.complex128]:
    """Impedance [Ω] of the model linearised at the last state of ``solution``.

    ``parameter_values`` and ``var_pts`` must be those of the run that produced
    ``solution``.
    """
    f = np.asarray(frequencies, dtype=float).ravel()
    if f.size == 0 or not np.all(np.isfinite(f) & (f > 0)):
        raise ParameterError("frequencies must be finite and positive")
    model = model_at_state(solution, options, inputs)
    sim = pybamm.EISSimulation(
        model, parameter_values=parameter_values, var_pts=_var_pts(model, var_pts)
    )
    return np.asarray(sim.solve(f, inputs=dict(inputs or {})).impedance, dtype=complex)


def impedance_after_cycles(
    parameter_set: str | pybamm.ParameterValues = "giraldo2021_sp_lpscl_coated",
    cycles: Sequence[int] = (2, 10, 29, 130),
    frequencies: ArrayLike = DEFAULT_FREQUENCIES,
    *,
    soc: float | None = None,
    protocol: Sequence[Segment] = FIGURE6_SCHEDULE,
    rest_s: float = DEFAULT_REST_S,
    options: Mapping | None = None,
    parameter_overrides: Mapping | None = None,
    inputs: Mapping | None = None,
    var_pts: Mapping | None = None,
) -> list[ModelImpedance]:
    """Spectra after several charges of one protocol run (Table 3: cycles 2, 10, 29, 130).

    Arguments as :func:`prepare_states` and :func:`model_impedance`; one
    :class:`ModelImpedance` per cycle, in increasing cycle order.
    """
    prepared = prepare_states(
        parameter_set,
        cycles,
        soc=soc,
        protocol=protocol,
        rest_s=rest_s,
        options=options,
        parameter_overrides=parameter_overrides,
        inputs=inputs,
        var_pts=var_pts,
    )
    return [_impedance_result(prepared, n, frequencies) for n in sorted(prepared.states)]


def _impedance_result(prepared: PreparedStates, n: int, frequencies: ArrayLike) -> ModelImpedance:
    state, pv, inputs = prepared.states[n], prepared.parameter_values, prepared.inputs
    options, var_pts = prepared.options, prepared.var_pts
    f = np.asarray(frequencies, dtype=float).ravel()
    Z = impedance_at_state(state, pv, f, options=options, inputs=inputs, var_pts=var_pts)
    return ModelImpedance(
        frequency=f,
        impedance=Z,
        resistances=model_resistances(state, prepared.soc_reference),
        state=_state_summary(state, prepared.soc_reference, n, prepared.rest_s),
        label=prepared.label,
        options=_eis_options(options),
        solution=state,
        parameter_values=pv,
        var_pts=dict(var_pts or DEFAULT_VAR_PTS),
        inputs=inputs,
    )


def model_impedance(
    parameter_set: str | pybamm.ParameterValues = "giraldo2021_sp_lpscl_coated",
    frequencies: ArrayLike = DEFAULT_FREQUENCIES,
    *,
    soc: float | None = None,
    after_cycles: int = 2,
    inputs: Mapping | None = None,
    protocol: Sequence[Segment] = FIGURE6_SCHEDULE,
    rest_s: float = DEFAULT_REST_S,
    options: Mapping | None = None,
    parameter_overrides: Mapping | None = None,
    var_pts: Mapping | None = None,
) -> ModelImpedance:
    """Impedance spectrum of the model at the paper's measurement state.

    Parameters
    ----------
    parameter_set : str or pybamm.ParameterValues
        A set name (:func:`assb_model.list_parameter_sets`) or values.
    frequencies : array_like
        Hz; default 1 MHz → 1 mHz, 10 per decade (:data:`DEFAULT_FREQUENCIES`).
    soc : float, optional
        Cathode state of charge on the model's scale (module docstring). Default: the
        state the protocol leaves after the charge.
    after_cycles : int
        The spectrum is taken after the charge of this cycle (default 2, "2nd charge"
        of Tables 2 and 3); 0 = the as-assembled cell.
    inputs : dict, optional
        Parameter name → value, passed as PyBaMM input parameters to both the
        time-domain run and the linearised model.
    protocol : sequence of Segment
        Cycling before the measurement (default
        :data:`~assb_model.simulation.protocols.FIGURE6_SCHEDULE`; cycles beyond it repeat its
        last segment).
    rest_s : float
        Open-circuit rest after the charge [s] (default :data:`DEFAULT_REST_S`).
    options : dict, optional
        Model options; :data:`EIS_OPTIONS` are added for the linearised model.
    parameter_overrides : dict, optional
    var_pts : dict, optional

    Returns
    -------
    ModelImpedance
        ``f, Z = model_impedance(...)`` unpacks it.

    Examples
    --------
    >>> f, Z = model_impedance("giraldo2021_sp_lpscl_coated")  # doctest: +SKIP
    """
    if int(after_cycles) != after_cycles or after_cycles < 0:
        raise ParameterError(f"after_cycles must be a non-negative integer, got {after_cycles}")
    (result,) = impedance_after_cycles(
        parameter_set,
        (int(after_cycles),),
        frequencies,
        soc=soc,
        protocol=protocol,
        rest_s=rest_s,
        options=options,
        parameter_overrides=parameter_overrides,
        inputs=inputs,
        var_pts=var_pts,
    )
    return result
