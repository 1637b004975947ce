"""Tests of the Lemke-Howson solver: equilibria from every label, degenerate games,
agreement with vertex enumeration and quantecon, and both arithmetic paths."""

from __future__ import annotations

import importlib
import warnings
from fractions import Fraction
from typing import Any

import nashpy
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from powergames import Game
from powergames.equilibria import (
    Equilibrium,
    equilibria,
    is_equilibrium,
    lemke_howson,
    regrets,
    vertex_enumeration,
)
from powergames.equilibria._polytope import normalise
from powergames.errors import DegenerateGameWarning, InvalidParameterError, PowergamesError

# The package re-exports the function under the module's name, so fetch the module itself.
lh = importlib.import_module("powergames.equilibria.lemke_howson")
tb = importlib.import_module("powergames.equilibria._tableau")
xp = importlib.import_module("powergames.equilibria._exact_pivoting")


def extreme_equilibria(game: Game) -> list[Equilibrium]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return vertex_enumeration(game)


def all_labels(game: Game) -> range:
    m, n = game.shape
    return range(m + n)


def assert_equilibrium(game: Game, eq: Equilibrium) -> None:
    x, y = eq.strategies
    assert (x >= 0).all() and (y >= 0).all()
    assert x.sum() == pytest.approx(1.0) and y.sum() == pytest.approx(1.0)
    assert is_equilibrium(game, (x, y))
    assert eq.payoffs == pytest.approx(game.expected_payoffs(x, y))


def random_game(seed: int, m: int, n: int) -> Game:
    rng = np.random.default_rng(seed)
    return Game(rng.random((m, n)), rng.random((m, n)))


def float_pass(game: Game, label: int, max_pivots: int = 10_000) -> Any:
    """The final bases of the floating-point pass, None when floating point failed."""
    A, B = game.payoffs
    return tb.pivot(normalise(A[None])[0], normalise(B[None])[0], label, max_pivots).bases


integer_games = st.tuples(st.integers(1, 5), st.integers(1, 5)).flatmap(
    lambda shape: st.tuples(
        arrays(np.int64, shape, elements=st.integers(-5, 5)),
        arrays(np.int64, shape, elements=st.integers(-5, 5)),
    )
)
float_games = st.tuples(st.integers(1, 5), st.integers(1, 5)).flatmap(
    lambda shape: st.tuples(
        arrays(np.float64, shape, elements=st.floats(-1e3, 1e3, allow_subnormal=False)),
        arrays(np.float64, shape, elements=st.floats(-1e3, 1e3, allow_subnormal=False)),
    )
)


# ------------------------------------------------------------------ known games


def test_matching_pennies_every_label() -> None:
    pennies = Game([[1, -1], [-1, 1]])
    for label in range(4):
        eq = lemke_howson(pennies, label)
        np.testing.assert_allclose(eq.strategies[0], [0.5, 0.5], atol=1e-12)
        np.testing.assert_allclose(eq.strategies[1], [0.5, 0.5], atol=1e-12)
        assert eq.payoffs == pytest.approx((0.0, 0.0))


def test_battle_of_the_sexes() -> None:
    bos = Game([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    eq = lemke_howson(bos, 0)
    assert eq.supports == ((0,), (0,))
    assert eq.payoffs == (2.0, 1.0)
    assert lemke_howson(bos, 1).supports == ((1,), (1,))


def test_prisoners_dilemma_defect_defect() -> None:
    pd = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    for label in range(4):
        eq = lemke_howson(pd, label)
        assert eq.supports == ((1,), (1,))
        assert eq.payoffs == (1.0, 1.0)


def test_von_stengel_example() -> None:
    # von Stengel (2007), Figure 3.3: equilibria (1,0,0),(1,0); (4/5,1/5,0),(2/3,1/3);
    # (0,1/3,2/3),(1/3,2/3). Lemke-Howson never reaches the middle one from (0, 0).
    game = Game([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
    pure: tuple[list[float], list[float]] = ([1, 0, 0], [1, 0])
    mixed: tuple[list[float], list[float]] = ([0, 1 / 3, 2 / 3], [1 / 3, 2 / 3])
    expected = {0: pure, 1: mixed, 2: pure, 3: pure, 4: mixed}
    for label, (x, y) in expected.items():
        eq = lemke_howson(game, label)
        np.testing.assert_allclose(eq.strategies[0], x, atol=1e-12)
        np.testing.assert_allclose(eq.strategies[1], y, atol=1e-12)


def test_one_by_one_and_vectors() -> None:
    assert lemke_howson(Game([[7.0]], [[-2.0]])).supports == ((0,), (0,))
    row = Game([[1, 3, 2]], [[0, 1, 5]])
    for label in all_labels(row):
        assert lemke_howson(row, label).supports == ((0,), (2,))
    column = Game([[1], [3], [2]], [[0], [1], [5]])
    for label in all_labels(column):
        assert lemke_howson(column, label).supports == ((1,), (0,))


def test_numpy_integer_label_and_dispatcher() -> None:
    game = random_game(3, 4, 3)
    eq = lemke_howson(game, np.int64(5))  # type: ignore[arg-type]
    assert eq.isclose(lemke_howson(game, 5))
    assert equilibria(game, "lemke-howson", label=5)[0].isclose(eq)


# ------------------------------------------------------------------ every label


@given(integer_games)
def test_integer_games_every_label(payoffs: tuple[np.ndarray, np.ndarray]) -> None:
    # Small integer payoffs: ties and degeneracy are the rule, not the exception.
    game = Game(*payoffs)
    extreme = extreme_equilibria(game)
    for label in all_labels(game):
        eq = lemke_howson(game, label)
        assert_equilibrium(game, eq)
        # The end of the path is a vertex pair, hence an extreme equilibrium.
        assert any(eq.isclose(other, tol=1e-6) for other in extreme)


@given(float_games)
def test_float_games_every_label(payoffs: tuple[np.ndarray, np.ndarray]) -> None:
    game = Game(*payoffs)
    for label in all_labels(game):
        assert_equilibrium(game, lemke_howson(game, label))


@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 6))
def test_non_degenerate_games_match_vertex_enumeration(seed: int, m: int, n: int) -> None:
    game = random_game(seed, m, n)  # uniform payoffs: non-degenerate with probability 1
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateGameWarning)
        extreme = vertex_enumeration(game)
    for label in all_labels(game):
        eq = lemke_howson(game, label)
        assert_equilibrium(game, eq)
        assert any(eq.isclose(other, tol=1e-6) for other in extreme)


def test_scaled_payoffs_give_the_same_equilibrium() -> None:
    game = random_game(11, 5, 4)
    A, B = game.payoffs
    scaled = Game(1e-7 * A - 3e5, 4e8 * B + 1.0)
    for label in all_labels(game):
        assert lemke_howson(game, label).isclose(lemke_howson(scaled, label), tol=1e-9)


# ------------------------------------------------------------------ degenerate games


DEGENERATE_GAMES = {
    "all zero": Game(np.zeros((4, 3)), np.zeros((4, 3))),
    "all equal, 1 x 5": Game(np.full((1, 5), 2.0), np.full((1, 5), -1.0)),
    "identical rows and columns": Game(
        [[1, 1, 2], [1, 1, 2], [3, 3, 0]], [[2, 2, 1], [2, 2, 1], [0, 0, 3]]
    ),
    "continuum after Top": Game([[1, 1], [0, 0]], [[1, 1], [0, 1]]),
    "von Stengel degenerate": Game([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]]),
    "weakly dominated": Game([[1, 1, 0], [1, 0, 0], [0, 0, 0]], [[1, 1, 0], [1, 0, 0], [0, 0, 1]]),
    "constant column player": Game([[1, 2, 3], [3, 2, 1]], np.ones((2, 3))),
}


@pytest.mark.parametrize("name", sorted(DEGENERATE_GAMES))
def test_degenerate_games_every_label(name: str) -> None:
    game = DEGENERATE_GAMES[name]
    extreme = extreme_equilibria(game)
    m, n = game.shape
    for label in all_labels(game):
        # Lexicographic pivoting cannot cycle: a handful of pivots per label suffices.
        eq = lemke_howson(game, label, max_pivots=4 * (m + n))
        assert_equilibrium(game, eq)
        assert any(eq.isclose(other, tol=1e-6) for other in extreme)
        assert float_pass(game, label) is not None  # no fallback to exact arithmetic


def test_all_zero_game_follows_the_lexicographic_rule() -> None:
    # Every ratio ties; the lexicographic rule picks the last row, then the last column.
    game = Game(np.zeros((3, 4)), np.zeros((3, 4)))
    eq = lemke_howson(game, 0)
    assert eq.supports == ((2,), (3,))


# A 4 x 3 game found by a search over small random games (0, 1, 2 payoffs) in which
# complementary pivoting with ties broken by the first minimising row cycles from label 4.
CYCLING_GAME = Game(
    [[2, 1, 1], [2, 0, 2], [2, 2, 1], [0, 0, 0]],
    [[1, 2, 2], [2, 0, 2], [1, 1, 2], [2, 0, 2]],
)


def test_naive_tie_breaking_cycles_where_lexicographic_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert float_pass(CYCLING_GAME, 4) is not None
    eq = lemke_howson(CYCLING_GAME, 4, max_pivots=20)
    assert_equilibrium(CYCLING_GAME, eq)
    # A negative tie tolerance turns the tie test off: the first minimising row leaves.
    monkeypatch.setattr(tb, "TIE_TOL", -1.0)
    assert float_pass(CYCLING_GAME, 4) is None  # the cycle is detected ...
    assert lemke_howson(CYCLING_GAME, 4).isclose(eq)  # ... and exact arithmetic takes over


# ------------------------------------------------------------------ other solvers


@pytest.mark.parametrize(
    ("m", "n", "seeds", "labels"),
    [(6, 4, range(8), range(10)), (10, 10, range(4), (0, 3, 9, 10, 15, 19))],
)
def test_agrees_with_quantecon(m: int, n: int, seeds: range, labels: Any) -> None:
    gt = pytest.importorskip("quantecon.game_theory")
    for seed in seeds:
        game = random_game(100 + seed, m, n)
        A, B = game.payoffs
        # quantecon's convention: player 1's payoffs indexed (own action, opponent's).
        g = gt.NormalFormGame((gt.Player(A.copy()), gt.Player(B.T.copy())))  # numba: writable
        for label in labels:
            # init_pivot numbers labels like von Stengel: 0..m-1 rows, m..m+n-1 columns.
            x, y = gt.lemke_howson(g, init_pivot=label)
            eq = lemke_howson(game, label)
            np.testing.assert_allclose(eq.strategies[0], x, atol=1e-9)
            np.testing.assert_allclose(eq.strategies[1], y, atol=1e-9)


def test_quantecon_label_numbering_on_an_asymmetric_game() -> None:
    # Dropping a row label and a column label lead to different equilibria here, and
    # quantecon agrees label by label: both number rows first.
    gt = pytest.importorskip("quantecon.game_theory")
    game = Game([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
    A, B = game.payoffs
    g = gt.NormalFormGame((gt.Player(A.copy()), gt.Player(B.T.copy())))  # numba: writable
    for label in all_labels(game):
        x, _ = gt.lemke_howson(g, init_pivot=label)
        np.testing.assert_allclose(lemke_howson(game, label).strategies[0], x, atol=1e-12)


# A 6 x 4 non-degenerate game with a unique equilibrium, found by a search over seeds:
# nashpy 0.0.43's lemke_howson gets the row strategy right but scrambles the column
# strategy for every dropped label (it returns [0, 13/27, 14/27, 0] after label 0 instead
# of [14/27, 0, 0, 13/27]; regrets about (14.8, 41.0)). On the games we tried it did so on
# every game with more rows than columns.
NASHPY_GAME_A = [
    [47, 51, 75, 95],
    [3, 14, 82, 94],
    [24, 31, 86, 42],
    [27, 82, 25, 40],
    [64, 54, 8, 2],
    [86, 75, 83, 53],
]
NASHPY_GAME_B = [
    [81, 32, 45, 78],
    [12, 30, 12, 45],
    [97, 13, 38, 40],
    [90, 20, 50, 26],
    [1, 75, 6, 28],
    [49, 48, 11, 98],
]


def test_nashpy_regression_game() -> None:
    game = Game(NASHPY_GAME_A, NASHPY_GAME_B)
    x_star = np.array([49, 0, 0, 0, 0, 3]) / 52
    y_star = np.array([14, 0, 0, 13]) / 27
    for label in all_labels(game):
        eq = lemke_howson(game, label)
        assert_equilibrium(game, eq)
        np.testing.assert_allclose(eq.strategies[0], x_star, atol=1e-12)
        np.testing.assert_allclose(eq.strategies[1], y_star, atol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x, y = nashpy.Game(np.array(NASHPY_GAME_A), np.array(NASHPY_GAME_B)).lemke_howson(
            initial_dropped_label=0
        )
    if nashpy.__version__ == "0.0.43":  # a later nashpy may well be fixed
        assert not is_equilibrium(game, (x, y))
        assert min(regrets(game, (x, y))) > 1.0


# ------------------------------------------------------------------ exact arithmetic


@given(integer_games)
def test_exact_path_matches_float_path(payoffs: tuple[np.ndarray, np.ndarray]) -> None:
    game = Game(*payoffs)
    A, B = game.payoffs
    for label in all_labels(game):
        x, y = xp.exact_lemke_howson(A, B, label, 10_000).profile
        assert is_equilibrium(game, (x, y))
        # Same polytopes, same lexicographic order: the same end of the same path.
        assert lemke_howson(game, label).isclose(Equilibrium((x, y), (0.0, 0.0)), tol=1e-9)


def test_exact_path_is_exact() -> None:
    A = np.array([[0.1, 0.7], [0.3, 0.2]])
    B = np.array([[0.3, 0.1], [0.2, 0.6]])
    exact = xp.exact_normalise(A)
    assert exact[0][0] == 1 and exact[0][1] == 2
    assert exact[1][0] == 1 + (Fraction(0.3) - Fraction(0.1)) / (Fraction(0.7) - Fraction(0.1))
    x, y = xp.exact_lemke_howson(A, B, 0, 100).profile
    # The only equilibrium is mixed: x = (2/3, 1/3), y = (5/7, 2/7) by indifference.
    np.testing.assert_allclose(x, [2 / 3, 1 / 3], rtol=0, atol=1e-15)
    np.testing.assert_allclose(y, [5 / 7, 2 / 7], rtol=0, atol=1e-15)


def spy_on_exact_path(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the label of every call of the exact-arithmetic pass (which still runs)."""
    calls: list[int] = []
    exact = xp.exact_lemke_howson

    def spy(*args: Any) -> Any:
        calls.append(args[2])
        return exact(*args)

    monkeypatch.setattr(xp, "exact_lemke_howson", spy)
    return calls


def test_falls_back_to_exact_arithmetic_when_floats_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    game = random_game(5, 5, 4)
    expected = [lemke_howson(game, label) for label in all_labels(game)]
    calls = spy_on_exact_path(monkeypatch)
    # Floating point reports failure (a cycle, or no positive pivot) ...
    monkeypatch.setattr(tb, "pivot", lambda *args: tb.Pass("failed", 0, None))
    for label, eq in zip(all_labels(game), expected, strict=True):
        assert lemke_howson(game, label).isclose(eq, tol=1e-12)
    # ... or returns a profile that is not an equilibrium.
    monkeypatch.undo()
    second = spy_on_exact_path(monkeypatch)
    m, n = game.shape
    uniform = (np.full(m, 1 / m), np.full(n, 1 / n))
    monkeypatch.setattr(tb, "profiles", lambda *args: [uniform])
    assert not is_equilibrium(game, uniform)
    for label, eq in zip(all_labels(game), expected, strict=True):
        assert lemke_howson(game, label).isclose(eq, tol=1e-12)
    assert calls == second == list(all_labels(game))


def test_exact_path_with_zero_tolerance(monkeypatch: pytest.MonkeyPatch) -> None:
    # With tol=0 rounding alone fails the float profile here (from label 0); the exact
    # equilibrium, rounded, is accepted.
    game = Game([[0.6, 0.3, 0.0], [0.0, 0.8, 0.9]], [[0.6, 0.7, 0.5], [0.9, 0.8, 0.0]])
    calls = spy_on_exact_path(monkeypatch)
    eq = lemke_howson(game, 0, tol=0.0)
    assert calls == [0]
    np.testing.assert_allclose(eq.strategies[0], [1 / 2, 1 / 2], atol=1e-15)
    np.testing.assert_allclose(eq.strategies[1], [5 / 11, 6 / 11, 0], atol=1e-15)
    assert is_equilibrium(game, eq.strategies, tol=lh.EXACT_ROUNDING_TOL)
    assert lemke_howson(game, 0).isclose(eq)  # the default tolerance accepts the floats


def test_rank_one_update_numpy_and_blas_agree() -> None:
    rng = np.random.default_rng(0)
    for shape in [(3, 2), (100, 101), (7, 2000)]:  # the last needs several BLAS blocks
        T0 = np.asfortranarray(rng.random(shape))
        u, w = rng.random(shape[0]), rng.random(shape[1])
        expected = T0 - np.outer(u, w)
        for blas in (False, True):
            T, buffer = T0.copy(order="F"), w.copy()
            tb.rank_one_update(T, buffer, blas=blas)(u)
            np.testing.assert_allclose(T, expected, rtol=1e-14, atol=1e-14)


def test_numpy_update_path_solves(monkeypatch: pytest.MonkeyPatch) -> None:
    game = random_game(8, 7, 9)
    expected = [lemke_howson(game, label) for label in all_labels(game)]
    monkeypatch.setattr(tb, "USE_BLAS", False)
    for label, eq in zip(all_labels(game), expected, strict=True):
        assert lemke_howson(game, label).isclose(eq, tol=1e-9)


# ------------------------------------------------------------------ arguments


@pytest.mark.parametrize("label", [-1, 5, 100, 1.0, "0", None, True, np.float64(1.0)])
def test_bad_labels(label: Any) -> None:
    game = random_game(0, 2, 3)
    with pytest.raises(InvalidParameterError, match="label") as info:
        lemke_howson(game, label)
    assert repr(label) in str(info.value)


@pytest.mark.parametrize("max_pivots", [0, -3, 2.5, "10", True])
def test_bad_max_pivots(max_pivots: Any) -> None:
    with pytest.raises(InvalidParameterError, match="max_pivots"):
        lemke_howson(random_game(0, 2, 3), 0, max_pivots=max_pivots)


@pytest.mark.parametrize("tol", [-1e-3, 1.0, float("nan"), "small"])
def test_bad_tol(tol: Any) -> None:
    with pytest.raises(InvalidParameterError, match="tol"):
        lemke_howson(random_game(0, 2, 3), 0, tol=tol)


def test_bad_game() -> None:
    with pytest.raises(InvalidParameterError, match="game"):
        lemke_howson(np.eye(2), 0)  # type: ignore[arg-type]


def test_too_many_pivots() -> None:
    game = random_game(1, 10, 10)
    with pytest.raises(PowergamesError, match="max_pivots=1 "):
        lemke_howson(game, 0, max_pivots=1)
    assert xp.exact_lemke_howson(*game.payoffs, 0, 1).status == "pivot limit"
    assert_equilibrium(game, lemke_howson(game, 0, max_pivots=10_000))


# ------------------------------------------------------------------ full output


@pytest.mark.parametrize("seed", range(4))
def test_pivot_count_agrees_with_quantecon(seed: int) -> None:
    # Both pivot on the same tableaus with the same lexicographic rule: the same path.
    gt = pytest.importorskip("quantecon.game_theory")
    game = random_game(200 + seed, 7, 5)
    A, B = game.payoffs
    g = gt.NormalFormGame((gt.Player(A.copy()), gt.Player(B.T.copy())))
    for label in all_labels(game):
        _, theirs = gt.lemke_howson(g, init_pivot=label, full_output=True)
        ours = lemke_howson(game, label, full_output=True)
        assert ours.converged and not ours.exact
        assert ours.pivots == theirs.num_iter
        assert ours.equilibrium is not None
        assert ours.equilibrium.isclose(lemke_howson(game, label))


def test_full_output_reports_a_cut_path_instead_of_raising() -> None:
    game = random_game(1, 10, 10)
    result = lemke_howson(game, 0, max_pivots=1, full_output=True)
    assert not result.converged and result.equilibrium is None
    assert result.pivots == 1 and "max_pivots=1" in result.message


def test_exact_fallback_is_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    game = random_game(5, 5, 4)
    monkeypatch.setattr(tb, "pivot", lambda *args: tb.Pass("failed", 7, None))
    result = lemke_howson(game, 0, full_output=True)
    assert result.converged and result.exact
    exact_pivots = xp.exact_lemke_howson(*game.payoffs, 0, 100).pivots
    assert result.pivots == 7 + exact_pivots


def test_an_exact_payoff_far_below_the_others_is_not_taken_for_round_off() -> None:
    # Found by hypothesis: the column player's payoff 1.3076e-12 beside -246 was
    # reported as 0 (it lay under a round-off bound scaled by the largest payoff, not
    # by the terms of the pure profile, which the product computes exactly).
    game = Game(np.zeros((1, 5)), [[1.3076e-12, -246, -246, -246, -246]])
    for label in all_labels(game):
        eq = lemke_howson(game, label)
        assert_equilibrium(game, eq)
        assert eq.payoffs == (0.0, 1.3076e-12)
