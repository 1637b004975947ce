"""The three levels of power and the OCI's inherited weight; where bargaining weights and
patience come from (alternating offers, breakdown, trust)."""

from __future__ import annotations

import dataclasses
import math
import warnings
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from powergames.bargaining import rubinstein, rubinstein_limit
from powergames.errors import InvalidParameterError
from powergames.partnership import (
    MesoPower,
    MicroPower,
    Parameters,
    evaluate,
    inherited_weight,
    power_balance,
    relation_discount_factor,
    weight_from_breakdown,
    weight_from_patience,
)

# Power levels in logit units, small enough that a_0 never rounds to 0 or 1.
levels = st.floats(-1.0, 1.0)
mesos = st.builds(MesoPower, levels, levels, levels)
micros = st.builds(MicroPower, levels)
rates = st.floats(0.01, 1.0)
amounts = st.floats(0.0, 5.0)

COMPONENTS = [
    ("macro", None, +1),
    ("meso_oci", "formal_authority", +1),
    ("meso_oci", "critical_resources", +1),
    ("meso_oci", "discursive_legitimacy", +1),
    ("micro_oci", "control_of_uncertainty", +1),
    ("meso_ngo", "formal_authority", -1),
    ("meso_ngo", "critical_resources", -1),
    ("meso_ngo", "discursive_legitimacy", -1),
    ("micro_ngo", "control_of_uncertainty", -1),
]


# --- the three levels of power -------------------------------------------------------


@given(levels, mesos, mesos, micros, micros)
def test_inherited_weight_has_the_power_sum_as_logit(macro, meso_n, meso_s, micro_n, micro_s):
    a0 = inherited_weight(macro, meso_n, meso_s, micro_n, micro_s)
    expected = macro + meso_n.total - meso_s.total + micro_n.total - micro_s.total
    assert 0 < a0 < 1
    assert power_balance(a0) == pytest.approx(expected, abs=1e-9)
    assert math.log(a0 / (1 - a0)) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("argument", "field", "sign"), COMPONENTS)
@given(
    macro=levels,
    meso_n=mesos,
    meso_s=mesos,
    micro_n=micros,
    micro_s=micros,
    step=st.floats(0.01, 1.0),
)
def test_more_power_for_a_partner_moves_the_weight_its_way(
    argument, field, sign, macro, meso_n, meso_s, micro_n, micro_s, step
):
    before = {
        "macro": macro,
        "meso_oci": meso_n,
        "meso_ngo": meso_s,
        "micro_oci": micro_n,
        "micro_ngo": micro_s,
    }
    after = dict(before)
    if field is None:
        after[argument] = macro + step
    else:
        level = before[argument]
        after[argument] = dataclasses.replace(level, **{field: getattr(level, field) + step})
    a_before, a_after = inherited_weight(**before), inherited_weight(**after)
    assert (a_after - a_before) * sign > 0


@given(mesos, micros)
def test_symmetric_power_gives_an_even_split(meso, micro):
    assert inherited_weight(0.0, meso, meso, micro, micro) == 0.5


def test_no_power_at_all_gives_an_even_split():
    assert inherited_weight() == 0.5


def test_trust_is_not_zero_sum_power():
    # Trust lowers the hazard of breakdown (relation_discount_factor); it does not move
    # the split of the surplus.
    with pytest.raises(TypeError):
        MicroPower(trust=1.0)  # type: ignore[call-arg]


def test_inherited_weight_vectorised_equals_element_by_element():
    rng = np.random.default_rng(7)
    macro = rng.uniform(-2, 2, size=(4, 1))
    authority = rng.uniform(-2, 2, size=(1, 3))
    legitimacy = rng.uniform(-2, 2, size=3)
    control = rng.uniform(-2, 2, size=(4, 3))
    grid = inherited_weight(
        macro,
        MesoPower(formal_authority=authority),
        MesoPower(discursive_legitimacy=legitimacy),
        MicroPower(control_of_uncertainty=control),
    )
    assert grid.shape == (4, 3)
    for i in range(4):
        for j in range(3):
            one = inherited_weight(
                float(macro[i, 0]),
                MesoPower(formal_authority=float(authority[0, j])),
                MesoPower(discursive_legitimacy=float(legitimacy[j])),
                MicroPower(control_of_uncertainty=float(control[i, j])),
            )
            assert isinstance(one, float)
            assert grid[i, j] == one


def test_inherited_weight_is_symbolic_with_sympy_input():
    m, f, d, c, t = sp.symbols("m f d c t", real=True)
    a0 = inherited_weight(
        m,
        MesoPower(formal_authority=f),
        MesoPower(discursive_legitimacy=d),
        MicroPower(control_of_uncertainty=c),
        MicroPower(control_of_uncertainty=t),
    )
    z = m + f - d + c - t
    assert isinstance(a0, sp.Expr)
    assert sp.simplify(a0 - 1 / (1 + sp.exp(-z))) == 0
    assert sp.simplify(power_balance(a0) - z) == 0
    point = {m: 0.5, f: 0.25, d: -0.5, c: 0.125, t: 1.0}
    numeric = inherited_weight(
        0.5,
        MesoPower(formal_authority=0.25),
        MesoPower(discursive_legitimacy=-0.5),
        MicroPower(control_of_uncertainty=0.125),
        MicroPower(control_of_uncertainty=1.0),
    )
    assert float(a0.subs(point)) == pytest.approx(numeric, abs=1e-15)


@given(st.floats(-700.0, 700.0))
def test_the_logistic_and_its_inverse_are_accurate_to_a_few_ulps(z):
    # Against exact rational arithmetic on the float math.exp returns.
    exact = 1 / (1 + Fraction(math.exp(-z)))
    weight = inherited_weight(z)
    assert abs(Fraction(weight) - exact) <= 4 * math.ulp(float(exact))
    if 0.0 < weight < 1.0:
        with localcontext() as context:
            context.prec = 40
            logit = (Decimal(weight) / (1 - Decimal(weight))).ln()
        assert power_balance(weight) == pytest.approx(float(logit), rel=1e-14, abs=1e-15)


def test_the_logistic_saturates_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        weights = inherited_weight(np.array([-1000.0, -745.0, 0.0, 40.0, 1000.0]))
    assert weights.tolist()[0] == 0.0 and weights.tolist()[2] == 0.5
    assert weights.tolist()[3:] == [1.0, 1.0]


def test_power_balance_inverts_the_weight_on_arrays():
    weights = np.array([0.1, 0.5, 0.9])
    assert inherited_weight(power_balance(weights)) == pytest.approx(weights, abs=1e-15)


@pytest.mark.parametrize("bad", [0.0, 1.0, 1.5, -0.2, math.nan, np.array([0.5, 1.0]), True, "x"])
def test_power_balance_rejects_weights_outside_the_open_interval(bad):
    with pytest.raises(InvalidParameterError, match="a0"):
        power_balance(bad)


def test_power_levels_reject_bad_values():
    with pytest.raises(InvalidParameterError, match="MesoPower: critical_resources"):
        MesoPower(critical_resources=math.inf)
    with pytest.raises(InvalidParameterError, match="MicroPower: control_of_uncertainty"):
        MicroPower(control_of_uncertainty="high")
    with pytest.raises(InvalidParameterError, match="macro"):
        inherited_weight(math.nan)
    with pytest.raises(InvalidParameterError, match="meso_oci"):
        inherited_weight(0.0, MicroPower())  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="mixes"):
        inherited_weight(np.array([0.0, 1.0]), MesoPower(formal_authority=sp.Symbol("x")))


# --- patience (Binmore, Rubinstein & Wolinsky 1986) ----------------------------------


@given(rates, rates)
def test_patience_weight_is_the_rubinstein_limit_share_of_the_oci(r_oci, r_ngo):
    weight = weight_from_patience(r_oci, r_ngo)
    assert weight == rubinstein_limit(r_oci, r_ngo).payoffs[0]
    assert weight == pytest.approx(r_ngo / (r_oci + r_ngo), rel=1e-15)
    assert power_balance(weight) == pytest.approx(math.log(r_ngo) - math.log(r_oci), abs=1e-9)


def test_reference_rates_give_two_thirds_to_the_more_patient_oci():
    assert weight_from_patience(0.05, 0.10) == pytest.approx(2 / 3, rel=1e-15)


@given(rates, rates)
def test_alternating_offers_converge_to_the_patience_weight_whoever_proposes(r_oci, r_ngo):
    weight = weight_from_patience(r_oci, r_ngo)
    errors = []
    for dt in (1e-2, 1e-3, 1e-4):
        oci_first = rubinstein(math.exp(-r_oci * dt), math.exp(-r_ngo * dt)).payoffs[0]
        ngo_first = rubinstein(math.exp(-r_ngo * dt), math.exp(-r_oci * dt)).payoffs[1]
        assert abs(oci_first - weight) <= (r_oci + r_ngo) * dt
        assert abs(ngo_first - weight) <= (r_oci + r_ngo) * dt
        assert ngo_first <= weight <= oci_first  # the first proposer's edge, vanishing
        errors.append(oci_first - ngo_first)
    assert errors[0] > errors[1] > errors[2]


def test_patience_weight_vectorised_and_symbolic():
    r_oci = np.array([0.05, 0.1, 0.2])
    assert weight_from_patience(r_oci, 0.1) == pytest.approx([2 / 3, 1 / 2, 1 / 3], rel=1e-15)
    r_n, r_s = sp.symbols("r_N r_S", positive=True)
    assert sp.simplify(weight_from_patience(r_n, r_s) - r_s / (r_n + r_s)) == 0


@pytest.mark.parametrize(
    ("oci_rate", "ngo_rate", "name"),
    [(0.0, 1.0, "oci_rate"), (1.0, -1.0, "ngo_rate"), (math.inf, 1.0, "oci_rate")],
)
def test_patience_rejects_rates_that_are_not_positive(oci_rate, ngo_rate, name):
    with pytest.raises(InvalidParameterError, match=name):
        weight_from_patience(oci_rate, ngo_rate)


# --- breakdown risk ------------------------------------------------------------------


def subjective_first_proposal(dt, rates, hazards, surplus, payoffs):
    """The first proposer's payoff when each side discounts at its rate and perceives
    its own breakdown hazard: the fixed point X = S - c2 - q2 Y, Y = S - c1 - q1 X of
    the responders' acceptance thresholds (each with its own q_i, c_i)."""
    q = [math.exp(-(r + h) * dt) for r, h in zip(rates, hazards, strict=True)]
    c = [(1 - math.exp(-h * dt)) * b for h, b in zip(hazards, payoffs, strict=True)]
    return (surplus * (1 - q[1]) - c[1] + q[1] * c[0]) / (1 - q[0] * q[1])


@given(st.floats(0.01, 1.0))
def test_a_common_hazard_gives_the_symmetric_nash_solution(hazard):
    assert weight_from_breakdown(hazard, hazard) == 0.5


@given(st.floats(0.05, 1.0), st.floats(0.0, 0.4), st.floats(0.0, 0.4))
def test_common_breakdown_converges_to_nash_at_the_breakdown_payoffs(hazard, b1, b2):
    surplus = 1.0
    weight = weight_from_breakdown(hazard, hazard)
    nash = b1 + weight * (surplus - b1 - b2)
    gaps = []
    for dt in (1e-2, 1e-3, 1e-4):
        p = 1 - math.exp(-hazard * dt)
        x = rubinstein(1.0, 1.0, breakdown=(p, (b1, b2))).payoffs[0]
        gaps.append(abs(x - nash))
        assert gaps[-1] <= hazard * dt
    assert gaps[2] <= gaps[0]


@given(st.floats(0.05, 1.0), rates, rates, st.floats(0.0, 0.4), st.floats(0.0, 0.4))
def test_breakdown_with_discounting_converges_to_the_shifted_nash_solution(
    hazard, r_oci, r_ngo, b1, b2
):
    weight = weight_from_breakdown(hazard, hazard, oci_rate=r_oci, ngo_rate=r_ngo)
    d1, d2 = hazard * b1 / (r_oci + hazard), hazard * b2 / (r_ngo + hazard)
    limit = d1 + weight * (1 - d1 - d2)
    dt = 1e-5
    p = 1 - math.exp(-hazard * dt)
    x = rubinstein(math.exp(-r_oci * dt), math.exp(-r_ngo * dt), breakdown=(p, (b1, b2)))
    assert x.payoffs[0] == pytest.approx(limit, abs=1e-4)


@given(
    st.floats(0.01, 0.99),
    st.floats(0.01, 0.99),
    st.floats(0.0, 0.5),
    st.floats(0.0, 0.4),
    st.floats(0.0, 0.4),
)
def test_a_common_hazard_is_rubinstein_over_the_shifted_pie(d1, d2, p, b1, b2):
    # Step 2 of weight_from_breakdown, checked against the library's breakdown argument.
    q1, q2 = (1 - p) * d1, (1 - p) * d2
    v1, v2 = p * b1 / (1 - q1), p * b2 / (1 - q2)
    shifted = rubinstein(q1, q2, surplus=1 - v1 - v2).payoffs[0] + v1
    direct = rubinstein(d1, d2, breakdown=(p, (b1, b2))).payoffs[0]
    assert shifted == pytest.approx(direct, abs=1e-12)


@given(st.floats(0.01, 1.0), st.floats(0.01, 1.0))
def test_perceived_hazards_without_breakdown_payoffs_act_as_impatience(h_oci, h_ngo):
    # With b = 0 a perceived breakdown is extra discounting, which rubinstein handles.
    weight = weight_from_breakdown(h_oci, h_ngo)
    assert weight == pytest.approx(h_ngo / (h_oci + h_ngo), rel=1e-15)
    dt = 1e-5
    x = rubinstein(math.exp(-h_oci * dt), math.exp(-h_ngo * dt)).payoffs[0]
    assert x == pytest.approx(weight, abs=(h_oci + h_ngo) * dt)


@given(
    st.floats(0.01, 1.0),
    st.floats(0.01, 1.0),
    st.floats(0.0, 0.5),
    st.floats(0.0, 0.5),
    st.floats(0.0, 0.4),
    st.floats(0.0, 0.4),
)
def test_perceived_hazards_converge_to_the_weighted_nash_solution(
    h_oci, h_ngo, r_oci, r_ngo, b1, b2
):
    weight = weight_from_breakdown(h_oci, h_ngo, oci_rate=r_oci, ngo_rate=r_ngo)
    d1, d2 = h_oci * b1 / (r_oci + h_oci), h_ngo * b2 / (r_ngo + h_ngo)
    limit = d1 + weight * (1 - d1 - d2)
    x = subjective_first_proposal(1e-5, (r_oci, r_ngo), (h_oci, h_ngo), 1.0, (b1, b2))
    assert x == pytest.approx(limit, abs=1e-4)
    # ... and the subjective fixed point is Rubinstein over the shifted pie (step 2).
    dt = 0.1
    q1, q2 = math.exp(-(r_oci + h_oci) * dt), math.exp(-(r_ngo + h_ngo) * dt)
    v1 = (1 - math.exp(-h_oci * dt)) * b1 / (1 - q1)
    v2 = (1 - math.exp(-h_ngo * dt)) * b2 / (1 - q2)
    shifted = rubinstein(q1, q2, surplus=1 - v1 - v2).payoffs[0] + v1
    direct = subjective_first_proposal(dt, (r_oci, r_ngo), (h_oci, h_ngo), 1.0, (b1, b2))
    assert shifted == pytest.approx(direct, abs=1e-12)


def test_without_discounting_the_breakdown_weight_is_the_partnership_arbitration():
    # d = (w_N, w_S): u = w + a Sigma, the model's agreement with weight a.
    params = Parameters(inherited_weight=weight_from_breakdown(0.1, 0.3))
    values = evaluate(params)
    assert values["agreement_oci"] == pytest.approx(1 + 0.75 * 8, abs=1e-12)


def test_breakdown_weight_vectorised_and_symbolic():
    assert weight_from_breakdown(np.array([0.1, 0.3]), 0.3) == pytest.approx([0.75, 0.5])
    l_n, l_s, r_n, r_s = sp.symbols("lambda_N lambda_S r_N r_S", positive=True)
    weight = weight_from_breakdown(l_n, l_s, oci_rate=r_n, ngo_rate=r_s)
    assert sp.simplify(weight - (r_s + l_s) / (r_n + l_n + r_s + l_s)) == 0


@pytest.mark.parametrize(
    ("arguments", "name"),
    [
        ((0.0, 0.1), "oci_hazard"),
        ((0.1, -0.1), "ngo_hazard"),
        ((0.1, 0.1, -0.5, 0.0), "oci_rate"),
        ((0.1, 0.1, 0.0, math.nan), "ngo_rate"),
    ],
)
def test_breakdown_rejects_bad_hazards_and_rates(arguments, name):
    hazards, rest = arguments[:2], arguments[2:]
    keywords = dict(zip(("oci_rate", "ngo_rate"), rest, strict=False))
    with pytest.raises(InvalidParameterError, match=name):
        weight_from_breakdown(*hazards, **keywords)


# --- trust and the discount factor ---------------------------------------------------
unit = st.floats(0.0, 1.0)


@given(st.floats(0.0, 1.0), unit, unit, st.floats(0.1, 5.0))
def test_the_relation_discount_factor_is_time_times_survival(rate, hazard, trust, period):
    delta = relation_discount_factor(rate, hazard, trust=trust, period=period)
    assert delta == pytest.approx(math.exp(-rate * period) * (1 - hazard * (1 - trust)))
    assert 0 <= delta <= 1


@given(st.floats(0.01, 1.0), st.floats(0.01, 1.0), unit, unit)
def test_trust_raises_the_discount_factor(rate, hazard, low, high):
    low, high = sorted((low, high))
    before = relation_discount_factor(rate, hazard, trust=low)
    after = relation_discount_factor(rate, hazard, trust=high)
    assert after >= before
    if high - low > 1e-6 and hazard > 1e-6:
        assert after > before


def test_full_trust_leaves_only_time():
    assert relation_discount_factor(0.1, 0.9, trust=1.0) == pytest.approx(math.exp(-0.1))


def test_the_relation_discount_factor_feeds_the_model():
    delta = relation_discount_factor(0.05, 0.4, trust=0.75)
    assert Parameters(discount_factor=delta).discount_factor == pytest.approx(math.exp(-0.05) * 0.9)


def test_relation_discount_factor_arrays_and_symbols():
    values = relation_discount_factor(0.0, np.array([0.0, 0.5]), trust=0.5)
    assert values.tolist() == [1.0, 0.75]
    r, h = sp.symbols("r h", nonnegative=True)
    assert relation_discount_factor(r, h) == (1 - h) * sp.exp(-r)


@pytest.mark.parametrize(
    ("arguments", "name"),
    [((-0.1, 0.1), "rate"), ((0.1, 1.5), "hazard"), ((0.1, 0.1, 2.0), "trust")],
)
def test_relation_discount_factor_rejects_bad_values(arguments, name):
    rate, hazard, *rest = arguments
    with pytest.raises(InvalidParameterError, match=name):
        relation_discount_factor(rate, hazard, trust=rest[0] if rest else 0.0)
