"""Complementary pivoting in floating point: the kernel of Lemke-Howson.

Plain float arrays in, bases out; no validation (the public
:func:`~powergames.equilibria.lemke_howson` validates, then calls :func:`pivot`).

Tableau layout
--------------
A tableau stores the dictionary ``x_B + D x_N = q`` of one best-response polytope: one
row per basic variable, one column per non-basic variable, and ``q`` as the last
column. Variables are named by their labels, so that the complementary variables of
the two tableaus share a label:

* tableau 0 (polytope P, ``n`` rows): ``x_i`` has label ``i`` and the slack
  ``s_j = 1 - (B^T x)_j`` has label ``m + j``; initially ``D = B^T``;
* tableau 1 (polytope Q, ``m`` rows): the slack ``r_i = 1 - (A y)_i`` has label ``i``
  and ``y_j`` has label ``m + j``; initially ``D = A``.

The slack columns of the full tableau ``[I | D]`` (kept implicitly: a basic slack has
a unit column) form the basis inverse used by the lexicographic test (von Stengel
2007, section 3.7).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from typing import Any, Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Entries of the entering column up to this value count as non-positive in the ratio
#: test (payoffs are normalised to [1, 2], so tableau entries are of order 1).
PIVOT_TOL = 1e-9
#: Ratios within ``TIE_TOL * (1 + theta)`` of the minimum ``theta`` are ties, broken
#: lexicographically; the same relative tolerance decides ties between the rows of the
#: basis inverse.
TIE_TOL = 1e-11
#: Largest number of tableau entries handed to one BLAS rank-1 update. OpenBLAS runs
#: ``dger`` on several threads from about 9,000 entries on, and waking them costs far
#: more than the update itself at these sizes, so larger tableaus are updated by blocks
#: of columns.
BLAS_BLOCK = 8192
#: The clock is read once every this many pivots (reading it costs about as much as a
#: pivot of a small tableau).
CLOCK_EVERY = 64

#: Whether to update tableaus with BLAS ``dger`` when it is available (tests switch it off).
USE_BLAS = True

#: How a pass ended: "complete" (the dropped label was picked up again), "failed"
#: (floating point broke the path: no positive entry in an entering column, a
#: repeated basis pair, or a non-finite value), "pivot limit" or "time limit".
Status = Literal["complete", "failed", "pivot limit", "time limit"]


class Bases(NamedTuple):
    """The final bases of a complete pass: the basic label of each row of the two
    tableaus, and each tableau's right-hand side."""

    basis_p: list[int]
    basis_q: list[int]
    q_p: FloatArray
    q_q: FloatArray


class Pass(NamedTuple):
    """The outcome of one pass of complementary pivoting."""

    status: Status
    pivots: int
    bases: Bases | None


def pivot(
    An: FloatArray,
    Bn: FloatArray,
    label: int,
    max_pivots: int,
    deadline: float | None = None,
) -> Pass:
    """Complementary pivoting in floating point on payoffs normalised to [1, 2],
    dropping ``label``, for at most ``max_pivots`` pivots and until the
    :func:`time.monotonic` ``deadline`` (if any).

    Floating point fails (status "failed") when no entry of an entering column is
    positive or when a basis pair repeats: the lexicographic rule never cycles in
    exact arithmetic, so a repeat means that rounding broke it (Brent's cycle
    detection on bit masks of the basic labels).
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
    updates = [rank_one_update(T, w) for T, w in zip(tableaus, pivot_rows, strict=True)]
    masks = [sum(1 << k for k in basis[0]), sum(1 << k for k in basis[1])]
    saved = (masks[0], masks[1], -1)
    power = steps = 1
    inf = np.inf
    greater, divide = np.greater, np.divide

    side = 0 if label < m else 1
    entering = label
    with np.errstate(all="ignore"):  # overflow or NaN are caught below, not warned about
        for done in range(max_pivots):
            if deadline is not None and done % CLOCK_EVERY == 0 and time.monotonic() > deadline:
                return Pass("time limit", done, None)
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
                return Pass("failed", done, None)
            ratio[r] = inf
            bound = theta + TIE_TOL * (1.0 + abs(theta))
            if ratio[ratio.argmin()] <= bound:
                ties = np.append(np.flatnonzero(ratio <= bound), r)
                r = lexicographic_row(T, col, ties, basis[side], column[side], slack_labels[side])
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
                    return Pass("failed", done + 1, None)
                return Pass("complete", done + 1, Bases(basis[0], basis[1], q0, q1))
            masks[side] ^= (1 << entering) | (1 << leaving)
            side ^= 1
            entering = leaving
            if masks[0] == saved[0] and masks[1] == saved[1] and side == saved[2]:
                return Pass("failed", done + 1, None)
            steps += 1
            if steps > power:
                saved = (masks[0], masks[1], side)
                power *= 2
                steps = 1
    return Pass("pivot limit", max_pivots, None)


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


def rank_one_update(
    T: FloatArray, w: FloatArray, *, blas: bool | None = None
) -> Callable[[FloatArray], None]:
    """A function ``update(u)`` that sets ``T -= outer(u, w)`` in place, for the
    preallocated pivot-row buffer ``w``: one BLAS ``dger`` call per block of columns
    (when ``blas``, by default :data:`USE_BLAS`, and scipy's ``dger`` works in place),
    else two numpy ufunc calls into a preallocated buffer."""
    dger = _dger() if (USE_BLAS if blas is None else blas) else None
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


def lexicographic_row(
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


def profiles(An: FloatArray, Bn: FloatArray, bases: Bases) -> list[tuple[FloatArray, FloatArray]]:
    """Candidate profiles from the final bases: first the re-solved indifference
    systems on the basic supports, then the tableaus' own values."""
    m, n = An.shape
    basis_p, basis_q, q_p, q_q = bases
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
