"""The quantities the nested game adds to the partnership model's, in one registry.

Each stage of the game has its layer:

``membership``
    Stage 1: the membership's mobilisation and the win-set it leaves.
``funding``
    Stage 2: the conditionality the funder and the OCI settle on, whether the
    membership's ratification binds, and the control gain it gives the OCI.
``actors``
    What each actor gets: the funder, the OCI (from the funding and in all), the
    membership.

Stage 3 is the partnership model itself: its quantities are those of
:data:`powergames.partnership.QUANTITIES` (the NGO's payoff among them, ``payoff_ngo``).

Examples
--------
>>> NESTED_QUANTITIES[0].name, NESTED_QUANTITIES[0].symbol
('mobilisation', 'm*')
"""

from __future__ import annotations

from typing import Literal

from powergames.partnership.quantities import QUANTITIES, Quantity

__all__ = ["NESTED_LAYERS", "NESTED_QUANTITIES", "STAGE_THREE_QUANTITIES", "NestedQuantity"]

NestedLayer = Literal["membership", "funding", "actors"]
#: The nested game's own layers, in the order they are computed.
NESTED_LAYERS: tuple[NestedLayer, ...] = ("membership", "funding", "actors")

#: One quantity of the nested game: a :class:`powergames.partnership.Quantity` with the
#: nested game's layers (``Quantity[NestedLayer]``).
NestedQuantity = Quantity

#: The nested game's own quantities, by stage.
NESTED_QUANTITIES: tuple[Quantity[NestedLayer], ...] = (
    # ------------------------------------------------------------ stage 1
    Quantity(
        "mobilisation",
        "m*",
        "m^*",
        "mobilisation",
        "the membership's mobilisation: its choice, or the value fixed by the parameter "
        "membership_mobilisation",
        "membership",
    ),
    Quantity(
        "mobilisation_chosen",
        "chosen",
        "\\text{chosen}",
        "",
        "whether the membership chose its mobilisation (false: it was fixed)",
        "membership",
        "flag",
    ),
    Quantity(
        "win_set",
        "kappa_M",
        "\\kappa_M",
        "conditionality",
        "the most conditionality the membership ratifies at its mobilisation, tau (1 - m)",
        "membership",
    ),
    # ------------------------------------------------------------ stage 2
    Quantity(
        "nash_conditionality",
        "kappa_NB",
        "\\kappa_{NB}",
        "conditionality",
        "the conditionality of the generalised Nash bargain between funder and OCI, "
        "before the cap and the win-set",
        "funding",
    ),
    Quantity(
        "conditionality_slope",
        "k_1",
        "k_1",
        "conditionality",
        "how much each unit of mobilisation lowers the bargained conditionality",
        "funding",
    ),
    Quantity(
        "conditionality",
        "kappa*",
        "\\kappa^*",
        "conditionality",
        "the conditionality the funder attaches to its funding: the bargain, within the "
        "cap and the membership's win-set",
        "funding",
    ),
    Quantity(
        "critical_conditionality",
        "kappa_c",
        "\\kappa_c",
        "conditionality",
        "the most conditionality the partnership survives, within the cap: its window of "
        "admissible weights closes beyond (NaN where it is closed without conditions)",
        "funding",
    ),
    Quantity(
        "ratification_binds",
        "ratified",
        "\\text{ratified}",
        "",
        "whether the membership's win-set, not the bargain, sets the conditionality (the "
        "OCI's hands are tied)",
        "funding",
        "flag",
    ),
    Quantity(
        "funding_agreement",
        "agreement",
        "\\text{agreement}",
        "",
        "whether the OCI takes the funding (false: it turns to its other funding, and no "
        "conditions are attached)",
        "funding",
        "flag",
    ),
    Quantity(
        "conditioned_control_gain",
        "g",
        "g",
        "utility",
        "the OCI's gain from imposing once the conditions are attached, g_0 + gamma kappa*",
        "funding",
    ),
    # ------------------------------------------------------------- payoffs
    Quantity(
        "funder_payoff",
        "u_F",
        "u_F",
        "utility",
        "the funder's payoff: the results and control it values, a_F (l_p + gamma "
        "kappa*), or -p m without agreement",
        "actors",
    ),
    Quantity(
        "oci_funding_payoff",
        "u_NF",
        "u_{NF}",
        "utility",
        "the OCI's payoff from the funding: f_N - c_N kappa*, or w_NF + mu m without agreement",
        "actors",
    ),
    Quantity(
        "oci_total_payoff",
        "u_N + u_NF",
        "u_N + u_{NF}",
        "utility",
        "the OCI's payoff from the funding and from the partnership's path (payoff_oci)",
        "actors",
    ),
    Quantity(
        "membership_payoff",
        "u_M",
        "u_M",
        "utility",
        "the membership's payoff: a_M (Lambda - gamma kappa*) - c_M m^2 / 2, Lambda the "
        "legitimacy the OCI shows on the partnership's path",
        "actors",
    ),
)

#: The partnership model's quantities, computed at stage 3.
STAGE_THREE_QUANTITIES = QUANTITIES
