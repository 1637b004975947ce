"""The partnership model as table columns, computed on whole parameter grids at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames.errors import InvalidParameterError
from powergames.partnership.parameters import SPECS, Parameters
from powergames.partnership.quantities import QUANTITIES
from powergames.partnership.settlement import settle
from powergames.table import Column

__all__ = ["COLUMNS", "DEFAULT_COLUMNS", "PartnershipModel"]

COLUMNS: dict[str, Column] = {
    q.name: Column(q.name, q.unit, f"{q.symbol}: {q.meaning}" if q.kind == "number" else q.meaning)
    for q in QUANTITIES
}
#: What a table shows when no column is asked for.
DEFAULT_COLUMNS = ("regime", "dilution", "weight", "critical_discount_factor", "surplus")

_PARAMETERS = {spec.name: Column(spec.name, "", spec.meaning) for spec in SPECS}


@dataclass(frozen=True)
class PartnershipModel:
    """The partnership model at a base point, ready to be swept over a grid.

    Parameters
    ----------
    parameters : Parameters, optional
        The values of the parameters not on the grid (the baseline by default).
    mechanisms : sequence of mechanisms, optional
        Arbitration mechanisms applied at every point
        (:func:`powergames.partnership.apply_mechanisms`).

    Examples
    --------
    >>> import numpy as np
    >>> model = PartnershipModel()
    >>> out = model.compute({"discount_factor": np.array([0.2, 0.5])}, ["regime", "dilution"])
    >>> out["regime"].tolist(), out["dilution"].round(4).tolist()
    (['donor-beneficiary', 'partnership'], [nan, 0.15])
    """

    parameters: Parameters = field(default_factory=Parameters)
    mechanisms: tuple[Any, ...] = ()

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(_PARAMETERS)

    @property
    def columns(self) -> dict[str, Column]:
        """Every column the model computes, and the parameters (which grids show)."""
        return {**_PARAMETERS, **COLUMNS}

    @property
    def default_columns(self) -> tuple[str, ...]:
        return DEFAULT_COLUMNS

    def compute(
        self, points: Mapping[str, NDArray[Any]], names: Sequence[str]
    ) -> dict[str, NDArray[Any]]:
        """The columns ``names`` at the grid points (arrays of equal length, one per
        varied parameter), vectorised: no loop over points."""
        unknown = sorted(set(names) - set(self.columns))
        if unknown:
            raise InvalidParameterError(
                f"unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}"
            )
        params = self.parameters.replace(**points)
        weight: Any = params.inherited_weight
        if self.mechanisms:
            from powergames.partnership.mechanisms import apply_mechanisms

            params, weight = apply_mechanisms(params, weight, self.mechanisms)
        n = len(next(iter(points.values()))) if points else 1
        out: dict[str, Any] = settle(params, weight)
        for name in points:
            out[name] = points[name]
        for name in set(names) - set(out):
            out[name] = np.asarray(params[name])
        return {name: np.broadcast_to(np.asarray(out[name]), (n,)).copy() for name in names}
