"""Lemke-Howson complementary pivoting (von Stengel 2007, Algorithm 3.6).

The public function validates, runs the floating-point kernel
(:mod:`powergames.equilibria._tableau`), re-solves and checks its answer, and falls
back to exact rational pivoting (:mod:`powergames.equilibria._exact_pivoting`) when
floating point lets it down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, overload

from powergames import _validate as check
from powergames.equilibria import _exact_pivoting, _tableau
from powergames.equilibria._polytope import normalise
from powergames.equilibria._single import deadline, to_equilibria, without_round_off
from powergames.equilibria.best_response import DEFAULT_TOL, is_equilibrium
from powergames.equilibria.result import Equilibrium
from powergames.errors import InvalidParameterError, PowergamesError
from powergames.game import Game, GameLike, as_game

__all__ = ["LemkeHowsonResult", "lemke_howson"]

#: Allowed regret of an exactly computed equilibrium once rounded to floats, when the
#: caller's ``tol`` is smaller (``tol=0`` cannot absorb the rounding).
EXACT_ROUNDING_TOL = 1e-12
#: Default of ``max_pivots``. Lemke-Howson paths are short on most games but can be
#: exponentially long (Savani and von Stengel 2006), and even on uniformly random
#: 100 x 100 games a few need more than 10,000 pivots.
DEFAULT_MAX_PIVOTS = 1_000_000
#: Largest ``m * n`` for which exact pivoting runs without a ``time_limit``. Rational
#: entries grow with every pivot: a 40 x 40 game took 1.5 s for 87 pivots, a 100 x 100
#: one would take minutes. Beyond it, exact pivoting runs only within a time limit.
EXACT_SIZE_LIMIT = 2500


@dataclass(frozen=True, eq=False)
class LemkeHowsonResult:
    """What :func:`lemke_howson` did, with ``full_output=True`` (after quantecon's
    ``NashResult``).

    Attributes
    ----------
    equilibrium : Equilibrium or None
        The equilibrium found, None when the path was not completed.
    converged : bool
        Whether the path was completed (then ``equilibrium`` passes
        :func:`is_equilibrium`).
    pivots : int
        Pivots done, in floating point and (when it ran) in exact arithmetic.
    exact : bool
        Whether the answer comes from exact rational pivoting.
    label : int
        The dropped label.
    max_pivots : int
        The pivot limit of each pass.
    status : {"converged", "pivot limit", "time limit", "too large for exact pivoting"}
        How the search ended.
    message : str
        The same, in words.

    Examples
    --------
    >>> from powergames import Game
    >>> result = lemke_howson(Game([[1, -1], [-1, 1]]), 0, full_output=True)
    >>> result.converged, result.pivots, result.exact
    (True, 4, False)
    """

    equilibrium: Equilibrium | None
    converged: bool
    pivots: int
    exact: bool
    label: int
    max_pivots: int
    status: Status
    message: str


#: How a Lemke-Howson search ended (:attr:`LemkeHowsonResult.status`).
Status = Literal["converged", "pivot limit", "time limit", "too large for exact pivoting"]


@overload
def lemke_howson(
    game: GameLike,
    label: int = 0,
    *,
    tol: float = ...,
    max_pivots: int | None = ...,
    time_limit: float | None = ...,
    full_output: Literal[False] = ...,
) -> Equilibrium: ...


@overload
def lemke_howson(
    game: GameLike,
    label: int = 0,
    *,
    tol: float = ...,
    max_pivots: int | None = ...,
    time_limit: float | None = ...,
    full_output: Literal[True],
) -> LemkeHowsonResult: ...


def lemke_howson(
    game: GameLike,
    label: int = 0,
    *,
    tol: float = DEFAULT_TOL,
    max_pivots: int | None = None,
    time_limit: float | None = None,
    full_output: bool = False,
) -> Equilibrium | LemkeHowsonResult:
    """One Nash equilibrium by the Lemke-Howson algorithm, dropping ``label``.

    The algorithm is Algorithm 3.6 of von Stengel (2007), "Lemke-Howson with
    tableaus", with the lexicographic minimum-ratio test of its section 3.7 so that
    degenerate games (ties in payoffs, continua of equilibria) are handled too:

    1. Map each player's payoffs affinely onto [1, 2] (this changes no equilibrium)
       and set up the tableaus of ``P = {x >= 0 : B^T x <= 1}`` with the slacks of
       ``B^T x <= 1`` basic, and of ``Q = {y >= 0 : A y <= 1}`` with the slacks of
       ``A y <= 1`` basic: the artificial equilibrium ``(0, 0)``.
    2. Let the variable with label ``label`` enter the basis: ``x_label`` in P's
       tableau if ``label < m``, else ``y_(label - m)`` in Q's.
    3. Choose the leaving variable by the lexicographic minimum-ratio test: the
       smallest ratio of right-hand side to positive entry of the entering column;
       ties are broken by the rows of the basis inverse divided by that entry,
       compared column by column, which never cycles.
    4. Pivot: one rank-1 update of the tableau.
    5. If the leaving variable has label ``label``, stop: the basis is completely
       labelled. Otherwise the variable of the other tableau with the leaving
       variable's label enters (complementary pivoting); go to step 3.
    6. Read the supports (basic ``x_i`` and ``y_j``) off the final bases, re-solve
       the indifference systems ``A[I, J] y_J = 1`` and ``B[I, J]^T x_I = 1`` on
       them, and normalise ``x`` and ``y`` to probabilities.
    7. Check the profile with :func:`is_equilibrium`; if floating point failed
       (the check fails, the bases cycle, or no entry of an entering column is
       positive), redo steps 1-6 in exact rational arithmetic: always in games of
       at most 2,500 profiles (``EXACT_SIZE_LIMIT``), in larger games only
       within a ``time_limit``, since rational pivoting slows down as the entries
       grow.

    Parameters
    ----------
    game : Game
        Or a game :func:`powergames.game.as_game` converts (nashpy, quantecon,
        pygambit).
    label : int, default 0
        The dropped label: ``0 .. m-1`` for the row player's strategies and
        ``m .. m+n-1`` for the column player's (von Stengel's numbering, also
        quantecon's ``init_pivot`` and nashpy's ``initial_dropped_label``).
    tol : float, default :data:`DEFAULT_TOL`
        Allowed regret of the result, relative to each player's payoff range. When
        the exact arithmetic of step 7 is used and ``tol`` is below 1e-12, the
        rounded exact equilibrium is accepted with a regret up to 1e-12.
    max_pivots : int, optional
        Largest number of pivots of one pass (floating point, then exact if needed);
        default 1,000,000. The lexicographic rule guarantees termination, so this
        only bounds the running time on games whose path is very long.
    time_limit : float, optional
        Seconds after which the search stops (both passes together).
    full_output : bool, default False
        Return a :class:`LemkeHowsonResult` (the equilibrium or None, the pivot
        count, how the search ended) instead of raising when the path is not
        completed.

    Returns
    -------
    Equilibrium or LemkeHowsonResult
        A profile that passes :func:`is_equilibrium` with ``tol``; its supports are
        the strategies played with positive probability.

    Raises
    ------
    InvalidGameError
        If ``game`` is not a game.
    InvalidParameterError
        If ``label`` is not an integer in ``0 .. m+n-1``, ``tol`` is not in [0, 1),
        ``max_pivots`` is not a positive integer or ``time_limit`` is not positive.
    PowergamesError
        Without ``full_output``: if the path is longer than ``max_pivots`` pivots,
        runs out of ``time_limit``, or floating point fails in a game too large for
        exact pivoting without a time limit.

    References
    ----------
    Lemke, C. E. and Howson, J. T. (1964). Equilibrium points of bimatrix games.
    Journal of the Society for Industrial and Applied Mathematics 12, 413-423.

    von Stengel, B. (2007). Equilibrium computation for two-player games in strategic
    and extensive form. Chapter 3 of N. Nisan, T. Roughgarden, E. Tardos and
    V. Vazirani (eds.), Algorithmic Game Theory, Cambridge University Press;
    Algorithm 3.6 (section 3.6) and section 3.7, "Degenerate games".

    Examples
    --------
    The 3 x 2 game of von Stengel (2007), Figure 3.3, has three equilibria; dropping
    label 0 (the row player's first strategy) or label 1 leads to different ones.

    >>> from powergames import Game
    >>> game = Game([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
    >>> lemke_howson(game, 0)
    Equilibrium(strategies=([1., 0., 0.], [1., 0.]), payoffs=(3, 3))
    >>> eq = lemke_howson(game, 1)
    >>> eq.strategies
    (array([0.   , 0.333, 0.667]), array([0.333, 0.667]))
    >>> eq.payoffs
    (4.0, 2.667)
    >>> lemke_howson(Game([[1, -1], [-1, 1]]), label=3).strategies[0]  # matching pennies
    array([0.5, 0.5])
    """
    game = as_game(game)
    m, n = game.shape
    label = check.integer(label, "label")
    if not 0 <= label < m + n:
        raise InvalidParameterError(
            f"label must be an integer in 0 .. {m + n - 1} (0 .. {m - 1} for rows, "
            f"{m} .. {m + n - 1} for columns), got {label}"
        )
    tol = check.tolerance(tol)
    if max_pivots is None:
        max_pivots = DEFAULT_MAX_PIVOTS
    max_pivots = check.integer(max_pivots, "max_pivots", low=1)
    result = _search(game, label, tol, max_pivots, deadline(time_limit))
    if full_output:
        return result
    if result.equilibrium is None:
        raise PowergamesError(result.message)
    return result.equilibrium


def _search(
    game: Game, label: int, tol: float, max_pivots: int, deadline: float | None
) -> LemkeHowsonResult:
    """Steps 1-7: the float pass, its check, and the exact fallback."""
    A, B = game.payoffs
    m, n = game.shape
    An, Bn = normalise(A[None])[0], normalise(B[None])[0]
    done = _tableau.pivot(An, Bn, label, max_pivots, deadline)
    outcome = _outcome(label, max_pivots)
    if done.status in ("pivot limit", "time limit"):
        return outcome(None, done.pivots, False, done.status)
    if done.bases is not None:
        for x, y in _tableau.profiles(An, Bn, done.bases):
            if is_equilibrium(game, (x, y), tol=tol):
                x, y = without_round_off(game, x, y, tol)
                eq = to_equilibria(game, x[None], y[None])[0]
                return outcome(eq, done.pivots, False, "converged")
    if m * n > EXACT_SIZE_LIMIT and deadline is None:
        return outcome(None, done.pivots, False, "too large for exact pivoting")
    exact = _exact_pivoting.exact_lemke_howson(A, B, label, max_pivots, deadline)
    pivots = done.pivots + exact.pivots
    if exact.status == "pivot limit" or exact.status == "time limit":
        return outcome(None, pivots, True, exact.status)
    assert exact.profile is not None
    x, y = exact.profile
    if not is_equilibrium(game, (x, y), tol=max(tol, EXACT_ROUNDING_TOL)):  # pragma: no cover
        raise PowergamesError(
            "internal error: the exact Lemke-Howson result is not an equilibrium; "
            "please report this game"
        )
    x, y = without_round_off(game, x, y, tol)
    return outcome(to_equilibria(game, x[None], y[None])[0], pivots, True, "converged")


def _outcome(
    label: int, max_pivots: int
) -> Callable[[Equilibrium | None, int, bool, Status], LemkeHowsonResult]:
    """The constructor of one search's :class:`LemkeHowsonResult`."""

    def make(eq: Equilibrium | None, pivots: int, exact: bool, status: Status) -> LemkeHowsonResult:
        messages = {
            "converged": f"found an equilibrium in {pivots} pivots from label {label}",
            "pivot limit": (
                f"Lemke-Howson did not terminate within max_pivots={max_pivots} pivots from "
                f"label {label}; pass a larger max_pivots or try another label"
            ),
            "time limit": (
                f"Lemke-Howson ran out of time_limit after {pivots} pivots from label {label}"
            ),
            "too large for exact pivoting": (
                f"floating-point pivoting failed from label {label}, and the game is too large "
                f"for exact pivoting without a time limit (more than {EXACT_SIZE_LIMIT} profiles); "
                "pass time_limit to allow it, or drop another label"
            ),
        }
        return LemkeHowsonResult(
            eq, status == "converged", pivots, exact, label, max_pivots, status, messages[status]
        )

    return make
