"""Time and size guards: ``time_limit`` stops every search cleanly, with what was found
and a TimeLimitWarning; "auto" terminates on games far beyond enumeration."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pytest

from powergames import (
    Game,
    InvalidParameterError,
    PowergamesError,
    equilibria,
    is_equilibrium,
    lemke_howson,
    support_enumeration,
    vertex_enumeration,
)
from powergames.errors import TimeLimitWarning


def random_game(seed, m, n):
    rng = np.random.default_rng(seed)
    return Game(rng.random((m, n)), rng.random((m, n)))


@pytest.mark.parametrize(
    ("solver", "shape"),
    [(support_enumeration, (12, 12)), (vertex_enumeration, (16, 16))],
)
def test_enumeration_stops_at_the_time_limit_with_what_it_found(solver, shape):
    # Both would run for minutes: 2.7 million support pairs; for 16 x 16 under a time
    # limit the (interruptible) support pairs are used instead of convex hulls.
    game = random_game(0, *shape)
    start = time.monotonic()
    with pytest.warns(TimeLimitWarning, match=r"stopped at time_limit=0\.2 s"):
        found = solver(game, time_limit=0.2)
    assert time.monotonic() - start < 5
    assert found, "the pure and small supports come first"
    assert all(is_equilibrium(game, eq.strategies) for eq in found)


def test_equilibria_passes_the_time_limit_to_every_method():
    game = random_game(1, 12, 12)
    for method in ("support", "lemke-howson"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            found = equilibria(game, method, time_limit=1e-6)
        assert [w.category for w in caught] == [TimeLimitWarning], method
        assert all(is_equilibrium(game, eq.strategies) for eq in found)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TimeLimitWarning)
        assert equilibria(Game([[1, 0], [0, 1]]), time_limit=60)  # in time: no warning


def test_lemke_howson_out_of_time():
    game = random_game(1, 200, 200)  # 527,059 pivots from label 200
    result = lemke_howson(game, 200, time_limit=1e-3, full_output=True)
    assert not result.converged and result.status == "time limit"
    assert result.equilibrium is None
    with pytest.raises(PowergamesError, match="ran out of time_limit"):
        lemke_howson(game, 200, time_limit=1e-3)


@pytest.mark.parametrize("time_limit", [0, -1.0, float("nan"), float("inf"), "1", True])
def test_a_time_limit_is_a_positive_number_of_seconds(time_limit):
    game = Game([[1, 0], [0, 1]])
    for call in (
        lambda: equilibria(game, time_limit=time_limit),
        lambda: support_enumeration(game, time_limit=time_limit),
        lambda: lemke_howson(game, time_limit=time_limit),
    ):
        with pytest.raises(InvalidParameterError, match="time_limit"):
            call()


def test_auto_follows_every_path_of_a_game_beyond_enumeration_when_cheap():
    game = random_game(3, 20, 20)  # 40 pure strategies: too many to enumerate
    with pytest.warns(UserWarning, match=r"from 40 of its 40 labels") as record:
        found = equilibria(game)
    assert record[0].filename == __file__
    assert found and all(is_equilibrium(game, eq.strategies) for eq in found)
    everything = equilibria(game, "lemke-howson")
    assert len(found) == len(everything)


def test_auto_keeps_to_its_budget(monkeypatch):
    from powergames.equilibria import solve

    # A budget of 2,000 pivots on a 60 x 60 game: every label gets 16 pivots, then the
    # unfinished ones 64, until the budget is spent.
    monkeypatch.setattr(solve, "AUTO_WORK_BUDGET", 2_000 * 60 * 120)
    game = random_game(4, 60, 60)
    with pytest.warns(UserWarning, match=r"labels within (1[0-9]{3}|2000) pivots"):
        found = equilibria(game)
    assert all(is_equilibrium(game, eq.strategies) for eq in found)


def test_the_kernel_reports_an_incomplete_batch():
    from powergames.equilibria._enumerate import enumerate_equilibria

    rng = np.random.default_rng(5)
    As, Bs = rng.random((4, 3, 3)), rng.random((4, 3, 3))
    whole = enumerate_equilibria(As, Bs, "support", 1e-9)
    assert whole.complete
    cut = enumerate_equilibria(As, Bs, "support", 1e-9, deadline=time.monotonic() - 1)
    assert not cut.complete
    assert set(cut.game.tolist()) <= set(whole.game.tolist())
