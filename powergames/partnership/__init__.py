"""The partnership model: an OCI trades resources for an NGO's legitimacy, across
unequal power, in a repeated game held up by power arbitration mechanisms."""

from powergames.partnership.analysis import Analysis, analyse
from powergames.partnership.closed_forms import ClosedForms, derive, evaluate
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
from powergames.partnership.power import (
    Environment,
    MesoPower,
    MicroPower,
    apply_environment,
    inherited_weight,
    power_balance,
    weight_from_breakdown,
    weight_from_patience,
)
from powergames.partnership.regimes import REGIMES, classify
from powergames.partnership.scenarios import (
    PRESETS,
    Scenario,
    list_presets,
    load_preset,
    load_scenario,
)

__all__ = [
    "BASELINE",
    "NGO_STRATEGIES",
    "OCI_STRATEGIES",
    "PLAYERS",
    "PRESETS",
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
    "Scenario",
    "analyse",
    "apply_environment",
    "apply_mechanisms",
    "classify",
    "derive",
    "evaluate",
    "inherited_weight",
    "list_presets",
    "load_preset",
    "load_scenario",
    "partnership_game",
    "power_balance",
    "stage_payoffs",
    "weight_from_breakdown",
    "weight_from_patience",
]
