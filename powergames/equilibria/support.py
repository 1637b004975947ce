"""Support enumeration (von Stengel 2007, Algorithm 3.4), vectorised over support pairs."""

from __future__ import annotations

from powergames.equilibria._single import enumerate_single
from powergames.equilibria.best_response import DEFAULT_TOL
from powergames.equilibria.result import Equilibrium
from powergames.game import GameLike

__all__ = ["support_enumeration"]


def support_enumeration(
    game: GameLike, *, tol: float = DEFAULT_TOL, time_limit: float | None = None
) -> list[Equilibrium]:
    """All Nash equilibria of a non-degenerate game, by enumerating pairs of supports.

    Algorithm:

    1. For each size ``s`` and each pair of supports ``I`` (rows) and ``J`` (columns)
       with ``|I| = |J| = s``, drop the pair if some row of ``I`` is strictly dominated
       on ``J`` by another row, or some column of ``J`` strictly dominated on ``I``:
       such a strategy is never a best response on that support.
    2. Solve the indifference systems of all remaining pairs of one size as one
       stacked linear solve: ``y`` on ``J`` makes the rows of ``I`` indifferent and
       ``x`` on ``I`` makes the columns of ``J`` indifferent.
    3. Keep the pairs whose solutions are non-negative and whose supports are best
       responses against the whole of the other player's strategy set.

    In a non-degenerate game every equilibrium has supports of equal size and is
    found exactly once. A degenerate game triggers :class:`DegenerateGameWarning`:
    the equilibria returned are still equilibria, every pure equilibrium is among
    them, but equilibria with supports of unequal size (continua) may be missing;
    :func:`vertex_enumeration` finds every extreme equilibrium.

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
    von Stengel, B. (2007). Equilibrium computation for two-player games in strategic
    and extensive form. In Nisan, Roughgarden, Tardos & Vazirani (eds.), Algorithmic
    Game Theory, chapter 3. Cambridge University Press.

    Examples
    --------
    >>> from powergames import Game
    >>> battle = Game([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> for eq in support_enumeration(battle):
    ...     print(eq.strategies[0], eq.strategies[1])
    [1. 0.] [1. 0.]
    [0.6 0.4] [0.4 0.6]
    [0. 1.] [0. 1.]
    """
    return enumerate_single(game, "support", tol, time_limit)
