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
rows ``I``; it solves ``A[I, J] z = 1``. We enumerate such *support pairs*
``(I, J)`` of equal size, discarding beforehand every pair in which some row of
``I`` is strictly dominated on the columns ``J`` by another row (such a row cannot
be a best response to any ``y`` supported in ``J``). The pruning is exact: it
removes no vertex, and on random games it removes most pairs. The systems of all
surviving pairs, of every size, are solved in one stacked ``numpy.linalg.solve``:
a pair of size ``s < smax`` is padded with an identity block.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Index = NDArray[np.intp]

#: Largest ``m + n`` for which label sets fit in one int64 bitmask.
MAX_LABELS = 62
#: Support pairs are processed in chunks of at most this many padded matrix entries
#: (pairs x smax^2), so that memory stays bounded on large shapes.
CHUNK_ENTRIES = 400_000


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


def _bit_weights(n: int) -> IntArray:
    return np.int64(1) << np.arange(n, dtype=np.int64)


def _bits_of(index: Index) -> IntArray:
    bits: IntArray = (np.int64(1) << index.astype(np.int64)).sum(axis=1).astype(np.int64)
    return bits


@dataclass(frozen=True)
class PairTable:
    """Support pairs ``(I, J)``, ``|I| = |J| = s`` for ``s`` in ``sizes``, of an m x n game.

    ``rows[t]``/``cols[t]`` hold the strategies of pair ``t``, padded with 0 up to
    ``smax``; ``inner[t]`` masks the ``s x s`` block and ``pad[t]`` is the identity on
    the padding; ``rhs[t]`` is 1 on the block. ``row_set[t]``/``col_set[t]`` index the
    pair's subsets in ``row_subsets``/``col_subsets`` (bitmasks of every subset of a
    size in ``sizes``).
    """

    sizes: tuple[int, ...]
    rows: Index
    cols: Index
    size: Index
    row_bits: IntArray
    col_bits: IntArray
    row_set: Index
    col_set: Index
    row_subsets: IntArray
    col_subsets: IntArray
    inner: NDArray[np.bool_]
    pad: FloatArray
    rhs: FloatArray


def _subsets(n: int, sizes: tuple[int, ...], smax: int) -> tuple[Index, IntArray, Index]:
    """All subsets of range(n) with a size in ``sizes``: padded index array, bits, sizes."""
    index = [list(c) + [0] * (smax - s) for s in sizes for c in combinations(range(n), s)]
    size = [s for s in sizes for _ in combinations(range(n), s)]
    padded = np.array(index, dtype=np.intp).reshape(-1, smax)
    valid = np.arange(smax)[None, :] < np.array(size)[:, None]
    bits = np.where(valid, np.int64(1) << padded.astype(np.int64), 0).sum(axis=1)
    return padded, bits.astype(np.int64), np.array(size, dtype=np.intp)


@lru_cache(maxsize=64)
def pair_table(m: int, n: int, sizes: tuple[int, ...]) -> PairTable:
    """The support pairs of the given sizes (cached per shape)."""
    smax = max(sizes)
    row_index, row_subsets, row_size = _subsets(m, sizes, smax)
    col_index, col_subsets, col_size = _subsets(n, sizes, smax)
    # Pair every row subset with every column subset of the same size.
    same = row_size[:, None] == col_size[None, :]
    row_set, col_set = np.nonzero(same)
    size = row_size[row_set]
    k = np.arange(smax)
    block = k[None, :] < size[:, None]
    inner = block[:, :, None] & block[:, None, :]
    pad = np.where((~block)[:, :, None] & (k[:, None] == k[None, :])[None], 1.0, 0.0)
    table = PairTable(
        sizes=sizes,
        rows=row_index[row_set],
        cols=col_index[col_set],
        size=size,
        row_bits=row_subsets[row_set],
        col_bits=col_subsets[col_set],
        row_set=row_set.astype(np.intp),
        col_set=col_set.astype(np.intp),
        row_subsets=row_subsets,
        col_subsets=col_subsets,
        inner=inner,
        pad=pad,
        rhs=block.astype(np.float64),
    )
    for array in (table.rows, table.cols, table.inner, table.pad, table.rhs):
        array.setflags(write=False)
    return table


def size_chunks(m: int, n: int) -> list[tuple[int, ...]]:
    """Support sizes grouped so that each group's padded systems stay under
    :data:`CHUNK_ENTRIES` entries; small shapes need one group."""
    from math import comb

    chunks: list[tuple[int, ...]] = []
    current: list[int] = []
    count = 0
    for s in range(1, min(m, n) + 1):
        pairs = comb(m, s) * comb(n, s)
        if current and (count + pairs) * s * s > CHUNK_ENTRIES:
            chunks.append(tuple(current))
            current, count = [], 0
        current.append(s)
        count += pairs
    chunks.append(tuple(current))
    return chunks


def undominated_rows(M: FloatArray, column_subsets: IntArray, margin: float) -> IntArray:
    """For each game and each column subset, the bitmask of rows not strictly dominated
    (by more than ``margin``) by another row on those columns.

    Parameters
    ----------
    M : (k, m, n) array
    column_subsets : (C,) int64 bitmasks of column subsets
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
    inside = (column_subsets[None, :, None, None] & ~better[:, None, :, :]) == 0  # (k, C, i, l)
    bits: IntArray = (~inside.any(axis=3)).astype(np.int64) @ _bit_weights(m)
    return bits


def candidate_masks(
    As: FloatArray, Bs: FloatArray, table: PairTable, margin: float
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Masks ``(k, pairs)``: the support pairs that can carry a vertex of Q (rows of
    ``I`` undominated on ``J`` in A) and of P (columns of ``J`` undominated on ``I`` in B)."""
    rows_ok = undominated_rows(As, table.col_subsets, margin)  # (k, column subsets)
    cols_ok = undominated_rows(np.swapaxes(Bs, 1, 2), table.row_subsets, margin)
    q_mask = (table.row_bits[None, :] & ~rows_ok[:, table.col_set]) == 0
    p_mask = (table.col_bits[None, :] & ~cols_ok[:, table.row_set]) == 0
    return q_mask, p_mask


#: A support system counts as singular when ``|det M|`` is below this fraction of the
#: product of its row norms (Hadamard's bound). Payoffs lie in [1, 2], so a singular
#: system rounded by LU lands near 1e-16; genuine vertices of random games stay far above.
SINGULAR_RATIO = 1e-12


def solve_stack(M: FloatArray, rhs: FloatArray) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Solve ``M[t] z[t] = rhs[t]`` for every non-singular ``M[t]``.

    Returns ``(z, ok)`` with ``z`` of shape ``(T, s)``, NaN where ``ok`` is False.
    Singular systems must be told apart explicitly: LU rarely meets an exact zero
    pivot in floating point, and the "solution" it then returns is an arbitrary point
    of a face, not a vertex.
    """
    T, s, _ = M.shape
    sign, logdet = np.linalg.slogdet(M)
    with np.errstate(divide="ignore"):
        log_bound = np.log(np.linalg.norm(M, axis=2)).sum(axis=1)
    ok = (sign != 0) & (logdet - log_bound > np.log(SINGULAR_RATIO))
    z = np.full((T, s), np.nan)
    if ok.any():
        z[ok] = np.linalg.solve(M[ok], rhs[ok][..., None])[..., 0]
    return z, ok


@dataclass(frozen=True)
class Vertices:
    """Vertices of one best-response polytope for a batch of games.

    ``game[t]`` is the game of vertex ``t``; ``point[t]`` its coordinates in the
    polytope (not normalised to sum 1); ``labels[t]`` its label bitmask over
    ``m + n`` labels; ``pair[t]`` the support pair of the table it came from (-1 when
    it did not come from a support pair).
    """

    game: Index
    point: FloatArray
    labels: IntArray
    pair: Index

    def take(self, keep: NDArray[np.bool_] | Index) -> Vertices:
        return Vertices(self.game[keep], self.point[keep], self.labels[keep], self.pair[keep])

    @staticmethod
    def concat(parts: list[Vertices], dim: int) -> Vertices:
        if not parts:
            empty = np.zeros(0, np.intp)
            return Vertices(empty, np.zeros((0, dim)), np.zeros(0, np.int64), empty)
        return Vertices(
            np.concatenate([p.game for p in parts]),
            np.concatenate([p.point for p in parts]),
            np.concatenate([p.labels for p in parts]),
            np.concatenate([p.pair for p in parts]),
        )


def q_vertices(As: FloatArray, table: PairTable, g: Index, t: Index, tol: float) -> Vertices:
    """Vertices of Q = {y >= 0, A y <= 1} from the support pairs ``table[t]`` of games
    ``g``: ``y`` supported in the pair's columns, the pair's rows tight."""
    _, m, n = As.shape
    I, J = table.rows[t], table.cols[t]
    M = As[g[:, None, None], I[:, :, None], J[:, None, :]] * table.inner[t] + table.pad[t]
    z, ok = solve_stack(M, table.rhs[t])
    ok &= (z >= -tol).all(axis=1)
    g, t, J, z = g[ok], t[ok], J[ok], np.maximum(z[ok], 0.0)
    values = np.einsum(
        "tmj,tj->tm", As[g[:, None, None], np.arange(m)[None, :, None], J[:, None, :]], z
    )
    feasible = (values <= 1.0 + tol).all(axis=1)
    g, t, J, z, values = g[feasible], t[feasible], J[feasible], z[feasible], values[feasible]
    y = _scatter(z, J, table.rhs[t] > 0, n)
    tight_rows = (values >= 1.0 - tol).astype(np.int64) @ _bit_weights(m)
    zero_cols = (y <= tol).astype(np.int64) @ _bit_weights(n)
    return Vertices(g, y, tight_rows | (zero_cols << m), t)


def p_vertices(Bs: FloatArray, table: PairTable, g: Index, t: Index, tol: float) -> Vertices:
    """Vertices of P = {x >= 0, B^T x <= 1} from the support pairs ``table[t]`` of games
    ``g``: ``x`` supported in the pair's rows, the pair's columns tight."""
    _, m, n = Bs.shape
    I, J = table.rows[t], table.cols[t]
    # M[t, j, i] = B[I[t, i], J[t, j]]: one equation per column of the pair.
    M = Bs[g[:, None, None], I[:, None, :], J[:, :, None]] * table.inner[t] + table.pad[t]
    z, ok = solve_stack(M, table.rhs[t])
    ok &= (z >= -tol).all(axis=1)
    g, t, I, z = g[ok], t[ok], I[ok], np.maximum(z[ok], 0.0)
    values = np.einsum(
        "tin,ti->tn", Bs[g[:, None, None], I[:, :, None], np.arange(n)[None, None, :]], z
    )
    feasible = (values <= 1.0 + tol).all(axis=1)
    g, t, I, z, values = g[feasible], t[feasible], I[feasible], z[feasible], values[feasible]
    x = _scatter(z, I, table.rhs[t] > 0, m)
    zero_rows = (x <= tol).astype(np.int64) @ _bit_weights(m)
    tight_cols = (values >= 1.0 - tol).astype(np.int64) @ _bit_weights(n)
    return Vertices(g, x, zero_rows | (tight_cols << m), t)


def _scatter(z: FloatArray, index: Index, block: NDArray[np.bool_], size: int) -> FloatArray:
    """Full vectors from the values ``z`` at ``index`` where ``block`` (skips padding)."""
    full = np.zeros((len(z), size))
    owner = np.broadcast_to(np.arange(len(z))[:, None], index.shape)
    full[owner[block], index[block]] = z[block]
    return full


def popcount(bits: IntArray) -> Index:
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
    if len(v.game) < 2:
        return v
    width = int(v.labels.max()).bit_length()
    _, first = np.unique(vertex_keys(v.game, v.labels, width), return_index=True)
    return v.take(np.sort(first))


def vertex_keys(game: Index, labels: IntArray, width: int) -> NDArray[np.int64] | NDArray[np.void]:
    """One sortable key per (game, label set), label sets having at most ``width`` bits:
    an int64 when game and labels fit in 63 bits together, else a record. Keys made
    with the same ``width`` compare as the pairs do."""
    if int(game.max(initial=0)).bit_length() + width <= 62:
        return (game.astype(np.int64) << width) | labels
    pairs = np.ascontiguousarray(np.stack([game.astype(np.int64), labels], axis=1))
    return pairs.view([("g", np.int64), ("l", np.int64)]).ravel()


def polytope_vertices(As: FloatArray, Bs: FloatArray, tol: float) -> tuple[Vertices, Vertices]:
    """All vertices other than 0 of P (from B) and Q (from A), for every game of the
    batch, by solving the systems of all support pairs that survive the pruning."""
    _, m, n = As.shape
    p_parts, q_parts = [], []
    for sizes in size_chunks(m, n):
        table = pair_table(m, n, sizes)
        q_mask, p_mask = candidate_masks(As, Bs, table, margin=tol)
        g, t = np.nonzero(q_mask)
        q_parts.append(q_vertices(As, table, g, t, tol))
        g, t = np.nonzero(p_mask)
        p_parts.append(p_vertices(Bs, table, g, t, tol))
    p, q = Vertices.concat(p_parts, m), Vertices.concat(q_parts, n)
    return unique_vertices(p), unique_vertices(q)


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
    return Vertices(p.game, p.point, zero_bits | (row_bits << m), p.pair), q


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
    count = len(z)
    return unique_vertices(
        Vertices(np.zeros(count, np.intp), z, labels, np.full(count, -1, np.intp))
    )
