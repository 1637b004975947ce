"""The stage game as the equilibrium-set algorithms need it: payoff pairs and one-shot
deviation gains, profile by profile."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from powergames.game import Game

__all__ = ["StageData"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class StageData:
    """Each pure profile's payoff pair and each player's gain from its best one-shot
    deviation there.

    Attributes
    ----------
    payoffs : (profiles, 2) float array
        Row-major over the profiles ``(i, j)``.
    gains : (profiles, 2) float array
        Non-negative.
    scale : float
        The larger payoff range, for tolerances.

    Examples
    --------
    >>> stage = StageData.of(Game([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    >>> stage.gains.tolist()
    [[2.0, 2.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    """

    payoffs: FloatArray
    gains: FloatArray
    scale: float

    @classmethod
    def of(cls, game: Game) -> StageData:
        """The stage data of a game."""
        A, B = game.payoffs
        payoffs = np.column_stack([A.ravel(), B.ravel()])
        best_row = np.broadcast_to(A.max(axis=0, keepdims=True), A.shape)
        best_col = np.broadcast_to(B.max(axis=1, keepdims=True), B.shape)
        gains = np.column_stack([(best_row - A).ravel(), (best_col - B).ravel()])
        scale = float(max(np.ptp(A), np.ptp(B), 1e-300))
        return cls(payoffs, gains, scale)
