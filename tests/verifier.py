"""A brute-force verifier of the partnership model that uses none of its closed forms.

Everything here is computed from the stage game's payoff matrices alone: the minmax by
min-max over pure strategies, the surplus as a difference of payoffs, the transfer that
pays a given share by solving the OCI's payoff for it, each partner's one-shot
deviation against termination, the donor-beneficiary alternative by searching for the
least transfer the NGO accepts. It works in exact arithmetic when the payoffs are
Fractions (``exact_stage_game``) and in floats otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

IMPOSE, DILUTE, WITHDRAW = 0, 1, 2
COMPLY, ASSERT, EXIT = 0, 1, 2


def exact_stage_game(values: dict[str, Fraction], transfer: Fraction) -> tuple[list, list]:
    """DESIGN.md section 6's table, written out entry by entry in Fractions."""
    lam = values["funder_accountability"] + values["membership_accountability"]
    lp, lm = values["pragmatic_legitimacy"], values["moral_legitimacy"]
    g, b, e = values["control_gain"], values["autonomy_value"], values["assertion_cost"]
    phi, wN, wS = (
        values["shared_paradigm"],
        values["oci_outside_option"],
        values["ngo_outside_option"],
    )
    R = transfer
    A = [
        [lam * lp - R + g, lam * (lp + lm) - R + g, wN],
        [lam * lp - R + phi * b, lam * (lp + lm) - R + phi * b, wN],
        [wN, wN, wN],
    ]
    B = [
        [R, R - e + phi * lm, wS],
        [R + b, R + b - e + phi * lm, wS],
        [wS, wS, wS],
    ]
    return A, B


@dataclass
class Stage:
    """The stage game as functions of the transfer (payoffs are affine in it)."""

    at_zero: tuple[Any, Any]  # (A, B) at transfer 0, lists of lists

    def payoffs(self, transfer: Any) -> tuple[list, list]:
        A0, B0 = self.at_zero
        A = [[A0[i][j] - (transfer if i < 2 and j < 2 else 0) for j in range(3)] for i in range(3)]
        B = [[B0[i][j] + (transfer if i < 2 and j < 2 else 0) for j in range(3)] for i in range(3)]
        return A, B

    def minmax(self) -> tuple[Any, Any]:
        A, B = self.payoffs(0)
        m_N = min(max(A[i][j] for i in range(3)) for j in range(3))
        m_S = min(max(B[i][j] for j in range(3)) for i in range(3))
        return m_N, m_S

    def is_stage_equilibrium(self, i: int, j: int, transfer: Any) -> bool:
        A, B = self.payoffs(transfer)
        return A[i][j] >= max(A[k][j] for k in range(3)) and B[i][j] >= max(
            B[i][k] for k in range(3)
        )

    def least_accepted_transfer(self, i: int, j: int, floor: Any) -> Any:
        """The least transfer >= floor at which the NGO gets its minmax in cell (i, j):
        the NGO's payoff rises one for one with the transfer."""
        _, B = self.payoffs(0)
        _, m_S = self.minmax()
        need = m_S - B[i][j]
        return need if need > floor else floor


def stage_of(game_at_zero: Any) -> Stage:
    A, B = game_at_zero
    return Stage(([list(r) for r in A], [list(r) for r in B]))


def weight_is_admissible(stage: Stage, a: Any, delta: Any, floor: Any, tol: Any = 0) -> bool:
    """Whether (dilute, assert) forever, arbitrated at OCI weight ``a``, is a
    subgame-perfect equilibrium with termination as punishment that the OCI funds with
    at least ``floor`` and prefers to the donor-beneficiary relation, and that the
    arbitration selects (it maximises the joint payoff). ``tol`` absorbs round-off
    (0 in exact arithmetic)."""
    m_N, m_S = stage.minmax()
    A0, B0 = stage.payoffs(0)
    joint = [[A0[i][j] + B0[i][j] for j in range(2)] for i in range(2)]
    surplus = joint[DILUTE][ASSERT] - m_N - m_S
    best = max(joint[i][j] for i in range(2) for j in range(2))
    if surplus <= 0 or best > joint[DILUTE][ASSERT] + tol:
        return False
    u_N = m_N + a * surplus
    transfer = A0[DILUTE][ASSERT] - u_N  # solves A[D, A](R) = u_N
    if transfer < floor - tol:
        return False
    A, B = stage.payoffs(transfer)
    u_S = B[DILUTE][ASSERT]
    # One-shot deviations, termination (the minmax, a stage equilibrium) after.
    best_N = max(A[i][ASSERT] for i in range(3))
    best_S = max(B[DILUTE][j] for j in range(3))
    if (1 - delta) * best_N + delta * m_N > u_N + tol:
        return False
    if (1 - delta) * best_S + delta * m_S > u_S + tol:
        return False
    # The OCI's participation: better than the donor-beneficiary relation where
    # (impose, comply) is a stage equilibrium at the least transfer the NGO accepts.
    paid = stage.least_accepted_transfer(IMPOSE, COMPLY, floor)
    if stage.is_stage_equilibrium(IMPOSE, COMPLY, paid):
        A_db, _ = stage.payoffs(paid)
        if A_db[IMPOSE][COMPLY] > u_N + tol:
            return False
    return True


def admissible_weights(stage: Stage, delta: Any, floor: Any, grid: list, tol: Any = 0) -> list:
    """The weights of ``grid`` at which the partnership is admissible."""
    return [a for a in grid if weight_is_admissible(stage, a, delta, floor, tol)]


def scale(stage: Stage) -> float:
    """The largest payoff in absolute value, for tolerances in floating point."""
    return 1.0 + float(max(abs(x) for M in stage.at_zero for row in M for x in row))


def deviation_gains(stage: Stage, transfer: Any, delta: Any) -> tuple[Any, Any]:
    """Each partner's gain from its best one-shot deviation from (dilute, assert)
    forever at ``transfer``, termination after (<= 0: no profitable deviation)."""
    m_N, m_S = stage.minmax()
    A, B = stage.payoffs(transfer)
    gain_N = (1 - delta) * max(A[i][ASSERT] for i in range(3)) + delta * m_N - A[DILUTE][ASSERT]
    gain_S = (1 - delta) * max(B[DILUTE][j] for j in range(3)) + delta * m_S - B[DILUTE][ASSERT]
    return gain_N, gain_S


def float_stage(game: Any) -> Stage:
    A, B = (np.asarray(M, dtype=float).tolist() for M in game.payoffs)
    return stage_of((A, B))
