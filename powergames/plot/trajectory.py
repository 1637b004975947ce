"""The path of a relation over time: its stocks and the OCI's weight, the compromise
played in each period, and the funder's eras behind them.

The upper panel draws the NGO's moral legitimacy (solid, left axis) with trust and the
OCI's weight (dashed and dotted, right axis, both in [0, 1]); the strip below colours
each period by its regime, in the palette and hatching of the regime maps. The eras
are shaded alternately across both panels and named at the top. Lines differ in
style and regimes in lightness or hatching, so the figure reads in greyscale.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

from powergames.errors import InvalidParameterError
from powergames.plot.canvas import legend_below, require_matplotlib
from powergames.plot.style import regime_colours, regime_hatches

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["ERA_SHADES", "trajectory_plot"]

#: The shading of alternate eras: white and a grey lighter than any regime colour.
ERA_SHADES = ("white", "0.9")

#: The size of a new figure, in inches.
FIGURE_SIZE = (8.0, 5.6)

_NEEDED = ("period", "era", "moral_legitimacy", "shared_paradigm", "weight", "regime")


def _column(path: Any, name: str) -> Any:
    try:
        return np.asarray(path[name])
    except (KeyError, TypeError):
        raise InvalidParameterError(
            f"path must have the columns {', '.join(_NEEDED)} (a table from "
            f"powergames.simulate or a Trajectory), it has no {name!r}"
        ) from None


def _runs(values: np.ndarray) -> list[tuple[int, int, Any]]:
    """The runs of equal values: (first index, length, value)."""
    runs, start = [], 0
    for t in range(1, len(values) + 1):
        if t == len(values) or values[t] != values[start]:
            runs.append((start, t - start, values[start]))
            start = t
    return runs


def _shade_eras(axes: list[Axes], periods: np.ndarray, eras: np.ndarray) -> list[tuple[float, str]]:
    marks = []
    for k, (first, length, era) in enumerate(_runs(eras)):
        left, right = periods[first] - 0.5, periods[first + length - 1] + 0.5
        for ax in axes:
            ax.axvspan(left, right, facecolor=ERA_SHADES[k % 2], edgecolor="none", zorder=0)
            if k:
                ax.axvline(left, color="0.5", linewidth=0.8, zorder=1)
        marks.append(((left + right) / 2, str(era)))
    return marks


def trajectory_plot(path: Any, *, title: str | None = None, legend: bool = True) -> Figure:
    """The path of a relation: stocks, weight and regime period by period, eras shaded.

    Parameters
    ----------
    path : Table or Trajectory
        A path from :func:`powergames.simulate` (or
        :func:`powergames.partnership.dynamics.trajectory`).
    title : str, optional
        The table's title by default.
    legend : bool, default True

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the stocks above, the regimes below.

    Examples
    --------
    >>> from powergames import simulate
    >>> from powergames.partnership.dynamics import load_dynamic_preset
    >>> history = load_dynamic_preset("historical-path")
    >>> figure = trajectory_plot(simulate(history, periods=45, eras=history.eras(45), seed=1))
    >>> [ax.get_ylabel() for ax in figure.axes]
    ['moral legitimacy L', 'regime', 'trust phi, weight a']
    """
    require_matplotlib()
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    periods = _column(path, "period").astype(float)
    if periods.size == 0:
        raise InvalidParameterError("path has no period to draw")
    eras, regimes = _column(path, "era"), _column(path, "regime")
    legitimacy = _column(path, "moral_legitimacy").astype(float)
    trust = _column(path, "shared_paradigm").astype(float)
    weight = _column(path, "weight").astype(float)
    palette, patterns = regime_colours(), regime_hatches()

    figure = Figure(figsize=FIGURE_SIZE, layout="constrained")
    FigureCanvasAgg(figure)
    top, strip = figure.subplots(2, 1, sharex=True, height_ratios=[4, 1])
    marks = _shade_eras([top, strip], periods, eras)
    right = top.twinx()
    lines = [
        top.plot(periods, legitimacy, color="0.1", linewidth=1.8, label="moral legitimacy L")[0],
        right.plot(periods, trust, color="0.25", linewidth=1.6, linestyle="--", label="trust phi")[
            0
        ],
        right.plot(
            periods,
            weight,
            color="0.45",
            linewidth=1.6,
            linestyle=":",
            marker=".",
            markersize=3,
            label="OCI's weight a",
        )[0],
    ]
    top.set_ylabel("moral legitimacy L")
    top.set_ylim(0, max(1.0, float(np.nanmax(legitimacy)) * 1.15))
    right.set_ylabel("trust phi, weight a")
    right.set_ylim(0, 1.15)
    for x, era in marks:
        top.text(
            x,
            0.98,
            textwrap.fill(era, 22, break_long_words=False),
            transform=top.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=7.5,
            color="0.25",
        )
    with rc_context({"hatch.color": "0.2", "hatch.linewidth": 0.6}):
        present = []
        for first, length, regime in _runs(regimes):
            strip.add_patch(
                Rectangle(
                    (periods[first] - 0.5, 0),
                    length,
                    1,
                    facecolor=palette[str(regime)],
                    edgecolor="0.3",
                    linewidth=0.4,
                    hatch=patterns[str(regime)],
                    zorder=2,
                )
            )
            if regime not in present:
                present.append(regime)
        strip.set_ylim(0, 1)
        strip.set_yticks([])
        strip.set_ylabel("regime")
        strip.set_xlabel("period")
        strip.set_xlim(periods[0] - 0.5, periods[-1] + 0.5)
        if legend:
            handles = [
                Patch(
                    facecolor=palette[str(r)], edgecolor="0.4", hatch=patterns[str(r)], label=str(r)
                )
                for r in present
            ]
            curves = [
                Line2D(
                    [],
                    [],
                    color=ln.get_color(),
                    linestyle=ln.get_linestyle(),
                    marker=ln.get_marker(),
                    label=ln.get_label(),
                )
                for ln in lines
            ]
            legend_below(strip, [("stocks and weight", curves), ("regime", handles)])
    if title is None:
        title = getattr(path, "title", "")
    if title:
        figure.suptitle(textwrap.fill(title, 80), fontsize=11)
    return figure
