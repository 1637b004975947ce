"""The discretised state space of the dynamic model: a grid of moral legitimacy and a
grid of trust, and the lotteries that keep the laws of motion on them.

A law of motion takes a stock off the grid; the model moves it to the two grid points
around it with the probabilities that keep its expected value (linear interpolation,
the standard discretisation of a continuous state in dynamic programming), clipping at
the grid's ends. Over the two stocks, the four corners around the next stocks get the
products of those probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from powergames._validate import short
from powergames.errors import InvalidParameterError

__all__ = ["StateGrid", "lottery"]


def _axis(values: ArrayLike, name: str, low: float, high: float) -> NDArray[np.float64]:
    try:
        axis = np.array(values, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{name} must be an array of numbers, got {short(values)}"
        ) from None
    if axis.size == 0 or not np.isfinite(axis).all():
        raise InvalidParameterError(f"{name} must hold at least one finite number")
    if (np.diff(axis) <= 0).any():
        raise InvalidParameterError(f"{name} must be strictly increasing, got {short(values)}")
    if axis[0] < low or axis[-1] > high:
        raise InvalidParameterError(f"{name} must lie in [{low:g}, {high:g}], got {short(values)}")
    axis.setflags(write=False)
    return axis


def lottery(
    values: ArrayLike, axis: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """The grid points around each value and the probability of the upper one: value
    ``x`` between ``axis[k]`` and ``axis[k + 1]`` goes to ``k + 1`` with probability
    ``(x - axis[k]) / (axis[k + 1] - axis[k])`` and to ``k`` otherwise (values beyond
    the ends are clipped to them).

    Examples
    --------
    >>> lottery([0.25, 2.0, -1.0], np.array([0.0, 1.0, 2.0]))
    (array([0, 1, 0]), array([0.25, 1.  , 0.  ]))
    """
    x = np.clip(np.asarray(values, dtype=np.float64), axis[0], axis[-1])
    if axis.size == 1:
        return np.zeros(x.shape, dtype=np.intp), np.zeros(x.shape)
    k = np.clip(np.searchsorted(axis, x, side="right") - 1, 0, axis.size - 2).astype(np.intp)
    upper = (x - axis[k]) / (axis[k + 1] - axis[k])
    return k, upper


@dataclass(frozen=True, eq=False)
class StateGrid:
    """The grid points of the two stocks.

    Parameters
    ----------
    legitimacy : array_like
        Moral legitimacy levels, increasing, non-negative.
    trust : array_like
        Trust levels, increasing, in [0, 1].

    Examples
    --------
    >>> grid = StateGrid.even(3.0, 4, 3)
    >>> grid.legitimacy.tolist(), grid.trust.tolist(), grid.size
    ([0.0, 1.0, 2.0, 3.0], [0.0, 0.5, 1.0], 12)
    >>> grid.nearest(1.2, 0.9)
    (1, 2)
    """

    legitimacy: Any
    trust: Any

    def __post_init__(self) -> None:
        object.__setattr__(self, "legitimacy", _axis(self.legitimacy, "legitimacy", 0.0, np.inf))
        object.__setattr__(self, "trust", _axis(self.trust, "trust", 0.0, 1.0))

    @classmethod
    def even(cls, max_legitimacy: float, legitimacy_points: int, trust_points: int) -> StateGrid:
        """Evenly spaced points: legitimacy from 0 to ``max_legitimacy``, trust from 0
        to 1."""
        return cls(
            np.linspace(0.0, max_legitimacy, legitimacy_points),
            np.linspace(0.0, 1.0, trust_points),
        )

    @property
    def shape(self) -> tuple[int, int]:
        """(legitimacy points, trust points)."""
        return (self.legitimacy.size, self.trust.size)

    @property
    def size(self) -> int:
        """The number of grid points."""
        return int(self.legitimacy.size * self.trust.size)

    def nearest(self, legitimacy: float, trust: float) -> tuple[int, int]:
        """The indices of the grid point nearest to the given stocks."""
        return (
            int(np.argmin(np.abs(self.legitimacy - legitimacy))),
            int(np.argmin(np.abs(self.trust - trust))),
        )
