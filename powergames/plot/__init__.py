"""Figures, drawn with matplotlib: regime maps of the partnership model, equilibrium
payoff sets of repeated games, bargaining problems with their solutions, and the
dynamic model's paths and policy maps.

matplotlib is an optional dependency (``pip install 'powergames[plot]'``): it is
imported when a figure is drawn, not when this package is imported. Figures are drawn
on the non-interactive Agg canvas, without :mod:`matplotlib.pyplot` and its global
state, and each function draws on the axes it is given, so a figure can be a panel of
a larger one. Every figure reads in greyscale: regions differ in lightness or
hatching, points in marker shape, curves in line style.

Examples
--------
>>> default_range("discount_factor"), default_range("inherited_weight")
((0.01, 0.99), (0.0, 1.0))
"""

from powergames.plot.bargaining import bargaining_map
from powergames.plot.canvas import NEEDS_MATPLOTLIB, check_image_path, save_figure
from powergames.plot.evidence import regime_shares, sobol_bars
from powergames.plot.payoff_sets import payoff_set_map
from powergames.plot.policy_map import policy_map
from powergames.plot.regimes import MAX_RESOLUTION, check_resolution, default_range, regime_map
from powergames.plot.style import (
    BINDING_HATCHES,
    BINDING_LABELS,
    DILUTION_LEVELS,
    OTHER_BINDING_LABELS,
    REGIME_COLOURS,
    REGIME_HATCHES,
)
from powergames.plot.trajectory import trajectory_plot

__all__ = [
    "BINDING_HATCHES",
    "BINDING_LABELS",
    "DILUTION_LEVELS",
    "MAX_RESOLUTION",
    "NEEDS_MATPLOTLIB",
    "OTHER_BINDING_LABELS",
    "REGIME_COLOURS",
    "REGIME_HATCHES",
    "bargaining_map",
    "check_image_path",
    "check_resolution",
    "default_range",
    "payoff_set_map",
    "policy_map",
    "regime_map",
    "regime_shares",
    "save_figure",
    "sobol_bars",
    "trajectory_plot",
]
