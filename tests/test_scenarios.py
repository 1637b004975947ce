"""Scenarios: the TOML format, formulas, grids, errors, and the five presets."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from powergames.errors import FormulaError, InvalidParameterError, PowergamesError
from powergames.partnership.closed_forms import evaluate
from powergames.partnership.parameters import BASELINE, Parameters
from powergames.partnership.regimes import REGIMES, classify
from powergames.partnership.scenarios import (
    PRESETS,
    Scenario,
    list_presets,
    load_preset,
    load_scenario,
    parse_grid_spec,
)

ARTICLE = Path("/work/shared/seeds/000_abc855d3b5d7f656.txt")
HEAD = '[scenario]\nname = "test"\n'


def regime_of(params: Parameters) -> str:
    """The regime through the closed forms, with a* = clip(a0, window_min, window_max)."""
    v = evaluate(params)
    weight = np.clip(params.inherited_weight, v["window_min"], v["window_max"])
    return str(
        classify(
            v["temptation_oci"],
            v["temptation_ngo"],
            v["surplus"],
            v["donor_beneficiary_surplus"],
            params.discount_factor,
            v["critical_discount_factor"],
            weight,
        )
    )


def parameters(text: str) -> Parameters:
    return load_scenario(HEAD + "[parameters]\n" + text).parameters


# ---------------------------------------------------------------------------------------
# Presets


def test_presets_listed_match_the_bundled_files() -> None:
    folder = resources.files("powergames").joinpath("data").joinpath("presets")
    files = sorted(p.name for p in folder.iterdir() if p.name.endswith(".toml"))
    assert files == sorted(f"{name}.toml" for name in PRESETS)
    assert [s.name for s in list_presets()] == list(PRESETS)


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads_documented(name: str) -> None:
    scenario = load_preset(name)
    assert scenario.name == name
    assert scenario.title and scenario.expected_regime in REGIMES
    assert "Illustrative, not empirical" in scenario.description
    assert "«" in scenario.passage and "English:" in scenario.passage
    assert not scenario.parameters.shape and not scenario.parameters.is_symbolic


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_shows_its_expected_regime(name: str) -> None:
    scenario = load_preset(name)
    assert regime_of(scenario.parameters) == scenario.expected_regime
    assert scenario.regime() == scenario.expected_regime


@pytest.mark.skipif(not ARTICLE.exists(), reason="the article is not on this machine")
@pytest.mark.parametrize("name", PRESETS)
def test_passages_quote_the_article_verbatim(name: str) -> None:
    article = re.sub(r"\s+", " ", ARTICLE.read_text(encoding="utf-8"))
    french = load_preset(name).passage.split("English:")[0]
    quotes = re.findall(r"« (.*?) »(?: \[…\]|\s*$)", re.sub(r"\s+", " ", french).strip())
    assert quotes
    for quote in quotes:
        assert quote in article


def test_historical_presets_read_as_designed() -> None:
    donor, collaboration, partnership = (evaluate(load_preset(n).parameters) for n in PRESETS[:3])
    db = load_preset("donor-beneficiary-1960s").parameters
    # 1960s: no shared paradigm, both tempted, impatient: the partnership does not hold.
    assert db.shared_paradigm == 0 and db.membership_accountability == 0.25
    assert donor["temptation_oci"] > 0 and donor["temptation_ngo"] > 0
    assert db.discount_factor < donor["critical_discount_factor"]
    assert donor["donor_beneficiary_surplus"] > 0
    # 1970s-80s: neither is tempted, whatever the discount factor.
    assert collaboration["temptation_oci"] <= 0 and collaboration["temptation_ngo"] <= 0
    col = load_preset("collaboration-1970s").parameters
    for delta in (0.0, 0.2, 0.9):
        assert regime_of(col.replace(discount_factor=delta)) == "collaboration"
    # 1990s: the baseline B0 of DESIGN.md.
    p = load_preset("partnership-1990s").parameters
    assert dict(p) == BASELINE
    assert partnership["temptation_oci"] > 0 and partnership["temptation_ngo"] > 0
    assert partnership["critical_discount_factor"] == pytest.approx(3 / 11)
    assert (partnership["window_min"], partnership["window_max"]) == pytest.approx((1 / 4, 7 / 8))
    assert partnership["dilution"] == pytest.approx(1 / 40)
    # ... which is not sustainable without the long term.
    assert regime_of(p.replace(discount_factor=0.2)) == "donor-beneficiary"


def test_partnership_preset_default_grid() -> None:
    grid = load_preset("partnership-1990s").grid
    np.testing.assert_allclose(grid["discount_factor"], np.linspace(0.2, 0.95, 16))
    np.testing.assert_allclose(grid["inherited_weight"], np.linspace(0.5, 0.95, 10))
    assert not grid["discount_factor"].flags.writeable


DELTAS = np.linspace(0.02, 0.98, 49)


def dilution_across(params: Parameters, deltas: np.ndarray = DELTAS) -> np.ndarray:
    """d* at each discount factor (one scalar evaluation per point)."""
    return np.array([evaluate(params.replace(discount_factor=d))["dilution"] for d in deltas])


def test_solidarity_needs_no_more_dilution_than_social_economy() -> None:
    social = load_preset("social-economy").parameters
    solidarity = load_preset("solidarity-economy").parameters
    assert social.discount_factor == solidarity.discount_factor
    assert social.inherited_weight == solidarity.inherited_weight
    # the presets' premises: more paradigm and moral legitimacy, less pragmatic legitimacy
    assert solidarity.shared_paradigm > social.shared_paradigm
    assert solidarity.moral_legitimacy > social.moral_legitimacy
    assert social.pragmatic_legitimacy > solidarity.pragmatic_legitimacy
    d_social = dilution_across(social)
    d_solidarity = dilution_across(solidarity)
    assert np.all(d_solidarity <= d_social)
    assert np.any(d_solidarity < d_social)  # strictly less where the social economy dilutes
    at_default = evaluate(social)["dilution"], evaluate(solidarity)["dilution"]
    assert at_default[0] > 0 and at_default[1] == 0


def test_the_dilution_ordering_comes_from_paradigm_and_moral_legitimacy() -> None:
    """With one weight a0 the ordering is that of T_S+ / Sigma; give the solidarity preset
    the social economy's paradigm and moral legitimacy and, with its smaller pragmatic
    legitimacy, it needs *more* dilution: the comparison rests on those two premises."""
    social = load_preset("social-economy").parameters
    solidarity = load_preset("solidarity-economy").parameters
    ratios = []
    for params in (social, solidarity):
        v = evaluate(params)
        ratios.append(max(v["temptation_ngo"], 0) / v["surplus"])
    assert ratios[1] < ratios[0]
    stripped = solidarity.replace(
        shared_paradigm=social.shared_paradigm, moral_legitimacy=social.moral_legitimacy
    )
    d_social = dilution_across(social)
    d_stripped = dilution_across(stripped)
    assert np.all(d_stripped >= d_social) and np.any(d_stripped > d_social)


@pytest.mark.parametrize("name", ["social-economy", "solidarity-economy"])
def test_oci_kinds_are_partnerships_with_both_tempted(name: str) -> None:
    v = evaluate(load_preset(name).parameters)
    assert v["temptation_oci"] > 0 and v["temptation_ngo"] > 0
    assert load_preset(name).regime() == "partnership"


def test_unknown_preset() -> None:
    with pytest.raises(InvalidParameterError, match=r"unknown preset '\.\./x'.*partnership-1990s"):
        load_preset("../x")


# ---------------------------------------------------------------------------------------
# The format


def test_round_trip_through_toml_text() -> None:
    scenario = Scenario(
        name="round-trip",
        title='A "quoted" title\twith a tab',
        description='Line one,\nline two with a backslash \\ and """ quotes\r\n',
        passage="« Fait inédit jusque-là » \u0001\u007f",
        parameters=Parameters(transfer=-1.25, shared_paradigm=0.1, discount_factor=0.3),
        grid={"discount_factor": parse_grid_spec("0.1:0.9:17"), "transfer": [0.1, 2, 1e-05]},
        expected_regime="partnership",
    )
    text = scenario.to_toml()
    assert load_scenario(text) == scenario
    assert load_scenario(Scenario("bare").to_toml()) == Scenario("bare")
    assert scenario != Scenario("round-trip")


@given(st.text(max_size=40), st.text(max_size=40))
def test_round_trip_of_any_text(title: str, description: str) -> None:
    scenario = Scenario("s", title=title, description=description)
    assert load_scenario(scenario.to_toml()) == scenario


def test_written_toml_text_loads(tmp_path: Path) -> None:
    text = """
[scenario]
name = "written"
title = "Written by hand"
description = "Illustrative."
passage = "« ... »"
expected_regime = "collaboration"

[parameters]
shared_paradigm = 1
control_gain = 2.5

[grid]
shared_paradigm = [0, 0.5, 1]
discount_factor = "0.2:0.95:16"
"""
    from_text = load_scenario(text)
    path = tmp_path / "written.toml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path) == load_scenario(str(path)) == from_text
    assert from_text.parameters == Parameters(shared_paradigm=1.0, control_gain=2.5)
    assert from_text.grid["shared_paradigm"].tolist() == [0.0, 0.5, 1.0]
    assert from_text.regime() == "collaboration"


def test_minimal_scenario_is_the_baseline() -> None:
    scenario = load_scenario(HEAD)
    assert scenario.parameters == Parameters() and scenario.grid == {}
    assert scenario.expected_regime is None and scenario.title == ""


# ---------------------------------------------------------------------------------------
# Formulas


def test_formulas_resolved_in_dependency_order() -> None:
    p = parameters(
        'transfer = "control_gain * 2 + funder_accountability"\n'
        'control_gain = "autonomy_value - 1"\n'
        "autonomy_value = 4\n"
        'funder_accountability = "membership_accountability / 2"\n'  # baseline 0.5
    )
    assert (p.autonomy_value, p.control_gain) == (4.0, 3.0)
    assert p.funder_accountability == 0.25 and p.membership_accountability == 0.5
    assert p.transfer == 6.25


def test_formula_functions_and_numbers() -> None:
    p = parameters('transfer = "max(1, sqrt(16)) + log(8, 2) - abs(-0.5) + 2^2 - pi*0"')
    assert p.transfer == pytest.approx(10.5)


@pytest.mark.parametrize(
    "table, message",
    [
        ('transfer = "transfer + 1"', "transfer .*refers to itself"),
        (
            'transfer = "control_gain"\ncontrol_gain = "autonomy_value"\n'
            'autonomy_value = "transfer * 2"',
            "cycle .*transfer -> control_gain -> autonomy_value -> transfer",
        ),
    ],
)
def test_cycles_refused(table: str, message: str) -> None:
    with pytest.raises(FormulaError, match=message):
        parameters(table)


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os').system('echo owned')",
        "__import__('os')",
        "().__class__.__bases__[0]",
        "eval('1')",
        "lambda: 1",
        "[x for x in ()]",
    ],
)
def test_code_in_formulas_refused(formula: str, capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(FormulaError, match=r"\[parameters\] transfer"):
        parameters(f'transfer = "{formula}"')
    assert "owned" not in capfd.readouterr().out


@pytest.mark.parametrize(
    "table, error, message",
    [
        ('transfer = "foo + 1"', FormulaError, "transfer .*name 'foo' is not allowed"),
        ("gain = 2", InvalidParameterError, r"\[parameters\]: unknown key\(s\) 'gain'"),
        ("[parameters.sub]\na = 1", InvalidParameterError, "unknown key.*'sub'"),
        ("transfer = true", InvalidParameterError, "transfer must be a number"),
        ("transfer = [1, 2]", InvalidParameterError, "transfer must be a number"),
        ("transfer = inf", InvalidParameterError, "transfer must be a finite number"),
        ("discount_factor = 1", InvalidParameterError, r"discount_factor \(delta\) must be in"),
        ('discount_factor = "0.5 + 0.5"', InvalidParameterError, "discount_factor"),
        ('transfer = "exp(exp(exp(100)))"', FormulaError, "transfer .*not a finite real"),
        ('transfer = "sqrt(shared_paradigm - 1)"', FormulaError, "transfer .*not a finite"),
        ('transfer = "1 / shared_paradigm"', FormulaError, "transfer .*not a finite"),
        ('transfer = ""', FormulaError, "transfer .*empty"),
        ('transfer = "2 +"', FormulaError, "transfer .*invalid syntax"),
    ],
)
def test_bad_parameters_refused(table: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        parameters(table)


# ---------------------------------------------------------------------------------------
# Unknown keys and tables, bad scenario fields


@pytest.mark.parametrize(
    "text, message",
    [
        (HEAD + 'colour = "red"', r"\[scenario\]: unknown key\(s\) 'colour'"),
        (HEAD + "[others]\na = 1", r"unknown table\(s\) or key\(s\) 'others'"),
        (HEAD.replace("[scenario]\n", "stray = 1\n[scenario]\n"), "'stray'"),
        (HEAD + "[grid]\ngain = [1]", r"\[grid\]: unknown key\(s\) 'gain'"),
        ('[scenario]\ntitle = "no name"', "name is missing"),
        ("[parameters]\ntransfer = 1", r"\[scenario\] is missing"),
        ("[scenario]\nname = 3", "name must be a string"),
        ('[scenario]\nname = ""', "non-empty"),
        (HEAD + 'expected_regime = "harmony"', "expected_regime must be one of"),
        ('scenario = "flat"\n', r"\[scenario\] must be a table"),
    ],
)
def test_bad_scenarios_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidParameterError, match=message):
        load_scenario(text)


def test_toml_syntax_error_reports_its_line(tmp_path: Path) -> None:
    text = HEAD + "[parameters]\ntransfer = = 2\n"
    with pytest.raises(InvalidParameterError, match=r"scenario text: invalid TOML at line 4"):
        load_scenario(text)
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidParameterError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert "broken.toml" in message and "line 4" in message and "transfer = = 2" in message
    assert isinstance(caught.value, PowergamesError)


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(HEAD + "[parameters]\ngain = 1\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match=r"scenario file '.*bad\.toml': \[parameters\]"):
        load_scenario(path)
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(InvalidParameterError, match="not UTF-8"):
        load_scenario(path)
    with pytest.raises(FileNotFoundError):
        load_scenario(tmp_path / "missing.toml")


# ---------------------------------------------------------------------------------------
# Grids


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0.2:0.95:16", np.linspace(0.2, 0.95, 16)),
        (" 0 : 1 : 3 ", [0.0, 0.5, 1.0]),
        ("1:0:3", [1.0, 0.5, 0.0]),
        ("-2:2:1", [-2.0]),
        ("1e-3:2e-3:2", [0.001, 0.002]),
    ],
)
def test_grid_specs_parsed(text: str, expected: list[float]) -> None:
    values = parse_grid_spec(text)
    assert values.dtype == np.float64 and values.ndim == 1
    np.testing.assert_allclose(values, expected, rtol=0, atol=1e-15)
    start, stop, _ = (float(part) for part in text.split(":"))
    assert values[0] == start  # the ends exactly
    assert values[-1] == (stop if len(expected) > 1 else start)


@pytest.mark.parametrize(
    "text, message",
    [
        ("0:1", "must have the form start:stop:num"),
        ("0:1:2:3", "must have the form"),
        ("", "must have the form"),
        ("a:1:2", "start must be a finite number, got 'a'"),
        ("0:inf:2", "stop must be a finite number, got 'inf'"),
        ("nan:1:2", "start must be a finite number"),
        ("0:1:0", "num must be a whole number >= 1, got '0'"),
        ("0:1:-3", "num must be a whole number >= 1"),
        ("0:1:2.5", "num must be a whole number >= 1, got '2.5'"),
        ("0:1:", "num must be a whole number"),
        ("0:1:10000000", "num must be at most"),
    ],
)
def test_bad_grid_specs_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidParameterError, match=re.escape(repr(text)) + ".*" + message):
        parse_grid_spec(text)


def test_grid_spec_must_be_text() -> None:
    with pytest.raises(InvalidParameterError, match="must be a str"):
        parse_grid_spec(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "grid, message",
    [
        ('discount_factor = "0:1:5"', r"\[grid\] discount_factor: .*must be in \[0, 1\)"),
        ('discount_factor = "0:0.9:x"', r"\[grid\] discount_factor: grid spec '0:0.9:x'"),
        ("discount_factor = []", "non-empty list"),
        ('discount_factor = [0.1, "a"]', "numbers only"),
        ("discount_factor = [0.1, true]", "numbers only"),
        ("discount_factor = [[0.1]]", "numbers only"),
        ("discount_factor = 0.5", "non-empty list of numbers or a string"),
        ("shared_paradigm = [0, 2]", r"shared_paradigm \(phi\) must be in \[0, 1\]"),
    ],
)
def test_bad_grids_refused(grid: str, message: str) -> None:
    with pytest.raises(InvalidParameterError, match=message):
        load_scenario(HEAD + "[grid]\n" + grid)


def test_scenario_validates_its_fields() -> None:
    with pytest.raises(InvalidParameterError, match="numbers"):
        Scenario("x", parameters=Parameters(transfer=np.array([1.0, 2.0])))
    with pytest.raises(InvalidParameterError, match="must be Parameters"):
        Scenario("x", parameters={"transfer": 1.0})  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="title must be a str"):
        Scenario("x", title=3)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match=r"unknown key\(s\) 'gain'"):
        Scenario("x", grid={"gain": [1.0]})
    source = np.array([0.1, 0.2])
    scenario = Scenario("x", grid={"discount_factor": source})
    source[0] = 0.5  # the scenario keeps its own copy
    assert scenario.grid["discount_factor"].tolist() == [0.1, 0.2]
    with pytest.raises(TypeError):
        hash(scenario)
