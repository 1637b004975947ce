"""All equilibria of a batch of games: the shared kernel of support and vertex enumeration."""

from __future__ import annotations

from dataclasses import dataclass
from math import comb
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from powergames.equilibria import _polytope as poly

FloatArray = NDArray[np.float64]
Method = Literal["support", "vertex"]


@dataclass(frozen=True)
class BatchEquilibria:
    """Equilibria of k games of one shape, as flat arrays.

    ``game[e]`` is the index of the game of equilibrium ``e``; ``row[e]`` and
    ``col[e]`` are its mixed strategies. Equilibria of one game are contiguous and
    games appear in increasing order. ``degenerate[g]`` flags the games where the
    kernel met a vertex with more labels than its dimension.
    """

    game: NDArray[np.intp]
    row: FloatArray
    col: FloatArray
    degenerate: NDArray[np.bool_]


def enumerate_equilibria(
    As: FloatArray, Bs: FloatArray, method: Method, tol: float
) -> BatchEquilibria:
    """All equilibria of each game in the batch ``(As, Bs)`` of shape ``(k, m, n)``.

    ``method="vertex"``: every extreme equilibrium, degenerate games included
    (completely labelled vertex pairs of P x Q; Avis, Rosenberg, Savani & von Stengel
    2010). ``method="support"``: pairs of supports of equal size whose two
    indifference systems have unique, feasible solutions (Algorithm 3.4 of von
    Stengel 2007); every equilibrium of a non-degenerate game.
    """
    k, m, n = As.shape
    As, Bs = poly.normalise(As), poly.normalise(Bs)
    degenerate = np.zeros(k, dtype=bool)
    p, q = vertex_sets(As, Bs, tol)
    _flag_degenerate(degenerate, p, q, m, n)
    if method == "vertex":
        gx, x, y = _match_labels(p, q, m, n, degenerate)
    else:
        gx, x, y = _support_pairs(As, Bs, tol)
    keep = _is_equilibrium(As, Bs, gx, x, y, tol)
    gx, x, y = gx[keep], x[keep], y[keep]
    x /= x.sum(axis=1, keepdims=True)
    y /= y.sum(axis=1, keepdims=True)
    # Within each game, the profile with the heaviest first strategies first.
    keys = -np.round(np.concatenate([x, y], axis=1), 12).T[::-1]
    order = np.lexsort((*keys, gx))
    return BatchEquilibria(gx[order], x[order], y[order], degenerate)


#: Vertices of a single game come from convex hulls once brute force would solve more
#: than this many support systems (C(m + n, m) before pruning).
HULL_THRESHOLD = 500


def vertex_sets(As: FloatArray, Bs: FloatArray, tol: float) -> tuple[poly.Vertices, poly.Vertices]:
    """The vertices of P and Q of every game in the batch (payoffs in [1, 2]).

    A single large game goes through qhull first; its answer is kept only when every
    vertex carries exactly as many labels as the polytope's dimension (a simple
    polytope, on which qhull is exact up to rounding). Degenerate polytopes, where
    qhull merges facets and can lose vertices, and batches use the support pairs.
    """
    k, m, n = As.shape
    if k == 1 and min(m, n) >= 2 and comb(m + n, m) > HULL_THRESHOLD:
        from scipy.spatial import QhullError

        try:
            p, q = poly.hull_vertices(As[0], Bs[0], tol)
        except QhullError:  # pragma: no cover - qhull refusing a full-dimensional input
            pass
        else:
            if (poly.popcount(p.labels) == m).all() and (poly.popcount(q.labels) == n).all():
                return p, q
    return poly.polytope_vertices(As, Bs, tol)


def _flag_degenerate(
    degenerate: NDArray[np.bool_], p: poly.Vertices, q: poly.Vertices, m: int, n: int
) -> None:
    # A vertex of P (or Q) with more than m (or n) labels is a mixed strategy with more
    # pure best responses than the size of its support (von Stengel 2007, Thm 3.6).
    degenerate[p.game[poly.popcount(p.labels) > m]] = True
    degenerate[q.game[poly.popcount(q.labels) > n]] = True


def _match_labels(
    p: poly.Vertices, q: poly.Vertices, m: int, n: int, degenerate: NDArray[np.bool_]
) -> tuple[NDArray[np.intp], FloatArray, FloatArray]:
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
    return p.game[li], p.point[li].copy(), q.point[ri].copy()


def _support_pairs(
    As: FloatArray, Bs: FloatArray, tol: float
) -> tuple[NDArray[np.intp], FloatArray, FloatArray]:
    """Support enumeration proper: for each pair of supports of equal size that
    survives the pruning, solve for ``y`` (then, where ``y`` is a feasible vertex of
    Q, for ``x``) and keep the pairs where both are feasible."""
    _, m, n = As.shape
    games, xs, ys, labels = [], [], [], []
    for sizes in poly.size_chunks(m, n):
        table = poly.pair_table(m, n, sizes)
        q_mask, p_mask = poly.candidate_masks(As, Bs, table, margin=tol)
        g, t = np.nonzero(q_mask & p_mask)
        q = poly.q_vertices(As, table, g, t, tol)
        p = poly.p_vertices(Bs, table, q.game, q.pair, tol)
        # p is q restricted to the pairs whose x is feasible too, in the same order.
        both = np.isin(q.game * len(table.size) + q.pair, p.game * len(table.size) + p.pair)
        q = q.take(both)
        games.append(p.game)
        xs.append(p.point)
        ys.append(q.point)
        labels.append(np.stack([p.labels, q.labels], axis=1))
    g, x, y = np.concatenate(games), np.concatenate(xs), np.concatenate(ys)
    # In a degenerate game one equilibrium can come from several support pairs; its
    # two label sets identify it.
    key = np.concatenate([g[:, None].astype(np.int64), np.concatenate(labels)], axis=1)
    _, first = np.unique(key, axis=0, return_index=True)
    first = np.sort(first)
    return g[first], x[first], y[first]


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
