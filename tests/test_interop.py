"""Games of nashpy, quantecon and pygambit are accepted wherever a Game is, and games
convert back; pandas DataFrames name the strategies."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest
from hypothesis import given

from powergames import (
    DegenerateGameWarning,
    Game,
    InvalidGameError,
    InvalidParameterError,
    equilibria,
    is_equilibrium,
    lemke_howson,
    support_enumeration,
    vertex_enumeration,
    write_nfg,
)
from powergames.game import as_game
from powergames.strategies import games

from helpers import same_profiles

gt = pytest.importorskip("quantecon.game_theory", reason="quantecon is a test extra")


def quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return function(*args, **kwargs)


def same_payoffs(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a.payoffs, b.payoffs, strict=True))


@given(games())
def test_quantecon_round_trip(game):
    theirs = game.to_quantecon()
    assert isinstance(theirs, gt.NormalFormGame) and theirs.N == 2
    # quantecon indexes the column player's payoffs (own action, opponent's action).
    np.testing.assert_array_equal(theirs.players[1].payoff_array, game.payoffs[1].T)
    assert same_payoffs(Game.from_quantecon(theirs), game)
    assert same_payoffs(Game(theirs), game)


@given(games())
def test_nashpy_round_trip_through_the_constructor(game):
    assert same_payoffs(Game(game.to_nashpy()), game)
    assert as_game(game.to_nashpy()) == Game(*game.payoffs)


@given(games(max_rows=3, max_cols=3))
def test_every_entry_point_takes_a_foreign_game(game):
    expected = quiet(equilibria, game)
    for foreign in (game.to_nashpy(), game.to_quantecon()):
        assert same_profiles(quiet(equilibria, foreign), expected)
        assert same_profiles(quiet(vertex_enumeration, foreign), expected)
        assert same_profiles(quiet(support_enumeration, foreign), quiet(support_enumeration, game))
        assert lemke_howson(foreign, 0).isclose(lemke_howson(game, 0))
        assert is_equilibrium(foreign, expected[0].strategies)
        assert write_nfg(foreign) == write_nfg(Game(*game.payoffs))


def test_quantecon_games_of_other_sizes_are_refused():
    with pytest.raises(InvalidGameError, match="this quantecon game has 3 players"):
        equilibria(gt.NormalFormGame((2, 2, 2)))


def test_something_else_is_refused_with_what_is_accepted():
    with pytest.raises(InvalidParameterError, match="nashpy, quantecon or pygambit, got dict"):
        equilibria({"A": [[1]]})


def test_a_missing_optional_package_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "quantecon", None)
    monkeypatch.setitem(sys.modules, "quantecon.game_theory", None)
    with pytest.raises(ModuleNotFoundError, match=r"to_quantecon needs .* pip install quantecon"):
        Game([[1]]).to_quantecon()
    monkeypatch.setitem(sys.modules, "pygambit", None)
    with pytest.raises(ModuleNotFoundError, match="pip install pygambit"):
        Game([[1]]).to_pygambit()


def test_dataframes_name_the_strategies():
    pd = pytest.importorskip("pandas")
    A = pd.DataFrame([[3, 0], [5, 1]], index=["C", "D"], columns=["c", "d"])
    B = pd.DataFrame([[3, 5], [0, 1]], index=["C", "D"], columns=["c", "d"])
    game = Game(A, B)
    assert game.strategies == (("C", "D"), ("c", "d"))
    np.testing.assert_array_equal(game.payoffs[1], [[3, 5], [0, 1]])
    assert Game(A, B.to_numpy(), strategies=(("x", "y"), ("u", "v"))).strategies[0] == ("x", "y")
    assert Game(A).payoffs[1][1, 0] == -5
    with pytest.raises(InvalidGameError, match="name the strategies differently"):
        Game(A, B.rename(index={"C": "cooperate"}))
    [eq] = equilibria(game)
    assert eq.support_names == (("D",), ("d",))


def test_pygambit_round_trip():
    pygambit = pytest.importorskip("pygambit", reason="pygambit is optional")
    game = Game(
        [[3, 0], [5, 1.5]],
        [[3, 5], [0, 1]],
        players=("Row", "Column"),
        strategies=(("cooperate", "defect"), ("cooperate", "defect")),
        title="A prisoner's dilemma",
    )
    theirs = game.to_pygambit()
    assert isinstance(theirs, pygambit.Game)
    assert Game.from_pygambit(theirs) == game
    assert Game(theirs) == game
    assert same_profiles(equilibria(theirs), equilibria(game))
    three = pygambit.Game.new_table([2, 2, 2])
    with pytest.raises(InvalidGameError, match="this pygambit game has 3 players"):
        equilibria(three)
