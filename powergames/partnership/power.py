"""Power at three levels and the OCI's inherited bargaining weight ``a_0``.

The article reads the power between an OCI (North) and an NGO (South) at three levels:
macrosocial (the North-South inequality), mesosocial (what each inherits from its
institutional fields) and microsocial (what each person holds in the relation). This
module turns them into the OCI's bargaining weight before any dilution,

    logit(a_0) = macro + (meso_N - meso_S) + (micro_N - micro_S)      (DESIGN.md section 6).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import sympy as sp

from powergames._validate import exact_terms, real, same_kind
from powergames.errors import InvalidParameterError

__all__ = ["MesoPower", "MicroPower", "inherited_weight", "power_balance"]


def _sum(values: dict[str, Any], what: str) -> Any:
    """The sum of numbers, arrays or sympy expressions (arrays mixed with expressions
    refused); whole numbers stay exact next to symbols."""
    same_kind(values, what)
    terms = exact_terms(list(values.values()))
    total: Any = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


@dataclass(frozen=True)
class MesoPower:
    """The power an actor inherits from its institutional fields (the mesosocial level).

    The article: « le pouvoir mesosocial [...] représente le pouvoir que les acteurs
    héritent de leurs champs institutionnels spécifiques » (meso power is what the
    actors inherit from their institutional fields: Phillips et al.'s formal authority,
    critical resources and discursive legitimacy, and DiMaggio & Powell's isomorphism).

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
                self, f.name, real(getattr(self, f.name), f"MesoPower: {f.name}", symbolic=True)
            )

    @property
    def total(self) -> Any:
        """The actor's meso power: the sum of its three forms."""
        return _sum(
            {
                "formal_authority": self.formal_authority,
                "critical_resources": self.critical_resources,
                "discursive_legitimacy": self.discursive_legitimacy,
            },
            "MesoPower",
        )


@dataclass(frozen=True)
class MicroPower:
    """The power an actor holds as a person in the relation (the microsocial level).

    Crozier (1963, p. 7), quoted by the article: the capacity of an actor « de
    l'imprévisibilité de son comportement et du contrôle qu'il exerce sur une source
    d'incertitude importante pour la réalisation des objectifs » (power comes from the
    unpredictability of one's behaviour and the control of a source of uncertainty that
    matters to the goals).

    The field is power *held by* the actor whose ``MicroPower`` it is, in logit units of
    the OCI's weight, any sign; only the difference between the two actors moves the
    weight. Trust, the article's other face of micro power (« la relation de confiance,
    de réciprocité et de solidarité »), is not zero-sum and is not here: it lowers the
    risk that the relation breaks down, and so raises the discount factor
    (:func:`powergames.partnership.relation_discount_factor`).

    Attributes
    ----------
    control_of_uncertainty : float
        How much of the uncertainty that matters to the *other's* goals the actor
        controls (Crozier): the OCI's control of the funding calendar, the NGO's
        knowledge of the ground and of the base groups.

    References
    ----------
    Crozier, M. (1963). Le phénomène bureaucratique. Paris: Éditions du Seuil.

    Examples
    --------
    >>> MicroPower(control_of_uncertainty=0.5).total
    0.5
    """

    control_of_uncertainty: Any = 0.0

    def __post_init__(self) -> None:
        value = real(
            self.control_of_uncertainty, "MicroPower: control_of_uncertainty", symbolic=True
        )
        object.__setattr__(self, "control_of_uncertainty", value)

    @property
    def total(self) -> Any:
        """The actor's micro power: its control of uncertainty."""
        return self.control_of_uncertainty


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
       (:class:`MicroPower`: Crozier's control of uncertainty).

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
    >>> inherited_weight(m, micro_ngo=MicroPower(control_of_uncertainty=1))
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
    meso = _sum({"meso_oci": meso_oci.total, "meso_ngo": -meso_ngo.total}, "inherited_weight")
    micro = _sum({"micro_oci": micro_oci.total, "micro_ngo": -micro_ngo.total}, "inherited_weight")
    z = _sum(
        {"macro": real(macro, "macro", symbolic=True), "meso": meso, "micro": micro},
        "inherited_weight",
    )
    if isinstance(z, sp.Basic):
        return 1 / (1 + sp.exp(-z))
    with np.errstate(over="ignore"):  # exp(-z) = inf for z < -709: a weight of 0
        a0 = 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))
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
    a0 = real(a0, "a0", low=0.0, high=1.0, low_open=True, high_open=True, symbolic=True)
    if isinstance(a0, sp.Basic):
        return sp.log(a0 / (1 - a0))
    a0 = np.asarray(a0, dtype=np.float64)
    balance = np.log(a0) - np.log1p(-a0)  # log1p: accurate for weights near 0
    return float(balance) if np.ndim(balance) == 0 else balance
