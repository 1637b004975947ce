"""The result type of every bargaining solution."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames import render

__all__ = ["Agreement"]


@dataclass(frozen=True, eq=False)
class Agreement(render.Described):
    """The outcome of a bargaining solution or an arbitration scheme.

    Attributes
    ----------
    payoffs : tuple of two payoffs
        In player order. Floats for numeric input, numpy arrays when the input held
        arrays (one agreement per element, broadcast), sympy expressions for symbolic
        input.
    solution : str
        The solution's name: ``"nash"``, ``"kalai-smorodinsky"``, ``"egalitarian"``,
        ``"proportional"``, ``"utilitarian"``, ``"rubinstein"``, ``"nash-threats"``.
    parameters : mapping
        The solution's parameters (weights, direction, discount factors, ...).
    disagreement : tuple of two payoffs, optional
        The disagreement (or threat) point the agreement is measured from.
    threats : tuple of two mixed strategies, optional
        The optimal threats of a variable-threat scheme (:func:`nash_threats`).

    Examples
    --------
    >>> agreement = Agreement((0.6, 0.4), "nash", {"weights": (0.6, 0.4)}, (0.0, 0.0))
    >>> agreement.gains
    (0.6, 0.4)
    """

    payoffs: tuple[Any, Any]
    solution: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    disagreement: tuple[Any, Any] | None = None
    threats: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    @property
    def gains(self) -> tuple[Any, Any]:
        """Each player's gain over the disagreement point (the payoffs if there is none)."""
        if self.disagreement is None:
            return self.payoffs
        return (
            self.payoffs[0] - self.disagreement[0],
            self.payoffs[1] - self.disagreement[1],
        )

    def __repr__(self) -> str:
        def show(value: Any) -> str:
            return f"{value:.6g}" if isinstance(value, float) else str(value)

        u, v = self.payoffs
        return f"Agreement({self.solution}: payoffs=({show(u)}, {show(v)}))"

    def describe(self, fmt: render.Format = "text") -> str:
        """The agreement as a table (payoff, disagreement point and gain of each player)
        in plain text, Markdown or HTML, with its parameters in the caption.

        Examples
        --------
        >>> agreement = Agreement((0.6, 0.4), "nash", {"weights": (0.6, 0.4)}, (0.0, 0.0))
        >>> print(agreement.describe())
        nash agreement (weights = (0.6, 0.4))
                  payoff  disagreement  gain
        Player 1  0.6     0             0.6
        Player 2  0.4     0             0.4
        """
        columns = [("payoff", self.payoffs)]
        if self.disagreement is not None:
            columns += [("disagreement", self.disagreement), ("gain", self.gains)]
        if self.threats is not None:
            columns.append(("threat", self.threats))
        rows = [
            [f"Player {k + 1}", *(render.format_value(values[k]) for _, values in columns)]
            for k in range(2)
        ]
        given = "; ".join(
            f"{n} = {render.format_value(v)}" for n, v in self.parameters.items() if v is not None
        )
        caption = f"{self.solution} agreement" + (f" ({given})" if given else "")
        return render.render(["", *(name for name, _ in columns)], rows, fmt, caption)
