"""``equilibria(game, method)``: one entry point to every Nash equilibrium solver."""

from __future__ import annotations

import time
from collections.abc import Sequence
from itertools import zip_longest
from typing import Literal

from powergames import _validate as check
from powergames.equilibria._single import (
    cut_short,
    deadline,
    enumerate_checked,
    method_name,
    warn_user,
)
from powergames.equilibria.best_response import DEFAULT_TOL
from powergames.equilibria.lemke_howson import lemke_howson
from powergames.equilibria.pure import pure_equilibria
from powergames.equilibria.result import Equilibrium
from powergames.errors import InvalidParameterError, PowergamesError, TimeLimitWarning
from powergames.game import Game, GameLike, as_game

__all__ = ["METHODS", "equilibria"]

MethodName = Literal[
    "auto",
    "support",
    "vertex",
    "lemke-howson",
    "pure",
    "support_enumeration",
    "vertex_enumeration",
    "lemke_howson",
    "pure_equilibria",
]
METHODS: tuple[str, ...] = ("auto", "support", "vertex", "lemke-howson", "pure")

#: Up to this many pure strategies in all, "auto" enumerates every extreme equilibrium
#: (vertex enumeration); beyond, it runs Lemke-Howson (with a warning).
AUTO_ENUMERATION_LIMIT = 30
#: Beyond enumeration, "auto" follows Lemke-Howson paths within this budget of tableau
#: entries updated (pivots times ``max(m, n) (m + n)``; 7 s on a 200 x 200 game, 14 s on
#: a 1000 x 1000 one, where following every path could take hours). Path lengths
#: vary wildly between labels: on one random 200 x 200 game, 2 pivots from one label,
#: 527,059 from another. So every label first gets a few pivots, then the unfinished
#: ones four times as many, and so on until the budget is spent.
AUTO_WORK_BUDGET = 10**10
#: The pivots each label gets in the first round of "auto"'s Lemke-Howson search.
AUTO_FIRST_PIVOTS = 16


def equilibria(
    game: GameLike,
    method: MethodName = "auto",
    *,
    label: int | None = None,
    tol: float = DEFAULT_TOL,
    time_limit: float | None = None,
) -> list[Equilibrium]:
    """Nash equilibria of a bimatrix game.

    Parameters
    ----------
    game : Game
        Or a game :func:`powergames.game.as_game` converts (nashpy, quantecon,
        pygambit).
    method : {"auto", "support", "vertex", "lemke-howson", "pure"}, default "auto"
        The solvers' function names (``"support_enumeration"``,
        ``"vertex_enumeration"``, ``"lemke_howson"``, ``"pure_equilibria"``) name
        them too.
        ``"support"``: :func:`support_enumeration`, every equilibrium of a
        non-degenerate game. ``"vertex"``: :func:`vertex_enumeration`, every extreme
        equilibrium, degenerate games included. ``"lemke-howson"``:
        :func:`lemke_howson` from the given ``label``, or the distinct equilibria
        reached from every label when ``label`` is None. ``"pure"``:
        :func:`pure_equilibria`. ``"auto"``: vertex enumeration while the game has at
        most 30 pure strategies in all; beyond, Lemke-Howson from the labels of both
        players in turn, in rounds of growing pivot limits, within a fixed budget of
        work (seconds, whatever the size), with a :class:`UserWarning` that says how
        many labels it followed to the end.
    label : int, optional
        The label dropped by Lemke-Howson (``0 .. m-1`` for rows, ``m .. m+n-1`` for
        columns); only with ``method="lemke-howson"``.
    tol : float, default :data:`DEFAULT_TOL`
        Tolerance of the best-response conditions, relative to each player's payoff
        range.
    time_limit : float, optional
        Seconds after which the search stops and returns the equilibria found so far,
        with a :class:`~powergames.errors.TimeLimitWarning` (possibly none, if the
        limit comes before the first). Enumeration stops between blocks of support
        pairs, Lemke-Howson between pivots. None (default): no limit.

    Returns
    -------
    list of Equilibrium
        Each one passes :func:`is_equilibrium` with the same ``tol``.

    Raises
    ------
    InvalidParameterError
        For an unknown method, a label with a method other than Lemke-Howson, a label
        out of range, or a ``time_limit`` that is not a positive number.

    Warns
    -----
    DegenerateGameWarning
        When the game is degenerate (support and vertex enumeration).
    TimeLimitWarning
        When ``time_limit`` cut the search short.

    Examples
    --------
    >>> from powergames import Game
    >>> pennies = Game([[1, -1], [-1, 1]])
    >>> [eq.strategies[0].tolist() for eq in equilibria(pennies)]
    [[0.5, 0.5]]
    """
    game = as_game(game)
    method = method_name(method, METHODS)  # type: ignore[assignment]
    if label is not None and method != "lemke-howson":
        raise InvalidParameterError(
            f"label is only used by method='lemke-howson', got method={method!r}"
        )
    tol = check.tolerance(tol)
    stop = deadline(time_limit)
    m, n = game.shape
    if method == "auto":
        if m + n <= AUTO_ENUMERATION_LIMIT:
            return enumerate_checked(game, "vertex", tol, stop, time_limit)
        return _auto_lemke_howson(game, tol, stop, time_limit)
    if method in ("support", "vertex"):
        return enumerate_checked(game, method, tol, stop, time_limit)
    if method == "pure":
        return pure_equilibria(game, tol=tol)
    labels = range(m + n) if label is None else [check.integer(label, "label")]
    return _lemke_howson_paths(game, labels, tol, stop, time_limit, strict=label is not None)


def _auto_lemke_howson(
    game: Game, tol: float, stop: float | None, time_limit: float | None
) -> list[Equilibrium]:
    """ "auto" beyond enumeration: Lemke-Howson from the labels of both players in turn
    (0, m, 1, m + 1, ...), in rounds of growing pivot limits, within
    :data:`AUTO_WORK_BUDGET`; the warning says how far it went."""
    m, n = game.shape
    turns = zip_longest(range(m), range(m, m + n))
    pending = [label for pair in turns for label in pair if label is not None]
    budget = max(1, AUTO_WORK_BUDGET // (max(m, n) * (m + n)))
    found: list[Equilibrium] = []
    spent, cap, finished, out_of_time = 0, AUTO_FIRST_PIVOTS, 0, False
    while pending and spent < budget and not out_of_time:
        unfinished = []
        for k, label in enumerate(pending):
            remaining = None if stop is None else stop - time.monotonic()
            out_of_time = remaining is not None and remaining <= 0
            if spent >= budget or out_of_time:
                unfinished.extend(pending[k:])
                break
            result = lemke_howson(
                game,
                label,
                tol=tol,
                max_pivots=min(cap, budget - spent),
                time_limit=remaining,
                full_output=True,
            )
            spent += result.pivots
            out_of_time = result.status == "time limit"
            if result.equilibrium is None:
                unfinished.append(label)
                continue
            finished += 1
            if not any(result.equilibrium.isclose(other, tol=1e-6) for other in found):
                found.append(result.equilibrium)
        pending, cap = unfinished, 4 * cap
    if out_of_time:
        warn_user(cut_short("Lemke-Howson", time_limit, len(found)), TimeLimitWarning)
    warn_user(
        f"a {m}x{n} game is too large to enumerate its equilibria; returning the "
        f"{len(found)} that Lemke-Howson reaches from {finished} of its {m + n} labels "
        f"within {spent} pivots, which may not be all of them"
        + ("" if not pending else "; method='lemke-howson' follows every path to its end"),
        UserWarning,
    )
    return found


def _lemke_howson_paths(
    game: Game,
    labels: Sequence[int],
    tol: float,
    stop: float | None,
    time_limit: float | None,
    *,
    strict: bool,
) -> list[Equilibrium]:
    """The distinct equilibria Lemke-Howson reaches from ``labels``, until ``stop``; a
    path that fails otherwise raises (``strict``) or is skipped with a warning."""
    found: list[Equilibrium] = []
    failed: list[str] = []
    for start in labels:
        remaining = None if stop is None else stop - time.monotonic()
        if remaining is not None and remaining <= 0:
            warn_user(cut_short("Lemke-Howson", time_limit, len(found)), TimeLimitWarning)
            break
        result = lemke_howson(game, start, tol=tol, time_limit=remaining, full_output=True)
        if result.status == "time limit":
            warn_user(cut_short("Lemke-Howson", time_limit, len(found)), TimeLimitWarning)
            break
        if result.equilibrium is None and strict:
            raise PowergamesError(result.message)
        if result.equilibrium is None:
            failed.append(result.message)
        elif not any(result.equilibrium.isclose(other, tol=1e-6) for other in found):
            found.append(result.equilibrium)
    if failed:
        warn_user("; ".join(failed), UserWarning)
    return found
