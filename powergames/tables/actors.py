"""The adapter that makes the nested game of actors sweepable: its columns (each actor's
choice and payoff, then the partnership's quantities at stage 3), computed on whole
parameter grids at once by :func:`powergames.partnership.actors.settle_nested`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from numpy.typing import NDArray

from powergames.partnership.actors.quantities import NESTED_QUANTITIES
from powergames.tables.partnership import COLUMNS as PARTNERSHIP_COLUMNS
from powergames.tables.settled import SettledModel, quantity_columns, spec_columns
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


#: The nested game's columns: its own quantities, then the partnership's (stage 3).
COLUMNS: dict[str, Column] = {
    **quantity_columns(NESTED_QUANTITIES, GROUPS),
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

    return spec_columns(NESTED_SPECS)


def _baseline() -> NestedParameters:
    from powergames.partnership.actors import NestedParameters

    return NestedParameters()


@dataclass(frozen=True)
class NestedModel(SettledModel):
    """The nested game at a base point, ready to be swept over a grid.

    Parameters
    ----------
    parameters : NestedParameters, optional
        The values of the parameters not on the grid (the nested baseline by default).

    Examples
    --------
    >>> import numpy as np
    >>> model = NestedModel()
    >>> out = model.compute({"membership_mobilisation": np.array([0.0, 1.0])},
    ...                     ["conditionality", "regime"])
    >>> out["conditionality"].tolist(), out["regime"].tolist()
    ([1.0, 0.0], ['donor-beneficiary', 'partnership'])
    """

    model_name = "powergames.tables.NestedModel"
    computed = COLUMNS
    default_columns = DEFAULT_COLUMNS

    parameters: NestedParameters = field(default_factory=_baseline)

    def parameter_columns(self) -> dict[str, Column]:
        return parameter_columns()

    def settled(
        self, points: Mapping[str, NDArray[Any]]
    ) -> tuple[NestedParameters, dict[str, Any]]:
        """The parameters at the grid points and their settlement by
        :func:`powergames.partnership.actors.settle_nested`."""
        from powergames.partnership.actors import settle_nested

        params = self.parameters.replace(**points)
        return params, settle_nested(params)


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
