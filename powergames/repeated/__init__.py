"""Repeated games with a common discount factor: minmax, critical discount factors,
and the set of subgame-perfect equilibrium payoffs."""

from powergames.repeated.abreu_sannikov import equilibrium_payoff_set
from powergames.repeated.aps import aps_payoff_set
from powergames.repeated.critical import CriticalDiscountFactor, critical_discount_factor
from powergames.repeated.feasible import feasible_set, individually_rational
from powergames.repeated.minmax import Minmax, minmax
from powergames.repeated.payoff_set import PayoffSet, convex_hull
from powergames.repeated.sustainability import (
    MinimalDiscountFactor,
    is_sustainable,
    minimal_discount_factor,
)

__all__ = [
    "CriticalDiscountFactor",
    "MinimalDiscountFactor",
    "Minmax",
    "PayoffSet",
    "aps_payoff_set",
    "convex_hull",
    "critical_discount_factor",
    "equilibrium_payoff_set",
    "feasible_set",
    "individually_rational",
    "is_sustainable",
    "minimal_discount_factor",
    "minmax",
]
