"""Glue between the batched kernels and the single-game public solvers."""

from __future__ import annotations

import warnings

import numpy as np

from powergames import _validate as check
from powergames.equilibria._enumerate import Method, enumerate_equilibria
from powergames.equilibria._polytope import MAX_LABELS
from powergames.equilibria.result import Equilibrium
from powergames.errors import DegenerateGameWarning, InvalidGameError
from powergames.game import Game, GameLike, as_game

DEGENERATE_MESSAGE = {
    "support": (
        "the game is degenerate: support enumeration returns the equilibria with supports of "
        "equal size only and may miss others (continua of equilibria); use method='vertex' "
        "for every extreme equilibrium"
    ),
    "vertex": (
        "the game is degenerate: the equilibria returned are the extreme equilibria; "
        "every equilibrium is a convex combination of extreme ones within a maximal Nash subset"
    ),
}


def check_label_limit(shape: tuple[int, ...], what: str = "support and vertex enumeration") -> None:
    """Refuse games whose label sets do not fit the kernels' 64-bit masks."""
    m, n = shape[-2:]
    if m + n > MAX_LABELS:
        raise InvalidGameError(
            f"{what} handle games with at most {MAX_LABELS} pure strategies in all "
            f"(m + n, one bit per label), got a {m}x{n} game ({m + n}); "
            "method='lemke-howson' finds equilibria of larger games"
        )


def to_equilibria(game: Game, x: np.ndarray, y: np.ndarray) -> list[Equilibrium]:
    A, B = game.payoffs
    found = []
    for xi, yi in zip(x, y, strict=True):
        xi = np.where(xi > 0, xi, 0.0)
        yi = np.where(yi > 0, yi, 0.0)
        found.append(Equilibrium((xi, yi), (float(xi @ A @ yi), float(xi @ B @ yi))))
    return found


def enumerate_single(game: GameLike, method: Method, tol: float) -> list[Equilibrium]:
    game = as_game(game)
    check_label_limit(game.shape)
    A, B = game.payoffs
    result = enumerate_equilibria(A[None], B[None], method, check.tolerance(tol))
    if result.degenerate[0]:
        warnings.warn(DEGENERATE_MESSAGE[method], DegenerateGameWarning, stacklevel=3)
    return to_equilibria(game, result.row, result.col)
