"""The adapter that makes the nested game of actors sweepable: its columns (each actor's
choice and payoff, then the partnership's quantities at stage 3), computed on whole
parameter grids at once by :func:`powergames.partnership.actors.settle_nested`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from powergames.errors import InvalidParameterError
from powergames.partnership.actors.quantities import NESTED_QUANTITIES, NestedQuantity
from powergames.tables.partnership import COLUMNS as PARTNERSHIP_COLUMNS
from powergames.tables.table import Column

if TYPE_CHECKING:  # pragma: no cover
    from powergames.partnership.actors import NestedParameters

# The rest of the nested game is imported where it is used: ``powergames table --help``
# lists these columns without waiting for sympy.

__all__ = ["COLUMNS", "DEFAULT_COLUMNS", "NestedModel", "as_model", "parameter_columns"]

#: The group of each of the nested game's layers, as ``--help`` and errors list them.
GROUPS = {
    "membership": "the membership (stage 1)",
    "funding": "the funding bargain (stage 2)",
    "actors": "the actors' payoffs",
}


def _column(q: NestedQuantity) -> Column:
    meaning = f"{q.symbol}: {q.meaning}" if q.kind == "number" else q.meaning
    return Column(q.name, q.unit, meaning, GROUPS[q.layer])


#: The nested game's columns: its own quantities, then the partnership's (stage 3).
COLUMNS: dict[str, Column] = {
    **{q.name: _column(q) for q in NESTED_QUANTITIES},
    **PARTNERSHIP_COLUMNS,
}
#: What a table of the nested game shows when no column is asked for.
DEFAULT_COLUMNS = (
    "mobilisation",
    "conditionality",
    "temptation_oci",
    "critical_discount_factor",
    "regime",
    "dilution",
    "funder_payoff",
    "oci_total_payoff",
    "membership_payoff",
    "payoff_ngo",
)


def parameter_columns() -> dict[str, Column]:
    """The nested game's parameters as columns (which grids show)."""
    from powergames.partnership.actors import NESTED_SPECS

    return {s.name: Column(s.name, "", s.meaning, "parameters") for s in NESTED_SPECS}


def _baseline() -> NestedParameters:
    from powergames.partnership.actors import NestedParameters

    return NestedParameters()


@dataclass(frozen=True)
class NestedModel:
    """The nested game at a base point, ready to be swept over a grid.

    Parameters
    ----------
    parameters : NestedParameters, optional
        The values of the parameters not on the grid (the nested baseline by default).

    Examples
    --------
    >>> model = NestedModel()
    >>> out = model.compute({"membership_mobilisation": np.array([0.0, 1.0])},
    ...                     ["conditionality", "regime"])
    >>> out["conditionality"].tolist(), out["regime"].tolist()
    ([1.0, 0.0], ['donor-beneficiary', 'partnership'])
    """

    parameters: NestedParameters = field(default_factory=_baseline)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(parameter_columns())

    @property
    def columns(self) -> dict[str, Column]:
        """Every column the model computes, and the parameters (which grids show)."""
        return {**parameter_columns(), **COLUMNS}

    @property
    def default_columns(self) -> tuple[str, ...]:
        return DEFAULT_COLUMNS

    def identity(self) -> dict[str, Any]:
        """What defines the model: its parameters' values (a resumed sweep must be of
        the same model)."""
        return {
            "model": "powergames.tables.NestedModel",
            "parameters": {
                name: np.asarray(value, dtype=float).tolist()
                for name, value in self.parameters.items()
            },
        }

    def compute(
        self, points: Mapping[str, NDArray[Any]], names: Sequence[str]
    ) -> dict[str, NDArray[Any]]:
        """The columns ``names`` at the grid points (arrays of equal length, one per
        varied parameter), vectorised through
        :func:`powergames.partnership.actors.settle_nested`."""
        from powergames.partnership.actors import settle_nested

        unknown = sorted(set(names) - set(self.columns))
        if unknown:
            raise InvalidParameterError(
                f"unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}"
            )
        params = self.parameters.replace(**points)
        n = len(next(iter(points.values()))) if points else 1
        out: dict[str, Any] = settle_nested(params)
        for name in set(names) - set(out):
            out[name] = params[name]
        for name in points:
            out[name] = points[name]
        return {name: np.broadcast_to(np.asarray(out[name]), (n,)).copy() for name in names}


def as_model(obj: Any) -> NestedModel | None:
    """The nested game at a nested scenario's or parameter point's values (None for
    other objects): what makes ``sweep(load_nested_preset(...), grid)`` work.

    Examples
    --------
    >>> from powergames.partnership.actors import NestedParameters
    >>> as_model(NestedParameters(conditionality_cap=0.5)).parameters.conditionality_cap
    0.5
    >>> as_model("a string") is None
    True
    """
    from powergames.partnership.actors import NestedParameters
    from powergames.partnership.actors.scenario import NestedScenario

    if isinstance(obj, NestedScenario):
        return NestedModel(obj.parameters)
    if isinstance(obj, NestedParameters):
        return NestedModel(obj)
    return None
