"""The generalised Nash bargaining solution (Nash 1950; Kalai 1977)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import sympy as sp

from powergames._validate import is_symbolic, pair, real, short
from powergames.bargaining.agreement import Agreement
from powergames.bargaining.frontier import FrontierProblem
from powergames.bargaining.linear import LinearProblem
from powergames.bargaining.polygon import PolygonProblem
from powergames.bargaining.problem import ROOT_TOL, BargainingProblem
from powergames.errors import InvalidParameterError

__all__ = ["nash"]


def check_weights(weights: Any) -> tuple[Any, Any]:
    """Validate bargaining weights: a pair of numbers (or arrays, or sympy expressions)
    in [0, 1] that sum to 1.

    Examples
    --------
    >>> check_weights((0.25, 0.75))
    (0.25, 0.75)
    """
    w1, w2 = pair(weights, "weights")
    if is_symbolic(w1, w2):
        return w1, w2
    a1 = real(w1, "weights[0]", low=0.0, high=1.0)
    a2 = real(w2, "weights[1]", low=0.0, high=1.0)
    if not np.all(np.abs(np.asarray(a1) + np.asarray(a2) - 1) <= 1e-12):
        raise InvalidParameterError(f"weights must sum to 1, got {short(weights)}")
    return a1, a2


def exact(value: Any) -> Any:
    """A float weight as the rational number its shortest decimal form denotes (0.1 ->
    1/10), for exact symbolic answers; other values unchanged."""
    return sp.Rational(repr(value)) if isinstance(value, float) else value


def nash(problem: BargainingProblem, weights: Any = (0.5, 0.5)) -> Agreement:
    """The generalised Nash bargaining solution: the point of S that maximises
    ``(u1 - d1)^w1 (u2 - d2)^w2`` over the points that dominate d.

    With equal weights it is the unique solution satisfying Pareto optimality,
    symmetry, invariance under positive affine transformations and independence of
    irrelevant alternatives (Nash 1950); unequal weights drop symmetry (Kalai 1977).
    ``w1 = 1`` gives player 1 its ideal payoff and player 2 its disagreement payoff.

    Computed:

    1. for linear problems (transferable utility included), in closed form: player 1
       gains ``w1 * G / slope`` and player 2 gains ``w2 * G``, where
       ``G = intercept - d2 - slope * d1``, vectorised over arrays and symbolic for
       sympy input;
    2. for polygons, on each edge of the Pareto frontier by the closed-form maximiser
       of the concave objective along the edge, then the best edge;
    3. for smooth frontiers, by maximising the concave function
       ``w1 log(u1 - d1) + w2 log(f(u1) - d2)`` (bounded Brent, scipy).

    Parameters
    ----------
    problem : BargainingProblem
    weights : pair, default (1/2, 1/2)
        Bargaining powers ``(w1, w2)``: non-negative, summing to 1. Arrays broadcast
        (linear and polygon problems); sympy expressions give sympy output (linear).

    Returns
    -------
    Agreement
        ``solution == "nash"``; ``parameters["weights"]``.

    References
    ----------
    Nash, J. F. (1950). The bargaining problem. Econometrica 18(2), 155-162.
    Kalai, E. (1977). Nonsymmetric Nash solutions and replications of 2-person
    bargaining. International Journal of Game Theory 6(3), 129-133.

    Examples
    --------
    >>> nash(BargainingProblem.transferable(1, (0.2, 0.1))).payoffs
    (0.55, 0.45)
    >>> import sympy as sp
    >>> u1 = sp.Symbol("u1")
    >>> problem = BargainingProblem.from_frontier(2 * (1 - u1**2), (0, 1))
    >>> [round(v, 9) for v in nash(problem).payoffs]
    [0.577350269, 1.333333333]
    """
    w1, w2 = check_weights(weights)
    inner = problem.normalised()
    payoffs: tuple[Any, Any]
    if isinstance(inner, LinearProblem):
        payoffs = _linear(inner, w1, w2)
    elif isinstance(inner, PolygonProblem):
        payoffs = _polygon(inner, w1, w2)
    elif isinstance(inner, FrontierProblem):
        payoffs = _frontier(inner, w1, w2)
    else:  # pragma: no cover - every kind of problem is above
        raise TypeError(f"no Nash solution for {type(problem).__name__}")
    weights_used = (w1, w2)
    if is_symbolic(*payoffs) and not is_symbolic(w1, w2):  # the weights the answer used
        weights_used = (exact(w1), exact(w2))
    return Agreement(
        problem.denormalise(payoffs), "nash", {"weights": weights_used}, problem.disagreement
    )


def _linear(problem: LinearProblem, w1: Any, w2: Any) -> tuple[Any, Any]:
    """Player 1 gains ``w1 * G / slope`` and player 2 ``w2 * G``."""
    d1, d2 = problem.disagreement
    G, k = problem.surplus, problem.slope
    if is_symbolic(G, k) and not is_symbolic(w1, w2):
        w1, w2 = exact(w1), exact(w2)  # keep symbolic answers exact
    payoffs: tuple[Any, Any] = (d1 + w1 * G / k, d2 + w2 * G)
    if is_symbolic(*payoffs):
        payoffs = (sp.simplify(payoffs[0]), sp.simplify(payoffs[1]))
    return payoffs


def _polygon(problem: PolygonProblem, w1: Any, w2: Any) -> tuple[Any, Any]:
    """Maximise along each edge of the Pareto frontier above d, for every weight at once."""
    d1, d2 = problem.disagreement
    chain = problem.pareto_frontier()
    a = np.asarray(w1, dtype=np.float64)[..., None]  # weights broadcast against edges
    if len(chain) == 1:
        u = np.broadcast_to(chain[0], (*a.shape[:-1], 2))
    else:
        P, Q = chain[:-1], chain[1:]
        D1, D2 = Q[:, 0] - P[:, 0], Q[:, 1] - P[:, 1]  # D1 > 0 > D2
        g1, g2 = P[:, 0] - d1, P[:, 1] - d2  # gains at P
        # d/ds [a log(g1 + s D1) + (1 - a) log(g2 + s D2)] = 0. An edge of zero length
        # (clipping at d can leave one) gives 0/0: any s is its one point.
        with np.errstate(divide="ignore", invalid="ignore"):
            s = -(a * D1 * g2 + (1 - a) * D2 * g1) / (D1 * D2)
        s = np.clip(np.where(np.isnan(s), 0.0, s), 0.0, 1.0)
        G1, G2 = g1 + s * D1, g2 + s * D2
        # With a > 0 the maximiser of an edge has G1 > 0 (the objective's slope is +inf
        # where G1 = 0), and likewise G2 > 0 with a < 1; a gain of 0 there is underflow
        # (a weight of 5e-324 makes s round to 0), not a Nash product of 0. Its log is
        # taken at the smallest positive double, which moves the point by less than that.
        tiny = np.finfo(np.float64).smallest_subnormal
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(a > 0, a * np.log(np.maximum(G1, tiny)), 0.0) + np.where(
                a < 1, (1 - a) * np.log(np.maximum(G2, tiny)), 0.0
            )
        value = np.where(np.isnan(value), -np.inf, value)
        best = value.argmax(axis=-1)
        index = np.arange(best.size).reshape(best.shape)
        u = np.stack(
            [
                d1 + G1[index, best] if G1.ndim > 1 else d1 + G1[best],
                d2 + G2[index, best] if G2.ndim > 1 else d2 + G2[best],
            ],
            axis=-1,
        )
    if u.ndim == 1:
        return float(u[0]), float(u[1])
    return u[..., 0], u[..., 1]


def _frontier(problem: FrontierProblem, w1: Any, w2: Any) -> tuple[Any, Any]:
    """Solve the first-order condition ``w1 / (u1 - d1) + w2 f'(u1) / (f(u1) - d2) = 0``
    (its left side decreases in ``u1``: the objective is concave) with Brent's method,
    which locates the maximiser to rounding precision, unlike a direct maximisation."""
    if np.ndim(w1) > 0:
        found = [_frontier(problem, a, 1 - a) for a in np.ravel(w1)]
        shape = np.shape(w1)
        return (np.reshape([u for u, _ in found], shape), np.reshape([v for _, v in found], shape))
    d1, d2 = problem.disagreement
    u1_max = float(problem.ideal_point()[0])
    u1_min = max(d1, problem.domain[0])
    boundary = problem.upper_boundary
    if w1 == 1:
        return u1_max, boundary(u1_max)
    if w2 == 1:
        return u1_min, boundary(u1_min)

    def slope_of_objective(u1: float) -> float:
        gain2 = boundary(u1) - d2
        if gain2 <= 0:
            return -math.inf
        return float(w1 / (u1 - d1) + w2 * problem.derivative(u1) / gain2)

    if slope_of_objective(u1_max) >= 0:  # the domain ends before the objective peaks
        return u1_max, boundary(u1_max)
    unit = problem.scale[0]
    low = u1_min + 1e-12 * unit if u1_min == d1 else u1_min
    if slope_of_objective(low) <= 0:
        return low, boundary(low)
    from scipy.optimize import brentq  # slow to import: only when solving

    u1 = float(brentq(slope_of_objective, low, u1_max, xtol=ROOT_TOL * unit, rtol=1e-15))
    return u1, boundary(u1)
