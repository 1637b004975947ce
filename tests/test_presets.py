"""The five presets: documented, each parameter with the article's passage, and reading
as the article's history and its two kinds of OCI."""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from powergames.errors import InvalidParameterError
from powergames.partnership import PRESETS, REGIMES, SPECS, list_presets, load_preset, settle

#: The article, when a copy is at hand (it is not distributed with powergames).
ARTICLE = os.environ.get("POWERGAMES_ARTICLE")


def test_presets_listed_match_the_bundled_files() -> None:
    folder = resources.files("powergames").joinpath("data").joinpath("presets")
    files = sorted(p.name for p in folder.iterdir() if p.name.endswith(".toml"))
    assert files == sorted(f"{name}.toml" for name in PRESETS)
    assert [s.name for s in list_presets()] == list(PRESETS)


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_is_documented_parameter_by_parameter(name: str) -> None:
    scenario = load_preset(name)
    assert scenario.name == name
    assert scenario.title and scenario.expected_regime in REGIMES
    assert "Illustrative, not empirical" in scenario.description
    assert "«" in scenario.passage and "English:" in scenario.passage
    assert not scenario.parameters.shape and not scenario.parameters.is_symbolic
    # Every parameter with the passage that motivates it, quoted and glossed.
    assert set(scenario.passages) == {spec.name for spec in SPECS}
    for parameter, passage in scenario.passages.items():
        assert passage.startswith("«") and "»" in passage and "English:" in passage, parameter
    # The inherited weight is derived from the three levels of power, not typed in.
    assert scenario.power and "inherited_weight" not in scenario.formulas


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_shows_its_expected_regime(name: str) -> None:
    scenario = load_preset(name)
    assert scenario.regime() == scenario.expected_regime
    assert settle(scenario.parameters)["regime"] == scenario.expected_regime


@pytest.mark.skipif(ARTICLE is None, reason="set POWERGAMES_ARTICLE to a copy of the article")
@pytest.mark.parametrize("name", PRESETS)
def test_passages_quote_the_article_verbatim(name: str) -> None:
    article = re.sub(r"\s+", " ", Path(str(ARTICLE)).read_text(encoding="utf-8"))
    scenario = load_preset(name)
    for text in [scenario.passage, *scenario.passages.values()]:
        french = " ".join(part.split("English:")[0] for part in text.split("\n"))
        quotes = re.findall(r"« (.*?) »", re.sub(r"\s+", " ", french))
        assert quotes
        for quote in quotes:
            assert quote in article, quote


def test_unknown_preset_with_a_suggestion() -> None:
    with pytest.raises(InvalidParameterError, match=r"unknown preset '\.\./x'.*partnership-1990s"):
        load_preset("../x")
    with pytest.raises(InvalidParameterError, match="did you mean 'social-economy'"):
        load_preset("social-econmy")


# ------------------------------------------------------------------ the history
DELTAS = np.linspace(0.0, 0.99, 100)


def regimes_across_patience(name: str) -> set[str]:
    p = load_preset(name).parameters
    return set(settle(p.replace(discount_factor=DELTAS))["regime"].tolist())


def test_the_1960s_impose_whatever_the_patience() -> None:
    # « le Nord ne saurait imposer des recettes au Sud, comme il pouvait le faire
    # pendant les années 1960 »: imposing paid the pair more than (dilute, assert).
    p = load_preset("donor-beneficiary-1960s").parameters
    result = settle(p)
    assert p.shared_paradigm == 0
    assert result["efficiency_margin"] < 0
    assert result["critical_discount_factor"] == np.inf
    assert regimes_across_patience("donor-beneficiary-1960s") == {"donor-beneficiary"}
    assert result["path"] == "impose/comply" and result["transfer"] >= p.transfer_floor


def test_the_1970s_collaborate_whatever_the_patience() -> None:
    result = settle(load_preset("collaboration-1970s").parameters)
    assert result["temptation_oci"] < 0 and result["temptation_ngo"] < 0
    assert regimes_across_patience("collaboration-1970s") == {"collaboration"}


def test_the_1990s_partnership_as_the_article_tells_it() -> None:
    p = load_preset("partnership-1990s").parameters
    result = settle(p)
    # « un paradigme de développement partagé », both partners tempted.
    assert p.shared_paradigm > 0
    assert result["temptation_oci"] > 0 and result["temptation_ngo"] > 0
    # Resources flow South, the OCI dilutes, held by the NGO's temptation.
    assert result["transfer"] > p.transfer_floor
    assert result["dilution"] > 0
    assert result["binding_constraint"] == "ngo-temptation"
    # « une perspective de long terme »: below the critical discount factor the relation
    # falls back on donor-beneficiary; above it, the more patient, the less dilution.
    assert p.discount_factor > result["critical_discount_factor"]
    assert settle(p.replace(discount_factor=0.2))["regime"] == "donor-beneficiary"
    around = np.linspace(p.discount_factor - 0.05, p.discount_factor + 0.05, 11)
    dilution = settle(p.replace(discount_factor=around))["dilution"]
    assert np.all(np.diff(dilution) < 0)
    assert regimes_across_patience("partnership-1990s") == {"donor-beneficiary", "partnership"}


def test_the_history_moves_through_the_three_compromises() -> None:
    regimes = [load_preset(name).regime() for name in PRESETS[:3]]
    assert regimes == ["donor-beneficiary", "collaboration", "partnership"]


# ------------------------------------------------------- the two kinds of OCI
def test_social_and_solidarity_economies_differ_in_patience_and_reason() -> None:
    """The presets compare like with like (same inherited weight, discount factor,
    autonomy value and assertion cost). The solidarity-economy partnership needs far
    less patience (its NGO is hardly tempted); the two dilute about as much, but for
    different reasons: the social-economy OCI to keep its NGO asserting, the
    solidarity-economy OCI because it cannot fund a larger share."""
    social = load_preset("social-economy").parameters
    solidarity = load_preset("solidarity-economy").parameters
    for name in ("inherited_weight", "discount_factor", "autonomy_value", "assertion_cost"):
        assert social[name] == solidarity[name], name
    assert solidarity.shared_paradigm > social.shared_paradigm
    assert solidarity.moral_legitimacy > social.moral_legitimacy
    assert solidarity.membership_accountability > solidarity.funder_accountability
    assert social.funder_accountability > social.membership_accountability
    a, b = settle(social), settle(solidarity)
    assert a["critical_discount_factor"] > 4 * b["critical_discount_factor"]
    assert a["binding_constraint"] == "ngo-temptation"
    assert b["binding_constraint"] == "resource-floor"
    assert abs(a["dilution"] - b["dilution"]) < 0.01
    assert a["transfer"] > 0 and b["transfer"] == 0


def test_the_solidarity_economy_dilutes_at_any_patience_the_social_economy_needs() -> None:
    # Where the social economy's NGO no longer forces a dilution (patient partners), the
    # solidarity economy still dilutes: the resource floor does not move with patience.
    social = load_preset("social-economy").parameters
    solidarity = load_preset("solidarity-economy").parameters
    patient = np.linspace(0.65, 0.95, 7)
    assert np.all(settle(social.replace(discount_factor=patient))["dilution"] == 0)
    d = settle(solidarity.replace(discount_factor=patient))["dilution"]
    assert np.all(d > 0.05) and np.ptp(d) < 1e-12
