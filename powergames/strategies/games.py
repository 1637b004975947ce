"""Strategies for games: shapes, payoff matrices, games, mixed strategies,
permutations of strategies and affine images of the payoffs."""

from __future__ import annotations

import math
import warnings
from typing import Literal

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from numpy.typing import NDArray

from powergames.errors import DegenerateGameWarning
from powergames.game import Game

__all__ = [
    "AffineMap",
    "PayoffKind",
    "affine_images",
    "games",
    "mixed_strategies",
    "payoff_matrices",
    "permutations_of",
    "positive_affine_maps",
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
