"""The value of zero-sum matrix games by linear programming: worked examples, LP duality,
invariance laws, and agreement with vertex enumeration, an exact oracle and nashpy."""

from __future__ import annotations

import warnings
from fractions import Fraction
from types import SimpleNamespace

import nashpy
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from powergames import Game
from powergames.equilibria import equilibria
from powergames.equilibria import zero_sum as zero_sum_module
from powergames.equilibria.zero_sum import ZeroSumSolution, zero_sum_value
from powergames.errors import DegenerateGameWarning, InvalidGameError, PowergamesError
from powergames.strategies import payoff_matrices, shapes

import exact


def payoff_range(A: np.ndarray) -> float:
    return float(np.max(A) - np.min(A))


@st.composite
def matrices(draw, max_rows: int = 5, max_cols: int = 5) -> np.ndarray:
    shape = draw(shapes(max_rows=max_rows, max_cols=max_cols))
    kind = draw(st.sampled_from(["integer", "float"]))
    return draw(payoff_matrices(shape, payoffs=kind))


# ------------------------------------------------------------------ worked examples
def test_matching_pennies_has_value_zero_and_even_mixing():
    solution = zero_sum_value([[1, -1], [-1, 1]])
    assert solution.value == pytest.approx(0, abs=1e-12)
    np.testing.assert_allclose(solution.row_strategy, [0.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(solution.col_strategy, [0.5, 0.5], atol=1e-12)


def test_rock_paper_scissors_has_value_zero_and_uniform_strategies():
    rps = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    solution = zero_sum_value(rps)
    assert solution.value == pytest.approx(0, abs=1e-12)
    np.testing.assert_allclose(solution.row_strategy, [1 / 3] * 3, atol=1e-12)
    np.testing.assert_allclose(solution.col_strategy, [1 / 3] * 3, atol=1e-12)


def test_saddle_point_game_is_solved_by_pure_strategies():
    # A[0, 1] = 2 is the smallest entry of row 0 and the largest of column 1. Row 0 is
    # the only row guaranteeing 2 (column 1 holds rows 1 and 2 to 0 and 1), and column 1
    # the only column conceding no more than 2 (row 0 gets 4 or 3 elsewhere).
    A = [[4, 2, 3], [1, 0, -1], [3, 1, 2]]
    solution = zero_sum_value(A)
    assert solution.value == pytest.approx(2, abs=1e-12)
    np.testing.assert_allclose(solution.row_strategy, [1, 0, 0], atol=1e-12)
    np.testing.assert_allclose(solution.col_strategy, [0, 1, 0], atol=1e-12)


def test_two_by_three_game_matches_the_graphical_solution():
    # A = [[3, -1, 4], [-2, 2, 1]]. Against x = (p, 1 - p) the columns pay
    #   5p - 2,  2 - 3p,  1 + 3p.
    # The lower envelope peaks where 5p - 2 = 2 - 3p: p = 1/2, value 1/2 (column 2 then
    # pays 5/2, so it is never used). Against y = (q, 1 - q, 0) the rows pay 4q - 1 and
    # 2 - 4q, equal at q = 3/8, again 1/2.
    solution = zero_sum_value([[3, -1, 4], [-2, 2, 1]])
    assert solution.value == pytest.approx(0.5, abs=1e-12)
    np.testing.assert_allclose(solution.row_strategy, [1 / 2, 1 / 2], atol=1e-12)
    np.testing.assert_allclose(solution.col_strategy, [3 / 8, 5 / 8, 0], atol=1e-12)


def test_single_row_game_is_its_row_minimum():
    solution = zero_sum_value([[3, 1, 2]])
    assert solution.value == pytest.approx(1)
    np.testing.assert_allclose(solution.col_strategy, [0, 1, 0], atol=1e-12)


def test_constant_game_has_the_constant_as_value():
    solution = zero_sum_value(np.full((2, 3), 7.0))
    assert solution.value == 7.0
    assert solution.row_strategy.sum() == pytest.approx(1)
    assert solution.col_strategy.sum() == pytest.approx(1)


def test_payoffs_whose_range_overflows_are_solved():
    big = np.finfo(np.float64).max / 2 * 1.5
    solution = zero_sum_value([[big, -big], [-big, big]])
    assert solution.value == pytest.approx(0, abs=1e-9 * big)
    np.testing.assert_allclose(solution.row_strategy, [0.5, 0.5], atol=1e-12)
    assert zero_sum_value([[big, -big]]).value == -big


def test_strategies_are_read_only():
    solution = zero_sum_value([[1, -1], [-1, 1]])
    with pytest.raises(ValueError):
        solution.row_strategy[0] = 1.0
    assert isinstance(solution, ZeroSumSolution)
    assert "value=" in repr(solution)


# ----------------------------------------------------------------------- LP duality
@given(A=matrices())
def test_strategies_guarantee_the_value_from_both_sides(A):
    # Weak duality makes min_j (x A)_j <= value <= max_i (A y)_i for any x, y; at optimal
    # strategies both are equalities (LP strong duality = the minimax theorem).
    solution = zero_sum_value(A)
    x, y = solution.row_strategy, solution.col_strategy
    tol = 1e-8 * payoff_range(A)
    assert abs(float((x @ A).min()) - solution.value) <= tol
    assert abs(float((A @ y).max()) - solution.value) <= tol


@given(A=matrices())
def test_strategies_are_probability_vectors(A):
    solution = zero_sum_value(A)
    m, n = A.shape
    for sigma, size in ((solution.row_strategy, m), (solution.col_strategy, n)):
        assert sigma.shape == (size,)
        assert sigma.dtype == np.float64
        assert (sigma >= 0).all()
        assert sigma.sum() == pytest.approx(1, abs=1e-12)
    assert isinstance(solution.value, float)


@given(A=matrices())
def test_value_lies_between_the_pure_maximin_and_minimax(A):
    solution = zero_sum_value(A)
    tol = 1e-8 * payoff_range(A)
    assert A.min(axis=1).max() - tol <= solution.value <= A.max(axis=0).min() + tol


# ------------------------------------------------------------------ invariance laws
@given(
    A=matrices(),
    c=st.floats(0.01, 100, allow_nan=False),
    b=st.floats(-100, 100, allow_nan=False),
)
def test_value_is_covariant_under_positive_affine_maps(A, c, b):
    value = zero_sum_value(A).value
    transformed = zero_sum_value(c * A + b).value
    tol = 1e-8 * (c * payoff_range(A) + abs(b) + 1)
    assert transformed == pytest.approx(c * value + b, abs=tol)


@given(A=matrices())
def test_exchanging_the_players_negates_the_value(A):
    # In -A^T the column player becomes the row player with the opposite payoffs.
    solution = zero_sum_value(A)
    swapped = zero_sum_value(-A.T)
    assert swapped.value == pytest.approx(-solution.value, abs=1e-8 * payoff_range(A))
    # The old column player's optimal strategy guarantees the new row player the value.
    y = solution.col_strategy
    assert float((y @ -A.T).min()) == pytest.approx(swapped.value, abs=1e-8 * payoff_range(A))


@given(A=matrices(max_rows=4, max_cols=4), data=st.data())
def test_permuting_strategies_changes_nothing_but_the_order(A, data):
    m, n = A.shape
    rows = np.array(data.draw(st.permutations(range(m))))
    cols = np.array(data.draw(st.permutations(range(n))))
    value = zero_sum_value(A).value
    assert zero_sum_value(A[np.ix_(rows, cols)]).value == pytest.approx(
        value, abs=1e-8 * payoff_range(A)
    )


# ------------------------------------------------------------------- cross-checks
@given(A=matrices(max_rows=3, max_cols=3))
def test_every_equilibrium_gives_the_row_player_the_value(A):
    # In a zero-sum game every Nash equilibrium is a pair of optimal strategies, so each
    # one pays the row player exactly the value.
    value = zero_sum_value(A).value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        found = equilibria(Game(A), "vertex")
    assert found
    for eq in found:
        assert eq.payoffs[0] == pytest.approx(value, abs=1e-8 * payoff_range(A) + 1e-12)


@given(A=payoff_matrices((3, 3)))
def test_value_agrees_with_an_exact_rational_oracle(A):
    x, y = exact.extreme_equilibria(A, -A)[0]
    F = exact.to_fractions(A)
    value = sum(x[i] * F[i][j] * y[j] for i in range(3) for j in range(3))
    assert isinstance(value, Fraction)
    assert zero_sum_value(A).value == pytest.approx(float(value), abs=1e-9 * payoff_range(A))


@given(A=payoff_matrices((3, 4), payoffs="float"))
def test_value_agrees_with_nashpy_linear_program(A):
    # nashpy's strategies can hold small negative entries; make them probability vectors.
    x, y = (
        np.clip(s, 0, None) / np.clip(s, 0, None).sum() for s in nashpy.Game(A).linear_program()
    )
    value = zero_sum_value(A).value
    # Whatever nashpy's accuracy, its strategies bound the value (weak duality) ...
    tol = 1e-9 * payoff_range(A)
    assert float((x @ A).min()) - tol <= value <= float((A @ y).max()) + tol
    # ... and they are nearly optimal (HiGHS' default tolerances are absolute, 1e-7).
    assert value == pytest.approx(float(x @ A @ y), abs=1e-6 * payoff_range(A) + 1e-7)


# ------------------------------------------------------------------------ failures
@pytest.mark.parametrize(
    "bad",
    [[[1, np.nan]], [1, 2, 3], [[1, 2], [3]], [[]], [[1, np.inf], [0, 0]], "pennies"],
)
def test_invalid_matrices_are_rejected(bad):
    with pytest.raises(InvalidGameError, match="A"):
        zero_sum_value(bad)


def test_a_failed_linear_program_raises_with_the_solvers_message(monkeypatch):
    def failing_linprog(*args, **kwargs):
        return SimpleNamespace(status=2, x=None, message="The problem is infeasible.")

    monkeypatch.setattr(zero_sum_module, "linprog", failing_linprog)
    with pytest.raises(PowergamesError, match="The problem is infeasible"):
        zero_sum_value([[1, -1], [-1, 1]])
