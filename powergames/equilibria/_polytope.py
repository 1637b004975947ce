"""Vectorised kernels shared by support and vertex enumeration.

Everything here works on a *batch* of k games of one shape at once, as plain
float arrays ``As, Bs`` of shape ``(k, m, n)``, with no validation: the public
solvers validate and then call these kernels.

The geometry is that of the best-response polytopes (von Stengel 2007, section 3.5)

    P = {x in R^m : x >= 0, B^T x <= 1},      Q = {y in R^n : y >= 0, A y <= 1},

after an affine change of payoffs that puts every entry in [1, 2] (it preserves
equilibria and makes both polytopes bounded). A point of P carries label ``i``
(row strategy ``i``) when ``x_i = 0`` and label ``m + j`` when column ``j`` is a
best response to it (``(B^T x)_j = 1``); a point of Q carries label ``i`` when row
``i`` is a best response and ``m + j`` when ``y_j = 0``. Nash equilibria are the
completely labelled pairs ``(x, y) != (0, 0)``, normalised to sum 1.

A vertex of Q with support ``J`` (|J| = s) has ``s`` linearly independent tight
rows ``I``; it solves ``A[I, J] z = 1``. We enumerate such pairs ``(I, J)`` of
equal size, discarding beforehand every pair in which some row of ``I`` is
strictly dominated on the columns ``J`` by another row (such a row cannot be a
best response to any ``y`` supported in ``J``). The pruning is exact: it removes
no vertex, and on random games it removes most pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Largest ``m + n`` for which label sets fit in one int64 bitmask.
MAX_LABELS = 62


def normalise(M: FloatArray) -> FloatArray:
    """Map each game's payoffs affinely onto [1, 2] (constant matrices become all 1).

    Positive affine maps of one player's payoffs change neither best responses nor
    equilibria; they make the tolerances relative to the payoff range.
    """
    low = M.min(axis=(1, 2), keepdims=True)
    span = M.max(axis=(1, 2), keepdims=True) - low
    span[span == 0] = 1.0
    normalised: FloatArray = 1.0 + (M - low) / span
    return normalised


@lru_cache(maxsize=256)
def subsets(n: int, s: int) -> tuple[NDArray[np.intp], IntArray]:
    """All ``s``-subsets of ``range(n)`` as an index array ``(C, s)`` and bitmasks ``(C,)``."""
    index = np.array(list(combinations(range(n), s)), dtype=np.intp).reshape(-1, s)
    bits = (np.int64(1) << index.astype(np.int64)).sum(axis=1).astype(np.int64)
    index.setflags(write=False)
    bits.setflags(write=False)
    return index, bits


def _bit_weights(n: int) -> IntArray:
    return np.int64(1) << np.arange(n, dtype=np.int64)


def undominated_rows(M: FloatArray, column_bits: IntArray, margin: float) -> IntArray:
    """For each game and each column subset, the bitmask of rows not strictly dominated
    (by more than ``margin``) by another row on those columns.

    Parameters
    ----------
    M : (k, m, n) array
    column_bits : (C,) int64 bitmasks of column subsets
    margin : float
        Domination must be by more than ``margin`` in every column, so that rows tied
        within the tolerance are never pruned.

    Returns
    -------
    (k, C) int64 bitmasks over rows.
    """
    _, m, n = M.shape
    # better[g, i, l] = bitmask of the columns where row l beats row i by > margin.
    better = (M[:, None, :, :] > M[:, :, None, :] + margin).astype(np.int64) @ _bit_weights(n)
    # Row i is dominated on J iff J is inside better[g, i, l] for some l.
    inside = (column_bits[None, :, None, None] & ~better[:, None, :, :]) == 0  # (k, C, i, l)
    dominated = inside.any(axis=3)
    bits: IntArray = (~dominated).astype(np.int64) @ _bit_weights(m)
    return bits


def solve_stack(M: FloatArray) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Solve ``M[t] z[t] = 1`` for every ``t``; singular systems are flagged, not raised.

    Returns ``(z, ok)`` with ``z`` of shape ``(T, s)`` (NaN where ``ok`` is False).
    """
    T, s, _ = M.shape
    rhs = np.ones((T, s, 1))
    try:
        z: FloatArray = np.linalg.solve(M, rhs)[..., 0]
        ok: NDArray[np.bool_] = np.isfinite(z).all(axis=1)
        return z, ok
    except np.linalg.LinAlgError:
        pass
    # Some system is exactly singular: keep the well-conditioned ones only.
    singular_values = np.linalg.svd(M, compute_uv=False)
    ok = singular_values[:, -1] > singular_values[:, 0] * (s * np.finfo(float).eps * 16)
    z = np.full((T, s), np.nan)
    try:
        z[ok] = np.linalg.solve(M[ok], rhs[ok])[..., 0]
    except np.linalg.LinAlgError:  # pragma: no cover - LU finds an exact zero pivot the SVD did not
        for t in np.flatnonzero(ok):
            try:
                z[t] = np.linalg.solve(M[t], rhs[t])[:, 0]
            except np.linalg.LinAlgError:
                ok[t] = False
    ok &= np.isfinite(z).all(axis=1)
    return z, ok


@dataclass(frozen=True)
class Vertices:
    """Vertices of one best-response polytope for a batch of games.

    ``game[t]`` is the game of vertex ``t``; ``point[t]`` its coordinates in the
    polytope (not normalised to sum 1); ``labels[t]`` its label bitmask over
    ``m + n`` labels; ``pair[t]`` the index ``(a, c)`` of the support pair
    (row subset ``a``, column subset ``c`` of the size ``size[t]``) it came from.
    """

    game: NDArray[np.intp]
    point: FloatArray
    labels: IntArray
    size: NDArray[np.intp]
    pair: NDArray[np.intp]


def _empty_vertices(dim: int) -> Vertices:
    return Vertices(
        np.zeros(0, np.intp),
        np.zeros((0, dim)),
        np.zeros(0, np.int64),
        np.zeros(0, np.intp),
        np.zeros((0, 2), np.intp),
    )


def _concat(parts: list[Vertices], dim: int) -> Vertices:
    if not parts:
        return _empty_vertices(dim)
    return Vertices(
        np.concatenate([p.game for p in parts]),
        np.concatenate([p.point for p in parts]),
        np.concatenate([p.labels for p in parts]),
        np.concatenate([p.size for p in parts]),
        np.concatenate([p.pair for p in parts]),
    )


def candidate_masks(
    As: FloatArray, Bs: FloatArray, s: int, margin: float
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Masks ``(k, C(m, s), C(n, s))`` of the support pairs that can carry a vertex of Q
    (rows undominated on the columns, for A) and of P (columns undominated on the rows,
    for B)."""
    _, m, n = As.shape
    _, row_bits = subsets(m, s)
    _, col_bits = subsets(n, s)
    rows_ok = undominated_rows(As, col_bits, margin)  # (k, Cn)
    cols_ok = undominated_rows(np.swapaxes(Bs, 1, 2), row_bits, margin)  # (k, Cm)
    q_mask = (row_bits[None, :, None] & ~rows_ok[:, None, :]) == 0
    p_mask = (col_bits[None, None, :] & ~cols_ok[:, :, None]) == 0
    return q_mask, p_mask


def q_vertices(
    As: FloatArray, s: int, triples: tuple[NDArray[np.intp], ...], tol: float
) -> Vertices:
    """Vertices of Q = {y >= 0, A y <= 1} from the support pairs ``triples = (g, a, c)``
    of size ``s``: ``y`` supported in column subset ``c``, rows in row subset ``a`` tight."""
    _, m, n = As.shape
    g, a, c = triples
    rows, _ = subsets(m, s)
    cols, _ = subsets(n, s)
    I, J = rows[a], cols[c]
    M = As[g[:, None, None], I[:, :, None], J[:, None, :]]
    z, ok = solve_stack(M)
    ok &= (z >= -tol).all(axis=1)
    g, a, c, I, J, z = g[ok], a[ok], c[ok], I[ok], J[ok], np.maximum(z[ok], 0.0)
    values = np.einsum(
        "tmj,tj->tm", As[g[:, None, None], np.arange(m)[None, :, None], J[:, None, :]], z
    )
    feasible = (values <= 1.0 + tol).all(axis=1)
    g, a, c, J, z, values = (
        g[feasible],
        a[feasible],
        c[feasible],
        J[feasible],
        z[feasible],
        values[feasible],
    )
    y = np.zeros((len(g), n))
    np.put_along_axis(y, J, z, axis=1)
    tight_rows = (values >= 1.0 - tol).astype(np.int64) @ _bit_weights(m)
    zero_cols = (y <= tol).astype(np.int64) @ _bit_weights(n)
    labels = tight_rows | (zero_cols << m)
    return Vertices(g, y, labels, np.full(len(g), s, np.intp), np.stack([a, c], axis=1))


def p_vertices(
    Bs: FloatArray, s: int, triples: tuple[NDArray[np.intp], ...], tol: float
) -> Vertices:
    """Vertices of P = {x >= 0, B^T x <= 1} from the support pairs ``(g, a, c)``:
    ``x`` supported in row subset ``a``, columns in column subset ``c`` tight."""
    _, m, n = Bs.shape
    g, a, c = triples
    rows, _ = subsets(m, s)
    cols, _ = subsets(n, s)
    I, J = rows[a], cols[c]
    M = Bs[g[:, None, None], I[:, None, :], J[:, :, None]]  # M[t, j, i] = B[I[t, i], J[t, j]]
    z, ok = solve_stack(M)
    ok &= (z >= -tol).all(axis=1)
    g, a, c, I, z = g[ok], a[ok], c[ok], I[ok], np.maximum(z[ok], 0.0)
    values = np.einsum(
        "tin,ti->tn", Bs[g[:, None, None], I[:, :, None], np.arange(n)[None, None, :]], z
    )
    feasible = (values <= 1.0 + tol).all(axis=1)
    g, a, c, I, z, values = (
        g[feasible],
        a[feasible],
        c[feasible],
        I[feasible],
        z[feasible],
        values[feasible],
    )
    x = np.zeros((len(g), m))
    np.put_along_axis(x, I, z, axis=1)
    zero_rows = (x <= tol).astype(np.int64) @ _bit_weights(m)
    tight_cols = (values >= 1.0 - tol).astype(np.int64) @ _bit_weights(n)
    labels = zero_rows | (tight_cols << m)
    return Vertices(g, x, labels, np.full(len(g), s, np.intp), np.stack([a, c], axis=1))


def popcount(bits: IntArray) -> NDArray[np.intp]:
    """Number of set bits of each int64."""
    counts = np.zeros(bits.shape, dtype=np.intp)
    work = bits.copy()
    while work.any():
        counts += (work & 1).astype(np.intp)
        work >>= 1
    return counts


def unique_vertices(v: Vertices) -> Vertices:
    """Drop repeated vertices: a vertex is determined by its label set (its tight
    constraints have full rank), so ``(game, labels)`` identifies it."""
    if len(v.game) == 0:
        return v
    _, first = np.unique(
        np.stack([v.game.astype(np.int64), v.labels], axis=1), axis=0, return_index=True
    )
    first = np.sort(first)
    return Vertices(v.game[first], v.point[first], v.labels[first], v.size[first], v.pair[first])


def polytope_vertices(
    As: FloatArray, Bs: FloatArray, tol: float, *, unique: bool = True
) -> tuple[Vertices, Vertices]:
    """All vertices other than 0 of P (from B) and Q (from A), for every game of the
    batch, by solving the systems of all support pairs that survive the pruning.

    With ``unique=False`` a degenerate vertex appears once per support pair that
    yields it (support enumeration needs the pairs).
    """
    _, m, n = As.shape
    p_parts, q_parts = [], []
    for s in range(1, min(m, n) + 1):
        q_mask, p_mask = candidate_masks(As, Bs, s, margin=tol)
        q_parts.append(q_vertices(As, s, np.nonzero(q_mask), tol))
        p_parts.append(p_vertices(Bs, s, np.nonzero(p_mask), tol))
    p, q = _concat(p_parts, m), _concat(q_parts, n)
    return (unique_vertices(p), unique_vertices(q)) if unique else (p, q)


def hull_vertices(A: FloatArray, B: FloatArray, tol: float) -> tuple[Vertices, Vertices]:
    """The vertices of P and Q of one game (payoffs already in [1, 2]) from convex hulls.

    By polarity, the vertices of a polytope ``{z : a_k . (z - z0) <= beta_k}`` with
    ``z0`` interior are the facets of the convex hull of the points ``a_k / beta_k``
    (Ziegler 1995, section 2.3); qhull (Barber, Dobkin & Huhdanpaa 1996) computes that
    hull. Labels are then read off the constraints with tolerance ``tol``, which also
    merges the several simplices qhull returns for one vertex of a degenerate
    polytope. ``pair`` is -1: these vertices do not come from support pairs.
    """
    m, n = A.shape
    q = _hull_vertices_of(A, tol)
    p = _hull_vertices_of(B.T, tol)
    # P's labels: rows of B^T (columns j of the game) are labels m + j; x_i = 0 is label i.
    row_bits = p.labels & ((np.int64(1) << n) - 1)
    zero_bits = p.labels >> n
    p = Vertices(p.game, p.point, zero_bits | (row_bits << m), p.size, p.pair)
    return p, q


def _hull_vertices_of(M: FloatArray, tol: float) -> Vertices:
    """Vertices other than 0 of {z >= 0 : M z <= 1}, M positive (r x c), labels ``i`` for
    tight row ``i`` and ``r + j`` for ``z_j = 0``."""
    from scipy.spatial import ConvexHull

    r, c = M.shape
    z0 = np.full(c, 0.5 / M.sum(axis=1).max())
    normals = np.vstack([M, -np.eye(c)])
    slack = np.concatenate([1.0 - M @ z0, z0])
    hull = ConvexHull(normals / slack[:, None])
    w = -hull.equations[:, :-1] / hull.equations[:, -1:]
    z = w + z0
    values = z @ M.T
    keep = (values <= 1.0 + tol).all(axis=1) & (z >= -tol).all(axis=1) & (z > tol).any(axis=1)
    z, values = np.maximum(z[keep], 0.0), values[keep]
    labels = ((values >= 1.0 - tol).astype(np.int64) @ _bit_weights(r)) | (
        ((z <= tol).astype(np.int64) @ _bit_weights(c)) << r
    )
    size = (z > tol).sum(axis=1).astype(np.intp)
    count = len(z)
    v = Vertices(np.zeros(count, np.intp), z, labels, size, np.full((count, 2), -1, np.intp))
    return unique_vertices(v)
