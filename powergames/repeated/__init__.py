"""Repeated games with a common discount factor: minmax, critical discount factors,
and the set of subgame-perfect equilibrium payoffs."""

from powergames.repeated.abreu_sannikov import equilibrium_payoff_set
from powergames.repeated.aps import aps_payoff_set
from powergames.repeated.payoff_set import PayoffSet, convex_hull
from powergames.repeated.sustainability import (
    MinimalDiscountFactor,
    is_sustainable,
    minimal_discount_factor,
)

__all__ = [
    "MinimalDiscountFactor",
    "PayoffSet",
    "aps_payoff_set",
    "convex_hull",
    "equilibrium_payoff_set",
    "is_sustainable",
    "minimal_discount_factor",
]
