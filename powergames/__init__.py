"""powergames: game-theoretic models of partnerships built across unequal power.

The generic layers (games, equilibria, .nfg files, hypothesis strategies) are
re-exported here; see the documentation for the layers built on top of them.
"""

from typing import TYPE_CHECKING, Any

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
    OutputFileError,
    PowergamesError,
)
from powergames.examples import load_example
from powergames.game import Game
from powergames.nfg import read_nfg, write_nfg
from powergames.tables import Column, Table, sweep

if TYPE_CHECKING:  # pragma: no cover
    from powergames.formula import parse_formula
    from powergames.symbolic import SymbolicGame

__version__ = "0.1.0"

# sympy takes a while to import: the symbolic layer loads on first use.
_LAZY = {"SymbolicGame": "powergames.symbolic", "parse_formula": "powergames.formula"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'powergames' has no attribute {name!r}")


__all__ = [
    "Column",
    "DegenerateGameWarning",
    "Equilibrium",
    "EquilibriumBatch",
    "FormulaError",
    "Game",
    "InfeasibleProblemError",
    "InvalidGameError",
    "InvalidParameterError",
    "NFGParseError",
    "OutputFileError",
    "PowergamesError",
    "SymbolicGame",
    "Table",
    "__version__",
    "best_responses",
    "equilibria",
    "is_degenerate",
    "is_equilibrium",
    "lemke_howson",
    "load_example",
    "parse_formula",
    "pure_equilibria",
    "read_nfg",
    "regrets",
    "solve_batch",
    "support_enumeration",
    "sweep",
    "vertex_enumeration",
    "write_nfg",
]
