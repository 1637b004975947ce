"""The partnership model: its closed forms against the generic engine, the baseline of
the design document, and the comparative statics the argument relies on."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from powergames import Game, InvalidParameterError, SymbolicGame, pure_equilibria
from powergames.bargaining import nash_threats
from powergames.partnership import (
    SPECS,
    Parameters,
    analyse,
    classify,
    derive,
    evaluate,
    partnership_game,
    stage_payoffs,
)
from powergames.repeated import critical_discount_factor, equilibrium_payoff_set, minmax
from powergames.strategies import partnership_parameters

DILUTE, ASSERT = 1, 1
BASELINE_EXACT = {spec.sympy_symbol: sp.Rational(str(spec.default)) for spec in SPECS}
a0, delta = (
    next(s.sympy_symbol for s in SPECS if s.name == n)
    for n in ("inherited_weight", "discount_factor")
)


# ------------------------------------------------------------ the baseline B0
def test_baseline_closed_forms_are_exact():
    forms = derive()
    at = {**BASELINE_EXACT}
    assert [f.subs(at) for f in forms.temptations] == [2, 1]
    assert forms.surplus.subs(at) == 8 and forms.donor_beneficiary_surplus.subs(at) == 5
    assert forms.critical_discount_factor.subs(at) == sp.Rational(3, 11)
    half = {**at, delta: sp.Rational(1, 2), a0: sp.Rational(9, 10)}
    assert [w.subs(half) for w in forms.window] == [sp.Rational(1, 4), sp.Rational(7, 8)]
    assert forms.dilution.subs(half) == sp.Rational(1, 40)
    third = {**at, delta: sp.Rational(1, 3), a0: sp.Rational(9, 10)}
    assert [w.subs(third) for w in forms.window] == [sp.Rational(1, 2), sp.Rational(3, 4)]
    assert forms.dilution.subs(third) == sp.Rational(3, 20)


def test_the_compact_forms_are_those_of_the_design():
    # Where both partners are tempted and the partnership has a surplus (T_N, T_S,
    # Sigma > 0), the forms are DESIGN.md section 6's, symbol for symbol.
    from powergames.partnership.closed_forms import SIGMA, T_N, T_S

    positive = {x: sp.Symbol(x.name, positive=True) for x in (T_N, T_S, SIGMA)}
    tn, ts, sigma = positive[T_N], positive[T_S], positive[SIGMA]
    compact = {k: v.subs(positive) for k, v in derive().compact().items()}
    d = delta
    design = {
        "critical_discount_factor": (tn + ts) / (tn + ts + sigma),
        "window_min": (1 - d) * tn / (d * sigma),
        "window_max": 1 - (1 - d) * ts / (d * sigma),
    }
    for name, expected in design.items():
        assert sp.simplify(compact[name] - expected) == 0, name


def test_without_a_surplus_no_weight_and_no_discount_factor_will_do():
    # Sigma < 0: whatever the weight, one partner gets less than its outside option.
    p = Parameters(assertion_cost=9.0)  # Sigma = 8 - (9 - 1) = 0
    values = evaluate(p.replace(assertion_cost=10.0))
    assert values["surplus"] < 0
    assert values["critical_discount_factor"] == np.inf
    assert values["window_min"] == np.inf and values["window_max"] == -np.inf
    assert values["dilution"] == np.inf
    # (impose, comply) still pays both more than their outside options.
    assert analyse(p.replace(assertion_cost=10.0)).regime == "donor-beneficiary"
    # Sigma = 0 exactly, both tempted: the limit of the formulas, no delta < 1.
    zero = evaluate(p)
    assert zero["surplus"] == 0 and zero["critical_discount_factor"] == np.inf
    assert zero["dilution"] == np.inf


@given(p=partnership_parameters(), a=st.floats(0, 1))
def test_thresholds_follow_the_generic_conventions_at_any_stake(p, a):
    # The generic critical_discount_factor on the stage game with the arbitration
    # transfer, Nash reversion replaced by the outside options; at any stake, also
    # zero or negative ones.
    values = evaluate(p, weight=a)
    assume(no_near_ties(p) and abs(values["surplus"]) > 1e-6)
    # Away from a zero stake, where rounding decides the generic function's case.
    assume(min(a, 1 - a) * abs(values["surplus"]) > 1e-6)
    game = partnership_game(p.replace(transfer=values["arbitration_transfer"]))
    result = critical_discount_factor(
        game, (DILUTE, ASSERT), punishment=(p.oci_outside_option, p.ngo_outside_option)
    )
    for generic, name in zip(result.per_player, ("threshold_oci", "threshold_ngo"), strict=True):
        if np.isinf(values[name]):
            assert generic == np.inf, name
        else:
            assert generic == pytest.approx(values[name], abs=1e-9), name


@functools.cache
def expanded_functions():
    from powergames.partnership.closed_forms import WEIGHT, lambdify

    symbols = [spec.sympy_symbol for spec in SPECS] + [WEIGHT]
    return {name: lambdify(symbols, form) for name, form in derive().as_dict().items()}


@given(p=partnership_parameters())
def test_the_compact_forms_give_the_expanded_forms(p):
    # evaluate() computes the compact forms layer by layer; the expanded forms (the
    # layers substituted), compiled on their own, give the same values: in the
    # degenerate cases too (0/0, x/0), where both follow floating-point rules.
    values = evaluate(p)
    point = [np.float64(p[spec.name]) for spec in SPECS] + [np.float64(p.inherited_weight)]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for name, function in expanded_functions().items():
            got = function(*point)
            np.testing.assert_allclose(got, values[name], rtol=1e-9, atol=1e-9, err_msg=name)


def test_a_shared_paradigm_makes_collaboration():
    assert analyse(Parameters(shared_paradigm=1.0)).regime == "collaboration"


def test_the_baseline_is_a_partnership_with_a_small_dilution():
    result = analyse()
    assert result.regime == "partnership" and result.sustainable
    assert result.dilution == pytest.approx(1 / 40)
    assert result.weight == pytest.approx(7 / 8)
    assert result.arbitration_is_nash


# ----------------------------------------------- closed forms = generic engine
def no_near_ties(p):
    values = evaluate(p)
    return min(abs(values["temptation_oci"]), abs(values["temptation_ngo"])) > 1e-6


@given(p=partnership_parameters())
def test_the_game_is_the_one_of_the_design(p):
    A, B = partnership_game(p).payoffs
    lam = p.accountability
    assert A[0, 1] == pytest.approx(
        lam * (p.pragmatic_legitimacy + p.moral_legitimacy) - p.transfer + p.control_gain
    )
    assert B[1, 1] == pytest.approx(
        p.transfer + p.autonomy_value - p.assertion_cost + p.shared_paradigm * p.moral_legitimacy
    )
    assert (A[2] == p.oci_outside_option).all() and (B[:, 2] == p.ngo_outside_option).all()


@given(p=partnership_parameters())
def test_the_minmax_is_the_pair_of_outside_options(p):
    game = partnership_game(p)
    for pure in (True, False):
        values = minmax(game, pure=pure).values
        assert values == pytest.approx((p.oci_outside_option, p.ngo_outside_option), abs=1e-7)


@given(p=partnership_parameters())
def test_dilute_assert_is_a_stage_equilibrium_iff_no_one_is_tempted(p):
    assume(no_near_ties(p))
    game = partnership_game(p)
    A, B = game.payoffs
    values = evaluate(p)
    takes_part = (A[DILUTE, ASSERT] > p.oci_outside_option + 1e-6) & (
        B[DILUTE, ASSERT] > p.ngo_outside_option + 1e-6
    )
    assume(
        takes_part
        or A[DILUTE, ASSERT] < p.oci_outside_option - 1e-6
        or B[DILUTE, ASSERT] < p.ngo_outside_option - 1e-6
    )
    found = any(eq.supports == ((1,), (1,)) for eq in pure_equilibria(game))
    predicted = values["temptation_oci"] < 0 and values["temptation_ngo"] < 0 and takes_part
    assert found == predicted


@given(p=partnership_parameters(), a=st.floats(0, 1))
def test_the_threat_arbitration_is_the_generalised_nash_split(p, a):
    game = partnership_game(p)
    A, B = game.payoffs
    joint = A + B
    assume(joint[DILUTE, ASSERT] >= joint.max() - 1e-12)  # (dilute, assert) is efficient
    values = evaluate(p, weight=a)
    agreement = nash_threats(game, weight=a)
    assert agreement.payoffs == pytest.approx(
        (values["agreement_oci"], values["agreement_ngo"]), abs=1e-7 * (1 + abs(joint).max())
    )


@given(p=partnership_parameters(), a=st.floats(0, 1))
def test_the_arbitration_transfer_implements_the_agreement(p, a):
    values = evaluate(p, weight=a)
    implemented = partnership_game(p.replace(transfer=values["arbitration_transfer"]))
    A, B = implemented.payoffs
    assert A[DILUTE, ASSERT] == pytest.approx(
        values["agreement_oci"], abs=1e-9 * (1 + abs(A).max())
    )
    assert B[DILUTE, ASSERT] == pytest.approx(
        values["agreement_ngo"], abs=1e-9 * (1 + abs(B).max())
    )


@given(p=partnership_parameters(), a=st.floats(0.05, 0.95))
def test_the_thresholds_are_the_generic_critical_discount_factors(p, a):
    values = evaluate(p, weight=a)
    assume(values["surplus"] > 0.1)
    game = partnership_game(p.replace(transfer=values["arbitration_transfer"]))
    result = critical_discount_factor(
        game, (DILUTE, ASSERT), punishment=(p.oci_outside_option, p.ngo_outside_option)
    )
    assert result.per_player[0] == pytest.approx(values["threshold_oci"], abs=1e-9)
    assert result.per_player[1] == pytest.approx(values["threshold_ngo"], abs=1e-9)


def test_the_thresholds_are_derived_symbolically_by_the_generic_function_too():
    symbolic = Parameters.symbolic()
    forms = derive()
    game = partnership_game(symbolic)
    assert isinstance(game, SymbolicGame)
    a = sp.Symbol("a", nonnegative=True)
    transfer = next(s.sympy_symbol for s in SPECS if s.name == "transfer")
    implemented = SymbolicGame(
        *(M.subs(transfer, forms.arbitration_transfer) for M in game.payoffs)
    )
    result = critical_discount_factor(implemented, (DILUTE, ASSERT), punishment=forms.minmax)
    rng = np.random.default_rng(7)
    for _ in range(5):
        point = {s: sp.Rational(int(rng.integers(0, 9)), 2) for s in BASELINE_EXACT}
        point[next(s.sympy_symbol for s in SPECS if s.name == "shared_paradigm")] = sp.Rational(
            int(rng.integers(0, 5)), 4
        )
        point[a] = sp.Rational(int(rng.integers(1, 9)), 10)
        surplus = forms.surplus.subs(point)
        if surplus <= 0:
            continue
        for generic, closed in zip(result.per_player, forms.thresholds, strict=True):
            assert sp.simplify(generic.subs(point) - closed.subs(point)) == 0


@pytest.mark.parametrize("seed", range(6))
def test_sustainability_agrees_with_the_equilibrium_payoff_set(seed):
    # The agreement lies in the set of subgame-perfect payoffs of the game with the
    # arbitration transfer iff delta is above the closed-form threshold (away from it).
    rng = np.random.default_rng(seed)
    p = Parameters(
        control_gain=float(rng.uniform(0.5, 4)),
        assertion_cost=float(rng.uniform(0.5, 3)),
        moral_legitimacy=float(rng.uniform(1, 5)),
        shared_paradigm=float(rng.uniform(0, 0.3)),
    )
    a = float(rng.uniform(0.3, 0.7))
    values = evaluate(p, weight=a)
    threshold = max(values["threshold_oci"], values["threshold_ngo"])
    game = partnership_game(p.replace(transfer=values["arbitration_transfer"]))
    point = (values["agreement_oci"], values["agreement_ngo"])
    for d, inside in ((min(threshold + 0.05, 0.95), True), (max(threshold - 0.05, 0.0), False)):
        assert equilibrium_payoff_set(game, d).contains(point, tol=1e-7) == inside


# --------------------------------------------------------- comparative statics
@given(p=partnership_parameters(), deltas=st.tuples(st.floats(0.05, 0.98), st.floats(0.05, 0.98)))
def test_dilution_is_non_negative_and_falls_with_patience(p, deltas):
    low, high = sorted(deltas)
    assume(evaluate(p)["surplus"] > 0)
    d_low = evaluate(p.replace(discount_factor=low))["dilution"]
    d_high = evaluate(p.replace(discount_factor=high))["dilution"]
    assert d_low >= 0 and d_high >= 0
    assert d_high <= d_low + 1e-12


@given(p=partnership_parameters(), extra=st.floats(0, 5))
def test_dilution_falls_as_the_surplus_grows(p, extra):
    before = evaluate(p)
    assume(before["surplus"] > 0)
    after = evaluate(p.replace(pragmatic_legitimacy=p.pragmatic_legitimacy + extra))
    assert after["surplus"] >= before["surplus"] - 1e-12
    assert after["dilution"] <= before["dilution"] + 1e-12


@given(p=partnership_parameters())
def test_the_window_is_non_empty_exactly_from_the_critical_discount_factor(p):
    values = evaluate(p)
    assume(values["surplus"] > 0)
    gap = p.discount_factor - values["critical_discount_factor"]
    assume(abs(gap) > 1e-9)
    assert (values["window_min"] <= values["window_max"] + 1e-12) == (gap > 0)


@given(p=partnership_parameters())
def test_reinforcement_makes_the_inherited_weight_self_enforcing(p):
    values = evaluate(p)
    assume(values["surplus"] > 0 and p.discount_factor > 0.01)
    x = values["reinforcement"]
    assume(np.isfinite(x))
    after = evaluate(p.replace(moral_legitimacy=p.moral_legitimacy + x + 1e-9))
    assert after["window_max"] >= p.inherited_weight - 1e-7


# ------------------------------------------------------------ vectorisation
@given(points=st.lists(partnership_parameters(), min_size=1, max_size=6))
def test_evaluate_on_arrays_equals_evaluate_point_by_point(points):
    stacked = Parameters(**{s.name: np.array([p[s.name] for p in points]) for s in SPECS})
    together = evaluate(stacked)
    for k, p in enumerate(points):
        alone = evaluate(p)
        for name, value in alone.items():
            assert together[name][k] == pytest.approx(value, nan_ok=True, rel=1e-12, abs=1e-12)


def test_stage_payoffs_on_a_grid_equal_the_games():
    grid = Parameters(
        discount_factor=np.linspace(0, 0.9, 4)[:, None], transfer=np.array([0.0, 1.5, 3.0])
    )
    A, B = stage_payoffs(grid)
    assert A.shape == (4, 3, 3, 3)
    game = partnership_game(Parameters(transfer=1.5))
    np.testing.assert_array_equal(A[2, 1], game.payoffs[0])
    np.testing.assert_array_equal(B[2, 1], game.payoffs[1])


@given(p=partnership_parameters())
def test_analyse_agrees_with_the_vectorised_classification(p):
    result = analyse(p)
    values = evaluate(p)
    A, B = result.game.payoffs
    outside = sum(result.minmax)
    expected = classify(
        values["temptation_oci"],
        values["temptation_ngo"],
        values["surplus"],
        values["donor_beneficiary_surplus"],
        p.discount_factor,
        values["critical_discount_factor"],
        result.weight,
        contested_surplus=A[0, 1] + B[0, 1] - outside,
        passive_surplus=A[1, 0] + B[1, 0] - outside,
    )
    assert result.regime == str(expected)
    assert result.temptations == (values["temptation_oci"], values["temptation_ngo"])
    assert isinstance(result.game, Game)
    assert result.sustainable == (result.regime in ("collaboration", "partnership"))


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"discount_factor": 1.0}, r"discount_factor \(delta\) must be in \[0, 1\)"),
        ({"shared_paradigm": 1.5}, r"shared_paradigm \(phi\) must be in \[0, 1\]"),
        ({"control_gain": -1}, "control_gain"),
        ({"inherited_weight": float("nan")}, "finite"),
        ({"surplus": 3}, "unknown parameter"),
        ({"discount_factor": np.array([0.2, 1.2])}, "got 1.2"),
        ({"transfer": np.zeros(2), "control_gain": np.zeros(3)}, "broadcast"),
    ],
)
def test_bad_parameters_are_refused_naming_them(changes, message):
    with pytest.raises(InvalidParameterError, match=message):
        Parameters(**changes)


def test_analyse_refuses_arrays_and_symbols():
    with pytest.raises(TypeError, match="evaluate"):
        analyse(Parameters(transfer=np.zeros(2)))
    with pytest.raises(TypeError, match="derive"):
        analyse(Parameters.symbolic("transfer"))


def test_evaluate_broadcasts_one_array_against_numbers():
    # Regression: sympy prints conjunctions as numpy.logical_and.reduce, which does not
    # broadcast an array against scalars.
    deltas = np.array([0.0, 0.3, 0.5])
    together = evaluate(Parameters(discount_factor=deltas))
    for k, d in enumerate(deltas):
        alone = evaluate(Parameters(discount_factor=float(d)))
        for name, value in alone.items():
            assert together[name][k] == pytest.approx(value, nan_ok=True)
