"""Axiomatic bargaining solutions: the laws each satisfies, the ones each violates,
and the reference values of the design."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, example, given
from hypothesis import strategies as st

from powergames import InfeasibleProblemError, InvalidParameterError
from powergames.bargaining import (
    BargainingProblem,
    egalitarian,
    kalai_smorodinsky,
    nash,
    proportional,
    utilitarian,
)
from powergames.strategies import bargaining_problems

SOLUTIONS = [nash, kalai_smorodinsky, egalitarian, utilitarian]
numeric_problems = bargaining_problems()
weights = st.floats(0, 1).map(lambda a: (a, 1 - a))


def scale_of(problem):
    return 1 + sum(abs(float(np.asarray(v))) for v in problem.ideal_point())


def close(u, v, tol=1e-7):
    return all(abs(float(a) - float(b)) <= tol for a, b in zip(u, v, strict=True))


def dominated_room(problem, point):
    """How far one can move from ``point`` in each direction and stay in S."""
    return [problem.largest_step(point, e) for e in ((1, 0), (0, 1), (1, 1))]


# ------------------------------------------------------------- feasibility
@pytest.mark.parametrize("solution", SOLUTIONS)
@given(problem=numeric_problems)
def test_solutions_are_feasible_and_individually_rational(solution, problem):
    u = solution(problem).payoffs
    assert problem.contains(u, tol=1e-8)
    d1, d2 = problem.disagreement
    assert u[0] >= d1 - 1e-9 * scale_of(problem) and u[1] >= d2 - 1e-9 * scale_of(problem)


@pytest.mark.parametrize("solution", [nash, utilitarian])
@given(problem=numeric_problems)
def test_nash_and_utilitarian_are_pareto_optimal(solution, problem):
    u = solution(problem).payoffs
    assert max(dominated_room(problem, u)) <= 1e-7 * scale_of(problem)


@pytest.mark.parametrize("solution", [kalai_smorodinsky, egalitarian])
@given(problem=numeric_problems)
def test_ks_and_egalitarian_are_weakly_pareto_optimal(solution, problem):
    u = solution(problem).payoffs
    assert problem.largest_step(u, (1, 1)) <= 1e-7 * scale_of(problem)


def test_utilitarian_ties_on_a_smooth_frontier_go_to_the_most_equal_point():
    # Every point of the frontier u2 = 1 - u1 has the same sum; the rule for ties (the
    # most equal gains over d, as with transferable utility) must not leave the choice
    # to the rounding of a numerical derivative, which picked either end.
    problem = BargainingProblem.from_frontier(lambda x: 1 - x, (0, 1), (0.2, 0.1))
    assert close(utilitarian(problem).payoffs, (0.55, 0.45), tol=1e-9)
    same = BargainingProblem.transferable(1, (0.2, 0.1))
    assert close(utilitarian(problem).payoffs, utilitarian(same).payoffs, tol=1e-9)


def test_egalitarian_is_only_weakly_pareto_optimal():
    # Known failure: with a single feasible agreement (2, 1) the equal gains stop at
    # (1, 1), which (2, 1) dominates.
    problem = BargainingProblem.from_points([(2, 1)], (0, 0))
    assert egalitarian(problem).payoffs == (1.0, 1.0)
    assert nash(problem).payoffs == (2.0, 1.0)


# ---------------------------------------------------------------- symmetry
@st.composite
def symmetric_problems(draw):
    coordinate = st.integers(0, 100).map(lambda v: v / 10)
    points = draw(st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=6))
    points += [(b, a) for a, b in points]
    c = min(min(p) for p in points)
    d = draw(st.integers(1, 30).map(lambda v: -v / 10)) + c
    assume(max(min(p) for p in points) > d)
    return BargainingProblem.from_points(points, (d, d))


@pytest.mark.parametrize("solution", SOLUTIONS)
@given(problem=symmetric_problems())
def test_symmetric_problems_get_symmetric_solutions(solution, problem):
    u1, u2 = solution(problem).payoffs
    assert u1 == pytest.approx(u2, abs=1e-9 * scale_of(problem))


# ------------------------------------------------------------- invariance
affine_maps = st.tuples(
    st.tuples(st.floats(0.1, 10), st.floats(0.1, 10)), st.tuples(st.floats(-5, 5), st.floats(-5, 5))
)


@pytest.mark.parametrize("solution", [nash, kalai_smorodinsky])
@given(problem=numeric_problems, transform=affine_maps)
def test_nash_and_ks_are_invariant_under_positive_affine_maps(solution, problem, transform):
    scale, shift = transform
    moved = solution(problem.affine(scale, shift)).payoffs
    u = solution(problem).payoffs
    expected = (scale[0] * u[0] + shift[0], scale[1] * u[1] + shift[1])
    assert close(moved, expected, tol=1e-7 * scale_of(problem) * (1 + max(scale)))


@pytest.mark.parametrize("solution", [egalitarian, utilitarian])
def test_egalitarian_and_utilitarian_depend_on_the_utility_scale(solution):
    # Known failure: they compare utilities across players, so rescaling one player's
    # utility changes the agreement (here: doubling player 1's units).
    problem = (
        BargainingProblem.transferable(1, (0, 0))
        if solution is egalitarian
        else (BargainingProblem.from_points([(0, 1), (0.6, 0.6), (1, 0)]))
    )
    u = solution(problem).payoffs
    moved = solution(problem.affine((2, 1), (0, 0))).payoffs
    assert not close((moved[0] / 2, moved[1]), u, tol=1e-3)


# ---------------------------------------------------------------------- IIA
@st.composite
def problems_with_subsets(draw, solution):
    """A polygon problem and a subset containing ``solution``'s point."""
    problem = draw(bargaining_problems(kind="polygon"))
    u = solution(problem).payoffs
    vertices = problem.pareto_frontier()
    keep = draw(st.lists(st.sampled_from(list(map(tuple, vertices))), max_size=3))
    subset = BargainingProblem.from_points([u, *keep], problem.disagreement)
    return problem, subset


@pytest.mark.parametrize("solution", [nash, egalitarian])
@given(data=st.data())
def test_independence_of_irrelevant_alternatives(solution, data):
    problem, subset = data.draw(problems_with_subsets(solution))
    assert close(solution(subset).payoffs, solution(problem).payoffs, tol=1e-7 * scale_of(problem))


def test_kalai_smorodinsky_violates_iia():
    # Known failure: removing alternatives moves player 1's ideal and so the solution.
    triangle = BargainingProblem.from_points([(1, 0), (0, 1)], (0, 0))
    assert close(kalai_smorodinsky(triangle).payoffs, (0.5, 0.5))
    smaller = BargainingProblem.from_points([(0.5, 0.5), (0, 1)], (0, 0))
    assert close(kalai_smorodinsky(smaller).payoffs, (1 / 3, 2 / 3))


# --------------------------------------------------------------- monotonicity
@given(problem=numeric_problems, a=st.floats(0, 1), b=st.floats(0, 1))
@example(  # a subnormal weight made the edge's maximiser underflow to a Nash product of 0
    problem=BargainingProblem.from_points(
        [[0.0, 0.3], [4.6, 0.1], [4.7, 0.0]], disagreement=(3.9000000000000004, -0.1)
    ),
    a=0.125,
    b=5e-324,
)
def test_generalised_nash_payoff_of_player_1_rises_with_its_weight(problem, a, b):
    low, high = sorted((a, b))
    assert nash(problem, (low, 1 - low)).payoffs[0] <= nash(problem, (high, 1 - high)).payoffs[
        0
    ] + 1e-8 * scale_of(problem)


@given(
    problem=bargaining_problems(kind="polygon"), extra=st.tuples(st.floats(0, 12), st.floats(0, 12))
)
def test_kalai_smorodinsky_is_individually_monotone(problem, extra):
    # Enlarge S without changing player 2's ideal: player 1 cannot lose.
    larger = BargainingProblem.from_points(
        np.vstack([problem.pareto_frontier(), [extra]]), problem.disagreement
    )
    assume(abs(larger.ideal_point()[1] - problem.ideal_point()[1]) < 1e-12)
    before, after = kalai_smorodinsky(problem).payoffs, kalai_smorodinsky(larger).payoffs
    assert after[0] >= before[0] - 1e-9 * scale_of(problem)


@given(
    problem=bargaining_problems(kind="polygon"), extra=st.tuples(st.floats(0, 12), st.floats(0, 12))
)
def test_egalitarian_is_monotone(problem, extra):
    larger = BargainingProblem.from_points(
        np.vstack([problem.pareto_frontier(), [extra]]), problem.disagreement
    )
    before, after = egalitarian(problem).payoffs, egalitarian(larger).payoffs
    assert after[0] >= before[0] - 1e-9 * scale_of(problem)
    assert after[1] >= before[1] - 1e-9 * scale_of(problem)


def test_nash_violates_individual_monotonicity():
    # Kalai & Smorodinsky (1975): T contains S and player 1's ideal is 1 in both, yet
    # player 2's Nash payoff falls from 3/4 to 7/10; Kalai-Smorodinsky's rises.
    S = BargainingProblem.from_points([(0, 1), (0.75, 0.75), (1, 0)], (0, 0))
    T = BargainingProblem.from_points([(0, 1), (1, 0.7), (1, 0)], (0, 0))
    assert S.ideal_point() == T.ideal_point() == (1.0, 1.0)
    assert close(nash(S).payoffs, (0.75, 0.75)) and close(nash(T).payoffs, (1, 0.7))
    assert kalai_smorodinsky(T).payoffs[1] > kalai_smorodinsky(S).payoffs[1]


# ---------------------------------------------------------- closed forms, arrays
@given(problem=bargaining_problems(kind="polygon"), w=weights)
def test_polygon_nash_maximises_the_nash_product_over_the_frontier(problem, w):
    # A weight below 1e-9 but above 0 puts the maximiser within rounding of d.
    assume(all(v == 0 or v > 1e-9 for v in w))
    u = nash(problem, w).payoffs
    d1, d2 = problem.disagreement
    frontier = problem.pareto_frontier()
    # Dense points on every edge: none does better.
    s = np.linspace(0, 1, 201)[:, None, None]
    points = (
        (frontier[:-1] + s * (frontier[1:] - frontier[:-1])).reshape(-1, 2)
        if len(frontier) > 1
        else frontier
    )
    with np.errstate(divide="ignore", invalid="ignore"):

        def product(p):
            g = np.maximum(np.asarray(p) - (d1, d2), 0)
            return (
                np.where(g[..., 0] > 0, g[..., 0], 1.0) ** w[0]
                * np.where(g[..., 1] > 0, g[..., 1], 1.0) ** w[1]
                * ((g[..., 0] > 0) | (w[0] == 0))
                * ((g[..., 1] > 0) | (w[1] == 0))
            )

        assert product(u) >= product(points).max() - 1e-9 * scale_of(problem) ** 2


@given(problem=bargaining_problems(kind="frontier"), w=weights)
def test_smooth_frontier_nash_is_a_maximum(problem, w):
    u1, u2 = nash(problem, w).payoffs
    d1, d2 = problem.disagreement
    assume(0 < w[0] < 1 and 0 < w[1] < 1)
    objective = w[0] * math.log(u1 - d1) + w[1] * math.log(u2 - d2)
    for step in (1e-4, 1e-3, 1e-2):
        for x in (u1 - step, u1 + step):
            y = problem.upper_boundary(x)
            if x > d1 and y > d2:
                assert w[0] * math.log(x - d1) + w[1] * math.log(y - d2) <= objective + 1e-12


def test_transferable_problems_vectorise_over_weights_and_disagreement_points():
    a = np.linspace(0, 1, 11)
    d1 = np.linspace(0, 0.4, 11)
    problem = BargainingProblem.transferable(np.full(11, 2.0), (d1, 0.1))
    u1, u2 = nash(problem, (a, 1 - a)).payoffs
    np.testing.assert_allclose(u1, d1 + a * (2 - d1 - 0.1))
    np.testing.assert_allclose(u1 + u2, 2.0)
    for solution in (kalai_smorodinsky, egalitarian, utilitarian):
        v1, v2 = solution(problem).payoffs
        np.testing.assert_allclose(v1 - d1, v2 - 0.1)


@given(
    problem=bargaining_problems(kind="polygon"), a=st.lists(st.floats(0, 1), min_size=1, max_size=5)
)
def test_polygon_nash_vectorised_over_weights_equals_one_by_one(problem, a):
    a = np.array(a)
    u1, u2 = nash(problem, (a, 1 - a)).payoffs
    for k, ak in enumerate(a):
        assert close((u1[k], u2[k]), nash(problem, (ak, 1 - ak)).payoffs, tol=1e-12)


def test_symbolic_transferable_utility():
    S, d1, d2, w = sp.symbols("S d1 d2 w", real=True)
    problem = BargainingProblem.transferable(S, (d1, d2))
    u1, u2 = nash(problem, (w, 1 - w)).payoffs
    assert sp.simplify(u1 - (d1 + w * (S - d1 - d2))) == 0
    assert sp.simplify(u2 - (d2 + (1 - w) * (S - d1 - d2))) == 0
    assert (
        nash(problem).payoffs == kalai_smorodinsky(problem).payoffs == egalitarian(problem).payoffs
    )
    assert nash(problem).payoffs[0] == S / 2 + d1 / 2 - d2 / 2


def test_symbolic_linear_frontier():
    c, k = sp.symbols("c k", positive=True)
    problem = BargainingProblem.linear(c, k)
    assert nash(problem).payoffs == (c / (2 * k), c / 2)
    assert sp.simplify(egalitarian(problem).payoffs[0] - c / (1 + k)) == 0
    u1, _ = utilitarian(problem).payoffs
    assert u1.subs(k, sp.Rational(1, 2)) == 2 * c and u1.subs(k, 2) == 0


def test_a_linear_sympy_frontier_is_solved_in_closed_form():
    u1 = sp.Symbol("u1")
    problem = BargainingProblem.from_frontier(3 - u1 / 2, (0, 10), (0, 0))
    assert problem.kind == "linear"
    assert nash(problem).payoffs == (3, sp.Rational(3, 2))
    # Cut by the domain, the same frontier is a segment.
    assert BargainingProblem.from_frontier(3 - u1 / 2, (0, 2), (0, 0)).kind == "polygon"


# ------------------------------------------------------------- proportional
@given(problem=numeric_problems, direction=st.tuples(st.floats(0, 5), st.floats(0, 5)))
def test_proportional_gains_are_in_the_given_proportions(problem, direction):
    assume(sum(direction) > 0.01)
    u = proportional(problem, direction).payoffs
    g1, g2 = (u[0] - problem.disagreement[0], u[1] - problem.disagreement[1])
    assert g1 * direction[1] == pytest.approx(g2 * direction[0], abs=1e-7 * scale_of(problem) * 5)


# ------------------------------------------------- reference values (DESIGN §8)
u = sp.Symbol("u1")
QUADRATIC = BargainingProblem.from_frontier(2 * (1 - u**2), (0, 1), (0, 0))


def test_reference_nash_on_a_quadratic_frontier():
    assert close(nash(QUADRATIC).payoffs, (1 / math.sqrt(3), 4 / 3), tol=1e-12)
    assert nash(QUADRATIC, (0.25, 0.75)).payoffs[0] == pytest.approx(1 / math.sqrt(7), abs=1e-12)


def test_reference_kalai_smorodinsky_on_a_quadratic_frontier():
    root5 = math.sqrt(5)
    assert close(kalai_smorodinsky(QUADRATIC).payoffs, ((root5 - 1) / 2, root5 - 1), tol=1e-12)


def test_reference_egalitarian_on_a_quadratic_frontier():
    value = (math.sqrt(17) - 1) / 4
    assert close(egalitarian(QUADRATIC).payoffs, (value, value), tol=1e-12)


def test_reference_transferable_utility():
    problem = BargainingProblem.transferable(1, (0.2, 0.1))
    for solution in (nash, kalai_smorodinsky, egalitarian):
        assert close(solution(problem).payoffs, (0.55, 0.45), tol=1e-12)


def test_a_callable_frontier_matches_the_sympy_one():
    problem = BargainingProblem.from_frontier(lambda x: 2 * (1 - x * x), (0, 1), (0, 0))
    for solution in (nash, kalai_smorodinsky, egalitarian, utilitarian):
        assert close(solution(problem).payoffs, solution(QUADRATIC).payoffs, tol=1e-9)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda: BargainingProblem.transferable(1, (0.6, 0.5)),
            InfeasibleProblemError,
            "better than",
        ),
        (
            lambda: BargainingProblem.from_points([(0, 1), (1, 0)], (0.6, 0.5)),
            InfeasibleProblemError,
            "outside",
        ),
        (
            lambda: BargainingProblem.from_points([(1, 1)], (1, 0)),
            InfeasibleProblemError,
            "better than",
        ),
        (lambda: BargainingProblem.transferable(float("nan")), InvalidParameterError, "finite"),
        (lambda: BargainingProblem.linear(1, -2), InvalidParameterError, "slope must be positive"),
        (
            lambda: BargainingProblem.from_points([[1, 2, 3]]),
            InvalidParameterError,
            r"shape \(p, 2\)",
        ),
        (
            lambda: BargainingProblem.from_frontier(lambda x: x, (0, 1)),
            InvalidParameterError,
            "non-increasing",
        ),
        (
            lambda: BargainingProblem.from_frontier(lambda x: 1 - math.sqrt(x), (0, 1)),
            InvalidParameterError,
            "concave",
        ),
        (
            lambda: BargainingProblem.from_frontier(lambda x: 1 - x, (1, 0)),
            InvalidParameterError,
            "domain",
        ),
        (lambda: BargainingProblem.transferable(1, (0, 0, 0)), InvalidParameterError, "pair"),
        (
            lambda: BargainingProblem.transferable(np.array([1.0, 0.2]), (0.1, 0.1)),
            InfeasibleProblemError,
            r"index \(1,\)",
        ),
    ],
)
def test_bad_problems_are_refused(make, error, message):
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize("bad", [(0.5, 0.6), (-0.1, 1.1), (1,), "ab", (float("nan"), 0.5)])
def test_bad_weights_are_refused(bad):
    with pytest.raises(InvalidParameterError, match="weights"):
        nash(BargainingProblem.transferable(1), bad)


@pytest.mark.parametrize("bad", [(0, 0), (-1, 1), (1,)])
def test_bad_directions_are_refused(bad):
    with pytest.raises(InvalidParameterError, match="direction"):
        proportional(BargainingProblem.transferable(1), bad)


# ------------------------------------------------- Rubinstein and Nash (BRW 1986)
@given(rates=st.tuples(st.floats(0.01, 1), st.floats(0.01, 1)))
def test_rubinstein_tends_to_the_generalised_nash_solution_as_the_period_shrinks(rates):
    from powergames.bargaining import rubinstein

    r1, r2 = rates
    limit = nash(BargainingProblem.transferable(1), (r2 / (r1 + r2), r1 / (r1 + r2))).payoffs
    gaps = []
    for period in (1.0, 0.1, 0.01, 0.001, 0.0001):
        share = rubinstein(math.exp(-r1 * period), math.exp(-r2 * period)).payoffs[0]
        gaps.append(abs(share - limit[0]))
    assert gaps[-1] < 1e-4
    assert all(later <= earlier + 1e-12 for earlier, later in itertools.pairwise(gaps))


def test_nash_on_a_polygon_clipped_to_a_point_edge():
    # Regression: clipping the frontier at d left an edge of zero length, and the
    # vectorised maximisation divided 0 by 0.
    problem = BargainingProblem.from_points(
        [[0.0, 0.5], [0.1, 0.4], [0.3, 0.0]], disagreement=(0.09999999999999998, -0.1)
    )
    vectorised = nash(problem, (np.array([0.0]), np.array([1.0]))).payoffs
    alone = nash(problem, (0.0, 1.0)).payoffs
    assert [float(v[0]) for v in vectorised] == pytest.approx(list(alone))


@pytest.mark.parametrize("weight", [5e-324, 1e-323, 1e-310, 1e-200])
def test_a_vanishing_weight_gives_the_solution_at_weight_zero_on_a_polygon(weight):
    # The maximiser of an edge that starts at the disagreement payoff moves off it by
    # about the weight: below the smallest double it rounds onto the start, whose Nash
    # product (a positive weight on a gain of 0) is 0. The answer must still be the
    # limit, the point of weight 0, not a vertex far away. (With this disagreement
    # payoff, 3.9 rounded up, the clipped frontier starts exactly at it.)
    problem = BargainingProblem.from_points(
        [[0.0, 0.3], [4.6, 0.1], [4.7, 0.0]], disagreement=(3.9000000000000004, -0.1)
    )
    at_zero = nash(problem, (0.0, 1.0)).payoffs
    assert nash(problem, (weight, 1 - weight)).payoffs == pytest.approx(at_zero, abs=1e-12)
    at_one = nash(problem, (1.0, 0.0)).payoffs
    assert nash(problem, (1 - 1e-16, 1e-16)).payoffs == pytest.approx(at_one, abs=1e-12)
