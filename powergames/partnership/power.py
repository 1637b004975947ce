"""Power at three levels and the OCI's inherited bargaining weight ``a_0``.

The article in ``seeds/`` reads the power between an OCI (North) and an NGO (South) at
three levels: macrosocial (the North-South inequality), mesosocial (what each inherits
from its institutional fields) and microsocial (what each person holds in the relation).
This module turns them into the OCI's bargaining weight before any dilution,

    logit(a_0) = macro + (meso_N - meso_S) + (micro_N - micro_S)      (DESIGN.md section 6),

gives the two foundations of a weight in bargaining theory (patience and the risk of
breakdown, Binmore, Rubinstein & Wolinsky 1986), and maps the actors of each partner's
environment (funders, membership, base groups) onto the model's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import sympy as sp
from scipy.special import expit, logit

from powergames.bargaining.rubinstein import rubinstein_limit
from powergames.errors import InvalidParameterError
from powergames.partnership.parameters import Parameters

__all__ = [
    "Environment",
    "MesoPower",
    "MicroPower",
    "apply_environment",
    "inherited_weight",
    "power_balance",
    "weight_from_breakdown",
    "weight_from_patience",
]


def _real(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    strict: bool = False,
    high: float | None = None,
    owner: str = "",
) -> Any:
    """Validate a real number, an array of them or a sympy expression; floats for
    numbers, float arrays for arrays, the expression itself for sympy.

    ``low``/``high`` bound the values (``strict``: open bounds). A sympy value fails
    only when it is provably outside the bounds (symbols of unknown sign pass).
    """
    label = f"{owner}: {name}" if owner else name
    if low is None:
        domain = "real"
    elif high is None:
        domain = "positive" if strict else "non-negative"
    else:
        domain = f"in ({low:g}, {high:g})" if strict else f"in [{low:g}, {high:g}]"
    if isinstance(value, sp.Basic):
        if value.is_real is False or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            raise InvalidParameterError(f"{label} must be a finite real, got {value}")
        checks = []
        if low is not None:
            checks.append(value > low if strict else value >= low)
        if high is not None:
            checks.append(value < high if strict else value <= high)
        if any(check is sp.false for check in checks):
            raise InvalidParameterError(f"{label} must be {domain}, got {value}")
        return value
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise InvalidParameterError(f"{label} must be a real number, got {value!r}")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{label} must be a number, an array of numbers or a sympy expression, got {value!r}"
        ) from None
    if not np.isfinite(array).all():
        raise InvalidParameterError(f"{label} must be finite, got {value!r}")
    bad = np.zeros(array.shape, dtype=bool)
    if low is not None:
        bad |= (array <= low) if strict else (array < low)
    if high is not None:
        bad |= (array >= high) if strict else (array > high)
    if bad.any():
        raise InvalidParameterError(f"{label} must be {domain}, got {float(array[bad].flat[0]):g}")
    return float(array) if array.ndim == 0 else array


def _sum(values: list[Any], what: str) -> Any:
    """The sum of numbers, arrays or sympy expressions, refusing to mix arrays and
    expressions (numpy would build an array of objects)."""
    if any(isinstance(v, sp.Basic) for v in values) and any(
        isinstance(v, np.ndarray) for v in values
    ):
        raise InvalidParameterError(
            f"{what} mixes numpy arrays and sympy expressions; use one or the other"
        )
    if any(isinstance(v, sp.Basic) for v in values):
        # Whole numbers stay exact next to symbols (1.0 would print as a Float).
        values = [
            sp.Integer(int(v)) if isinstance(v, float) and v.is_integer() else v for v in values
        ]
    total: Any = values[0]
    for value in values[1:]:
        total = total + value
    return total


@dataclass(frozen=True)
class MesoPower:
    """The power an actor inherits from its institutional fields (the mesosocial level).

    The article: « le pouvoir mesosocial [...] représente le pouvoir que les acteurs
    héritent de leurs champs institutionnels spécifiques et s'exprime notamment en
    termes de ressources critiques, de savoir-faire, de réseaux sociaux, etc. C'est ici
    que se situent [...] l'autorité formelle, les ressources critiques et la légitimité
    discursive » (meso power is inherited from the actor's institutional fields: critical
    resources, know-how, networks; Phillips et al.'s formal authority, critical resources
    and discursive legitimacy belong here), « ainsi que les forces de l'isomorphisme de
    DiMaggio et Powell (1991), notamment la coercition, le mimétisme et les forces
    normatives » (and DiMaggio & Powell's coercive, mimetic and normative isomorphism).

    Every field is power *held by* the actor whose ``MesoPower`` it is, in logit units
    of the OCI's weight (one unit multiplies the holder's odds by ``e``); only the
    difference between OCI and NGO matters. Values may be numbers, numpy arrays or sympy
    expressions, of any sign.

    Attributes
    ----------
    formal_authority : float
        The recognised right to decide (Phillips et al. 2000): for the OCI the funder's
        development policies it passes on -- the coercive isomorphism the article sees
        the OCI bring South, « le même type de pouvoir coercitif que celui utilisé par
        les acteurs dominants de leur environnement au Nord ».
    critical_resources : float
        Resources the other needs (Phillips et al. 2000; the article: « en fait [des]
        ressources financières »): the OCI's funding, the NGO's access to the ground.
    discursive_legitimacy : float
        The standing to speak for an issue (Phillips et al. 2000): the development
        paradigm each carries (normative isomorphism; mimetic isomorphism when the
        paradigm is copied from the field's models) -- the membership's for the OCI, the
        base groups' for the NGO.

    References
    ----------
    Phillips, N., Lawrence, T. B. and Hardy, C. (2000). Inter-organizational
    collaboration and the dynamics of institutional fields. Journal of Management
    Studies 37(1), 23-43.
    DiMaggio, P. J. and Powell, W. W. (1991). The iron cage revisited: institutional
    isomorphism and collective rationality in organizational fields. In W. W. Powell
    and P. J. DiMaggio (eds.), The New Institutionalism in Organizational Analysis,
    University of Chicago Press, 63-82.

    Examples
    --------
    >>> MesoPower(formal_authority=1.0, critical_resources=0.5).total
    1.5
    """

    formal_authority: Any = 0.0
    critical_resources: Any = 0.0
    discursive_legitimacy: Any = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            object.__setattr__(
                self, f.name, _real(f.name, getattr(self, f.name), owner="MesoPower")
            )

    @property
    def total(self) -> Any:
        """The actor's meso power: the sum of its three forms."""
        return _sum(
            [self.formal_authority, self.critical_resources, self.discursive_legitimacy],
            "MesoPower",
        )


@dataclass(frozen=True)
class MicroPower:
    """The power an actor holds as a person in the relation (the microsocial level).

    Crozier (1963, p. 7), quoted by the article: the capacity of an actor « de
    l'imprévisibilité de son comportement et du contrôle qu'il exerce sur une source
    d'incertitude importante pour la réalisation des objectifs » (power comes from the
    unpredictability of one's behaviour and the control of a source of uncertainty
    that matters to the goals). The article adds that micro power depends « surtout, à
    la relation de confiance, de réciprocité et de solidarité » (above all on the
    relation of trust, reciprocity and solidarity) and not on the actor's position, nor
    on whether it is from the North or the South.

    Sign convention: each field is power *held by* the actor whose ``MicroPower`` it is,
    in logit units of the OCI's weight, any sign; only the difference between the two
    actors moves the weight. In particular trust that is mutual -- equal on both sides --
    cancels: it leaves the split unchanged (it acts elsewhere in the model, through the
    value the partners give the future, the discount factor).

    Attributes
    ----------
    control_of_uncertainty : float
        How much of the uncertainty that matters to the *other's* goals the actor
        controls (Crozier): the OCI's control of the funding calendar, the NGO's
        knowledge of the ground and of the base groups.
    trust : float
        The trust, reciprocity and solidarity the actor's people command from the other
        side: a trusted interlocutor's proposals carry further.

    References
    ----------
    Crozier, M. (1963). Le phénomène bureaucratique. Paris: Éditions du Seuil.

    Examples
    --------
    >>> MicroPower(control_of_uncertainty=0.5, trust=0.25).total
    0.75
    """

    control_of_uncertainty: Any = 0.0
    trust: Any = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            object.__setattr__(
                self, f.name, _real(f.name, getattr(self, f.name), owner="MicroPower")
            )

    @property
    def total(self) -> Any:
        """The actor's micro power: control of uncertainty plus trust."""
        return _sum([self.control_of_uncertainty, self.trust], "MicroPower")


_NO_MESO = MesoPower()
_NO_MICRO = MicroPower()


def inherited_weight(
    macro: Any = 0.0,
    meso_oci: MesoPower = _NO_MESO,
    meso_ngo: MesoPower = _NO_MESO,
    micro_oci: MicroPower = _NO_MICRO,
    micro_ngo: MicroPower = _NO_MICRO,
) -> Any:
    """The OCI's inherited bargaining weight ``a_0`` from the three levels of power.

    ``logit(a_0) = macro + (meso_N - meso_S) + (micro_N - micro_S)``
    (DESIGN.md section 6), that is ``a_0 = 1 / (1 + exp(-z))`` for that sum ``z``.
    The power terms add up in log-odds: each unit of power multiplies the OCI's odds
    ``a_0 / (1 - a_0)`` by ``e``. The scale is the one on which patience acts
    additively: in the limit of alternating offers ``logit(a) = log r_S - log r_N``
    (:func:`weight_from_patience`).

    1. ``macro``: the North-South power relation, « l'inégalité de pouvoir existant
       entre les acteurs des relations de partenariat » (the inequality of power between
       the partners), positive when it favours the North.
    2. ``meso_oci.total - meso_ngo.total``: what each inherits from its institutional
       fields (:class:`MesoPower`: Phillips et al.'s formal authority, critical
       resources and discursive legitimacy; DiMaggio & Powell's isomorphism).
    3. ``micro_oci.total - micro_ngo.total``: what each holds in the relation itself
       (:class:`MicroPower`: Crozier's control of uncertainty; trust and reciprocity).

    Parameters
    ----------
    macro : float, array or sympy expression, default 0
        North-South inequality in logit units.
    meso_oci, meso_ngo : MesoPower
        Each partner's meso power (none by default).
    micro_oci, micro_ngo : MicroPower
        Each partner's micro power (none by default).

    Returns
    -------
    float, array or sympy expression
        ``a_0`` in (0, 1) (in floating point it rounds to 0 or 1 beyond ``|z| ~ 37``);
        a float for numbers, an array (broadcast) for arrays, ``1/(1 + exp(-z))`` for
        sympy input.

    Raises
    ------
    InvalidParameterError
        Non-finite or non-real values, or arrays mixed with sympy expressions.

    Examples
    --------
    >>> inherited_weight()   # no power on either side: an even split
    0.5
    >>> round(inherited_weight(macro=np.log(9)), 9)   # odds 9:1 for the North
    0.9
    >>> north = MesoPower(formal_authority=1.0, critical_resources=1.0)
    >>> south = MesoPower(discursive_legitimacy=2.0)
    >>> inherited_weight(1.0, north, south)   # meso powers balance: the macro term alone
    0.731058579
    >>> inherited_weight(np.array([-1.0, 0.0, 1.0])).round(6)
    array([0.268941, 0.5     , 0.731059])
    >>> m = sp.Symbol("m", real=True)
    >>> inherited_weight(m, micro_ngo=MicroPower(trust=1))
    1/(exp(1 - m) + 1)
    """
    for name, value, kind in (
        ("meso_oci", meso_oci, MesoPower),
        ("meso_ngo", meso_ngo, MesoPower),
        ("micro_oci", micro_oci, MicroPower),
        ("micro_ngo", micro_ngo, MicroPower),
    ):
        if not isinstance(value, kind):
            raise InvalidParameterError(f"{name} must be a {kind.__name__}, got {value!r}")
    # Differences level by level, as in the formula: equal powers cancel exactly.
    meso = _sum([meso_oci.total, -meso_ngo.total], "inherited_weight")
    micro = _sum([micro_oci.total, -micro_ngo.total], "inherited_weight")
    z = _sum([_real("macro", macro), meso, micro], "inherited_weight")
    if isinstance(z, sp.Basic):
        return 1 / (1 + sp.exp(-z))
    a0 = expit(np.asarray(z, dtype=np.float64))
    return float(a0) if np.ndim(a0) == 0 else a0


def power_balance(a0: Any) -> Any:
    """The power balance ``logit(a_0) = log(a_0 / (1 - a_0))``: the inverse of
    :func:`inherited_weight`, the sum of the three levels' terms a weight implies.

    Parameters
    ----------
    a0 : float, array or sympy expression
        The OCI's weight, in the open interval (0, 1).

    Returns
    -------
    float, array or sympy expression
        Positive when the OCI holds the larger share, 0 at an even split.

    Raises
    ------
    InvalidParameterError
        A weight outside (0, 1).

    Examples
    --------
    >>> power_balance(0.5)
    0.0
    >>> round(power_balance(0.9), 9)   # log 9
    2.197224577
    >>> power_balance(sp.Rational(3, 4))
    log(3)
    """
    a0 = _real("a0", a0, low=0.0, high=1.0, strict=True)
    if isinstance(a0, sp.Basic):
        return sp.log(a0 / (1 - a0))
    balance = logit(np.asarray(a0, dtype=np.float64))
    return float(balance) if np.ndim(balance) == 0 else balance


def weight_from_patience(oci_rate: Any, ngo_rate: Any) -> Any:
    """The OCI's weight as the limit of alternating offers with vanishing periods.

    1. The OCI and the NGO bargain by alternating offers (Rubinstein 1982), each
       discounting time at its rate: ``delta_i = exp(-r_i Delta)`` per period of length
       ``Delta``.
    2. As ``Delta -> 0`` the first proposer's advantage vanishes and the split tends to
       the generalised Nash solution in which the OCI's weight is the NGO's share of
       the impatience, ``r_S / (r_N + r_S)`` (Binmore, Rubinstein & Wolinsky 1986):
       computed by :func:`powergames.bargaining.rubinstein_limit` with the OCI as player
       1, whose payoff is ``r2 / (r1 + r2)`` of a unit surplus.

    The more patient partner -- the one that can wait for the relation, for example
    because it has other funds -- takes the larger share. On the logit scale of
    :func:`inherited_weight`, ``power_balance(a) = log r_S - log r_N``.

    Parameters
    ----------
    oci_rate, ngo_rate : float, array or sympy expression
        Discount rates per unit of time, positive.

    Returns
    -------
    float, array or sympy expression
        The OCI's weight ``r_S / (r_N + r_S)`` in (0, 1).

    Raises
    ------
    InvalidParameterError
        A rate that is not positive, not finite, or arrays mixed with sympy.

    References
    ----------
    Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. Econometrica
    50(1), 97-109.
    Binmore, K., Rubinstein, A. and Wolinsky, A. (1986). The Nash bargaining solution
    in economic modelling. RAND Journal of Economics 17(2), 176-188.

    Examples
    --------
    >>> weight_from_patience(0.05, 0.10)   # the NGO is twice as impatient
    0.666666667
    >>> r_N, r_S = sp.symbols("r_N r_S", positive=True)
    >>> weight_from_patience(r_N, r_S)
    r_S/(r_N + r_S)
    """
    oci_rate = _real("oci_rate", oci_rate, low=0.0, strict=True)
    ngo_rate = _real("ngo_rate", ngo_rate, low=0.0, strict=True)
    _sum([oci_rate, ngo_rate], "weight_from_patience")  # refuses arrays mixed with sympy
    return rubinstein_limit(oci_rate, ngo_rate).payoffs[0]


def weight_from_breakdown(
    oci_hazard: Any, ngo_hazard: Any, *, oci_rate: Any = 0.0, ngo_rate: Any = 0.0
) -> Any:
    """The OCI's weight when the negotiation may break down (Binmore, Rubinstein &
    Wolinsky 1986), with the hazard of breakdown as each side perceives it.

    Breakdown ends the relation: each partner falls back on its outside option
    (``w_N``, ``w_S``), the model's minmax. With a common hazard and no discounting the
    limit is the *symmetric* Nash solution with the breakdown payoffs as disagreement
    point -- exactly the arbitration of the partnership model with weight 1/2: a shared
    fear of losing the relation equalises the partners. When each side perceives its
    own hazard, the one more afraid of a breakdown concedes more.

    1. Period length ``Delta``. Partner i discounts by ``delta_i = exp(-r_i Delta)`` and
       believes that after each rejection the negotiation breaks down with probability
       ``p_i = 1 - exp(-lambda_i Delta)``, leaving it ``w_i``.
    2. An agreement ``x`` reached after ``t`` rejections is then worth to i
       ``q_i^t (x_i - d_i) + d_i`` with ``q_i = (1 - p_i) delta_i`` and
       ``d_i = p_i w_i / (1 - q_i)``, the value of perpetual disagreement. Each partner
       can secure ``d_i`` by rejecting, and a responder's choice depends on its own
       belief only, so the game is Rubinstein's over the pie ``S - d_N - d_S`` with
       discount factors ``q_i``: the unique equilibrium (Rubinstein 1982; Shaked &
       Sutton 1984) gives the first proposer ``d_1 + (1 - q_2)/(1 - q_1 q_2) (S - d_1 -
       d_2)``. With a common hazard this is :func:`powergames.bargaining.rubinstein`
       with ``breakdown=(p, (w_1, w_2))``.
    3. As ``Delta -> 0``: ``q_i = exp(-rho_i Delta)`` with ``rho_i = r_i + lambda_i``,
       so the split tends to the generalised Nash solution with the OCI's weight
       ``rho_S / (rho_N + rho_S)`` (computed by
       :func:`powergames.bargaining.rubinstein_limit` with rates ``rho``) and the
       disagreement point ``d_i = lambda_i w_i / (r_i + lambda_i)``.

    Without discounting (the default) ``d = (w_N, w_S)``, the partnership model's
    disagreement point, and the weight is ``lambda_S / (lambda_N + lambda_S)``: it plugs
    into ``Parameters(inherited_weight=...)`` as it is. With positive rates the
    disagreement point moves from ``w`` towards 0, which the model's closed forms (they
    measure gains from ``(w_N, w_S)``) do not represent unless ``w_N = w_S = 0``.

    Different perceptions of one hazard are a model without a common prior; step 2
    shows the equilibrium stays unique and immediate here, because only the
    responder's belief enters its acceptance threshold. Who is right about the hazard
    does not change the split; only the perceptions do.

    Parameters
    ----------
    oci_hazard, ngo_hazard : float, array or sympy expression
        The breakdown hazard (per unit of time) perceived by the OCI and by the NGO,
        positive.
    oci_rate, ngo_rate : float, array or sympy expression, default 0
        Discount rates, non-negative.

    Returns
    -------
    float, array or sympy expression
        The OCI's weight ``(r_S + lambda_S) / (r_N + lambda_N + r_S + lambda_S)``.

    Raises
    ------
    InvalidParameterError
        A hazard that is not positive, a negative rate, non-finite values, or arrays
        mixed with sympy.

    References
    ----------
    Binmore, K., Rubinstein, A. and Wolinsky, A. (1986). The Nash bargaining solution
    in economic modelling. RAND Journal of Economics 17(2), 176-188.
    Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. Econometrica
    50(1), 97-109.
    Shaked, A. and Sutton, J. (1984). Involuntary unemployment as a perfect equilibrium
    in a bargaining model. Econometrica 52(6), 1351-1364.

    Examples
    --------
    >>> weight_from_breakdown(0.2, 0.2)   # a common hazard: the symmetric Nash solution
    0.5
    >>> weight_from_breakdown(0.1, 0.3)   # the NGO fears a breakdown more
    0.75
    >>> weight_from_breakdown(0.1, 0.1, oci_rate=0.05, ngo_rate=0.1)
    0.571428571
    >>> lam_N, lam_S = sp.symbols("lambda_N lambda_S", positive=True)
    >>> weight_from_breakdown(lam_N, lam_S)
    lambda_S/(lambda_N + lambda_S)
    """
    oci_hazard = _real("oci_hazard", oci_hazard, low=0.0, strict=True)
    ngo_hazard = _real("ngo_hazard", ngo_hazard, low=0.0, strict=True)
    oci_rate = _real("oci_rate", oci_rate, low=0.0)
    ngo_rate = _real("ngo_rate", ngo_rate, low=0.0)
    _sum([oci_hazard, ngo_hazard, oci_rate, ngo_rate], "weight_from_breakdown")  # no mixing
    return rubinstein_limit(oci_rate + oci_hazard, ngo_rate + ngo_hazard).payoffs[0]


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
        The coercive weight of the development policies the funder imposes: added to
        ``control_gain`` (``g``).
    membership_paradigm : float
        The coercive weight of the development paradigm the membership imposes: added
        to ``control_gain`` (``g``).
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
            object.__setattr__(self, f.name, _real(f.name, value, low=0.0, owner="Environment"))


def apply_environment(params: Parameters, env: Environment) -> Parameters:
    """The parameters shaped by the partners' environments (DESIGN.md section 6).

    Each map below, with the article's passage it rests on:

    1. Accountability, ``lam = a_F + a_M``: ``funder_accountability = funder_valuation``
       and ``membership_accountability = membership_valuation``. « [l'ACDI et le
       membership] donnent aux OCI des ressources critiques [...]. En échange, les OCI
       sont imputables vis-à-vis ces acteurs » (CIDA and the membership give the OCIs
       critical resources; in exchange the OCIs are accountable to them), and the
       NGOs' legitimacies are « la base de leur imputabilité envers l'ACDI et envers le
       membership » (the basis of their accountability to CIDA and the membership).
    2. Coercion, ``g += funder_policies + membership_paradigm``. « Ces deux acteurs
       exercent un pouvoir coercitif [...] : l'ACDI impose des politiques de
       développement et le membership impose un paradigme de développement » (both
       exert coercive power: CIDA imposes development policies, the membership a
       development paradigm), and the OCIs bring South « le même type de pouvoir
       coercitif » (the same kind of coercive power): what they gain by imposing.
    3. Base groups, ``l_m += base_group_paradigm`` and
       ``l_p += base_group_mobilisation``. « Les groupes de base n'exercent pas leur
       pouvoir par la coercition, mais plutôt par la légitimité morale et pragmatique,
       c'est-à-dire en partageant leur paradigme de développement avec les ONG de même
       qu'en se mobilisant et en participant aux instances de prise de décisions » (base
       groups exert power not by coercion but through moral and pragmatic legitimacy:
       by sharing their development paradigm with the NGOs, and by mobilising and
       taking part in decisions). The article ties each source to one legitimacy:
       « La légitimité morale fait référence aux valeurs et aux principes liés au
       paradigme de développement que les ONG partagent avec les groupes de base »
       (moral legitimacy: the shared paradigm) and « la légitimité pragmatique fait
       référence à la capacité des ONG [...] de rejoindre les groupes de base, de les
       mobiliser » (pragmatic legitimacy: reaching and mobilising them). Hence two
       fields, one per legitimacy (Suchman 1995's types).
    4. Alternative funders, ``w_S += alternative_funders``. « L'exercice de pouvoir
       entre les bailleurs de fonds et les ONG est similaire à celui existant entre
       l'ACDI et les OCI » (the NGOs have funders of their own), and belonging to
       several institutional fields « multiplie et diversifie les sources de pouvoir
       des acteurs » (multiplies and diversifies the actors' sources of power).
    5. Other partners, ``w_N += other_partners``. Meso power « s'exprime notamment en
       termes de ressources critiques, de savoir-faire, de réseaux sociaux » (is
       expressed in critical resources, know-how, social networks); each OCI of the
       study works with several partners in Guatemala (« trois partenaires de l'OCI1
       et deux partenaires de l'OCI2 »).

    Every other parameter is left as it is. The maps are additive (the valuations
    aside, which are the accountabilities themselves), so environments compose.

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

    References
    ----------
    Suchman, M. C. (1995). Managing legitimacy: strategic and institutional
    approaches. Academy of Management Review 20(3), 571-610.

    Examples
    --------
    >>> p = apply_environment(Parameters(), Environment(funder_valuation=1.5, funder_policies=1))
    >>> p.accountability, p.control_gain
    (2.0, 3.0)
    >>> apply_environment(Parameters(), Environment(alternative_funders=2)).ngo_outside_option
    2.0
    """
    if not isinstance(env, Environment):
        raise InvalidParameterError(f"env must be an Environment, got {env!r}")
    changes: dict[str, Any] = {}
    if env.funder_valuation is not None:
        changes["funder_accountability"] = env.funder_valuation
    if env.membership_valuation is not None:
        changes["membership_accountability"] = env.membership_valuation
    additions = {
        "control_gain": [env.funder_policies, env.membership_paradigm],
        "moral_legitimacy": [env.base_group_paradigm],
        "pragmatic_legitimacy": [env.base_group_mobilisation],
        "ngo_outside_option": [env.alternative_funders],
        "oci_outside_option": [env.other_partners],
    }
    for name, terms in additions.items():
        changes[name] = _sum([params[name], *terms], name)
    return params.replace(**changes)
