"""Pure-strategy Nash equilibria."""

from __future__ import annotations

import numpy as np

from powergames import _validate as check
from powergames.equilibria._single import to_equilibria
from powergames.equilibria.best_response import DEFAULT_TOL
from powergames.equilibria.result import Equilibrium
from powergames.game import GameLike, as_game, rescale_payoffs

__all__ = ["pure_equilibria"]


def pure_equilibria(game: GameLike, *, tol: float = DEFAULT_TOL) -> list[Equilibrium]:
    """Every pure-strategy Nash equilibrium: cells that are a column maximum of ``A``
    and a row maximum of ``B``.

    Parameters
    ----------
    game : Game
    tol : float, default :data:`DEFAULT_TOL`
        Ties within ``tol`` times a player's payoff range count as best responses.

    Returns
    -------
    list of Equilibrium
        In row-major order of the profiles.

    Examples
    --------
    >>> from powergames import Game
    >>> stag_hunt = Game([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> [eq.supports for eq in pure_equilibria(stag_hunt)]
    [((0,), (0,)), ((1,), (1,))]
    """
    game = as_game(game)
    tol = check.tolerance(tol)
    A, B = (rescale_payoffs(M) for M in game.payoffs)
    m, n = game.shape
    row_best = A >= A.max(axis=0, keepdims=True) - tol
    col_best = B >= B.max(axis=1, keepdims=True) - tol
    rows, cols = np.nonzero(row_best & col_best)
    return to_equilibria(game, np.eye(m)[rows], np.eye(n)[cols])
