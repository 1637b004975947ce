"""Tests of power at three levels, the foundations of the OCI's weight, the environment's
parameter maps and the power arbitration mechanisms."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from powergames.bargaining import rubinstein, rubinstein_limit
from powergames.errors import InfeasibleProblemError, InvalidParameterError
from powergames.partnership.closed_forms import evaluate
from powergames.partnership.mechanisms import (
    ArbitrationMechanism,
    Commitment,
    ConcessionTransfer,
    Dilution,
    LegitimacyProduction,
    Mechanism,
    NetworkExtension,
    apply_mechanisms,
)
from powergames.partnership.parameters import SPECS, Parameters
from powergames.partnership.power import (
    Environment,
    MesoPower,
    MicroPower,
    apply_environment,
    inherited_weight,
    power_balance,
    weight_from_breakdown,
    weight_from_patience,
)
from powergames.strategies import partnership_parameters

# Power levels in logit units, small enough that a_0 never rounds to 0 or 1.
levels = st.floats(-1.0, 1.0)
mesos = st.builds(MesoPower, levels, levels, levels)
micros = st.builds(MicroPower, levels, levels)
rates = st.floats(0.01, 1.0)
amounts = st.floats(0.0, 5.0)

COMPONENTS = [
    ("macro", None, +1),
    ("meso_oci", "formal_authority", +1),
    ("meso_oci", "critical_resources", +1),
    ("meso_oci", "discursive_legitimacy", +1),
    ("micro_oci", "control_of_uncertainty", +1),
    ("micro_oci", "trust", +1),
    ("meso_ngo", "formal_authority", -1),
    ("meso_ngo", "critical_resources", -1),
    ("meso_ngo", "discursive_legitimacy", -1),
    ("micro_ngo", "control_of_uncertainty", -1),
    ("micro_ngo", "trust", -1),
]


# --- the three levels of power -------------------------------------------------------


@given(levels, mesos, mesos, micros, micros)
def test_inherited_weight_has_the_power_sum_as_logit(macro, meso_n, meso_s, micro_n, micro_s):
    a0 = inherited_weight(macro, meso_n, meso_s, micro_n, micro_s)
    expected = macro + meso_n.total - meso_s.total + micro_n.total - micro_s.total
    assert 0 < a0 < 1
    assert power_balance(a0) == pytest.approx(expected, abs=1e-9)
    assert math.log(a0 / (1 - a0)) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("argument", "field", "sign"), COMPONENTS)
@given(
    macro=levels,
    meso_n=mesos,
    meso_s=mesos,
    micro_n=micros,
    micro_s=micros,
    step=st.floats(0.01, 1.0),
)
def test_more_power_for_a_partner_moves_the_weight_its_way(
    argument, field, sign, macro, meso_n, meso_s, micro_n, micro_s, step
):
    before = {
        "macro": macro,
        "meso_oci": meso_n,
        "meso_ngo": meso_s,
        "micro_oci": micro_n,
        "micro_ngo": micro_s,
    }
    after = dict(before)
    if field is None:
        after[argument] = macro + step
    else:
        level = before[argument]
        after[argument] = dataclasses.replace(level, **{field: getattr(level, field) + step})
    a_before, a_after = inherited_weight(**before), inherited_weight(**after)
    assert (a_after - a_before) * sign > 0


@given(mesos, micros)
def test_symmetric_power_gives_an_even_split(meso, micro):
    assert inherited_weight(0.0, meso, meso, micro, micro) == 0.5


def test_no_power_at_all_gives_an_even_split():
    assert inherited_weight() == 0.5


def test_mutual_trust_cancels():
    trust = MicroPower(trust=2.0)
    assert inherited_weight(0.3, micro_oci=trust, micro_ngo=trust) == inherited_weight(0.3)


def test_inherited_weight_vectorised_equals_element_by_element():
    rng = np.random.default_rng(7)
    macro = rng.uniform(-2, 2, size=(4, 1))
    authority = rng.uniform(-2, 2, size=(1, 3))
    legitimacy = rng.uniform(-2, 2, size=3)
    control = rng.uniform(-2, 2, size=(4, 3))
    grid = inherited_weight(
        macro,
        MesoPower(formal_authority=authority),
        MesoPower(discursive_legitimacy=legitimacy),
        MicroPower(control_of_uncertainty=control),
    )
    assert grid.shape == (4, 3)
    for i in range(4):
        for j in range(3):
            one = inherited_weight(
                float(macro[i, 0]),
                MesoPower(formal_authority=float(authority[0, j])),
                MesoPower(discursive_legitimacy=float(legitimacy[j])),
                MicroPower(control_of_uncertainty=float(control[i, j])),
            )
            assert isinstance(one, float)
            assert grid[i, j] == one


def test_inherited_weight_is_symbolic_with_sympy_input():
    m, f, d, c, t = sp.symbols("m f d c t", real=True)
    a0 = inherited_weight(
        m,
        MesoPower(formal_authority=f),
        MesoPower(discursive_legitimacy=d),
        MicroPower(control_of_uncertainty=c),
        MicroPower(trust=t),
    )
    z = m + f - d + c - t
    assert isinstance(a0, sp.Expr)
    assert sp.simplify(a0 - 1 / (1 + sp.exp(-z))) == 0
    assert sp.simplify(power_balance(a0) - z) == 0
    point = {m: 0.5, f: 0.25, d: -0.5, c: 0.125, t: 1.0}
    numeric = inherited_weight(
        0.5,
        MesoPower(formal_authority=0.25),
        MesoPower(discursive_legitimacy=-0.5),
        MicroPower(control_of_uncertainty=0.125),
        MicroPower(trust=1.0),
    )
    assert float(a0.subs(point)) == pytest.approx(numeric, abs=1e-15)


def test_power_balance_inverts_the_weight_on_arrays():
    weights = np.array([0.1, 0.5, 0.9])
    assert inherited_weight(power_balance(weights)) == pytest.approx(weights, abs=1e-15)


@pytest.mark.parametrize("bad", [0.0, 1.0, 1.5, -0.2, math.nan, np.array([0.5, 1.0]), True, "x"])
def test_power_balance_rejects_weights_outside_the_open_interval(bad):
    with pytest.raises(InvalidParameterError, match="a0"):
        power_balance(bad)


def test_power_levels_reject_bad_values():
    with pytest.raises(InvalidParameterError, match="MesoPower: critical_resources"):
        MesoPower(critical_resources=math.inf)
    with pytest.raises(InvalidParameterError, match="MicroPower: trust"):
        MicroPower(trust="high")
    with pytest.raises(InvalidParameterError, match="macro"):
        inherited_weight(math.nan)
    with pytest.raises(InvalidParameterError, match="meso_oci"):
        inherited_weight(0.0, MicroPower())  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="mixes"):
        inherited_weight(np.array([0.0, 1.0]), MesoPower(formal_authority=sp.Symbol("x")))


# --- patience (Binmore, Rubinstein & Wolinsky 1986) ----------------------------------


@given(rates, rates)
def test_patience_weight_is_the_rubinstein_limit_share_of_the_oci(r_oci, r_ngo):
    weight = weight_from_patience(r_oci, r_ngo)
    assert weight == rubinstein_limit(r_oci, r_ngo).payoffs[0]
    assert weight == pytest.approx(r_ngo / (r_oci + r_ngo), rel=1e-15)
    assert power_balance(weight) == pytest.approx(math.log(r_ngo) - math.log(r_oci), abs=1e-9)


def test_reference_rates_give_two_thirds_to_the_more_patient_oci():
    assert weight_from_patience(0.05, 0.10) == pytest.approx(2 / 3, rel=1e-15)


@given(rates, rates)
def test_alternating_offers_converge_to_the_patience_weight_whoever_proposes(r_oci, r_ngo):
    weight = weight_from_patience(r_oci, r_ngo)
    errors = []
    for dt in (1e-2, 1e-3, 1e-4):
        oci_first = rubinstein(math.exp(-r_oci * dt), math.exp(-r_ngo * dt)).payoffs[0]
        ngo_first = rubinstein(math.exp(-r_ngo * dt), math.exp(-r_oci * dt)).payoffs[1]
        assert abs(oci_first - weight) <= (r_oci + r_ngo) * dt
        assert abs(ngo_first - weight) <= (r_oci + r_ngo) * dt
        assert ngo_first <= weight <= oci_first  # the first proposer's edge, vanishing
        errors.append(oci_first - ngo_first)
    assert errors[0] > errors[1] > errors[2]


def test_patience_weight_vectorised_and_symbolic():
    r_oci = np.array([0.05, 0.1, 0.2])
    assert weight_from_patience(r_oci, 0.1) == pytest.approx([2 / 3, 1 / 2, 1 / 3], rel=1e-15)
    r_n, r_s = sp.symbols("r_N r_S", positive=True)
    assert sp.simplify(weight_from_patience(r_n, r_s) - r_s / (r_n + r_s)) == 0


@pytest.mark.parametrize(
    ("oci_rate", "ngo_rate", "name"),
    [(0.0, 1.0, "oci_rate"), (1.0, -1.0, "ngo_rate"), (math.inf, 1.0, "oci_rate")],
)
def test_patience_rejects_rates_that_are_not_positive(oci_rate, ngo_rate, name):
    with pytest.raises(InvalidParameterError, match=name):
        weight_from_patience(oci_rate, ngo_rate)


# --- breakdown risk ------------------------------------------------------------------


def subjective_first_proposal(dt, rates, hazards, surplus, payoffs):
    """The first proposer's payoff when each side discounts at its rate and perceives
    its own breakdown hazard: the fixed point X = S - c2 - q2 Y, Y = S - c1 - q1 X of
    the responders' acceptance thresholds (each with its own q_i, c_i)."""
    q = [math.exp(-(r + h) * dt) for r, h in zip(rates, hazards, strict=True)]
    c = [(1 - math.exp(-h * dt)) * b for h, b in zip(hazards, payoffs, strict=True)]
    return (surplus * (1 - q[1]) - c[1] + q[1] * c[0]) / (1 - q[0] * q[1])


@given(st.floats(0.01, 1.0))
def test_a_common_hazard_gives_the_symmetric_nash_solution(hazard):
    assert weight_from_breakdown(hazard, hazard) == 0.5


@given(st.floats(0.05, 1.0), st.floats(0.0, 0.4), st.floats(0.0, 0.4))
def test_common_breakdown_converges_to_nash_at_the_breakdown_payoffs(hazard, b1, b2):
    surplus = 1.0
    weight = weight_from_breakdown(hazard, hazard)
    nash = b1 + weight * (surplus - b1 - b2)
    gaps = []
    for dt in (1e-2, 1e-3, 1e-4):
        p = 1 - math.exp(-hazard * dt)
        x = rubinstein(1.0, 1.0, breakdown=(p, (b1, b2))).payoffs[0]
        gaps.append(abs(x - nash))
        assert gaps[-1] <= hazard * dt
    assert gaps[2] <= gaps[0]


@given(st.floats(0.05, 1.0), rates, rates, st.floats(0.0, 0.4), st.floats(0.0, 0.4))
def test_breakdown_with_discounting_converges_to_the_shifted_nash_solution(
    hazard, r_oci, r_ngo, b1, b2
):
    weight = weight_from_breakdown(hazard, hazard, oci_rate=r_oci, ngo_rate=r_ngo)
    d1, d2 = hazard * b1 / (r_oci + hazard), hazard * b2 / (r_ngo + hazard)
    limit = d1 + weight * (1 - d1 - d2)
    dt = 1e-5
    p = 1 - math.exp(-hazard * dt)
    x = rubinstein(math.exp(-r_oci * dt), math.exp(-r_ngo * dt), breakdown=(p, (b1, b2)))
    assert x.payoffs[0] == pytest.approx(limit, abs=1e-4)


@given(
    st.floats(0.01, 0.99),
    st.floats(0.01, 0.99),
    st.floats(0.0, 0.5),
    st.floats(0.0, 0.4),
    st.floats(0.0, 0.4),
)
def test_a_common_hazard_is_rubinstein_over_the_shifted_pie(d1, d2, p, b1, b2):
    # Step 2 of weight_from_breakdown, checked against the library's breakdown argument.
    q1, q2 = (1 - p) * d1, (1 - p) * d2
    v1, v2 = p * b1 / (1 - q1), p * b2 / (1 - q2)
    shifted = rubinstein(q1, q2, surplus=1 - v1 - v2).payoffs[0] + v1
    direct = rubinstein(d1, d2, breakdown=(p, (b1, b2))).payoffs[0]
    assert shifted == pytest.approx(direct, abs=1e-12)


@given(st.floats(0.01, 1.0), st.floats(0.01, 1.0))
def test_perceived_hazards_without_breakdown_payoffs_act_as_impatience(h_oci, h_ngo):
    # With b = 0 a perceived breakdown is extra discounting, which rubinstein handles.
    weight = weight_from_breakdown(h_oci, h_ngo)
    assert weight == pytest.approx(h_ngo / (h_oci + h_ngo), rel=1e-15)
    dt = 1e-5
    x = rubinstein(math.exp(-h_oci * dt), math.exp(-h_ngo * dt)).payoffs[0]
    assert x == pytest.approx(weight, abs=(h_oci + h_ngo) * dt)


@given(
    st.floats(0.01, 1.0),
    st.floats(0.01, 1.0),
    st.floats(0.0, 0.5),
    st.floats(0.0, 0.5),
    st.floats(0.0, 0.4),
    st.floats(0.0, 0.4),
)
def test_perceived_hazards_converge_to_the_weighted_nash_solution(
    h_oci, h_ngo, r_oci, r_ngo, b1, b2
):
    weight = weight_from_breakdown(h_oci, h_ngo, oci_rate=r_oci, ngo_rate=r_ngo)
    d1, d2 = h_oci * b1 / (r_oci + h_oci), h_ngo * b2 / (r_ngo + h_ngo)
    limit = d1 + weight * (1 - d1 - d2)
    x = subjective_first_proposal(1e-5, (r_oci, r_ngo), (h_oci, h_ngo), 1.0, (b1, b2))
    assert x == pytest.approx(limit, abs=1e-4)
    # ... and the subjective fixed point is Rubinstein over the shifted pie (step 2).
    dt = 0.1
    q1, q2 = math.exp(-(r_oci + h_oci) * dt), math.exp(-(r_ngo + h_ngo) * dt)
    v1 = (1 - math.exp(-h_oci * dt)) * b1 / (1 - q1)
    v2 = (1 - math.exp(-h_ngo * dt)) * b2 / (1 - q2)
    shifted = rubinstein(q1, q2, surplus=1 - v1 - v2).payoffs[0] + v1
    direct = subjective_first_proposal(dt, (r_oci, r_ngo), (h_oci, h_ngo), 1.0, (b1, b2))
    assert shifted == pytest.approx(direct, abs=1e-12)


def test_without_discounting_the_breakdown_weight_is_the_partnership_arbitration():
    # d = (w_N, w_S): u = w + a Sigma, the model's agreement with weight a.
    params = Parameters(inherited_weight=weight_from_breakdown(0.1, 0.3))
    values = evaluate(params)
    assert values["agreement_oci"] == pytest.approx(1 + 0.75 * 8, abs=1e-12)


def test_breakdown_weight_vectorised_and_symbolic():
    assert weight_from_breakdown(np.array([0.1, 0.3]), 0.3) == pytest.approx([0.75, 0.5])
    l_n, l_s, r_n, r_s = sp.symbols("lambda_N lambda_S r_N r_S", positive=True)
    weight = weight_from_breakdown(l_n, l_s, oci_rate=r_n, ngo_rate=r_s)
    assert sp.simplify(weight - (r_s + l_s) / (r_n + l_n + r_s + l_s)) == 0


@pytest.mark.parametrize(
    ("arguments", "name"),
    [
        ((0.0, 0.1), "oci_hazard"),
        ((0.1, -0.1), "ngo_hazard"),
        ((0.1, 0.1, -0.5, 0.0), "oci_rate"),
        ((0.1, 0.1, 0.0, math.nan), "ngo_rate"),
    ],
)
def test_breakdown_rejects_bad_hazards_and_rates(arguments, name):
    hazards, rest = arguments[:2], arguments[2:]
    keywords = dict(zip(("oci_rate", "ngo_rate"), rest, strict=False))
    with pytest.raises(InvalidParameterError, match=name):
        weight_from_breakdown(*hazards, **keywords)


# --- the environment -----------------------------------------------------------------

ENVIRONMENT_MAPS = {
    "funder_valuation": {"funder_accountability": lambda p, v: v},
    "membership_valuation": {"membership_accountability": lambda p, v: v},
    "funder_policies": {"control_gain": lambda p, v: p.control_gain + v},
    "membership_paradigm": {"control_gain": lambda p, v: p.control_gain + v},
    "base_group_paradigm": {"moral_legitimacy": lambda p, v: p.moral_legitimacy + v},
    "base_group_mobilisation": {"pragmatic_legitimacy": lambda p, v: p.pragmatic_legitimacy + v},
    "alternative_funders": {"ngo_outside_option": lambda p, v: p.ngo_outside_option + v},
    "other_partners": {"oci_outside_option": lambda p, v: p.oci_outside_option + v},
}


@pytest.mark.parametrize("field", list(ENVIRONMENT_MAPS))
@given(params=partnership_parameters(), value=st.floats(0.0, 2.0))
def test_each_environment_actor_changes_exactly_its_parameters(field, params, value):
    after = apply_environment(params, Environment(**{field: value}))
    expected = {name: rule(params, value) for name, rule in ENVIRONMENT_MAPS[field].items()}
    for spec in SPECS:
        assert after[spec.name] == expected.get(spec.name, params[spec.name]), spec.name


def test_the_empty_environment_changes_nothing():
    params = Parameters(control_gain=3.0)
    assert apply_environment(params, Environment()) == params


def test_environments_compose_additively():
    env = Environment(funder_policies=1.0, membership_paradigm=0.5, alternative_funders=2.0)
    twice = apply_environment(apply_environment(Parameters(), env), env)
    assert twice.control_gain == 2.0 + 3.0
    assert twice.ngo_outside_option == 4.0


def test_environment_maps_arrays_and_symbols():
    grid = apply_environment(Parameters(), Environment(base_group_paradigm=np.array([0.0, 1.0])))
    assert grid.moral_legitimacy.tolist() == [3.0, 4.0]
    k = sp.Symbol("k", nonnegative=True)
    assert apply_environment(Parameters(), Environment(funder_policies=k)).control_gain == k + 2


def test_environment_rejects_bad_input():
    with pytest.raises(InvalidParameterError, match="Environment: alternative_funders"):
        Environment(alternative_funders=-1.0)
    with pytest.raises(InvalidParameterError, match="Environment: funder_valuation"):
        Environment(funder_valuation=math.nan)
    with pytest.raises(InvalidParameterError, match="env"):
        apply_environment(Parameters(), {"funder_policies": 1.0})  # type: ignore[arg-type]


# --- the arbitration mechanisms ------------------------------------------------------


def finite(*values):
    return all(np.isfinite(v) for v in values)


@given(partnership_parameters(), st.floats(0.0, 1.0))
def test_dilution_lowers_the_weight_and_the_dilution_still_needed(params, fraction):
    a0 = params.inherited_weight
    amount = fraction * a0
    before = evaluate(params)
    assume(finite(before["window_max"]))
    weight = Dilution(amount).weight(a0, params)
    assert weight == pytest.approx(a0 - amount, abs=1e-15)
    after = evaluate(params.replace(inherited_weight=weight))
    assert after["dilution"] == pytest.approx(
        max(0.0, before["dilution"] - amount), rel=1e-12, abs=1e-12
    )


@given(partnership_parameters(), st.floats(0.01, 1.0), st.floats(0.5, 0.99))
def test_diluting_by_the_closed_form_reaches_the_top_of_the_window(params, fraction, delta):
    # Patient partners: the top of the window is mostly inside [0, 1), little filtering.
    params = params.replace(discount_factor=delta)
    a_max = evaluate(params)["window_max"]  # it does not depend on a_0
    # A window whose top is below 0 has no weight to dilute to (the weight stops at 0).
    assume(finite(a_max) and 0 <= a_max < 0.99)
    params = params.replace(inherited_weight=a_max + fraction * (1 - a_max))
    values = evaluate(params)
    assume(values["window_min"] <= a_max)  # else no weight is self-enforcing
    assert values["dilution"] > 0
    weight = Dilution(values["dilution"]).weight(params.inherited_weight, params)
    assert weight == pytest.approx(a_max, abs=1e-12)


def test_baseline_dilution_is_one_fortieth():
    params = Parameters()
    assert Dilution(evaluate(params)["dilution"]).weight(0.9, params) == pytest.approx(0.875)
    assert Dilution(2.0).weight(0.9, params) == 0.0


@given(partnership_parameters(), st.floats(0.0, 3.0))
def test_concession_transfer_is_a_dilution_by_its_share_of_the_surplus(params, amount):
    values = evaluate(params)
    assume(values["surplus"] > 0.1)
    a0 = params.inherited_weight
    weight = ConcessionTransfer(amount).weight(a0, params)
    assert weight == pytest.approx(
        Dilution(amount / values["surplus"]).weight(a0, params), abs=1e-12
    )
    if a0 - amount / values["surplus"] >= 0:  # not clipped: the transfer rises by the amount
        after = evaluate(params, weight=weight)
        assert after["arbitration_transfer"] == pytest.approx(
            values["arbitration_transfer"] + amount, abs=1e-9
        )
        assert after["agreement_ngo"] == pytest.approx(values["agreement_ngo"] + amount, abs=1e-9)


def test_concession_transfer_needs_a_positive_surplus():
    broke = Parameters(ngo_outside_option=8.0)  # Sigma = 0
    with pytest.raises(InfeasibleProblemError, match="surplus"):
        ConcessionTransfer(0.1).weight(0.5, broke)
    grid = Parameters(ngo_outside_option=np.array([0.0, 9.0]))
    with pytest.raises(InfeasibleProblemError, match="surplus"):
        ConcessionTransfer(0.1).weight(0.5, grid)


@given(partnership_parameters(), amounts)
def test_network_extension_raises_the_ngo_minmax_and_lowers_the_surplus_one_for_one(params, amount):
    before = evaluate(params)
    after_params = NetworkExtension(amount).apply(params)
    after = evaluate(after_params)
    assert after["minmax_ngo"] == pytest.approx(before["minmax_ngo"] + amount, abs=1e-12)
    assert after["surplus"] == pytest.approx(before["surplus"] - amount, abs=1e-9)
    assert after["minmax_oci"] == before["minmax_oci"]
    assert NetworkExtension(amount).weight(0.3, after_params) == 0.3
    if after["surplus"] > 0 and before["temptation_ngo"] > 0 and params.discount_factor > 0.01:
        assert after["window_max"] <= before["window_max"] + 1e-12  # the OCI must dilute more


@given(partnership_parameters(), amounts)
def test_commitment_lowers_the_temptation_to_impose_by_its_cost(params, cost):
    before = evaluate(params)
    after = evaluate(Commitment(cost).apply(params))
    paid = min(cost, params.control_gain)
    assert after["temptation_oci"] == pytest.approx(before["temptation_oci"] - paid, abs=1e-9)
    assert after["donor_beneficiary_surplus"] == pytest.approx(
        before["donor_beneficiary_surplus"] - paid, abs=1e-9
    )
    assert after["surplus"] == before["surplus"]
    if before["surplus"] > 0 and params.discount_factor > 0.01:
        assert after["window_min"] <= before["window_min"] + 1e-12
        assert after["critical_discount_factor"] <= before["critical_discount_factor"] + 1e-12
        if before["temptation_oci"] > 0 and paid > 1e-6:
            assert after["window_min"] < before["window_min"]
            assert after["critical_discount_factor"] < before["critical_discount_factor"]


def test_commitment_keeps_the_control_gain_in_its_domain():
    params = Commitment(5.0).apply(Parameters())  # g = 2: the residual 3 is dropped
    assert params.control_gain == 0.0
    assert evaluate(params)["temptation_oci"] == 0.0


@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_commitment_floor_caps_the_weight(weight, floor):
    capped = Commitment(0.0, floor=floor).weight(weight, Parameters())
    assert capped == min(weight, 1 - floor)
    assert capped <= 1 - floor


@given(partnership_parameters(shared_paradigm=0.0), amounts)
def test_legitimacy_production_lowers_the_reinforcement_needed_by_its_amount(params, amount):
    # phi = 0: T_S = e and Sigma(x) = Sigma + lam x, so the root x* of
    # delta = e / (e + (1 - a_0)(Sigma + lam x)) falls by exactly the amount produced.
    assume(params.accountability > 0.1 and params.discount_factor > 0.01)
    assume(params.inherited_weight < 0.99)
    before = evaluate(params)["reinforcement"]
    after = evaluate(LegitimacyProduction(amount).apply(params))["reinforcement"]
    assert after == pytest.approx(max(0.0, before - amount), rel=1e-9, abs=1e-9)


@given(partnership_parameters(), amounts)
def test_legitimacy_production_lowers_the_reinforcement_with_a_shared_paradigm(params, amount):
    # The root x* depends on l_m + x alone, and so does T_S / phi: the law holds for any phi.
    assume(params.discount_factor > 0.01 and params.inherited_weight < 0.99)
    assume(params.accountability + params.shared_paradigm > 0.1)
    before = evaluate(params)
    after = evaluate(LegitimacyProduction(amount).apply(params))
    assert after["reinforcement"] == pytest.approx(
        max(0.0, before["reinforcement"] - amount), rel=1e-9, abs=1e-9
    )
    raised = (params.accountability + params.shared_paradigm) * amount
    assert after["surplus"] == pytest.approx(before["surplus"] + raised, abs=1e-9)


def test_baseline_reinforcement_is_two():
    assert evaluate(Parameters())["reinforcement"] == pytest.approx(2.0)
    produced = LegitimacyProduction(2.0).apply(Parameters())
    assert evaluate(produced)["dilution"] == pytest.approx(0.0, abs=1e-12)


def test_mechanisms_follow_the_protocol_and_default_to_identity():
    params = Parameters()
    for mechanism in (
        Dilution(0.1),
        ConcessionTransfer(0.1),
        NetworkExtension(1.0),
        Commitment(1.0),
        LegitimacyProduction(1.0),
        ArbitrationMechanism(),
    ):
        assert isinstance(mechanism, Mechanism)
        assert isinstance(mechanism.name, str)
    assert Dilution(0.1).apply(params) is params
    assert NetworkExtension(1.0).weight(0.7, params) == 0.7
    with pytest.raises(dataclasses.FrozenInstanceError):
        Dilution(0.1).amount = 0.2  # type: ignore[misc]


def test_apply_mechanisms_changes_parameters_first_then_the_weight():
    params, weight = apply_mechanisms(
        Parameters(), 0.9, [ConcessionTransfer(0.7), NetworkExtension(1.0)]
    )
    assert params.ngo_outside_option == 1.0
    assert weight == pytest.approx(0.9 - 0.7 / 7)  # the surplus after the extension


def test_apply_mechanisms_follows_the_order_of_the_weight_maps():
    floor_then_dilute = apply_mechanisms(
        Parameters(), 0.9, [Commitment(0, floor=0.2), Dilution(0.3)]
    )
    dilute_then_floor = apply_mechanisms(
        Parameters(), 0.9, [Dilution(0.3), Commitment(0, floor=0.2)]
    )
    assert floor_then_dilute[1] == pytest.approx(0.5)
    assert dilute_then_floor[1] == pytest.approx(0.6)


def test_apply_mechanisms_defaults_to_the_inherited_weight_and_no_mechanism():
    params = Parameters(inherited_weight=0.7)
    assert apply_mechanisms(params) == (params, 0.7)


def test_mechanisms_work_on_arrays_and_symbols():
    grid = Parameters(ngo_outside_option=np.array([0.0, 1.0]))
    _, weight = apply_mechanisms(grid, 0.9, [ConcessionTransfer(0.8)])
    assert weight == pytest.approx([0.8, 0.9 - 0.8 / 7])
    symbolic = Parameters.symbolic("ngo_outside_option")
    a = sp.Symbol("a", nonnegative=True)
    _, weight = apply_mechanisms(symbolic, a, [ConcessionTransfer(1)])
    w_S = sp.Symbol("w_S", real=True)
    assert weight.subs(a, sp.Rational(1, 2)).subs(w_S, 0) == pytest.approx(0.5 - 1 / 8)
    assert Dilution(sp.Rational(1, 10)).weight(a, symbolic) == sp.Max(0, a - sp.Rational(1, 10))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Dilution(-0.1), "Dilution: amount must be non-negative"),
        (lambda: ConcessionTransfer(-1), "ConcessionTransfer: amount"),
        (lambda: NetworkExtension(-2.0), "NetworkExtension: amount"),
        (lambda: LegitimacyProduction(np.array([1.0, -1.0])), "LegitimacyProduction: amount"),
        (lambda: Commitment(-1.0), "Commitment: cost"),
        (lambda: Commitment(1.0, floor=1.5), "Commitment: floor"),
        (lambda: Dilution(math.nan), "Dilution: amount must be finite"),
        (lambda: Dilution(True), "Dilution: amount"),
        (lambda: Dilution(sp.Integer(-1)), "Dilution: amount"),
    ],
)
def test_mechanisms_reject_bad_arguments(build, message):
    with pytest.raises(InvalidParameterError, match=message):
        build()


def test_apply_mechanisms_rejects_what_is_not_a_mechanism():
    with pytest.raises(InvalidParameterError, match="mechanisms"):
        apply_mechanisms(Parameters(), 0.9, [object()])  # type: ignore[list-item]
    with pytest.raises(InvalidParameterError, match="params"):
        apply_mechanisms({}, 0.9, [])  # type: ignore[arg-type]
