"""Bargaining solutions and the units of utility: each solution commutes with the
positive affine maps ``u_i -> a_i u_i + b_i`` its theory allows, with scales ``a_i``
from 1e-9 to 1e9 (tolerances are per player), and problems near the limits of floating
point are solved as accurately as any other.

- Nash (with any weights), Kalai-Smorodinsky and the proportional solutions (with the
  direction mapped too): independent maps of each player's utility (Nash 1950; Kalai &
  Smorodinsky 1975; Kalai 1977).
- Egalitarian and utilitarian: a common scale and independent shifts only (they compare
  utilities across players; the counterexamples for independent scales are in
  test_bargaining.py).
- Rubinstein on a frontier: independent scales (no shifts: perpetual disagreement is
  worth 0 to both, and discounting shrinks utilities towards 0).
- Nash's threats with transferable utility: a common scale and independent shifts
  (independent scales would make utility transferable at another rate).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from powergames import Game, InfeasibleProblemError
from powergames.bargaining import (
    BargainingProblem,
    egalitarian,
    kalai_smorodinsky,
    nash,
    nash_threats,
    proportional,
    rubinstein,
    utilitarian,
)
from powergames.strategies import bargaining_problems, games, positive_affine_maps

independent = positive_affine_maps()
common = positive_affine_maps(common_scale=True)
# Weights of 0 or 1 exactly, or away from them: with w1 = 1e-16 the maximiser sits where
# the Nash product is so flat that a numerical derivative places it only to a few
# percent, mapped or not.
weights = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(1e-6, 1 - 1e-6)).map(
    lambda a: (a, 1 - a)
)


def moved(problem, transform):
    """The problem with each player's utilities mapped."""
    (a1, b1), (a2, b2) = transform
    return problem.affine((a1, a2), (b1, b2))


def mapped(u, transform):
    (a1, b1), (a2, b2) = transform
    return a1 * u[0] + b1, a2 * u[1] + b2


def assert_commutes(found, expected, problem, transform, tol=1e-7):
    """Equal within ``tol`` of each player's magnitude of utility in the mapped problem."""
    (a1, b1), (a2, b2) = transform
    s1, s2 = problem.scale
    slack = (tol * (a1 * s1 + abs(b1)), tol * (a2 * s2 + abs(b2)))
    for k in (0, 1):
        assert abs(found[k] - expected[k]) <= slack[k], (found, expected, slack)


# ------------------------------------------------------------- the failing inputs
def test_transferable_utility_near_the_largest_float():
    # The surplus over d is 3e308, beyond the largest float; the agreement is not.
    problem = BargainingProblem.transferable(1e308, (-1e308, -1e308))
    for solution in (nash, kalai_smorodinsky, egalitarian, utilitarian):
        assert solution(problem).payoffs == pytest.approx((5e307, 5e307), rel=1e-15)
    assert nash(problem, (0.25, 0.75)).payoffs == pytest.approx((-2.5e307, 1.25e308), rel=1e-15)


def test_players_whose_utilities_differ_by_twenty_four_orders_of_magnitude():
    problem = BargainingProblem.from_points([[0, 1e-12], [1e12, 0]])
    assert nash(problem).payoffs == pytest.approx((5e11, 5e-13), rel=1e-12)
    assert kalai_smorodinsky(problem).payoffs == pytest.approx((5e11, 5e-13), rel=1e-12)
    assert problem.contains((5e11, 5e-13)) and not problem.contains((5e11, 6e-13))
    with pytest.raises(InfeasibleProblemError):  # no gain left for player 2
        BargainingProblem.from_points([[0, 1e-12], [1e12, 0]], (0, 1e-12))


def test_a_problem_of_tiny_utilities_is_not_tolerated_away():
    # Tolerances were 1e-9 plus a fraction of the utilities: all of this problem.
    problem = BargainingProblem.from_points([[0, 2e-10], [2e-10, 0]])
    assert not problem.contains((2e-10, 2e-10))
    assert nash(problem).payoffs == pytest.approx((1e-10, 1e-10), rel=1e-12)


# ------------------------------------------------------------ scale invariance
@given(problem=bargaining_problems(), w=weights, transform=independent)
def test_nash_commutes_with_independent_affine_maps(problem, w, transform):
    found = nash(moved(problem, transform), w).payoffs
    assert_commutes(found, mapped(nash(problem, w).payoffs, transform), problem, transform)


@given(problem=bargaining_problems(), transform=independent)
def test_kalai_smorodinsky_commutes_with_independent_affine_maps(problem, transform):
    found = kalai_smorodinsky(moved(problem, transform)).payoffs
    expected = mapped(kalai_smorodinsky(problem).payoffs, transform)
    assert_commutes(found, expected, problem, transform)


@given(
    problem=bargaining_problems(),
    direction=st.tuples(st.floats(0, 5), st.floats(0, 5)).filter(lambda e: sum(e) > 0.01),
    transform=independent,
)
def test_proportional_solutions_commute_with_maps_of_their_direction(problem, direction, transform):
    (a1, _), (a2, _) = transform
    found = proportional(moved(problem, transform), (a1 * direction[0], a2 * direction[1]))
    expected = mapped(proportional(problem, direction).payoffs, transform)
    assert_commutes(found.payoffs, expected, problem, transform)


@pytest.mark.parametrize("solution", [egalitarian, utilitarian])
@given(problem=bargaining_problems(), transform=common)
def test_egalitarian_and_utilitarian_commute_with_a_common_scale(solution, problem, transform):
    found = solution(moved(problem, transform)).payoffs
    assert_commutes(found, mapped(solution(problem).payoffs, transform), problem, transform)


@given(
    a=st.floats(0.5, 10),
    c=st.floats(0.5, 10),
    power=st.floats(1, 4),
    deltas=st.tuples(st.floats(0, 0.99), st.floats(0, 0.99)),
    transform=positive_affine_maps(max_offset=0),
)
def test_rubinstein_on_a_frontier_commutes_with_independent_scales(a, c, power, deltas, transform):
    (a1, _), (a2, _) = transform

    def frontier(u1: float) -> float:
        return c * (1 - (min(max(u1, 0.0), a) / a) ** power)

    def scaled(x: float) -> float:
        return a2 * frontier(x / a1)

    before = rubinstein(*deltas, surplus=a, frontier=frontier)
    after = rubinstein(*deltas, surplus=a1 * a, frontier=scaled)
    for old, new in zip(before.parameters["proposals"], after.parameters["proposals"], strict=True):
        assert new[0] == pytest.approx(a1 * old[0], rel=1e-9, abs=1e-12 * a1 * a)
        assert new[1] == pytest.approx(a2 * old[1], rel=1e-9, abs=1e-9 * a2 * c)


@given(game=games(max_rows=3, max_cols=3), weight=st.floats(0, 1), transform=common)
def test_nash_threats_commute_with_a_common_scale(game, weight, transform):
    (a, b1), (_, b2) = transform
    A, B = game.payoffs
    before = nash_threats(game, weight)
    after = nash_threats(Game(a * A + b1, a * B + b2), weight)
    size = a * (1 + max(np.abs(A).max(), np.abs(B).max())) + abs(b1) + abs(b2)
    assert after.payoffs == pytest.approx(mapped(before.payoffs, transform), abs=1e-8 * size)
    assert after.parameters["joint_payoff"] == pytest.approx(
        a * before.parameters["joint_payoff"] + b1 + b2, abs=1e-12 * size
    )
    assert math.isfinite(after.parameters["threat_value"])
