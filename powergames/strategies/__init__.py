"""Hypothesis strategies for property-based tests of game-theoretic code.

These are public API: use them to test your own models the way powergames tests
itself. Every strategy draws valid inputs (finite payoffs, probability vectors
that sum to 1), so a failing property points at the code under test.

Examples
--------
>>> from hypothesis import given, settings
>>> from powergames import equilibria, is_equilibrium
>>> from powergames.strategies import games
>>> @settings(max_examples=20)
... @given(games(max_rows=3, max_cols=3))
... def test_every_equilibrium_is_one(game):
...     for eq in equilibria(game, "pure"):
...         assert is_equilibrium(game, eq.strategies)
>>> test_every_equilibrium_is_one()
"""

from __future__ import annotations

from powergames.strategies.bargaining import bargaining_problems
from powergames.strategies.dynamics import dynamic_models, stochastic_games
from powergames.strategies.games import (
    AffineMap,
    affine_images,
    games,
    mixed_strategies,
    payoff_matrices,
    permutations_of,
    positive_affine_maps,
    shapes,
)
from powergames.strategies.partnership import (
    nested_parameters,
    partnership_parameters,
    ranged_scenarios,
    ranges,
)

__all__ = [
    "AffineMap",
    "affine_images",
    "bargaining_problems",
    "dynamic_models",
    "games",
    "mixed_strategies",
    "nested_parameters",
    "partnership_parameters",
    "payoff_matrices",
    "permutations_of",
    "positive_affine_maps",
    "ranged_scenarios",
    "ranges",
    "shapes",
    "stochastic_games",
]
