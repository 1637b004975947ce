"""The public hypothesis strategies draw what they promise."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from powergames import Game, is_degenerate
from powergames.strategies import games, mixed_strategies, payoff_matrices, permutations_of, shapes

import exact


@given(shapes(min_rows=2, max_rows=3, min_cols=1, max_cols=5))
def test_shapes_respect_their_bounds(shape):
    m, n = shape
    assert 2 <= m <= 3 and 1 <= n <= 5


@given(payoff_matrices((2, 3), min_value=-2, max_value=5))
def test_integer_payoff_matrices(M):
    assert M.shape == (2, 3) and (M == np.round(M)).all() and M.min() >= -2 and M.max() <= 5


@given(payoff_matrices((3, 3), payoffs="float", min_value=0, max_value=1))
def test_float_payoff_matrices(M):
    assert np.isfinite(M).all() and 0 <= M.min() and M.max() <= 1


@given(games(max_rows=3, max_cols=3, degenerate=True))
def test_degenerate_games_are_degenerate(game):
    assert exact.is_degenerate(*game.payoffs)


@given(games(max_rows=3, max_cols=3, degenerate=False, min_value=-3, max_value=3))
def test_non_degenerate_games_are_not(game):
    assert not exact.is_degenerate(*game.payoffs)


@given(games(zero_sum=True))
def test_zero_sum_games(game):
    assert game.is_zero_sum


@given(games(zero_sum=True, degenerate=True, min_rows=2))
def test_degenerate_zero_sum_games(game):
    assert game.is_zero_sum and is_degenerate(game)


@given(st.integers(1, 6).flatmap(lambda n: st.tuples(st.just(n), mixed_strategies(n))))
def test_mixed_strategies_are_probability_vectors(case):
    n, sigma = case
    assert sigma.shape == (n,) and (sigma >= 0).all() and abs(sigma.sum() - 1) < 1e-12


@given(permutations_of(Game([[1, 2, 3], [4, 5, 6]], [[6, 5, 4], [3, 2, 1]])))
def test_permutations_move_rows_and_columns_together(case):
    permuted, rows, cols = case
    A = np.array([[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(permuted.payoffs[0], A[np.ix_(rows, cols)])
    np.testing.assert_array_equal(permuted.payoffs[1], (7 - A)[np.ix_(rows, cols)])
