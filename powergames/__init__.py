"""powergames: game-theoretic models of partnerships built across unequal power.

The generic layers (games, equilibria, .nfg files, hypothesis strategies) are
re-exported here; see the documentation for the layers built on top of them.

Every name is imported on first use (PEP 562), so that ``import powergames`` and the
command line's ``--help`` start at once: the solvers import scipy.optimize and the
symbolic layer sympy, which take a second between them.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from powergames.equilibria import (
        Equilibrium,
        EquilibriumBatch,
        best_responses,
        equilibria,
        is_degenerate,
        is_equilibrium,
        pure_equilibria,
        regrets,
        solve_batch,
        support_enumeration,
        vertex_enumeration,
    )
    from powergames.equilibria.lemke_howson import lemke_howson
    from powergames.errors import (
        DegenerateGameWarning,
        EvidenceFileError,
        FormulaError,
        InfeasibleProblemError,
        InvalidGameError,
        InvalidParameterError,
        NFGParseError,
        OutputFileError,
        PowergamesError,
    )
    from powergames.examples import load_example
    from powergames.formula import parse_formula
    from powergames.game import Game
    from powergames.nfg import read_nfg, write_nfg
    from powergames.symbolic import SymbolicGame
    from powergames.tables import Column, Table
    from powergames.tables.dynamics import simulate
    from powergames.tables.sweep import sweep

__version__ = "0.1.0"

#: Where each public name lives.
_LAZY = {
    **dict.fromkeys(
        (
            "Equilibrium",
            "EquilibriumBatch",
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
        ),
        "powergames.equilibria",
    ),
    **dict.fromkeys(
        (
            "DegenerateGameWarning",
            "EvidenceFileError",
            "FormulaError",
            "InfeasibleProblemError",
            "InvalidGameError",
            "InvalidParameterError",
            "NFGParseError",
            "OutputFileError",
            "PowergamesError",
        ),
        "powergames.errors",
    ),
    "load_example": "powergames.examples",
    "parse_formula": "powergames.formula",
    "Game": "powergames.game",
    "read_nfg": "powergames.nfg",
    "write_nfg": "powergames.nfg",
    "SymbolicGame": "powergames.symbolic",
    "Column": "powergames.tables",
    "Table": "powergames.tables",
    "sweep": "powergames.tables",
    "simulate": "powergames.tables.dynamics",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # imported once
        return value
    raise AttributeError(f"module 'powergames' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


class _Package(types.ModuleType):
    """The package, whose exported names win over its submodules: importing the
    subpackage ``powergames.equilibria`` binds it as an attribute of the package,
    which would hide the function ``powergames.equilibria`` (eager imports used to
    rebind the function after the subpackage)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _LAZY.get(name) == value.__name__:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "Column",
    "DegenerateGameWarning",
    "Equilibrium",
    "EquilibriumBatch",
    "EvidenceFileError",
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
    "simulate",
    "solve_batch",
    "support_enumeration",
    "sweep",
    "vertex_enumeration",
    "write_nfg",
]
