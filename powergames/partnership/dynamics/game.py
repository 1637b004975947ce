"""The stochastic game of the dynamic model: the version-2 stage game of every state,
its transitions, and the action profiles the partners consider.

Payoffs are measured from the partners' outside options in the state's era (``u_N -
w_N``, ``u_S - w_S``), before any transfer; the transfer is part of the split
(:mod:`powergames.partnership.dynamics.surplus_split`). Measured so, an ended relation is
worth 0 to both, and an accidental breakdown is the part of each row of transitions
that is missing: a row sums to the state's survival probability ``1 - h (1 - phi)``.
The common discount factor of the stochastic game is then the time discount ``exp(-r
Dt)``, and survival makes each state's own discount factor ``delta(s)``.

The paths considered are those of version 2 (DESIGN.md section 6): the arbitrated
meeting (dilute, assert) where it maximises the pair's stage payoff among the meetings;
the stage equilibria (impose, comply), (impose, assert) and (dilute, comply) under the
signs of the temptations that make them equilibria; and parting, (withdraw, exit),
always.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sparse
from numpy.typing import NDArray

from powergames.partnership.dynamics.grid import lottery
from powergames.partnership.dynamics.model import DynamicModel
from powergames.partnership.game import NGO_STRATEGIES, OCI_STRATEGIES, stage_payoffs
from powergames.repeated import StochasticGame

__all__ = ["PROFILES", "DynamicGame", "dynamic_game"]

IMPOSE, DILUTE, WITHDRAW = 0, 1, 2
COMPLY, ASSERT, EXIT = 0, 1, 2

#: The nine action profiles of a state, in the order of a state's rows.
PROFILES: tuple[str, ...] = tuple(f"{i}/{j}" for i in OCI_STRATEGIES for j in NGO_STRATEGIES)


@dataclass(frozen=True, eq=False)
class DynamicGame:
    """The dynamic model as a stochastic game, with what the split needs.

    Attributes
    ----------
    model : DynamicModel
    game : StochasticGame
        Nine profiles per state, payoffs from the outside options, before transfers.
    oci_payoffs, ngo_payoffs : numpy arrays
        The stage payoffs of each state before any transfer, absolute, shape
        ``(states, 3, 3)``.
    outside_options : numpy array
        ``(w_N, w_S)`` of each state, shape ``(states, 2)``.
    transfer_floor, inherited_weight, survival : numpy arrays
        ``R_0``, ``a_0`` and ``1 - h (1 - phi)`` of each state.
    temptation_oci, temptation_ngo, surplus, efficiency_margin, donor_gain : numpy arrays
        The version-2 stage quantities of each state (``T_N``, ``T_S``, ``Sigma``,
        ``E``, and the OCI's gain from (impose, comply) paying the NGO the least it
        accepts and at least the floor).
    candidates : numpy array of bool
        The profiles the partners consider, one per row.
    """

    model: DynamicModel
    game: StochasticGame
    oci_payoffs: NDArray[np.float64]
    ngo_payoffs: NDArray[np.float64]
    outside_options: NDArray[np.float64]
    transfer_floor: NDArray[np.float64]
    inherited_weight: NDArray[np.float64]
    survival: NDArray[np.float64]
    temptation_oci: NDArray[np.float64]
    temptation_ngo: NDArray[np.float64]
    surplus: NDArray[np.float64]
    efficiency_margin: NDArray[np.float64]
    donor_gain: NDArray[np.float64]
    candidates: NDArray[np.bool_]

    def profile_rows(self, profile: str) -> NDArray[np.intp]:
        """The row of ``profile`` (e.g. ``"dilute/assert"``) in every state."""
        return np.arange(self.model.n_states) * 9 + PROFILES.index(profile)


def dynamic_game(model: DynamicModel) -> DynamicGame:
    """Build the stochastic game of a dynamic model (cached on the model).

    Examples
    --------
    >>> from powergames.partnership import Parameters
    >>> from powergames.partnership.dynamics import Era, EraChain, StateGrid, StockLaws
    >>> model = DynamicModel(Parameters(), EraChain([Era("only")]), StateGrid.even(4, 3, 2),
    ...                      StockLaws(), rate=0.05, hazard=0.4)
    >>> built = dynamic_game(model)
    >>> built.game
    StochasticGame(states=6, profiles=54, discount_factor=0.951229)
    >>> [PROFILES[k] for k in np.flatnonzero(built.candidates[:9])]
    ['impose/comply', 'withdraw/exit']
    """
    return model.computed("game", lambda: _build(model))


def _build(model: DynamicModel) -> DynamicGame:
    params = model.state_parameters()
    A, B = stage_payoffs(params, transfer=0.0)
    n = model.n_states
    outside = np.stack(
        [
            np.broadcast_to(params.oci_outside_option, (n,)),
            np.broadcast_to(params.ngo_outside_option, (n,)),
        ],
        axis=1,
    ).astype(np.float64)
    floor = np.broadcast_to(np.asarray(params.transfer_floor, dtype=np.float64), (n,)).copy()
    weight = np.broadcast_to(np.asarray(params.inherited_weight, dtype=np.float64), (n,)).copy()
    _, trust, _ = model.stocks()
    survival = 1.0 - model.hazard * (1.0 - trust)
    relative = np.stack([A - outside[:, 0, None, None], B - outside[:, 1, None, None]], axis=-1)
    game = StochasticGame.from_rows(
        np.full((n, 2), 3, dtype=np.intp),
        relative.reshape(n * 9, 2),
        _transitions(model, survival),
        model.time_discount,
        states=[_state_name(model, x) for x in range(n)],
        actions=[(OCI_STRATEGIES, NGO_STRATEGIES)] * n,
    )
    T_N, T_S, surplus, margin, donor_gain = _stage_quantities(A, B, outside, floor)
    built = DynamicGame(
        model=model,
        game=game,
        oci_payoffs=A,
        ngo_payoffs=B,
        outside_options=outside,
        transfer_floor=floor,
        inherited_weight=weight,
        survival=survival,
        temptation_oci=T_N,
        temptation_ngo=T_S,
        surplus=surplus,
        efficiency_margin=margin,
        donor_gain=donor_gain,
        candidates=_candidates(T_N, T_S, margin).reshape(n * 9),
    )
    return built


def _state_name(model: DynamicModel, x: int) -> str:
    legitimacy, trust, era = model.stocks()
    return f"L={legitimacy[x]:g}, phi={trust[x]:g}, {model.chain.names[era[x]]}"


def _transitions(model: DynamicModel, survival: NDArray[np.float64]) -> sparse.csr_matrix:
    """Each profile's next states: the stocks' lotteries on the grid, times the era
    chain, times survival."""
    legitimacy, trust, era = model.stocks()
    nL, nT = model.grid.shape
    n, k = model.n_states, len(model.chain)
    oci, ngo = np.divmod(np.arange(9), 3)
    L_next, phi_next = model.laws.next_stocks(
        legitimacy[:, None], trust[:, None], oci[None, :], ngo[None, :]
    )
    kL, upL = lottery(L_next, model.grid.legitimacy)
    kT, upT = lottery(phi_next, model.grid.trust)
    rows = np.arange(n * 9).reshape(n, 9)
    blocks_rows, blocks_cols, blocks_vals = [], [], []
    P = model.chain.transitions
    for dL, wL in ((0, 1 - upL), (1, upL)):
        for dT, wT in ((0, 1 - upT), (1, upT)):
            point = np.minimum(kL + dL, nL - 1) * nT + np.minimum(kT + dT, nT - 1)
            for z_next in range(k):
                move = P[era, z_next]  # (n,)
                value = survival[:, None] * move[:, None] * wL * wT
                blocks_rows.append(rows.ravel())
                blocks_cols.append((z_next * nL * nT + point).ravel())
                blocks_vals.append(value.ravel())
    values = np.concatenate(blocks_vals)
    keep = values > 0
    matrix = sparse.coo_matrix(
        (values[keep], (np.concatenate(blocks_rows)[keep], np.concatenate(blocks_cols)[keep])),
        shape=(n * 9, n),
    )
    return matrix.tocsr()


def _stage_quantities(
    A: NDArray[np.float64],
    B: NDArray[np.float64],
    outside: NDArray[np.float64],
    floor: NDArray[np.float64],
) -> tuple[
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
]:
    """``T_N``, ``T_S``, ``Sigma``, ``E`` and the donor-beneficiary gain, read off the
    stage matrices (DESIGN.md section 6)."""
    w_N, w_S = outside[:, 0], outside[:, 1]
    joint = A + B
    temptation_oci = A[:, IMPOSE, ASSERT] - A[:, DILUTE, ASSERT]
    temptation_ngo = B[:, DILUTE, COMPLY] - B[:, DILUTE, ASSERT]
    surplus = joint[:, DILUTE, ASSERT] - w_N - w_S
    others = [joint[:, i, j] for i, j in ((IMPOSE, COMPLY), (IMPOSE, ASSERT), (DILUTE, COMPLY))]
    margin = joint[:, DILUTE, ASSERT] - np.max(others, axis=0)
    donor_gain = A[:, IMPOSE, COMPLY] - np.maximum(floor, w_S - B[:, IMPOSE, COMPLY]) - w_N
    return temptation_oci, temptation_ngo, surplus, margin, donor_gain


def _candidates(
    T_N: NDArray[np.float64], T_S: NDArray[np.float64], margin: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """The profiles of version 2, state by state (the participation of each partner is
    left to the enforcement test)."""
    considered = np.zeros((T_N.size, 3, 3), dtype=bool)
    # The stage surplus may be negative where the future pays for it (an investment in
    # the stocks): the enforcement test asks for a positive dynamic surplus.
    considered[:, DILUTE, ASSERT] = margin >= 0
    considered[:, IMPOSE, COMPLY] = (T_N >= 0) & (T_S >= 0)
    considered[:, IMPOSE, ASSERT] = (T_N > 0) & (T_S <= 0)
    considered[:, DILUTE, COMPLY] = (T_S > 0) & (T_N <= 0)
    considered[:, WITHDRAW, EXIT] = True
    return considered
