"""All equilibria of many small games at once, vectorised across games."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from powergames import _validate as check
from powergames.equilibria._enumerate import enumerate_equilibria
from powergames.equilibria._single import (
    DEGENERATE_MESSAGE,
    check_label_limit,
    method_name,
    warn_user,
)
from powergames.equilibria.best_response import DEFAULT_TOL
from powergames.equilibria.result import Equilibrium
from powergames.errors import DegenerateGameWarning, InvalidGameError

__all__ = ["EquilibriumBatch", "solve_batch"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class EquilibriumBatch:
    """The equilibria of a batch of games, as flat arrays and per game.

    Attributes
    ----------
    batch_shape : tuple of int
        The leading shape of the payoff arrays given to :func:`solve_batch`.
    game : (E,) int array
        Flat index (C order over ``batch_shape``) of the game of each equilibrium;
        the equilibria of one game are contiguous, in increasing game order.
    row, col : (E, m) and (E, n) float arrays
        The row and column player's mixed strategies.
    payoffs : (E, 2) float array
        The players' expected payoffs.
    degenerate : bool array of shape ``batch_shape``
        Which games are degenerate.

    Examples
    --------
    >>> batch = solve_batch([[[3, 0], [0, 2]], [[1, 0], [0, 1]]],
    ...                     [[[2, 0], [0, 3]], [[0, 1], [1, 0]]])
    >>> batch.count.tolist()
    [3, 1]
    >>> batch[1][0].strategies
    (array([0.5, 0.5]), array([0.5, 0.5]))
    """

    batch_shape: tuple[int, ...]
    game: NDArray[np.intp]
    row: FloatArray
    col: FloatArray
    payoffs: FloatArray
    degenerate: NDArray[np.bool_]

    def __post_init__(self) -> None:
        for array in (self.game, self.row, self.col, self.payoffs, self.degenerate):
            array.setflags(write=False)

    @property
    def size(self) -> int:
        """The number of games."""
        return prod(self.batch_shape)

    @property
    def count(self) -> NDArray[np.intp]:
        """The number of equilibria of each game, shape ``batch_shape``."""
        return np.bincount(self.game, minlength=self.size).reshape(self.batch_shape)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int | tuple[int, ...]) -> list[Equilibrium]:
        """The equilibria of one game, as :class:`Equilibrium` objects; ``index`` is a
        flat index or a tuple over ``batch_shape``."""
        flat = (
            int(np.ravel_multi_index(index, self.batch_shape))
            if isinstance(index, tuple)
            else index
        )
        if not -self.size <= flat < self.size:
            raise IndexError(f"game index {index} out of range for {self.size} games")
        flat %= self.size
        lo, hi = np.searchsorted(self.game, [flat, flat + 1])
        return [
            Equilibrium(
                (self.row[e].copy(), self.col[e].copy()),
                (float(self.payoffs[e, 0]), float(self.payoffs[e, 1])),
            )
            for e in range(lo, hi)
        ]


def _as_batch(values: ArrayLike, name: str) -> FloatArray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidGameError(f"{name} must be an array of real payoffs: {exc}") from None
    if array.ndim < 2 or array.shape[-1] == 0 or array.shape[-2] == 0:
        raise InvalidGameError(
            f"{name} must have shape (..., m, n) with m, n >= 1, got shape {array.shape}"
        )
    bad = ~np.isfinite(array)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise InvalidGameError(
            f"{name} must hold finite payoffs, got {array[where]} at index {where}"
        )
    return array


def solve_batch(
    As: ArrayLike,
    Bs: ArrayLike | None = None,
    method: Literal["support", "vertex", "support_enumeration", "vertex_enumeration"] = "support",
    *,
    tol: float = DEFAULT_TOL,
) -> EquilibriumBatch:
    """All equilibria of many games of one shape, vectorised across games.

    Equivalent to calling :func:`powergames.equilibria` with the same ``method`` on
    each game, and returns the same equilibria in the same order, but the work of
    all games is done by stacked numpy operations: candidate support pairs are
    pruned with bit masks, the linear systems of every game and support pair are
    solved in one stacked solve, and the best-response checks are array
    comparisons. Meant for small games (up to about 6x6) and many of them, such as
    a model evaluated on a parameter grid (:meth:`powergames.SymbolicGame.evaluate`).

    Parameters
    ----------
    As, Bs : array_like, shape (..., m, n)
        The payoff matrices of the games; ``Bs`` defaults to ``-As``. Leading
        dimensions are the batch (a parameter grid, say).
    method : {"support", "vertex"}, default "support"
        Support enumeration or vertex enumeration, as in
        :func:`powergames.equilibria`.
    tol : float, default :data:`DEFAULT_TOL`
        Tolerance, relative to each player's payoff range in each game.

    Returns
    -------
    EquilibriumBatch

    Warns
    -----
    DegenerateGameWarning
        Once, naming how many games are degenerate (see ``degenerate``).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> batch = solve_batch(rng.random((1000, 3, 3)), rng.random((1000, 3, 3)))
    >>> len(batch), int(batch.count.min()) >= 1
    (1000, True)
    """
    A = _as_batch(As, "As")
    B = -A if Bs is None else _as_batch(Bs, "Bs")
    if A.shape != B.shape:
        raise InvalidGameError(f"As and Bs must have the same shape, got {A.shape} and {B.shape}")
    kernel: Literal["support", "vertex"] = (
        "support" if method_name(method, ("support", "vertex")) == "support" else "vertex"
    )
    tol = check.tolerance(tol)
    check_label_limit(A.shape)
    *batch_shape, m, n = A.shape
    k = prod(batch_shape)
    A, B = A.reshape(k, m, n), B.reshape(k, m, n)
    found = enumerate_equilibria(A, B, kernel, tol)
    game, row, col, degenerate = found.game, found.row, found.col, found.degenerate
    payoffs = np.stack(
        [
            np.einsum("em,emn,en->e", row, A[game], col),
            np.einsum("em,emn,en->e", row, B[game], col),
        ],
        axis=1,
    )
    # Round-off below (m + n) eps max|M| is 0, as for the single-game solvers.
    bound = 4 * np.finfo(np.float64).eps * (m + n)
    for player, M in enumerate((A, B)):
        scale = np.abs(M).max(axis=(1, 2))[game] if len(game) else np.zeros(0)
        payoffs[np.abs(payoffs[:, player]) <= bound * scale, player] = 0.0
    if degenerate.any():
        count = int(degenerate.sum())
        first = np.flatnonzero(degenerate)[:5].tolist()
        warn_user(
            f"{count} of {k} games are degenerate (first: {first}); for those games "
            + DEGENERATE_MESSAGE[kernel].removeprefix("the game is degenerate: "),
            DegenerateGameWarning,
        )
    return EquilibriumBatch(
        tuple(batch_shape),
        game.astype(np.intp),
        row,
        col,
        payoffs,
        degenerate.reshape(tuple(batch_shape)),
    )
