"""What every figure shares: the lazy import of matplotlib, a new figure on the Agg
canvas, a legend below the axes, and the image file.

matplotlib is an optional dependency (``pip install 'powergames[plot]'``): it is
imported when a figure is drawn, not when :mod:`powergames.plot` is imported. Figures
are drawn on the non-interactive Agg canvas, without :mod:`matplotlib.pyplot` and its
global state, so drawing never opens a window.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from powergames.errors import InvalidParameterError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure
    from matplotlib.legend import Legend

__all__ = [
    "NEEDS_MATPLOTLIB",
    "check_image_path",
    "legend_below",
    "new_axes",
    "require_matplotlib",
    "save_figure",
    "settle_layout",
]

#: What to install when matplotlib is missing.
NEEDS_MATPLOTLIB = "figures need matplotlib: pip install 'powergames[plot]'"

#: Space between the axis label and a legend below it, in points.
LEGEND_GAP = 6.0


def require_matplotlib() -> None:
    """Raise an ImportError that says what to install when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as error:
        raise ImportError(NEEDS_MATPLOTLIB, name="matplotlib") from error


def new_axes(size: tuple[float, float]) -> Axes:
    """Axes on a new figure of ``size`` inches, on the Agg canvas, laid out by
    matplotlib's constrained layout (which makes room for legends outside the axes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(figure)
    return figure.add_subplot()


def settle_layout(ax: Axes) -> None:
    """Lay out the figure of ``ax`` now (with its layout engine, if it has one), so that
    the axes have the size they will be drawn at."""
    figure = ax.figure.figure  # the whole figure, for a sub-figure
    engine = figure.get_layout_engine()
    if engine is not None:
        engine.execute(figure)


def _below_axis_labels(ax: Axes) -> float:
    """How far below the axes the horizontal axis's ticks, tick labels and label reach,
    in points (so that a legend placed there clears them)."""
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties

    def points(size: Any) -> float:
        return float(FontProperties(size=size).get_size_in_points())

    reach = float(rcParams["xtick.major.size"]) + float(rcParams["xtick.major.pad"])
    reach += 1.25 * points(rcParams["xtick.labelsize"])
    if ax.get_xlabel():
        # A math label (subscripts, ``$\\delta^{**}$``) stands taller than plain text.
        reach += float(ax.xaxis.labelpad) + 1.5 * points(ax.xaxis.label.get_fontsize())
    return reach


def legend_below(
    ax: Axes, groups: Sequence[tuple[str, Sequence[Any]]], *, fontsize: float = 8.0
) -> Legend:
    """One legend under the axes (below the axis label), a column per group: the
    group's title, then its entries. It takes the figure's height, not the map's width.

    Parameters
    ----------
    ax : Axes
    groups : sequence of (title, handles)
        Handles with labels (patches, lines); empty groups are left out.
    fontsize : float, default 8
    """
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import ScaledTranslation

    groups = [(title, list(handles)) for title, handles in groups if handles]
    rows = 1 + max(len(handles) for _, handles in groups)
    blank = Rectangle((0, 0), 1, 1, visible=False)
    handles: list[Any] = []
    labels: list[str] = []
    titles: list[int] = []
    for title, entries in groups:  # the legend fills its columns top to bottom
        titles.append(len(labels))
        column = [(blank, title)] + [(h, h.get_label()) for h in entries]
        column += [(blank, "")] * (rows - len(column))
        handles += [h for h, _ in column]
        labels += [text for _, text in column]
    offset = ScaledTranslation(0, -_below_axis_labels(ax) / 72.0, ax.figure.dpi_scale_trans)
    legend = ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        bbox_transform=ax.transAxes + offset,
        ncols=len(groups),
        fontsize=fontsize,
        frameon=False,
        borderaxespad=0.0,
        handlelength=1.8,
        handleheight=1.1,
        columnspacing=1.2,
    )
    texts = legend.get_texts()
    for index in titles:
        texts[index].set_fontweight("bold")
    return legend


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
    require_matplotlib()
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
