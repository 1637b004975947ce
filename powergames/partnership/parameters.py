"""The named parameters of the OCI-NGO partnership model (DESIGN.md section 6)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from powergames.partnership.parameter_set import (
    ParameterSet,
    ParameterSpec,
    Value,
    parameter,
    parameter_set,
    suggest,
)

__all__ = ["BASELINE", "SPECS", "ParameterSpec", "Parameters", "suggest"]

INF = math.inf


@parameter_set(ParameterSpec)
@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class Parameters(ParameterSet):
    r"""The parameters of the partnership model, validated.

    Every parameter has a default (the baseline B0 of DESIGN.md section 6); pass the
    ones to change by name. A value may be a number, a numpy array (the values
    broadcast against each other: a parameter grid) or a sympy expression. The object
    is immutable and reads like a mapping (``dict(p)``, ``p["control_gain"]``) as well
    as by attribute.

    Parameters
    ----------
    pragmatic_legitimacy : float, default 4
        ``l_p``: the NGO's capacity to reach and mobilise base groups and deliver
        results, delivered to the OCI whenever the NGO takes part.
    moral_legitimacy : float, default 3
        ``l_m``: the values and paradigm the NGO shares with its base groups,
        delivered to the OCI only when the NGO asserts itself.
    funder_accountability : float, default 0.5
        ``a_F``: how much the OCI's funder values the legitimacy the OCI can show.
    membership_accountability : float, default 0.5
        ``a_M``: how much the OCI's membership values it.
    control_gain : float, default 2
        ``g``: what the OCI gains by imposing its funder's policies (coercion).
    autonomy_value : float, default 3
        ``b``: what the NGO gains when the OCI dilutes its power.
    assertion_cost : float, default 1
        ``e``: the NGO's cost of asserting its positions.
    shared_paradigm : float in [0, 1], default 0
        ``phi``: how far the partners share a development paradigm.
    oci_outside_option, ngo_outside_option : float, default 1 and 0
        ``w_N``, ``w_S``: each partner's payoff without the other.
    transfer_floor : float >= 0, default 0
        ``R_0``: the least the OCI transfers each period (limited liability:
        resources flow South).
    discount_factor : float in [0, 1), default 0.5
        ``delta``: how much the partners value the future of the relation.
    inherited_weight : float in [0, 1], default 0.9
        ``a_0``: the OCI's bargaining weight inherited from macro, meso and micro
        power, before any dilution.

    Raises
    ------
    InvalidParameterError
        For a value outside the parameter's domain, or arrays that do not broadcast.

    Examples
    --------
    >>> p = Parameters(shared_paradigm=0.5)
    >>> p.shared_paradigm, p.accountability
    (0.5, 1.0)
    >>> Parameters(discount_factor=1.0)
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: discount_factor (delta) must be in [0, 1), got 1
    >>> Parameters.symbolic().control_gain
    g
    """

    pragmatic_legitimacy: Value = parameter(
        "l_p",
        "\\ell_p",
        (0, INF),
        4.0,
        "the NGO's capacity to reach and mobilise base groups and deliver results, "
        "delivered to the OCI whenever the NGO takes part",
    )
    moral_legitimacy: Value = parameter(
        "l_m",
        "\\ell_m",
        (0, INF),
        3.0,
        "the values and development paradigm the NGO shares with its base groups, "
        "delivered to the OCI only when the NGO asserts itself",
    )
    funder_accountability: Value = parameter(
        "a_F",
        "a_F",
        (0, INF),
        0.5,
        "how much the OCI's funder (CIDA) values the legitimacy the OCI can show",
    )
    membership_accountability: Value = parameter(
        "a_M",
        "a_M",
        (0, INF),
        0.5,
        "how much the OCI's membership values the legitimacy the OCI can show",
    )
    control_gain: Value = parameter(
        "g",
        "g",
        (0, INF),
        2.0,
        "what the OCI gains by imposing its funder's development policies on the NGO "
        "(the coercive power it inherits from its funder)",
    )
    autonomy_value: Value = parameter(
        "b",
        "b",
        (0, INF),
        3.0,
        "what the NGO gains when the OCI dilutes its power: room to answer to its base groups",
    )
    assertion_cost: Value = parameter(
        "e", "e", (0, INF), 1.0, "the NGO's cost of asserting its positions against the OCI"
    )
    shared_paradigm: Value = parameter(
        "phi",
        "\\varphi",
        (0, 1),
        0.0,
        "how far the partners share a development paradigm: the OCI values the NGO's "
        "autonomy and the NGO values its own assertion by this fraction",
    )
    oci_outside_option: Value = parameter(
        "w_N",
        "w_N",
        (-INF, INF),
        1.0,
        "the OCI's payoff without this partner (other partners, other programmes)",
    )
    ngo_outside_option: Value = parameter(
        "w_S",
        "w_S",
        (-INF, INF),
        0.0,
        "the NGO's payoff without this OCI (other funders, other networks)",
    )
    transfer_floor: Value = parameter(
        "R_0",
        "R_0",
        (0, INF),
        0.0,
        "the least the OCI transfers to the NGO each period (limited liability: resources "
        "flow South; e.g. a funder's envelope earmarked for the South)",
    )
    discount_factor: Value = parameter(
        "delta",
        "\\delta",
        (0, 1),
        0.5,
        "how much the partners value the future of the relation (the long term)",
        upper_open=True,
    )
    inherited_weight: Value = parameter(
        "a_0",
        "a_0",
        (0, 1),
        0.9,
        "the OCI's bargaining weight inherited from macro, meso and micro power, before "
        "any dilution",
    )

    OWNER: ClassVar[str] = "the parameters"
    RETIRED: ClassVar[dict[str, str]] = {
        "transfer": "the model determines the transfer R* (version 2); give a lower bound "
        "with 'transfer_floor' instead"
    }

    # ------------------------------------------------------------ derived
    @property
    def accountability(self) -> Any:
        """lambda = a_F + a_M: the accountability value of legitimacy to the OCI's funder
        and membership together."""
        return self.funder_accountability + self.membership_accountability


#: The parameters, in the order of the design document, with their symbols, domains,
#: meanings and defaults (the baseline B0): read from :class:`Parameters`' fields.
SPECS: tuple[ParameterSpec, ...] = Parameters.SPECS

#: The baseline B0 of the design document.
BASELINE: dict[str, float] = {spec.name: spec.default for spec in SPECS}


def check_name(name: str) -> str:
    """``name`` if it is a parameter's name, else :class:`InvalidParameterError` with a
    suggestion and the list of names.

    Examples
    --------
    >>> check_name("transfer")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: 'transfer' is no longer a parameter: ...
    """
    return Parameters.check_name(name)
