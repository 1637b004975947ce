"""The set of subgame-perfect equilibrium payoffs of a repeated game: Abreu-Sannikov
against the APS operator, quantecon and hand-derived values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from powergames import Game, InvalidParameterError, pure_equilibria
from powergames.repeated import (
    PayoffSet,
    aps_payoff_set,
    equilibrium_payoff_set,
    is_sustainable,
    minimal_discount_factor,
)
from powergames.strategies import games

small_games = games(min_rows=1, max_rows=3, min_cols=1, max_cols=3, min_value=0, max_value=6)
deltas = st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 0.85])
PD = Game([[9, 1], [10, 3]], [[9, 10], [1, 3]])


def scale(game):
    A, B = game.payoffs
    return max(np.ptp(A), np.ptp(B), 1.0)


def is_convex_counterclockwise(V):
    if len(V) < 3:
        return True
    edges = np.roll(V, -1, axis=0) - V
    turns = edges[:, 0] * np.roll(edges[:, 1], -1) - edges[:, 1] * np.roll(edges[:, 0], -1)
    return bool((turns > 0).all())


# ------------------------------------------------------------ reference values
def test_prisoners_dilemma_at_delta_0_9():
    # DESIGN.md section 8 (the example of QuantEcon's repeated-game notebook).
    found = equilibrium_payoff_set(PD, 0.9)
    expected = PayoffSet.from_points([(3, 3), (9.75, 3), (9, 9), (3, 9.75)])
    assert found.hausdorff(expected) < 1e-9
    assert found.punishments == pytest.approx((3, 3), abs=1e-9)


def test_prisoners_dilemma_at_delta_0_2_is_a_segment():
    # Defection is punished by (D, D) forever; at delta = 0.2 only the diagonal
    # between mutual defection and mutual cooperation survives: cooperating needs
    # delta >= (10 - 9) / (10 - 3) = 1/7, but rewarding the victim of a deviation
    # with 9.75 needs more patience.
    found = equilibrium_payoff_set(PD, 0.2)
    assert found.dimension == 1
    assert found.hausdorff(PayoffSet.from_points([(3, 3), (9, 9)])) < 1e-9


def test_prisoners_dilemma_below_the_grim_trigger_threshold_is_a_point():
    found = equilibrium_payoff_set(PD, 0.1)
    assert found.dimension == 0 and np.allclose(found.vertices, [[3, 3]])


def test_matching_pennies_has_no_pure_subgame_perfect_equilibrium():
    # Every pure profile leaves someone a profitable deviation, and the pure minmax
    # (1) is the best payoff: nothing can deter it (Mailath & Samuelson 2006, 2.1).
    found = equilibrium_payoff_set(Game([[1, -1], [-1, 1]]), 0.95)
    assert found.is_empty and found.punishments is None


def test_a_coordination_game_randomises_between_its_equilibria():
    # Both pure equilibria are self-enforcing forever, and public randomisation mixes
    # them; the miscoordinated payoffs (0, 0) are below both players' pure minmax (1)
    # ... which here is the worse equilibrium, so with patience everything in the
    # triangle above (1, 1) is sustainable.
    battle = Game([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    low = equilibrium_payoff_set(battle, 0.0)
    assert low.hausdorff(PayoffSet.from_points([(2, 1), (1, 2)])) < 1e-12
    high = equilibrium_payoff_set(battle, 0.9)
    assert high.contains((1.5, 1.5)) and high.contains((1, 1), tol=1e-6)
    assert high.punishments == pytest.approx((1, 1), abs=1e-7)


def test_a_zero_sum_game_with_a_saddle_point_has_only_its_value():
    # In a zero-sum game each player can guarantee its saddle-point payoff, so every
    # equilibrium pays exactly the value (von Neumann): the set is a point.
    saddle = Game([[3, 1, 4], [2, 0, 1]])
    for delta in (0.0, 0.5, 0.9):
        found = equilibrium_payoff_set(saddle, delta)
        assert found.dimension == 0 and np.allclose(found.vertices, [[1, -1]])


def test_grim_trigger_threshold_of_the_prisoners_dilemma():
    # (T, R, P, S) = (5, 3, 1, 0): cooperation from delta = (T - R) / (T - P) = 1/2
    # (Friedman 1971; DESIGN.md section 8).
    pd = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert is_sustainable(pd, (3, 3), 0.51) and not is_sustainable(pd, (3, 3), 0.49)
    result = minimal_discount_factor(pd, (3, 3), tol=1e-7)
    assert result.value == pytest.approx(0.5, abs=2e-7) and result.tolerance <= 1e-7


# ------------------------------------------------------------------- laws
@given(game=small_games, delta=deltas)
def test_abreu_sannikov_agrees_with_the_aps_operator(game, delta):
    fast = equilibrium_payoff_set(game, delta)
    slow = aps_payoff_set(game, delta)
    assert fast.is_empty == slow.is_empty
    if not fast.is_empty:
        assert fast.hausdorff(slow) <= 1e-7 * scale(game)


@given(game=small_games, delta=deltas)
def test_the_set_is_a_convex_polygon_containing_every_pure_stage_equilibrium(game, delta):
    found = equilibrium_payoff_set(game, delta)
    assert is_convex_counterclockwise(found.vertices)
    for eq in pure_equilibria(game):
        assert found.contains(eq.payoffs, tol=1e-8)


@given(game=small_games, delta=deltas)
def test_the_set_lies_in_the_feasible_set_above_the_pure_minmax(game, delta):
    A, B = game.payoffs
    found = equilibrium_payoff_set(game, delta)
    feasible = PayoffSet.from_points(np.column_stack([A.ravel(), B.ravel()]))
    pure_minmax = (A.max(axis=0).min(), B.max(axis=1).min())
    for v in found.vertices:
        assert feasible.contains(v, tol=1e-8)
        assert v[0] >= pure_minmax[0] - 1e-8 * scale(game)
        assert v[1] >= pure_minmax[1] - 1e-8 * scale(game)


@given(game=small_games, deltas=st.lists(deltas, min_size=2, max_size=2, unique=True))
def test_the_set_grows_with_the_discount_factor(game, deltas):
    low, high = sorted(deltas)
    smaller, larger = equilibrium_payoff_set(game, low), equilibrium_payoff_set(game, high)
    for v in smaller.vertices:
        assert larger.contains(v, tol=1e-7)


@given(game=small_games, delta=deltas)
def test_punishments_are_the_worst_payoffs_in_the_set(game, delta):
    found = equilibrium_payoff_set(game, delta)
    assume(not found.is_empty)
    assert found.punishments == (found.vertices[:, 0].min(), found.vertices[:, 1].min())


def quantecon_game_theory():
    return pytest.importorskip("quantecon.game_theory", reason="quantecon is a test extra")


@pytest.mark.peers
@pytest.mark.parametrize("seed", range(12))
def test_agreement_with_quantecon(seed):
    quantecon = quantecon_game_theory()
    rng = np.random.default_rng(seed)
    m, n = rng.integers(2, 5, size=2)
    A, B = rng.random((m, n)), rng.random((m, n))
    delta = [0.6, 0.8, 0.9][seed % 3]
    ours = equilibrium_payoff_set(Game(A, B), delta)
    game = quantecon.NormalFormGame((quantecon.Player(A.copy()), quantecon.Player(B.T.copy())))
    try:
        hull = quantecon.RepeatedGame(game, delta).equilibrium_payoffs()
    except Exception:
        # quantecon builds a scipy ConvexHull of the set, which fails when the set is
        # a segment or a point; powergames returns those (see the tests above).
        assert ours.dimension < 2
        return
    theirs = PayoffSet.from_points(hull.points[hull.vertices])
    assert ours.hausdorff(theirs) <= 1e-6


@pytest.mark.peers
def test_quantecon_cannot_represent_a_segment():
    quantecon = quantecon_game_theory()
    # Known defect of the peer: the prisoner's dilemma at delta = 0.2 (a segment).
    A = np.array([[9.0, 1.0], [10.0, 3.0]])
    game = quantecon.NormalFormGame((quantecon.Player(A), quantecon.Player(A.copy())))
    try:
        quantecon.RepeatedGame(game, 0.2).equilibrium_payoffs()
        quantecon_fails = False
    except Exception:
        quantecon_fails = True
    ours = equilibrium_payoff_set(PD, 0.2)
    assert ours.dimension == 1  # whatever quantecon does
    if not quantecon_fails:  # pragma: no cover - a future quantecon may handle it
        pytest.skip("this quantecon version handles degenerate sets")


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("delta", [-0.1, 1.0, 1.5, float("nan"), "0.5", True])
def test_discount_factors_outside_the_unit_interval_are_refused(delta):
    with pytest.raises(InvalidParameterError, match="delta"):
        equilibrium_payoff_set(PD, delta)


def test_bad_payoffs_for_sustainability_are_refused():
    with pytest.raises(InvalidParameterError, match="payoff"):
        is_sustainable(PD, (1, 2, 3), 0.5)
    with pytest.raises(InvalidParameterError, match="payoff"):
        minimal_discount_factor(PD, (float("nan"), 1))


def test_a_payoff_never_sustainable():
    assert minimal_discount_factor(PD, (10, 10)).value == 1.0
