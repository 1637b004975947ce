"""Game: validation, labels, expected payoffs and nashpy interop."""

from __future__ import annotations

import nashpy
import numpy as np
import pytest
from hypothesis import given

from powergames import Game, InvalidGameError, InvalidParameterError
from powergames.strategies import games, mixed_strategies


def test_zero_sum_by_default():
    game = Game([[1, -2], [3, 0]])
    np.testing.assert_array_equal(game.payoffs[1], [[-1, 2], [-3, 0]])
    assert game.is_zero_sum


def test_payoffs_are_read_only_copies():
    A = np.array([[1.0, 2.0]])
    game = Game(A, A)
    A[0, 0] = 99
    assert game.payoffs[0][0, 0] == 1
    with pytest.raises(ValueError):
        game.payoffs[0][0, 0] = 5


@pytest.mark.parametrize(
    ("A", "message"),
    [
        ([[1, np.nan]], "finite"),
        ([[1, np.inf], [0, 0]], "finite"),
        ([[1, 2], [3]], "rectangular"),
        ([1, 2, 3], "2-D"),
        ([[[1]]], "2-D"),
        ([[]], "at least one"),
        ([["a", "b"]], "real numbers"),
        ([[1 + 2j, 0]], "real numbers"),
    ],
)
def test_bad_payoffs_are_refused_with_the_argument_named(A, message):
    with pytest.raises(InvalidGameError, match=message) as info:
        Game(A)
    assert "A" in str(info.value)


def test_mismatched_shapes_are_refused():
    with pytest.raises(InvalidGameError, match=r"same shape.*\(2, 2\).*\(2, 3\)"):
        Game(np.zeros((2, 2)), np.zeros((2, 3)))


def test_nan_in_the_column_players_payoffs_names_B():
    with pytest.raises(InvalidGameError, match="B must hold finite payoffs, got nan at row 1"):
        Game(np.zeros((2, 2)), [[0, 0], [np.nan, 0]])


def test_names():
    game = Game(
        [[1, 2, 3]], players=("OCI", "NGO"), strategies=(("dilute",), ("comply", "assert", "exit"))
    )
    assert game.players == ("OCI", "NGO")
    assert game.strategies == (("dilute",), ("comply", "assert", "exit"))
    assert Game([[1, 2]]).strategies == (("1",), ("1", "2"))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"players": ("only one",)},
        {"players": "AB"},
        {"strategies": (("a",), ("x",))},
        {"strategies": (("a", "b"),)},
    ],
)
def test_bad_names_are_refused(kwargs):
    with pytest.raises(InvalidParameterError):
        Game([[1], [2]], **kwargs)


@given(games(payoffs="float"))
def test_expected_payoffs_of_pure_profiles_are_entries(game):
    A, B = game.payoffs
    m, n = game.shape
    for i in range(m):
        for j in range(n):
            assert game.expected_payoffs(np.eye(m)[i], np.eye(n)[j]) == (A[i, j], B[i, j])


@given(
    games(payoffs="float", max_rows=3, max_cols=3).flatmap(
        lambda g: mixed_strategies(g.shape[0]).flatmap(
            lambda x: mixed_strategies(g.shape[1]).map(lambda y: (g, x, y))
        )
    )
)
def test_expected_payoffs_are_bilinear(case):
    game, x, y = case
    A, B = game.payoffs
    u, v = game.expected_payoffs(x, y)
    assert u == pytest.approx(
        sum(x[i] * A[i, j] * y[j] for i in range(len(x)) for j in range(len(y))), abs=1e-9
    )
    assert v == pytest.approx(float(x @ B @ y), abs=1e-9)
    assert game[x, y] == (u, v)


@pytest.mark.parametrize(
    ("sigma", "message"),
    [
        ([1.0], r"shape \(2,\)"),
        ([0.5, 0.6], "sum to 1"),
        ([1.5, -0.5], "non-negative"),
        ([np.nan, 1], "finite"),
        ("ab", "1-D array"),
    ],
)
def test_bad_mixed_strategies_are_refused(sigma, message):
    with pytest.raises(InvalidParameterError, match=message):
        Game([[1, 2], [3, 4]]).expected_payoffs(sigma, [0.5, 0.5])


@given(games())
def test_nashpy_round_trip(game):
    back = Game.from_nashpy(game.to_nashpy())
    np.testing.assert_array_equal(back.payoffs[0], game.payoffs[0])
    np.testing.assert_array_equal(back.payoffs[1], game.payoffs[1])
    assert isinstance(game.to_nashpy(), nashpy.Game)


@given(games())
def test_transpose_swaps_the_players(game):
    t = game.transpose()
    np.testing.assert_array_equal(t.payoffs[0], game.payoffs[1].T)
    assert t.transpose() == game


def test_equality_and_hash():
    a, b = Game([[1, 2]], [[0, 1]]), Game([[1, 2]], [[0, 1]])
    assert a == b and hash(a) == hash(b)
    assert a != Game([[1, 2]], [[0, 2]])
    assert a != Game([[1, 2]], [[0, 1]], title="other")


def test_markdown_display():
    text = Game([[1, 0.5]], [[2, 3]], strategies=(("T",), ("L", "R")))._repr_markdown_()
    assert text.splitlines()[2] == "| T | 1, 2 | 0.5, 3 |"


def test_game_and_symbolic_game_share_one_label_base():
    from powergames.game import StrategyLabels
    from powergames.symbolic import SymbolicGame

    for cls in (Game, SymbolicGame):
        assert issubclass(cls, StrategyLabels)
        for name in ("players", "strategies", "title"):
            assert getattr(cls, name) is getattr(StrategyLabels, name)
    names = {"players": ("N", "S"), "strategies": (("a", "b"), ("x",)), "title": "t"}
    numeric = Game([[1], [2]], **names)
    symbolic = SymbolicGame([[1], [2]], [[0], [0]], **names)
    assert (numeric.players, numeric.strategies, numeric.title) == (
        symbolic.players,
        symbolic.strategies,
        symbolic.title,
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"strategies": 5},
        {"players": 5},
        {"strategies": (5, ("x",))},
        {"players": None, "strategies": "ab"},
    ],
)
def test_names_of_the_wrong_type_raise_invalid_parameter_error(kwargs):
    with pytest.raises(InvalidParameterError):
        Game([[1], [2]], **kwargs)


@pytest.mark.parametrize("profile", [None, 5, ([1, 0],), ([1, 0], [1, 0], [1, 0])])
def test_indexing_needs_a_pair_of_strategies(profile):
    with pytest.raises(InvalidParameterError, match="profile must be a pair"):
        Game([[1, 2], [3, 4]])[profile]


def test_names_are_labels_and_may_repeat():
    # As in Gambit's files: two players both called "", two strategies called "defect".
    game = Game(np.eye(2), players=("", ""), strategies=(("defect", "defect"), ("a", "b")))
    assert game.players == ("", "")
    assert game.strategies[0] == ("defect", "defect")
    assert game != Game(np.eye(2), players=("", ""), strategies=(("defect", "c"), ("a", "b")))


def test_an_integer_beyond_the_float_range_is_named():
    with pytest.raises(
        InvalidGameError, match=r"A holds an integer of about 401 digits at row 0, column 1"
    ):
        Game(np.array([[1, 10**400]], dtype=object))
    with pytest.raises(InvalidGameError, match=r"about 5001 digits at row 1, column 0"):
        Game([[0, 0], [-(10**5000), 0]])
