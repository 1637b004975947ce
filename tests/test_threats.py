"""Nash's (1953) variable-threat solution with transferable utility: worked examples from
the literature (computed by hand below), its laws, and bad arguments."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from powergames import Game
from powergames.bargaining.agreement import Agreement
from powergames.bargaining.threats import nash_threats
from powergames.equilibria.zero_sum import zero_sum_value
from powergames.errors import InvalidParameterError
from powergames.strategies import games, payoff_matrices, shapes

weights = st.floats(0, 1, allow_nan=False)
any_games = st.one_of(games(max_rows=4, max_cols=4), games(max_rows=4, max_cols=4, payoffs="float"))


def tolerance(game: Game) -> float:
    """LP accuracy: the solver works to ~1e-10 of the threat game's payoff range."""
    A, B = game.payoffs
    return 1e-8 * (1 + float(np.abs(A).max()) + float(np.abs(B).max()))


def maximin(M: np.ndarray) -> float:
    """The payoff max_x min_y x M y that the row player of M can guarantee himself."""
    return zero_sum_value(M).value


# ------------------------------------------------------- worked examples, literature
def test_ferguson_worked_example():
    # Ferguson, T. S., Game Theory (UCLA lecture notes), Part III, section 4 (cooperative
    # games with transferable utility, "the TU solution"): the bimatrix game
    #     (0, 0)   (6, 2)   (-1, 2)
    #     (4, -1)  (3, 6)   (5, 5)
    # By hand: sigma = max(A + B) = 10 at (row 2, column 3).
    # A - B = [[0, 4, -3], [5, -3, 0]]; column 1 is dominated by column 3 (0 > -3, 5 > 0)
    # for the minimiser, leaving [[4, -3], [-3, 0]]: the row player's p on row 1 equalises
    # 4p - 3(1 - p) = -3p, p = 3/10, and the column player's q on column 2 equalises
    # 4q - 3(1 - q) = -3q, q = 3/10. So delta = Val(A - B) = -9/10, the threats are
    # x* = (3/10, 7/10), y* = (0, 3/10, 7/10), and the TU value is
    # ((sigma + delta)/2, (sigma - delta)/2) = (4.55, 5.45).
    # Threat point: A y* = (6*.3 - .7, 3*.3 + 5*.7) = (1.1, 4.4), x* A y* = .33 + 3.08 = 3.41;
    # B y* = (2*.3 + 2*.7, 6*.3 + 5*.7) = (2.0, 5.3), x* B y* = .6 + 3.71 = 4.31;
    # and 3.41 + (10 - 3.41 - 4.31)/2 = 4.55.
    game = Game([[0, 6, -1], [4, 3, 5]], [[0, 2, 2], [-1, 6, 5]])
    agreement = nash_threats(game)
    assert agreement.payoffs == pytest.approx((4.55, 5.45), abs=1e-9)
    assert agreement.parameters["joint_payoff"] == 10
    # Our threat game is (A - B)/2, so its value is delta/2.
    assert agreement.parameters["threat_value"] == pytest.approx(-0.45, abs=1e-9)
    np.testing.assert_allclose(agreement.threats[0], [0.3, 0.7], atol=1e-9)
    np.testing.assert_allclose(agreement.threats[1], [0, 0.3, 0.7], atol=1e-9)
    assert agreement.disagreement == pytest.approx((3.41, 4.31), abs=1e-9)


@pytest.mark.parametrize(
    ("A", "B", "payoffs", "threat_point", "threats"),
    [
        # (a) A + B = [[5, 6], [0, 5]], sigma = 6. A - B = [[1, 4], [0, -3]] has a saddle
        # point at (1, 1): row 1 guarantees 1 = min(1, 4), column 1 concedes 1 = max(1, 0).
        # delta = 1, TU value (7/2, 5/2): play (row 1, column 2) for (5, 1) and player 1
        # pays player 2 a side payment of 3/2. Threat point (A[0,0], B[0,0]) = (3, 2).
        ([[3, 5], [0, 1]], [[2, 1], [0, 4]], (3.5, 2.5), (3, 2), ([1, 0], [1, 0])),
        # (b) sigma = 6 at (row 2, column 2). A - B = [[1, -3], [0, 4]] has no saddle point
        # (maximin 0 < minimax 1). The row player's p on row 1 equalises the columns,
        # p = -3p + 4(1 - p): p = 1/2, value 1/2; the column player's q on column 1
        # equalises the rows, q - 3(1 - q) = 4(1 - q): q = 7/8.
        # TU value ((6 + 1/2)/2, (6 - 1/2)/2) = (13/4, 11/4): play (2, 2) for (5, 1), player
        # 1 pays 7/4. Threat point: A y* = (22/8, 5/8), x* A y* = 27/16; B y* = (18/8, 1/8),
        # x* B y* = 19/16 (difference 1/2 = delta, as it must be).
        (
            [[3, 1], [0, 5]],
            [[2, 4], [0, 1]],
            (13 / 4, 11 / 4),
            (27 / 16, 19 / 16),
            ([1 / 2, 1 / 2], [7 / 8, 1 / 8]),
        ),
        # (d) Player 2's payoffs are all 0, yet his threat is worth 4. sigma = max A = 7 at
        # (2, 2); A - B = A = [[-1, 3], [-3, 7]] has a saddle point at (1, 1) (row minima
        # -1, -3; column maxima -1, 7), delta = -1, TU value (3, 4): play (2, 2) for
        # (7, 0) and player 1 pays 4. Threat point (-1, 0).
        ([[-1, 3], [-3, 7]], [[0, 0], [0, 0]], (3, 4), (-1, 0), ([1, 0], [1, 0])),
    ],
    ids=["a", "b", "d"],
)
def test_ferguson_exercise(A, B, payoffs, threat_point, threats):
    # Ferguson, Game Theory, Part III, section 4 exercises: "Find the TU-values, the
    # associated side payments, and the optimal threats for the following bimatrix
    # games" (a)-(d) (the exercise is quoted at qammunity.org/20588758, whose posted
    # answers are wrong). Solutions by hand in the parameters; (c) has its own test.
    agreement = nash_threats(Game(A, B))
    assert agreement.payoffs == pytest.approx(payoffs, abs=1e-9)
    assert agreement.disagreement == pytest.approx(threat_point, abs=1e-9)
    np.testing.assert_allclose(agreement.threats[0], threats[0], atol=1e-9)
    np.testing.assert_allclose(agreement.threats[1], threats[1], atol=1e-9)


def test_ferguson_exercise_c_has_many_threat_points_and_one_agreement():
    # Ferguson's exercise (c): (7, 4) (2, 8) / (4, 5) (5, 6). sigma = 11 (at (1, 1) and
    # (2, 2)). A - B = [[3, -6], [-1, -1]]: row 2 guarantees -1 and column 2 concedes -1,
    # so delta = -1 and the TU value is (5, 6) -- exactly the payoffs of (row 2, column 2).
    # The row player's optimal threat is unique (p on row 1 gives min(4p - 1, -1 - 5p),
    # below -1 unless p = 0), but every y = (q, 1 - q) with 3q - 6(1 - q) <= -1, that is
    # q <= 5/9, is optimal for the column player, and the threat point (5 - q, 6 - q)
    # moves with q. From each of them the Nash solution on u1 + u2 = 11 is
    # (5 - q) + (11 - (5 - q) - (6 - q))/2 = 5.
    A, B = np.array([[7, 2], [4, 5]]), np.array([[4, 8], [5, 6]])
    agreement = nash_threats(Game(A, B))
    assert agreement.payoffs == pytest.approx((5, 6), abs=1e-9)
    x, y = agreement.threats
    np.testing.assert_allclose(x, [0, 1], atol=1e-9)
    assert y[0] <= 5 / 9 + 1e-9
    t1, t2 = agreement.disagreement
    assert (t1, t2) == pytest.approx((5 - y[0], 6 - y[0]), abs=1e-9)
    for q in (0, 1 / 3, 5 / 9):
        other = np.array([q, 1 - q])
        s1, s2 = float(x @ A @ other), float(x @ B @ other)
        assert (s1, s2) == pytest.approx((5 - q, 6 - q))
        assert s1 + (11 - s1 - s2) / 2 == pytest.approx(5)


def test_split_or_claim_game_show():
    # A textbook exercise on optimal threats (quoted at tutorsglobe.com, question
    # 52241509): "A British game show involves a final prize. The two contestants may
    # each choose either to Split the prize, or Claim the prize. If they Split ... they
    # each get 1/2; if they each Claim ..., they each get 0. If one player Splits, and the
    # other player Claims, the player who Claims the prize gets 1 and the other player
    # gets 0." Part (b): "each player has a credible threat to always Claim the prize.
    # Find the optimal threat strategies and the Nash solution".
    # By hand: A = [[1/2, 0], [1, 0]], B = A^T, sigma = 1 (any profile but (Claim, Claim)).
    # A - B = [[0, -1], [1, 0]]: row Claim guarantees 0 = min(1, 0), column Claim concedes
    # 0 = max(-1, 0): a saddle point at (Claim, Claim), delta = 0. The threats are indeed
    # "always Claim", the threat point is (0, 0) and the agreement (1/2, 1/2).
    game = Game([[0.5, 0], [1, 0]], [[0.5, 1], [0, 0]])
    agreement = nash_threats(game)
    assert agreement.payoffs == pytest.approx((0.5, 0.5), abs=1e-12)
    assert agreement.disagreement == pytest.approx((0, 0), abs=1e-12)
    np.testing.assert_allclose(agreement.threats[0], [0, 1], atol=1e-12)
    np.testing.assert_allclose(agreement.threats[1], [0, 1], atol=1e-12)


def test_weighted_threat_game_by_hand():
    # Ferguson's exercise (d) with the row player's weight a = 1/4: D = (3/4) A since B = 0,
    # still a saddle point at (1, 1) with value -3/4. u1 = 7/4 - 3/4 = 1, u2 = 21/4 + 3/4 = 6;
    # from the threat point (-1, 0): -1 + (1/4)(7 + 1) = 1.
    agreement = nash_threats(Game([[-1, 3], [-3, 7]], [[0, 0], [0, 0]]), weight=0.25)
    assert agreement.payoffs == pytest.approx((1, 6), abs=1e-12)
    assert agreement.disagreement == pytest.approx((-1, 0), abs=1e-12)


def test_result_fields():
    agreement = nash_threats(Game([[2, 0], [0, 1]], [[1, 0], [0, 2]]), weight=Fraction(1, 3))
    assert isinstance(agreement, Agreement)
    assert agreement.solution == "nash-threats"
    assert set(agreement.parameters) == {"weight", "joint_payoff", "threat_value"}
    assert agreement.parameters["weight"] == pytest.approx(1 / 3)
    assert all(type(v) is float for v in agreement.parameters.values())
    assert all(type(u) is float for u in (*agreement.payoffs, *agreement.disagreement))
    x, y = agreement.threats
    assert x.shape == (2,) and y.shape == (2,)
    assert x.sum() == pytest.approx(1) and y.sum() == pytest.approx(1)


# ------------------------------------------------------------------------------ laws
@given(game=any_games, a=weights)
def test_agreement_shares_the_largest_joint_payoff(game, a):
    A, B = game.payoffs
    agreement = nash_threats(game, a)
    assert sum(agreement.payoffs) == pytest.approx(float((A + B).max()), abs=tolerance(game))
    assert agreement.parameters["joint_payoff"] == float((A + B).max())


@given(game=any_games, a=weights, b=weights)
def test_row_payoff_is_non_decreasing_in_the_weight(game, a, b):
    # u1(a) = a Pi + Val(A - a (A + B)); raising a by h lowers the matrix by h (A + B),
    # at most h Pi entrywise, so the value falls by at most h Pi.
    low, high = sorted((a, b))
    assert nash_threats(game, low).payoffs[0] <= nash_threats(game, high).payoffs[0] + tolerance(
        game
    )


@given(shape=shapes(max_rows=4, max_cols=4), data=st.data())
def test_symmetric_game_with_equal_weights_splits_equally(shape, data):
    n = shape[0]
    A = data.draw(payoff_matrices((n, n), payoffs=data.draw(st.sampled_from(["integer", "float"]))))
    game = Game(A, A.T)
    agreement = nash_threats(game)
    Pi = float((A + A.T).max())
    # The threat game (A - A^T)/2 is skew-symmetric, so its value is 0.
    assert agreement.parameters["threat_value"] == pytest.approx(0, abs=tolerance(game))
    assert agreement.payoffs == pytest.approx((Pi / 2, Pi / 2), abs=tolerance(game))


@given(game=any_games, a=weights)
def test_agreement_is_the_generalised_nash_solution_from_the_threat_point(game, a):
    agreement = nash_threats(game, a)
    Pi = agreement.parameters["joint_payoff"]
    t1, t2 = agreement.disagreement
    tol = tolerance(game)
    # The threat point is feasible without side payments: t1 + t2 = x (A + B) y <= Pi.
    assert t1 + t2 <= Pi + tol
    # (1 - a) t1 - a t2 = x* D_a y* = v_a ...
    assert (1 - a) * t1 - a * t2 == pytest.approx(agreement.parameters["threat_value"], abs=tol)
    # ... hence the surplus over t is split a : 1 - a.
    surplus = Pi - t1 - t2
    assert agreement.payoffs == pytest.approx((t1 + a * surplus, t2 + (1 - a) * surplus), abs=tol)


@given(game=any_games, a=weights)
def test_agreement_is_at_least_the_threat_point(game, a):
    agreement = nash_threats(game, a)
    gains = agreement.gains
    assert min(gains) >= -tolerance(game)


@given(game=any_games, a=weights)
def test_agreement_is_individually_rational(game, a):
    # u1 >= max_x min_y x A y: with x^ maximin in A, x^ B y <= Pi - x^ A y, so
    # x^ D_a y >= (1 - a) x^ A y - a (Pi - x^ A y) = x^ A y - a Pi >= m1 - a Pi for every
    # y; hence v_a >= m1 - a Pi and u1 = a Pi + v_a >= m1. Symmetrically, with y^ maximin
    # for the column player in B, x D_a y^ <= (1 - a) Pi - x B y^ <= (1 - a) Pi - m2.
    A, B = game.payoffs
    u1, u2 = nash_threats(game, a).payoffs
    assert u1 >= maximin(A) - tolerance(game)
    assert u2 >= maximin(B.T) - tolerance(game)


@given(game=any_games)
def test_a_player_without_bargaining_weight_gets_exactly_his_maximin_payoff(game):
    # a = 0: D = A, u1 = v_0 = max_x min_y x A y. a = 1: D = -B and
    # u2 = -Val(-B) = min_x max_y x B y = max_y min_x x B y. The bound above is tight.
    A, B = game.payoffs
    assert nash_threats(game, 0).payoffs[0] == pytest.approx(maximin(A), abs=tolerance(game))
    assert nash_threats(game, 1).payoffs[1] == pytest.approx(maximin(B.T), abs=tolerance(game))


@given(game=any_games, a=weights)
def test_threats_are_optimal_in_the_threat_game(game, a):
    A, B = game.payoffs
    agreement = nash_threats(game, a)
    x, y = agreement.threats
    D = (1 - a) * A - a * B
    v = agreement.parameters["threat_value"]
    tol = tolerance(game)
    # No pure deviation raises the row player's x D y above v, or lowers it below v.
    assert float((D @ y).max()) <= v + tol
    assert float((x @ D).min()) >= v - tol


@given(game=games(max_rows=4, max_cols=4, zero_sum=True), a=weights)
def test_in_a_zero_sum_game_the_agreement_is_the_value_whatever_the_weight(game, a):
    # B = -A: Pi = 0 and D_a = A for every a, so there is nothing to share but the value.
    A, _ = game.payoffs
    value = zero_sum_value(A).value
    assert nash_threats(game, a).payoffs == pytest.approx((value, -value), abs=tolerance(game))


@given(game=any_games, a=weights)
def test_exchanging_the_players_and_their_weights_exchanges_the_payoffs(game, a):
    u1, u2 = nash_threats(game, a).payoffs
    v1, v2 = nash_threats(game.transpose(), 1 - a).payoffs
    assert (v1, v2) == pytest.approx((u2, u1), abs=tolerance(game))


@given(game=any_games, a=weights, c=st.integers(-10, 10), s=st.integers(1, 5))
def test_agreement_is_covariant_under_positive_affine_maps_of_a_players_payoffs(game, a, c, s):
    # Scaling both players' payoffs by s and shifting the row player's by c scales the
    # agreement by s and shifts u1 by c: Pi -> s Pi + c, D_a -> s D_a + (1 - a) c.
    A, B = game.payoffs
    u1, u2 = nash_threats(game, a).payoffs
    w1, w2 = nash_threats(Game(s * A + c, s * B), a).payoffs
    tol = s * tolerance(game) + 1e-8 * abs(c)
    assert (w1, w2) == pytest.approx((s * u1 + c, s * u2), abs=tol)


# ---------------------------------------------------------------------- bad arguments
@pytest.mark.parametrize("bad", [np.array([[1, 2], [3, 4]]), ([[1]], [[2]]), None, "game"])
def test_game_must_be_a_game(bad):
    with pytest.raises(InvalidParameterError, match=r"game must be a powergames\.Game"):
        nash_threats(bad)


@pytest.mark.parametrize("bad", [-0.1, 1.5, 2])
def test_weight_outside_the_unit_interval_is_rejected(bad):
    with pytest.raises(InvalidParameterError, match=r"weight must be in \[0, 1\], got") as info:
        nash_threats(Game([[1, 0], [0, 1]]), bad)
    assert repr(bad) in str(info.value)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_weight_must_be_finite(bad):
    with pytest.raises(InvalidParameterError, match="weight must be finite, got") as info:
        nash_threats(Game([[1, 0], [0, 1]]), bad)
    assert repr(bad) in str(info.value)


@pytest.mark.parametrize("bad", ["0.5", None, True, 0.5j, [0.5]])
def test_weight_must_be_a_real_number(bad):
    with pytest.raises(InvalidParameterError, match="weight must be a real number") as info:
        nash_threats(Game([[1, 0], [0, 1]]), bad)
    assert repr(bad) in str(info.value)


@pytest.mark.parametrize("weight", [0, 1, np.float64(0.25), Fraction(2, 3)])
def test_weight_accepts_real_numbers_of_any_type(weight):
    agreement = nash_threats(Game([[1, 0], [0, 1]], [[0, 2], [1, 0]]), weight)
    assert agreement.parameters["weight"] == float(weight)


@given(game=games(max_rows=4, max_cols=4), weight=st.floats(0, 1))
def test_the_threat_agreement_is_the_generalised_nash_solution_of_its_threat_point(game, weight):
    from powergames.bargaining import BargainingProblem, nash

    agreement = nash_threats(game, weight)
    joint = agreement.parameters["joint_payoff"]
    t1, t2 = agreement.disagreement
    assume(joint - t1 - t2 > 1e-9 * (1 + abs(joint)))
    problem = BargainingProblem.transferable(joint, (t1, t2))
    expected = nash(problem, (weight, 1 - weight)).payoffs
    assert agreement.payoffs == pytest.approx(expected, abs=1e-9 * (1 + abs(joint)))
