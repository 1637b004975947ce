"""The payoff plane of a repeated game: the feasible set, the individually rational
set, and the pure-strategy subgame-perfect equilibrium payoffs at one or several
discount factors, with the stage payoffs marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from powergames import _validate
from powergames.errors import InvalidParameterError
from powergames.game import Game, GameLike, as_game
from powergames.plot.canvas import legend_below, new_axes, require_matplotlib
from powergames.repeated import (
    PayoffSet,
    equilibrium_payoff_set,
    feasible_set,
    individually_rational,
    minmax,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["MAX_DISCOUNT_FACTORS", "payoff_set_map"]

#: The most discount factors one figure shows: beyond that the nested sets' shades can
#: no longer be told apart in greyscale.
MAX_DISCOUNT_FACTORS = 5

#: The size of a new figure, in inches (the legend goes below it).
FIGURE_SIZE = (6.0, 6.4)

#: The equilibrium sets' fills, lightest (the largest discount factor) to darkest
#: (ColorBrewer's Blues): their CIE lightness L* falls from 79 to 35 in steps of 10 to
#: 12, and stays 16 below the feasible set's 95. Fewer sets take shades spread out.
SET_SHADES = ("#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#08519C")

#: The feasible set's fill, and the hatching of the individually rational set.
FEASIBLE_SHADE = "#F0F0F0"
RATIONAL_HATCH = "////"
HATCH_STYLE: dict[Any, Any] = {"hatch.color": "0.4", "hatch.linewidth": 0.6}


def payoff_set_map(
    game: GameLike,
    delta: float | ArrayLike,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    legend: bool = True,
    pure: bool = False,
    labels: bool = True,
) -> Axes:
    """Draw the payoffs of a repeated game: feasible, individually rational, and
    sustained by subgame-perfect equilibria at each discount factor.

    The feasible set (:func:`~powergames.repeated.feasible_set`) is filled in pale
    grey; the individually rational part of it
    (:func:`~powergames.repeated.individually_rational`) is hatched, bounded by dotted
    lines at the minmax values (:func:`~powergames.repeated.minmax`), whose corner is
    marked. Over them, the equilibrium payoff set
    (:func:`~powergames.repeated.equilibrium_payoff_set`) at each discount factor is
    filled, the largest discount factor first and lightest, so nested sets read like
    the contours of a map. A set that collapses to a segment is drawn as a thick line, a
    point as a marker; an empty set is named in the legend. The stage payoffs are
    marked and, with ``labels``, named by their profiles.

    Parameters
    ----------
    game : Game
    delta : float or sequence of floats
        The common discount factor(s), in [0, 1); at most
        ``MAX_DISCOUNT_FACTORS`` different ones.
    ax : matplotlib Axes, optional
        Where to draw; a new figure (on the Agg canvas) when omitted.
    title : str, optional
        The figure's title (by default the game's title, if any; ``""`` for none).
    legend : bool, default True
        Draw the legend below the axes.
    pure : bool, default False
        Use the pure-strategy minmax values for the individually rational set.
    labels : bool, default True
        Name each stage payoff by its profile(s), e.g. ``(C, D)``.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ImportError
        When matplotlib is not installed.
    InvalidParameterError
        If ``game`` is not a :class:`~powergames.Game`, for a discount factor outside
        [0, 1), none or too many of them.

    Examples
    --------
    The prisoner's dilemma with (T, R, P, S) = (10, 9, 3, 1): at ``delta = 0.2`` the
    equilibrium payoffs are the segment from (3, 3) to (9, 9), at ``0.9`` a
    quadrilateral.

    >>> from powergames import Game
    >>> A = [[9, 1], [10, 3]]
    >>> pd = Game(A, np.transpose(A), strategies=(("C", "D"), ("C", "D")))
    >>> ax = payoff_set_map(pd, [0.2, 0.9])
    >>> [text.get_text() for text in ax.get_legend().get_texts()][:3]
    ['payoff sets', 'feasible', 'individually rational']
    >>> save_figure(ax.figure, "payoff-sets.png")  # doctest: +SKIP
    """
    require_matplotlib()
    from matplotlib import rc_context
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    game = as_game(game)
    deltas = _discount_factors(delta)
    _validate.boolean(legend, "legend")
    _validate.boolean(labels, "labels")
    feasible = feasible_set(game)
    rational = individually_rational(game, pure=_validate.boolean(pure, "pure"))
    values = minmax(game, pure=pure).values
    sets = [(d, equilibrium_payoff_set(game, d)) for d in deltas]

    if ax is None:
        ax = new_axes(FIGURE_SIZE)
    _fill(ax, feasible, facecolor=FEASIBLE_SHADE, edgecolor="0.45", linewidth=1.0, zorder=1)
    with rc_context(HATCH_STYLE):
        _fill(ax, rational, facecolor="none", edgecolor="none", hatch=RATIONAL_HATCH, zorder=2)
        handles: list[Any] = [
            Patch(facecolor=FEASIBLE_SHADE, edgecolor="0.45", label="feasible"),
            Patch(
                facecolor=FEASIBLE_SHADE,
                edgecolor="0.45",
                hatch=RATIONAL_HATCH,
                label="individually rational",
            ),
        ]
    for level in (0, 1):
        line = ax.axvline if level == 0 else ax.axhline
        line(values[level], color="0.3", linestyle=":", linewidth=1.0, zorder=3)
    handles.append(
        Line2D(
            [],
            [],
            color="0.3",
            linestyle=":",
            marker="x",
            markeredgecolor="black",
            label=f"minmax ({values[0]:.3g}, {values[1]:.3g})",
        )
    )
    ax.plot(*values, marker="x", color="black", markersize=7, zorder=6)

    picks = np.linspace(0, len(SET_SHADES) - 1, len(sets)).round().astype(int)
    for k, (d, payoffs) in enumerate(sets):  # largest delta first: lightest, beneath
        label = f"equilibria, $\\delta$ = {d:g}"
        if k + 1 < len(sets) and _same(payoffs, sets[k + 1][1]):  # hidden by the next
            label += f" (the same as at {sets[k + 1][0]:g})"
        handles.append(_draw_set(ax, payoffs, SET_SHADES[picks[k]], label, 4 + k))
    _stage_payoffs(ax, game, labels)
    handles.append(
        Line2D(
            [], [], linestyle="none", marker="o", color="black", markersize=4, label="stage payoffs"
        )
    )
    _frame(ax, feasible)
    ax.set_xlabel(f"{game.players[0]}'s payoff")
    ax.set_ylabel(f"{game.players[1]}'s payoff")
    if legend:
        with rc_context(HATCH_STYLE):
            legend_below(ax, [("payoff sets", handles)])
    title = game.title if title is None else title
    if title:
        ax.set_title(title, fontsize=11)
    return ax


def _discount_factors(delta: Any) -> list[float]:
    """Distinct discount factors, largest first."""
    array = np.atleast_1d(np.asarray(_validate.discount_factor(delta, array=True)))
    if array.ndim != 1 or array.size == 0:
        raise InvalidParameterError(f"delta must be one discount factor or a list, got {delta!r}")
    deltas = sorted({float(d) for d in array}, reverse=True)
    if len(deltas) > MAX_DISCOUNT_FACTORS:
        raise InvalidParameterError(
            f"delta: a figure shows at most {MAX_DISCOUNT_FACTORS} discount factors (their "
            f"shades must read in greyscale), got {len(deltas)}"
        )
    return deltas


def _same(first: PayoffSet, second: PayoffSet) -> bool:
    """Whether two payoff sets are the same, up to the solver's tolerance."""
    if first.is_empty or second.is_empty:
        return first.is_empty and second.is_empty
    return first.hausdorff(second) <= 1e-6 * (1.0 + max(first.size, second.size))


def _fill(ax: Axes, payoffs: PayoffSet, **style: Any) -> None:
    if payoffs.dimension == 2:
        ax.fill(*payoffs.vertices.T, **style)


def _draw_set(ax: Axes, payoffs: PayoffSet, shade: str, label: str, zorder: int) -> Any:
    """Draw one equilibrium payoff set; its legend entry."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    vertices = payoffs.vertices
    if payoffs.dimension == 2:
        ax.fill(*vertices.T, facecolor=shade, edgecolor="black", linewidth=1.0, zorder=zorder)
        return Patch(facecolor=shade, edgecolor="black", label=label)
    if payoffs.dimension == 1:
        ax.plot(*vertices.T, color="black", linewidth=5.0, solid_capstyle="round", zorder=zorder)
        ax.plot(*vertices.T, color=shade, linewidth=3.0, solid_capstyle="round", zorder=zorder)
        return Line2D([], [], color=shade, linewidth=3.0, label=f"{label} (a segment)")
    if payoffs.dimension == 0:
        ax.plot(
            *vertices.T,
            marker="h",
            markersize=11,
            markerfacecolor=shade,
            markeredgecolor="black",
            linestyle="none",
            zorder=zorder,
        )
        return Line2D(
            [],
            [],
            marker="h",
            markersize=8,
            markerfacecolor=shade,
            markeredgecolor="black",
            linestyle="none",
            label=f"{label} (a point)",
        )
    return Line2D([], [], linestyle="none", label=f"{label}: empty")


def _stage_payoffs(ax: Axes, game: Game, labels: bool) -> None:
    """Mark each stage payoff pair, named by the profiles that give it."""
    A, B = game.payoffs
    rows, columns = game.strategies
    named: dict[tuple[float, float], list[str]] = {}
    for i, row in enumerate(rows):
        for j, column in enumerate(columns):
            named.setdefault((float(A[i, j]), float(B[i, j])), []).append(f"({row}, {column})")
    points = np.array(list(named), dtype=np.float64)
    ax.plot(*points.T, linestyle="none", marker="o", color="black", markersize=4, zorder=8)
    if not labels:
        return
    centre = points.mean(axis=0)
    for (u, v), profiles in named.items():
        away = np.array([u, v]) - centre
        away = away / max(float(np.hypot(*away)), 1e-12)
        ax.annotate(
            ", ".join(profiles),
            (u, v),
            xytext=tuple(6.0 * away),
            textcoords="offset points",
            fontsize=8,
            ha="left" if away[0] >= 0 else "right",
            va="bottom" if away[1] >= 0 else "top",
            zorder=9,
        )


def _frame(ax: Axes, feasible: PayoffSet) -> None:
    """Limits around the feasible set, with room for the stage payoffs' names."""
    low, high = feasible.vertices.min(axis=0), feasible.vertices.max(axis=0)
    margin = np.maximum(0.12 * (high - low), 0.5)
    ax.set_xlim(low[0] - margin[0], high[0] + margin[0])
    ax.set_ylim(low[1] - margin[1], high[1] + margin[1])
