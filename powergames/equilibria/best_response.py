"""Best responses, regrets and the equilibrium test every solver's output must pass."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from powergames import _validate as check
from powergames.errors import InvalidParameterError
from powergames.game import Game, GameLike, as_game, as_mixed_strategy, rescale_payoffs

__all__ = ["DEFAULT_TOL", "best_responses", "is_equilibrium", "regrets"]

#: Default tolerance of the solvers and of :func:`is_equilibrium`, as a fraction of
#: each player's payoff range ``max - min``.
DEFAULT_TOL = 1e-9


def _check_player(player: int) -> int:
    try:
        return check.integer(player, "player", low=0, high=1)
    except InvalidParameterError:
        raise InvalidParameterError(
            f"player must be 0 (row) or 1 (column), got {check.short(player)}"
        ) from None


def best_responses(
    game: GameLike, player: int, opponent_strategy: ArrayLike, *, tol: float = DEFAULT_TOL
) -> tuple[int, ...]:
    """The pure best responses of ``player`` to the opponent's mixed strategy.

    Parameters
    ----------
    game : Game
    player : {0, 1}
        0 for the row player, 1 for the column player.
    opponent_strategy : array_like
        The other player's mixed strategy.
    tol : float, default :data:`DEFAULT_TOL`
        A pure strategy is a best response when its payoff is within
        ``tol * (max - min)`` of the best, the range being that of the player's payoffs.

    Returns
    -------
    tuple of int
        Indices of the best responses, in increasing order.

    Examples
    --------
    >>> rps = Game([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    >>> best_responses(rps, 0, [1, 0, 0])   # paper beats rock
    (1,)
    >>> best_responses(rps, 1, [1/3, 1/3, 1/3])
    (0, 1, 2)
    """
    game = as_game(game)
    player = _check_player(player)
    A, B = game.payoffs
    m, n = game.shape
    if player == 0:
        y = as_mixed_strategy(opponent_strategy, n, "opponent_strategy")
        values = rescale_payoffs(A) @ y
    else:
        x = as_mixed_strategy(opponent_strategy, m, "opponent_strategy")
        values = x @ rescale_payoffs(B)
    best = values.max()
    return tuple(int(k) for k in np.flatnonzero(values >= best - tol))


def regrets(game: GameLike, strategies: Sequence[ArrayLike]) -> tuple[float, float]:
    """Each player's regret: the best pure payoff against the profile minus the payoff
    of the profile. A profile is a Nash equilibrium iff both regrets are 0.

    Each regret is computed as the expected shortfall of the player's own strategies
    from the best one, ``sum_i x_i (max_k (Ay)_k - (Ay)_i)``, a sum of non-negative
    terms: never negative, and without the cancellation of ``max - x @ Ay`` when the
    regret is many orders of magnitude below the payoffs.

    Examples
    --------
    >>> pd = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> regrets(pd, ([1, 0], [1, 0]))   # mutual cooperation: each gains 2 by defecting
    (2.0, 2.0)
    """
    game = as_game(game)
    x, y = _profile(game, strategies)
    A, B = game.payoffs
    Ay, xB = A @ y, x @ B
    return float(x @ (Ay.max() - Ay)), float((xB.max() - xB) @ y)


def is_equilibrium(
    game: GameLike, strategies: Sequence[ArrayLike], *, tol: float = DEFAULT_TOL
) -> bool:
    """Whether a mixed profile is a Nash equilibrium: no player gains by a pure deviation.

    Parameters
    ----------
    game : Game
    strategies : pair of array_like
        The mixed strategies ``(sigma_row, sigma_col)``.
    tol : float, default :data:`DEFAULT_TOL`
        Allowed regret, as a fraction of each player's payoff range, so that the test
        is invariant under positive affine transformations of the payoffs.

    Raises
    ------
    InvalidParameterError
        If a strategy has the wrong length, a negative entry, or does not sum to 1.

    Examples
    --------
    >>> pennies = Game([[1, -1], [-1, 1]])
    >>> is_equilibrium(pennies, ([0.5, 0.5], [0.5, 0.5]))
    True
    >>> is_equilibrium(pennies, ([1, 0], [0.5, 0.5]))  # the column player would answer Tails
    False
    """
    game = as_game(game)
    tol = check.tolerance(tol)
    x, y = _profile(game, strategies)
    # Regrets on payoffs mapped onto [0, 1]: relative to each range, and no overflow.
    A, B = (rescale_payoffs(M) for M in game.payoffs)
    Ay, xB = A @ y, x @ B
    return bool(x @ (Ay.max() - Ay) <= tol and (xB.max() - xB) @ y <= tol)


def _profile(
    game: Game, strategies: Sequence[ArrayLike]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    row, col = check.pair(strategies, "strategies")
    m, n = game.shape
    return (
        as_mixed_strategy(row, m, "strategies[0]"),
        as_mixed_strategy(col, n, "strategies[1]"),
    )
