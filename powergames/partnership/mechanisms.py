"""Power arbitration mechanisms: the switches by which the partners balance their power.

The article names them from its data: « les mécanismes d'arbitrage de pouvoir. C'est
ainsi que nous avons appelé la façon et les moyens utilisés par les acteurs du Nord
pour diluer leur pouvoir et par les acteurs du Sud pour renforcer le leur » (the ways
and means Northern actors use to dilute their power and Southern actors to reinforce
theirs), adopted « consciemment [...] afin d'équilibrer leur pouvoir au sein de leur
relation » (consciously, to balance their power within the relation).

A mechanism acts on the analysis in two ways, either of which may be the identity:

- ``apply(params)``: it changes the parameters of the stage game (outside options,
  control gain, legitimacy);
- ``weight(a, params)``: it changes the OCI's bargaining weight ``a`` in the arbitration
  (DESIGN.md section 6), given the parameters.

:func:`apply_mechanisms` composes them. Every mechanism is a frozen dataclass; any
object with a ``name`` and these two methods (the :class:`Mechanism` protocol) works.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np
import sympy as sp

from powergames._validate import real
from powergames.errors import InfeasibleProblemError, InvalidParameterError
from powergames.partnership.closed_forms import derive, evaluate
from powergames.partnership.parameters import SPECS, Parameters

__all__ = [
    "ArbitrationMechanism",
    "Commitment",
    "ConcessionTransfer",
    "Dilution",
    "LegitimacyProduction",
    "Mechanism",
    "NetworkExtension",
    "apply_mechanisms",
]


@runtime_checkable
class Mechanism(Protocol):
    """What :func:`apply_mechanisms` needs of a mechanism."""

    @property
    def name(self) -> str:
        """A short name, in the article's words."""
        ...

    def apply(self, params: Parameters) -> Parameters:
        """The parameters after the mechanism."""
        ...

    def weight(self, a: Any, params: Parameters) -> Any:
        """The OCI's weight after the mechanism, at parameters ``params``."""
        ...


@dataclass(frozen=True)
class ArbitrationMechanism:
    """The base of the mechanisms here: both maps are the identity.

    Examples
    --------
    >>> base = ArbitrationMechanism()
    >>> base.apply(Parameters()) == Parameters(), base.weight(0.9, Parameters())
    (True, 0.9)
    """

    name: ClassVar[str] = "identity"

    def apply(self, params: Parameters) -> Parameters:
        """The parameters after the mechanism (unchanged by default)."""
        return params

    def weight(self, a: Any, params: Parameters) -> Any:
        """The OCI's weight after the mechanism (unchanged by default)."""
        return a


def _at_least(value: Any, low: Any) -> Any:
    """``max(value, low)`` for numbers, arrays and sympy expressions."""
    if isinstance(value, sp.Basic) or isinstance(low, sp.Basic):
        return sp.Max(value, low)
    out = np.maximum(value, low)
    return float(out) if np.ndim(out) == 0 else out


def _at_most(value: Any, high: Any) -> Any:
    """``min(value, high)`` for numbers, arrays and sympy expressions."""
    if isinstance(value, sp.Basic) or isinstance(high, sp.Basic):
        return sp.Min(value, high)
    out = np.minimum(value, high)
    return float(out) if np.ndim(out) == 0 else out


def _surplus(params: Parameters) -> Any:
    """The surplus ``Sigma`` at numeric or symbolic parameters."""
    if params.is_symbolic:
        values = {spec.sympy_symbol: params[spec.name] for spec in SPECS}
        return derive().surplus.subs(values)
    return evaluate(params)["surplus"]


@dataclass(frozen=True)
class Dilution(ArbitrationMechanism):
    """The OCI dilutes its inherited power: ``a -> max(0, a - amount)``.

    The article's central finding in the North: « ce pouvoir, que nous avons appelé « le
    pouvoir hérité des OCI », est dilué consciemment par les OCI dans leurs relations
    avec leurs partenaires. Pourquoi? Tout d'abord, pour maintenir la relation de long
    terme » (the OCIs' inherited power is consciously diluted in their relations with
    their partners, first of all to keep the long-term relation). In the model the OCI
    gives up ``amount`` of its share of the surplus; diluting by the closed form
    ``d* = max(0, a_0 - a_max)`` brings an inherited weight above the window exactly to
    its top, ``a_hi``, the largest share the relation can bear.
    The parameters are unchanged.

    Parameters
    ----------
    amount : float, array or sympy expression
        How much weight the OCI gives up, non-negative.

    Examples
    --------
    >>> Dilution(0.15).weight(0.9, Parameters())   # d* = 3/20 at the baseline
    0.75
    >>> Dilution(2.0).weight(0.9, Parameters())     # a weight stops at 0
    0.0
    """

    name: ClassVar[str] = "dilution"
    amount: Any

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "amount", real(self.amount, "Dilution: amount", low=0.0, symbolic=True)
        )

    def weight(self, a: Any, params: Parameters) -> Any:
        """``max(0, a - amount)``."""
        return _at_least(a - self.amount, 0)


@dataclass(frozen=True)
class ConcessionTransfer(ArbitrationMechanism):
    """The OCI concedes resources: an extra transfer ``amount`` to the NGO each period,
    on top of the arbitration transfer ``R(a)``.

    « Les acteurs font des concessions de part et d'autre afin de construire une
    relation de partenariat à long terme » (the actors make concessions on both sides to
    build a long-term partnership), and they share « des ressources financières,
    technologiques et cognitives » (financial, technological and cognitive resources).
    With transferable utility a transfer ``c`` moves the agreement along the frontier
    ``u_N + u_S = w_N + w_S + Sigma``: ``u_N = w_N + a Sigma - c = w_N + (a - c/Sigma)
    Sigma``. So the concession is a dilution by ``amount / Sigma`` -- ``a -> max(0, a -
    amount/Sigma)``, the transfer ``R`` at the new weight being ``R(a) + amount`` --
    and the model cannot tell giving up resources from giving up power; telling them
    apart would need utility that is not transferable. The floor 0 is where the OCI
    would fall to its outside option. The parameters are unchanged (the surplus is read
    at the parameters given, after any parameter change, see :func:`apply_mechanisms`).

    Parameters
    ----------
    amount : float, array or sympy expression
        The extra transfer per period, non-negative.

    Raises
    ------
    InfeasibleProblemError
        From :meth:`weight`, where the surplus is not positive: a transfer is then no
        share of a gain.

    Examples
    --------
    >>> ConcessionTransfer(0.2).weight(0.9, Parameters())   # 0.9 - 0.2 / 8
    0.875
    """

    name: ClassVar[str] = "concession transfer"
    amount: Any

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "amount", real(self.amount, "ConcessionTransfer: amount", low=0.0, symbolic=True)
        )

    def weight(self, a: Any, params: Parameters) -> Any:
        """``max(0, a - amount / Sigma)``, ``Sigma`` the surplus at ``params``."""
        surplus = _surplus(params)
        if isinstance(surplus, sp.Basic):
            if (surplus > 0) is sp.false:
                raise InfeasibleProblemError(
                    f"ConcessionTransfer: the surplus must be positive, got {surplus}"
                )
        elif np.any(np.asarray(surplus) <= 0):
            first = float(np.asarray(surplus)[np.asarray(surplus) <= 0].flat[0])
            raise InfeasibleProblemError(
                f"ConcessionTransfer: the surplus must be positive, got {first:g}"
            )
        return _at_least(a - self.amount / surplus, 0)


@dataclass(frozen=True)
class NetworkExtension(ArbitrationMechanism):
    """The NGO extends its network -- other funders, other networks:
    ``ngo_outside_option += amount``.

    « Leur appartenance à plusieurs champs institutionnels [...] multiplie et diversifie
    les sources de pouvoir des acteurs » (belonging to several institutional fields
    multiplies and diversifies the actors' sources of power); meso power is expressed
    « en termes de ressources critiques, de savoir-faire, de réseaux sociaux » (in
    critical resources, know-how and social networks). The NGO's minmax rises by the
    amount and the surplus falls one for one; its agreement payoff ``w_S + (1-a) Sigma``
    rises by ``a amount``. A smaller surplus holds the NGO's temptation in check less
    well, so ``a_max`` falls and the OCI must dilute more: reinforcing the NGO's power
    forces the OCI's dilution, at the price of a relation that needs more patience
    (``delta**`` rises). The weight is unchanged.

    Parameters
    ----------
    amount : float, array or sympy expression
        The rise of the NGO's outside option, non-negative.

    Examples
    --------
    >>> p = NetworkExtension(1.0).apply(Parameters())
    >>> p.ngo_outside_option, evaluate(p)["surplus"]
    (1.0, 7.0)
    """

    name: ClassVar[str] = "network extension"
    amount: Any

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "amount", real(self.amount, "NetworkExtension: amount", low=0.0, symbolic=True)
        )

    def apply(self, params: Parameters) -> Parameters:
        """``w_S -> w_S + amount``."""
        return params.replace(ngo_outside_option=params.ngo_outside_option + self.amount)


@dataclass(frozen=True)
class Commitment(ArbitrationMechanism):
    """The OCI commits not to impose, and guarantees the NGO a floor tied to its base
    groups.

    « Un nouveau paradigme de développement où le Nord ne saurait imposer des recettes
    au Sud, comme il pouvait le faire pendant les années 1960 » (a new development
    paradigm in which the North can no longer impose recipes on the South): a
    commitment puts a cost ``cost`` (``k``) on imposing, so the control gain falls,
    ``g -> g - min(k, g)``, and with it the temptation ``T_N = g - phi b``, the bottom
    of the window ``a_min``, the critical discount factor ``delta**`` and the
    donor-beneficiary surplus. The control gain cannot leave its domain ``[0, inf)``:
    the residual ``max(0, k - g)`` of a larger cost is dropped. It would only make a
    non-positive temptation more negative, which changes nothing in the analysis but the
    tie ``T_N = 0`` (at ``phi = 0`` the OCI is then indifferent instead of deterred).

    The ``floor``: the NGOs hold to their base groups, « pour s'assurer que leurs
    demandes seront respectées et qu'elles pourront répondre aux besoins des membres et
    des groupes de base, qui constituent leur raison d'être » (to make sure their
    demands are respected and they can meet the needs of their members and base groups,
    their raison d'être). The NGO's share of the surplus is at least ``floor``: the
    OCI's weight is at most ``1 - floor``.

    Parameters
    ----------
    cost : float, array or sympy expression
        The cost of imposing, non-negative.
    floor : float, array or sympy expression, default 0
        The NGO's guaranteed share of the surplus, in [0, 1].

    Examples
    --------
    >>> p = Commitment(1.0).apply(Parameters())
    >>> p.control_gain, evaluate(p)["temptation_oci"]
    (1.0, 1.0)
    >>> Commitment(0.0, floor=0.3).weight(0.9, Parameters())
    0.7
    """

    name: ClassVar[str] = "commitment"
    cost: Any
    floor: Any = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "cost", real(self.cost, "Commitment: cost", low=0.0, symbolic=True)
        )
        object.__setattr__(
            self, "floor", real(self.floor, "Commitment: floor", low=0.0, high=1.0, symbolic=True)
        )

    def apply(self, params: Parameters) -> Parameters:
        """``g -> g - min(cost, g) = max(0, g - cost)``."""
        return params.replace(control_gain=_at_least(params.control_gain - self.cost, 0))

    def weight(self, a: Any, params: Parameters) -> Any:
        """``min(a, 1 - floor)``."""
        return _at_most(a, 1 - self.floor)


@dataclass(frozen=True)
class LegitimacyProduction(ArbitrationMechanism):
    """The NGO produces and reinforces its legitimacy: ``moral_legitimacy += amount``.

    « Ces pouvoirs sont renforcés et mis en valeur consciemment par les ONG [...]. Les
    ONG démontrent ainsi qu'elles font un travail professionnel, transparent et surtout
    ancré dans les besoins des populations » (these powers are consciously reinforced
    and showcased by the NGOs, which show that their work is professional, transparent
    and above all rooted in the people's needs). Moral legitimacy reaches the OCI when
    the NGO asserts itself, so the surplus rises by ``(lam + phi) amount`` and the
    NGO's temptation falls by ``phi amount``: ``a_max`` rises and the OCI needs to
    dilute less. The closed form ``reinforcement`` -- the production after which the
    inherited weight needs no dilution -- falls by the amount: it becomes
    ``max(0, x* - amount)`` (the binding root ``x*`` depends on ``l_m + x`` only). The
    weight is unchanged.

    Parameters
    ----------
    amount : float, array or sympy expression
        The rise of moral legitimacy, non-negative.

    Examples
    --------
    >>> p = LegitimacyProduction(0.5).apply(Parameters())
    >>> p.moral_legitimacy, evaluate(p)["reinforcement"]   # 2 needed at the baseline
    (3.5, 1.5)
    """

    name: ClassVar[str] = "legitimacy production"
    amount: Any

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "amount",
            real(self.amount, "LegitimacyProduction: amount", low=0.0, symbolic=True),
        )

    def apply(self, params: Parameters) -> Parameters:
        """``l_m -> l_m + amount``."""
        return params.replace(moral_legitimacy=params.moral_legitimacy + self.amount)


def apply_mechanisms(
    params: Parameters, weight: Any = None, mechanisms: Iterable[Mechanism] = ()
) -> tuple[Parameters, Any]:
    """The parameters and the OCI's weight after the arbitration mechanisms.

    1. The parameter maps, in the order given: ``params <- m.apply(params)``.
    2. The weight maps, in the order given, each at the *final* parameters:
       ``weight <- m.weight(weight, params)``.

    Parameter changes come first because the weight is bargained over the relation as
    it stands once every mechanism has reshaped it: a concession transfer is a share of
    the surplus left after, say, a network extension. The weight maps do not commute
    in general (a floor before a dilution is not a floor after it); they follow the
    order given.

    Parameters
    ----------
    params : Parameters
    weight : float, array or sympy expression, optional
        The OCI's weight before the mechanisms; ``params.inherited_weight`` by default.
    mechanisms : iterable of Mechanism

    Returns
    -------
    (Parameters, weight)

    Raises
    ------
    InvalidParameterError
        ``params`` is not :class:`Parameters`, or a mechanism lacks ``apply`` or
        ``weight``.

    Examples
    --------
    >>> p, a = apply_mechanisms(Parameters(), 0.9, [NetworkExtension(1.0), ConcessionTransfer(0.7)])
    >>> p.ngo_outside_option, round(a, 9)   # 0.9 - 0.7 / 7: the surplus after the extension
    (1.0, 0.8)
    >>> apply_mechanisms(Parameters(), mechanisms=[Dilution(0.5), Commitment(0, floor=0.6)])[1]
    0.4
    """
    if not isinstance(params, Parameters):
        raise InvalidParameterError(f"params must be Parameters, got {params!r}")
    chosen = list(mechanisms)
    for mechanism in chosen:
        if not isinstance(mechanism, Mechanism):
            raise InvalidParameterError(
                f"mechanisms must have a name, apply(params) and weight(a, params), "
                f"got {mechanism!r}"
            )
    a = params.inherited_weight if weight is None else weight
    for mechanism in chosen:
        params = mechanism.apply(params)
    for mechanism in chosen:
        a = mechanism.weight(a, params)
    return params, a
