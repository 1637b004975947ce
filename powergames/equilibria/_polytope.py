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
rows ``I``; it solves ``A[I, J] z = 1``. For each size ``s`` we solve these
systems for every *support pair* ``(I, J)`` of every game at once, on dense arrays
of shape ``(games, row subsets, column subsets, ...)``: the submatrices are gathered
with two ``take``s along small axes, systems of size up to 3 are solved by Cramer's
rule in array arithmetic, larger ones by stacked LAPACK solves. From size 4 on
(:data:`PRUNE_FROM_SIZE`), pairs in which some row of ``I`` is strictly dominated on
the columns ``J`` by another row are skipped before solving (such a row is no best
response to any ``y`` supported in ``J``): the pruning removes no vertex.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from math import comb

import numpy as np
from numpy.typing import NDArray

from powergames.equilibria._systems import cramer, solve_stack

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Index = NDArray[np.intp]

#: Largest ``m + n`` for which label sets fit in one int64 bitmask (the public solvers
#: refuse larger games before any work).
MAX_LABELS = 62
#: Every subset: the default block of :func:`support_solutions`.
ALL = slice(None)
#: From this support size on, pairs with a dominated strategy are skipped and the rest
#: go through LAPACK; below it, solving every pair densely by Cramer's rule is cheaper
#: than selecting.
PRUNE_FROM_SIZE = 4


def normalise(M: FloatArray) -> FloatArray:
    """Map each game's payoffs affinely onto [1, 2] (constant matrices become all 1).

    Positive affine maps of one player's payoffs change neither best responses nor
    equilibria; they make the tolerances relative to the payoff range. A range beyond
    the largest double (payoffs near +-1.8e308) is computed on halved payoffs, which
    is exact but for subnormal numbers, far below the range's resolution.
    """
    low = M.min(axis=(1, 2), keepdims=True)
    high = M.max(axis=(1, 2), keepdims=True)
    with np.errstate(over="ignore"):
        span = high - low
    if np.isinf(span).any():
        return normalise(0.5 * M)
    span[span == 0] = 1.0
    normalised: FloatArray = 1.0 + (M - low) / span
    return normalised


def _bit_weights(n: int) -> IntArray:
    return np.int64(1) << np.arange(n, dtype=np.int64)


@lru_cache(maxsize=256)
def subsets(n: int, s: int) -> tuple[Index, IntArray]:
    """All ``s``-subsets of ``range(n)`` as an index array ``(C, s)`` and bitmasks ``(C,)``."""
    index = np.array(list(combinations(range(n), s)), dtype=np.intp).reshape(-1, s)
    bits = (np.int64(1) << index.astype(np.int64)).sum(axis=1).astype(np.int64)
    index.setflags(write=False)
    bits.setflags(write=False)
    return index, bits


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


@dataclass(frozen=True)
class Vertices:
    """Vertices of one best-response polytope for a batch of games.

    ``game[t]`` is the game of vertex ``t``; ``point[t]`` its coordinates in the
    polytope (not normalised to sum 1); ``labels[t]`` its label bitmask over
    ``m + n`` labels.
    """

    game: Index
    point: FloatArray
    labels: IntArray

    def take(self, keep: NDArray[np.bool_] | Index) -> Vertices:
        return Vertices(self.game[keep], self.point[keep], self.labels[keep])

    @staticmethod
    def concat(parts: list[Vertices], dim: int) -> Vertices:
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return Vertices(np.zeros(0, np.intp), np.zeros((0, dim)), np.zeros(0, np.int64))
        return Vertices(
            np.concatenate([p.game for p in parts]),
            np.concatenate([p.point for p in parts]),
            np.concatenate([p.labels for p in parts]),
        )


@dataclass(frozen=True)
class PairBlock:
    """The two systems of a block of support pairs ``(I, J)`` (``|I| = |J|``), solved
    in every game of a batch.

    Pair ``e`` of game ``g`` gives a vertex of Q with support ``J`` and tight rows
    ``I`` where ``q_valid[g, e]`` (its coordinates ``y[g, e]``, on the columns
    ``cols[e]``), and a vertex of P with support ``I`` and best responses ``J`` where
    ``p_valid[g, e]`` (``x[g, e]``, on the rows ``rows[e]``). Index lists shorter than
    their width are padded with ``m`` (rows) or ``n`` (columns), whose coordinates
    are dropped. Labels are bitmasks over the ``m + n`` labels.
    """

    q_valid: NDArray[np.bool_]
    p_valid: NDArray[np.bool_]
    y: FloatArray
    x: FloatArray
    q_labels: IntArray
    p_labels: IntArray
    rows: Index
    cols: Index

    def points(self, g: Index, e: Index, player: int, dim: int) -> FloatArray:
        """The points of pairs ``e`` of games ``g`` in full: ``x`` (``player`` 0,
        ``dim = m``) or ``y`` (1, ``dim = n``)."""
        index, z = (self.rows, self.x) if player == 0 else (self.cols, self.y)
        point = np.zeros((len(g), dim + 1))  # the padding's coordinates land in the last
        point[np.arange(len(g))[:, None], index[e]] = z[g, e]
        return point[:, :dim]


def large_pairs(As: FloatArray, Bt: FloatArray, s: int, tol: float, block: slice) -> PairBlock:
    """The pairs of size ``s >= 4`` whose row subsets are in ``block`` (of
    :func:`subsets`), every column subset for each: :func:`support_solutions` of Q
    and of P, flattened to one pair axis."""
    k, m, n = As.shape
    q = support_solutions(As, s, tol, row_block=block)  # [g, row subset, col subset]
    p = support_solutions(Bt, s, tol, col_block=block)  # [g, col subset, row subset]
    rows, cols = subsets(m, s)[0][block], subsets(n, s)[0]
    N = len(rows) * len(cols)
    return PairBlock(
        q.valid.reshape(k, N),
        p.valid.transpose(0, 2, 1).reshape(k, N),
        q.z.reshape(k, N, s),
        p.z.transpose(0, 2, 1, 3).reshape(k, N, s),
        (q.tight | (q.zero << m)).reshape(k, N),
        (p.zero | (p.tight << m)).transpose(0, 2, 1).reshape(k, N),
        np.repeat(rows, len(cols), axis=0),
        np.tile(cols, (len(rows), 1)),
    )


@dataclass(frozen=True)
class PairTable:
    """Index tables of support pairs of sizes up to 3 of an ``m x n`` game, in the
    order of size, row subset (:func:`subsets`), column subset; ``N`` pairs, of
    width ``w``, the largest size.

    Every pair has two systems, padded to ``w x w`` (:func:`cramer`): first the ``N``
    systems ``A[I, J] y = 1`` of Q, then the ``N`` systems ``B[I, J]^T x = 1`` of P.
    The tables index the flat payoffs of a game, ``[A.ravel(), B.ravel(), 0, 1]``.
    """

    size: Index  # (N,) |I| = |J|
    rows: Index  # (N, w) I, padded with m
    cols: Index  # (N, w) J, padded with n
    system: Index  # (w, w, 2N) the entries of each system
    values: Index  # (w, 2N, R) column t of each constraint row (R = max(m, n))
    tight_bits: IntArray  # (2N, R) the label of each constraint row
    zero_bits: IntArray  # (2N,) the labels of the coordinates off the support
    vanishing_bits: IntArray  # (w, 2N) the label of each coordinate on it


#: Up to this many pairs of sizes 1 to 3 in all (games of up to about 15 strategies a
#: side), they are solved together from one index table per shape, built once; beyond,
#: size by size from tables built for each block of row subsets.
TABLE_PAIRS = 100_000


def small_pair_count(m: int, n: int) -> int:
    """The number of support pairs of sizes 1 to 3 of an ``m x n`` game."""
    return sum(comb(m, s) * comb(n, s) for s in range(1, min(m, n, PRUNE_FROM_SIZE - 1) + 1))


@lru_cache(maxsize=64)
def pair_table(m: int, n: int, sizes: tuple[int, ...]) -> PairTable:
    """The :class:`PairTable` of all pairs of the given sizes (up to 3) of the
    ``m x n`` games (built once per shape, up to :data:`TABLE_PAIRS` pairs)."""
    return block_table(m, n, sizes, ALL)


def block_table(m: int, n: int, sizes: tuple[int, ...], block: slice) -> PairTable:
    """The :class:`PairTable` of the pairs of the given sizes (up to 3) whose row
    subsets are in ``block`` (a slice of each size's :func:`subsets`)."""
    mn, R, w = m * n, max(m, n), max(sizes)
    zero, one = 2 * mn, 2 * mn + 1
    rows_, cols_, sizes_ = [], [], []
    for s in sizes:
        row_subsets, col_subsets = subsets(m, s)[0][block], subsets(n, s)[0]
        count = len(row_subsets) * len(col_subsets)
        pad = [(0, 0), (0, w - s)]
        rows_.append(np.pad(np.repeat(row_subsets, len(col_subsets), 0), pad, constant_values=m))
        cols_.append(np.pad(np.tile(col_subsets, (len(row_subsets), 1)), pad, constant_values=n))
        sizes_.append(np.full(count, s))
    rows, cols, size = np.concatenate(rows_), np.concatenate(cols_), np.concatenate(sizes_)
    inside = np.arange(w) < size[:, None]  # (N, w): t < s
    both = inside[:, :, None] & inside[:, None, :]
    identity = np.where(np.eye(w, dtype=bool), one, zero)
    # Q: entry (p, q) is A[I_p, J_q]; P: entry (p, q) is B^T[J_p, I_q] = B[I_q, J_p].
    q_system = np.where(both, rows[:, :, None] * n + cols[:, None, :], identity)
    p_system = np.where(both, mn + rows[:, None, :] * n + cols[:, :, None], identity)
    line = np.arange(R)
    # Q's constraint rows are the m rows of A y <= 1; P's the n columns of B^T x <= 1.
    q_values = np.where(inside.T[:, :, None] & (line < m), line * n + cols.T[:, :, None], zero)
    p_values = np.where(inside.T[:, :, None] & (line < n), mn + rows.T[:, :, None] * n + line, zero)
    one_bit = np.int64(1)
    q_tight = np.where(line < m, one_bit << line, 0)
    p_tight = np.where(line < n, one_bit << (m + line), 0)
    N = len(size)
    row_bits = np.where(inside, one_bit << rows, 0)
    col_bits = np.where(inside, one_bit << (m + cols), 0)
    return PairTable(
        size,
        rows,
        cols,
        np.concatenate([q_system, p_system]).transpose(1, 2, 0).copy(),
        np.concatenate([q_values, p_values], axis=1),
        np.concatenate([np.tile(q_tight, (N, 1)), np.tile(p_tight, (N, 1))]).astype(np.int64),
        np.concatenate(
            [
                ((one_bit << m + n) - (one_bit << m)) & ~col_bits.sum(axis=1),
                ((one_bit << m) - 1) & ~row_bits.sum(axis=1),
            ]
        ),
        np.concatenate([col_bits, row_bits]).T.copy(),
    )


def flat_payoffs(As: FloatArray, Bs: FloatArray) -> FloatArray:
    """The payoffs the :class:`PairTable` indexes, one column per game:
    ``(2 m n + 2, k)``."""
    k, m, n = As.shape
    flat = np.concatenate(
        [As.reshape(k, m * n), Bs.reshape(k, m * n), np.zeros((k, 1)), np.ones((k, 1))], 1
    )
    return np.ascontiguousarray(flat.T)


def small_pairs(flat: FloatArray, table: PairTable, block: slice, tol: float) -> PairBlock:
    """The pairs ``block`` of ``table``, in every game of ``flat``
    (:func:`flat_payoffs`): both systems of every pair, all its sizes at once, by
    :func:`cramer`, then the checks ``z >= 0`` and ``M z <= 1`` over every
    constraint, whose tight rows and vanishing coordinates give the labels."""
    N = len(table.size)
    if block == ALL or (block.start in (0, None) and block.stop >= N):
        pick: slice | Index = ALL
    else:
        pick = np.r_[block, N + np.arange(N)[block]]
    system, values = table.system[:, :, pick], table.values[:, pick]
    mixed = table.size[0] != table.size[-1]
    size = np.concatenate([table.size, table.size])[pick][:, None] if mixed else None
    z, ok = cramer(flat[system], size)  # (w, 2N, k), (2N, k)
    ok &= (z >= -tol).all(axis=0)
    np.maximum(z, 0.0, out=z)
    np.multiply(z, ok, out=z)  # 0 off the feasible systems (z is finite)
    column = flat[values]  # (w, 2N, R, k)
    value = column[0] * z[0][:, None]
    for t in range(1, len(z)):
        column[t] *= z[t][:, None]
        value += column[t]
    # Row by row and coordinate by coordinate: reductions over these short axes of
    # (pairs, rows, games) arrays cost more in numpy than the loops.
    # (2N, 1): the first constraint row's labels broadcast it to (2N, k).
    valid, labels = ok, table.zero_bits[pick][:, None]
    tight_bits, vanishing_bits = table.tight_bits[pick], table.vanishing_bits[:, pick]
    for i in range(value.shape[1]):
        valid = valid & (value[:, i] <= 1.0 + tol)
        labels = labels | ((value[:, i] >= 1.0 - tol) * tight_bits[:, i, None])
    for t in range(len(z)):
        labels |= (z[t] <= tol) * vanishing_bits[t][:, None]
    half = len(valid) // 2
    rows, cols = table.rows[block], table.cols[block]
    return PairBlock(
        valid[:half].T,
        valid[half:].T,
        z[:, :half].transpose(2, 1, 0),
        z[:, half:].transpose(2, 1, 0),
        labels[:half].T,
        labels[half:].T,
        rows,
        cols,
    )


@dataclass(frozen=True)
class SupportSolutions:
    """The systems of every support pair of one size ``s`` in every game, solved.

    For ``{z >= 0 : M z <= 1}`` with ``M`` of shape ``(k, r, c)``: entry
    ``[g, a, b]`` is the pair whose tight rows are the ``a``-th ``s``-subset of
    ``range(r)`` and whose support is the ``b``-th ``s``-subset of ``range(c)``.
    ``valid`` marks the pairs whose solution is a feasible point (a vertex), ``z`` its
    coordinates on the support, ``tight`` and ``zero`` the bitmasks of its tight rows
    and of its zero coordinates.
    """

    valid: NDArray[np.bool_]
    z: FloatArray
    tight: IntArray
    zero: IntArray


def support_solutions(
    M: FloatArray, s: int, tol: float, row_block: slice = ALL, col_block: slice = ALL
) -> SupportSolutions:
    """Solve ``M[g][I, J] z = 1`` for all games ``g`` and ``s``-subsets ``I`` (rows),
    ``J`` (columns), ``s >= 4``, and check ``z >= 0`` and ``M[g][:, J] z <= 1``.

    ``row_block`` and ``col_block`` select blocks of the row and column subsets (in
    the order of :func:`subsets`); the result's indices count from the blocks' starts.
    Pairs with a dominated row are skipped; the others go through LAPACK
    (:func:`solve_stack`). Smaller sizes: :func:`small_pairs`.
    """
    _, r, c = M.shape
    rows, row_bits = (a[row_block] for a in subsets(r, s))
    cols, col_bits = (a[col_block] for a in subsets(c, s))
    # sub[g, a, b] = M[g][rows[a]][:, cols[b]], gathered along the two small axes.
    sub = np.take(np.take(M, rows, axis=1), cols, axis=3).transpose(0, 1, 3, 2, 4)
    shape = sub.shape[:3]
    undominated = undominated_rows(M, col_bits, margin=tol)  # (k, C(c, s))
    candidate = (row_bits[None, :, None] & ~undominated[:, None, :]) == 0
    z = np.zeros((*shape, s))
    ok = np.zeros(shape, dtype=bool)
    z[candidate], ok[candidate] = solve_stack(sub[candidate])
    with np.errstate(invalid="ignore"):
        ok &= (z >= -tol).all(axis=-1)
    z = np.where(ok[..., None], np.maximum(z, 0.0), 0.0)
    # values[g, a, b, i] = sum_t M[g, i, cols[b, t]] z[g, a, b, t]
    values = np.einsum("gibt,gabt->gabi", np.take(M, cols, axis=2), z)
    valid = ok & (values <= 1.0 + tol).all(axis=-1)
    tight = (values >= 1.0 - tol).astype(np.int64) @ _bit_weights(r)
    outside = ((np.int64(1) << c) - 1) & ~col_bits  # coordinates off the support are 0
    vanishing = ((z <= tol) * (np.int64(1) << cols.astype(np.int64))).sum(axis=-1)
    return SupportSolutions(valid, z, tight, outside[None, None, :] | vanishing)


def popcount(bits: IntArray) -> Index:
    """Number of set bits of each int64."""
    if hasattr(np, "bitwise_count"):  # numpy >= 2.0
        return np.bitwise_count(bits).astype(np.intp)
    counts = np.zeros(bits.shape, dtype=np.intp)
    work = bits.copy()
    while work.any():
        counts += (work & 1).astype(np.intp)
        work >>= 1
    return counts


def unique_vertices(v: Vertices, degenerate: NDArray[np.bool_] | None = None) -> Vertices:
    """Drop repeated vertices: a vertex is determined by its label set (its tight
    constraints have full rank), so ``(game, labels)`` identifies it.

    Only degenerate polytopes have a vertex found from several support pairs; when
    the games' ``degenerate`` flags are given, only their vertices are examined.
    """
    suspect = np.ones(len(v.game), bool) if degenerate is None else degenerate[v.game]
    if suspect.sum() < 2:
        return v
    index = np.flatnonzero(suspect)
    width = int(v.labels[index].max()).bit_length()
    _, first = np.unique(vertex_keys(v.game[index], v.labels[index], width), return_index=True)
    keep = ~suspect
    keep[index[first]] = True
    return v.take(keep)


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
    batch, from the systems of all support pairs."""
    _, m, n = As.shape
    flat, Bt = flat_payoffs(As, Bs), np.swapaxes(Bs, 1, 2)
    blocks = [
        small_pairs(flat, block_table(m, n, (s,), ALL), ALL, tol)
        if s < PRUNE_FROM_SIZE
        else large_pairs(As, Bt, s, tol, ALL)
        for s in range(1, min(m, n) + 1)
    ]
    p_parts, q_parts = [], []
    for block in blocks:
        g, e = np.nonzero(block.q_valid)
        q_parts.append(Vertices(g, block.points(g, e, 1, n), block.q_labels[g, e]))
        g, e = np.nonzero(block.p_valid)
        p_parts.append(Vertices(g, block.points(g, e, 0, m), block.p_labels[g, e]))
    p_all, q_all = Vertices.concat(p_parts, m), Vertices.concat(q_parts, n)
    return unique_vertices(p_all), unique_vertices(q_all)


def hull_vertices(A: FloatArray, B: FloatArray, tol: float) -> tuple[Vertices, Vertices]:
    """The vertices of P and Q of one game (payoffs already in [1, 2]) from convex hulls.

    By polarity, the vertices of a polytope ``{z : a_k . (z - z0) <= beta_k}`` with
    ``z0`` interior are the facets of the convex hull of the points ``a_k / beta_k``
    (Ziegler 1995, section 2.3); qhull (Barber, Dobkin & Huhdanpaa 1996) computes that
    hull. Labels are then read off the constraints with tolerance ``tol``, which also
    merges the several simplices qhull returns for one vertex of a degenerate
    polytope.
    """
    m, n = A.shape
    q = _hull_vertices_of(A, tol)
    p = _hull_vertices_of(B.T, tol)
    # P's labels: rows of B^T (columns j of the game) are labels m + j; x_i = 0 is label i.
    row_bits = p.labels & ((np.int64(1) << n) - 1)
    zero_bits = p.labels >> n
    return Vertices(p.game, p.point, zero_bits | (row_bits << m)), q


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
    return unique_vertices(Vertices(np.zeros(len(z), np.intp), z, labels))


#: A coordinate labelled zero whose value is at most this fraction of the vertex's
#: largest coordinate is round-off: set to 0 without re-solving the vertex.
SNAP_ROUND_OFF = 1e-12
#: A re-solved vertex is kept only if its system's R factor has a reciprocal diagonal
#: ratio above this (the tight constraints of a vertex have full column rank).
FACE_RCOND_MIN = 1e-12


def _face_solve(system: FloatArray) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Solve ``system[t] z = 1`` (``(S, a, b)``, ``a >= b``, full column rank): square
    systems by LU, like the support pairs (so that both paths give the same floats),
    taller ones (degenerate vertices) by least squares through QR."""
    S, a, b = system.shape
    if a == b:
        try:  # the LAPACK call of solve_stack, without its regularity test
            square = np.linalg.solve(system, np.ones((S, a, 1)))[..., 0].astype(np.float64)
        except np.linalg.LinAlgError:
            return solve_stack(system)
        return square, np.asarray(np.isfinite(square).all(axis=1))
    q, R = np.linalg.qr(system)
    diagonal = np.abs(np.diagonal(R, axis1=1, axis2=2))
    ok = diagonal.min(axis=1) > FACE_RCOND_MIN * diagonal.max(axis=1)
    solved: FloatArray = np.full((S, b), np.nan)
    if ok.any():
        rhs = q[ok].sum(axis=1)  # Q^T 1
        solved[ok] = np.linalg.solve(R[ok], rhs[..., None])[..., 0]
    return solved, ok


def snap_to_faces(
    M: FloatArray, game: Index, z: FloatArray, zero: IntArray, tight: IntArray
) -> FloatArray:
    """Vertices ``z`` of ``{z >= 0 : M z <= 1}`` with the coordinates their labels call
    zero set to exactly 0, and the others re-solved from the tight constraints.

    ``zero`` holds the bitmasks of the zero coordinates (``c`` bits) and ``tight``
    those of the tight rows (``r`` bits) of each vertex; ``M`` is ``(k, r, c)`` and
    ``game`` the game of each vertex. A vertex computed from convex hulls, or from a
    support system whose solution has a coordinate within the tolerance of 0, carries
    round-off such as 1e-17 where its label says 0: left there it would count as a
    strategy played with positive probability. The rest of such a vertex is the
    solution of ``M[I, J] z_J = 1`` over its tight rows ``I`` and its support ``J``
    (a vertex's tight constraints have full column rank on its support), solved by LU
    when square and by least squares otherwise, stacked over the vertices of one shape.
    Only vertices with a snapped coordinate above round-off (:data:`SNAP_ROUND_OFF`
    of their largest) are re-solved: setting round-off to 0 moves a vertex by less
    than its own rounding error (vertices from convex hulls have coordinates like
    1e-17 where they vanish).
    """
    _, r, c = M.shape
    is_zero = ((zero[:, None] >> np.arange(c, dtype=np.int64)) & 1).astype(bool)
    if not (is_zero & ((z != 0) | np.signbit(z))).any():  # each is +0 already
        return z
    z = z.copy()
    threshold = SNAP_ROUND_OFF * np.abs(z).max(axis=1, keepdims=True)
    moved = np.flatnonzero((is_zero & (np.abs(z) > threshold)).any(axis=1))
    z[is_zero] = 0.0
    if len(moved) == 0:
        return z
    is_tight = ((tight[moved, None] >> np.arange(r, dtype=np.int64)) & 1).astype(bool)
    on_support = ~is_zero[moved]
    tight_count, support_size = is_tight.sum(axis=1), on_support.sum(axis=1)
    shape_key = tight_count * (c + 1) + support_size
    for key in np.unique(shape_key).tolist():
        a, b = divmod(key, c + 1)
        if not a >= b > 0:  # pragma: no cover - a vertex has enough tight constraints
            continue
        pick = np.flatnonzero(shape_key == key)
        rows = np.nonzero(is_tight[pick])[1].reshape(len(pick), a)
        cols = np.nonzero(on_support[pick])[1].reshape(len(pick), b)
        system = M[game[moved[pick]][:, None, None], rows[:, :, None], cols[:, None, :]]
        solved, ok = _face_solve(system)
        fine = ok & (solved > 0).all(axis=1)
        z[moved[pick[fine]][:, None], cols[fine]] = solved[fine]
    return z
