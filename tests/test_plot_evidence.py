"""Figures of evidence: bars that are the numbers, readable without colour."""

from __future__ import annotations

import pytest

pytest.importorskip("matplotlib")

from matplotlib.colors import to_rgb

from powergames.errors import InvalidParameterError
from powergames.partnership import Parameters, Scenario
from powergames.partnership.evidence import sensitivity, uncertainty
from powergames.plot import REGIME_COLOURS, regime_shares, sobol_bars
from powergames.plot.evidence import INDEX_STYLES

CASE = Scenario(
    "case",
    parameters=Parameters(assertion_cost=1.5),
    ranges={"shared_paradigm": (0, 0.6), "discount_factor": (0.15, 0.7), "control_gain": (1, 4)},
)


@pytest.fixture(scope="module")
def shares():
    return uncertainty(CASE, 1024, seed=1)


@pytest.fixture(scope="module")
def indices():
    pytest.importorskip("SALib")
    return sensitivity(CASE, ["dilution", "regime=passive"], samples=256, seed=2)


def _bars(ax):
    return [p for p in ax.patches if p.get_height() > 0 and p.get_visible()]


def test_each_bar_is_a_regimes_share_in_its_colour(shares):
    ax = regime_shares(shares)
    shown = {
        label.get_text(): y for label, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)
    }
    assert "partnership" in shown and "passive" not in shown  # a regime never reached is left out
    for bar in _bars(ax):
        regime = next(
            r for r, y in shown.items() if abs(bar.get_y() + bar.get_height() / 2 - y) < 1e-9
        )
        assert bar.get_width() == pytest.approx(100 * shares.shares[regime].estimate)
        assert to_rgb(bar.get_facecolor()) == pytest.approx(to_rgb(REGIME_COLOURS[regime]))


def test_the_error_bars_are_the_intervals(shares):
    ax = regime_shares(shares)
    partnership = shares.shares["partnership"]
    spans = []
    for collection in ax.collections:
        for segment in collection.get_segments():
            (x0, _), (x1, _) = segment
            spans.append((round(x0, 9), round(x1, 9)))
    assert (round(100 * partnership.low, 9), round(100 * partnership.high, 9)) in spans


def test_several_cases_are_grouped(shares):
    other = uncertainty(Scenario("patient", parameters=Parameters(discount_factor=0.9)), 64)
    ax = regime_shares([shares, other])
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert "case: partnership" in labels and "patient: partnership" in labels


def test_the_indices_are_the_bars_first_order_plain_and_total_hatched(indices):
    ax = sobol_bars(indices, "dilution")
    order = [label.get_text() for label in ax.get_yticklabels()]
    assert order == indices.ranking("dilution")
    bars = ax.patches[: 2 * len(order)]
    first, total = bars[: len(order)], bars[len(order) :]
    for name, f, t in zip(order, first, total, strict=True):
        assert f.get_width() == pytest.approx(indices.indices["dilution"][name].first.value)
        assert t.get_width() == pytest.approx(indices.indices["dilution"][name].total.value)
        assert f.get_hatch() in (None, "") and t.get_hatch() == INDEX_STYLES["total"][1]
    assert "limit value at" in ax.get_title()


def test_an_output_without_variance_or_not_analysed_is_refused(indices):
    with pytest.raises(InvalidParameterError, match="one value over the whole range"):
        sobol_bars(indices, "regime=passive")
    with pytest.raises(InvalidParameterError, match="was not analysed"):
        sobol_bars(indices, "transfer")
    with pytest.raises(InvalidParameterError, match="at least one result"):
        regime_shares([])


def test_the_two_kinds_of_index_differ_in_greyscale():
    def luma(colour):
        r, g, b = to_rgb(colour)
        return 0.299 * r + 0.587 * g + 0.114 * b

    assert abs(luma(INDEX_STYLES["first"][0]) - luma(INDEX_STYLES["total"][0])) > 0.5
