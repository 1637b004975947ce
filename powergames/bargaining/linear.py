"""Bargaining problems with a linear frontier: utility transferable at a fixed rate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames._validate import is_symbolic, pair, real, same_kind
from powergames.bargaining.problem import BargainingProblem, binary_unit, check_affine_map
from powergames.errors import InfeasibleProblemError, InvalidParameterError

__all__ = ["LinearProblem"]

FloatArray = NDArray[np.float64]


class LinearProblem(BargainingProblem):
    """The problem under the line ``u2 = intercept - slope * u1`` (``slope > 0``), from
    the disagreement point d: transferable utility when ``slope == 1``.

    Built by :meth:`BargainingProblem.linear` and :meth:`BargainingProblem.transferable`.
    Numbers, numpy arrays (which broadcast: one problem per element) or sympy
    expressions; the solutions are then in closed form, elementwise or symbolic.

    Examples
    --------
    >>> problem = LinearProblem(4, 2, (0, 0))
    >>> problem.surplus, problem.slope, problem.kind
    (4.0, 2.0, 'linear')
    """

    kind = "linear"

    def __init__(self, intercept: Any, slope: Any, disagreement: Any = (0, 0)) -> None:
        first, second = pair(disagreement, "disagreement")
        given = {
            "intercept": intercept,
            "slope": slope,
            "disagreement[0]": first,
            "disagreement[1]": second,
        }
        same_kind(given, "a linear bargaining problem")
        symbolic = is_symbolic(*given.values())
        values = {name: _checked(value, name, symbolic) for name, value in given.items()}
        c, k = values["intercept"], values["slope"]
        d = (values["disagreement[0]"], values["disagreement[1]"])
        if not is_symbolic(k) and not np.all(np.asarray(k) > 0):
            raise InvalidParameterError(
                f"slope must be positive{_first_failure(np.asarray(k) > 0)}, got {k}"
            )
        if not symbolic:
            gap = np.asarray(c - d[1] - k * d[0])
            if not np.all(gap > 0):
                raise InfeasibleProblemError(
                    "no feasible point is better than the disagreement point for both players: "
                    f"intercept - d2 - slope * d1 = {gap} must be positive{_first_failure(gap > 0)}"
                )
        super().__init__(d)
        self._c, self._k = c, k

    @classmethod
    def _scaled(cls, c: Any, k: Any, d: tuple[Any, Any]) -> LinearProblem:
        """A problem already checked, in other units (:meth:`normalised`)."""
        problem = cls.__new__(cls)
        BargainingProblem.__init__(problem, d)
        problem._c, problem._k = c, k
        problem._own_units()
        return problem

    @property
    def intercept(self) -> Any:
        """Player 2's utility when player 1 gets 0: ``u2 = intercept - slope * u1``."""
        return self._c

    @property
    def slope(self) -> Any:
        """The rate at which player 2's utility falls per unit of player 1's."""
        return self._k

    @property
    def surplus(self) -> Any:
        """``intercept - d2 - slope * d1``: the most player 2 can gain over d (and
        ``surplus / slope`` player 1). For transferable utility, the surplus net of
        the disagreement payoffs."""
        return self._c - self._d[1] - self._k * self._d[0]

    def _magnitudes(self) -> tuple[Any, Any]:
        if is_symbolic(self._c, self._k, *self._d):
            return 1, 1
        c, k, (d1, d2) = self._c, self._k, self._d
        # |u1| <= max(|d1|, |c| / k, |d2| / k) and |u2| <= max(|d2|, |c|, k |d1|); a bound
        # that overflows gives the largest unit (the problem's ideal point overflows).
        with np.errstate(over="ignore"):
            first = np.maximum(np.abs(d1), np.maximum(np.abs(c), np.abs(d2)) / k)
            second = np.maximum(np.maximum(np.abs(d2), np.abs(c)), k * np.abs(d1))
        return binary_unit(first), binary_unit(second)

    def _choose_units(self) -> tuple[Any, Any]:
        if is_symbolic(self._c, self._k, *self._d):
            return 1, 1
        # Arrays of problems far from the limits of floating point (the common case)
        # need no elementwise units: the closed forms' intermediate values (k d1,
        # G / k, ...) stay within 2^±400.
        big = 2.0**200
        values = (self._c, *self._d)
        if all(-big <= np.min(v) and np.max(v) <= big for v in values) and (
            1 / big <= np.min(self._k) and np.max(self._k) <= big
        ):
            return 1.0, 1.0
        return super()._choose_units()

    def _in_units(self, unit1: Any, unit2: Any) -> LinearProblem:
        d1, d2 = self._d
        return LinearProblem._scaled(
            self._c / unit2, self._k * (unit1 / unit2), (d1 / unit1, d2 / unit2)
        )

    def upper_boundary(self, u1: float) -> float:
        return float(self._c - self._k * u1)

    def largest_step(self, origin: Any, direction: Any) -> Any:
        o1, o2 = origin
        e1, e2 = direction
        return (self._c - o2 - self._k * o1) / (e2 + self._k * e1)

    def ideal_point(self) -> tuple[Any, Any]:
        inner = self.normalised()
        assert isinstance(inner, LinearProblem)
        return self.denormalise(inner._ideal())

    def _ideal(self) -> tuple[Any, Any]:
        d1, d2 = self._d
        return (self._c - d2) / self._k, self._c - self._k * d1

    def pareto_frontier(self, num: int = 101) -> FloatArray:
        d1, d2 = (float(np.asarray(v)) for v in self._d)
        u1_max = float(np.asarray(self.ideal_point()[0]))
        return np.array([[d1, self.upper_boundary(d1)], [u1_max, d2]])

    def affine(self, scale: Sequence[float], shift: Sequence[float]) -> LinearProblem:
        (a1, a2), (b1, b2) = check_affine_map(scale, shift)
        d = (a1 * self._d[0] + b1, a2 * self._d[1] + b2)
        k = a2 * self._k / a1
        return LinearProblem(a2 * self._c + b2 + k * b1, k, d)

    def __repr__(self) -> str:
        return (
            f"BargainingProblem.linear(intercept={self._c}, slope={self._k}, "
            f"disagreement={self._d})"
        )


def _checked(value: Any, name: str, symbolic: bool) -> Any:
    """A finite real number, array or sympy expression; integers stay exact in a
    symbolic problem (``c / (2 * k)``, not ``0.5 * c / k``)."""
    checked = real(value, name, symbolic=True)
    if symbolic and isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    return checked


def _first_failure(condition: Any) -> str:
    """Where a numeric (array) condition fails, for error messages."""
    array = np.asarray(condition)
    if array.ndim == 0:
        return ""
    return f" at index {tuple(int(i) for i in np.argwhere(~array)[0])}"
