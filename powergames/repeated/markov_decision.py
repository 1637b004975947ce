"""Markov decision problems on the states of a stochastic game, solved by policy
iteration (Howard 1960).

One decision maker picks, in every state, one of the action profiles of that state (a
row of :class:`~powergames.repeated.StochasticGame`); a row pays a reward and moves
the state by the row's transitions. Values are normalised as in repeated games: a
reward ``r`` received for ever is worth ``r`` (``(1 - delta)`` times the discounted
sum), and a row whose transitions sum to less than 1 may end the problem, after which
nothing more is received.

References
----------
Howard, R. A. (1960). Dynamic Programming and Markov Processes. MIT Press.
Puterman, M. L. (1994). Markov Decision Processes. Wiley, section 6.4.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sparse
import scipy.sparse.linalg as sparse_linalg
from numpy.typing import ArrayLike, NDArray

from powergames._validate import integer, tolerance
from powergames.errors import InfeasibleProblemError, InvalidParameterError
from powergames.repeated.stochastic_game import StochasticGame

__all__ = ["MarkovPolicy", "best_rows", "policy_iteration", "policy_values"]


@dataclass(frozen=True)
class MarkovPolicy:
    """An optimal stationary policy and its values.

    Attributes
    ----------
    values : numpy array
        The value of each state, shape ``(states,)``.
    policy : numpy array of int
        The row chosen in each state.
    iterations : int
        The policy improvements made (0 when the first policy was optimal).
    """

    values: NDArray[np.float64]
    policy: NDArray[np.intp]
    iterations: int


def policy_values(
    game: StochasticGame, policy: ArrayLike, rewards: ArrayLike
) -> NDArray[np.float64]:
    """The normalised values of a stationary policy: the solution ``V`` of
    ``V = (1 - delta) r + delta P V``, with ``r`` and ``P`` the rewards and
    transitions of the rows the policy picks.

    Parameters
    ----------
    game : StochasticGame
    policy : array_like of int
        A row of each state (``policy[x]`` a row of state ``x``).
    rewards : array_like
        A reward per row of the game.

    Examples
    --------
    >>> game = StochasticGame.from_rows([[1, 1]], [[0.0, 0.0]], [[0.5]], 0.8)
    >>> policy_values(game, [0], [1.0])   # survives each period with probability 1/2
    array([0.33333333])
    """
    rows = _policy(game, policy)
    r = _rewards(game, rewards)
    return _evaluate(game, rows, r)


def _evaluate(
    game: StochasticGame, rows: NDArray[np.intp], r: NDArray[np.float64]
) -> NDArray[np.float64]:
    delta = game.discount_factor
    P = game.transitions[rows]
    system = sparse.identity(game.n_states, format="csc") - delta * P.tocsc()
    values = sparse_linalg.spsolve(system, (1 - delta) * r[rows])
    return np.atleast_1d(np.asarray(values, dtype=np.float64))


def best_rows(
    game: StochasticGame, scores: NDArray[np.float64], allowed: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Each state's best score among its allowed rows, and the first row reaching it.

    Raises
    ------
    InfeasibleProblemError
        When a state has no allowed row.

    Examples
    --------
    >>> game = StochasticGame.from_rows([[1, 2]], np.zeros((2, 2)), [[1.0], [1.0]], 0.5)
    >>> best_rows(game, np.array([1.0, 3.0]), np.array([True, True]))
    (array([3.]), array([1]))
    """
    masked = np.where(allowed, scores, -np.inf)
    best = np.maximum.reduceat(masked, game.offsets[:-1])
    if np.isneginf(best).any():
        state = int(np.flatnonzero(np.isneginf(best))[0])
        raise InfeasibleProblemError(f"state {game.states[state]} has no allowed action profile")
    reached = np.flatnonzero(masked >= best[game.state_of_row])
    _, first = np.unique(game.state_of_row[reached], return_index=True)
    return best, reached[first].astype(np.intp)


def policy_iteration(
    game: StochasticGame,
    rewards: ArrayLike,
    *,
    allowed: ArrayLike | None = None,
    initial: ArrayLike | None = None,
    tol: float = 1e-10,
    max_iterations: int = 10_000,
) -> MarkovPolicy:
    """The policy that maximises the normalised discounted rewards in every state,
    by Howard's policy iteration.

    1. Start from ``initial`` or, in each state, the allowed row with the largest
       reward.
    2. Evaluate the policy: solve the linear system of :func:`policy_values`
       (scipy.sparse's direct solver).
    3. Improve it: in each state, the allowed row maximising ``(1 - delta) r +
       delta P V``; a state changes row only where that beats its current row by more
       than ``tol`` times the rewards' scale, so ties never cycle.
    4. Stop when no state changes: the policy is optimal (Puterman 1994, theorem
       6.4.2), up to ``tol``.

    Parameters
    ----------
    game : StochasticGame
        Its states, rows, transitions and discount factor.
    rewards : array_like
        A reward per row.
    allowed : array_like of bool, optional
        The rows the decision maker may choose (all by default); every state needs one.
    initial : array_like of int, optional
        A first policy (a row of each state, allowed).
    tol : float, default 1e-10
        Relative improvement below which a row is not changed.
    max_iterations : int, default 10000

    Returns
    -------
    MarkovPolicy

    Raises
    ------
    InfeasibleProblemError
        When a state has no allowed row, or the iterations run out.

    Examples
    --------
    >>> game = StochasticGame.from_rows([[1, 2]], [[0, 0], [0, 0]], [[1.0], [1.0]], 0.9)
    >>> result = policy_iteration(game, [1.0, 2.0])
    >>> result.values, result.policy
    (array([2.]), array([1]))
    """
    r = _rewards(game, rewards)
    mask = np.ones(game.n_rows, dtype=bool) if allowed is None else _mask(game, allowed, "allowed")
    tol = tolerance(tol)
    max_iterations = integer(max_iterations, "max_iterations", low=1)
    if initial is None:
        _, rows = best_rows(game, r, mask)
    else:
        rows = _policy(game, initial)
        if not mask[rows].all():
            raise InvalidParameterError("initial must choose an allowed row in every state")
    scale = tol * (1.0 + float(np.abs(r).max(initial=0.0)))
    delta = game.discount_factor
    for iteration in range(max_iterations):
        values = _evaluate(game, rows, r)
        scores = (1 - delta) * r + delta * (game.transitions @ values)
        best, argbest = best_rows(game, scores, mask)
        better = best > scores[rows] + scale
        if not better.any():
            return MarkovPolicy(values, rows, iteration)
        rows = np.where(better, argbest, rows)
    raise InfeasibleProblemError(f"policy iteration did not converge in {max_iterations} steps")


def _rewards(game: StochasticGame, rewards: ArrayLike) -> NDArray[np.float64]:
    r = np.asarray(rewards, dtype=np.float64)
    if r.shape != (game.n_rows,) or not np.isfinite(r).all():
        raise InvalidParameterError(
            f"rewards must be {game.n_rows} finite numbers, one per row, got shape {r.shape}"
        )
    return r


def _mask(game: StochasticGame, values: ArrayLike, name: str) -> NDArray[np.bool_]:
    mask = np.asarray(values)
    if mask.shape != (game.n_rows,) or mask.dtype != np.bool_:
        raise InvalidParameterError(f"{name} must be {game.n_rows} booleans, one per row")
    return mask


def _policy(game: StochasticGame, policy: ArrayLike) -> NDArray[np.intp]:
    rows = np.asarray(policy)
    if rows.shape != (game.n_states,) or not np.issubdtype(rows.dtype, np.integer):
        raise InvalidParameterError(
            f"policy must give one row (an integer) for each of the {game.n_states} states"
        )
    rows = rows.astype(np.intp)
    inside = (rows >= game.offsets[:-1]) & (rows < game.offsets[1:])
    if not inside.all():
        state = int(np.flatnonzero(~inside)[0])
        raise InvalidParameterError(f"policy[{state}] = {rows[state]} is not a row of that state")
    return rows
