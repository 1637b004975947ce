"""Regime maps: what is drawn is what the tables say."""

from __future__ import annotations

import numpy as np
import pytest

from powergames import InvalidParameterError, sweep
from powergames.partnership import REGIMES, Parameters, load_preset

pytest.importorskip("matplotlib")

from powergames.plot import REGIME_COLOURS, default_range, regime_map

XS = np.linspace(0.05, 0.95, 19)
YS = np.linspace(0.3, 1.0, 15)


def drawn(ax):
    mesh = ax.collections[0]
    return np.asarray(mesh.get_array()).reshape(len(YS), len(XS))


def test_each_cell_has_the_colour_of_its_regime_in_the_table():
    preset = load_preset("solidarity-economy")
    ax = regime_map(preset, "discount_factor", "inherited_weight", XS, YS)
    table = sweep(preset, {"inherited_weight": YS, "discount_factor": XS}, ["regime"])
    names = list(REGIMES)
    codes = np.array([names.index(r) for r in table["regime"].tolist()]).reshape(len(YS), len(XS))
    np.testing.assert_array_equal(drawn(ax), codes)
    # Both regimes of this plane appear, each in its own colour and in the legend.
    assert set(table["regime"].tolist()) == {"partnership", "donor-beneficiary"}
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "dilution" in " ".join(legend)  # the second legend: the curves
    regimes = ax.artists[0] if ax.artists else None
    assert regimes is not None
    assert {t.get_text() for t in regimes.get_texts()} == {"partnership", "donor-beneficiary"}
    assert REGIME_COLOURS["partnership"] != REGIME_COLOURS["donor-beneficiary"]


def test_the_critical_discount_factor_is_drawn_where_the_table_puts_it():
    ax = regime_map(Parameters(), "discount_factor", "inherited_weight", XS, YS)
    (line,) = ax.get_lines()
    x, y = line.get_data()
    np.testing.assert_allclose(y, YS)
    np.testing.assert_allclose(x, 3 / 11)  # delta** at the baseline, for every a0


def test_title_and_legend_can_be_left_out():
    ax = regime_map(
        load_preset("partnership-1990s"),
        "discount_factor",
        "inherited_weight",
        XS,
        YS,
        title="",
        legend=False,
    )
    assert ax.get_title() == "" and ax.get_legend() is None and not ax.artists


def test_panels_share_a_figure():
    from matplotlib.figure import Figure

    figure = Figure()
    left, right = figure.subplots(1, 2)
    regime_map(Parameters(), "discount_factor", "shared_paradigm", XS, YS - 0.3, ax=left)
    regime_map(Parameters(), "moral_legitimacy", "shared_paradigm", [1, 2, 3], [0, 1], ax=right)
    assert left.figure is right.figure and right.get_xlabel().startswith("moral legitimacy")


@pytest.mark.parametrize(
    ("x", "y", "xs", "message"),
    [
        ("discount_factor", "discount_factor", XS, "two different parameters"),
        ("nope", "inherited_weight", XS, "unknown grid parameter"),
        ("discount_factor", "inherited_weight", [0.5], "at least two values of discount_factor"),
        ("discount_factor", "inherited_weight", [0.5, 1.0], "discount_factor"),
    ],
)
def test_bad_maps_are_refused(x, y, xs, message):
    with pytest.raises(InvalidParameterError, match=message):
        regime_map(Parameters(), x, y, xs, YS)


def test_default_ranges_lie_in_the_domains():
    for name in ("discount_factor", "inherited_weight", "shared_paradigm", "transfer_floor"):
        low, high = default_range(name)
        assert low < high
        Parameters(**{name: np.array([low, high])})  # accepted: inside the domain
