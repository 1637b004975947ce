"""The set of subgame-perfect equilibrium payoffs of a repeated game (Abreu & Sannikov 2014)."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from powergames._validate import discount_factor, integer, real
from powergames.errors import PowergamesError
from powergames.game import Game, GameLike, as_game  # noqa: F401 (Game: the examples)
from powergames.repeated.payoff_set import (
    PayoffSet,
    canonical_order,
    clip_below,
    convex_hull,
    hausdorff,
    hull_indices,
    next_vertices,
)
from powergames.repeated.stage import StageData

__all__ = ["equilibrium_payoff_set"]

FloatArray = NDArray[np.float64]

#: Iterates (with the same vertex structure) combined by each extrapolation.
EXTRAPOLATION_DEPTH = 4


def equilibrium_payoff_set(
    game: GameLike, delta: float, *, tol: float = 1e-10, max_iter: int = 100_000
) -> PayoffSet:
    """The payoffs of all pure-strategy subgame-perfect equilibria of the repeated game
    with public randomisation, at the common discount factor ``delta`` (payoffs
    normalised by ``1 - delta``), by the algorithm of Abreu & Sannikov (2014).

    Algorithm:

    0. Measure each player's payoffs in its own unit: ``(u - min u) / range u``, so
       that every tolerance below is relative to that player's range of payoffs and
       the set does not depend on the units of either player's payoffs.
    1. Start from the individually rational feasible set W: the convex hull of the
       stage payoffs, cut to each player's pure-strategy minmax value. It contains
       every equilibrium payoff (a player can best reply to the other's action in every
       period), and starting there rather than from the whole feasible set saves the
       iterations that would only cut it (Abreu & Sannikov 2014 start from any set
       that contains the equilibrium payoffs; the iterates still decrease to them).
    2. Let ``P_i`` be player i's lowest payoff in W, the harshest punishment W can
       offer. Profile ``a`` is enforceable with continuation ``w`` iff
       ``w_i >= P_i + (1 - delta) / delta * h_i(a)`` for both players, where ``h_i(a)``
       is i's gain from its best one-shot deviation at ``a``.
    3. For each profile, only a handful of continuations can produce an extreme point
       of the next set: the stage payoff itself when ``a`` enforces itself (played
       forever), and the ends of the intersections of W with the two lines where an
       incentive constraint binds (Abreu & Sannikov 2014, section 3). Each gives the
       payoff ``(1 - delta) g(a) + delta w``.
    4. The next W is the convex hull of these payoffs (public randomisation makes the
       set convex). Repeat from step 2. The sets decrease to the equilibrium payoff
       set, geometrically at rate about ``delta``.
    5. Stop when the remaining distance to the limit, estimated as ``r / (1 - r)``
       times the last move with ``r`` the larger of ``delta`` and the observed rate of
       convergence, is below ``tol`` (each player's payoff range is 1). Once the vertices
       keep the candidates that generate them (step 3), reduced-rank extrapolation of
       the last iterates proposes the limit directly; it is accepted only if one more
       step leaves it in place within the same bound.

    The set can be a polygon, a segment, a single point, or empty (when no pure
    profile is enforceable: no pure stage equilibrium and no way to punish).

    Parameters
    ----------
    game : Game
    delta : float
        The common discount factor, in [0, 1).
    tol : float, default 1e-10
        Convergence threshold, relative to each player's range of payoffs.
    max_iter : int, default 100,000
        Largest number of iterations (the distance to the limit shrinks roughly like
        ``delta ** iterations``).

    Returns
    -------
    PayoffSet
        Vertices counter-clockwise; ``punishments`` are each player's worst
        equilibrium payoffs; ``units`` each player's range of stage payoffs.

    Raises
    ------
    InvalidParameterError
        For ``delta`` outside [0, 1) or a non-positive ``tol``.
    PowergamesError
        If the iteration does not converge within ``max_iter``.

    References
    ----------
    Abreu, D. and Sannikov, Y. (2014). An algorithm for two-player repeated games with
    perfect monitoring. Theoretical Economics 9(2), 313-338.
    Abreu, D., Pearce, D. and Stacchetti, E. (1990). Toward a theory of discounted
    repeated games with imperfect monitoring. Econometrica 58(5), 1041-1063.
    Sidi, A. (2003). Practical Extrapolation Methods. Cambridge University Press,
    chapter 4 (reduced rank extrapolation).

    Examples
    --------
    The prisoner's dilemma of the design document: at ``delta = 0.9`` mutual
    cooperation and rewards for the deviator's victim are sustainable.

    >>> pd = Game([[9, 1], [10, 3]], [[9, 10], [1, 3]])
    >>> equilibrium_payoff_set(pd, 0.9).vertices.round(6).tolist()
    [[3.0, 3.0], [9.75, 3.0], [9.0, 9.0], [3.0, 9.75]]
    >>> equilibrium_payoff_set(pd, 0.2).vertices.round(6).tolist()
    [[3.0, 3.0], [9.0, 9.0]]
    """
    game = as_game(game)
    delta = discount_factor(delta)
    tol = real(tol, "tol", low=0.0, low_open=True, high=1.0, high_open=True, array=False)
    max_iter = integer(max_iter, "max_iter", low=1)
    stage = StageData.of(game)  # each player's payoffs spread over [0, 1]
    eps = 1e-12
    if delta == 0:  # only stage equilibria: every deviation gain must be zero
        nash = stage.payoffs[(stage.gains <= eps).all(axis=1)]
        return _finish(convex_hull(nash), stage, 0.0)
    # Step 1, the feasible payoffs that give each player its pure minmax.
    floor = stage.pure_minmax()
    W = clip_below(clip_below(convex_hull(stage.payoffs), 0, floor[0]), 1, floor[1])
    if len(W) == 0:
        return PayoffSet(W, units=stage.scale.unit)
    step = _Operator(stage, delta, eps)
    history: list[FloatArray] = []  # the iterates since the generators last changed
    generators = step.generators
    rate = delta
    wait_below = np.inf  # extrapolate only once the iterates move less than this
    for _ in range(max_iter):
        following = step(W)
        if len(following) == 0:
            return PayoffSet(following, units=stage.scale.unit)
        move = _moved(W, following)
        same = (
            generators is not None
            and step.generators is not None
            and (generators.tobytes() == step.generators.tobytes())
        )
        generators = step.generators
        history = [*history[-(EXTRAPOLATION_DEPTH):], following] if same else [following]
        if len(history) >= 3:
            # The remaining distance is about move * rate / (1 - rate); the observed
            # rate can exceed delta where a vertex slides along a shallow edge.
            previous = float(np.abs(history[-2] - history[-3]).max())
            if previous > 0:
                rate = min(max(delta, move / previous), 0.999)
        done = tol * (1 - rate) / rate
        if move <= done:
            return _finish(following, stage, tol)
        if len(history) == EXTRAPOLATION_DEPTH + 1 and move < wait_below:
            accepted, error = _extrapolate(step, history, done)
            if accepted is not None:
                return _finish(accepted, stage, tol)
            # Far from the limit the extrapolation misses by about the same amount
            # whatever the iterate: try again once the iterates move well less.
            wait_below = move / 2 if error < move else min(error / 4, move / 2)
        W = following
    raise PowergamesError(
        f"the equilibrium payoff set did not converge in {max_iter} iterations at delta={delta}; "
        "raise max_iter or tol"
    )


def _extrapolate(
    step: _Operator, history: list[FloatArray], done: float
) -> tuple[FloatArray | None, float]:
    """Reduced-rank extrapolation of successive iterates with the same vertex structure
    (Sidi 2003): the affine combination ``sum_k c_k x_k`` (``sum c_k = 1``) whose
    combined differences ``sum_k c_k (x_(k+1) - x_k)`` are smallest in least squares.
    It cancels as many geometric modes as there are differences, where Aitken's
    componentwise formula cancels one. The result is accepted only if one more step of
    the operator leaves it in place (Hausdorff distance below ``done``).

    Returns the accepted set (or None) and that distance."""
    X = np.array([x.ravel() for x in history])  # (iterates, coordinates)
    U = np.diff(X, axis=0)  # (differences, coordinates)
    gram = U @ U.T
    gram += np.eye(len(gram)) * 1e-14 * np.trace(gram)
    try:
        weights = np.linalg.solve(gram, np.ones(len(gram)))
    except np.linalg.LinAlgError:  # pragma: no cover - regularised above
        return None, np.inf
    weights /= weights.sum()
    guess = (weights @ X[:-1]).reshape(history[-1].shape)
    if not np.isfinite(guess).all():
        return None, np.inf
    candidate = convex_hull(guess)
    check = step(candidate)
    if len(check) == 0:
        return None, np.inf
    # The largest vertex displacement bounds the Hausdorff distance when the vertices
    # correspond; vertices converging together may merge: then compare as sets.
    if candidate.shape == check.shape:
        error = float(np.hypot(*(candidate - check).T).max())
    else:
        error = hausdorff(candidate, check)
    return (check if error <= done else None), error


def _finish(W: FloatArray, stage: StageData, accuracy: float) -> PayoffSet:
    """The converged polygon, cleaned within the accuracy of the iteration: vertices
    within it of a stage payoff are that payoff (equilibrium sets often have stage
    payoffs as vertices, exactly), and vertices closer than it to their neighbours'
    segment are dropped (so a set that is a point is reported as a point). Then back
    in the game's payoffs."""
    if len(W) == 0:
        return PayoffSet(W, units=stage.scale.unit)
    if accuracy > 0:
        W = W.copy()
        distance = np.abs(W[:, None, :] - stage.payoffs[None, :, :]).max(axis=2)
        near = distance.argmin(axis=1)
        snap = distance[np.arange(len(W)), near] <= 4 * accuracy
        W[snap] = stage.payoffs[near[snap]]
        W = convex_hull(W, tol=4 * accuracy)
    V = canonical_order(stage.to_payoffs(W))
    return PayoffSet(V, (float(V[:, 0].min()), float(V[:, 1].min())), units=stage.scale.unit)


def _moved(W: FloatArray, following: FloatArray) -> float:
    """How far the polygon moved: the largest vertex displacement when both have the
    same vertices in the same order (both start at the smallest coordinate sum), which
    bounds the Hausdorff distance; infinite while the vertex count still changes."""
    if W.shape != following.shape:
        return float("inf")
    return float(np.abs(W - following).max())


class _Operator:
    """The Abreu-Sannikov operator at one discount factor (steps 2-4) on normalised
    polygons, with the stage data it needs computed once.

    It remembers which candidates generated the last polygon it returned. Their hull is
    nearly the next polygon: when every other candidate lies inside it or on its
    boundary, it is the next polygon, and otherwise only the candidates beyond it need
    to join the convex hull (a point inside the hull of some candidates, or on its
    boundary, is never a vertex of the hull of all of them). This is the filter of Akl
    & Toussaint (1978) with a polygon that is nearly the answer instead of their
    octagon, which kept most of the candidates: they lie near the boundary of the next
    set, many of them on its edges.
    """

    def __init__(self, stage: StageData, delta: float, eps: float) -> None:
        self.payoffs = stage.payoffs
        self.stationary = stage.payoffs.T  # (2, profiles)
        self.penalty = stage.gains * ((1 - delta) / delta)  # added to the punishments
        self.deviation = (1 - delta) * stage.deviations.T  # (2, profiles)
        base = (1 - delta) * stage.payoffs.T
        self.across = base[[1, 1, 0, 0]]  # the coordinate along each end's line
        self.delta, self.eps = delta, eps
        n = len(stage.payoffs)
        self.candidates = np.empty((5, n, 2))  # filled by each step
        self.candidates[4] = stage.payoffs  # the stationary ones
        self.valid = np.empty((5, n), dtype=bool)
        self.generators: NDArray[np.intp] | None = None  # candidates of the last hull

    def __call__(self, W: FloatArray) -> FloatArray:
        """The operator applied to the convex polygon W (counter-clockwise vertices)."""
        eps, delta = self.eps, self.delta
        punishments = W.min(axis=0)
        thresholds = (punishments + self.penalty).T  # (2, profiles): row i, player i's
        # Where each player's binding line w_i = c_i crosses W: the lowest and highest
        # value of the other coordinate on it, and whether it meets W at all.
        sections = _Sections(W, eps)
        low, high, hit = sections.cross(thresholds)
        # On player 1's line the part where player 2's constraint holds runs from
        # max(low, c_2) to high (the same with the players swapped): it is not empty
        # when the top end clears the other constraint, and then the bottom end does.
        other = thresholds[::-1]
        top = hit & (high >= other - eps)
        valid = self.valid
        valid[:4] = top[[0, 0, 1, 1]]
        # The four ends (player 1's line: top, bottom; player 2's line: right, left),
        # each giving the payoff (1 - delta) g + delta w. On player i's line, and
        # where the other's constraint binds, (1 - delta) g_i + delta c_i is (1 -
        # delta) times player i's deviation payoff plus delta P_i: computed so,
        # profiles sharing the other's action give it exactly, and candidates on an
        # edge of the next set lie on it exactly.
        levels = self.deviation + delta * punishments[:, None]  # (2, profiles)
        ends = self.across + delta * np.array((high[0], low[0], high[1], low[1]))
        ends[1::2] = np.where(other >= low, levels[::-1], ends[1::2])
        candidates = self.candidates
        candidates[:2, :, 0], candidates[:2, :, 1] = levels[0], ends[:2]
        candidates[2:4, :, 0], candidates[2:4, :, 1] = ends[2:], levels[1]
        enforced = (self.stationary >= thresholds - eps).all(axis=0)  # stationary profiles
        if enforced.any():
            polygon: list[list[float]] = W.tolist()
            for a in np.flatnonzero(enforced).tolist():
                enforced[a] = _inside(polygon, self.payoffs[a].tolist(), eps)
        valid[4] = enforced
        return self._hull(candidates.reshape(-1, 2), valid.reshape(-1))

    def _hull(self, candidates: FloatArray, valid: NDArray[np.bool_]) -> FloatArray:
        """The hull of the valid candidates, through the filter of the class docstring."""
        generators = self.generators
        if generators is not None and valid[generators].all():
            if not _in_hull_order(candidates[generators].tolist(), self.eps):
                generators = generators[hull_indices(candidates[generators], self.eps)]
            if len(generators) >= 3:
                beyond: NDArray[np.bool_] = valid & ~_inside_or_on(
                    candidates[generators], candidates
                )
                beyond[generators] = False
                if not beyond.any():
                    self.generators = generators
                    return candidates[generators]
                valid = beyond
                valid[generators] = True
        index = np.flatnonzero(valid)
        self.generators = index[hull_indices(candidates[index], self.eps)]
        return candidates[self.generators]


class _Sections:
    """Where the lines ``w_1 = c`` and ``w_2 = c`` cross a convex polygon: its lower and
    upper boundaries as functions of w_1, its left and right boundaries as functions of
    w_2, each a chain of vertices interpolated linearly (``np.interp``).

    A line beyond the polygon by at most ``eps`` meets it at the nearest end, as if the
    polygon were that much larger."""

    def __init__(self, W: FloatArray, eps: float) -> None:
        # The polygon is counter-clockwise: from its leftmost vertex the lower boundary
        # runs to the rightmost, then the upper one back; from its lowest vertex the
        # right boundary runs to the highest, then the left one back. A vertical edge at
        # the far left or right joins the ends of the lower and the upper boundary (a
        # horizontal one at the bottom or top, of the left and the right).
        P: list[list[float]] = W.tolist()
        n = len(P)
        twice = P + P

        def chain(start: list[float], end: list[float]) -> list[list[float]]:
            first = P.index(start)  # counter-clockwise from start to end
            return twice[first : first + (P.index(end) - first) % n + 1]

        def by_y(point: list[float]) -> tuple[float, float]:
            return (point[1], point[0])

        def across(point: list[float]) -> tuple[float, float]:  # the other way along x
            return (-point[0], point[1])

        def down(point: list[float]) -> tuple[float, float]:  # the other way along y
            return (-point[1], point[0])

        # Extremes, each tie broken towards the end of the chain that starts or ends
        # there (lists of [x, y] compare lexicographically).
        lower = chain(min(P), min(P, key=across))  # leftmost to rightmost, lowest
        upper = chain(max(P), max(P, key=across))[::-1]  # the same, highest
        right = chain(max(P, key=down), max(P, key=by_y))  # lowest to highest
        left = chain(min(P, key=down), min(P, key=by_y))[::-1]  # the same, leftmost
        # As coordinate lists (np.interp takes them as they are).
        self.lower = ([x for x, _ in lower], [y for _, y in lower])
        self.upper = ([x for x, _ in upper], [y for _, y in upper])
        self.left = ([y for _, y in left], [x for x, _ in left])  # w_1 as a function of w_2
        self.right = ([y for _, y in right], [x for x, _ in right])
        self.bounds = np.array(  # (low, high) x (w_1, w_2), widened by eps
            [
                [[self.lower[0][0] - eps], [self.left[0][0] - eps]],
                [[self.lower[0][-1] + eps], [self.left[0][-1] + eps]],
            ]
        )

    def cross(self, levels: FloatArray) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
        """For the lines ``w_1 = levels[0]`` and ``w_2 = levels[1]`` (row by row): the
        lowest and highest value of the other coordinate on them within the polygon,
        and whether they meet it."""
        c1, c2 = levels
        low = np.array((np.interp(c1, *self.lower), np.interp(c2, *self.left)))
        high = np.array((np.interp(c1, *self.upper), np.interp(c2, *self.right)))
        hit = (levels >= self.bounds[0]) & (levels <= self.bounds[1])
        return low, high, hit


def _in_hull_order(P: list[list[float]], eps: float) -> bool:
    """Whether :func:`hull_indices` (with ``tol=eps``) returns these points as they are:
    at least three, strictly convex counter-clockwise, each farther than ``eps`` from
    the line through its neighbours, starting at the one with the smallest coordinate
    sum. (The usual case: the generators of the last polygon in its order.)"""
    n = len(P)
    if n < 3:
        return False
    for k in range(n):
        (ax, ay), (bx, by), (cx, cy) = P[k - 1], P[k], P[(k + 1) % n]
        turn = (bx - ax) * (cy - by) - (by - ay) * (cx - bx)
        if not turn > eps * math.hypot(cx - ax, cy - ay):
            return False
    return min(range(n), key=lambda k: (P[k][0] + P[k][1], P[k][0])) == 0


def _inside_or_on(polygon: FloatArray, points: FloatArray) -> NDArray[np.bool_]:
    """Which points lie inside the convex polygon (counter-clockwise, at least three
    vertices) or on its boundary: on the inner side of every edge's line."""
    edges = next_vertices(polygon) - polygon
    normals = edges @ _LEFT  # (edges, 2), pointing inwards
    cross = points @ normals.T - np.einsum("ij,ij->i", normals, polygon)
    return bool_array((cross >= 0).all(axis=1))


#: Turns an edge vector (x, y) into (-y, x), a quarter turn to the left.
_LEFT = np.array([[0.0, 1.0], [-1.0, 0.0]])


def _inside(polygon: list[list[float]], point: list[float], eps: float) -> bool:
    """Whether the point lies in the convex polygon (counter-clockwise vertices;
    possibly a point or a segment), within ``eps``. Plain Python: the few points asked
    about do not pay for numpy's per-call cost."""
    px, py = point
    if len(polygon) == 1:
        ((x, y),) = polygon
        return abs(px - x) <= eps and abs(py - y) <= eps
    for (ax, ay), (bx, by) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        ex, ey = bx - ax, by - ay
        cross = ex * (py - ay) - ey * (px - ax)
        if len(polygon) == 2:  # a segment: on the line and between the ends
            length = math.hypot(ex, ey)
            t = ((px - ax) * ex + (py - ay) * ey) / length**2
            return abs(cross) <= eps * length and -eps <= t <= 1 + eps
        if cross < 0 and cross < -eps * math.hypot(ex, ey):
            return False
    return True


def bool_array(values: object) -> NDArray[np.bool_]:
    return np.asarray(values, dtype=bool)
