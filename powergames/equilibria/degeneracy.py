"""Whether a bimatrix game is degenerate."""

from __future__ import annotations

from powergames import _validate as check
from powergames.equilibria import _polytope as poly
from powergames.equilibria._single import check_label_limit
from powergames.equilibria.best_response import DEFAULT_TOL
from powergames.game import GameLike, as_game

__all__ = ["is_degenerate"]


def is_degenerate(game: GameLike, *, tol: float = DEFAULT_TOL) -> bool:
    """Whether some mixed strategy with a support of size k has more than k pure best
    responses (von Stengel 2007, Definition 3.5).

    The test is exact up to ``tol``: a game is degenerate iff a vertex of one of its
    best-response polytopes carries more labels than the polytope's dimension
    (von Stengel 2007, Theorem 3.6), and every vertex is enumerated.

    Examples
    --------
    >>> from powergames import Game
    >>> is_degenerate(Game([[3, 0], [0, 2]], [[2, 0], [0, 3]]))
    False
    >>> # Top has two best replies: a pure strategy with 2 best responses.
    >>> is_degenerate(Game([[1, 1], [0, 0]], [[1, 1], [0, 1]]))
    True
    """
    game = as_game(game)
    tol = check.tolerance(tol)
    check_label_limit(game.shape, "is_degenerate and the enumeration methods")
    A, B = game.payoffs
    m, n = game.shape
    p, q = poly.polytope_vertices(poly.normalise(A[None]), poly.normalise(B[None]), tol)
    return bool((poly.popcount(p.labels) > m).any() or (poly.popcount(q.labels) > n).any())
