"""The critical discount factor of a stationary path of play: the smallest common discount
factor at which the path, enforced by a punishment, is subgame perfect."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from powergames._validate import real, tolerance
from powergames.equilibria.solve import equilibria
from powergames.errors import DegenerateGameWarning, InvalidParameterError
from powergames.game import Game, as_game
from powergames.repeated.critical_symbolic import symbolic_critical_discount_factor
from powergames.repeated.minmax import minmax
from powergames.repeated.paths import (
    PUNISHMENTS,
    CriticalDiscountFactor,
    Deviation,
    Profile,
    check_probabilities,
    lottery,
    merge,
    punishment_name,
    punishment_pair,
)
from powergames.repeated.units import unit_of

if TYPE_CHECKING:  # pragma: no cover
    from powergames.symbolic import SymbolicGame

__all__ = ["PUNISHMENTS", "CriticalDiscountFactor", "Deviation", "critical_discount_factor"]


def critical_discount_factor(
    game: Game | SymbolicGame,
    path: Any,
    punishment: str | Sequence[Any] = "nash-reversion",
    *,
    tol: float = 1e-9,
) -> CriticalDiscountFactor:
    """The smallest common discount factor from which on a stationary path is subgame perfect.

    The path is a pure profile ``a*`` played every period, or a lottery over pure
    profiles drawn afresh every period by a public randomisation device. Payoffs are
    normalised by ``(1 - delta)``, so the path is worth ``u_k = sum_a P(a) g_k(a)`` to
    player ``k``. A deviation by ``k`` is punished by a continuation worth ``p_k``.

    By the one-shot deviation principle (Mailath & Samuelson 2006, section 2.2) it
    suffices that no player gains by deviating once. The device's draw is public
    and made before the players act, so at every profile ``a`` of the support player
    ``k`` compares conforming with its best reply to the others' part of ``a``:

        (1 - delta) g_k(a) + delta u_k  >=  (1 - delta) g_k^dev(a) + delta p_k.

    With the gain ``G = g_k^dev(a) - g_k(a) >= 0`` and ``u_k > p_k`` this reads
    ``delta >= delta_k(a) = G / (G + u_k - p_k)`` (DESIGN section 5; for the prisoner's
    dilemma and Nash reversion, ``(T - R) / (T - P)``), which is 0 when ``G = 0``.
    Then ``delta_k* = max_a delta_k(a)`` and the critical discount factor is ``max_k
    delta_k*``, the smallest ``delta`` such that the path is subgame perfect at every
    discount factor in ``[delta, 1)``. When the punishment does not hurt:

    - ``u_k = p_k``: ``delta_k(a) = 0`` if ``G = 0`` (no deviation gains), else
      ``math.inf`` (``sympy.oo``): no ``delta < 1`` deters the gain;
    - ``u_k < p_k``: ``math.inf``, as soon as ``k`` has another action at all: the
      punishment rewards a deviation, which pays for ``delta`` near 1 even when it
      loses in the stage (the path may hold for small ``delta``, never up to 1).

    A player with a single strategy has nothing to deviate to: ``delta_k(a) = 0``.

    Punishments:

    - ``"nash-reversion"`` (grim trigger; Friedman 1971): revert forever to the stage
      Nash equilibrium worst for the deviator, ``p_k`` the smallest payoff of ``k``
      over the equilibria of :func:`powergames.equilibria` with ``"vertex"``. Payoffs
      are bilinear and the equilibria form a finite union of products of polytopes
      spanned by the extreme equilibria, so the minimum over the extreme equilibria is
      the minimum over all. This punishment is itself subgame perfect, so the value is
      exact for grim trigger strategies.
    - ``"minmax"``: ``p_k`` the mixed minmax value (:func:`minmax`). No equilibrium
      gives ``k`` less, so this is a *lower bound* on the critical discount factor of
      any punishment: holding a player to its minmax forever need not be
      self-enforcing (the punishers may lose by punishing), and a subgame perfect
      punishment may need a higher discount factor. On a :class:`SymbolicGame` it is
      the pure-strategy minmax (``sympy.Min`` / ``sympy.Max``), a lower bound among
      punishments in pure strategies.
    - ``"pure-minmax"``: the pure-strategy minmax value, on either kind of game.
    - a pair ``(p_0, p_1)``: the punishment payoffs given explicitly (numbers, or sympy
      expressions for a :class:`SymbolicGame`); the caller vouches for the punishment
      being an equilibrium continuation.

    Parameters
    ----------
    game : Game or SymbolicGame
        The stage game. A :class:`SymbolicGame` gives sympy expressions, each player's
        threshold a ``Piecewise`` of the cases above (which collapses when the
        symbols' assumptions decide them) and ``value`` a ``sympy.Max``.
    path : (int, int) or sequence of ((int, int), probability)
        A pure profile ``(row, column)``, or a public lottery: pairs of a pure profile
        and its probability, each positive, summing to 1 (repeated profiles are
        merged). For exact symbolic answers give probabilities as
        :class:`fractions.Fraction` or sympy rationals; a float ``x`` is read as the
        decimal it prints as (0.1 -> 1/10).
    punishment : {"nash-reversion", "minmax", "pure-minmax"} or pair, default "nash-reversion"
    tol : float, default 1e-9
        Numeric games only: a gap ``u_k - p_k`` at most ``tol`` times the range of
        player k's payoffs counts as zero (the punishment does not hurt), so that a
        Nash payoff equal to the path's payoff up to round-off gives ``math.inf``
        rather than a threshold just below 1.

    Returns
    -------
    CriticalDiscountFactor

    Raises
    ------
    InvalidParameterError
        For a game that is neither a :class:`powergames.Game` nor a
        :class:`SymbolicGame`; a profile out of range or not a pair of integers;
        probabilities that are not positive or do not sum to 1; an unknown punishment
        name; punishment payoffs that are not a pair of finite numbers (or sympy
        expressions); ``"nash-reversion"`` on a :class:`SymbolicGame` (its stage
        equilibria have no closed form in general: substitute numbers with
        :meth:`SymbolicGame.subs`, or give the punishment payoffs).

    References
    ----------
    Friedman, J. W. (1971). A non-cooperative equilibrium for supergames. Review of
    Economic Studies 38(1), 1-12.

    Fudenberg, D. and Maskin, E. (1986). The folk theorem in repeated games with
    discounting or with incomplete information. Econometrica 54(3), 533-554.

    Mailath, G. J. and Samuelson, L. (2006). Repeated Games and Reputations: Long-Run
    Relationships. Oxford University Press. Sections 2.1-2.2.

    Examples
    --------
    Grim trigger in the prisoner's dilemma (T, R, P, S) = (5, 3, 1, 0):
    (T - R) / (T - P) = 1/2.

    >>> pd = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> critical_discount_factor(pd, (0, 0)).value
    0.5

    Taking turns at exploiting each other, by a public coin: each player gains
    P - S = 1 when exploited and the path is worth 5/2 against 1, so 1 / (1 + 3/2).

    >>> critical_discount_factor(pd, [((0, 1), 0.5), ((1, 0), 0.5)]).value
    0.4

    Symbolically, with the punishment (P, P) given:

    >>> import sympy as sp
    >>> from powergames.symbolic import SymbolicGame
    >>> P = sp.Symbol("P", real=True)
    >>> a, b, c = sp.symbols("a b c", positive=True)   # R = P + a, T = R + b, S = P - c
    >>> R, T, S = P + a, P + a + b, P - c
    >>> spd = SymbolicGame([[R, S], [T, P]], [[R, T], [S, P]])
    >>> result = critical_discount_factor(spd, (0, 0), punishment=(P, P))
    >>> sp.simplify(result.value - (T - R) / (T - P))
    0
    """
    from powergames.symbolic import SymbolicGame

    if isinstance(game, SymbolicGame):
        return symbolic_critical_discount_factor(game, path, punishment)
    if not isinstance(game, Game):
        try:
            game = as_game(game)
        except InvalidParameterError:
            raise InvalidParameterError(
                f"game must be a powergames.Game, a SymbolicGame or a two-player game of "
                f"nashpy, quantecon or pygambit, got {type(game).__name__}"
            ) from None
    return _numeric(game, path, punishment, tolerance(tol))


# ----------------------------------------------------------------------- numeric
def _numeric(game: Game, path: Any, punishment: Any, tol: float) -> CriticalDiscountFactor:
    A, B = game.payoffs
    entries = lottery(path, game.shape)
    weights = check_probabilities(entries, path)
    entries = merge([(played, w) for (played, _), w in zip(entries, weights, strict=True)])
    u = (
        math.fsum(p * float(A[a]) for a, p in entries),
        math.fsum(p * float(B[a]) for a, p in entries),
    )
    p = _numeric_punishment(game, punishment)
    slack = (tol * unit_of(A), tol * unit_of(B))  # each player's own unit
    thresholds: list[float] = []
    deviations: list[Deviation] = []
    for k in (0, 1):
        gap = u[k] - p[k]
        best: tuple[float, Deviation] | None = None
        for a, _ in entries:
            threshold, deviation = _numeric_threshold(A, B, a, k, gap, slack[k])
            if best is None or threshold > best[0]:
                best = (threshold, deviation)
        assert best is not None
        thresholds.append(best[0])
        deviations.append(best[1])
    return CriticalDiscountFactor(
        value=max(thresholds),
        per_player=(thresholds[0], thresholds[1]),
        deviations=(deviations[0], deviations[1]),
        path_payoffs=u,
        punishment=p,
        path=tuple(entries),
    )


def _numeric_threshold(
    A: NDArray[np.float64], B: NDArray[np.float64], a: Profile, k: int, gap: float, slack: float
) -> tuple[float, Deviation]:
    """Player k's threshold at the profile a of the path, and its best deviation there.

    ``gap = u_k - p_k``; gaps within ``slack`` of 0 count as 0. The incentive constraint
    is ``delta * gap >= (1 - delta) * G_alt``, ``G_alt`` the gain of the best *other*
    action (possibly negative).
    """
    own = a[k]
    options = A[:, a[1]] if k == 0 else B[a[0], :]
    if len(options) == 1:
        return 0.0, Deviation(a, own, 0.0)
    others = np.delete(np.arange(len(options)), own)
    reply = int(others[np.argmax(options[others])])
    alternative = float(options[reply] - options[own])
    if gap > slack:
        if alternative <= 0.0:
            return 0.0, Deviation(a, own, 0.0)
        return alternative / (alternative + gap), Deviation(a, reply, alternative)
    if gap >= -slack and alternative <= 0.0:
        return 0.0, Deviation(a, own, 0.0)
    return math.inf, Deviation(a, reply, alternative)


def _numeric_punishment(game: Game, punishment: Any) -> tuple[float, float]:
    name = punishment_name(punishment)
    if name == "nash-reversion":
        # Vertex enumeration finds every extreme equilibrium of a degenerate game too,
        # so its warning about degeneracy says nothing the minimum needs.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateGameWarning)
            found = equilibria(game, "vertex")
        return (min(eq.payoffs[0] for eq in found), min(eq.payoffs[1] for eq in found))
    if name == "minmax":
        return minmax(game).values
    if name == "pure-minmax":
        return minmax(game, pure=True).values
    first, second = punishment_pair(punishment)
    return _punishment_payoff(first, "punishment[0]"), _punishment_payoff(second, "punishment[1]")


def _punishment_payoff(value: Any, name: str) -> float:
    if getattr(value, "is_number", False) and getattr(value, "is_real", False):
        value = float(value)  # a sympy number
    number: float = real(value, name, array=False)
    return number
