"""Strategies for bargaining problems."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from hypothesis import strategies as st

if TYPE_CHECKING:  # pragma: no cover
    from powergames.bargaining import BargainingProblem

__all__ = ["ProblemKind", "bargaining_problems"]


ProblemKind = Literal["transferable", "linear", "polygon", "frontier"]


@st.composite
def bargaining_problems(
    draw: st.DrawFn, *, kind: ProblemKind | None = None, max_points: int = 8
) -> BargainingProblem:
    """Bargaining problems (S, d) with some point of S strictly better than d.

    Parameters
    ----------
    kind : {"transferable", "linear", "polygon", "frontier"}, optional
        ``"polygon"``: the convex hull of up to ``max_points`` points with
        coordinates in [0, 10] (ties and flat edges are common); ``"frontier"``:
        ``u2 = c (1 - (u1 / a)^p)`` with ``p`` in [1, 4]; any kind by default.
    max_points : int, default 8

    Examples
    --------
    >>> from hypothesis import find
    >>> problem = find(bargaining_problems(kind="polygon"), lambda p: True)
    >>> problem.kind
    'polygon'
    """
    from powergames.bargaining import BargainingProblem

    if kind is None:
        kind = draw(st.sampled_from(["transferable", "linear", "polygon", "frontier"]))
    fraction = st.floats(0, 0.9)
    if kind in ("transferable", "linear"):
        intercept = draw(st.floats(1, 100))
        slope = 1.0 if kind == "transferable" else draw(st.floats(0.1, 10))
        # d below the line: d1 = a * intercept / slope, d2 < (intercept - slope d1).
        d1 = draw(fraction) * intercept / slope
        d2 = draw(fraction) * (intercept - slope * d1)
        return BargainingProblem.linear(intercept, slope, (d1, d2))
    if kind == "polygon":
        coordinate = st.integers(0, 100).map(lambda v: v / 10)
        points = draw(st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=max_points))
        target = points[draw(st.integers(0, len(points) - 1))]
        gap = st.integers(1, 50).map(lambda v: v / 10)
        d = (target[0] - draw(gap), target[1] - draw(gap))
        return BargainingProblem.from_points(points, d)
    a, c = draw(st.floats(0.5, 10)), draw(st.floats(0.5, 10))
    power = draw(st.floats(1, 4))

    def frontier(u1: float) -> float:
        return float(c * (1 - (max(u1, 0.0) / a) ** power))

    alpha = draw(st.floats(0, 0.5))
    beta = draw(fraction) * (1 - alpha**power)
    return BargainingProblem.from_frontier(frontier, (0, a), (alpha * a, beta * c))
