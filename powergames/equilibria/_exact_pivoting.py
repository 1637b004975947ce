"""Complementary pivoting in exact rational arithmetic: Lemke-Howson's fallback.

The same path as the floating-point kernel (same polytopes, same lexicographic
minimum-ratio test, so the same end), on full tableaus of Python
:class:`~fractions.Fraction`; the payoffs are the floats' exact values.
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: The clock is read once every this many pivots.
CLOCK_EVERY = 8


class ExactPass(NamedTuple):
    """The outcome of an exact pass: ``status`` as for the float kernel ("complete",
    "pivot limit" or "time limit"), the number of pivots, and the equilibrium
    (normalised exactly, then rounded to floats) when complete."""

    status: Literal["complete", "pivot limit", "time limit"]
    pivots: int
    profile: tuple[FloatArray, FloatArray] | None


def exact_normalise(M: FloatArray) -> list[list[Fraction]]:
    """The exact counterpart of the affine map onto [1, 2]: ``1 + (M - low) / span``
    (a constant matrix becomes all 1)."""
    entries = [[Fraction(float(v)) for v in row] for row in M]
    low = min(min(row) for row in entries)
    span = max(max(row) for row in entries) - low
    if span == 0:
        span = Fraction(1)
    return [[1 + (v - low) / span for v in row] for row in entries]


def exact_lemke_howson(
    A: FloatArray, B: FloatArray, label: int, max_pivots: int, deadline: float | None = None
) -> ExactPass:
    """Lemke-Howson in exact rational arithmetic, dropping ``label``, for at most
    ``max_pivots`` pivots and until the :func:`time.monotonic` ``deadline``."""
    m, n = A.shape
    An, Bn = exact_normalise(A), exact_normalise(B)
    zero, one = Fraction(0), Fraction(1)
    # Full tableaus: one column per label, then the right-hand side.
    tableau_p = [
        [Bn[i][j] for i in range(m)] + [one if k == j else zero for k in range(n)] + [one]
        for j in range(n)
    ]
    tableau_q = [[one if k == i else zero for k in range(m)] + An[i] + [one] for i in range(m)]
    tableaus = [tableau_p, tableau_q]
    basis = [list(range(m, m + n)), list(range(m))]
    slack_labels = [list(range(m, m + n)), list(range(m))]

    side = 0 if label < m else 1
    entering = label
    pivots = 0
    while True:
        if pivots >= max_pivots:
            return ExactPass("pivot limit", pivots, None)
        if deadline is not None and pivots % CLOCK_EVERY == 0 and time.monotonic() > deadline:
            return ExactPass("time limit", pivots, None)
        T = tableaus[side]
        rows = [i for i, row in enumerate(T) if row[entering] > 0]
        if not rows:  # pragma: no cover - P and Q are bounded
            raise AssertionError("unbounded Lemke-Howson ray")
        # Lexicographic minimum-ratio test: right-hand side first, then the basis inverse.
        for key in [-1, *slack_labels[side]]:
            if len(rows) == 1:
                break
            values = [T[i][key] / T[i][entering] for i in rows]
            low = min(values)
            rows = [i for i, v in zip(rows, values, strict=True) if v == low]
        r = rows[0]
        pivot_row = T[r]
        p = pivot_row[entering]
        pivot_row = [v / p for v in pivot_row]
        T[r] = pivot_row
        for i, row in enumerate(T):
            f = row[entering]
            if i != r and f != 0:
                T[i] = [a - f * b for a, b in zip(row, pivot_row, strict=True)]
        pivots += 1
        leaving = basis[side][r]
        basis[side][r] = entering
        if leaving == label:
            break
        side ^= 1
        entering = leaving

    x = [zero] * m
    y = [zero] * n
    for i, k in enumerate(basis[0]):
        if k < m:
            x[k] = tableau_p[i][-1]
    for i, k in enumerate(basis[1]):
        if k >= m:
            y[k - m] = tableau_q[i][-1]
    sx, sy = sum(x), sum(y)
    profile = (np.array([float(v / sx) for v in x]), np.array([float(v / sy) for v in y]))
    return ExactPass("complete", pivots, profile)
