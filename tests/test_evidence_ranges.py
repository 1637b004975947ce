"""Ranges of parameters: their distributions, and scenarios that give them (in Python
and in a scenario file's [ranges] table)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from powergames.errors import FormulaError, InvalidParameterError
from powergames.partnership import Parameters, Scenario, load_scenario
from powergames.partnership.evidence import Beta, Triangular, Uniform, as_range, sample
from powergames.strategies import ranged_scenarios, ranges

UNIT = np.linspace(0, 1, 101)


@given(ranges())
def test_a_range_maps_the_unit_interval_onto_itself_in_order(rng):
    values = rng.ppf(UNIT)
    assert values[0] == pytest.approx(rng.low, abs=1e-9 * (1 + rng.width))
    assert values[-1] == pytest.approx(rng.high, abs=1e-9 * (1 + abs(rng.high)))
    assert np.all(np.diff(values) >= -1e-12 * (1 + rng.width))
    assert np.all((values >= rng.low - 1e-12) & (values <= rng.high + 1e-12))


@pytest.mark.parametrize(
    ("ours", "scipys"),
    [
        (Uniform(2, 5), stats.uniform(2, 3)),
        (Triangular(1, 2, 5), stats.triang((2 - 1) / 4, loc=1, scale=4)),
        (Triangular(1, 1, 5), stats.triang(0, loc=1, scale=4)),
        (Beta(2, 5, low=0, high=1), stats.beta(2, 5)),
        (Beta(0.7, 3, low=-1, high=3), stats.beta(0.7, 3, loc=-1, scale=4)),
    ],
)
def test_the_inverse_distribution_functions_are_scipys(ours, scipys):
    u = np.linspace(0.001, 0.999, 199)
    assert np.allclose(ours.ppf(u), scipys.ppf(u), rtol=1e-10, atol=1e-12)
    assert ours.mean == pytest.approx(scipys.mean(), rel=1e-12)


def test_a_degenerate_range_is_its_value():
    for rng in (Uniform(3, 3), Triangular(3, 3, 3), Beta(2, 2, low=3, high=3)):
        assert rng.degenerate and np.all(rng.ppf(UNIT) == 3.0) and rng.mean == 3.0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([3, 1], "low must be <= high"),
        ([1, 2, 3], "an interval must be \\[low, high\\]"),
        ({"distribution": "triangular", "low": 0, "mode": 5, "high": 1}, "mode must be in"),
        ({"distribution": "normal"}, "unknown distribution 'normal'"),
        ({"distribution": "uniform", "low": 0}, "needs high"),
        ({"distribution": "uniform", "low": 0, "high": 1, "mode": 0}, "unknown key"),
        ({"distribution": "beta", "alpha": 0, "beta": 1, "low": 0, "high": 1}, "alpha"),
        ({"distribution": "beta", "alpha": 1, "beta": 1}, "a beta range needs high"),
        ("2..3", "must be an interval"),
        ([float("nan"), 1], "finite"),
    ],
)
def test_bad_ranges_are_refused_with_the_parameter_named(value, message):
    with pytest.raises(InvalidParameterError, match=message) as error:
        as_range(value, "control_gain", (0, float("inf")))
    assert "control_gain" in str(error.value)


def test_a_scenario_takes_ranges_next_to_values_and_formulas():
    scenario = Scenario(
        "case",
        parameters=Parameters(control_gain=2.5),
        formulas={"membership_accountability": "funder_accountability / 2"},
        ranges={"funder_accountability": (0.2, 0.6), "shared_paradigm": Beta(2, 2)},
    )
    assert scenario.parameters.funder_accountability == pytest.approx(0.4)  # the mean
    assert scenario.parameters.membership_accountability == pytest.approx(0.2)
    assert scenario.parameters.control_gain == 2.5
    changed = scenario.with_values(funder_accountability=1.0)
    assert "funder_accountability" not in changed.ranges
    assert changed.parameters.membership_accountability == 0.5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ranges": {"shared_paradigm": (0.5, 1.5)}}, "shared_paradigm.*must be in \\[0, 1\\]"),
        ({"ranges": {"discount_factor": (0.5, 1.0)}}, "discount_factor.*\\[0, 1\\)"),
        ({"ranges": {"control_gian": (1, 2)}}, "did you mean 'control_gain'"),
        (
            {"ranges": {"control_gain": (1, 2)}, "formulas": {"control_gain": "autonomy_value"}},
            "also a formula",
        ),
        ({"ranges": {"discount_factor": (0.2, 0.5)}, "patience": {"rate": 0.1}}, "derived from"),
    ],
)
def test_a_scenario_refuses_bad_ranges(kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        Scenario("bad", **kwargs)


FILE = """
[scenario]
name = "coded"

[parameters]
membership_accountability = "funder_accountability / 2"
control_gain = 2.5

[ranges]
funder_accountability = [0.2, 0.8]
moral_legitimacy = { distribution = "triangular", low = 2, mode = 3, high = 5 }
shared_paradigm = { distribution = "beta", alpha = 2, beta = 5 }
"""


def test_the_ranges_table_is_read_and_written_back():
    scenario = load_scenario(FILE)
    assert scenario.ranges == {
        "funder_accountability": Uniform(0.2, 0.8),
        "moral_legitimacy": Triangular(2, 3, 5),
        "shared_paradigm": Beta(2, 5, 0, 1),  # on the domain of the shared paradigm
    }
    assert load_scenario(scenario.to_toml()) == scenario


@pytest.mark.parametrize(
    ("table", "error", "message"),
    [
        (
            "[parameters]\ncontrol_gain = 2\n[ranges]\ncontrol_gain = [1, 3]",
            InvalidParameterError,
            "in \\[parameters\\] and in \\[ranges\\]",
        ),
        (
            '[ranges]\nmoral_legitimacy = { distribution = "beta", alpha = 2, beta = 2 }',
            InvalidParameterError,
            "no finite high end",
        ),
        ("[ranges]\ncontrol_gain = 3", InvalidParameterError, "control_gain: must be an interval"),
        (
            "[ranges]\ncontrol_gain = [-1, 3]",
            InvalidParameterError,
            "control_gain.*must be in \\[0, inf\\]",
        ),
    ],
)
def test_the_ranges_table_refuses_bad_entries(table, error, message):
    with pytest.raises(error, match=message):
        load_scenario('[scenario]\nname = "x"\n' + table)


def test_formulas_follow_the_ranged_parameters_at_every_point():
    points = sample(load_scenario(FILE), 64, seed=3)
    assert np.array_equal(points["membership_accountability"], points["funder_accountability"] / 2)


def test_a_formula_that_leaves_its_domain_in_the_range_is_refused():
    scenario = Scenario(
        "x",
        ranges={"funder_accountability": (0, 2)},
        formulas={"shared_paradigm": "funder_accountability"},
    )
    with pytest.raises(InvalidParameterError, match=r"shared_paradigm.*leaves its domain"):
        sample(scenario, 64, seed=0)
    scenario = Scenario(
        "x",
        ranges={"moral_legitimacy": (0, 2)},
        formulas={"control_gain": "log(moral_legitimacy + 1)"},
    )
    assert sample(scenario, 8, seed=0)["control_gain"].min() >= 0
    with pytest.raises(FormulaError, match="not a finite real number"):
        sample(
            Scenario(
                "x",
                ranges={"moral_legitimacy": (0, 3)},
                formulas={"control_gain": "sqrt(moral_legitimacy - 1)"},
            ),
            8,
            seed=0,
        )


@given(ranged_scenarios(), st.integers(0, 2**32 - 1))
def test_sampled_points_stay_within_their_ranges(scenario, seed):
    points = sample(scenario, 32, seed=seed)
    for name, rng in scenario.ranges.items():
        assert np.all((points[name] >= rng.low) & (points[name] <= rng.high))
