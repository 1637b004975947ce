"""The feasible and the individually rational payoffs of a repeated bimatrix game."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from powergames._validate import boolean, tolerance
from powergames.game import Game, GameLike, as_game  # noqa: F401 (Game: the examples)
from powergames.repeated.minmax import minmax
from powergames.repeated.payoff_set import PayoffSet, convex_hull
from powergames.repeated.units import unit_of

__all__ = ["feasible_set", "individually_rational"]

FloatArray = NDArray[np.float64]


def feasible_set(game: GameLike) -> PayoffSet:
    """The feasible payoffs: the convex hull of the stage payoff pairs ``(A[i, j], B[i, j])``.

    With a public randomisation device the players can draw a pure profile afresh each
    period from any lottery, so every point of the hull is the (normalised) average
    payoff of some path of play, and no other point is (Mailath & Samuelson 2006,
    section 2.1). Without the device every such point is still approached as the
    discount factor tends to 1 (Sorin 1986).

    Parameters
    ----------
    game : Game

    Returns
    -------
    PayoffSet
        Counter-clockwise vertices; a point for a game with a single payoff pair, a
        segment when the payoff pairs are collinear. ``punishments`` is None.

    Raises
    ------
    InvalidParameterError
        If ``game`` is not a :class:`powergames.Game`.

    References
    ----------
    Mailath, G. J. and Samuelson, L. (2006). Repeated Games and Reputations: Long-Run
    Relationships. Oxford University Press. Section 2.1.

    Sorin, S. (1986). On repeated games with complete information. Mathematics of
    Operations Research 11(1), 147-160.

    Examples
    --------
    The prisoner's dilemma with (T, R, P, S) = (5, 3, 1, 0):

    >>> pd = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> sorted(feasible_set(pd).vertices.tolist())
    [[0.0, 5.0], [1.0, 1.0], [3.0, 3.0], [5.0, 0.0]]
    """
    A, B = _payoffs(game)
    return PayoffSet.from_points(
        np.column_stack([A.ravel(), B.ravel()]), units=(unit_of(A), unit_of(B))
    )


def individually_rational(game: GameLike, pure: bool = False, *, tol: float = 1e-9) -> PayoffSet:
    """The feasible payoffs that give each player at least its minmax value.

    The feasible set (:func:`feasible_set`) intersected with the quadrant
    ``{u : u_0 >= v_0, u_1 >= v_1}``, ``v`` the minmax values (:func:`minmax`). No
    equilibrium payoff of the repeated game lies outside it, and with patient players
    every point of it strictly above both minmax values is a subgame perfect
    equilibrium payoff (the two-player folk theorem; Fudenberg & Maskin 1986).

    Algorithm (Sutherland & Hodgman 1974, for a convex polygon and two half-planes):
    clip the feasible polygon by ``u_0 >= v_0``, then by ``u_1 >= v_1``, walking its
    boundary once per half-plane:

    1. keep every vertex inside the half-plane;
    2. add the point where an edge crosses the boundary line, for every edge that
       enters or leaves the half-plane.

    A point is a closed polygon with one edge (from the point to itself), a segment one
    with two, so the same walk clips them. Round-off is handled with a slack per
    player, ``eps_i = tol * range_i``, ``range_i`` the range of player i's payoffs:
    a vertex less than ``eps_i`` outside player i's half-plane is moved onto its
    boundary line (instead of being cut away with a crossing point next to it), and
    vertices closer than ``eps`` in both coordinates are merged.
    The minmax values come from a linear program, so corners they touch are only
    touched up to round-off; thanks to the slack a zero-sum game, whose individually
    rational set is the single point ``(v_0, v_1)``, gets that point and not an empty
    set or a sliver. The result lies in the quadrant exactly and within ``eps`` of the
    feasible set.

    The set is never empty with mixed minmax values: the payoffs of a Nash
    equilibrium, a convex combination of the stage payoff pairs, give each player a
    best reply's payoff, at least its minmax value. With ``pure=True`` it can be
    (matching pennies: the pure minmax values are (1, 1) but u_0 + u_1 = 0).

    Parameters
    ----------
    game : Game
    pure : bool, default False
        Use the pure-strategy minmax values.
    tol : float, default 1e-9
        Relative slack of the clip, as above.

    Returns
    -------
    PayoffSet
        Possibly a polygon, a segment, a point or empty; ``punishments`` holds the
        minmax values.

    Raises
    ------
    InvalidParameterError
        If ``game`` is not a :class:`powergames.Game`, ``pure`` is not a bool or
        ``tol`` is negative or not finite.

    References
    ----------
    Sutherland, I. E. and Hodgman, G. W. (1974). Reentrant polygon clipping.
    Communications of the ACM 17(1), 32-42.

    Fudenberg, D. and Maskin, E. (1986). The folk theorem in repeated games with
    discounting or with incomplete information. Econometrica 54(3), 533-554.

    Examples
    --------
    >>> pd = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> rational = individually_rational(pd)
    >>> sorted(rational.vertices.round(4).tolist()), rational.punishments
    ([[1.0, 1.0], [1.0, 4.3333], [3.0, 3.0], [4.3333, 1.0]], (1.0, 1.0))

    Matching pennies, a zero-sum game: a single point.

    >>> individually_rational(Game([[1, -1], [-1, 1]])).vertices.tolist()
    [[0.0, 0.0]]
    """
    pure = boolean(pure, "pure")
    tol = tolerance(tol)
    values = minmax(game, pure=pure).values  # checks the game
    feasible = feasible_set(game)
    assert feasible.units is not None
    eps = (tol * feasible.units[0], tol * feasible.units[1])  # per player
    polygon = feasible.vertices
    for axis in (0, 1):
        polygon = _merge(_clip(polygon, axis, values[axis], eps[axis]), eps)
    # Interpolated crossings can fall an ulp short of a minmax value: lift them.
    polygon = np.maximum(polygon, np.asarray(values, dtype=np.float64))
    return PayoffSet(convex_hull(polygon), punishments=values, units=feasible.units)


def _payoffs(game: GameLike) -> tuple[FloatArray, FloatArray]:
    converted = as_game(game)
    return converted.payoffs


def _clip(polygon: FloatArray, axis: int, level: float, eps: float) -> FloatArray:
    """One Sutherland-Hodgman pass: the part of a convex polygon (or point, or segment;
    vertices in cyclic order) where ``u[axis] >= level``, as a vertex list in cyclic
    order (repeats possible).

    Vertices in the band ``level - eps <= u[axis] < level`` count as inside and are
    moved onto the line; an edge crossing the line gets a crossing point only when its
    inner end is on or above the line (otherwise the moved vertex stands for it).
    """
    kept: list[FloatArray] = []
    k = len(polygon)
    for index in range(k):
        current, following = polygon[index], polygon[(index + 1) % k]
        inside = current[axis] >= level - eps
        if inside:
            point = current.copy()
            point[axis] = max(point[axis], level)
            kept.append(point)
        if inside != (following[axis] >= level - eps):
            inner = current if inside else following
            if inner[axis] >= level:
                kept.append(_crossing(current, following, axis, level))
    return np.array(kept).reshape(-1, 2)


def _crossing(p: FloatArray, q: FloatArray, axis: int, level: float) -> FloatArray:
    """The point of segment pq on the line ``u[axis] == level`` (p and q on either side).

    The endpoints are put in a fixed order first, so that the edge walked both ways (a
    segment's two edges) gives the same point to the last bit, and the clipped
    coordinate is set to ``level`` exactly.
    """
    if tuple(q) < tuple(p):
        p, q = q, p
    t = (level - p[axis]) / (q[axis] - p[axis])
    point: FloatArray = p + t * (q - p)
    point[axis] = level
    return point


def _merge(points: FloatArray, eps: tuple[float, float]) -> FloatArray:
    """Drop every point within ``eps`` (player by player) of one kept before it; the
    order of the others is kept."""
    kept: list[FloatArray] = []
    slack = np.asarray(eps)
    for point in points:
        if all((np.abs(point - other) > slack).any() for other in kept):
            kept.append(point)
    return np.array(kept).reshape(-1, 2)
