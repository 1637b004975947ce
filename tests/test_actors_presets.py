"""The nested game's presets, scenario files, tables and command line."""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from powergames.cli import main
from powergames.errors import InvalidParameterError
from powergames.partnership import REGIMES
from powergames.partnership.actors import NESTED_SPECS, NestedParameters, settle_nested
from powergames.partnership.actors.presets import (
    NESTED_PRESETS,
    list_nested_presets,
    load_nested_preset,
)
from powergames.partnership.actors.scenario import NestedScenario, load_nested_scenario
from powergames.tables import NestedModel, sweep
from powergames.tables.actors import COLUMNS, DEFAULT_COLUMNS

ARTICLE = os.environ.get("POWERGAMES_ARTICLE")


# -------------------------------------------------------------------- presets
def test_the_nested_presets_are_the_bundled_files():
    folder = resources.files("powergames").joinpath("data").joinpath("nested-presets")
    files = sorted(p.name for p in folder.iterdir() if p.name.endswith(".toml"))
    assert files == sorted(f"{name}.toml" for name in NESTED_PRESETS)
    assert [s.name for s in list_nested_presets()] == list(NESTED_PRESETS)


@pytest.mark.parametrize("name", NESTED_PRESETS)
def test_every_nested_preset_is_documented_parameter_by_parameter(name):
    scenario = load_nested_preset(name)
    assert scenario.title and scenario.expected_regime in REGIMES
    assert "Illustrative, not empirical" in scenario.description
    assert "«" in scenario.passage and "English:" in scenario.passage
    assert set(scenario.passages) == {spec.name for spec in NESTED_SPECS}
    for parameter, passage in scenario.passages.items():
        assert passage.startswith("«") and "»" in passage and "English:" in passage, parameter
    assert scenario.regime() == scenario.expected_regime


@pytest.mark.skipif(ARTICLE is None, reason="set POWERGAMES_ARTICLE to a copy of the article")
@pytest.mark.parametrize("name", NESTED_PRESETS)
def test_nested_passages_quote_the_article_verbatim(name):
    article = re.sub(r"\s+", " ", Path(str(ARTICLE)).read_text(encoding="utf-8"))
    scenario = load_nested_preset(name)
    for text in [scenario.passage, *scenario.passages.values()]:
        french = " ".join(part.split("English:")[0] for part in text.split("\n"))
        for quote in re.findall(r"« (.*?) »", re.sub(r"\s+", " ", french)):
            assert quote in article, quote


def test_the_two_ocis_differ_only_in_who_they_answer_to_and_their_membership():
    social, solidarity = (load_nested_preset(n).parameters for n in NESTED_PRESETS)
    differ = {name for name in social if social[name] != solidarity[name]}
    differ -= {n for n in social if np.isnan(social[n]) and np.isnan(solidarity[n])}
    assert differ == {
        "funder_accountability",
        "membership_accountability",
        "membership_mobilisation_cost",
        "membership_tolerance",
    }
    assert social.funder_accountability == solidarity.membership_accountability
    assert social.membership_accountability == solidarity.funder_accountability


def test_claim_nested_solidarity_economy_faces_fewer_conditions():
    # The model's answer on its presets: the solidarity-economy OCI's membership
    # mobilises until no condition is attached; the OCI is less tempted and the
    # partnership needs less patience and less dilution. The social-economy OCI's
    # membership mobilises just enough to keep the partnership, which a passive
    # membership would lose to the donor-beneficiary relation.
    social, solidarity = (load_nested_preset(n).parameters for n in NESTED_PRESETS)
    s, t = settle_nested(social), settle_nested(solidarity)
    assert s["regime"] == t["regime"] == "partnership"
    assert t["conditionality"] == 0.0 < s["conditionality"]
    assert t["temptation_oci"] < s["temptation_oci"]
    assert t["critical_discount_factor"] < s["critical_discount_factor"]
    assert t["dilution"] < s["dilution"]
    assert s["mobilisation"] > 0
    passive = settle_nested(social.replace(membership_mobilisation=0.0))
    assert passive["regime"] == "donor-beneficiary"


# ------------------------------------------------------------ scenario files
def test_a_nested_scenario_file_reads(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[scenario]\nname = "mine"\nexpected_regime = "partnership"\n'
        "[parameters]\nmembership_mobilisation = 1.0\n"
        '[grid]\nconditionality_cap = "0:2:3"\n',
        encoding="utf-8",
    )
    scenario = load_nested_scenario(path)
    assert scenario.parameters.membership_mobilisation == 1.0
    assert scenario.grid["conditionality_cap"].tolist() == [0.0, 1.0, 2.0]
    assert scenario.regime() == "partnership"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[scenario]\nname = "x"\n[parameters]\ncontrol_gian = 1', "did you mean 'control_gain'"),
        ('[scenario]\nname = "x"\n[parameters]\ncontrol_gain = "2"', "must be a number"),
        ('[scenario]\nname = "x"\n[parameters]\nmembership_accountability = 0', r"\(0, inf\)"),
        ('[scenario]\nname = "x"\n[power]\nmacro = 1', r"unknown table\(s\) 'power'"),
        ("[scenario]\n", "name is missing"),
        ('[scenario]\nname = "x"\n[grid]\noci_bargaining_weight = [2]', r"\[grid\]"),
        ("[scenario", "invalid TOML"),
    ],
)
def test_bad_nested_scenario_files_are_refused_by_name(text, message):
    with pytest.raises(InvalidParameterError, match=message):
        load_nested_scenario(text)


def test_unknown_nested_preset():
    with pytest.raises(InvalidParameterError, match="did you mean 'nested-social-economy'"):
        load_nested_preset("nested-social-econmy")
    with pytest.raises(InvalidParameterError, match="NestedParameters"):
        NestedScenario("x", parameters={"a": 1})  # type: ignore[arg-type]


# ---------------------------------------------------------------------- tables
def test_a_nested_preset_sweeps_through_the_adapter():
    table = sweep(load_nested_preset("nested-social-economy"), {"membership_mobilisation": [0, 1]})
    assert list(table.names) == ["membership_mobilisation", *DEFAULT_COLUMNS]
    assert table["regime"].tolist() == ["donor-beneficiary", "partnership"]
    assert isinstance(sweep(NestedParameters(), {"conditionality_cap": [1]}), type(table))


def test_every_nested_column_is_computed():
    table = sweep(NestedModel(), {"membership_mobilisation_cost": [1, 20]}, list(COLUMNS))
    assert len(table) == 2 and set(COLUMNS) <= set(table.names)


def test_unknown_nested_columns_and_parameters_are_refused():
    with pytest.raises(InvalidParameterError, match="did you mean conditionality"):
        sweep(NestedModel(), {"conditionality_cap": [1]}, ["conditionalty"])
    with pytest.raises(InvalidParameterError, match="unknown grid parameter"):
        sweep(NestedModel(), {"conditionality": [1]})


# ---------------------------------------------------------------- command line
def test_the_nested_table_on_the_command_line(capsys):
    status = main(
        [
            "table",
            "--model",
            "nested",
            "--preset",
            "nested-solidarity-economy",
            "--set",
            "membership_mobilisation=0",
            "--grid",
            "conditionality_cap=0,1",
            "--columns",
            "conditionality,ratification_binds,regime",
            "--format",
            "csv",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert out.splitlines() == [
        "conditionality_cap,conditionality,ratification_binds,regime",
        "0.0,0.0,False,partnership",
        "1.0,0.5,True,partnership",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["table", "--preset", "nested-social-economy"], "add --model nested"),
        (["table", "--model", "nested", "--preset", "social-economy"], "nested-social-economy"),
        (["table", "--model", "nested", "--preset", NESTED_PRESETS[0], "--grid", "g=1"], "g=1"),
        (["table", "--model", "nested", "--preset", NESTED_PRESETS[0], "--set", "x=1"], "x"),
    ],
)
def test_nested_options_are_checked(capsys, args, message):
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_the_nested_forms_on_the_command_line(capsys):
    assert main(["derive", "--model", "nested", "--preset", "nested-social-economy"]) == 0
    lines = capsys.readouterr().out.splitlines()
    conditionality = next(line for line in lines if line.startswith("conditionality (kappa*)"))
    assert conditionality.endswith("= 0.333333333333")
    assert any(line.startswith("stage: g = g_0 + gamma*kappa* = 1.5") for line in lines)
    critical = next(line for line in lines if line.startswith("critical_conditionality"))
    assert critical.endswith("= 0.333333333333")


def test_the_nested_forms_expand_in_the_actors_parameters(capsys):
    assert main(["derive", "--model", "nested", "--expanded"]) == 0
    lines = capsys.readouterr().out.splitlines()
    temptation = next(line for line in lines if line.startswith("temptation_oci = "))
    assert "g_0" in temptation and "gamma" in temptation and "kappa_bar" in temptation


def test_a_nested_regime_map_on_the_command_line(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out = tmp_path / "map.png"
    args = ["plot", "regime-map", "--model", "nested", "--preset", NESTED_PRESETS[0]]
    args += ["--x", "membership_mobilisation", "--y", "conditionality_cap"]
    assert main([*args, "--resolution", "12", "--out", str(out)]) == 0
    assert out.stat().st_size > 0


def test_a_nested_scenario_file_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[scenario]\nname = "mine"\ntitle = "Mine"\n[parameters]\nconditionality_cap = 0.5\n',
        encoding="utf-8",
    )
    args = [
        "table",
        "--model",
        "nested",
        "--scenario",
        str(path),
        "--set",
        "oci_bargaining_weight=1",
    ]
    assert main([*args, "--columns", "conditionality", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["conditionality", "0.0"]  # all the weight to the OCI: none


def test_the_strategy_leaves_the_mobilisation_to_the_membership_or_draws_it():
    from hypothesis import find

    from powergames.strategies import nested_parameters

    assert np.isnan(find(nested_parameters(chosen=True), lambda p: True).membership_mobilisation)
    drawn = find(nested_parameters(chosen=False), lambda p: p.membership_mobilisation > 0.5)
    assert 0.5 < drawn.membership_mobilisation <= 1


def test_a_nested_regime_map_names_the_base_groups_floor_in_its_legend():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from powergames.partnership.actors.presets import load_nested_preset
    from powergames.plot import OTHER_BINDING_LABELS, regime_map

    preset = load_nested_preset("nested-social-economy")
    floors, deltas = np.linspace(0, 5, 12), np.linspace(0.05, 0.95, 12)
    ax = regime_map(preset, "base_group_floor", "discount_factor", floors, deltas)
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert OTHER_BINDING_LABELS["base-group-floor"] in legend
    assert "base-group-floor" not in legend
