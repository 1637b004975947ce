"""Vertex enumeration of the best-response polytopes (Avis et al. 2010)."""

from __future__ import annotations

from powergames.equilibria._single import enumerate_single
from powergames.equilibria.best_response import DEFAULT_TOL
from powergames.equilibria.result import Equilibrium
from powergames.game import GameLike

__all__ = ["vertex_enumeration"]


def vertex_enumeration(
    game: GameLike, *, tol: float = DEFAULT_TOL, time_limit: float | None = None
) -> list[Equilibrium]:
    """Every extreme Nash equilibrium, degenerate games included.

    Algorithm:

    1. Map the payoffs affinely onto [1, 2] and form the best-response polytopes
       ``P = {x >= 0 : B^T x <= 1}`` and ``Q = {y >= 0 : A y <= 1}``.
    2. Enumerate the vertices of P and Q, each with its label set (the pure
       strategies it leaves unused and the opponent's pure best responses).
    3. Return the pairs of vertices whose labels cover all ``m + n`` pure strategies,
       normalised to probabilities.

    In a degenerate game (a :class:`DegenerateGameWarning` is emitted) the set of
    equilibria is a finite union of polytopes, each the convex hull of the extreme
    equilibria it contains; every pure equilibrium is extreme and is returned.

    Parameters
    ----------
    game : Game
    tol : float, default :data:`DEFAULT_TOL`
        Tolerance on probabilities and on best-response conditions, relative to each
        player's payoff range.
    time_limit : float, optional
        Seconds after which the search stops and returns the equilibria found so far,
        with a :class:`~powergames.errors.TimeLimitWarning`.

    Returns
    -------
    list of Equilibrium

    References
    ----------
    Avis, D., Rosenberg, G. D., Savani, R. and von Stengel, B. (2010). Enumeration of
    Nash equilibria for two-player games. Economic Theory 42, 9-37.

    Examples
    --------
    >>> from powergames import Game
    >>> import warnings
    >>> # After Top the column player is indifferent: a continuum of equilibria.
    >>> game = Game([[1, 1], [0, 0]], [[1, 1], [0, 1]])
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     for eq in vertex_enumeration(game):
    ...         print(eq.strategies[0], eq.strategies[1])
    [1. 0.] [1. 0.]
    [1. 0.] [0. 1.]
    """
    return enumerate_single(game, "vertex", tol, time_limit)
