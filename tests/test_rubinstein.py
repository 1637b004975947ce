"""Tests of Rubinstein's alternating-offers bargaining and its extensions."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, example, given
from hypothesis import strategies as st

from powergames.bargaining.rubinstein import rubinstein, rubinstein_limit
from powergames.errors import InfeasibleProblemError, InvalidParameterError

discounts = st.floats(0.0, 0.99)
shares = st.floats(0.0, 1.0)


def iterate_offers(d1, d2, surplus=1.0, options=(0.0, 0.0), p=0.0, b=(0.0, 0.0)):
    """The proposers' payoffs (X, Y) by value iteration of the acceptance thresholds,
    independent of the closed form: X = S - max(w2, p b2 + (1-p) d2 Y), Y likewise."""
    q1, q2 = (1 - p) * d1, (1 - p) * d2
    x = surplus
    for _ in range(200_000):
        y = surplus - max(options[0], p * b[0] + q1 * x)
        new = surplus - max(options[1], p * b[1] + q2 * y)
        if abs(new - x) < 1e-14:
            return new, surplus - max(options[0], p * b[0] + q1 * new)
        x = new
    raise AssertionError("value iteration did not converge")


# --- reference values (DESIGN.md section 8) --------------------------------------------


def test_equal_discount_factors_give_ten_nineteenths():
    assert rubinstein(0.9, 0.9).payoffs == pytest.approx((10 / 19, 9 / 19), abs=1e-15)


def test_unequal_discount_factors_give_five_sevenths():
    assert rubinstein(0.9, 0.8).payoffs == pytest.approx((5 / 7, 2 / 7), abs=1e-15)


def test_limit_with_rates_gives_two_thirds():
    agreement = rubinstein_limit(0.05, 0.10)
    assert agreement.payoffs == pytest.approx((2 / 3, 1 / 3), abs=1e-15)
    assert agreement.solution == "rubinstein-limit"
    assert agreement.parameters["weights"] == pytest.approx((2 / 3, 1 / 3))


def test_exact_input_gives_exact_shares():
    half, nine_tenths = sp.Rational(1, 2), sp.Rational(9, 10)
    assert rubinstein(nine_tenths, nine_tenths).payoffs == (sp.Rational(10, 19), sp.Rational(9, 19))
    assert rubinstein(nine_tenths, sp.Rational(4, 5)).payoffs[0] == sp.Rational(5, 7)
    assert rubinstein(half, half).payoffs == (sp.Rational(2, 3), sp.Rational(1, 3))


# --- worked examples from the literature ------------------------------------------------


def test_osborne_rubinstein_outside_option_below_threshold():
    # Osborne & Rubinstein (1990), Bargaining and Markets, section 3.12, proposition 3.5:
    # common delta, player 2 may opt out for b when responding. If b <= delta/(1+delta)
    # the outcome is Rubinstein's (1/(1+delta), delta/(1+delta)); delta = 0.9, b = 0.3.
    agreement = rubinstein(0.9, 0.9, outside_options=(0, 0.3))
    assert agreement.payoffs == pytest.approx((10 / 19, 9 / 19), abs=1e-15)


def test_osborne_rubinstein_outside_option_binding():
    # Same proposition, b >= delta/(1+delta): player 1 proposes (1-b, b) and player 2
    # proposes 1 - delta(1-b) for herself; delta = 0.9, b = 0.6 -> (0.4, 0.6), 0.64.
    agreement = rubinstein(0.9, 0.9, outside_options=(0, 0.6))
    assert agreement.payoffs == pytest.approx((0.4, 0.6), abs=1e-15)
    assert agreement.parameters["proposals"][1] == pytest.approx((0.36, 0.64), abs=1e-15)


def test_patient_limit_player_2_gets_her_option_above_one_half():
    # Binmore, Shaked & Sutton (1989); Muthoo (1999) ch. 5: as delta -> 1 the split is
    # (1/2, 1/2) unless w2 > 1/2, when it is (1 - w2, w2).
    assert rubinstein(0.999, 0.999, outside_options=(0, 0.7)).payoffs == pytest.approx((0.3, 0.7))
    assert rubinstein(0.999, 0.999, outside_options=(0, 0.4)).payoffs == pytest.approx(
        (1 / 1.999, 0.999 / 1.999)
    )


def test_yildiz_job_offer_with_outside_wage():
    # Yildiz, MIT 14.12 Game Theory (2008), midterm 2, problem 4: Alice proposes first to
    # Google over a surplus pi and may take Yahoo's wage r, pi/2 < r < pi, when rejecting
    # Google's offer. Infinite horizon: Google offers w_G = r and Alice demands
    # w_A = pi (1 - delta) + delta r. With pi = 10, r = 6, delta = 0.8: w_A = 6.8.
    agreement = rubinstein(0.8, 0.8, surplus=10, outside_options=(6, 0))
    assert agreement.payoffs == pytest.approx((6.8, 3.2), abs=1e-12)
    assert agreement.parameters["proposals"][1] == pytest.approx((6.0, 4.0), abs=1e-12)


def test_risk_of_breakdown_acts_as_discounting():
    # Osborne & Rubinstein (1994), A Course in Game Theory, exercise on the risk of
    # breakdown (section 7.4): with breakdown probability alpha to (0, 0) and no
    # discounting, 1 - alpha plays the role of delta_i; alpha = 0.1 -> 10/19.
    assert rubinstein(1, 1, breakdown=(0.1, (0, 0))).payoffs == pytest.approx((10 / 19, 9 / 19))


def test_walrand_rubinstein_stahl_tutorial():
    # Walrand, "Game theory - a tutorial", Rubinstein-Stahl: Alice (factor a) demands
    # x = (1-b)/(1-ab) and Bob (factor b) accepts 1 - x = b(1-a)/(1-ab). Blockchain
    # Academy Mittweida ("Discounting & Rubinstein game") has the same, with B's own
    # proposal (1-a)/(1-ab).
    a, b = sp.symbols("a b", positive=True)
    agreement = rubinstein(a, b)
    assert sp.simplify(agreement.payoffs[0] - (1 - b) / (1 - a * b)) == 0
    assert sp.simplify(agreement.payoffs[1] - b * (1 - a) / (1 - a * b)) == 0
    assert sp.simplify(agreement.parameters["proposals"][1][1] - (1 - a) / (1 - a * b)) == 0


def test_wikipedia_equal_discounting_share():
    # Wikipedia, "Rubinstein bargaining model": with a common factor d player 1 gets
    # 1/(1+d) and player 2 d/(1+d); d = 1/2 gives (2/3, 1/3).
    d = sp.symbols("d", positive=True)
    u1, u2 = rubinstein(d, d).payoffs
    assert sp.simplify(u1 - 1 / (1 + d)) == 0
    assert sp.simplify(u2 - d / (1 + d)) == 0
    assert rubinstein(0.5, 0.5).payoffs == pytest.approx((2 / 3, 1 / 3), abs=1e-15)


# --- the alternating-offers game --------------------------------------------------------


@given(discounts, discounts, st.floats(0.1, 100))
def test_agreement_is_efficient_and_immediate(d1, d2, surplus):
    agreement = rubinstein(d1, d2, surplus=surplus)
    assert sum(agreement.payoffs) == pytest.approx(surplus)
    assert 0 <= agreement.payoffs[0] <= surplus
    assert agreement.solution == "rubinstein"
    assert agreement.disagreement is None


@given(st.floats(0.0, 0.999))
def test_first_mover_advantage(delta):
    u1, u2 = rubinstein(delta, delta).payoffs
    assert u1 == pytest.approx(1 / (1 + delta))
    assert u1 > 1 / 2 > u2


@given(discounts, discounts, discounts)
def test_share_increases_in_own_patience(d1, other, d2):
    low, high = sorted((d1, other))
    assert rubinstein(high, d2).payoffs[0] >= rubinstein(low, d2).payoffs[0] - 1e-12


@given(discounts, discounts, discounts)
def test_share_decreases_in_opponents_patience(d1, d2, other):
    low, high = sorted((d2, other))
    assert rubinstein(d1, high).payoffs[0] <= rubinstein(d1, low).payoffs[0] + 1e-12


@given(discounts, discounts)
def test_proposals_make_responders_indifferent(d1, d2):
    (x1, x2), (y1, y2) = rubinstein(d1, d2).parameters["proposals"]
    assert x2 == pytest.approx(d2 * y2, abs=1e-12)
    assert y1 == pytest.approx(d1 * x1, abs=1e-12)


def test_shrinking_period_converges_monotonically_to_the_limit():
    r1, r2 = 0.05, 0.10
    limit = rubinstein_limit(r1, r2).payoffs[0]
    gaps = []
    for period in (1, 0.1, 0.01, 0.001):
        agreement = rubinstein(math.exp(-r1 * period), math.exp(-r2 * period))
        gaps.append(agreement.payoffs[0] - limit)
        responder_share = agreement.parameters["proposals"][1][0]
        assert responder_share < limit < agreement.payoffs[0]
    assert all(g > 0 for g in gaps)
    assert gaps == sorted(gaps, reverse=True)
    assert gaps[-1] < 1e-4


def test_limit_is_the_generalised_nash_solution():
    # argmax u1^a (S - u1)^(1-a) over u1 is a S with a = r2/(r1 + r2).
    u1 = np.linspace(0.001, 2.999, 29_981)
    weight = 0.10 / 0.15
    best = u1[np.argmax(weight * np.log(u1) + (1 - weight) * np.log(3 - u1))]
    assert rubinstein_limit(0.05, 0.10, surplus=3).payoffs[0] == pytest.approx(best, abs=1e-4)


def test_vectorised_input_broadcasts():
    d1 = np.array([[0.5], [0.9]])
    d2 = np.array([0.5, 0.8, 0.9])
    u1, u2 = rubinstein(d1, d2, surplus=np.array([1.0, 2.0, 3.0])).payoffs
    assert u1.shape == u2.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            expected = rubinstein(float(d1[i, 0]), float(d2[j]), surplus=j + 1.0).payoffs
            assert (u1[i, j], u2[i, j]) == pytest.approx(expected, abs=1e-14)


def test_symbolic_discount_factors():
    d1, d2 = sp.symbols("delta1 delta2", positive=True)
    u1, u2 = rubinstein(d1, d2).payoffs
    assert sp.simplify(u1 - (1 - d2) / (1 - d1 * d2)) == 0
    assert sp.simplify(u2 - (1 - (1 - d2) / (1 - d1 * d2))) == 0


def test_limit_vectorised_and_symbolic():
    u1, u2 = rubinstein_limit(np.array([1.0, 2.0]), 1.0, surplus=6).payoffs
    np.testing.assert_allclose(u1, [3.0, 2.0])
    np.testing.assert_allclose(u2, [3.0, 4.0])
    r1, r2, s = sp.symbols("r1 r2 s", positive=True)
    v1, v2 = rubinstein_limit(r1, r2, surplus=s).payoffs
    assert sp.simplify(v1 - s * r2 / (r1 + r2)) == 0
    assert sp.simplify(v2 - s * r1 / (r1 + r2)) == 0


# --- outside options --------------------------------------------------------------------


@given(discounts, discounts, shares, shares)
def test_options_below_the_threshold_change_nothing(d1, d2, t1, t2):
    (x1, _), (_, y2) = rubinstein(d1, d2).parameters["proposals"]
    options = (t1 * d1 * x1, t2 * d2 * y2)  # w1 <= delta1 X0, w2 <= delta2 Y0
    with_options = rubinstein(d1, d2, outside_options=options)
    assert with_options.payoffs == pytest.approx(rubinstein(d1, d2).payoffs, abs=1e-12)


@given(discounts, discounts, shares, shares, st.floats(0.5, 10))
@example(0.0, 0.0, 0.76171875, 1.0, 5.6361986701797955)  # w1 + w2 rounds above the surplus
def test_options_match_value_iteration(d1, d2, a, b, surplus):
    w1, w2 = a * surplus, (1 - a) * b * surplus  # w1 + w2 <= surplus
    agreement = rubinstein(d1, d2, surplus=surplus, outside_options=(w1, w2))
    x, y = iterate_offers(d1, d2, surplus, (w1, w2))
    assert agreement.payoffs[0] == pytest.approx(x, abs=1e-9)
    assert agreement.parameters["proposals"][1][1] == pytest.approx(y, abs=1e-9)


@given(discounts, discounts, shares, shares)
def test_options_solve_the_fixed_point(d1, d2, a, b):
    w1, w2 = a, (1 - a) * b
    (x, _), (_, y) = rubinstein(d1, d2, outside_options=(w1, w2)).parameters["proposals"]
    assert x == pytest.approx(1 - max(w2, d2 * y), abs=1e-12)
    assert y == pytest.approx(1 - max(w1, d1 * x), abs=1e-12)
    assert 1 - x >= w2 - 1e-12  # the responder gets at least her option


@given(discounts, discounts, shares)
def test_binding_option_gives_player_2_exactly_her_option(d1, d2, t):
    (_, _), (_, y0) = rubinstein(d1, d2).parameters["proposals"]
    w2 = d2 * y0 + t * (1 - d2 * y0)
    assert rubinstein(d1, d2, outside_options=(0, w2)).payoffs[1] == pytest.approx(w2, abs=1e-12)


def test_options_vectorised_and_symbolic_agree():
    w2 = np.array([0.0, 0.3, 0.45, 0.6, 0.9])
    u1, _ = rubinstein(0.9, 0.9, outside_options=(0.05, w2)).payoffs
    d1, d2, v1, v2 = sp.symbols("d1 d2 w1 w2", nonnegative=True)
    symbolic = rubinstein(d1, d2, outside_options=(v1, v2)).payoffs[0]
    for k, value in enumerate(w2):
        exact = symbolic.subs({d1: 0.9, d2: 0.9, v1: 0.05, v2: value})
        assert float(exact) == pytest.approx(u1[k], abs=1e-12)
        assert u1[k] == pytest.approx(iterate_offers(0.9, 0.9, 1.0, (0.05, value))[0])


def test_options_exhausting_the_surplus():
    assert rubinstein(0.5, 0.5, outside_options=(0.4, 0.6)).payoffs == pytest.approx((0.4, 0.6))
    with pytest.raises(InfeasibleProblemError, match="exceed the surplus"):
        rubinstein(0.5, 0.5, outside_options=(0.5, 0.6))
    with pytest.raises(InfeasibleProblemError):
        rubinstein(0.5, 0.5, surplus=np.array([2.0, 1.0]), outside_options=(0.5, 0.6))


# --- risk of breakdown ------------------------------------------------------------------


@given(
    discounts,
    discounts,
    st.floats(0.0, 0.99),
    shares,
    shares,
)
def test_breakdown_matches_value_iteration(d1, d2, p, a, b):
    b1, b2 = 0.99 * a, 0.99 * (1 - a) * b  # b1 + b2 < 1
    agreement = rubinstein(d1, d2, breakdown=(p, (b1, b2)))
    x, y = iterate_offers(d1, d2, 1.0, p=p, b=(b1, b2))
    assert agreement.payoffs[0] == pytest.approx(x, abs=1e-9)
    assert agreement.parameters["proposals"][1][1] == pytest.approx(y, abs=1e-9)
    assert agreement.disagreement == (b1, b2)


@given(st.floats(0.01, 0.99), shares, shares)
def test_breakdown_without_discounting_matches_value_iteration(p, a, b):
    b1, b2 = 0.99 * a, 0.99 * (1 - a) * b
    x, _ = iterate_offers(1.0, 1.0, 1.0, p=p, b=(b1, b2))
    assert rubinstein(1, 1, breakdown=(p, (b1, b2))).payoffs[0] == pytest.approx(x, abs=1e-9)


def test_vanishing_breakdown_risk_gives_the_nash_solution():
    # Binmore, Rubinstein & Wolinsky (1986): delta = 1, p -> 0 gives the Nash solution
    # with disagreement point b; surplus 1, b = (0.2, 0.1) -> (0.55, 0.45) (DESIGN.md 8).
    gaps = []
    for p in (0.1, 0.01, 0.001, 1e-6, 1e-12):
        u1, u2 = rubinstein(1, 1, breakdown=(p, (0.2, 0.1))).payoffs
        gaps.append(u1 - 0.55)
        assert u1 + u2 == pytest.approx(1)
    assert gaps == sorted(gaps, reverse=True)
    assert gaps[-1] == pytest.approx(0, abs=1e-12)


def test_certain_breakdown_is_an_ultimatum():
    # p -> 1: a rejection ends the game, so the proposer leaves the responder b2.
    u1, u2 = rubinstein(0.9, 0.9, surplus=2, breakdown=(1 - 1e-12, (0.3, 0.5))).payoffs
    assert (u1, u2) == pytest.approx((1.5, 0.5), abs=1e-9)


def test_no_breakdown_risk_is_rubinstein():
    agreement = rubinstein(0.9, 0.8, breakdown=(0, (0.3, 0.2)))
    assert agreement.payoffs == pytest.approx((5 / 7, 2 / 7), abs=1e-15)
    assert agreement.disagreement == (0.3, 0.2)


def test_breakdown_symbolic_closed_form():
    p, b1, b2 = sp.symbols("p b1 b2", positive=True)
    u1, _ = rubinstein(1, 1, breakdown=(p, (b1, b2))).payoffs
    assert sp.simplify(u1 - (1 - b2 + (1 - p) * b1) / (2 - p)) == 0
    assert sp.limit(u1, p, 0) == (1 + b1 - b2) / 2


def test_breakdown_vectorised_with_unit_discount_where_risky():
    u1, _ = rubinstein(np.array([1.0, 0.9]), 1.0, breakdown=(np.array([0.1, 0.2]), (0, 0))).payoffs
    np.testing.assert_allclose(u1, [10 / 19, rubinstein(0.72, 0.8).payoffs[0]])


# --- a non-linear frontier --------------------------------------------------------------


@given(discounts, discounts)
def test_linear_frontier_is_transferable_utility(d1, d2):
    assume(d2 < 0.99 or d1 < 0.99)
    on_frontier = rubinstein(d1, d2, surplus=2, frontier=lambda u: 2 - u)
    assert on_frontier.payoffs == pytest.approx(rubinstein(d1, d2, surplus=2).payoffs, abs=1e-9)


@given(discounts, discounts)
def test_frontier_proposals_make_responders_indifferent(d1, d2):
    (s, fs), (t, ft) = rubinstein(d1, d2, frontier=lambda u: 2 * (1 - u * u)).parameters[
        "proposals"
    ]
    assert fs == pytest.approx(d2 * ft, abs=1e-9)
    assert t == pytest.approx(d1 * s, abs=1e-12)


def test_frontier_patient_limit_is_the_nash_solution():
    # Frontier u2 = 2(1 - u1^2): Nash (1/sqrt 3, 4/3); generalised Nash with weights
    # (1/4, 3/4), i.e. rates r1 = 3, r2 = 1 -> u1 = 1/sqrt 7 (DESIGN.md section 8).
    frontier = lambda u: 2 * (1 - u * u)  # noqa: E731
    delta = math.exp(-1e-5)
    u1, u2 = rubinstein(delta, delta, frontier=frontier).payoffs
    assert (u1, u2) == pytest.approx((1 / math.sqrt(3), 4 / 3), abs=1e-4)
    period = 1e-5
    weighted = rubinstein(math.exp(-3 * period), math.exp(-period), frontier=frontier)
    assert weighted.payoffs[0] == pytest.approx(1 / math.sqrt(7), abs=1e-4)


def test_frontier_corner_when_player_1_may_take_everything():
    # f(1) = 1/2 > 0: with delta = 1/2 player 2 prefers 1/2 now to delta f(1/2) = 3/8.
    assert rubinstein(0.5, 0.5, frontier=lambda u: 1 - u / 2).payoffs == (1.0, 0.5)


def test_frontier_bad_input():
    with pytest.raises(InvalidParameterError, match="frontier"):
        rubinstein(0.5, 0.5, frontier=lambda u: -1 - u)
    with pytest.raises(InvalidParameterError, match="frontier"):
        rubinstein(0.5, 0.5, frontier=lambda u: 1 + u)
    with pytest.raises(InvalidParameterError, match="frontier"):
        rubinstein(0.5, 0.5, frontier=lambda u: 1 - u, outside_options=(0, 0.5))
    with pytest.raises(InvalidParameterError, match="scalar"):
        rubinstein(np.array([0.5, 0.6]), 0.5, frontier=lambda u: 1 - u)
    with pytest.raises(InvalidParameterError, match="delta2"):
        rubinstein(0.5, 1.0, frontier=lambda u: 1 - u)
    with pytest.raises(InvalidParameterError, match="frontier"):
        rubinstein(0.5, 0.5, frontier=lambda u: math.nan)


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [-0.1, 1.0, 1.5, math.nan, math.inf, [0.5, 1.2]])
@pytest.mark.parametrize("name", ["delta1", "delta2"])
def test_discount_factors_outside_the_unit_interval(name, bad):
    arguments = {"delta1": 0.5, "delta2": 0.5, name: bad}
    with pytest.raises(InvalidParameterError, match=name):
        rubinstein(arguments["delta1"], arguments["delta2"])


def test_unit_discount_needs_a_breakdown_risk():
    with pytest.raises(InvalidParameterError, match="delta1"):
        rubinstein(1.0, 0.5, breakdown=(0.0, (0, 0)))
    with pytest.raises(InvalidParameterError, match="delta2"):
        rubinstein(0.5, np.array([1.0, 1.0]), breakdown=(np.array([0.1, 0.0]), (0, 0)))
    assert rubinstein(1.0, 0.5, breakdown=(0.1, (0, 0))).payoffs[0] > 0


@pytest.mark.parametrize("rates", [(0, 1), (1, -1), (math.nan, 1), (1, [1.0, 0.0])])
def test_rates_must_be_positive(rates):
    with pytest.raises(InvalidParameterError, match="rate"):
        rubinstein_limit(*rates)


@pytest.mark.parametrize(
    ("options", "name"),
    [((-0.1, 0.2), r"outside_options\[0\]"), ((0.1, -0.2), r"outside_options\[1\]")],
)
def test_negative_outside_options(options, name):
    with pytest.raises(InvalidParameterError, match=name):
        rubinstein(0.5, 0.5, outside_options=options)


@pytest.mark.parametrize("p", [-0.1, 1.0, 2.0, math.nan])
def test_breakdown_probability_outside_the_unit_interval(p):
    with pytest.raises(InvalidParameterError, match="breakdown"):
        rubinstein(0.5, 0.5, breakdown=(p, (0.1, 0.1)))


def test_breakdown_payoffs_must_leave_a_gain():
    with pytest.raises(InfeasibleProblemError):
        rubinstein(0.5, 0.5, breakdown=(0.1, (0.6, 0.4)))
    with pytest.raises(InvalidParameterError, match=r"breakdown\[1\]\[0\]"):
        rubinstein(0.5, 0.5, breakdown=(0.1, (-0.1, 0.4)))


def test_mismatched_shapes():
    with pytest.raises(InvalidParameterError, match="broadcast"):
        rubinstein(np.array([0.5, 0.6]), np.array([0.5, 0.6, 0.7]))
    with pytest.raises(InvalidParameterError, match="broadcast"):
        rubinstein(0.5, 0.5, outside_options=(np.zeros(2), np.zeros(3)))
    with pytest.raises(InvalidParameterError, match="broadcast"):
        rubinstein_limit(np.ones(2), np.ones(3))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"surplus": 0},
        {"surplus": "1"},
        {"outside_options": (0.1,)},
        {"outside_options": 0.1},
        {"breakdown": (0.1, 0.2)},
    ],
)
def test_malformed_arguments(kwargs):
    with pytest.raises(InvalidParameterError):
        rubinstein(0.5, 0.5, **kwargs)


def test_symbolic_values_are_checked_when_decidable():
    d = sp.symbols("d", positive=True)
    with pytest.raises(InvalidParameterError, match="delta2"):
        rubinstein(d, 1)
    with pytest.raises(InvalidParameterError, match="delta1"):
        rubinstein(sp.Rational(3, 2), d)
    with pytest.raises(InvalidParameterError, match="rate1"):
        rubinstein_limit(-d, 1)
    with pytest.raises(InvalidParameterError, match="delta1"):
        rubinstein(sp.nan, d)
