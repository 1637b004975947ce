"""A path of the dynamic model: the states a relation goes through, period by period,
with what is played and agreed in each.

The path follows the equilibrium of :func:`~powergames.partnership.dynamics.solve`:
in each period the partners play the state's path meeting with its weight and
transfer; the stocks then move by their laws of motion, drawn on the grid by the
lottery that keeps their expected values (:mod:`~powergames.partnership.dynamics.grid`),
and the era moves by its chain, or as given. The path is the relation's *if it
survives*: the probability that no accidental breakdown has ended it yet is the
column ``survival``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames._validate import integer, short
from powergames.errors import InvalidParameterError
from powergames.partnership.dynamics.grid import lottery
from powergames.partnership.dynamics.solution import DynamicSolution

__all__ = ["TRAJECTORY_COLUMNS", "Trajectory", "TrajectoryColumn", "trajectory"]


@dataclass(frozen=True)
class TrajectoryColumn:
    """A column of a trajectory: name, unit and meaning."""

    name: str
    unit: str
    meaning: str


#: The columns of a trajectory, in order.
TRAJECTORY_COLUMNS: tuple[TrajectoryColumn, ...] = (
    TrajectoryColumn("period", "", "the period, from 0"),
    TrajectoryColumn("era", "", "the funder's era"),
    TrajectoryColumn("moral_legitimacy", "legitimacy", "the NGO's moral legitimacy L"),
    TrajectoryColumn("shared_paradigm", "", "trust, the shared paradigm phi"),
    TrajectoryColumn(
        "discount_factor", "discount factor", "exp(-r Dt)(1 - h (1 - phi)): trust's patience"
    ),
    TrajectoryColumn("regime", "", "the compromise played"),
    TrajectoryColumn("path", "", "the meeting played (OCI/NGO)"),
    TrajectoryColumn("weight", "weight", "the OCI's weight a in the arbitrated meeting"),
    TrajectoryColumn("dilution", "weight", "how much of its inherited weight the OCI dilutes"),
    TrajectoryColumn("transfer", "resources", "what the OCI transfers to the NGO this period"),
    TrajectoryColumn("floor_binds", "", "whether the transfer is at the floor R_0"),
    TrajectoryColumn("binding_constraint", "", "what holds the weight away from the inherited one"),
    TrajectoryColumn("payoff_oci", "utility", "the OCI's value from here, over its outside option"),
    TrajectoryColumn("payoff_ngo", "utility", "the NGO's value from here, over its outside option"),
    TrajectoryColumn(
        "survival", "", "the probability that no accidental breakdown has ended the relation"
    ),
)


@dataclass(frozen=True)
class Trajectory:
    """A path of the dynamic model, column by column (:data:`TRAJECTORY_COLUMNS`).

    Attributes
    ----------
    columns : dict of str to numpy array
        One value per period in each column.
    states : numpy array of int
        The state of each period.
    """

    columns: dict[str, NDArray[Any]]
    states: NDArray[np.intp]

    def __getitem__(self, name: str) -> NDArray[Any]:
        return self.columns[name]

    def __len__(self) -> int:
        return int(self.states.size)

    def first_periods(self) -> dict[str, int]:
        """The first period of each regime the path goes through, in order."""
        firsts: dict[str, int] = {}
        for t, regime in enumerate(self.columns["regime"].tolist()):
            firsts.setdefault(regime, t)
        return firsts


def trajectory(
    solution: DynamicSolution,
    initial_state: Any,
    periods: int,
    *,
    eras: Sequence[str | int] | None = None,
    seed: int | None = None,
) -> Trajectory:
    """The path of a relation from an initial state.

    Parameters
    ----------
    solution : DynamicSolution
    initial_state : int, mapping or (legitimacy, trust, era)
        A state index, or the stocks and era (``{"moral_legitimacy": ...,
        "shared_paradigm": ..., "era": ...}``), taken at the nearest grid point.
    periods : int
    eras : sequence of era names or positions, optional
        The era of each period (the first must be the initial state's); drawn from
        the chain when not given. Each move must have a positive probability.
    seed : int, optional
        Seeds the draws (the stocks' lotteries and the eras): a path is the same for
        the same seed.

    Returns
    -------
    Trajectory

    Examples
    --------
    >>> from powergames.partnership.dynamics import load_dynamic_preset, solve
    >>> history = load_dynamic_preset("historical-path")
    >>> path = trajectory(solve(history.model), history.start, 50,
    ...                   eras=history.eras(50), seed=1)
    >>> list(path.first_periods())
    ['donor-beneficiary', 'collaboration', 'partnership']
    """
    model = solution.model
    periods = integer(periods, "periods", low=1)
    start = _initial(solution, initial_state)
    rng = np.random.default_rng(seed)
    legitimacy, trust, era_of = model.stocks()
    if eras is None:
        path_eras = model.chain.sample(periods, start=int(era_of[start]), rng=rng)
    else:
        path_eras = model.chain.sequence(eras, periods)
        if path_eras[0] != era_of[start]:
            raise InvalidParameterError(
                f"eras[0] ({model.chain.names[path_eras[0]]!r}) must be the initial "
                f"state's era ({model.chain.names[era_of[start]]!r})"
            )
    nL, nT = model.grid.shape
    rows = solution.equilibrium.equilibrium_rows
    survival = solution.built.survival
    states = np.empty(periods, dtype=np.intp)
    alive = np.empty(periods)
    state, chance = start, 1.0
    for t in range(periods):
        states[t], alive[t] = state, chance
        if t + 1 == periods:
            break
        chance *= survival[state]
        oci, ngo = divmod(int(rows[state] % 9), 3)
        L_next, phi_next = model.laws.next_stocks(legitimacy[state], trust[state], oci, ngo)
        kL, upL = lottery(L_next, model.grid.legitimacy)
        kT, upT = lottery(phi_next, model.grid.trust)
        iL = min(int(kL) + int(rng.random() < upL), nL - 1)
        iT = min(int(kT) + int(rng.random() < upT), nT - 1)
        state = model.state_index(int(path_eras[t + 1]), iL, iT)
    table = solution.columns()
    columns: dict[str, NDArray[Any]] = {"period": np.arange(periods)}
    for column in TRAJECTORY_COLUMNS[1:-1]:
        columns[column.name] = table[column.name][states]
    columns["survival"] = alive
    return Trajectory(columns, states)


def _initial(solution: DynamicSolution, initial_state: Any) -> int:
    model = solution.model
    if isinstance(initial_state, (int, np.integer)) and not isinstance(initial_state, bool):
        return integer(initial_state, "initial_state", low=0, high=model.n_states - 1)
    if isinstance(initial_state, Mapping):
        unknown = set(initial_state) - {"moral_legitimacy", "shared_paradigm", "era"}
        if unknown or len(initial_state) != 3:
            raise InvalidParameterError(
                "initial_state must give moral_legitimacy, shared_paradigm and era, got "
                f"{short(dict(initial_state))}"
            )
        values = (
            initial_state["moral_legitimacy"],
            initial_state["shared_paradigm"],
            initial_state["era"],
        )
    elif isinstance(initial_state, Sequence) and not isinstance(initial_state, str):
        if len(initial_state) != 3:
            raise InvalidParameterError(
                f"initial_state must be (legitimacy, trust, era), got {short(initial_state)}"
            )
        values = tuple(initial_state)
    else:
        raise InvalidParameterError(
            "initial_state must be a state index, a mapping or (legitimacy, trust, era), "
            f"got {short(initial_state)}"
        )
    return model.initial_state(values[0], values[1], values[2])
