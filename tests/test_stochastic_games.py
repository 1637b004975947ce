"""Stochastic games with transfers: Goldlücke & Kranz's policy elimination against the
results they print, against brute force on small games, and its dynamic programmes
against quantecon."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sparse
from hypothesis import event, given, settings
from hypothesis import strategies as st

from powergames.errors import InfeasibleProblemError, InvalidGameError, InvalidParameterError
from powergames.repeated import (
    StochasticGame,
    cheating_payoffs,
    dynamic_enforcement,
    harshest_punishment,
    policy_elimination,
    policy_iteration,
    policy_values,
)
from powergames.strategies import stochastic_games

# ------------------------------------------------------------ published results
PD = np.array([[2.0, -1.0], [3.0, 0.0]])


def two_state_prisoners_dilemma(delta: float) -> StochasticGame:
    """Abreu, Brooks & Sannikov's two-state prisoners' dilemma as Goldlücke & Kranz
    (2018, section 4.4) specify it: state 2 pays 2 more; after mutual cooperation or
    mutual defection the state moves to (1/3, 2/3) from state 1 and (2/3, 1/3) from
    state 2, after a unilateral defection to (1/2, 1/2)."""

    def move(same: list[float]) -> list:
        return [[same, [0.5, 0.5]], [[0.5, 0.5], same]]

    return StochasticGame(
        [(PD, PD.T), (PD + 2, PD.T + 2)],
        [move([1 / 3, 2 / 3]), move([2 / 3, 1 / 3])],
        delta,
        actions=[(("C", "D"), ("C", "D"))] * 2,
    )


@pytest.mark.parametrize(
    ("delta", "joint", "punishment", "path"),
    [
        (0.7, [5.51, 6.49], [0.76, 1.24], "C"),
        (0.357, [4.85, 7.15], [0.43, 1.57], "C"),
        (0.356, [0.85, 3.15], [0.42, 1.58], "D"),
    ],
)
def test_two_state_prisoners_dilemma_as_published(delta, joint, punishment, path):
    # Goldlücke & Kranz (2018), section 4.4, replication code (dyngame's
    # examples/article/4_4_ABS_vs_GK): U, v_1 = v_2 and the path, to two decimals;
    # cooperation holds from delta = 0.357 and not at 0.356.
    game = two_state_prisoners_dilemma(delta)
    eq = policy_elimination(game)
    assert np.abs(eq.joint_payoff - joint).max() <= 0.005 + 1e-9
    assert np.abs(eq.punishment_payoffs - np.array(punishment)[:, None]).max() <= 0.005 + 1e-9
    for state, row in enumerate(eq.equilibrium_rows):
        assert game.describe_row(int(row)) == f"state {state}: ({path}, {path})"


def test_the_critical_discount_factor_of_the_two_state_dilemma_lies_between_the_published_ones():
    # "the critical discount factor to implement cooperation in both states is ...
    # around 0.357" (same source): bisect it.
    def cooperates(delta: float) -> bool:
        eq = policy_elimination(two_state_prisoners_dilemma(delta))
        return bool((eq.game.actions_of_row[eq.equilibrium_rows] == 0).all())

    low, high = 0.3, 0.4
    assert not cooperates(low) and cooperates(high)
    for _ in range(30):
        middle = (low + high) / 2
        low, high = (low, middle) if cooperates(middle) else (middle, high)
    assert 0.356 < high < 0.357


def cournot_reserves(
    capacity: int, demand: int, low: int, high: int, delta: float
) -> StochasticGame:
    """Goldlücke & Kranz's Cournot duopoly with stochastic water reserves (section
    4.3): reserves 0..capacity per firm, each firm sells q_i up to its reserve, price
    max(demand - q_1 - q_2, 0), and each reserve then grows by an independent uniform
    integer in [low, high], clipped to [0, capacity]."""
    levels = range(capacity + 1)
    states = list(itertools.product(levels, levels))
    index = {s: k for k, s in enumerate(states)}
    counts, payoffs, rows, columns, values = [], [], [], [], []
    increments = list(itertools.product(range(low, high + 1), repeat=2))
    for x1, x2 in states:
        counts.append((x1 + 1, x2 + 1))
        for q1 in range(x1 + 1):
            for q2 in range(x2 + 1):
                price = max(demand - q1 - q2, 0)
                payoffs.append((price * q1, price * q2))
                for a, b in increments:
                    nxt = (min(max(x1 - q1 + a, 0), capacity), min(max(x2 - q2 + b, 0), capacity))
                    rows.append(len(payoffs) - 1)
                    columns.append(index[nxt])
                    values.append(1 / len(increments))
    matrix = sparse.coo_matrix((values, (rows, columns)), shape=(len(payoffs), len(states)))
    return StochasticGame.from_rows(
        np.array(counts),
        np.array(payoffs, float),
        matrix.tocsr(),
        delta,
        states=[f"{a};{b}" for a, b in states],
    )


# Goldlücke & Kranz (2018) section 4.4, replication code: the Cournot game of size 5 at
# delta = 0.7 with reserves growing by 0, 1 or 2 -- per state (x1;x2): U, v1, v2, the
# total output Q and the joint stage profit G of the path (the path itself is not
# unique: (0, 2) and (1, 1) tie).
COURNOT_5 = """
0;0 3.67 1.73 1.73 0 0|0;1 4.87 1.73 2.93 1 4|0;2 5.47 1.58 3.53 2 6|0;3 5.75 1.58 3.93 2 6
0;4 5.88 1.43 4.16 2 6|0;5 5.94 1.31 4.31 2 6|1;0 4.87 2.93 1.73 1 4|1;1 5.47 2.63 2.63 2 6
1;2 5.75 2.33 3.03 2 6|1;3 5.88 2.18 3.33 2 6|1;4 5.94 1.89 3.56 2 6|1;5 5.97 1.73 3.71 2 6
2;0 5.47 3.53 1.58 2 6|2;1 5.75 3.03 2.33 2 6|2;2 5.88 2.73 2.73 2 6|2;3 5.94 2.49 2.96 2 6
2;4 5.97 2.19 3.11 2 6|2;5 5.99 2.00 3.18 2 6|3;0 5.75 3.93 1.58 2 6|3;1 5.88 3.33 2.18 2 6
3;2 5.94 2.96 2.49 2 6|3;3 5.97 2.67 2.67 2 6|3;4 5.99 2.37 2.79 2 6|3;5 5.99 2.15 2.85 2 6
4;0 5.88 4.16 1.43 2 6|4;1 5.94 3.56 1.89 2 6|4;2 5.97 3.11 2.19 2 6|4;3 5.99 2.79 2.37 2 6
4;4 5.99 2.49 2.49 2 6|4;5 6.00 2.24 2.55 2 6|5;0 5.94 4.31 1.31 2 6|5;1 5.97 3.71 1.73 2 6
5;2 5.99 3.18 2.00 2 6|5;3 5.99 2.85 2.15 2 6|5;4 6.00 2.55 2.24 2 6|5;5 6.00 2.29 2.29 2 6
"""


def test_cournot_with_water_reserves_of_size_5_as_published():
    game = cournot_reserves(5, 5, 0, 2, 0.7)
    eq = policy_elimination(game)
    entries = [line.split() for line in COURNOT_5.replace("|", "\n").split("\n") if line.strip()]
    assert [e[0] for e in entries] == list(game.states)
    published = np.array([[float(x) for x in e[1:]] for e in entries])
    ours = np.column_stack([eq.joint_payoff, eq.punishment_payoffs])
    assert np.abs(ours - published[:, :3]).max() <= 0.005 + 1e-9
    q = game.actions_of_row[eq.equilibrium_rows].sum(axis=1)
    assert q.tolist() == published[:, 3].astype(int).tolist()
    joint = game.payoffs[eq.equilibrium_rows].sum(axis=1)
    assert joint.tolist() == published[:, 4].tolist()


def test_cournot_with_water_reserves_of_size_20_as_published():
    # Section 4.3's game (K = 20, reserves up to 20 growing by 3 or 4, delta = 2/3):
    # the replication code prints the first six states.
    game = cournot_reserves(20, 20, 3, 4, 2 / 3)
    eq = policy_elimination(game)
    published = [
        (60.33, 30.17, 30.17),
        (66.67, 30.17, 36.50),
        (72.33, 30.17, 42.17),
        (77.33, 30.17, 47.17),
        (81.67, 30.17, 51.50),
        (85.33, 30.17, 55.17),
    ]
    ours = np.column_stack([eq.joint_payoff, eq.punishment_payoffs])[:6]
    assert np.abs(ours - np.array(published)).max() <= 0.005 + 1e-9
    # Firm 1 has no water in these states: firm 2 sells its whole reserve.
    assert game.actions_of_row[eq.equilibrium_rows[:6]].tolist() == [[0, q] for q in range(6)]


# -------------------------------------------------------------- brute force
def _policies(game: StochasticGame, allowed=None):
    """Every stationary pure policy: one row per state."""
    choices = [
        [r for r in range(game.offsets[x], game.offsets[x + 1]) if allowed is None or allowed[r]]
        for x in range(game.n_states)
    ]
    return [np.array(p) for p in itertools.product(*choices)]


def _value(game: StochasticGame, rows, rewards):
    """Normalised values of a policy, by a dense linear solve."""
    P = game.transitions[rows].toarray()
    delta = game.discount_factor
    return np.linalg.solve(np.eye(game.n_states) - delta * P, (1 - delta) * rewards[rows])


def _best_reply_value(game: StochasticGame, player: int, punishers):
    """The punished player's best reply to the punishers' stationary actions (the
    other player's action of each state's row ``punishers``), by enumerating the
    punished player's stationary policies."""
    others = game.actions_of_row[punishers, 1 - player]
    allowed = game.actions_of_row[:, 1 - player] == others[game.state_of_row]
    values = [_value(game, p, game.payoffs[:, player]) for p in _policies(game, allowed)]
    return np.max(values, axis=0)


def _valid(game, U, v, rows, tol):
    """The dynamic enforcement constraint of rows, from the values given."""
    delta = game.discount_factor
    promised = (1 - delta) * game.payoffs[rows].sum(axis=1) + delta * (game.transitions[rows] @ U)
    needed = sum(cheating_payoffs(game, i, v[:, i])[rows] for i in (0, 1))
    return bool((promised - needed >= -tol).all())


@settings(max_examples=40)
@given(game=stochastic_games(max_states=2, max_actions=2, ending=True))
def test_policy_elimination_finds_the_best_simple_equilibrium_of_small_games(game):
    # Goldlücke & Kranz (2018), theorem: the optimal simple equilibrium attains the
    # highest joint payoff and the lowest punishments of all SPE in every state. Brute
    # force: every triple of stationary policies (path, punishment of 1, of 2) whose
    # rows all meet the dynamic enforcement constraint, with values computed here.
    tol = 1e-9 * (1 + np.abs(game.payoffs).max())
    policies = _policies(game)
    joint = game.payoffs.sum(axis=1)
    U_of = {tuple(p): _value(game, p, joint) for p in policies}
    v_of = [{tuple(p): _best_reply_value(game, i, p) for p in policies} for i in (0, 1)]
    best_U, lowest_v, any_valid = None, None, False
    for path in policies:
        U = U_of[tuple(path)]
        for p0 in policies:
            for p1 in policies:
                v = np.column_stack([v_of[0][tuple(p0)], v_of[1][tuple(p1)]])
                if not _valid(game, U, v, np.concatenate([path, p0, p1]), tol):
                    continue
                any_valid = True
                best_U = U if best_U is None else np.maximum(best_U, U)
                lowest_v = v if lowest_v is None else np.minimum(lowest_v, v)
    event(f"pure equilibrium: {any_valid}; states: {game.n_states}")
    if not any_valid:
        with pytest.raises(InfeasibleProblemError):
            policy_elimination(game)
        return
    eq = policy_elimination(game)
    assert np.allclose(eq.joint_payoff, best_U, atol=1e-8 * (1 + np.abs(best_U).max()))
    assert np.allclose(eq.punishment_payoffs, lowest_v, atol=1e-8 * (1 + np.abs(lowest_v).max()))


@settings(max_examples=60)
@given(game=stochastic_games(max_states=3, max_actions=3, ending=True))
def test_the_equilibrium_found_is_one_by_values_computed_afresh(game):
    # Independently of the solver's values: U from the path's linear system, v_i from
    # the punished player's best reply to the punishment profiles, and every row of
    # the three policies meeting the dynamic enforcement constraint with them.
    try:
        eq = policy_elimination(game)
    except InfeasibleProblemError:
        return
    U = _value(game, eq.equilibrium_rows, game.payoffs.sum(axis=1))
    v = np.column_stack([_best_reply_value(game, i, eq.punishment_rows[i]) for i in (0, 1)])
    scale = 1e-8 * (1 + np.abs(game.payoffs).max())
    assert np.allclose(U, eq.joint_payoff, atol=scale)
    assert np.allclose(v, eq.punishment_payoffs, atol=scale)
    rows = np.concatenate([eq.equilibrium_rows, *eq.punishment_rows])
    assert _valid(game, U, v, rows, scale)
    assert (dynamic_enforcement(game, U, v)[eq.candidates] >= -scale).all()


# ------------------------------------------------------------ Markov decisions
@settings(max_examples=60)
@given(
    game=stochastic_games(max_states=3, max_actions=3, ending=True), player=st.sampled_from([0, 1])
)
def test_policy_iteration_beats_every_stationary_policy(game, player):
    rewards = game.payoffs[:, player]
    best = policy_iteration(game, rewards)
    assert np.allclose(policy_values(game, best.policy, rewards), best.values)
    for p in _policies(game):
        assert (_value(game, p, rewards) <= best.values + 1e-9 * (1 + np.abs(rewards).max())).all()


@pytest.mark.peers
@pytest.mark.parametrize("size", [3, 5])
def test_the_highest_joint_payoff_is_quantecons_discrete_dp(size):
    # The dynamic programme of step 1 on the profiles left at the end, solved by
    # quantecon's DiscreteDP (policy iteration, state-action formulation).
    qe = pytest.importorskip("quantecon")
    game = cournot_reserves(size, size, 0, 2, 0.7)
    eq = policy_elimination(game)
    rows = np.flatnonzero(eq.candidates)
    delta = game.discount_factor
    ddp = qe.markov.DiscreteDP(
        (1 - delta) * game.payoffs[rows].sum(axis=1),
        game.transitions[rows],
        delta,
        game.state_of_row[rows],
        game.actions_of_row[rows, 0] * game.action_counts[game.state_of_row[rows], 1]
        + game.actions_of_row[rows, 1],
    )
    result = ddp.solve(method="policy_iteration")
    assert np.allclose(result.v, eq.joint_payoff, rtol=1e-10, atol=1e-10)


# ------------------------------------------------------------------ input
def test_harshest_punishment_in_a_one_state_dilemma_is_mutual_defection():
    game = StochasticGame([(PD, PD.T)], [np.ones((2, 2, 1))], 0.7)
    punishment = harshest_punishment(game, 1)
    assert punishment.values.tolist() == [0.0]
    assert game.actions_of_row[punishment.profiles[0], 0] == 1  # the row player defects


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: StochasticGame([], [], 0.5), "at least one state"),
        (lambda: StochasticGame([(PD, PD)], [np.ones((2, 2, 2))], 0.5), r"shape \(2, 2, 1\)"),
        (lambda: StochasticGame([(PD, PD)], [np.full((2, 2, 1), 1.5)], 0.5), "at most 1"),
        (lambda: StochasticGame([(PD, PD)], [-np.ones((2, 2, 1))], 0.5), "non-negative"),
        (lambda: StochasticGame([(PD, PD[:1])], [np.ones((2, 2, 1))], 0.5), "same shape"),
        (lambda: StochasticGame([(PD, PD * np.nan)], [np.ones((2, 2, 1))], 0.5), "finite"),
        (lambda: StochasticGame.from_rows([[0, 1]], [], [], 0.5), "positive whole numbers"),
    ],
)
def test_malformed_games_are_refused(build, message):
    with pytest.raises(InvalidGameError, match=message):
        build()


def test_a_discount_factor_of_one_is_refused():
    with pytest.raises(InvalidParameterError, match="discount_factor"):
        StochasticGame([(PD, PD)], [np.ones((2, 2, 1))], 1.0)


def test_a_game_without_pure_equilibrium_says_so():
    # Matching pennies repeated: no pure-strategy SPE at any discount factor.
    pennies = np.array([[1.0, -1.0], [-1.0, 1.0]])
    game = StochasticGame([(pennies, -pennies)], [np.ones((2, 2, 1))], 0.9)
    with pytest.raises(InfeasibleProblemError, match="no pure-strategy subgame-perfect"):
        policy_elimination(game)
