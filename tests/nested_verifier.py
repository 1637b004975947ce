"""A brute-force backward induction of the nested game, on a discretised version,
that uses none of its closed forms.

The membership chooses its mobilisation on a grid; for each, the funder and the OCI's
bargain is the conditionality of a grid that maximises the Nash product directly,
among those the cap and the membership's win-set allow and that leave both at least
their disagreement payoffs; stage 3 is the partnership model at the nested stage game
(:func:`powergames.partnership.settle` at the version-2 parameters whose stage game is
the nested one, which the tests check entry by entry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from powergames.partnership import Parameters, settle


def nested_stage_game(v: dict[str, float], kappa: float, transfer: float) -> tuple[list, list]:
    """The stage game of the nested game, written out from DESIGN.md section 9: the
    funder values results (pragmatic legitimacy), the membership moral legitimacy as
    well, the conditions add to the gain from imposing."""
    lp, lm = v["pragmatic_legitimacy"], v["moral_legitimacy"]
    aF, aM = v["funder_accountability"], v["membership_accountability"]
    g = v["control_gain"] + v["control_per_condition"] * kappa
    b, e, phi = v["autonomy_value"], v["assertion_cost"], v["shared_paradigm"]
    wN, wS, R = v["oci_outside_option"], v["ngo_outside_option"], transfer
    complies, asserts = (aF + aM) * lp, aF * lp + aM * (lp + lm)
    A = [
        [complies - R + g, asserts - R + g, wN],
        [complies - R + phi * b, asserts - R + phi * b, wN],
        [wN, wN, wN],
    ]
    B = [
        [R, R - e + phi * lm, wS],
        [R + b, R + b - e + phi * lm, wS],
        [wS, wS, wS],
    ]
    return A, B


def bargain(v: dict[str, float], m: float, kappas: np.ndarray) -> float:
    """The conditionality of ``kappas`` that maximises the Nash product, among those
    the cap and the win-set allow and that pay both at least their disagreement
    payoffs (ties to the least); 0 without agreement."""
    allowed = kappas[
        kappas <= min(v["conditionality_cap"], v["membership_tolerance"] * (1 - m)) + 1e-15
    ]
    gain_F = (
        v["funder_accountability"]
        * (v["pragmatic_legitimacy"] + v["control_per_condition"] * allowed)
        + v["funder_political_cost"] * m
    )
    gain_N = (
        v["funding_value"]
        - v["oci_condition_cost"] * allowed
        - v["oci_alternative_funding"]
        - v["winning_bid_gain"] * m
    )
    ok = (gain_F >= 0) & (gain_N >= 0)
    if not ok.any():
        return 0.0
    theta = v["oci_bargaining_weight"]
    with np.errstate(divide="ignore", invalid="ignore"):
        product = np.where(ok, np.abs(gain_N) ** theta * np.abs(gain_F) ** (1 - theta), -np.inf)
    return float(allowed[int(np.argmax(product))])


def stage_three(v: dict[str, float], kappa: float) -> dict[str, Any]:
    """Stage 3 by ``settle``, at the version-2 parameters whose stage game is the
    nested one (lam = a_M, l_p scaled, g with the conditions, floor raised)."""
    aF, aM = v["funder_accountability"], v["membership_accountability"]
    return settle(
        Parameters(
            pragmatic_legitimacy=v["pragmatic_legitimacy"] * (aF + aM) / aM,
            moral_legitimacy=v["moral_legitimacy"],
            funder_accountability=0.0,
            membership_accountability=aM,
            control_gain=v["control_gain"] + v["control_per_condition"] * kappa,
            autonomy_value=v["autonomy_value"],
            assertion_cost=v["assertion_cost"],
            shared_paradigm=v["shared_paradigm"],
            oci_outside_option=v["oci_outside_option"],
            ngo_outside_option=v["ngo_outside_option"],
            transfer_floor=max(v["transfer_floor"], v["base_group_floor"]),
            discount_factor=v["discount_factor"],
            inherited_weight=v["inherited_weight"],
        )
    )


SHOWN = {
    "collaboration": "assert",
    "partnership": "assert",
    "donor-beneficiary": "comply",
    "contested": "assert",
    "passive": "comply",
    "breakdown": "exit",
}


def membership_value(v: dict[str, float], m: float, kappa: float, regime: str) -> float:
    """The membership's payoff, from the NGO's action on the regime's path."""
    action = SHOWN[regime]
    shown = (
        0.0
        if action == "exit"
        else v["pragmatic_legitimacy"] + (v["moral_legitimacy"] if action == "assert" else 0.0)
    )
    return (
        v["membership_accountability"] * (shown - v["control_per_condition"] * kappa)
        - v["membership_mobilisation_cost"] * m**2 / 2
    )


@dataclass
class BruteForce:
    mobilisation: float
    conditionality: float
    regime: str
    membership_payoff: float
    by_mobilisation: dict[float, tuple[float, str, float]]


def backward_induction(
    v: dict[str, float], mobilisations: np.ndarray, kappas: np.ndarray
) -> BruteForce:
    """The discretised game solved by brute force: every mobilisation of the grid, its
    bargain over the grid of conditionalities, stage 3, the membership's best (ties to
    the least mobilisation)."""
    table = {}
    for m in mobilisations:
        kappa = bargain(v, float(m), kappas)
        regime = str(stage_three(v, kappa)["regime"])
        table[float(m)] = (kappa, regime, membership_value(v, float(m), kappa, regime))
    best = max(table, key=lambda m: (table[m][2], -m))
    kappa, regime, value = table[best]
    return BruteForce(best, kappa, regime, value, table)
