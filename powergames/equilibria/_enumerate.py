"""All equilibria of a batch of games: the shared kernel of support and vertex enumeration."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from math import comb
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from powergames.equilibria import _polytope as poly

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Method = Literal["support", "vertex"]


@dataclass(frozen=True)
class BatchEquilibria:
    """Equilibria of k games of one shape, as flat arrays.

    ``game[e]`` is the index of the game of equilibrium ``e``; ``row[e]`` and
    ``col[e]`` are its mixed strategies, with exact zeros off their supports.
    Equilibria of one game are contiguous and games appear in increasing order.
    ``degenerate[g]`` flags the games where the kernel met a vertex with more labels
    than its dimension. ``complete`` is False when the deadline cut the search short:
    the equilibria listed are equilibria, but some may be missing.
    """

    game: NDArray[np.intp]
    row: FloatArray
    col: FloatArray
    degenerate: NDArray[np.bool_]
    complete: bool = True


#: Support pairs are solved in blocks of at most this many array entries (games x
#: support pairs x system size), which bounds memory whatever the number of games. A
#: chunk of games takes as many games as one support pair (or, from size 4, one row
#: subset's pairs) allows; its pairs are then split into blocks. (Measured on batches
#: of 10,000 games of 2x2 to 4x4, side by side in one process: against chunks of as many
#: games as all the pairs of sizes 1 to 3 together allow within 1,000,000 entries, this
#: is 9 % faster at 3x3 and 21 % at 4x4, from fewer calls per game; blocks of 1,000,000
#: or 250,000 entries were slower, from memory traffic and from calls.)
CHUNK_ENTRIES = 500_000
#: Vertices of a single game come from convex hulls once there are more than this
#: many support pairs (C(m + n, m)).
HULL_THRESHOLD = 500
#: qhull cannot be interrupted: under a deadline, convex hulls are used only for games
#: with at most this many pure strategies in all, whose hulls take milliseconds.
HULL_UNDER_DEADLINE = 30


def enumerate_equilibria(
    As: FloatArray, Bs: FloatArray, method: Method, tol: float, deadline: float | None = None
) -> BatchEquilibria:
    """All equilibria of each game in the batch ``(As, Bs)`` of shape ``(k, m, n)``,
    searched until the :func:`time.monotonic` ``deadline`` (if any).

    ``method="vertex"``: every extreme equilibrium, degenerate games included
    (completely labelled vertex pairs of P x Q; Avis, Rosenberg, Savani & von Stengel
    2010). ``method="support"``: pairs of supports of equal size whose two
    indifference systems have unique, feasible solutions (Algorithm 3.4 of von
    Stengel 2007); every equilibrium of a non-degenerate game.
    """
    k, m, n = As.shape
    chunk = max(1, CHUNK_ENTRIES // _entries_per_game(m, n))
    if k > chunk:
        parts: list[tuple[int, BatchEquilibria]] = []
        for start in range(0, k, chunk):
            if parts and _expired(deadline):
                break
            part = enumerate_equilibria(
                As[start : start + chunk], Bs[start : start + chunk], method, tol, deadline
            )
            parts.append((start, part))
        done = parts[-1][0] + len(parts[-1][1].degenerate)
        return BatchEquilibria(
            np.concatenate([p.game + start for start, p in parts]),
            np.concatenate([p.row for _, p in parts]),
            np.concatenate([p.col for _, p in parts]),
            np.concatenate([p.degenerate for _, p in parts] + [np.zeros(k - done, bool)]),
            done == k and all(p.complete for _, p in parts),
        )
    As, Bs = poly.normalise(As), poly.normalise(Bs)
    found = _by_hulls(As, Bs, tol, deadline) if method == "vertex" else None
    if found is None:
        found = _by_supports(As, Bs, method, tol, deadline)
    # Coordinates labelled zero become exact zeros; the rest is re-solved on the face.
    Bt = np.swapaxes(Bs, 1, 2)
    x = poly.snap_to_faces(Bt, found.game, found.x, found.x_zero, found.x_tight)
    y = poly.snap_to_faces(As, found.game, found.y, found.y_zero, found.y_tight)
    keep = _is_equilibrium(As, Bs, found.game, x, y, tol)
    gx, x, y = found.game[keep], x[keep], y[keep]
    x /= x.sum(axis=1, keepdims=True)
    y /= y.sum(axis=1, keepdims=True)
    # Within each game, the profile with the heaviest first strategies first.
    keys = -np.round(np.concatenate([x, y], axis=1), 12).T[::-1]
    order = np.lexsort((*keys, gx))
    return BatchEquilibria(gx[order], x[order], y[order], found.degenerate, found.complete)


def _pair_entries(w: int, m: int, n: int) -> int:
    """Array entries one support pair of width ``w <= 3`` needs in one game: its two
    systems and their constraint columns (``_polytope.small_pairs``)."""
    return 2 * (w * w + w * max(m, n))


@lru_cache(maxsize=256)
def _entries_per_game(m: int, n: int) -> int:
    """The entries one game adds to the smallest block :func:`_pair_blocks` can make:
    one support pair of sizes 1 to 3 (the pairs of one row subset when there are too many
    pairs for one table), or the pairs of one row subset of a larger size."""
    w = min(m, n, poly.PRUNE_FROM_SIZE - 1)
    by_rows = poly.small_pair_count(m, n) > poly.TABLE_PAIRS
    small = _pair_entries(w, m, n) * (max(comb(n, s) for s in range(1, w + 1)) if by_rows else 1)
    sizes = range(poly.PRUNE_FROM_SIZE, min(m, n) + 1)
    return max([small, *(comb(n, s) * max(s * s, m, n) for s in sizes)])


def _expired(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() > deadline


@dataclass(frozen=True)
class Found:
    """Candidate profiles (points of P and Q, not normalised) with their labels:
    ``x_zero``/``y_zero`` the bitmasks of their zero coordinates, ``x_tight`` the
    column player's best responses to ``x`` and ``y_tight`` the row player's to ``y``."""

    degenerate: NDArray[np.bool_]
    game: NDArray[np.intp]
    x: FloatArray
    y: FloatArray
    x_zero: IntArray
    x_tight: IntArray
    y_zero: IntArray
    y_tight: IntArray
    complete: bool = True

    @staticmethod
    def from_labels(
        degenerate: NDArray[np.bool_],
        pairs: tuple[NDArray[np.intp], FloatArray, FloatArray, IntArray, IntArray],
        m: int,
        n: int,
        complete: bool = True,
    ) -> Found:
        """From pairs ``(game, x, y, labels of x, labels of y)``, labels over ``m + n``."""
        g, x, y, lx, ly = pairs
        low = np.int64((1 << m) - 1)
        labels = (lx & low, lx >> m, ly >> m, ly & low)
        return Found(degenerate, g, x, y, *labels, complete)


def _by_hulls(As: FloatArray, Bs: FloatArray, tol: float, deadline: float | None) -> Found | None:
    """Vertex enumeration of a single large game through qhull, or None.

    qhull's answer is kept only when every vertex carries exactly as many labels as
    the polytope's dimension (a simple polytope, on which qhull is exact up to
    rounding); degenerate polytopes, where qhull merges facets and can lose
    vertices, go to the support pairs.
    """
    k, m, n = As.shape
    if k != 1 or min(m, n) < 2 or comb(m + n, m) <= HULL_THRESHOLD:
        return None
    if deadline is not None and m + n > HULL_UNDER_DEADLINE:
        return None
    from scipy.spatial import QhullError

    try:
        p, q = poly.hull_vertices(As[0], Bs[0], tol)
    except QhullError:  # pragma: no cover - qhull refusing a full-dimensional input
        return None
    if not ((poly.popcount(p.labels) == m).all() and (poly.popcount(q.labels) == n).all()):
        return None
    degenerate = np.zeros(1, dtype=bool)
    return Found.from_labels(degenerate, _match_labels(p, q, m, n, degenerate), m, n)


#: From this many games at once, the pairs of sizes 1 to 3 are solved size by size:
#: padding them all to 3 x 3 saves numpy calls on a few games but costs arithmetic on
#: many (measured: 2x2 to 4x4 games, 1 to 10,000 at once).
SIZE_BY_SIZE_FROM = 16

Block = tuple[tuple[int, ...], slice, bool]


def _pair_blocks(m: int, n: int, k: int, chunk: int) -> Iterator[Block]:
    """The blocks in which to solve the support pairs of ``k`` games, each small enough
    for ``chunk`` array entries, in the order of sizes: ``(sizes, pairs, False)`` for
    the slice ``pairs`` of a :func:`~powergames.equilibria._polytope.pair_table`
    (sizes 1 to 3 all together for a few games, size by size for many), else ``((s,),
    rows, True)`` for each slice of the row subsets of size ``s`` (made as they are
    reached: a large game has tens of thousands)."""
    yield from _small_blocks(m, n, k, chunk)
    for s in range(poly.PRUNE_FROM_SIZE, min(m, n) + 1):
        rows = comb(m, s)
        per_row = max(k, 1) * comb(n, s) * max(s * s, m, n)
        step = max(1, chunk // per_row)
        for a in range(0, rows, step):
            yield ((s,), slice(a, min(a + step, rows)), True)


@lru_cache(maxsize=256)
def _small_blocks(m: int, n: int, k: int, chunk: int) -> tuple[Block, ...]:
    """The blocks of :func:`_pair_blocks` of sizes 1 to 3."""
    blocks: list[Block] = []
    small = tuple(range(1, min(m, n, poly.PRUNE_FROM_SIZE - 1) + 1))
    groups = [small] if k < SIZE_BY_SIZE_FROM else [(s,) for s in small]
    for sizes in groups:
        count = sum(comb(m, s) * comb(n, s) for s in sizes)
        per_pair = max(k, 1) * _pair_entries(max(sizes), m, n)
        if count <= poly.TABLE_PAIRS:
            step = max(1, chunk // per_pair)
            blocks += [
                (sizes, slice(a, min(a + step, count)), False) for a in range(0, count, step)
            ]
            continue
        for s in sizes:
            rows, step = comb(m, s), max(1, chunk // (per_pair * comb(n, s)))
            blocks += [((s,), slice(a, min(a + step, rows)), True) for a in range(0, rows, step)]
    return tuple(blocks)


def _solve_block(
    As: FloatArray, Bs: FloatArray, flat: FloatArray, tol: float, block: Block
) -> poly.PairBlock:
    """One block of :func:`_pair_blocks`, solved."""
    _, m, n = As.shape
    sizes, part, by_rows = block
    if sizes[0] >= poly.PRUNE_FROM_SIZE:
        return poly.large_pairs(As, np.swapaxes(Bs, 1, 2), sizes[0], tol, part)
    if by_rows:
        return poly.small_pairs(flat, poly.block_table(m, n, sizes, part), poly.ALL, tol)
    return poly.small_pairs(flat, poly.pair_table(m, n, sizes), part, tol)


def _by_supports(
    As: FloatArray, Bs: FloatArray, method: Method, tol: float, deadline: float | None
) -> Found:
    """Solve the systems of every support pair of every game, block by block (all
    sizes up to 3 together, then size by size); then pair the vertices by labels
    (vertex enumeration) or by support pair (support enumeration). Degeneracy is read
    off the vertices' label counts."""
    k, m, n = As.shape
    flat = poly.flat_payoffs(As, Bs)
    degenerate = np.zeros(k, dtype=bool)
    p_parts, q_parts, pairs = [], [], []
    complete = True
    for index, block in enumerate(_pair_blocks(m, n, k, CHUNK_ENTRIES)):
        # The deadline is checked before every block but a first one of pure
        # strategies alone (a game too large to solve sizes 1 to 3 together): pure
        # equilibria are always found.
        if (index or block[0] != (1,)) and _expired(deadline):
            complete = False
            break
        solved = _solve_block(As, Bs, flat, tol, block)
        # A vertex with more labels than its dimension: a mixed strategy with more
        # best responses than the size of its support (von Stengel 2007, Thm 3.6).
        degenerate |= (solved.q_valid & (poly.popcount(solved.q_labels) > n)).any(axis=1)
        degenerate |= (solved.p_valid & (poly.popcount(solved.p_labels) > m)).any(axis=1)
        if method == "support":
            g, e = np.nonzero(solved.q_valid & solved.p_valid)
            x, y = solved.points(g, e, 0, m), solved.points(g, e, 1, n)
            pairs.append((g, x, y, solved.p_labels[g, e], solved.q_labels[g, e]))
        else:
            g, e = np.nonzero(solved.q_valid)
            q_parts.append(poly.Vertices(g, solved.points(g, e, 1, n), solved.q_labels[g, e]))
            g, e = np.nonzero(solved.p_valid)
            p_parts.append(poly.Vertices(g, solved.points(g, e, 0, m), solved.p_labels[g, e]))
    if method == "support":
        if not pairs:
            empty = (np.zeros(0, np.intp), np.zeros((0, m)), np.zeros((0, n)))
            return Found.from_labels(
                degenerate, (*empty, np.zeros(0, np.int64), np.zeros(0, np.int64)), m, n, complete
            )
        columns = (np.concatenate(column) for column in zip(*pairs, strict=True))
        g, x, y, x_labels, y_labels = columns
        found = _distinct(g, x, y, x_labels, y_labels, degenerate)
        return Found.from_labels(degenerate, found, m, n, complete)
    p_all = poly.unique_vertices(poly.Vertices.concat(p_parts, m), degenerate)
    q_all = poly.unique_vertices(poly.Vertices.concat(q_parts, n), degenerate)
    return Found.from_labels(
        degenerate, _match_labels(p_all, q_all, m, n, degenerate), m, n, complete
    )


Pairs = tuple[NDArray[np.intp], FloatArray, FloatArray, IntArray, IntArray]


def _match_labels(
    p: poly.Vertices, q: poly.Vertices, m: int, n: int, degenerate: NDArray[np.bool_]
) -> Pairs:
    """Pairs (x, y) of vertices of one game whose labels cover all m + n labels.

    In a non-degenerate game each vertex has exactly m (or n) labels, so y must carry
    exactly the labels x lacks: a join on (game, label set). Degenerate games need a
    superset test, done on all pairs of their vertices.
    """
    full = np.int64((1 << (m + n)) - 1)
    p_plain, q_plain = ~degenerate[p.game], ~degenerate[q.game]
    # Join: key of x is (game, complement of its labels); key of y is (game, its labels).
    p_idx, q_idx = np.flatnonzero(p_plain), np.flatnonzero(q_plain)
    p_key = poly.vertex_keys(p.game[p_idx], full & ~p.labels[p_idx], m + n)
    q_key = poly.vertex_keys(q.game[q_idx], q.labels[q_idx], m + n)
    _, ip, iq = np.intersect1d(p_key, q_key, assume_unique=True, return_indices=True)
    left, right = [p_idx[ip]], [q_idx[iq]]
    for g in np.flatnonzero(degenerate):
        pg, qg = np.flatnonzero(p.game == g), np.flatnonzero(q.game == g)
        hit_p, hit_q = np.nonzero((p.labels[pg][:, None] | q.labels[qg][None, :]) == full)
        left.append(pg[hit_p])
        right.append(qg[hit_q])
    li, ri = np.concatenate(left), np.concatenate(right)
    return p.game[li], p.point[li].copy(), q.point[ri].copy(), p.labels[li], q.labels[ri]


def _distinct(
    g: NDArray[np.intp],
    x: FloatArray,
    y: FloatArray,
    x_labels: IntArray,
    y_labels: IntArray,
    degenerate: NDArray[np.bool_],
) -> Pairs:
    """In a degenerate game one equilibrium can come from several support pairs; its
    two label sets identify it. (Only the games flagged degenerate need looking at.)"""
    suspect = np.flatnonzero(degenerate[g])
    if len(suspect) < 2:
        return g, x, y, x_labels, y_labels
    key = np.stack([g[suspect].astype(np.int64), x_labels[suspect], y_labels[suspect]], axis=1)
    _, first = np.unique(key, axis=0, return_index=True)
    keep = ~degenerate[g]
    keep[suspect[first]] = True
    return g[keep], x[keep], y[keep], x_labels[keep], y_labels[keep]


def _is_equilibrium(
    As: FloatArray, Bs: FloatArray, g: NDArray[np.intp], x: FloatArray, y: FloatArray, tol: float
) -> NDArray[np.bool_]:
    """Vectorised best-response check on normalised payoffs (range 1): regret <= tol."""
    if len(g) == 0:
        return np.zeros(0, dtype=bool)
    xn = x / x.sum(axis=1, keepdims=True)
    yn = y / y.sum(axis=1, keepdims=True)
    Ay = np.einsum("tmn,tn->tm", As[g], yn)
    xB = np.einsum("tm,tmn->tn", xn, Bs[g])
    row_regret = Ay.max(axis=1) - np.einsum("tm,tm->t", xn, Ay)
    col_regret = xB.max(axis=1) - np.einsum("tn,tn->t", xB, yn)
    passed: NDArray[np.bool_] = (row_regret <= tol) & (col_regret <= tol)
    return passed
