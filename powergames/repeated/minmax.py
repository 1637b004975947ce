"""Minmax and maximin values of a bimatrix game: the harshest punishment each player can
be held to, and the payoff each can secure (Fudenberg & Maskin 1986)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from powergames._validate import boolean, tolerance
from powergames.equilibria.zero_sum import zero_sum_value
from powergames.game import Game, GameLike, as_game  # noqa: F401 (Game: the examples)
from powergames.repeated.units import unit_of

__all__ = ["Minmax", "minmax"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Minmax:
    """Each player's minmax and maximin value, with the strategies that attain them.

    Attributes
    ----------
    values : (float, float)
        The minmax values: ``values[0] = min_y max_i (A y)_i`` is the lowest payoff
        the column player can hold the row player to, and ``values[1] = min_x max_j
        (x B)_j`` the lowest the row player can hold the column player to.
    punishers : (1-D float array, 1-D float array)
        ``punishers[0]``: the column player's strategy (shape ``(n,)``) that holds the
        row player to ``values[0]``; ``punishers[1]``: the row player's strategy
        (shape ``(m,)``) that holds the column player to ``values[1]``. Pure
        strategies are unit vectors.
    maximin : (float, float)
        The maximin (security) values: ``maximin[0] = max_x min_j (x A)_j``, what the
        row player can guarantee whatever the column player does, and ``maximin[1] =
        max_y min_i (B y)_i``.
    best_replies : (tuple of int, tuple of int)
        The punished player's pure best replies to its punisher: rows for the row
        player, columns for the column player.
    pure : bool
        Whether the values are over pure strategies only.

    Examples
    --------
    >>> result = minmax(Game([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    >>> result.values, result.best_replies
    ((1.0, 1.0), ((1,), (1,)))
    """

    values: tuple[float, float]
    punishers: tuple[FloatArray, FloatArray]
    maximin: tuple[float, float]
    best_replies: tuple[tuple[int, ...], tuple[int, ...]]
    pure: bool = False

    def __post_init__(self) -> None:
        for strategy in self.punishers:
            strategy.setflags(write=False)

    def __repr__(self) -> str:
        y, x = (np.array2string(s, precision=6, separator=", ") for s in self.punishers)
        (v0, v1), (w0, w1) = self.values, self.maximin
        return (
            f"Minmax(values=({v0:.6g}, {v1:.6g}), punishers=({y}, {x}), "
            f"maximin=({w0:.6g}, {w1:.6g}), pure={self.pure})"
        )


def minmax(game: GameLike, pure: bool = False, *, tol: float = 1e-9) -> Minmax:
    """The minmax and maximin values of both players, and the punishing strategies.

    Player ``k``'s minmax value is the lowest payoff the opponent can hold it to when
    ``k`` best-replies; in the repeated game no equilibrium gives ``k`` less, and the
    folk theorem (Fudenberg & Maskin 1986) sustains every feasible payoff strictly above
    both minmax values when players are patient enough. The maximin value is what
    ``k`` can secure on its own.

    Mixed strategies (``pure=False``), by linear programming
    (:func:`powergames.equilibria.zero_sum_value`):

    1. Row player: solve the zero-sum game ``A``; its minimising (column) strategy
       ``y`` is the punisher, ``values[0] = max_i (A y)_i``; its maximising strategy
       ``x`` gives ``maximin[0] = min_j (x A)_j``.
    2. Column player: the same with the zero-sum game ``B.T`` (the column player
       choosing rows of ``B.T``); its minimising strategy is the row player's punisher.

    The values are what the strategies found guarantee, so ``maximin <= values``
    (weak duality, up to the round-off of the products); by von Neumann's minimax
    theorem they agree up to the solver's tolerance: in two-player games the mixed
    minmax *equals* the mixed maximin. Not so in pure strategies (``pure=True``):
    there ``values[0] = min_j max_i A[i, j]`` and ``maximin[0] = max_i min_j A[i, j]``
    can differ (matching pennies: 1 and -1), and the pure minmax can exceed the mixed
    one.

    Parameters
    ----------
    game : Game
    pure : bool, default False
        Restrict both the punisher and the punished player to pure strategies.
    tol : float, default 1e-9
        A pure strategy is a best reply to the punisher when its payoff is within
        ``tol * (max - min)`` of the best, the range being that of the punished
        player's payoffs (``powergames.repeated.units.unit_of``).

    Returns
    -------
    Minmax

    Raises
    ------
    InvalidParameterError
        If ``game`` is not a :class:`powergames.Game` or ``pure`` is not a bool.

    References
    ----------
    Fudenberg, D. and Maskin, E. (1986). The folk theorem in repeated games with
    discounting or with incomplete information. Econometrica 54(3), 533-554.

    Mailath, G. J. and Samuelson, L. (2006). Repeated Games and Reputations: Long-Run
    Relationships. Oxford University Press. Section 2.1 (minmax payoffs, individual
    rationality).

    Examples
    --------
    Matching pennies: the punisher mixes evenly and holds the row player to 0; in pure
    strategies the punished player always has a winning reply.

    >>> pennies = Game([[1, -1], [-1, 1]])
    >>> mixed = minmax(pennies)
    >>> mixed.values, mixed.punishers[0]
    ((0.0, 0.0), array([0.5, 0.5]))
    >>> minmax(pennies, pure=True).values, minmax(pennies, pure=True).maximin
    ((1.0, 1.0), (-1.0, -1.0))
    """
    game = as_game(game)
    pure = boolean(pure, "pure")
    tol = tolerance(tol)
    A, B = game.payoffs
    if pure:
        return _pure_minmax(A, B, tol)
    return _mixed_minmax(A, B, tol)


def _pure_minmax(A: FloatArray, B: FloatArray, tol: float) -> Minmax:
    m, n = A.shape
    j = int(np.argmin(A.max(axis=0)))  # the column holding the row player lowest
    i = int(np.argmin(B.max(axis=1)))  # the row holding the column player lowest
    punishers = (np.eye(n)[j], np.eye(m)[i])
    values = (float(A[:, j].max()), float(B[i, :].max()))
    maximin = (float(A.min(axis=1).max()), float(B.min(axis=0).max()))
    replies = (_best(A[:, j], A, tol), _best(B[i, :], B, tol))
    return Minmax(values, punishers, maximin, replies, pure=True)


def _mixed_minmax(A: FloatArray, B: FloatArray, tol: float) -> Minmax:
    row = zero_sum_value(A)  # the row player maximises, the column player punishes
    col = zero_sum_value(B.T)  # the column player maximises, the row player punishes
    held_row = A @ row.col_strategy  # the row player's payoff from each row
    held_col = col.col_strategy @ B  # the column player's payoff from each column
    values = (float(held_row.max()), float(held_col.max()))
    maximin = (float((row.row_strategy @ A).min()), float((B @ col.row_strategy).min()))
    replies = (_best(held_row, A, tol), _best(held_col, B, tol))
    punishers = (np.array(row.col_strategy), np.array(col.col_strategy))
    return Minmax(values, punishers, maximin, replies, pure=False)


def _best(payoffs: FloatArray, M: FloatArray, tol: float) -> tuple[int, ...]:
    """The indices within ``tol`` (relative to the punished player's unit of payoff,
    the range of ``M``) of the largest payoff."""
    slack = tol * unit_of(M)
    return tuple(int(k) for k in np.flatnonzero(payoffs >= payoffs.max() - slack))
