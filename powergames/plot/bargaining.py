"""A bargaining problem (S, d) in the utility plane: the feasible set above the
disagreement point, its Pareto frontier, and the solutions marked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from powergames import _validate
from powergames.bargaining import (
    Agreement,
    BargainingProblem,
    egalitarian,
    kalai_smorodinsky,
    nash,
    utilitarian,
)
from powergames.errors import InvalidParameterError
from powergames.plot.canvas import legend_below, new_axes, require_matplotlib

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["SOLUTIONS", "bargaining_map"]

#: The solutions a figure can compute by name, with the name the legend gives them.
SOLUTIONS: dict[str, tuple[str, Callable[[BargainingProblem], Agreement]]] = {
    "nash": ("Nash", nash),
    "kalai-smorodinsky": ("Kalai-Smorodinsky", kalai_smorodinsky),
    "egalitarian": ("egalitarian", egalitarian),
    "utilitarian": ("utilitarian", utilitarian),
}

#: Marker shapes (with a white or black fill) that tell the solutions apart without
#: colour. Solutions that coincide share one marker and one legend entry.
MARKERS = (("o", "white"), ("D", "black"), ("v", "white"), ("P", "black"), ("X", "white"))

#: The size of a new figure, in inches (the legend goes below it).
FIGURE_SIZE = (5.6, 6.0)

#: The feasible set's fill.
FEASIBLE_SHADE = "#DDE8F3"

#: Points sampled along a curved frontier.
FRONTIER_POINTS = 201


def bargaining_map(
    problem: BargainingProblem,
    solutions: Sequence[str | Agreement] = tuple(SOLUTIONS),
    ax: Axes | None = None,
    *,
    title: str | None = None,
    legend: bool = True,
    players: tuple[str, str] = ("player 1", "player 2"),
) -> Axes:
    """Draw a bargaining problem and its solutions.

    The feasible set above the disagreement point d is filled, its Pareto frontier
    drawn thick. The disagreement point and the ideal point (each player's largest
    utility above d) are marked, joined by the dotted segment on which the
    Kalai-Smorodinsky solution lies. Each solution gets its own marker shape (see
    ``powergames.plot.bargaining.MARKERS``), and the legend gives its payoffs.

    Parameters
    ----------
    problem : BargainingProblem
        A numeric problem (not arrays, not sympy expressions).
    solutions : sequence of str or Agreement, optional
        Names of solutions in ``powergames.plot.bargaining.SOLUTIONS`` to compute
        (all four by default), or agreements computed beforehand (a weighted Nash
        solution, say); at most ``len(MARKERS)``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure (on the Agg canvas) when omitted.
    title : str, optional
        The figure's title (none by default).
    legend : bool, default True
        Draw the legend below the axes.
    players : (str, str), default ("player 1", "player 2")
        The players' names, for the axis labels.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ImportError
        When matplotlib is not installed.
    InvalidParameterError
        For a problem that is not a numeric :class:`~powergames.bargaining.BargainingProblem`,
        an unknown solution, or too many.

    Examples
    --------
    The frontier ``u2 = 2 (1 - u1^2)`` with d = (0, 0): Nash at (1/sqrt 3, 4/3).

    >>> from powergames.bargaining import BargainingProblem
    >>> problem = BargainingProblem.from_frontier(lambda u: 2 * (1 - u**2), (0, 1))
    >>> ax = bargaining_map(problem)
    >>> [text.get_text() for text in ax.get_legend().get_texts()][3]
    'Nash: (0.577, 1.33)'
    >>> save_figure(ax.figure, "bargaining.png")  # doctest: +SKIP
    """
    require_matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if not isinstance(problem, BargainingProblem):
        raise InvalidParameterError(
            f"problem must be a BargainingProblem, got {type(problem).__name__}"
        )
    _validate.boolean(legend, "legend")
    first, second = _validate.pair(players, "players")
    d = _point(problem.disagreement, "the disagreement point")
    ideal = _point(problem.ideal_point(), "the ideal point")
    agreements = _agreements(problem, solutions)
    frontier = problem.pareto_frontier(FRONTIER_POINTS)

    if ax is None:
        ax = new_axes(FIGURE_SIZE)
    region = np.vstack([d, [d[0], frontier[0, 1]], frontier, [frontier[-1, 0], d[1]]])
    ax.fill(*region.T, facecolor=FEASIBLE_SHADE, edgecolor="none", zorder=1)
    ax.plot(*frontier.T, color="black", linewidth=2.2, zorder=3)
    ax.plot(*np.vstack([d, ideal]).T, color="0.35", linestyle=":", linewidth=1.2, zorder=2)
    ax.plot(*d, marker="s", color="black", markersize=6, linestyle="none", zorder=6)
    ax.plot(
        *ideal,
        marker="*",
        markerfacecolor="white",
        markeredgecolor="black",
        markersize=11,
        linestyle="none",
        zorder=6,
    )
    handles: list[Any] = [
        Patch(facecolor=FEASIBLE_SHADE, edgecolor="none", label="feasible set S"),
        Line2D([], [], color="black", linewidth=2.2, label="Pareto frontier"),
    ]
    for k, (label, u) in enumerate(_coinciding(agreements)):
        marker, fill = MARKERS[k]
        style: dict[str, Any] = {
            "marker": marker,
            "markerfacecolor": fill,
            "markeredgecolor": "black",
            "markeredgewidth": 1.2,
            "linestyle": "none",
        }
        ax.plot(*u, markersize=9, zorder=7 + k, **style)
        handles.append(
            Line2D([], [], markersize=7, label=f"{label}: ({u[0]:.3g}, {u[1]:.3g})", **style)
        )
    handles += [
        Line2D(
            [],
            [],
            marker="s",
            color="black",
            markersize=6,
            linestyle="none",
            label=f"disagreement point d: ({d[0]:.3g}, {d[1]:.3g})",
        ),
        Line2D(
            [],
            [],
            marker="*",
            markerfacecolor="white",
            markeredgecolor="black",
            markersize=9,
            color="0.35",
            linestyle=":",
            label=f"ideal point: ({ideal[0]:.3g}, {ideal[1]:.3g}), and the segment from d",
        ),
    ]
    _frame(ax, np.vstack([region, ideal]))
    ax.set_xlabel(f"{first}'s utility ($u_1$)")
    ax.set_ylabel(f"{second}'s utility ($u_2$)")
    if legend:
        legend_below(ax, [("bargaining problem", handles)])
    if title:
        ax.set_title(title, fontsize=11)
    return ax


def _point(values: Any, what: str) -> NDArray[np.float64]:
    """A pair of plain numbers (a figure needs a numeric problem)."""
    try:
        point = np.array([float(values[0]), float(values[1])], dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"a figure needs a numeric bargaining problem, but {what} is {values!r}"
        ) from None
    if not np.isfinite(point).all():
        raise InvalidParameterError(f"{what} must be finite, got {values!r}")
    return point


def _agreements(
    problem: BargainingProblem, solutions: Sequence[str | Agreement]
) -> list[tuple[str, Agreement]]:
    """The solutions to mark, computed by name or given, with their legend names."""
    if isinstance(solutions, (str, Agreement)):
        solutions = [solutions]
    chosen = list(solutions)
    if len(chosen) > len(MARKERS):
        raise InvalidParameterError(
            f"solutions: a figure marks at most {len(MARKERS)} solutions (one marker shape "
            f"each), got {len(chosen)}"
        )
    result = []
    for solution in chosen:
        if isinstance(solution, Agreement):
            result.append((_name(solution), solution))
        elif isinstance(solution, str) and solution in SOLUTIONS:
            name, solve = SOLUTIONS[solution]
            result.append((name, solve(problem)))
        else:
            raise InvalidParameterError(
                f"unknown solution {solution!r}; give an Agreement or one of {', '.join(SOLUTIONS)}"
            )
    return result


def _coinciding(
    agreements: list[tuple[str, Agreement]],
) -> list[tuple[str, NDArray[np.float64]]]:
    """The points to mark: solutions at the same payoffs (up to rounding) share one,
    named ``"Nash = Kalai-Smorodinsky"``."""
    points: list[tuple[list[str], NDArray[np.float64]]] = []
    for label, agreement in agreements:
        u = _point(agreement.payoffs, f"the {label} solution")
        for names, v in points:
            if np.allclose(u, v, rtol=1e-9, atol=1e-9 * (1.0 + float(np.abs(v).max()))):
                names.append(label)
                break
        else:
            points.append(([label], u))
    return [(" = ".join(names), u) for names, u in points]


def _name(agreement: Agreement) -> str:
    """The legend's name of an agreement: the solution, and its weights if any."""
    name = (
        SOLUTIONS[agreement.solution][0]
        if agreement.solution in SOLUTIONS
        else (agreement.solution)
    )
    weights = agreement.parameters.get("weights")
    if weights is not None and tuple(float(w) for w in weights) != (0.5, 0.5):
        name += f" with weights ({float(weights[0]):.3g}, {float(weights[1]):.3g})"
    return name


def _frame(ax: Axes, points: Any) -> None:
    """Limits around the problem, with a margin."""
    low, high = np.min(points, axis=0), np.max(points, axis=0)
    margin = np.maximum(0.08 * (high - low), 1e-3)
    ax.set_xlim(low[0] - margin[0], high[0] + margin[0])
    ax.set_ylim(low[1] - margin[1], high[1] + margin[1])
