"""An exact oracle for small bimatrix games, in rational arithmetic.

Written independently of powergames' solvers (plain Python, ``fractions.Fraction``):
it enumerates the vertices of the best-response polytopes by brute force over all
sets of tight constraints, so tests can decide disagreements between float solvers.
"""

from __future__ import annotations

import re
from fractions import Fraction
from itertools import combinations
from math import gcd

Matrix = list[list[Fraction]]


def to_fractions(M) -> Matrix:  # type: ignore[no-untyped-def]
    """Exact values: Fractions and ints as they are, floats by their exact binary value."""
    return [[v if isinstance(v, (Fraction, int)) else Fraction(float(v)) for v in row] for row in M]


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


def _solve_integers(M: list[list[int]], b: list[int]) -> tuple[list[int], int] | None:
    """``M z = b`` over the integers by fraction-free Gauss-Jordan elimination (every
    division is exact; Bareiss 1968): ``(numerators, denominator)`` with
    ``z = numerators / denominator``, or None if ``M`` is singular."""
    n = len(M)
    rows = [[*M[i], b[i]] for i in range(n)]
    previous = 1
    for col in range(n):
        pivot = next((r for r in range(col, n) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        p = rows[col][col]
        for r in range(n):
            if r != col:
                f = rows[r][col]
                rows[r] = [
                    (p * a - f * c) // previous for a, c in zip(rows[r], rows[col], strict=True)
                ]
        previous = p
    # Every diagonal entry is now the last pivot, +-det(M).
    return [rows[i][n] for i in range(n)], previous


def polytope_vertices(M: Matrix) -> list[tuple[tuple[Fraction, ...], frozenset[int]]]:
    """Vertices (other than 0) of {z >= 0 : M z <= 1} for a positive matrix M (r x c),
    each with its set of tight constraints: ``i`` for row ``i`` of M, ``r + j`` for z_j = 0.

    Brute force over every square system of ``s`` tight rows and ``s`` support columns,
    solved in integers: ``M`` times the common denominator ``D`` of its entries, with
    right-hand side ``D``."""
    r, c = len(M), len(M[0])
    D = 1
    for row in M:
        for v in row:
            D = D * v.denominator // gcd(D, v.denominator)
    N = [[int(v * D) for v in row] for row in M]
    found: dict[frozenset[int], tuple[Fraction, ...]] = {}
    for s in range(1, min(r, c) + 1):
        for support in combinations(range(c), s):
            columns = [[N[i][j] for j in support] for i in range(r)]
            for tight in combinations(range(r), s):
                solution = _solve_integers([columns[i] for i in tight], [D] * s)
                if solution is None:
                    continue
                numerators, det = solution
                if det < 0:
                    numerators, det = [-v for v in numerators], -det
                if any(v < 0 for v in numerators):
                    continue
                # (M z)_i <= 1  <=>  sum_j N[i][j] numerators_j <= D det.
                values = [
                    sum(a * v for a, v in zip(row, numerators, strict=True)) for row in columns
                ]
                if any(v > D * det for v in values):
                    continue
                z = [Fraction(0)] * c
                for j, v in zip(support, numerators, strict=True):
                    z[j] = Fraction(v, det)
                labels = frozenset(
                    [i for i in range(r) if values[i] == D * det]
                    + [r + j for j in range(c) if z[j] == 0]
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


def equilibrium_on_supports(A, B, rows, cols):  # type: ignore[no-untyped-def]
    """The equilibrium with supports ``rows`` (I) and ``cols`` (J) of equal size, exactly:
    ``y`` on J makes the rows of I indifferent, ``x`` on I the columns of J; None unless
    both solutions are unique, sum to 1, are positive on their supports, and no
    strategy earns more than the supports (a genuine equilibrium on exactly I x J)."""
    A, B = to_fractions(A), to_fractions(B)
    m, n = len(A), len(A[0])
    I, J = list(rows), list(cols)
    if len(I) != len(J):
        return None
    # Unknowns (y_J, v): A[i, J] y_J - v = 0 for i in I, sum y_J = 1; likewise for x.
    k = len(I)
    y_sys = [[A[i][j] for j in J] + [Fraction(-1)] for i in I] + [[Fraction(1)] * k + [Fraction(0)]]
    x_sys = [[B[i][j] for i in I] + [Fraction(-1)] for j in J] + [[Fraction(1)] * k + [Fraction(0)]]
    rhs = [Fraction(0)] * k + [Fraction(1)]
    ys, xs = _solve(y_sys, rhs), _solve(x_sys, rhs)
    if ys is None or xs is None or min(ys[:k]) <= 0 or min(xs[:k]) <= 0:
        return None
    x, y = [Fraction(0)] * m, [Fraction(0)] * n
    for i, v in zip(I, xs[:k], strict=True):
        x[i] = v
    for j, v in zip(J, ys[:k], strict=True):
        y[j] = v
    if not is_equilibrium_exact(A, B, x, y):
        return None
    return x, y


def is_equilibrium_exact(A, B, x, y) -> bool:  # type: ignore[no-untyped-def]
    """Exact best-response test on rational payoffs and strategies."""
    m, n = len(A), len(A[0])
    Ay = [sum(A[i][j] * y[j] for j in range(n)) for i in range(m)]
    xB = [sum(x[i] * B[i][j] for i in range(m)) for j in range(n)]
    return all(Ay[i] == max(Ay) for i in range(m) if x[i] > 0) and all(
        xB[j] == max(xB) for j in range(n) if y[j] > 0
    )


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{},]|[^\s{},"]+')


def read_nfg_exact(text: str) -> tuple[Matrix, Matrix]:
    """The payoffs ``(A, B)`` of a two-player Gambit ``.nfg`` file as exact rationals
    (decimals and ``p/q`` read exactly), independently of powergames' reader. Only what
    the catalogue's files use: the prologue, then a payoff list or an outcome list."""
    tokens = _TOKEN.findall(text)
    assert tokens[:2] == ["NFG", "1"], tokens[:2]
    i = tokens.index("{", 4)  # the players
    i = tokens.index("}", i) + 1
    assert tokens[i] == "{"  # the strategies: numbers or name lists
    i += 1
    counts = []
    while tokens[i] != "}":
        if tokens[i] == "{":
            close = tokens.index("}", i)
            counts.append(close - i - 1)
            i = close + 1
        else:
            counts.append(int(tokens[i]))
            i += 1
    i += 1
    m, n = counts
    if i < len(tokens) and tokens[i].startswith('"'):
        i += 1  # the comment
    payoffs: list[tuple[Fraction, Fraction]] = []
    if tokens[i] == "{":  # outcomes, then one outcome index per profile
        outcomes = [(Fraction(0), Fraction(0))]
        i += 1
        while tokens[i] != "}":
            close = tokens.index("}", i)
            values = [Fraction(t) for t in tokens[i + 2 : close] if t != ","]
            outcomes.append((values[0], values[1]))
            i = close + 1
        payoffs = [outcomes[int(t)] for t in tokens[i + 1 :]]
    else:
        values = [Fraction(t) for t in tokens[i:]]
        payoffs = list(zip(values[::2], values[1::2], strict=True))
    assert len(payoffs) == m * n, (len(payoffs), m, n)
    # Profile k is (k % m, k // m): player 1's strategy changes fastest.
    A = [[payoffs[j * m + r][0] for j in range(n)] for r in range(m)]
    B = [[payoffs[j * m + r][1] for j in range(n)] for r in range(m)]
    return A, B
