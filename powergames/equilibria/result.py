"""The result type of every Nash equilibrium solver."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames import _validate as check
from powergames.errors import InvalidParameterError
from powergames.game import StrategyLabels
from powergames.render import Described, Format, format_number, render

__all__ = ["Equilibrium"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Equilibrium(Described):
    """A Nash equilibrium of a bimatrix game.

    Unpacks into the two mixed strategies, like the tuples of nashpy:
    ``for row, column in equilibria(game)``.

    Attributes
    ----------
    strategies : tuple of two 1-D float arrays
        The mixed strategies ``(sigma_row, sigma_col)``; each sums to 1, with exact
        zeros on the strategies not played.
    payoffs : tuple of two floats
        The players' expected payoffs at the profile, row player first.
    labels : StrategyLabels, optional
        The game's names (the solvers give the game itself): they name the strategies
        in :attr:`support_names`, :meth:`describe` and the notebook display. Default
        names are ``"1", "2", ...``.

    Examples
    --------
    >>> import numpy as np
    >>> eq = Equilibrium((np.array([1.0, 0.0]), np.array([0.0, 1.0])), (2.0, 3.0))
    >>> eq.supports
    ((0,), (1,))
    >>> eq.is_pure
    True
    >>> row, column = eq
    >>> column
    array([0., 1.])
    """

    strategies: tuple[FloatArray, FloatArray]
    payoffs: tuple[float, float]
    labels: StrategyLabels | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        arrays = []
        for k, sigma in enumerate(check.pair(self.strategies, "strategies")):
            try:
                array = np.array(sigma, dtype=np.float64)
            except (TypeError, ValueError):
                array = np.empty((0, 0))
            if array.ndim != 1 or array.size == 0 or not np.isfinite(array).all():
                raise InvalidParameterError(
                    f"strategies[{k}] must be a 1-D array of probabilities, "
                    f"got {check.short(sigma)}"
                )
            array.setflags(write=False)
            arrays.append(array)
        u, v = check.pair(self.payoffs, "payoffs")
        payoffs = (_payoff(u, "payoffs[0]"), _payoff(v, "payoffs[1]"))
        object.__setattr__(self, "strategies", (arrays[0], arrays[1]))
        object.__setattr__(self, "payoffs", payoffs)
        if self.labels is not None and not isinstance(self.labels, StrategyLabels):
            raise InvalidParameterError(
                f"labels must be a Game (or StrategyLabels), got {type(self.labels).__name__}"
            )

    def __iter__(self) -> Iterator[FloatArray]:
        """``row, column = eq``: the two mixed strategies."""
        return iter(self.strategies)

    @property
    def supports(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The pure strategies each player uses with positive probability."""
        x, y = self.strategies
        return tuple(int(i) for i in np.flatnonzero(x)), tuple(int(j) for j in np.flatnonzero(y))

    @property
    def support_names(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The names of the strategies in :attr:`supports`.

        Examples
        --------
        >>> from powergames import Game, equilibria
        >>> pd = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...           strategies=(("cooperate", "defect"), ("cooperate", "defect")))
        >>> equilibria(pd)[0].support_names
        (('defect',), ('defect',))
        """
        names = self._names()
        rows, cols = self.supports
        return tuple(names[0][i] for i in rows), tuple(names[1][j] for j in cols)

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

    def describe(self, fmt: Format = "text") -> str:
        """Who plays what, with which probability, for which payoff: a table in plain
        text, Markdown or HTML (what notebooks and IPython display).

        Examples
        --------
        >>> from powergames import Game, equilibria
        >>> battle = Game([[3, 0], [0, 2]], [[2, 0], [0, 3]], players=("Ann", "Bob"),
        ...               strategies=(("opera", "match"), ("opera", "match")))
        >>> print(equilibria(battle)[1].describe())
             plays                  payoff
        Ann  0.6 opera + 0.4 match  1.2
        Bob  0.4 opera + 0.6 match  1.2
        """
        names = self._names()
        players = self.labels.players if self.labels is not None else ("Player 1", "Player 2")
        scale = max(abs(u) for u in self.payoffs)
        rows = []
        for player, sigma, labels, payoff in zip(
            players, self.strategies, names, self.payoffs, strict=True
        ):
            played = [(float(sigma[i]), labels[i]) for i in np.flatnonzero(sigma)]
            plays = (
                played[0][1]
                if len(played) == 1
                else " + ".join(f"{format_number(p)} {name}" for p, name in played)
            )
            rows.append([player, plays, format_number(payoff, scale)])
        return render(["", "plays", "payoff"], rows, fmt)

    def _names(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if self.labels is not None:
            return self.labels.strategies
        x, y = self.strategies
        return tuple(str(i + 1) for i in range(len(x))), tuple(str(j + 1) for j in range(len(y)))

    def __repr__(self) -> str:
        x, y = (np.array2string(s, precision=6, separator=", ") for s in self.strategies)
        scale = max(abs(u) for u in self.payoffs)
        u, v = (format_number(p, scale) for p in self.payoffs)
        return f"Equilibrium(strategies=({x}, {y}), payoffs=({u}, {v}))"


def _payoff(value: Any, name: str) -> float:
    """A finite payoff: the solvers' floats pass at once, anything else is checked."""
    if type(value) is float and math.isfinite(value):
        return value
    return float(check.real(value, name, array=False))
