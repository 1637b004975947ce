"""The settlement: where the partnership model lands at given parameters -- window,
weight, dilution, transfer, the bound that binds, the regime, the path it names and
what the path pays. One pipeline, vectorised over parameter grids; :func:`analyse`,
the tables and :class:`Scenario` all call it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames.partnership.closed_forms import evaluate
from powergames.partnership.game import NGO_STRATEGIES, OCI_STRATEGIES, stage_payoffs
from powergames.partnership.parameters import Parameters
from powergames.partnership.quantities import QUANTITIES
from powergames.partnership.regimes import PATHS, classify

__all__ = ["BINDING_CONSTRAINTS", "settle"]

#: What sets the OCI's weight in the partnership, with its reading.
BINDING_CONSTRAINTS: dict[str, str] = {
    "ngo-temptation": (
        "the OCI dilutes down to the largest weight that keeps the NGO asserting: the NGO's "
        "share of the future must outweigh its temptation to comply"
    ),
    "resource-floor": (
        "the OCI dilutes down to the largest weight it can fund with at least the floor "
        "transfer: resources must flow South"
    ),
    "oci-temptation": (
        "the NGO concedes weight up to the least share that keeps the OCI from imposing"
    ),
    "oci-participation": (
        "the NGO concedes weight up to the least share at which the OCI prefers the "
        "partnership to the donor-beneficiary relation"
    ),
    "none": "the inherited weight is admissible as it is: no one dilutes or concedes",
}


def settle(params: Parameters, weight: Any = None) -> dict[str, Any]:
    """Every quantity of the model at numeric, possibly array-valued, parameters.

    1. The closed forms (:func:`powergames.partnership.evaluate`): the stage game's
       temptations and surpluses, the bounds on the OCI's weight and the admissible
       window ``W(delta) = [a_lo, a_hi]``, the critical discount factor ``delta_c``,
       and the arbitrated settlement at the inherited weight: ``a* = clip(a_0, a_lo,
       a_hi)``, ``d* = max(0, a_0 - a_hi)``, ``R* = G_N + R_0 - a* Sigma``.
    2. The regime (:func:`powergames.partnership.classify`): collaboration or
       partnership where the window is non-empty, else the stage equilibrium the
       relation falls back on, or breakdown.
    3. The path the regime names and what it pays: the arbitrated agreement at
       transfer ``R*`` for collaboration and partnership; for a stage equilibrium
       played without arbitration, the OCI pays the NGO the least it accepts, and at
       least the floor ``R_0``; the outside options in a breakdown.
    4. Which bound of the window sets the weight (:data:`BINDING_CONSTRAINTS`), in
       collaboration and partnership.

    Parameters
    ----------
    params : Parameters
        Numbers or arrays that broadcast (not symbols: see
        :func:`powergames.partnership.derive`).
    weight : number or array, optional
        The OCI's weight before it settles, in place of ``params.inherited_weight``
        (after an arbitration mechanism, :func:`apply_mechanisms`).

    Returns
    -------
    dict of str to float, str, bool or array
        Every quantity of :data:`powergames.partnership.quantities.QUANTITIES`, in its
        order; arrays of the parameters' broadcast shape for array input.

    Examples
    --------
    >>> result = settle(Parameters())
    >>> result["regime"], result["binding_constraint"], result["path"]
    ('partnership', 'resource-floor', 'dilute/assert')
    >>> result["window_min"], result["window_max"], round(result["dilution"], 9)
    (0.625, 0.75, 0.15)
    >>> settle(Parameters(discount_factor=0.2))["regime"]
    'donor-beneficiary'
    """
    values = evaluate(params, weight)
    shape = np.shape(values["surplus"])
    arrays = {name: np.asarray(v) for name, v in values.items()}
    admissible = ~np.isnan(arrays["window_min"])
    regime = classify(
        arrays["temptation_oci"],
        arrays["temptation_ngo"],
        arrays["donor_gain"],
        arrays["contested_gain"],
        arrays["passive_gain"],
        admissible,
    )
    path, payoffs, transfer = _paths(params, regime, arrays)
    out: dict[str, Any] = dict(arrays)
    out["regime"] = regime
    out["sustainable"] = np.isin(regime, ("collaboration", "partnership"))
    out["binding_constraint"] = _binding(arrays, admissible, weight, params)
    out["path"] = path
    out["payoff_oci"], out["payoff_ngo"] = payoffs
    out["transfer"] = transfer
    out["stage_equilibria"] = _stage_equilibria(params, transfer)
    names = [q.name for q in QUANTITIES]
    if shape:
        return {name: np.broadcast_to(out[name], shape) for name in names}
    return {name: out[name].item() for name in names}


def _paths(
    params: Parameters, regime: NDArray[np.str_], values: dict[str, NDArray[Any]]
) -> tuple[NDArray[np.str_], tuple[NDArray[np.float64], NDArray[np.float64]], NDArray[Any]]:
    """The path of each regime, its payoffs and its transfer (NaN in a breakdown)."""
    A, B = stage_payoffs(params, transfer=0.0)  # payoffs before any transfer
    floor = np.asarray(params.transfer_floor, dtype=np.float64)
    w_N, w_S = values["minmax_oci"], values["minmax_ngo"]
    shape = regime.shape
    u_N = np.broadcast_to(w_N, shape).astype(np.float64)
    u_S = np.broadcast_to(w_S, shape).astype(np.float64)
    transfer = np.full(shape, np.nan)
    path = np.full(shape, "withdraw/exit", dtype=object)
    for name, (i, j) in PATHS.items():
        where = np.broadcast_to(regime == name, shape)
        if name in ("collaboration", "partnership"):
            paid = np.broadcast_to(values["arbitration_transfer"], shape)
            got = (values["agreement_oci"], values["agreement_ngo"])
        elif (i, j) == (2, 2):
            continue
        else:
            # Without arbitration: the least the NGO accepts, and at least the floor.
            paid = np.broadcast_to(np.maximum(floor, w_S - B[..., i, j]), shape)
            got = (A[..., i, j] - paid, B[..., i, j] + paid)
        transfer = np.where(where, paid, transfer)
        u_N = np.where(where, got[0], u_N)
        u_S = np.where(where, got[1], u_S)
        path = np.where(where, f"{OCI_STRATEGIES[i]}/{NGO_STRATEGIES[j]}", path)
    return np.asarray(path, dtype=str), (u_N, u_S), transfer


def _binding(
    values: dict[str, NDArray[Any]], admissible: NDArray[np.bool_], weight: Any, params: Parameters
) -> NDArray[np.str_]:
    """Which bound of the window sets the weight: the upper bound cuts an inherited
    weight above it (the NGO's temptation, or the resource floor when the OCI cannot
    fund more), the lower bound lifts one below it (the OCI's temptation, or its
    participation); ties go to the incentive constraint."""
    a0 = np.asarray(params.inherited_weight if weight is None else weight, dtype=np.float64)
    low, high = values["window_min"], values["window_max"]
    with np.errstate(invalid="ignore"):
        above, below = a0 > high, a0 < low
        upper = np.where(values["ngo_incentive_weight"] <= values["funded_weight"], 0, 1)
        lower = np.where(values["oci_incentive_weight"] >= values["participation_weight"], 2, 3)
    names = np.array([*BINDING_CONSTRAINTS, ""])
    code = np.where(above, upper, np.where(below, lower, 4))
    return names[np.where(admissible, code, 5)]


def _stage_equilibria(params: Parameters, transfer: NDArray[Any]) -> NDArray[np.str_]:
    """The pure equilibria of the stage game at the path's transfer (the floor where
    the relation breaks down), as text such as ``impose/comply; withdraw/exit``: best
    replies found with array maxima, labels by unique masks."""
    paid = np.where(np.isnan(transfer), np.asarray(params.transfer_floor), transfer)
    A, B = stage_payoffs(params, transfer=paid)
    # Ties are judged against each point's own payoffs, so that a point's equilibria
    # do not depend on the other points of the grid it is computed with.
    largest = np.abs(A).max(axis=(-2, -1), keepdims=True) + np.abs(B).max(
        axis=(-2, -1), keepdims=True
    )
    scale = 1e-12 * (1 + largest)
    best = (A >= A.max(axis=-2, keepdims=True) - scale) & (
        B >= B.max(axis=-1, keepdims=True) - scale
    )
    bits = (best.reshape(*best.shape[:-2], 9) * (1 << np.arange(9))).sum(axis=-1)
    codes, inverse = np.unique(bits, return_inverse=True)
    cells = [f"{OCI_STRATEGIES[k // 3]}/{NGO_STRATEGIES[k % 3]}" for k in range(9)]
    labels = np.array(["; ".join(cells[k] for k in range(9) if code >> k & 1) for code in codes])
    return np.asarray(labels[inverse.reshape(bits.shape)], dtype=str)
