"""Lemke-Howson complementary pivoting (placeholder, replaced by the real solver)."""

from __future__ import annotations

from powergames.equilibria.best_response import DEFAULT_TOL
from powergames.equilibria.result import Equilibrium
from powergames.game import Game

__all__ = ["lemke_howson"]


def lemke_howson(
    game: Game, label: int = 0, *, tol: float = DEFAULT_TOL, max_pivots: int | None = None
) -> Equilibrium:
    raise NotImplementedError
