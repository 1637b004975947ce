"""Tables of the dynamic partnership model: a relation's path period by period
(:func:`simulate`), and the equilibrium state by state (:func:`policy_table`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from powergames.errors import InvalidParameterError
from powergames.partnership.dynamics import (
    TRAJECTORY_COLUMNS,
    DynamicModel,
    DynamicScenario,
    DynamicSolution,
    solve,
    trajectory,
)
from powergames.tables.table import Column, Table

__all__ = ["COLUMNS", "policy_table", "simulate"]

#: The columns of a path, with their units and meanings.
COLUMNS: tuple[Column, ...] = tuple(
    Column(c.name, c.unit, c.meaning, "path" if c.name in ("period", "survival") else "state")
    for c in TRAJECTORY_COLUMNS
)
_BY_NAME = {c.name: c for c in COLUMNS}
_OUTCOME = {
    "regime",
    "path",
    "weight",
    "dilution",
    "transfer",
    "floor_binds",
    "binding_constraint",
    "payoff_oci",
    "payoff_ngo",
}


def _solution(model: Any) -> tuple[DynamicSolution, DynamicScenario | None]:
    if isinstance(model, DynamicSolution):
        return model, None
    if isinstance(model, DynamicScenario):
        return solve(model.model), model
    if isinstance(model, DynamicModel):
        return solve(model), None
    raise InvalidParameterError(
        "model must be a DynamicModel, a DynamicScenario or a DynamicSolution, got "
        f"{type(model).__name__}"
    )


def _columns(names: Sequence[str]) -> list[Column]:
    return [
        Column(c.name, c.unit, c.meaning, "outcome" if c.name in _OUTCOME else c.group)
        for c in (_BY_NAME[n] for n in names)
    ]


def simulate(
    model: DynamicModel | DynamicScenario | DynamicSolution,
    initial_state: Any = None,
    periods: int = 50,
    *,
    eras: Sequence[str | int] | None = None,
    seed: int | None = None,
) -> Table:
    """The path of a relation in the dynamic model, one row per period
    (:func:`powergames.partnership.dynamics.trajectory`): era, stocks, discount factor,
    regime, the meeting played, weight, dilution, transfer, whether the floor binds,
    the partners' values and the probability that the relation has survived.

    Parameters
    ----------
    model : DynamicModel, DynamicScenario or DynamicSolution
        Solved first if it is not (the solution is cached on the model).
    initial_state : int, mapping or (legitimacy, trust, era), optional
        Where the relation starts (a scenario's ``start`` by default).
    periods : int, default 50
    eras : sequence of era names, optional
        The era of each period; drawn from the era chain when not given.
    seed : int, optional
        The same seed gives the same path.

    Returns
    -------
    Table

    Examples
    --------
    >>> from powergames.partnership.dynamics import load_dynamic_preset
    >>> history = load_dynamic_preset("historical-path")
    >>> table = simulate(history, periods=45, eras=history.eras(45), seed=1)
    >>> table["regime"][[0, 10, 30]].tolist()
    ['donor-beneficiary', 'collaboration', 'partnership']
    >>> print(table.select("period", "era", "regime", "weight", "transfer").to_markdown(digits=3)
    ...       .splitlines()[32])
    | 30 | partnership-1990s | partnership | 0.881 | 4.4 |
    """
    solution, scenario = _solution(model)
    if initial_state is None:
        if scenario is None:
            raise InvalidParameterError("initial_state is needed (only a scenario has a start)")
        initial_state = scenario.start
    path = trajectory(solution, initial_state, periods, eras=eras, seed=seed)
    title = solution.model.title or f"{solution.model.name or 'dynamic model'}: a path"
    return Table(path.columns, _columns(list(path.columns)), title=title)


def policy_table(model: DynamicModel | DynamicScenario | DynamicSolution) -> Table:
    """The equilibrium of the dynamic model state by state: era, stocks, discount
    factor, regime, meeting, weight, dilution, transfer, whether the floor binds,
    what binds the weight, the dynamic surplus and the partners' values.

    Examples
    --------
    >>> from powergames.partnership.dynamics import load_dynamic_preset
    >>> table = policy_table(load_dynamic_preset("historical-path"))
    >>> len(table), table.filter(era="collaboration-1970s-80s")["regime"].tolist()[:2]
    (1200, ['collaboration', 'collaboration'])
    """
    solution, _ = _solution(model)
    data = solution.columns()
    columns = [c for c in _columns([n for n in data if n in _BY_NAME])] + [
        Column("surplus", "utility", "the dynamic surplus U - v_N - v_S", "outcome")
    ]
    name = solution.model.name or "dynamic model"
    return Table(data, columns, title=f"{name}: the equilibrium state by state")
