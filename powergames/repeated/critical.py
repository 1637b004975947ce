"""The critical discount factor of a stationary path of play: the smallest common discount
factor at which the path, enforced by a punishment, is subgame perfect."""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from powergames.equilibria.solve import equilibria
from powergames.errors import DegenerateGameWarning, InvalidParameterError
from powergames.game import Game
from powergames.repeated.minmax import minmax

if TYPE_CHECKING:  # pragma: no cover
    from powergames.symbolic import SymbolicGame

__all__ = ["PUNISHMENTS", "CriticalDiscountFactor", "Deviation", "critical_discount_factor"]

#: The punishments :func:`critical_discount_factor` knows by name.
PUNISHMENTS: tuple[str, ...] = ("nash-reversion", "minmax", "pure-minmax")

Profile = tuple[int, int]


@dataclass(frozen=True)
class Deviation:
    """A player's most tempting one-shot deviation from a path of play.

    Attributes
    ----------
    profile : (int, int)
        The profile of the path's support at which the player's incentive constraint
        binds (its threshold is largest there).
    action : int or None
        The deviator's best reply at ``profile`` (a row for the row player, a column
        for the column player); its own action when it has no profitable deviation;
        None when, in a symbolic game, the best reply depends on the parameters.
    gain : float or sympy expression
        The stage gain of that deviation, ``g_dev - g``; 0 with no profitable
        deviation. Negative only when the punishment is worth more than the path to
        the player (``u_k < p_k``): then even a deviation that loses in the stage pays
        once the player is patient enough. On a :class:`SymbolicGame`, ``G =
        max(g_dev - g, 0)`` as :meth:`SymbolicGame.deviation_gains` gives it.

    Examples
    --------
    >>> Deviation((0, 0), 1, 2.0).gain
    2.0
    """

    profile: Profile
    action: int | None
    gain: Any


@dataclass(frozen=True, eq=False)
class CriticalDiscountFactor:
    """The critical discount factor of a path of play under a punishment.

    Attributes
    ----------
    value : float or sympy expression
        ``max(per_player)``: the smallest ``delta`` such that the path, with this
        punishment, is subgame perfect at every common discount factor in ``[delta,
        1)``. ``math.inf`` (``sympy.oo``) when there is none.
    per_player : (float, float) or pair of sympy expressions
        Each player's threshold ``delta_k*``, the largest over the path's support.
    deviations : (Deviation or None, Deviation or None)
        Each player's binding deviation; None for a symbolic lottery path whose binding
        profile depends on the parameters.
    path_payoffs : (float, float) or pair of sympy expressions
        The normalised payoffs ``u`` of the path (the lottery's expected stage payoffs).
    punishment : (float, float) or pair of sympy expressions
        The payoffs ``p`` of the punishment imposed on a deviator, for each player.
    path : tuple of ((int, int), probability)
        The path as a lottery over pure profiles, duplicates merged.

    Examples
    --------
    >>> pd = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> critical_discount_factor(pd, (0, 0)).deviations[0]
    Deviation(profile=(0, 0), action=1, gain=2.0)
    """

    value: Any
    per_player: tuple[Any, Any]
    deviations: tuple[Deviation | None, Deviation | None]
    path_payoffs: tuple[Any, Any]
    punishment: tuple[Any, Any]
    path: tuple[tuple[Profile, Any], ...]

    def __repr__(self) -> str:
        return (
            f"CriticalDiscountFactor(value={self.value}, per_player={self.per_player}, "
            f"path_payoffs={self.path_payoffs}, punishment={self.punishment})"
        )


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

    With the gain ``G = g_k^dev(a) - g_k(a) >= 0`` and ``u_k > p_k`` this reads ``delta
    >= delta_k(a) = G / (G + u_k - p_k)`` (DESIGN section 5; for the prisoner's
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
        Numeric games only: a gap ``u_k - p_k`` at most ``tol * (1 + size)``, ``size``
        the larger of the two payoff ranges, counts as zero (the punishment does not
        hurt), so that a Nash payoff equal to the path's payoff up to round-off gives
        ``math.inf`` rather than a threshold just below 1.

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
    if isinstance(game, Game):
        return _numeric(game, path, punishment, tol)
    from powergames.symbolic import SymbolicGame

    if isinstance(game, SymbolicGame):
        return _symbolic(game, path, punishment)
    raise InvalidParameterError(
        f"game must be a powergames.Game or SymbolicGame, got {type(game).__name__}"
    )


# ---------------------------------------------------------------------- the path
def _is_integer(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _profile(value: Any, shape: tuple[int, int], name: str) -> Profile:
    m, n = shape
    try:
        i, j = value
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{name} must be a pure profile (row, column), got {value!r}"
        ) from None
    if not (_is_integer(i) and _is_integer(j)):
        raise InvalidParameterError(f"{name} must be a pair of integer indices, got {value!r}")
    if not (0 <= i < m and 0 <= j < n):
        raise InvalidParameterError(
            f"{name} must index a profile of the {m}x{n} game, got {(int(i), int(j))}"
        )
    return int(i), int(j)


def _lottery(path: Any, shape: tuple[int, int]) -> list[tuple[Profile, Any]]:
    """The path as a list of (profile, probability), probabilities unchecked."""
    if isinstance(path, (str, bytes)) or not isinstance(path, (Sequence, np.ndarray)):
        raise InvalidParameterError(
            "path must be a pure profile (row, column) or a sequence of "
            f"((row, column), probability) pairs, got {path!r}"
        )
    if len(path) == 2 and _is_integer(path[0]):
        return [(_profile(path, shape, "path"), 1)]
    if len(path) == 0:
        raise InvalidParameterError("path must hold at least one profile, got an empty lottery")
    lottery = []
    for k, entry in enumerate(path):
        try:
            profile, probability = entry
        except (TypeError, ValueError):
            raise InvalidParameterError(
                f"path[{k}] must be a pair ((row, column), probability), got {entry!r}"
            ) from None
        lottery.append((_profile(profile, shape, f"path[{k}][0]"), probability))
    return lottery


def _check_probabilities(lottery: list[tuple[Profile, Any]], path: Any) -> list[float]:
    values = []
    for k, (_, probability) in enumerate(lottery):
        try:
            value = float(probability)
        except (TypeError, ValueError):
            raise InvalidParameterError(
                f"path[{k}][1] must be a probability, got {probability!r}"
            ) from None
        if isinstance(probability, (bool, np.bool_)) or not (math.isfinite(value) and value > 0):
            raise InvalidParameterError(
                f"path[{k}][1] must be a positive probability, got {probability!r}"
            )
        values.append(value)
    total = math.fsum(values)
    if abs(total - 1.0) > 1e-9:
        raise InvalidParameterError(
            f"the probabilities of path must sum to 1, got {total!r} in {path!r}"
        )
    return values


def _merge(lottery: list[tuple[Profile, Any]]) -> list[tuple[Profile, Any]]:
    merged: dict[Profile, Any] = {}
    for profile, probability in lottery:
        merged[profile] = merged[profile] + probability if profile in merged else probability
    return list(merged.items())


def _punishment_name(punishment: Any) -> str | None:
    if not isinstance(punishment, str):
        return None
    if punishment not in PUNISHMENTS:
        raise InvalidParameterError(
            f"punishment must be one of {PUNISHMENTS} or a pair of payoffs, got {punishment!r}"
        )
    return punishment


def _pair(punishment: Any) -> tuple[Any, Any]:
    try:
        first, second = punishment
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"punishment must be one of {PUNISHMENTS} or a pair of payoffs, got {punishment!r}"
        ) from None
    return first, second


# ----------------------------------------------------------------------- numeric
def _numeric(game: Game, path: Any, punishment: Any, tol: float) -> CriticalDiscountFactor:
    if not (isinstance(tol, (int, float)) and math.isfinite(tol) and tol >= 0):
        raise InvalidParameterError(f"tol must be a non-negative number, got {tol!r}")
    A, B = game.payoffs
    lottery = _lottery(path, game.shape)
    weights = _check_probabilities(lottery, path)
    lottery = _merge([(profile, w) for (profile, _), w in zip(lottery, weights, strict=True)])
    u = (
        math.fsum(p * float(A[a]) for a, p in lottery),
        math.fsum(p * float(B[a]) for a, p in lottery),
    )
    p = _numeric_punishment(game, punishment)
    slack = tol * (1.0 + max(float(np.ptp(A)), float(np.ptp(B))))
    thresholds: list[float] = []
    deviations: list[Deviation] = []
    for k in (0, 1):
        gap = u[k] - p[k]
        best: tuple[float, Deviation] | None = None
        for a, _ in lottery:
            threshold, deviation = _numeric_threshold(A, B, a, k, gap, slack)
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
        path=tuple(lottery),
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
    name = _punishment_name(punishment)
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
    values = []
    for value in _pair(punishment):
        number = None
        if isinstance(value, (numbers.Real, Fraction)) and not isinstance(value, bool):
            number = float(value)
        elif _is_sympy_number(value):
            number = float(value)
        if number is None or not math.isfinite(number):
            raise InvalidParameterError(
                f"punishment payoffs must be finite real numbers, got {punishment!r}"
            )
        values.append(number)
    return values[0], values[1]


def _is_sympy_number(value: Any) -> bool:
    is_number = getattr(value, "is_number", False)
    return bool(is_number) and bool(getattr(value, "is_real", False))


# ---------------------------------------------------------------------- symbolic
def _symbolic(game: SymbolicGame, path: Any, punishment: Any) -> CriticalDiscountFactor:
    import sympy as sp

    A, B = game.payoffs
    lottery = _lottery(path, game.shape)
    if not any(_is_symbolic_probability(probability) for _, probability in lottery):
        _check_probabilities(lottery, path)
    lottery = _merge([(profile, _exact(probability)) for profile, probability in lottery])
    u = (
        sp.Add(*[probability * A[a] for a, probability in lottery]),
        sp.Add(*[probability * B[a] for a, probability in lottery]),
    )
    p = _symbolic_punishment(game, punishment)
    thresholds = []
    deviations: list[Deviation | None] = []
    for k in (0, 1):
        gap = u[k] - p[k]
        candidates = []
        for a, _ in lottery:
            action: int | None
            if game.shape[k] == 1:  # nothing to deviate to
                candidates.append((sp.S.Zero, Deviation(a, a[k], sp.S.Zero)))
                continue
            gain = game.deviation_gains(*a)[k]  # Max(G_alt, 0)
            first = (sp.S.Zero if gain == 0 else gain / (gain + gap), gap > 0)
            threshold = sp.Piecewise(first, (0, sp.Eq(gap, 0) & sp.Eq(gain, 0)), (sp.oo, True))
            options = A[:, a[1]] if k == 0 else B[a[0], :]
            action = a[k] if gain == 0 else _symbolic_best_reply(options, gain, a, k)
            candidates.append((threshold, Deviation(a, action, gain)))
        thresholds.append(sp.Max(*[threshold for threshold, _ in candidates]))
        deviations.append(_binding(candidates))
    return CriticalDiscountFactor(
        value=sp.Max(thresholds[0], thresholds[1]),
        per_player=(thresholds[0], thresholds[1]),
        deviations=(deviations[0], deviations[1]),
        path_payoffs=u,
        punishment=p,
        path=tuple(lottery),
    )


def _is_symbolic_probability(probability: Any) -> bool:
    free = getattr(probability, "free_symbols", None)
    return bool(free)


def _exact(value: Any) -> Any:
    """A probability or payoff as an exact sympy number (a float as the decimal it prints
    as), sympy expressions unchanged."""
    import sympy as sp

    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if _is_integer(value):
        return sp.Integer(int(value))
    if isinstance(value, (float, np.floating)):
        return sp.Rational(repr(float(value)))
    raise InvalidParameterError(f"expected a number or a sympy expression, got {value!r}")


def _symbolic_punishment(game: SymbolicGame, punishment: Any) -> tuple[Any, Any]:
    import sympy as sp

    name = _punishment_name(punishment)
    if name == "nash-reversion":
        raise InvalidParameterError(
            "punishment='nash-reversion' needs the stage Nash equilibria, which have no "
            "closed form for a SymbolicGame in general: substitute numbers with "
            "game.subs(...), or give the punishment payoffs (p_0, p_1) explicitly"
        )
    A, B = game.payoffs
    m, n = game.shape
    if name is not None:  # "minmax" and "pure-minmax": pure strategies
        row = sp.Min(*[sp.Max(*[A[i, j] for i in range(m)]) for j in range(n)])
        col = sp.Min(*[sp.Max(*[B[i, j] for j in range(n)]) for i in range(m)])
        return row, col
    values = []
    for value in _pair(punishment):
        if isinstance(value, str) or isinstance(value, (bool, np.bool_)):
            raise InvalidParameterError(
                "punishment payoffs must be numbers or sympy expressions (not text), "
                f"got {punishment!r}"
            )
        try:
            exact = _exact(value)
        except InvalidParameterError:
            raise InvalidParameterError(
                f"punishment payoffs must be numbers or sympy expressions, got {punishment!r}"
            ) from None
        if exact.is_number and not (exact.is_real and exact.is_finite):
            raise InvalidParameterError(
                f"punishment payoffs must be finite real numbers, got {punishment!r}"
            )
        values.append(exact)
    return values[0], values[1]


def _symbolic_best_reply(options: Any, gain: Any, profile: Profile, k: int) -> int | None:
    """The index of the best reply when sympy can tell which payoff attains the maximum."""
    best = options[profile[k]] + gain  # the Max of the options, as sympy evaluated it
    for index, option in enumerate(options):
        if option == best or (best - option).is_zero:
            return index
    return None


def _binding(candidates: list[tuple[Any, Deviation]]) -> Deviation | None:
    """The deviation whose threshold provably is the largest, if sympy can tell."""
    import sympy as sp

    if len(candidates) == 1:
        return candidates[0][1]
    for threshold, deviation in candidates:
        if all(sp.Ge(threshold, other) == sp.true for other, _ in candidates):
            return deviation
    return None
