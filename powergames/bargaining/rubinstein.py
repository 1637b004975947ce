"""Rubinstein's alternating-offers bargaining (Rubinstein 1982) and its extensions.

Outside options (Binmore, Shaked & Sutton 1989), a risk of breakdown (Binmore,
Rubinstein & Wolinsky 1986), a non-linear utility frontier (Osborne & Rubinstein
1990, chapter 4) and the limit of vanishing period length, which is the generalised
Nash solution with weights ``(r2, r1) / (r1 + r2)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp

from powergames._validate import discount_factor, is_symbolic, pair, real, short
from powergames.bargaining.agreement import Agreement
from powergames.errors import InfeasibleProblemError, InvalidParameterError

__all__ = ["rubinstein", "rubinstein_limit"]


def rubinstein(
    delta1: Any,
    delta2: Any,
    *,
    surplus: Any = 1,
    outside_options: tuple[Any, Any] | None = None,
    breakdown: tuple[Any, tuple[Any, Any]] | None = None,
    frontier: Callable[[float], float] | None = None,
) -> Agreement:
    """The subgame-perfect equilibrium of alternating offers; player 1 proposes first.

    Player 1 proposes a division of ``surplus``; player 2 accepts or rejects; after a
    rejection player 2 proposes, and so on. Player i discounts each period by
    ``delta_i``. Perpetual disagreement is worth 0 to both. The equilibrium is unique
    and stationary (the game without options or breakdown: Rubinstein 1982; with
    one-sided options: Osborne & Rubinstein 1990, proposition 3.5; with options for
    both players this is the stationary equilibrium, one of possibly many: Ponsati &
    Sakovics 1998). Agreement is immediate.

    1. Let ``q_i = (1 - p) delta_i`` and ``c_i = p b_i`` (``p = 0``, ``b = 0`` without
       breakdown). A responder i accepts a payoff u iff
       ``u >= max(w_i, c_i + q_i V_i)``, where ``V_i`` is what i gets as the next
       proposer and ``w_i`` its outside option (0 without options). Each proposer
       offers exactly that, so the proposers' payoffs ``X`` (player 1) and ``Y``
       (player 2) solve ``X = S - max(w2, c2 + q2 Y)``, ``Y = S - max(w1, c1 + q1 X)``.
    2. Without options: ``X0 = (S (1 - q2) - c2 + q2 c1) / (1 - q1 q2)``; with
       ``p = 0`` this is Rubinstein's ``X0 = S (1 - delta2) / (1 - delta1 delta2)``.
    3. The map ``T(X) = S - max(w2, c2 + q2 (S - max(w1, c1 + q1 X)))`` is ``X0``'s
       affine map clipped to an interval, so its fixed point is ``T(X0)``:
       ``X = S - max(w2, c2 + q2 (S - max(w1, c1 + q1 X0)))`` and
       ``Y = S - max(w1, c1 + q1 X)``. An option matters only when it exceeds what
       the player gets as responder without it (the outside option principle,
       Binmore, Shaked & Sutton 1989): ``w2 > c2 + q2 Y0`` or ``w1 > c1 + q1 X0``.
    4. With a ``frontier`` f (player 2's utility ``f(u1)``, no options or breakdown),
       the proposals ``(s, f(s))`` of player 1 and ``(t, f(t))`` of player 2 satisfy
       ``t = delta1 s`` and ``f(s) = delta2 f(t)``; ``s`` is the root, by ``brentq``,
       of ``g(s) = f(s) - delta2 f(delta1 s)``, which decreases for concave f and has
       ``g(0) > 0``; if ``g(surplus) >= 0`` player 2 accepts ``s = surplus``.

    Parameters
    ----------
    delta1, delta2 : float, array or sympy expression
        Discount factors in [0, 1). With a breakdown probability ``p > 0`` a
        discount factor may be 1 (bargaining ends by breakdown, not by impatience);
        it must then be 1 only where ``p > 0``.
    surplus : float, array or sympy expression, default 1
        The amount to divide, positive. With a ``frontier``: player 1's largest
        utility, the right end of the frontier's domain.
    outside_options : pair, optional
        ``(w1, w2)``, absolute amounts (units of ``surplus``), non-negative with
        ``w1 + w2 <= surplus`` (up to rounding). Player i may opt out and take ``w_i``
        when responding.
    breakdown : pair, optional
        ``(p, (b1, b2))``: after each rejection the negotiation breaks down with
        probability p in [0, 1), at once and undiscounted, and the players get
        ``(b1, b2)``, absolute amounts, non-negative with ``b1 + b2 < surplus``.
    frontier : callable, optional
        ``f(u1)``, player 2's utility on the Pareto frontier for ``u1`` in
        ``[0, surplus]``: decreasing, concave, ``f(0) > 0``, ``f(surplus) >= 0``
        (usually 0). Needs float discount factors and no options or breakdown.

    Returns
    -------
    Agreement
        ``payoffs``: the first proposal, accepted at once; ``solution ==
        "rubinstein"``; ``parameters`` holds the inputs and ``"proposals"``, the
        payoff pairs proposed by player 1 and by player 2; ``disagreement`` is
        ``(b1, b2)`` with breakdown, None otherwise. Floats for scalar input, arrays
        (broadcast) for array input, sympy expressions for symbolic input.

    Raises
    ------
    InvalidParameterError
        Arguments outside their domains, NaN, or shapes that do not broadcast.
    InfeasibleProblemError
        ``w1 + w2 > surplus`` or ``b1 + b2 >= surplus``: no gain from agreement.

    References
    ----------
    Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. Econometrica
    50(1), 97-109.
    Binmore, K., Rubinstein, A. and Wolinsky, A. (1986). The Nash bargaining solution
    in economic modelling. RAND Journal of Economics 17(2), 176-188.
    Binmore, K., Shaked, A. and Sutton, J. (1989). An outside option experiment.
    Quarterly Journal of Economics 104(4), 753-770.
    Osborne, M. J. and Rubinstein, A. (1990). Bargaining and Markets. Academic Press,
    sections 3.10-3.12 and chapter 4.
    Ponsati, C. and Sakovics, J. (1998). Rubinstein bargaining with two-sided outside
    options. Economic Theory 11, 667-672.

    Examples
    --------
    >>> rubinstein(0.9, 0.8).payoffs  # 5/7 for the first proposer
    (0.714285714, 0.285714286)
    >>> rubinstein(0.9, 0.9, outside_options=(0, 0.6)).payoffs  # the option binds
    (0.4, 0.6)
    >>> rubinstein(1, 1, breakdown=(0.5, (0.2, 0.1))).payoffs
    (0.666666667, 0.333333333)
    >>> rubinstein(np.array([0.5, 0.9]), 0.9).payoffs[0]
    array([0.18181818, 0.52631579])
    >>> d1, d2 = sp.symbols("delta1 delta2", positive=True)
    >>> rubinstein(d1, d2).payoffs
    ((1 - delta2)/(-delta1*delta2 + 1), (-delta1*delta2 + delta2)/(-delta1*delta2 + 1))
    >>> rubinstein(0.9, 0.9, frontier=lambda u: 1 - u).payoffs
    (0.526315789, 0.473684211)
    """
    if frontier is not None:
        if outside_options is not None or breakdown is not None:
            raise InvalidParameterError(
                "frontier cannot be combined with outside_options or breakdown"
            )
        return _rubinstein_frontier(frontier, delta1, delta2, surplus)
    values: dict[str, Any] = {"delta1": delta1, "delta2": delta2, "surplus": surplus}
    if outside_options is not None:
        values["outside_options[0]"], values["outside_options[1]"] = pair(
            outside_options, "outside_options"
        )
    if breakdown is not None:
        values["breakdown[0]"], b = pair(breakdown, "breakdown")
        values["breakdown[1][0]"], values["breakdown[1][1]"] = pair(b, "breakdown[1]")
    v, symbolic, shape = _coerce(values)
    zero: Any = sp.Integer(0) if symbolic else 0.0
    d1, d2, S = v["delta1"], v["delta2"], v["surplus"]
    p = v.get("breakdown[0]", zero)
    b1, b2 = v.get("breakdown[1][0]", zero), v.get("breakdown[1][1]", zero)
    w1, w2 = v.get("outside_options[0]", zero), v.get("outside_options[1]", zero)

    _require("surplus", S, S > 0, "positive")
    unit = "in [0, 1)" if breakdown is None else "in [0, 1), or 1 where the breakdown p > 0"
    for name, d in (("delta1", d1), ("delta2", d2)):
        _require(name, d, (d >= 0) & ((d < 1) | (p > 0) & (d <= 1)), unit)
    if outside_options is not None:
        _require("outside_options[0]", w1, w1 >= 0, "non-negative")
        _require("outside_options[1]", w2, w2 >= 0, "non-negative")
        message = "outside options w1 + w2 exceed the surplus"
        # Options that split the surplus exactly (w2 = S - w1, computed) may sum to a few
        # units in the last place above it: rounding, not infeasibility.
        rounding = 0 if symbolic else 4 * np.finfo(float).eps * np.abs(S)
        _require(
            "w1 + w2",
            w1 + w2,
            w1 + w2 <= S + rounding,
            "",
            error=InfeasibleProblemError,
            message=message,
        )
    if breakdown is not None:
        _require("breakdown[0]", p, (p >= 0) & (p < 1), "a probability in [0, 1)")
        _require("breakdown[1][0]", b1, b1 >= 0, "non-negative")
        _require("breakdown[1][1]", b2, b2 >= 0, "non-negative")
        message = "breakdown payoffs b1 + b2 leave no gain from agreement"
        _require("b1 + b2", b1 + b2, b1 + b2 < S, "", error=InfeasibleProblemError, message=message)

    # Steps 1-3: stationary proposals, then the options by one application of T.
    # e_i = 1 - q_i is formed without cancellation (p or 1 - delta_i near 0), and so is
    # 1 - q1 q2 = e1 + q1 e2 for numbers; sympy keeps the textbook form.
    q1, q2, c1, c2 = (1 - p) * d1, (1 - p) * d2, p * b1, p * b2
    e1, e2 = p + (1 - p) * (1 - d1), p + (1 - p) * (1 - d2)
    x = (S * e2 - c2 + q2 * c1) / (1 - q1 * q2 if symbolic else e1 + q1 * e2)
    if outside_options is None:
        y = S - c1 - q1 * x
    else:
        big = sp.Max if symbolic else np.maximum
        x = S - big(w2, c2 + q2 * (S - big(w1, c1 + q1 * x)))
        y = S - big(w1, c1 + q1 * x)

    def out(value: Any) -> Any:
        if symbolic:
            value = sp.sympify(value)
            if value.has(sp.Max):
                return value
            # cancel removes the factor p that breakdown puts in both numerator and denominator
            return sp.cancel(value) if breakdown is not None else sp.together(value)
        array = np.broadcast_to(np.asarray(value, dtype=float), shape)
        return float(array) if shape == () else array.copy()

    u1, u2 = out(x), out(S - x)
    parameters = {
        "delta1": out(d1),
        "delta2": out(d2),
        "surplus": out(S),
        "outside_options": None if outside_options is None else (out(w1), out(w2)),
        "breakdown": None if breakdown is None else (out(p), (out(b1), out(b2))),
        "proposals": ((u1, u2), (out(S - y), out(y))),
    }
    disagreement = None if breakdown is None else (out(b1), out(b2))
    return Agreement((u1, u2), "rubinstein", parameters, disagreement)


def rubinstein_limit(rate1: Any, rate2: Any, *, surplus: Any = 1) -> Agreement:
    """The limit of :func:`rubinstein` as the period length goes to 0.

    1. With period length ``Delta`` the discount factors are
       ``delta_i = exp(-r_i Delta)``.
    2. As ``Delta -> 0``, ``(1 - delta2) / (1 - delta1 delta2) -> r2 / (r1 + r2)``
       (l'Hopital), so player 1 gets ``surplus r2 / (r1 + r2)`` and player 2
       ``surplus r1 / (r1 + r2)``: the generalised Nash solution with weights
       ``(r2, r1) / (r1 + r2)`` and disagreement point 0; the more patient player
       (smaller rate) gets more, and the first-mover advantage has vanished
       (Binmore, Rubinstein & Wolinsky 1986).

    Parameters
    ----------
    rate1, rate2 : float, array or sympy expression
        Discount rates per unit of time, positive.
    surplus : float, array or sympy expression, default 1
        The amount to divide, positive.

    Returns
    -------
    Agreement
        ``solution == "rubinstein-limit"``; ``parameters`` holds the rates, the
        surplus and the Nash ``weights``.

    Raises
    ------
    InvalidParameterError
        A rate or surplus that is not positive, NaN, or shapes that do not broadcast.

    References
    ----------
    Binmore, K., Rubinstein, A. and Wolinsky, A. (1986). The Nash bargaining solution
    in economic modelling. RAND Journal of Economics 17(2), 176-188.

    Examples
    --------
    >>> rubinstein_limit(0.05, 0.10).payoffs
    (0.666666667, 0.333333333)
    >>> r1, r2 = sp.symbols("r1 r2", positive=True)
    >>> rubinstein_limit(r1, r2).payoffs
    (r2/(r1 + r2), r1/(r1 + r2))
    """
    v, symbolic, shape = _coerce({"rate1": rate1, "rate2": rate2, "surplus": surplus})
    r1, r2, S = v["rate1"], v["rate2"], v["surplus"]
    _require("rate1", r1, r1 > 0, "positive")
    _require("rate2", r2, r2 > 0, "positive")
    _require("surplus", S, S > 0, "positive")

    def out(value: Any) -> Any:
        if symbolic:
            return sp.together(value)
        array = np.broadcast_to(np.asarray(value, dtype=float), shape)
        return float(array) if shape == () else array.copy()

    weights = (out(r2 / (r1 + r2)), out(r1 / (r1 + r2)))
    payoffs = (out(S * r2 / (r1 + r2)), out(S * r1 / (r1 + r2)))
    parameters = {"rate1": out(r1), "rate2": out(r2), "surplus": out(S), "weights": weights}
    return Agreement(payoffs, "rubinstein-limit", parameters)


def _rubinstein_frontier(
    f: Callable[[float], float], delta1: Any, delta2: Any, surplus: Any
) -> Agreement:
    """Step 4 of :func:`rubinstein`: the proposals on a non-linear frontier."""
    if not callable(f):
        raise InvalidParameterError(f"frontier must be callable, got {short(f)}")
    if is_symbolic(delta1, delta2, surplus) or any(
        np.ndim(v) > 0 for v in (delta1, delta2, surplus)
    ):
        raise InvalidParameterError("a frontier needs real scalar delta1, delta2 and surplus")
    d1: float = discount_factor(delta1, "delta1")
    d2: float = discount_factor(delta2, "delta2")
    S: float = real(surplus, "surplus", low=0.0, low_open=True, array=False)

    def u2(u1: float) -> float:
        value = float(f(u1))
        if not math.isfinite(value):
            raise InvalidParameterError(f"frontier({u1!r}) must be finite, got {value!r}")
        return value

    top, end = u2(0.0), u2(S)
    if top <= 0 or end < 0 or end >= top:
        raise InvalidParameterError(
            f"frontier must decrease from f(0) > 0 to f(surplus) >= 0, got {top!r} and {end!r}"
        )

    def gap(s: float) -> float:  # player 2's gain from accepting s over proposing next
        return u2(s) - d2 * u2(d1 * s)

    # To rounding precision relative to the surplus, so that rescaling either player's
    # utility rescales the answer.
    tolerance = {"xtol": 1e-15 * S, "rtol": 4 * np.finfo(float).eps}
    from scipy.optimize import brentq  # slow to import: only for a frontier

    s = S if gap(S) >= 0 else float(brentq(gap, 0.0, S, **tolerance))
    t = d1 * s
    first, second = (s, u2(s)), (t, u2(t))
    parameters = {"delta1": d1, "delta2": d2, "surplus": S, "frontier": f}
    parameters["proposals"] = (first, second)
    return Agreement(first, "rubinstein", parameters)


def _coerce(values: dict[str, Any]) -> tuple[dict[str, Any], bool, tuple[int, ...]]:
    """Sympy expressions if any value is one, else float arrays with their broadcast shape."""
    if any(is_symbolic(value) for value in values.values()):
        exprs = {}
        for name, value in values.items():
            if isinstance(value, (np.ndarray, list, tuple)):
                raise InvalidParameterError(
                    f"{name} must be a number or a sympy expression, got {short(value)}"
                )
            real(value, name, array=False, symbolic=True)
            exprs[name] = sp.sympify(value)  # integers stay exact
        return exprs, True, ()
    arrays = {name: np.asarray(real(value, name)) for name, value in values.items()}
    try:
        shape = np.broadcast_shapes(*(array.shape for array in arrays.values()))
    except ValueError as exc:
        shapes = ", ".join(f"{name} {array.shape}" for name, array in arrays.items())
        raise InvalidParameterError(f"shapes do not broadcast: {shapes}") from exc
    return arrays, False, shape


def _require(
    name: str,
    value: Any,
    ok: Any,
    domain: str,
    *,
    error: type[Exception] = InvalidParameterError,
    message: str | None = None,
) -> None:
    """Raise ``error`` unless ``ok`` holds: everywhere for arrays; unless it is provably
    false for sympy relations (symbols of unknown sign pass)."""
    if isinstance(ok, sp.Basic):
        if ok is not sp.false:
            return
        shown: Any = value
    else:
        mask = np.asarray(ok, dtype=bool)
        if mask.all():
            return
        shown = float(np.broadcast_to(np.asarray(value, dtype=float), mask.shape)[~mask][0])
    raise error(f"{message or name + ' must be ' + domain}: got {name} = {shown!r}")
