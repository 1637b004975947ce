"""The model at many points of a plausible range, through the tables' sweep.

The points of a range (:mod:`powergames.partnership.evidence.sampling`) are the
zipped axes of a grid, and the partnership model at the scenario's other values is
the table model that sweeps them, so uncertainty and sensitivity analyses get the
sweep's chunks, executors, streaming to a file and resumption as they are
(:func:`powergames.tables.sweep`). This is the one module of the evidence package
that reaches up into the tables layer; it does so inside the function.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:  # pragma: no cover
    from powergames.partnership.scenario import Scenario

__all__ = ["evaluate_points"]


def evaluate_points(
    scenario: Scenario,
    points: Mapping[str, NDArray[np.float64]],
    columns: Sequence[str],
    *,
    size: int,
    executor: Executor | None = None,
    out: str | os.PathLike[str] | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool | Callable[[int, int], None] | None = None,
    chunk_size: int | None = None,
) -> dict[str, NDArray[Any]]:
    """The ``columns`` of the partnership model at ``size`` points: the scenario's
    parameters with ``points`` (one array of ``size`` values per varied parameter) in
    place of theirs, swept as a zipped grid.

    The remaining options are :func:`powergames.tables.sweep`'s; with ``out`` the
    points and columns stream to the file as they are computed.

    Examples
    --------
    >>> import numpy as np
    >>> from powergames.partnership import Scenario
    >>> out = evaluate_points(Scenario("b0"), {"discount_factor": np.array([0.2, 0.5])},
    ...                       ["regime"], size=2)
    >>> out["regime"].tolist()
    ['donor-beneficiary', 'partnership']
    """
    from powergames.tables import CHUNK_SIZE, Grid, sweep
    from powergames.tables.partnership import PartnershipModel

    axes = dict(points)
    if not axes:  # an exact scenario: its own point, ``size`` times
        first = next(iter(scenario.parameters))
        axes = {first: np.full(size, scenario.parameters[first])}
    table = sweep(
        PartnershipModel(scenario.parameters),
        Grid(axes, product=False),
        list(columns),
        executor=executor,
        out=out,
        resume=resume,
        overwrite=overwrite,
        progress=progress,
        chunk_size=CHUNK_SIZE if chunk_size is None else chunk_size,
    )
    return {name: np.asarray(table[name]) for name in columns}
