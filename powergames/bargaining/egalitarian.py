"""The egalitarian and proportional bargaining solutions (Kalai 1977)."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from powergames.bargaining.agreement import Agreement
from powergames.bargaining.problem import BargainingProblem, _is_symbolic
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
    try:
        e1, e2 = direction
    except (TypeError, ValueError):
        raise InvalidParameterError(f"direction must be a pair, got {direction!r}") from None
    if not _is_symbolic(e1, e2):
        try:
            a1, a2 = np.asarray(e1, dtype=np.float64), np.asarray(e2, dtype=np.float64)
        except (TypeError, ValueError):
            raise InvalidParameterError(f"direction must be numbers, got {direction!r}") from None
        if not np.all((a1 >= 0) & (a2 >= 0) & (a1 + a2 > 0) & np.isfinite(a1 + a2)):
            raise InvalidParameterError(
                f"direction must be non-negative and non-zero, got {direction!r}"
            )
    d1, d2 = problem.disagreement
    t = problem.largest_step((d1, d2), (e1, e2))
    payoffs = (d1 + t * e1, d2 + t * e2)
    if _is_symbolic(*payoffs):
        payoffs = (sp.simplify(payoffs[0]), sp.simplify(payoffs[1]))
    elif isinstance(payoffs[0], np.ndarray) and payoffs[0].ndim == 0:
        payoffs = (float(payoffs[0]), float(payoffs[1]))
    return Agreement(payoffs, "proportional", {"direction": (e1, e2)}, (d1, d2))


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
