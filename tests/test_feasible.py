"""Feasible and individually rational payoff sets of repeated games: worked examples,\ntheir laws (folk theorem bounds), and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from powergames import Game, InvalidParameterError, equilibria
from powergames.equilibria.zero_sum import zero_sum_value
from powergames.repeated.feasible import feasible_set, individually_rational
from powergames.repeated.minmax import minmax
from powergames.strategies import games

from repeated_games import (
    PD,
    PENNIES,
    RPS,
    payoff_range,
    stage_equilibria,
)


def test_prisoners_dilemma_feasible_and_individually_rational_sets():
    # Feasible: the quadrilateral of the four outcomes. Individually rational: its part
    # above (P, P) = (1, 1); the edge from (T, S) = (5, 0) to (R, R) = (3, 3) meets u_1 = 1
    # at u_0 = 13/3.
    feasible = feasible_set(PD)
    assert sorted(feasible.vertices.tolist()) == [[0, 5], [1, 1], [3, 3], [5, 0]]
    assert feasible.punishments is None
    rational = individually_rational(PD)
    expected = [[1, 1], [1, 13 / 3], [3, 3], [13 / 3, 1]]
    np.testing.assert_allclose(sorted(rational.vertices.tolist()), expected, atol=1e-12)
    assert rational.punishments == pytest.approx((1, 1))
    x, y = np.array([[1, 1], [13 / 3, 1], [3, 3], [1, 13 / 3]]).T  # counter-clockwise
    assert rational.area == pytest.approx(0.5 * (x @ np.roll(y, -1) - y @ np.roll(x, -1)))


def test_one_by_one_game_has_a_point_for_both_sets():
    game = Game([[2]], [[3]])
    assert feasible_set(game).vertices.tolist() == [[2, 3]]
    assert individually_rational(game).vertices.tolist() == [[2, 3]]


def test_collinear_stage_payoffs_give_a_segment():
    # A common-interest game: every outcome on the diagonal. Row 1 dominates, so the
    # column player holds the row player to 2 (column 0); the row player holds the column
    # player to 1 (row 0). Individually rational: the diagonal from (2, 2) to (3, 3).
    game = Game([[0, 1], [2, 3]], [[0, 1], [2, 3]])
    assert sorted(feasible_set(game).vertices.tolist()) == [[0, 0], [3, 3]]
    assert minmax(game).values == pytest.approx((2, 1), abs=1e-9)
    rational = individually_rational(game)
    assert rational.dimension == 1
    np.testing.assert_allclose(sorted(rational.vertices.tolist()), [[2, 2], [3, 3]], atol=1e-12)


@pytest.mark.parametrize("game", [PENNIES, RPS], ids=["pennies", "rps"])
def test_zero_sum_individually_rational_set_is_the_value_point(game):
    # u_0 + u_1 = 0 on the feasible set and v_0 + v_1 = 0: one point.
    rational = individually_rational(game)
    assert rational.dimension == 0
    np.testing.assert_allclose(rational.vertices, [[0, 0]], atol=1e-12)


def test_individually_rational_set_of_a_dictator_game_is_a_point():
    # A non-constant-sum example: the row player has a single strategy, so it cannot
    # punish and the column player's minmax is its best payoff, 2; the column player
    # holds the row player to 0. Only the dictator's favourite outcome (0, 2) remains.
    game = Game([[0, 1]], [[2, 0]])
    assert minmax(game).values == pytest.approx((0, 2), abs=1e-12)
    np.testing.assert_allclose(individually_rational(game).vertices, [[0, 2]], atol=1e-12)


def test_pure_minmax_can_leave_no_individually_rational_payoff():
    # Matching pennies: the pure minmax values (1, 1) lie above the line u_0 + u_1 = 0.
    rational = individually_rational(PENNIES, pure=True)
    assert rational.is_empty
    assert rational.punishments == (1.0, 1.0)


@given(
    st.sampled_from(["integer", "float"]).flatmap(lambda kind: games(zero_sum=True, payoffs=kind))
)
def test_zero_sum_individually_rational_set_is_always_a_point(game):
    rational = individually_rational(game)
    assert rational.dimension == 0
    value = zero_sum_value(game.payoffs[0]).value
    np.testing.assert_allclose(
        rational.vertices[0], [value, -value], atol=1e-7 * (1 + payoff_range(game))
    )


@given(games())
def test_stage_payoffs_are_feasible(game):
    A, B = game.payoffs
    feasible = feasible_set(game)
    for u in zip(A.ravel(), B.ravel(), strict=True):
        assert feasible.contains(u)


@given(games(payoffs="float") | games(), st.booleans())
def test_individually_rational_set_is_feasible_and_above_the_minmax_values(game, pure):
    feasible, rational = feasible_set(game), individually_rational(game, pure=pure)
    values = minmax(game, pure=pure).values
    assert rational.punishments == values
    for vertex in rational.vertices:
        assert feasible.contains(vertex, tol=1e-8)
        assert vertex[0] >= values[0] and vertex[1] >= values[1]


@given(games())
def test_nash_payoffs_are_feasible_and_individually_rational(game):
    feasible, rational = feasible_set(game), individually_rational(game)
    for eq in stage_equilibria(game):
        assert feasible.contains(eq.payoffs, tol=1e-8)
        assert rational.contains(eq.payoffs, tol=1e-8)


@given(games())
def test_pure_nash_payoffs_are_individually_rational_in_pure_strategies(game):
    # At a pure equilibrium (i, j) the row player gets max_k A[k, j] >= min_l max_k A[k, l].
    rational = individually_rational(game, pure=True)
    for eq in equilibria(game, "pure"):
        assert rational.contains(eq.payoffs, tol=1e-8)


@given(games(payoffs="float") | games())
def test_individually_rational_set_is_never_empty_with_mixed_minmax(game):
    # A feasible set entirely below a player's minmax value is impossible: that player's
    # best stage payoff max A is at least min_y max_i (A y)_i. Below both at once is
    # impossible too: a Nash equilibrium (Nash 1951) pays each player a best reply's
    # payoff, at least its minmax value, and its payoffs are a convex combination of the
    # stage payoff pairs, hence feasible.
    A, B = game.payoffs
    values = minmax(game).values
    assert A.max() >= values[0] - 1e-9 and B.max() >= values[1] - 1e-9
    assert not individually_rational(game).is_empty


def test_bad_arguments_are_refused():
    with pytest.raises(InvalidParameterError, match="game must be"):
        feasible_set(np.eye(2))
    with pytest.raises(InvalidParameterError, match="pure must be"):
        individually_rational(PD, pure=1)
    with pytest.raises(InvalidParameterError, match="tol"):
        individually_rational(PD, tol=float("nan"))
