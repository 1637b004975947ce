"""The compromise a partnership settles into: collaboration, partnership, donor-beneficiary,
contested, passive or breakdown."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["REGIMES", "classify"]

#: The regimes, in the order they are tested, with their reading in the article's terms.
REGIMES: dict[str, str] = {
    "collaboration": (
        "(dilute, assert) is an equilibrium of each single meeting: neither partner is "
        "tempted (the 1970s-80s compromise of collaboration and complicity)"
    ),
    "partnership": (
        "(dilute, assert) is sustained by the long-term relation: both are tempted, but "
        "the future of the relation outweighs it and the OCI prefers it to imposing (the "
        "compromise of the 1990s)"
    ),
    "donor-beneficiary": (
        "the OCI imposes and the NGO complies, and both gain from it (the 1960s compromise)"
    ),
    "contested": (
        "the NGO asserts itself whatever the OCI does, and the OCI, tempted to impose, "
        "imposes: a relation in conflict"
    ),
    "passive": (
        "the OCI dilutes whatever the NGO does, but the NGO, tempted to comply, stays "
        "passive: autonomy without assertion"
    ),
    "breakdown": "no compromise pays both partners more than their outside options",
}


def classify(
    temptation_oci: Any,
    temptation_ngo: Any,
    surplus: Any,
    donor_beneficiary_surplus: Any,
    discount_factor: Any,
    critical_discount_factor: Any,
    weight: Any,
    *,
    contested_surplus: Any = None,
    passive_surplus: Any = None,
) -> NDArray[np.str_]:
    """The regime at each point (vectorised over arrays that broadcast).

    The tests, in order (the first that holds names the regime):

    1. collaboration: ``T_N <= 0``, ``T_S <= 0`` and ``Sigma >= 0``;
    2. partnership: ``Sigma > 0``, ``delta >= delta**`` and the OCI, with its
       self-enforcing weight ``a*``, gains at least as much as from the
       donor-beneficiary relation when that relation is an equilibrium
       (``T_N >= 0``, ``T_S >= 0``): ``a* Sigma >= Sigma_DB``;
    3. donor-beneficiary: ``T_N >= 0``, ``T_S >= 0``, ``Sigma_DB >= 0``;
    4. contested: ``T_N > 0 >= T_S`` and the joint gain of (impose, assert) is
       non-negative (``contested_surplus``);
    5. passive: ``T_S > 0 >= T_N`` and the joint gain of (dilute, comply) is
       non-negative (``passive_surplus``);
    6. breakdown otherwise.

    ``contested_surplus``/``passive_surplus`` default to ``Sigma`` (when omitted the
    mixed regimes are judged by the partnership's surplus).

    Returns
    -------
    numpy array of str (a 0-d array for scalar input)

    Examples
    --------
    >>> str(classify(2, 1, 8, 5, 0.5, 3 / 11, 0.875))
    'partnership'
    >>> str(classify(2, 1, 8, 5, 0.2, 3 / 11, 0.875))
    'donor-beneficiary'
    >>> classify([-1, 2], [-2, -1], [14, 8], [5, 5], 0.2, [0, 0.5], [0.5, 0.5]).tolist()
    ['collaboration', 'contested']
    """
    T_N, T_S = np.asarray(temptation_oci, float), np.asarray(temptation_ngo, float)
    sigma = np.asarray(surplus, float)
    sigma_db = np.asarray(donor_beneficiary_surplus, float)
    delta = np.asarray(discount_factor, float)
    delta_star = np.asarray(critical_discount_factor, float)
    a = np.asarray(weight, float)
    contested = sigma if contested_surplus is None else np.asarray(contested_surplus, float)
    passive = sigma if passive_surplus is None else np.asarray(passive_surplus, float)

    donor_is_equilibrium = (T_N >= 0) & (T_S >= 0)
    conditions = [
        (T_N <= 0) & (T_S <= 0) & (sigma >= 0),
        (sigma > 0) & (delta >= delta_star) & (~donor_is_equilibrium | (a * sigma >= sigma_db)),
        donor_is_equilibrium & (sigma_db >= 0),
        (T_N > 0) & (T_S <= 0) & (contested >= 0),
        (T_S > 0) & (T_N <= 0) & (passive >= 0),
    ]
    shape = np.broadcast_shapes(*(c.shape for c in conditions))
    names = list(REGIMES)
    result = np.full(shape, names[-1], dtype=object)
    for name, condition in reversed(list(zip(names[:-1], conditions, strict=True))):
        result = np.where(np.broadcast_to(condition, shape), name, result)
    return np.asarray(result, dtype=str)
