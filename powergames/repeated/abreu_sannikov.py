"""The set of subgame-perfect equilibrium payoffs of a repeated game (Abreu & Sannikov 2014)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from powergames._validate import discount_factor, integer, real
from powergames.errors import InvalidParameterError, PowergamesError
from powergames.game import Game
from powergames.repeated.payoff_set import PayoffSet, canonical_order, convex_hull, next_vertices
from powergames.repeated.stage import StageData

__all__ = ["equilibrium_payoff_set"]

FloatArray = NDArray[np.float64]

#: Iterates (with the same vertex structure) combined by each extrapolation.
EXTRAPOLATION_DEPTH = 4


def equilibrium_payoff_set(
    game: Game, delta: float, *, tol: float = 1e-10, max_iter: int = 100_000
) -> PayoffSet:
    """The payoffs of all pure-strategy subgame-perfect equilibria of the repeated game
    with public randomisation, at the common discount factor ``delta`` (payoffs
    normalised by ``1 - delta``), by the algorithm of Abreu & Sannikov (2014).

    Algorithm:

    0. Measure each player's payoffs in its own unit: ``(u - min u) / range u``, so
       that every tolerance below is relative to that player's range of payoffs and
       the set does not depend on the units of either player's payoffs.
    1. Start from the feasible set W, the convex hull of the stage payoffs; it contains
       every equilibrium payoff.
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
       keep their number and order, reduced-rank extrapolation of the last iterates
       proposes the limit directly; it is accepted only if one more step leaves it in
       place within the same bound.

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
    if not isinstance(game, Game):
        raise InvalidParameterError(f"game must be a powergames.Game, got {type(game).__name__}")
    delta = discount_factor(delta)
    tol = real(tol, "tol", low=0.0, low_open=True, high=1.0, high_open=True, array=False)
    max_iter = integer(max_iter, "max_iter", low=1)
    stage = StageData.of(game)  # each player's payoffs spread over [0, 1]
    W = convex_hull(stage.payoffs)
    eps = 1e-12
    if delta == 0:  # only stage equilibria: every deviation gain must be zero
        nash = stage.payoffs[(stage.gains <= eps).all(axis=1)]
        return _finish(convex_hull(nash), stage, 0.0)
    history: list[FloatArray] = []
    rate = delta
    wait_below = np.inf  # extrapolate only once the iterates move less than this
    for _ in range(max_iter):
        following = _abreu_sannikov_step(stage, W, delta, eps)
        if len(following) == 0:
            return PayoffSet(following, units=stage.scale.unit)
        move = _moved(W, following)
        history = [*history[-(EXTRAPOLATION_DEPTH):], following] if move < np.inf else [following]
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
            accepted, error = _extrapolate(stage, history, delta, eps, done)
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
    stage: StageData, history: list[FloatArray], delta: float, eps: float, done: float
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
    check = _abreu_sannikov_step(stage, candidate, delta, eps)
    if len(check) == 0:
        return None, np.inf
    # Vertices converging together may merge: compare as sets, not vertex by vertex.
    error = PayoffSet(candidate).hausdorff(PayoffSet(check))
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


def _abreu_sannikov_step(stage: StageData, W: FloatArray, delta: float, eps: float) -> FloatArray:
    """One application of the Abreu-Sannikov operator to the convex polygon W."""
    g, h = stage.payoffs, stage.gains
    thresholds = W.min(axis=0) + (1 - delta) / delta * h  # (profiles, 2)
    low, high, hit = _line_sections(W, thresholds, eps)  # (2, profiles): line of player i
    # On player i's binding line, the part where the other constraint holds runs from
    # max(low, threshold_j) to high: its two ends are the candidate continuations.
    other = thresholds[:, ::-1].T  # (2, profiles): the other player's threshold
    top_ok = hit & (high >= other - eps)
    bottom = np.maximum(low, other)
    bottom_ok = top_ok & (bottom <= high + eps)
    level = thresholds.T
    # The four ends, as (end, profile, coordinate): on player 1's line (w_1 = level)
    # its top and bottom, then on player 2's line (w_2 = level) its right and left.
    ends = np.empty((4, len(g), 2))
    ends[0:2, :, 0] = level[0]
    ends[0, :, 1], ends[1, :, 1] = high[0], bottom[0]
    ends[2, :, 0], ends[3, :, 0] = high[1], bottom[1]
    ends[2:4, :, 1] = level[1]
    ok = np.stack([top_ok[0], bottom_ok[0], top_ok[1], bottom_ok[1]])
    generated = ((1 - delta) * g + delta * ends)[ok]
    stationary = _stationary(g, thresholds, W, eps)
    # No interior-point filter before the hull: the candidates lie near the boundary
    # of the next set, so a filter (Akl & Toussaint 1978) removed few and cost more
    # than it saved (measured up to 600 points).
    return convex_hull(np.concatenate((generated, stationary)), tol=eps)


def _stationary(g: FloatArray, thresholds: FloatArray, W: FloatArray, eps: float) -> FloatArray:
    """Stage payoffs of the profiles that enforce themselves: continuation g(a) in W."""
    ok = (g >= thresholds - eps).all(axis=1) & _inside(W, g, eps)
    return g[ok]


def _inside(W: FloatArray, points: FloatArray, eps: float) -> NDArray[np.bool_]:
    """Which points lie in the convex polygon W (counter-clockwise; possibly a point or
    a segment), within ``eps``."""
    if len(W) == 1:
        return bool_array(np.abs(points - W[0]).max(axis=1) <= eps)
    A, B = W, next_vertices(W)
    edge = B - A
    cross = edge[None, :, 0] * (points[:, None, 1] - A[None, :, 1]) - edge[None, :, 1] * (
        points[:, None, 0] - A[None, :, 0]
    )
    length = np.hypot(edge[:, 0], edge[:, 1])
    if len(W) == 2:  # a segment: on the line and between the ends
        on_line = np.abs(cross[:, 0]) <= eps * length[0]
        t = ((points - A[0]) @ edge[0]) / (length[0] ** 2)
        return bool_array(on_line & (t >= -eps) & (t <= 1 + eps))
    return bool_array((cross >= -eps * length[None, :]).all(axis=1))


def bool_array(values: object) -> NDArray[np.bool_]:
    return np.asarray(values, dtype=bool)


def _line_sections(
    W: FloatArray, thresholds: FloatArray, eps: float
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """Where the binding lines cross the convex polygon W, for both players at once.

    Entry ``[i, a]`` concerns player i's line ``w_i = thresholds[a, i]``: the lowest and
    highest value of the other coordinate on it within W, and whether it meets W."""
    Q = next_vertices(W) if len(W) > 1 else W
    # Axis 0 of each array: player i's line (its own coordinate i, the other j).
    own_p, own_q = W.T[:, None, :], Q.T[:, None, :]  # (2, 1, edges)
    oth_p, oth_q = W.T[::-1, None, :], Q.T[::-1, None, :]
    x = thresholds.T[:, :, None]  # (2, profiles, 1)
    span = own_q - own_p
    crosses = (x >= np.minimum(own_p, own_q) - eps) & (x <= np.maximum(own_p, own_q) + eps)
    flat = np.abs(span) <= eps
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.clip(np.where(flat, 0.0, (x - own_p) / span), 0.0, 1.0)
    at = oth_p + t * (oth_q - oth_p)
    # An edge along the line (span 0) contributes both of its ends.
    top = np.where(flat, np.maximum(oth_p, oth_q), at)
    bottom = np.where(flat, np.minimum(oth_p, oth_q), at)
    high = np.where(crosses, top, -np.inf).max(axis=2)
    low = np.where(crosses, bottom, np.inf).min(axis=2)
    return low, high, bool_array(crosses.any(axis=2))
