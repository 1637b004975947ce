"""solve_batch: the same equilibria as the single-game solvers, game by game."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from powergames import (
    DegenerateGameWarning,
    Game,
    InvalidGameError,
    InvalidParameterError,
    equilibria,
    solve_batch,
)
from powergames.strategies import games

from helpers import same_profiles


def batches(max_games=12, **bounds):
    """Lists of games of one shape (integer payoffs: degenerate games are common)."""
    return st.tuples(
        st.integers(1, bounds.get("max_rows", 4)), st.integers(1, bounds.get("max_cols", 4))
    ).flatmap(
        lambda shape: st.lists(
            games(
                min_rows=shape[0],
                max_rows=shape[0],
                min_cols=shape[1],
                max_cols=shape[1],
                payoffs=bounds.get("payoffs", "integer"),
                min_value=-4,
                max_value=4,
            ),
            min_size=1,
            max_size=max_games,
        )
    )


def single(game, method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return equilibria(game, method)


@pytest.mark.parametrize("method", ["support", "vertex"])
@given(batch=batches())
def test_solve_batch_equals_the_single_game_solver_game_by_game(method, batch):
    As = np.stack([g.payoffs[0] for g in batch])
    Bs = np.stack([g.payoffs[1] for g in batch])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        result = solve_batch(As, Bs, method)
    assert len(result) == len(batch)
    for k, game in enumerate(batch):
        expected = single(game, method)
        found = result[k]
        assert same_profiles(found, expected, tol=1e-12)
        for mine, theirs in zip(found, expected, strict=True):  # same order too
            np.testing.assert_allclose(mine.strategies[0], theirs.strategies[0], atol=1e-12)
            assert mine.payoffs == pytest.approx(theirs.payoffs, abs=1e-9)


@given(batch=batches(max_games=6, max_rows=5, max_cols=5, payoffs="float"))
def test_solve_batch_on_float_games_up_to_5x5(batch):
    As = np.stack([g.payoffs[0] for g in batch])
    Bs = np.stack([g.payoffs[1] for g in batch])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        result = solve_batch(As, Bs)
    for k, game in enumerate(batch):
        assert same_profiles(result[k], single(game, "support"), tol=1e-12)


def test_flat_arrays_and_counts():
    rng = np.random.default_rng(3)
    As, Bs = rng.random((4, 5, 3, 3)), rng.random((4, 5, 3, 3))
    result = solve_batch(As, Bs)
    assert result.batch_shape == (4, 5) and result.count.shape == (4, 5)
    assert result.count.sum() == len(result.game) == len(result.row) == len(result.payoffs)
    assert (result.count % 2 == 1).all()  # non-degenerate games: an odd number
    assert same_profiles(result[(2, 3)], equilibria(Game(As[2, 3], Bs[2, 3]), "support"))
    assert same_profiles(result[13], result[(2, 3)])
    e = np.flatnonzero(result.game == 13)[0]
    assert result.payoffs[e, 0] == pytest.approx(result.row[e] @ As[2, 3] @ result.col[e])


def test_degenerate_games_are_flagged_once():
    As = np.array([[[1, 1], [0, 0]], [[3, 0], [0, 2]]], dtype=float)
    Bs = np.array([[[1, 1], [0, 1]], [[2, 0], [0, 3]]], dtype=float)
    with pytest.warns(DegenerateGameWarning, match="1 of 2 games") as record:
        result = solve_batch(As, Bs, "vertex")
    assert len(record) == 1
    assert result.degenerate.tolist() == [True, False]


def test_zero_sum_by_default():
    pennies = np.array([[[1, -1], [-1, 1]]], dtype=float)
    [eq] = solve_batch(pennies)[0]
    np.testing.assert_allclose(eq.strategies[0], [0.5, 0.5])


def test_an_empty_batch():
    result = solve_batch(np.zeros((0, 2, 2)), np.zeros((0, 2, 2)))
    assert len(result) == 0 and result.game.size == 0


def test_many_games_in_chunks():
    from powergames.equilibria import _enumerate

    rng = np.random.default_rng(5)
    As, Bs = rng.random((50, 3, 3)), rng.random((50, 3, 3))
    whole = solve_batch(As, Bs)
    saved = _enumerate.CHUNK_ENTRIES
    _enumerate.CHUNK_ENTRIES = 7 * 36  # a few games per chunk
    try:
        chunked = solve_batch(As, Bs)
    finally:
        _enumerate.CHUNK_ENTRIES = saved
    np.testing.assert_array_equal(whole.game, chunked.game)
    np.testing.assert_array_equal(whole.row, chunked.row)


@pytest.mark.parametrize(
    ("As", "Bs", "error", "message"),
    [
        (np.zeros(3), None, InvalidGameError, "shape"),
        (np.zeros((2, 2, 2)), np.zeros((2, 2, 3)), InvalidGameError, "same shape"),
        (np.array([[[np.nan]]]), None, InvalidGameError, r"index \(0, 0, 0\)"),
        (np.zeros((1, 0, 2)), None, InvalidGameError, "m, n >= 1"),
        ([["a"]], None, InvalidGameError, "real payoffs"),
    ],
)
def test_bad_batches_are_refused(As, Bs, error, message):
    with pytest.raises(error, match=message):
        solve_batch(As, Bs)


def test_bad_method():
    with pytest.raises(InvalidParameterError, match="method"):
        solve_batch(np.zeros((1, 2, 2)), method="lemke-howson")
