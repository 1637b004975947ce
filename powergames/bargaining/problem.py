"""Two-player bargaining problems (S, d): a feasible set and a disagreement point."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from powergames._validate import is_symbolic, pair, real
from powergames.errors import InfeasibleProblemError, InvalidParameterError

if TYPE_CHECKING:  # pragma: no cover
    import sympy as sp

__all__ = ["ROOT_TOL", "TOL", "BargainingProblem", "Frontier", "binary_unit", "check_affine_map"]

FloatArray = NDArray[np.float64]
Frontier = Callable[[float], float]

#: Tolerance of membership tests and of the checks on frontiers, relative to each
#: player's :attr:`~BargainingProblem.scale`.
TOL = 1e-9

#: Width at which Brent's method stops on a smooth frontier, relative to the player's
#: scale: a few units in the last place of utilities of that magnitude.
ROOT_TOL = 4e-15


def binary_unit(magnitude: Any) -> Any:
    """The power of two ``2^e`` with ``magnitude / 2^e`` in ``[1, 2)`` (1 for 0): a
    unit of that size, by which dividing is exact. Works elementwise on arrays.

    Examples
    --------
    >>> binary_unit(10.0), binary_unit(0.3), binary_unit(0.0)
    (8.0, 0.25, 1.0)
    """
    exponent = np.frexp(np.asarray(magnitude, dtype=np.float64))[1] - 1
    unit = np.where(np.asarray(magnitude) == 0, 1.0, np.ldexp(1.0, exponent))
    return float(unit) if unit.ndim == 0 else unit


class BargainingProblem(ABC):
    """A two-player bargaining problem: a feasible set S of utility pairs, convex and
    compact, and a disagreement point d in S, with some point of S better than d for
    both players.

    Build it with one of the constructors:

    - :meth:`transferable`: ``u1 + u2 <= surplus`` (transferable utility);
    - :meth:`linear`: ``u2 <= intercept - slope * u1`` (utility transferable at a rate);
    - :meth:`from_points`: the convex hull of finitely many utility pairs;
    - :meth:`from_frontier`: ``u2 <= f(u1)`` for a concave, non-increasing ``f``.

    They return a :class:`~powergames.bargaining.linear.LinearProblem`, a
    :class:`~powergames.bargaining.polygon.PolygonProblem` or a
    :class:`~powergames.bargaining.frontier.FrontierProblem`, whose ``kind`` is
    ``"linear"``, ``"polygon"`` or ``"frontier"``.

    Only the part of S that dominates d matters to the solutions, and free disposal
    is assumed: with a point of S, every point between it and d is feasible too. So
    S is taken as ``{u >= d : u <= v for some v in the given set}``, whose upper-right
    boundary is the Pareto frontier.

    Each player's utilities have their own magnitude (:attr:`scale`), to which every
    tolerance is relative, player by player; and the solutions compute on
    :meth:`normalised`, where a player whose utilities come near the limits of
    floating point is rescaled exactly (by a power of two). So a problem whose players'
    utilities differ by many orders of magnitude, or come near the largest float, is
    solved as accurately as any other.

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

    #: The constructor family: ``"linear"``, ``"polygon"`` or ``"frontier"``.
    kind: ClassVar[str]

    def __init__(self, disagreement: tuple[Any, Any]) -> None:
        self._d = disagreement
        self._scale: tuple[Any, Any] | None = None
        self._units: tuple[Any, Any] | None = None
        self._inner: BargainingProblem | None = None

    # ------------------------------------------------------------ constructors
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
        from powergames.bargaining.linear import LinearProblem

        return LinearProblem(intercept, slope, disagreement)

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
        from powergames.bargaining.polygon import PolygonProblem

        return PolygonProblem(points, disagreement)

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
            linear in its symbol gives a :meth:`linear` problem (closed forms) when the
            domain holds the whole frontier above d, else the segment as a polygon.
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
        from powergames.bargaining.frontier import frontier_problem

        return frontier_problem(f, domain, disagreement)

    # ---------------------------------------------------------------- geometry
    @property
    def disagreement(self) -> tuple[Any, Any]:
        """The disagreement point d."""
        return self._d

    @property
    def scale(self) -> tuple[Any, Any]:
        """Each player's magnitude of utility: a power of two (``binary_unit``)
        about the largest magnitude of the player's utilities in the problem (arrays
        for arrays of linear problems; 1 for symbolic problems). Tolerances are
        relative to it, player by player.

        Examples
        --------
        >>> BargainingProblem.from_points([(0, 1e-12), (1e12, 0)]).scale
        (549755813888.0, 9.094947017729282e-13)
        """
        if self._scale is None:
            self._scale = self._magnitudes()
        return self._scale

    @abstractmethod
    def _magnitudes(self) -> tuple[Any, Any]:
        """The :attr:`scale` (computed once)."""

    @property
    def units(self) -> tuple[Any, Any]:
        """The units of :meth:`normalised`, powers of two: 1 for a player whose
        utilities are far from the limits of floating point (a :attr:`scale` within
        ``[2^-256, 2^256]``: products of two such utilities neither overflow nor
        underflow), else its scale.

        Examples
        --------
        >>> BargainingProblem.transferable(1e308, (-1e308, -1e308)).units
        (8.98846567431158e+307, 8.98846567431158e+307)
        """
        if self._units is None:
            self._units = self._choose_units()
        return self._units

    def _choose_units(self) -> tuple[Any, Any]:
        """The :attr:`units` (computed once)."""
        s1, s2 = self.scale
        if is_symbolic(s1, s2):
            return 1, 1
        return _extreme_only(s1), _extreme_only(s2)

    def normalised(self) -> BargainingProblem:
        """The same problem with each player's utilities divided by its :attr:`units`
        (exactly: they are powers of two), where no solution overflows or underflows;
        the problem itself when both units are 1.

        Examples
        --------
        >>> problem = BargainingProblem.transferable(1e308, (-1e308, -1e308))
        >>> problem.normalised().ideal_point()
        (2.2250738585072014, 2.2250738585072014)
        """
        if self._inner is None:
            u1, u2 = self.units
            ones = bool(np.all(np.asarray(u1) == 1) and np.all(np.asarray(u2) == 1))
            self._inner = self if ones else self._in_units(u1, u2)
        return self._inner

    @abstractmethod
    def _in_units(self, unit1: Any, unit2: Any) -> BargainingProblem:
        """The problem with player i's utilities divided by ``unit_i`` (no checks)."""

    def _own_units(self) -> None:
        """Make the problem its own :meth:`normalised` form (units 1): for the problems
        that ``_in_units`` builds."""
        self._inner, self._units = self, (1.0, 1.0)

    def normalise(self, point: Any) -> tuple[Any, Any]:
        """A utility pair (or a direction) in the units of :meth:`normalised`."""
        if self.normalised() is self or is_symbolic(*point):
            return point[0], point[1]
        u1, u2 = self.units
        return point[0] / u1, point[1] / u2

    def denormalise(self, point: Any) -> tuple[Any, Any]:
        """A utility pair of :meth:`normalised` back in the problem's units (exactly).

        Examples
        --------
        >>> problem = BargainingProblem.transferable(1e308, (-1e308, -1e308))
        >>> problem.denormalise(problem.normalised().ideal_point())
        (inf, inf)
        """
        if self.normalised() is self or is_symbolic(*point):
            return point[0], point[1]
        u1, u2 = self.units
        with np.errstate(over="ignore"):  # a point beyond the largest float is infinite
            return _as_float(point[0] * u1), _as_float(point[1] * u2)

    @abstractmethod
    def upper_boundary(self, u1: float) -> float:
        """Player 2's largest feasible utility when player 1 gets ``u1`` (with free
        disposal), ``-inf`` beyond player 1's largest utility. Numeric problems only.

        Examples
        --------
        >>> BargainingProblem.from_points([(0, 2), (2, 0)]).upper_boundary(0.5)
        1.5
        """

    @staticmethod
    def step_direction(direction: Any) -> tuple[float, float]:
        """A direction for :meth:`largest_step` as two floats, checked non-negative and
        non-zero.

        Examples
        --------
        >>> BargainingProblem.step_direction((0, 1))
        (0.0, 1.0)
        """
        e1, e2 = (float(v) for v in direction)
        if e1 < 0 or e2 < 0 or e1 == e2 == 0:
            raise InvalidParameterError(
                f"direction must be non-negative and non-zero, got {direction}"
            )
        return e1, e2

    @abstractmethod
    def largest_step(self, origin: Any, direction: Any) -> Any:
        """The largest ``t >= 0`` with ``origin + t * direction`` in S.

        ``direction`` must be non-negative and non-zero. For linear problems the
        arguments may be arrays or sympy expressions and the answer is in closed form.

        Examples
        --------
        >>> BargainingProblem.transferable(1).largest_step((0.2, 0.2), (1, 1))
        0.3
        """

    def ideal_point(self) -> tuple[Any, Any]:
        """Each player's largest utility among the points of S that dominate d.

        Examples
        --------
        >>> BargainingProblem.from_points([(0, 3), (2, 2), (3, 0)], (0.5, 0)).ideal_point()
        (3.0, 2.75)
        """
        inner = self.normalised()
        d1, d2 = inner.disagreement
        return self.denormalise(
            (
                d1 + inner.largest_step((d1, d2), (1.0, 0.0)),
                d2 + inner.largest_step((d1, d2), (0.0, 1.0)),
            )
        )

    def contains(self, point: Any, tol: float = TOL) -> bool:
        """Whether a utility pair is feasible and dominates d, within ``tol`` times each
        player's :attr:`scale`. Numeric problems only.

        Examples
        --------
        >>> problem = BargainingProblem.from_points([(0, 2), (2, 0)])
        >>> problem.contains((1, 1)), problem.contains((1.2, 1))
        (True, False)
        """
        inner = self.normalised()
        u1, u2 = (float(np.asarray(v)) for v in self.normalise(tuple(float(v) for v in point)))
        d1, d2 = (float(np.asarray(v)) for v in inner.disagreement)
        m1, m2 = (tol * float(np.asarray(s)) for s in inner.scale)
        if u1 < d1 - m1 or u2 < d2 - m2:
            return False
        # The boundary does not increase: testing at u1 - m1 tolerates u1 slightly past
        # player 1's largest utility.
        return bool(u2 <= inner.upper_boundary(u1 - m1) + m2)

    @abstractmethod
    def pareto_frontier(self, num: int = 101) -> FloatArray:
        """Points of the Pareto frontier of S (where it dominates d), ordered by player
        1's utility: the vertices for polygons, ``num`` samples for smooth frontiers,
        the two ends for linear problems. Numeric problems only.

        Examples
        --------
        >>> BargainingProblem.transferable(1).pareto_frontier().tolist()
        [[0.0, 1.0], [1.0, 0.0]]
        """

    @abstractmethod
    def affine(self, scale: Sequence[float], shift: Sequence[float]) -> BargainingProblem:
        """The same problem with utilities ``u_i -> scale_i * u_i + shift_i``
        (``scale_i > 0``): Nash's invariance axiom is about this map.

        Examples
        --------
        >>> BargainingProblem.transferable(1).affine((2, 1), (0, 3)).ideal_point()
        (2.0, 4.0)
        """

    def check_disagreement(self) -> None:
        """Raise :class:`InfeasibleProblemError` unless d is in S and some point of S is
        better than d for both players (by ``TOL`` times each player's scale)."""
        if not self.contains(self._d):
            raise InfeasibleProblemError(
                f"the disagreement point {self._d} lies outside the feasible set"
            )
        inner = self.normalised()
        if not inner.largest_step(inner.disagreement, inner.scale) > TOL:
            raise InfeasibleProblemError(
                "no feasible point is better than the disagreement point "
                f"{self._d} for both players"
            )


def check_affine_map(
    scale: Sequence[float], shift: Sequence[float]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The map of :meth:`BargainingProblem.affine`: positive scales and finite shifts,
    as floats.

    Examples
    --------
    >>> check_affine_map((2, 1), (0, 3))
    ((2.0, 1.0), (0.0, 3.0))
    """
    a1, a2 = pair(scale, "scale")
    b1, b2 = pair(shift, "shift")
    return (
        (
            real(a1, "scale[0]", low=0.0, low_open=True, array=False),
            real(a2, "scale[1]", low=0.0, low_open=True, array=False),
        ),
        (real(b1, "shift[0]", array=False), real(b2, "shift[1]", array=False)),
    )


#: Magnitudes within [1 / _MODERATE, _MODERATE] need no rescaling (:attr:`units`).
_MODERATE = 2.0**256


def _extreme_only(scale: Any) -> Any:
    """The unit of a player of this scale: 1 where the scale is moderate."""
    unit = np.where((scale >= 1 / _MODERATE) & (scale <= _MODERATE), 1.0, scale)
    return float(unit) if unit.ndim == 0 else unit


def _as_float(value: Any) -> Any:
    """A numpy scalar as a float; arrays and floats unchanged."""
    return float(value) if isinstance(value, np.generic) else value
