"""The nested game of actors (DESIGN.md section 9): the funder, the OCI's membership and
the NGO's base groups choose, around the partnership model of version 2.

A two-level game (Putnam 1988; Schelling 1960), solved by backward induction:

1. the membership chooses its mobilisation, which narrows the conditionality it ratifies;
2. the funder and the OCI bargain over the conditionality attached to the funding;
3. the OCI and the NGO play the partnership model, the conditions raising the OCI's gain
   from imposing, the legitimacy valued by who values what, the base groups' floor
   bounding the OCI's weight.

The names below load with their modules on first use.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from powergames.partnership.actors.closed_forms import (
        NestedClosedForms,
        derive_nested,
        evaluate_funding,
    )
    from powergames.partnership.actors.membership import (
        choose_mobilisation,
        membership_payoff,
        mobilisation_candidates,
    )
    from powergames.partnership.actors.parameters import (
        NESTED_BASELINE,
        NESTED_SPECS,
        NestedParameters,
        NestedParameterSpec,
    )
    from powergames.partnership.actors.partnership_stage import (
        critical_conditionality,
        legitimacy_shown,
        settle_partnership,
        stage_parameters,
    )
    from powergames.partnership.actors.quantities import NESTED_QUANTITIES, NestedQuantity
    from powergames.partnership.actors.solution import settle_nested

_LAZY = {
    "NestedClosedForms": "powergames.partnership.actors.closed_forms",
    "derive_nested": "powergames.partnership.actors.closed_forms",
    "evaluate_funding": "powergames.partnership.actors.closed_forms",
    "choose_mobilisation": "powergames.partnership.actors.membership",
    "membership_payoff": "powergames.partnership.actors.membership",
    "mobilisation_candidates": "powergames.partnership.actors.membership",
    "NESTED_BASELINE": "powergames.partnership.actors.parameters",
    "NESTED_SPECS": "powergames.partnership.actors.parameters",
    "NestedParameters": "powergames.partnership.actors.parameters",
    "NestedParameterSpec": "powergames.partnership.actors.parameters",
    "critical_conditionality": "powergames.partnership.actors.partnership_stage",
    "legitimacy_shown": "powergames.partnership.actors.partnership_stage",
    "settle_partnership": "powergames.partnership.actors.partnership_stage",
    "stage_parameters": "powergames.partnership.actors.partnership_stage",
    "NESTED_QUANTITIES": "powergames.partnership.actors.quantities",
    "NestedQuantity": "powergames.partnership.actors.quantities",
    "settle_nested": "powergames.partnership.actors.solution",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'powergames.partnership.actors' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "NESTED_BASELINE",
    "NESTED_QUANTITIES",
    "NESTED_SPECS",
    "NestedClosedForms",
    "NestedParameterSpec",
    "NestedParameters",
    "NestedQuantity",
    "choose_mobilisation",
    "critical_conditionality",
    "derive_nested",
    "evaluate_funding",
    "legitimacy_shown",
    "membership_payoff",
    "mobilisation_candidates",
    "settle_nested",
    "settle_partnership",
    "stage_parameters",
]
