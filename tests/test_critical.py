"""Critical discount factors of stationary paths: grim-trigger thresholds from the\nliterature, symbolic against numeric, the laws they obey, and bad input."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from powergames import Game, InvalidParameterError
from powergames.repeated.critical import Deviation, critical_discount_factor
from powergames.repeated.feasible import feasible_set
from powergames.symbolic import SymbolicGame

from repeated_games import (
    PD,
    games_and_paths,
    one_shot_gain,
    payoff_range,
    prisoners_dilemma,
    stage_equilibria,
)

# ====================================================== critical discount factors
# Grim trigger (Nash reversion) thresholds published for the prisoner's dilemma, as
# (T, R, P, S) and the threshold (T - R) / (T - P).
LITERATURE = [
    # DESIGN section 8; Axelrod, R. (1984), The Evolution of Cooperation, p. 8 (T, R, P, S)
    # = (5, 3, 1, 0).
    pytest.param((5, 3, 1, 0), Fraction(1, 2), id="axelrod-design"),
    # Gibbons, R. (1992), Game Theory for Applied Economists (Princeton UP), section
    # 2.3.B: stage game (L1, L2) = (1, 1), (L1, R2) = (5, 0), (R1, L2) = (0, 5),
    # (R1, R2) = (4, 4); trigger strategies are subgame perfect iff delta >= 1/4.
    pytest.param((5, 4, 1, 0), Fraction(1, 4), id="gibbons-2.3B"),
    # Fudenberg, D. and Tirole, J. (1991), Game Theory (MIT Press), section 5.1: the
    # prisoner's dilemma with payoffs (1, 1), (-1, 2), (2, -1), (0, 0); "grim" strategies
    # are an equilibrium iff delta >= 1/2.
    pytest.param((2, 1, 0, -1), Fraction(1, 2), id="fudenberg-tirole-5.1"),
    # Mailath, G. J. and Samuelson, L. (2006), Repeated Games and Reputations (Oxford
    # UP): the prisoners' dilemma with effort E and shirking S, payoffs (2, 2), (-1, 3),
    # (3, -1), (0, 0); grim trigger is subgame perfect iff delta >= 1/3 (chapter 2).
    pytest.param((3, 2, 0, -1), Fraction(1, 3), id="mailath-samuelson"),
    # Osborne, M. J. (2004), An Introduction to Game Theory (Oxford UP), chapter 14: the
    # prisoner's dilemma with payoffs (2, 2), (0, 3), (3, 0), (1, 1); grim trigger
    # strategies are a Nash (and subgame perfect) equilibrium iff delta >= 1/2.
    pytest.param((3, 2, 1, 0), Fraction(1, 2), id="osborne-14"),
    # The same dilemma doubled: C = (4, 4), C/D = (-2, 6), D = (0, 0); delta >= 1/3.
    # https://horse-3903.pages.dev/blog/h3-game-theory/games/grim-trigger-prisoners-dilemma
    pytest.param((6, 4, 0, -2), Fraction(1, 3), id="web-h3-notes"),
    # Fink/stay-silent lecture slides: (S, S) = (2, 2), (F, S) = (3, 0), (F, F) = (1, 1);
    # V_eq = 2/(1 - delta) >= V_dev = 3 + delta/(1 - delta) iff delta >= 1/2.
    # https://www.coursehero.com/file/5566971/GameTheory2/
    pytest.param((3, 2, 1, 0), Fraction(1, 2), id="web-game-theory-2"),
]


@pytest.mark.parametrize(("payoffs", "expected"), LITERATURE)
def test_grim_trigger_thresholds_from_the_literature(payoffs, expected):
    T, R, P, S = payoffs
    result = critical_discount_factor(prisoners_dilemma(T, R, P, S), (0, 0))
    assert result.value == pytest.approx(float(expected), abs=1e-12)
    assert result.per_player == pytest.approx((float(expected),) * 2, abs=1e-12)
    assert result.value == pytest.approx((T - R) / (T - P), abs=1e-12)
    assert result.path_payoffs == (R, R)
    assert result.punishment == pytest.approx((P, P), abs=1e-12)
    assert result.deviations == (Deviation((0, 0), 1, T - R), Deviation((0, 0), 1, T - R))


def test_cournot_collusion_threshold_is_nine_seventeenths():
    # Gibbons (1992), section 2.3.C, collusion between Cournot duopolists: inverse demand
    # P = a - Q, unit cost c; sharing the monopoly output against reversion to Cournot
    # is subgame perfect iff delta >= 9/17. With a - c = 24 the relevant quantities are
    # 6 (half the monopoly output), 8 (Cournot) and 9 (the best deviation from 6); profits
    # q_i (24 - q_i - q_j) on this grid keep (8, 8) the only stage equilibrium (6 and then
    # 9 are strictly dominated), so the threshold is (81 - 72) / (81 - 64) = 9/17.
    q = np.array([6, 8, 9])
    profit = q[:, None] * (24 - q[:, None] - q[None, :])
    game = Game(profit, profit.T)
    assert [eq.payoffs for eq in stage_equilibria(game)] == [(64.0, 64.0)]
    result = critical_discount_factor(game, (0, 0))
    assert result.value == pytest.approx(9 / 17, abs=1e-12)
    assert result.deviations[0] == Deviation((0, 0), 2, 9.0)
    assert result.deviations[1] == Deviation((0, 0), 2, 9.0)


def test_nash_trigger_in_a_three_by_four_game():
    # Egel, D. (2008), "Notes on Nash trigger strategies" (course notes),
    # https://www.coursehero.com/file/6059955/NashTrigger/ : the stage equilibrium (c, j)
    # is the threat point, and at delta = 0.9 player 1 prefers (b, l) forever, worth
    # 4/(1 - delta) = 40, to deviating to a for 5 + 3 delta/(1 - delta) = 32. Its
    # threshold is (5 - 4)/(5 - 3) = 1/2; player 2 is at its best reply already.
    A = [[1, 2, 3, 5], [2, 3, 4, 4], [1, 3, 1, 4]]
    B = [[2, 4, 1, 3], [1, 3, 2, 4], [2, 2, 1, 2]]
    game = Game(A, B)
    result = critical_discount_factor(game, (1, 3))
    assert result.punishment == pytest.approx((3, 2), abs=1e-9)  # (c, j)
    assert result.per_player == pytest.approx((0.5, 0.0), abs=1e-12)
    assert result.deviations[0] == Deviation((1, 3), 0, 1.0)
    assert result.deviations[1] == Deviation((1, 3), 3, 0.0)
    delta = 0.9
    assert 4 / (1 - delta) == pytest.approx(40) and 5 + 3 * delta / (1 - delta) == pytest.approx(32)
    assert one_shot_gain(game, (1, 3), result.punishment, delta, 0) < 0


def test_symbolic_prisoners_dilemma_threshold_is_temptation_over_loss():
    # (T - R)/(T - P) under T > R > P: symbols with positive gaps let sympy decide the
    # maxima and the cases.
    P = sp.Symbol("P", real=True)
    a, b, c = sp.symbols("a b c", positive=True)
    R, T, S = P + a, P + a + b, P - c
    game = SymbolicGame([[R, S], [T, P]], [[R, T], [S, P]])
    for punishment in [(P, P), "minmax", "pure-minmax"]:
        result = critical_discount_factor(game, (0, 0), punishment)
        assert sp.simplify(result.value - (T - R) / (T - P)) == 0
        assert sp.simplify(result.punishment[0] - P) == 0
        assert result.deviations[0] == Deviation((0, 0), 1, b)
    assert sp.simplify(result.value - b / (a + b)) == 0


def test_symbolic_prisoners_dilemma_with_real_symbols_matches_numbers():
    T, R, P, S = sp.symbols("T R P S", real=True)
    game = SymbolicGame([[R, S], [T, P]], [[R, T], [S, P]])
    result = critical_discount_factor(game, (0, 0), punishment=(P, P))
    assert isinstance(result.value, sp.Basic)
    assert result.deviations[0].action is None  # which row is best depends on T and R
    for (t, r, p, s), expected in [
        ((5, 3, 1, 0), 0.5),
        ((5, 4, 1, 0), 0.25),
        ((3, 2, 0, -1), 1 / 3),
    ]:
        point = {T: t, R: r, P: p, S: s}
        assert sp.simplify(result.value.subs(point)) == sp.nsimplify(expected)
        assert sp.simplify(result.value.subs(point) - sp.Rational(t - r, t - p)) == 0
    # Outside the prisoner's dilemma the cases of the Piecewise take over.
    assert result.value.subs({T: 2, R: 3, P: 1, S: 0}) == 0  # cooperation is a best reply
    assert result.value.subs({T: 5, R: 1, P: 3, S: 0}) == sp.oo  # the punishment does not hurt


@given(
    st.integers(-5, 5),
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(1, 5),
    st.sampled_from([(0, 0), (0, 1), (1, 0), (1, 1)]),
)
def test_symbolic_and_numeric_thresholds_agree(P0, a0, b0, c0, profile):
    P = sp.Symbol("P", real=True)
    a, b, c = sp.symbols("a b c", positive=True)
    game = SymbolicGame([[P + a, P - c], [P + a + b, P]], [[P + a, P + a + b], [P - c, P]])
    values = {"P": P0, "a": a0, "b": b0, "c": c0}
    numeric = critical_discount_factor(game.subs(**values), profile, "pure-minmax")
    exact = critical_discount_factor(game, profile, "pure-minmax")
    point = {P: P0, a: a0, b: b0, c: c0}
    for k in (0, 1):
        got = exact.per_player[k].subs(point)
        if math.isinf(numeric.per_player[k]):
            assert got == sp.oo
        else:
            assert float(got) == pytest.approx(numeric.per_player[k], abs=1e-12)


@settings(max_examples=25)
@given(
    games_and_paths(), st.tuples(st.integers(-10, 10), st.integers(-10, 10)), st.integers(-10, 10)
)
def test_symbolic_thresholds_agree_with_numeric_ones_on_any_game(case, punishment, x0):
    # One payoff becomes a parameter x; at x = x0 the exact thresholds (each case of the
    # Piecewise: ties, gaps of either sign) must be the numeric ones.
    game, path = case
    A, B = (M.astype(int).tolist() for M in game.payoffs)
    x = sp.Symbol("x", real=True)
    A[0][0] = x
    symbolic = SymbolicGame(A, B)
    exact = critical_discount_factor(symbolic, path, punishment)
    numeric = critical_discount_factor(symbolic.subs(x=x0), path, punishment)
    for k in (0, 1):
        got = exact.per_player[k].subs(x, x0)
        if math.isinf(numeric.per_player[k]):
            assert got == sp.oo
        else:
            assert float(got) == pytest.approx(numeric.per_player[k], abs=1e-12)


def test_a_punishment_that_rewards_the_deviator_fails_for_patient_players():
    # Mutual defection in the prisoner's dilemma, "punished" by a payoff of 2 > P = 1:
    # cooperating loses P - S = 1 today but earns 2 - 1 = 1 a period from tomorrow on, so
    # (D, D) holds only while delta <= 1/2, and no interval [delta, 1) sustains it.
    result = critical_discount_factor(PD, (1, 1), (2, 2))
    assert result.per_player == (math.inf, math.inf)
    assert result.deviations[0] == Deviation((1, 1), 0, -1.0)
    assert one_shot_gain(PD, (1, 1), (2, 2), 0.4, 0) < 0 < one_shot_gain(PD, (1, 1), (2, 2), 0.6, 0)
    # With a tie the deviation costs nothing, and pays at any delta > 0.
    tied = Game([[1, 1], [0, 0]], [[1, 1], [0, 0]])
    assert critical_discount_factor(tied, (0, 0), (2, 0)).per_player == (math.inf, 0.0)
    # Symbolically the same cases.
    T, R, P, S = sp.symbols("T R P S", real=True)
    spd = SymbolicGame([[R, S], [T, P]], [[R, T], [S, P]])
    exact = critical_discount_factor(spd, (1, 1), (P + 1, P + 1))
    assert exact.value.subs({T: 5, R: 3, P: 1, S: 0}) == sp.oo


def test_a_player_with_a_single_strategy_needs_no_incentive():
    # The row player cannot deviate, even from a path it likes less than its punishment;
    # the column player gives up 2 for a path worth 0 against a punishment of -10.
    game = Game([[0, 1]], [[2, 0]])
    result = critical_discount_factor(game, (0, 1), (5, -10))
    assert result.per_player == pytest.approx((0.0, 2 / 12))
    assert result.deviations == (Deviation((0, 1), 0, 0.0), Deviation((0, 1), 0, 2.0))
    x = sp.Symbol("x", real=True)
    exact = critical_discount_factor(SymbolicGame([[0, x]], [[2, 0]]), (0, 1), (5, -10))
    assert exact.per_player[0] == 0
    assert exact.per_player[1] == sp.Rational(1, 6)


def test_alternating_exploitation_by_a_public_coin():
    # (C, D) and (D, C) with probability 1/2 each: u = (5/2, 5/2). The exploited player
    # gains P - S = 1 by defecting (it sees the coin first); the exploiter is at its best
    # reply. delta* = 1 / (1 + 5/2 - 1) = 2/5.
    path = [((0, 1), 0.5), ((1, 0), 0.5)]
    result = critical_discount_factor(PD, path)
    assert result.value == pytest.approx(0.4, abs=1e-12)
    assert result.path_payoffs == pytest.approx((2.5, 2.5))
    assert result.deviations[0] == Deviation((0, 1), 1, 1.0)
    assert result.deviations[1] == Deviation((1, 0), 1, 1.0)
    # Symbolically, with exact probabilities.
    T, R, P, S = sp.symbols("T R P S", real=True)
    game = SymbolicGame([[R, S], [T, P]], [[R, T], [S, P]])
    exact = critical_discount_factor(
        game, [((0, 1), Fraction(1, 2)), ((1, 0), Fraction(1, 2))], (P, P)
    )
    assert sp.simplify(exact.value.subs({T: 5, R: 3, P: 1, S: 0})) == sp.Rational(2, 5)
    assert exact.path_payoffs[0] == (S + T) / 2


@pytest.mark.parametrize("q", [Fraction(1, 4), Fraction(1, 2), Fraction(1)])
def test_lottery_between_cooperation_and_defection(q):
    # (C, C) with probability q, (D, D) otherwise: only (C, C) tempts, by T - R = 2, and
    # the path is worth 1 + 2q against P = 1: delta* = 2 / (2 + 2q) = 1 / (1 + q).
    path = [((0, 0), float(q)), ((1, 1), float(1 - q))] if q < 1 else [((0, 0), 1.0)]
    result = critical_discount_factor(PD, path)
    assert result.value == pytest.approx(1 / (1 + q), abs=1e-12)


def test_repeated_profiles_in_a_lottery_are_merged():
    result = critical_discount_factor(PD, [((0, 0), 0.25), ((0, 0), 0.25), ((1, 1), 0.5)])
    assert result.path == (((0, 0), 0.5), ((1, 1), 0.5))
    assert result.value == pytest.approx(2 / 3)


def test_stage_equilibrium_path_needs_no_patience():
    result = critical_discount_factor(PD, (1, 1))
    assert result.value == 0.0
    assert result.deviations[0] == Deviation((1, 1), 1, 0.0)


def test_path_worse_than_the_punishment_is_never_sustained():
    # (C, D): the row player gets S = 0 < P = 1 and gains by defecting: no delta < 1
    # works; the column player, at its best reply, needs no patience.
    result = critical_discount_factor(PD, (0, 1))
    assert result.per_player == (math.inf, 0.0)
    assert result.value == math.inf
    for delta in (0.0, 0.5, 0.9, 0.999999):
        assert one_shot_gain(PD, (0, 1), result.punishment, delta, 0) > 0


def test_explicit_punishments():
    # A harsher (not self-enforcing) punishment p = S = 0 for both: 2 / (2 + 3) = 2/5.
    assert critical_discount_factor(PD, (0, 0), (0, 0)).value == pytest.approx(0.4)
    # Different punishments for the two players.
    result = critical_discount_factor(PD, (0, 0), punishment=[1, -1])
    assert result.per_player == pytest.approx((0.5, 2 / 6))
    assert result.punishment == (1.0, -1.0)
    # Numbers of every kind.
    assert critical_discount_factor(PD, (0, 0), (Fraction(1), sp.Integer(1))).value == 0.5
    assert critical_discount_factor(PD, (0, 0), np.array([1.0, 1.0])).value == 0.5


def test_nash_reversion_uses_the_worst_stage_equilibrium_for_each_player():
    # Battle of the sexes: equilibria (T, L) paying (3, 1), (B, R) paying (1, 3), and the
    # mixed one, T with probability 3/4 and L with 1/4, paying (3/4, 3/4): the worst for
    # both, so each deviator is punished by the mixed equilibrium.
    game = Game([[3, 0], [0, 1]], [[1, 0], [0, 3]])
    payoffs = sorted(eq.payoffs for eq in stage_equilibria(game))
    np.testing.assert_allclose(payoffs, [(0.75, 0.75), (1, 3), (3, 1)], atol=1e-12)
    result = critical_discount_factor(game, (0, 0))
    assert result.punishment == pytest.approx((0.75, 0.75), abs=1e-12)
    assert result.value == 0.0  # (T, L) is a stage equilibrium
    # Miscoordinating on (T, R) pays (0, 0), below the punishment: never sustained.
    assert critical_discount_factor(game, (0, 1)).value == math.inf


@given(games_and_paths())
def test_minmax_punishment_gives_a_lower_bound_on_nash_reversion(case):
    game, path = case
    nash = critical_discount_factor(game, path, "nash-reversion")
    bound = critical_discount_factor(game, path, "minmax")
    for k in (0, 1):
        assert bound.punishment[k] <= nash.punishment[k] + 1e-8 * (1 + payoff_range(game))
        assert bound.per_player[k] <= nash.per_player[k] + 1e-9


@given(
    games_and_paths(),
    st.tuples(st.integers(-10, 10), st.integers(-10, 10)),
    st.integers(0, 10),
    st.integers(0, 1),
)
def test_harsher_punishment_never_raises_the_threshold(case, punishment, drop, player):
    game, path = case
    harsher = list(punishment)
    harsher[player] -= drop
    base = critical_discount_factor(game, path, punishment)
    harsh = critical_discount_factor(game, path, tuple(harsher))
    assert harsh.per_player[player] <= base.per_player[player]
    assert harsh.per_player[1 - player] == base.per_player[1 - player]


@given(games_and_paths(), st.sampled_from(["nash-reversion", "minmax", "pure-minmax"]))
def test_threshold_separates_sustained_from_broken_paths(case, punishment):
    # The repeated-game check from the definitions: just above delta* no player gains by
    # a one-shot deviation anywhere on the path; just below, the binding player does.
    game, path = case
    result = critical_discount_factor(game, path, punishment)
    if math.isinf(result.value):
        # No interval [delta, 1) sustains the path: it fails for delta near 1.
        k = result.per_player.index(math.inf)
        assert one_shot_gain(game, path, result.punishment, 1 - 1e-6, k) > 0
        return
    assert 0 <= result.value < 1
    above = min(result.value + 1e-6, 1.0)
    for k in (0, 1):
        assert one_shot_gain(game, path, result.punishment, above, k) <= 1e-9
    if result.value > 1e-6:
        k = result.per_player.index(result.value)
        assert one_shot_gain(game, path, result.punishment, result.value - 1e-6, k) > 0
        binding = result.deviations[k]
        assert binding is not None and binding.gain > 0
        assert binding.profile in [a for a, _ in result.path]


@given(games_and_paths())
def test_nash_reversion_punishment_is_the_worst_stage_equilibrium_payoff(case):
    game, path = case
    result = critical_discount_factor(game, path)
    payoffs = [eq.payoffs for eq in stage_equilibria(game)]
    for k in (0, 1):
        assert result.punishment[k] == pytest.approx(min(u[k] for u in payoffs), abs=1e-12)


@given(games_and_paths())
def test_path_payoffs_are_feasible(case):
    game, path = case
    result = critical_discount_factor(game, path)
    assert feasible_set(game).contains(result.path_payoffs, tol=1e-9)


# ===================================================================== bad input
@pytest.mark.parametrize(
    ("path", "match"),
    [
        ((2, 0), "path must index a profile of the 2x2 game"),
        ((0, -1), "path must index"),
        ((0,), "path"),
        ((True, 0), "path"),
        ((0.0, 1.0), "path"),
        ("CC", "path must be a pure profile"),
        (None, "path must be a pure profile"),
        ([], "empty lottery"),
        ([((0, 0), 0.5), ((1, 1), 0.25)], "sum to 1"),
        ([((0, 0), 1.5), ((1, 1), -0.5)], r"path\[1\]\[1\] must be positive, got -0.5"),
        ([((0, 0), 1.0), ((1, 1), 0.0)], r"path\[1\]\[1\] must be positive"),
        ([((0, 0), "half"), ((1, 1), 0.5)], r"path\[0\]\[1\] must be a real number"),
        ([((0, 0), float("nan"))], r"path\[0\]\[1\] must be finite"),
        ([((0, 0),)], r"path\[0\] must be a pair"),
        ([((0, 3), 1.0)], r"path\[0\]\[0\] must index"),
    ],
)
def test_bad_paths_are_refused(path, match):
    with pytest.raises(InvalidParameterError, match=match):
        critical_discount_factor(PD, path)


@pytest.mark.parametrize(
    ("punishment", "match"),
    [
        ("grim", "punishment must be one of"),
        ((1,), "punishment must be one of .* or a pair"),
        ((1, 2, 3), "pair"),
        ((1, float("nan")), r"punishment\[1\] must be finite, got nan"),
        ((1, float("inf")), "finite"),
        (("P", "P"), r"punishment\[0\] must be a real number"),
        ((True, 1), r"punishment\[0\] must be a real number, got True"),
        ((1, sp.Symbol("x")), r"punishment\[1\] must be a number, got the expression x"),
        (None, "punishment"),
    ],
)
def test_bad_punishments_are_refused(punishment, match):
    with pytest.raises(InvalidParameterError, match=match):
        critical_discount_factor(PD, (0, 0), punishment)


def test_symbolic_games_refuse_nash_reversion_and_text_payoffs():
    T, R, P, S = sp.symbols("T R P S", real=True)
    game = SymbolicGame([[R, S], [T, P]], [[R, T], [S, P]])
    with pytest.raises(InvalidParameterError, match=r"nash-reversion.*no closed form"):
        critical_discount_factor(game, (0, 0))
    with pytest.raises(InvalidParameterError, match="not text"):
        critical_discount_factor(game, (0, 0), ("P", "P"))
    with pytest.raises(InvalidParameterError, match="finite real"):
        critical_discount_factor(game, (0, 0), (sp.oo, P))
    with pytest.raises(InvalidParameterError, match="must index"):
        critical_discount_factor(game, (0, 2), (P, P))
    with pytest.raises(InvalidParameterError, match="sum to 1"):
        critical_discount_factor(game, [((0, 0), Fraction(1, 3))], (P, P))


def test_other_bad_arguments_are_refused():
    with pytest.raises(InvalidParameterError, match="game must be"):
        critical_discount_factor([[1, 2], [3, 4]], (0, 0))
    with pytest.raises(InvalidParameterError, match="tol"):
        critical_discount_factor(PD, (0, 0), tol=-1.0)
