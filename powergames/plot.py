"""Regime maps of the partnership model, drawn with matplotlib.

matplotlib is an optional dependency (``pip install 'powergames[plot]'``): it is
imported when a map is drawn, not when this module is imported. Figures are drawn on
the non-interactive Agg canvas, without :mod:`matplotlib.pyplot` and its global state.

Examples
--------
>>> default_range("discount_factor"), default_range("inherited_weight")
((0.01, 0.99), (0.0, 1.0))
"""

from __future__ import annotations

import math
import os
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from powergames.errors import InvalidParameterError
from powergames.partnership.parameters import SPECS
from powergames.partnership.regimes import REGIMES
from powergames.tables import sweep

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

__all__ = [
    "DILUTION_LEVELS",
    "NEEDS_MATPLOTLIB",
    "REGIME_COLOURS",
    "check_image_path",
    "default_range",
    "regime_map",
    "save_figure",
]

#: What to install when matplotlib is missing.
NEEDS_MATPLOTLIB = "regime maps need matplotlib: pip install 'powergames[plot]'"

#: A fixed colour for every regime of :data:`powergames.partnership.REGIMES`, the same
#: on every map (ColorBrewer's Set2: light enough for the curves drawn over them).
REGIME_COLOURS: dict[str, str] = {
    "collaboration": "#66c2a5",
    "partnership": "#8da0cb",
    "donor-beneficiary": "#fc8d62",
    "contested": "#e78ac3",
    "passive": "#ffd92f",
    "breakdown": "#b3b3b3",
}

#: The levels of dilution ``d*`` drawn as contours.
DILUTION_LEVELS: tuple[float, ...] = (0.05, 0.1, 0.2)

_SPECS = {spec.name: spec for spec in SPECS}


def _require_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError as error:
        raise ImportError(NEEDS_MATPLOTLIB, name="matplotlib") from error


def default_range(name: str, value: float | None = None) -> tuple[float, float]:
    """A sensible axis range for a parameter: its domain, clipped.

    Parameters
    ----------
    name : str
        A parameter of :data:`powergames.partnership.SPECS`.
    value : float, optional
        The parameter's current value (its baseline when omitted): ranges that would be
        unbounded are centred on it.

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
    if name not in _SPECS:
        raise InvalidParameterError(
            f"unknown parameter {name!r}; the parameters are {', '.join(_SPECS)}"
        )
    spec = _SPECS[name]
    centre = spec.default if value is None else float(value)
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


def _label(name: str) -> str:
    spec = _SPECS.get(name)
    words = name.replace("_", " ")
    return f"{words} (${spec.latex}$)" if spec is not None else words


def _axis(name: str, values: ArrayLike) -> NDArray[np.float64]:
    array = np.unique(np.asarray(values, dtype=np.float64).ravel())
    if array.size < 2:
        raise InvalidParameterError(f"a map needs at least two values of {name}, got {values!r}")
    return array


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
) -> Axes:
    """Draw the regime of the partnership model over two parameters.

    Each grid point is coloured by its regime (a fixed colour per regime, see
    :data:`REGIME_COLOURS`, with a legend of the regimes on the map). When one axis is
    the discount factor, the critical discount factor ``delta**`` is drawn as a
    dashed curve along the other axis (above it the partners can sustain the
    partnership). Contours mark the dilution ``d*`` of the OCI's inherited weight at
    the levels :data:`DILUTION_LEVELS` that the map reaches.

    Parameters
    ----------
    model : Parameters, Scenario or PartnershipModel
        The model at the values of the parameters not on the axes (as :func:`sweep`
        takes it). A scenario's title titles the map.
    x, y : str
        The parameters on the horizontal and vertical axes (two different ones).
    x_values, y_values : array_like
        The values computed along each axis (sorted; at least two each).
    ax : matplotlib Axes, optional
        Where to draw; a new figure (on the Agg canvas) when omitted.
    title : str, optional
        The map's title (by default the scenario's title, if any; ``""`` for none).
    legend : bool, default True
        Draw the legends (regimes, and the curves) to the right of the map. Panels of
        one figure usually draw them once, on the last panel.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; ``ax.figure`` is the figure to save (:func:`save_figure`).

    Raises
    ------
    ImportError
        When matplotlib is not installed.
    InvalidParameterError
        For unknown parameters, the same parameter twice or values outside a domain.

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
    _require_matplotlib()
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if x == y:
        raise InvalidParameterError(f"a map needs two different parameters, got {x!r} twice")
    xs, ys = _axis(x, x_values), _axis(y, y_values)
    table = sweep(model, {y: ys, x: xs}, ["regime", "dilution", "window_min", "window_max"])
    shape = (len(ys), len(xs))
    names = list(REGIMES)
    index = {name: k for k, name in enumerate(names)}
    codes = np.array([index[r] for r in table["regime"].tolist()]).reshape(shape)
    # Dilution means something only where some weight is self-enforcing.
    empty = np.asarray(table["window_min"] > table["window_max"]).reshape(shape)
    dilution = np.ma.masked_where(
        empty | ~np.isfinite(table["dilution"].reshape(shape)),
        np.asarray(table["dilution"], dtype=float).reshape(shape),
    )

    if ax is None:
        ax = _new_axes()
    colours = ListedColormap([REGIME_COLOURS[name] for name in names])
    norm = BoundaryNorm(np.arange(len(names) + 1) - 0.5, len(names))
    ax.pcolormesh(xs, ys, codes, cmap=colours, norm=norm, shading="nearest", rasterized=True)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel(_label(x))
    ax.set_ylabel(_label(y))
    regimes = [
        Patch(facecolor=REGIME_COLOURS[name], edgecolor="0.4", label=name)
        for name in names
        if (codes == index[name]).any()
    ]
    curves: list[Any] = []

    if "discount_factor" in (x, y):
        other, along = (y, ys) if x == "discount_factor" else (x, xs)
        critical = np.asarray(
            sweep(model, {other: along}, ["critical_discount_factor"])["critical_discount_factor"],
            dtype=float,
        )
        low, high = (xs[0], xs[-1]) if x == "discount_factor" else (ys[0], ys[-1])
        shown = np.isfinite(critical) & (critical >= low) & (critical <= high)
        label = r"$\delta^{**}$: critical discount factor"
        if shown.any():
            curve = np.where(shown, critical, np.nan)
            points = (curve, along) if x == "discount_factor" else (along, curve)
            ax.plot(*points, color="black", linestyle="--", linewidth=1.8)
        else:
            finite = critical[np.isfinite(critical)]
            where = f"{finite.min():.3g}" if finite.size else "none"
            label += f" (off the map: {where})"
        curves.append(Line2D([], [], color="black", linestyle="--", linewidth=1.8, label=label))

    if dilution.count():
        levels = [v for v in DILUTION_LEVELS if dilution.min() < v < dilution.max()]
        if levels:
            contours = ax.contour(
                xs, ys, dilution, levels=levels, colors="0.15", linewidths=1.0, linestyles="-"
            )
            ax.clabel(contours, fmt=lambda v: f"d*={v:g}", fontsize=8, inline=True)
            curves.append(
                Line2D(
                    [],
                    [],
                    color="0.15",
                    linewidth=1.0,
                    label="dilution d* = " + ", ".join(f"{v:g}" for v in levels),
                )
            )

    if legend:
        style = {"borderaxespad": 0.0, "fontsize": 9, "title_fontsize": 9, "frameon": False}
        first = ax.legend(
            handles=regimes, title="regime", loc="upper left", bbox_to_anchor=(1.02, 1.0), **style
        )
        if curves:
            ax.add_artist(first)
            ax.legend(handles=curves, loc="lower left", bbox_to_anchor=(1.02, 0.0), **style)
    if title is None:
        title = getattr(model, "title", "") or getattr(model, "name", "")
    if title:
        ax.set_title(textwrap.fill(title, 70), fontsize=11)
    return ax


def _new_axes() -> Axes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9.0, 5.5), layout="constrained")
    FigureCanvasAgg(figure)
    return figure.add_subplot()


def save_figure(figure: Figure | SubFigure, path: str | os.PathLike[str], dpi: int = 150) -> None:
    """Write a figure (``ax.figure``; a sub-figure writes its whole figure) to a file
    whose suffix names the format (png, pdf, svg, ...).

    Raises
    ------
    InvalidParameterError
        For a suffix matplotlib cannot write.
    OSError
        When the file cannot be written.
    """
    check_image_path(path)
    figure.figure.savefig(path, dpi=dpi)


def check_image_path(path: str | os.PathLike[str]) -> None:
    """Check, before drawing, that an image can be written to ``path``: a suffix
    matplotlib knows and an existing directory.

    Raises
    ------
    ImportError
        When matplotlib is not installed.
    InvalidParameterError
        For an unknown suffix or a directory that does not exist.

    Examples
    --------
    >>> check_image_path("map.png")
    >>> check_image_path("map.txt")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: cannot write 'map.txt': the file name must end in ...
    """
    _require_matplotlib()
    from matplotlib.backend_bases import FigureCanvasBase

    name = os.fspath(path)
    suffix = os.path.splitext(name)[1].lstrip(".").lower()
    supported: Sequence[str] = list(FigureCanvasBase.get_supported_filetypes())
    if suffix not in supported:
        raise InvalidParameterError(
            f"cannot write {name!r}: the file name must end in one of "
            f"{', '.join('.' + s for s in supported)}"
        )
    directory = os.path.dirname(name) or "."
    if not os.path.isdir(directory):
        raise InvalidParameterError(f"cannot write {name!r}: no directory {directory!r}")
