"""Convex payoff sets: distances and Hausdorff distances against an exact slow\ncomputation."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powergames.repeated.payoff_set import PayoffSet


def brute_distance(point, vertices):
    """Distance from a point to a convex polygon (or segment, or point), the slow way:
    0 if it lies on the inner side of every edge, else the nearest point of the boundary
    found by projecting on each edge with Fractions."""
    p = [Fraction(c) for c in point]
    V = [[Fraction(c) for c in v] for v in vertices]
    if len(V) >= 3 and all(
        (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0
        for a, b in zip(V, V[1:] + V[:1], strict=True)
    ):
        return 0.0
    edges = list(zip(V, V[1:] + V[:1], strict=True)) if len(V) > 1 else [(V[0], V[0])]
    best = None
    for a, b in edges:
        d = [b[0] - a[0], b[1] - a[1]]
        length2 = d[0] ** 2 + d[1] ** 2
        t = (
            0
            if length2 == 0
            else min(max(((p[0] - a[0]) * d[0] + (p[1] - a[1]) * d[1]) / length2, 0), 1)
        )
        gap2 = (p[0] - a[0] - t * d[0]) ** 2 + (p[1] - a[1] - t * d[1]) ** 2
        best = gap2 if best is None else min(best, gap2)
    return float(best) ** 0.5


@given(
    st.lists(st.tuples(st.integers(-5, 5), st.integers(-5, 5)), min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(-8, 8), st.integers(-8, 8)), min_size=1, max_size=6),
)
def test_distances_and_hausdorff_agree_with_the_slow_way(vertices, points):
    payoff_set = PayoffSet.from_points(vertices)
    V = payoff_set.vertices.tolist()
    for point in points:
        assert payoff_set.distance(point) == pytest.approx(brute_distance(point, V), abs=1e-12)
    other = PayoffSet.from_points(points)
    expected = max(
        max(brute_distance(v, other.vertices.tolist()) for v in V),
        max(brute_distance(w, V) for w in other.vertices.tolist()),
    )
    assert payoff_set.hausdorff(other) == pytest.approx(expected, abs=1e-12)
