"""Enclosures of real constants in intervals of doubles, rounded outwards.

An enclosure of a constant sympy expression is a pair of doubles ``(low, high)`` that
contains its exact value, computed with the :mod:`math` module: exact operations
rounded one ulp outwards (:func:`math.nextafter`), and the library functions (``exp``,
``log``, ``sin``, ``cos``, ``tan``, ``pow``, within one or two ulps in the common
libms) widened by a few ulps. Each node costs a constant number of float operations,
whatever the size of the numbers sympy holds: ``exp(exp(100))`` leaves the double range
at once instead of growing as an exact number, and ``sin(exp(100))``, whose argument
double precision knows only to within ``1e28``, is the whole of ``[-1, 1]``.
:func:`powergames.formula.parse_formula` decides on enclosures what sympy would decide
with arbitrary precision (the larger of two constants, a sign), and refuses what they
cannot decide.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import sympy

__all__ = ["NOT_REAL", "Bounds", "Enclosures", "Refusal"]

Bounds = tuple[float, float]
_LIBM_ULPS = 4  # math.exp, log, sin, cos, tan, pow: within 1-2 ulps in common libms
_BEYOND = "value beyond the double-precision range, not a finite real number"
_SLACK = 1e-15  # relative error of (x - phase) / period in doubles, generously


class Refusal(Exception):
    """Why a constant is refused (its value is not a finite real, or is undecided);
    the formula parser adds where the constant is in the text."""


def _down(value: float, ulps: int = 1) -> float:
    for _ in range(ulps):
        value = math.nextafter(value, -math.inf)
    return value


def _up(value: float, ulps: int = 1) -> float:
    for _ in range(ulps):
        value = math.nextafter(value, math.inf)
    return value


def _finite(low: float, high: float) -> Bounds:
    if not (math.isfinite(low) and math.isfinite(high)):
        raise Refusal(_BEYOND)
    return low, high


def _libm(function: Callable[..., float], *args: float) -> float:
    try:
        return function(*args)
    except OverflowError:
        raise Refusal(_BEYOND) from None


def _rational(value: Fraction) -> Bounds:
    try:
        near = float(value)  # correctly rounded
    except OverflowError:
        raise Refusal(_BEYOND) from None
    return (near, near) if Fraction(near) == value else _finite(_down(near), _up(near))


def _sum(terms: list[Bounds]) -> Bounds:
    try:  # fsum rounds the exact sum once, so one ulp outwards encloses it
        low, high = math.fsum(t[0] for t in terms), math.fsum(t[1] for t in terms)
    except OverflowError:
        raise Refusal(_BEYOND) from None
    return _finite(_down(low), _up(high))


def _product(factors: list[Bounds]) -> Bounds:
    low, high = 1.0, 1.0
    for a, b in factors:
        corners = (low * a, low * b, high * a, high * b)
        low, high = _finite(_down(min(corners)), _up(max(corners)))
    return low, high


def _reciprocal(x: Bounds) -> Bounds:
    if x[0] <= 0 <= x[1]:
        raise Refusal("division by a number not told apart from zero")
    return _finite(_down(1 / x[1]), _up(1 / x[0]))


def _integer_power(x: Bounds, n: int) -> Bounds:
    if n < 0:
        return _reciprocal(_integer_power(x, -n))
    low, high = x
    if n % 2 == 0:  # even: increasing in |x|
        low, high = (0.0 if low <= 0 <= high else min(abs(low), abs(high))), max(-low, high)
    low, high = _libm(math.pow, low, n), _libm(math.pow, high, n)
    return _finite(_down(low, _LIBM_ULPS), _up(high, _LIBM_ULPS))


def _real_power(x: Bounds, y: Bounds) -> Bounds:
    """x**y for a positive x (monotone in each argument: the corners bound it)."""
    if x == (0.0, 0.0) and y[0] > 0:
        return x
    if x[0] <= 0:
        raise Refusal("fractional power of a number not known to be positive")
    corners = [_libm(math.pow, a, b) for a in x for b in y]
    low = max(_down(min(corners), _LIBM_ULPS), 0.0)
    return _finite(low, _up(max(corners), _LIBM_ULPS))


def _meets(x: Bounds, phase: float, period: float) -> bool:
    """Whether ``x`` may hold ``phase + k period`` for an integer k (or is too wide to
    tell): rounding in the division is covered by a slack, so never a false no."""
    if x[1] - x[0] >= period * (1 - _SLACK):
        return True
    low, high = (x[0] - phase) / period, (x[1] - phase) / period
    slack = _SLACK * (abs(low) + abs(high) + 1)
    return math.ceil(low - slack) <= math.floor(high + slack)


def _wave(x: Bounds, function: Callable[[float], float], peak: float) -> Bounds:
    """sin (peak pi/2) or cos (peak 0): the ends, and +-1 where x meets a peak or trough."""
    ends = (function(x[0]), function(x[1]))
    low, high = _down(min(ends), _LIBM_ULPS), _up(max(ends), _LIBM_ULPS)
    high = 1.0 if _meets(x, peak, 2 * math.pi) else min(high, 1.0)
    low = -1.0 if _meets(x, peak + math.pi, 2 * math.pi) else max(low, -1.0)
    return low, high


def _tangent(x: Bounds, pole: float, sign: int) -> Bounds:
    """tan (poles at pi/2, increasing) or cot (poles at 0, decreasing) between poles."""
    if _meets(x, pole, math.pi):
        raise Refusal("at or too near a pole, not a finite real number")
    ends = sorted(math.tan(end) ** sign for end in x)
    return _finite(_down(ends[0], _LIBM_ULPS + 2), _up(ends[1], _LIBM_ULPS + 2))


def _exp(x: Bounds) -> Bounds:
    low, high = _libm(math.exp, x[0]), _libm(math.exp, x[1])
    return _finite(max(_down(low, _LIBM_ULPS), 0.0), _up(high, _LIBM_ULPS))


def _log(x: Bounds) -> Bounds:
    if x[0] <= 0:
        raise Refusal("log of a number not known to be positive")
    return _down(math.log(x[0]), _LIBM_ULPS), _up(math.log(x[1]), _LIBM_ULPS)


def _abs(x: Bounds) -> Bounds:
    low, high = x
    return (low, high) if low >= 0 else (-high, -low) if high <= 0 else (0.0, max(-low, high))


_ENCLOSE: dict[type, Callable[[list[Bounds]], Bounds]] = {
    sympy.Add: _sum,
    sympy.Mul: _product,
    sympy.exp: lambda a: _exp(a[0]),
    sympy.log: lambda a: _log(a[0]),
    sympy.sin: lambda a: _wave(a[0], math.sin, math.pi / 2),
    sympy.cos: lambda a: _wave(a[0], math.cos, 0.0),
    sympy.tan: lambda a: _tangent(a[0], math.pi / 2, 1),
    sympy.cot: lambda a: _tangent(a[0], 0.0, -1),
    sympy.Abs: lambda a: _abs(a[0]),
    sympy.Min: lambda a: (min(t[0] for t in a), min(t[1] for t in a)),
    sympy.Max: lambda a: (max(t[0] for t in a), max(t[1] for t in a)),
}


NOT_REAL = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.I)


class Enclosures:
    """The enclosure of each constant expression (None for one with symbols), memoised,
    so that each node costs a constant number of float operations.

    Calling it on an expression raises :class:`Refusal` for a constant that is not a
    finite real within the double range, or holds a function it cannot enclose.

    Examples
    --------
    >>> import sympy
    >>> enclose = Enclosures()
    >>> low, high = enclose(sympy.sqrt(2))
    >>> low < 2**0.5 < high, high - low < 1e-14
    (True, True)
    >>> enclose(sympy.sin(sympy.exp(100)))  # its argument is known to within 1e28
    (-1.0, 1.0)
    >>> enclose.compare(sympy.sin(1), sympy.cos(1)), enclose(sympy.Symbol("x"))
    (1, None)
    >>> enclose(sympy.exp(sympy.exp(100)))
    Traceback (most recent call last):
    ...
    powergames._enclosure.Refusal: value beyond the double-precision range, not a finite real number
    """

    def __init__(self) -> None:
        self.known: dict[sympy.Basic, Bounds | None] = {}

    def __call__(self, expr: sympy.Basic) -> Bounds | None:
        if expr not in self.known:
            self.known[expr] = self._enclose(expr)
        return self.known[expr]

    def _enclose(self, expr: sympy.Basic) -> Bounds | None:
        if isinstance(expr, sympy.Symbol):
            return None
        if expr.is_Rational:
            return _rational(Fraction(int(expr.p), int(expr.q)))
        if expr.is_Float:
            near = float(expr)
            return (0.0, 0.0) if expr.is_zero else _finite(_down(near), _up(near))
        if expr is sympy.pi or expr is sympy.E:
            near = math.pi if expr is sympy.pi else math.e
            return _down(near), _up(near)
        if expr in NOT_REAL:
            raise Refusal("value not a finite real number")
        if not expr.args:
            return self._unknown(expr)
        args = [self(arg) for arg in expr.args]
        known = [arg for arg in args if arg is not None]
        if len(known) < len(args):
            return None
        if isinstance(expr, sympy.Pow):
            if expr.exp.is_Integer:
                return _integer_power(known[0], int(expr.exp))
            return _real_power(known[0], known[1])
        if type(expr) not in _ENCLOSE:
            return self._unknown(expr)
        return _ENCLOSE[type(expr)](known)

    @staticmethod
    def _unknown(expr: sympy.Basic) -> Bounds:
        raise Refusal(f"cannot evaluate {type(expr).__name__} in double precision")

    def sign(self, expr: sympy.Basic) -> int | None:
        """-1, 0 or 1 for a checked constant (its enclosure excludes 0 unless it is 0)."""
        bounds = self(expr)
        return None if bounds is None else (bounds[0] > 0) - (bounds[1] < 0)

    def check(self, expr: sympy.Basic) -> None:
        """Refuse a constant that double precision cannot tell apart from zero."""
        bounds = self(expr)
        if bounds is not None and bounds[0] <= 0 <= bounds[1] and bounds != (0.0, 0.0):
            raise Refusal(
                "value not determined in double precision (it lies in "
                f"[{bounds[0]:.3g}, {bounds[1]:.3g}])"
            )

    def compare(self, a: sympy.Expr, b: sympy.Expr) -> int | None:
        """-1, 0 or 1 as a < b, a == b or a > b; None when double precision cannot tell."""
        if a == b:
            return 0
        if a.is_Rational and b.is_Rational:
            p, q = Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))
            return (p > q) - (p < q)
        x, y = self(a), self(b)
        if x is None or y is None:
            return None
        return -1 if x[1] < y[0] else 1 if x[0] > y[1] else None
