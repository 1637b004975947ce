"""The value and optimal strategies of a two-player zero-sum matrix game, by linear programming."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from powergames.errors import PowergamesError
from powergames.game import as_payoff_matrix

__all__ = ["ZeroSumSolution", "zero_sum_value"]

FloatArray = NDArray[np.float64]

# HiGHS' default feasibility tolerances (1e-7) are coarser than the 1e-9 the
# equilibrium solvers promise; the LPs here have payoffs scaled to [0, 1], so
# tolerances on that scale are relative to the payoff range.
_HIGHS_OPTIONS = {
    "primal_feasibility_tolerance": 1e-10,
    "dual_feasibility_tolerance": 1e-10,
}


def linprog(*args: Any, **kwargs: Any) -> Any:
    """:func:`scipy.optimize.linprog`, imported on the first call: scipy.optimize takes
    half a second to import, which the callers of this package that solve no linear
    programme should not pay."""
    from scipy.optimize import linprog as scipy_linprog

    return scipy_linprog(*args, **kwargs)


@dataclass(frozen=True, eq=False)
class ZeroSumSolution:
    """The solution of a two-player zero-sum matrix game.

    Attributes
    ----------
    value : float
        The row player's guaranteed payoff ``max_x min_y x A y``, which equals
        ``min_y max_x x A y`` (von Neumann's minimax theorem).
    row_strategy : 1-D float array
        An optimal (maximin) strategy of the row player: it guarantees at least
        ``value`` against every column.
    col_strategy : 1-D float array
        An optimal (minimax) strategy of the column player: it holds the row player
        to at most ``value`` in every row.

    Examples
    --------
    >>> import numpy as np
    >>> ZeroSumSolution(0.0, np.array([0.5, 0.5]), np.array([0.5, 0.5])).value
    0.0
    """

    value: float
    row_strategy: FloatArray
    col_strategy: FloatArray

    def __post_init__(self) -> None:
        self.row_strategy.setflags(write=False)
        self.col_strategy.setflags(write=False)

    def __repr__(self) -> str:
        x, y = (
            np.array2string(s, precision=6, separator=", ")
            for s in (self.row_strategy, self.col_strategy)
        )
        return f"ZeroSumSolution(value={self.value:.6g}, row_strategy={x}, col_strategy={y})"


def zero_sum_value(A: ArrayLike) -> ZeroSumSolution:
    """The value and a pair of optimal strategies of the zero-sum game with matrix ``A``.

    The row player receives ``x A y`` and maximises it; the column player pays it
    and minimises it. By the minimax theorem (von Neumann 1928) ``max_x min_y x A y
    = min_y max_x x A y``; this common number is the value, and the strategies that
    attain the outer max and min are the optimal strategies. They are the solutions
    of a pair of dual linear programs (Dantzig 1951; Maschler, Solan & Zamir 2013,
    chapter 5):

    1. Rescale ``A`` to ``M = (A - min A) / (max A - min A)`` with entries in
       ``[0, 1]``, so that the solver's tolerances are relative to the payoff range
       (the optimal strategies are unchanged and the value transforms alongside).
    2. Row player: maximise ``v`` over ``(x, v)`` subject to ``(x M)_j >= v`` for every
       column ``j``, ``sum(x) = 1``, ``x >= 0``.
    3. Column player: minimise ``w`` over ``(y, w)`` subject to ``(M y)_i <= w`` for every
       row ``i``, ``sum(y) = 1``, ``y >= 0``. By LP duality, ``v = w``.
    4. Clip the round-off negatives of ``x`` and ``y`` and renormalise them. By weak
       duality ``min_j (x M)_j <= value <= max_i (M y)_i``; report the midpoint of
       these two guarantees (they agree to the solver's tolerance) mapped back to the
       scale of ``A``.

    Both programs are solved with HiGHS through :func:`scipy.optimize.linprog`.

    Parameters
    ----------
    A : array_like, shape (m, n)
        The row player's payoffs; the column player's are ``-A``.

    Returns
    -------
    ZeroSumSolution
        ``value``, ``row_strategy`` (shape ``(m,)``) and ``col_strategy`` (shape
        ``(n,)``). When the game has several optimal strategies, one of them.

    Raises
    ------
    InvalidGameError
        If ``A`` is not a finite, non-empty 2-D array of real numbers.
    PowergamesError
        If the LP solver fails (which should not happen for a finite matrix), with
        the solver's message.

    References
    ----------
    von Neumann, J. (1928). Zur Theorie der Gesellschaftsspiele. Mathematische
    Annalen 100, 295-320.

    Dantzig, G. B. (1951). A proof of the equivalence of the programming problem and
    the game problem. In T. C. Koopmans (ed.), Activity Analysis of Production and
    Allocation, 330-335. Wiley.

    Maschler, M., Solan, E. and Zamir, S. (2013). Game Theory. Cambridge University
    Press. Chapter 5 (mixed strategies and the minimax theorem).

    Examples
    --------
    Matching pennies: the value is 0 and each player mixes evenly.

    >>> pennies = zero_sum_value([[1, -1], [-1, 1]])
    >>> pennies.value
    0.0
    >>> pennies.row_strategy, pennies.col_strategy
    (array([0.5, 0.5]), array([0.5, 0.5]))

    A saddle point: row 0 guarantees 2, column 0 concedes no more.

    >>> zero_sum_value([[2, 3], [1, 4]]).value
    2.0
    """
    matrix = as_payoff_matrix(A, "A")
    m, n = matrix.shape
    low, high = float(matrix.min()), float(matrix.max())
    scale = high - low
    if math.isinf(scale):
        # The payoff range overflows float64 (entries near +-1.8e308): halve the
        # payoffs, which halves the value and keeps the optimal strategies.
        half = zero_sum_value(0.5 * matrix)
        return ZeroSumSolution(2.0 * half.value, half.row_strategy, half.col_strategy)
    if scale == 0.0:
        # A constant game: every strategy is optimal; the first pure ones are exact.
        return ZeroSumSolution(low, np.eye(m)[0], np.eye(n)[0])
    M = (matrix - low) / scale
    x = _optimal_strategy(M, maximise=True)
    y = _optimal_strategy(M.T, maximise=False)
    guaranteed = float((x @ M).min())
    conceded = float((M @ y).max())
    value = low + scale * 0.5 * (guaranteed + conceded)
    return ZeroSumSolution(value, x, y)


def _optimal_strategy(M: FloatArray, *, maximise: bool) -> FloatArray:
    """An optimal mixed strategy of the player choosing rows of ``M``.

    ``maximise=True``: the rows' player receives ``x M y`` (a maximin strategy);
    ``maximise=False``: pass the transpose of the row player's matrix, so the rows
    are the column player's strategies and ``x M y`` is what that player pays (a
    minimax strategy).
    """
    k, others = M.shape
    # Variables (p_1, ..., p_k, v). Maximiser: max v s.t. v - (p M)_j <= 0;
    # minimiser: min v s.t. (p M)_j - v <= 0.
    sign = 1.0 if maximise else -1.0
    cost = np.zeros(k + 1)
    cost[k] = -sign
    A_ub = np.hstack([-sign * M.T, sign * np.ones((others, 1))])
    b_ub = np.zeros(others)
    A_eq = np.hstack([np.ones((1, k)), np.zeros((1, 1))])
    b_eq = np.ones(1)
    bounds = [(0.0, None)] * k + [(None, None)]
    result = linprog(
        cost,
        A_ub=A_ub,
        b_ub=b_ub,
        A_eq=A_eq,
        b_eq=b_eq,
        bounds=bounds,
        method="highs",
        options=_HIGHS_OPTIONS,
    )
    if result.status != 0 or result.x is None:
        player = "row" if maximise else "column"
        raise PowergamesError(
            f"the linear program of the {player} player failed: {result.message} "
            f"(status {result.status})"
        )
    strategy = np.clip(np.asarray(result.x[:k], dtype=np.float64), 0.0, None)
    total = float(strategy.sum())
    if not total > 0.0:  # pragma: no cover - sum(p) = 1 is a constraint of the LP
        raise PowergamesError(f"the linear program returned no probabilities: {result.x}")
    normalised: FloatArray = strategy / total
    return normalised
