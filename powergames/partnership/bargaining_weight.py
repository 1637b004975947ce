"""Where bargaining weights and patience come from: the limits of alternating offers
(Rubinstein 1982; Binmore, Rubinstein & Wolinsky 1986), and the discount factor of a
relation that may break down, which trust makes more patient."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from powergames._validate import exact_terms, real, same_kind
from powergames.bargaining import rubinstein_limit

__all__ = ["relation_discount_factor", "weight_from_breakdown", "weight_from_patience"]


def weight_from_patience(oci_rate: Any, ngo_rate: Any) -> Any:
    """The OCI's weight as the limit of alternating offers with vanishing periods.

    1. The OCI and the NGO bargain by alternating offers (Rubinstein 1982), each
       discounting time at its rate: ``delta_i = exp(-r_i Delta)`` per period of length
       ``Delta``.
    2. As ``Delta -> 0`` the first proposer's advantage vanishes and the split tends to
       the generalised Nash solution in which the OCI's weight is the NGO's share of
       the impatience, ``r_S / (r_N + r_S)`` (Binmore, Rubinstein & Wolinsky 1986):
       computed by :func:`powergames.bargaining.rubinstein_limit` with the OCI as player
       1, whose payoff is ``r2 / (r1 + r2)`` of a unit surplus.

    The more patient partner -- the one that can wait for the relation, for example
    because it has other funds -- takes the larger share. On the logit scale of
    :func:`inherited_weight`, ``power_balance(a) = log r_S - log r_N``.

    Parameters
    ----------
    oci_rate, ngo_rate : float, array or sympy expression
        Discount rates per unit of time, positive.

    Returns
    -------
    float, array or sympy expression
        The OCI's weight ``r_S / (r_N + r_S)`` in (0, 1).

    Raises
    ------
    InvalidParameterError
        A rate that is not positive, not finite, or arrays mixed with sympy.

    References
    ----------
    Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. Econometrica
    50(1), 97-109.
    Binmore, K., Rubinstein, A. and Wolinsky, A. (1986). The Nash bargaining solution
    in economic modelling. RAND Journal of Economics 17(2), 176-188.

    Examples
    --------
    >>> weight_from_patience(0.05, 0.10)   # the NGO is twice as impatient
    0.666666667
    >>> r_N, r_S = sp.symbols("r_N r_S", positive=True)
    >>> weight_from_patience(r_N, r_S)
    r_S/(r_N + r_S)
    """
    oci_rate = real(oci_rate, "oci_rate", low=0.0, low_open=True, symbolic=True)
    ngo_rate = real(ngo_rate, "ngo_rate", low=0.0, low_open=True, symbolic=True)
    same_kind({"oci_rate": oci_rate, "ngo_rate": ngo_rate}, "weight_from_patience")
    return rubinstein_limit(oci_rate, ngo_rate).payoffs[0]


def weight_from_breakdown(
    oci_hazard: Any, ngo_hazard: Any, *, oci_rate: Any = 0.0, ngo_rate: Any = 0.0
) -> Any:
    """The OCI's weight when the negotiation may break down (Binmore, Rubinstein &
    Wolinsky 1986), with the hazard of breakdown as each side perceives it.

    Breakdown ends the relation: each partner falls back on its outside option
    (``w_N``, ``w_S``), the model's minmax. With a common hazard and no discounting the
    limit is the *symmetric* Nash solution with the breakdown payoffs as disagreement
    point -- exactly the arbitration of the partnership model with weight 1/2: a shared
    fear of losing the relation equalises the partners. When each side perceives its
    own hazard, the one more afraid of a breakdown concedes more.

    1. Period length ``Delta``. Partner i discounts by ``delta_i = exp(-r_i Delta)`` and
       believes that after each rejection the negotiation breaks down with probability
       ``p_i = 1 - exp(-lambda_i Delta)``, leaving it ``w_i``.
    2. An agreement ``x`` reached after ``t`` rejections is then worth to i
       ``q_i^t (x_i - d_i) + d_i`` with ``q_i = (1 - p_i) delta_i`` and
       ``d_i = p_i w_i / (1 - q_i)``, the value of perpetual disagreement. Each partner
       can secure ``d_i`` by rejecting, and a responder's choice depends on its own
       belief only, so the game is Rubinstein's over the pie ``S - d_N - d_S`` with
       discount factors ``q_i``: the unique equilibrium (Rubinstein 1982; Shaked &
       Sutton 1984) gives the first proposer ``d_1 + (1 - q_2)/(1 - q_1 q_2) (S - d_1 -
       d_2)``. With a common hazard this is :func:`powergames.bargaining.rubinstein`
       with ``breakdown=(p, (w_1, w_2))``.
    3. As ``Delta -> 0``: ``q_i = exp(-rho_i Delta)`` with ``rho_i = r_i + lambda_i``,
       so the split tends to the generalised Nash solution with the OCI's weight
       ``rho_S / (rho_N + rho_S)`` (computed by
       :func:`powergames.bargaining.rubinstein_limit` with rates ``rho``) and the
       disagreement point ``d_i = lambda_i w_i / (r_i + lambda_i)``.

    Without discounting (the default) ``d = (w_N, w_S)``, the partnership model's
    disagreement point, and the weight is ``lambda_S / (lambda_N + lambda_S)``: it plugs
    into ``Parameters(inherited_weight=...)`` as it is. With positive rates the
    disagreement point moves from ``w`` towards 0, which the model's closed forms (they
    measure gains from ``(w_N, w_S)``) do not represent unless ``w_N = w_S = 0``.

    Different perceptions of one hazard are a model without a common prior; step 2
    shows the equilibrium stays unique and immediate here, because only the
    responder's belief enters its acceptance threshold. Who is right about the hazard
    does not change the split; only the perceptions do.

    Parameters
    ----------
    oci_hazard, ngo_hazard : float, array or sympy expression
        The breakdown hazard (per unit of time) perceived by the OCI and by the NGO,
        positive.
    oci_rate, ngo_rate : float, array or sympy expression, default 0
        Discount rates, non-negative.

    Returns
    -------
    float, array or sympy expression
        The OCI's weight ``(r_S + lambda_S) / (r_N + lambda_N + r_S + lambda_S)``.

    Raises
    ------
    InvalidParameterError
        A hazard that is not positive, a negative rate, non-finite values, or arrays
        mixed with sympy.

    References
    ----------
    Binmore, K., Rubinstein, A. and Wolinsky, A. (1986). The Nash bargaining solution
    in economic modelling. RAND Journal of Economics 17(2), 176-188.
    Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. Econometrica
    50(1), 97-109.
    Shaked, A. and Sutton, J. (1984). Involuntary unemployment as a perfect equilibrium
    in a bargaining model. Econometrica 52(6), 1351-1364.

    Examples
    --------
    >>> weight_from_breakdown(0.2, 0.2)   # a common hazard: the symmetric Nash solution
    0.5
    >>> weight_from_breakdown(0.1, 0.3)   # the NGO fears a breakdown more
    0.75
    >>> weight_from_breakdown(0.1, 0.1, oci_rate=0.05, ngo_rate=0.1)
    0.571428571
    >>> lam_N, lam_S = sp.symbols("lambda_N lambda_S", positive=True)
    >>> weight_from_breakdown(lam_N, lam_S)
    lambda_S/(lambda_N + lambda_S)
    """
    values = {
        "oci_hazard": real(oci_hazard, "oci_hazard", low=0.0, low_open=True, symbolic=True),
        "ngo_hazard": real(ngo_hazard, "ngo_hazard", low=0.0, low_open=True, symbolic=True),
        "oci_rate": real(oci_rate, "oci_rate", low=0.0, symbolic=True),
        "ngo_rate": real(ngo_rate, "ngo_rate", low=0.0, symbolic=True),
    }
    same_kind(values, "weight_from_breakdown")
    oci_hazard, ngo_hazard = values["oci_hazard"], values["ngo_hazard"]
    oci_rate, ngo_rate = values["oci_rate"], values["ngo_rate"]
    return rubinstein_limit(oci_rate + oci_hazard, ngo_rate + ngo_hazard).payoffs[0]


def relation_discount_factor(
    rate: Any, hazard: Any = 0.0, *, trust: Any = 0.0, period: Any = 1.0
) -> Any:
    """The partners' discount factor per period when the relation may break down:
    ``delta = exp(-r Dt) (1 - h)``, with the breakdown hazard ``h = hazard (1 - trust)``.

    1. Time: a payoff one period of length ``Dt`` later is worth ``exp(-r Dt)`` today.
    2. Breakdown: the relation survives a period with probability ``1 - h``; an ended
       relation pays the outside options, which the model's payoffs are measured from,
       so survival multiplies the value of the future like discounting does.
    3. Trust: the article's micro power rests « surtout, à la relation de confiance,
       de réciprocité et de solidarité » (above all on the relation of trust,
       reciprocity and solidarity). Trust does not move the split of the surplus (it is
       not zero-sum); it removes the fraction ``trust`` of the hazard, and so lengthens
       the shadow of the future.

    Parameters
    ----------
    rate : float, array or sympy expression
        The partners' discount rate per unit of time, non-negative.
    hazard : float, array or sympy expression, default 0
        The probability that the relation breaks down in a period, without trust, in
        [0, 1].
    trust : float, array or sympy expression, default 0
        The fraction of that hazard trust removes, in [0, 1].
    period : float, array or sympy expression, default 1
        The length of a period, positive.

    Returns
    -------
    float, array or sympy expression
        The discount factor, in [0, 1] (it is 1 only without discounting and hazard,
        which :class:`powergames.partnership.Parameters` refuses).

    Examples
    --------
    >>> round(relation_discount_factor(0.05, 0.4), 6)   # a fragile relation
    0.570737
    >>> round(relation_discount_factor(0.05, 0.4, trust=0.75), 6)   # with trust
    0.856106
    >>> r, h, t = sp.symbols("r h t", nonnegative=True)
    >>> relation_discount_factor(r, h, trust=t)
    (-h*(1 - t) + 1)*exp(-r)
    """
    values = {
        "rate": real(rate, "rate", low=0.0, symbolic=True),
        "hazard": real(hazard, "hazard", low=0.0, high=1.0, symbolic=True),
        "trust": real(trust, "trust", low=0.0, high=1.0, symbolic=True),
        "period": real(period, "period", low=0.0, low_open=True, symbolic=True),
    }
    same_kind(values, "relation_discount_factor")
    rate, hazard, trust, period = exact_terms(list(values.values()))
    if any(isinstance(v, sp.Basic) for v in values.values()):
        return sp.exp(-rate * period) * (1 - hazard * (1 - trust))
    delta = np.exp(-np.asarray(rate) * period) * (1 - np.asarray(hazard) * (1 - np.asarray(trust)))
    return float(delta) if np.ndim(delta) == 0 else delta
