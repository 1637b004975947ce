"""Closed forms of the nested game, derived by sympy.

Stage 2, the funder and the OCI bargaining over the conditionality, is solved here in
closed form: the generalised Nash solution is found from the first-order condition of
the Nash product by sympy's ``solve`` and proved equal to the readable form printed
beside it (as in :mod:`powergames.partnership.closed_forms`). Stage 3 is the
partnership model of version 2 at mapped parameters; its closed forms (the OCI's
temptation, the critical discount factor, the dilution) become closed forms in the
actors' parameters by substituting the map into :func:`powergames.partnership.derive`'s
forms. Stage 1, the membership's choice, has no closed form in general (its payoff
jumps where the partnership's regime changes); its stationary points on each smooth
piece do, and are derived here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from powergames.errors import InvalidParameterError
from powergames.partnership.actors.parameters import NESTED_SPECS, NestedParameters
from powergames.partnership.closed_forms import SYMBOLS, derive, lambdify, proved_equal
from powergames.partnership.parameters import SPECS

__all__ = [
    "FUNDING_FORMS",
    "NestedClosedForms",
    "critical_control_gain",
    "derive_nested",
    "evaluate_funding",
]

_P = {spec.name: spec.sympy_symbol for spec in NESTED_SPECS}
_DYADIC = {spec.name: spec.sympy_symbol for spec in SPECS}

#: The mobilisation (the parameter's symbol) and the conditionality as free symbols
#: of the forms.
MOBILISATION = _P["membership_mobilisation"]
CONDITIONALITY = sp.Symbol("kappa", nonnegative=True)

#: The critical control gain's symbol in the critical conditionality's form.
CRITICAL_GAIN = sp.Symbol("g_c", real=True)

#: The quantities of stage 2 (and the mobilisation's stationary points), each with
#: its symbol in the compact forms.
FUNDING_FORMS: dict[str, sp.Symbol] = {
    name: sp.Symbol(symbol, real=True)
    for name, symbol in (
        ("win_set", "kappa_M"),
        ("oci_funding_gain", "S_N"),
        ("funder_funding_gain", "S_F"),
        ("nash_conditionality", "kappa_NB"),
        ("conditionality", "kappa*"),
        ("funding_agreement", "agreement"),
        ("ratification_binds", "ratified"),
        ("conditioned_control_gain", "g"),
        ("funder_payoff", "u_F"),
        ("oci_funding_payoff", "u_NF"),
        ("conditionality_slope", "k_1"),
        ("stationary_mobilisation_bargained", "m_NB"),
        ("stationary_mobilisation_ratified", "m_M"),
    )
}

#: The version-2 quantities the nested game reports in closed form, by stage 3.
STAGE_THREE_FORMS = ("temptation_oci", "critical_discount_factor", "dilution")


@dataclass(frozen=True, eq=False)
class NestedClosedForms(Mapping[str, sp.Expr]):
    """The nested game's closed forms, by quantity name: stage 2 (win-set,
    conditionality, agreement, payoffs of the funding), the membership's stationary
    mobilisations, and the stage-3 forms of the partnership model in the actors'
    parameters. Read them as a mapping or by attribute; :meth:`compact` gives each in
    terms of the symbols of the quantities before it.

    Examples
    --------
    >>> forms = derive_nested()
    >>> forms.compact()["win_set"]
    tau*(1 - m)
    >>> forms.compact()["conditionality"]
    Piecewise((Max(0, Min(kappa_M, kappa_NB, kappa_bar)), a_F*gamma > 0), (0, True))
    """

    compact_forms: dict[str, sp.Expr]
    stage_map: dict[sp.Symbol, sp.Expr]
    _cache: dict[str, sp.Expr] = field(default_factory=dict, repr=False)

    def __getitem__(self, name: str) -> sp.Expr:
        if name in STAGE_THREE_FORMS:
            if name not in self._cache:
                # Evaluated as the map goes in: unevaluated, the nested Piecewise
                # are too deep for sympy's printer.
                self._cache[name] = derive()[name].xreplace(self._expanded_map())
            return self._cache[name]
        if name not in self.compact_forms:
            raise KeyError(name)
        if name not in self._cache:
            self._cache[name] = self._expand(self.compact_forms[name])
        return self._cache[name]

    def _expand(self, expr: sp.Expr) -> sp.Expr:
        replacements = {
            symbol: self[n] for n, symbol in FUNDING_FORMS.items() if symbol in expr.free_symbols
        }
        return expr.xreplace(replacements)

    def _expanded_map(self) -> dict[sp.Symbol, sp.Expr]:
        return {k: self._expand(v) for k, v in self.stage_map.items()}

    def __iter__(self) -> Iterator[str]:
        return iter([*self.compact_forms, *STAGE_THREE_FORMS])

    def __len__(self) -> int:
        return len(self.compact_forms) + len(STAGE_THREE_FORMS)

    def __getattr__(self, name: str) -> sp.Expr:
        if name.startswith("_") or name not in (*FUNDING_FORMS, *STAGE_THREE_FORMS):
            raise AttributeError(name)
        return self[name]

    def compact(self) -> dict[str, sp.Expr]:
        """The forms as derived: stage 2 in terms of the quantities before it; stage 3
        as the version-2 compact form (in ``T_N``, ``Sigma``, ...) beside the map from
        the actors' parameters to the version-2 parameters (keys ``stage: l_p`` ...).

        Examples
        --------
        >>> derive_nested().compact()["stage: g"]
        g_0 + gamma*kappa*
        """
        stage = {f"stage: {symbol}": expr for symbol, expr in self.stage_map.items()}
        dyadic = derive().compact()
        critical = {
            "critical_control_gain": critical_control_gain(),
            "critical_conditionality": sp.Piecewise(
                (
                    sp.Min(
                        _P["conditionality_cap"],
                        sp.Max(
                            0, (CRITICAL_GAIN - _P["control_gain"]) / _P["control_per_condition"]
                        ),
                    ),
                    _P["control_per_condition"] > 0,
                ),
                (_P["conditionality_cap"], True),
            ),
        }
        forms = {n: dyadic[n] for n in STAGE_THREE_FORMS}
        return {**self.compact_forms, **critical, **stage, **forms}


@functools.cache
def derive_nested() -> NestedClosedForms:
    """Derive the closed forms of the nested game (cached).

    1. The membership's win-set: it ratifies ``kappa <= kappa_M(m) = tau (1 - m)``.
    2. The funding bargain. The funder's utility ``U_F = a_F (l_p + gamma kappa)``
       (results and control, valued at its accountability), the OCI's ``U_N = f_N - c_N
       kappa`` (the funds, net of what the conditions cost it), disagreement points
       ``d_F = -p m`` and ``d_N = w_NF + mu m``. The generalised Nash solution (the OCI's
       weight ``theta``) maximises ``theta log(U_N - d_N) + (1 - theta) log(U_F - d_F)``;
       its first-order condition, solved by sympy, gives ``kappa_NB = (1 - theta) S_N /
       c_N - theta S_F / (a_F gamma)`` with the gains from agreement ``S_N = f_N - w_NF
       - mu m`` and ``S_F = a_F l_p + p m``. The Nash product is log-concave, so on the
       interval ``[0, min(kappa_bar, kappa_M)]`` its maximiser is ``kappa_NB`` clipped:
       ``kappa* = max(0, min(kappa_NB, kappa_bar, kappa_M))``. A funder that values no
       control (``a_F gamma = 0``) attaches none. The OCI agrees to the funding when
       ``S_N >= 0``; without agreement there are no conditions either.
    3. The slopes of the conditionality in the mobilisation, and the stationary points
       of the membership's payoff ``a_M (Lambda - gamma kappa*) - c_M m^2 / 2`` on the
       pieces where ``kappa*`` is ``kappa_NB`` and where it is ``kappa_M``.
    4. The map to the partnership model (stage 3): ``g = g_0 + gamma kappa*``, the
       legitimacy the OCI values ``a_F l_p + a_M (l_p + l_m)`` written as version 2's
       ``lam (l_p + l_m)`` with ``lam = a_M`` and ``l_p -> l_p (a_F + a_M) / a_M``, and
       the transfer's floor raised to the base groups' ``r_B``.

    Examples
    --------
    >>> forms = derive_nested()
    >>> forms.compact()["nash_conditionality"]
    -S_F*theta/(a_F*gamma) + S_N*(1 - theta)/c_N
    >>> forms.compact()["conditionality_slope"]
    mu*(1 - theta)/c_N + p*theta/(a_F*gamma)
    """
    P, s = _P, FUNDING_FORMS
    m, kappa = MOBILISATION, CONDITIONALITY
    a_F, a_M, l_p = (
        P["funder_accountability"],
        P["membership_accountability"],
        P["pragmatic_legitimacy"],
    )
    gamma, theta = P["control_per_condition"], P["oci_bargaining_weight"]
    c_N, f_N, w_NF = P["oci_condition_cost"], P["funding_value"], P["oci_alternative_funding"]
    p, mu, tau = P["funder_political_cost"], P["winning_bid_gain"], P["membership_tolerance"]
    cap, c_M = P["conditionality_cap"], P["membership_mobilisation_cost"]

    compact: dict[str, sp.Expr] = {}
    # 1. The win-set.
    compact["win_set"] = tau * (1 - m)
    # 2. The bargain: utilities, disagreement points, gains at kappa = 0.
    U_F, U_N = a_F * (l_p + gamma * kappa), f_N - c_N * kappa
    d_F, d_N = -p * m, w_NF + mu * m
    compact["oci_funding_gain"] = sp.expand(U_N.subs(kappa, 0) - d_N)
    compact["funder_funding_gain"] = sp.expand(U_F.subs(kappa, 0) - d_F)
    S_N, S_F = s["oci_funding_gain"], s["funder_funding_gain"]
    nash = theta * sp.log(U_N - d_N) + (1 - theta) * sp.log(U_F - d_F)
    (solved,) = sp.solve(sp.diff(nash, kappa), kappa)
    readable = (1 - theta) * S_N / c_N - theta * S_F / (a_F * gamma)
    gains = {S_N: compact["oci_funding_gain"], S_F: compact["funder_funding_gain"]}
    proved_equal(solved, readable.subs(gains))
    # The Nash product is log-concave in kappa: the derivative of its logarithm falls.
    if sp.simplify(sp.diff(nash, kappa, 2) * (U_N - d_N) ** 2 * (U_F - d_F) ** 2).is_positive:
        raise AssertionError("the Nash product must be log-concave")  # pragma: no cover
    compact["nash_conditionality"] = readable
    bound = sp.Min(s["nash_conditionality"], cap, s["win_set"])
    compact["conditionality"] = sp.Piecewise((sp.Max(0, bound), a_F * gamma > 0), (0, True))
    compact["funding_agreement"] = S_N >= 0
    unconstrained = sp.Min(sp.Max(0, s["nash_conditionality"]), cap)
    compact["ratification_binds"] = (a_F * gamma > 0) & (s["win_set"] < unconstrained)
    compact["conditioned_control_gain"] = P["control_gain"] + gamma * s["conditionality"]
    agreement = s["funding_agreement"]
    compact["funder_payoff"] = sp.Piecewise(
        (U_F.subs(kappa, s["conditionality"]), agreement), (d_F, True)
    )
    compact["oci_funding_payoff"] = sp.Piecewise(
        (U_N.subs(kappa, s["conditionality"]), agreement), (d_N, True)
    )
    # 3. Slopes and the membership's stationary points on the smooth pieces.
    slope = -sp.diff(readable.subs(gains), m)
    compact["conditionality_slope"] = proved_equal(
        slope, (1 - theta) * mu / c_N + theta * p / (a_F * gamma)
    )
    k1 = s["conditionality_slope"]
    Lambda, level = sp.symbols("Lambda level", real=True)
    stationary = {}
    for name, rate in (("bargained", k1), ("ratified", tau)):
        payoff = a_M * (Lambda - gamma * (level - rate * m)) - c_M * m**2 / 2
        (point,) = sp.solve(sp.diff(payoff, m), m)
        stationary[name] = proved_equal(point, a_M * gamma * rate / c_M)
    compact["stationary_mobilisation_bargained"] = stationary["bargained"]
    compact["stationary_mobilisation_ratified"] = stationary["ratified"]

    # 4. The map to version 2 (stage 3).
    stage_map = {
        _DYADIC["control_gain"]: P["control_gain"] + gamma * s["conditionality"],
        _DYADIC["funder_accountability"]: sp.Integer(0),
        _DYADIC["membership_accountability"]: a_M,
        _DYADIC["pragmatic_legitimacy"]: l_p * (a_F + a_M) / a_M,
        _DYADIC["transfer_floor"]: sp.Max(P["transfer_floor"], P["base_group_floor"]),
    }
    for name in (
        "moral_legitimacy",
        "autonomy_value",
        "assertion_cost",
        "shared_paradigm",
        "oci_outside_option",
        "ngo_outside_option",
        "discount_factor",
        "inherited_weight",
    ):
        stage_map[_DYADIC[name]] = P[name]
    return NestedClosedForms(compact_forms=compact, stage_map=stage_map)


# ------------------------------------------------------------------ numerics
_STAGE_TWO = (
    "win_set",
    "oci_funding_gain",
    "funder_funding_gain",
    "nash_conditionality",
    "conditionality",
    "funding_agreement",
    "ratification_binds",
    "conditioned_control_gain",
    "funder_payoff",
    "oci_funding_payoff",
    "conditionality_slope",
    "stationary_mobilisation_bargained",
    "stationary_mobilisation_ratified",
)


@functools.cache
def _compiled() -> dict[str, Callable[..., Any]]:
    """The stage-2 compact forms as numpy functions of the parameters, the mobilisation
    and the symbols of the quantities before them (evaluated in order)."""
    arguments = [spec.sympy_symbol for spec in NESTED_SPECS] + list(FUNDING_FORMS.values())
    forms = derive_nested().compact_forms
    return {name: lambdify(arguments, forms[name]) for name in _STAGE_TWO}


def evaluate_funding(params: NestedParameters, mobilisation: Any) -> dict[str, Any]:
    """The stage-2 closed forms at numeric (possibly array-valued) parameters and
    mobilisation, vectorised: the win-set, the conditionality and the funding's
    payoffs, and the slopes the membership's choice needs.

    Returns
    -------
    dict of str to array
        Keyed by the names of :data:`FUNDING_FORMS`, arrays of the broadcast shape of the
        parameters and the mobilisation (the agreement and the binding of the
        ratification as booleans).

    Examples
    --------
    >>> values = evaluate_funding(NestedParameters(), 0.25)
    >>> float(values["nash_conditionality"]), float(values["conditionality"])
    (1.0, 0.75)
    """
    if params.is_symbolic:
        raise InvalidParameterError(
            "evaluate_funding needs numeric parameters; use derive_nested() for expressions"
        )
    values = [
        np.asarray(
            mobilisation if spec.name == "membership_mobilisation" else params[spec.name]
        ).astype(np.float64)
        for spec in NESTED_SPECS
    ]
    known: dict[str, Any] = dict.fromkeys(FUNDING_FORMS, np.nan)
    # Branches not taken may divide by zero (a_F gamma = 0): their values are discarded.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for name, f in _compiled().items():
            known[name] = f(*values, *known.values())
    shape = np.broadcast_shapes(*(np.shape(v) for v in values))
    return {name: np.broadcast_to(np.asarray(v), shape) for name, v in known.items()}


@functools.cache
def critical_control_gain() -> sp.Expr:
    """The largest control gain ``g`` at which the partnership's window is non-empty,
    in the version-2 parameters and the symbols of its quantities that do not depend
    on ``g`` (``Sigma``, ``T_S``, ``a_max``, ``a_R``): the conditionality the
    partnership survives is ``(g_c - g_0) / gamma``.

    The window ``[max(0, a_min, a_DB), min(1, a_max, a_R)]`` is non-empty, and the
    arbitration selects (dilute, assert), exactly when ``Sigma > 0``, ``a_hi = min(1,
    a_max, a_R) >= 0``, the efficiency margin is non-negative and the lower bounds are
    below ``a_hi``. Of these, the control gain moves two pieces of the efficiency margin
    (imposing's joint payoffs), the OCI's incentive bound ``a_min`` and, where (impose,
    comply) is a stage equilibrium (``g >= phi b``, ``T_S >= 0``), its participation
    bound ``a_DB``; each is solved by sympy for the ``g`` at which it meets its bound.
    Where the participation bound fails already at ``g = phi b``, the window is open
    only below ``phi b``: ``g_c`` is then a supremum, not reached. ``-oo`` where no
    control gain opens the window.

    Examples
    --------
    >>> critical_control_gain().free_symbols >= {sp.Symbol("Sigma", real=True)}
    True
    """
    compact = derive().compact()
    g, delta = _DYADIC["control_gain"], _DYADIC["discount_factor"]
    b, phi = _DYADIC["autonomy_value"], _DYADIC["shared_paradigm"]
    sigma, t_s = SYMBOLS["surplus"], SYMBOLS["temptation_ngo"]
    high = sp.Min(1, SYMBOLS["ngo_incentive_weight"], SYMBOLS["funded_weight"])
    pieces = compact["efficiency_margin"].args
    efficient = [sp.solve(piece, g)[0] for piece in pieces if piece.has(g)]
    unmoved = [piece for piece in pieces if not piece.has(g)]
    if len(efficient) != 2 or len(unmoved) != 1:  # pragma: no cover - a derivation bug
        raise AssertionError("imposing's two meetings must be the only ones g moves")
    a_min = compact["oci_incentive_weight"].args[1][0]
    a_min = a_min.subs(SYMBOLS["temptation_oci"], compact["temptation_oci"])
    (incentive,) = sp.solve(sp.Eq(a_min, high), g)
    incentive = proved_equal(incentive, phi * b + delta * sigma * high / (1 - delta))
    (participation,) = sp.solve(sp.Eq(compact["donor_gain"], sigma * high), g)
    donor = sp.Piecewise((sp.oo, t_s < 0), (sp.Max(phi * b, participation), True))
    admissible = (sigma > 0) & (high >= 0) & (unmoved[0] >= 0)
    return sp.Piecewise((sp.Min(*efficient, incentive, donor), admissible), (-sp.oo, True))


@functools.cache
def _critical_compiled() -> Callable[..., Any]:
    arguments = [spec.sympy_symbol for spec in SPECS] + list(SYMBOLS.values())
    return lambdify(arguments, critical_control_gain())


def evaluate_critical_control_gain(dyadic: Any, values: Mapping[str, Any]) -> Any:
    """:func:`critical_control_gain` at version-2 parameters ``dyadic`` and the values
    of its quantities there (:func:`powergames.partnership.evaluate`), vectorised."""
    arguments = [np.asarray(dyadic[spec.name], dtype=np.float64) for spec in SPECS]
    arguments += [np.asarray(values[name], dtype=np.float64) for name in SYMBOLS]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _critical_compiled()(*arguments)
