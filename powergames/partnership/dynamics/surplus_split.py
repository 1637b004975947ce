"""The split: the OCI's weight and the transfer in every state, by the version-2 rule,
found by linear programming.

Along the equilibrium path the OCI gets ``u_N(s) = v_N(s) + y(s)`` and the NGO
``u_S(s) = v_S(s) + S(s) - y(s)``, where ``S = U - v_N - v_S`` is the dynamic surplus
and ``y(s) = a(s) S(s)`` the OCI's share, its weight ``a(s)``. The transfer of each
meeting follows from the OCI's values (its payoff now plus its continuation):

    R(s) = u_N^0(s) - [u_N(s) - delta E[u_N(s')]] / (1 - delta)

(``u_N^0`` the OCI's stage payoff before the transfer, from its outside option). The
shares ``y`` are the unknowns of a linear programme whose constraints are those of
:mod:`powergames.partnership.dynamics.enforcement`, now with each state's own share
and its successors' actual shares:

1. incentives: ``delta E[y(s')] >= D_N(s)`` and ``delta E[S(s') - y(s')] >= D_S(s)``;
2. limited liability: ``y(s) - delta E[y(s')] <= (1 - delta)(u_N^0 - R_0) - v_N(s) +
   delta E[v_N(s')]``, i.e. ``R(s) >= R_0``;
3. participation: ``max(P_N(s), C2(s)) <= y(s) <= S(s) - P_S(s)``;
4. in a state without a meeting nobody pays: ``y(s) - delta E[y(s')]`` is what the OCI
   gets there.

The objective is version 2's rule: the OCI keeps as much of its inherited weight
``a_0`` as the relation can bear, and no more. In the arbitrated meeting (dilute,
assert) the target is ``a_0``; in a stage equilibrium played without arbitration the
OCI, which holds the resources, pays the NGO the least it accepts (the target is 1).
Two programmes, one after the other: the least total concession (weights lifted above
their targets, where the OCI's temptation or participation requires it), then, with
that concession, the least total dilution. With frozen stocks and one era each
programme separates into one problem per state, whose answer is version 2's ``a* =
clip(a_0, a_lo, a_hi)`` with ``R* >= R_0``. With moving stocks a state's constraints
bind its successors' shares (what the NGO is promised for asserting now is a share of
the future), so the states' weights are settled together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sparse
from numpy.typing import NDArray
from scipy.optimize import linprog

from powergames.errors import InfeasibleProblemError
from powergames.partnership.dynamics.game import DynamicGame
from powergames.repeated import TransferEquilibrium

__all__ = ["Split", "SplitInfeasible", "split"]

IMPOSE, DILUTE, WITHDRAW = 0, 1, 2
COMPLY, ASSERT, EXIT = 0, 1, 2

#: HiGHS's feasibility tolerances, tighter than its defaults (1e-7) so that the
#: weights and transfers match version 2's closed forms to about 1e-9.
LP_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}

#: Below this (relative) slack a constraint counts as binding.
BINDING_TOLERANCE = 1e-7


class SplitInfeasible(InfeasibleProblemError):
    """No split meets every constraint for the equilibrium policy; ``states`` are those
    whose own constraints must be relaxed the most (the meeting there cannot be kept)."""

    def __init__(self, message: str, states: NDArray[np.intp]) -> None:
        super().__init__(message)
        self.states = states


@dataclass(frozen=True)
class Split:
    """The OCI's share and the transfer in every state.

    Attributes
    ----------
    share : numpy array
        ``y(s)``, the OCI's share of the dynamic surplus.
    weight : numpy array
        ``a(s) = y(s) / S(s)`` where the path is the arbitrated meeting, else NaN.
    transfer : numpy array
        ``R(s)`` where the partners meet, else NaN.
    floor_binds : numpy array of bool
        Whether the transfer is at the floor ``R_0`` (limited liability binds).
    binding : numpy array of str
        What holds the weight where it departs from the inherited one (version 2's
        names, or ``"another-state"``), ``"none"`` where it does not, ``""`` outside the
        arbitrated meeting.
    """

    share: NDArray[np.float64]
    weight: NDArray[np.float64]
    transfer: NDArray[np.float64]
    floor_binds: NDArray[np.bool_]
    binding: NDArray[np.str_]


def split(built: DynamicGame, equilibrium: TransferEquilibrium) -> Split:
    """The version-2 split of the equilibrium ``equilibrium`` of the dynamic game.

    Raises
    ------
    SplitInfeasible
        When no split meets the constraints (the elastic programme names the states).

    Examples
    --------
    DESIGN.md's baseline B0 at ``delta = 1/2``: the OCI dilutes from 0.9 to 3/4, the
    most it can fund with the floor transfer 0.

    >>> from powergames.partnership import Parameters
    >>> from powergames.partnership.dynamics import (
    ...     DynamicModel, Era, EraChain, StateGrid, StockLaws, dynamic_game, solve)
    >>> model = DynamicModel(Parameters(), EraChain([Era("B0")]), StateGrid([3.0], [0.0]),
    ...                      StockLaws(0, 0, 0, 0), rate=0.05, hazard=1 - 0.5 / np.exp(-0.05))
    >>> shares = split(dynamic_game(model), solve(model).equilibrium)
    >>> shares.weight.round(9), shares.transfer, shares.floor_binds, shares.binding
    (array([0.75]), array([0.]), array([ True]), array(['resource-floor'], dtype='<U14'))
    """
    game = built.game
    n = game.n_states
    beta = game.discount_factor
    rows = equilibrium.equilibrium_rows
    oci, ngo = rows % 9 // 3, rows % 3
    meets = (oci != WITHDRAW) & (ngo != EXIT)
    arbitrated = (oci == DILUTE) & (ngo == ASSERT)
    v = equilibrium.punishment_payoffs
    S = equilibrium.joint_payoff - v.sum(axis=1)
    Qe = game.transitions[rows].tocsr()
    terms = _terms(built, equilibrium, rows)
    identity = sparse.identity(n, format="csr")
    # Inequalities G y <= h, one block per kind, each owned by a state.
    parts = [
        (-beta * Qe, -terms["D_N"]),  # 1. the OCI's incentive
        (beta * Qe, beta * (Qe @ S) - terms["D_S"]),  # 1. the NGO's incentive
        (identity - beta * Qe, terms["K"]),  # 2. limited liability
    ]
    keep = np.concatenate([meets, meets, meets])
    G = sparse.vstack([p[0] for p in parts]).tocsr()[keep]
    h = np.concatenate([p[1] for p in parts])[keep]
    owner = np.tile(np.arange(n), 3)[keep]
    kind = np.repeat(np.arange(3), n)[keep]
    lower = np.where(meets, np.maximum(terms["P_N"], terms["C2"]), -np.inf)
    upper = np.where(meets, S - terms["P_S"], np.inf)
    # 4. Without a meeting the OCI's share is its continuation.
    no_meeting = np.flatnonzero(~meets)
    E = (identity - beta * Qe).tocsr()[no_meeting]
    e = terms["unpaid"][no_meeting]
    target = np.where(arbitrated, built.inherited_weight, 1.0)
    aimed = np.flatnonzero(meets & (S > 1e-12 * (1 + np.abs(S).max(initial=0.0))))
    share = _solve(_Constraints(G, h, E, e, lower, upper, owner), S, target, aimed)
    transfer = np.full(n, np.nan)
    u_N = v[:, 0] + share
    paid = terms["stage_oci"] - (u_N - beta * (Qe @ u_N)) / (1 - beta)
    transfer[meets] = paid[meets]
    floor = built.transfer_floor
    scale = BINDING_TOLERANCE * (1.0 + float(np.abs(game.payoffs).max(initial=0.0)))
    floor_binds = meets & (transfer <= floor + scale)
    # At the floor within the programme's tolerance: the floor itself (no -1e-15).
    transfer = np.where(floor_binds, floor, transfer)
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where(arbitrated, share / S, np.nan)
    slack = h - G @ share
    binding = _binding(
        weight,
        built.inherited_weight,
        arbitrated,
        G,
        slack,
        owner,
        kind,
        share,
        lower,
        terms,
        scale,
    )
    return Split(share, weight, transfer, floor_binds, binding)


def _terms(
    built: DynamicGame, equilibrium: TransferEquilibrium, rows: NDArray[np.intp]
) -> dict[str, NDArray[np.float64]]:
    """Each state's deviation gains, outside values and floor bound, at its path's
    meeting."""
    game = built.game
    n = game.n_states
    beta = game.discount_factor
    Q = game.transitions
    v_N, v_S = equilibrium.punishment_payoffs[:, 0], equilibrium.punishment_payoffs[:, 1]
    stay_N = ((1 - beta) * game.payoffs[:, 0] + beta * (Q @ v_N)).reshape(n, 3, 3)
    stay_S = ((1 - beta) * game.payoffs[:, 1] + beta * (Q @ v_S)).reshape(n, 3, 3)
    x = np.arange(n)
    oci, ngo = rows % 9 // 3, rows % 3
    i, j = np.minimum(oci, DILUTE), np.minimum(ngo, ASSERT)  # clipped where no meeting
    D_N = stay_N[x, :2, j].max(axis=1) - stay_N[x, i, j]
    D_S = stay_S[x, i, :2].max(axis=1) - stay_S[x, i, j]
    P_N = stay_N[x, WITHDRAW, j] - v_N
    P_S = stay_S[x, i, EXIT] - v_S
    stage_oci = game.payoffs[rows, 0]
    K = (1 - beta) * (stage_oci - built.transfer_floor) - v_N + beta * (Q[rows] @ v_N)
    unpaid = (1 - beta) * stage_oci - v_N + beta * (Q[rows] @ v_N)
    donor = (built.temptation_oci >= 0) & (built.temptation_ngo >= 0)
    arbitrated = (oci == DILUTE) & (ngo == ASSERT)
    C2 = np.where(
        donor & arbitrated,
        (1 - beta) * built.donor_gain / (1 - beta * built.survival),
        -np.inf,
    )
    return {
        "D_N": D_N,
        "D_S": D_S,
        "P_N": P_N,
        "P_S": P_S,
        "K": K,
        "C2": C2,
        "unpaid": unpaid,
        "stage_oci": stage_oci,
    }


@dataclass(frozen=True)
class _Constraints:
    """The split's constraints on the shares ``y`` of the ``n`` states: ``G y <= h``
    (each row owned by a state, ``owner``), ``E y = e`` and ``lower <= y <= upper``."""

    G: sparse.csr_matrix
    h: NDArray[np.float64]
    E: sparse.csr_matrix
    e: NDArray[np.float64]
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    owner: NDArray[np.intp]

    @property
    def n(self) -> int:
        return self.lower.size


def _highs(
    cost: NDArray[np.float64],
    A_ub: sparse.csr_matrix,
    b_ub: NDArray[np.float64],
    bounds: NDArray[np.float64],
    A_eq: sparse.csr_matrix,
    b_eq: NDArray[np.float64],
) -> Any:
    """``linprog`` by HiGHS at :data:`LP_OPTIONS`, with the equalities where there are
    any."""
    equal = {"A_eq": A_eq, "b_eq": b_eq} if A_eq.shape[0] else {}
    return linprog(
        cost, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs", options=LP_OPTIONS, **equal
    )


def _solve(
    c: _Constraints,
    S: NDArray[np.float64],
    target: NDArray[np.float64],
    aimed: NDArray[np.intp],
) -> NDArray[np.float64]:
    """Version 2's rule over the aimed states, lexicographically: first the least total
    concession (weights lifted above their targets: the NGO concedes only where it
    must), then, keeping it, the least total dilution (weights below their targets).

    Most often no weight needs lifting: then one programme in ``y`` alone, with the
    targets as upper bounds, maximises the sum of the weights (the least dilution).
    Otherwise two programmes with variables ``y`` (n), ``lift`` and ``dilute`` (one
    each per aimed state), ``y / S - target <= lift`` and ``target - y / S <= dilute``.
    (Measured on the historical path: 0.025 s for the one programme against 0.17 s
    for the two on its 20 x 20 grid, 0.12 s against 2 s on 40 x 40.)"""
    G, h, E, e, lower, upper, n = c.G, c.h, c.E, c.e, c.lower, c.upper, c.n
    capped = upper.copy()
    capped[aimed] = np.minimum(upper[aimed], target[aimed] * S[aimed])
    weights = np.zeros(n)
    weights[aimed] = -1 / S[aimed]
    unlifted = _highs(weights, G, h, np.column_stack([lower, capped]), E, e)
    if unlifted.status == 0:
        return np.asarray(unlifted.x, dtype=np.float64)
    m = aimed.size
    pick = sparse.csr_matrix((1 / S[aimed], (np.arange(m), aimed)), shape=(m, n))
    eye = sparse.identity(m, format="csr")
    zero = sparse.csr_matrix((m, m))
    A_ub = sparse.vstack(
        [
            sparse.hstack([G, sparse.csr_matrix((G.shape[0], 2 * m))]),
            sparse.hstack([pick, -eye, zero]),
            sparse.hstack([-pick, zero, -eye]),
        ]
    ).tocsr()
    b_ub = np.concatenate([h, target[aimed], -target[aimed]])
    A_eq = sparse.hstack([E, sparse.csr_matrix((E.shape[0], 2 * m))]).tocsr()
    bounds = np.column_stack(
        [
            np.concatenate([lower, np.zeros(2 * m)]),
            np.concatenate([upper, np.full(2 * m, np.inf)]),
        ]
    )
    lift_cost = np.concatenate([np.zeros(n), np.ones(m), np.zeros(m)])
    result = _highs(lift_cost, A_ub, b_ub, bounds, A_eq, e)
    if result.status == 2:
        raise SplitInfeasible(
            "no split of the surplus meets every constraint",
            _violators(c),
        )
    if result.status == 0:
        # Keep the least concession, then dilute least.
        lifted = float(result.fun)
        A_ub = sparse.vstack([A_ub, sparse.csr_matrix(lift_cost)]).tocsr()
        b_ub = np.concatenate([b_ub, [lifted + 1e-9 * (1 + lifted)]])
        dilute_cost = np.concatenate([np.zeros(n + m), np.ones(m)])
        result = _highs(dilute_cost, A_ub, b_ub, bounds, A_eq, e)
        if result.status == 0:
            return np.asarray(result.x[:n], dtype=np.float64)
    raise InfeasibleProblemError(  # pragma: no cover - HiGHS failing otherwise
        f"the split's linear programme failed: {result.message}"
    )


def _violators(c: _Constraints) -> NDArray[np.intp]:
    """The states whose constraints the elastic programme relaxes: each inequality and
    each finite bound gets a slack, and the total slack is minimised."""
    G, h, E, e, lower, upper, n = c.G, c.h, c.E, c.e, c.lower, c.upper, c.n
    has_low, has_high = np.isfinite(lower), np.isfinite(upper)
    low_rows = np.flatnonzero(has_low)
    high_rows = np.flatnonzero(has_high)
    # y rows for the bounds: -y <= -lower, y <= upper, each with its slack.
    B_low = sparse.csr_matrix(
        (-np.ones(low_rows.size), (np.arange(low_rows.size), low_rows)), shape=(low_rows.size, n)
    )
    B_high = sparse.csr_matrix(
        (np.ones(high_rows.size), (np.arange(high_rows.size), high_rows)), shape=(high_rows.size, n)
    )
    constraints = sparse.vstack([G, B_low, B_high]).tocsr()
    bounds_h = np.concatenate([h, -lower[low_rows], upper[high_rows]])
    owners = np.concatenate([c.owner, low_rows, high_rows])
    slack_count = constraints.shape[0]
    A_ub = sparse.hstack([constraints, -sparse.identity(slack_count, format="csr")]).tocsr()
    A_eq = sparse.hstack([E, sparse.csr_matrix((E.shape[0], slack_count))]).tocsr()
    cost = np.concatenate([np.zeros(n), np.ones(slack_count)])
    bounds = [(None, None)] * n + [(0, None)] * slack_count
    result = linprog(
        cost,
        A_ub=A_ub,
        b_ub=bounds_h,
        A_eq=A_eq if E.shape[0] else None,
        b_eq=e if E.shape[0] else None,
        bounds=bounds,
        method="highs",
    )
    if result.status != 0:  # pragma: no cover - the elastic programme is always feasible
        raise InfeasibleProblemError(f"the split's elastic programme failed: {result.message}")
    slack = result.x[n:]
    relaxed = owners[slack > 1e-9 * (1 + np.abs(bounds_h).max(initial=0.0))]
    return np.unique(relaxed).astype(np.intp)


def _binding(
    weight: NDArray[np.float64],
    inherited: NDArray[np.float64],
    arbitrated: NDArray[np.bool_],
    G: sparse.csr_matrix,
    slack: NDArray[np.float64],
    owner: NDArray[np.intp],
    kind: NDArray[np.intp],
    share: NDArray[np.float64],
    lower: NDArray[np.float64],
    terms: dict[str, NDArray[np.float64]],
    scale: float,
) -> NDArray[np.str_]:
    """Version 2's names for what holds each arbitrated weight away from ``a_0``: a
    tight constraint in which the state's share appears (the NGO's incentive caps it,
    the OCI's lifts it, the floor caps it; ties go to the incentives, as in version
    2), or ``"another-state"`` when only the constraints of other states hold it."""
    n = weight.size
    tight = slack <= scale
    involved = (G[tight] != 0).astype(bool).tocoo()
    rows_kind = kind[tight][involved.row]
    rows_owner = owner[tight][involved.row]
    state = involved.col
    caps_ngo = np.zeros(n, dtype=bool)
    lifts_oci = np.zeros(n, dtype=bool)
    caps_ngo[state[rows_kind == 1]] = True
    lifts_oci[state[rows_kind == 0]] = True
    floor_tight = np.zeros(n, dtype=bool)
    floor_tight[rows_owner[(rows_kind == 2) & (rows_owner == state)]] = True
    participation = np.isfinite(terms["C2"]) & (share <= terms["C2"] + scale)
    participation &= terms["C2"] >= lower - scale
    result = np.full(n, "", dtype=object)
    with np.errstate(invalid="ignore"):
        diluted = arbitrated & (weight < inherited - BINDING_TOLERANCE)
        lifted = arbitrated & (weight > inherited + BINDING_TOLERANCE)
    result[arbitrated] = "none"
    result[diluted] = "another-state"
    result[diluted & floor_tight] = "resource-floor"
    result[diluted & caps_ngo] = "ngo-temptation"
    result[lifted] = "another-state"
    result[lifted & participation] = "oci-participation"
    result[lifted & lifts_oci] = "oci-temptation"
    return np.asarray(result, dtype=str)
