"""Contour labels placed where they can be read: clear of a line they must not hide
(the critical discount factor), of the other contours, of the frame and of each other.

matplotlib's automatic placement puts a label where the contour is straightest, which
on a regime map is where the dilution contours leave the critical-discount-factor line
``delta_c``: labels sat on that line, and contours too short for a label went without.
Here, measuring in inches on the page:

1. Each level's label goes inline, on its contour, at the point with the most free
   room, among the points with half a label's length of contour on either side. The
   room is the distance to the line to avoid, to the frame and to the labels already
   placed, less half the label's length, and the distance to the other contours, less
   half its height.
2. Where no point has room (the contour is shorter than its label, or runs close to
   the line), the label is set beside the contour, on a white ground, at the place
   around it with the most room, and joined to it by a thin leader line.
3. Where no place beside it is clear either (the contour hugs the line, or the map is
   cramped), the level is left unlabelled and returned, for a legend to name.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.contour import ContourSet
    from matplotlib.path import Path

__all__ = ["label_contours"]

FloatArray = NDArray[np.float64]

#: A label's width per character, as a fraction of the font size (digits and ``*``
#: of the default sans-serif font are about 0.6 em wide).
CHARACTER_WIDTH = 0.6

#: A label's height, as a multiple of the font size (ascent and descent, and the
#: padding of its white ground).
TEXT_HEIGHT = 1.6

#: Where a label set beside its contour may go: this many directions, at these
#: distances (inches) from the contour.
LEADER_DIRECTIONS = 24
LEADER_DISTANCES = (0.3, 0.45, 0.65, 0.85, 1.05)

#: The spacing of the contour points considered, in inches (a fiftieth of an inch: a
#: label's place is not finer than that).
SPACING = 0.02

#: Points along a short contour a leader may start from.
ANCHORS = 7

#: What a leader crossing another contour costs a place, in inches of room, and the
#: most it may cross: a leader across contours is read as pointing to the wrong one.
CROSSING_COST = 0.15
MAX_CROSSINGS = 1

#: The least distance between the start of a leader and the line to avoid, in inches.
ANCHOR_CLEARANCE = 0.1

#: The least distance between a label set beside its contour and the line to avoid,
#: in inches.
LINE_CLEARANCE = 0.03


def label_contours(
    ax: Axes,
    contours: ContourSet,
    fmt: Callable[[float], str],
    *,
    avoid: FloatArray | None = None,
    fontsize: float = 8.0,
) -> tuple[list[Any], list[float]]:
    """Label each level of a contour set once, at a readable place, if it has one.

    Parameters
    ----------
    ax : Axes
        The axes of the contours (their limits set).
    contours : ContourSet
        Line contours (``ax.contour``).
    fmt : callable
        The label of a level.
    avoid : (k, 2) float array, optional
        A polyline in data coordinates (rows with NaN break it) the labels keep clear
        of.
    fontsize : float, default 8

    Returns
    -------
    labels : list
        The labels drawn: inline texts first, then those beside their contours.
    unlabelled : list of float
        The levels left without a label: no place on or beside the contour keeps a
        label clear of the line to avoid and the other labels (the contour hugs the
        line, or the map is cramped). Say so in a legend.
    """
    to_inches = _inches(ax)
    size = _axes_size(ax)
    line = _polyline(avoid, to_inches)
    height = TEXT_HEIGHT * fontsize / 72.0
    levels = [float(level) for level in contours.levels]
    segments, pages = [], []
    for path in contours.get_paths():
        pieces = [_thin(piece, to_inches(piece)) for piece in _pieces(path)]
        segments.append([data for data, _ in pieces])
        pages.append([page for _, page in pieces])
    placed: list[tuple[FloatArray, float]] = []  # centre and half-length of each label
    inline: list[tuple[float, tuple[float, float]]] = []
    beside: list[tuple[float, FloatArray, FloatArray]] = []
    unlabelled: list[float] = []
    for k, level in enumerate(levels):
        if not segments[k]:
            continue
        half = 0.5 * len(fmt(level)) * CHARACTER_WIDTH * fontsize / 72.0 + 0.03
        others = [page for j, level_pages in enumerate(pages) if j != k for page in level_pages]
        best: tuple[float, FloatArray, FloatArray] | None = None
        for segment, page in zip(segments[k], pages[k], strict=True):
            along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(page, axis=0).T))])
            fits = np.flatnonzero((along >= half) & (along <= along[-1] - half))
            if fits.size == 0:
                continue
            points = page[fits]
            far = _clearance(points, line, placed, size) - half
            near = _distance(points, others) - 0.5 * height
            room = np.minimum(far, near)
            j = int(np.argmax(room))
            if best is None or room[j] > best[0]:
                best = (float(room[j]), segment[fits[j]], points[j])
        if best is not None and best[0] >= 0:
            inline.append((level, (float(best[1][0]), float(best[1][1]))))
            placed.append((best[2], half))
            continue
        anchors = _anchors(pages[k], line, size)
        every = [page for level_pages in pages for page in level_pages]
        place = _beside(
            [pages[k][i][j] for i, j in anchors], half, height, line, every, others, placed, size
        )
        if place is None:
            unlabelled.append(level)
            continue
        i, j = anchors[place[0]]
        beside.append((level, segments[k][i][j], place[1] - pages[k][i][j]))
        placed.append((place[1], half))
    drawn: list[Any] = []
    ground = {
        "boxstyle": "round,pad=0.15",
        "facecolor": "white",
        "edgecolor": "none",
        "alpha": 0.85,
    }
    if inline:
        drawn += list(
            ax.clabel(
                contours,
                levels=[level for level, _ in inline],
                manual=[position for _, position in inline],
                inline=True,
                fmt=fmt,
                fontsize=fontsize,
            )
        )
        for text in drawn:
            text.set_bbox(ground)  # readable over hatching
            if abs(text.get_rotation() - 270.0) < 1.0:  # on a vertical contour: read upwards
                text.set_rotation(90.0)
    for level, anchor, offset in beside:
        drawn.append(
            ax.annotate(
                fmt(level),
                xy=(float(anchor[0]), float(anchor[1])),
                xytext=(float(offset[0]) * 72.0, float(offset[1]) * 72.0),
                textcoords="offset points",
                fontsize=fontsize,
                ha="center",
                va="center",
                bbox=ground,
                arrowprops={
                    "arrowstyle": "-",
                    "linewidth": 0.6,
                    "color": "0.15",
                    "shrinkA": 0.0,
                    "shrinkB": 0.0,
                },
            )
        )
    return drawn, unlabelled


def _pieces(path: Path) -> list[FloatArray]:
    """The connected pieces of a contour path, as vertex arrays (closed loops end on
    their first vertex). Read from the codes: ``Path.to_polygons`` would simplify long
    paths in data units, which can leave a curve with a handful of vertices."""
    from matplotlib.path import Path

    vertices = np.asarray(path.vertices, dtype=np.float64)
    if path.codes is None:
        return [vertices] if len(vertices) >= 2 else []
    codes = np.asarray(path.codes)
    pieces = []
    for start, stop in pairwise([*np.flatnonzero(codes == Path.MOVETO), len(codes)]):
        piece = vertices[start:stop].copy()
        closing = codes[start:stop] == Path.CLOSEPOLY
        piece[closing] = piece[0]
        if len(piece) >= 2:
            pieces.append(piece)
    return pieces


def _thin(data: FloatArray, page: FloatArray) -> tuple[FloatArray, FloatArray]:
    """A contour piece with its vertices about :data:`SPACING` apart on the page (the
    ends kept): the fine grids of a large map give thousands of vertices, and the
    distances computed between them would grow with their product."""
    along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(page, axis=0).T))])
    keep = np.unique(np.searchsorted(along, np.arange(0.0, along[-1], SPACING)))
    keep = np.union1d(keep, [len(page) - 1])
    return data[keep], page[keep]


def _axes_size(ax: Axes) -> FloatArray:
    """The axes' width and height in inches (as laid out so far)."""
    box = ax.get_position()
    inches = ax.figure.figure.get_size_inches()  # the whole figure's, for a sub-figure
    return np.array([box.width * inches[0], box.height * inches[1]], dtype=np.float64)


def _inches(ax: Axes) -> Callable[[FloatArray], FloatArray]:
    """Data coordinates to inches from the lower-left corner of the axes."""
    to_axes = ax.transData + ax.transAxes.inverted()
    size = _axes_size(ax)

    def convert(points: FloatArray) -> FloatArray:
        result: FloatArray = to_axes.transform(np.asarray(points, dtype=np.float64)) * size
        return result

    return convert


def _polyline(
    points: FloatArray | None, to_inches: Callable[[FloatArray], FloatArray]
) -> list[FloatArray]:
    """The finite pieces of a polyline, in inches."""
    if points is None:
        return []
    array = np.asarray(points, dtype=np.float64)
    breaks = np.flatnonzero(~np.isfinite(array).all(axis=1))
    pieces = np.split(array, breaks)
    return [
        to_inches(p[np.isfinite(p).all(axis=1)]) for p in pieces if np.isfinite(p).all(axis=1).any()
    ]


def _distance(points: FloatArray, polylines: list[FloatArray]) -> FloatArray:
    """Distance from each point to the nearest of some polylines (inf if none)."""
    result = np.full(len(points), np.inf)
    for piece in polylines:
        if len(piece) == 1:
            result = np.minimum(result, np.hypot(*(points - piece[0]).T))
            continue
        a, ab = piece[:-1], np.diff(piece, axis=0)
        length2 = np.maximum((ab * ab).sum(axis=1), 1e-300)
        ap = points[:, None, :] - a[None, :, :]
        t = np.clip((ap * ab[None]).sum(axis=2) / length2[None], 0.0, 1.0)
        gaps = ap - t[..., None] * ab[None]
        result = np.minimum(result, np.hypot(gaps[..., 0], gaps[..., 1]).min(axis=1))
    return result


def _clearance(
    points: FloatArray,
    line: list[FloatArray],
    placed: list[tuple[FloatArray, float]],
    size: FloatArray,
) -> FloatArray:
    """The distance from each point to the line to avoid, the frame and the labels
    already placed (less their half-lengths)."""
    room = np.minimum(np.minimum(points, size - points).min(axis=1), _distance(points, line))
    for centre, half in placed:
        room = np.minimum(room, np.hypot(*(points - centre).T) - half)
    return np.asarray(room, dtype=np.float64)


def _anchors(
    pages: list[FloatArray], line: list[FloatArray], size: FloatArray
) -> list[tuple[int, int]]:
    """Points of a short contour its label may point to (piece, vertex): a few along
    each piece, those clear of the line to avoid and the frame (a leader that starts
    on the line would seem to point to it)."""
    chosen = []
    for k, page in enumerate(pages):
        clear = _clearance(page, line, [], size)
        for j in np.unique(np.linspace(0, len(page) - 1, ANCHORS).round().astype(int)):
            if clear[j] >= ANCHOR_CLEARANCE:
                chosen.append((k, int(j)))
    return chosen


def _to_segments(point: FloatArray, start: FloatArray, ends: FloatArray) -> FloatArray:
    """Distance from ``point`` to each segment from ``start`` to one of ``ends``."""
    d = ends - start
    t = np.clip(((point - start) * d).sum(axis=1) / np.maximum((d * d).sum(axis=1), 1e-300), 0, 1)
    return np.asarray(np.hypot(*(start + t[:, None] * d - point).T), dtype=np.float64)


def _crossings(
    starts: FloatArray, ends: FloatArray, polylines: list[FloatArray]
) -> NDArray[np.int_]:
    """How many times each segment from ``starts[i]`` to ``ends[i]`` crosses the
    polylines."""
    count = np.zeros(len(ends), dtype=np.int_)
    d = ends - starts
    for piece in polylines:
        if len(piece) < 2:
            continue
        a, e = piece[:-1], np.diff(piece, axis=0)
        # starts + t d = a + u e, both parameters in [0, 1] (Cramer's rule)
        denominator = d[:, 0, None] * e[None, :, 1] - d[:, 1, None] * e[None, :, 0]
        w = a[None] - starts[:, None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (w[..., 0] * e[None, :, 1] - w[..., 1] * e[None, :, 0]) / denominator
            u = (w[..., 0] * d[:, 1, None] - w[..., 1] * d[:, 0, None]) / denominator
        hit = (denominator != 0) & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1)
        count += hit.sum(axis=1)
    return count


def _box_distance(centres: FloatArray, box: FloatArray, polylines: list[FloatArray]) -> FloatArray:
    """Distance from each text box (``centres``, half-sizes ``box``) to the nearest of
    some polylines: 0 where one crosses or enters the box. Two convex sets apart are
    nearest at a vertex of one, so the corners of the box and the polylines' vertices
    suffice."""
    signs = np.array([[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]])
    corners = centres[:, None, :] + signs[None] * box
    result = _distance(corners.reshape(-1, 2), polylines).reshape(len(centres), 4).min(axis=1)
    for piece in polylines:
        gaps = np.maximum(np.abs(piece[None] - centres[:, None, :]) - box, 0.0)
        result = np.minimum(result, np.hypot(gaps[..., 0], gaps[..., 1]).min(axis=1))
    for k in range(4):
        edge = _crossings(corners[:, k], corners[:, (k + 1) % 4], polylines) > 0
        result[edge] = 0.0
    return np.asarray(result, dtype=np.float64)


def _beside(
    anchors: list[FloatArray],
    half: float,
    height: float,
    line: list[FloatArray],
    contours: list[FloatArray],
    others: list[FloatArray],
    placed: list[tuple[FloatArray, float]],
    size: FloatArray,
) -> tuple[int, FloatArray] | None:
    """Where to set a label beside its contour: which anchor it points to, and the
    centre of its text (inches), or None when no place is clear.

    A place must keep the text inside the frame, clear of the line to avoid and of the
    labels already placed, and its leader must not cross that line nor touch a label,
    nor cross more than :data:`MAX_CROSSINGS` other contours. Among those, the place
    wins whose text box has the most room from the contours and the other labels (up
    to a quarter of an inch: more does not read better), less a cost for each contour
    its leader crosses and a little for its length.
    """
    angles = np.linspace(0.0, 2.0 * np.pi, LEADER_DIRECTIONS, endpoint=False)
    directions = np.column_stack([np.cos(angles), np.sin(angles)])
    box = np.array([half, 0.5 * height])
    best: tuple[float, int, FloatArray] | None = None
    for index, point in enumerate(anchors):
        centres = np.vstack([point + r * directions for r in LEADER_DISTANCES])
        fits = ((centres - box) >= 0).all(axis=1) & ((centres + box) <= size).all(axis=1)
        starts = np.broadcast_to(point, centres.shape)
        crossed = _crossings(starts, centres, others)
        keep = fits & (_crossings(starts, centres, line) == 0) & (crossed <= MAX_CROSSINGS)
        centres, crossed = centres[keep], crossed[keep]
        keep = _box_distance(centres, box, line) >= LINE_CLEARANCE
        centres, crossed = centres[keep], crossed[keep]
        if not len(centres):
            continue
        # nor may the text or its leader touch a label already placed
        apart = np.ones(len(centres), dtype=bool)
        for centre, other in placed:
            apart &= np.hypot(*(centres - centre).T) >= other + half
            apart &= _to_segments(centre, point, centres) >= other
        centres, crossed = centres[apart], crossed[apart]
        if not len(centres):
            continue
        room = _box_distance(centres, box, contours)
        score = (
            np.minimum(room, 0.25) - 0.05 * np.hypot(*(centres - point).T) - CROSSING_COST * crossed
        )
        j = int(np.argmax(score))
        if best is None or score[j] > best[0]:
            best = (float(score[j]), index, centres[j])
    return None if best is None else (best[1], best[2])
