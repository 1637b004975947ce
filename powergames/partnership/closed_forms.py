"""Closed forms of the partnership model (version 2), derived by sympy from the stage
game.

Nothing here is typed in by hand without a check: each expression is computed from the
payoff matrices of :func:`partnership_game` with symbolic parameters and transfer
(differences of payoffs, sympy's ``solve``); where a form easier to read is printed, it
is proved equal to what sympy derived. The forms are derived in layers
(``powergames.partnership.quantities.LAYERS``): each layer is written in terms of
the symbols of the layers before it (:meth:`ClosedForms.compact`), and substituting
them gives the forms in the parameters alone. The compact forms are also what
:func:`evaluate` compiles, layer by layer, into vectorised numpy functions.
"""

from __future__ import annotations

import functools
import inspect
import pickle
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from powergames.errors import InvalidParameterError
from powergames.partnership import _form_cache
from powergames.partnership.game import partnership_game
from powergames.partnership.parameters import SPECS, Parameters
from powergames.partnership.quantities import QUANTITIES

__all__ = ["SYMBOLS", "ClosedForms", "derive", "evaluate", "lambdify"]

IMPOSE, DILUTE, WITHDRAW = 0, 1, 2
COMPLY, ASSERT, EXIT = 0, 1, 2

#: The quantities with a closed form (every layer but the outcome).
_FORMS = tuple(q for q in QUANTITIES if q.layer != "outcome")

_BY_NAME = {q.name: q for q in _FORMS}

#: Each quantity's symbol, as it stands in the compact forms of later layers.
SYMBOLS: dict[str, sp.Symbol] = {q.name: sp.Symbol(q.symbol, real=True) for q in _FORMS}


def _param(name: str) -> sp.Symbol:
    return next(spec.sympy_symbol for spec in SPECS if spec.name == name)


@dataclass(frozen=True, eq=False)
class ClosedForms(Mapping[str, sp.Expr]):
    """The model's closed forms, by quantity name
    (:data:`powergames.partnership.quantities.QUANTITIES`), as sympy expressions in
    the parameters' symbols. Read them as a mapping (``forms["dilution"]``) or by
    attribute (``forms.dilution``).

    A window end or settlement value is ``nan`` where no weight is admissible (the
    partnership does not hold); a critical discount factor is ``oo`` where no discount
    factor below 1 will do. The forms in the parameters are long: each is expanded
    from the compact forms (:meth:`compact`) the first time it is read.

    Examples
    --------
    >>> forms = derive()
    >>> forms.temptation_oci, forms["temptation_ngo"]
    (-b*phi + g, e - l_m*phi)
    """

    compact_forms: dict[str, sp.Expr]
    finite_forms: dict[str, sp.Expr]
    admissible: sp.Basic
    _cache: dict[str, sp.Expr] = field(default_factory=dict, repr=False)

    def __getitem__(self, name: str) -> sp.Expr:
        if name not in self.compact_forms:
            raise KeyError(name)
        if name not in self._cache:
            value = self._finite(name)
            if name in self.finite_forms or _BY_NAME[name].layer == "settlement":
                if name != "reinforcement":
                    condition = self._expand(self.admissible)
                    with sp.evaluate(False):
                        value = sp.Piecewise((value, condition), (sp.nan, True))
            self._cache[name] = value
        return self._cache[name]

    def _finite(self, name: str) -> sp.Expr:
        """``name``'s form in the parameters, finite where its reported form is NaN."""
        key = "finite " + name
        if key not in self._cache:
            form = self.finite_forms.get(name, self.compact_forms[name])
            self._cache[key] = self._expand(form)
        return self._cache[key]

    def _expand(self, expr: sp.Basic) -> sp.Expr:
        """``expr`` with every quantity's symbol replaced by its finite form."""
        names = [n for n, symbol in SYMBOLS.items() if symbol in expr.free_symbols]
        replacements = {SYMBOLS[n]: self._finite(n) for n in names}
        # Rebuilding without evaluation: sympy's canonicalisation of nested Piecewise
        # conditions costs seconds per form and changes nothing mathematically.
        with sp.evaluate(False):
            return expr.xreplace(replacements)

    def __iter__(self) -> Iterator[str]:
        return iter(self.compact_forms)

    def __len__(self) -> int:
        return len(self.compact_forms)

    def __getattr__(self, name: str) -> sp.Expr:
        if name.startswith("_") or name not in SYMBOLS:
            raise AttributeError(name)
        return self[name]

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self.compact_forms})

    def compact(self) -> dict[str, sp.Expr]:
        """The closed forms as they are derived: each in terms of the parameters and of
        the symbols of the quantities before it (``T_N``, ``Sigma``, ``a_lo``, ...; see
        ``powergames.partnership.closed_forms.SYMBOLS``). Substituting those gives the
        forms of the mapping itself.

        Examples
        --------
        >>> derive().compact()["dilution"]
        Max(0, a_0 - a_hi)
        """
        return dict(self.compact_forms)


def proved_equal(derived: sp.Expr, written: sp.Expr) -> sp.Expr:
    """``written``, a form of ``derived`` easier to read, once checked equal to it (the
    check of the derivations here and of the nested game's).

    Both are rational functions of the symbols: ``cancel`` brings their difference to
    a canonical form, which is 0 exactly when they are the same function (a decision,
    where ``simplify`` is a search).

    Raises
    ------
    AssertionError
        If the two differ: a bug in the derivation.

    Examples
    --------
    >>> d, t = sp.symbols("d t", positive=True)
    >>> proved_equal((t - d * t) / d, t * (1 - d) / d)
    t*(1 - d)/d
    """
    if sp.cancel(derived - written) != 0:  # a derivation bug
        raise AssertionError(f"{written} is not {derived}")
    return written


def _solve_for(equation: sp.Basic, unknown: sp.Symbol) -> sp.Expr:
    """The one solution of ``equation`` for ``unknown``, as sympy's ``solve`` finds it
    but left unsimplified (each solution is either compared with a written form by
    :func:`proved_equal` or simple already; simplifying was a fifth of the derivation)."""
    (solution,) = sp.solve(equation, unknown, simplify=False)
    solved: sp.Expr = solution
    return solved


def _threshold(gain: sp.Expr, stake: sp.Expr) -> sp.Expr:
    """The critical discount factor ``gain / (gain + stake)`` of a partner with a
    one-shot gain ``gain >= 0`` from deviating and a stake ``stake`` in the relation
    (one-shot deviation principle, termination as punishment), with the conventions
    of :func:`powergames.repeated.critical_discount_factor`: 0 with nothing to gain and
    nothing at stake, no discount factor below 1 (``oo``) with a gain but no stake."""
    return sp.Piecewise(
        (gain / (gain + stake), stake > 0),
        (0, sp.Eq(gain, 0) & sp.Eq(stake, 0)),
        (sp.oo, True),
    )


@functools.cache
def derive() -> ClosedForms:
    """Derive the closed forms of version 2 of the model from the symbolic stage game
    (cached, in memory and on disk: see below).

    1. The stage game (transfer ``R`` symbolic): temptations ``T_N``, ``T_S``; the
       surplus ``Sigma`` of (dilute, assert) and ``Sigma_DB`` of (impose, comply)
       over the minmax; the efficiency margin ``E`` of (dilute, assert) over the other
       meetings; the OCI's gain ``G_N`` from (dilute, assert) at the floor ``R_0``,
       and its gains from the meetings played without arbitration, each paying the NGO
       the least it accepts (its outside option) and at least the floor.
    2. The arbitration: the generalised Nash split ``(w_N + a Sigma, w_S + (1 - a)
       Sigma)`` and the transfer ``R(a)`` that implements it.
    3. The bounds on the weight: the incentive constraints of (dilute, assert) forever
       with termination as punishment (``a_min``, ``a_max``), limited liability
       ``R(a) >= R_0`` (``a_R``), the OCI's participation where (impose, comply) is a
       stage equilibrium (``a_DB``); the admissible window ``[a_lo, a_hi]``, where
       ``Sigma > 0`` and ``E >= 0``.
    4. The critical discount factors: ``delta**`` where the incentive bounds meet,
       ``delta_c`` where the whole window opens (each pair of bounds solved for the
       discount factor at which they meet).
    5. The settlement at the inherited weight ``a_0``: ``a* = clip(a_0, a_lo, a_hi)``,
       the dilution, the NGO's concession, the transfer, the agreement, each
       partner's critical discount factor at ``a*``, and the reinforcement.

    The first process to derive the forms stores them, with their compiled numpy
    functions, in the user's cache directory (``$POWERGAMES_CACHE_DIR`` if set, empty
    to turn it off); later processes read them back, as long as neither the model's
    source code nor the versions of sympy and numpy have changed.

    Examples
    --------
    >>> forms = derive()
    >>> forms.compact()["window_max"]
    Piecewise((Min(1, a_R, a_max), a_lo <= Min(1, a_R, a_max)), (nan, True))
    >>> from powergames.partnership.parameters import BASELINE
    >>> baseline = {spec.sympy_symbol: sp.Rational(str(BASELINE[spec.name])) for spec in SPECS}
    >>> forms.critical_discount_factor.xreplace(baseline), forms.dilution.xreplace(baseline)
    (3/11, 3/20)
    """
    return _artifacts().forms()


def _derive() -> ClosedForms:
    """The derivation itself (steps 1-5 of :func:`derive`)."""
    s = SYMBOLS
    game = partnership_game(Parameters.symbolic(), transfer=sp.Symbol("R", real=True))
    A, B = game.payoffs
    R = sp.Symbol("R", real=True)
    delta, a0 = _param("discount_factor"), _param("inherited_weight")
    R0, moral = _param("transfer_floor"), _param("moral_legitimacy")

    def at(M: Any, i: int, j: int, transfer: Any) -> sp.Expr:
        return sp.expand(M[i, j].subs(R, transfer))

    compact: dict[str, sp.Expr] = {}
    # 1. The stage game. Pure minmax: min over the opponent's actions of the best
    # reply; withdrawal and exit guarantee the outside options.
    m_N = sp.Min(*[sp.Max(*[A[i, j] for i in range(3)]) for j in range(3)])
    m_S = sp.Min(*[sp.Max(*[B[i, j] for j in range(3)]) for i in range(3)])
    joint = {(i, j): sp.expand(A[i, j] + B[i, j]) for i in (0, 1) for j in (0, 1)}

    def gain_paying_least(i: int, j: int) -> sp.Expr:
        # Without arbitration the OCI, which holds the resources, pays the NGO the
        # least it accepts rather than exit -- and at least the floor.
        transfer = sp.Max(R0, m_S - at(B, i, j, 0))
        return at(A, i, j, transfer) - m_N

    compact["temptation_oci"] = sp.expand(A[IMPOSE, ASSERT] - A[DILUTE, ASSERT])
    compact["temptation_ngo"] = sp.expand(B[DILUTE, COMPLY] - B[DILUTE, ASSERT])
    compact["surplus"] = sp.expand(joint[DILUTE, ASSERT] - m_N - m_S)
    compact["donor_beneficiary_surplus"] = sp.expand(joint[IMPOSE, COMPLY] - m_N - m_S)
    compact["efficiency_margin"] = sp.Min(
        *[joint[DILUTE, ASSERT] - joint[c] for c in joint if c != (DILUTE, ASSERT)]
    )
    compact["oci_gain_at_floor"] = at(A, DILUTE, ASSERT, R0) - m_N
    compact["donor_gain"] = gain_paying_least(IMPOSE, COMPLY)
    compact["contested_gain"] = gain_paying_least(IMPOSE, ASSERT)
    compact["passive_gain"] = gain_paying_least(DILUTE, COMPLY)
    compact["minmax_oci"], compact["minmax_ngo"] = m_N, m_S
    T_N, T_S, SIGMA = s["temptation_oci"], s["temptation_ngo"], s["surplus"]
    G_N, G_DB, E = s["oci_gain_at_floor"], s["donor_gain"], s["efficiency_margin"]

    # 2. The arbitration and the transfer that implements it: the OCI's payoff in
    # (dilute, assert) equals its share, solved for R.
    a = sp.Symbol("a", real=True)
    solved = _solve_for(sp.Eq(A[DILUTE, ASSERT], m_N + a * SIGMA), R)
    R_a = G_N + R0 - a * SIGMA
    stage_values = {s[n]: compact[n] for n in ("surplus", "oci_gain_at_floor")}
    proved_equal(solved.subs(stage_values), R_a.subs(stage_values))

    # 3. The bounds. Incentives: delta >= gain / (gain + stake) (one-shot deviation,
    # termination as punishment), solved for the weight; a partner with no temptation
    # constrains nothing, also at delta = 0.
    T_Np, T_Sp = sp.Max(T_N, 0), sp.Max(T_S, 0)
    a_min = _solve_for(sp.Eq(delta, T_N / (T_N + a * SIGMA)), a)
    a_max = _solve_for(sp.Eq(delta, T_S / (T_S + (1 - a) * SIGMA)), a)
    a_min = proved_equal(a_min, (1 - delta) * T_N / (delta * SIGMA))
    a_max = proved_equal(a_max, 1 - (1 - delta) * T_S / (delta * SIGMA))
    compact["oci_incentive_weight"] = sp.Piecewise((0, T_N <= 0), (a_min, True))
    compact["ngo_incentive_weight"] = sp.Piecewise((1, T_S <= 0), (a_max, True))
    # Limited liability, R(a) >= R_0; the OCI's participation against the
    # donor-beneficiary relation where that is a stage equilibrium.
    a_R = _solve_for(sp.Eq(R_a, R0), a)
    compact["funded_weight"] = proved_equal(a_R, G_N / SIGMA)
    donor_is_equilibrium = (T_N >= 0) & (T_S >= 0)
    a_DB = _solve_for(sp.Eq(a * SIGMA, G_DB), a)
    # Where (impose, comply) is no stage equilibrium the OCI's alternative is its
    # outside option: it participates at any weight a >= 0.
    compact["participation_weight"] = sp.Piecewise((a_DB, donor_is_equilibrium), (0, True))
    A_MIN, A_MAX = s["oci_incentive_weight"], s["ngo_incentive_weight"]
    A_R, A_DB = s["funded_weight"], s["participation_weight"]
    # The window within [0, 1]; admissible where the partnership has a surplus and
    # the arbitration (which maximises the joint payoff) selects (dilute, assert).
    low = sp.Max(0, A_MIN, A_DB)
    high = sp.Min(1, A_MAX, A_R)
    admissible = (SIGMA > 0) & (E >= 0) & (low <= high)
    compact["window_min"] = sp.Piecewise((low, admissible), (sp.nan, True))
    compact["window_max"] = sp.Piecewise((high, s["window_min"] <= high), (sp.nan, True))

    # 4. delta**: where the incentive bounds meet (gains clipped at 0).
    d = sp.Symbol("d", positive=True)
    meet = _solve_for(sp.Eq(a_min.subs(delta, d), a_max.subs(delta, d)), d)
    meet = proved_equal(meet, (T_N + T_S) / (T_N + T_S + SIGMA)).subs({T_N: T_Np, T_S: T_Sp})
    no_temptation = (T_N <= 0) & (T_S <= 0) & (SIGMA >= 0)
    compact["incentive_discount_factor"] = sp.Piecewise(
        (0, no_temptation), (meet, SIGMA > 0), (sp.oo, True)
    )
    # delta_c: the window opens where the last pair of bounds meets. a_lo <= a_hi
    # holds iff a_min <= a_max (delta >= delta**), a_min <= a_R, and, where
    # (impose, comply) is a stage equilibrium, a_DB <= a_max and a_DB <= a_R (the
    # other pairs hold by construction); each pair is solved for delta, and
    # _threshold writes the solution with the conventions at a zero stake.
    oci_floor = _solve_for(sp.Eq(a_min.subs(delta, d), G_N / SIGMA), d)
    proved_equal(oci_floor, T_N / (T_N + G_N))
    ngo_participation = _solve_for(sp.Eq(a_max.subs(delta, d), G_DB / SIGMA), d)
    proved_equal(ngo_participation, T_S / (T_S + SIGMA - G_DB))
    compact["critical_discount_factor"] = sp.Piecewise(
        (sp.oo, (SIGMA <= 0) | (E < 0) | (donor_is_equilibrium & (G_DB > G_N))),
        (
            sp.Max(
                s["incentive_discount_factor"],
                _threshold(T_Np, G_N),
                sp.Piecewise((_threshold(T_Sp, SIGMA - G_DB), donor_is_equilibrium), (0, True)),
            ),
            True,
        ),
    )

    # 5. The settlement at the inherited weight (NaN propagates from an empty window).
    A_LO, A_HI, A_STAR = s["window_min"], s["window_max"], s["weight"]
    compact["weight"] = sp.Min(sp.Max(a0, A_LO), A_HI)
    compact["dilution"] = sp.Max(0, a0 - A_HI)
    compact["ngo_concession"] = sp.Max(0, A_LO - a0)
    # R* = R_0 + (a_R - a*) Sigma: the same as R(a*), written so that R* >= R_0 holds
    # in floating point too (a* <= a_R exactly, as a minimum).
    proved_equal(R_a.subs(a, A_STAR), (R0 + (G_N / SIGMA - A_STAR) * SIGMA))
    compact["arbitration_transfer"] = R0 + (A_R - A_STAR) * SIGMA
    compact["agreement_oci"] = m_N + A_STAR * SIGMA
    compact["agreement_ngo"] = m_S + (1 - A_STAR) * SIGMA
    thresholds = {
        "threshold_oci": _threshold(T_Np, A_STAR * SIGMA),
        "threshold_ngo": _threshold(T_Sp, (1 - A_STAR) * SIGMA),
    }
    settled = A_LO <= A_HI  # false for NaN ends
    for name, threshold in thresholds.items():
        compact[name] = sp.Piecewise((threshold, settled), (sp.nan, True))
    compact["reinforcement"] = _reinforcement(T_S, SIGMA, delta, a0, moral, compact)

    # The forms in the parameters (ClosedForms expands them when asked). NaN cannot
    # stand inside a sympy Max/Min (it is not comparable), so the window's ends enter
    # later forms by their finite expression, and every settlement form is NaN outside
    # the admissible window by a condition of its own.
    finite = {"window_min": low, "window_max": high, **thresholds}
    return ClosedForms(compact_forms=compact, finite_forms=finite, admissible=admissible)


def _reinforcement(
    T_S: sp.Symbol,
    SIGMA: sp.Symbol,
    delta: sp.Symbol,
    a0: sp.Symbol,
    moral: sp.Symbol,
    compact: dict[str, sp.Expr],
) -> sp.Expr:
    """The rise ``x`` of moral legitimacy after which the NGO's temptation alone no
    longer forces the OCI to dilute: ``a_0 <= a_max(x)``. ``T_S`` and ``Sigma`` are
    linear in the moral legitimacy: ``T_S(x) = T_S - k_T x``, ``Sigma(x) = Sigma +
    k_Sigma x``."""
    k_T = -sp.diff(compact["temptation_ngo"], moral)
    k_Sigma = sp.diff(compact["surplus"], moral)
    if sp.diff(k_T, moral) != 0 or sp.diff(k_Sigma, moral) != 0:  # pragma: no cover
        raise AssertionError("T_S and Sigma must be linear in the moral legitimacy")
    kt, ks, x = sp.symbols("k_T k_Sigma x")
    raised = (T_S - kt * x) / (T_S - kt * x + (1 - a0) * (SIGMA + ks * x))
    x_star = _solve_for(sp.Eq(delta, raised), x)
    # x* = N / D with D = (1 - delta) k_T + delta (1 - a_0) k_Sigma >= 0, a sum of
    # non-negative terms: D = 0 (no lever) gives +inf rather than a sign flipped by
    # rounding. (x* <= 0 exactly when a_0 <= a_max already.)
    numerator = (1 - delta) * T_S - delta * (1 - a0) * SIGMA
    denominator = (1 - delta) * kt + delta * (1 - a0) * ks
    proved_equal(x_star, numerator / denominator)
    # With a shared paradigm the temptation itself vanishes at x = T_S / k_T.
    vanish = sp.Piecewise((T_S / kt, kt > 0), (sp.oo, True))
    return sp.Max(0, sp.Min(numerator / denominator, vanish)).subs({kt: k_T, ks: k_Sigma})


# ------------------------------------------------------------------- numerics
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


#: What the compiled forms call in place of numpy's functions of the same names.
_BROADCASTING: dict[str, Any] = {
    "Max": _maximum,
    "Min": _minimum,
    "select": _select,
    "logical_and": _Broadcasting(np.logical_and),
    "logical_or": _Broadcasting(np.logical_or),
}


def lambdify(arguments: list[sp.Symbol], expr: sp.Expr) -> Callable[..., Any]:
    """``expr`` as a numpy function of ``arguments`` that broadcasts arrays and scalars
    alike (``Max``, ``Min``, ``Piecewise`` and logical connectives included).

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> lambdify([x], sp.Max(0, x))(np.array([-1.0, 2.0]))
    array([0., 2.])
    """
    # No docstring: printing each expression into one took half of the compilation.
    function: Callable[..., Any] = sp.lambdify(
        arguments, expr, modules=[_BROADCASTING, "numpy"], docstring_limit=0
    )
    return function


Compiled = dict[str, Callable[..., Any]]


class _Artifacts:
    """The derivation and its compiled functions, made in this process or read from
    the cache; a derivation read from the cache is unpickled when first asked for (a
    table needs only the functions)."""

    def __init__(self, compiled: Compiled, forms: ClosedForms | bytes) -> None:
        self.compiled = compiled
        self._forms = forms

    def forms(self) -> ClosedForms:
        if isinstance(self._forms, bytes):
            try:
                compact, finite, admissible = pickle.loads(self._forms)
                self._forms = ClosedForms(compact, finite, admissible)
            except Exception:  # damaged in the file: derive here
                self._forms = _derive()
        return self._forms


def _build() -> tuple[dict[str, Any], _Artifacts]:
    """Derive and compile the forms: what the cache stores (the pickled derivation,
    each function's source code and the names it uses), and the objects themselves."""
    forms = _derive()
    arguments = [spec.sympy_symbol for spec in SPECS] + list(SYMBOLS.values())
    compiled = {name: lambdify(arguments, expr) for name, expr in forms.compact().items()}
    try:
        functions = {
            name: (
                inspect.getsource(f),
                f.__name__,
                _form_cache.namespace_references(f, _BROADCASTING),
            )
            for name, f in compiled.items()
        }
        parts = (forms.compact_forms, forms.finite_forms, forms.admissible)
        stored: dict[str, Any] = {"forms": pickle.dumps(parts), "functions": functions}
    except (LookupError, OSError, TypeError, pickle.PicklingError):  # pragma: no cover
        stored = {}  # a form that cannot be stored: nothing is written
    return stored, _Artifacts(compiled, forms)


def _load(stored: dict[str, Any]) -> _Artifacts:
    """The artifacts of a payload read from the cache; raises unless it holds a
    function for every form, each rebuilt from its source."""
    functions = stored["functions"]
    if list(functions) != [q.name for q in _FORMS] or not isinstance(stored["forms"], bytes):
        raise ValueError("the stored forms are not the model's")
    compiled = {
        name: _form_cache.rebuild(source, function_name, references, _BROADCASTING)
        for name, (source, function_name, references) in functions.items()
    }
    return _Artifacts(compiled, stored["forms"])


@functools.cache
def _artifacts() -> _Artifacts:
    """The derivation and its compiled functions, from the cache directory or made
    here (and then stored there)."""
    return _form_cache.fetch("closed-forms", _build, _load)


def _compiled() -> Compiled:
    """The compact forms as numpy functions of the parameters and the symbols of the
    quantities before them. Evaluated in order, each layer's value feeds the next:
    the stage quantities are computed once, not once per form that contains them."""
    return _artifacts().compiled


def evaluate(params: Parameters, weight: Any = None) -> dict[str, Any]:
    """Every closed form at numeric (possibly array-valued) parameters, vectorised.

    Parameters
    ----------
    params : Parameters
        Numbers or arrays (they broadcast).
    weight : number or array, optional
        The OCI's weight before it settles, in place of ``params.inherited_weight``
        (e.g. after an arbitration mechanism has changed it).

    Returns
    -------
    dict of str to float or array
        Keyed by quantity (:data:`powergames.partnership.quantities.QUANTITIES`, every
        layer but the outcome), in the registry's order.

    Raises
    ------
    InvalidParameterError
        For symbolic parameters (use :func:`derive`).

    Examples
    --------
    >>> values = evaluate(Parameters())
    >>> values["surplus"], round(values["critical_discount_factor"], 9)
    (8.0, 0.272727273)
    >>> values["window_min"], values["window_max"], round(values["dilution"], 9)
    (0.625, 0.75, 0.15)
    """
    if params.is_symbolic:
        raise InvalidParameterError(
            "evaluate needs numeric parameters; use derive() for expressions"
        )
    values = [np.asarray(params[spec.name], dtype=np.float64) for spec in SPECS]
    if weight is not None:
        index = [spec.name for spec in SPECS].index("inherited_weight")
        values[index] = np.asarray(weight, dtype=np.float64)
    known = dict.fromkeys(SYMBOLS, np.nan)  # each known before it is used
    # Branches not taken may divide by zero, overflow or compare NaN: their values
    # are discarded.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for name, f in _compiled().items():
            known[name] = f(*values, *known.values())
    shape = np.broadcast_shapes(*(np.shape(v) for v in values))
    return {
        name: (np.broadcast_to(v, shape).astype(np.float64) if shape else float(v))
        for name, v in known.items()
    }
