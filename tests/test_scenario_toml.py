"""Scenario files: the TOML format, formulas, the power and patience tables, grids,
errors; re-evaluation of formulas when a value changes."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from powergames.errors import FormulaError, InvalidParameterError, PowergamesError
from powergames.gridspec import parse_grid_spec
from powergames.partnership import (
    MesoPower,
    MicroPower,
    Parameters,
    Scenario,
    inherited_weight,
    load_scenario,
    relation_discount_factor,
)

HEAD = '[scenario]\nname = "test"\n'


def parameters(text: str) -> Parameters:
    return load_scenario(HEAD + "[parameters]\n" + text).parameters


def test_round_trip_through_toml_text() -> None:
    scenario = Scenario(
        name="round-trip",
        title='A "quoted" title\twith a tab',
        description='Line one,\nline two with a backslash \\ and """ quotes\r\n',
        passage="« Fait inédit jusque-là » \u0001\u007f",
        parameters=Parameters(oci_outside_option=-1.25, shared_paradigm=0.1, discount_factor=0.3),
        grid={
            "discount_factor": parse_grid_spec("0.1:0.9:17"),
            "oci_outside_option": [0.1, 2, 1e-05],
        },
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
        'oci_outside_option = "control_gain * 2 + funder_accountability"\n'
        'control_gain = "autonomy_value - 1"\n'
        "autonomy_value = 4\n"
        'funder_accountability = "membership_accountability / 2"\n'  # baseline 0.5
    )
    assert (p.autonomy_value, p.control_gain) == (4.0, 3.0)
    assert p.funder_accountability == 0.25 and p.membership_accountability == 0.5
    assert p.oci_outside_option == 6.25


def test_formula_functions_and_numbers() -> None:
    p = parameters('oci_outside_option = "max(1, sqrt(16)) + log(8, 2) - abs(-0.5) + 2^2 - pi*0"')
    assert p.oci_outside_option == pytest.approx(10.5)


@pytest.mark.parametrize(
    "table, message",
    [
        ('oci_outside_option = "oci_outside_option + 1"', "oci_outside_option .*refers to itself"),
        (
            'oci_outside_option = "control_gain"\ncontrol_gain = "autonomy_value"\n'
            'autonomy_value = "oci_outside_option * 2"',
            "cycle .*oci_outside_option -> control_gain -> autonomy_value -> oci_outside_option",
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
    with pytest.raises(FormulaError, match=r"\[parameters\] oci_outside_option"):
        parameters(f'oci_outside_option = "{formula}"')
    assert "owned" not in capfd.readouterr().out


@pytest.mark.parametrize(
    "table, error, message",
    [
        (
            'oci_outside_option = "foo + 1"',
            FormulaError,
            "oci_outside_option .*name 'foo' is not allowed",
        ),
        ("gain = 2", InvalidParameterError, r"\[parameters\] unknown parameter 'gain'"),
        ("[parameters.sub]\na = 1", InvalidParameterError, "unknown parameter 'sub'"),
        ("oci_outside_option = true", InvalidParameterError, "oci_outside_option must be a number"),
        (
            "oci_outside_option = [1, 2]",
            InvalidParameterError,
            "oci_outside_option must be a number",
        ),
        (
            "oci_outside_option = inf",
            InvalidParameterError,
            "oci_outside_option must be a finite number",
        ),
        ("discount_factor = 1", InvalidParameterError, r"discount_factor \(delta\) must be in"),
        ('discount_factor = "0.5 + 0.5"', InvalidParameterError, "discount_factor"),
        (
            'oci_outside_option = "exp(exp(exp(100)))"',
            FormulaError,
            "oci_outside_option .*not a finite real",
        ),
        (
            'oci_outside_option = "sqrt(shared_paradigm - 1)"',
            FormulaError,
            "oci_outside_option .*not a finite",
        ),
        (
            'oci_outside_option = "1 / shared_paradigm"',
            FormulaError,
            "oci_outside_option .*not a finite",
        ),
        ('oci_outside_option = ""', FormulaError, "oci_outside_option .*empty"),
        ('oci_outside_option = "2 +"', FormulaError, "oci_outside_option .*invalid syntax"),
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
        (HEAD + "[others]\na = 1", r"unknown table\(s\) 'others'"),
        (HEAD.replace("[scenario]\n", "stray = 1\n[scenario]\n"), "'stray'"),
        (HEAD + "[grid]\ngain = [1]", r"\[grid\] unknown parameter 'gain'"),
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
    text = HEAD + "[parameters]\noci_outside_option = = 2\n"
    with pytest.raises(InvalidParameterError, match=r"scenario text: invalid TOML at line 4"):
        load_scenario(text)
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidParameterError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert (
        "broken.toml" in message and "line 4" in message and "oci_outside_option = = 2" in message
    )
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
        Scenario("x", parameters=Parameters(oci_outside_option=np.array([1.0, 2.0])))
    with pytest.raises(InvalidParameterError, match="must be Parameters"):
        Scenario("x", parameters={"oci_outside_option": 1.0})  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="title must be a str"):
        Scenario("x", title=3)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match=r"unknown parameter 'gain'"):
        Scenario("x", grid={"gain": [1.0]})
    source = np.array([0.1, 0.2])
    scenario = Scenario("x", grid={"discount_factor": source})
    source[0] = 0.5  # the scenario keeps its own copy
    assert scenario.grid["discount_factor"].tolist() == [0.1, 0.2]
    with pytest.raises(TypeError):
        hash(scenario)


# ---------------------------------------------------------------------------------------
# Derived parameters: power, patience, and formulas that follow a changed value


def test_the_power_table_gives_the_inherited_weight() -> None:
    scenario = load_scenario(
        HEAD
        + "[power]\nmacro = 1.5\noci_meso = { critical_resources = 1.0 }\n"
        + "ngo_micro = { control_of_uncertainty = 0.5 }\n"
    )
    expected = inherited_weight(
        1.5,
        meso_oci=MesoPower(critical_resources=1.0),
        micro_ngo=MicroPower(control_of_uncertainty=0.5),
    )
    assert scenario.parameters.inherited_weight == pytest.approx(expected)
    assert load_scenario(scenario.to_toml()) == scenario


def test_the_patience_table_gives_the_discount_factor() -> None:
    scenario = load_scenario(HEAD + "[patience]\nrate = 0.05\nhazard = 0.4\ntrust = 0.75\n")
    expected = relation_discount_factor(0.05, 0.4, trust=0.75)
    assert scenario.parameters.discount_factor == pytest.approx(expected)
    assert load_scenario(scenario.to_toml()) == scenario


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[power]\nmacro = "x"\n', "macro must be a number"),
        ("[power]\nmeso = 1\n", "unknown key\\(s\\) 'meso'"),
        ("[power]\noci_meso = { trust = 1 }\n", "unknown key"),
        ("[power]\noci_micro = 1\n", "must be a table"),
        ("[patience]\nhazard = 0.1\n", "rate is missing"),
        ("[patience]\nrate = 0.1\nhazard = 2\n", "hazard"),
        (
            '[parameters]\ninherited_weight = "0.5"\n[power]\nmacro = 1\n',
            "derived from \\[power\\]",
        ),
    ],
)
def test_bad_power_and_patience_tables_refused(text: str, message: str) -> None:
    with pytest.raises(PowergamesError, match=message):
        load_scenario(HEAD + text)


def test_with_values_resolves_the_formulas_again() -> None:
    scenario = load_scenario(
        HEAD + "[parameters]\nfunder_accountability = 0.6\n"
        'membership_accountability = "funder_accountability / 2"\n'
    )
    assert scenario.parameters.membership_accountability == pytest.approx(0.3)
    changed = scenario.with_values(funder_accountability=1.0)
    assert changed.parameters.membership_accountability == pytest.approx(0.5)
    # A value set directly replaces its formula.
    fixed = scenario.with_values(membership_accountability=2.0)
    assert fixed.parameters.membership_accountability == 2.0
    assert "membership_accountability" not in fixed.formulas
    # A value set directly replaces the table it was derived from.
    derived = load_scenario(HEAD + "[power]\nmacro = 2\n")
    assert derived.with_values(inherited_weight=0.3).parameters.inherited_weight == 0.3
    with pytest.raises(InvalidParameterError, match="did you mean 'control_gain'"):
        scenario.with_values(control_gian=1.0)


def test_passages_are_kept_by_parameter() -> None:
    scenario = load_scenario(HEAD + '[passages]\ncontrol_gain = "« ... »"\n')
    assert scenario.passages == {"control_gain": "« ... »"}
    assert load_scenario(scenario.to_toml()) == scenario
    with pytest.raises(InvalidParameterError, match=r"\[passages\]"):
        load_scenario(HEAD + '[passages]\ngain = "« ... »"\n')


def test_a_version_1_scenario_with_a_transfer_is_told_what_changed() -> None:
    with pytest.raises(InvalidParameterError, match="transfer_floor"):
        load_scenario(HEAD + "[parameters]\ntransfer = 2.0\n")
