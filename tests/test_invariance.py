"""Every solver is invariant under a positive affine map of each player's payoffs: the
same strategies, and payoffs reported in the user's units, whatever the scale (1e-9 to
1e9, and near the largest double) and the offset."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from powergames import DegenerateGameWarning, Game, equilibria, lemke_howson, solve_batch
from powergames.equilibria import METHODS
from powergames.strategies import affine_images, games

from helpers import describe, same_profiles


def quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return function(*args, **kwargs)


def with_image(**bounds):
    """(game, (image, maps)) with integer payoffs (ties and degenerate games common)."""
    return games(max_rows=4, max_cols=4, **bounds).flatmap(
        lambda game: st.tuples(st.just(game), affine_images(game))
    )


cases = st.one_of(with_image(min_value=-3, max_value=3), with_image(min_value=-999, max_value=999))


def assert_same_in_the_users_units(found, moved, maps):
    assert same_profiles(moved, found, tol=1e-12), f"{describe(moved)}\nvs\n{describe(found)}"
    for eq in moved:
        original = next(o for o in found if eq.isclose(o, tol=1e-12))
        for k, (scale, offset) in enumerate(maps):
            expected = scale * original.payoffs[k] + offset
            assert eq.payoffs[k] == pytest.approx(expected, rel=1e-12, abs=1e-12 * scale)


@pytest.mark.parametrize("method", METHODS)
@given(case=cases)
def test_every_method_gives_the_same_equilibria_on_an_affine_image(method, case):
    game, (image, maps) = case
    found, moved = quiet(equilibria, game, method), quiet(equilibria, image, method)
    assert_same_in_the_users_units(found, moved, maps)


@given(case=cases)
def test_lemke_howson_takes_the_same_path_from_every_label_on_an_affine_image(case):
    game, (image, _) = case
    m, n = game.shape
    for label in range(m + n):
        here = lemke_howson(game, label, full_output=True)
        there = lemke_howson(image, label, full_output=True)
        assert here.pivots == there.pivots
        assert here.equilibrium.isclose(there.equilibrium, tol=1e-12)


@pytest.mark.parametrize("method", ["support", "vertex"])
@given(
    batch=st.tuples(st.integers(1, 3), st.integers(1, 3)).flatmap(
        lambda shape: st.lists(
            games(
                min_rows=shape[0], max_rows=shape[0], min_cols=shape[1], max_cols=shape[1]
            ).flatmap(lambda game: st.tuples(st.just(game), affine_images(game))),
            min_size=1,
            max_size=6,
        )
    )
)
def test_solve_batch_rescales_each_game_of_a_batch_on_its_own(method, batch):
    As = np.stack([game.payoffs[0] for game, _ in batch])
    Bs = np.stack([game.payoffs[1] for game, _ in batch])
    As2 = np.stack([image.payoffs[0] for _, (image, _) in batch])
    Bs2 = np.stack([image.payoffs[1] for _, (image, _) in batch])
    found, moved = quiet(solve_batch, As, Bs, method), quiet(solve_batch, As2, Bs2, method)
    for k, (_, (_, maps)) in enumerate(batch):
        assert_same_in_the_users_units(found[k], moved[k], maps)


@pytest.mark.parametrize("method", METHODS)
@given(
    game=games(max_rows=4, max_cols=4, min_value=-10, max_value=10),
    exponents=st.tuples(*[st.sampled_from([990, 1019, 1020])] * 2),
)
def test_payoffs_near_the_largest_double(method, game, exponents):
    # With payoffs up to 10 * 2**1020 (1.1e308) the payoff range, max - min, overflows.
    A, B = game.payoffs
    (a, b) = (2.0**e for e in exponents)
    huge = Game(a * A, b * B)
    found, moved = quiet(equilibria, game, method), quiet(equilibria, huge, method)
    assert same_profiles(moved, found, tol=1e-12), f"{describe(moved)}\nvs\n{describe(found)}"
    if method != "pure":
        assert moved
    batch = quiet(solve_batch, huge.payoffs[0][None], huge.payoffs[1][None])
    assert same_profiles(batch[0], quiet(equilibria, game, "support"), tol=1e-12)


def test_a_payoff_range_beyond_the_largest_double():
    # max - min = 2e308 overflows: every method used to find nothing (or, "pure", four
    # false equilibria). Relative to that range, 0 and 1 tie, so the game is the same as
    # its image with 0 for 1; its extreme equilibria are (Bottom, Right) and (Bottom,
    # Left/Right mixed evenly).
    game = Game([[1e308, -1e308], [0, 1]])
    expected = [([0, 1], [0.5, 0.5]), ([0, 1], [0, 1])]
    for method in ("auto", "support", "vertex"):
        with pytest.warns(DegenerateGameWarning):
            assert same_profiles(equilibria(game, method), expected)
    assert same_profiles(equilibria(game, "pure"), [([0, 1], [0, 1])])
    assert same_profiles(equilibria(game, "lemke-howson"), [([0, 1], [0, 1])])
    with pytest.warns(DegenerateGameWarning):
        assert solve_batch(np.array([game.payoffs[0]])).count.tolist() == [2]
