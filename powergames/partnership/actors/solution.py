"""The nested game solved by backward induction: one pipeline, vectorised over
parameter grids, behind the tables, the scenarios and the command line."""

from __future__ import annotations

from typing import Any

import numpy as np

from powergames.errors import InvalidParameterError
from powergames.partnership.actors.closed_forms import evaluate_funding
from powergames.partnership.actors.membership import choose_mobilisation, membership_payoff
from powergames.partnership.actors.parameters import NestedParameters
from powergames.partnership.actors.partnership_stage import (
    critical_conditionality,
    settle_partnership,
)
from powergames.partnership.actors.quantities import NESTED_QUANTITIES, STAGE_THREE_QUANTITIES

__all__ = ["settle_nested"]


def settle_nested(params: NestedParameters) -> dict[str, Any]:
    """Every quantity of the nested game at numeric, possibly array-valued, parameters:
    its subgame-perfect outcome by backward induction.

    1. Stage 3 for any conditionality: the partnership model of version 2 at the
       mapped parameters (:func:`powergames.partnership.actors.settle_partnership`).
    2. Stage 2 for any mobilisation: the funder and the OCI bargain over the
       conditionality (generalised Nash, closed form), within the cap and the
       membership's win-set (:func:`powergames.partnership.actors.evaluate_funding`).
    3. Stage 1: the membership's mobilisation, chosen to maximise its payoff given
       stages 2 and 3 (:func:`powergames.partnership.actors.choose_mobilisation`), or
       fixed where ``membership_mobilisation`` is a number.
    4. The payoffs of each actor on that path.

    Parameters
    ----------
    params : NestedParameters
        Numbers or arrays that broadcast (not symbols: see
        :func:`powergames.partnership.actors.derive_nested`).

    Returns
    -------
    dict of str to float, str, bool or array
        The nested game's quantities
        (:data:`powergames.partnership.actors.NESTED_QUANTITIES`), then the
        partnership's (:data:`powergames.partnership.QUANTITIES`); arrays of the
        parameters' broadcast shape for array input.

    Examples
    --------
    >>> r = settle_nested(NestedParameters())
    >>> r["mobilisation"], r["conditionality"], r["regime"]
    (0.75, 0.0, 'partnership')
    >>> r = settle_nested(NestedParameters(membership_mobilisation=0.0))
    >>> r["conditionality"], r["ratification_binds"], r["regime"]
    (1.0, True, 'donor-beneficiary')
    """
    if params.is_symbolic:
        raise InvalidParameterError(
            "settle_nested needs numeric parameters; use derive_nested() for expressions"
        )
    shape = params.shape
    fixed = np.broadcast_to(np.asarray(params.membership_mobilisation, dtype=np.float64), shape)
    chosen = np.isnan(fixed)
    mobilisation = fixed
    if chosen.any():
        mobilisation = np.where(chosen, choose_mobilisation(params), fixed)
    funding = evaluate_funding(params, mobilisation)
    kappa = funding["conditionality"]
    stage = settle_partnership(params, kappa)
    out: dict[str, Any] = {
        "mobilisation": mobilisation,
        "mobilisation_chosen": chosen,
        **{name: funding[name] for name in funding},
    }
    out["critical_conditionality"] = critical_conditionality(params)
    out["oci_total_payoff"] = funding["oci_funding_payoff"] + np.asarray(stage["payoff_oci"])
    out["membership_payoff"] = membership_payoff(params, mobilisation, kappa, stage["regime"])
    names = [q.name for q in NESTED_QUANTITIES]
    result = {name: np.broadcast_to(np.asarray(out[name]), shape) for name in names}
    for q in STAGE_THREE_QUANTITIES:
        result[q.name] = np.broadcast_to(np.asarray(stage[q.name]), shape)
    if shape:
        return result
    return {name: value.item() for name, value in result.items()}
