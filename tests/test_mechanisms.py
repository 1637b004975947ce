"""The power arbitration mechanisms."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from powergames.errors import InfeasibleProblemError, InvalidParameterError
from powergames.partnership import Parameters, evaluate
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
from powergames.strategies import partnership_parameters

amounts = st.floats(0.0, 5.0)


def finite(*values):
    return all(np.isfinite(v) for v in values)


@given(partnership_parameters(sustainable=True), st.floats(0.0, 1.0))
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


@given(partnership_parameters(sustainable=True), st.floats(0.01, 1.0), st.floats(0.5, 0.99))
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


def test_baseline_dilution_is_three_twentieths():
    params = Parameters()
    assert Dilution(evaluate(params)["dilution"]).weight(0.9, params) == pytest.approx(0.75)
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
    low, high = values["window_min"], values["window_max"]
    unclipped = a0 - amount / values["surplus"]
    if unclipped >= 0 and low <= unclipped and a0 <= high:
        # Both weights admissible: the transfer rises by the amount.
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
        # The NGO's temptation is held in check less well: its bound on the OCI's weight
        # falls (the OCI must dilute more where that bound binds).
        assert after["ngo_incentive_weight"] <= before["ngo_incentive_weight"] + 1e-12


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
        assert after["oci_incentive_weight"] <= before["oci_incentive_weight"] + 1e-12
        assert after["critical_discount_factor"] <= before["critical_discount_factor"] + 1e-12
        if before["temptation_oci"] > 0 and paid > 1e-6:
            assert after["oci_incentive_weight"] < before["oci_incentive_weight"]


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
    produced = evaluate(LegitimacyProduction(2.0).apply(Parameters()))
    # The NGO's temptation no longer bounds the weight below a_0 = 0.9 ...
    assert produced["ngo_incentive_weight"] == pytest.approx(0.9, abs=1e-12)
    # ... but the resource floor still does: a_R = (6 + 2) / (8 + 2).
    assert produced["funded_weight"] == pytest.approx(0.8)
    assert produced["dilution"] == pytest.approx(0.1)


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
