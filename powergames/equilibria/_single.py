"""Glue between the batched kernels and the single-game public solvers."""

from __future__ import annotations

import warnings

import numpy as np

from powergames.equilibria._enumerate import Method, enumerate_equilibria
from powergames.equilibria.result import Equilibrium
from powergames.errors import DegenerateGameWarning, InvalidParameterError
from powergames.game import Game

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


def check_tol(tol: float) -> float:
    if not (isinstance(tol, (int, float)) and np.isfinite(tol) and 0 <= tol < 1):
        raise InvalidParameterError(f"tol must be a number in [0, 1), got {tol!r}")
    return float(tol)


def to_equilibria(game: Game, x: np.ndarray, y: np.ndarray) -> list[Equilibrium]:
    A, B = game.payoffs
    found = []
    for xi, yi in zip(x, y, strict=True):
        xi = np.where(xi > 0, xi, 0.0)
        yi = np.where(yi > 0, yi, 0.0)
        found.append(Equilibrium((xi, yi), (float(xi @ A @ yi), float(xi @ B @ yi))))
    return found


def enumerate_single(game: Game, method: Method, tol: float) -> list[Equilibrium]:
    A, B = game.payoffs
    result = enumerate_equilibria(A[None], B[None], method, check_tol(tol))
    if result.degenerate[0]:
        warnings.warn(DEGENERATE_MESSAGE[method], DegenerateGameWarning, stacklevel=3)
    return to_equilibria(game, result.row, result.col)
