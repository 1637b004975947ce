"""Bargaining problems whose feasible set is a convex polygon: the hull of finitely many
utility pairs, with free disposal."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cached_property
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from powergames._validate import pair, real
from powergames.bargaining.problem import BargainingProblem, binary_unit, check_affine_map
from powergames.errors import InvalidParameterError

__all__ = ["PolygonProblem", "clip_chain", "pareto_chain"]

FloatArray = NDArray[np.float64]


class PolygonProblem(BargainingProblem):
    """The convex hull of finitely many utility pairs, with free disposal, and a
    disagreement point. Built by :meth:`BargainingProblem.from_points`.

    Examples
    --------
    >>> problem = PolygonProblem([(0, 3), (2, 2), (3, 0), (1, 1)], (0, 0))
    >>> problem.vertices.tolist(), problem.kind
    ([[0.0, 3.0], [2.0, 2.0], [3.0, 0.0]], 'polygon')
    """

    kind = "polygon"

    def __init__(self, points: ArrayLike, disagreement: Any = (0, 0)) -> None:
        array = np.asarray(real(points, "points"), dtype=np.float64)
        if array.ndim != 2 or array.shape[1] != 2 or len(array) == 0:
            raise InvalidParameterError(f"points must have shape (p, 2), got {array.shape}")
        first, second = pair(disagreement, "disagreement")
        d = (
            real(first, "disagreement[0]", array=False),
            real(second, "disagreement[1]", array=False),
        )
        super().__init__(d)
        self._vertices = pareto_chain(array)
        self._vertices.setflags(write=False)
        self.check_disagreement()

    @classmethod
    def _scaled(cls, vertices: FloatArray, d: tuple[float, float]) -> PolygonProblem:
        """A problem already checked, in other units (:meth:`normalised`)."""
        problem = cls.__new__(cls)
        BargainingProblem.__init__(problem, d)
        problem._vertices = vertices
        problem._vertices.setflags(write=False)
        problem._own_units()
        return problem

    @property
    def vertices(self) -> FloatArray:
        """The vertices of the upper-right boundary of the hull (its Pareto chain),
        from the highest point to the rightmost: concave, strictly decreasing. The
        part that dominates d is :meth:`BargainingProblem.pareto_frontier`."""
        return self._vertices

    def _magnitudes(self) -> tuple[float, float]:
        magnitude = np.abs(np.vstack([self._vertices, self._d])).max(axis=0)
        return binary_unit(magnitude[0]), binary_unit(magnitude[1])

    def _in_units(self, unit1: Any, unit2: Any) -> PolygonProblem:
        d1, d2 = self._d
        return PolygonProblem._scaled(self._vertices / (unit1, unit2), (d1 / unit1, d2 / unit2))

    def upper_boundary(self, u1: float) -> float:
        V = self._vertices
        if u1 > V[-1, 0]:
            return -math.inf
        return float(np.interp(u1, V[:, 0], V[:, 1], left=V[0, 1]))

    def largest_step(self, origin: Any, direction: Any) -> float:
        o1, o2 = (float(v) for v in origin)
        e1, e2 = self.step_direction(direction)
        normals, bounds = self._halfspaces
        rate = normals @ (e1, e2)
        room = bounds - normals @ (o1, o2)
        with np.errstate(divide="ignore", over="ignore"):
            steps = np.where(rate > 0, room / np.where(rate > 0, rate, 1.0), np.inf)
        return float(steps.min())

    @cached_property
    def _halfspaces(self) -> tuple[FloatArray, FloatArray]:
        """Outward normals and bounds of the polygon with free disposal: the frontier's
        edges, ``u2 <= top`` and ``u1 <= right``."""
        V = self._vertices
        edges = np.column_stack([V[:-1, 1] - V[1:, 1], V[1:, 0] - V[:-1, 0]])
        normals = np.vstack([edges, [[0.0, 1.0], [1.0, 0.0]]])
        bounds = np.concatenate([np.einsum("ij,ij->i", edges, V[:-1]), [V[0, 1], V[-1, 0]]])
        return normals, bounds

    def pareto_frontier(self, num: int = 101) -> FloatArray:
        d1, d2 = self._d
        return clip_chain(self._vertices, d1, d2)

    def affine(self, scale: Sequence[float], shift: Sequence[float]) -> PolygonProblem:
        (a1, a2), (b1, b2) = check_affine_map(scale, shift)
        d = (a1 * self._d[0] + b1, a2 * self._d[1] + b2)
        return PolygonProblem(self._vertices * (a1, a2) + (b1, b2), d)

    def __repr__(self) -> str:
        return f"BargainingProblem.from_points({self._vertices.tolist()}, disagreement={self._d})"


def pareto_chain(points: FloatArray) -> FloatArray:
    """The vertices of the upper-right boundary of the convex hull of ``points``, from
    the highest point (largest u1 among ties) to the rightmost (largest u2 among
    ties): a concave, strictly decreasing chain (Andrew's monotone chain).

    Examples
    --------
    >>> pareto_chain(np.array([(0.0, 2.0), (1.0, 1.0), (2.0, 0.0), (1.0, 1.5)])).tolist()
    [[0.0, 2.0], [1.0, 1.5], [2.0, 0.0]]
    """
    top = points[points[:, 1] == points[:, 1].max()]
    start = top[top[:, 0].argmax()]
    right = points[points[:, 0] == points[:, 0].max()]
    end = right[right[:, 1].argmax()]
    if start[0] == end[0] and start[1] == end[1]:
        return np.array([start], dtype=np.float64)
    # Candidates strictly between, ordered by u1; keep the upper hull (monotone chain).
    middle = points[(points[:, 0] > start[0]) & (points[:, 1] > end[1])]
    candidates = np.vstack([start, middle[np.lexsort((-middle[:, 1], middle[:, 0]))], end])
    chain: list[FloatArray] = []
    for p in candidates:
        while len(chain) >= 2:
            (x1, y1), (x2, y2) = chain[-2], chain[-1]
            # Drop the last point unless it turns clockwise (keeps the chain concave).
            if (x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1) >= 0:
                chain.pop()
            else:
                break
        if not chain or p[0] > chain[-1][0]:
            chain.append(p)
    return np.array(chain)


def clip_chain(V: FloatArray, d1: float, d2: float) -> FloatArray:
    """The part of the frontier chain ``V`` (with its free-disposal extensions) that
    dominates (d1, d2), as a chain of vertices.

    Examples
    --------
    >>> clip_chain(np.array([(0.0, 2.0), (2.0, 0.0)]), 0.5, 0.0).tolist()
    [[0.5, 1.5], [2.0, 0.0]]
    """
    # The free-disposal extensions (left of the first vertex, below the last) are
    # dominated by those vertices: the Pareto frontier is the chain itself.
    points = [(float(x), float(y)) for x, y in V]
    clipped: list[tuple[float, float]] = []
    for (x1, y1), (x2, y2) in pairwise(points):
        for p in _segment_part(x1, y1, x2, y2, d1, d2):
            if not clipped or p != clipped[-1]:
                clipped.append(p)
    if len(points) == 1:
        x, y = points[0]
        if x >= d1 and y >= d2:
            clipped.append((x, y))
    return np.array(clipped, dtype=np.float64).reshape(-1, 2)


def _segment_part(
    x1: float, y1: float, x2: float, y2: float, d1: float, d2: float
) -> list[tuple[float, float]]:
    """The part of the segment from (x1, y1) to (x2, y2) with x >= d1 and y >= d2."""
    low, high = 0.0, 1.0
    for start, delta, bound in ((x1, x2 - x1, d1), (y1, y2 - y1, d2)):
        if delta == 0:
            if start < bound:
                return []
        elif delta > 0:
            low = max(low, (bound - start) / delta)
        else:
            high = min(high, (bound - start) / delta)
    if low > high:
        return []

    def at(s: float) -> tuple[float, float]:  # exact at the ends: no rounding slivers
        if s == 0:
            return (x1, y1)
        if s == 1:
            return (x2, y2)
        return (x1 + s * (x2 - x1), y1 + s * (y2 - y1))

    return [at(low), at(high)] if low < high else [at(low)]
