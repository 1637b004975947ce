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


#: Games are processed in chunks of at most this many array entries (games x support
#: pairs x system size), which bounds memory whatever the number of games.
CHUNK_ENTRIES = 4_000_000
#: Vertices of a single game come from convex hulls once there are more than this
#: many support pairs (C(m + n, m)).
HULL_THRESHOLD = 500


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
    per_game = max(comb(m, s) * comb(n, s) * max(s * s, m, n) for s in range(1, min(m, n) + 1))
    chunk = max(1, CHUNK_ENTRIES // per_game)
    if k > chunk:
        parts = [
            enumerate_equilibria(As[start : start + chunk], Bs[start : start + chunk], method, tol)
            for start in range(0, k, chunk)
        ]
        return BatchEquilibria(
            np.concatenate(
                [p.game + start for p, start in zip(parts, range(0, k, chunk), strict=True)]
            ),
            np.concatenate([p.row for p in parts]),
            np.concatenate([p.col for p in parts]),
            np.concatenate([p.degenerate for p in parts]),
        )
    As, Bs = poly.normalise(As), poly.normalise(Bs)
    found = _by_hulls(As, Bs, tol) if method == "vertex" else None
    if found is None:
        found = _by_supports(As, Bs, method, tol)
    degenerate, gx, x, y = found
    keep = _is_equilibrium(As, Bs, gx, x, y, tol)
    gx, x, y = gx[keep], x[keep], y[keep]
    x /= x.sum(axis=1, keepdims=True)
    y /= y.sum(axis=1, keepdims=True)
    # Within each game, the profile with the heaviest first strategies first.
    keys = -np.round(np.concatenate([x, y], axis=1), 12).T[::-1]
    order = np.lexsort((*keys, gx))
    return BatchEquilibria(gx[order], x[order], y[order], degenerate)


Found = tuple[NDArray[np.bool_], NDArray[np.intp], FloatArray, FloatArray]


def _by_hulls(As: FloatArray, Bs: FloatArray, tol: float) -> Found | None:
    """Vertex enumeration of a single large game through qhull, or None.

    qhull's answer is kept only when every vertex carries exactly as many labels as
    the polytope's dimension (a simple polytope, on which qhull is exact up to
    rounding); degenerate polytopes, where qhull merges facets and can lose
    vertices, go to the support pairs.
    """
    k, m, n = As.shape
    if k != 1 or min(m, n) < 2 or comb(m + n, m) <= HULL_THRESHOLD:
        return None
    from scipy.spatial import QhullError

    try:
        p, q = poly.hull_vertices(As[0], Bs[0], tol)
    except QhullError:  # pragma: no cover - qhull refusing a full-dimensional input
        return None
    if not ((poly.popcount(p.labels) == m).all() and (poly.popcount(q.labels) == n).all()):
        return None
    degenerate = np.zeros(1, dtype=bool)
    return (degenerate, *_match_labels(p, q, m, n, degenerate))


def _by_supports(As: FloatArray, Bs: FloatArray, method: Method, tol: float) -> Found:
    """Solve the systems of every support pair of every game, size by size; then pair
    the vertices by labels (vertex enumeration) or by support pair (support
    enumeration). Degeneracy is read off the vertices' label counts."""
    k, m, n = As.shape
    Bt = np.swapaxes(Bs, 1, 2)
    degenerate = np.zeros(k, dtype=bool)
    p_parts, q_parts, pairs = [], [], []
    for s in range(1, min(m, n) + 1):
        q = poly.support_solutions(As, s, tol)  # [g, row subset, column subset]
        p = poly.support_solutions(Bt, s, tol)  # [g, column subset, row subset]
        q_labels = q.tight | (q.zero << m)
        p_labels = (p.zero | (p.tight << m)).transpose(0, 2, 1)
        p_valid = p.valid.transpose(0, 2, 1)
        # A vertex with more labels than its dimension: a mixed strategy with more best
        # responses than the size of its support (von Stengel 2007, Theorem 3.6).
        degenerate[np.nonzero(q.valid & (poly.popcount(q_labels) > n))[0]] = True
        degenerate[np.nonzero(p_valid & (poly.popcount(p_labels) > m))[0]] = True
        if method == "support":
            g, a, b = np.nonzero(q.valid & p_valid)
            rows, _ = poly.subsets(m, s)
            cols, _ = poly.subsets(n, s)
            x = _scatter(p.z[g, b, a], rows[a], m)
            y = _scatter(q.z[g, a, b], cols[b], n)
            pairs.append((g, x, y, p_labels[g, a, b], q_labels[g, a, b]))
        else:
            g, y, a, b = poly.support_points(q, q.valid, n, s)
            q_parts.append(poly.Vertices(g, y, q_labels[g, a, b]))
            g, x, a, b = poly.support_points(p, p.valid, m, s)
            p_parts.append(poly.Vertices(g, x, p_labels[g, b, a]))
    if method == "support":
        g, x, y, x_labels, y_labels = (
            np.concatenate(column) for column in zip(*pairs, strict=True)
        )
        return (degenerate, *_distinct(g, x, y, x_labels, y_labels, degenerate))
    p_all = poly.unique_vertices(poly.Vertices.concat(p_parts, m), degenerate)
    q_all = poly.unique_vertices(poly.Vertices.concat(q_parts, n), degenerate)
    return (degenerate, *_match_labels(p_all, q_all, m, n, degenerate))


def _scatter(z: FloatArray, index: NDArray[np.intp], dim: int) -> FloatArray:
    point = np.zeros((len(z), dim))
    np.put_along_axis(point, index, z, axis=1)
    return point


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


def _distinct(
    g: NDArray[np.intp],
    x: FloatArray,
    y: FloatArray,
    x_labels: NDArray[np.int64],
    y_labels: NDArray[np.int64],
    degenerate: NDArray[np.bool_],
) -> tuple[NDArray[np.intp], FloatArray, FloatArray]:
    """In a degenerate game one equilibrium can come from several support pairs; its
    two label sets identify it. (Only the games flagged degenerate need looking at.)"""
    suspect = np.flatnonzero(degenerate[g])
    if len(suspect) < 2:
        return g, x, y
    key = np.stack([g[suspect].astype(np.int64), x_labels[suspect], y_labels[suspect]], axis=1)
    _, first = np.unique(key, axis=0, return_index=True)
    keep = ~degenerate[g]
    keep[suspect[first]] = True
    return g[keep], x[keep], y[keep]


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
