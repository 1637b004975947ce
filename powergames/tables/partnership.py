"""The adapter that makes the partnership model sweepable: its table columns, built from
the model's registry of quantities, computed on whole parameter grids at once by the
model's settlement pipeline."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from powergames.errors import InvalidParameterError
from powergames.partnership.quantities import QUANTITIES
from powergames.tables.settled import SettledModel, quantity_columns, spec_columns
from powergames.tables.table import Column

if TYPE_CHECKING:  # pragma: no cover
    from powergames.partnership import Parameters, Scenario

# The rest of the partnership model is imported where it is used: its columns are
# listed by ``powergames table --help``, which must not wait for sympy.

__all__ = ["COLUMNS", "DEFAULT_COLUMNS", "PartnershipModel", "SweepEvaluator", "as_model"]

#: The group of each layer of quantities, as ``--help`` and errors list them.
GROUPS = {
    "stage": "the stage game",
    "window": "the window of admissible weights",
    "settlement": "the settlement",
    "outcome": "the outcome",
}


#: The model's columns, one per quantity of :data:`powergames.partnership.QUANTITIES`.
COLUMNS: dict[str, Column] = quantity_columns(QUANTITIES, GROUPS)
#: What a table shows when no column is asked for.
DEFAULT_COLUMNS = ("regime", "dilution", "weight", "critical_discount_factor", "surplus")


def parameter_columns() -> dict[str, Column]:
    """The model's parameters as columns (which grids show), in the group "parameters"."""
    from powergames.partnership import SPECS

    return spec_columns(SPECS)


def _baseline() -> Parameters:
    from powergames.partnership import Parameters

    return Parameters()


@dataclass(frozen=True)
class PartnershipModel(SettledModel):
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

    model_name = "powergames.tables.PartnershipModel"
    computed = COLUMNS
    default_columns = DEFAULT_COLUMNS

    parameters: Parameters = field(default_factory=_baseline)
    mechanisms: tuple[Any, ...] = ()
    #: For a scenario's formulas: each parameter given by a formula, with the names
    #: its formula uses (a grid may not vary those alone: see :meth:`settled`).
    formulas: tuple[tuple[str, frozenset[str]], ...] = ()

    def parameter_columns(self) -> dict[str, Column]:
        return parameter_columns()

    def identity(self) -> dict[str, Any]:
        """What defines the model: its parameters' values and its mechanisms (a resumed
        sweep must be of the same model)."""
        return {**super().identity(), "mechanisms": [repr(m) for m in self.mechanisms]}

    def settled(self, points: Mapping[str, NDArray[Any]]) -> tuple[Parameters, dict[str, Any]]:
        """The parameters at the grid points, after the mechanisms, and their settlement
        by :func:`powergames.partnership.settle`."""
        from powergames.partnership import settle

        for target, uses in self.formulas:
            varied = sorted(uses & set(points))
            if varied and target not in points:
                raise InvalidParameterError(
                    f"the grid varies {', '.join(varied)}, which the scenario's formula for "
                    f"{target} uses; formulas are resolved at the scenario's own values, so "
                    f"{target} would not follow: give {target} a number (--set) or a grid too"
                )
        params = self.parameters.replace(**points)
        weight: Any = params.inherited_weight
        if self.mechanisms:
            from powergames.partnership.mechanisms import apply_mechanisms

            params, weight = apply_mechanisms(params, weight, self.mechanisms)
        return params, settle(params, weight)


def _formula_uses(formulas: Mapping[str, str]) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each formula's parameter with the parameter names the formula uses."""
    import sympy as sp

    from powergames.formula import parse_formula
    from powergames.partnership import SPECS

    symbols = {spec.name: sp.Symbol(spec.name, real=True) for spec in SPECS}
    return tuple(
        (name, frozenset(s.name for s in parse_formula(text, symbols).free_symbols))
        for name, text in formulas.items()
    )


def as_model(obj: Any) -> PartnershipModel | None:
    """The partnership model at a scenario's or a parameter point's values (None for
    other objects): what makes ``sweep(load_preset(...), grid)`` work.

    Examples
    --------
    >>> from powergames.partnership import Parameters
    >>> as_model(Parameters(discount_factor=0.3)).parameters.discount_factor
    0.3
    >>> as_model("a string") is None
    True
    """
    from powergames.partnership import Parameters, Scenario

    if isinstance(obj, Scenario):
        return PartnershipModel(obj.parameters, formulas=_formula_uses(obj.formulas))
    if isinstance(obj, Parameters):
        return PartnershipModel(obj)
    return None


@dataclass(frozen=True)
class SweepEvaluator:
    """Evaluates the partnership model at the points of a plausible range through
    :func:`powergames.tables.sweep`: the points are the zipped axes of a grid and the
    scenario's model is swept over them, in chunks, on an executor, streamed to a
    file. Pass it as ``evaluate`` to :func:`powergames.partnership.evidence.uncertainty`
    or :func:`~powergames.partnership.evidence.sensitivity` (an
    ``powergames.partnership.evidence.evaluation.Evaluator``).

    The attributes are :func:`powergames.tables.sweep`'s options of the same names;
    with ``out`` the file holds every point: its varied parameters, then the outputs.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from powergames.partnership import Scenario
    >>> from powergames.partnership.evidence import uncertainty
    >>> case = Scenario("case", ranges={"discount_factor": (0.1, 0.6)})
    >>> with ThreadPoolExecutor(2) as pool:
    ...     swept = uncertainty(case, 256, seed=1, evaluate=SweepEvaluator(pool, chunk_size=64))
    >>> swept.shares == uncertainty(case, 256, seed=1).shares
    True
    """

    executor: Executor | None = None
    out: str | os.PathLike[str] | None = None
    resume: bool = False
    overwrite: bool = False
    progress: bool | Callable[[int, int], None] | None = None
    chunk_size: int | None = None

    def __call__(
        self,
        scenario: Scenario,
        points: Mapping[str, NDArray[np.float64]],
        columns: Sequence[str],
        size: int,
    ) -> dict[str, NDArray[Any]]:
        from powergames.tables.grid import Grid
        from powergames.tables.sweep import CHUNK_SIZE, sweep

        axes = dict(points)
        if not axes:  # an exact scenario: its own point, ``size`` times
            first = next(iter(scenario.parameters))
            axes = {first: np.full(size, scenario.parameters[first])}
        table = sweep(
            PartnershipModel(scenario.parameters),
            Grid(axes, product=False),
            list(columns),
            executor=self.executor,
            out=self.out,
            resume=self.resume,
            overwrite=self.overwrite,
            progress=self.progress,
            chunk_size=CHUNK_SIZE if self.chunk_size is None else self.chunk_size,
        )
        return {name: np.asarray(table[name]) for name in columns}
