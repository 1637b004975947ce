"""Sobol' indices: the published indices of the Ishigami function through the code path
of the model's sensitivity analysis, and indices the model's structure fixes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powergames.errors import InvalidParameterError
from powergames.partnership import REGIMES, Parameters, Scenario, settle
from powergames.partnership.evidence import Uniform, sensitivity, sobol_indices
from powergames.partnership.evidence.sampling import ranged_names
from powergames.partnership.evidence.sobol import OUTPUTS
from powergames.strategies import partnership_parameters

A, B = 7.0, 0.1


def ishigami(x):
    """Ishigami & Homma (1990): sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3."""
    return {"y": np.sin(x["x1"]) + A * np.sin(x["x2"]) ** 2 + B * x["x3"] ** 4 * np.sin(x["x1"])}


def ishigami_indices():
    """The analytic first-order and total indices (Homma & Saltelli 1996, section 5):
    V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = 8 b^2 pi^8 / 225; a = 7, b = 0.1
    give S = (0.3139, 0.4424, 0) and T = (0.5576, 0.4424, 0.2437)."""
    v1 = (1 + B * math.pi**4 / 5) ** 2 / 2
    v2 = A**2 / 8
    v13 = 8 * B**2 * math.pi**8 / 225
    v = v1 + v2 + v13
    return {"x1": (v1 / v, (v1 + v13) / v), "x2": (v2 / v, v2 / v), "x3": (0.0, v13 / v)}


def test_the_closed_forms_are_the_published_values():
    published = {"x1": (0.3139, 0.5576), "x2": (0.4424, 0.4424), "x3": (0.0, 0.2437)}
    for name, (first, total) in ishigami_indices().items():
        assert first == pytest.approx(published[name][0], abs=5e-5)
        assert total == pytest.approx(published[name][1], abs=5e-5)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_ishigami_indices_lie_within_the_reported_intervals(seed):
    box = {name: Uniform(-math.pi, math.pi) for name in ("x1", "x2", "x3")}
    result = sobol_indices(ishigami, box, 2**13, seed=seed)
    for name, (first, total) in ishigami_indices().items():
        found = result.indices["y"][name]
        assert found.first.low <= first <= found.first.high, (name, found.first, first)
        assert found.total.low <= total <= found.total.high, (name, found.total, total)
        assert found.total.high - found.total.low < 0.1  # the intervals say something


def test_the_function_sees_the_saltelli_design_in_one_call():
    calls = []

    def model(x):
        calls.append(len(x["a"]))
        return {"y": x["a"] * x["b"]}

    sobol_indices(model, {"a": Uniform(0, 1), "b": Uniform(1, 2), "c": Uniform(0, 1)}, 256, seed=0)
    assert calls == [256 * (3 + 2)]


def test_an_additive_function_has_equal_first_and_total_indices():
    # y = a + 2 b on independent uniforms: S_a = 1/5, S_b = 4/5, no interaction.
    result = sobol_indices(
        lambda x: {"y": x["a"] + 2 * x["b"]},
        {"a": Uniform(0, 1), "b": Uniform(0, 1)},
        2**12,
        seed=4,
    )
    for name, share in (("a", 0.2), ("b", 0.8)):
        index = result.indices["y"][name]
        assert index.first.low <= share <= index.first.high
        assert index.total.value == pytest.approx(share, abs=0.01)


CASE = Scenario(
    "case",
    parameters=Parameters(assertion_cost=1.5),
    ranges={
        "shared_paradigm": (0, 0.6),
        "discount_factor": (0.15, 0.7),
        "control_gain": (1, 4),
        "inherited_weight": (0.6, 0.95),
    },
)


@settings(max_examples=40)
@given(partnership_parameters(), st.floats(0, 1), st.floats(0, 0.99))
def test_the_critical_discount_factor_involves_neither_the_weight_nor_patience(params, a0, delta):
    # delta_c = max(delta**, T_N+/(T_N+ + G_N), ...): stage quantities only.
    moved = params.replace(inherited_weight=a0, discount_factor=delta)
    assert settle(moved)["critical_discount_factor"] == settle(params)["critical_discount_factor"]


def test_a_parameter_that_does_not_enter_an_output_has_a_total_index_of_zero():
    result = sensitivity(
        CASE, ["critical_discount_factor", "regime=partnership"], samples=1024, seed=3
    )
    indices = result.indices["critical_discount_factor"]
    for name in ("inherited_weight", "discount_factor"):
        assert abs(indices[name].total.value) < 1e-12
        assert abs(indices[name].first.value) < 1e-12
    assert indices["shared_paradigm"].total.value > 0.1
    assert indices["control_gain"].total.value > 0.1
    # The regime does not involve the inherited weight (the window does not), but
    # depends on patience.
    regime = result.indices["regime=partnership"]
    assert abs(regime["inherited_weight"].total.value) < 1e-12
    assert regime["discount_factor"].total.value > 0.05
    assert result.ranking("critical_discount_factor")[-2:] == [
        "discount_factor",
        "inherited_weight",
    ] or set(result.ranking("critical_discount_factor")[-2:]) == {
        "discount_factor",
        "inherited_weight",
    }


def test_undefined_outputs_take_their_limit_values_and_are_counted():
    result = sensitivity(CASE, samples=256, seed=5)
    assert set(result.outputs) == set(OUTPUTS)
    assert 0 < result.undefined["dilution"] < 1  # some points have no admissible weight
    assert result.undefined["critical_discount_factor"] <= result.undefined["dilution"]
    assert all(result.undefined[f"regime={r}"] == 0 for r in REGIMES)
    never = [f"regime={r}" for r in ("breakdown", "passive") if result.variance[f"regime={r}"] == 0]
    for output in never:  # an output that does not vary shares out nothing
        assert all(math.isnan(i.total.value) for i in result.indices[output].values())


def test_the_model_path_agrees_with_sobol_indices_on_the_same_function():
    """sensitivity() is sobol_indices() on the model: the same indices, computed by
    hand through settle."""
    names = ranged_names(CASE)  # the order of the model's parameters

    def model(points):
        out = settle(CASE.parameters.replace(**points))
        return {"regime=donor-beneficiary": (out["regime"] == "donor-beneficiary").astype(float)}

    by_hand = sobol_indices(model, {n: CASE.ranges[n] for n in names}, 512, seed=8)
    ours = sensitivity(CASE, "regime=donor-beneficiary", samples=512, seed=8)
    for name in names:
        a = by_hand.indices["regime=donor-beneficiary"][name]
        b = ours.indices["regime=donor-beneficiary"][name]
        assert a == b


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"outputs": "dilutoin"}, "did you mean 'dilution'"),
        ({"outputs": []}, "at least one output"),
        ({"method": "morris"}, "method must be one of sobol"),
        ({"samples": 1000}, "power of two"),
        ({"resamples": 1}, "resamples"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        sensitivity(CASE, **kwargs)


def test_a_scenario_without_ranges_has_nothing_to_analyse():
    with pytest.raises(InvalidParameterError, match="at least one ranged parameter"):
        sensitivity(Scenario("exact"), samples=64)


def test_an_unknown_output_of_the_result_is_refused():
    result = sensitivity(CASE, "dilution", samples=64, seed=0)
    with pytest.raises(InvalidParameterError, match="was not analysed"):
        result.ranking("transfer")


def test_the_sweep_evaluator_gives_the_same_indices():
    from concurrent.futures import ThreadPoolExecutor

    from powergames.tables import SweepEvaluator

    with ThreadPoolExecutor(2) as pool:
        swept = sensitivity(
            CASE, "dilution", samples=128, seed=6, evaluate=SweepEvaluator(pool, chunk_size=200)
        )
    assert swept == sensitivity(CASE, "dilution", samples=128, seed=6)
