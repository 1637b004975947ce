"""Regime maps of the partnership model: the plane of two parameters coloured by the
compromise the partners settle into, with the critical discount factor, the dilution
the partnership asks of the OCI, and, where the model says it, why.

Examples
--------
>>> default_range("discount_factor"), default_range("inherited_weight")
((0.01, 0.99), (0.0, 1.0))
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from powergames import _validate
from powergames.errors import InvalidParameterError
from powergames.partnership import REGIMES, SPECS
from powergames.plot.canvas import legend_below, new_axes, require_matplotlib, settle_layout
from powergames.plot.contour_labels import label_contours
from powergames.plot.style import (
    BINDING_HATCHES,
    BINDING_LABELS,
    DILUTION_LEVELS,
    OTHER_BINDING_LABELS,
    regime_colours,
    regime_hatches,
)
from powergames.tables import sweep

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["MAX_RESOLUTION", "check_resolution", "default_range", "regime_map"]

#: The most values a map computes along one axis. A figure seven inches wide printed
#: at 300 dpi has 2,100 dots across, so a finer grid cannot be seen; a 2,000 by 2,000
#: map already takes about 1 GB of memory and several seconds, and the memory grows
#: with the square of the resolution.
MAX_RESOLUTION = 2000

#: The size of a new map, in inches (the legend goes below it).
MAP_SIZE = (7.0, 5.8)

#: The hatching drawn over the regimes and the causes.
HATCH_STYLE: dict[Any, Any] = {"hatch.color": "0.2", "hatch.linewidth": 0.6}

#: Spare hatch patterns for values of ``binding_constraint`` this module has no words
#: for (a model may report more causes than :data:`BINDING_LABELS` knows).
SPARE_HATCHES = ("xxxx", "oo", "..", "**", "OO")

_SPECS = {spec.name: spec for spec in SPECS}
_BASE_COLUMNS = ["regime", "dilution", "window_min", "window_max"]


def default_range(
    name: str, value: float | None = None, *, specs: Iterable[Any] | None = None
) -> tuple[float, float]:
    """A sensible axis range for a parameter: its domain, clipped.

    Parameters
    ----------
    name : str
        A parameter of :data:`powergames.partnership.SPECS` (or of ``specs``).
    value : float, optional
        The parameter's current value (its baseline when omitted): ranges that would be
        unbounded are centred on it.
    specs : iterable of ParameterSpec, optional
        Another model's parameters (e.g.
        :data:`powergames.partnership.actors.NESTED_SPECS`); the partnership model's by
        default.

    Returns
    -------
    (low, high)
        A bounded domain as it is, 1 % inside it for the discount factor (whose upper
        bound is open); ``[low, low + 2 (value - low)]`` (at least one unit wide) for a
        domain bounded below only; ``value`` plus or minus ``max(2 |value|, 2)`` for an
        unbounded one.

    Raises
    ------
    InvalidParameterError
        For an unknown parameter.

    Examples
    --------
    >>> default_range("shared_paradigm"), default_range("control_gain")
    ((0.0, 1.0), (0.0, 4.0))
    >>> default_range("oci_outside_option"), default_range("oci_outside_option", value=-1)
    ((-1.0, 3.0), (-3.0, 1.0))
    """
    known = _SPECS if specs is None else {spec.name: spec for spec in specs}
    if name not in known:
        raise InvalidParameterError(
            f"unknown parameter {name!r}; the parameters are {', '.join(known)}"
        )
    spec = known[name]
    centre = spec.default if value is None or np.isnan(value) else float(value)
    if not np.isfinite(centre):  # a parameter an actor chooses (NaN by default)
        centre = spec.domain[0]
    low, high = (float(bound) for bound in spec.domain)
    if math.isfinite(low) and math.isfinite(high):
        if spec.upper_open:
            margin = 0.01 * (high - low)
            return (round(low + margin, 12), round(high - margin, 12))
        return (low, high)
    if math.isfinite(low):
        return (low, low + max(2.0 * (centre - low), 1.0))
    half = max(2.0 * abs(centre), 2.0)
    return (centre - half, centre + half)


def check_resolution(value: Any, name: str = "resolution") -> int:
    """A number of values along an axis of a map: a whole number from 2 to
    :data:`MAX_RESOLUTION`. Check it before building the axis.

    Raises
    ------
    InvalidParameterError
        Outside that range, or not a whole number.

    Examples
    --------
    >>> check_resolution(200)
    200
    >>> check_resolution(100_000)
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: resolution must be a whole number from 2 to 2000, ...
    """
    number = _validate.integer(value, name)
    if not 2 <= number <= MAX_RESOLUTION:
        raise InvalidParameterError(
            f"{name} must be a whole number from 2 to {MAX_RESOLUTION}, got {number}: a "
            f"map computes every point of a {number} by {number} grid, and no figure shows "
            f"more than {MAX_RESOLUTION} values across"
        )
    return number


def _label(name: str) -> str:
    spec = _SPECS.get(name)
    words = name.replace("_", " ")
    return f"{words} (${spec.latex}$)" if spec is not None else words


def _axis(name: str, values: ArrayLike) -> NDArray[np.float64]:
    array = np.asarray(values, dtype=np.float64).ravel()
    if array.size > MAX_RESOLUTION:
        raise InvalidParameterError(
            f"a map takes at most {MAX_RESOLUTION} values of {name} (a finer grid cannot "
            f"be seen), got {array.size}"
        )
    array = np.unique(array)
    if array.size < 2:
        raise InvalidParameterError(f"a map needs at least two values of {name}, got {values!r}")
    return array


def _sweep(
    model: Any, grid: dict[str, NDArray[np.float64]], binding_constraint: bool | None
) -> tuple[Any, bool]:
    """The map's table, with the ``binding_constraint`` column when asked for (an
    error if the model has none) or, by default, when the model has it."""
    with_causes = [*_BASE_COLUMNS, "binding_constraint"]
    if binding_constraint is False:
        return sweep(model, grid, _BASE_COLUMNS), False
    if binding_constraint:
        return sweep(model, grid, with_causes), True
    declared = getattr(model, "columns", None)  # a Model says what it computes
    if isinstance(declared, Mapping):
        has = "binding_constraint" in declared
        return sweep(model, grid, with_causes if has else _BASE_COLUMNS), has
    try:  # parameters or a scenario: the sweep refuses an unknown column up front
        return sweep(model, grid, with_causes), True
    except InvalidParameterError:
        return sweep(model, grid, _BASE_COLUMNS), False


def regime_map(
    model: Any,
    x: str,
    y: str,
    x_values: ArrayLike,
    y_values: ArrayLike,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    legend: bool = True,
    colors: Mapping[str, Any] | None = None,
    hatches: Mapping[str, str] | bool = True,
    binding_constraint: bool | None = None,
) -> Axes:
    """Draw the regime of the partnership model over two parameters.

    Each grid point is coloured by its regime (a fixed colour per regime, see
    :data:`~powergames.plot.REGIME_COLOURS`), and the rarer regimes are hatched, so the
    map reads in greyscale and with colour blindness. When one axis is the discount
    factor, the critical discount factor ``delta_c`` is drawn as a dashed curve along
    the other axis (above it the partners can sustain the partnership). Contours mark
    the dilution ``d*`` of the OCI's inherited weight at the levels
    :data:`~powergames.plot.DILUTION_LEVELS` that the map reaches, labelled away from
    the ``delta_c`` curve. When the model reports which bound of the admissible window
    of weights binds (a ``binding_constraint`` column), the partnership region is
    hatched by that cause, with a legend that says why, not only what.

    Parameters
    ----------
    model : Parameters, Scenario or Model
        The model at the values of the parameters not on the axes (as
        :func:`~powergames.sweep` takes it). A scenario's title titles the map. Another
        model must compute the columns ``regime``, ``dilution``, ``window_min``,
        ``window_max`` (and ``critical_discount_factor`` when an axis is the discount
        factor).
    x, y : str
        The parameters on the horizontal and vertical axes (two different ones).
    x_values, y_values : array_like
        The values computed along each axis (sorted; from 2 to
        :data:`MAX_RESOLUTION` each).
    ax : matplotlib Axes, optional
        Where to draw; a new figure (on the Agg canvas) when omitted.
    title : str, optional
        The map's title (by default the scenario's title, if any; ``""`` for none).
    legend : bool, default True
        Draw the legend below the map: the regimes, the curves and the causes, a
        column each. Panels of one figure usually draw it once, on the last panel.
    colors : mapping of regime to colour, optional
        Colours in place of the defaults for some regimes (any matplotlib colour).
    hatches : bool or mapping of regime to hatch pattern, default True
        The default hatching of the regimes (True), none (False), or patterns in place
        of the defaults for some regimes (``""`` for none; matplotlib's symbols
        ``/ \\ | - + x o O . *``).
    binding_constraint : bool, optional
        Hatch the partnership region by what binds the OCI's weight (the model's
        ``binding_constraint`` column; see
        :data:`~powergames.plot.BINDING_LABELS`). By default, when the model has
        that column; True requires it; False never.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; ``ax.figure`` is the figure to save
        (:func:`~powergames.plot.save_figure`).

    Raises
    ------
    ImportError
        When matplotlib is not installed.
    InvalidParameterError
        For unknown parameters, the same parameter twice, fewer than two or more than
        :data:`MAX_RESOLUTION` values on an axis, values outside a domain, unknown
        regimes or colours or hatch patterns, or ``binding_constraint=True`` for a
        model without that column.

    Examples
    --------
    >>> from powergames.partnership import load_preset
    >>> preset = load_preset("partnership-1990s")
    >>> ax = regime_map(preset, "discount_factor", "inherited_weight",
    ...                 np.linspace(0.01, 0.99, 50), np.linspace(0, 1, 40))
    >>> ax.get_title()
    'The partnership of the 1990s: a compromise held up by the long term'
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('discount factor ($\\\\delta$)', 'inherited weight ($a_0$)')
    >>> save_figure(ax.figure, "regime-map.png")  # doctest: +SKIP
    """
    require_matplotlib()
    from matplotlib import rc_context
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if x == y:
        raise InvalidParameterError(f"a map needs two different parameters, got {x!r} twice")
    if binding_constraint is not None:
        binding_constraint = _validate.boolean(binding_constraint, "binding_constraint")
    _validate.boolean(legend, "legend")
    palette, patterns = regime_colours(colors), regime_hatches(hatches)
    xs, ys = _axis(x, x_values), _axis(y, y_values)
    table, with_causes = _sweep(model, {y: ys, x: xs}, binding_constraint)
    shape = (len(ys), len(xs))
    names = list(REGIMES)
    index = {name: k for k, name in enumerate(names)}
    regimes = np.asarray(table["regime"]).reshape(shape)
    codes = np.array([index[r] for r in regimes.ravel().tolist()]).reshape(shape)
    # The dilution is what the partnership asks: it means something where the partners
    # settle into one (not where the OCI, though some weight is self-enforcing, prefers
    # to impose), and only where some weight is self-enforcing.
    empty = np.asarray(table["window_min"] > table["window_max"]).reshape(shape)
    raw = np.asarray(table["dilution"], dtype=float).reshape(shape)
    dilution = np.ma.masked_where(empty | (regimes != "partnership") | ~np.isfinite(raw), raw)

    if ax is None:
        ax = new_axes(MAP_SIZE)
    colours = ListedColormap([palette[name] for name in names])
    norm = BoundaryNorm(np.arange(len(names) + 1) - 0.5, len(names))
    ax.pcolormesh(xs, ys, codes, cmap=colours, norm=norm, shading="nearest", rasterized=True)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel(_label(x))
    ax.set_ylabel(_label(y))
    present = [name for name in names if (codes == index[name]).any()]
    with rc_context(HATCH_STYLE):
        for name in present:
            if patterns[name]:
                _hatch(ax, xs, ys, codes == index[name], patterns[name])
        regime_handles = [
            Patch(facecolor=palette[name], edgecolor="0.4", hatch=patterns[name], label=name)
            for name in present
        ]
        cause_handles = (
            _draw_causes(ax, xs, ys, regimes, table["binding_constraint"], palette)
            if with_causes
            else []
        )

    curves: list[Any] = []
    avoid = None
    if "discount_factor" in (x, y):
        avoid, handle = _critical_curve(ax, model, x, y, xs, ys)
        curves.append(handle)
    contours = None
    if dilution.count():
        levels = [v for v in DILUTION_LEVELS if dilution.min() < v < dilution.max()]
        if levels:
            contours = ax.contour(
                xs, ys, dilution, levels=levels, colors="0.15", linewidths=1.0, linestyles="-"
            )
            # A level reached only at isolated points has no line.
            paths = zip(levels, contours.get_paths(), strict=True)
            levels = [level for level, path in paths if np.asarray(path.vertices).size]
            if not levels:
                contours.remove()
                contours = None
        if contours is not None:
            label = "dilution d* = " + ", ".join(f"{v:g}" for v in levels)
            curves.append(Line2D([], [], color="0.15", linewidth=1.0, label=label))
            # A row kept for the levels that cannot be labelled, known only once the
            # labels are placed; filling it then leaves the legend's height alone.
            curves.append(Patch(visible=False, label=" "))

    drawn = None
    if legend:
        groups = [("regime", regime_handles), ("curves", curves)]
        with rc_context(HATCH_STYLE):
            drawn = legend_below(ax, [*groups, ("partnership: the OCI's weight is", cause_handles)])
    if title is None:
        title = getattr(model, "title", "") or getattr(model, "name", "")
    if title:
        ax.set_title(textwrap.fill(title, 70), fontsize=11)
    if contours is not None:
        # Labels are placed in inches on the page: lay the figure out first.
        settle_layout(ax)
        _, unlabelled = label_contours(ax, contours, lambda v: f"d*={v:g}", avoid=avoid)
        if unlabelled and drawn is not None:  # no room: they hug delta_c, or it is cramped
            texts = drawn.get_texts()
            row = [t.get_text() for t in texts].index(label) + 1
            levels_left = ", ".join(f"{v:g}" for v in unlabelled)
            texts[row].set_text(f"unlabelled, no room: d* = {levels_left}")
    return ax


def _hatch(
    ax: Axes,
    xs: NDArray[np.float64],
    ys: NDArray[np.float64],
    where: NDArray[np.bool_],
    pattern: str,
) -> None:
    """Hatch the cells where ``where`` holds (its edges half-way between grid points,
    as the coloured cells')."""
    ax.contourf(xs, ys, where.astype(float), levels=[0.5, 1.5], colors="none", hatches=[pattern])


def _draw_causes(
    ax: Axes,
    xs: NDArray[np.float64],
    ys: NDArray[np.float64],
    regimes: NDArray[Any],
    causes: Any,
    palette: Mapping[str, Any],
) -> list[Any]:
    """Hatch the partnership region by the binding constraint; the legend's entries."""
    from matplotlib.patches import Patch

    values = np.asarray(causes, dtype=object).reshape(regimes.shape)
    inside = regimes == "partnership"
    found = {str(v) for v in values[inside].tolist() if isinstance(v, str) and v}
    known = [cause for cause in BINDING_LABELS if cause in found]
    others = sorted(found - set(BINDING_LABELS))
    spare = iter(SPARE_HATCHES)
    handles = []
    for cause in known + others:
        pattern = BINDING_HATCHES.get(cause) if cause in BINDING_LABELS else next(spare, "")
        if pattern:
            _hatch(ax, xs, ys, inside & (values == cause), pattern)
        label = BINDING_LABELS.get(cause) or OTHER_BINDING_LABELS.get(cause, cause)
        handles.append(
            Patch(facecolor=palette["partnership"], edgecolor="0.4", hatch=pattern, label=label)
        )
    return handles


def _critical_curve(
    ax: Axes,
    model: Any,
    x: str,
    y: str,
    xs: NDArray[np.float64],
    ys: NDArray[np.float64],
) -> tuple[NDArray[np.float64] | None, Any]:
    """Draw ``delta_c`` along the axis that is not the discount factor; its points (for
    the labels to avoid) and its legend entry."""
    from matplotlib.lines import Line2D
    from matplotlib.patheffects import Normal, Stroke

    other, along = (y, ys) if x == "discount_factor" else (x, xs)
    critical = np.asarray(
        sweep(model, {other: along}, ["critical_discount_factor"])["critical_discount_factor"],
        dtype=float,
    )
    low, high = (xs[0], xs[-1]) if x == "discount_factor" else (ys[0], ys[-1])
    shown = np.isfinite(critical) & (critical >= low) & (critical <= high)
    label = r"$\delta_c$: critical discount factor"
    points = None
    if shown.any():
        curve = np.where(shown, critical, np.nan)
        pair = (curve, along) if x == "discount_factor" else (along, curve)
        # A white edge keeps the dashes visible over the dark regime.
        halo = [Stroke(linewidth=3.4, foreground="white"), Normal()]
        ax.plot(*pair, color="black", linestyle="--", linewidth=1.8, path_effects=halo)
        points = np.column_stack(pair)
    else:
        finite = critical[np.isfinite(critical)]
        where = f"{finite.min():.3g}" if finite.size else "none"
        label += f" (off the map: {where})"
    return points, Line2D([], [], color="black", linestyle="--", linewidth=1.8, label=label)
