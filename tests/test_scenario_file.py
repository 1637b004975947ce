"""What the model's TOML files share (:mod:`powergames.partnership.scenario_file`): the
dyadic scenarios, the nested ones and the codebooks read a file, report a syntax error
and check a scenario's head, passages and grid the same way."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from powergames.errors import InvalidParameterError
from powergames.partnership.actors.parameters import NESTED_SPECS, check_nested_name
from powergames.partnership.actors.scenario import NestedScenario, load_nested_scenario
from powergames.partnership.evidence.codebook import load_codebook
from powergames.partnership.parameters import SPECS, check_name
from powergames.partnership.scenario import Scenario
from powergames.partnership.scenario_file import check_grid, read_head, read_toml
from powergames.partnership.scenario_toml import load_scenario

HEAD = '[scenario]\nname = "x"\n'
CODEBOOK = (
    '[codebook]\nname = "demo"\n[codes.mobilisation.levels.weak]\nmoral_legitimacy = [0.5, 2]\n'
    "[codes.mobilisation.levels.strong]\nmoral_legitimacy = [2, 5]\n"
)
READERS = [
    pytest.param(load_scenario, "scenario", HEAD, id="dyadic"),
    pytest.param(load_nested_scenario, "scenario", HEAD, id="nested"),
    pytest.param(load_codebook, "codebook", CODEBOOK, id="codebook"),
]


@pytest.mark.parametrize(("read", "kind", "good"), READERS)
def test_a_syntax_error_names_the_source_and_the_line(read, kind, good, tmp_path: Path) -> None:
    text = good + "[parameters]\ncontrol_gain = = 2\n"
    line = text.splitlines().index("control_gain = = 2") + 1
    where = rf"invalid TOML at line {line} \(control_gain = = 2\): Invalid value"
    with pytest.raises(InvalidParameterError, match=rf"^{kind} text: {where}"):
        read(text)
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidParameterError, match=rf"^{kind} file '.*broken\.toml': {where}"):
        read(path)


@pytest.mark.parametrize(("read", "kind", "good"), READERS)
def test_files_are_read_as_utf8_text_by_path(read, kind, good, tmp_path: Path) -> None:
    path = tmp_path / "good.toml"
    path.write_bytes(b"\xef\xbb\xbf" + good.encode("utf-8"))  # a byte-order mark is allowed
    assert read(path).name == read(str(path)).name == read(good).name
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(InvalidParameterError, match=rf"^{kind} file '.*good\.toml': not UTF-8"):
        read(path)
    with pytest.raises(FileNotFoundError):
        read(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[passages]\n", "the table [scenario] is missing"),
        ("[scenario]\n", "[scenario] name is missing"),
        ("[scenario]\nname = 3", "[scenario] name must be a string, got 3"),
        (HEAD + "title = []", "[scenario] title must be a string, got []"),
        (HEAD + "colour = 1", "[scenario]: unknown key(s) 'colour'; the keys are name, title, "),
        ('[scenario]\nname = ""', "a scenario's name must be a non-empty str, got ''"),
        (HEAD + 'expected_regime = "harmony"', "expected_regime must be one of "),
        (HEAD + "[passages]\ndiscount_factor = 1", "[passages] discount_factor must be a string"),
        (HEAD + "[grid]\ndiscount_factor = []", "[grid] discount_factor must be a non-empty "),
        (HEAD + "[grid]\ndiscount_factor = [true]", "[grid] discount_factor must hold numbers"),
        (HEAD + '[grid]\ndiscount_factor = "0:1:x"', "[grid] discount_factor: grid spec "),
        (HEAD + "[grid]\ndiscount_factor = [1]", "[grid] discount_factor: discount_factor "),
        (HEAD + "grid = 3", "[scenario]: unknown key(s) 'grid'"),
    ],
)
def test_dyadic_and_nested_scenarios_refuse_a_bad_head_alike(text: str, message: str) -> None:
    messages = []
    for read in (load_scenario, load_nested_scenario):
        with pytest.raises(InvalidParameterError) as caught:
            read(text)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert messages[0].startswith("scenario text: " + message)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " "}, "a scenario's name must be a non-empty str, got ' '"),
        ({"description": 1}, "a scenario's description must be a str, got 1"),
        ({"parameters": {}}, "a scenario's parameters must be {}, got dict"),
        ({"grid": 3}, "a scenario's grid must map parameter names to values, got 3"),
        ({"passages": {"shared_paradigm": 2}}, "[passages] shared_paradigm must be a string"),
        ({"expected_regime": "peace"}, "expected_regime must be one of "),
    ],
)
def test_both_scenarios_check_their_fields_alike(fields: dict, message: str) -> None:
    for kind, parameters in ((Scenario, "Parameters"), (NestedScenario, "NestedParameters")):
        with pytest.raises(InvalidParameterError) as caught:
            kind(**{"name": "x", **fields})
        assert str(caught.value).startswith(message.format(parameters))


def test_read_head_gives_every_key_of_the_head() -> None:
    data = read_toml(HEAD + 'expected_regime = "partnership"', "scenario text")
    assert read_head(data) == {
        "name": "x",
        "title": "",
        "description": "",
        "passage": "",
        "expected_regime": "partnership",
    }
    assert read_head(read_toml(HEAD, "scenario text"))["expected_regime"] is None


def test_a_nested_number_too_large_for_a_float_is_refused() -> None:
    text = HEAD + "[parameters]\nconditionality_cap = 1" + "0" * 400
    with pytest.raises(InvalidParameterError, match="conditionality_cap must be a finite number"):
        load_nested_scenario(text)


SPEC_SETS = [(SPECS, check_name), (NESTED_SPECS, check_nested_name)]


def _accepts(spec, value: float) -> bool:
    try:
        spec.check(value)
    except InvalidParameterError:
        return False
    return True


@given(
    st.sampled_from(SPEC_SETS).flatmap(
        lambda pair: st.tuples(st.just(pair), st.sampled_from(pair[0]))
    ),
    st.lists(
        st.one_of(st.floats(-10, 10), st.sampled_from([0.0, 1.0, -1.0]), st.integers(-3, 3)),
        min_size=1,
        max_size=6,
    ),
)
def test_a_grid_accepts_exactly_the_values_its_parameter_accepts(chosen, values) -> None:
    (specs, check), spec = chosen
    if all(_accepts(spec, value) for value in values):
        grid = check_grid({spec.name: values}, specs, check)[spec.name]
        assert grid.dtype == np.float64 and not grid.flags.writeable
        assert grid.tolist() == [float(value) for value in values]
    else:
        with pytest.raises(InvalidParameterError, match=rf"^\[grid\] {spec.name}: {spec.name}"):
            check_grid({spec.name: values}, specs, check)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[power]\nmacro = "a"', "scenario text: [power] macro must be a number, got str 'a'"),
        ("[patience]\nrate = true", "scenario text: [patience] rate must be a number, got bool"),
        ("[patience]\nrate = 1" + "0" * 400, "scenario text: [patience] rate must be a finite"),
        ("[parameters]\ncontrol_gain = [1]", "scenario text: [parameters] control_gain must be "),
    ],
)
def test_a_number_of_a_table_is_refused_by_that_table_and_key(table: str, message: str) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        load_scenario(HEAD + table)
    assert str(caught.value).startswith(message)
    if table.startswith("[parameters]"):
        assert "a number or a formula string, got list [1]" in str(caught.value)
