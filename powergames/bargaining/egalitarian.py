"""The egalitarian and proportional bargaining solutions (Kalai 1977)."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from powergames._validate import is_symbolic, pair, real, short
from powergames.bargaining.agreement import Agreement
from powergames.bargaining.problem import BargainingProblem
from powergames.errors import InvalidParameterError

__all__ = ["egalitarian", "proportional"]


def proportional(problem: BargainingProblem, direction: Any) -> Agreement:
    """The largest gains over d in the fixed proportions ``direction``: the point
    ``d + t * direction`` of S with the largest ``t``.

    Kalai (1977) characterised these solutions by Pareto optimality (weak),
    independence of irrelevant alternatives and monotonicity (enlarging S never hurts
    anyone); they are not invariant under rescaling one player's utility, which is
    why they need utilities comparable across players.

    Parameters
    ----------
    problem : BargainingProblem
    direction : pair of non-negative numbers, not both zero
        The proportions of the players' gains (arrays and sympy for linear problems).

    Returns
    -------
    Agreement
        ``solution == "proportional"``; ``parameters["direction"]``.

    References
    ----------
    Kalai, E. (1977). Proportional solutions to bargaining situations: interpersonal
    utility comparisons. Econometrica 45(7), 1623-1630.

    Examples
    --------
    >>> proportional(BargainingProblem.transferable(3), (2, 1)).payoffs
    (2.0, 1.0)
    """
    e1, e2 = pair(direction, "direction")
    if not is_symbolic(e1, e2):
        a1 = real(e1, "direction[0]", low=0.0)
        a2 = real(e2, "direction[1]", low=0.0)
        if not np.all(np.asarray(a1) + np.asarray(a2) > 0):
            raise InvalidParameterError(
                f"direction must be non-negative and non-zero, got {short(direction)}"
            )
    # In each player's units (an exact rescaling) no step or payoff can overflow; the
    # direction is rescaled with the utilities.
    inner = problem.normalised()
    d1, d2 = inner.disagreement
    f1, f2 = problem.normalise((e1, e2))
    t = inner.largest_step((d1, d2), (f1, f2))
    payoffs = problem.denormalise((d1 + t * f1, d2 + t * f2))
    if is_symbolic(*payoffs):
        payoffs = (sp.simplify(payoffs[0]), sp.simplify(payoffs[1]))
    elif isinstance(payoffs[0], np.ndarray) and payoffs[0].ndim == 0:
        payoffs = (float(payoffs[0]), float(payoffs[1]))
    return Agreement(payoffs, "proportional", {"direction": (e1, e2)}, problem.disagreement)


def egalitarian(problem: BargainingProblem) -> Agreement:
    """Equal gains over d, as large as feasible: :func:`proportional` with direction
    (1, 1).

    Examples
    --------
    >>> egalitarian(BargainingProblem.transferable(1, (0.2, 0.1))).payoffs
    (0.55, 0.45)
    """
    found = proportional(problem, (1, 1))
    return Agreement(found.payoffs, "egalitarian", {}, found.disagreement)
