"""Stage 1 of the nested game: the membership chooses its mobilisation, foreseeing the
funding bargain (stage 2) and the partnership (stage 3).

The membership's payoff at mobilisation ``m`` is

    u_M(m) = a_M (Lambda(kappa*(m)) - gamma kappa*(m)) - c_M m^2 / 2,

the legitimacy the OCI shows it (``Lambda``: ``l_p + l_m`` where the NGO asserts
itself, ``l_p`` where it complies, 0 where it exits), less the control the funder's
conditions take from its own paradigm, less the cost of mobilising. The cost is
convex: with a linear cost the payoff would be linear on every piece where the
conditionality is, and the membership would only ever mobilise all or nothing; the
last members are the hardest to bring out.

No closed form gives the maximiser: ``Lambda`` jumps where the partnership's regime
changes. But ``u_M`` is piecewise a concave quadratic, so its maximiser is one of
finitely many candidates, each in closed form (:func:`mobilisation_candidates`), and
the choice is the best candidate, computed for every parameter point at once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames.partnership.actors.closed_forms import evaluate_funding
from powergames.partnership.actors.parameters import NestedParameters
from powergames.partnership.actors.partnership_stage import (
    critical_conditionality,
    legitimacy_shown,
    settle_partnership,
)

__all__ = [
    "NUDGE",
    "choose_mobilisation",
    "least_mobilisation",
    "membership_payoff",
    "mobilisation_candidates",
]

#: How far past a threshold of the conditionality the candidates also look, on either
#: side, relative to the threshold: the threshold itself may belong to the worse regime
#: (an open set), and the conditionality there carries rounding. The membership's
#: payoff moves by about ``NUDGE`` times its slope.
NUDGE = 1e-12


def membership_payoff(
    params: NestedParameters, mobilisation: Any, conditionality: Any, regime: Any
) -> Any:
    """``u_M = a_M (Lambda - gamma kappa) - c_M m^2 / 2`` at the mobilisation, the
    conditionality it leads to and the regime of the partnership there.

    Examples
    --------
    >>> float(membership_payoff(NestedParameters(), 0.75, 0.0, "partnership"))
    3.21875
    """
    m = np.asarray(mobilisation, dtype=np.float64)
    shown = legitimacy_shown(params, regime)
    control = params.control_per_condition * np.asarray(conditionality, dtype=np.float64)
    return (
        params.membership_accountability * (shown - control)
        - params.membership_mobilisation_cost * m**2 / 2
    )


def least_mobilisation(funding: dict[str, Any], params: NestedParameters, target: Any) -> Any:
    """The least mobilisation ``m`` in [0, 1] at which the conditionality is at most
    ``target`` (NaN where no mobilisation brings it that low), from the pieces of
    ``kappa*(m) = max(0, min(kappa_NB(0) - k_1 m, kappa_bar, tau (1 - m)))``.

    ``funding`` is :func:`evaluate_funding` at ``m = 0``.

    Examples
    --------
    >>> p = NestedParameters()
    >>> float(least_mobilisation(evaluate_funding(p, 0.0), p, 0.25))
    0.625
    """
    k0 = np.asarray(funding["nash_conditionality"], dtype=np.float64)
    k1 = np.asarray(funding["conditionality_slope"], dtype=np.float64)
    tau = np.asarray(params.membership_tolerance, dtype=np.float64)
    start = np.asarray(funding["conditionality"], dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        bargained = np.where(k1 > 0, (k0 - target) / k1, np.inf)
        ratified = np.where(tau > 0, 1 - target / tau, np.inf)
    least = np.minimum(bargained, ratified)
    least = np.where(start <= target, 0.0, least)
    return np.where((target >= 0) & (least <= 1), np.maximum(least, 0.0), np.nan)


def mobilisation_candidates(params: NestedParameters) -> NDArray[np.float64]:
    """The mobilisations among which the membership's best lies, stacked on a first
    axis (NaN entries are dropped by the caller).

    ``u_M`` is a concave quadratic in ``m`` between consecutive points where either the
    conditionality changes slope or the partnership's regime changes. So its maximum is
    at one of:

    1. the ends, ``m = 0`` and ``m = 1``;
    2. the kinks of ``kappa*(m)``: where ``kappa_NB`` meets the cap, the win-set or 0,
       and where the win-set meets the cap;
    3. the stationary points on the two sloped pieces, ``a_M gamma k_1 / c_M`` and
       ``a_M gamma tau / c_M`` (:func:`powergames.partnership.actors.derive_nested`);
    4. the regime's thresholds, the least mobilisations that bring the conditionality
       down to the conditionalities where the regime may change: the critical
       conditionality, beyond which the partnership's window closes
       (:func:`powergames.partnership.actors.critical_conditionality`), and those at
       which the OCI's temptation, its gain from the donor-beneficiary relation and
       from the contested one change sign (each linear in the conditionality, with
       slope ``gamma``); each with a neighbour on either side (:data:`NUDGE`).

    Examples
    --------
    >>> candidates = mobilisation_candidates(NestedParameters())
    >>> sorted(set(np.round(candidates[~np.isnan(candidates)], 9).tolist()))
    [0.0, 0.5, 0.625, 0.75, 1.0]
    """
    shape = params.shape
    at_zero = evaluate_funding(params, np.zeros(shape))
    k0 = np.asarray(at_zero["nash_conditionality"], dtype=np.float64)
    k1 = np.asarray(at_zero["conditionality_slope"], dtype=np.float64)
    tau = np.asarray(params.membership_tolerance, dtype=np.float64)
    cap = np.asarray(params.conditionality_cap, dtype=np.float64)
    gamma = np.asarray(params.control_per_condition, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        kinks = [(k0 - cap) / k1, (k0 - tau) / (k1 - tau), 1 - cap / tau, k0 / k1]
    stationary = [at_zero["stationary_mobilisation_bargained"]]
    stationary.append(at_zero["stationary_mobilisation_ratified"])
    thresholds = [critical_conditionality(params)]
    stage = settle_partnership(params, at_zero["conditionality"])
    for name in ("temptation_oci", "donor_gain", "contested_gain"):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            zero = at_zero["conditionality"] - np.asarray(stage[name]) / gamma
        thresholds.append(np.where((gamma > 0) & np.isfinite(zero), zero, np.nan))
    with np.errstate(invalid="ignore", over="ignore"):
        nudged = [
            least_mobilisation(at_zero, params, t + side * NUDGE * (1 + np.abs(t)))
            for t in thresholds
            for side in (-1, 0, 1)
        ]
    stack = [np.zeros(shape), np.ones(shape), *kinks, *stationary, *nudged]
    candidates = np.stack([np.broadcast_to(np.asarray(c, dtype=np.float64), shape) for c in stack])
    inside = np.isfinite(candidates) & (candidates >= 0) & (candidates <= 1)
    return np.where(inside, candidates, np.nan)


def choose_mobilisation(params: NestedParameters) -> NDArray[np.float64]:
    """The membership's mobilisation: the best of :func:`mobilisation_candidates` for
    ``u_M`` (the least of the best where several tie), at every parameter point.

    Examples
    --------
    >>> float(choose_mobilisation(NestedParameters()))
    0.75
    """
    shape = params.shape
    candidates = mobilisation_candidates(params)
    values = np.full(candidates.shape, -np.inf)
    for k, m in enumerate(candidates):
        if np.isnan(m).all():
            continue
        m = np.where(np.isnan(m), 0.0, m)
        kappa = evaluate_funding(params, m)["conditionality"]
        regime = settle_partnership(params, kappa)["regime"]
        payoff = np.asarray(membership_payoff(params, m, kappa, regime), dtype=np.float64)
        values[k] = np.where(np.isnan(candidates[k]), -np.inf, payoff)
    best = values.max(axis=0)
    tie = values >= best - 1e-12 * (1 + np.abs(best))
    chosen = np.where(tie, np.nan_to_num(candidates, nan=np.inf), np.inf).min(axis=0)
    return np.asarray(np.broadcast_to(chosen, shape), dtype=np.float64)
