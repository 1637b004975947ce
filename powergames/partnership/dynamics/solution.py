"""Solving the dynamic model: the equilibrium path, state by state, with its regime,
weight, dilution and transfer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames._validate import tolerance
from powergames.errors import InfeasibleProblemError
from powergames.partnership.dynamics.enforcement import window_enforcement
from powergames.partnership.dynamics.game import PROFILES, DynamicGame, dynamic_game
from powergames.partnership.dynamics.model import DynamicModel
from powergames.partnership.dynamics.surplus_split import Split, SplitInfeasible, split
from powergames.repeated import TransferEquilibrium, policy_elimination

__all__ = ["DynamicSolution", "solve"]

IMPOSE, DILUTE, WITHDRAW = 0, 1, 2
COMPLY, ASSERT, EXIT = 0, 1, 2
_PARTING = PROFILES.index("withdraw/exit")

#: The regime each path names (version 2's names; (dilute, assert) is collaboration
#: where neither partner is tempted in the stage game, partnership otherwise).
_REGIME_OF_PATH = {
    "impose/comply": "donor-beneficiary",
    "impose/assert": "contested",
    "dilute/comply": "passive",
    "withdraw/exit": "breakdown",
}


@dataclass(frozen=True, eq=False)
class DynamicSolution:
    """The dynamic model solved: an optimal simple equilibrium with transfers and the
    version-2 split, state by state (arrays over the states of the model).

    Attributes
    ----------
    model : DynamicModel
    built : DynamicGame
        The stochastic game solved.
    equilibrium : TransferEquilibrium
        Goldlücke & Kranz's highest joint payoffs, punishments and policies.
    shares : Split
        The weights and transfers.
    splits : int
        How many times a meeting was given up because no split could fund it.
    """

    model: DynamicModel
    built: DynamicGame
    equilibrium: TransferEquilibrium
    shares: Split
    splits: int

    @property
    def path(self) -> NDArray[np.str_]:
        """The meeting played on the equilibrium path in each state (``"dilute/assert"``,
        ...)."""
        return np.asarray(np.array(PROFILES)[self.equilibrium.equilibrium_rows % 9], dtype=str)

    @property
    def regime(self) -> NDArray[np.str_]:
        """The regime of each state."""
        path = self.path
        tempted = (self.built.temptation_oci > 0) | (self.built.temptation_ngo > 0)
        names = np.array([_REGIME_OF_PATH.get(p, "") for p in path], dtype=object)
        arbitrated = path == "dilute/assert"
        names[arbitrated] = np.where(tempted[arbitrated], "partnership", "collaboration")
        return np.asarray(names, dtype=str)

    @property
    def weight(self) -> NDArray[np.float64]:
        """The OCI's weight ``a(s)`` in the arbitrated meeting (NaN elsewhere)."""
        return self.shares.weight

    @property
    def dilution(self) -> NDArray[np.float64]:
        """``max(0, a_0 - a(s))`` in the arbitrated meeting (NaN elsewhere)."""
        with np.errstate(invalid="ignore"):
            return np.maximum(0.0, self.built.inherited_weight - self.weight)

    @property
    def concession(self) -> NDArray[np.float64]:
        """The NGO's concession ``max(0, a(s) - a_0)`` (NaN outside the arbitrated
        meeting)."""
        with np.errstate(invalid="ignore"):
            return np.maximum(0.0, self.weight - self.built.inherited_weight)

    @property
    def transfer(self) -> NDArray[np.float64]:
        """The OCI's transfer to the NGO where they meet (NaN where they part)."""
        return self.shares.transfer

    @property
    def floor_binds(self) -> NDArray[np.bool_]:
        """Whether limited liability binds: the transfer is at the floor ``R_0``."""
        return self.shares.floor_binds

    @property
    def binding_constraint(self) -> NDArray[np.str_]:
        """What holds the arbitrated weight away from the inherited one."""
        return self.shares.binding

    @property
    def surplus(self) -> NDArray[np.float64]:
        """The dynamic surplus ``S = U - v_N - v_S`` (normalised, from the outside
        options)."""
        return self.equilibrium.surplus

    @property
    def payoff_oci(self) -> NDArray[np.float64]:
        """The OCI's equilibrium value, from its outside options (normalised)."""
        return np.asarray(self.equilibrium.punishment_payoffs[:, 0] + self.shares.share)

    @property
    def payoff_ngo(self) -> NDArray[np.float64]:
        """The NGO's equilibrium value, from its outside options (normalised)."""
        v = self.equilibrium.punishment_payoffs
        return np.asarray(v[:, 1] + self.surplus - self.shares.share)

    @property
    def discount_factor(self) -> NDArray[np.float64]:
        """Each state's discount factor ``exp(-r Dt)(1 - h (1 - phi))``."""
        return self.model.discount_factors()

    def columns(self) -> dict[str, NDArray[Any]]:
        """Every state's stocks, era and outcome, by name (the columns of a policy
        table)."""
        legitimacy, trust, era = self.model.stocks()
        return {
            "era": np.array(self.model.chain.names)[era],
            "moral_legitimacy": legitimacy,
            "shared_paradigm": trust,
            "discount_factor": self.discount_factor,
            "regime": self.regime,
            "path": self.path,
            "weight": self.weight,
            "dilution": self.dilution,
            "transfer": self.transfer,
            "floor_binds": self.floor_binds,
            "binding_constraint": self.binding_constraint,
            "surplus": self.surplus,
            "payoff_oci": self.payoff_oci,
            "payoff_ngo": self.payoff_ngo,
        }

    def policy_map(self, era: str | int) -> NDArray[np.str_]:
        """The regime over the grid of stocks in an era, shape ``(legitimacy points,
        trust points)``."""
        z = self.model.chain.index(era)
        size = self.model.grid.size
        return self.regime[z * size : (z + 1) * size].reshape(self.model.grid.shape)


def solve(model: DynamicModel, *, tol: float = 1e-9) -> DynamicSolution:
    """Solve a dynamic model (cached on the model).

    1. Build the stochastic game (:func:`~powergames.partnership.dynamics.dynamic_game`):
       the version-2 stage game of each state, its transitions, the meetings the
       partners consider.
    2. Policy elimination (:func:`powergames.repeated.policy_elimination`, Goldlücke &
       Kranz 2018) with the dynamic enforcement constraint and the window of
       admissible weights (:func:`~powergames.partnership.dynamics.window_enforcement`):
       the highest joint payoffs, the punishments, the equilibrium path.
    3. The split (:func:`~powergames.partnership.dynamics.split`): weights and transfers
       by the version-2 rule. Where no split can fund the path's meeting in some
       states, those meetings are given up and step 2 runs again with the profiles
       left.

    Parameters
    ----------
    model : DynamicModel
    tol : float, default 1e-9
        The slack allowed in the constraints, relative to the payoffs' scale.

    Returns
    -------
    DynamicSolution

    Examples
    --------
    >>> from powergames.partnership.dynamics import load_dynamic_preset
    >>> solution = solve(load_dynamic_preset("historical-path").model)
    >>> sorted(set(solution.regime.tolist()))
    ['breakdown', 'collaboration', 'contested', 'donor-beneficiary', 'partnership', 'passive']
    >>> solution.equilibrium.rounds, solution.splits
    (2, 0)
    """
    tol = tolerance(tol)
    return model.computed(f"solution at tol={tol!r}", lambda: _solve(model, tol))


def _solve(model: DynamicModel, tol: float) -> DynamicSolution:
    built = dynamic_game(model)
    candidates = built.candidates.copy()
    enforceable = window_enforcement(built)
    for given_up in range(built.game.n_rows + 1):
        equilibrium = policy_elimination(
            built.game, candidates=candidates, enforceable=enforceable, tol=tol
        )
        try:
            shares = split(built, equilibrium)
        except SplitInfeasible as failure:
            rows = equilibrium.equilibrium_rows[failure.states]
            rows = rows[rows % 9 != _PARTING]
            if rows.size == 0:  # pragma: no cover - parting needs no split
                raise InfeasibleProblemError(str(failure)) from None
            candidates = equilibrium.candidates.copy()
            candidates[rows] = False
            continue
        return DynamicSolution(model, built, equilibrium, shares, given_up)
    raise InfeasibleProblemError("the split gave up every meeting")  # pragma: no cover
