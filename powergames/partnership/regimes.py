"""The compromise a partnership settles into: collaboration, partnership,
donor-beneficiary, contested, passive or breakdown."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["PATHS", "REGIMES", "classify"]

#: The regimes, in the order they are tested, with their reading in the article's terms.
REGIMES: dict[str, str] = {
    "collaboration": (
        "(dilute, assert) is an equilibrium of each single meeting: neither partner is "
        "tempted, and the OCI funds the agreement (the 1970s-80s compromise of "
        "collaboration and complicity)"
    ),
    "partnership": (
        "(dilute, assert) is sustained by the long-term relation: some weight of the OCI "
        "keeps both partners from deviating, lets the OCI fund the agreement with "
        "resources flowing South, and leaves it no better off imposing (the compromise "
        "of the 1990s)"
    ),
    "donor-beneficiary": (
        "the OCI imposes and the NGO complies, a stage equilibrium that pays the OCI at "
        "least its outside option (the 1960s compromise)"
    ),
    "contested": (
        "the NGO asserts itself whatever the OCI does, and the OCI, tempted to impose, "
        "imposes: a relation in conflict"
    ),
    "passive": (
        "the OCI dilutes whatever the NGO does, but the NGO, tempted to comply, stays "
        "passive: autonomy without assertion"
    ),
    "breakdown": "no compromise pays both partners their outside options: they part",
}

#: The meeting each regime plays in every period, as (OCI strategy, NGO strategy)
#: indices of the stage game.
PATHS: dict[str, tuple[int, int]] = {
    "collaboration": (1, 1),
    "partnership": (1, 1),
    "donor-beneficiary": (0, 0),
    "contested": (0, 1),
    "passive": (1, 0),
    "breakdown": (2, 2),
}


def classify(
    temptation_oci: Any,
    temptation_ngo: Any,
    donor_gain: Any,
    contested_gain: Any,
    passive_gain: Any,
    admissible: Any,
) -> NDArray[np.str_]:
    """The regime at each point (vectorised over arrays that broadcast).

    The tests, in order (the first that holds names the regime):

    1. collaboration: ``T_N <= 0``, ``T_S <= 0`` and an admissible weight exists (a
       non-empty window: the arbitration funds (dilute, assert));
    2. partnership: an admissible weight exists at the discount factor;
    3. donor-beneficiary: ``T_N >= 0``, ``T_S >= 0`` ((impose, comply) is a stage
       equilibrium) and it pays the OCI at least its outside option
       (``donor_gain >= 0``);
    4. contested: ``T_N > 0 >= T_S`` ((impose, assert) is one) and ``contested_gain >= 0``;
    5. passive: ``T_S > 0 >= T_N`` ((dilute, comply) is one) and ``passive_gain >= 0``;
    6. breakdown otherwise.

    Only the second test depends on the discount factor, and the window grows with
    it: along any line of patience, partnership is an up-set and every other regime
    is constant below it.

    Returns
    -------
    numpy array of str (a 0-d array for scalar input)

    Examples
    --------
    >>> str(classify(2, 1, 5, 7, 3, True))
    'partnership'
    >>> str(classify(2, 1, 5, 7, 3, False))
    'donor-beneficiary'
    >>> classify([-1, 2], [-2, -1], [5, 5], [7, 7], [3, 3], [True, False]).tolist()
    ['collaboration', 'contested']
    """
    T_N, T_S = np.asarray(temptation_oci, float), np.asarray(temptation_ngo, float)
    ok = np.asarray(admissible, bool)
    conditions = [
        (T_N <= 0) & (T_S <= 0) & ok,
        ok,
        (T_N >= 0) & (T_S >= 0) & (np.asarray(donor_gain, float) >= 0),
        (T_N > 0) & (T_S <= 0) & (np.asarray(contested_gain, float) >= 0),
        (T_S > 0) & (T_N <= 0) & (np.asarray(passive_gain, float) >= 0),
    ]
    shape = np.broadcast_shapes(*(c.shape for c in conditions))
    names = list(REGIMES)
    result = np.full(shape, names[-1], dtype=object)
    for name, condition in reversed(list(zip(names[:-1], conditions, strict=True))):
        result = np.where(np.broadcast_to(condition, shape), name, result)
    return np.asarray(result, dtype=str)
