"""Repeated games do not depend on the units of each player's payoffs: every function
commutes with independent positive affine maps ``u_i -> a_i u_i + b_i`` of the two
players' payoffs, with scales ``a_i`` from 1e-9 to 1e9 (tolerances are per player), and
the failing case that showed they did not."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powergames import Game
from powergames.repeated import (
    PayoffSet,
    aps_payoff_set,
    critical_discount_factor,
    equilibrium_payoff_set,
    feasible_set,
    individually_rational,
    is_sustainable,
    minimal_discount_factor,
    minmax,
)
from powergames.repeated.units import unit_of
from powergames.strategies import games, positive_affine_maps

from repeated_games import games_and_paths

# Integer payoffs: a map with shifts merges payoffs that differ by less than its rounding
# error (a range of 1e-159 shifted by 1), which no tolerance can tell apart; the maps
# themselves make the payoffs arbitrary floats.
small_games = games(min_rows=1, max_rows=3, min_cols=1, max_cols=3, min_value=0, max_value=6)
deltas = st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 0.85, 0.9])
maps = positive_affine_maps()

# Prisoner's dilemma of DESIGN.md section 8, player 1's payoffs times 1e6 and player
# 2's times 1e-6: at delta = 0.9 both algorithms returned the segment
# (3e6, 3e-6)-(1e7, 1e-6), without mutual cooperation and with a point below player
# 2's minmax, which is_sustainable accepted.
PD = Game([[9, 1], [10, 3]], [[9, 10], [1, 3]])
LOPSIDED = Game(PD.payoffs[0] * 1e6, PD.payoffs[1] * 1e-6)


def moved(game: Game, transform) -> Game:
    (a1, b1), (a2, b2) = transform
    A, B = game.payoffs
    return Game(a1 * A + b1, a2 * B + b2)


def image(points, transform) -> np.ndarray:
    (a1, b1), (a2, b2) = transform
    return np.asarray(points, dtype=float).reshape(-1, 2) * (a1, a2) + (b1, b2)


def scales(transform) -> tuple[float, float]:
    (a1, _), (a2, _) = transform
    return a1, a2


def ranges(game: Game) -> np.ndarray:
    """Each player's unit of payoff: its range (the magnitude of constant payoffs)."""
    return np.array([unit_of(M) for M in game.payoffs])


def same_set(found: PayoffSet, expected_points, units, tol: float) -> bool:
    """Both empty, or within ``tol`` in Hausdorff distance with each player's payoffs in
    its units."""
    expected = np.asarray(expected_points, dtype=float).reshape(-1, 2)
    if found.is_empty or len(expected) == 0:
        return found.is_empty and len(expected) == 0
    ours = PayoffSet.from_points(found.vertices / units)
    theirs = PayoffSet.from_points(expected / units)
    return ours.hausdorff(theirs) <= tol


def close(found, expected, units, tol: float) -> bool:
    """Payoff pairs equal within ``tol`` of each player's unit."""
    gap = np.abs(np.asarray(found, dtype=float) - np.asarray(expected, dtype=float))
    return bool((gap <= tol * np.asarray(units)).all())


# ------------------------------------------------------------------ the failing case
def test_a_lopsided_prisoners_dilemma_keeps_mutual_cooperation():
    expected = [(3e6, 3e-6), (9.75e6, 3e-6), (9e6, 9e-6), (3e6, 9.75e-6)]
    units = (9e6, 9e-6)
    for found in (equilibrium_payoff_set(LOPSIDED, 0.9), aps_payoff_set(LOPSIDED, 0.9)):
        assert same_set(found, expected, units, 1e-8)
    assert is_sustainable(LOPSIDED, (9e6, 9e-6), 0.9)
    assert not is_sustainable(LOPSIDED, (3e6, 2.9e-6), 0.9)  # below player 2's minmax


def test_a_lopsided_individually_rational_set_is_feasible():
    rational = individually_rational(LOPSIDED)
    feasible = feasible_set(LOPSIDED)
    assert same_set(rational, [(3e6, 3e-6), (9.75e6, 3e-6), (9e6, 9e-6), (3e6, 9.75e-6)],
                    (9e6, 9e-6), 1e-12)  # fmt: skip
    for vertex in rational.vertices:
        assert feasible.contains(vertex, tol=1e-12)


# ---------------------------------------------------------------- the stage game
@given(game=games(), transform=maps, pure=st.booleans())
def test_minmax_commutes_with_affine_maps_of_each_players_payoffs(game, transform, pure):
    before, after = minmax(game, pure), minmax(moved(game, transform), pure)
    units = ranges(moved(game, transform))
    assert close(after.values, image(before.values, transform)[0], units, 1e-8)
    assert close(after.maximin, image(before.maximin, transform)[0], units, 1e-8)
    # The map keeps the ties that decide the pure punisher; mixed punishers are one of
    # possibly many optimal strategies.
    if pure:
        assert after.best_replies == before.best_replies


@given(game=games(), transform=maps)
def test_feasible_set_commutes_with_affine_maps_of_each_players_payoffs(game, transform):
    after = feasible_set(moved(game, transform))
    expected = image(feasible_set(game).vertices, transform)
    assert same_set(after, expected, ranges(moved(game, transform)), 1e-12)
    units = ranges(moved(game, transform))
    assert after.area == pytest.approx(  # collinear payoffs may round to a sliver
        feasible_set(game).area * transform[0][0] * transform[1][0],
        rel=1e-9,
        abs=1e-12 * units[0] * units[1],
    )


@given(game=games(), transform=maps, pure=st.booleans())
def test_individually_rational_set_commutes_with_affine_maps(game, transform, pure):
    before = individually_rational(game, pure)
    after = individually_rational(moved(game, transform), pure)
    units = ranges(moved(game, transform))
    assert same_set(after, image(before.vertices, transform), units, 1e-8)


# ----------------------------------------------------------- payoff-set geometry
# Coordinates on a grid: a float map with shifts merges coordinates that differ by less
# than its rounding error (1e-77 next to 1), which no tolerance can tell apart.
coordinate = st.integers(-100, 100).map(lambda v: v / 10)
points = st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=8)


@given(vertices=points, probes=points, transform=maps)
def test_hull_contains_and_area_commute_with_affine_maps(vertices, probes, transform):
    before = PayoffSet.from_points(vertices)
    after = PayoffSet.from_points(image(vertices, transform))
    assert same_set(after, image(before.vertices, transform), after.units, 1e-12)
    if (np.ptp(before.vertices, axis=0) > 0).all():  # a flat set has no unit to map
        assert np.allclose(after.units, np.multiply(before.units, scales(transform)), rtol=1e-12)
    assert after.area == pytest.approx(before.area * transform[0][0] * transform[1][0],
                                       rel=1e-9, abs=1e-12 * after.units[0] * after.units[1])  # fmt: skip
    given = PayoffSet(after.vertices, units=np.multiply(before.units, scales(transform)))
    for probe in probes:
        gap = PayoffSet(before.vertices / before.units).distance(np.divide(probe, before.units))
        if abs(gap - 1e-9) > 1e-10:  # clear of the tolerance itself
            assert given.contains(image(probe, transform)[0]) == before.contains(probe)


@given(vertices=points, probes=points, transform=positive_affine_maps(common_scale=True))
def test_distances_scale_with_a_common_scale(vertices, probes, transform):
    # The Euclidean distance mixes the players' payoffs: it commutes with a common
    # scale and any shifts, not with independent scales.
    before = PayoffSet.from_points(vertices)
    after = PayoffSet.from_points(image(vertices, transform))
    a = transform[0][0]
    for probe in probes:
        expected = a * before.distance(probe)
        assert after.distance(image(probe, transform)[0]) == pytest.approx(
            expected, rel=1e-9, abs=1e-12 * a * (1 + before.size)
        )
    other = PayoffSet.from_points(probes)
    assert after.hausdorff(PayoffSet.from_points(image(probes, transform))) == pytest.approx(
        a * before.hausdorff(other), rel=1e-9, abs=1e-12 * a * (1 + before.size)
    )


# ------------------------------------------------------ critical discount factors
@given(
    case=games_and_paths(),
    transform=maps,
    punishment=st.sampled_from(["nash-reversion", "minmax", "pure-minmax"]),
)
def test_critical_discount_factor_is_invariant_under_affine_maps(case, transform, punishment):
    game, path = case
    before = critical_discount_factor(game, path, punishment)
    after = critical_discount_factor(moved(game, transform), path, punishment)
    for old, new in zip(before.per_player, after.per_player, strict=True):
        assert (math.isinf(old) and math.isinf(new)) or new == pytest.approx(old, abs=1e-9)
    units = ranges(moved(game, transform))
    assert close(after.path_payoffs, image(before.path_payoffs, transform)[0], units, 1e-9)
    assert close(after.punishment, image(before.punishment, transform)[0], units, 1e-8)


# ------------------------------------------------------- equilibrium payoff sets
@settings(max_examples=30)
@given(game=small_games, delta=deltas, transform=maps)
def test_equilibrium_payoff_set_commutes_with_affine_maps(game, delta, transform):
    before = equilibrium_payoff_set(game, delta)
    after = equilibrium_payoff_set(moved(game, transform), delta)
    units = ranges(moved(game, transform))
    assert same_set(after, image(before.vertices, transform), units, 1e-8)
    if not before.is_empty:
        assert close(after.punishments, image(before.punishments, transform)[0], units, 1e-8)


@settings(max_examples=20)
@given(game=small_games, delta=deltas, transform=maps)
def test_aps_payoff_set_commutes_with_affine_maps(game, delta, transform):
    before = aps_payoff_set(game, delta)
    after = aps_payoff_set(moved(game, transform), delta)
    assert same_set(after, image(before.vertices, transform), ranges(moved(game, transform)), 1e-7)


@settings(max_examples=30)
@given(
    game=small_games,
    delta=deltas,
    transform=maps,
    weights=st.lists(st.floats(0, 1), min_size=3, max_size=3),
)
def test_sustainability_is_invariant_under_affine_maps(game, delta, transform, weights):
    # Stage payoffs, and a point mixing three of them (inside the feasible set,
    # sustainable or not).
    stage = np.column_stack([M.ravel() for M in game.payoffs])
    w = np.asarray(weights) + 1e-3
    mixed = (w / w.sum()) @ stage[np.arange(3) % len(stage)]
    target = moved(game, transform)
    for point in [*stage, mixed]:
        assert is_sustainable(target, image(point, transform)[0], delta) == is_sustainable(
            game, point, delta
        )


@settings(max_examples=10)
@given(game=games(min_rows=2, max_rows=2, min_cols=2, max_cols=2, min_value=0, max_value=6),
       transform=maps)  # fmt: skip
def test_minimal_discount_factor_is_invariant_under_affine_maps(game, transform):
    A, B = game.payoffs
    best = np.unravel_index(np.argmax(A + B), A.shape)  # the best joint payoff
    payoff = (A[best], B[best])
    before = minimal_discount_factor(game, payoff, tol=1e-4)
    after = minimal_discount_factor(moved(game, transform), image(payoff, transform)[0], tol=1e-4)
    assert after.value == pytest.approx(before.value, abs=2e-4)
