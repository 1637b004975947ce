"""Figures of evidence: the regimes' shares of a plausible range with their intervals,
and Sobol' indices as bars with their intervals.

Both read in greyscale: the regimes keep the palette and hatching of the regime maps
(:mod:`powergames.plot.style`), and the two kinds of Sobol' index differ in fill
(first order dark and plain, total pale and hatched) as well as in colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from powergames.errors import InvalidParameterError
from powergames.plot.canvas import legend_below, new_axes, require_matplotlib
from powergames.plot.style import REGIME_COLOURS, REGIME_HATCHES

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from powergames.partnership.evidence import Sensitivity, Uncertainty

__all__ = ["INDEX_STYLES", "MIN_SHARE_SHOWN", "regime_shares", "sobol_bars"]

#: Regimes whose share and interval both stay below this are left out of the bars.
MIN_SHARE_SHOWN = 0.005
#: The look of each kind of Sobol' index: fill colour, hatching, label.
INDEX_STYLES = {
    "first": ("#2C4F8A", "", "first order $S_i$ (alone)"),
    "total": ("#F2E4A0", "///", "total $T_i$ (with interactions)"),
}


def regime_shares(
    results: Uncertainty | Sequence[Uncertainty],
    ax: Axes | None = None,
    *,
    title: str | None = None,
    legend: bool = True,
) -> Axes:
    """The share of each regime in the plausible range of one or more cases, as
    horizontal bars in per cent with their confidence intervals.

    Parameters
    ----------
    results : Uncertainty or sequence of Uncertainty
        What :func:`powergames.partnership.evidence.uncertainty` returned, one per case;
        each case is a group of bars, one per regime reached (a regime whose share and
        interval stay below ``MIN_SHARE_SHOWN`` everywhere is left out).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    title : str, optional
        The title (by default the number of points and the interval's level).
    legend : bool, default True
        The regimes' legend below the axes.

    Returns
    -------
    Axes
    """
    require_matplotlib()
    from matplotlib.patches import Patch

    cases = [results] if not isinstance(results, Sequence) else list(results)
    if not cases:
        raise InvalidParameterError("regime_shares needs at least one result")
    regimes = [
        r
        for r in REGIME_COLOURS
        if any(c.shares[r].high >= MIN_SHARE_SHOWN for c in cases if r in c.shares)
    ]
    if ax is None:
        ax = new_axes((6.0, 1.2 + 0.42 * len(cases) * len(regimes) + 0.3 * len(cases)))
    y, ticks, labels = 0.0, [], []
    for case in cases:
        for regime in regimes:
            share = case.shares[regime]
            ax.barh(
                y,
                100 * share.estimate,
                height=0.8,
                color=REGIME_COLOURS[regime],
                hatch=REGIME_HATCHES[regime],
                edgecolor="#333333",
                linewidth=0.6,
            )
            ax.errorbar(
                100 * share.estimate,
                y,
                xerr=[
                    [100 * max(0.0, share.estimate - share.low)],
                    [100 * max(0.0, share.high - share.estimate)],
                ],
                fmt="none",
                ecolor="black",
                elinewidth=1.0,
                capsize=3,
            )
            ax.text(
                min(100 * share.high + 1.5, 101.5),
                y,
                f"{100 * share.estimate:.1f} %",
                va="center",
                ha="left",
                fontsize=8,
            )
            ticks.append(y)
            labels.append(regime if len(cases) == 1 else f"{case.scenario}: {regime}")
            y -= 1.0
        y -= 0.6
    ax.set_yticks(ticks, labels, fontsize=8)
    ax.set_xlim(0, 112)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel("share of the plausible range (%)")
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    first = cases[0]
    ax.set_title(
        title
        if title is not None
        else f"Regimes over the plausible range\n({first.samples:,} points; "
        f"error bars: {100 * first.confidence:.0f} % intervals)",
        fontsize=10,
    )
    if legend:
        handles = [
            Patch(
                facecolor=REGIME_COLOURS[r], hatch=REGIME_HATCHES[r], edgecolor="#333333", label=r
            )
            for r in regimes
        ]
        legend_below(ax, [("regime", handles)])
    return ax


def sobol_bars(
    result: Sensitivity,
    output: str,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    legend: bool = True,
) -> Axes:
    """The first-order and total Sobol' indices of one output to each ranged
    parameter, as pairs of horizontal bars with their confidence intervals, the most
    influential parameter on top.

    Parameters
    ----------
    result : Sensitivity
        What :func:`powergames.partnership.evidence.sensitivity` returned.
    output : str
        One of its outputs.
    ax : matplotlib Axes, optional
    title : str, optional
        The title (by default the output, and the share of points where it took its
        limit value, if any).
    legend : bool, default True

    Returns
    -------
    Axes
    """
    require_matplotlib()
    from matplotlib.patches import Patch

    order = result.ranking(output)  # refuses an output that was not analysed
    if result.variance[output] == 0:
        raise InvalidParameterError(
            f"output {output!r} takes one value over the whole range: it has no Sobol' indices"
        )
    if ax is None:
        ax = new_axes((6.0, 1.4 + 0.55 * len(order)))
    positions = -np.arange(len(order), dtype=float)
    for offset, kind in ((0.19, "first"), (-0.19, "total")):
        colour, hatch, _ = INDEX_STYLES[kind]
        estimates = [getattr(result.indices[output][p], kind) for p in order]
        values = np.array([e.value for e in estimates])
        errors = np.array(
            [[e.value - e.low for e in estimates], [e.high - e.value for e in estimates]]
        ).clip(min=0)
        ax.barh(
            positions + offset,
            values,
            height=0.36,
            color=colour,
            hatch=hatch,
            edgecolor="#333333",
            linewidth=0.6,
        )
        ax.errorbar(
            values,
            positions + offset,
            xerr=errors,
            fmt="none",
            ecolor="black",
            elinewidth=1.0,
            capsize=2.5,
        )
    ax.set_yticks(positions, order, fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    high = max(1.0, *(result.indices[output][p].total.high for p in order))
    low = min(0.0, *(result.indices[output][p].first.low for p in order))
    ax.set_xlim(low - 0.02, high + 0.02)
    ax.set_xlabel("share of the output's variance")
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    undefined = result.undefined.get(output, 0.0)
    note = f"; limit value at {100 * undefined:.0f} % of points" if undefined else ""
    ax.set_title(title if title is not None else f"Sobol' indices of {output}{note}", fontsize=10)
    if legend:
        handles: list[Any] = [
            Patch(facecolor=c, hatch=h, edgecolor="#333333", label=label)
            for c, h, label in INDEX_STYLES.values()
        ]
        legend_below(ax, [(f"{100 * result.confidence:.0f} % intervals", handles)])
    return ax
