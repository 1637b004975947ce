"""Gambit .nfg files: reading both body forms, writing, exact round trips, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from powergames import Game, NFGParseError, read_nfg, write_nfg

# The payoff-list example of Gambit's documentation ("Game representation formats").
# (Long prologue lines are wrapped here: whitespace outside quotes is not significant.)
SELTEN_PAYOFFS = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
{ "Player 1" "Player 2" } { 3 2 }

1 1 0 2 0 2 1 1 0 3 2 0
"""

# The same game in the outcome-list form, also from Gambit's documentation.
SELTEN_OUTCOMES = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }

{
{ "1" "2" "3" }
{ "1" "2" }
}

{
{ "" 1, 1 }
{ "" 0, 2 }
{ "" 0, 2 }
{ "" 1, 1 }
{ "" 0, 3 }
{ "" 2, 0 }
}
1 2 3 4 5 6
"""

# Gambit's catalog/open_spiel/matrix_pd.nfg: outcome form with a comment.
PD_OUTCOMES = """NFG 1 R "Prisoner's Dilemma" { "Player 0" "Player 1" }

{ { "1" "2" }
{ "1" "2" }
}
"This game originates from the `OpenSpiel <https://openspiel.readthedocs.io/en/latest/games.html>`_ game library."

{
{ "" 5, 5 }
{ "" 10, 0 }
{ "" 0, 10 }
{ "" 1, 1 }
}
1 2 3 4
"""

# The same prisoner's dilemma in payoff-list form.
PD_PAYOFFS = """NFG 1 D "Prisoner's Dilemma" { "Player 0" "Player 1" } { 2 2 } ""
5 5 10 0 0 10 1 1
"""

# Gambit's contrib/games/cent2.nfg: outcome form, named strategies, decimals, no comment.
CENTIPEDE = """NFG 1 R "Centipede game. Two inning, with probability of altruists"
{ "Player 1" "Player 2" }

{ { "1*11" "2111" "2211" }
{ "1*11" "2111" "2211" }
}

{
{ "" 0.811000 0.274000 }
{ "" 0.868000 0.502000 }
{ "" 1.400000 0.350000 }
{ "" 0.564000 1.566000 }
{ "" 3.148000 1.072000 }
{ "" 3.680000 0.920000 }
{ "" 1.020000 1.680000 }
{ "" 2.160000 6.240000 }
{ "" 12.800000 3.200000 }
}
1 4 7 2 5 8 3 6 9
"""

# Gambit's catalog/gamefiles/e01.nfg: three players.
SELTEN_3P = """NFG 1 R "Selten (IJGT, 75), Figure 1, normal form"
{ "Player 1" "Player 2" "Player 3" }

{ { "1" "2" }
{ "1" "2" }
{ "1" "2" }
}

1 1 1 3 2 2 4 4 0 3 2 2 1 1 1 0 0 0 0 0 1 0 0 0
"""


# ------------------------------------------------------------------ reading
def test_payoff_and_outcome_forms_give_the_same_game():
    assert read_nfg(SELTEN_PAYOFFS) == read_nfg(SELTEN_OUTCOMES)
    assert read_nfg(PD_PAYOFFS) == read_nfg(PD_OUTCOMES)


def test_player_one_changes_fastest():
    game = read_nfg(SELTEN_PAYOFFS)
    A, B = game.payoffs
    assert game.shape == (3, 2)
    # profiles in file order: (1,1) (2,1) (3,1) (1,2) (2,2) (3,2)
    np.testing.assert_array_equal(A, [[1, 1], [0, 0], [0, 2]])
    np.testing.assert_array_equal(B, [[1, 1], [2, 3], [2, 0]])
    assert (A[1, 0], B[1, 0]) == (0, 2)  # profile (2,1): payoffs 3 and 4 of the file
    assert (A[0, 1], B[0, 1]) == (1, 1)  # profile (1,2): payoffs 7 and 8
    assert (A[2, 1], B[2, 1]) == (2, 0)  # profile (3,2): the last two


def test_names_title_and_default_strategies():
    game = read_nfg(SELTEN_PAYOFFS)
    assert game.title == "Selten (IJGT, 75), Figure 2, normal form"
    assert game.players == ("Player 1", "Player 2")
    assert game.strategies == (("1", "2", "3"), ("1", "2"))
    pd = read_nfg(PD_OUTCOMES)
    assert pd.title == "Prisoner's Dilemma"
    assert pd.players == ("Player 0", "Player 1")
    np.testing.assert_array_equal(pd.payoffs[0], [[5, 0], [10, 1]])
    np.testing.assert_array_equal(pd.payoffs[1], [[5, 10], [0, 1]])


def test_real_outcome_file_with_strategy_names():
    game = read_nfg(CENTIPEDE)
    A, B = game.payoffs
    assert game.strategies == (("1*11", "2111", "2211"),) * 2
    assert (A[0, 0], A[1, 0], A[2, 0], A[0, 1]) == (0.811, 0.564, 1.02, 0.868)
    assert B[2, 2] == 3.2


def test_numbers_rationals_decimals_and_null_outcome():
    game = read_nfg('NFG 1 R "" { "a" "b" } { 2 2 }\n1/3 .80 -3. 1e-3 -1/3 +2 3.5E2 0')
    A, B = game.payoffs
    assert (A[0, 0], B[0, 0], A[1, 0], B[1, 0]) == (1 / 3, 0.8, -3.0, 0.001)
    assert (A[0, 1], B[0, 1], A[1, 1], B[1, 1]) == (-1 / 3, 2.0, 350.0, 0.0)
    outcomes = read_nfg('NFG 1 R "" { "a" "b" } { 1 2 } { { "x" 1/3 -2 } } 0 1')
    np.testing.assert_array_equal(outcomes.payoffs[0], [[0, 1 / 3]])
    np.testing.assert_array_equal(outcomes.payoffs[1], [[0, -2]])


def test_escapes_and_whitespace_in_strings():
    text = 'NFG 1 R "a \\"quoted\\" \\\\ title"\n{ "P \\"1\\"" "tab\there" }\n{ 1 1 }\n7 8'
    game = read_nfg(text)
    assert game.title == 'a "quoted" \\ title'
    assert game.players == ('P "1"', "tab\there")


def test_reads_a_path(tmp_path):
    path = tmp_path / "selten.nfg"
    path.write_text(SELTEN_OUTCOMES, encoding="utf-8")
    assert read_nfg(path) == read_nfg(str(path)) == read_nfg(SELTEN_PAYOFFS)


def test_missing_file():
    with pytest.raises(FileNotFoundError):
        read_nfg("no/such/file.nfg")


# ------------------------------------------------------------------ writing
def test_write_uses_the_payoff_list_in_gambit_order():
    game = read_nfg(SELTEN_OUTCOMES)
    text = write_nfg(game)
    assert text.startswith('NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"')
    assert text.split('""')[-1].split() == "1 1 0 2 0 2 1 1 0 3 2 0".split()


def test_numbers_are_written_exactly():
    game = Game([[3, -2, 0.1, 1e-05]], [[-0.0, 1e300, 1 / 3, 5e-324]])
    body = write_nfg(game).split('""')[-1].split()
    assert body == ["3", "-0", "-2", "1e+300", "0.1", repr(1 / 3), "1e-05", "5e-324"]
    back = read_nfg(write_nfg(game))
    assert back == game
    assert np.signbit(back.payoffs[1][0, 0])


def test_round_trip_of_awkward_names(tmp_path):
    game = Game(
        [[1, 2]],
        [[3, 4]],
        players=['say "hi"', "back\\slash"],
        strategies=(["multi\nline\r\n"], ["", "ünïcødé ✓ 博弈"]),
        title='\\"tricky\\" \t title\\',
    )
    assert read_nfg(write_nfg(game)) == game
    path = tmp_path / "awkward.nfg"
    text = write_nfg(game, path)
    assert path.read_bytes().decode("utf-8") == text
    assert read_nfg(path) == game


names = st.text(max_size=6)


@st.composite
def games(draw: st.DrawFn, integer: bool = False) -> Game:
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    if integer:
        elements = st.integers(-(10**12), 10**12)
        A, B = (draw(arrays(np.int64, (m, n), elements=elements)) for _ in range(2))
    else:
        elements = st.floats(allow_nan=False, allow_infinity=False)
        A, B = (draw(arrays(np.float64, (m, n), elements=elements)) for _ in range(2))
    return Game(
        A,
        B,
        players=draw(st.lists(names, min_size=2, max_size=2, unique=True)),
        strategies=(
            draw(st.lists(names, min_size=m, max_size=m, unique=True)),
            draw(st.lists(names, min_size=n, max_size=n, unique=True)),
        ),
        title=draw(st.text(max_size=20)),
    )


@given(games())
def test_round_trip_float_payoffs(game):
    back = read_nfg(write_nfg(game))
    assert back == game
    for ours, theirs in zip(back.payoffs, game.payoffs, strict=True):
        np.testing.assert_array_equal(np.signbit(ours), np.signbit(theirs))


@given(games(integer=True))
def test_round_trip_integer_payoffs(game):
    text = write_nfg(game)
    assert "." not in text.split('""')[-1]
    assert read_nfg(text) == game


@given(games())
def test_round_trip_through_a_file(tmp_path_factory, game):
    path = tmp_path_factory.mktemp("nfg") / "game.nfg"
    assert write_nfg(game, path) == path.read_bytes().decode("utf-8")
    assert read_nfg(path) == game


# ------------------------------------------------------------------- errors
HEAD = 'NFG 1 R "t" { "a" "b" } { 2 2 }\n'
OUT = HEAD + '{ { "" 1, 2 }\n{ "" 3, 4 } }\n'

MALFORMED = {
    "wrong magic word": ('NFGX 1 R "t" { "a" "b" } { 1 1 } 1 2', 1),
    "wrong version": ('NFG\n2 R "t" { "a" "b" } { 1 1 } 1 2', 2),
    "wrong precision letter": ('NFG 1\nQ "t" { "a" "b" } { 1 1 } 1 2', 2),
    "title not quoted": ("NFG 1 R\ntitle { }", 2),
    "header only": ("NFG", 1),
    "unterminated title": ('NFG 1 R\n"title { "a" "b" }\n{ 1 1 }\n1 2', 2),
    "unterminated string at the end": (HEAD + '{ { "x 1 2 } }\n1', 2),
    "unterminated brace": ('NFG 1 R "t"\n{ "a" "b"\n', 2),
    "unterminated strategy list": ('NFG 1 R "t" { "a" "b" }\n{ { "x" "y" }\n{ "z"', 3),
    "players not in braces": ('NFG 1 R "t"\n"a" "b"', 2),
    "unquoted player": ('NFG 1 R "t" { "a"\nb }', 2),
    "zero strategies": ('NFG 1 R "t" { "a" "b" }\n{ 2\n0 }', 3),
    "empty strategy list": ('NFG 1 R "t" { "a" "b" }\n{ { "x" }\n{ } }', 3),
    "decimal strategy count": ('NFG 1 R "t" { "a" "b" }\n{ 2.0 2 }', 2),
    "strategies of three players": ('NFG 1 R "t" { "a" "b" }\n{ 2 2 2 }\n1', 2),
    "too few payoffs": (HEAD + "\n1 2 3 4\n5 6\n", 4),
    "too few payoffs, trailing blank lines": (HEAD + "1 2 3 4\n5 6 7\n\n\n", 3),
    "no payoffs": (HEAD, 1),
    "too many payoffs": (HEAD + "1 2 3 4\n5 6 7 8\n9\n", 4),
    "non-number payoff": (HEAD + "1 2 3 4\n5 x 7 8\n", 3),
    "string payoff": (HEAD + '1 2 3 4\n5 "6" 7 8\n', 3),
    "brace in payoffs": (HEAD + "1 2 3 4\n5 6 7 }\n", 3),
    "nan payoff": (HEAD + "1 2 3 4\nnan 6 7 8\n", 3),
    "overflowing payoff": (HEAD + "1 2 3 4\n5 1e999 7 8\n", 3),
    "overflowing rational": (HEAD + "1 2\n3 " + "9" * 400 + "/1 5 6 7 8\n", 3),
    "zero denominator": (HEAD + "1 2 3 4\n5 6 7 1/0\n", 3),
    "two slashes": (HEAD + "1 2 3 4\n5 6 7 1/2/3\n", 3),
    "outcome index out of range": (OUT + "1 2\n0 3\n", 5),
    "outcome index negative": (OUT + "1 2\n0 -1\n", 5),
    "outcome index not an integer": (OUT + "1 2\n1.0 1\n", 5),
    "too few outcome indices": (OUT + "1 2\n0\n", 5),
    "too many outcome indices": (OUT + "1 2 0 1\n2\n", 5),
    "outcome with one payoff": (HEAD + '{ { "" 1, 2 }\n{ "" 3 }\n}\n1 1 1 1', 3),
    "outcome with three payoffs": (HEAD + '{ { "" 1, 2 }\n{ "" 3, 4,\n5 }\n}\n1 1 1 1', 4),
    "outcome without a name": (HEAD + "{ { 1, 2 }\n}\n1 1 1 1", 2),
    "outcome list not closed": (HEAD + '{ { "" 1, 2 }\n1 1 1 1', 3),
}


@pytest.mark.parametrize(("text", "line"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_input_names_the_line(text, line):
    with pytest.raises(NFGParseError) as info:
        read_nfg(text)
    assert info.value.line == line, str(info.value)
    assert str(info.value).startswith(f"line {line}: ")


@pytest.mark.parametrize(
    ("text", "line", "count"),
    [(SELTEN_3P, 2, "3 players"), ('NFG 1 R "solo" { "a" } { 2 } 1 2', 1, "1 player")],
)
def test_only_two_player_games(text, line, count):
    with pytest.raises(NFGParseError, match="two-player games") as info:
        read_nfg(text)
    assert info.value.line == line
    assert f"this file has {count}" in str(info.value)


def test_wrong_magic_word_in_a_file(tmp_path):
    path = tmp_path / "game.efg"
    path.write_text('\n\nEFG 2 R "x" { "a" "b" }\n', encoding="utf-8")
    with pytest.raises(NFGParseError, match="NFG") as info:
        read_nfg(path)
    assert info.value.line == 3


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.nfg"
    path.write_bytes('NFG 1 R "t"\n{ "Andr\u00e9" "b" } { 1 1 } 1 2'.encode("latin-1"))
    with pytest.raises(NFGParseError) as info:
        read_nfg(path)
    assert info.value.line == 2


def test_every_truncation_of_a_valid_file_is_an_nfg_error():
    for size in range(len(SELTEN_OUTCOMES.rstrip())):
        text = SELTEN_OUTCOMES[:size]
        if not text.strip().startswith("NFG"):
            continue
        with pytest.raises(NFGParseError) as info:
            read_nfg(text)
        assert 1 <= info.value.line <= text.count("\n") + 1


@given(st.text(alphabet='NFGRD 1230.-/e"{}\\,\nxé', max_size=60))
def test_garbage_raises_only_nfg_errors(tail):
    try:
        game = read_nfg('NFG 1 R "t" { "a" "b" } ' + tail)
    except NFGParseError as exc:
        assert exc.line is not None and exc.line >= 1
    else:
        assert isinstance(game, Game)


@pytest.mark.parametrize("source", [5, 1.5, None, b"NFG 1 R"])
def test_a_source_that_is_neither_text_nor_a_path_is_refused(source):
    # An integer would otherwise be taken for a file descriptor (and closed).
    from powergames import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="source"):
        read_nfg(source)


@pytest.mark.parametrize("path", [1, 2.5, True])
def test_a_path_that_is_not_a_path_is_refused(path):
    from powergames import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="path"):
        write_nfg(Game([[1]]), path)


# Gambit's contrib/games/sww1.nfg (both players are called "") and
# tests/test_games/2x2_bimatrix_all_zero_payoffs.nfg (one player's two strategies share
# the name "defect"): Gambit reads them, so must we, and write them back unchanged.
SWW1 = """NFG 1 D "Schotter-Weigelt-Wilson Fig 1 game in normal form" { "" "" } { 2 2 }

4.000000 3.000000 0.000000 0.000000 4.000000 3.000000 6.000000 2.000000
"""
ALL_ZERO = """NFG 1 R "2x2 bimatrix game with all zero payoffs, with strategy labels" { "Joe" "Dan" }

{ { "cooperate" "defect" }
{ "defect" "defect" }
}
""

{
{ "" 0, 0 }
{ "" 0, 0 }
{ "" 0, 0 }
{ "" 0, 0 }
}
1 2 3 4
"""


def test_repeated_names_are_read_and_round_trip():
    sww1 = read_nfg(SWW1)
    assert sww1.players == ("", "")
    np.testing.assert_array_equal(sww1.payoffs[0], [[4, 4], [0, 6]])
    zero = read_nfg(ALL_ZERO)
    assert zero.strategies == (("cooperate", "defect"), ("defect", "defect"))
    for game in (sww1, zero):
        assert read_nfg(write_nfg(game)) == game


def test_long_numbers_say_what_is_wrong():
    digits = "1" * 5000
    # More digits than Python converts to an int, and the value fits a float: read it.
    game = read_nfg(f'NFG 1 R "" {{ "a" "b" }} {{ 1 1 }} {digits}/{"3" * 5000} 1')
    assert game.payoffs[0][0, 0] == pytest.approx(1 / 3, rel=1e-15)
    with pytest.raises(NFGParseError, match=r"5002 characters\) is beyond the float range"):
        read_nfg(f'NFG 1 R "" {{ "a" "b" }} {{ 1 1 }} {digits}/3 1')
    with pytest.raises(NFGParseError, match="divides by zero"):
        read_nfg('NFG 1 R "" { "a" "b" } { 1 1 } 1/000 1')


def test_rationals_beyond_pythons_digit_limit_are_read():
    import sys

    if not hasattr(sys, "set_int_max_str_digits"):  # pragma: no cover - Python < 3.10.7
        pytest.skip("no integer digit limit in this Python")
    saved = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        game = read_nfg(f'NFG 1 R "" {{ "a" "b" }} {{ 1 1 }} {"2" * 1000}/{"6" * 1000} 1')
    finally:
        sys.set_int_max_str_digits(saved)
    assert game.payoffs[0][0, 0] == pytest.approx(1 / 3, rel=1e-15)
