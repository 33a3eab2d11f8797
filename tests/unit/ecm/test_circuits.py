"""Circuit elements, composition and the circuit-string parser.

Analytic identities are checked to 1e-12 relative (floating-point round-off of a handful
of operations); analytic gradients against central finite differences to 1e-6 (the
truncation error of a 1e-6 relative step).
"""

from __future__ import annotations

import numpy as np
import pytest

from assb_model.ecm.circuits import (
    CPE,
    AnomalousDiffusionReflective,
    AnomalousDiffusionTransmissive,
    C,
    CircuitParseError,
    FiniteWarburgOpen,
    FiniteWarburgShort,
    L,
    Parallel,
    R,
    Series,
    Warburg,
    get_circuit,
    paper_fig5,
    paper_fig7,
    parse_circuit,
)
from assb_model.ecm.elements import ELEMENT_REGISTRY, Element, register_element

F = np.logspace(6, -3, 91)
W = 2 * np.pi * F


def test_rc_parallel_matches_closed_form():
    circuit = Parallel(R("R1"), C("C1"))
    Z = circuit.impedance(F, [100.0, 1e-6])
    np.testing.assert_allclose(Z, 100.0 / (1 + 1j * W * 100.0 * 1e-6), rtol=1e-12)


def test_capacitive_sign_convention():
    Z = C("C1", 1e-6).impedance(F)
    assert np.all(Z.imag < 0)
    assert np.all(L("L1", 1e-6).impedance(F).imag > 0)


def test_cpe_with_alpha_one_is_a_capacitor():
    np.testing.assert_allclose(
        CPE("CPE1").impedance(F, [2e-6, 1.0]), C("C1").impedance(F, [2e-6]), rtol=1e-12
    )


def test_cpe_phase_is_minus_alpha_times_90_degrees():
    Z = CPE("CPE1").impedance(F, [1e-5, 0.8])
    np.testing.assert_allclose(np.degrees(np.angle(Z)), -72.0, atol=1e-9)


def test_series_and_parallel_composition():
    r0, r1, c1 = R("R0", 10.0), R("R1", 100.0), C("C1", 1e-6)
    series = Series(r0, Parallel(r1, c1))
    expected = 10.0 + 1.0 / (1 / 100.0 + 1j * W * 1e-6)
    np.testing.assert_allclose(series.impedance(F), expected, rtol=1e-12)
    assert series.param_names == ("R0", "R1", "C1")
    # a parallel of two equal resistors halves them; series of equal resistors adds them
    np.testing.assert_allclose(Parallel(R("Ra"), R("Rb")).impedance(F, [50, 50]), 25.0)
    np.testing.assert_allclose(Series(R("Ra"), R("Rb")).impedance(F, [50, 50]), 100.0)


def test_nested_series_is_flattened_and_vectorised():
    c = Series(R("R0"), Series(R("R1"), C("C1")))
    assert len(c.children) == 3
    Z = c.impedance(F.reshape(7, 13), [1.0, 2.0, 3e-6])
    assert Z.shape == (7, 13)


def test_finite_warburg_limits():
    Rd, Td = 50.0, 10.0
    f_low = np.array([1e-9])  # ωT_d = 6e-8: corrections of order ωT_d are negligible
    # transmissive: Z -> R_d at low frequency; reflective: Z -> R_d/3 + 1/(jωC), C = T/R
    np.testing.assert_allclose(FiniteWarburgShort("Ws1").impedance(f_low, [Rd, Td]), Rd, 1e-6)
    w = 2 * np.pi * f_low
    z_open = FiniteWarburgOpen("Wo1").impedance(f_low, [Rd, Td])
    np.testing.assert_allclose(z_open.real, Rd / 3, rtol=1e-6)
    np.testing.assert_allclose(z_open.imag, -Rd / (w * Td), rtol=1e-6)
    # high frequency: both tend to the semi-infinite Warburg R_d/sqrt(jωT_d)
    f_high = np.array([1e4])
    semi = Rd / np.sqrt(1j * 2 * np.pi * f_high * Td)
    for cls in (FiniteWarburgShort, FiniteWarburgOpen):
        np.testing.assert_allclose(cls(cls.symbol + "1").impedance(f_high, [Rd, Td]), semi)
    sigma = Rd / np.sqrt(2 * Td)
    np.testing.assert_allclose(Warburg("W1").impedance(f_high, [sigma]), semi, rtol=1e-12)


def test_anomalous_diffusion_reduces_to_warburg_and_cpe_limits():
    Rd, Td = 80.0, 20.0
    np.testing.assert_allclose(
        AnomalousDiffusionReflective("Wao1").impedance(F, [Rd, Td, 1.0]),
        FiniteWarburgOpen("Wo1").impedance(F, [Rd, Td]),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        AnomalousDiffusionTransmissive("Was1").impedance(F, [Rd, Td, 1.0]),
        FiniteWarburgShort("Ws1").impedance(F, [Rd, Td]),
        rtol=1e-12,
    )
    # low-frequency limit of the reflective element: R_d/3 + CPE with Q = T_d^a / R_d
    a, f_low = 0.8, np.array([1e-8])
    z = AnomalousDiffusionReflective("Wao1").impedance(f_low, [Rd, Td, a])
    cpe = CPE("CPE1").impedance(f_low, [Td**a / Rd, a])
    np.testing.assert_allclose(z, Rd / 3 + cpe, rtol=1e-6)


ALL_ELEMENTS = [
    (R("R1"), [12.0]),
    (C("C1"), [3e-6]),
    (L("L1"), [2e-7]),
    (CPE("CPE1"), [4e-6, 0.83]),
    (Warburg("W1"), [7.0]),
    (FiniteWarburgShort("Ws1"), [30.0, 2.0]),
    (FiniteWarburgOpen("Wo1"), [30.0, 2.0]),
    (AnomalousDiffusionReflective("Wao1"), [30.0, 2.0, 0.7]),
    (AnomalousDiffusionTransmissive("Was1"), [30.0, 2.0, 0.7]),
]


@pytest.mark.parametrize(("element", "p"), ALL_ELEMENTS, ids=lambda x: getattr(x, "name", ""))
def test_element_gradients_match_finite_differences(element, p):
    _assert_gradient(element, np.array(p, dtype=float))


def test_circuit_gradient_matches_finite_differences():
    c = paper_fig7()
    p = np.array([171.6, 1.6e-9, 0.9, 19.4, 6.5e-7, 0.95, 150, 6.7e-6, 0.85, 57, 2e-3, 0.85,
                  200, 50, 0.9])  # fmt: skip
    _assert_gradient(c, p)


def _assert_gradient(component, p):
    _, dZ = component.impedance_and_gradient(F, p)
    for k in range(p.size):
        h = 1e-6 * abs(p[k])
        up, dn = p.copy(), p.copy()
        up[k] += h
        dn[k] -= h
        fd = (component.impedance(F, up) - component.impedance(F, dn)) / (2 * h)
        scale = np.abs(fd).max()
        assert np.abs(fd - dZ[k]).max() <= 1e-6 * scale, component.param_names[k]


@pytest.mark.parametrize(
    "text",
    [
        "R0",
        "R0-p(R1,CPE1)",
        "R0-p(R1,CPE1)-p(R2,CPE2)-Wo1",
        "p(R1,C1)-p(R2,p(R3,C3)-L1)",
        "p(R_SE,CPE_SE)-p(R_GB,CPE_GB)-Wao_Diff",
        "R0-p(R1,C1,L1)-W1-Ws2-Was3",
    ],
)
def test_parser_round_trip(text):
    circuit = parse_circuit(text)
    assert circuit.to_string() == text
    assert parse_circuit(circuit.to_string()).param_names == circuit.param_names


def test_parser_element_types_and_names():
    c = parse_circuit(" R0 - p( R1 , CPE1 ) - Wo1 ")
    assert c.to_string() == "R0-p(R1,CPE1)-Wo1"
    kinds = [type(e) for e in c.elements()]
    assert kinds == [R, R, CPE, FiniteWarburgOpen]
    assert c.param_names == ("R0", "R1", "CPE1_Q", "CPE1_alpha", "Wo1_R", "Wo1_T")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "R0-",
        "-R0",
        "R0--R1",
        "p(R1)",
        "p(R1,C1",
        "p(R1,C1))",
        "p(,R1)",
        "R0-X1",
        "R",
        "R0-R0",
        "R0+R1",
        "R0-p(R1,C1)2",
        "__import__('os')",
    ],
)
def test_parser_rejects_malformed_strings(text):
    with pytest.raises(CircuitParseError):
        parse_circuit(text)


def test_parser_error_message_points_at_position():
    with pytest.raises(CircuitParseError, match="position 3"):
        parse_circuit("R0-X1")


def test_registry_decorator_adds_a_parsable_element():
    @register_element
    class Gerischer(Element):
        symbol = "Gtest"
        param_suffixes = ("R", "T")
        units = ("Ohm", "s")
        default_bounds = ((1e-3, 1e6), (1e-9, 1e3))
        scales = ("log", "log")
        typical_values = (10.0, 1e-3)

        def _evaluate(self, omega, p):  # no analytic gradient: finite differences
            return p[0] / np.sqrt(1 + 1j * omega * p[1]), None

    try:
        c = parse_circuit("R0-Gtest1")
        assert c.param_names == ("R0", "Gtest1_R", "Gtest1_T")
        _assert_gradient(c, np.array([5.0, 20.0, 1e-3]))
        with pytest.raises(ValueError, match="already registered"):
            register_element(Gerischer)
    finally:
        ELEMENT_REGISTRY.pop("Gtest", None)


def test_paper_circuits():
    fig5, fig7 = paper_fig5(), paper_fig7()
    assert fig5.param_names[:3] == ("R_SE", "Q_SE", "alpha_SE")
    assert fig5.n_params == 12
    assert fig7.param_names[-3:] == ("R_Diff", "T_Diff", "alpha_Diff")
    assert paper_fig5(bare_se=True).param_names[:2] == ("R_SE", "R_GB")
    assert get_circuit("paper-fig7").to_string() == fig7.to_string()
    with pytest.raises(CircuitParseError, match="unknown circuit name"):
        get_circuit("paper-fig9")


def test_stored_values_and_parameter_count_errors():
    c = Series(R("R0", 5.0), Parallel(R("R1", 10.0), C("C1")))
    assert c.values is None
    with pytest.raises(ValueError, match="no parameter values"):
        c.impedance(F)
    with pytest.raises(ValueError, match="expected 3 parameters"):
        c.impedance(F, [1.0, 2.0])
    with pytest.raises(ValueError, match="must start with"):
        R("X1")
    with pytest.raises(ValueError, match="duplicate"):
        Series(R("R1"), R("R1"))
