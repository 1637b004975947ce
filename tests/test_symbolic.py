"""SymbolicGame: exact substitution, vectorised evaluation, closed forms; symbolic = numeric."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from powergames import FormulaError, Game, InvalidGameError, InvalidParameterError, pure_equilibria
from powergames.symbolic import SymbolicGame, parse_formula

a, b, c, d = sp.symbols("a b c d", real=True)
POLYNOMIAL_GAME = SymbolicGame(
    [[a * b - c, a + d, 1], [2, b**2, c * d], [a - b, 0, d]],
    [[c, a * d - b, sp.Rational(1, 3)], [a**2, b, -c], [d, a + b + c + d, 0]],
    parameters=[a, b, c, d],
)
points = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


@given(a_=points, b_=points, c_=points, d_=points)
def test_exact_substitution_equals_vectorised_evaluation(a_, b_, c_, d_):
    exact = POLYNOMIAL_GAME.subs(a=a_, b=b_, c=c_, d=d_)
    As, Bs = POLYNOMIAL_GAME.evaluate(a=a_, b=b_, c=c_, d=d_)
    scale = 1 + np.abs(exact.payoffs[0]).max() + np.abs(exact.payoffs[1]).max()
    np.testing.assert_allclose(As, exact.payoffs[0], rtol=0, atol=1e-12 * scale)
    np.testing.assert_allclose(Bs, exact.payoffs[1], rtol=0, atol=1e-12 * scale)


@given(values=st.lists(st.tuples(points, points, points, points), min_size=1, max_size=20))
def test_evaluate_on_arrays_equals_evaluate_point_by_point(values):
    columns = np.array(values).T
    As, Bs = POLYNOMIAL_GAME.evaluate(a=columns[0], b=columns[1], c=columns[2], d=columns[3])
    assert As.shape == Bs.shape == (len(values), 3, 3)
    for k, (a_, b_, c_, d_) in enumerate(values):
        A1, B1 = POLYNOMIAL_GAME.evaluate(a=a_, b=b_, c=c_, d=d_)
        np.testing.assert_array_equal(As[k], A1)
        np.testing.assert_array_equal(Bs[k], B1)


def test_evaluate_equals_sympy_lambdify():
    rng = np.random.default_rng(0)
    grid = {name: rng.normal(size=50) for name in "abcd"}
    As, Bs = POLYNOMIAL_GAME.evaluate(**grid)
    f = sp.lambdify([a, b, c, d], POLYNOMIAL_GAME.payoffs[0])
    g = sp.lambdify([a, b, c, d], POLYNOMIAL_GAME.payoffs[1])
    for k in range(50):
        point = [grid[n][k] for n in "abcd"]
        np.testing.assert_allclose(As[k], f(*point), rtol=1e-14)
        np.testing.assert_allclose(Bs[k], g(*point), rtol=1e-14)


def test_evaluate_broadcasts_a_grid():
    As, Bs = POLYNOMIAL_GAME.evaluate(
        a=np.linspace(0, 1, 4)[:, None], b=np.linspace(1, 2, 5)[None, :], c=0.5, d=-1.0
    )
    assert As.shape == (4, 5, 3, 3)
    assert As[3, 4, 0, 0] == pytest.approx(1.0 * 2.0 - 0.5)
    assert Bs[2, 1, 2, 1] == pytest.approx(2 / 3 + 1.25 + 0.5 - 1.0)


def test_the_compiled_function_is_cached():
    game = SymbolicGame([["x"]], [["y"]])
    game.evaluate(x=1, y=2)
    compiled = game._compiled
    game.evaluate(x=[1, 2], y=3)
    assert game._compiled is compiled


def test_partial_substitution_gives_a_symbolic_game():
    rest = POLYNOMIAL_GAME.subs(a=1, b=2)
    assert isinstance(rest, SymbolicGame) and rest.parameters == (c, d)
    full = rest.subs(c=0, d=sp.Rational(1, 2))
    assert isinstance(full, Game)
    assert full.payoffs[0][1, 2] == 0.0 and full.payoffs[1][0, 2] == pytest.approx(1 / 3)


def test_substitution_is_exact_for_rationals():
    game = SymbolicGame([["x/3"]], [["1 - x/3"]])
    from fractions import Fraction

    sub = game.subs(x=Fraction(3, 1))
    assert sub.payoffs == (np.array([[1.0]]), np.array([[0.0]]))


def test_formulas_as_text():
    game = SymbolicGame([["lam*lp - R + g", "wN"]], [["R", "wS"]])
    assert [p.name for p in game.parameters] == ["R", "g", "lam", "lp", "wN", "wS"]
    numeric = game.subs(R=2, g=2, lam=1, lp=4, wN=1, wS=0)
    np.testing.assert_array_equal(numeric.payoffs[0], [[4, 1]])


def test_formulas_are_checked_against_the_parameters():
    with pytest.raises(FormulaError, match="z"):
        SymbolicGame([["x + z"]], [["x"]], parameters=["x"])


def test_parameters_keep_their_assumptions():
    r = sp.Symbol("r", positive=True)
    game = SymbolicGame([[r]], [[-r]], parameters=[r])
    assert game.parameters[0].is_positive


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"a": 1, "b": 2, "c": 3}, "missing value"),
        ({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}, "unknown parameter"),
        ({"a": "x", "b": 2, "c": 3, "d": 4}, "numeric"),
        ({"a": [1, 2], "b": [1, 2, 3], "c": 3, "d": 4}, "broadcast"),
    ],
)
def test_evaluate_refuses_bad_arguments(kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        POLYNOMIAL_GAME.evaluate(**kwargs)


def test_subs_refuses_bad_values():
    with pytest.raises(InvalidParameterError, match="finite"):
        POLYNOMIAL_GAME.subs(a=float("nan"), b=1, c=1, d=1)
    with pytest.raises(InvalidParameterError, match="unknown"):
        POLYNOMIAL_GAME.subs(z=1)


@pytest.mark.parametrize(
    ("A", "B", "message"),
    [
        ([["x", 1]], [["x"]], "same shape"),
        ([["x", 1], [2]], [["x", 1], [2, 3]], "rectangular"),
        ([[object()]], [[1]], "A\\[0\\]\\[0\\]"),
        ([], [], "non-empty"),
    ],
)
def test_bad_payoff_tables_are_refused(A, B, message):
    with pytest.raises(InvalidGameError, match=message):
        SymbolicGame(A, B)


def test_deviation_gains_characterise_pure_equilibria():
    T, R, P, S = sp.symbols("T R P S", real=True)
    pd = SymbolicGame([[R, S], [T, P]], [[R, T], [S, P]], parameters=[T, R, P, S])
    gains = pd.deviation_gains(0, 0)
    values = {T: 5, R: 3, P: 1, S: 0}
    assert [g.subs(values) for g in gains] == [2, 2]
    numeric = pd.subs(T=5, R=3, P=1, S=0)
    for i in range(2):
        for j in range(2):
            is_pure_eq = all(g.subs(values) <= 0 for g in pd.deviation_gains(i, j))
            found = any(eq.supports == ((i,), (j,)) for eq in pure_equilibria(numeric))
            assert is_pure_eq == found


def test_to_latex():
    game = SymbolicGame([["x_1", 0]], [[1, "y"]], strategies=(("dilute",), ("comply", "exit")))
    text = game.to_latex()
    assert r"\text{comply}" in text and "x_{1},\\ 1" in text


def test_parse_formula_is_exported_here():
    assert parse_formula("a + 1") == sp.Symbol("a", real=True) + 1


def test_domains_and_sign_assumptions_are_enforced():
    r = sp.Symbol("r", positive=True)
    game = SymbolicGame([["phi*r"]], [["1 - phi"]], parameters=["phi", r], domains={"phi": (0, 1)})
    assert game.domains == {"phi": (0.0, 1.0)}
    with pytest.raises(InvalidParameterError, match=r"phi must be in \[0, 1\], got 1.5"):
        game.evaluate(phi=[0.5, 1.5], r=1)
    with pytest.raises(InvalidParameterError, match="r must be positive, got 0"):
        game.evaluate(phi=0.5, r=[1.0, 0.0])
    with pytest.raises(InvalidParameterError, match="phi must be in"):
        game.subs(phi=-0.1, r=1)
    assert game.subs(r=2).domains == {"phi": (0.0, 1.0)}
    with pytest.raises(InvalidParameterError, match="not a parameter"):
        SymbolicGame([["x"]], [["x"]], domains={"y": (0, 1)})
    with pytest.raises(InvalidParameterError, match="low <= high"):
        SymbolicGame([["x"]], [["x"]], domains={"x": (1, 0)})


def test_substituting_numbers_takes_bounded_time_at_huge_values():
    import time

    game = SymbolicGame([["max(sin(exp(exp(t))), 0)", 1]], [[0, "t"]])
    start = time.perf_counter()
    with pytest.raises(InvalidParameterError, match="not finite"):
        game.subs(t=100)  # exp(exp(100)) overflows a double
    assert time.perf_counter() - start < 5
    assert game.subs(t=1).payoffs[1].tolist() == [[0.0, 1.0]]


def test_integers_beyond_double_precision_evaluate():
    game = SymbolicGame([["x*log(1e20)", 0]], [[0, 0]])
    As, _ = game.evaluate(x=1.0)
    assert As[0, 0] == pytest.approx(20 * np.log(10))
