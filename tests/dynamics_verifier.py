"""An independent verifier of the dynamic partnership model's equilibria.

It uses neither the solver's value functions nor its stochastic game. From the model's
parameters it rebuilds, state by state, the version-2 stage game
(:func:`powergames.partnership.partnership_game`) and, in plain loops, the transitions
(the laws of motion and the grid lotteries written out again here). Given only the
meeting played in each state and its transfer, it computes each partner's values by
solving the linear system of the Markov chain, and checks that:

- on the path, no one-shot deviation pays either partner in any state, the deviator
  being punished by parting for ever (withdraw, exit);
- in the punishment, parting for ever, no one-shot deviation pays either;
- resources flow South: every transfer is at least the floor.

The transfer is paid in a meeting whatever the partners do in it (the stage game of
version 2), and not when one of them withdraws or exits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sparse

from powergames.partnership import partnership_game

WITHDRAW, EXIT = 2, 2
ASSERT, DILUTE, IMPOSE = 1, 1, 0


@dataclass
class Verdict:
    deviations: int  # one-shot deviations checked
    worst: float  # the largest gain from one of them (<= tolerance for an equilibrium)
    floor_gap: float  # the largest shortfall of a transfer below the floor


def _lottery(value: float, axis: np.ndarray) -> list[tuple[int, float]]:
    x = min(max(value, axis[0]), axis[-1])
    if axis.size == 1:
        return [(0, 1.0)]
    k = 0
    while k + 2 < axis.size and axis[k + 1] <= x:
        k += 1
    up = (x - axis[k]) / (axis[k + 1] - axis[k])
    return [(k, 1 - up), (k + 1, up)]


def stage_and_moves(model):
    """The stage payoffs (absolute, no transfer), the outside options, the floors and
    the transition probabilities of every state and profile."""
    legitimacy, trust = model.grid.legitimacy, model.grid.trust
    nL, nT, k = legitimacy.size, trust.size, len(model.chain)
    laws, P = model.laws, model.chain.transitions
    n = nL * nT * k
    A, B = np.zeros((n, 3, 3)), np.zeros((n, 3, 3))
    outside, floor = np.zeros((n, 2)), np.zeros(n)
    moves = {(i, j): sparse.lil_matrix((n, n)) for i in range(3) for j in range(3)}
    for z, era in enumerate(model.chain.eras):
        params = era.parameters(model.parameters)
        for a, L in enumerate(legitimacy):
            for b, phi in enumerate(trust):
                s = (z * nL + a) * nT + b
                game = partnership_game(
                    params.replace(moral_legitimacy=L, shared_paradigm=phi), 0.0
                )
                A[s], B[s] = game.payoffs
                outside[s] = params.oci_outside_option, params.ngo_outside_option
                floor[s] = params.transfer_floor
                survive = 1 - model.hazard * (1 - phi)
                for i in range(3):
                    for j in range(3):
                        meet = i != WITHDRAW and j != EXIT
                        L2 = (1 - laws.depreciation) * L + (
                            laws.production if meet and j == ASSERT else 0
                        )
                        phi2 = phi
                        if meet and i == DILUTE and j == ASSERT:
                            phi2 = phi + laws.trust_growth * (1 - phi)
                        elif meet and i == IMPOSE:
                            phi2 = phi - laws.trust_erosion * phi
                        for a2, wa in _lottery(L2, legitimacy):
                            for b2, wb in _lottery(phi2, trust):
                                for z2 in range(k):
                                    moves[i, j][s, (z2 * nL + a2) * nT + b2] += (
                                        survive * P[z, z2] * wa * wb
                                    )
    return A, B, outside, floor, {key: m.tocsr() for key, m in moves.items()}


def verify(model, path: np.ndarray, transfer: np.ndarray) -> Verdict:
    """Check the equilibrium that plays ``path[s] = (i, j)`` with ``transfer[s]`` in
    every state (see the module docstring)."""
    A, B, outside, floor, moves = stage_and_moves(model)
    n = A.shape[0]
    beta = np.exp(-model.rate * model.period)
    x = np.arange(n)
    i, j = path[:, 0], path[:, 1]
    meets = (i != WITHDRAW) & (j != EXIT)
    R = np.where(meets, transfer, 0.0)

    def payoffs(s, a, b, paid):
        met = a != WITHDRAW and b != EXIT
        pay = paid if met else 0.0
        return A[s, a, b] - outside[s, 0] - pay, B[s, a, b] - outside[s, 1] + pay

    def values(rewards, chain):
        return np.linalg.solve(np.eye(n) - beta * chain, (1 - beta) * rewards)

    on_path = np.array([payoffs(s, i[s], j[s], R[s]) for s in x])
    chain = np.array([moves[i[s], j[s]][s].toarray().ravel() for s in x])
    V = np.column_stack([values(on_path[:, p], chain) for p in (0, 1)])
    parting = moves[WITHDRAW, EXIT].toarray()
    parted = np.array([payoffs(s, WITHDRAW, EXIT, 0.0) for s in x])
    punished = np.column_stack([values(parted[:, p], parting) for p in (0, 1)])

    def ahead(a, b, s, p):  # the deviator's punishment value after (a, b) in s
        return float((moves[a, b][s] @ punished[:, p])[0])

    worst, count = -np.inf, 0
    for s in x:
        for a in range(3):  # the OCI deviates
            if a != i[s]:
                gain = (1 - beta) * payoffs(s, a, j[s], R[s])[0] + beta * ahead(a, j[s], s, 0)
                worst, count = max(worst, gain - V[s, 0]), count + 1
            if a != WITHDRAW:  # from parting
                gain = (1 - beta) * payoffs(s, a, EXIT, 0.0)[0] + beta * ahead(a, EXIT, s, 0)
                worst, count = max(worst, gain - punished[s, 0]), count + 1
        for b in range(3):  # the NGO deviates
            if b != j[s]:
                gain = (1 - beta) * payoffs(s, i[s], b, R[s])[1] + beta * ahead(i[s], b, s, 1)
                worst, count = max(worst, gain - V[s, 1]), count + 1
            if b != EXIT:
                gain = (1 - beta) * payoffs(s, WITHDRAW, b, 0.0)[1] + beta * ahead(
                    WITHDRAW, b, s, 1
                )
                worst, count = max(worst, gain - punished[s, 1]), count + 1
    gap = float(np.max(np.where(meets, floor - transfer, -np.inf), initial=-np.inf))
    return Verdict(count, float(worst), gap)
