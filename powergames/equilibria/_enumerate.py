"""All equilibria of a batch of games: the shared kernel of support and vertex enumeration."""

from __future__ import annotations

from dataclasses import dataclass
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


def enumerate_equilibria(As: FloatArray, Bs: FloatArray, method: Method, tol: float) -> BatchEquilibria:
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
    if method == "vertex":
        p, q = poly.polytope_vertices(As, Bs, tol)
        _flag_degenerate(degenerate, p, q, m, n)
        gx, x, y = _match_labels(p, q, m, n)
    else:
        gx, x, y = _support_pairs(As, Bs, tol, degenerate)
    keep = _is_equilibrium(As, Bs, gx, x, y, tol)
    gx, x, y = gx[keep], x[keep], y[keep]
    x /= x.sum(axis=1, keepdims=True)
    y /= y.sum(axis=1, keepdims=True)
    order = np.lexsort(tuple(-np.round(np.concatenate([x, y], axis=1), 12).T[::-1]) + (gx,))
    return BatchEquilibria(gx[order], x[order], y[order], degenerate)


def _flag_degenerate(
    degenerate: NDArray[np.bool_], p: poly.Vertices, q: poly.Vertices, m: int, n: int
) -> None:
    # A vertex of P (or Q) with more than m (or n) labels is a mixed strategy with more
    # pure best responses than the size of its support (von Stengel 2007, Thm 3.6).
    degenerate[p.game[poly.popcount(p.labels) > m]] = True
    degenerate[q.game[poly.popcount(q.labels) > n]] = True


def _match_labels(
    p: poly.Vertices, q: poly.Vertices, m: int, n: int
) -> tuple[NDArray[np.intp], FloatArray, FloatArray]:
    """Pairs (x, y) of vertices of one game whose labels cover all m + n labels."""
    full = np.int64((1 << (m + n)) - 1)
    p_order, q_order = np.argsort(p.game, kind="stable"), np.argsort(q.game, kind="stable")
    pg, qg = p.game[p_order], q.game[q_order]
    games = int(max(pg.max(initial=-1), qg.max(initial=-1))) + 1
    q_count = np.bincount(qg, minlength=games)
    q_start = np.concatenate([[0], np.cumsum(q_count)[:-1]])
    per_p = q_count[pg]
    left = np.repeat(np.arange(len(pg)), per_p)
    offsets = np.arange(len(left)) - np.repeat(np.cumsum(per_p) - per_p, per_p)
    right = q_start[pg][left] + offsets
    left, right = p_order[left], q_order[right]
    complete = (p.labels[left] | q.labels[right]) == full
    left, right = left[complete], right[complete]
    return p.game[left], p.point[left].copy(), q.point[right].copy()


def _support_pairs(
    As: FloatArray, Bs: FloatArray, tol: float, degenerate: NDArray[np.bool_]
) -> tuple[NDArray[np.intp], FloatArray, FloatArray]:
    k, m, n = As.shape
    games, xs, ys, labels = [], [], [], []
    for s in range(1, min(m, n) + 1):
        q_mask, p_mask = poly.candidate_masks(As, Bs, s, margin=tol)
        triples = np.nonzero(q_mask & p_mask)
        if len(triples[0]) == 0:
            continue
        q = poly.q_vertices(As, s, triples, tol)
        p = poly.p_vertices(Bs, s, triples, tol)
        _flag_degenerate(degenerate, p, q, m, n)
        # Keep the support pairs whose two systems both gave a feasible vertex.
        shape = (k, q_mask.shape[1], q_mask.shape[2])
        q_key = np.ravel_multi_index((q.game, q.pair[:, 0], q.pair[:, 1]), shape)
        p_key = np.ravel_multi_index((p.game, p.pair[:, 0], p.pair[:, 1]), shape)
        _, iq, ip = np.intersect1d(q_key, p_key, assume_unique=True, return_indices=True)
        games.append(p.game[ip])
        xs.append(p.point[ip])
        ys.append(q.point[iq])
        labels.append(np.stack([p.labels[ip], q.labels[iq]], axis=1))
    if not games:
        return np.zeros(0, np.intp), np.zeros((0, m)), np.zeros((0, n))
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
    return (row_regret <= tol) & (col_regret <= tol)
