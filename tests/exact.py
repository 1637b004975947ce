"""An exact oracle for small bimatrix games, in rational arithmetic.

Written independently of powergames' solvers (plain Python, ``fractions.Fraction``):
it enumerates the vertices of the best-response polytopes by brute force over all
sets of tight constraints, so tests can decide disagreements between float solvers.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

Matrix = list[list[Fraction]]


def to_fractions(M) -> Matrix:  # type: ignore[no-untyped-def]
    return [[Fraction(float(v)) for v in row] for row in M]


def _solve(M: Matrix, b: list[Fraction]) -> list[Fraction] | None:
    """Unique solution of M z = b by Gauss-Jordan elimination, or None if singular."""
    n = len(M)
    rows = [[*M[i], b[i]] for i in range(n)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        p = rows[col][col]
        rows[col] = [v / p for v in rows[col]]
        for r in range(n):
            if r != col and rows[r][col] != 0:
                f = rows[r][col]
                rows[r] = [a - f * c for a, c in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] for i in range(n)]


def _shift(M: Matrix) -> Matrix:
    low = min(min(row) for row in M)
    return [[v - low + 1 for v in row] for row in M]


def polytope_vertices(M: Matrix) -> list[tuple[tuple[Fraction, ...], frozenset[int]]]:
    """Vertices (other than 0) of {z >= 0 : M z <= 1} for a positive matrix M (r x c),
    each with its set of tight constraints: ``i`` for row ``i`` of M, ``r + j`` for z_j = 0."""
    r, c = len(M), len(M[0])
    found: dict[frozenset[int], tuple[Fraction, ...]] = {}
    for s in range(1, min(r, c) + 1):
        for support in combinations(range(c), s):
            for tight in combinations(range(r), s):
                sub = [[M[i][j] for j in support] for i in tight]
                sol = _solve(sub, [Fraction(1)] * s)
                if sol is None or any(v < 0 for v in sol):
                    continue
                z = [Fraction(0)] * c
                for j, v in zip(support, sol, strict=True):
                    z[j] = v
                values = [sum(M[i][j] * z[j] for j in range(c)) for i in range(r)]
                if any(v > 1 for v in values):
                    continue
                labels = frozenset(
                    [i for i in range(r) if values[i] == 1] + [r + j for j in range(c) if z[j] == 0]
                )
                found[labels] = tuple(z)
    return [(z, labels) for labels, z in found.items()]


def extreme_equilibria(A, B) -> list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]]:  # type: ignore[no-untyped-def]
    """Every extreme Nash equilibrium of (A, B), exactly, as probability vectors."""
    A, B = _shift(to_fractions(A)), _shift(to_fractions(B))
    m, n = len(A), len(A[0])
    Bt = [[B[i][j] for i in range(m)] for j in range(n)]
    # Vertices of P = {x >= 0, B^T x <= 1}: constraints j (cols) then n + i (x_i = 0).
    P = [
        (x, frozenset((m + j) if j < n else (j - n) for j in labels))
        for x, labels in polytope_vertices(Bt)
    ]
    # Vertices of Q = {y >= 0, A y <= 1}: constraints i (rows) then m + j (y_j = 0).
    Q = polytope_vertices(A)
    everything = frozenset(range(m + n))
    result = []
    for x, lx in P:
        for y, ly in Q:
            if lx | ly == everything:
                sx, sy = sum(x), sum(y)
                result.append((tuple(v / sx for v in x), tuple(v / sy for v in y)))
    return sorted(result, reverse=True)


def is_degenerate(A, B) -> bool:  # type: ignore[no-untyped-def]
    """Exactly: some vertex of P or Q has more labels than its dimension."""
    A, B = _shift(to_fractions(A)), _shift(to_fractions(B))
    m, n = len(A), len(A[0])
    Bt = [[B[i][j] for i in range(m)] for j in range(n)]
    return any(len(lab) > m for _, lab in polytope_vertices(Bt)) or any(
        len(lab) > n for _, lab in polytope_vertices(A)
    )


def is_equilibrium(A, B, x, y) -> bool:  # type: ignore[no-untyped-def]
    """Exact best-response test of the profile (x, y) (floats read exactly)."""
    A, B = to_fractions(A), to_fractions(B)
    x = [Fraction(float(v)) for v in x]
    y = [Fraction(float(v)) for v in y]
    m, n = len(A), len(A[0])
    Ay = [sum(A[i][j] * y[j] for j in range(n)) for i in range(m)]
    xB = [sum(x[i] * B[i][j] for i in range(m)) for j in range(n)]
    return all(Ay[i] == max(Ay) for i in range(m) if x[i] > 0) and all(
        xB[j] == max(xB) for j in range(n) if y[j] > 0
    )
