"""The Kalai-Smorodinsky bargaining solution (Kalai & Smorodinsky 1975)."""

from __future__ import annotations

import sympy as sp

from powergames._validate import is_symbolic
from powergames.bargaining.agreement import Agreement
from powergames.bargaining.problem import BargainingProblem

__all__ = ["kalai_smorodinsky"]


def kalai_smorodinsky(problem: BargainingProblem) -> Agreement:
    """The point of the Pareto frontier on the segment from d to the ideal point.

    Each player gets the same fraction of what it could at most hope for (its ideal
    payoff) over its disagreement payoff. It replaces Nash's independence of
    irrelevant alternatives by individual monotonicity: enlarging the set in a way
    that leaves player 2's ideal unchanged never hurts player 1.

    Parameters
    ----------
    problem : BargainingProblem

    Returns
    -------
    Agreement
        Payoffs in player order; ``solution == "kalai-smorodinsky"``.

    References
    ----------
    Kalai, E. and Smorodinsky, M. (1975). Other solutions to Nash's bargaining problem.
    Econometrica 43(3), 513-518.

    Examples
    --------
    >>> kalai_smorodinsky(BargainingProblem.transferable(1, (0.25, 0.25))).payoffs
    (0.5, 0.5)
    """
    inner = problem.normalised()  # the solution is invariant under rescaling each player
    d1, d2 = inner.disagreement
    i1, i2 = inner.ideal_point()
    t = inner.largest_step((d1, d2), (i1 - d1, i2 - d2))
    payoffs = (d1 + t * (i1 - d1), d2 + t * (i2 - d2))
    if is_symbolic(*payoffs):
        payoffs = (sp.simplify(payoffs[0]), sp.simplify(payoffs[1]))
    return Agreement(
        problem.denormalise(payoffs),
        "kalai-smorodinsky",
        {"ideal_point": problem.denormalise((i1, i2))},
        problem.disagreement,
    )
