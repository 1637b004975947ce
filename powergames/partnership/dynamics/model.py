"""The dynamic partnership model: the partnership game of version 2 played period
after period in a state made of the relation's stocks and the funder's era
(DESIGN.md section 10).

The state is ``s = (L, phi, z)``: the NGO's moral legitimacy ``L``, trust ``phi`` (the
shared paradigm), and the funder's era ``z``. The stage game at ``s`` is the
partnership game at the era's parameters with ``l_m = L`` and that ``phi``; what the
partners play moves the stocks (:class:`StockLaws`), and the era follows its own
Markov chain (:class:`EraChain`). The relation may also break down by accident, with
the hazard ``h (1 - phi)`` that trust lowers: a period later is worth ``delta(s) =
exp(-r Dt) (1 - h (1 - phi))`` (:func:`powergames.partnership.relation_discount_factor`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from powergames._validate import real
from powergames.errors import InvalidParameterError
from powergames.partnership.bargaining_weight import relation_discount_factor
from powergames.partnership.dynamics.eras import EraChain
from powergames.partnership.dynamics.grid import StateGrid
from powergames.partnership.dynamics.stocks import StockLaws
from powergames.partnership.parameters import Parameters

__all__ = ["DynamicModel"]

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class DynamicModel:
    """A dynamic partnership model on a discretised state space.

    Parameters
    ----------
    parameters : Parameters
        The parameters every era shares (their moral legitimacy, shared paradigm and
        discount factor are ignored: the state sets them).
    chain : EraChain
        The funder's eras and how they follow one another.
    grid : StateGrid
        The grid points of the two stocks.
    laws : StockLaws
        How the stocks move.
    rate : float > 0
        The partners' discount rate per unit of time ``r``.
    hazard : float in [0, 1]
        The probability ``h`` that a relation without trust breaks down in a period;
        trust removes the fraction ``phi`` of it.
    period : float > 0, default 1
        The length ``Dt`` of a period.
    name, title, description : str, optional

    Examples
    --------
    >>> from powergames.partnership.dynamics import Era, EraChain, StateGrid, StockLaws
    >>> model = DynamicModel(Parameters(), EraChain([Era("only")]), StateGrid.even(4, 5, 3),
    ...                      StockLaws(), rate=0.05, hazard=0.4)
    >>> model.n_states, model.state_index("only", 4, 2)
    (15, 14)
    >>> model.discount_factors()[:3].round(4).tolist()
    [0.5707, 0.761, 0.9512]
    """

    parameters: Parameters
    chain: EraChain
    grid: StateGrid
    laws: StockLaws
    rate: float
    hazard: float
    period: float = 1.0
    name: str = ""
    title: str = ""
    description: str = ""
    # What is computed from the model (its stocks, parameters, game and solution), not
    # passed on by dataclasses.replace.
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        checks = (
            (self.parameters, Parameters, "parameters"),
            (self.chain, EraChain, "chain"),
            (self.grid, StateGrid, "grid"),
            (self.laws, StockLaws, "laws"),
        )
        for value, kind, name in checks:
            if not isinstance(value, kind):
                raise InvalidParameterError(
                    f"{name} must be a {kind.__name__}, got {type(value).__name__}"
                )
        if self.parameters.shape or self.parameters.is_symbolic:
            raise InvalidParameterError("parameters must be numbers, not arrays or symbols")
        object.__setattr__(
            self, "rate", real(self.rate, "rate", low=0.0, low_open=True, array=False)
        )
        object.__setattr__(
            self, "hazard", real(self.hazard, "hazard", low=0.0, high=1.0, array=False)
        )
        object.__setattr__(
            self, "period", real(self.period, "period", low=0.0, low_open=True, array=False)
        )

    # -------------------------------------------------------------- the states
    @property
    def n_states(self) -> int:
        """The number of states: grid points times eras."""
        return self.grid.size * len(self.chain)

    @property
    def time_discount(self) -> float:
        """``exp(-r Dt)``: the discount factor of a relation that cannot break down."""
        return float(np.exp(-self.rate * self.period))

    def state_index(self, era: str | int, legitimacy: int, trust: int) -> int:
        """The index of the state at an era (name or position) and grid indices; states
        are ordered era by era, then by legitimacy, then by trust."""
        z = self.chain.index(era)
        nL, nT = self.grid.shape
        if not (0 <= legitimacy < nL and 0 <= trust < nT):
            raise InvalidParameterError(
                f"grid indices must be within {nL} x {nT}, got ({legitimacy}, {trust})"
            )
        return (z * nL + legitimacy) * nT + trust

    def initial_state(self, legitimacy: float, trust: float, era: str | int) -> int:
        """The state at the grid point nearest to the given stocks, in an era."""
        legitimacy = real(legitimacy, "legitimacy", low=0.0, array=False)
        trust = real(trust, "trust", low=0.0, high=1.0, array=False)
        return self.state_index(era, *self.grid.nearest(legitimacy, trust))

    def stocks(self) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]]:
        """Each state's moral legitimacy, trust and era (position)."""

        def compute() -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]]:
            nL, nT = self.grid.shape
            z, iL, iT = np.unravel_index(np.arange(self.n_states), (len(self.chain), nL, nT))
            return self.grid.legitimacy[iL], self.grid.trust[iT], z.astype(np.intp)

        return self.computed("stocks", compute)

    def discount_factors(self) -> NDArray[np.float64]:
        """Each state's discount factor ``exp(-r Dt) (1 - h (1 - phi))``."""
        _, trust, _ = self.stocks()
        delta = relation_discount_factor(self.rate, self.hazard, trust=trust, period=self.period)
        return np.asarray(delta, dtype=np.float64)

    def state_parameters(self) -> Parameters:
        """The version-2 parameters of every state, as arrays over the states: the
        era's values, ``l_m = L``, ``phi`` and the state's discount factor."""

        def compute() -> Parameters:
            legitimacy, trust, era = self.stocks()
            eras = self.chain.values(self.parameters)
            columns = {
                name: np.array([p[name] for p in eras], dtype=np.float64)[era]
                for name in self.parameters
            }
            columns.update(
                moral_legitimacy=legitimacy,
                shared_paradigm=trust,
                discount_factor=self.discount_factors(),
            )
            return Parameters(**columns)

        return self.computed("parameters", compute)

    def computed(self, key: str, compute: Callable[[], T]) -> T:
        """What ``compute()`` returns, computed once for this model and kept under
        ``key`` (the game, the solution: a model is immutable, so they stay true).

        Examples
        --------
        >>> from powergames.partnership.dynamics import load_dynamic_preset
        >>> model = load_dynamic_preset("historical-path").model
        >>> model.computed("answer", lambda: 42), model.computed("answer", lambda: 0)
        (42, 42)
        """
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]  # type: ignore[no-any-return]

    def replace(self, **changes: Any) -> DynamicModel:
        """A copy with some fields changed (and nothing computed carried over).

        Examples
        --------
        >>> from powergames.partnership.dynamics import load_dynamic_preset
        >>> load_dynamic_preset("historical-path").model.replace(hazard=0.5).hazard
        0.5
        """
        return dataclasses.replace(self, **changes)

    def with_grid(self, grid: StateGrid) -> DynamicModel:
        """The same model on another grid."""
        return self.replace(grid=grid)

    def __repr__(self) -> str:
        nL, nT = self.grid.shape
        return (
            f"DynamicModel({self.name or 'unnamed'}: {nL} x {nT} stocks x "
            f"{len(self.chain)} eras = {self.n_states} states)"
        )
