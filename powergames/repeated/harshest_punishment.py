"""The harshest punishment of a player in a stochastic game with transfers
(Goldlücke & Kranz 2018), by strategy iteration for the punishers.

The punished player ``i`` best replies, state by state, to the punishers' action
``a_-i``, and is punished again after every deviation: its punishment payoff solves

    v_i(x) = min over a_-i of  max over a_i of  (1 - delta) u_i(a, x) + delta E[v_i(x') | a, x]

where the minimum runs over the punishers' actions that appear in some admissible
profile of state ``x``. The right side is a contraction in ``v_i``; it is the value of
a game in which the punishers move first in each state and the punished player
answers, solved here by strategy iteration (Hoffman & Karp 1966): fix the punishers'
actions, solve the punished player's best reply as a Markov decision problem, let the
punishers switch where that lowers the punished player's value, repeat.

References
----------
Goldlücke, S. and Kranz, S. (2018). Discounted stochastic games with voluntary
transfers. Economic Theory 66(1), 235-263.
Hoffman, A. J. and Karp, R. M. (1966). On nonterminating stochastic games. Management
Science 12(5), 359-370.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from powergames._validate import integer, tolerance
from powergames.errors import InfeasibleProblemError, InvalidParameterError
from powergames.repeated.markov_decision import policy_iteration
from powergames.repeated.stochastic_game import StochasticGame

__all__ = ["Punishment", "cheating_payoffs", "harshest_punishment"]


@dataclass(frozen=True)
class Punishment:
    """A player's harshest punishment.

    Attributes
    ----------
    player : int
        The punished player (0 plays rows, 1 columns).
    values : numpy array
        The punishment payoff ``v_i`` of each state.
    profiles : numpy array of int
        The admissible row played while punishing in each state (``a^i(x)``): its
        punishers' actions are the punishment; the punished player's own action in it
        is what transfers make it play.
    replies : numpy array of int
        The row the punished player's best reply leads to in each state.
    iterations : int
        The punishers' improvements.
    """

    player: int
    values: NDArray[np.float64]
    profiles: NDArray[np.intp]
    replies: NDArray[np.intp]
    iterations: int


def cheating_payoffs(game: StochasticGame, player: int, values: ArrayLike) -> NDArray[np.float64]:
    """For every row, the most ``player`` gets by deviating from it alone and being
    punished with ``values`` from the next period on: ``max over a_i of (1 - delta)
    u_i + delta E[values]`` over the rows that differ from it in ``player``'s action.

    Examples
    --------
    >>> game = StochasticGame([(np.array([[1.0, 0], [2, 0]]), np.zeros((2, 2)))],
    ...                       [np.ones((2, 2, 1))], 0.5)
    >>> cheating_payoffs(game, 0, [4.0]).tolist()   # 0.5 * 2 + 0.5 * 4 from column 0
    [3.0, 2.0, 3.0, 2.0]
    """
    player = integer(player, "player", low=0, high=1)
    v = np.asarray(values, dtype=np.float64)
    if v.shape != (game.n_states,):
        raise InvalidParameterError(f"values must give one number per state ({game.n_states})")
    group, order, starts = game.deviations(player)
    delta = game.discount_factor
    reach = (1 - delta) * game.payoffs[:, player] + delta * (game.transitions @ v)
    best = np.maximum.reduceat(reach[order], starts)
    return np.asarray(best[group], dtype=np.float64)


def harshest_punishment(
    game: StochasticGame,
    player: int,
    candidates: ArrayLike | None = None,
    *,
    tol: float = 1e-10,
    max_iterations: int = 10_000,
) -> Punishment:
    """The lowest payoff the other player can hold ``player`` to in every state, using
    only the punishers' actions of admissible profiles (``candidates``).

    1. In each state, start from the punishers' action that minimises the punished
       player's best stage payoff.
    2. Given the punishers' actions, the punished player's best reply is a Markov
       decision problem: solve it by policy iteration
       (:func:`powergames.repeated.policy_iteration`); its values are ``v_i``.
    3. Compute the cheating payoffs of every admissible punishers' action against
       ``v_i`` (:func:`cheating_payoffs`); switch a state's punishers' action where
       another lowers it by more than ``tol`` times the payoffs' scale.
    4. Stop when no state switches: ``v_i`` is then the fixed point of the minimax
       equation of the module docstring (every switch lowers ``v_i``, so the
       iteration ends).

    Parameters
    ----------
    game : StochasticGame
    player : 0 or 1
    candidates : array_like of bool, optional
        The admissible rows (all by default); every state needs one.
    tol : float, default 1e-10
    max_iterations : int, default 10000

    Returns
    -------
    Punishment

    Raises
    ------
    InfeasibleProblemError
        When a state has no admissible row, or the iterations run out.

    Examples
    --------
    In a one-state prisoners' dilemma both players are held to mutual defection's 0:

    >>> pd = np.array([[2.0, -1.0], [3.0, 0.0]])
    >>> game = StochasticGame([(pd, pd.T)], [np.ones((2, 2, 1))], 0.7)
    >>> punishment = harshest_punishment(game, 0)
    >>> punishment.values, game.describe_row(int(punishment.replies[0]))
    (array([0.]), 'state 0: (1, 1)')
    """
    player = integer(player, "player", low=0, high=1)
    tol = tolerance(tol)
    max_iterations = integer(max_iterations, "max_iterations", low=1)
    admissible = (
        np.ones(game.n_rows, dtype=bool)
        if candidates is None
        else np.asarray(candidates, dtype=bool)
    )
    if admissible.shape != (game.n_rows,):
        raise InvalidParameterError(f"candidates must be {game.n_rows} booleans, one per row")
    group, order, starts = game.deviations(player)
    n_groups = len(starts)
    group_states = game.state_of_row[order[starts]]
    group_offsets = np.searchsorted(group_states, np.arange(game.n_states + 1))
    usable = np.zeros(n_groups, dtype=bool)
    usable[group[admissible]] = True
    if not np.logical_or.reduceat(usable, group_offsets[:-1]).all():
        raise InfeasibleProblemError("a state has no admissible action profile to punish with")
    scale = tol * (1.0 + float(np.abs(game.payoffs[:, player]).max(initial=0.0)))

    def lowest(cheat: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
        masked = np.where(usable, cheat, np.inf)
        low = np.minimum.reduceat(masked, group_offsets[:-1])
        hits = np.flatnonzero(masked <= low[group_states])
        _, first = np.unique(group_states[hits], return_index=True)
        return low, hits[first].astype(np.intp)

    stage = np.maximum.reduceat(game.payoffs[order, player], starts)
    _, chosen = lowest(stage)  # one group per state
    reply = None
    for iteration in range(max_iterations):
        in_chosen = np.zeros(n_groups, dtype=bool)
        in_chosen[chosen] = True
        best_reply = policy_iteration(
            game, game.payoffs[:, player], allowed=in_chosen[group], initial=reply, tol=tol
        )
        reply = best_reply.policy
        cheat = cheating_payoffs(game, player, best_reply.values)
        group_cheat = np.empty(n_groups)
        group_cheat[group] = cheat
        low, argmin = lowest(group_cheat)
        switch = low < group_cheat[chosen] - scale
        if not switch.any():
            # The first admissible row of each chosen group: the punishment profile.
            rows = np.flatnonzero(admissible)
            groups, first = np.unique(group[rows], return_index=True)
            profile = np.empty(n_groups, dtype=np.intp)
            profile[groups] = rows[first]
            return Punishment(player, best_reply.values, profile[chosen], reply, iteration)
        chosen = np.where(switch, argmin, chosen)
        reply = None
    raise InfeasibleProblemError(f"the punishment did not converge in {max_iterations} steps")
