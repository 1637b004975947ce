"""Lemke-Howson complementary pivoting on two tableaus (von Stengel 2007, Algorithm 3.6).

The solver pivots in floating point on two condensed tableaus, one per best-response
polytope, breaks ties with the lexicographic minimum-ratio test, re-solves the final
supports' indifference systems, and checks the result with :func:`is_equilibrium`.
When floating point lets it down (a profile that fails the check, a cycle of bases, a
pivot column with no positive entry) it pivots again in exact rational arithmetic.

Tableau layout
--------------
A tableau stores the dictionary ``x_B + D x_N = q`` of one polytope: one row per basic
variable, one column per non-basic variable, and ``q`` as the last column. Variables
are named by their labels, so that the complementary variables of the two tableaus
share a label:

* tableau 0 (polytope P, ``n`` rows): ``x_i`` has label ``i`` and the slack
  ``s_j = 1 - (B^T x)_j`` has label ``m + j``; initially ``D = B^T``;
* tableau 1 (polytope Q, ``m`` rows): the slack ``r_i = 1 - (A y)_i`` has label ``i``
  and ``y_j`` has label ``m + j``; initially ``D = A``.

The slack columns of the full tableau ``[I | D]`` (kept implicitly: a basic slack has
a unit column) form the basis inverse used by the lexicographic test.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames.equilibria._polytope import normalise
from powergames.equilibria._single import check_tol, to_equilibria
from powergames.equilibria.best_response import DEFAULT_TOL, is_equilibrium
from powergames.equilibria.result import Equilibrium
from powergames.errors import InvalidParameterError, PowergamesError
from powergames.game import Game

__all__ = ["lemke_howson"]

FloatArray = NDArray[np.float64]

#: Entries of the entering column up to this value count as non-positive in the ratio
#: test (payoffs are normalised to [1, 2], so tableau entries are of order 1).
PIVOT_TOL = 1e-9
#: Ratios within ``TIE_TOL * (1 + theta)`` of the minimum ``theta`` are ties, broken
#: lexicographically; the same relative tolerance decides ties between the rows of the
#: basis inverse.
TIE_TOL = 1e-11
#: Allowed regret of an exactly computed equilibrium once rounded to floats, when the
#: caller's ``tol`` is smaller (``tol=0`` cannot absorb the rounding).
EXACT_ROUNDING_TOL = 1e-12
#: Default of ``max_pivots``. Lemke-Howson paths are short on most games but can be
#: exponentially long (Savani and von Stengel 2006), and even on uniformly random
#: 100 x 100 games a few need more than 10,000 pivots.
DEFAULT_MAX_PIVOTS = 1_000_000


def lemke_howson(
    game: Game, label: int = 0, *, tol: float = DEFAULT_TOL, max_pivots: int | None = None
) -> Equilibrium:
    """One Nash equilibrium by the Lemke-Howson algorithm, dropping ``label``.

    The algorithm is Algorithm 3.6 of von Stengel (2007), "Lemke-Howson with
    tableaus", with the lexicographic minimum-ratio test of its section 3.7 so that
    degenerate games (ties in payoffs, continua of equilibria) are handled too:

    1. Map each player's payoffs affinely onto [1, 2] (this changes no equilibrium)
       and set up the tableaus of ``P = {x >= 0 : B^T x <= 1}`` with the slacks of
       ``B^T x <= 1`` basic, and of ``Q = {y >= 0 : A y <= 1}`` with the slacks of
       ``A y <= 1`` basic: the artificial equilibrium ``(0, 0)``.
    2. Let the variable with label ``label`` enter the basis: ``x_label`` in P's
       tableau if ``label < m``, else ``y_(label - m)`` in Q's.
    3. Choose the leaving variable by the lexicographic minimum-ratio test: the
       smallest ratio of right-hand side to positive entry of the entering column;
       ties are broken by the rows of the basis inverse divided by that entry,
       compared column by column, which never cycles.
    4. Pivot: one rank-1 update of the tableau.
    5. If the leaving variable has label ``label``, stop: the basis is completely
       labelled. Otherwise the variable of the other tableau with the leaving
       variable's label enters (complementary pivoting); go to step 3.
    6. Read the supports (basic ``x_i`` and ``y_j``) off the final bases, re-solve
       the indifference systems ``A[I, J] y_J = 1`` and ``B[I, J]^T x_I = 1`` on
       them, and normalise ``x`` and ``y`` to probabilities.
    7. Check the profile with :func:`is_equilibrium`; if floating point failed
       (the check fails, the bases cycle, or no entry of an entering column is
       positive), redo steps 1-6 in exact rational arithmetic.

    Parameters
    ----------
    game : Game
    label : int, default 0
        The dropped label: ``0 .. m-1`` for the row player's strategies and
        ``m .. m+n-1`` for the column player's (von Stengel's numbering, also
        quantecon's ``init_pivot`` and nashpy's ``initial_dropped_label``).
    tol : float, default :data:`DEFAULT_TOL`
        Allowed regret of the result, relative to each player's payoff range. When
        the exact arithmetic of step 7 is used and ``tol`` is below 1e-12, the
        rounded exact equilibrium is accepted with a regret up to 1e-12.
    max_pivots : int, optional
        Largest number of pivots of one pass (floating point, then exact if needed);
        default 1,000,000. The lexicographic rule guarantees termination, so this
        only bounds the running time on games whose path is very long.

    Returns
    -------
    Equilibrium
        A profile that passes :func:`is_equilibrium` with ``tol``. Its supports are
        the basic ``x_i`` and ``y_j`` of the final bases, less any at zero in a
        degenerate game.

    Raises
    ------
    InvalidParameterError
        If ``game`` is not a :class:`Game`, ``label`` is not an integer in
        ``0 .. m+n-1``, ``tol`` is not in [0, 1) or ``max_pivots`` is not a
        positive integer.
    PowergamesError
        If the path is longer than ``max_pivots`` pivots.

    References
    ----------
    Lemke, C. E. and Howson, J. T. (1964). Equilibrium points of bimatrix games.
    Journal of the Society for Industrial and Applied Mathematics 12, 413-423.

    von Stengel, B. (2007). Equilibrium computation for two-player games in strategic
    and extensive form. Chapter 3 of N. Nisan, T. Roughgarden, E. Tardos and
    V. Vazirani (eds.), Algorithmic Game Theory, Cambridge University Press;
    Algorithm 3.6 (section 3.6) and section 3.7, "Degenerate games".

    Examples
    --------
    The 3 x 2 game of von Stengel (2007), Figure 3.3, has three equilibria; dropping
    label 0 (the row player's first strategy) or label 1 leads to different ones.

    >>> from powergames import Game
    >>> game = Game([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
    >>> lemke_howson(game, 0)
    Equilibrium(strategies=([1., 0., 0.], [1., 0.]), payoffs=(3, 3))
    >>> eq = lemke_howson(game, 1)
    >>> eq.strategies
    (array([0.   , 0.333, 0.667]), array([0.333, 0.667]))
    >>> eq.payoffs
    (4.0, 2.667)
    >>> lemke_howson(Game([[1, -1], [-1, 1]]), label=3).strategies[0]  # matching pennies
    array([0.5, 0.5])
    """
    if not isinstance(game, Game):
        raise InvalidParameterError(f"game must be a powergames.Game, got {type(game).__name__}")
    m, n = game.shape
    if (
        not isinstance(label, (int, np.integer))
        or isinstance(label, (bool, np.bool_))
        or not 0 <= label < m + n
    ):
        raise InvalidParameterError(
            f"label must be an integer in 0 .. {m + n - 1} (0 .. {m - 1} for rows, "
            f"{m} .. {m + n - 1} for columns), got {label!r}"
        )
    label = int(label)
    tol = check_tol(tol)
    if max_pivots is None:
        max_pivots = DEFAULT_MAX_PIVOTS
    elif (
        not isinstance(max_pivots, (int, np.integer))
        or isinstance(max_pivots, (bool, np.bool_))
        or max_pivots < 1
    ):
        raise InvalidParameterError(
            f"max_pivots must be a positive integer or None, got {max_pivots!r}"
        )
    max_pivots = int(max_pivots)
    A, B = game.payoffs
    An, Bn = normalise(A[None])[0], normalise(B[None])[0]
    bases = _float_pivoting(An, Bn, label, max_pivots)
    if bases is not None:
        for x, y in _float_profiles(An, Bn, *bases):
            if is_equilibrium(game, (x, y), tol=tol):
                return to_equilibria(game, x[None], y[None])[0]
    x, y = _exact_lemke_howson(A, B, label, max_pivots)
    if not is_equilibrium(game, (x, y), tol=max(tol, EXACT_ROUNDING_TOL)):  # pragma: no cover
        raise PowergamesError(
            "internal error: the exact Lemke-Howson result is not an equilibrium; "
            "please report this game"
        )
    return to_equilibria(game, x[None], y[None])[0]


# ------------------------------------------------------------------ floating point


#: Final state of a floating-point pass: the basic labels of each tableau's rows and
#: each tableau's right-hand side.
FloatBases = tuple[list[int], list[int], FloatArray, FloatArray]


def _too_many_pivots(max_pivots: int, label: int) -> PowergamesError:
    return PowergamesError(
        f"Lemke-Howson did not terminate within max_pivots={max_pivots} pivots from "
        f"label {label}; pass a larger max_pivots or try another label"
    )


def _float_pivoting(
    An: FloatArray, Bn: FloatArray, label: int, max_pivots: int
) -> FloatBases | None:
    """Complementary pivoting in floating point on payoffs normalised to [1, 2].

    Returns the final bases and right-hand sides, or None when floating point failed
    (no positive entry in an entering column, or a basis pair seen before: the
    lexicographic rule never cycles in exact arithmetic).
    """
    m, n = An.shape
    # Condensed tableaus [D | q], Fortran order so that columns are contiguous.
    tableaus = [np.empty((n, m + 1), order="F"), np.empty((m, n + 1), order="F")]
    tableaus[0][:, :m] = Bn.T
    tableaus[1][:, :n] = An
    for T in tableaus:
        T[:, -1] = 1.0
    rhs = [T[:, -1] for T in tableaus]
    basis = [list(range(m, m + n)), list(range(m))]  # basic label of each row
    column = [  # column of D holding each label's variable, -1 when basic
        [i if i < m else -1 for i in range(m + n)],
        [-1 if k < m else k - m for k in range(m + n)],
    ]
    slack_labels = [list(range(m, m + n)), list(range(m))]
    ratios = [np.empty(len(T)) for T in tableaus]
    positive = [np.empty(len(T), dtype=bool) for T in tableaus]
    pivot_rows = [np.empty(T.shape[1]) for T in tableaus]
    updates = [_rank_one_update(T, w) for T, w in zip(tableaus, pivot_rows, strict=True)]
    # Bit masks of the basic labels of each tableau, for Brent's cycle detection: a
    # basis pair seen before means that rounding broke the lexicographic rule.
    masks = [sum(1 << k for k in basis[0]), sum(1 << k for k in basis[1])]
    saved = (masks[0], masks[1], -1)
    power = steps = 1
    inf = np.inf
    greater, divide = np.greater, np.divide

    side = 0 if label < m else 1
    entering = label
    with np.errstate(all="ignore"):  # overflow or NaN are caught below, not warned about
        for _ in range(max_pivots):
            T = tableaus[side]
            c = column[side][entering]
            col = T[:, c]
            ratio = ratios[side]
            pos = positive[side]
            # Minimum-ratio test over the positive entries of the entering column.
            greater(col, PIVOT_TOL, pos)
            ratio.fill(inf)
            divide(rhs[side], col, ratio, where=pos)
            r = int(ratio.argmin())
            theta = float(ratio[r])
            if not theta < inf:  # no positive entry, or NaN
                return None
            ratio[r] = inf
            bound = theta + TIE_TOL * (1.0 + abs(theta))
            if ratio[ratio.argmin()] <= bound:
                ties = np.append(np.flatnonzero(ratio <= bound), r)
                r = _lexicographic_row(T, col, ties, basis[side], column[side], slack_labels[side])
            # Pivot on (r, c): the dictionary x_B + D x_N = q of the new basis is
            # D - u w^T, with u the entering column and w the pivot row over the pivot
            # element p, both corrected at the pivot element.
            u = col.copy()
            p = float(u[r])
            w = pivot_rows[side]
            divide(T[r], p, w)
            w[c] = 1.0 + 1.0 / p
            u[r] = p - 1.0
            updates[side](u)

            leaving = basis[side][r]
            basis[side][r] = entering
            column[side][leaving] = c
            column[side][entering] = -1
            if leaving == label:
                q0, q1 = rhs[0].copy(), rhs[1].copy()
                if not (np.isfinite(q0).all() and np.isfinite(q1).all()):
                    return None
                return basis[0], basis[1], q0, q1
            masks[side] ^= (1 << entering) | (1 << leaving)
            side ^= 1
            entering = leaving
            if masks[0] == saved[0] and masks[1] == saved[1] and side == saved[2]:
                return None
            steps += 1
            if steps > power:
                saved = (masks[0], masks[1], side)
                power *= 2
                steps = 1
    raise _too_many_pivots(max_pivots, label)


#: Largest number of tableau entries handed to one BLAS rank-1 update. OpenBLAS runs
#: ``dger`` on several threads from about 9,000 entries on, and waking them costs far
#: more than the update itself at these sizes, so larger tableaus are updated by blocks
#: of columns.
BLAS_BLOCK = 8192


#: Whether to update tableaus with BLAS ``dger`` when it is available (tests switch it off).
_BLAS = True

Dger = Callable[..., Any]


@cache
def _dger() -> Dger | None:
    """scipy's BLAS ``dger``, imported on first use (scipy.linalg is slow to import),
    if it updates a Fortran-ordered float64 array in place; else None."""
    try:
        from scipy.linalg.blas import dger
    except ImportError:  # pragma: no cover - scipy is a dependency
        return None
    T = np.ones((3, 2), order="F")
    out = dger(-1.0, np.ones(3), np.ones(2), 1, 1, T, 1, 1, 1)
    return dger if out is T and bool((T == 0).all()) else None


def _rank_one_update(
    T: FloatArray, w: FloatArray, *, blas: bool | None = None
) -> Callable[[FloatArray], None]:
    """A function ``update(u)`` that sets ``T -= outer(u, w)`` in place, for the
    preallocated pivot-row buffer ``w``: one BLAS ``dger`` call per block of columns
    (when ``blas``, by default :data:`_BLAS`, and scipy's ``dger`` works in place), else
    two numpy ufunc calls into a preallocated buffer."""
    dger = _dger() if (_BLAS if blas is None else blas) else None
    if dger is None:
        buffer = np.empty_like(T)

        def numpy_update(u: FloatArray) -> None:
            np.multiply(u[:, None], w, buffer)
            np.subtract(T, buffer, T)

        return numpy_update
    rows, cols = T.shape
    width = max(1, BLAS_BLOCK // max(rows, 1))
    blocks = [(T[:, a : a + width], w[a : a + width]) for a in range(0, cols, width)]
    if len(blocks) == 1:

        def blas_update(u: FloatArray) -> None:
            dger(-1.0, u, w, 1, 1, T, 1, 1, 1)  # alpha, x, y, incx, incy, a, overwrite_*

        return blas_update

    def blocked_update(u: FloatArray) -> None:
        for block, part in blocks:
            dger(-1.0, u, part, 1, 1, block, 1, 1, 1)

    return blocked_update


def _lexicographic_row(
    T: FloatArray,
    col: FloatArray,
    ties: NDArray[np.intp],
    basis: list[int],
    column: list[int],
    slack_labels: list[int],
) -> int:
    """Break a tie of the minimum-ratio test among the rows ``ties``: the row whose
    basis-inverse row divided by its entry of the entering column ``col`` is
    lexicographically smallest (von Stengel 2007, section 3.7), comparing the columns
    of the slack variables in order and only while ties remain."""
    ties.sort()
    first = slack_labels[0]
    # Columns of the basis inverse: a non-basic slack's column of D, a basic slack's
    # unit vector (1 in the row where it is basic).
    where = np.array([column[k] for k in slack_labels], dtype=np.intp)
    inverse = T[ties][:, where]
    inverse[:, where < 0] = 0.0
    for a, i in enumerate(ties.tolist()):
        k = basis[i]
        if first <= k < first + len(slack_labels):
            inverse[a, k - first] = 1.0
    values = inverse / col[ties][:, None]
    alive = np.arange(len(ties))
    while len(alive) > 1:
        sub = values[alive]
        low = sub.min(axis=0)
        bound = low + TIE_TOL * (1.0 + np.abs(low))
        differ = sub.max(axis=0) > bound
        if not differ.any():  # pragma: no cover - rows of an invertible matrix differ
            break
        j = int(differ.argmax())  # the first column where the rows still differ
        alive = alive[sub[:, j] <= bound[j]]
    return int(ties[alive[0]])


def _float_profiles(
    An: FloatArray,
    Bn: FloatArray,
    basis_p: list[int],
    basis_q: list[int],
    q_p: FloatArray,
    q_q: FloatArray,
) -> list[tuple[FloatArray, FloatArray]]:
    """Candidate profiles from the final bases: first the re-solved indifference
    systems on the basic supports, then the tableaus' own values."""
    m, n = An.shape
    rows_p = [i for i, k in enumerate(basis_p) if k < m]
    rows_q = [i for i, k in enumerate(basis_q) if k >= m]
    support_x = np.array([basis_p[i] for i in rows_p], dtype=np.intp)
    support_y = np.array([basis_q[i] - m for i in rows_q], dtype=np.intp)
    candidates = []
    if len(support_x) == len(support_y) > 0:
        try:
            ones = np.ones(len(support_x))
            x_support = np.linalg.solve(Bn[np.ix_(support_x, support_y)].T, ones)
            y_support = np.linalg.solve(An[np.ix_(support_x, support_y)], ones)
        except np.linalg.LinAlgError:
            pass
        else:
            candidates.append(_to_profile(support_x, x_support, support_y, y_support, m, n))
    candidates.append(_to_profile(support_x, q_p[rows_p], support_y, q_q[rows_q], m, n))
    return [c for c in candidates if c is not None]


def _to_profile(
    support_x: NDArray[np.intp],
    x_support: NDArray[np.floating[Any]],
    support_y: NDArray[np.intp],
    y_support: NDArray[np.floating[Any]],
    m: int,
    n: int,
) -> tuple[FloatArray, FloatArray] | None:
    """Scatter the support values into full vectors, clip negatives, normalise."""
    x, y = np.zeros(m), np.zeros(n)
    x[support_x] = x_support
    y[support_y] = y_support
    np.maximum(x, 0.0, out=x)
    np.maximum(y, 0.0, out=y)
    sx, sy = x.sum(), y.sum()
    if not (np.isfinite(sx) and np.isfinite(sy) and sx > 0 and sy > 0):
        return None
    return x / sx, y / sy


# ------------------------------------------------------------------ exact arithmetic


def _exact_normalise(M: FloatArray) -> list[list[Fraction]]:
    """The exact counterpart of :func:`normalise` for one matrix: ``1 + (M - low) / span``."""
    entries = [[Fraction(float(v)) for v in row] for row in M]
    low = min(min(row) for row in entries)
    span = max(max(row) for row in entries) - low
    if span == 0:
        span = Fraction(1)
    return [[1 + (v - low) / span for v in row] for row in entries]


def _exact_lemke_howson(
    A: FloatArray, B: FloatArray, label: int, max_pivots: int
) -> tuple[FloatArray, FloatArray]:
    """Lemke-Howson in exact rational arithmetic on full tableaus of Python
    :class:`~fractions.Fraction`; the payoffs are the floats' exact values.

    Returns the equilibrium, normalised exactly and then rounded to floats.
    """
    m, n = A.shape
    An, Bn = _exact_normalise(A), _exact_normalise(B)
    zero, one = Fraction(0), Fraction(1)
    # Full tableaus: one column per label, then the right-hand side.
    tableau_p = [
        [Bn[i][j] for i in range(m)] + [one if k == j else zero for k in range(n)] + [one]
        for j in range(n)
    ]
    tableau_q = [[one if k == i else zero for k in range(m)] + An[i] + [one] for i in range(m)]
    tableaus = [tableau_p, tableau_q]
    basis = [list(range(m, m + n)), list(range(m))]
    slack_labels = [list(range(m, m + n)), list(range(m))]

    side = 0 if label < m else 1
    entering = label
    for _ in range(max_pivots):
        T = tableaus[side]
        rows = [i for i, row in enumerate(T) if row[entering] > 0]
        if not rows:  # pragma: no cover - P and Q are bounded
            raise PowergamesError("internal error: unbounded Lemke-Howson ray")
        # Lexicographic minimum-ratio test: right-hand side first, then the basis inverse.
        for key in [-1, *slack_labels[side]]:
            if len(rows) == 1:
                break
            values = [T[i][key] / T[i][entering] for i in rows]
            low = min(values)
            rows = [i for i, v in zip(rows, values, strict=True) if v == low]
        r = rows[0]
        pivot_row = T[r]
        p = pivot_row[entering]
        pivot_row = [v / p for v in pivot_row]
        T[r] = pivot_row
        for i, row in enumerate(T):
            f = row[entering]
            if i != r and f != 0:
                T[i] = [a - f * b for a, b in zip(row, pivot_row, strict=True)]
        leaving = basis[side][r]
        basis[side][r] = entering
        if leaving == label:
            break
        side ^= 1
        entering = leaving
    else:
        raise _too_many_pivots(max_pivots, label)

    x = [zero] * m
    y = [zero] * n
    for i, k in enumerate(basis[0]):
        if k < m:
            x[k] = tableau_p[i][-1]
    for i, k in enumerate(basis[1]):
        if k >= m:
            y[k - m] = tableau_q[i][-1]
    sx, sy = sum(x), sum(y)
    return (
        np.array([float(v / sx) for v in x]),
        np.array([float(v / sy) for v in y]),
    )
