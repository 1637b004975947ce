"""Worked examples of the axiomatic bargaining solutions, taken from the literature.

Each test names its source (author, year, title, section or exercise, and the address
when the source is a web page), states the problem in the source's own terms and the
answer. Where the source prints the answer, the test compares with it at the printed
precision. Where the source states the problem but not the answer (an exercise, a
lecture example "completed by hand", a course script whose output is not printed), the
answer was derived by hand and the derivation is written out next to the test.

Conventions checked against each source: the disagreement point is the one the source
names (the origin when it names none, as for a division of a resource that nobody gets
without agreement); feasible sets are convex hulls of the listed outcomes (lotteries
allowed), with free disposal, which changes none of the answers below; weights of the
generalised Nash solution are (w1, w2) on ((u1 - d1), (u2 - d2)).
"""

from __future__ import annotations

import itertools

import pytest
import sympy as sp

from powergames.bargaining import (
    BargainingProblem,
    egalitarian,
    kalai_smorodinsky,
    nash,
    proportional,
    utilitarian,
)

EXACT = 1e-12  # rounding only: for answers the source gives (or we derive) exactly


def exactly(*values):
    return pytest.approx(values, abs=EXACT)


# --------------------------------------------------------------------------------------
# Nash (1950): Bill and Jack trade their goods
# --------------------------------------------------------------------------------------

# Nash, J. F. (1950). The bargaining problem. Econometrica 18(2), 155-162: the example
# at the end of the paper. Utilities of each good to (Bill, Jack); without agreement
# each keeps his own goods, so utilities are measured as gains over that, d = (0, 0).
BILLS_GOODS = {"book": (2, 4), "whip": (2, 2), "ball": (2, 1), "bat": (2, 2), "box": (4, 1)}
JACKS_GOODS = {"pen": (10, 1), "toy": (4, 1), "knife": (6, 2), "hat": (2, 2)}


def nash_trading_problem() -> BargainingProblem:
    """Every exchange of a subset of the nine goods, as (Bill's gain, Jack's gain);
    lotteries over exchanges fill in the convex hull."""
    moves = [(-b, j) for b, j in BILLS_GOODS.values()] + [(b, -j) for b, j in JACKS_GOODS.values()]
    outcomes = [
        (
            sum(m[0] for m, k in zip(moves, chosen, strict=True) if k),
            sum(m[1] for m, k in zip(moves, chosen, strict=True) if k),
        )
        for chosen in itertools.product((False, True), repeat=len(moves))
    ]
    return BargainingProblem.from_points(outcomes, (0, 0))


def test_nash_1950_bill_and_jack():
    """Nash (1950), the closing example. Published answer: "Bill gives Jack: book, whip,
    ball, and bat; Jack gives Bill: pen, toy, and knife", a pure exchange, no lottery.

    In utility gains that is Bill 10 + 4 + 6 - 4 * 2 = 12 and Jack 4 + 2 + 1 + 2 - 1 - 1
    - 2 = 5; the table of barter outcomes reproducing Nash's example at
    https://paperzz.com/doc/7960067/table-1--nash-s-bargaining-example (Table 2, row 4)
    lists it as (12, 5) with the largest product, 60.
    """
    assert nash(nash_trading_problem()).payoffs == exactly(12, 5)


def test_nash_1950_bill_and_jack_other_solutions():
    """The same problem under the other solutions. Nash (1950) gives only his own
    solution; these answers are derived by hand.

    Derivation. The upper boundary of the hull has the vertices (-12, 10), (-2, 9),
    (6, 7), (12, 5), (14, 4), (20, -2), (22, -6) (e.g. (6, 7): Bill gives book, whip,
    ball, bat and Jack gives pen and toy, row 2 of the table cited above).
    - Ideal point: Jack's best with Bill at 0 lies on the edge (-2, 9)-(6, 7), slope
      -1/4: 9 - 2/4 = 17/2; Bill's best with Jack at 0 lies on (14, 4)-(20, -2), slope
      -1: 18. So the ideal point is (18, 17/2).
    - Kalai-Smorodinsky: the ray u2 = (17/36) u1 meets the edge (6, 7)-(12, 5),
      u2 = 9 - u1/3, at u1 = 9 / (17/36 + 1/3) = 324/29, u2 = 153/29.
    - Egalitarian: u1 = u2 = 9 - u/3 on the same edge: u = 27/4 (a lottery putting
      1/8 on (12, 5) and 7/8 on (6, 7)).
    - Proportional (Kalai 1977) in the direction of the ideal point is by definition the
      Kalai-Smorodinsky point.
    """
    problem = nash_trading_problem()
    assert problem.ideal_point() == exactly(18, 17 / 2)
    assert kalai_smorodinsky(problem).payoffs == exactly(324 / 29, 153 / 29)
    assert egalitarian(problem).payoffs == exactly(27 / 4, 27 / 4)
    assert proportional(problem, (18, 17 / 2)).payoffs == exactly(324 / 29, 153 / 29)


# --------------------------------------------------------------------------------------
# Splitting a sum of money (transferable utility)
# --------------------------------------------------------------------------------------


def test_mittweida_nash_product_numerical_examples():
    """Hochschule Mittweida, Blockchain Academy, course "Game Theory & Blockchain",
    lesson "Cooperative Game Theory", topic "Nash Product",
    https://blockchain-academy.hs-mittweida.de/courses/game-theory-blockchain/lessons/cooperative-game-theory/topic/nash-product

    Numerical Example 1: split 1 EUR, d = (0, 0); printed answer x1 = x2 = 1/2.
    Numerical Example 2: player A (player 1) gets 0.4 on failure, d = (0.4, 0);
    printed answer x1 = 0.7 (so x2 = 0.3).
    """
    assert nash(BargainingProblem.transferable(1, (0, 0))).payoffs == exactly(0.5, 0.5)
    assert nash(BargainingProblem.transferable(1, (0.4, 0))).payoffs == exactly(0.7, 0.3)


def test_mittweida_negotiation_power():
    """Same page, section "Negotiation Power": the product becomes
    (x1 - d1)^a (x2 - d2)^(1 - a), "a > 0.5: participant 1 has more negotiation power",
    i.e. weights (w1, w2) = (a, 1 - a) in powergames' convention. The page gives no
    number for it; applied to Numerical Example 2 (derived by hand): maximise
    a log(x1 - 2/5) + (1 - a) log(1 - x1), so x1 = 2/5 + 3a/5, which is the printed
    0.7 at a = 1/2 and rises with a.
    """
    a = sp.Symbol("a", positive=True)
    problem = BargainingProblem.transferable(1, (sp.Rational(2, 5), 0))
    u1, u2 = nash(problem, (a, 1 - a)).payoffs
    assert sp.simplify(u1 - (sp.Rational(2, 5) + 3 * a / 5)) == 0
    assert sp.simplify(u1 + u2 - 1) == 0
    assert u1.subs(a, sp.Rational(1, 2)) == sp.Rational(7, 10)
    for weight, share in [(0.25, 0.55), (0.75, 0.85), (1.0, 1.0)]:
        assert nash(BargainingProblem.transferable(1, (0.4, 0)), (weight, 1 - weight)).payoffs[
            0
        ] == pytest.approx(share, abs=EXACT)


def test_mccarthy_econ372_worksheet_9():
    """McCarthy, I. (2022). Econ 372, Worksheet 9: Nash Bargaining,
    https://econ372s22.classes.ianmccarthyecon.com/resource/wksheet9.html

    Divide a quantity normalised to 1: u1 = x, u2 = 1 - x; disagreement t1 = 0,
    t2 = a > 0. Printed answer (Question 1): x = (1 - a)/2; (Question 2) "as a
    increases, x decreases".
    """
    a = sp.Symbol("a", positive=True)
    u1, u2 = nash(BargainingProblem.transferable(1, (0, a))).payoffs
    assert sp.simplify(u1 - (1 - a) / 2) == 0
    assert sp.simplify(u2 - (1 + a) / 2) == 0
    assert sp.diff(u1, a) < 0


# --------------------------------------------------------------------------------------
# Dividing a dollar between players with power utilities (a curved frontier)
# --------------------------------------------------------------------------------------

POWER_UTILITIES = [
    (sp.Rational(1, 2), sp.Rational(1, 3)),
    (sp.Rational(2, 3), sp.Rational(1, 4)),
    (sp.Rational(3, 4), sp.Rational(1, 2)),
]


@pytest.mark.parametrize(("g1", "g2"), POWER_UTILITIES)
def test_divide_the_dollar_with_power_utilities(g1, g2):
    """A Mathematics Stack Exchange question, "Nash bargaining equilibrium with
    exponential utilities", mirrored at
    https://math.techqa.club/nash-bargaining-equilibrium-with-exponential-utilities-1083578

    Divide the dollar, u1(z) = z^g1, u2(z) = z^g2 with g1, g2 < 1 (risk-averse
    players), d = (0, 0). Printed answer, quoted from the solution manual the asker
    uses: x = g1/(g1 + g2) to player 1, 1 - x = g2/(g1 + g2) to player 2. In utilities
    the frontier is u2 = (1 - u1^(1/g1))^g2 and the solution is (x^g1, (1 - x)^g2). The
    source keeps g1, g2 symbolic; the exponents here are our choice.
    """
    u = sp.Symbol("u1")
    problem = BargainingProblem.from_frontier((1 - u ** (1 / g1)) ** g2, (0, 1), (0, 0))
    x = g1 / (g1 + g2)
    expected = (float(x**g1), float((1 - x) ** g2))
    assert nash(problem).payoffs == pytest.approx(expected, abs=EXACT)


@pytest.mark.parametrize(("g1", "g2"), POWER_UTILITIES)
def test_power_utilities_as_generalised_nash_on_money(g1, g2):
    """The same printed answer read as a generalised Nash solution: maximising
    x^g1 (1 - x)^g2 over money splits is maximising x^w1 (1 - x)^w2 with
    (w1, w2) = (g1, g2)/(g1 + g2) (a monotone transformation of the objective), so the
    asymmetric Nash solution of the plain dollar split with those weights gives player 1
    x = g1/(g1 + g2) of it, as printed.
    """
    w1 = float(g1 / (g1 + g2))
    x = nash(BargainingProblem.transferable(1, (0, 0)), (w1, 1 - w1)).payoffs
    assert x == pytest.approx((w1, 1 - w1), abs=EXACT)


# --------------------------------------------------------------------------------------
# Polygons from course material
# --------------------------------------------------------------------------------------

# "Problem Set 1: Nash's Theorem", problem 1 (a)-(e), course problem set at
# https://www.scribd.com/document/249333428/20122227618039-63-0-23 ("find the Nash
# bargaining solution by solving the maximization problem"). No answers are printed;
# derived by hand:
# (a) triangle (0,0), (9,0), (0,6), d = 0: frontier u2 = 6 - 2 u1/3; maximise
#     u1 (6 - 2 u1/3): u1 = 9/2, u2 = 3.
# (b) same triangle, d = (3, 2): maximise (u1 - 3)(4 - 2 u1/3): 4 - 4 u1/3 + 2 = 0,
#     u1 = 9/2, u2 = 3 (d lies on the segment from 0 to the answer of (a)).
# (c) triangle (0,0), (8,0), (0,8), d = (2, 1): equal split of the gain 8 - 3 = 5:
#     (9/2, 7/2).
# (d) quadrilateral (0,0), (0,6), (6,3), (8,0), d = 0: on the edge u2 = 6 - u1/2 the
#     product u1 (6 - u1/2) peaks at u1 = 6, its end; on the edge u2 = 12 - 3 u1/2 it
#     peaks at u1 = 4, outside it: the vertex (6, 3).
# (e) same quadrilateral, d = (2, 2): (u1 - 2)(4 - u1/2) peaks at u1 = 5 inside the
#     first edge, product 9/2 > 4 at the vertex: (5, 7/2).
PROBLEM_SET_1 = [
    ("a", [(0, 0), (9, 0), (0, 6)], (0, 0), (9 / 2, 3)),
    ("b", [(0, 0), (9, 0), (0, 6)], (3, 2), (9 / 2, 3)),
    ("c", [(0, 0), (8, 0), (0, 8)], (2, 1), (9 / 2, 7 / 2)),
    ("d", [(0, 0), (0, 6), (6, 3), (8, 0)], (0, 0), (6, 3)),
    ("e", [(0, 0), (0, 6), (6, 3), (8, 0)], (2, 2), (5, 7 / 2)),
]


@pytest.mark.parametrize(
    ("vertices", "d", "expected"),
    [case[1:] for case in PROBLEM_SET_1],
    ids=[case[0] for case in PROBLEM_SET_1],
)
def test_problem_set_nash_theorem(vertices, d, expected):
    assert nash(BargainingProblem.from_points(vertices, d)).payoffs == exactly(*expected)


def test_cox_ma3662_example_4_11():
    """Cox, A. G. MA3662 Game Theory (City, University of London), Lecture 11,
    Example 4.11, http://www.staff.city.ac.uk/a.g.cox/MA3662/MA3662-Lecture11.html

    The bimatrix game with payoffs W = (4, 2), X = (1, 4) (row 1) and Y = (0, 1),
    Z = (3, 0) (row 2); cooperation gives the payoff polygon conv{W, X, Y, Z}, and the
    status quo point is the pair of safety values. The example is "completed by hand in
    the lecture"; answer derived by hand:
    - player 1's safety value: the zero-sum game [[4, 1], [0, 3]], mixed 1/2-1/2:
      4p = p + 3(1 - p) gives p = 1/2, value 2;
    - player 2's: columns (2, 1) and (4, 0) against the rows; column 1 guarantees 1 and
      no mixture beats it (row 2 pays at most 1): value 1. Status quo (2, 1);
    - the Pareto frontier is the edge X-W, u2 = 14/3 - 2 u1/3; maximise
      (u1 - 2)(11/3 - 2 u1/3): 11 - 4 u1 + 4 = 0, u1 = 15/4, u2 = 13/6.
    """
    problem = BargainingProblem.from_points([(4, 2), (1, 4), (0, 1), (3, 0)], (2, 1))
    assert nash(problem).payoffs == exactly(15 / 4, 13 / 6)


# Segal-Halevi, E. (2019). Course "algorithms-5783" (Ariel University), script
# 02-pareto-efficiency/code/2c-efficient-divisions.py, "PROBLEM #1",
# https://github.com/erelsgl-at-ariel/algorithms-5783/blob/6bbaa04660770042ec2a3949ffc9a71ff5459776/02-pareto-efficiency/code/2c-efficient-divisions.py
# Wood, oil and steel, divisible, shared between Ami (values 80, 19, 1) and Tami
# (60, 1, 39); the script solves for the utilitarian division, the one maximising the
# sum of logarithms (the Nash product, d = 0) and the egalitarian (max-min) division
# with cvxpy, without printing the answers in the source. Derived by hand: the
# utilities are linear in the fractions, so the feasible set is the hull of the eight
# whole-good allocations; giving goods to Tami in increasing order of Ami's value ratio
# (steel 1/39, wood 80/60, oil 19/1) traces the frontier (100, 0), (99, 39), (19, 99),
# (0, 100).
AMI = (80, 19, 1)
TAMI = (60, 1, 39)


def segal_halevi_problem() -> BargainingProblem:
    allocations = itertools.product((0, 1), repeat=3)  # 1: the good goes to Ami
    points = [
        (
            sum(v for v, k in zip(AMI, a, strict=True) if k),
            sum(v for v, k in zip(TAMI, a, strict=True) if not k),
        )
        for a in allocations
    ]
    return BargainingProblem.from_points(points, (0, 0))


def test_segal_halevi_utilitarian_division():
    """Largest sum: each good to whoever values it more (wood and oil to Ami, steel to
    Tami): (80 + 19, 39) = (99, 39), sum 138, against 118 at (19, 99) and 100 at the
    ends, so the maximiser is unique."""
    assert utilitarian(segal_halevi_problem()).payoffs == exactly(99, 39)


def test_segal_halevi_maximum_sum_of_logarithms_is_the_nash_solution():
    """On the edge (99, 39)-(19, 99), u2 = 453/4 - 3 u1/4; maximise u1 (453/4 - 3 u1/4):
    u1 = 151/2 = 75.5, inside the edge, u2 = 453/8 = 56.625 (on the edge (100, 0)-(99, 39)
    the product would peak at u1 = 50, outside it)."""
    assert nash(segal_halevi_problem()).payoffs == exactly(151 / 2, 453 / 8)


def test_segal_halevi_egalitarian_division():
    """Max-min utility: the frontier crosses the diagonal on the edge (99, 39)-(19, 99):
    99 - 80 s = 39 + 60 s at s = 3/7, both utilities 453/7 (wood split 4/7 to Ami, 3/7
    to Tami). The equal point is Pareto optimal, so the max-min division is the
    egalitarian bargaining solution with d = 0; the ideal point is (100, 100), so the
    Kalai-Smorodinsky solution is the same point, and so is the proportional solution
    with direction (1, 1)."""
    problem = segal_halevi_problem()
    assert egalitarian(problem).payoffs == exactly(453 / 7, 453 / 7)
    assert kalai_smorodinsky(problem).payoffs == exactly(453 / 7, 453 / 7)
    assert proportional(problem, (1, 1)).payoffs == exactly(453 / 7, 453 / 7)


# --------------------------------------------------------------------------------------
# Kalai and Smorodinsky (1975): the monotonicity example
# --------------------------------------------------------------------------------------


def test_kalai_smorodinsky_1975_monotonicity_example():
    """Kalai, E. and Smorodinsky, M. (1975). Other solutions to Nash's bargaining
    problem. Econometrica 43(3), 513-518: the example against Nash's solution,
    S = conv{(0,0), (0,1), (3/4,3/4), (1,0)} and T = conv{(0,0), (0,1), (1,0.7), (1,0)},
    d = (0, 0). The paper prints the Nash points (3/4, 3/4) and (1, 0.7) (those are
    checked in test_bargaining.py); its own solution's values are not printed and are
    derived here by hand. Both sets have the ideal point (1, 1), so the solution lies on
    the diagonal: in S on the edge (0,1)-(3/4,3/4), u2 = 1 - u1/3: u = 3/4; in T on the
    edge (0,1)-(1,0.7), u2 = 1 - 3 u1/10: u = 10/13. Player 2 gains under the
    Kalai-Smorodinsky solution (3/4 -> 10/13) where Nash's takes from her (3/4 -> 7/10).
    With d = 0 and ideal point (1, 1) the egalitarian solution is the same point.
    """
    S = BargainingProblem.from_points([(0, 0), (0, 1), (0.75, 0.75), (1, 0)], (0, 0))
    T = BargainingProblem.from_points([(0, 0), (0, 1), (1, 0.7), (1, 0)], (0, 0))
    assert kalai_smorodinsky(S).payoffs == exactly(3 / 4, 3 / 4)
    assert kalai_smorodinsky(T).payoffs == exactly(10 / 13, 10 / 13)
    assert egalitarian(T).payoffs == exactly(10 / 13, 10 / 13)
