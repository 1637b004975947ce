"""Codebooks: the levels of coded findings mapped to ranges, validated, and a coded
case as a scenario."""

from __future__ import annotations

import pytest

from powergames.errors import InvalidParameterError
from powergames.partnership.evidence import (
    Triangular,
    Uniform,
    case_scenario,
    example_path,
    load_codebook,
    read_qdpx,
    uncertainty,
)

GOOD = """
[codebook]
name = "demo"
description = "Two codes."

[parameters]
discount_factor = 0.6
membership_accountability = "funder_accountability"

[codes.mobilisation]
qda_code = "Base mobilisation"
[codes.mobilisation.levels.weak]
segments = 0
pragmatic_legitimacy = [1, 3]
moral_legitimacy = [0.5, 1]
[codes.mobilisation.levels.moderate]
segments = 2
pragmatic_legitimacy = [3, 5]
moral_legitimacy = [1, 2]
[codes.mobilisation.levels.strong]
segments = 5
pragmatic_legitimacy = { distribution = "triangular", low = 5, mode = 6, high = 8 }
moral_legitimacy = [2, 4]

[codes.trust]
[codes.trust.levels.low]
segments = 0
transfer_floor = [1, 2]
[codes.trust.levels.high]
segments = 3
transfer_floor = [0, 1]
"""


def test_a_codebook_reads_levels_in_order_and_gives_case_scenarios():
    codebook = load_codebook(GOOD)
    mobilisation = codebook.code("mobilisation")
    assert [level.name for level in mobilisation.levels] == ["weak", "moderate", "strong"]
    assert mobilisation.parameters == ("pragmatic_legitimacy", "moral_legitimacy")
    case = case_scenario(codebook, {"mobilisation": "strong", "trust": "high"}, name="ngo-a")
    assert case.ranges == {
        "pragmatic_legitimacy": Triangular(5, 6, 8),
        "moral_legitimacy": Uniform(2, 4),
        "transfer_floor": Uniform(0, 1),
    }
    assert case.parameters.discount_factor == 0.6  # from [parameters]
    assert case.formulas == {"membership_accountability": "funder_accountability"}
    assert "mobilisation = strong" in case.description


def test_a_code_left_uncoded_keeps_the_base_values():
    case = case_scenario(load_codebook(GOOD), {"trust": "low"})
    assert set(case.ranges) == {"transfer_floor"}
    assert case.parameters.pragmatic_legitimacy == 4.0


def test_levels_follow_the_thresholds_of_coded_segments():
    codebook = load_codebook(GOOD)
    counts = {"Base mobilisation": 0, "trust": 0, "Other": 9}
    for segments, level in [
        (0, "weak"),
        (1, "weak"),
        (2, "moderate"),
        (4, "moderate"),
        (5, "strong"),
        (50, "strong"),
    ]:
        counts["Base mobilisation"] = segments
        assert codebook.levels_from_counts(counts)["mobilisation"] == level
    assert codebook.levels_from_counts({"Parent/Base mobilisation": 3, "trust": 3}) == {
        "mobilisation": "moderate",
        "trust": "high",
    }


def test_a_name_that_several_codes_share_must_be_given_as_a_path():
    with pytest.raises(InvalidParameterError, match="names several codes"):
        load_codebook(GOOD).levels_from_counts(
            {"A/Base mobilisation": 1, "B/Base mobilisation": 2, "trust": 0}
        )
    with pytest.raises(InvalidParameterError, match="has no code 'Base mobilisation'"):
        load_codebook(GOOD).levels_from_counts({"Base mobilisaton": 1, "trust": 0})


def _with(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            _with("[3, 5]", "[2, 5]"),
            "the ranges of pragmatic_legitimacy for the levels 'weak' \\[1, 3\\] and 'moderate' \\[2, 5\\] overlap",
        ),
        (
            _with("moral_legitimacy = [1, 2]", "moral_legitimacy = [4, 5]"),
            "must rise or fall with the levels",
        ),
        (_with("[1, 3]", "[-1, 3]"), "pragmatic_legitimacy .* must be in \\[0, inf\\]"),
        (
            _with("transfer_floor = [1, 2]", "transfer_flor = [1, 2]"),
            "did you mean 'transfer_floor'",
        ),
        (_with("segments = 2", "segments = 7"), "must start at 0 and rise strictly"),
        (_with("segments = 0\npragmatic", "segments = 1\npragmatic"), "must start at 0"),
        (_with("segments = 2\n", ""), "give 'segments' for every level or for none"),
        (_with("moral_legitimacy = [2, 4]", ""), "every level must map the same parameters"),
        (
            _with("transfer_floor = [0, 1]", "transfer_floor = [0, 1]\nmoral_legitimacy = [5, 6]"),
            "every level must map the same",
        ),
        (
            _with(
                "[codes.trust.levels.low]\nsegments = 0\ntransfer_floor = [1, 2]",
                "[codes.trust.levels.low]\nsegments = 0\ntransfer_floor = [1, 2]\n[codes.trust.levels.low2]\nsegments = 1\ntransfer_floor = [3, 4]",
            ),
            "must rise or fall",
        ),
        (_with("qda_code", "qda_cod"), "unknown key\\(s\\) 'qda_cod'"),
        (_with('name = "demo"', 'name = ""'), "name is missing"),
        (
            GOOD + "[codes.other.levels.only]\nautonomy_value = [0, 1]\n",
            "needs at least two levels",
        ),
        (_with("discount_factor = 0.6", "discount_factor = 1.6"), "discount_factor"),
        (
            _with(
                'membership_accountability = "funder_accountability"',
                'pragmatic_legitimacy = "2 * moral_legitimacy"',
            ),
            "which \\[parameters\\] gives as a formula",
        ),
        ("[codebook]\nname = 'x'", "at least one code"),
        ("[codebook\nname = 'x'", "invalid TOML"),
    ],
)
def test_bad_codebooks_are_refused_with_clear_errors(text, message):
    with pytest.raises(InvalidParameterError, match=message):
        load_codebook(text)


def test_a_parameter_mapped_by_two_codes_is_refused():
    text = (
        GOOD
        + "\n[codes.dup.levels.a]\nmoral_legitimacy = [0, 1]\n[codes.dup.levels.b]\nmoral_legitimacy = [1, 2]\n"
    )
    with pytest.raises(InvalidParameterError, match="mapped by the codes 'mobilisation' and 'dup'"):
        load_codebook(text)


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ({"mobilisaton": "weak"}, "unknown code 'mobilisaton'; did you mean 'mobilisation'"),
        ({"mobilisation": "strongest"}, "no level 'strongest'; did you mean 'strong'"),
        ("strong", "levels must map codes to levels"),
    ],
)
def test_unknown_codes_and_levels_are_refused(levels, message):
    with pytest.raises(InvalidParameterError, match=message):
        case_scenario(load_codebook(GOOD), levels)


def test_a_code_without_thresholds_cannot_read_counts():
    text = GOOD.replace("segments = 0\ntransfer_floor", "transfer_floor").replace(
        "segments = 3\ntransfer_floor", "transfer_floor"
    )
    with pytest.raises(InvalidParameterError, match="states no thresholds"):
        load_codebook(text).levels_from_counts({"Base mobilisation": 1, "trust": 2})


def test_a_codebook_may_start_from_a_preset(tmp_path):
    path = tmp_path / "cb.toml"
    path.write_text(
        GOOD.replace('name = "demo"', 'name = "demo"\nbase = "partnership-1990s"'), encoding="utf-8"
    )
    codebook = load_codebook(path)
    assert codebook.base.parameters.discount_factor == 0.6
    from powergames.partnership import load_preset

    preset = load_preset("partnership-1990s")
    assert codebook.base.parameters.shared_paradigm == preset.parameters.shared_paradigm


def test_the_example_case_study_runs_from_project_to_regimes():
    codebook = load_codebook(example_path("cooperation-codebook.toml"))
    project = read_qdpx(example_path("cooperation.qdpx"))
    regimes = {}
    for group, counts in project.sets.items():
        case = case_scenario(codebook, codebook.levels_from_counts(counts), name=group)
        regimes[group] = uncertainty(case, 1024, seed=0).dominant
    assert regimes == {"OCI-1 partners": "partnership", "OCI-2 partners": "donor-beneficiary"}
