"""Closed forms of the partnership model, derived by sympy from the stage game.

Nothing here is typed in by hand: each expression is computed from the payoff
matrices of :func:`partnership_game` with symbolic parameters (differences of
payoffs, sympy's ``solve``), then compiled once into vectorised numpy functions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from powergames.partnership.game import partnership_game
from powergames.partnership.parameters import SPECS, Parameters

__all__ = ["ClosedForms", "derive", "evaluate"]

IMPOSE, DILUTE, WITHDRAW = 0, 1, 2
COMPLY, ASSERT, EXIT = 0, 1, 2

#: The bargaining weight of the OCI in the arbitration (a symbol of its own).
WEIGHT = sp.Symbol("a", nonnegative=True)


@dataclass(frozen=True)
class ClosedForms:
    """The model's closed forms as sympy expressions in the parameters' symbols (and
    the OCI's bargaining weight ``a`` where it appears).

    Attributes
    ----------
    temptations : (T_N, T_S)
        The OCI's gain from imposing rather than diluting when the NGO asserts, and the
        NGO's gain from complying rather than asserting when the OCI dilutes.
    surplus : Sigma
        The joint gain of the partnership outcome (dilute, assert) over the minmax.
    donor_beneficiary_surplus : Sigma_DB
        The joint gain of (impose, comply) over the minmax.
    minmax : (m_N, m_S)
        The pure minmax payoffs (the outside options: withdrawal and exit).
    agreement : (u_N(a), u_S(a))
        The generalised Nash split of the surplus over the minmax with weight ``a``.
    arbitration_transfer : R(a)
        The transfer that makes (dilute, assert) pay the agreement.
    funded_weight : a_R
        The largest weight whose agreement needs no transfer from the NGO to the OCI
        (``R(a_R) = 0``): above it the resources would have to flow North.
    thresholds : (delta_N(a), delta_S(a))
        Each partner's critical discount factor for (dilute, assert) forever, with
        termination as punishment.
    window : (a_min, a_max)
        The self-enforcing weights at discount factor ``delta``.
    critical_discount_factor : delta**
        The smallest discount factor with a non-empty window.
    dilution : d*
        How far the OCI lowers its inherited weight ``a_0`` to make it self-enforcing;
        infinite when the window is empty (no weight is).
    reinforcement : x*
        How much the NGO must raise its moral legitimacy for ``a_0`` to be
        self-enforcing without dilution.
    """

    temptations: tuple[sp.Expr, sp.Expr]
    surplus: sp.Expr
    donor_beneficiary_surplus: sp.Expr
    minmax: tuple[sp.Expr, sp.Expr]
    agreement: tuple[sp.Expr, sp.Expr]
    arbitration_transfer: sp.Expr
    funded_weight: sp.Expr
    thresholds: tuple[sp.Expr, sp.Expr]
    window: tuple[sp.Expr, sp.Expr]
    critical_discount_factor: sp.Expr
    dilution: sp.Expr
    reinforcement: sp.Expr
    _compact: dict[str, sp.Expr] = field(default_factory=dict, repr=False, compare=False)

    def compact(self) -> dict[str, sp.Expr]:
        """The closed forms as they are derived, keyed as :meth:`as_dict`: the stage
        game's quantities in the parameters, and the repeated game's in terms of the
        symbols ``T_N``, ``T_S``, ``Sigma``, ``Sigma_DB`` (and the dilution in terms of
        the window's ends ``a_min``, ``a_max``). Substituting the stage quantities
        (and the window) gives :meth:`as_dict`.

        Examples
        --------
        >>> derive().compact()["window_max"]
        Piecewise((-oo, Sigma < 0), (1, T_S <= 0), (1 - T_S*(1 - delta)/(Sigma*delta), True))
        """
        return dict(self._compact)

    def as_dict(self) -> dict[str, sp.Expr]:
        """Every closed form by name (pairs split into ``_oci``/``_ngo`` or
        ``_min``/``_max``)."""
        return {
            "temptation_oci": self.temptations[0],
            "temptation_ngo": self.temptations[1],
            "surplus": self.surplus,
            "donor_beneficiary_surplus": self.donor_beneficiary_surplus,
            "minmax_oci": self.minmax[0],
            "minmax_ngo": self.minmax[1],
            "agreement_oci": self.agreement[0],
            "agreement_ngo": self.agreement[1],
            "arbitration_transfer": self.arbitration_transfer,
            "funded_weight": self.funded_weight,
            "threshold_oci": self.thresholds[0],
            "threshold_ngo": self.thresholds[1],
            "window_min": self.window[0],
            "window_max": self.window[1],
            "critical_discount_factor": self.critical_discount_factor,
            "dilution": self.dilution,
            "reinforcement": self.reinforcement,
        }


def _symbol(name: str) -> sp.Symbol:
    return next(spec.sympy_symbol for spec in SPECS if spec.name == name)


#: The stage-game quantities, as symbols of their own in :meth:`ClosedForms.compact`.
T_N, T_S, SIGMA, SIGMA_DB = sp.symbols("T_N T_S Sigma Sigma_DB", real=True)
#: The ends of the window of self-enforcing weights, as symbols (for the dilution).
A_MIN, A_MAX = sp.symbols("a_min a_max", real=True)


@functools.cache
def derive() -> ClosedForms:
    """Derive the closed forms from the symbolic stage game (cached).

    The derivation has two layers. The stage game gives the temptations ``T_N``,
    ``T_S``, the surpluses ``Sigma``, ``Sigma_DB`` and the minmax; the repeated game is
    solved in terms of those symbols (:meth:`ClosedForms.compact`), and the
    parameters' expressions are then substituted.

    Examples
    --------
    >>> forms = derive()
    >>> forms.temptations
    (-b*phi + g, e - l_m*phi)
    >>> forms.compact()["window_min"]
    Piecewise((oo, Sigma < 0), (0, T_N <= 0), (T_N*(1 - delta)/(Sigma*delta), True))
    >>> from powergames.partnership.parameters import BASELINE
    >>> baseline = {spec.sympy_symbol: sp.Rational(str(BASELINE[spec.name])) for spec in SPECS}
    >>> forms.critical_discount_factor.subs(baseline)   # delta** = 3/11 at the baseline
    3/11
    """
    game = partnership_game(Parameters.symbolic())
    A, B = game.payoffs
    delta, a0 = _symbol("discount_factor"), _symbol("inherited_weight")
    transfer, moral = _symbol("transfer"), _symbol("moral_legitimacy")
    a = WEIGHT

    # The stage game. Temptations: one-shot gains from leaving (dilute, assert).
    # Pure minmax: min over the opponent's actions of the best reply payoff;
    # withdrawal and exit guarantee the outside options and hold the other to its own.
    m_N = sp.Min(*[sp.Max(*[A[i, j] for i in range(3)]) for j in range(3)])
    m_S = sp.Min(*[sp.Max(*[B[i, j] for j in range(3)]) for i in range(3)])
    stage = {
        T_N: sp.expand(A[IMPOSE, ASSERT] - A[DILUTE, ASSERT]),
        T_S: sp.expand(B[DILUTE, COMPLY] - B[DILUTE, ASSERT]),
        SIGMA: sp.expand(A[DILUTE, ASSERT] + B[DILUTE, ASSERT] - m_N - m_S),
        SIGMA_DB: sp.expand(A[IMPOSE, COMPLY] + B[IMPOSE, COMPLY] - m_N - m_S),
    }

    # The arbitration: the generalised Nash split of Sigma over the minmax, and the
    # transfer that makes (dilute, assert) pay it (A[D, A] + OCI's share = the OCI's
    # payoff, solved for R; the OCI's payoff is written as Sigma's complement).
    agreement = (m_N + a * SIGMA, m_S + (1 - a) * SIGMA)
    oci_before = sp.expand(A[DILUTE, ASSERT] + transfer)
    (R_a,) = sp.solve(sp.Eq(oci_before - transfer, agreement[0]), transfer)
    (a_R,) = sp.solve(sp.Eq(R_a, 0), a)

    # Critical discount factors of (dilute, assert) forever, termination as
    # punishment: delta >= gain / (gain + payoff - punishment) (one-shot deviation).
    gain_N, gain_S = sp.Max(T_N, 0), sp.Max(T_S, 0)
    delta_N = gain_N / (gain_N + agreement[0] - m_N)
    delta_S = gain_S / (gain_S + agreement[1] - m_S)
    # The window: the weights at which both constraints hold at delta (a partner with
    # no temptation constrains nothing, also at delta = 0).
    (a_min,) = sp.solve(sp.Eq(delta, delta_N.subs(gain_N, T_N)), a)
    (a_max,) = sp.solve(sp.Eq(delta, delta_S.subs(gain_S, T_S)), a)
    # Written as in the literature (checked equal to what sympy solved): the OCI needs
    # a share of at least a_min, the NGO one of at least 1 - a_max.
    a_min = _same(a_min, (1 - delta) * T_N / (delta * SIGMA))
    a_max = _same(a_max, 1 - (1 - delta) * T_S / (delta * SIGMA))
    # delta**: where the two ends meet, with the gains clipped at zero.
    (delta_star,) = sp.solve(sp.Eq(a_min.subs(T_N, gain_N), a_max.subs(T_S, gain_S)), delta)
    # Everything above divides by Sigma > 0. With Sigma < 0 the agreement leaves a
    # partner below its outside option whatever the weight: no weight is
    # self-enforcing, and no discount factor helps. With Sigma = 0 the formulas give
    # this limit on their own (a gain over a zero stake).
    a_min = sp.Piecewise((sp.oo, SIGMA < 0), (0, T_N <= 0), (a_min, True))
    a_max = sp.Piecewise((-sp.oo, SIGMA < 0), (1, T_S <= 0), (a_max, True))
    no_temptation = (T_N <= 0) & (T_S <= 0) & (SIGMA >= 0)
    delta_star = sp.Piecewise((0, no_temptation), (sp.factor(delta_star), SIGMA > 0), (sp.oo, True))
    # Each partner's threshold at weight a, with the conventions of
    # powergames.repeated.critical_discount_factor when the stake a Sigma (or
    # (1 - a) Sigma) is not positive: 0 with nothing to gain, else no delta < 1.
    delta_N, delta_S = (
        sp.Piecewise((d, stake > 0), (0, sp.Eq(stake, 0) & sp.Eq(gain, 0)), (sp.oo, True))
        for d, stake, gain in (
            (delta_N, agreement[0] - m_N, gain_N),
            (delta_S, agreement[1] - m_S, gain_S),
        )
    )
    # Below delta** no weight is self-enforcing: no dilution, however large, suffices.
    dilution = sp.Piecewise((sp.oo, A_MIN > A_MAX), (sp.Max(0, a0 - A_MAX), True))

    # Reinforcement: the increase x of moral legitimacy after which a_0 <= a_max, in
    # the case where the NGO's temptation binds (T_S > 0). T_S and Sigma are linear
    # in the moral legitimacy: T_S(x) = T_S - k_T x and Sigma(x) = Sigma + k_Sigma x.
    k_T, k_Sigma = -sp.diff(stage[T_S], moral), sp.diff(stage[SIGMA], moral)
    if sp.diff(k_T, moral) != 0 or sp.diff(k_Sigma, moral) != 0:  # pragma: no cover
        raise AssertionError("T_S and Sigma must be linear in the moral legitimacy")
    kt, ks, x = sp.symbols("k_T k_Sigma x")
    raised = (T_S - kt * x) / (T_S - kt * x + (1 - a0) * (SIGMA + ks * x))
    (x_star,) = sp.solve(sp.Eq(delta, raised), x)
    # x* = N / D with D = (1 - delta) k_T + delta (1 - a_0) k_Sigma >= 0, a sum of
    # non-negative terms: D = 0 (no lever: no future and no shared paradigm, or
    # a_0 = 1 without a shared paradigm) gives +inf rather than a sign flipped by
    # rounding. (x* <= 0 exactly when a_0 <= a_max already.)
    numerator = (1 - delta) * T_S - delta * (1 - a0) * SIGMA
    denominator = (1 - delta) * kt + delta * (1 - a0) * ks
    _same(x_star, numerator / denominator)
    # With a shared paradigm the temptation itself vanishes at x = T_S / k_T, which
    # also ends the need.
    vanish = sp.Piecewise((T_S / kt, kt > 0), (sp.oo, True))
    reinforcement = sp.Max(0, sp.Min(numerator / denominator, vanish)).subs({kt: k_T, ks: k_Sigma})

    compact = {
        "temptation_oci": stage[T_N],
        "temptation_ngo": stage[T_S],
        "surplus": stage[SIGMA],
        "donor_beneficiary_surplus": stage[SIGMA_DB],
        "minmax_oci": m_N,
        "minmax_ngo": m_S,
        "agreement_oci": agreement[0],
        "agreement_ngo": agreement[1],
        "arbitration_transfer": R_a,
        "funded_weight": a_R,
        "threshold_oci": delta_N,
        "threshold_ngo": delta_S,
        "window_min": a_min,
        "window_max": a_max,
        "critical_discount_factor": delta_star,
        "dilution": dilution,
        "reinforcement": reinforcement,
    }
    window = {A_MIN: a_min, A_MAX: a_max}
    full = {
        name: (expr if name in _STAGE_FORMS else expr.subs(window).subs(stage))
        for name, expr in compact.items()
    }
    return ClosedForms(
        temptations=(full["temptation_oci"], full["temptation_ngo"]),
        surplus=full["surplus"],
        donor_beneficiary_surplus=full["donor_beneficiary_surplus"],
        minmax=(m_N, m_S),
        agreement=(full["agreement_oci"], full["agreement_ngo"]),
        arbitration_transfer=full["arbitration_transfer"],
        funded_weight=full["funded_weight"],
        thresholds=(full["threshold_oci"], full["threshold_ngo"]),
        window=(full["window_min"], full["window_max"]),
        critical_discount_factor=full["critical_discount_factor"],
        dilution=full["dilution"],
        reinforcement=full["reinforcement"],
        _compact=compact,
    )


def _same(derived: sp.Expr, written: sp.Expr) -> sp.Expr:
    """``written``, a form of ``derived`` easier to read, once checked equal to it."""
    if sp.simplify(derived - written) != 0:  # pragma: no cover - a derivation bug
        raise AssertionError(f"{written} is not {derived}")
    return written


_STAGE_FORMS = frozenset(
    {
        "temptation_oci",
        "temptation_ngo",
        "surplus",
        "donor_beneficiary_surplus",
        "minmax_oci",
        "minmax_ngo",
    }
)


def _maximum(*args: Any) -> Any:
    return functools.reduce(np.maximum, args)


def _minimum(*args: Any) -> Any:
    return functools.reduce(np.minimum, args)


def _select(conditions: list[Any], choices: list[Any], default: Any = np.nan) -> Any:
    """What sympy prints a Piecewise as, with ``np.where``: unlike ``numpy.select`` it
    broadcasts scalars and arrays alike."""
    result = default
    for condition, choice in reversed(list(zip(conditions, choices, strict=True))):
        result = np.where(condition, choice, result)
    return result


class _Broadcasting:
    """Stands for ``numpy.logical_and``/``logical_or`` in sympy's printed code, whose
    ``.reduce`` of a tuple would not broadcast arrays against scalars."""

    def __init__(self, function: Callable[[Any, Any], Any]) -> None:
        self.function = function

    def reduce(self, arguments: tuple[Any, ...]) -> Any:
        return functools.reduce(self.function, arguments)


#: The symbols of the compact forms, and the forms whose values they take.
_LAYERS = {
    T_N: "temptation_oci",
    T_S: "temptation_ngo",
    SIGMA: "surplus",
    SIGMA_DB: "donor_beneficiary_surplus",
    A_MIN: "window_min",
    A_MAX: "window_max",
}


@functools.cache
def _compiled() -> dict[str, Callable[..., Any]]:
    """The compact forms as numpy functions of the parameters, the weight and the
    layer symbols. Evaluated in order, each layer's value feeds the next: the stage
    quantities are computed once, not once per form that contains them, and the
    functions compile in a fraction of the time the expanded forms take."""
    arguments = [spec.sympy_symbol for spec in SPECS] + [WEIGHT, *_LAYERS]
    return {name: lambdify(arguments, expr) for name, expr in derive().compact().items()}


def lambdify(arguments: list[sp.Symbol], expr: sp.Expr) -> Callable[..., Any]:
    """``expr`` as a numpy function of ``arguments`` that broadcasts arrays and scalars
    alike (``Max``, ``Min``, ``Piecewise`` and logical connectives included)."""
    broadcasting = {
        "Max": _maximum,
        "Min": _minimum,
        "select": _select,
        "logical_and": _Broadcasting(np.logical_and),
        "logical_or": _Broadcasting(np.logical_or),
    }
    function: Callable[..., Any] = sp.lambdify(arguments, expr, modules=[broadcasting, "numpy"])
    return function


def evaluate(params: Parameters, weight: Any = None) -> dict[str, Any]:
    """Every closed form at numeric (possibly array-valued) parameters, vectorised.

    Parameters
    ----------
    params : Parameters
        Numbers or arrays (they broadcast).
    weight : number or array, optional
        The OCI's bargaining weight ``a`` for the quantities that depend on it
        (agreement, arbitration transfer, thresholds); the inherited weight by default.

    Returns
    -------
    dict of str to float or array
        Keyed as :meth:`ClosedForms.as_dict`.

    Examples
    --------
    >>> values = evaluate(Parameters())
    >>> round(values["surplus"], 9), round(values["critical_discount_factor"], 9)
    (8.0, 0.272727273)
    >>> round(values["dilution"], 9)   # a_0 = 0.9 and a_max = 7/8 at delta = 1/2
    0.025
    """
    if params.is_symbolic:
        raise TypeError("evaluate needs numeric parameters; use derive() for expressions")
    # numpy scalars and arrays: division by zero in a branch that is not taken gives
    # inf (silenced), where Python floats would raise.
    values = [np.asarray(params[spec.name], dtype=np.float64) for spec in SPECS]
    a = np.asarray(params.inherited_weight if weight is None else weight, dtype=np.float64)
    # Branches not taken may divide by zero or overflow: their values are discarded.
    layers = dict.fromkeys(_LAYERS.values(), np.nan)  # each known before it is used
    out: dict[str, Any] = {}
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for name, f in _compiled().items():
            out[name] = f(*values, a, *layers.values())
            if name in layers:
                layers[name] = out[name]
    shape = np.broadcast_shapes(*(np.shape(v) for v in [*values, a]))
    return {
        name: (np.broadcast_to(v, shape).astype(np.float64) if shape else float(v))
        for name, v in out.items()
    }
