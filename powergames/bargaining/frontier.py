"""Bargaining problems under a smooth frontier ``u2 = f(u1)``, concave and
non-increasing."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import NDArray

from powergames._validate import pair, real, short
from powergames.bargaining.problem import (
    ROOT_TOL,
    TOL,
    BargainingProblem,
    Frontier,
    binary_unit,
    check_affine_map,
)
from powergames.errors import InvalidParameterError

__all__ = ["FrontierProblem", "frontier_problem"]

FloatArray = NDArray[np.float64]


def frontier_problem(
    f: Frontier | sp.Expr, domain: tuple[float, float], disagreement: Any = (0, 0)
) -> BargainingProblem:
    """:meth:`BargainingProblem.from_frontier`: a :class:`FrontierProblem`, or for a
    sympy expression linear in its symbol a linear problem (closed forms) when the
    domain holds the whole frontier above d, else the segment as a polygon.

    Examples
    --------
    >>> u1 = sp.Symbol("u1")
    >>> frontier_problem(3 - u1 / 2, (0, 10)).kind, frontier_problem(3 - u1 / 2, (0, 2)).kind
    ('linear', 'polygon')
    """
    low, high = _domain(domain)
    if not isinstance(f, sp.Basic):
        if not callable(f):
            raise InvalidParameterError(
                f"f must be a callable or a sympy expression, got {short(f)}"
            )
        return FrontierProblem(f, (low, high), disagreement)
    symbols = sorted(f.free_symbols, key=str)
    if len(symbols) > 1:
        raise InvalidParameterError(f"f must be an expression in one symbol, got {f}")
    u1 = symbols[0] if symbols else sp.Symbol("u1")
    polynomial = f.as_poly(u1) if symbols else None
    if symbols and (polynomial is None or polynomial.degree() > 1):
        function = sp.lambdify(u1, f, "math")
        derivative = sp.lambdify(u1, f.diff(u1), "math")
        return FrontierProblem(function, (low, high), disagreement, derivative=derivative)
    intercept, slope = sp.sympify(f.subs(u1, 0)), -f.diff(u1)
    first, second = pair(disagreement, "disagreement")
    d = (real(first, "disagreement[0]", array=False), real(second, "disagreement[1]", array=False))
    c, k = float(intercept), float(slope)
    if k > 0 and low <= d[0] and high >= (c - d[1]) / k:
        return BargainingProblem.linear(intercept, slope, (first, second))
    return BargainingProblem.from_points([(low, c - k * low), (high, c - k * high)], d)


class FrontierProblem(BargainingProblem):
    """The set under a concave, non-increasing frontier ``u2 = f(u1)`` for ``u1`` in a
    domain, with free disposal, and a disagreement point. Built by
    :meth:`BargainingProblem.from_frontier`.

    Parameters
    ----------
    f : callable
        Player 2's largest utility given player 1's.
    domain : (low, high)
    disagreement : pair of numbers
    derivative : callable, optional
        ``f'``, exact (from sympy); a finite difference otherwise.

    Examples
    --------
    >>> problem = FrontierProblem(lambda x: 1 - x * x, (0, 1), (0, 0))
    >>> problem.domain, problem.kind, round(problem.derivative(0.5), 9)
    ((0.0, 1.0), 'frontier', -1.0)
    """

    kind = "frontier"

    def __init__(
        self,
        f: Frontier,
        domain: tuple[float, float],
        disagreement: Any = (0, 0),
        *,
        derivative: Frontier | None = None,
    ) -> None:
        low, high = _domain(domain)
        first, second = pair(disagreement, "disagreement")
        d = (
            real(first, "disagreement[0]", array=False),
            real(second, "disagreement[1]", array=False),
        )
        super().__init__(d)
        self._f, self._df, self._domain = f, derivative, (low, high)
        self._magnitude = check_frontier(f, low, high)
        self.check_disagreement()

    @property
    def domain(self) -> tuple[float, float]:
        """The interval of player 1's utilities on which the frontier is defined."""
        return self._domain

    def _magnitudes(self) -> tuple[float, float]:
        low, high = self._domain
        d1, d2 = self._d
        return binary_unit(max(abs(low), abs(high), abs(d1))), binary_unit(
            max(self._magnitude, abs(d2))
        )

    def _in_units(self, unit1: Any, unit2: Any) -> FrontierProblem:
        f, df = self._f, self._df
        low, high = self._domain

        def frontier(v: float) -> float:
            return float(f(v * unit1)) / float(unit2)

        def slope(v: float) -> float:
            assert df is not None
            return float(df(v * unit1)) * float(unit1 / unit2)

        problem = FrontierProblem.__new__(FrontierProblem)
        BargainingProblem.__init__(problem, (self._d[0] / unit1, self._d[1] / unit2))
        problem._f, problem._df = frontier, None if df is None else slope
        problem._domain = (low / unit1, high / unit1)
        problem._magnitude = self._magnitude / unit2
        problem._own_units()
        return problem

    def upper_boundary(self, u1: float) -> float:
        low, high = self._domain
        if u1 > high + TOL * (high - low):
            return -math.inf
        return float(self._f(min(max(u1, low), high)))

    def derivative(self, u1: float) -> float:
        """``f'(u1)`` (``u1`` clipped to the domain): exact for a sympy frontier, else a
        five-point central difference (error of order h^4, h about eps^(1/5) of the
        domain), or near an end of the domain a three-point one-sided difference
        pointing inwards (error of order h^2)."""
        low, high = self._domain
        u1 = min(max(u1, low), high)
        if self._df is not None:
            return float(self._df(u1))
        f = self._f
        h = 7e-4 * (high - low)
        if low <= u1 - 2 * h and u1 + 2 * h <= high:
            return float((f(u1 - 2 * h) - 8 * f(u1 - h) + 8 * f(u1 + h) - f(u1 + 2 * h)) / (12 * h))
        h = 1e-5 * (high - low)
        if u1 - low < high - u1:
            return float((-3 * f(u1) + 4 * f(u1 + h) - f(u1 + 2 * h)) / (2 * h))
        return float((3 * f(u1) - 4 * f(u1 - h) + f(u1 - 2 * h)) / (2 * h))

    def largest_step(self, origin: Any, direction: Any) -> float:
        o1, o2 = (float(v) for v in origin)
        e1, e2 = self.step_direction(direction)
        low, high = self._domain
        if o1 > high:
            return -math.inf
        gap = self.upper_boundary(o1) - o2
        if e1 == 0 or gap <= 0:
            return gap / e2 if e2 > 0 else (0.0 if gap == 0 else -math.inf)
        # The ray leaves S before u1 passes the domain, and (f not increasing) before u2
        # passes f(o1).
        t_max = (high - o1) / e1
        if e2 > 0:
            t_max = min(t_max, gap / e2)

        def room(t: float) -> float:
            return float(self._f(min(max(o1 + t * e1, low), high))) - (o2 + t * e2)

        if room(t_max) >= 0:
            return t_max
        # t to rounding precision in each coordinate: t e_i to ROOT_TOL of player i's scale.
        s1, s2 = self.scale
        xtol = ROOT_TOL * min(s1 / e1, s2 / e2 if e2 > 0 else math.inf)
        from scipy.optimize import brentq  # slow to import: only when solving

        return float(brentq(room, 0.0, t_max, xtol=xtol, rtol=4 * np.finfo(float).eps))

    def pareto_frontier(self, num: int = 101) -> FloatArray:
        d1 = self._d[0]
        u1_max = float(self.ideal_point()[0])
        u1 = np.linspace(max(d1, self._domain[0]), u1_max, num)
        return np.column_stack([u1, [self.upper_boundary(x) for x in u1]])

    def affine(self, scale: Sequence[float], shift: Sequence[float]) -> FrontierProblem:
        (a1, a2), (b1, b2) = check_affine_map(scale, shift)
        d = (a1 * self._d[0] + b1, a2 * self._d[1] + b2)
        low, high = self._domain
        f = self._f

        def moved(x: float) -> float:
            return a2 * f((x - b1) / a1) + b2

        return FrontierProblem(moved, (a1 * low + b1, a1 * high + b1), d)

    def __repr__(self) -> str:
        return (
            f"BargainingProblem.from_frontier({self._f!r}, {self._domain}, disagreement={self._d})"
        )


def _domain(domain: Any) -> tuple[float, float]:
    first, second = pair(domain, "domain")
    low: float = real(first, "domain[0]", array=False)
    high: float = real(second, "domain[1]", array=False)
    if not low < high:
        raise InvalidParameterError(
            f"domain must be an interval (low, high) with low < high, got {short(domain)}"
        )
    return low, high


def check_frontier(f: Frontier, low: float, high: float, samples: int = 65) -> float:
    """Check ``f`` on a grid: finite, non-increasing, concave, each up to rounding.
    Returns the largest magnitude of its values.

    Examples
    --------
    >>> check_frontier(lambda x: 2 - x, 0.0, 1.0)
    2.0
    """
    x = np.linspace(low, high, samples)
    try:
        y = np.array([float(f(float(v))) for v in x])
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError) as exc:
        raise InvalidParameterError(f"f must return real numbers on the domain: {exc}") from None
    if not np.isfinite(y).all():
        raise InvalidParameterError("f must be finite on the domain")
    # Tolerances relative to the magnitude of player 2's utilities.
    magnitude = float(np.abs(y).max())
    if np.any(np.diff(y) > 1e-9 * magnitude):
        raise InvalidParameterError("f must be non-increasing on the domain (a Pareto frontier)")
    if np.any(np.diff(y, 2) > 1e-7 * magnitude):
        raise InvalidParameterError("f must be concave on the domain (a convex feasible set)")
    return magnitude
