"""Games and helpers shared by the tests of repeated games."""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

from powergames import DegenerateGameWarning, Game, equilibria
from powergames.strategies import games

PENNIES = Game([[1, -1], [-1, 1]])
RPS = Game([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])


def prisoners_dilemma(T: float, R: float, P: float, S: float) -> Game:
    """Rows and columns (cooperate, defect); the row player gets A."""
    return Game([[R, S], [T, P]], [[R, T], [S, P]])


PD = prisoners_dilemma(5, 3, 1, 0)  # Axelrod's payoffs, DESIGN section 8


def payoff_range(game: Game) -> float:
    A, B = game.payoffs
    return max(float(np.ptp(A)), float(np.ptp(B)))


def stage_equilibria(game: Game) -> list:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return equilibria(game, "vertex")


def profiles(game: Game) -> st.SearchStrategy[tuple[int, int]]:
    m, n = game.shape
    return st.tuples(st.integers(0, m - 1), st.integers(0, n - 1))


@st.composite
def games_and_paths(draw: st.DrawFn, max_size: int = 3) -> tuple[Game, object]:
    """A game and a path: a pure profile or a public lottery over up to three profiles."""
    game = draw(games(max_rows=max_size, max_cols=max_size))
    support = draw(st.lists(profiles(game), min_size=1, max_size=3, unique=True))
    if len(support) == 1 and draw(st.booleans()):
        return game, support[0]
    weights = draw(st.lists(st.integers(1, 5), min_size=len(support), max_size=len(support)))
    total = sum(weights)
    return game, [(a, Fraction(w, total)) for a, w in zip(support, weights, strict=True)]


def one_shot_gain(
    game: Game, path: object, punishment: tuple[float, float], delta: float, k: int
) -> float:
    """The largest gain of player k from a one-shot deviation (to another action) at a
    profile of the path, from the definitions: conforming is worth (1 - delta) g + delta u,
    deviating (1 - delta) g_dev + delta p. Positive: the path is not subgame perfect at
    delta. -inf when k has no other action."""
    A, B = game.payoffs
    M = A if k == 0 else B
    lottery = [(path, 1.0)] if isinstance(path[0], int) else path
    u = sum(p * M[a] for a, p in lottery)
    gains = [-math.inf]
    for (i, j), _ in lottery:
        own = i if k == 0 else j
        options = M[:, j] if k == 0 else M[i, :]
        conform = (1 - delta) * options[own] + delta * u
        for other, payoff in enumerate(options):
            if other != own:
                gains.append((1 - delta) * payoff + delta * punishment[k] - conform)
    return max(gains)
