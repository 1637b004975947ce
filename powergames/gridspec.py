"""The grid grammar ``"start:stop:num"``: evenly spaced values, as scenario files, tables
and the command line write them."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from powergames.errors import InvalidParameterError

__all__ = ["GRID_SPEC", "MAX_AXIS_POINTS", "parse_grid_spec"]

#: The form of a grid spec, for messages.
GRID_SPEC = "start:stop:num"

#: The most values one axis of a grid may have.
MAX_AXIS_POINTS = 1_000_000


def parse_grid_spec(text: str, *, max_points: int = MAX_AXIS_POINTS) -> NDArray[np.float64]:
    """The values of a grid given as ``"start:stop:num"``: ``num`` evenly spaced numbers
    from ``start`` to ``stop``, both included (:func:`numpy.linspace`).

    Parameters
    ----------
    text : str
        ``start`` and ``stop`` finite numbers, ``num`` a whole number from 1 (which
        gives ``[start]``) to ``max_points``. Blanks around the parts are ignored.
    max_points : int
        The most values a grid may have.

    Returns
    -------
    numpy array of float64, shape (num,)

    Raises
    ------
    InvalidParameterError
        For any other text; the message quotes it.

    Examples
    --------
    >>> parse_grid_spec("0.2:0.95:16")[[0, 1, -1]].round(9).tolist()
    [0.2, 0.25, 0.95]
    >>> parse_grid_spec("1:0:3").tolist()
    [1.0, 0.5, 0.0]
    >>> parse_grid_spec("0:1:0")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: grid spec '0:1:0': num must be a whole number >= 1, ...
    """
    if not isinstance(text, str):
        raise InvalidParameterError(f"a grid spec must be a str {GRID_SPEC!r}, got {text!r}")
    parts = text.split(":")
    if len(parts) != 3:
        raise InvalidParameterError(f"grid spec {text!r} must have the form {GRID_SPEC}")
    bounds = []
    for label, part in zip(("start", "stop"), parts[:2], strict=True):
        try:
            value = float(part)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise InvalidParameterError(
                f"grid spec {text!r}: {label} must be a finite number, got {part.strip()!r}"
            )
        bounds.append(value)
    try:
        num = int(parts[2])
    except ValueError:
        num = 0
    if num < 1:
        raise InvalidParameterError(
            f"grid spec {text!r}: num must be a whole number >= 1, got {parts[2].strip()!r}"
        )
    if num > max_points:
        raise InvalidParameterError(
            f"grid spec {text!r}: num must be at most {max_points}, got {num}"
        )
    return np.linspace(bounds[0], bounds[1], num, dtype=np.float64)
