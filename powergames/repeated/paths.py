"""Stationary paths of play and the punishment of deviators: what
:func:`~powergames.repeated.critical_discount_factor` takes and returns, for numeric
and symbolic games alike."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from powergames._validate import is_integer, pair, real, short
from powergames.errors import InvalidParameterError

__all__ = [
    "PUNISHMENTS",
    "CriticalDiscountFactor",
    "Deviation",
    "Profile",
    "check_probabilities",
    "lottery",
    "merge",
    "punishment_name",
    "punishment_pair",
]

#: The punishments :func:`~powergames.repeated.critical_discount_factor` knows by name.
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
    >>> from powergames import Game
    >>> from powergames.repeated import critical_discount_factor
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


def profile(value: Any, shape: tuple[int, int], name: str) -> Profile:
    """A pure profile ``(row, column)`` of a game of this shape.

    Examples
    --------
    >>> profile((1, 0), (2, 2), "path")
    (1, 0)
    """
    m, n = shape
    try:
        i, j = value
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{name} must be a pure profile (row, column), got {short(value)}"
        ) from None
    if not (is_integer(i) and is_integer(j)):
        raise InvalidParameterError(f"{name} must be a pair of integer indices, got {short(value)}")
    if not (0 <= i < m and 0 <= j < n):
        raise InvalidParameterError(
            f"{name} must index a profile of the {m}x{n} game, got {(int(i), int(j))}"
        )
    return int(i), int(j)


def lottery(path: Any, shape: tuple[int, int]) -> list[tuple[Profile, Any]]:
    """The path as a list of (profile, probability), probabilities unchecked: a pure
    profile is the lottery that plays it with probability 1.

    Examples
    --------
    >>> lottery((0, 1), (2, 2))
    [((0, 1), 1)]
    """
    if isinstance(path, (str, bytes)) or not isinstance(path, (Sequence, np.ndarray)):
        raise InvalidParameterError(
            "path must be a pure profile (row, column) or a sequence of "
            f"((row, column), probability) pairs, got {short(path)}"
        )
    if len(path) == 2 and is_integer(path[0]):
        return [(profile(path, shape, "path"), 1)]
    if len(path) == 0:
        raise InvalidParameterError("path must hold at least one profile, got an empty lottery")
    entries = []
    for k, entry in enumerate(path):
        try:
            played, probability = entry
        except (TypeError, ValueError):
            raise InvalidParameterError(
                f"path[{k}] must be a pair ((row, column), probability), got {short(entry)}"
            ) from None
        entries.append((profile(played, shape, f"path[{k}][0]"), probability))
    return entries


def check_probabilities(entries: list[tuple[Profile, Any]], path: Any) -> list[float]:
    """The lottery's probabilities as floats: each positive, summing to 1.

    Examples
    --------
    >>> check_probabilities([((0, 0), 0.25), ((1, 1), 0.75)], None)
    [0.25, 0.75]
    """
    values = []
    for k, (_, probability) in enumerate(entries):
        if hasattr(probability, "is_number") and probability.is_number:
            probability = float(probability)  # a sympy number
        values.append(real(probability, f"path[{k}][1]", low=0.0, low_open=True, array=False))
    total = math.fsum(values)
    if abs(total - 1.0) > 1e-9:
        raise InvalidParameterError(
            f"the probabilities of path must sum to 1, got {total!r} in {short(path)}"
        )
    return values


def merge(entries: list[tuple[Profile, Any]]) -> list[tuple[Profile, Any]]:
    """The lottery with repeated profiles merged (their probabilities added).

    Examples
    --------
    >>> merge([((0, 0), 0.5), ((0, 0), 0.5)])
    [((0, 0), 1.0)]
    """
    merged: dict[Profile, Any] = {}
    for played, probability in entries:
        merged[played] = merged[played] + probability if played in merged else probability
    return list(merged.items())


def punishment_name(punishment: Any) -> str | None:
    """The punishment's name, or None for punishment payoffs.

    Examples
    --------
    >>> punishment_name("minmax"), punishment_name((1, 1))
    ('minmax', None)
    """
    if not isinstance(punishment, str):
        return None
    if punishment not in PUNISHMENTS:
        raise InvalidParameterError(
            f"punishment must be one of {PUNISHMENTS} or a pair of payoffs, got {punishment!r}"
        )
    return punishment


def punishment_pair(punishment: Any) -> tuple[Any, Any]:
    """The two punishment payoffs given explicitly, unchecked.

    Examples
    --------
    >>> punishment_pair((1, 2))
    (1, 2)
    """
    try:
        return pair(punishment, "punishment")
    except InvalidParameterError:
        raise InvalidParameterError(
            f"punishment must be one of {PUNISHMENTS} or a pair of payoffs, got {short(punishment)}"
        ) from None
