"""Repeated games with a common discount factor: minmax, critical discount factors,
and the set of subgame-perfect equilibrium payoffs; stochastic games with transfers."""

from powergames.repeated.abreu_sannikov import equilibrium_payoff_set
from powergames.repeated.aps import aps_payoff_set
from powergames.repeated.critical import CriticalDiscountFactor, critical_discount_factor
from powergames.repeated.feasible import feasible_set, individually_rational
from powergames.repeated.harshest_punishment import (
    Punishment,
    cheating_payoffs,
    harshest_punishment,
)
from powergames.repeated.markov_decision import (
    MarkovPolicy,
    best_rows,
    policy_iteration,
    policy_values,
)
from powergames.repeated.minmax import Minmax, minmax
from powergames.repeated.payoff_set import PayoffSet, convex_hull
from powergames.repeated.policy_elimination import (
    Enforcement,
    TransferEquilibrium,
    dynamic_enforcement,
    policy_elimination,
)
from powergames.repeated.stochastic_game import StochasticGame
from powergames.repeated.sustainability import (
    MinimalDiscountFactor,
    is_sustainable,
    minimal_discount_factor,
)

__all__ = [
    "CriticalDiscountFactor",
    "Enforcement",
    "MarkovPolicy",
    "MinimalDiscountFactor",
    "Minmax",
    "PayoffSet",
    "Punishment",
    "StochasticGame",
    "TransferEquilibrium",
    "aps_payoff_set",
    "best_rows",
    "cheating_payoffs",
    "convex_hull",
    "critical_discount_factor",
    "dynamic_enforcement",
    "equilibrium_payoff_set",
    "feasible_set",
    "harshest_punishment",
    "individually_rational",
    "is_sustainable",
    "minimal_discount_factor",
    "minmax",
    "policy_elimination",
    "policy_iteration",
    "policy_values",
]
