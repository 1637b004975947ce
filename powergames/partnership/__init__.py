"""The partnership model: an OCI trades resources for an NGO's legitimacy, across
unequal power, in a repeated game held up by power arbitration mechanisms (version 2:
resources flow South, and the regime is monotone in patience).

The names below load with their modules on first use: reading the registry of
quantities or the regimes does not import sympy.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from powergames.partnership.actors import NestedParameters, derive_nested, settle_nested
    from powergames.partnership.analysis import Analysis, analyse, as_parameters
    from powergames.partnership.bargaining_weight import (
        relation_discount_factor,
        weight_from_breakdown,
        weight_from_patience,
    )
    from powergames.partnership.closed_forms import ClosedForms, derive, evaluate
    from powergames.partnership.environment import Environment, apply_environment
    from powergames.partnership.game import (
        NGO_STRATEGIES,
        OCI_STRATEGIES,
        PLAYERS,
        partnership_game,
        stage_payoffs,
    )
    from powergames.partnership.mechanisms import (
        Commitment,
        ConcessionTransfer,
        Dilution,
        LegitimacyProduction,
        NetworkExtension,
        apply_mechanisms,
    )
    from powergames.partnership.parameters import BASELINE, SPECS, Parameters, ParameterSpec
    from powergames.partnership.power import MesoPower, MicroPower, inherited_weight, power_balance
    from powergames.partnership.presets import PRESETS, list_presets, load_preset
    from powergames.partnership.quantities import QUANTITIES, Quantity
    from powergames.partnership.regimes import PATHS, REGIMES, classify
    from powergames.partnership.scenario import Scenario
    from powergames.partnership.scenario_toml import load_scenario
    from powergames.partnership.settlement import BINDING_CONSTRAINTS, settle

_LAZY = {
    # The nested game of actors (its own subpackage, powergames.partnership.actors).
    "NestedParameters": "powergames.partnership.actors",
    "derive_nested": "powergames.partnership.actors",
    "settle_nested": "powergames.partnership.actors",
    "Analysis": "powergames.partnership.analysis",
    "analyse": "powergames.partnership.analysis",
    "as_parameters": "powergames.partnership.analysis",
    "relation_discount_factor": "powergames.partnership.bargaining_weight",
    "weight_from_breakdown": "powergames.partnership.bargaining_weight",
    "weight_from_patience": "powergames.partnership.bargaining_weight",
    "ClosedForms": "powergames.partnership.closed_forms",
    "derive": "powergames.partnership.closed_forms",
    "evaluate": "powergames.partnership.closed_forms",
    "Environment": "powergames.partnership.environment",
    "apply_environment": "powergames.partnership.environment",
    "NGO_STRATEGIES": "powergames.partnership.game",
    "OCI_STRATEGIES": "powergames.partnership.game",
    "PLAYERS": "powergames.partnership.game",
    "partnership_game": "powergames.partnership.game",
    "stage_payoffs": "powergames.partnership.game",
    "Commitment": "powergames.partnership.mechanisms",
    "ConcessionTransfer": "powergames.partnership.mechanisms",
    "Dilution": "powergames.partnership.mechanisms",
    "LegitimacyProduction": "powergames.partnership.mechanisms",
    "NetworkExtension": "powergames.partnership.mechanisms",
    "apply_mechanisms": "powergames.partnership.mechanisms",
    "BASELINE": "powergames.partnership.parameters",
    "SPECS": "powergames.partnership.parameters",
    "ParameterSpec": "powergames.partnership.parameters",
    "Parameters": "powergames.partnership.parameters",
    "MesoPower": "powergames.partnership.power",
    "MicroPower": "powergames.partnership.power",
    "inherited_weight": "powergames.partnership.power",
    "power_balance": "powergames.partnership.power",
    "PRESETS": "powergames.partnership.presets",
    "list_presets": "powergames.partnership.presets",
    "load_preset": "powergames.partnership.presets",
    "QUANTITIES": "powergames.partnership.quantities",
    "Quantity": "powergames.partnership.quantities",
    "PATHS": "powergames.partnership.regimes",
    "REGIMES": "powergames.partnership.regimes",
    "classify": "powergames.partnership.regimes",
    "Scenario": "powergames.partnership.scenario",
    "load_scenario": "powergames.partnership.scenario_toml",
    "BINDING_CONSTRAINTS": "powergames.partnership.settlement",
    "settle": "powergames.partnership.settlement",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'powergames.partnership' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "BASELINE",
    "BINDING_CONSTRAINTS",
    "NGO_STRATEGIES",
    "OCI_STRATEGIES",
    "PATHS",
    "PLAYERS",
    "PRESETS",
    "QUANTITIES",
    "REGIMES",
    "SPECS",
    "Analysis",
    "ClosedForms",
    "Commitment",
    "ConcessionTransfer",
    "Dilution",
    "Environment",
    "LegitimacyProduction",
    "MesoPower",
    "MicroPower",
    "NestedParameters",
    "NetworkExtension",
    "ParameterSpec",
    "Parameters",
    "Quantity",
    "Scenario",
    "analyse",
    "apply_environment",
    "apply_mechanisms",
    "as_parameters",
    "classify",
    "derive",
    "derive_nested",
    "evaluate",
    "inherited_weight",
    "list_presets",
    "load_preset",
    "load_scenario",
    "partnership_game",
    "power_balance",
    "relation_discount_factor",
    "settle",
    "settle_nested",
    "stage_payoffs",
    "weight_from_breakdown",
    "weight_from_patience",
]
