"""Nash equilibria of bimatrix games: enumeration, pivoting, and the equilibrium test."""

from powergames.equilibria.batch import EquilibriumBatch, solve_batch
from powergames.equilibria.best_response import DEFAULT_TOL, best_responses, is_equilibrium, regrets
from powergames.equilibria.degeneracy import is_degenerate
from powergames.equilibria.lemke_howson import LemkeHowsonResult, lemke_howson
from powergames.equilibria.pure import pure_equilibria
from powergames.equilibria.result import Equilibrium
from powergames.equilibria.solve import METHODS, equilibria
from powergames.equilibria.support import support_enumeration
from powergames.equilibria.vertex import vertex_enumeration
from powergames.equilibria.zero_sum import ZeroSumSolution, zero_sum_value

__all__ = [
    "DEFAULT_TOL",
    "METHODS",
    "Equilibrium",
    "EquilibriumBatch",
    "LemkeHowsonResult",
    "ZeroSumSolution",
    "best_responses",
    "equilibria",
    "is_degenerate",
    "is_equilibrium",
    "lemke_howson",
    "pure_equilibria",
    "regrets",
    "solve_batch",
    "support_enumeration",
    "vertex_enumeration",
    "zero_sum_value",
]
