"""The argument checks every public function shares.

One place decides what a real number, an integer, a probability vector, a discount
factor or a tolerance is, and what the error says: each check raises
:class:`~powergames.errors.InvalidParameterError` naming the argument and the
offending value (DESIGN.md section 2). Booleans are never numbers here, although
Python treats them as integers: ``delta=True`` is a mistake, not 1.
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from powergames.errors import InvalidParameterError

__all__ = [
    "boolean",
    "discount_factor",
    "exact_terms",
    "integer",
    "is_integer",
    "is_number",
    "is_symbolic",
    "pair",
    "probability_vector",
    "real",
    "same_kind",
    "short",
    "tolerance",
]

_NOT_NUMBERS = (bool, np.bool_, str, bytes)


def short(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters for an error message.

    Examples
    --------
    >>> short("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."
    """
    try:
        text = repr(value)
    except ValueError:  # an int of more than 4300 digits, which Python will not print
        return f"<a {type(value).__name__} too long to show>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_symbolic(*values: Any) -> bool:
    """Whether some value is a sympy object (without importing sympy).

    Examples
    --------
    >>> is_symbolic(1.0, [2])
    False
    """
    return any(type(v).__module__.startswith("sympy") for v in values)


def is_number(value: Any) -> bool:
    """Whether ``value`` is one real number (int, float, Fraction, numpy scalar; not a
    bool).

    Examples
    --------
    >>> is_number(2), is_number(True), is_number(np.float32(0.5)), is_number("1")
    (True, False, True, False)
    """
    return isinstance(value, (numbers.Real, Fraction)) and not isinstance(value, _NOT_NUMBERS)


def is_integer(value: Any) -> bool:
    """Whether ``value`` is one whole number (int or numpy integer; not a bool).

    Examples
    --------
    >>> is_integer(3), is_integer(np.int8(3)), is_integer(3.0), is_integer(False)
    (True, True, False, False)
    """
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _domain(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    if low is None and high is None:
        return "a real number"
    if high is None:
        if low == 0:
            return "positive" if low_open else "non-negative"
        return f"{'>' if low_open else '>='} {low:g}"
    if low is None:
        return f"{'<' if high_open else '<='} {high:g}"
    return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"


def real(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    array: bool = True,
    symbolic: bool = False,
) -> Any:
    """A finite real number, an array of them (when ``array``), or a sympy expression
    (when ``symbolic``), within ``[low, high]`` (each end open when asked).

    Returns a float for a number, a float64 array for an array, the expression itself
    for sympy. A sympy value fails only where it is provably outside the bounds
    (symbols of unknown sign pass).

    Raises
    ------
    InvalidParameterError
        Naming ``name``: not a real number (booleans and strings included), not
        finite, or outside the bounds (the first offending entry of an array).

    Examples
    --------
    >>> real(0.5, "delta", low=0, high=1, high_open=True)
    0.5
    >>> real([1, 2], "x").tolist()
    [1.0, 2.0]
    >>> real(float("nan"), "x")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: x must be finite, got nan
    >>> real(-1, "rate", low=0, low_open=True)
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: rate must be positive, got -1
    """
    domain = _domain(low, high, low_open, high_open)
    if is_symbolic(value):
        if not symbolic:
            raise InvalidParameterError(f"{name} must be a number, got the expression {value}")
        import sympy as sp

        if value.is_real is False or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            raise InvalidParameterError(f"{name} must be a finite real, got {value}")
        checks = []
        if low is not None:
            checks.append(value > low if low_open else value >= low)
        if high is not None:
            checks.append(value < high if high_open else value <= high)
        if any(check is sp.false for check in checks):
            raise InvalidParameterError(f"{name} must be {domain}, got {value}")
        return value
    if isinstance(value, _NOT_NUMBERS) or (
        isinstance(value, np.ndarray) and value.dtype.kind in "bUSO" and value.dtype != object
    ):
        raise InvalidParameterError(f"{name} must be a real number, got {short(value)}")
    if not array and not is_number(value):
        raise InvalidParameterError(f"{name} must be a real number, got {short(value)}")
    if is_number(value):  # one number: the checks below without numpy's per-call cost
        try:
            number = float(value)
        except OverflowError:
            raise InvalidParameterError(
                f"{name} must be a real number, got {short(value)}"
            ) from None
        if not math.isfinite(number):
            raise InvalidParameterError(f"{name} must be finite, got {number}")
        if (low is not None and (number <= low if low_open else number < low)) or (
            high is not None and (number >= high if high_open else number > high)
        ):
            raise InvalidParameterError(f"{name} must be {domain}, got {number:g}")
        return number
    try:
        values = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        what = "a real number or an array of them" if array else "a real number"
        raise InvalidParameterError(f"{name} must be {what}, got {short(value)}") from None
    if not np.isfinite(values).all():
        first = values[~np.isfinite(values)].flat[0] if values.ndim else float(values)
        raise InvalidParameterError(f"{name} must be finite, got {first}")
    if low is not None or high is not None:
        bad = np.zeros(values.shape, dtype=bool)
        if low is not None:
            bad |= (values <= low) if low_open else (values < low)
        if high is not None:
            bad |= (values >= high) if high_open else (values > high)
        if bad.any():
            raise InvalidParameterError(f"{name} must be {domain}, got {values[bad].flat[0]:g}")
    return float(values) if values.ndim == 0 else values


def integer(value: Any, name: str, *, low: int | None = None, high: int | None = None) -> int:
    """A whole number (Python or numpy integer; not a bool, not a float) in
    ``[low, high]``.

    Examples
    --------
    >>> integer(np.int64(3), "label", low=0)
    3
    >>> integer(2.0, "label")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: label must be a whole number, got 2.0
    """
    if not is_integer(value):
        raise InvalidParameterError(f"{name} must be a whole number, got {short(value)}")
    number = int(value)
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = (
            f"from {low} to {high}"
            if low is not None and high is not None
            else f">= {low}"
            if low is not None
            else f"<= {high}"
        )
        raise InvalidParameterError(f"{name} must be a whole number {bounds}, got {number}")
    return number


def boolean(value: Any, name: str) -> bool:
    """``True`` or ``False`` (numpy booleans included); nothing else.

    Examples
    --------
    >>> boolean(np.True_, "pure")
    True
    """
    if not isinstance(value, (bool, np.bool_)):
        raise InvalidParameterError(f"{name} must be True or False, got {short(value)}")
    return bool(value)


def discount_factor(value: Any, name: str = "delta", *, array: bool = False) -> Any:
    """A discount factor in ``[0, 1)``: a float (or a float array when ``array``).

    Examples
    --------
    >>> discount_factor(0.9)
    0.9
    >>> discount_factor(1)
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: delta must be in [0, 1), got 1
    """
    return real(value, name, low=0.0, high=1.0, high_open=True, array=array)


def tolerance(value: Any, name: str = "tol") -> float:
    """A numerical tolerance: a finite number in ``[0, 1)``.

    Examples
    --------
    >>> tolerance(1e-9)
    1e-09
    """
    if type(value) is float and 0.0 <= value < 1.0:  # the usual case, checked at once
        return value
    return real(value, name, low=0.0, high=1.0, high_open=True, array=False)  # type: ignore[no-any-return]


def probability_vector(
    values: ArrayLike, size: int, name: str, *, tol: float = 1e-9
) -> NDArray[np.float64]:
    """A mixed strategy: a 1-D array of ``size`` non-negative numbers summing to 1
    (each up to ``tol``).

    Examples
    --------
    >>> probability_vector([0.25, 0.75], 2, "sigma")
    array([0.25, 0.75])
    >>> probability_vector([0.5, 0.6], 2, "sigma")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: sigma must sum to 1, got 1.1
    """
    try:
        array = np.array(values, dtype=np.float64)
    except (ValueError, TypeError, OverflowError):
        raise InvalidParameterError(
            f"{name} must be a 1-D array of {size} probabilities, got {short(values)}"
        ) from None
    if array.shape != (size,):
        raise InvalidParameterError(
            f"{name} must have shape ({size},), one probability per strategy, "
            f"got shape {array.shape}"
        )
    if not np.isfinite(array).all():
        raise InvalidParameterError(f"{name} must hold finite probabilities, got {array}")
    if (array < -tol).any():
        raise InvalidParameterError(f"{name} must be non-negative, got {array}")
    total = float(array.sum())
    if abs(total - 1.0) > tol * max(1, size):
        raise InvalidParameterError(f"{name} must sum to 1, got {total:.12g}")
    return array


def pair(values: Any, name: str) -> tuple[Any, Any]:
    """Two values, one per player.

    Examples
    --------
    >>> pair((1, 2), "d")
    (1, 2)
    >>> pair(3, "d")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: d must be a pair (player 1, player 2), got 3
    """
    if isinstance(values, (str, bytes)):
        raise InvalidParameterError(
            f"{name} must be a pair (player 1, player 2), got {short(values)}"
        )
    try:
        first, second = values
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{name} must be a pair (player 1, player 2), got {short(values)}"
        ) from None
    return first, second


def same_kind(values: dict[str, Any], what: str) -> None:
    """Refuse numpy arrays mixed with sympy expressions (numpy would build an array of
    objects); ``values`` maps argument names to values.

    Examples
    --------
    >>> same_kind({"x": 1.0, "y": np.zeros(2)}, "f")
    """
    arrays = [n for n, v in values.items() if isinstance(v, np.ndarray)]
    exprs = [n for n, v in values.items() if is_symbolic(v)]
    if arrays and exprs:
        raise InvalidParameterError(
            f"{what} mixes numpy arrays ({', '.join(arrays)}) and sympy expressions "
            f"({', '.join(exprs)}); use one or the other"
        )


def exact_terms(values: list[Any]) -> list[Any]:
    """``values`` with whole-number floats as sympy integers when some value is symbolic,
    so that ``2.0 + k`` stays ``k + 2`` (numbers and arrays are returned as they are).

    Examples
    --------
    >>> import sympy as sp
    >>> exact_terms([2.0, sp.Symbol("k"), 0.5])
    [2, k, 0.5]
    """
    if not is_symbolic(*values):
        return list(values)
    import sympy as sp

    return [sp.Integer(int(v)) if isinstance(v, float) and v.is_integer() else v for v in values]
