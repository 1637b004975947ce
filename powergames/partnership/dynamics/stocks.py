"""The stocks the relation accumulates, and their laws of motion.

Two stocks carry the history of a relation from one period to the next:

- the NGO's **moral legitimacy** ``L`` (the model's ``l_m``): the NGO builds it by
  asserting its base groups' positions in a meeting with the OCI, and it fades
  otherwise, ``L' = (1 - rho) L + eta`` when the NGO asserts, ``(1 - rho) L`` when it
  does not;
- **trust**, the shared paradigm ``phi`` in ``[0, 1]``: dialogue, a meeting in which the
  OCI dilutes and the NGO asserts, brings the partners closer, ``phi' = phi + kappa (1 -
  phi)``; imposition erodes it, ``phi' = (1 - nu) phi``; other periods leave it as it is.

A period without a meeting (the OCI withdraws or the NGO exits) builds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames._validate import real

__all__ = ["StockLaws"]

#: The actions of the stage game, as indices.
IMPOSE, DILUTE, WITHDRAW = 0, 1, 2
COMPLY, ASSERT, EXIT = 0, 1, 2


@dataclass(frozen=True)
class StockLaws:
    """How legitimacy and trust move with what the partners do.

    Parameters
    ----------
    depreciation : float in [0, 1], default 0.1
        ``rho``: the share of moral legitimacy that fades each period.
    production : float >= 0, default 0.5
        ``eta``: the moral legitimacy one assertion builds.
    trust_growth : float in [0, 1], default 0.1
        ``kappa``: the share of the distance to full trust one period of dialogue
        covers.
    trust_erosion : float in [0, 1], default 0.2
        ``nu``: the share of trust one imposition destroys.

    Examples
    --------
    >>> laws = StockLaws()
    >>> laws.next_stocks(2.0, 0.5, DILUTE, ASSERT)   # dialogue
    (2.3, 0.55)
    >>> laws.next_stocks(2.0, 0.5, IMPOSE, COMPLY)   # imposition
    (1.8, 0.4)
    >>> StockLaws(0, 0, 0, 0).frozen
    True
    """

    depreciation: float = 0.1
    production: float = 0.5
    trust_growth: float = 0.1
    trust_erosion: float = 0.2

    def __post_init__(self) -> None:
        for name, high in (
            ("depreciation", 1.0),
            ("production", None),
            ("trust_growth", 1.0),
            ("trust_erosion", 1.0),
        ):
            value = real(getattr(self, name), name, low=0.0, high=high, array=False)
            object.__setattr__(self, name, value)

    @property
    def frozen(self) -> bool:
        """Whether the stocks never move (every rate 0)."""
        return not any((self.depreciation, self.production, self.trust_growth, self.trust_erosion))

    def next_stocks(
        self, legitimacy: Any, trust: Any, oci_action: Any, ngo_action: Any
    ) -> tuple[Any, Any]:
        """The stocks after a period in which the OCI and the NGO play the given
        actions (indices of the stage game; arrays broadcast).

        Returns floats for scalar input, arrays otherwise.
        """
        L = np.asarray(legitimacy, dtype=np.float64)
        phi = np.asarray(trust, dtype=np.float64)
        i, j = np.asarray(oci_action), np.asarray(ngo_action)
        meeting = (i != WITHDRAW) & (j != EXIT)
        asserts = meeting & (j == ASSERT)
        dialogue = asserts & (i == DILUTE)
        imposes = meeting & (i == IMPOSE)
        L_next = (1 - self.depreciation) * L + self.production * asserts
        phi_next = (
            phi + self.trust_growth * (1 - phi) * dialogue - self.trust_erosion * phi * imposes
        )
        return _plain(L_next), _plain(phi_next)

    def steady_legitimacy(self) -> float:
        """The moral legitimacy of an NGO that asserts every period for ever,
        ``eta / rho`` (``inf`` without depreciation)."""
        if self.depreciation == 0:
            return float("inf") if self.production > 0 else 0.0
        return self.production / self.depreciation


def _plain(value: NDArray[np.float64]) -> Any:
    return float(value) if value.ndim == 0 else value
