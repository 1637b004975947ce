"""The dynamic partnership model: legitimacy and trust as stocks in a stochastic game
with transfers (DESIGN.md section 10).

The history the article tells -- donor-beneficiary in the 1960s, collaboration and
complicity in the 1970s and 1980s, partnership from the 1990s -- as a path through the
states of one game rather than three stationary points.
"""

from powergames.partnership.dynamics.enforcement import admissible_window, window_enforcement
from powergames.partnership.dynamics.eras import STATE_PARAMETERS, Era, EraChain
from powergames.partnership.dynamics.game import PROFILES, DynamicGame, dynamic_game
from powergames.partnership.dynamics.grid import StateGrid, lottery
from powergames.partnership.dynamics.model import DynamicModel
from powergames.partnership.dynamics.presets import (
    DYNAMIC_PRESETS,
    DynamicScenario,
    load_dynamic_preset,
    load_dynamic_scenario,
)
from powergames.partnership.dynamics.simulation import (
    TRAJECTORY_COLUMNS,
    Trajectory,
    TrajectoryColumn,
    trajectory,
)
from powergames.partnership.dynamics.solution import DynamicSolution, solve
from powergames.partnership.dynamics.stocks import StockLaws
from powergames.partnership.dynamics.surplus_split import Split, SplitInfeasible, split

__all__ = [
    "DYNAMIC_PRESETS",
    "PROFILES",
    "STATE_PARAMETERS",
    "TRAJECTORY_COLUMNS",
    "DynamicGame",
    "DynamicModel",
    "DynamicScenario",
    "DynamicSolution",
    "Era",
    "EraChain",
    "Split",
    "SplitInfeasible",
    "StateGrid",
    "StockLaws",
    "Trajectory",
    "TrajectoryColumn",
    "admissible_window",
    "dynamic_game",
    "load_dynamic_preset",
    "load_dynamic_scenario",
    "lottery",
    "solve",
    "split",
    "trajectory",
    "window_enforcement",
]
