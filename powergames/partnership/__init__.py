"""The partnership model: an OCI trades resources for an NGO's legitimacy, across
unequal power, in a repeated game held up by power arbitration mechanisms (version 2:
resources flow South, and the regime is monotone in patience)."""

from powergames.partnership.analysis import Analysis, analyse, as_parameters
from powergames.partnership.bargaining_weight import (
    relation_discount_factor,
    weight_from_breakdown,
    weight_from_patience,
)
from powergames.partnership.closed_forms import ClosedForms, derive, evaluate
from powergames.partnership.columns import COLUMNS, PartnershipModel
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
from powergames.partnership.regimes import REGIMES, classify
from powergames.partnership.scenario import Scenario
from powergames.partnership.scenario_toml import load_scenario
from powergames.partnership.settlement import BINDING_CONSTRAINTS, settle

__all__ = [
    "BASELINE",
    "BINDING_CONSTRAINTS",
    "COLUMNS",
    "NGO_STRATEGIES",
    "OCI_STRATEGIES",
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
    "NetworkExtension",
    "ParameterSpec",
    "Parameters",
    "PartnershipModel",
    "Quantity",
    "Scenario",
    "analyse",
    "apply_environment",
    "apply_mechanisms",
    "as_parameters",
    "classify",
    "derive",
    "evaluate",
    "inherited_weight",
    "list_presets",
    "load_preset",
    "load_scenario",
    "partnership_game",
    "power_balance",
    "relation_discount_factor",
    "settle",
    "stage_payoffs",
    "weight_from_breakdown",
    "weight_from_patience",
]
