"""The solvers of the simulation layer: PyBaMM's IDAKLU, set up for many solves of one model.

Two things make a sweep point cheaper than :class:`pybamm.IDAKLUSolver` with its defaults,
with the same tolerances (``rtol=1e-4``, ``atol=1e-6``) and every other option unchanged:

- **Output variables only.** The solver evaluates just the variables the outputs need
  (:data:`OUTPUT_VARIABLES`) at its time points, inside the C++ loop, instead of storing
  the whole state for PyBaMM to evaluate afterwards: 5 ms less per one-cycle point (the
  evaluation afterwards) and 2 ms less integration (no state copies). The results are
  identical: the same integration, the same variables. Not used when the full curves are
  asked for (they read more variables than these).
- **Expanded Jacobian.** The Jacobian of the discretised model is a casadi ``MXFunction``
  (a graph of sparse matrix operations); :func:`casadi.Function.expand` turns it into an
  ``SXFunction`` (scalar operations), which casadi's virtual machine evaluates about twice
  as fast: 13 % less integration time per point (37.7 -> 32.9 ms for one cycle) for about
  0.1 s more set-up per build. It is the same Jacobian up to the order of floating-point
  operations, so Newton iterations, step sizes and results differ only at the level of
  the solver tolerance (over the σ_SE range of docs/performance.md: capacities and
  coulombic efficiency within 1e-6, energies and R_SE/Cat within 5e-5 relative).
  Expanding the residual function as well does not help (it is dominated by sparse
  matrix-vector products, as fast in either form).
"""

import casadi
import pybamm

from assb_model.simulation.summary import SUMMARY_VARIABLES

#: The variables the fast solver computes: those of the cycle table and run outputs
#: (:mod:`assb_model.simulation.summary`; time is always returned).
OUTPUT_VARIABLES = SUMMARY_VARIABLES


class _ExpandedJacobian(pybamm.BaseSolver):
    """Expands the model's Jacobian after PyBaMM's set-up (sits between
    :class:`pybamm.IDAKLUSolver` and :class:`pybamm.BaseSolver` in the MRO, so the
    IDAKLU set-up builds its KLU Jacobian from the expanded function)."""

    def set_up(self, model, inputs=None, t_eval=None, ics_only=False):
        result = super().set_up(model, inputs, t_eval, ics_only)
        jac = getattr(model, "jac_rhs_algebraic_eval", None)
        if not ics_only and isinstance(jac, casadi.Function) and jac.class_name() == "MXFunction":
            model.jac_rhs_algebraic_eval = jac.expand()
        return result


class SweepSolver(pybamm.IDAKLUSolver, _ExpandedJacobian):
    """:class:`pybamm.IDAKLUSolver` with an expanded (SX) Jacobian; same arguments."""


def default_solver() -> pybamm.IDAKLUSolver:
    """The solver of a run whose whole state is kept (curves, impedance states)."""
    return pybamm.IDAKLUSolver()


def fast_solver(curves: bool = False, expand_jacobian: bool = True) -> pybamm.IDAKLUSolver:
    """A new solver for many solves of one simulation (sweeps, fits, the explorer).

    Parameters
    ----------
    curves : bool
        The full curves will be read: return the whole state (no output variables).
    expand_jacobian : bool
        Use :class:`SweepSolver` (expanded Jacobian); else plain IDAKLU.
    """
    cls = SweepSolver if expand_jacobian else pybamm.IDAKLUSolver
    return cls(output_variables=None if curves else list(OUTPUT_VARIABLES))
