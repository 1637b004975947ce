"""Each player's unit of payoff: the tolerances of repeated games are relative to it,
player by player, so that no result depends on the units in which either player's
payoffs are measured (a player's payoffs in millions, the other's in millionths)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["PayoffScale", "unit_of"]

FloatArray = NDArray[np.float64]


def unit_of(values: ArrayLike) -> float:
    """A player's unit of payoff: the range of its payoffs; where they are all equal,
    their magnitude (1 where that is 0 too).

    Examples
    --------
    >>> unit_of([1.0, 4.0, 2.0]), unit_of([5.0, 5.0]), unit_of([0.0])
    (3.0, 5.0, 1.0)
    """
    # Plain Python: the payoffs of a game, or the vertices of a payoff set, are a few
    # numbers, for which numpy's per-call cost dominates.
    numbers: list[float] = np.asarray(values, dtype=np.float64).ravel().tolist()
    if not numbers:
        return 1.0
    spread = max(numbers) - min(numbers)
    if spread > 0 and math.isfinite(spread):
        return spread
    magnitude = max(abs(v) for v in numbers)
    return magnitude if magnitude > 0 else 1.0


@dataclass(frozen=True)
class PayoffScale:
    """Each player's offset and unit: ``(u - offset) / unit`` maps the payoffs a scale
    was made from into ``[0, 1]``, player by player.

    Attributes
    ----------
    offset : (float, float)
        Each player's smallest payoff.
    unit : (float, float)
        Each player's :func:`unit_of`.

    Examples
    --------
    >>> scale = PayoffScale.of([(0.0, 1e-6), (2e6, 3e-6)])
    >>> scale.normalise([(1e6, 2e-6)]).tolist()
    [[0.5, 0.5]]
    """

    offset: tuple[float, float]
    unit: tuple[float, float]

    @classmethod
    def of(cls, points: ArrayLike) -> PayoffScale:
        """The scale of payoff pairs ``(k, 2)``."""
        array = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        low = array.min(axis=0) if len(array) else np.zeros(2)
        return cls((float(low[0]), float(low[1])), (unit_of(array[:, 0]), unit_of(array[:, 1])))

    def normalise(self, points: ArrayLike) -> FloatArray:
        """Payoff pairs in the units of the scale."""
        array = np.asarray(points, dtype=np.float64)
        normalised: FloatArray = (array - self.offset) / self.unit
        return normalised

    def restore(self, points: ArrayLike) -> FloatArray:
        """Payoff pairs of the scale back in payoffs."""
        array = np.asarray(points, dtype=np.float64)
        restored: FloatArray = array * self.unit + self.offset
        return restored
