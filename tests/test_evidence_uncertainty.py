"""Uncertainty over a scenario's plausible range: exact values reproduce the
settlement, shares converge, and nothing depends on the order the ranges are given in."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powergames.errors import InvalidParameterError
from powergames.partnership import REGIMES, Parameters, Scenario, analyse, load_preset, settle
from powergames.partnership.evidence import Triangular, Uniform, uncertainty
from powergames.partnership.evidence.propagation import wilson
from powergames.strategies import partnership_parameters, ranged_scenarios
from powergames.tables import SweepEvaluator

OUTPUTS = ("dilution", "transfer", "critical_discount_factor")


def _spread_of_one_value(value):
    return (0.0, {}) if not math.isfinite(value) else (1.0, value)


@settings(max_examples=30)
@given(partnership_parameters())
def test_exact_values_reproduce_the_settlement_exactly(params):
    result = uncertainty(Scenario("exact", parameters=params), samples=4, seed=0)
    settled = settle(params)
    assert result.shares[settled["regime"]].estimate == 1.0
    assert analyse(params).regime == settled["regime"]
    for name in OUTPUTS:
        spread = result.spreads[name]
        if math.isfinite(settled[name]):
            assert spread.defined == 1.0
            assert all(q == settled[name] for q in spread.quantiles.values())
        else:
            assert spread.defined == 0.0 and all(math.isnan(q) for q in spread.quantiles.values())


@settings(max_examples=20)
@given(ranged_scenarios(), st.integers(0, 1000))
def test_every_point_is_the_settlement_at_its_parameters(scenario, seed):
    result = uncertainty(scenario, samples=16, seed=seed)
    values = {n: result.points[n] for n in result.points if n in scenario.parameters}
    settled = settle(scenario.parameters.replace(**values))
    assert np.array_equal(result.points["regime"], settled["regime"])
    for name in OUTPUTS:
        assert np.array_equal(result.points[name], settled[name], equal_nan=True)


@settings(max_examples=30)
@given(partnership_parameters(), st.data())
def test_a_degenerate_range_is_the_exact_value(params, data):
    name = data.draw(st.sampled_from(sorted(params)))
    value = params[name]
    kind = data.draw(st.sampled_from([Uniform(value, value), Triangular(value, value, value)]))
    ranged = uncertainty(Scenario("ranged", parameters=params, ranges={name: kind}), 8, seed=1)
    exact = uncertainty(Scenario("exact", parameters=params), 8, seed=1)
    assert ranged.shares == exact.shares
    assert ranged.spreads == exact.spreads or all(
        math.isnan(a) and math.isnan(b)
        for n in OUTPUTS
        for a, b in zip(
            ranged.spreads[n].quantiles.values(), exact.spreads[n].quantiles.values(), strict=True
        )
    )


CASE = Scenario(
    "case",
    parameters=Parameters(assertion_cost=1.5),
    ranges={
        "shared_paradigm": (0, 0.6),
        "discount_factor": (0.15, 0.7),
        "control_gain": Triangular(1, 2, 4),
        "moral_legitimacy": (1, 4),
    },
)


@pytest.mark.parametrize("method", ["sobol", "latin-hypercube"])
def test_the_shares_converge_within_their_intervals(method):
    coarse = uncertainty(CASE, 2**10, seed=7, method=method)
    fine = uncertainty(CASE, 2**14, seed=11, method=method)
    assert sum(share.estimate for share in fine.shares.values()) == pytest.approx(1.0)
    seen = 0
    for regime in REGIMES:
        interval = coarse.shares[regime]
        assert interval.low <= fine.shares[regime].estimate <= interval.high, regime
        seen += 0 < fine.shares[regime].estimate < 1
    assert seen >= 3  # the case is uncertain: the test means something
    assert (
        fine.shares["partnership"].high - fine.shares["partnership"].low
        < (coarse.shares["partnership"].high - coarse.shares["partnership"].low) / 3
    )


def test_the_results_do_not_depend_on_the_order_of_the_ranges():
    reordered = Scenario(
        "case", parameters=CASE.parameters, ranges=dict(reversed(list(CASE.ranges.items())))
    )
    assert list(reordered.ranges) != list(CASE.ranges)
    a, b = uncertainty(CASE, 1024, seed=5), uncertainty(reordered, 1024, seed=5)
    assert a.shares == b.shares and a.spreads == b.spreads and a.parameters == b.parameters


def test_the_same_seed_gives_the_same_result_and_another_seed_another():
    a, b, c = (uncertainty(CASE, 256, seed=s) for s in (3, 3, 4))
    assert a.shares == b.shares
    assert a.shares != c.shares


def test_the_quantiles_are_those_of_the_defined_points():
    result = uncertainty(CASE, 1024, seed=2)
    dilution = np.asarray(result.points["dilution"])
    sustainable = np.isin(result.points["regime"], ["collaboration", "partnership"])
    assert np.array_equal(np.isnan(dilution), ~sustainable)  # undefined where no weight is
    spread = result.spreads["dilution"]
    assert spread.defined == pytest.approx(sustainable.mean())
    assert spread.quantiles[0.5] == pytest.approx(np.median(dilution[sustainable]))


def test_wilson_interval_matches_the_closed_form_and_covers_the_share():
    # Wilson (1927); Agresti & Coull (1998), table 1: x = 0, n = 20 -> [0, 0.161].
    low, high = wilson(0, 20)
    assert low == 0 and high == pytest.approx(0.1611, abs=1e-4)
    low, high = wilson(15, 20)
    assert low == pytest.approx(0.5313, abs=1e-4) and high == pytest.approx(0.8881, abs=1e-4)


def test_the_preset_with_ranges_reads_as_a_statement():
    preset = load_preset("partnership-1990s")
    scenario = Scenario("p", parameters=preset.parameters, ranges={"discount_factor": (0.3, 0.9)})
    text = uncertainty(scenario, 256, seed=0).statement()
    assert text.endswith("256 points)") and "% of the plausible range" in text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"samples": 1000}, "power of two"),
        ({"samples": 1}, "samples must be a whole number >= 2"),
        ({"samples": 64, "method": "random"}, "method must be one of"),
        ({"samples": 64, "confidence": 1.0}, "confidence"),
        ({"samples": 64, "quantiles": [1.5]}, "quantiles"),
        ({"samples": 64, "seed": -1}, "seed"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        uncertainty(CASE, **kwargs)


def test_a_latin_hypercube_takes_any_number_of_points():
    assert uncertainty(CASE, 1000, seed=1, method="latin-hypercube").samples == 1000


def test_the_points_stream_to_a_file_through_the_sweep(tmp_path):
    out = tmp_path / "points.csv"
    streamed = uncertainty(CASE, 256, seed=9, evaluate=SweepEvaluator(out=out))
    kept = uncertainty(CASE, 256, seed=9)
    assert streamed.shares == kept.shares
    lines = out.read_text().splitlines()
    assert len(lines) == 257 and lines[0].startswith("moral_legitimacy,control_gain,")


def test_an_executor_gives_the_same_result():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        parallel = uncertainty(CASE, 1024, seed=4, evaluate=SweepEvaluator(pool, chunk_size=100))
    assert parallel.shares == uncertainty(CASE, 1024, seed=4).shares
