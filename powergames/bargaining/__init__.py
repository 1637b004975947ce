"""Cooperative bargaining: problems (S, d), axiomatic solutions, alternating offers,
and Nash's variable-threat arbitration."""

from powergames.bargaining.agreement import Agreement
from powergames.bargaining.egalitarian import egalitarian, proportional
from powergames.bargaining.frontier import FrontierProblem
from powergames.bargaining.kalai_smorodinsky import kalai_smorodinsky
from powergames.bargaining.linear import LinearProblem
from powergames.bargaining.nash import nash
from powergames.bargaining.polygon import PolygonProblem
from powergames.bargaining.problem import BargainingProblem
from powergames.bargaining.rubinstein import rubinstein, rubinstein_limit
from powergames.bargaining.threats import nash_threats
from powergames.bargaining.utilitarian import utilitarian

__all__ = [
    "Agreement",
    "BargainingProblem",
    "FrontierProblem",
    "LinearProblem",
    "PolygonProblem",
    "egalitarian",
    "kalai_smorodinsky",
    "nash",
    "nash_threats",
    "proportional",
    "rubinstein",
    "rubinstein_limit",
    "utilitarian",
]
