"""Strategies for stochastic games and the dynamic partnership model."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from powergames.strategies.partnership import partnership_parameters

if TYPE_CHECKING:  # pragma: no cover
    from powergames.partnership.dynamics import DynamicModel
    from powergames.repeated import StochasticGame

__all__ = ["dynamic_models", "stochastic_games"]


@st.composite
def stochastic_games(
    draw: st.DrawFn,
    /,
    *,
    max_states: int = 3,
    max_actions: int = 2,
    ending: bool = False,
    min_discount: float = 0.0,
    max_discount: float = 0.95,
) -> StochasticGame:
    """Small two-player stochastic games (:class:`powergames.repeated.StochasticGame`):
    up to ``max_states`` states, up to ``max_actions`` actions per player and state,
    payoffs in quarters from -5 to 5, transition probabilities from random weights
    and, with ``ending``, a chance of ending in [0, 0.5) for each profile.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(stochastic_games(max_states=2), lambda g: g.n_states == 2).n_states
    2
    """
    from powergames.repeated import StochasticGame

    n = draw(st.integers(1, max_states))
    stages, moves = [], []
    for _ in range(n):
        m1, m2 = draw(st.integers(1, max_actions)), draw(st.integers(1, max_actions))
        quarters = st.integers(-20, 20).map(lambda q: q / 4)
        payoff = st.lists(quarters, min_size=m1 * m2 * 2, max_size=m1 * m2 * 2)
        A, B = np.array(draw(payoff)).reshape(2, m1, m2)
        weights = np.array(
            draw(st.lists(st.integers(0, 3), min_size=m1 * m2 * n, max_size=m1 * m2 * n))
        )
        weights = weights.reshape(m1, m2, n) + (
            weights.reshape(m1, m2, n).sum(axis=2, keepdims=True) == 0
        )
        P = weights / weights.sum(axis=2, keepdims=True)
        if ending:
            P = P * (
                1
                - np.array(
                    draw(
                        st.lists(
                            st.floats(0, 0.5, exclude_max=True), min_size=m1 * m2, max_size=m1 * m2
                        )
                    )
                ).reshape(m1, m2, 1)
            )
        stages.append((A, B))
        moves.append(P)
    delta = draw(st.floats(min_discount, max_discount))
    return StochasticGame(stages, moves, delta)


@st.composite
def dynamic_models(
    draw: st.DrawFn,
    /,
    *,
    max_points: int = 3,
    max_eras: int = 2,
    frozen: bool = False,
    sustainable: bool = False,
) -> DynamicModel:
    """Small dynamic partnership models (:class:`powergames.partnership.dynamics.DynamicModel`):
    shared parameters as :func:`partnership_parameters` draws them, up to ``max_eras``
    eras each with its own control gain, funder's accountability and NGO's outside
    option and a random chain, up to ``max_points`` grid points per stock, random laws
    of motion (none with ``frozen``), a rate in [0.01, 1] and a hazard in [0, 0.9].

    With ``sustainable=True`` the first era and one grid point are those of
    :func:`partnership_parameters` with ``sustainable=True`` (a point where (dilute,
    assert) is played), and the rate gives its discount factor without hazard.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(dynamic_models(frozen=True), lambda m: True).laws.frozen
    True
    """
    from powergames.partnership.dynamics import DynamicModel, Era, EraChain, StateGrid, StockLaws

    base = draw(partnership_parameters(sustainable=sustainable))
    k = draw(st.integers(1, max_eras))
    eras = [
        Era(
            f"era{z}",
            {
                "control_gain": draw(st.floats(0, 10)),
                "funder_accountability": draw(st.floats(0, 2)),
                "ngo_outside_option": draw(st.floats(-2, 5)),
            },
        )
        for z in range(k)
    ]
    weights = np.array(draw(st.lists(st.integers(0, 3), min_size=k * k, max_size=k * k)), float)
    weights = weights.reshape(k, k) + np.eye(k) * (weights.reshape(k, k).sum(axis=1) == 0)[:, None]
    legitimacy = draw(st.lists(st.floats(0, 10), min_size=1, max_size=max_points, unique=True))
    trust = draw(st.lists(st.floats(0, 1), min_size=1, max_size=max_points, unique=True))
    rate, hazard = draw(st.floats(0.01, 1)), draw(st.floats(0, 0.9))
    if sustainable:
        names = ("control_gain", "funder_accountability", "ngo_outside_option")
        eras[0] = Era("era0", {name: base[name] for name in names})
        legitimacy[0], trust[0] = base.moral_legitimacy, base.shared_paradigm
        rate, hazard = -float(np.log(max(base.discount_factor, 1e-3))), 0.0
    legitimacy, trust = sorted(set(legitimacy)), sorted(set(trust))
    assume(np.diff(legitimacy).min(initial=1) > 1e-6 and np.diff(trust).min(initial=1) > 1e-6)
    laws = (
        StockLaws(0, 0, 0, 0)
        if frozen
        else StockLaws(
            draw(st.floats(0, 1)),
            draw(st.floats(0, 3)),
            draw(st.floats(0, 1)),
            draw(st.floats(0, 1)),
        )
    )
    return DynamicModel(
        base,
        EraChain(eras, weights / weights.sum(axis=1, keepdims=True)),
        StateGrid(legitimacy, trust),
        laws,
        rate=rate,
        hazard=hazard,
    )
