"""The actors of the partners' environments -- funder, membership, base groups, other
funders and partners -- mapped onto the model's parameters."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from powergames._validate import exact_terms, real, same_kind
from powergames.errors import InvalidParameterError
from powergames.partnership.parameters import Parameters

__all__ = ["Environment", "apply_environment"]


@dataclass(frozen=True)
class Environment:
    """The actors of the partners' sociopolitical environments, as they bear on the
    stage game (:func:`apply_environment`).

    The article finds two dominant actors on each side: in the North the funder (CIDA)
    and the membership, in the South the funders and the members and base groups.
    Every field is non-negative. The valuations are *levels* that set a parameter when
    given (``None`` leaves it); the other fields are *increments* added to the
    parameters (0 leaves them), since those parameters have other sources too (the
    NGO's own work, its other ties). The environment's share in the OCI's bargaining
    weight (the critical resources and formal authority the funder hands on) is meso
    power: see :class:`MesoPower` and :func:`inherited_weight`.

    Attributes
    ----------
    funder_valuation : float, optional
        How much the OCI's funder values the legitimacy the OCI can show: sets
        ``funder_accountability`` (``a_F``).
    membership_valuation : float, optional
        How much the OCI's membership values it: sets ``membership_accountability``
        (``a_M``).
    funder_policies : float
        The coercive weight of the development policies the funder imposes, which the
        OCI can pass on: added to ``control_gain`` (``g``).
    membership_paradigm : float in [0, 1]
        How far the development paradigm the membership gives the OCI, one « à
        partager avec les organisations du Sud », brings the partners to a shared
        paradigm: it closes this fraction of the gap, ``phi -> phi + m (1 - phi)``.
    base_group_paradigm : float
        The development paradigm the NGO shares with its base groups: added to
        ``moral_legitimacy`` (``l_m``).
    base_group_mobilisation : float
        The base groups' mobilisation and participation in the programmes' decisions:
        added to ``pragmatic_legitimacy`` (``l_p``).
    alternative_funders : float
        The NGO's other funders and networks: added to ``ngo_outside_option`` (``w_S``).
    other_partners : float
        The OCI's other Southern partners: added to ``oci_outside_option`` (``w_N``).

    Examples
    --------
    >>> Environment(funder_policies=1.0).funder_policies
    1.0
    """

    funder_valuation: Any = None
    membership_valuation: Any = None
    funder_policies: Any = 0.0
    membership_paradigm: Any = 0.0
    base_group_paradigm: Any = 0.0
    base_group_mobilisation: Any = 0.0
    alternative_funders: Any = 0.0
    other_partners: Any = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None and f.name in ("funder_valuation", "membership_valuation"):
                continue
            high = 1.0 if f.name == "membership_paradigm" else None
            value = real(value, f"Environment: {f.name}", low=0.0, high=high, symbolic=True)
            object.__setattr__(self, f.name, value)


def apply_environment(params: Parameters, env: Environment) -> Parameters:
    """The parameters shaped by the partners' environments (DESIGN.md section 6).

    1. Accountability, ``lam = a_F + a_M``: ``funder_accountability = funder_valuation``
       and ``membership_accountability = membership_valuation`` (« En échange, les OCI
       sont imputables vis-à-vis ces acteurs »: the OCIs are accountable to their funder
       and membership).
    2. Coercion, ``g += funder_policies``: « l'ACDI impose des politiques de
       développement » (the funder imposes development policies), which the OCIs bring
       South as « le même type de pouvoir coercitif » (coercive isomorphism).
    3. The membership's paradigm, ``phi += membership_paradigm (1 - phi)``: it is « un
       paradigme de développement à partager avec les organisations du Sud qui n'est
       pas celui de l'ACDI » (a paradigm to share with the South, not the funder's): a
       shared paradigm, not coercion.
    4. Base groups, ``l_m += base_group_paradigm`` and ``l_p += base_group_mobilisation``:
       they act « par la légitimité morale et pragmatique » (through moral and pragmatic
       legitimacy), sharing their paradigm and mobilising.
    5. Alternative funders, ``w_S += alternative_funders``, and other partners,
       ``w_N += other_partners``: belonging to several fields « multiplie et diversifie
       les sources de pouvoir des acteurs » (multiplies the actors' sources of power).

    Every other parameter is left as it is. The maps compose: the additive ones add,
    and two paradigms close ``1 - (1 - m_1)(1 - m_2)`` of the gap.

    Parameters
    ----------
    params : Parameters
        The parameters before the environment acts.
    env : Environment

    Returns
    -------
    Parameters
        Validated: a change that takes a parameter out of its domain raises.

    Raises
    ------
    InvalidParameterError
        ``env`` is not an :class:`Environment`, or a changed parameter leaves its domain.

    Examples
    --------
    >>> p = apply_environment(Parameters(), Environment(funder_valuation=1.5, funder_policies=1))
    >>> p.accountability, p.control_gain
    (2.0, 3.0)
    >>> apply_environment(Parameters(), Environment(membership_paradigm=0.5)).shared_paradigm
    0.5
    """
    if not isinstance(env, Environment):
        raise InvalidParameterError(f"env must be an Environment, got {env!r}")
    changes: dict[str, Any] = {}
    if env.funder_valuation is not None:
        changes["funder_accountability"] = env.funder_valuation
    if env.membership_valuation is not None:
        changes["membership_accountability"] = env.membership_valuation
    additions = {
        "control_gain": env.funder_policies,
        "moral_legitimacy": env.base_group_paradigm,
        "pragmatic_legitimacy": env.base_group_mobilisation,
        "ngo_outside_option": env.alternative_funders,
        "oci_outside_option": env.other_partners,
    }
    for name, term in additions.items():
        same_kind({name: params[name], f"Environment: {name}": term}, "apply_environment")
        before, added = exact_terms([params[name], term])
        changes[name] = before + added
    phi, m = exact_terms([params.shared_paradigm, env.membership_paradigm])
    same_kind({"shared_paradigm": phi, "Environment: membership_paradigm": m}, "apply_environment")
    changes["shared_paradigm"] = phi + m * (1 - phi)
    return params.replace(**changes)
