"""The model at many points of a plausible range.

An analysis of evidence evaluates the partnership model at the points of a scenario's
ranges. How it does so is an *evaluator*: a callable ``evaluate(scenario, points,
columns, size)`` that returns the ``columns`` (quantities of the model, or
parameters) at ``size`` points, where ``points`` gives the values of the varied
parameters (one array each; the scenario's own values elsewhere). The default,
:func:`settle_points`, settles every point at once in memory; the tables layer's
:class:`powergames.tables.partnership.SweepEvaluator` runs the same settlement
through :func:`powergames.tables.sweep`, for its chunks, executors, streaming to a
file and resumption. Both call :func:`powergames.partnership.settle`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

from powergames.partnership.settlement import settle

if TYPE_CHECKING:  # pragma: no cover
    from powergames.partnership.scenario import Scenario

__all__ = ["Evaluator", "settle_points"]


class Evaluator(Protocol):
    """What evaluates the model at the points of a plausible range."""

    def __call__(
        self,
        scenario: Scenario,
        points: Mapping[str, NDArray[np.float64]],
        columns: Sequence[str],
        size: int,
    ) -> Mapping[str, NDArray[Any]]: ...


def settle_points(
    scenario: Scenario,
    points: Mapping[str, NDArray[np.float64]],
    columns: Sequence[str],
    size: int,
) -> dict[str, NDArray[Any]]:
    """The ``columns`` of the partnership model at ``size`` points: the scenario's
    parameters with ``points`` in place of theirs, settled at once.

    Examples
    --------
    >>> import numpy as np
    >>> from powergames.partnership import Scenario
    >>> out = settle_points(Scenario("b0"), {"discount_factor": np.array([0.2, 0.5])},
    ...                     ["regime", "discount_factor"], 2)
    >>> out["regime"].tolist(), out["discount_factor"].tolist()
    (['donor-beneficiary', 'partnership'], [0.2, 0.5])
    """
    params = scenario.parameters.replace(**points)
    found: dict[str, Any] = settle(params)
    return {
        name: np.broadcast_to(np.asarray(found[name] if name in found else params[name]), (size,))
        for name in columns
    }
