"""Glue between the batched kernels and the single-game public solvers."""

from __future__ import annotations

import difflib
import sys
import time
import warnings

import numpy as np
from numpy.typing import NDArray

from powergames import _validate as check
from powergames.equilibria._enumerate import Method, enumerate_equilibria
from powergames.equilibria._polytope import MAX_LABELS
from powergames.equilibria.best_response import is_equilibrium
from powergames.equilibria.result import Equilibrium
from powergames.errors import (
    DegenerateGameWarning,
    InvalidGameError,
    InvalidParameterError,
    TimeLimitWarning,
)
from powergames.game import Game, GameLike, as_game

FloatArray = NDArray[np.float64]
EPS = float(np.finfo(np.float64).eps)

DEGENERATE_MESSAGE = {
    "support": (
        "the game is degenerate: some mixed strategy has more pure best responses than the "
        "strategies it uses, and support enumeration, which pairs supports of equal size, "
        "may miss equilibria (whole segments of them, for instance); method='vertex' "
        "finds every extreme equilibrium"
    ),
    "vertex": (
        "the game is degenerate: some mixed strategy has more pure best responses than the "
        "strategies it uses, so equilibria can come in continua. The equilibria returned "
        "are the extreme ones; the others are their weighted averages within groups of "
        "interchangeable extreme equilibria (convex combinations within a maximal Nash "
        "subset)"
    ),
}


def check_label_limit(shape: tuple[int, ...], what: str = "support and vertex enumeration") -> None:
    """Refuse games whose label sets do not fit the kernels' 64-bit masks."""
    m, n = shape[-2:]
    if m + n > MAX_LABELS:
        raise InvalidGameError(
            f"{what} handle games with at most {MAX_LABELS} pure strategies in all "
            f"(m + n, one bit per label), got a {m}x{n} game ({m + n}); "
            "method='lemke-howson' finds equilibria of larger games"
        )


#: The solvers' function names, accepted as method names too.
METHOD_ALIASES = {
    "support_enumeration": "support",
    "vertex_enumeration": "vertex",
    "lemke_howson": "lemke-howson",
    "pure_equilibria": "pure",
}


def method_name(method: object, methods: tuple[str, ...]) -> str:
    """The method ``method`` names among ``methods`` (function names accepted), or an
    :class:`InvalidParameterError` that suggests the closest name."""
    if isinstance(method, str) and method in methods:
        return method
    aliases = {alias: name for alias, name in METHOD_ALIASES.items() if name in methods}
    if isinstance(method, str) and method in aliases:
        return aliases[method]
    names = [*methods, *aliases]
    close = [name for name in names if name.startswith(str(method).lower())] or (
        difflib.get_close_matches(str(method).lower(), names, n=1, cutoff=0.5)
    )
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise InvalidParameterError(
        f"method must be one of {methods} (or the function names {tuple(aliases)}), "
        f"got {check.short(method)}{hint}"
    )


def warn_user(message: str, category: type[Warning]) -> None:
    """Warn at the caller's first frame outside powergames: the warning names the
    user's line, however deep in the library it was raised."""
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_globals.get("__name__", "").startswith("powergames."):
        frame, level = frame.f_back, level + 1  # type: ignore[assignment]
    warnings.warn(message, category, stacklevel=level)


def deadline(time_limit: float | None) -> float | None:
    """The :func:`time.monotonic` instant ``time_limit`` seconds from now (None: none)."""
    if time_limit is None:
        return None
    seconds = check.real(time_limit, "time_limit", low=0.0, low_open=True, array=False)
    return time.monotonic() + float(seconds)


def to_equilibria(game: Game, x: FloatArray, y: FloatArray) -> list[Equilibrium]:
    """Equilibrium objects of ``game`` from rows of probabilities, with payoffs in the
    user's units; a payoff below its round-off bound is 0 (matching pennies pays 0,
    not -3.1e-33)."""
    A, B = game.payoffs
    x, y = np.where(x > 0, x, 0.0), np.where(y > 0, y, 0.0)
    u = np.einsum("em,mn,en->e", x, A, y)
    v = np.einsum("em,mn,en->e", x, B, y)
    # |error of x M y| <= (m + n) eps x |M| y for non-negative x, y (Higham 2002, 3.1):
    # the bound of the terms actually summed, so that an exact payoff of a pure
    # profile far below the others (1.3e-12 beside -246) is kept.
    size = EPS * sum(game.shape)
    u[np.abs(u) <= 4 * size * np.einsum("em,mn,en->e", x, np.abs(A), y)] = 0.0
    v[np.abs(v) <= 4 * size * np.einsum("em,mn,en->e", x, np.abs(B), y)] = 0.0
    return [Equilibrium((x[e], y[e]), (float(u[e]), float(v[e])), game) for e in range(len(x))]


def without_round_off(
    game: Game, x: FloatArray, y: FloatArray, tol: float
) -> tuple[FloatArray, FloatArray]:
    """The profile with probabilities up to ``tol`` set to 0 and the rest renormalised,
    if that is still an equilibrium (it is unless ``tol`` is at the edge); else as it is."""
    small_x, small_y = x <= tol, y <= tol
    if not ((small_x & (x > 0)).any() or (small_y & (y > 0)).any()):
        return x, y
    cx, cy = np.where(small_x, 0.0, x), np.where(small_y, 0.0, y)
    cx, cy = cx / cx.sum(), cy / cy.sum()
    return (cx, cy) if is_equilibrium(game, (cx, cy), tol=tol) else (x, y)


def enumerate_single(
    game: GameLike, method: Method, tol: float, time_limit: float | None = None
) -> list[Equilibrium]:
    """Support or vertex enumeration of one game, with its warnings."""
    game = as_game(game)
    tol = check.tolerance(tol)
    return enumerate_checked(game, method, tol, deadline(time_limit), time_limit)


def enumerate_checked(
    game: Game, method: Method, tol: float, stop: float | None, time_limit: float | None
) -> list[Equilibrium]:
    """:func:`enumerate_single` of arguments already checked, until the
    :func:`time.monotonic` instant ``stop`` (``time_limit`` from the start)."""
    check_label_limit(game.shape)
    A, B = game.payoffs
    result = enumerate_equilibria(A[None], B[None], method, tol, stop)
    if result.degenerate[0]:
        warn_user(DEGENERATE_MESSAGE[method], DegenerateGameWarning)
    found = to_equilibria(game, result.row, result.col)
    if not result.complete:
        warn_user(cut_short(f"{method} enumeration", time_limit, len(found)), TimeLimitWarning)
    return found


def cut_short(search: str, time_limit: float | None, found: int) -> str:
    """The :class:`TimeLimitWarning` message of a search stopped at its time limit."""
    return (
        f"{search} stopped at time_limit={time_limit} s: the {found} equilibria returned are "
        "equilibria, but others may be missing"
    )
