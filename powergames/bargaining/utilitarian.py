"""The utilitarian bargaining solution: the largest sum of utilities."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp

from powergames._validate import is_symbolic
from powergames.bargaining.agreement import Agreement
from powergames.bargaining.egalitarian import egalitarian
from powergames.bargaining.frontier import FrontierProblem
from powergames.bargaining.linear import LinearProblem
from powergames.bargaining.polygon import PolygonProblem
from powergames.bargaining.problem import ROOT_TOL, TOL, BargainingProblem

__all__ = ["utilitarian"]


def utilitarian(problem: BargainingProblem) -> Agreement:
    """A point of S that dominates d and maximises ``u1 + u2``.

    When several points tie (a frontier segment of slope -1, as under transferable
    utility) the one with the most equal gains over d is chosen, so that the solution
    is a single point; with transferable utility it is then the egalitarian point.

    Computed in closed form for linear problems (symbolic for sympy input), over the
    vertices for polygons, and by Brent's method on ``u1 + f(u1)`` for smooth
    frontiers.

    Returns
    -------
    Agreement
        ``solution == "utilitarian"``.

    References
    ----------
    Thomson, W. (1994). Cooperative models of bargaining. In Aumann & Hart (eds.),
    Handbook of Game Theory with Economic Applications, vol. 2, chapter 35.

    Examples
    --------
    >>> utilitarian(BargainingProblem.from_points([(0, 3), (2, 2), (3, 0)])).payoffs
    (2.0, 2.0)
    >>> utilitarian(BargainingProblem.linear(4, 2)).payoffs   # u2 = 4 - 2 u1: all to 2
    (0.0, 4.0)
    """
    # In the units of problem.normalised() (powers of two) the sum u1 + u2 is the
    # weighted sum a1 v1 + a2 v2, a the units.
    payoffs: tuple[Any, Any]
    if isinstance(problem, LinearProblem):
        payoffs = _linear(problem)
    else:
        inner = problem.normalised()
        a1, a2 = problem.units
        weights = (1.0, a2 / a1) if a1 >= a2 else (a1 / a2, 1.0)
        if isinstance(inner, PolygonProblem):
            payoffs = problem.denormalise(_polygon(inner, weights))
        elif isinstance(inner, FrontierProblem):
            payoffs = problem.denormalise(_frontier(inner, weights))
        else:  # pragma: no cover - every kind of problem is above
            raise TypeError(f"no utilitarian solution for {type(problem).__name__}")
    return Agreement(payoffs, "utilitarian", {}, problem.disagreement)


def _linear(problem: LinearProblem) -> tuple[Any, Any]:
    """A corner, by the slope; the egalitarian point on a frontier of slope -1."""
    d1, d2 = problem.disagreement
    k = problem.slope
    i1, i2 = problem.ideal_point()
    e1, e2 = egalitarian(problem).payoffs
    # slope < 1: transferring to player 1 raises the sum; > 1: to player 2.
    if is_symbolic(k, d1, d2, i1, i2):
        return (
            sp.Piecewise((i1, k < 1), (d1, k > 1), (e1, True)),
            sp.Piecewise((d2, k < 1), (i2, k > 1), (e2, True)),
        )
    k = np.asarray(k)
    u1 = np.where(k < 1, i1, np.where(k > 1, d1, e1))
    u2 = np.where(k < 1, d2, np.where(k > 1, i2, e2))
    if u1.ndim == 0:
        return float(u1), float(u2)
    return u1, u2


def _polygon(problem: PolygonProblem, weights: tuple[float, float]) -> tuple[float, float]:
    """The best vertex of the frontier for ``w1 u1 + w2 u2``."""
    w1, w2 = weights
    s1, s2 = problem.scale
    d1, d2 = problem.disagreement
    chain = problem.pareto_frontier()
    sums = chain @ (w1, w2)
    best = np.flatnonzero(sums >= sums.max() - 1e-12 * (w1 * s1 + w2 * s2))
    first, last = chain[best[0]], chain[best[-1]]
    # Ties lie on one edge (the chain is strictly concave): take its point of equal
    # gains w1 (u1 - d1) = w2 (u2 - d2), in the original units.
    if best[-1] > best[0]:
        (x1, y1), (x2, y2) = first, last
        s = (w2 * (y1 - d2) - w1 * (x1 - d1)) / (w1 * (x2 - x1) - w2 * (y2 - y1))
        s = min(max(s, 0.0), 1.0)
        return float(x1 + s * (x2 - x1)), float(y1 + s * (y2 - y1))
    return float(first[0]), float(first[1])


def _frontier(problem: FrontierProblem, weights: tuple[float, float]) -> tuple[float, float]:
    """Brent's method on the derivative of ``w1 u1 + w2 f(u1)``; on a segment of the
    frontier where that derivative vanishes (every point ties), the point of equal
    gains ``w1 (u1 - d1) = w2 (u2 - d2)`` within it."""
    w1, w2 = weights
    d1, d2 = problem.disagreement
    u1_min = max(d1, problem.domain[0])
    u1_max = float(problem.ideal_point()[0])
    unit = problem.scale[0]

    def marginal(u1: float) -> float:  # decreasing: f is concave
        return w1 + w2 * problem.derivative(u1)

    def flat(u1: float) -> bool:  # the derivative is zero up to rounding of its terms
        slope = problem.derivative(u1)
        return abs(w1 + w2 * slope) <= TOL * (w1 + w2 * abs(slope))

    u1 = _root(marginal, u1_min, u1_max, unit)
    step = 1e-6 * (u1_max - u1_min)
    if flat(max(u1 - step, u1_min)) and flat(min(u1 + step, u1_max)):

        def bound(x: float) -> float:  # the derivative's zero, up to rounding
            return TOL * (w1 + w2 * abs(problem.derivative(x)))

        low = _root(lambda x: marginal(x) - bound(x), u1_min, u1_max, unit)
        high = _root(lambda x: marginal(x) + bound(x), u1_min, u1_max, unit)

        def shortfall(x: float) -> float:  # decreasing: player 1's gain falls short
            return float(w2 * (problem.upper_boundary(x) - d2) - w1 * (x - d1))

        u1 = _root(shortfall, low, high, unit)
    return u1, problem.upper_boundary(u1)


def _root(g: Callable[[float], float], low: float, high: float, unit: float) -> float:
    """Where the decreasing function ``g`` changes sign in ``[low, high]`` (an end if
    it does not), by Brent's method."""
    if g(low) <= 0:
        return low
    if g(high) >= 0:
        return high
    from scipy.optimize import brentq  # slow to import: only when solving

    return float(brentq(g, low, high, xtol=ROOT_TOL * unit, rtol=1e-15))
