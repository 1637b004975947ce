"""``equilibria(game, method)``: one entry point to every Nash equilibrium solver."""

from __future__ import annotations

import warnings
from typing import Literal

from powergames.equilibria.best_response import DEFAULT_TOL
from powergames.equilibria.lemke_howson import lemke_howson
from powergames.equilibria.pure import pure_equilibria
from powergames.equilibria.result import Equilibrium
from powergames.equilibria.support import support_enumeration
from powergames.equilibria.vertex import vertex_enumeration
from powergames.errors import InvalidParameterError
from powergames.game import GameLike, as_game

__all__ = ["METHODS", "equilibria"]

MethodName = Literal["auto", "support", "vertex", "lemke-howson", "pure"]
METHODS: tuple[str, ...] = ("auto", "support", "vertex", "lemke-howson", "pure")

#: Above this many pure strategies in all, enumeration is out of reach and "auto"
#: returns the Lemke-Howson equilibria instead (with a warning).
AUTO_ENUMERATION_LIMIT = 30


def equilibria(
    game: GameLike,
    method: MethodName = "auto",
    *,
    label: int | None = None,
    tol: float = DEFAULT_TOL,
) -> list[Equilibrium]:
    """Nash equilibria of a bimatrix game.

    Parameters
    ----------
    game : Game
    method : {"auto", "support", "vertex", "lemke-howson", "pure"}, default "auto"
        ``"support"``: :func:`support_enumeration`, every equilibrium of a
        non-degenerate game. ``"vertex"``: :func:`vertex_enumeration`, every extreme
        equilibrium, degenerate games included. ``"lemke-howson"``:
        :func:`lemke_howson` from the given ``label``, or the distinct equilibria
        reached from every label when ``label`` is None. ``"pure"``:
        :func:`pure_equilibria`. ``"auto"``: vertex enumeration while the game has at
        most 30 pure strategies in all, else Lemke-Howson from every label (with a
        :class:`UserWarning` that the list may be incomplete).
    label : int, optional
        The label dropped by Lemke-Howson (``0 .. m-1`` for rows, ``m .. m+n-1`` for
        columns); only with ``method="lemke-howson"``.
    tol : float, default :data:`DEFAULT_TOL`
        Tolerance of the best-response conditions, relative to each player's payoff
        range.

    Returns
    -------
    list of Equilibrium
        Each one passes :func:`is_equilibrium` with the same ``tol``.

    Raises
    ------
    InvalidParameterError
        For an unknown method, a label with a method other than Lemke-Howson, or a
        label out of range.

    Examples
    --------
    >>> from powergames import Game
    >>> pennies = Game([[1, -1], [-1, 1]])
    >>> [eq.strategies[0].tolist() for eq in equilibria(pennies)]
    [[0.5, 0.5]]
    """
    game = as_game(game)
    if method not in METHODS:
        raise InvalidParameterError(f"method must be one of {METHODS}, got {method!r}")
    if label is not None and method != "lemke-howson":
        raise InvalidParameterError(
            f"label is only used by method='lemke-howson', got method={method!r}"
        )
    m, n = game.shape
    if method == "auto":
        if m + n <= AUTO_ENUMERATION_LIMIT:
            return vertex_enumeration(game, tol=tol)
        warnings.warn(
            f"a {m}x{n} game is too large to enumerate its equilibria; returning those "
            "Lemke-Howson reaches from every label, which may not be all of them",
            UserWarning,
            stacklevel=2,
        )
        method = "lemke-howson"
    if method == "support":
        return support_enumeration(game, tol=tol)
    if method == "vertex":
        return vertex_enumeration(game, tol=tol)
    if method == "pure":
        return pure_equilibria(game, tol=tol)
    if label is not None:
        return [lemke_howson(game, label, tol=tol)]
    found: list[Equilibrium] = []
    for start in range(m + n):
        candidate = lemke_howson(game, start, tol=tol)
        if not any(candidate.isclose(other, tol=1e-6) for other in found):
            found.append(candidate)
    return found
