"""Finite two-player stochastic games (Shapley 1953), stored action profile by action
profile.

A stochastic game has states; in each state the players play a bimatrix game whose
actions, payoffs and the probabilities of the next state depend on the state. The
game is stored as one row per action profile of every state, states one after
another, the row player's actions slowest (rows of state ``x`` are
``offsets[x] + i * n_columns[x] + j``): payoffs as an array of shape ``(rows, 2)``
and transitions as a sparse matrix of shape ``(rows, states)``. Action sets may
differ from state to state, and a state may have a single profile.

A row of transitions may sum to less than 1: the missing probability ends the game,
after which every player gets 0 for ever. Payoffs are then measured from what the
players get once the game has ended (a relation that may break down, its partners
falling back on their outside options).

References
----------
Shapley, L. S. (1953). Stochastic games. Proceedings of the National Academy of
Sciences 39(10), 1095-1100.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sparse
from numpy.typing import ArrayLike, NDArray

from powergames._validate import discount_factor as check_discount_factor
from powergames._validate import short
from powergames.errors import InvalidGameError

__all__ = ["StochasticGame"]

#: How far above 1 a row of transition probabilities may sum (round-off).
PROBABILITY_SLACK = 1e-9


class StochasticGame:
    """A finite two-player stochastic game with a common discount factor.

    Parameters
    ----------
    stage_games : sequence of (A, B)
        For each state, the payoff matrices of the row player (player 0) and of the
        column player (player 1), both of shape ``(m, n)`` for that state.
    transitions : sequence of array_like
        For each state, an array of shape ``(m, n, states)``: the probability of each
        next state after each action profile. A profile's probabilities may sum to
        less than 1 (the rest ends the game).
    discount_factor : float in [0, 1)
    states : sequence of str, optional
        State names (``"0"``, ``"1"``, ... by default).
    actions : sequence of (sequence of str, sequence of str), optional
        For each state, the names of each player's actions (``"0"``, ``"1"``, ...).

    Raises
    ------
    InvalidGameError
        For shapes that do not match, payoffs that are not finite, negative
        probabilities or probabilities summing to more than 1.

    Examples
    --------
    The prisoners' dilemma whose state moves with the players' actions (Abreu,
    Brooks & Sannikov 2020, used by Goldlücke & Kranz 2018):

    >>> pd = [[2, -1], [3, 0]]
    >>> move = lambda same: [[same, [0.5, 0.5]], [[0.5, 0.5], same]]
    >>> game = StochasticGame(
    ...     [(np.array(pd), np.array(pd).T), (np.array(pd) + 2, np.array(pd).T + 2)],
    ...     [move([1 / 3, 2 / 3]), move([2 / 3, 1 / 3])], 0.7,
    ...     actions=[(("C", "D"), ("C", "D"))] * 2)
    >>> game.n_states, game.n_rows, game.row(1, 0, 1)
    (2, 8, 5)
    >>> game.describe_row(5)
    'state 1: (C, D)'
    """

    def __init__(
        self,
        stage_games: Sequence[tuple[ArrayLike, ArrayLike]],
        transitions: Sequence[ArrayLike],
        discount_factor: float,
        *,
        states: Sequence[str] | None = None,
        actions: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
    ) -> None:
        if len(stage_games) == 0:
            raise InvalidGameError("a stochastic game needs at least one state")
        if len(transitions) != len(stage_games):
            raise InvalidGameError(
                f"transitions must give one array per state ({len(stage_games)}), "
                f"got {len(transitions)}"
            )
        n = len(stage_games)
        counts, payoff_rows, transition_rows = [], [], []
        for x, (stage, moves) in enumerate(zip(stage_games, transitions, strict=True)):
            A, B = _matrices(stage, x)
            P = _array(moves, f"transitions[{x}]")
            if P.shape != (*A.shape, n):
                raise InvalidGameError(
                    f"transitions[{x}] must have shape {(*A.shape, n)} (the stage game's "
                    f"profiles by next state), got {P.shape}"
                )
            counts.append(A.shape)
            payoff_rows.append(np.stack([A.ravel(), B.ravel()], axis=1))
            transition_rows.append(P.reshape(-1, n))
        self._init(
            np.array(counts, dtype=np.intp),
            np.concatenate(payoff_rows),
            sparse.csr_matrix(np.concatenate(transition_rows)),
            discount_factor,
            states,
            actions,
        )

    @classmethod
    def from_rows(
        cls,
        action_counts: ArrayLike,
        payoffs: ArrayLike,
        transitions: Any,
        discount_factor: float,
        *,
        states: Sequence[str] | None = None,
        actions: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
    ) -> StochasticGame:
        """A game from its rows: the number of actions of each player in each state
        (shape ``(states, 2)``), the payoffs of every profile (``(rows, 2)``) and the
        transitions (a dense or scipy.sparse matrix ``(rows, states)``), rows in the
        order of the class docstring.

        Examples
        --------
        >>> game = StochasticGame.from_rows([[1, 1]], [[1.0, 2.0]], [[1.0]], 0.5)
        >>> game.payoffs.tolist(), game.n_rows
        ([[1.0, 2.0]], 1)
        """
        counts = np.asarray(action_counts)
        if counts.ndim != 2 or counts.shape[1] != 2 or counts.shape[0] == 0:
            raise InvalidGameError(
                f"action_counts must have shape (states, 2), got {short(action_counts)}"
            )
        if not np.issubdtype(counts.dtype, np.integer) or (counts < 1).any():
            raise InvalidGameError("action_counts must be positive whole numbers")
        game = cls.__new__(cls)
        if sparse.issparse(transitions):
            matrix = transitions.tocsr().astype(np.float64)
        else:
            matrix = _array(transitions, "transitions")
        game._init(
            counts.astype(np.intp),
            _array(payoffs, "payoffs"),
            sparse.csr_matrix(matrix),
            discount_factor,
            states,
            actions,
        )
        return game

    def _init(
        self,
        counts: NDArray[np.intp],
        payoffs: NDArray[np.float64],
        transitions: sparse.csr_matrix,
        discount_factor: float,
        states: Sequence[str] | None,
        actions: Sequence[tuple[Sequence[str], Sequence[str]]] | None,
    ) -> None:
        n = counts.shape[0]
        sizes = counts[:, 0] * counts[:, 1]
        rows = int(sizes.sum())
        if payoffs.shape != (rows, 2):
            raise InvalidGameError(f"payoffs must have shape ({rows}, 2), got {payoffs.shape}")
        if transitions.shape != (rows, n):
            raise InvalidGameError(
                f"transitions must have shape ({rows}, {n}), got {transitions.shape}"
            )
        if not np.isfinite(transitions.data).all() or (transitions.data < 0).any():
            raise InvalidGameError("transition probabilities must be finite and non-negative")
        totals = np.asarray(transitions.sum(axis=1)).ravel()
        if (totals > 1 + PROBABILITY_SLACK).any():
            worst = int(np.argmax(totals))
            raise InvalidGameError(
                f"transition probabilities must sum to at most 1, got {totals[worst]:.12g} "
                f"at row {worst}"
            )
        transitions.eliminate_zeros()
        self._counts = counts
        self._payoffs = payoffs
        self._transitions = transitions
        self._delta = float(check_discount_factor(discount_factor, "discount_factor"))
        self._offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)
        self._state_of_row = np.repeat(np.arange(n), sizes)
        local = np.arange(rows) - self._offsets[self._state_of_row]
        columns = counts[self._state_of_row, 1]
        self._actions = np.stack([local // columns, local % columns], axis=1)
        self._states = _names(states, n, "states")
        self._action_names = _action_names(actions, counts)
        self._deviations: dict[
            int, tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]
        ] = {}
        for a in (self._counts, self._payoffs, self._offsets, self._state_of_row, self._actions):
            a.setflags(write=False)

    # ------------------------------------------------------------------ reading
    @property
    def n_states(self) -> int:
        """The number of states."""
        return int(self._counts.shape[0])

    @property
    def n_rows(self) -> int:
        """The number of action profiles, summed over the states."""
        return int(self._payoffs.shape[0])

    @property
    def action_counts(self) -> NDArray[np.intp]:
        """The number of actions of each player in each state, shape ``(states, 2)``."""
        return self._counts

    @property
    def payoffs(self) -> NDArray[np.float64]:
        """Each profile's stage payoffs, shape ``(rows, 2)``."""
        return self._payoffs

    @property
    def transitions(self) -> sparse.csr_matrix:
        """Each profile's probabilities of the next state, a sparse ``(rows, states)``
        matrix whose rows sum to at most 1."""
        return self._transitions

    @property
    def discount_factor(self) -> float:
        """The common discount factor."""
        return self._delta

    @property
    def offsets(self) -> NDArray[np.intp]:
        """Where each state's rows start, and the total (``states + 1`` entries)."""
        return self._offsets

    @property
    def state_of_row(self) -> NDArray[np.intp]:
        """The state of each row."""
        return self._state_of_row

    @property
    def actions_of_row(self) -> NDArray[np.intp]:
        """Each row's action of each player, shape ``(rows, 2)``."""
        return self._actions

    @property
    def states(self) -> tuple[str, ...]:
        """The state names."""
        return self._states

    def action_names(self, state: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The names of each player's actions in ``state``."""
        return self._action_names[state]

    def row(self, state: int, row_action: int, column_action: int) -> int:
        """The row of an action profile of a state."""
        m, n = self._counts[state]
        if not (0 <= row_action < m and 0 <= column_action < n):
            raise InvalidGameError(
                f"state {state} has {m} x {n} actions, got ({row_action}, {column_action})"
            )
        return int(self._offsets[state] + row_action * n + column_action)

    def describe_row(self, row: int) -> str:
        """A row as text: ``state NAME: (action, action)``."""
        x = int(self._state_of_row[row])
        i, j = self._actions[row]
        first, second = self._action_names[x]
        return f"state {self._states[x]}: ({first[i]}, {second[j]})"

    def deviations(
        self, player: int
    ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
        """The rows a player reaches by changing its own action alone.

        Rows that differ only in ``player``'s action form a group (the state and the
        other player's action). Returns ``(group_of_row, order, starts)``: each row's
        group, an ordering of the rows group by group, and where each group starts in
        that ordering -- so that ``numpy.maximum.reduceat(values[order], starts)`` is
        the best ``player`` can reach from each group.

        Examples
        --------
        >>> game = StochasticGame.from_rows([[2, 2]], np.zeros((4, 2)), np.eye(4, 1), 0.5)
        >>> group, order, starts = game.deviations(0)
        >>> group.tolist(), order.tolist(), starts.tolist()
        ([0, 1, 0, 1], [0, 2, 1, 3], [0, 2])
        """
        if player in self._deviations:
            return self._deviations[player]
        x = self._state_of_row
        other = self._actions[:, 1 - player]
        # A group per (state, other player's action), numbered state by state.
        first = np.concatenate([[0], np.cumsum(self._counts[:, 1 - player])])[:-1]
        group = (first[x] + other).astype(np.intp)
        order = np.argsort(group, kind="stable").astype(np.intp)
        starts = np.flatnonzero(np.diff(group[order], prepend=-1)).astype(np.intp)
        for a in (group, order, starts):
            a.setflags(write=False)
        self._deviations[player] = (group, order, starts)
        return group, order, starts

    def __repr__(self) -> str:
        return (
            f"StochasticGame(states={self.n_states}, profiles={self.n_rows}, "
            f"discount_factor={self._delta:g})"
        )


def _array(value: Any, name: str) -> NDArray[np.float64]:
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise InvalidGameError(f"{name} must be an array of numbers, got {short(value)}") from None
    if not np.isfinite(array).all():
        raise InvalidGameError(f"{name} must be finite")
    return array


def _matrices(stage: Any, x: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    try:
        A, B = stage
    except (TypeError, ValueError):
        raise InvalidGameError(
            f"stage_games[{x}] must be a pair of payoff matrices (A, B), got {short(stage)}"
        ) from None
    A, B = _array(A, f"stage_games[{x}][0]"), _array(B, f"stage_games[{x}][1]")
    if A.ndim != 2 or A.shape != B.shape or A.size == 0:
        raise InvalidGameError(
            f"stage_games[{x}] must be two matrices of the same shape, got {A.shape} and {B.shape}"
        )
    return A, B


def _names(names: Sequence[str] | None, n: int, what: str) -> tuple[str, ...]:
    if names is None:
        return tuple(str(k) for k in range(n))
    names = tuple(str(name) for name in names)
    if len(names) != n:
        raise InvalidGameError(f"{what} must give {n} names, got {len(names)}")
    return names


def _action_names(
    actions: Sequence[tuple[Sequence[str], Sequence[str]]] | None, counts: NDArray[np.intp]
) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    if actions is None:
        return tuple((_names(None, int(m), ""), _names(None, int(n), "")) for m, n in counts)
    if len(actions) != len(counts):
        raise InvalidGameError(f"actions must give the names of {len(counts)} states")
    return tuple(
        (_names(first, int(m), f"actions[{x}][0]"), _names(second, int(n), f"actions[{x}][1]"))
        for x, ((first, second), (m, n)) in enumerate(zip(actions, counts, strict=True))
    )
