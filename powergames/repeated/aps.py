"""The Abreu-Pearce-Stacchetti operator on polygons: an independent, slower check of
:func:`powergames.repeated.equilibrium_payoff_set`."""

from __future__ import annotations

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
)
from powergames.repeated.stage import StageData

__all__ = ["aps_payoff_set"]

FloatArray = NDArray[np.float64]


def aps_payoff_set(
    game: GameLike, delta: float, *, tol: float = 1e-9, max_iter: int = 100_000
) -> PayoffSet:
    """The pure-strategy subgame-perfect equilibrium payoffs with public randomisation,
    by iterating the operator of Abreu, Pearce & Stacchetti (1990) exactly on
    polygons from the feasible set (an outer approximation that decreases to the set).

    Algorithm: with W the current polygon and ``P_i`` player i's lowest payoff in W,
    each profile ``a`` generates ``(1 - delta) g(a) + delta Q(a)``, where
    ``Q(a) = {w in W : w_i >= P_i + (1 - delta)/delta * h_i(a), i = 1, 2}`` is W
    clipped by the two incentive constraints; the next W is the convex hull of all
    these polygons. Unlike the Abreu-Sannikov algorithm it keeps every vertex of
    every ``Q(a)``, so it is slower but shares none of its shortcuts: the tests use it
    as an independent cross-check.

    Parameters
    ----------
    game : Game
    delta : float
        Common discount factor in [0, 1).
    tol : float, default 1e-9
        Stop when the remaining distance (the last move times
        ``delta / (1 - delta)``) is below ``tol``, each player's payoffs measured in
        units of its range (as in :func:`equilibrium_payoff_set`).
    max_iter : int, default 100,000

    References
    ----------
    Abreu, D., Pearce, D. and Stacchetti, E. (1990). Toward a theory of discounted
    repeated games with imperfect monitoring. Econometrica 58(5), 1041-1063.

    Examples
    --------
    >>> pd = Game([[9, 1], [10, 3]], [[9, 10], [1, 3]])
    >>> aps_payoff_set(pd, 0.9).vertices.round(6).tolist()
    [[3.0, 3.0], [9.75, 3.0], [9.0, 9.0], [3.0, 9.75]]
    """
    game = as_game(game)
    delta = discount_factor(delta)
    tol = real(tol, "tol", low=0.0, low_open=True, high=1.0, high_open=True, array=False)
    max_iter = integer(max_iter, "max_iter", low=1)
    stage = StageData.of(game)  # each player's payoffs spread over [0, 1]
    eps = 1e-12
    W = convex_hull(stage.payoffs)
    if delta == 0:
        return _payoff_set(convex_hull(stage.payoffs[(stage.gains <= eps).all(axis=1)]), stage)
    done = tol * (1 - delta) / delta
    for _ in range(max_iter):
        thresholds = W.min(axis=0) + (1 - delta) / delta * stage.gains
        pieces = []
        for g, c in zip(stage.payoffs, thresholds, strict=True):
            Q = clip_below(clip_below(W, 0, c[0] - eps), 1, c[1] - eps)
            if len(Q):
                pieces.append((1 - delta) * g + delta * Q)
        following = convex_hull(np.concatenate(pieces), tol=eps) if pieces else np.zeros((0, 2))
        if len(following) == 0:
            return _payoff_set(following, stage)
        moved = hausdorff(W, following)
        W = following
        if moved <= done:
            return _payoff_set(convex_hull(W, tol=tol), stage)
    raise PowergamesError(f"the APS iteration did not converge in {max_iter} iterations")


def _payoff_set(W: FloatArray, stage: StageData) -> PayoffSet:
    """The polygon of normalised payoffs as a set of the game's payoffs."""
    V = canonical_order(stage.to_payoffs(W))
    worst = (float(V[:, 0].min()), float(V[:, 1].min())) if len(V) else None
    return PayoffSet(V, worst, units=stage.scale.unit)
