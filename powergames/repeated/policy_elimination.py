"""Subgame-perfect equilibria of stochastic games with voluntary transfers: the policy
elimination algorithm of Goldlücke & Kranz (2018).

With monetary transfers (risk-neutral players, perfect monitoring) every equilibrium
payoff can be reached by a *simple* equilibrium: on the equilibrium path a stationary
action profile ``a^e(x)`` is played in each state, and a deviation by player ``i`` is
met by the stick-and-carrot punishment ``a^i(x)``, after which play returns to the
path with transfers that give ``i`` its punishment payoff ``v_i``. The equilibrium
payoffs of state ``x`` are then the triangle ``{u : u_i >= v_i(x), u_1 + u_2 <=
U(x)}``, where ``U(x)`` is the highest joint payoff. An action profile ``a`` of state
``x`` can be played in an equilibrium -- on the path or in a punishment -- exactly
when it satisfies the *dynamic enforcement constraint*

    sum over i of c_i(a, x)  <=  (1 - delta) (u_1 + u_2)(a, x) + delta E[U(x') | a, x]

with ``c_i(a, x)`` player ``i``'s cheating payoff (:func:`cheating_payoffs`): the
joint payoff the profile promises must cover what every player could get by deviating
and being punished, since transfers can share the promise as incentives require.

References
----------
Goldlücke, S. and Kranz, S. (2018). Discounted stochastic games with voluntary
transfers. Economic Theory 66(1), 235-263.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from powergames._validate import integer, tolerance
from powergames.errors import InfeasibleProblemError, InvalidParameterError
from powergames.repeated.harshest_punishment import (
    Punishment,
    cheating_payoffs,
    harshest_punishment,
)
from powergames.repeated.markov_decision import policy_iteration
from powergames.repeated.stochastic_game import StochasticGame

__all__ = ["Enforcement", "TransferEquilibrium", "dynamic_enforcement", "policy_elimination"]

#: A test of which rows can be played in an equilibrium, given the highest joint
#: payoffs ``U`` (shape ``(states,)``) and the punishment payoffs ``v`` (shape
#: ``(states, 2)``): a boolean per row.
Enforcement = Callable[
    [StochasticGame, NDArray[np.float64], NDArray[np.float64]], NDArray[np.bool_]
]


@dataclass(frozen=True)
class TransferEquilibrium:
    """An optimal simple equilibrium of a stochastic game with transfers.

    Attributes
    ----------
    game : StochasticGame
    joint_payoff : numpy array
        The highest joint equilibrium payoff ``U(x)`` of each state (normalised).
    punishment_payoffs : numpy array
        The punishment payoffs ``v_i(x)``, shape ``(states, 2)``.
    equilibrium_rows : numpy array of int
        The profile ``a^e(x)`` played on the equilibrium path in each state (a row).
    punishment_rows : numpy array of int
        The profile ``a^i(x)`` that punishes player ``i`` (row ``i``), shape
        ``(2, states)``.
    candidates : numpy array of bool
        The rows left when the elimination stopped: every one of them satisfies the
        dynamic enforcement constraint.
    rounds : int
        The rounds of elimination.
    eliminated : tuple of int
        The rows eliminated in each round.
    improvements : int
        The policy improvements made over all rounds, in the joint payoffs' Markov
        decision problems and by the punishers.
    """

    game: StochasticGame
    joint_payoff: NDArray[np.float64]
    punishment_payoffs: NDArray[np.float64]
    equilibrium_rows: NDArray[np.intp]
    punishment_rows: NDArray[np.intp]
    candidates: NDArray[np.bool_]
    rounds: int
    eliminated: tuple[int, ...]
    improvements: int = 0

    @property
    def surplus(self) -> NDArray[np.float64]:
        """``U(x) - v_1(x) - v_2(x)``: what the relation is worth above punishment."""
        return np.asarray(self.joint_payoff - self.punishment_payoffs.sum(axis=1))

    def payoff_set(self, state: int) -> NDArray[np.float64]:
        """The vertices of the equilibrium payoffs of ``state``: the triangle
        ``(v_1, v_2)``, ``(U - v_2, v_2)``, ``(v_1, U - v_1)``.

        Examples
        --------
        >>> pd = np.array([[2.0, -1.0], [3.0, 0.0]])
        >>> game = StochasticGame([(pd, pd.T)], [np.ones((2, 2, 1))], 0.7)
        >>> policy_elimination(game).payoff_set(0).tolist()
        [[0.0, 0.0], [4.0, 0.0], [0.0, 4.0]]
        """
        v1, v2 = self.punishment_payoffs[state]
        U = self.joint_payoff[state]
        return np.array([[v1, v2], [U - v2, v2], [v1, U - v1]])


def dynamic_enforcement(
    game: StochasticGame, joint: ArrayLike, punishment: ArrayLike
) -> NDArray[np.float64]:
    """The slack of every row in the dynamic enforcement constraint: ``(1 - delta)
    (u_1 + u_2) + delta E[U] - c_1 - c_2`` (non-negative where the row can be played
    in an equilibrium).

    Parameters
    ----------
    game : StochasticGame
    joint : array_like
        The highest joint payoff of each state, ``U``.
    punishment : array_like
        The punishment payoffs, shape ``(states, 2)``.

    Examples
    --------
    Mutual cooperation in a repeated prisoners' dilemma at ``delta = 0.3``, with
    cooperation's 4 as the joint continuation and mutual defection's 0 as punishment:
    it promises 4, and each player could take ``0.7 * 3`` by defecting, 0.2 too much:

    >>> pd = np.array([[2.0, -1.0], [3.0, 0.0]])
    >>> game = StochasticGame([(pd, pd.T)], [np.ones((2, 2, 1))], 0.3)
    >>> round(float(dynamic_enforcement(game, [4.0], [[0.0, 0.0]])[0]), 9)
    -0.2
    """
    U = np.asarray(joint, dtype=np.float64)
    v = np.asarray(punishment, dtype=np.float64)
    if U.shape != (game.n_states,) or v.shape != (game.n_states, 2):
        raise InvalidParameterError(
            f"joint must have shape ({game.n_states},) and punishment ({game.n_states}, 2)"
        )
    delta = game.discount_factor
    promised = (1 - delta) * game.payoffs.sum(axis=1) + delta * (game.transitions @ U)
    needed = cheating_payoffs(game, 0, v[:, 0]) + cheating_payoffs(game, 1, v[:, 1])
    return np.asarray(promised - needed, dtype=np.float64)


def policy_elimination(
    game: StochasticGame,
    *,
    candidates: ArrayLike | None = None,
    enforceable: Enforcement | None = None,
    tol: float = 1e-9,
    max_rounds: int = 10_000,
) -> TransferEquilibrium:
    """The highest joint payoffs, the harshest punishments and an optimal simple
    equilibrium of a stochastic game with transfers, by policy elimination
    (Goldlücke & Kranz 2018).

    Start with every action profile admissible (or ``candidates``), then repeat:

    1. The highest joint payoff ``U`` of a policy using admissible profiles only: a
       Markov decision problem on the joint payoffs, solved by policy iteration
       (:func:`powergames.repeated.policy_iteration`).
    2. Each player's harshest punishment ``v_i`` with admissible profiles
       (:func:`powergames.repeated.harshest_punishment`).
    3. Eliminate the admissible profiles that fail the dynamic enforcement constraint
       (:func:`dynamic_enforcement`, or ``enforceable``) with these ``U`` and ``v``.
    4. Stop when no profile of the policies of steps 1 and 2 was eliminated: those
       policies form an optimal simple equilibrium, and ``U``, ``v`` are the highest
       joint payoffs and lowest punishment payoffs of all subgame-perfect equilibria.

    ``U`` never rises and ``v`` never falls from one round to the next (fewer profiles
    are admissible), so an eliminated profile could never be enforced later: no
    equilibrium is lost, and the rounds end after at most as many rounds as profiles.

    Parameters
    ----------
    game : StochasticGame
    candidates : array_like of bool, optional
        The profiles admissible at the start (all by default).
    enforceable : callable, optional
        ``enforceable(game, U, v)`` -> a boolean per row, in place of the dynamic
        enforcement constraint: the test of a model whose transfers follow other rules
        (paid within a meeting, bounded below). It must be monotone -- a lower ``U``
        or a higher ``v`` never admits more -- for the elimination to lose nothing.
    tol : float, default 1e-9
        Slack allowed in the constraint, relative to the payoffs' scale.
    max_rounds : int, default 10000

    Returns
    -------
    TransferEquilibrium

    Raises
    ------
    InfeasibleProblemError
        When every profile of some state is eliminated: the game has no pure-strategy
        subgame-perfect equilibrium.

    References
    ----------
    Goldlücke, S. and Kranz, S. (2018). Discounted stochastic games with voluntary
    transfers. Economic Theory 66(1), 235-263.

    Examples
    --------
    The two-state prisoners' dilemma of Abreu, Brooks & Sannikov, at ``delta = 0.7``
    (Goldlücke & Kranz 2018, section 4.4: ``U = (5.51, 6.49)``, ``v_i = (0.76, 1.24)``):

    >>> pd = np.array([[2.0, -1.0], [3.0, 0.0]])
    >>> move = lambda same: [[same, [0.5, 0.5]], [[0.5, 0.5], same]]
    >>> game = StochasticGame([(pd, pd.T), (pd + 2, pd.T + 2)],
    ...                       [move([1 / 3, 2 / 3]), move([2 / 3, 1 / 3])], 0.7)
    >>> eq = policy_elimination(game)
    >>> eq.joint_payoff.round(2), eq.punishment_payoffs.round(2)
    (array([5.51, 6.49]), array([[0.76, 0.76],
           [1.24, 1.24]]))
    >>> [game.describe_row(int(r)) for r in eq.equilibrium_rows]
    ['state 0: (0, 0)', 'state 1: (0, 0)']
    """
    tol = tolerance(tol)
    max_rounds = integer(max_rounds, "max_rounds", low=1)
    admissible = (
        np.ones(game.n_rows, dtype=bool) if candidates is None else np.array(candidates, dtype=bool)
    )
    if admissible.shape != (game.n_rows,):
        raise InvalidParameterError(f"candidates must be {game.n_rows} booleans, one per row")
    scale = tol * (1.0 + float(np.abs(game.payoffs).max(initial=0.0)))
    joint = game.payoffs.sum(axis=1)
    eliminated: list[int] = []
    improvements = 0
    path = None
    for rounds in range(1, max_rounds + 1):
        _check_every_state(game, admissible)
        initial = path if path is not None and admissible[path].all() else None
        best = policy_iteration(game, joint, allowed=admissible, initial=initial, tol=tol)
        path = best.policy
        punishments = [harshest_punishment(game, i, admissible, tol=tol) for i in (0, 1)]
        improvements += best.iterations + sum(p.iterations for p in punishments)
        v = np.stack([p.values for p in punishments], axis=1)
        if enforceable is None:
            passing = dynamic_enforcement(game, best.values, v) >= -scale
        else:
            passing = np.asarray(enforceable(game, best.values, v), dtype=bool)
        failing = admissible & ~passing
        eliminated.append(int(failing.sum()))
        admissible &= passing
        # U and v stand when the path keeps its rows and every punishers' action
        # chosen keeps an admissible row (Goldlücke & Kranz's stopping rule).
        profiles = [_remaining(game, p, admissible) for p in punishments]
        if admissible[path].all() and all(p is not None for p in profiles):
            return TransferEquilibrium(
                game,
                best.values,
                v,
                path,
                np.stack(profiles),  # type: ignore[arg-type]
                admissible,
                rounds,
                tuple(eliminated),
                improvements,
            )
    raise InfeasibleProblemError(f"the elimination did not end in {max_rounds} rounds")


def _remaining(
    game: StochasticGame, punishment: Punishment, admissible: NDArray[np.bool_]
) -> NDArray[np.intp] | None:
    """The punishment's profiles among the admissible rows: in each state, the first
    admissible row with the punishers' action chosen; ``None`` where none is left."""
    group, _, _ = game.deviations(punishment.player)
    chosen = group[punishment.profiles]
    rows = np.flatnonzero(admissible & np.isin(group, chosen))
    groups, first = np.unique(group[rows], return_index=True)
    if len(groups) < len(np.unique(chosen)):
        return None
    return np.asarray(rows[first][np.searchsorted(groups, chosen)], dtype=np.intp)


def _check_every_state(game: StochasticGame, admissible: NDArray[np.bool_]) -> None:
    left = np.logical_or.reduceat(admissible, game.offsets[:-1])
    if not left.all():
        state = int(np.flatnonzero(~left)[0])
        raise InfeasibleProblemError(
            f"no pure-strategy subgame-perfect equilibrium: every action profile of state "
            f"{game.states[state]} fails the dynamic enforcement constraint"
        )
