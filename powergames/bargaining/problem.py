"""Two-player bargaining problems (S, d): a feasible set and a disagreement point."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any, Literal

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike, NDArray

from powergames.errors import InfeasibleProblemError, InvalidParameterError

__all__ = ["BargainingProblem"]

FloatArray = NDArray[np.float64]
Kind = Literal["linear", "polygon", "frontier"]
Frontier = Callable[[float], float]

#: Tolerance of membership tests and of the checks on frontiers, relative to the scale
#: of the problem.
TOL = 1e-9


def _is_symbolic(*values: Any) -> bool:
    return any(isinstance(v, sp.Basic) for v in values)


def _number_or_array(value: Any, name: str) -> Any:
    """Validate a real number, an array of them, or a sympy expression."""
    if isinstance(value, sp.Basic):
        if value.is_real is False:
            raise InvalidParameterError(f"{name} must be real, got {value}")
        return value
    if isinstance(value, bool):
        raise InvalidParameterError(f"{name} must be a real number, got {value!r}")
    if isinstance(value, int):  # kept exact, for symbolic problems
        return value
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{name} must be a real number or array, got {value!r}"
        ) from None
    if not np.isfinite(array).all():
        raise InvalidParameterError(f"{name} must be finite, got {value!r}")
    return float(array) if array.ndim == 0 else array


def _floats(value: Any) -> Any:
    return float(value) if isinstance(value, int) else value


def _pair(values: Any, name: str) -> tuple[Any, Any]:
    try:
        first, second = values
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{name} must be a pair (player 1, player 2), got {values!r}"
        ) from None
    return _number_or_array(first, f"{name}[0]"), _number_or_array(second, f"{name}[1]")


def _first_failure(condition: Any) -> str:
    """Where a numeric (array) condition fails, for error messages."""
    array = np.asarray(condition)
    if array.ndim == 0:
        return ""
    return f" at index {tuple(int(i) for i in np.argwhere(~array)[0])}"


class BargainingProblem:
    """A two-player bargaining problem: a feasible set S of utility pairs, convex and
    compact, and a disagreement point d in S, with some point of S better than d for
    both players.

    Build it with one of the constructors:

    - :meth:`transferable`: ``u1 + u2 <= surplus`` (transferable utility);
    - :meth:`linear`: ``u2 <= intercept - slope * u1`` (utility transferable at a rate);
    - :meth:`from_points`: the convex hull of finitely many utility pairs;
    - :meth:`from_frontier`: ``u2 <= f(u1)`` for a concave, non-increasing ``f``.

    Only the part of S that dominates d matters to the solutions, and free disposal
    is assumed: with a point of S, every point between it and d is feasible too. So
    S is taken as ``{u >= d : u <= v for some v in the given set}``, whose upper-right
    boundary is the Pareto frontier.

    Linear problems (transferable utility included) accept numpy arrays, which
    broadcast (one problem per element), and sympy expressions; their solutions are
    then arrays or sympy expressions in closed form.

    Examples
    --------
    >>> problem = BargainingProblem.transferable(1, (0.2, 0.1))
    >>> problem.ideal_point()
    (0.9, 0.8)
    >>> problem.contains((0.5, 0.4)), problem.contains((0.6, 0.5))
    (True, False)
    """

    kind: Kind
    # Set by the constructors; the solution modules of this package read them.
    _d: tuple[Any, Any]
    _c: Any  # linear: intercept
    _k: Any  # linear: slope
    _vertices: FloatArray  # polygon: the Pareto chain
    _f: Frontier  # frontier: the function, its derivative (sympy input) and domain
    _df: Frontier | None
    _domain: tuple[float, float]
    _scale: float  # polygon, frontier: magnitude of the utilities, for tolerances

    def __init__(self) -> None:  # pragma: no cover - use the constructors
        raise TypeError(
            "use BargainingProblem.transferable, .linear, .from_points or .from_frontier"
        )

    # ------------------------------------------------------------ constructors
    @classmethod
    def _new(cls, kind: Kind, disagreement: tuple[Any, Any]) -> BargainingProblem:
        problem = object.__new__(cls)
        problem.kind = kind
        problem._d = disagreement
        return problem

    @classmethod
    def transferable(cls, surplus: Any, disagreement: Any = (0, 0)) -> BargainingProblem:
        """Transferable utility: any split of ``surplus`` (``u1 + u2 <= surplus``).

        Parameters
        ----------
        surplus : number, array or sympy expression
        disagreement : pair of numbers, arrays or sympy expressions, default (0, 0)

        Raises
        ------
        InfeasibleProblemError
            If ``d1 + d2 >= surplus``: no split gives both more than disagreement.

        Examples
        --------
        >>> BargainingProblem.transferable(10, (2, 3)).ideal_point()
        (7.0, 8.0)
        """
        return cls.linear(surplus, 1, disagreement)

    @classmethod
    def linear(cls, intercept: Any, slope: Any, disagreement: Any = (0, 0)) -> BargainingProblem:
        """A linear frontier ``u2 = intercept - slope * u1`` (``slope > 0``): utility
        transferable at the rate ``slope``.

        Raises
        ------
        InvalidParameterError
            If ``slope`` is not positive.
        InfeasibleProblemError
            If the frontier does not pass strictly above and right of d.

        Examples
        --------
        >>> BargainingProblem.linear(4, 2).ideal_point()   # u2 = 4 - 2 u1
        (2.0, 4.0)
        """
        c = _number_or_array(intercept, "intercept")
        k = _number_or_array(slope, "slope")
        d = _pair(disagreement, "disagreement")
        if not _is_symbolic(c, k, *d):  # integers were kept exact for symbolic problems only
            c, k, d = _floats(c), _floats(k), (_floats(d[0]), _floats(d[1]))
        if not _is_symbolic(k) and not np.all(np.asarray(k) > 0):
            raise InvalidParameterError(
                f"slope must be positive{_first_failure(np.asarray(k) > 0)}, got {k}"
            )
        if not _is_symbolic(c, k, *d):
            gap = np.asarray(c - d[1] - k * d[0])
            if not np.all(gap > 0):
                raise InfeasibleProblemError(
                    "no feasible point is better than the disagreement point for both players: "
                    f"intercept - d2 - slope * d1 = {gap} must be positive{_first_failure(gap > 0)}"
                )
        problem = cls._new("linear", d)
        problem._c, problem._k = c, k
        return problem

    @classmethod
    def from_points(cls, points: ArrayLike, disagreement: Any = (0, 0)) -> BargainingProblem:
        """The convex hull of finitely many utility pairs (with free disposal).

        Parameters
        ----------
        points : array_like, shape (p, 2)
            Feasible utility pairs, such as the payoffs of a game's pure profiles.
        disagreement : pair of numbers

        Raises
        ------
        InvalidParameterError
            If the points are not a finite (p, 2) array.
        InfeasibleProblemError
            If d lies outside S, or no point of S is better than d for both.

        Examples
        --------
        >>> problem = BargainingProblem.from_points([(0, 2), (1, 1.5), (2, 0)], (0, 0))
        >>> problem.pareto_frontier().tolist()
        [[0.0, 2.0], [1.0, 1.5], [2.0, 0.0]]
        """
        try:
            array = np.asarray(points, dtype=np.float64)
        except (TypeError, ValueError):
            raise InvalidParameterError(
                f"points must be an array of utility pairs, got {points!r}"
            ) from None
        if array.ndim != 2 or array.shape[1] != 2 or len(array) == 0:
            raise InvalidParameterError(f"points must have shape (p, 2), got {array.shape}")
        if not np.isfinite(array).all():
            raise InvalidParameterError("points must be finite")
        d = tuple(float(np.asarray(v)) for v in _pair(disagreement, "disagreement"))
        problem = cls._new("polygon", (d[0], d[1]))
        problem._vertices = _pareto_chain(array)
        scale = float(np.abs(array).max() + abs(d[0]) + abs(d[1]) + 1.0)
        problem._scale = scale
        problem._check_disagreement()
        return problem

    @classmethod
    def from_frontier(
        cls,
        f: Frontier | sp.Expr,
        domain: tuple[float, float],
        disagreement: Any = (0, 0),
    ) -> BargainingProblem:
        """The set under a concave, non-increasing frontier ``u2 = f(u1)`` on ``domain``.

        Parameters
        ----------
        f : callable or sympy expression in one symbol (player 1's utility)
            Player 2's largest utility given player 1's. A sympy expression that is
            linear in its symbol gives a :meth:`linear` problem (closed forms).
        domain : (low, high)
            The interval of player 1's utilities on which ``f`` is defined.
        disagreement : pair of numbers

        Raises
        ------
        InvalidParameterError
            If ``f`` is not concave and non-increasing on ``domain`` (checked on a
            grid), or takes non-finite values.
        InfeasibleProblemError
            If d lies outside S, or no point of S is better than d for both.

        Examples
        --------
        >>> import sympy as sp
        >>> u1 = sp.Symbol("u1")
        >>> problem = BargainingProblem.from_frontier(2 * (1 - u1**2), (0, 1))
        >>> problem.ideal_point()
        (1.0, 2.0)
        """
        low, high = (float(v) for v in domain)
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise InvalidParameterError(
                f"domain must be a finite interval (low, high), got {domain!r}"
            )
        function: Frontier
        derivative: Frontier | None = None
        if isinstance(f, sp.Basic):
            symbols = sorted(f.free_symbols, key=str)
            if len(symbols) > 1:
                raise InvalidParameterError(f"f must be an expression in one symbol, got {f}")
            u1 = symbols[0] if symbols else sp.Symbol("u1")
            polynomial = f.as_poly(u1) if symbols else None
            if not symbols or (polynomial is not None and polynomial.degree() <= 1):
                return cls._linear_frontier(
                    sp.sympify(f.subs(u1, 0)), -f.diff(u1), low, high, disagreement
                )
            function = sp.lambdify(u1, f, "math")
            derivative = sp.lambdify(u1, f.diff(u1), "math")
        elif callable(f):
            function = f
        else:
            raise InvalidParameterError(f"f must be a callable or a sympy expression, got {f!r}")
        d = tuple(float(np.asarray(v)) for v in _pair(disagreement, "disagreement"))
        problem = cls._new("frontier", (d[0], d[1]))
        problem._f, problem._df, problem._domain = function, derivative, (low, high)
        problem._scale = _check_frontier(function, low, high) + abs(d[0]) + abs(d[1])
        problem._check_disagreement()
        return problem

    @classmethod
    def _linear_frontier(
        cls, intercept: sp.Expr, slope: sp.Expr, low: float, high: float, disagreement: Any
    ) -> BargainingProblem:
        """A linear frontier on a domain: a linear problem (closed forms) when the domain
        holds the whole frontier above d, else the segment as a polygon."""
        given = _pair(disagreement, "disagreement")
        d = tuple(float(np.asarray(v)) for v in given)
        c, k = float(intercept), float(slope)
        if k > 0 and low <= d[0] and high >= (c - d[1]) / k:
            return cls.linear(intercept, slope, given)
        return cls.from_points([(low, c - k * low), (high, c - k * high)], d)

    def _check_disagreement(self) -> None:
        d1, d2 = self._d
        if not self.contains((d1, d2)):
            raise InfeasibleProblemError(
                f"the disagreement point {self._d} lies outside the feasible set"
            )
        if not self.largest_step((d1, d2), (1.0, 1.0)) > TOL * self._scale:
            raise InfeasibleProblemError(
                "no feasible point is better than the disagreement point "
                f"{self._d} for both players"
            )

    # ---------------------------------------------------------------- geometry
    @property
    def disagreement(self) -> tuple[Any, Any]:
        """The disagreement point d."""
        return self._d

    @property
    def surplus(self) -> Any:
        """For a linear problem, ``intercept - d2 - slope * d1``: the most player 2 can
        gain over d (and ``surplus / slope`` player 1). For transferable utility, the
        surplus net of the disagreement payoffs."""
        self._require("linear", "surplus")
        return self._c - self._d[1] - self._k * self._d[0]

    @property
    def slope(self) -> Any:
        """For a linear problem, the rate at which player 2's utility falls per unit of
        player 1's."""
        self._require("linear", "slope")
        return self._k

    def _require(self, kind: Kind, what: str) -> None:
        if self.kind != kind:
            raise InvalidParameterError(
                f"{what} is defined for {kind} problems, this one is {self.kind}"
            )

    def upper_boundary(self, u1: float) -> float:
        """Player 2's largest feasible utility when player 1 gets ``u1`` (with free
        disposal), ``-inf`` beyond player 1's largest utility. Numeric problems only.

        Examples
        --------
        >>> BargainingProblem.from_points([(0, 2), (2, 0)]).upper_boundary(0.5)
        1.5
        """
        if self.kind == "linear":
            return float(self._c - self._k * u1)
        if self.kind == "polygon":
            V = self._vertices
            if u1 > V[-1, 0]:
                return -math.inf
            return float(np.interp(u1, V[:, 0], V[:, 1], left=V[0, 1]))
        low, high = self._domain
        if u1 > high + TOL * (high - low):
            return -math.inf
        return float(self._f(min(max(u1, low), high)))

    def largest_step(self, origin: Any, direction: Any) -> Any:
        """The largest ``t >= 0`` with ``origin + t * direction`` in S.

        ``direction`` must be non-negative and non-zero. For linear problems the
        arguments may be arrays or sympy expressions and the answer is in closed form.

        Examples
        --------
        >>> BargainingProblem.transferable(1).largest_step((0.2, 0.2), (1, 1))
        0.3
        """
        o1, o2 = origin
        e1, e2 = direction
        if self.kind == "linear":
            return (self._c - o2 - self._k * o1) / (e2 + self._k * e1)
        o1, o2, e1, e2 = float(o1), float(o2), float(e1), float(e2)
        if e1 < 0 or e2 < 0 or e1 == e2 == 0:
            raise InvalidParameterError(
                f"direction must be non-negative and non-zero, got {direction}"
            )
        if self.kind == "polygon":
            normals, bounds = self._halfspaces()
            rate = normals @ (e1, e2)
            room = bounds - normals @ (o1, o2)
            with np.errstate(divide="ignore", over="ignore"):
                steps = np.where(rate > 0, room / np.where(rate > 0, rate, 1.0), np.inf)
            return float(steps.min())
        return self._frontier_step(o1, o2, e1, e2)

    def _frontier_step(self, o1: float, o2: float, e1: float, e2: float) -> float:
        from scipy.optimize import brentq

        low, high = self._domain
        if o1 > high:
            return -math.inf
        gap = self.upper_boundary(o1) - o2
        if e1 == 0 or gap <= 0:
            return gap / e2 if e2 > 0 else (0.0 if gap == 0 else -math.inf)
        # The ray leaves S before u1 passes the domain, and (f not increasing) before u2
        # passes f(o1).
        t_max = (high - o1) / e1
        if e2 > 0:
            t_max = min(t_max, gap / e2)

        def room(t: float) -> float:
            return float(self._f(min(max(o1 + t * e1, low), high))) - (o2 + t * e2)

        if room(t_max) >= 0:
            return t_max
        return float(
            brentq(room, 0.0, t_max, xtol=1e-15 * self._scale, rtol=4 * np.finfo(float).eps)
        )

    def _halfspaces(self) -> tuple[FloatArray, FloatArray]:
        """Outward normals and bounds of the polygon with free disposal: the frontier's
        edges, ``u2 <= top`` and ``u1 <= right``."""
        V = self._vertices
        edges = np.column_stack([V[:-1, 1] - V[1:, 1], V[1:, 0] - V[:-1, 0]])
        normals = np.vstack([edges, [[0.0, 1.0], [1.0, 0.0]]])
        bounds = np.concatenate([np.einsum("ij,ij->i", edges, V[:-1]), [V[0, 1], V[-1, 0]]])
        return normals, bounds

    def ideal_point(self) -> tuple[Any, Any]:
        """Each player's largest utility among the points of S that dominate d.

        Examples
        --------
        >>> BargainingProblem.from_points([(0, 3), (2, 2), (3, 0)], (0.5, 0)).ideal_point()
        (3.0, 2.75)
        """
        d1, d2 = self._d
        if self.kind == "linear":
            return (self._c - d2) / self._k, self._c - self._k * d1
        return d1 + self.largest_step(self._d, (1.0, 0.0)), d2 + self.largest_step(
            self._d, (0.0, 1.0)
        )

    def contains(self, point: Any, tol: float = TOL) -> bool:
        """Whether a utility pair is feasible and dominates d (within ``tol`` times the
        problem's scale). Numeric problems only.

        Examples
        --------
        >>> problem = BargainingProblem.from_points([(0, 2), (2, 0)])
        >>> problem.contains((1, 1)), problem.contains((1.2, 1))
        (True, False)
        """
        u1, u2 = (float(v) for v in point)
        d1, d2 = (float(np.asarray(v)) for v in self._d)
        if self.kind == "linear":
            scale = abs(float(np.asarray(self._c))) + 1.0
        else:
            scale = self._scale
        margin = tol * scale
        if u1 < d1 - margin or u2 < d2 - margin:
            return False
        # The boundary does not increase: testing at u1 - margin tolerates u1 slightly
        # past player 1's largest utility.
        return bool(u2 <= self.upper_boundary(u1 - margin) + margin)

    def pareto_frontier(self, num: int = 101) -> FloatArray:
        """Points of the Pareto frontier of S (where it dominates d), ordered by player
        1's utility: the vertices for polygons, ``num`` samples for smooth frontiers,
        the two ends for linear problems. Numeric problems only.

        Examples
        --------
        >>> BargainingProblem.transferable(1).pareto_frontier().tolist()
        [[0.0, 1.0], [1.0, 0.0]]
        """
        d1, d2 = (float(np.asarray(v)) for v in self._d)
        if self.kind == "linear":
            u1_max = float(np.asarray(self.ideal_point()[0]))
            return np.array([[d1, self.upper_boundary(d1)], [u1_max, d2]])
        if self.kind == "polygon":
            return _clip_chain(self._vertices, d1, d2)
        u1_max = float(self.ideal_point()[0])
        u1 = np.linspace(max(d1, self._domain[0]), u1_max, num)
        return np.column_stack([u1, [self.upper_boundary(x) for x in u1]])

    def affine(self, scale: Sequence[float], shift: Sequence[float]) -> BargainingProblem:
        """The same problem with utilities ``u_i -> scale_i * u_i + shift_i``
        (``scale_i > 0``): Nash's invariance axiom is about this map.

        Examples
        --------
        >>> BargainingProblem.transferable(1).affine((2, 1), (0, 3)).ideal_point()
        (2.0, 4.0)
        """
        a1, a2 = scale
        b1, b2 = shift
        if not (a1 > 0 and a2 > 0):
            raise InvalidParameterError(f"scale must be positive, got {scale}")
        d = (a1 * self._d[0] + b1, a2 * self._d[1] + b2)
        if self.kind == "linear":
            k = a2 * self._k / a1
            return BargainingProblem.linear(a2 * self._c + b2 + k * b1, k, d)
        if self.kind == "polygon":
            V = self._vertices * (a1, a2) + (b1, b2)
            return BargainingProblem.from_points(V, d)
        low, high = self._domain
        f = self._f

        def moved(x: float) -> float:
            return a2 * f((x - b1) / a1) + b2

        return BargainingProblem.from_frontier(moved, (a1 * low + b1, a1 * high + b1), d)

    def __repr__(self) -> str:
        if self.kind == "linear":
            return (
                f"BargainingProblem.linear(intercept={self._c}, slope={self._k}, "
                f"disagreement={self._d})"
            )
        if self.kind == "polygon":
            return (
                f"BargainingProblem.from_points({self._vertices.tolist()}, disagreement={self._d})"
            )
        return (
            f"BargainingProblem.from_frontier({self._f!r}, {self._domain}, disagreement={self._d})"
        )


def _pareto_chain(points: FloatArray) -> FloatArray:
    """The vertices of the upper-right boundary of the convex hull of ``points``, from
    the highest point (largest u1 among ties) to the rightmost (largest u2 among
    ties): a concave, strictly decreasing chain."""
    top = points[points[:, 1] == points[:, 1].max()]
    start = top[top[:, 0].argmax()]
    right = points[points[:, 0] == points[:, 0].max()]
    end = right[right[:, 1].argmax()]
    if start[0] == end[0] and start[1] == end[1]:
        return np.array([start], dtype=np.float64)
    # Candidates strictly between, ordered by u1; keep the upper hull (monotone chain).
    middle = points[(points[:, 0] > start[0]) & (points[:, 1] > end[1])]
    candidates = np.vstack([start, middle[np.lexsort((-middle[:, 1], middle[:, 0]))], end])
    chain: list[FloatArray] = []
    for p in candidates:
        while len(chain) >= 2:
            (x1, y1), (x2, y2) = chain[-2], chain[-1]
            # Drop the last point unless it turns clockwise (keeps the chain concave).
            if (x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1) >= 0:
                chain.pop()
            else:
                break
        if not chain or p[0] > chain[-1][0]:
            chain.append(p)
    return np.array(chain)


def _clip_chain(V: FloatArray, d1: float, d2: float) -> FloatArray:
    """The part of the frontier chain (with its free-disposal extensions) that
    dominates (d1, d2), as a chain of vertices."""
    # The free-disposal extensions (left of the first vertex, below the last) are
    # dominated by those vertices: the Pareto frontier is the chain itself.
    points = [(float(x), float(y)) for x, y in V]
    clipped: list[tuple[float, float]] = []
    for (x1, y1), (x2, y2) in pairwise(points):
        for p in _segment_part(x1, y1, x2, y2, d1, d2):
            if not clipped or p != clipped[-1]:
                clipped.append(p)
    if len(points) == 1:
        x, y = points[0]
        if x >= d1 and y >= d2:
            clipped.append((x, y))
    return np.array(clipped, dtype=np.float64).reshape(-1, 2)


def _segment_part(
    x1: float, y1: float, x2: float, y2: float, d1: float, d2: float
) -> list[tuple[float, float]]:
    """The part of the segment from (x1, y1) to (x2, y2) with x >= d1 and y >= d2."""
    low, high = 0.0, 1.0
    for start, delta, bound in ((x1, x2 - x1, d1), (y1, y2 - y1, d2)):
        if delta == 0:
            if start < bound:
                return []
        elif delta > 0:
            low = max(low, (bound - start) / delta)
        else:
            high = min(high, (bound - start) / delta)
    if low > high:
        return []

    def at(s: float) -> tuple[float, float]:  # exact at the ends: no rounding slivers
        if s == 0:
            return (x1, y1)
        if s == 1:
            return (x2, y2)
        return (x1 + s * (x2 - x1), y1 + s * (y2 - y1))

    return [at(low), at(high)] if low < high else [at(low)]


def _check_frontier(f: Frontier, low: float, high: float, samples: int = 65) -> float:
    """Check ``f`` on a grid: finite, non-increasing, concave. Returns the scale of its
    values (for tolerances)."""
    x = np.linspace(low, high, samples)
    try:
        y = np.array([float(f(float(v))) for v in x])
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError) as exc:
        raise InvalidParameterError(f"f must return real numbers on the domain: {exc}") from None
    if not np.isfinite(y).all():
        raise InvalidParameterError("f must be finite on the domain")
    scale = float(np.abs(y).max() + abs(low) + abs(high) + 1.0)
    if np.any(np.diff(y) > TOL * scale):
        raise InvalidParameterError("f must be non-increasing on the domain (a Pareto frontier)")
    if np.any(np.diff(y, 2) > 1e-7 * scale):
        raise InvalidParameterError("f must be concave on the domain (a convex feasible set)")
    return scale
