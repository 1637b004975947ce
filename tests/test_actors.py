"""The nested game of actors (DESIGN.md section 9): its parameters, its stages, and the
laws it must show -- the membership as a lever against the funder, funder and
membership not interchangeable, tied hands, and the partnership model of version 2 as
the case of a passive membership and no conditionality."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from nested_verifier import nested_stage_game
from verifier import admissible_weights, exact_stage_game, stage_of

from powergames.errors import InvalidParameterError
from powergames.partnership import QUANTITIES, Parameters, evaluate, settle, stage_payoffs
from powergames.partnership.actors import (
    NESTED_QUANTITIES,
    NESTED_SPECS,
    NestedParameters,
    critical_conditionality,
    derive_nested,
    evaluate_funding,
    membership_payoff,
    settle_nested,
    settle_partnership,
    stage_parameters,
)
from powergames.partnership.actors.closed_forms import FUNDING_FORMS
from powergames.partnership.closed_forms import SYMBOLS, derive
from powergames.strategies import nested_parameters, partnership_parameters

MOBILISATIONS = np.linspace(0.0, 1.0, 21)


def at_mobilisations(p: NestedParameters, mobilisations=MOBILISATIONS) -> dict:
    """The nested game's outcome in the subgames after each mobilisation."""
    return settle_nested(p.replace(membership_mobilisation=np.asarray(mobilisations)))


def never_rises(values) -> bool:
    """Whether a sequence never rises (round-off aside; inf may follow inf)."""
    values = np.asarray(values, dtype=float)
    before, after = values[:-1], values[1:]
    return bool(np.all((after <= before + 1e-12 * (1 + np.abs(before))) | (before == np.inf)))


def as_infinite(dilution):
    """The dilution with NaN (no admissible weight: no partnership) read as +inf, the
    convention of the critical discount factor."""
    return np.where(np.isnan(dilution), np.inf, dilution)


# ------------------------------------------------------------------ parameters
def test_every_version_two_parameter_is_a_nested_parameter():
    names = [spec.name for spec in NESTED_SPECS]
    assert names[:13] == list(Parameters())
    assert len(set(names)) == len(names) == 25


def test_the_membership_must_value_the_ocis_legitimacy():
    with pytest.raises(InvalidParameterError, match=r"membership_accountability \(a_M\)"):
        NestedParameters(membership_accountability=0.0)
    with pytest.raises(InvalidParameterError, match=r"oci_condition_cost"):
        NestedParameters(oci_condition_cost=np.array([1.0, 0.0]))


def test_a_mobilisation_is_a_share_or_left_to_the_membership():
    assert math.isnan(NestedParameters().membership_mobilisation)
    mixed = NestedParameters(membership_mobilisation=np.array([np.nan, 0.5]))
    assert np.isnan(mixed.membership_mobilisation[0])
    with pytest.raises(InvalidParameterError, match="membership_mobilisation"):
        NestedParameters(membership_mobilisation=np.array([np.nan, 1.5]))
    with pytest.raises(InvalidParameterError, match="must be finite"):
        NestedParameters(conditionality_cap=np.nan)


def test_unknown_names_get_a_suggestion():
    with pytest.raises(InvalidParameterError, match="did you mean 'conditionality_cap'"):
        NestedParameters(conditionality_cab=1.0)
    with pytest.raises(InvalidParameterError, match="by name"):
        NestedParameters(1.0)  # type: ignore[misc]


def test_arrays_must_broadcast():
    with pytest.raises(InvalidParameterError, match="broadcast"):
        NestedParameters(conditionality_cap=np.ones(2), control_per_condition=np.ones(3))


# -------------------------------------------------------------- stage 2: bargain
def test_the_conditionality_is_derived_from_the_nash_product():
    forms = derive_nested()
    kappa = sp.Symbol("kappa")
    symbols = {spec.name: spec.sympy_symbol for spec in NESTED_SPECS}
    aF, lp, g = (
        symbols["funder_accountability"],
        symbols["pragmatic_legitimacy"],
        symbols["control_per_condition"],
    )
    theta, m = symbols["oci_bargaining_weight"], symbols["membership_mobilisation"]
    gain_N = symbols["funding_value"] - symbols["oci_condition_cost"] * kappa
    gain_N -= symbols["oci_alternative_funding"] + symbols["winning_bid_gain"] * m
    gain_F = aF * (lp + g * kappa) + symbols["funder_political_cost"] * m
    foc = sp.diff(theta * sp.log(gain_N) + (1 - theta) * sp.log(gain_F), kappa)
    assert sp.simplify(foc.subs(kappa, forms["nash_conditionality"])) == 0


@given(p=nested_parameters(chosen=False))
def test_the_bargain_maximises_the_nash_product_on_the_allowed_interval(p):
    # Checked against the Nash product on a fine grid of the allowed conditionalities.
    v = {name: float(value) for name, value in p.items()}
    m = v["membership_mobilisation"]
    assume(v["funder_accountability"] * v["control_per_condition"] >= 1e-3)
    kappa = float(evaluate_funding(p, m)["conditionality"])
    top = min(v["conditionality_cap"], v["membership_tolerance"] * (1 - m))
    assert 0 <= kappa <= top + 1e-12
    gain_N = v["funding_value"] - v["oci_alternative_funding"] - v["winning_bid_gain"] * m
    if gain_N < 0:  # no agreement: no conditions
        assert kappa == 0.0
        return

    def nash_product(k):
        gN = gain_N - v["oci_condition_cost"] * k
        gF = v["funder_accountability"] * (
            v["pragmatic_legitimacy"] + v["control_per_condition"] * k
        )
        gF += v["funder_political_cost"] * m
        theta = v["oci_bargaining_weight"]  # 0 ** 0 is 1: a player without weight
        return np.where(gN >= 0, np.power(np.maximum(gN, 0), theta) * gF ** (1 - theta), -1.0)

    # The Nash product is log-concave: its maximum over a grid is next to the
    # continuous one (at the closed form, which may round onto a zero of a gain).
    grid = np.linspace(0, top, 2001)
    assert abs(grid[np.argmax(nash_product(grid))] - kappa) <= grid[1] - grid[0] + 1e-12


@given(p=nested_parameters(chosen=False))
def test_the_funding_pays_each_at_least_its_disagreement_payoff(p):
    r = settle_nested(p)
    m = r["mobilisation"]
    assert r["funder_payoff"] >= -p.funder_political_cost * m - 1e-12
    assert r["oci_funding_payoff"] >= p.oci_alternative_funding + p.winning_bid_gain * m - 1e-9


def test_a_funder_that_values_no_control_attaches_none():
    r = settle_nested(NestedParameters(funder_accountability=0.0, membership_mobilisation=0.0))
    assert r["conditionality"] == 0.0 and r["funding_agreement"]


# ------------------------------------------------------------ stage 3: the map
@given(p=nested_parameters(), kappa=st.floats(0, 3), transfer=st.floats(-2, 5))
def test_the_stage_game_is_the_nested_game_written_out(p, kappa, transfer):
    # The version-2 parameters stage 3 plays have, entry by entry, the stage game of
    # DESIGN.md section 9: a_F l_p + a_M (l_p + l_m), g_0 + gamma kappa.
    A, B = stage_payoffs(stage_parameters(p, kappa), transfer=transfer)
    v = {name: float(value) for name, value in p.items()}
    A_nested, B_nested = (np.array(M) for M in nested_stage_game(v, kappa, transfer))
    scale = 1 + np.abs(A_nested).max()
    np.testing.assert_allclose(A, A_nested, rtol=1e-12, atol=1e-12 * scale)
    np.testing.assert_array_equal(B, B_nested)


def test_the_base_groups_floor_binds_by_name():
    r = settle_partnership(NestedParameters(base_group_floor=0.5), 0.0)
    assert r["binding_constraint"] == "base-group-floor" and r["transfer"] == 0.5


@given(p=nested_parameters(chosen=False), floor=st.floats(0, 5))
def test_the_base_groups_floor_never_raises_the_ocis_weight(p, floor):
    # The base groups ratify only a relation that brings the NGO at least r_B: a cap on
    # the OCI's weight, so its top never rises; wherever the partnership is played, the
    # NGO gets at least the floor. (The floor may open a window that was closed: see
    # the next test.)
    low, high = sorted([p.base_group_floor, floor])
    r_low = settle_nested(p.replace(base_group_floor=low))
    r_high = settle_nested(p.replace(base_group_floor=high))
    if r_high["sustainable"]:
        assert r_high["transfer"] >= high - 1e-12
        if r_low["sustainable"]:
            assert r_high["window_max"] <= r_low["window_max"] + 1e-12


#: Found by hypothesis: a relation the base groups' floor turns from donor-beneficiary
#: into a partnership.
OPENED_BY_THE_FLOOR = NestedParameters(
    pragmatic_legitimacy=2.0,
    moral_legitimacy=2.0,
    funder_accountability=1.0,
    membership_accountability=2.0,
    control_gain=2.0,
    autonomy_value=5.0,
    assertion_cost=1.75,
    shared_paradigm=0.1875,
    oci_outside_option=0.0,
    discount_factor=0.15625,
    inherited_weight=0.0,
    membership_mobilisation=0.0,
    membership_tolerance=0.0,
    funder_political_cost=0.0,
    winning_bid_gain=0.0,
    funding_value=0.0,
    oci_bargaining_weight=0.0,
    conditionality_cap=0.0,
)


def test_the_base_groups_floor_can_open_the_partnership():
    # The floor holds in every relation: in the donor-beneficiary relation the OCI must
    # pay the NGO at least r_B too. That relation costs the OCI more, so the least
    # weight at which it prefers the partnership (a_DB) falls, by r_B / Sigma, as does
    # the resource floor a_R: the window's bottom can open while its top falls. The NGO's
    # base groups strengthen its hand in the OCI's choice of relation.
    closed = settle_nested(OPENED_BY_THE_FLOOR)
    opened = settle_nested(OPENED_BY_THE_FLOOR.replace(base_group_floor=1.0))
    assert (closed["regime"], opened["regime"]) == ("donor-beneficiary", "partnership")
    assert opened["binding_constraint"] == "oci-participation"
    shift = 1.0 / opened["surplus"]
    assert opened["participation_weight"] == pytest.approx(closed["participation_weight"] - shift)
    assert opened["funded_weight"] == pytest.approx(closed["funded_weight"] - shift)
    # The same by brute force, no closed form: every weight k/400 tried in exact
    # arithmetic (one-shot deviations, the OCI's participation) on the stage game.
    for floor, regime in [(0.0, "donor-beneficiary"), (1.0, "partnership")]:
        stage = stage_parameters(OPENED_BY_THE_FLOOR.replace(base_group_floor=floor), 0.0)
        values = {name: Fraction(value) for name, value in stage.items()}
        game = stage_of(exact_stage_game(values, Fraction(0)))
        grid = [Fraction(k, 400) for k in range(401)]
        found = admissible_weights(game, values["discount_factor"], values["transfer_floor"], grid)
        assert bool(found) == (regime == "partnership")


def window_is_open(p: NestedParameters, kappa: float) -> bool:
    """Whether the partnership's window is non-empty at the conditionality ``kappa``
    (version 2's closed forms at the stage-3 parameters)."""
    return not np.isnan(evaluate(stage_parameters(p, kappa))["window_min"])


@given(p=nested_parameters())
def test_the_critical_conditionality_is_where_the_window_closes(p):
    # The closed form against the window itself: open just below kappa_c, closed just
    # above (within the cap); NaN exactly where it is closed without conditions.
    kappa_c = float(critical_conditionality(p))
    if np.isnan(kappa_c):
        assert not window_is_open(p, 0.0)
        return
    assert window_is_open(p, max(kappa_c * (1 - 1e-9) - 1e-12, 0.0))
    if kappa_c < p.conditionality_cap:
        assert not window_is_open(p, kappa_c * (1 + 1e-9) + 1e-12)


def test_the_critical_conditionality_at_the_baseline():
    # At the baseline the OCI's participation closes the window: G_DB = 4 + 2 kappa
    # meets G_N = 4.5 at kappa = 1/4 (a_R = 9/13 binds the top of the window).
    assert settle_nested(NestedParameters())["critical_conditionality"] == 0.25


# --------------------------------------------------------------- the claims
@given(p=nested_parameters())
def test_claim_mobilisation_is_a_lever_against_the_funder(p):
    # At every point: along the subgames after each mobilisation m in [0, 1], the
    # conditionality, the OCI's temptation, the critical discount factor and the
    # dilution (inf where no weight is admissible) never rise with m.
    r = at_mobilisations(p)
    for name in ("conditionality", "temptation_oci", "critical_discount_factor"):
        assert never_rises(r[name]), name
    assert never_rises(as_infinite(r["dilution"]))


@given(p=nested_parameters(chosen=False), share=st.floats(0.05, 0.95))
def test_claim_funder_and_membership_are_not_interchangeable(p, share):
    # Region: an OCI that answers more to its funder than to its membership (a_F > a_M,
    # drawn so), the NGO's moral legitimacy positive, the mobilisation given. Swapping
    # the two accountabilities -- the OCI now answers more to its membership -- changes
    # the outcome (the surplus by (a_F - a_M) l_m), and in the article's direction: the
    # membership's moral legitimacy now weighs more and the funder's stake in control
    # less, so the conditionality, the temptation, the critical discount factor and the
    # dilution never rise.
    total = p.funder_accountability + p.membership_accountability
    a_M = max(share * total / 2, 1e-3)
    funder = p.replace(funder_accountability=total - a_M, membership_accountability=a_M)
    assume(funder.funder_accountability > a_M and p.moral_legitimacy > 1e-6)
    member = funder.replace(
        funder_accountability=a_M, membership_accountability=funder.funder_accountability
    )
    before, after = settle_nested(funder), settle_nested(member)
    assert after["surplus"] > before["surplus"]
    assert after["conditionality"] <= before["conditionality"] + 1e-12
    assert after["temptation_oci"] <= before["temptation_oci"] + 1e-12
    assert after["critical_discount_factor"] <= before["critical_discount_factor"] + 1e-12
    assert as_infinite(after["dilution"]) <= as_infinite(before["dilution"]) + 1e-12


def test_claim_swapping_funder_and_membership_changes_the_social_economy_oci():
    # The dyadic model cannot tell them apart (test_article_claims row 4); the nested
    # game can: the preset's OCI answering to its membership instead faces fewer
    # conditions, is less tempted and needs less patience.
    from powergames.partnership.actors.presets import load_nested_preset

    p = load_nested_preset("nested-social-economy").parameters
    swapped = p.replace(
        funder_accountability=p.membership_accountability,
        membership_accountability=p.funder_accountability,
    )
    before, after = settle_nested(p), settle_nested(swapped)
    assert after["conditionality"] < before["conditionality"]
    assert after["critical_discount_factor"] < before["critical_discount_factor"]
    assert after["dilution"] < before["dilution"]


@given(p=nested_parameters(chosen=False), narrower=st.floats(0, 1))
def test_claim_tied_hands_help_the_oci_against_the_funder(p, narrower):
    # Schelling's conjecture (Putnam 1988): a narrower win-set (a less tolerant
    # membership, tau' = narrower * tau) never lowers the OCI's payoff from the funding,
    # and raises it strictly where the ratification binds (tau' (1 - m) below the
    # bargain within the cap) and a condition costs the OCI something; the funder's
    # payoff never rises. Elsewhere nothing changes.
    wide = settle_nested(p)
    tied = settle_nested(p.replace(membership_tolerance=narrower * p.membership_tolerance))
    assert tied["oci_funding_payoff"] >= wide["oci_funding_payoff"] - 1e-12
    assert tied["funder_payoff"] <= wide["funder_payoff"] + 1e-12
    if tied["ratification_binds"] and tied["funding_agreement"]:
        saved = p.oci_condition_cost * (wide["conditionality"] - tied["conditionality"])
        if saved > 1e-12 * (1 + abs(wide["oci_funding_payoff"])):  # seen in floats
            assert tied["oci_funding_payoff"] > wide["oci_funding_payoff"]
    if not tied["ratification_binds"]:
        assert tied["conditionality"] == wide["conditionality"]


@given(p=partnership_parameters())
def test_claim_a_passive_membership_without_conditionality_is_version_two(p):
    # With a passive membership (m = 0), no conditionality (a cap of 0) and no floor of
    # the base groups, the nested game is the partnership model of version 2 exactly,
    # quantity by quantity, where the funder's and the membership's valuations of
    # legitimacy coincide: an OCI that answers for its legitimacy to its membership
    # (a_F = 0, a_M = lam). (Round-off aside: version 2 adds a_F l + a_M l.)
    lam = p.accountability
    assume(lam > 1e-6)
    nested = NestedParameters(
        **{name: p[name] for name in p if not name.endswith("_accountability")},
        funder_accountability=0.0,
        membership_accountability=lam,
        membership_mobilisation=0.0,
        conditionality_cap=0.0,
    )
    r, expected = settle_nested(nested), settle(p)
    assert r["conditionality"] == 0.0
    for q in QUANTITIES:
        got, want = r[q.name], expected[q.name]
        if q.kind == "number":
            scale = 1 + abs(expected["surplus"]) + abs(p.oci_outside_option)
            assert got == pytest.approx(want, rel=1e-12, abs=1e-12 * scale, nan_ok=True), q.name
        else:
            assert got == want, q.name


@given(p=partnership_parameters(funder_accountability=0.0))
def test_a_passive_membership_is_version_two_bit_for_bit_at_a_membership_only_point(p):
    assume(p.membership_accountability > 0)
    nested = NestedParameters(**dict(p), membership_mobilisation=0.0, control_per_condition=0.0)
    r, expected = settle_nested(nested), settle(p)
    for q in QUANTITIES:
        assert r[q.name] == expected[q.name] or (
            q.kind == "number" and np.isnan(r[q.name]) and np.isnan(expected[q.name])
        ), q.name


# --------------------------------------------------------------- stage 1
@settings(max_examples=40)
@given(p=nested_parameters(chosen=True))
def test_no_mobilisation_pays_the_membership_more_than_its_choice(p):
    # The candidates (kinks, stationary points, thresholds) hold the maximum: no
    # mobilisation of a fine grid does better.
    chosen = settle_nested(p)
    grid = at_mobilisations(p, np.linspace(0, 1, 401))
    best = chosen["membership_payoff"]
    assert np.all(grid["membership_payoff"] <= best + 1e-9 * (1 + abs(best)))
    assert chosen["mobilisation_chosen"] and 0 <= chosen["mobilisation"] <= 1


def test_the_membership_payoff_counts_what_the_path_shows():
    p = NestedParameters()
    assert membership_payoff(p, 0.0, 0.0, "partnership") == pytest.approx(0.5 * 7)
    assert membership_payoff(p, 0.0, 0.0, "donor-beneficiary") == pytest.approx(0.5 * 4)
    assert membership_payoff(p, 1.0, 0.5, "breakdown") == pytest.approx(-0.5 * 2 * 0.5 - 0.5)


@settings(max_examples=20)
@given(points=st.lists(nested_parameters(), min_size=2, max_size=4))
def test_the_pipeline_is_the_same_on_arrays_and_point_by_point(points):
    arrays = {name: np.array([float(p[name]) for p in points]) for name in NestedParameters()}
    together = settle_nested(NestedParameters(**arrays))
    for k, p in enumerate(points):
        alone = settle_nested(p)
        for name in [q.name for q in NESTED_QUANTITIES] + [q.name for q in QUANTITIES]:
            got, want = together[name][k], alone[name]
            if isinstance(want, float) and math.isnan(want):
                assert np.isnan(got), name
            else:
                assert got == want, name


# ----------------------------------------------------------- the closed forms
def exact_outcome(params: NestedParameters, mobilisation: Fraction) -> dict:
    """The nested game's closed forms in exact arithmetic, layer by layer: stage 2's
    forms, the map to version 2, then version 2's compact forms (a NaN window end
    enters later layers by its finite form, as in version 2)."""
    known = {
        spec.sympy_symbol: sp.Rational(str(params[spec.name]))
        for spec in NESTED_SPECS
        if spec.name != "membership_mobilisation"
    }
    m = next(s.sympy_symbol for s in NESTED_SPECS if s.name == "membership_mobilisation")
    known[m] = sp.Rational(mobilisation.numerator, mobilisation.denominator)
    nested = derive_nested()
    out = {}
    for name, symbol in FUNDING_FORMS.items():
        out[name] = known[symbol] = sp.simplify(nested.compact_forms[name].xreplace(known))
    stage = {symbol: sp.simplify(expr.xreplace(known)) for symbol, expr in nested.stage_map.items()}
    dyadic = derive()
    for name, expr in dyadic.compact().items():
        value = sp.simplify(expr.xreplace(stage))
        out[name] = value
        finite = dyadic.finite_forms.get(name, expr)
        stage[SYMBOLS[name]] = value if value is not sp.nan else sp.simplify(finite.xreplace(stage))
    if not dyadic.admissible.xreplace(stage):  # no admissible weight: nothing settles
        for q in QUANTITIES:
            if q.layer == "settlement" and q.name != "reinforcement":
                out[q.name] = sp.nan
    return out


@pytest.mark.parametrize("mobilisation", [Fraction(0), Fraction(1, 4), Fraction(3, 4)])
def test_the_closed_forms_give_the_outcome_in_exact_arithmetic(mobilisation):
    # At the baseline, m = 0 (ratification binds: donor-beneficiary), 1/4 (still too
    # many conditions) and 3/4 (no conditions: partnership), in exact arithmetic.
    params = NestedParameters()
    exact = exact_outcome(params, mobilisation)
    r = settle_nested(params.replace(membership_mobilisation=float(mobilisation)))
    for name in ("conditionality", "temptation_oci", "critical_discount_factor", "dilution"):
        value = exact[name]
        if value is sp.nan or value == sp.oo:
            assert not np.isfinite(r[name]), name
        else:
            assert float(value) == pytest.approx(r[name], rel=1e-12, abs=1e-12), name
    assert (
        exact["conditionality"]
        == {0: 1, Fraction(1, 4): sp.Rational(3, 4), Fraction(3, 4): 0}[mobilisation]
    )


def test_the_stage_three_forms_expand_in_the_actors_parameters():
    # The forms of stage 3 in the actors' parameters: version 2's with the map put in.
    temptation = derive_nested()["temptation_oci"]
    names = {str(s) for s in temptation.free_symbols}
    assert {"g_0", "gamma", "kappa_bar", "tau", "m", "b", "phi"} <= names
