"""The repeated-game and bargaining functions take the games of nashpy and quantecon
wherever they take a Game, as the equilibrium solvers do."""

from __future__ import annotations

import nashpy
import numpy as np
import pytest

from powergames import Game
from powergames.bargaining import nash_threats
from powergames.repeated import (
    critical_discount_factor,
    equilibrium_payoff_set,
    feasible_set,
    individually_rational,
    is_sustainable,
    minmax,
)

A = [[3, 0], [5, 1]]
B = [[3, 5], [0, 1]]


def foreign_games():
    games = [nashpy.Game(A, B)]
    quantecon = pytest.importorskip("quantecon.game_theory")
    games.append(quantecon.NormalFormGame([[(3, 3), (0, 5)], [(5, 0), (1, 1)]]))
    return games


@pytest.mark.peers
@pytest.mark.parametrize("index", [0, 1])
def test_repeated_games_and_threats_take_foreign_games(index):
    foreign = foreign_games()[index]
    ours = Game(A, B)
    assert minmax(foreign).values == minmax(ours).values
    np.testing.assert_array_equal(feasible_set(foreign).vertices, feasible_set(ours).vertices)
    assert individually_rational(foreign).area == individually_rational(ours).area
    assert equilibrium_payoff_set(foreign, 0.9).hausdorff(equilibrium_payoff_set(ours, 0.9)) == 0
    assert is_sustainable(foreign, (3, 3), 0.9)
    assert critical_discount_factor(foreign, (0, 0)).value == pytest.approx(0.5)
    assert nash_threats(foreign).payoffs == nash_threats(ours).payoffs
