"""Equilibrium tables: :class:`Table` and :class:`Column`, their exports, parameter
grids, and :func:`sweep`, which evaluates a model over a grid in chunks (in parallel,
streamed to a file, resumable).

Any object with the :class:`Model` interface is sweepable; the partnership model's
:class:`PartnershipModel` (and its ``Parameters`` and ``Scenario``, through
``powergames.tables.partnership.as_model``) and the nested game's
:class:`NestedModel` (its ``NestedParameters`` and ``NestedScenario``, through
``powergames.tables.actors.as_model``) are the ones that ship.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from powergames.gridspec import parse_grid_spec
from powergames.tables.export import latex_escape
from powergames.tables.grid import Grid, grid_points
from powergames.tables.sweep import (
    CHUNK_SIZE,
    MAX_POINTS_IN_MEMORY,
    Model,
    as_model,
    register_adapter,
    sweep,
)
from powergames.tables.table import Column, Table, by_group, list_columns

if TYPE_CHECKING:  # pragma: no cover
    from powergames.tables.actors import NestedModel
    from powergames.tables.dynamics import policy_table, simulate
    from powergames.tables.partnership import PartnershipModel, SweepEvaluator

__all__ = [
    "CHUNK_SIZE",
    "MAX_POINTS_IN_MEMORY",
    "Column",
    "Grid",
    "Model",
    "NestedModel",
    "PartnershipModel",
    "SweepEvaluator",
    "Table",
    "as_model",
    "by_group",
    "grid_points",
    "latex_escape",
    "list_columns",
    "parse_grid_spec",
    "policy_table",
    "register_adapter",
    "simulate",
    "sweep",
]


def _partnership(obj: Any) -> Model | None:
    """The partnership adapter, imported only for the partnership's own objects (the
    domain model imports sympy, which takes a while)."""
    if not type(obj).__module__.startswith("powergames.partnership"):
        return None
    from powergames.tables.partnership import as_model as partnership_model

    return partnership_model(obj)


register_adapter(_partnership)


def _nested(obj: Any) -> Model | None:
    """The adapter of the nested game of actors (its parameters and scenarios)."""
    if not type(obj).__module__.startswith("powergames.partnership.actors"):
        return None
    from powergames.tables.actors import as_model as nested_model

    return nested_model(obj)


register_adapter(_nested)


def __getattr__(name: str) -> Any:
    if name in ("PartnershipModel", "SweepEvaluator"):
        from powergames.tables import partnership

        return getattr(partnership, name)
    if name in ("simulate", "policy_table"):  # the dynamic model, imported on first use
        from powergames.tables import dynamics

        return getattr(dynamics, name)
    if name == "NestedModel":
        from powergames.tables.actors import NestedModel

        return NestedModel
    raise AttributeError(f"module 'powergames.tables' has no attribute {name!r}")
