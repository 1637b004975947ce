"""Convex sets of payoff pairs: feasible sets, equilibrium payoff sets."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from powergames import render
from powergames.errors import InvalidParameterError
from powergames.repeated.units import unit_of

__all__ = [
    "PayoffSet",
    "canonical_order",
    "clip_below",
    "convex_hull",
    "hausdorff",
    "hull_indices",
    "next_vertices",
]

FloatArray = NDArray[np.float64]


def convex_hull(points: ArrayLike, tol: float = 0.0) -> FloatArray:
    """The vertices of the convex hull of 2-D points, counter-clockwise from the one
    with the smallest coordinate sum, without collinear points (Andrew's monotone
    chain).

    Degenerate hulls are returned as they are: one vertex for a point, two for a
    segment, none for no points. With ``tol > 0`` the hull is then simplified: a
    vertex within ``tol`` of the segment joining its neighbours is dropped (rounding
    noise, not a corner).

    Examples
    --------
    >>> convex_hull([(0, 0), (1, 1), (2, 2)]).tolist()
    [[0.0, 0.0], [2.0, 2.0]]
    >>> convex_hull([(0, 0), (1, 0), (1, 1), (0, 1), (0.5, 0.5)]).tolist()
    [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
    """
    array = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    hull: FloatArray = array[hull_indices(array, tol)]
    return hull


def hull_indices(points: FloatArray, tol: float = 0.0) -> list[int]:
    """The indices of the points that :func:`convex_hull` returns, in its order (the
    first of repeated points).

    Examples
    --------
    >>> hull_indices(np.array([(1.0, 1.0), (0.0, 0.0), (2.0, 0.0), (1.0, 0.2)]))
    [1, 2, 0]
    """
    # Plain Python floats: on the few dozen points of a payoff set this is several
    # times faster than numpy, whose per-call cost dominates.
    P: list[list[float]] = points.tolist()
    order = sorted(range(len(P)), key=P.__getitem__)  # by (x, y), stable
    H = [k for n, k in enumerate(order) if n == 0 or P[k] != P[order[n - 1]]]
    if len(H) > 2:

        def half(sequence: list[int]) -> list[int]:
            chain: list[int] = []
            for k in sequence:
                px, py = P[k]
                while len(chain) >= 2:
                    (ox, oy), (ax, ay) = P[chain[-2]], P[chain[-1]]
                    if (ax - ox) * (py - oy) - (ay - oy) * (px - ox) <= 0:
                        chain.pop()
                    else:
                        break
                chain.append(k)
            return chain

        H = half(H)[:-1] + half(H[::-1])[:-1]
    if tol > 0:
        H = _simplify(H, P, tol)
    if len(H) > 1:  # start at the worst joint payoff: robust to rounding of ties
        start = min(range(len(H)), key=lambda n: (P[H[n]][0] + P[H[n]][1], P[H[n]][0]))
        H = H[start:] + H[:start]
    return H


def canonical_order(vertices: FloatArray) -> FloatArray:
    """Counter-clockwise vertices rotated to start at the one with the smallest
    coordinate sum (the worst joint payoff; ties: the smallest first coordinate).

    Examples
    --------
    >>> canonical_order(np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])).tolist()
    [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]
    """
    if len(vertices) <= 1:
        return vertices
    P = vertices.tolist()
    start = min(range(len(P)), key=lambda k: (P[k][0] + P[k][1], P[k][0]))
    return np.concatenate((vertices[start:], vertices[:start])) if start else vertices


def next_vertices(rows: FloatArray) -> FloatArray:
    """Each row's successor, cyclically (``np.roll(rows, -1, axis=0)``, without its
    per-call overhead, which dominates on polygons of a few vertices).

    Examples
    --------
    >>> next_vertices(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])).tolist()
    [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    """
    return np.concatenate((rows[1:], rows[:1]))


def _simplify(hull: list[int], P: list[list[float]], tol: float) -> list[int]:
    """Drop vertices within ``tol`` of the segment joining their neighbours (indices
    into the points ``P``)."""
    changed = True
    while changed and len(hull) >= 2:
        changed = False
        if len(hull) == 2:
            (ax, ay), (bx, by) = P[hull[0]], P[hull[1]]
            if math.hypot(bx - ax, by - ay) <= tol:
                return [hull[0]]
            return hull
        for k in range(len(hull)):
            a, p, b = P[hull[k - 1]], P[hull[k]], P[hull[(k + 1) % len(hull)]]
            if _segment_distance(p, a, b) <= tol:
                del hull[k]
                changed = True
                break
    return hull


def _segment_distance(p: list[float], a: list[float], b: list[float]) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else min(max(((px - ax) * dx + (py - ay) * dy) / length2, 0.0), 1.0)
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


@dataclass(frozen=True, eq=False)
class PayoffSet(render.Described):
    """A convex polygon of payoff pairs, possibly degenerate (a segment or a point) or
    empty.

    Attributes
    ----------
    vertices : (k, 2) float array
        Counter-clockwise from the vertex with the smallest coordinate sum, without
        repeated or collinear points; ``k`` is 0 for the empty set, 1 for a point, 2
        for a segment.
    punishments : (float, float) or None
        For an equilibrium payoff set, each player's worst payoff in it (the harshest
        punishment an equilibrium can inflict); None otherwise.
    units : (float, float) or None
        Each player's unit of payoff, to which the tolerance of :meth:`contains` is
        relative: the range of the player's stage payoffs for the sets computed from
        a game; None for the ranges of the vertices
        (``powergames.repeated.units.unit_of``).

    Examples
    --------
    >>> square = PayoffSet.from_points([(0, 0), (2, 0), (2, 2), (0, 2), (1, 1)])
    >>> square.area, square.contains((1, 2)), square.contains((2.5, 1))
    (4.0, True, False)
    """

    vertices: FloatArray
    punishments: tuple[float, float] | None = None
    units: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        self.vertices.setflags(write=False)
        if self.units is None:
            object.__setattr__(self, "units", _units_of(self.vertices))
        else:
            units = (float(self.units[0]), float(self.units[1]))
            if not all(math.isfinite(u) and u > 0 for u in units):
                raise InvalidParameterError(f"units must be positive, got {self.units}")
            object.__setattr__(self, "units", units)

    @classmethod
    def from_points(
        cls,
        points: ArrayLike,
        punishments: tuple[float, float] | None = None,
        units: tuple[float, float] | None = None,
    ) -> PayoffSet:
        """The convex hull of the points."""
        array = np.asarray(points, dtype=np.float64)
        if array.size and (array.ndim != 2 or array.shape[1] != 2):
            raise InvalidParameterError(f"points must have shape (k, 2), got {array.shape}")
        if not np.isfinite(array).all():
            raise InvalidParameterError("points must be finite")
        return cls(convex_hull(array), punishments, units)

    @property
    def is_empty(self) -> bool:
        """Whether the set has no point."""
        return len(self.vertices) == 0

    @property
    def dimension(self) -> int:
        """-1 for the empty set, 0 for a point, 1 for a segment, 2 for a polygon."""
        return min(len(self.vertices), 3) - 1

    @property
    def area(self) -> float:
        """The area (shoelace formula, from the first vertex so that payoffs far from 0
        lose no precision); 0 for degenerate sets."""
        if len(self.vertices) < 3:
            return 0.0
        x, y = (self.vertices - self.vertices[0]).T
        return float(0.5 * (np.dot(x, next_vertices(y)) - np.dot(y, next_vertices(x))))

    def contains(self, point: ArrayLike, tol: float = 1e-9) -> bool:
        """Whether a payoff pair lies in the set, within ``tol``: the distance to the set
        with each player's payoffs measured in its :attr:`units`."""
        if self.is_empty:
            return False
        units = np.asarray(self.units)
        p = np.asarray(point, dtype=np.float64).reshape(1, 2)
        return bool(_distances(p / units, self.vertices / units)[0] <= tol)

    @property
    def size(self) -> float:
        """The largest coordinate range of the vertices (0 for a point)."""
        if self.is_empty:
            return 0.0
        return float(np.ptp(self.vertices, axis=0).max())

    def distance(self, point: ArrayLike) -> float:
        """The Euclidean distance from a point to the set (0 inside)."""
        if self.is_empty:
            return float("inf")
        p = np.asarray(point, dtype=np.float64).reshape(1, 2)
        return float(_distances(p, self.vertices)[0])

    def hausdorff(self, other: PayoffSet) -> float:
        """The Hausdorff distance to another non-empty set (for convex polygons it is
        attained at a vertex of one of them)."""
        return hausdorff(self.vertices, other.vertices)

    def __repr__(self) -> str:
        vertices = np.array2string(self.vertices, precision=6, separator=", ")
        return f"PayoffSet(vertices={vertices})"

    def describe(self, fmt: render.Format = "text") -> str:
        """The set's vertices as a table in plain text, Markdown or HTML, with what the
        set is (empty, a point, a segment, a polygon and its area) in the caption.

        Examples
        --------
        >>> print(PayoffSet.from_points([(3, 3), (9, 9)]).describe())
        A segment (2 vertices)
        vertex  player 1  player 2
        1       3         3
        2       9         9
        """
        scale = float(np.abs(self.vertices).max()) if len(self.vertices) else 1.0
        kind = ("The empty set", "A point", "A segment")[min(self.dimension + 1, 2)]
        if self.dimension == 2:
            kind = f"A polygon of area {render.format_number(self.area, scale * scale)}"
        caption = f"{kind} ({len(self.vertices)} vertices)"
        if self.punishments is not None:
            caption += f"; punishments {render.format_value(self.punishments, scale)}"
        rows = [[str(k + 1), x, y] for k, (x, y) in enumerate(self.vertices.tolist())]
        return render.render(["vertex", "player 1", "player 2"], rows, fmt, caption, scale)


def hausdorff(V: FloatArray, W: FloatArray) -> float:
    """The Hausdorff distance between the convex sets with counter-clockwise vertices
    ``V`` and ``W`` (polygons, segments or points; infinite if one is empty).

    Examples
    --------
    >>> hausdorff(np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([[0.0, 0.5]]))
    1.118033988749895
    """
    if len(V) == 0 or len(W) == 0:
        return 0.0 if len(V) == len(W) == 0 else float("inf")
    return float(max(_distances(V, W).max(), _distances(W, V).max()))


def _units_of(vertices: FloatArray) -> tuple[float, float]:
    """Each coordinate's :func:`~powergames.repeated.units.unit_of`."""
    return unit_of(vertices[:, 0]), unit_of(vertices[:, 1])


def _distances(points: FloatArray, V: FloatArray) -> FloatArray:
    """Euclidean distances from each of the points ``(n, 2)`` to the convex set with
    counter-clockwise vertices ``V`` (a polygon, a segment or a point): 0 inside."""
    if len(V) == 1:
        to_point: FloatArray = np.hypot(*(points - V[0]).T)
        return to_point
    A = V
    B = next_vertices(V) if len(V) > 2 else V[::-1]
    AB = B - A  # (edges, 2)
    length2 = (AB**2).sum(axis=1)
    offset = points[:, None, :] - A[None, :, :]  # (points, edges, 2)
    t = np.clip((offset * AB).sum(axis=2) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
    gap = offset - t[:, :, None] * AB
    distances: FloatArray = np.hypot(gap[..., 0], gap[..., 1]).min(axis=1)
    if len(V) >= 3:
        cross = AB[None, :, 0] * offset[..., 1] - AB[None, :, 1] * offset[..., 0]
        distances[(cross >= 0).all(axis=1)] = 0.0
    return distances


def clip_below(vertices: FloatArray, axis: int, level: float) -> FloatArray:
    """The part of a convex polygon (counter-clockwise vertices; possibly a point or a
    segment) where coordinate ``axis`` is at least ``level`` (Sutherland-Hodgman
    clipping by one half-plane).

    Examples
    --------
    >>> square = np.array([(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)])
    >>> clip_below(square, 0, 1.5).tolist()
    [[1.5, 0.0], [2.0, 0.0], [2.0, 2.0], [1.5, 2.0]]
    """
    V = [tuple(v) for v in np.asarray(vertices, dtype=np.float64).tolist()]
    if len(V) <= 1:
        return np.array([v for v in V if v[axis] >= level], dtype=np.float64).reshape(-1, 2)
    edges = list(zip(V, V[1:] + V[:1], strict=True)) if len(V) > 2 else [(V[0], V[1])]
    kept: list[tuple[float, float]] = []
    for p, q in edges:
        p_in, q_in = p[axis] >= level, q[axis] >= level
        if p_in:
            kept.append(p)
        if p_in != q_in:
            t = (level - p[axis]) / (q[axis] - p[axis])
            crossing = [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]
            crossing[axis] = level
            kept.append((crossing[0], crossing[1]))
        if len(V) == 2 and q_in:
            kept.append(q)
    return convex_hull(kept) if kept else np.zeros((0, 2))
