"""What users look at in a terminal or a notebook: every result has a plain-text
display (IPython's pretty printer), a Markdown and an HTML display, all drawn by
``powergames.render``. Each display is non-empty, shows text from users as written
(escaped in HTML and Markdown, never interpreted), and the Markdown holds a valid
table."""

from __future__ import annotations

import html
import math
import re
from html.parser import HTMLParser

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from IPython.lib.pretty import pretty

from powergames import Game, equilibria
from powergames.bargaining import Agreement, BargainingProblem, nash, nash_threats
from powergames.partnership import Parameters, Scenario, analyse, load_preset
from powergames.render import format_number, render
from powergames.repeated import PayoffSet, equilibrium_payoff_set
from powergames.tables import Table

#: Text a user may type into a name, a title or a passage.
HOSTILE = "<script>alert('x')</script> & <b>co</b>"


def hostile_game() -> Game:
    return Game(
        [[3, 0], [0, 2]],
        [[2, 0], [0, 3]],
        players=("Ann <a>", "Bob & co"),
        strategies=((HOSTILE, "match"), ("opera", "<i>")),
        title=HOSTILE,
    )


def hostile_scenario() -> Scenario:
    return Scenario(
        "hostile",
        title=HOSTILE,
        description=HOSTILE * 5,
        passage=HOSTILE,
        formulas={"membership_accountability": "funder_accountability / 2"},
        passages={"control_gain": HOSTILE * 3, "discount_factor": "« <long> terme »"},
        grid={"discount_factor": [0.3, 0.6]},
        expected_regime="partnership",
    )


#: (name, object, whether it holds the hostile text)
SHOWN = [
    ("game", hostile_game, True),
    ("equilibrium", lambda: equilibria(hostile_game())[1], True),
    ("parameters", lambda: Parameters(control_gain=sp.Symbol(HOSTILE)), True),
    ("analysis", analyse, False),
    ("scenario", hostile_scenario, True),
    ("preset", lambda: load_preset("partnership-1990s"), False),
    ("agreement", lambda: Agreement((0.6, 0.4), HOSTILE, {HOSTILE: (0.6, 0.4)}, (0, 0)), True),
    ("nash agreement", lambda: nash(BargainingProblem.transferable(1, (0.2, 0.1))), False),
    ("threats", lambda: nash_threats(Game([[9, 1], [10, 3]], [[9, 10], [1, 3]])), False),
    (
        "payoff set",
        lambda: equilibrium_payoff_set(Game([[9, 1], [10, 3]], [[9, 10], [1, 3]]), 0.9),
        False,
    ),
    ("segment", lambda: PayoffSet.from_points([(3, 3), (9, 9)]), False),
    ("empty set", lambda: PayoffSet(np.empty((0, 2))), False),
    ("table", lambda: Table({"x": [0.5, -0.0], "label": [HOSTILE, "a|b"]}, title=HOSTILE), True),
]
IDS = [name for name, _, _ in SHOWN]


class TagChecker(HTMLParser):
    """Checks that tags are balanced, and collects the tags and the text."""

    VOID = frozenset({"br", "hr", "img", "input", "meta", "link"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.add(tag)
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def markdown_table_rows(markdown: str) -> list[list[str]]:
    """The cells of the one Markdown table in ``markdown``, header first; fails unless
    the table is contiguous, has a delimiter row and the same number of cells in
    every row."""
    lines = markdown.splitlines()
    starts = [k for k, line in enumerate(lines) if line.startswith("|")]
    assert starts, f"no table in {markdown!r}"
    block = lines[starts[0] : starts[-1] + 1]
    assert all(line.startswith("|") and line.endswith("|") for line in block), block
    rows = [re.split(r"(?<!\\)\|", line)[1:-1] for line in block]
    assert re.fullmatch(r"\|(\s*:?-{3,}:?\s*\|)+", block[1]), block[1]
    assert len(block) >= 2, "a header without its delimiter row"
    assert {len(row) for row in rows} == {len(rows[0])}, "rows of different widths"
    return [[cell.strip() for cell in row] for k, row in enumerate(rows) if k != 1]


@pytest.fixture(params=SHOWN, ids=IDS)
def shown(request: pytest.FixtureRequest) -> tuple[object, bool]:
    _, make, hostile = request.param
    return make(), hostile


def test_the_plain_text_display_shows_user_text_as_written(shown):
    obj, hostile = shown
    text = pretty(obj)
    assert text.strip() and text != repr(obj)
    assert "&lt;" not in text and "&amp;" not in text
    if hostile:
        assert "<script>" in text


def test_the_html_display_is_balanced_and_escapes_user_text(shown):
    obj, hostile = shown
    page = obj._repr_html_()
    checker = TagChecker()
    checker.feed(page)
    checker.close()
    assert page.strip() and not checker.open
    assert checker.tags <= {"table", "caption", "thead", "tbody", "tr", "th", "td", "p", "div"} | {
        "details",
        "summary",
        "br",
    }
    if hostile:
        assert "script" not in checker.tags and "b" not in checker.tags
        assert "<script>" in "".join(checker.text)


def test_the_markdown_display_is_a_valid_table_that_escapes_user_text(shown):
    obj, hostile = shown
    markdown = obj._repr_markdown_()
    rows = markdown_table_rows(markdown)
    assert len(rows) >= 2 or (isinstance(obj, PayoffSet) and obj.is_empty)
    assert "<" not in markdown and ">" not in markdown.replace("&gt;", "")
    if hostile:
        assert "&lt;script&gt;" in markdown


def test_round_off_and_minus_zero_show_as_zero_and_nan_as_nan():
    rows = [["a", -0.0], ["b", -3.08e-33], ["c", float("nan")], ["d", 2 / 3]]
    for fmt in ("text", "markdown", "html"):
        shown = render(["", "value"], rows, fmt)
        assert "e-33" not in shown and "-0" not in shown and "nan" in shown
        assert "0.666667" in shown
    assert format_number(-3.08e-33, scale=3.08e-33) == "-3.08e-33"  # nothing to compare with


def test_a_game_and_its_equilibria_share_the_rendering():
    game = Game([[1, -1], [-1, 1]], strategies=(("heads", "tails"), ("heads", "tails")))
    for fmt in ("text", "markdown", "html"):
        assert game.table(fmt) == render(
            ["", "heads", "tails"],
            [["heads", "1, -1", "-1, 1"], ["tails", "-1, 1", "1, -1"]],
            fmt,
            "Player 1 (rows) and Player 2 (columns)",
        )


def test_a_scenario_folds_its_passages_in_html_and_shortens_them_elsewhere():
    preset = load_preset("partnership-1990s")
    longest = max(preset.passages.values(), key=len)
    assert longest.strip().splitlines()[-1] not in preset.describe("markdown")
    assert "<details><summary>" in preset._repr_html_()
    assert "regime: partnership" in pretty(preset)
    rows = markdown_table_rows(preset._repr_markdown_())
    assert [row[0] for row in rows[1:]] == list(preset.parameters.keys())
    assert rows[-1][3] == "from [power]"


def test_a_scenario_shows_its_formulas_and_the_regime_it_was_built_to_show():
    shown = pretty(hostile_scenario())
    assert "= funder_accountability / 2" in shown
    assert "regime: partnership\n" in shown  # as expected: no remark
    other = Scenario("s", expected_regime="collaboration")
    assert "regime: partnership (built to show collaboration)" in pretty(other)


# ------------------------------------------------------------------ laws of the rendering
cells = st.lists(st.lists(st.text(max_size=12), min_size=2, max_size=2), min_size=1, max_size=4)


@given(cells)
def test_any_text_makes_a_valid_markdown_table_with_its_cells(rows):
    markdown = render(["name", "value"], rows, "markdown")
    shown = markdown_table_rows(markdown)
    assert len(shown) == len(rows) + 1
    for row, cells_shown in zip(rows, shown[1:], strict=True):
        for text, cell in zip(row, cells_shown, strict=True):
            # What a Markdown viewer shows: escapes undone, line breaks as spaces.
            expected = " ".join(text.splitlines()).strip()
            assert html.unescape(cell.replace("\\|", "|")) == expected


@given(cells)
def test_any_text_shows_as_written_in_html(rows):
    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.cells: list[str] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag in ("td", "th"):
                self.cells.append("")

        def handle_data(self, data: str) -> None:
            self.cells[-1] += data

    parser = Cells()
    parser.feed(render(["name", "value"], rows, "html"))
    parser.close()
    assert parser.cells == ["name", "value", *(text for row in rows for text in row)]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_shows_to_six_significant_digits(x):
    shown = format_number(x)
    if abs(x) < 1e-12:
        assert shown == "0"
    elif x.is_integer() and abs(x) < 1e15:
        assert int(shown) == x
    else:
        assert math.isclose(float(shown), x, rel_tol=5e-6)
    negated = shown[1:] if shown.startswith("-") else "-" + shown
    assert format_number(-x) == ("0" if shown == "0" else negated)  # never "-0"
