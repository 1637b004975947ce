"""The critical discount factor of a stationary path in a :class:`SymbolicGame`: each
player's threshold as a sympy ``Piecewise``, exact."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from powergames._validate import is_integer, short
from powergames.errors import InvalidParameterError
from powergames.repeated.paths import (
    CriticalDiscountFactor,
    Deviation,
    Profile,
    check_probabilities,
    lottery,
    merge,
    punishment_name,
    punishment_pair,
)

if TYPE_CHECKING:  # pragma: no cover
    from powergames.symbolic import SymbolicGame

__all__ = ["symbolic_critical_discount_factor"]


def symbolic_critical_discount_factor(
    game: SymbolicGame, path: Any, punishment: Any
) -> CriticalDiscountFactor:
    """:func:`~powergames.repeated.critical_discount_factor` on a symbolic game.

    Player k's threshold at a profile a of the path is ``G / (G + u_k - p_k)`` where
    the gap ``u_k - p_k`` is positive, 0 where the gap and the gain ``G`` are both 0,
    and ``oo`` otherwise (the punishment does not deter); the player's threshold is
    the ``Max`` over the path, the value the ``Max`` over the players.

    Examples
    --------
    >>> from powergames.symbolic import SymbolicGame
    >>> T, R, P = sp.symbols("T R P", positive=True)
    >>> game = SymbolicGame([[R, 0], [T, P]], [[R, T], [0, P]])
    >>> result = symbolic_critical_discount_factor(game, (0, 0), (P, P))
    >>> result.deviations[0].gain
    -R + Max(R, T)
    """
    A, B = game.payoffs
    entries = lottery(path, game.shape)
    if not any(getattr(probability, "free_symbols", None) for _, probability in entries):
        check_probabilities(entries, path)
    entries = merge([(played, exact(probability)) for played, probability in entries])
    u = (
        sp.Add(*[probability * A[a] for a, probability in entries]),
        sp.Add(*[probability * B[a] for a, probability in entries]),
    )
    p = _punishment(game, punishment)
    thresholds = []
    deviations: list[Deviation | None] = []
    for k in (0, 1):
        gap = u[k] - p[k]
        candidates = []
        for a, _ in entries:
            action: int | None
            if game.shape[k] == 1:  # nothing to deviate to
                candidates.append((sp.S.Zero, Deviation(a, a[k], sp.S.Zero)))
                continue
            gain = game.deviation_gains(*a)[k]  # Max(G_alt, 0)
            first = (sp.S.Zero if gain == 0 else gain / (gain + gap), gap > 0)
            threshold = sp.Piecewise(first, (0, sp.Eq(gap, 0) & sp.Eq(gain, 0)), (sp.oo, True))
            options = A[:, a[1]] if k == 0 else B[a[0], :]
            action = a[k] if gain == 0 else _best_reply(options, gain, a, k)
            candidates.append((threshold, Deviation(a, action, gain)))
        thresholds.append(sp.Max(*[threshold for threshold, _ in candidates]))
        deviations.append(_binding(candidates))
    return CriticalDiscountFactor(
        value=sp.Max(thresholds[0], thresholds[1]),
        per_player=(thresholds[0], thresholds[1]),
        deviations=(deviations[0], deviations[1]),
        path_payoffs=u,
        punishment=p,
        path=tuple(entries),
    )


def exact(value: Any) -> Any:
    """A probability or payoff as an exact sympy number (a float as the decimal it prints
    as), sympy expressions unchanged.

    Examples
    --------
    >>> exact(0.1), exact(Fraction(1, 3)), exact(2)
    (1/10, 1/3, 2)
    """
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if is_integer(value):
        return sp.Integer(int(value))
    if isinstance(value, (float, np.floating)):
        return sp.Rational(repr(float(value)))
    raise InvalidParameterError(f"expected a number or a sympy expression, got {short(value)}")


def _punishment(game: SymbolicGame, punishment: Any) -> tuple[Any, Any]:
    name = punishment_name(punishment)
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
    for value in punishment_pair(punishment):
        if isinstance(value, (str, bool, np.bool_)):
            raise InvalidParameterError(
                "punishment payoffs must be numbers or sympy expressions (not text), "
                f"got {short(punishment)}"
            )
        try:
            number = exact(value)
        except InvalidParameterError:
            raise InvalidParameterError(
                f"punishment payoffs must be numbers or sympy expressions, got {short(punishment)}"
            ) from None
        if number.is_number and not (number.is_real and number.is_finite):
            raise InvalidParameterError(
                f"punishment payoffs must be finite real numbers, got {short(punishment)}"
            )
        values.append(number)
    return values[0], values[1]


def _best_reply(options: Any, gain: Any, played: Profile, k: int) -> int | None:
    """The index of the best reply when sympy can tell which payoff attains the maximum."""
    best = options[played[k]] + gain  # the Max of the options, as sympy evaluated it
    for index, option in enumerate(options):
        if option == best or (best - option).is_zero:
            return index
    return None


def _binding(candidates: list[tuple[Any, Deviation]]) -> Deviation | None:
    """The deviation whose threshold provably is the largest, if sympy can tell."""
    if len(candidates) == 1:
        return candidates[0][1]
    for threshold, deviation in candidates:
        if all(sp.Ge(threshold, other) == sp.true for other, _ in candidates):
            return deviation
    return None
