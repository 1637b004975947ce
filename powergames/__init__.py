"""powergames: game-theoretic models of partnerships built across unequal power.

The generic layers (games, equilibria, .nfg files, hypothesis strategies) are
re-exported here; see the documentation for the layers built on top of them.
"""

from powergames.equilibria import (
    Equilibrium,
    EquilibriumBatch,
    best_responses,
    equilibria,
    is_degenerate,
    is_equilibrium,
    lemke_howson,
    pure_equilibria,
    regrets,
    solve_batch,
    support_enumeration,
    vertex_enumeration,
)
from powergames.errors import (
    DegenerateGameWarning,
    FormulaError,
    InfeasibleProblemError,
    InvalidGameError,
    InvalidParameterError,
    NFGParseError,
    PowergamesError,
)
from powergames.game import Game
from powergames.nfg import read_nfg, write_nfg

__version__ = "0.1.0"

__all__ = [
    "DegenerateGameWarning",
    "Equilibrium",
    "EquilibriumBatch",
    "FormulaError",
    "Game",
    "InfeasibleProblemError",
    "InvalidGameError",
    "InvalidParameterError",
    "NFGParseError",
    "PowergamesError",
    "__version__",
    "best_responses",
    "equilibria",
    "is_degenerate",
    "is_equilibrium",
    "lemke_howson",
    "pure_equilibria",
    "read_nfg",
    "regrets",
    "solve_batch",
    "support_enumeration",
    "vertex_enumeration",
    "write_nfg",
]
