"""Minmax and maximin values: worked examples, the laws they obey (minimax theorem,\nsymmetry, affine payoff changes), and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from powergames import Game, InvalidParameterError
from powergames.equilibria.zero_sum import zero_sum_value
from powergames.repeated.minmax import minmax
from powergames.strategies import games

from repeated_games import (
    PD,
    PENNIES,
    RPS,
    payoff_range,
    stage_equilibria,
)


def test_matching_pennies_minmax_is_zero_with_an_even_punisher():
    result = minmax(PENNIES)
    assert result.values == pytest.approx((0, 0), abs=1e-12)
    assert result.maximin == pytest.approx((0, 0), abs=1e-12)
    for punisher in result.punishers:
        np.testing.assert_allclose(punisher, [0.5, 0.5], atol=1e-12)
    assert result.best_replies == ((0, 1), (0, 1))  # an even punisher leaves both replies tied


def test_rock_paper_scissors_minmax_is_zero_with_a_uniform_punisher():
    result = minmax(RPS)
    assert result.values == pytest.approx((0, 0), abs=1e-12)
    for punisher in result.punishers:
        np.testing.assert_allclose(punisher, [1 / 3] * 3, atol=1e-12)


@pytest.mark.parametrize("pure", [False, True])
def test_prisoners_dilemma_minmax_is_the_punishment_payoff(pure):
    # Defecting holds the opponent to P = 1 whatever it does (Mailath & Samuelson 2006,
    # section 2.1: in the prisoners' dilemma the minmax payoffs are the mutual-defection
    # payoffs), and each player secures P by defecting: minmax = maximin = P.
    result = minmax(PD, pure=pure)
    assert result.values == pytest.approx((1, 1), abs=1e-12)
    assert result.maximin == pytest.approx((1, 1), abs=1e-12)
    for punisher in result.punishers:
        np.testing.assert_allclose(punisher, [0, 1], atol=1e-12)
    assert result.best_replies == ((1,), (1,))
    assert result.pure is pure


def test_pure_minmax_exceeds_mixed_minmax_in_matching_pennies():
    # In pure strategies the punished player always matches (or mismatches) the punisher
    # and wins 1; it can secure only -1. Mixing brings both to 0.
    result = minmax(PENNIES, pure=True)
    assert result.values == (1.0, 1.0)
    assert result.maximin == (-1.0, -1.0)
    assert result.values[0] > minmax(PENNIES).values[0] + 0.5


def test_mixing_punishes_harder_in_a_game_that_is_not_zero_sum():
    # The row player is held to 2 by column 0 (row 0 beats row 1 everywhere). The column
    # player: in pure strategies row 1 holds it to max(0, 1) = 1 (row 0 to 3); mixing
    # x = (1/4, 3/4) pays 3/4 against both columns, its mixed minmax.
    game = Game([[2, 4], [1, 3]], [[3, 0], [0, 1]])
    pure, mixed = minmax(game, pure=True), minmax(game)
    assert pure.values == (2.0, 1.0)
    np.testing.assert_allclose(pure.punishers[1], [0, 1])
    assert mixed.values == pytest.approx((2, 0.75), abs=1e-9)
    np.testing.assert_allclose(mixed.punishers[0], [1, 0], atol=1e-9)
    np.testing.assert_allclose(mixed.punishers[1], [0.25, 0.75], atol=1e-9)
    assert mixed.best_replies == ((0,), (0, 1))


@given(games())
def test_mixed_maximin_equals_mixed_minmax(game):
    # von Neumann's minimax theorem; the LP strategies give maximin <= minmax (weak
    # duality, up to round-off) and equality up to the solver's tolerance.
    result = minmax(game)
    scale = 1 + payoff_range(game)
    for k in (0, 1):
        assert result.maximin[k] <= result.values[k] + 1e-12 * scale
        assert result.values[k] - result.maximin[k] <= 1e-8 * scale


@given(games())
def test_pure_maximin_is_below_pure_minmax_which_is_above_mixed_minmax(game):
    pure, mixed = minmax(game, pure=True), minmax(game)
    slack = 1e-8 * (1 + payoff_range(game))
    for k in (0, 1):
        assert pure.maximin[k] <= pure.values[k]
        assert pure.values[k] >= mixed.values[k] - slack  # mixing can only punish harder
        assert pure.maximin[k] <= mixed.maximin[k] + slack  # ... and secure more


@given(games(payoffs="float"), st.booleans())
def test_punisher_holds_the_opponent_to_the_minmax_value(game, pure):
    A, B = game.payoffs
    result = minmax(game, pure=pure)
    y, x = result.punishers
    assert y.shape == (game.shape[1],) and x.shape == (game.shape[0],)
    assert y.sum() == pytest.approx(1) and x.sum() == pytest.approx(1)
    against_y, against_x = A @ y, x @ B  # the punished player's payoff from each reply
    assert against_y.max() == pytest.approx(result.values[0], abs=1e-12)
    assert against_x.max() == pytest.approx(result.values[1], abs=1e-12)
    for replies, payoffs in zip(result.best_replies, (against_y, against_x), strict=True):
        assert payoffs.max() in payoffs[list(replies)]


@given(games(zero_sum=True))
def test_zero_sum_minmax_values_are_the_game_value_and_its_negative(game):
    A, _ = game.payoffs
    value = zero_sum_value(A).value
    result = minmax(game)
    tol = 1e-8 * (1 + payoff_range(game))
    assert result.values[0] == pytest.approx(value, abs=tol)
    assert result.values[1] == pytest.approx(-value, abs=tol)


@given(games(), st.booleans())
def test_minmax_of_the_transposed_game_swaps_the_players(game, pure):
    result, swapped = minmax(game, pure=pure), minmax(game.transpose(), pure=pure)
    tol = 1e-8 * (1 + payoff_range(game))
    assert swapped.values[::-1] == pytest.approx(result.values, abs=tol)
    assert swapped.maximin[::-1] == pytest.approx(result.maximin, abs=tol)


@given(games(), st.floats(0.5, 3), st.integers(-5, 5))
def test_minmax_moves_with_positive_affine_payoff_changes(game, scale, shift):
    A, B = game.payoffs
    moved = minmax(Game(scale * A + shift, B))
    base = minmax(game)
    tol = 1e-7 * (1 + payoff_range(game))
    assert moved.values[0] == pytest.approx(scale * base.values[0] + shift, abs=tol)
    assert moved.values[1] == pytest.approx(base.values[1], abs=tol)


@given(games())
def test_nash_payoffs_are_at_least_the_minmax_values(game):
    values = minmax(game).values
    slack = 1e-8 * (1 + payoff_range(game))
    for eq in stage_equilibria(game):
        assert eq.payoffs[0] >= values[0] - slack
        assert eq.payoffs[1] >= values[1] - slack


def test_bad_arguments_are_refused():
    with pytest.raises(InvalidParameterError, match="game must be"):
        minmax([[1, 2], [3, 4]])
    with pytest.raises(InvalidParameterError, match="pure must be"):
        minmax(PD, pure="yes")
    with pytest.raises(InvalidParameterError, match="tol"):
        minmax(PD, tol=-1.0)
