"""Supports are the strategies played with positive probability: no round-off such as
1e-17 stands for a strategy that is not played, whatever the method, and ``is_pure``
follows. Decided against exact rational arithmetic (tests/exact.py)."""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from powergames import DegenerateGameWarning, Game, equilibria, lemke_howson, solve_batch
from powergames.equilibria import METHODS
from powergames.strategies import games

import exact
from helpers import describe


def quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return function(*args, **kwargs)


def exact_supports(profile):
    return tuple(tuple(i for i, p in enumerate(s) if p > 0) for s in profile)


def assert_supports_are_exact(game, found):
    """Each equilibrium is an extreme equilibrium of the exact oracle, with the same
    supports (every method returns extreme equilibria: vertex pairs)."""
    extreme = exact.extreme_equilibria(*game.payoffs)
    note(f"found:\n{describe(found)}\nexact:\n{describe(extreme)}")
    for eq in found:
        x, y = eq.strategies
        match = [
            e
            for e in extreme
            if np.allclose(x, [float(v) for v in e[0]], atol=1e-7)
            and np.allclose(y, [float(v) for v in e[1]], atol=1e-7)
        ]
        assert match, f"not an extreme equilibrium: {eq}"
        assert eq.supports == exact_supports(match[0]), eq
        assert eq.is_pure == (len(eq.supports[0]) == len(eq.supports[1]) == 1)


# Ties everywhere, planted degeneracy, and generic payoffs (distinct payoffs differ by
# far more than the tolerance, so that the exact oracle and the solvers see one game).
small_games = st.one_of(
    games(max_rows=4, max_cols=4, min_value=-3, max_value=3),
    games(max_rows=4, max_cols=4, degenerate=True),
    games(max_rows=4, max_cols=4, min_value=-999, max_value=999).map(
        lambda g: Game(g.payoffs[0] / 1000, g.payoffs[1] / 1000)
    ),
)


@pytest.mark.parametrize("method", METHODS)
@given(game=small_games)
def test_supports_are_the_strategies_played(method, game):
    assert_supports_are_exact(game, quiet(equilibria, game, method))


@given(game=small_games)
def test_lemke_howson_supports_are_the_strategies_played(game):
    m, n = game.shape
    assert_supports_are_exact(game, [lemke_howson(game, label) for label in range(m + n)])


@pytest.mark.parametrize("method", ["support", "vertex"])
@given(game=small_games)
def test_solve_batch_supports_are_the_strategies_played(method, game):
    A, B = game.payoffs
    assert_supports_are_exact(game, quiet(solve_batch, A[None], B[None], method)[0])


@pytest.mark.parametrize("method", ["vertex", "support"])
@given(seed=st.integers(0, 2**32 - 1), size=st.sampled_from([6, 8]))
def test_supports_of_larger_random_games_are_exact(method, seed, size):
    # 6x6 and 8x8 vertex enumeration goes through convex hulls, whose vertices carry
    # round-off where their coordinates vanish (211 of 342 equilibria of such games
    # used to list a strategy played with probability about 1e-17). Generic payoffs:
    # each equilibrium is the unique one on its supports, found exactly.
    rng = np.random.default_rng(seed)
    A, B = rng.random((size, size)), rng.random((size, size))
    for eq in equilibria(Game(A, B), method):
        solution = exact.equilibrium_on_supports(A, B, *eq.supports)
        assert solution is not None, f"no equilibrium on the supports {eq.supports}"
        for ours, theirs in zip(eq.strategies, solution, strict=True):
            np.testing.assert_allclose(ours, [float(v) for v in theirs], atol=1e-12)


def test_lemke_howson_payoffs_carry_no_round_off():
    pennies = Game([[1, -1], [-1, 1]])
    for label in range(4):
        assert lemke_howson(pennies, label).payoffs == (0.0, 0.0)


def test_a_probability_that_is_genuinely_tiny_is_kept():
    # Payoffs spanning 6 orders of magnitude: the column player mixes with a
    # probability of about 1e-6 on Left, and that is the equilibrium, not round-off.
    A = [[1e6, 0], [0, 1]]
    B = [[0, 1], [1, 0]]
    game = Game(A, B)
    [eq] = equilibria(game)
    _, y = exact.equilibrium_on_supports(A, B, (0, 1), (0, 1))
    assert y[0] == Fraction(1, 10**6 + 1)
    np.testing.assert_allclose(eq.strategies[1], [float(v) for v in y], rtol=1e-9, atol=1e-15)
    assert eq.supports == ((0, 1), (0, 1))
