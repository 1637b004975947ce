"""Stage 3 of the nested game: the OCI and the NGO play the partnership model of
version 2, at parameters the funder's conditions, the legitimacy each actor values and
the base groups' floor map onto its parameters. One settlement pipeline: this module
maps and calls :func:`powergames.partnership.settle`."""

from __future__ import annotations

from typing import Any

import numpy as np

from powergames.errors import InvalidParameterError
from powergames.partnership.actors.closed_forms import evaluate_critical_control_gain
from powergames.partnership.actors.parameters import NestedParameters
from powergames.partnership.closed_forms import evaluate
from powergames.partnership.parameters import Parameters
from powergames.partnership.regimes import PATHS
from powergames.partnership.settlement import settle

__all__ = [
    "BASE_GROUP_FLOOR",
    "critical_conditionality",
    "legitimacy_shown",
    "settle_partnership",
    "stage_parameters",
]

#: The binding constraint's name where the base groups' floor sets the OCI's weight.
BASE_GROUP_FLOOR = "base-group-floor"


def stage_parameters(params: NestedParameters, conditionality: Any) -> Parameters:
    """The version-2 parameters of the partnership the OCI and the NGO play (stage 3)
    once the funder has attached ``conditionality`` to its funding.

    - The funder's conditions are the coercive isomorphism that tempts the OCI to
      impose: ``g = g_0 + gamma kappa``.
    - Legitimacy is valued by who values what: the funder values results (pragmatic
      legitimacy), the membership moral legitimacy as well, so the OCI values ``a_F l_p
      + a_M (l_p + l_m)`` where the NGO asserts itself and ``(a_F + a_M) l_p`` where it
      complies. Version 2's stage game, ``lam (l_p + l_m)`` and ``lam l_p``, is exactly
      that with ``lam = a_M`` (written ``a_F = 0``, ``a_M = a_M``) and the pragmatic
      legitimacy ``l_p (a_F + a_M) / a_M``; the moral legitimacy, which the NGO values
      too (``phi l_m``), is unchanged.
    - The base groups ratify only a relation that brings the NGO at least ``r_B``: the
      transfer's floor is ``max(R_0, r_B)``, in every relation (in the partnership it
      caps the OCI's weight, the bound ``a_R``).

    Raises
    ------
    InvalidParameterError
        Where ``l_p (a_F + a_M) / a_M`` is not a finite number (a membership's
        accountability too small beside the funder's to be written in floats).

    Examples
    --------
    >>> p = stage_parameters(NestedParameters(funder_accountability=1.0), 0.5)
    >>> p.control_gain, p.accountability, p.pragmatic_legitimacy
    (2.0, 0.5, 12.0)
    """
    a_F, a_M = params.funder_accountability, params.membership_accountability
    with np.errstate(over="ignore", invalid="ignore"):
        pragmatic = params.pragmatic_legitimacy * ((a_F + a_M) / a_M)
    if not np.isfinite(pragmatic).all():
        raise InvalidParameterError(
            "membership_accountability (a_M) is too small beside funder_accountability "
            "(a_F) for the stage game to be computed in floating point"
        )
    return Parameters(
        pragmatic_legitimacy=pragmatic,
        moral_legitimacy=params.moral_legitimacy,
        funder_accountability=0.0,
        membership_accountability=a_M,
        control_gain=params.control_gain + params.control_per_condition * conditionality,
        autonomy_value=params.autonomy_value,
        assertion_cost=params.assertion_cost,
        shared_paradigm=params.shared_paradigm,
        oci_outside_option=params.oci_outside_option,
        ngo_outside_option=params.ngo_outside_option,
        transfer_floor=np.maximum(params.transfer_floor, params.base_group_floor),
        discount_factor=params.discount_factor,
        inherited_weight=params.inherited_weight,
    )


def settle_partnership(params: NestedParameters, conditionality: Any) -> dict[str, Any]:
    """Every quantity of the partnership model (version 2) at the stage-3 parameters
    (:func:`stage_parameters`), by :func:`powergames.partnership.settle`; where the
    resource floor binds and it is the base groups' (``r_B > R_0``), the binding
    constraint reads ``base-group-floor``.

    Examples
    --------
    >>> r = settle_partnership(NestedParameters(), 0.0)
    >>> r["regime"], r["temptation_oci"]
    ('partnership', 1.0)
    """
    out = settle(stage_parameters(params, conditionality))
    base = np.asarray(params.base_group_floor) > np.asarray(params.transfer_floor)
    binding = np.asarray(out["binding_constraint"])
    relabelled = np.where(base & (binding == "resource-floor"), BASE_GROUP_FLOOR, binding)
    out["binding_constraint"] = relabelled if relabelled.ndim else str(relabelled)
    return out


def legitimacy_shown(params: NestedParameters, regime: Any) -> Any:
    """``Lambda``: the legitimacy the OCI can show its funder and membership on the
    path of ``regime``: ``l_p + l_m`` where the NGO asserts itself, ``l_p`` where it
    complies, 0 where it exits.

    Examples
    --------
    >>> legitimacy_shown(NestedParameters(), np.array(["partnership", "donor-beneficiary"]))
    array([7., 4.])
    """
    regimes = np.asarray(regime)
    active = np.zeros(regimes.shape, dtype=bool)
    asserts = np.zeros(regimes.shape, dtype=bool)
    for name, (_, ngo) in PATHS.items():
        active |= (regimes == name) & (ngo < 2)
        asserts |= (regimes == name) & (ngo == 1)
    lp = np.asarray(params.pragmatic_legitimacy, dtype=np.float64)
    lm = np.asarray(params.moral_legitimacy, dtype=np.float64)
    return np.where(active, lp, 0.0) + np.where(asserts, lm, 0.0)


def critical_conditionality(params: NestedParameters) -> Any:
    """``kappa_c``: the most conditionality the partnership survives, within the cap:
    its window of admissible weights is non-empty for every conditionality up to
    ``kappa_c`` and empty beyond (the window closes as the control gain rises). NaN
    where it is empty even without conditions.

    In closed form: ``(g_c - g_0) / gamma`` capped at ``kappa_bar``, with ``g_c`` the
    critical control gain (:func:`powergames.partnership.actors.critical_control_gain`)
    at the stage-3 parameters; the cap where conditions do not move the control gain
    (``gamma = 0``). Where the window is open only below ``g_c``, ``kappa_c`` is the
    supremum of the conditionalities the partnership survives.

    Examples
    --------
    >>> float(critical_conditionality(NestedParameters()))
    0.25
    """
    stage = stage_parameters(params, 0.0)
    values = evaluate(stage)
    gain = evaluate_critical_control_gain(stage, values)
    gamma = np.asarray(params.control_per_condition, dtype=np.float64)
    cap = np.asarray(params.conditionality_cap, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        most = np.where(gamma > 0, (gain - params.control_gain) / gamma, np.inf)
    survives = ~np.isnan(np.asarray(values["window_min"]))
    return np.where(survives, np.clip(np.nan_to_num(most, nan=0.0), 0.0, cap), np.nan)
