"""The result type of every Nash equilibrium solver."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Equilibrium"]


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """A Nash equilibrium of a bimatrix game.

    Attributes
    ----------
    strategies : tuple of two 1-D float arrays
        The mixed strategies ``(sigma_row, sigma_col)``; each sums to 1.
    payoffs : tuple of two floats
        The players' expected payoffs at the profile, row player first.

    Examples
    --------
    >>> import numpy as np
    >>> eq = Equilibrium((np.array([1.0, 0.0]), np.array([0.0, 1.0])), (2.0, 3.0))
    >>> eq.supports
    ((0,), (1,))
    >>> eq.is_pure
    True
    """

    strategies: tuple[NDArray[np.float64], NDArray[np.float64]]
    payoffs: tuple[float, float]

    def __post_init__(self) -> None:
        for sigma in self.strategies:
            sigma.setflags(write=False)

    @property
    def supports(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The pure strategies each player uses with positive probability."""
        x, y = self.strategies
        return tuple(int(i) for i in np.flatnonzero(x)), tuple(int(j) for j in np.flatnonzero(y))

    @property
    def is_pure(self) -> bool:
        """Whether both players play a pure strategy."""
        rows, cols = self.supports
        return len(rows) == 1 and len(cols) == 1

    def isclose(self, other: Equilibrium, tol: float = 1e-8) -> bool:
        """Whether both strategies agree with ``other``'s within ``tol`` (maximum norm).

        Examples
        --------
        >>> import numpy as np
        >>> a = Equilibrium((np.array([0.5, 0.5]), np.array([1.0])), (0.0, 0.0))
        >>> b = Equilibrium((np.array([0.5 + 1e-12, 0.5 - 1e-12]), np.array([1.0])), (0.0, 0.0))
        >>> a.isclose(b)
        True
        """
        return all(
            s.shape == t.shape and bool(np.max(np.abs(s - t)) <= tol)
            for s, t in zip(self.strategies, other.strategies, strict=True)
        )

    def __repr__(self) -> str:
        x, y = (np.array2string(s, precision=6, separator=", ") for s in self.strategies)
        u, v = self.payoffs
        return f"Equilibrium(strategies=({x}, {y}), payoffs=({u:.6g}, {v:.6g}))"
