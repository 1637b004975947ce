"""The stage game as the equilibrium-set algorithms need it: payoff pairs and one-shot
deviation gains, profile by profile, in each player's units."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from powergames.game import Game
from powergames.repeated.units import PayoffScale

__all__ = ["StageData"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class StageData:
    """Each pure profile's payoff pair and each player's gain from its best one-shot
    deviation there, in the units of ``scale`` (each player's payoffs spread over
    ``[0, 1]``), so that the algorithms' tolerances are relative to each player's
    range of payoffs.

    Attributes
    ----------
    payoffs : (profiles, 2) float array
        Row-major over the profiles ``(i, j)``, normalised.
    gains : (profiles, 2) float array
        Non-negative, normalised.
    deviations : (profiles, 2) float array
        Each player's payoff from its best reply to the other's action (``payoffs +
        gains``, computed directly so that profiles sharing the other's action share
        it exactly), normalised.
    scale : PayoffScale
        Each player's offset and unit.
    stage_payoffs : (profiles, 2) float array
        The payoffs as the game gives them.

    Examples
    --------
    >>> stage = StageData.of(Game([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    >>> (stage.gains * stage.scale.unit).tolist()
    [[2.0, 2.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    """

    payoffs: FloatArray
    gains: FloatArray
    deviations: FloatArray
    scale: PayoffScale
    stage_payoffs: FloatArray

    @classmethod
    def of(cls, game: Game) -> StageData:
        """The stage data of a game."""
        A, B = game.payoffs
        payoffs = np.column_stack([A.ravel(), B.ravel()])
        best_row = np.broadcast_to(A.max(axis=0, keepdims=True), A.shape)
        best_col = np.broadcast_to(B.max(axis=1, keepdims=True), B.shape)
        gains = np.column_stack([(best_row - A).ravel(), (best_col - B).ravel()])
        deviations = np.column_stack([best_row.ravel(), best_col.ravel()])
        scale = PayoffScale.of(payoffs)
        return cls(
            scale.normalise(payoffs),
            gains / scale.unit,
            scale.normalise(deviations),
            scale,
            payoffs,
        )

    def pure_minmax(self) -> FloatArray:
        """Each player's pure-strategy minmax value, normalised: no pure-strategy
        equilibrium of the repeated game gives it less (each period it can best reply
        to the other's action)."""
        deviations = self.deviations
        return np.array([deviations[:, 0].min(), deviations[:, 1].min()])

    def to_payoffs(self, W: FloatArray) -> FloatArray:
        """Normalised vertices back in the game's payoffs: a vertex that is a stage
        payoff pair exactly is that pair as the game gives it (no rounding)."""
        restored = self.scale.restore(W)
        if len(W):
            same = (W[:, None, :] == self.payoffs[None, :, :]).all(axis=2)
            rows, profiles = np.nonzero(same)
            restored[rows] = self.stage_payoffs[profiles]
        return restored
