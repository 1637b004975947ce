"""The equilibrium of the dynamic model as a map: the regime played in each state, over
the two stocks, one panel per era; a relation's path can be drawn over it.

Each panel has trust on the horizontal axis and moral legitimacy on the vertical one;
each grid point is a cell coloured by its regime, in the palette and hatching of the
regime maps (:mod:`powergames.plot.style`), so the map reads in greyscale. A path
(:func:`powergames.simulate`) is drawn in each era's panel as the stocks it visits
there, from a circle to a square.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from powergames.errors import InvalidParameterError
from powergames.plot.canvas import legend_below, require_matplotlib
from powergames.plot.style import regime_colours, regime_hatches

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from powergames.partnership.dynamics import DynamicSolution

__all__ = ["policy_map"]

#: The width of a panel and the height of the figure, in inches.
PANEL_SIZE = (3.2, 4.4)


def _edges(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Cell edges half-way between grid points, the outer ones at the axis ends."""
    if values.size == 1:
        return np.array([low, high])
    middle = (values[1:] + values[:-1]) / 2
    return np.concatenate([[min(low, values[0])], middle, [max(high, values[-1])]])


def policy_map(
    solution: DynamicSolution,
    *,
    eras: Sequence[str] | None = None,
    path: Any = None,
    title: str | None = None,
    legend: bool = True,
) -> Figure:
    """The regime of every state of the dynamic model, one panel per era.

    Parameters
    ----------
    solution : DynamicSolution
        From :func:`powergames.partnership.dynamics.solve`.
    eras : sequence of str, optional
        The eras to draw (all by default).
    path : Table or Trajectory, optional
        A path to draw over the map (:func:`powergames.simulate`).
    title : str, optional
        The model's title by default.
    legend : bool, default True

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from powergames.partnership.dynamics import load_dynamic_preset, solve
    >>> figure = policy_map(solve(load_dynamic_preset("historical-path").model))
    >>> [ax.get_title() for ax in figure.axes]
    ['donor-beneficiary-1960s', 'collaboration-1970s-80s', 'partnership-1990s']
    """
    require_matplotlib()
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from powergames.partnership import REGIMES

    model = solution.model
    chosen = list(model.chain.names if eras is None else eras)
    for era in chosen:
        model.chain.index(era)
    if not chosen:
        raise InvalidParameterError("eras must name at least one era")
    trust, legitimacy = model.grid.trust, model.grid.legitimacy
    x_edges = _edges(trust, 0.0, 1.0)
    y_edges = _edges(legitimacy, 0.0, float(legitimacy[-1]) + 0.5 * (legitimacy.size == 1))
    names = list(REGIMES)
    palette, patterns = regime_colours(), regime_hatches()
    colours = ListedColormap([palette[name] for name in names])
    norm = BoundaryNorm(np.arange(len(names) + 1) - 0.5, len(names))

    figure = Figure(
        figsize=(PANEL_SIZE[0] * len(chosen) + 0.6, PANEL_SIZE[1]), layout="constrained"
    )
    FigureCanvasAgg(figure)
    axes = np.atleast_1d(figure.subplots(1, len(chosen), sharey=True, squeeze=False)[0])
    present: set[str] = set()
    visited = path is not None
    with rc_context({"hatch.color": "0.2", "hatch.linewidth": 0.6}):
        for ax, era in zip(axes, chosen, strict=True):
            regimes = solution.policy_map(era)
            codes = np.vectorize(names.index)(regimes)
            ax.pcolormesh(x_edges, y_edges, codes, cmap=colours, norm=norm, edgecolors="none")
            for name in set(regimes.ravel().tolist()):
                present.add(name)
                if patterns[name]:
                    mask = np.ma.masked_where(regimes != name, np.ones(regimes.shape))
                    ax.pcolor(
                        x_edges,
                        y_edges,
                        mask,
                        hatch=patterns[name],
                        facecolor="none",
                        edgecolor="none",
                        linewidth=0,
                    )
            if visited:
                _draw_path(ax, path, era)
            ax.set_title(era, fontsize=9)
            ax.set_xlabel("trust phi")
            ax.set_xlim(x_edges[0], x_edges[-1])
            ax.set_ylim(y_edges[0], y_edges[-1])
        axes[0].set_ylabel("moral legitimacy L")
        if legend:
            handles = [
                Patch(facecolor=palette[n], edgecolor="0.4", hatch=patterns[n], label=n)
                for n in names
                if n in present
            ]
            groups: list[tuple[str, list[Any]]] = [("regime", handles)]
            if visited:
                groups.append(
                    (
                        "path",
                        [
                            Line2D(
                                [],
                                [],
                                color="black",
                                marker="o",
                                markersize=4,
                                markerfacecolor="white",
                                label="the relation's path",
                            )
                        ],
                    )
                )
            legend_below(axes[len(axes) // 2], groups)
    if title is None:
        title = model.title or model.name
    if title:
        figure.suptitle(textwrap.fill(title, 90), fontsize=11)
    return figure


def _draw_path(ax: Any, path: Any, era: str) -> None:
    eras = np.asarray(path["era"])
    where = eras == era
    if not where.any():
        return
    x = np.asarray(path["shared_paradigm"], dtype=float)[where]
    y = np.asarray(path["moral_legitimacy"], dtype=float)[where]
    ax.plot(x, y, color="white", linewidth=3.0, zorder=3, clip_on=False)
    ax.plot(x, y, color="black", linewidth=1.2, marker=".", markersize=3, zorder=4, clip_on=False)
    ax.plot(
        x[0],
        y[0],
        marker="o",
        markersize=6,
        color="black",
        markerfacecolor="white",
        zorder=5,
        clip_on=False,
    )
    ax.plot(
        x[-1], y[-1], marker="s", markersize=6, color="black", markerfacecolor="white", zorder=5
    )
