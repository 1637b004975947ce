"""Figures of the dynamic model: the path over time and the policy map."""

from __future__ import annotations

import numpy as np
import pytest

from powergames import simulate
from powergames.errors import InvalidParameterError
from powergames.partnership import REGIMES
from powergames.partnership.dynamics import load_dynamic_preset, solve

pytest.importorskip("matplotlib")

from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from powergames.plot import REGIME_COLOURS, REGIME_HATCHES, policy_map, trajectory_plot

HISTORY = load_dynamic_preset("historical-path")


@pytest.fixture(scope="module")
def path():
    return simulate(HISTORY, periods=45, eras=HISTORY.eras(45), seed=1)


def test_the_regime_strip_colours_each_period_by_its_regime(path):
    figure = trajectory_plot(path)
    strip = figure.axes[1]
    # The regimes above the eras' shading (zorder 0).
    patches = [p for p in strip.patches if isinstance(p, Rectangle) and p.get_zorder() == 2]
    covered = []
    for patch in patches:
        first = round(patch.get_x() + 0.5)
        for t in range(first, first + round(patch.get_width())):
            regime = str(path["regime"][t])
            assert to_hex(patch.get_facecolor()) == REGIME_COLOURS[regime].lower()
            assert patch.get_hatch() in (REGIME_HATCHES[regime], None)
            covered.append(t)
    assert covered == list(range(45))


def test_the_path_plot_draws_the_stocks_and_names_the_eras(path):
    figure = trajectory_plot(path)
    top, _, right = figure.axes
    (legitimacy,) = [line for line in top.get_lines() if not line.get_label().startswith("_")]
    trust, weight = right.get_lines()
    assert np.array_equal(legitimacy.get_ydata(), path["moral_legitimacy"])
    assert np.array_equal(trust.get_ydata(), path["shared_paradigm"])
    assert np.array_equal(weight.get_ydata(), path["weight"], equal_nan=True)
    assert {legitimacy.get_linestyle(), trust.get_linestyle(), weight.get_linestyle()} == {
        "-",
        "--",
        ":",
    }
    labels = [text.get_text().replace("\n", "") for text in top.texts]
    assert labels == list(HISTORY.model.chain.names)
    assert figure._suptitle.get_text() == HISTORY.model.title


def test_the_path_plot_refuses_what_is_not_a_path():
    with pytest.raises(InvalidParameterError, match="no 'period'"):
        trajectory_plot({"regime": np.array(["breakdown"])})


def test_the_policy_map_colours_each_state_by_its_regime(path):
    solution = solve(HISTORY.model)
    figure = policy_map(solution, path=path)
    names = list(REGIMES)
    for ax, era in zip(figure.axes, HISTORY.model.chain.names, strict=True):
        assert ax.get_title() == era
        mesh = ax.collections[0]
        codes = np.asarray(mesh.get_array()).reshape(HISTORY.model.grid.shape)
        expected = np.vectorize(names.index)(solution.policy_map(era))
        assert np.array_equal(codes, expected)
        visited = np.asarray(path["era"]) == era
        drawn = ax.get_lines()[1]
        assert np.array_equal(drawn.get_xdata(), path["shared_paradigm"][visited])


def test_the_policy_map_draws_the_eras_asked_for():
    solution = solve(HISTORY.model)
    figure = policy_map(solution, eras=["partnership-1990s"], legend=False)
    assert [ax.get_title() for ax in figure.axes] == ["partnership-1990s"]
    assert not figure.axes[0].get_lines()
    with pytest.raises(InvalidParameterError, match="unknown era"):
        policy_map(solution, eras=["1990s"])
