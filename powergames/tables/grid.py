"""The points of a parameter grid: every combination of the axes' values (a product)
or the axes zipped position by position, generated a chunk at a time."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames.errors import InvalidParameterError
from powergames.gridspec import parse_grid_spec

__all__ = ["MAX_GRID_POINTS", "Grid", "grid_points"]

#: The most points a grid may have: positions are numpy 64-bit integers.
MAX_GRID_POINTS = 2**63 - 1


def as_axis(name: str, values: Any) -> NDArray[np.float64]:
    """One axis of a grid: a non-empty 1-D float array, or a ``"start:stop:num"`` string.

    Examples
    --------
    >>> as_axis("x", "0:1:3").tolist(), as_axis("x", 2).tolist()
    ([0.0, 0.5, 1.0], [2.0])
    """
    if isinstance(values, str):
        return parse_grid_spec(values)
    try:
        array = np.atleast_1d(np.asarray(values, dtype=np.float64))
    except (TypeError, ValueError, OverflowError):
        raise InvalidParameterError(
            f"grid[{name!r}] must be numbers or a string 'start:stop:num', got {values!r:.60}"
        ) from None
    if array.ndim != 1 or array.size == 0:
        raise InvalidParameterError(f"grid[{name!r}] must be a non-empty 1-D list of values")
    return array


class Grid:
    """A parameter grid: named axes, combined as a product or zipped.

    Parameters
    ----------
    axes : mapping of parameter name to values
        Values as a list or array, or a string ``"start:stop:num"`` (inclusive linspace).
    product : bool, default True
        True: every combination, in C order (the last axis varies fastest). False: the
        axes zipped, point by point (they must have equal lengths).

    Examples
    --------
    >>> grid = Grid({"x": [1, 2], "y": "10:30:3"})
    >>> grid.size, grid.shape, list(grid.chunks(4))
    (6, (2, 3), [(0, 4), (4, 6)])
    >>> grid.points(2, 5)
    {'x': array([1., 2., 2.]), 'y': array([30., 10., 20.])}
    """

    def __init__(self, axes: Mapping[str, Any], *, product: bool = True) -> None:
        self.axes: dict[str, NDArray[np.float64]] = {
            str(name): as_axis(str(name), values) for name, values in axes.items()
        }
        self.product = bool(product)
        lengths = [len(axis) for axis in self.axes.values()]
        if not product and len(set(lengths)) > 1:
            raise InvalidParameterError(
                f"zipped grids need equal lengths, got {dict(zip(self.axes, lengths, strict=True))}"
            )
        if not lengths:  # the empty grid has one point: the model's own parameters
            self.size = 1
        else:
            self.size = math.prod(lengths) if product else lengths[0]
        if self.size > MAX_GRID_POINTS:
            raise InvalidParameterError(
                f"a grid of {self.size:.3g} points is beyond any sweep (at most "
                f"{MAX_GRID_POINTS:.3g} points); use fewer values per axis"
            )

    @property
    def names(self) -> tuple[str, ...]:
        """The parameters on the grid, in order."""
        return tuple(self.axes)

    @property
    def shape(self) -> tuple[int, ...]:
        """One length per axis for a product, ``(size,)`` for zipped axes."""
        if self.product:
            return tuple(len(axis) for axis in self.axes.values())
        return (self.size,) if self.axes else ()

    def points(self, start: int, stop: int) -> dict[str, NDArray[np.float64]]:
        """The points ``start .. stop - 1``, as one array of values per parameter."""
        if not self.axes:
            return {}
        index = np.arange(start, stop, dtype=np.int64)
        if not self.product:
            return {name: axis[index] for name, axis in self.axes.items()}
        positions = np.unravel_index(index, self.shape)
        return {name: axis[k] for (name, axis), k in zip(self.axes.items(), positions, strict=True)}

    def chunks(self, chunk_size: int, first: int = 0) -> Iterator[tuple[int, int]]:
        """``(start, stop)`` of each chunk from chunk number ``first`` on, lazily."""
        for start in range(first * chunk_size, self.size, chunk_size):
            yield start, min(start + chunk_size, self.size)

    def count_chunks(self, chunk_size: int) -> int:
        """The number of chunks of ``chunk_size`` points."""
        return -(-self.size // chunk_size)

    def fingerprint(self) -> dict[str, Any]:
        """What identifies the grid, as JSON-serialisable data: each axis's length and a
        SHA-256 of its values (little-endian float64), and how the axes combine."""
        return {
            "axes": {
                name: [len(axis), hashlib.sha256(axis.astype("<f8").tobytes()).hexdigest()]
                for name, axis in self.axes.items()
            },
            "product": self.product,
        }

    def __repr__(self) -> str:
        kind = "product" if self.product else "zipped"
        axes = ", ".join(f"{name}[{len(axis)}]" for name, axis in self.axes.items())
        return f"Grid({axes}; {kind}, {self.size} points)"


def grid_points(
    grid: Mapping[str, Any], start: int, stop: int, *, product: bool = True
) -> dict[str, NDArray[np.float64]]:
    """The points ``start .. stop - 1`` of a grid, in C order over the parameters (the
    last varies fastest) for a full product, else position by position.

    Examples
    --------
    >>> grid_points({"x": [1, 2], "y": [10, 20, 30]}, 2, 5)
    {'x': array([1., 2., 2.]), 'y': array([30., 10., 20.])}
    """
    return Grid(grid, product=product).points(start, stop)
