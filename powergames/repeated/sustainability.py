"""Whether a payoff is sustained in equilibrium, and from which discount factor on."""

from __future__ import annotations

from dataclasses import dataclass

from numpy.typing import ArrayLike

from powergames._validate import pair, real
from powergames.game import Game, GameLike  # noqa: F401 (Game: the examples)
from powergames.repeated.abreu_sannikov import equilibrium_payoff_set

__all__ = ["MinimalDiscountFactor", "is_sustainable", "minimal_discount_factor"]


def _payoff(payoff: ArrayLike) -> tuple[float, float]:
    first, second = pair(payoff, "payoff")
    return real(first, "payoff[0]", array=False), real(second, "payoff[1]", array=False)


def is_sustainable(game: GameLike, payoff: ArrayLike, delta: float, *, tol: float = 1e-8) -> bool:
    """Whether some pure-strategy subgame-perfect equilibrium of the repeated game (with
    public randomisation) gives these average payoffs at discount factor ``delta``.

    ``tol`` is the allowed distance to the equilibrium payoff set, relative to its size.

    Examples
    --------
    >>> pd = Game([[9, 1], [10, 3]], [[9, 10], [1, 3]])
    >>> is_sustainable(pd, (9, 9), 0.5), is_sustainable(pd, (9, 9), 0.1)
    (True, False)
    """
    u = _payoff(payoff)
    tol = real(tol, "tol", low=0.0, high=1.0, high_open=True, array=False)
    return equilibrium_payoff_set(game, delta).contains(u, tol=tol)


@dataclass(frozen=True)
class MinimalDiscountFactor:
    """The smallest discount factor at which a payoff is an equilibrium payoff.

    Attributes
    ----------
    value : float
        Within ``tolerance`` above the true threshold: the payoff is sustainable at
        ``value`` and not at ``value - tolerance`` (unless ``value`` is 0). ``1.0``
        when it is not sustainable at any discount factor below ``upper``.
    tolerance : float
        The width of the final bisection bracket.
    """

    value: float
    tolerance: float


def minimal_discount_factor(
    game: GameLike, payoff: ArrayLike, *, tol: float = 1e-6, upper: float = 0.999
) -> MinimalDiscountFactor:
    """The smallest common discount factor at which ``payoff`` is a pure-strategy
    subgame-perfect equilibrium payoff, by bisection on membership in
    :func:`equilibrium_payoff_set`.

    Bisection is valid because with public randomisation the equilibrium payoff set
    grows with the discount factor.

    Parameters
    ----------
    game : Game
    payoff : pair of numbers
    tol : float, default 1e-6
        Width of the final bracket.
    upper : float, default 0.999
        The largest discount factor tried (sets converge slowly as delta nears 1).

    Examples
    --------
    >>> pd = Game([[9, 1], [10, 3]], [[9, 10], [1, 3]])   # grim trigger: (10-9)/(10-3)
    >>> round(minimal_discount_factor(pd, (9, 9)).value, 5)
    0.14286
    """
    u = _payoff(payoff)
    tol = real(tol, "tol", low=0.0, low_open=True, high=1.0, high_open=True, array=False)
    upper = real(upper, "upper", low=0.0, low_open=True, high=1.0, high_open=True, array=False)
    if is_sustainable(game, u, 0.0):
        return MinimalDiscountFactor(0.0, 0.0)
    if not is_sustainable(game, u, upper):
        return MinimalDiscountFactor(1.0, 1.0 - upper)
    low, high = 0.0, upper
    while high - low > tol:
        middle = (low + high) / 2
        if is_sustainable(game, u, middle):
            high = middle
        else:
            low = middle
    return MinimalDiscountFactor(high, high - low)
