"""The adapter of a model that settles whole parameter grids at once: its columns are
the quantities of its registry (and its parameters, which grids show), computed by one
settlement function vectorised over the grid's points. The partnership model
(:class:`powergames.tables.PartnershipModel`) and the nested game of actors
(:class:`powergames.tables.NestedModel`) are swept through it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from powergames.errors import InvalidParameterError
from powergames.tables.table import Column

if TYPE_CHECKING:  # pragma: no cover
    from powergames.partnership.parameter_set import ParameterSet, ParameterSpec
    from powergames.partnership.quantities import Quantity

__all__ = ["SettledModel", "quantity_columns", "spec_columns"]


def quantity_columns(
    quantities: Iterable[Quantity[Any]], groups: Mapping[str, str]
) -> dict[str, Column]:
    """A registry's quantities as columns, by name: a number's meaning starts with its
    symbol, and each quantity stands in the group ``groups[layer]`` of its layer.

    Examples
    --------
    >>> from powergames.partnership.quantities import quantity
    >>> columns = quantity_columns([quantity("dilution")], {"settlement": "the settlement"})
    >>> columns["dilution"].meaning[:4], columns["dilution"].group
    ('d*: ', 'the settlement')
    """
    columns = {}
    for q in quantities:
        meaning = f"{q.symbol}: {q.meaning}" if q.kind == "number" else q.meaning
        columns[q.name] = Column(q.name, q.unit, meaning, groups[q.layer])
    return columns


def spec_columns(specs: Iterable[ParameterSpec]) -> dict[str, Column]:
    """Parameters as columns, by name, in the group "parameters" (which grids show)."""
    return {spec.name: Column(spec.name, "", spec.meaning, "parameters") for spec in specs}


def _plain(value: Any) -> Any:
    """A parameter's value as JSON data: numbers (or nested lists of them), else text.

    Examples
    --------
    >>> _plain(np.float64(0.5)), _plain([1, 2]), _plain("gap")
    (0.5, [1.0, 2.0], 'gap')
    """
    try:
        return np.asarray(value, dtype=float).tolist()
    except (TypeError, ValueError):
        return str(value)


class SettledModel:
    """The :class:`~powergames.tables.Model` interface of a model at a base point,
    computed by its settlement function. A subclass is a frozen dataclass with the
    model's ``parameters`` (a :class:`~powergames.partnership.parameter_set.ParameterSet`);
    it names the model (``model_name``), its computed and default columns (``computed`` and
    ``default_columns``) and gives :meth:`parameter_columns` and :meth:`settled`.
    """

    parameters: ParameterSet
    #: The model's name in :meth:`identity`.
    model_name: ClassVar[str]
    #: The columns the model computes (its registry's quantities), by name.
    computed: ClassVar[Mapping[str, Column]]
    #: What a table shows when no column is asked for.
    default_columns: ClassVar[tuple[str, ...]]

    def parameter_columns(self) -> dict[str, Column]:
        """The model's parameters as columns (which grids show)."""
        raise NotImplementedError  # pragma: no cover

    def settled(self, points: Mapping[str, NDArray[Any]]) -> tuple[ParameterSet, Mapping[str, Any]]:
        """The parameters at the grid points (the base point with ``points`` replaced)
        and every quantity the settlement function computes there."""
        raise NotImplementedError  # pragma: no cover

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(self.parameter_columns())

    @property
    def columns(self) -> dict[str, Column]:
        """Every column the model computes, and the parameters (which grids show)."""
        return {**self.parameter_columns(), **self.computed}

    def identity(self) -> dict[str, Any]:
        """What defines the model: its name and its parameters' values (a resumed sweep
        must be of the same model)."""
        return {
            "model": self.model_name,
            "parameters": {name: _plain(value) for name, value in self.parameters.items()},
        }

    def compute(
        self, points: Mapping[str, NDArray[Any]], names: Sequence[str]
    ) -> dict[str, NDArray[Any]]:
        """The columns ``names`` at the grid points (arrays of equal length, one per
        varied parameter), vectorised through the settlement function: no loop over
        points."""
        unknown = sorted(set(names) - set(self.columns))
        if unknown:
            raise InvalidParameterError(
                f"unknown column(s) {', '.join(unknown)}; the columns are "
                f"{', '.join(self.computed)}"
            )
        params, settled = self.settled(points)
        n = len(next(iter(points.values()))) if points else 1
        out = dict(settled)
        for name in set(names) - set(out):
            out[name] = params[name]
        for name in points:
            out[name] = points[name]
        return {name: np.broadcast_to(np.asarray(out[name]), (n,)).copy() for name in names}
