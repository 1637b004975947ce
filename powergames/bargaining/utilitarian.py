"""The utilitarian bargaining solution: the largest sum of utilities."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from powergames.bargaining.agreement import Agreement
from powergames.bargaining.egalitarian import egalitarian
from powergames.bargaining.problem import BargainingProblem, _clip_chain, _is_symbolic

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
    d1, d2 = problem.disagreement
    payoffs: tuple[Any, Any]
    if problem.kind == "linear":
        payoffs = _linear(problem)
    elif problem.kind == "polygon":
        payoffs = _polygon(problem)
    else:
        payoffs = _frontier(problem)
    return Agreement(payoffs, "utilitarian", {}, (d1, d2))


def _linear(problem: BargainingProblem) -> tuple[Any, Any]:
    d1, d2 = problem.disagreement
    k = problem.slope
    i1, i2 = problem.ideal_point()
    e1, e2 = egalitarian(problem).payoffs
    # slope < 1: transferring to player 1 raises the sum; > 1: to player 2.
    if _is_symbolic(k, d1, d2, i1, i2):
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


def _polygon(problem: BargainingProblem) -> tuple[float, float]:
    d1, d2 = problem.disagreement
    chain = _clip_chain(problem._vertices, d1, d2)
    sums = chain.sum(axis=1)
    best = np.flatnonzero(sums >= sums.max() - 1e-12 * problem._scale)
    first, last = chain[best[0]], chain[best[-1]]
    # Ties lie on one edge (the chain is strictly concave): take its most equal point.
    if best[-1] > best[0]:
        (x1, y1), (x2, y2) = first, last
        s = ((y1 - d2) - (x1 - d1)) / ((x2 - x1) - (y2 - y1))
        s = min(max(s, 0.0), 1.0)
        return float(x1 + s * (x2 - x1)), float(y1 + s * (y2 - y1))
    return float(first[0]), float(first[1])


def _frontier(problem: BargainingProblem) -> tuple[float, float]:
    from scipy.optimize import brentq

    from powergames.bargaining.nash import frontier_derivative

    d1 = problem.disagreement[0]
    u1_min = max(d1, problem._domain[0])
    u1_max = float(problem.ideal_point()[0])

    def marginal(u1: float) -> float:  # d/du1 of u1 + f(u1), decreasing
        return 1.0 + frontier_derivative(problem, u1)

    if marginal(u1_min) <= 0:
        u1 = u1_min
    elif marginal(u1_max) >= 0:
        u1 = u1_max
    else:
        u1 = float(brentq(marginal, u1_min, u1_max, xtol=1e-15 * problem._scale, rtol=1e-15))
    return u1, problem.upper_boundary(u1)
