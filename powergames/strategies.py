"""Hypothesis strategies for property-based tests of game-theoretic code.

These are public API: use them to test your own models the way powergames tests
itself. Every strategy draws valid inputs (finite payoffs, probability vectors
that sum to 1), so a failing property points at the code under test.

Examples
--------
>>> from hypothesis import given, settings
>>> from powergames import equilibria, is_equilibrium
>>> from powergames.strategies import games
>>> @settings(max_examples=20)
... @given(games(max_rows=3, max_cols=3))
... def test_every_equilibrium_is_one(game):
...     for eq in equilibria(game, "pure"):
...         assert is_equilibrium(game, eq.strategies)
>>> test_every_equilibrium_is_one()
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Literal

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from numpy.typing import NDArray

from powergames.errors import DegenerateGameWarning
from powergames.game import Game

if TYPE_CHECKING:  # pragma: no cover
    from powergames.bargaining import BargainingProblem
    from powergames.partnership import Parameters, Scenario
    from powergames.partnership.actors import NestedParameters
    from powergames.partnership.evidence import Range

__all__ = [
    "AffineMap",
    "affine_images",
    "bargaining_problems",
    "games",
    "mixed_strategies",
    "nested_parameters",
    "partnership_parameters",
    "payoff_matrices",
    "permutations_of",
    "positive_affine_maps",
    "ranged_scenarios",
    "ranges",
    "shapes",
]

PayoffKind = Literal["integer", "float"]


def shapes(
    *, min_rows: int = 1, max_rows: int = 4, min_cols: int = 1, max_cols: int = 4
) -> st.SearchStrategy[tuple[int, int]]:
    """Shapes ``(m, n)`` of bimatrix games within the bounds.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(shapes(min_rows=2, max_rows=2, min_cols=3, max_cols=3), lambda shape: True)
    (2, 3)
    """
    return st.tuples(st.integers(min_rows, max_rows), st.integers(min_cols, max_cols))


def payoff_matrices(
    shape: tuple[int, int],
    *,
    payoffs: PayoffKind = "integer",
    min_value: float = -10,
    max_value: float = 10,
) -> st.SearchStrategy[NDArray[np.float64]]:
    """Payoff matrices of the given shape: integers in ``[min_value, max_value]``
    (games with ties, often degenerate) or floats in that interval.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(payoff_matrices((2, 2), min_value=0, max_value=1), lambda M: M.sum() >= 3)
    array([[0., 1.],
           [1., 1.]])
    """
    m, n = shape
    if payoffs == "integer":
        element: st.SearchStrategy[float] = st.integers(int(min_value), int(max_value)).map(float)
    elif payoffs == "float":
        element = st.floats(min_value, max_value, allow_nan=False, allow_infinity=False)
    else:
        raise ValueError(f"payoffs must be 'integer' or 'float', got {payoffs!r}")
    return st.lists(element, min_size=m * n, max_size=m * n).map(
        lambda values: np.array(values, dtype=np.float64).reshape(m, n)
    )


@st.composite
def games(
    draw: st.DrawFn,
    *,
    min_rows: int = 1,
    max_rows: int = 4,
    min_cols: int = 1,
    max_cols: int = 4,
    payoffs: PayoffKind = "integer",
    min_value: float = -10,
    max_value: float = 10,
    degenerate: bool | None = None,
    zero_sum: bool = False,
) -> Game:
    """Bimatrix games.

    Parameters
    ----------
    min_rows, max_rows, min_cols, max_cols : int
        Bounds on the numbers of pure strategies.
    payoffs : {"integer", "float"}, default "integer"
        Integer payoffs make ties, weak dominance and degenerate games common;
        float payoffs are generic.
    min_value, max_value : float
        The payoff range.
    degenerate : bool, optional
        ``True``: only degenerate games (a pure strategy with two pure best
        responses is planted); ``False``: only non-degenerate games (checked with
        :func:`powergames.is_degenerate`); ``None`` (default): either.
    zero_sum : bool, default False
        Draw ``A`` only and set ``B = -A``.

    Examples
    --------
    >>> from hypothesis import find
    >>> from powergames import is_degenerate
    >>> game = find(games(degenerate=True, min_rows=2, min_cols=2), lambda game: True)
    >>> is_degenerate(game)
    True
    """
    m, n = draw(shapes(min_rows=min_rows, max_rows=max_rows, min_cols=min_cols, max_cols=max_cols))
    A = draw(payoff_matrices((m, n), payoffs=payoffs, min_value=min_value, max_value=max_value))
    B = (
        -A
        if zero_sum
        else draw(
            payoff_matrices((m, n), payoffs=payoffs, min_value=min_value, max_value=max_value)
        )
    )
    if degenerate:
        assume(m >= 2 or n >= 2)
        # Plant a pure strategy with two pure best responses: a row i against which
        # columns j and k tie at the top of B's row (or a column, if n == 1).
        if n >= 2:
            i = draw(st.integers(0, m - 1))
            j, k = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
            top = B[i].max()
            B = B.copy()
            B[i, j] = B[i, k] = top
            if zero_sum:
                A = -B
        else:
            j = 0
            i, k = draw(st.lists(st.integers(0, m - 1), min_size=2, max_size=2, unique=True))
            A = A.copy()
            A[i, j] = A[k, j] = A[:, j].max()
            if zero_sum:
                B = -A
    game = Game(A, B)
    if degenerate is False:
        from powergames.equilibria.degeneracy import is_degenerate

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateGameWarning)
            assume(not is_degenerate(game))
    return game


@st.composite
def mixed_strategies(draw: st.DrawFn, n: int, *, min_support: int = 1) -> NDArray[np.float64]:
    """Mixed strategies over ``n`` pure strategies: non-negative, summing to 1 (up to
    rounding), with at least ``min_support`` positive entries.

    Examples
    --------
    >>> from hypothesis import find
    >>> sigma = find(mixed_strategies(3, min_support=2), lambda sigma: sigma[0] > 0.5)
    >>> bool(abs(sigma.sum() - 1) < 1e-12 and (sigma >= 0).all())
    True
    """
    if not 1 <= min_support <= n:
        raise ValueError(f"min_support must be in [1, {n}], got {min_support}")
    support = draw(st.sets(st.integers(0, n - 1), min_size=min_support, max_size=n))
    weights = draw(st.lists(st.integers(1, 1000), min_size=len(support), max_size=len(support)))
    sigma = np.zeros(n)
    sigma[sorted(support)] = weights
    normalised: NDArray[np.float64] = sigma / sigma.sum()
    return normalised


@st.composite
def permutations_of(draw: st.DrawFn, game: Game) -> tuple[Game, NDArray[np.intp], NDArray[np.intp]]:
    """The game with its rows and columns permuted: ``(permuted, rows, cols)`` where
    ``permuted.payoffs[0] == A[rows][:, cols]``.

    Examples
    --------
    >>> from powergames import Game
    >>> from hypothesis import find
    >>> permuted, rows, cols = find(permutations_of(Game([[1, 2], [3, 4]])), lambda c: True)
    >>> sorted(permuted.payoffs[0].ravel().tolist())
    [1.0, 2.0, 3.0, 4.0]
    """
    m, n = game.shape
    rows = np.array(draw(st.permutations(range(m))), dtype=np.intp)
    cols = np.array(draw(st.permutations(range(n))), dtype=np.intp)
    A, B = game.payoffs
    return Game(A[np.ix_(rows, cols)], B[np.ix_(rows, cols)]), rows, cols


#: A positive affine map ``u -> scale * u + offset`` of one player's payoffs.
AffineMap = tuple[float, float]


@st.composite
def affine_images(
    draw: st.DrawFn,
    game: Game,
    *,
    min_scale: float = 1e-9,
    max_scale: float = 1e9,
    offsets: bool = True,
) -> tuple[Game, tuple[AffineMap, AffineMap]]:
    """The game with each player's payoffs mapped by its own positive affine map, drawn
    so that the image is computed exactly in floating point: ``(image, (map_row,
    map_column))`` with ``image.payoffs[k] == scale_k * payoffs[k] + offset_k``, entry by
    entry, in exact arithmetic. Positive affine maps of a player's payoffs change no
    best response, so the image has the same equilibria.

    Scales are a small odd integer times a power of two, within ``[min_scale,
    max_scale]``; offsets (when ``offsets``) are as large as exactness allows, up to
    about ``2**51`` times the scale (1e24 at a scale of 1e9, 1e300 at a scale of
    1e285). Games whose payoffs have too many significant bits for an exact image are
    skipped with :func:`hypothesis.assume` (integer payoffs below 2**20 never are).

    Examples
    --------
    >>> from hypothesis import find
    >>> from powergames import Game
    >>> image, ((a, b), _) = find(affine_images(Game([[1, 2]]), offsets=False), lambda c: True)
    >>> bool((image.payoffs[0] == a * np.array([[1, 2]])).all())
    True
    """
    from fractions import Fraction

    low = int(np.floor(np.log2(min_scale)))
    high = int(np.floor(np.log2(max_scale))) - 10
    maps = []
    images = []
    for payoffs in game.payoffs:
        exponent = draw(st.integers(low + 1, max(low + 1, high)))
        scale = float(draw(st.integers(0, 511)) * 2 + 1) * 2.0**exponent
        offset = 0.0
        if offsets:
            shift = draw(st.integers(0, 31))
            offset = float(draw(st.integers(-(2**20), 2**20))) * 2.0 ** (exponent + shift)
        image = scale * payoffs + offset
        exact = all(
            Fraction(float(v)) * Fraction(scale) + Fraction(offset) == Fraction(float(w))
            for v, w in zip(payoffs.ravel(), image.ravel(), strict=True)
        )
        assume(exact and np.isfinite(image).all())
        maps.append((scale, offset))
        images.append(image)
    return Game(images[0], images[1]), (maps[0], maps[1])


@st.composite
def positive_affine_maps(
    draw: st.DrawFn,
    *,
    min_scale: float = 1e-9,
    max_scale: float = 1e9,
    common_scale: bool = False,
    max_offset: float = 10.0,
) -> tuple[AffineMap, AffineMap]:
    """Positive affine maps ``u -> scale * u + offset`` of each player's payoffs (or
    utilities), ``((scale_1, offset_1), (scale_2, offset_2))``: the changes of units
    under which scale-invariant solutions must not change (Nash's axiom), and
    tolerances relative to each player's payoffs must not either. For games,
    :func:`affine_images` draws maps whose images are exact.

    Parameters
    ----------
    min_scale, max_scale : float, default 1e-9 and 1e9
        Scales are drawn log-uniformly in this interval (shrinking towards 1).
    common_scale : bool, default False
        One scale for both players (for the solutions that compare utilities across
        players, such as the egalitarian and utilitarian ones).
    max_offset : float, default 10
        Each offset is the player's scale times a number in ``[-max_offset,
        max_offset]`` (0 for no offsets).

    Examples
    --------
    >>> from hypothesis import find
    >>> maps = find(positive_affine_maps(), lambda m: m[0][0] > 1e6 > 1e-6 > m[1][0])
    >>> maps[0][0] > 1e6 and maps[1][0] < 1e-6
    True
    """
    exponents = st.floats(math.log10(min_scale), math.log10(max_scale))
    first = 10.0 ** draw(exponents)
    second = first if common_scale else 10.0 ** draw(exponents)
    fractions = st.floats(-max_offset, max_offset) if max_offset > 0 else st.just(0.0)
    return (first, first * draw(fractions)), (second, second * draw(fractions))


ProblemKind = Literal["transferable", "linear", "polygon", "frontier"]


@st.composite
def bargaining_problems(
    draw: st.DrawFn, *, kind: ProblemKind | None = None, max_points: int = 8
) -> BargainingProblem:
    """Bargaining problems (S, d) with some point of S strictly better than d.

    Parameters
    ----------
    kind : {"transferable", "linear", "polygon", "frontier"}, optional
        ``"polygon"``: the convex hull of up to ``max_points`` points with
        coordinates in [0, 10] (ties and flat edges are common); ``"frontier"``:
        ``u2 = c (1 - (u1 / a)^p)`` with ``p`` in [1, 4]; any kind by default.
    max_points : int, default 8

    Examples
    --------
    >>> from hypothesis import find
    >>> problem = find(bargaining_problems(kind="polygon"), lambda p: True)
    >>> problem.kind
    'polygon'
    """
    from powergames.bargaining import BargainingProblem

    if kind is None:
        kind = draw(st.sampled_from(["transferable", "linear", "polygon", "frontier"]))
    fraction = st.floats(0, 0.9)
    if kind in ("transferable", "linear"):
        intercept = draw(st.floats(1, 100))
        slope = 1.0 if kind == "transferable" else draw(st.floats(0.1, 10))
        # d below the line: d1 = a * intercept / slope, d2 < (intercept - slope d1).
        d1 = draw(fraction) * intercept / slope
        d2 = draw(fraction) * (intercept - slope * d1)
        return BargainingProblem.linear(intercept, slope, (d1, d2))
    if kind == "polygon":
        coordinate = st.integers(0, 100).map(lambda v: v / 10)
        points = draw(st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=max_points))
        target = points[draw(st.integers(0, len(points) - 1))]
        gap = st.integers(1, 50).map(lambda v: v / 10)
        d = (target[0] - draw(gap), target[1] - draw(gap))
        return BargainingProblem.from_points(points, d)
    a, c = draw(st.floats(0.5, 10)), draw(st.floats(0.5, 10))
    power = draw(st.floats(1, 4))

    def frontier(u1: float) -> float:
        return float(c * (1 - (max(u1, 0.0) / a) ** power))

    alpha = draw(st.floats(0, 0.5))
    beta = draw(fraction) * (1 - alpha**power)
    return BargainingProblem.from_frontier(frontier, (0, a), (alpha * a, beta * c))


@st.composite
def partnership_parameters(
    draw: st.DrawFn, /, *, sustainable: bool = False, **fixed: object
) -> Parameters:
    """Parameters of the partnership model, each drawn in a range wide enough to reach
    every regime: legitimacies, gains and costs in [0, 10], accountabilities in [0, 2],
    the shared paradigm in [0, 1], outside options in [-2, 5], the transfer floor in
    [0, 5] (exactly 0 often), the discount factor in [0, 0.99] and the inherited weight
    in [0, 1]. Keyword arguments fix parameters instead of drawing them.

    With ``sustainable=True``, points where (dilute, assert) is played: the control
    gain and the assertion cost are drawn below the levels at which (dilute, assert)
    stops maximising the joint payoff, the discount factor above the critical one
    (:func:`powergames.partnership.settle`), and points within rounding of a tie (a
    temptation of about 0, the critical discount factor itself) are left out.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(partnership_parameters(shared_paradigm=1.0), lambda p: True).shared_paradigm
    1.0
    """
    from powergames.partnership import Parameters, settle

    unit = st.floats(0, 1)
    ranges = {
        "pragmatic_legitimacy": st.floats(0, 10),
        "moral_legitimacy": st.floats(0, 10),
        "funder_accountability": st.floats(0, 2),
        "membership_accountability": st.floats(0, 2),
        "control_gain": st.floats(0, 10),
        "autonomy_value": st.floats(0, 10),
        "assertion_cost": st.floats(0, 10),
        "shared_paradigm": unit,
        "oci_outside_option": st.floats(-2, 5),
        "ngo_outside_option": st.floats(-2, 5),
        "transfer_floor": st.one_of(st.just(0.0), st.floats(0, 5)),
        "discount_factor": st.floats(0, 0.99),
        "inherited_weight": unit,
    }
    values = {
        name: fixed[name] if name in fixed else draw(strategy) for name, strategy in ranges.items()
    }
    params = Parameters(**values)
    if not sustainable:
        return params
    phi, b = params.shared_paradigm, params.autonomy_value
    lam, moral = params.accountability, params.moral_legitimacy
    if "control_gain" not in fixed:
        params = params.replace(control_gain=draw(unit) * (1 + phi) * b)
    if "assertion_cost" not in fixed:
        params = params.replace(assertion_cost=draw(unit) * (lam + phi) * moral)
    result = settle(params)
    delta_c = result["critical_discount_factor"]
    scale = 1 + abs(result["surplus"])
    ties = [result[n] for n in ("temptation_oci", "temptation_ngo")]
    if delta_c >= 0.98 or any(t != 0 and abs(t) < 1e-9 * scale for t in ties):
        from hypothesis import reject

        reject()
    if "discount_factor" in fixed:
        return params
    return params.replace(discount_factor=delta_c + draw(st.floats(1e-6, 1)) * (0.99 - delta_c))


@st.composite
def ranges(draw: st.DrawFn, /, low: float = 0.0, high: float = 10.0) -> Range:
    """A range (:mod:`powergames.partnership.evidence`) within ``[low, high]``: uniform,
    triangular or beta, degenerate (one value) now and then.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(ranges(0, 1), lambda r: r.degenerate).low
    0.0
    """
    from powergames.partnership.evidence import Beta, Triangular, Uniform

    ends = sorted(draw(st.floats(low, high)) for _ in range(2))
    if draw(st.integers(0, 5)) == 0:
        ends[1] = ends[0]
    kind = draw(st.sampled_from(["uniform", "triangular", "beta"]))
    if kind == "uniform":
        return Uniform(*ends)
    if kind == "triangular":
        return Triangular(ends[0], draw(st.floats(ends[0], ends[1])), ends[1])
    shape = st.floats(0.5, 8)
    return Beta(draw(shape), draw(shape), *ends)


@st.composite
def ranged_scenarios(draw: st.DrawFn, /, max_ranges: int = 4) -> Scenario:
    """A scenario of the partnership model (values from :func:`partnership_parameters`)
    with one to ``max_ranges`` of its parameters ranged, each range within the span
    that strategy draws the parameter from.

    Examples
    --------
    >>> from hypothesis import find
    >>> 1 <= len(find(ranged_scenarios(), lambda s: True).ranges) <= 4
    True
    """
    from powergames.partnership import Scenario

    spans = {
        "pragmatic_legitimacy": (0, 10),
        "moral_legitimacy": (0, 10),
        "funder_accountability": (0, 2),
        "membership_accountability": (0, 2),
        "control_gain": (0, 10),
        "autonomy_value": (0, 10),
        "assertion_cost": (0, 10),
        "shared_paradigm": (0, 1),
        "oci_outside_option": (-2, 5),
        "ngo_outside_option": (-2, 5),
        "transfer_floor": (0, 5),
        "discount_factor": (0, 0.99),
        "inherited_weight": (0, 1),
    }
    names = draw(
        st.lists(st.sampled_from(sorted(spans)), min_size=1, max_size=max_ranges, unique=True)
    )
    chosen = {name: draw(ranges(*spans[name])) for name in names}
    return Scenario("ranged", parameters=draw(partnership_parameters()), ranges=chosen)


@st.composite
def nested_parameters(
    draw: st.DrawFn, /, *, chosen: bool | None = None, **fixed: object
) -> NestedParameters:
    """Parameters of the nested game of actors: the partnership model's drawn as in
    :func:`partnership_parameters` (the membership's accountability in [0.05, 2], the
    control gain before conditions in [0, 5]), and the actors': mobilisation cost in
    [0, 5], tolerance and cap in [0, 3], political cost and bid gain in [0, 5], the
    OCI's alternative funding in [-2, 5] and funding value in [-2, 10], its cost per
    condition in [0.05, 5], its bargaining weight in [0, 1], the control per condition
    in [0, 3], the base groups' floor in [0, 5] (exactly 0 often); no subnormal numbers.
    The mobilisation is left to the membership (NaN) when ``chosen`` is True, drawn in
    [0, 1] when False, either when None. Keyword arguments fix parameters instead of
    drawing them.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(nested_parameters(chosen=False), lambda p: True).membership_mobilisation
    0.0
    """
    from powergames.partnership.actors import NestedParameters

    def floats(low: float, high: float) -> st.SearchStrategy[float]:
        # Subnormal numbers are no one's accountability or cost, and they underflow.
        return st.floats(low, high, allow_subnormal=False)

    unit = floats(0, 1)
    draws = {
        "pragmatic_legitimacy": floats(0, 10),
        "moral_legitimacy": floats(0, 10),
        "funder_accountability": floats(0, 2),
        "membership_accountability": floats(0.05, 2),
        "control_gain": floats(0, 5),
        "autonomy_value": floats(0, 10),
        "assertion_cost": floats(0, 10),
        "shared_paradigm": unit,
        "oci_outside_option": floats(-2, 5),
        "ngo_outside_option": floats(-2, 5),
        "transfer_floor": st.one_of(st.just(0.0), floats(0, 5)),
        "discount_factor": floats(0, 0.99),
        "inherited_weight": unit,
        "membership_mobilisation_cost": floats(0, 5),
        "membership_tolerance": floats(0, 3),
        "funder_political_cost": floats(0, 5),
        "winning_bid_gain": floats(0, 5),
        "oci_alternative_funding": floats(-2, 5),
        "funding_value": floats(-2, 10),
        "oci_condition_cost": floats(0.05, 5),
        "oci_bargaining_weight": unit,
        "conditionality_cap": floats(0, 3),
        "control_per_condition": floats(0, 3),
        "base_group_floor": st.one_of(st.just(0.0), floats(0, 5)),
    }
    if chosen is None:
        draws["membership_mobilisation"] = st.one_of(st.just(float("nan")), unit)
    elif not chosen:
        draws["membership_mobilisation"] = unit
    values = {
        name: fixed[name] if name in fixed else draw(strategy) for name, strategy in draws.items()
    }
    values.update({name: value for name, value in fixed.items() if name not in values})
    return NestedParameters(**values)
