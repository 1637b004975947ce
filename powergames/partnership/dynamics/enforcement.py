"""Which meetings can be enforced with resources flowing South: the version-2 window of
admissible weights, in the dynamic game.

Goldlücke & Kranz's dynamic enforcement constraint pools the two partners' incentives,
because unlimited transfers can share what a meeting promises in any way. The
partnership model restricts transfers: the OCI pays the NGO at least the floor ``R_0``
in each meeting, never the reverse (limited liability), and the OCI joins only at a
share at least what imposing would bring it (its participation). So a meeting is
enforceable where some weight ``a`` -- the OCI's share of the dynamic surplus ``S = U -
v_N - v_S``, the same share from now on -- satisfies all of

1. the OCI's incentive: ``a delta E[S'] >= D_N``, its best gain from deviating within
   the meeting (imposing rather than diluting, ...), counting what its deviation
   does to the stocks and its punishment afterwards;
2. the NGO's incentive: ``(1 - a) delta E[S'] >= D_S``;
3. limited liability: the transfer that gives the OCI ``v_N + a S`` now and later is at
   least ``R_0``: ``a (S - delta E[S']) <= (1 - delta)(u_N - R_0) - v_N + delta
   E[v_N']``;
4. participation: each partner gets at least what leaving the meeting gives
   (``a S >= P_N``, ``(1 - a) S >= P_S``), and, where (impose, comply) is a stage
   equilibrium, the OCI gets at least the donor-beneficiary gain, valued as if the
   current terms lasted;
5. ``0 <= a <= 1``.

``S`` and ``delta E[S']`` are those of playing the meeting in this state and the
policy afterwards, with the joint payoffs ``U`` and punishments ``v`` of the current
round of :func:`powergames.repeated.policy_elimination`. With frozen stocks and one era
every state is absorbing, ``S = (1 - exp(-r Dt)) Sigma / (1 - delta)`` and the five
conditions are those of the version-2 window ``[a_lo, a_hi]`` (DESIGN.md section 6),
so a meeting passes exactly where version 2 finds an admissible weight. Conditions 1
and 2 together are Goldlücke & Kranz's dynamic enforcement constraint for a transfer
paid within the meeting (it is paid whatever the partners do once they meet, so it
cancels out of the incentives); the others only remove meetings. Each condition is
harder to meet with a lower ``U``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from powergames.partnership.dynamics.game import DynamicGame
from powergames.repeated import Enforcement, StochasticGame

__all__ = ["WINDOW_TOLERANCE", "admissible_window", "window_enforcement"]

IMPOSE, DILUTE, WITHDRAW = 0, 1, 2
COMPLY, ASSERT, EXIT = 0, 1, 2

#: How far the window's ends may cross (in weight) and still count as meeting.
WINDOW_TOLERANCE = 1e-9


def admissible_window(
    built: DynamicGame, joint: NDArray[np.float64], punishment: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The admissible weights ``[low, high]`` of every meeting of every state, shape
    ``(states, 3, 3)`` each (NaN for the profiles without a meeting, where a partner
    withdraws or exits), given the joint payoffs ``U`` and punishments ``v``.
    ``low > high`` where no weight is admissible.

    Examples
    --------
    DESIGN.md's baseline B0 at ``delta = 1/2`` as a one-state model: the window of
    (dilute, assert) is version 2's ``[5/8, 3/4]``.

    >>> from powergames.partnership import Parameters
    >>> from powergames.partnership.dynamics import (
    ...     DynamicModel, Era, EraChain, StateGrid, StockLaws, dynamic_game, solve)
    >>> model = DynamicModel(Parameters(), EraChain([Era("B0")]), StateGrid([3.0], [0.0]),
    ...                      StockLaws(0, 0, 0, 0), rate=0.05, hazard=1 - 0.5 / np.exp(-0.05))
    >>> eq = solve(model).equilibrium
    >>> low, high = admissible_window(dynamic_game(model), eq.joint_payoff, eq.punishment_payoffs)
    >>> low[0, 1, 1].round(9), high[0, 1, 1].round(9)
    (np.float64(0.625), np.float64(0.75))
    """
    game = built.game
    n = game.n_states
    beta = game.discount_factor
    Q = game.transitions
    v_N, v_S = punishment[:, 0], punishment[:, 1]
    surplus_next = joint - v_N - v_S
    A = game.payoffs[:, 0].reshape(n, 3, 3)
    B = game.payoffs[:, 1].reshape(n, 3, 3)
    stay_N = ((1 - beta) * game.payoffs[:, 0] + beta * (Q @ v_N)).reshape(n, 3, 3)
    stay_S = ((1 - beta) * game.payoffs[:, 1] + beta * (Q @ v_S)).reshape(n, 3, 3)
    continuation = (beta * (Q @ surplus_next)).reshape(n, 3, 3)
    surplus = (1 - beta) * (A + B) + continuation - (v_N + v_S)[:, None, None]
    meet = np.s_[:, :2, :2]
    # 1, 2: the best deviation within the meeting (the own action included: >= 0).
    D_N = stay_N[:, :2, :2].max(axis=1, keepdims=True) - stay_N[meet]
    D_S = stay_S[:, :2, :2].max(axis=2, keepdims=True) - stay_S[meet]
    # 4: leaving the meeting.
    P_N = stay_N[:, WITHDRAW : WITHDRAW + 1, :2] - v_N[:, None, None]
    P_S = stay_S[:, :2, EXIT : EXIT + 1] - v_S[:, None, None]
    # 3: limited liability.
    floor = built.transfer_floor[:, None, None]
    K = (
        (1 - beta) * (A[meet] - floor)
        - v_N[:, None, None]
        + (beta * (Q @ v_N)).reshape(n, 3, 3)[meet]
    )
    # The OCI's participation against the donor-beneficiary relation.
    donor = (built.temptation_oci >= 0) & (built.temptation_ngo >= 0)
    donor_value = (1 - beta) * built.donor_gain / (1 - beta * built.survival)
    C2 = np.full((n, 2, 2), -np.inf)
    C2[:, DILUTE, ASSERT] = np.where(donor, donor_value, -np.inf)
    S, c = surplus[meet], continuation[meet]
    constraints = [  # (coefficient, bound): coefficient * a >= bound
        (c, D_N),
        (-c, D_S - c),
        (-(S - c), -K),
        (S, P_N),
        (-S, P_S - S),
        (S, C2),
        (np.ones_like(S), np.zeros_like(S)),
        (-np.ones_like(S), -np.ones_like(S)),
    ]
    scale = 1e-9 * (1.0 + float(np.abs(game.payoffs).max(initial=0.0)))
    low = np.full((n, 2, 2), -np.inf)
    high = np.full((n, 2, 2), np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        for coefficient, bound in constraints:
            coefficient = np.broadcast_to(coefficient, (n, 2, 2))
            bound = np.broadcast_to(bound, (n, 2, 2))
            ratio = bound / coefficient
            low = np.where(coefficient > scale, np.maximum(low, ratio), low)
            high = np.where(coefficient < -scale, np.minimum(high, ratio), high)
            impossible = (np.abs(coefficient) <= scale) & (bound > scale)
            low = np.where(impossible, np.inf, low)
    full_low = np.full((n, 3, 3), np.nan)
    full_high = np.full((n, 3, 3), np.nan)
    full_low[meet], full_high[meet] = low, high
    return full_low, full_high


def window_enforcement(built: DynamicGame) -> Enforcement:
    """The test :func:`powergames.repeated.policy_elimination` applies in place of the
    dynamic enforcement constraint, whose transfers are voluntary and unbounded: a
    meeting passes where its window is non-empty (:func:`admissible_window`); a profile
    without a meeting passes (no transfer, and parting is a stage equilibrium that
    holds each partner to its outside option).

    Examples
    --------
    >>> from powergames.partnership import Parameters
    >>> from powergames.partnership.dynamics import (
    ...     DynamicModel, Era, EraChain, StateGrid, StockLaws, dynamic_game)
    >>> from powergames.repeated import policy_elimination
    >>> model = DynamicModel(Parameters(), EraChain([Era("B0")]), StateGrid([3.0], [0.0]),
    ...                      StockLaws(0, 0, 0, 0), rate=0.05, hazard=0.2)
    >>> built = dynamic_game(model)
    >>> eq = policy_elimination(built.game, candidates=built.candidates,
    ...                         enforceable=window_enforcement(built))
    >>> built.game.describe_row(int(eq.equilibrium_rows[0]))
    'state L=3, phi=0, B0: (dilute, assert)'
    """

    def enforceable(
        game: StochasticGame, joint: NDArray[np.float64], punishment: NDArray[np.float64]
    ) -> NDArray[np.bool_]:
        low, high = admissible_window(built, joint, punishment)
        passes = np.ones((game.n_states, 3, 3), dtype=bool)
        passes[:, :2, :2] = low[:, :2, :2] <= high[:, :2, :2] + WINDOW_TOLERANCE
        return passes.reshape(game.n_rows)

    return enforceable
