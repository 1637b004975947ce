"""The ``equilibria`` entry point, argument checking, the equilibrium test, and the
cross-check against quantecon."""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from powergames import (
    DegenerateGameWarning,
    Equilibrium,
    Game,
    InvalidParameterError,
    best_responses,
    equilibria,
    is_equilibrium,
    lemke_howson,
    regrets,
)
from powergames.equilibria import METHODS
from powergames.strategies import games, mixed_strategies

import exact
from helpers import describe, same_profiles

quantecon = pytest.importorskip("quantecon.game_theory", reason="quantecon is a test extra")


# ------------------------------------------------------------------ dispatch
@pytest.mark.parametrize("method", METHODS)
@given(game=games(max_rows=4, max_cols=4))
def test_every_method_returns_equilibria(method, game):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        found = equilibria(game, method)
    assert all(is_equilibrium(game, eq.strategies) for eq in found), describe(found)
    assert all(isinstance(eq, Equilibrium) for eq in found)
    if method != "pure":
        assert found, "every finite game has an equilibrium"


def test_auto_is_vertex_enumeration():
    game = Game([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    assert same_profiles(equilibria(game), equilibria(game, "vertex"))


def test_auto_falls_back_to_lemke_howson_on_large_games():
    rng = np.random.default_rng(0)
    game = Game(rng.random((20, 20)), rng.random((20, 20)))
    with pytest.warns(UserWarning, match="too large"):
        found = equilibria(game)
    assert found and all(is_equilibrium(game, eq.strategies) for eq in found)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "simplex"}, "method must be one of"),
        ({"method": "support", "label": 0}, "label is only used"),
        ({"tol": -1.0}, "tol must be"),
        ({"tol": float("nan")}, "tol must be"),
        ({"method": "lemke-howson", "label": 7}, "label"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        equilibria(Game([[1, 0], [0, 1]]), **kwargs)


def test_a_game_is_required():
    with pytest.raises(InvalidParameterError, match=r"powergames\.Game"):
        equilibria([[1, 0], [0, 1]])  # type: ignore[arg-type]


# ------------------------------------------------------- best responses
@given(
    case=games(payoffs="float", max_rows=4, max_cols=4).flatmap(
        lambda g: st.tuples(st.just(g), mixed_strategies(g.shape[0]), mixed_strategies(g.shape[1]))
    )
)
def test_a_best_response_earns_the_maximum(case):
    game, x, y = case
    A, B = game.payoffs
    for i in best_responses(game, 0, y):
        assert (A @ y)[i] == pytest.approx((A @ y).max(), abs=1e-9 * (np.ptp(A) + 1))
    for j in best_responses(game, 1, x):
        assert (x @ B)[j] == pytest.approx((x @ B).max(), abs=1e-9 * (np.ptp(B) + 1))


@given(
    case=games(payoffs="float", max_rows=4, max_cols=4).flatmap(
        lambda g: st.tuples(st.just(g), mixed_strategies(g.shape[0]), mixed_strategies(g.shape[1]))
    )
)
def test_regrets_are_non_negative_and_zero_exactly_at_equilibria(case):
    game, x, y = case
    r, c = regrets(game, (x, y))
    assert r >= 0 and c >= 0
    # The verdict against exact regrets (rational arithmetic on the floats' exact
    # values), relative to each player's payoff range; a player whose payoffs are all
    # equal has no regret.
    A, B = (exact.to_fractions(M) for M in game.payoffs)
    X, Y = ([Fraction(float(v)) for v in s] for s in (x, y))
    Ay = [sum(a * q for a, q in zip(row, Y, strict=True)) for row in A]
    xB = [sum(X[i] * B[i][j] for i in range(len(X))) for j in range(len(Y))]
    exact_r = sum(p * (max(Ay) - v) for p, v in zip(X, Ay, strict=True))
    exact_c = sum(q * (max(xB) - v) for q, v in zip(Y, xB, strict=True))

    def within(regret: Fraction, M: list[list[Fraction]]) -> bool:
        span = max(map(max, M)) - min(map(min, M))
        return span == 0 or regret <= Fraction(1e-9) * span

    assert is_equilibrium(game, (x, y)) == (within(exact_r, A) and within(exact_c, B))


def test_regrets_of_payoffs_a_few_units_in_the_last_place_apart():
    # The column player's two payoffs differ by one unit in the last place near
    # -8e-302: the second column is strictly better, so y = (0.0028, 0.9972) is no
    # best response, and its regret (about 2.9e-320) is not lost to cancellation.
    b = -8.05e-302
    game = Game([[0.0, 0.0]], [[b, np.nextafter(b, 0)]])
    y = [0.0028, 0.9972]
    assert regrets(game, ([1.0], y))[1] == pytest.approx(0.0028 * (np.nextafter(b, 0) - b))
    assert not is_equilibrium(game, ([1.0], y))
    assert is_equilibrium(game, ([1.0], [0.0, 1.0]))


def test_best_responses_validate_their_arguments():
    game = Game([[1, 0], [0, 1]])
    with pytest.raises(InvalidParameterError, match="player must be 0"):
        best_responses(game, 2, [1, 0])
    with pytest.raises(InvalidParameterError, match="opponent_strategy"):
        best_responses(game, 0, [1, 0, 0])
    with pytest.raises(InvalidParameterError, match="a pair"):
        is_equilibrium(game, ([1, 0],))
    with pytest.raises(InvalidParameterError, match="sum to 1"):
        is_equilibrium(game, ([0.5, 0.4], [1, 0]))


# ------------------------------------------------------------- quantecon
def quantecon_all(game):
    A, B = game.payoffs
    g = quantecon.NormalFormGame((quantecon.Player(A), quantecon.Player(B.T)))
    return list(quantecon.support_enumeration(g))


@pytest.mark.parametrize("method", ["support", "vertex"])
@given(
    game=games(payoffs="float", min_rows=2, max_rows=5, min_cols=2, max_cols=5, degenerate=False)
)
def test_enumeration_agrees_with_quantecon_on_non_degenerate_games(method, game):
    ours = equilibria(game, method)
    theirs = quantecon_all(game)
    assert same_profiles(ours, theirs, tol=1e-6), f"{describe(ours)}\nvs\n{describe(theirs)}"


@pytest.mark.parametrize("seed", range(8))
def test_vertex_enumeration_by_convex_hulls_agrees_with_quantecon_on_larger_games(seed):
    rng = np.random.default_rng(seed)
    m, n = rng.integers(6, 10, size=2)
    game = Game(rng.random((m, n)), rng.random((m, n)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateGameWarning)
        ours = equilibria(game, "vertex")
    assert same_profiles(ours, quantecon_all(game), tol=1e-6)
    assert same_profiles(ours, equilibria(game, "support"), tol=1e-9)


@pytest.mark.parametrize(
    ("strategies", "tol"), [(None, 1e-9), (5, 1e-9), (([1, 0],), 1e-9), (([1, 0], [1, 0]), "x")]
)
def test_is_equilibrium_refuses_bad_arguments(strategies, tol):
    with pytest.raises(InvalidParameterError):
        is_equilibrium(Game([[1, 0], [0, 1]]), strategies, tol=tol)


# ------------------------------------------------------------ method names
@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("support_enumeration", "support"),
        ("vertex_enumeration", "vertex"),
        ("lemke_howson", "lemke-howson"),
        ("pure_equilibria", "pure"),
    ],
)
def test_the_function_names_are_method_names(alias, name):
    game = Game([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    assert same_profiles(equilibria(game, alias), equilibria(game, name))


@pytest.mark.parametrize(
    ("method", "suggestion"),
    [
        ("suport", "support"),
        ("lemke", "lemke-howson"),
        ("Vertex", "vertex"),
        ("pure_eq", "pure_equilibria"),
    ],
)
def test_an_unknown_method_gets_a_suggestion(method, suggestion):
    with pytest.raises(InvalidParameterError, match=f"did you mean '{suggestion}'"):
        equilibria(Game([[1]]), method)


def test_solve_batch_takes_the_function_names_too():
    from powergames import solve_batch

    batch = solve_batch([[[3, 0], [0, 2]]], [[[2, 0], [0, 3]]], "vertex_enumeration")
    assert batch.count.tolist() == [3]
    with pytest.raises(InvalidParameterError, match="did you mean 'vertex'"):
        solve_batch([[[1]]], method="vertx")


# ------------------------------------------------------------- warnings
def warning_files(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [(w.category, w.filename) for w in caught]


def test_warnings_point_at_the_callers_line():
    from powergames import solve_batch, support_enumeration, vertex_enumeration

    degenerate = Game([[1, 1], [0, 1]], [[1, 1], [0, 1]])
    calls = [
        lambda: equilibria(degenerate),
        lambda: equilibria(degenerate, "support"),
        lambda: support_enumeration(degenerate),
        lambda: vertex_enumeration(degenerate),
        lambda: solve_batch(*(M[None] for M in degenerate.payoffs)),
    ]
    for call in calls:
        assert warning_files(call) == [(DegenerateGameWarning, __file__)]
    rng = np.random.default_rng(0)
    large = Game(rng.random((20, 20)), rng.random((20, 20)))
    assert warning_files(lambda: equilibria(large)) == [(UserWarning, __file__)]


def test_the_degenerate_warning_speaks_plainly():
    with pytest.warns(DegenerateGameWarning) as record:
        equilibria(Game([[1, 1], [0, 1]], [[1, 1], [0, 1]]))
    text = str(record[0].message)
    assert "more pure best responses than the strategies it uses" in text
    assert "(convex combinations within a maximal Nash subset)" in text


# ------------------------------------------------------------ equilibria
def test_an_equilibrium_unpacks_into_the_two_strategies():
    battle = Game([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    pairs = [(row, col) for row, col in equilibria(battle)]
    assert same_profiles(pairs, [([1, 0], [1, 0]), ([0.6, 0.4], [0.4, 0.6]), ([0, 1], [0, 1])])
    assert all(isinstance(row, np.ndarray) for row, _ in pairs)


def test_an_equilibrium_names_its_support():
    game = Game(
        [[3, 0], [0, 2]],
        [[2, 0], [0, 3]],
        players=("Ann", "Bob"),
        strategies=(("opera", "match"), ("opera", "match")),
    )
    mixed = equilibria(game)[1]
    assert mixed.support_names == (("opera", "match"), ("opera", "match"))
    assert "0.6 opera + 0.4 match" in mixed.describe()
    assert mixed.describe().splitlines()[1].startswith("Ann")
    unnamed = Equilibrium((np.array([0.0, 1.0]), np.array([1.0])), (0.0, 0.0))
    assert unnamed.support_names == (("2",), ("1",))


@pytest.mark.parametrize(
    ("strategies", "payoffs"),
    [(None, (0, 0)), (([1.0],), (0, 0)), (([[1.0]], [1.0]), (0, 0)), (([1.0], [1.0]), (0, "x"))],
)
def test_an_equilibrium_checks_what_it_is_given(strategies, payoffs):
    with pytest.raises(InvalidParameterError):
        Equilibrium(strategies, payoffs)


def test_displays_for_notebooks():
    game = Game([[1, -1], [-1, 1]], strategies=(("heads", "tails"), ("heads", "tails")))
    eq = lemke_howson(game, 0)
    assert eq.payoffs == (0.0, 0.0)  # not -3.1e-33
    assert repr(eq).endswith("payoffs=(0, 0))")
    for shown in (eq._repr_markdown_(), eq._repr_html_(), game._repr_html_()):
        assert "heads" in shown and "e-3" not in shown
    assert eq._repr_html_().startswith("<table>")
    assert game._repr_markdown_().splitlines()[2] == "| heads | 1, -1 | -1, 1 |"

    class Printer:
        def __init__(self):
            self.parts = []

        def text(self, part):
            self.parts.append(part)

    for shown in (game, eq):
        printer = Printer()
        shown._repr_pretty_(printer, False)
        assert printer.parts == [shown.table() if shown is game else eq.describe()]


def test_minus_zero_and_round_off_show_as_zero():
    eq = Equilibrium((np.array([1.0]), np.array([1.0])), (-0.0, -3.08149e-33))
    assert repr(eq).endswith("payoffs=(0, -3.08149e-33))")  # nothing to compare it with
    eq = Equilibrium((np.array([1.0]), np.array([1.0])), (2.0, -3.08149e-33))
    assert repr(eq).endswith("payoffs=(2, 0))")
    assert Game([[-0.0, 1]], [[0, 0]]).table().splitlines()[-1].split()[1] == "0,"
