"""Gambit ``.nfg`` files: read and write two-player strategic games.

The format is Gambit's strategic-game format (documentation: "Game representation
formats"). A file opens with a prologue::

    NFG 1 R "Title" { "Player 1" "Player 2" } { 3 2 }

whose last part is either the players' numbers of strategies or the lists of their
strategy names (``{ { "a" "b" "c" } { "x" "y" } }``), then an optional comment string
and a body in one of two forms:

* payoff list: for every strategy profile, with player 1's strategy changing fastest,
  the payoff of player 1 then that of player 2;
* outcome list: ``{ { "name" a, b } ... }`` followed by one outcome index per profile
  (same order), 1-based, where 0 is the null outcome paying 0 to both players.

Numbers are integers, decimals (``.80``, ``-3.``, ``1e-3``) or rationals (``-1/3``).
Whitespace is not significant except inside double quotes, where ``\\"`` and ``\\\\``
stand for ``"`` and ``\\``.
"""

from __future__ import annotations

import math
import os
import re
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from powergames.errors import InvalidParameterError, NFGParseError
from powergames.game import Game, GameLike, as_game

__all__ = ["read_nfg", "write_nfg"]

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r'[^\s{},"]+')
_PLAIN = re.compile(r'[^"\\\n]+')
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_RATIONAL = re.compile(r"([+-]?[0-9]+)/([0-9]+)")
_INDEX = re.compile(r"[0-9]+")


class _Token(NamedTuple):
    kind: str  # "word", "string", or one of "{", "}", ","
    text: str
    line: int  # 1-based line where the token starts


def _tokenize(text: str) -> list[_Token]:
    """Split ``text`` into words, quoted strings (unescaped) and ``{ } ,``."""
    tokens: list[_Token] = []
    line, pos, size = 1, 0, len(text)
    while pos < size:
        char = text[pos]
        if char.isspace():
            end = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
            line += text.count("\n", pos, end)
            pos = end
        elif char in "{},":
            tokens.append(_Token(char, char, line))
            pos += 1
        elif char == '"':
            start_line, parts = line, []
            pos += 1
            while True:
                plain = _PLAIN.match(text, pos)
                if plain is not None:
                    parts.append(plain.group())
                    pos = plain.end()
                if pos >= size or (text[pos] == "\\" and pos + 1 >= size):
                    raise NFGParseError("unterminated string: no closing '\"'", line=start_line)
                char = text[pos]
                if char == '"':
                    pos += 1
                    break
                if char == "\\":  # an escape: keep the next character as it is
                    pos += 1
                    char = text[pos]
                line += char == "\n"
                parts.append(char)
                pos += 1
            tokens.append(_Token("string", "".join(parts), start_line))
        else:
            end = _WORD.match(text, pos).end()  # type: ignore[union-attr]
            tokens.append(_Token("word", text[pos:end], line))
            pos = end
    return tokens


def _show(token: _Token) -> str:
    text = token.text if len(token.text) <= 30 else token.text[:27] + "..."
    return f'the string "{text}"' if token.kind == "string" else repr(text)


class _Parser:
    """A cursor over the tokens of one file, with checks that name the line."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.pos = 0
        self.last_line = text.rstrip().count("\n") + 1  # reported when the file ends early

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, what: str) -> _Token:
        token = self.peek()
        if token is None:
            raise NFGParseError(f"the file ends where {what} was expected", line=self.last_line)
        self.pos += 1
        return token

    def expect(self, kind: str, what: str) -> _Token:
        token = self.take(what)
        if token.kind != kind:
            raise NFGParseError(f"expected {what}, got {_show(token)}", line=token.line)
        return token

    def keyword(self, choices: tuple[str, ...], what: str) -> None:
        token = self.expect("word", what)
        if token.text not in choices:
            raise NFGParseError(f"expected {what}, got {_show(token)}", line=token.line)

    def accept(self, kind: str) -> bool:
        """Take the next token if it is of ``kind``."""
        token = self.peek()
        if token is not None and token.kind == kind:
            self.pos += 1
            return True
        return False

    def names(self, what: str) -> list[str]:
        """Strings up to a closing brace (the opening one already taken). Names may
        repeat, as Gambit allows: they are labels, not keys."""
        names: list[str] = []
        while (token := self.take(f"{what} or '}}'")).kind != "}":
            if token.kind != "string":
                raise NFGParseError(
                    f"expected {what} in double quotes, got {_show(token)}", line=token.line
                )
            names.append(token.text)
        return names

    def number(self, what: str) -> float:
        token = self.take(what)
        text = token.text
        if token.kind != "word" or not (_DECIMAL.fullmatch(text) or _RATIONAL.fullmatch(text)):
            raise NFGParseError(f"expected {what} (a number), got {_show(token)}", line=token.line)
        numerator, _, denominator = text.partition("/")
        if denominator and not denominator.strip("0"):
            raise NFGParseError(f"{what}: {_show(token)} divides by zero", line=token.line)
        if not denominator:
            value = float(text)  # correctly rounded, whatever the number of digits
        else:
            try:
                value = float(Fraction(int(numerator), int(denominator)))  # correctly rounded
            except OverflowError:
                value = math.inf
            except ValueError:
                # More digits than Python converts to an int (sys.get_int_max_str_digits,
                # 4300 by default, a guard against slow conversions); decimal arithmetic
                # has no such limit.
                with localcontext() as context:
                    context.prec = 60
                    value = float(Decimal(numerator) / Decimal(denominator))
        if math.isinf(value):
            raise NFGParseError(
                f"{what}: {_show(token)} ({len(text)} characters) is beyond the float range "
                "(magnitudes up to 1.8e308)",
                line=token.line,
            )
        return value


def _parse(text: str) -> Game:
    parser = _Parser(text)
    parser.keyword(("NFG",), "the word NFG that starts a Gambit strategic game")
    parser.keyword(("1",), "the version number 1")
    parser.keyword(("R", "D"), "the letter R or D")
    title = parser.expect("string", "the title in double quotes").text

    opening = parser.expect("{", "'{' opening the list of players")
    players = parser.names("a player name")
    if len(players) != 2:
        raise NFGParseError(
            f"powergames reads two-player games; this file has {len(players)} "
            f"player{'s' if len(players) != 1 else ''}",
            line=opening.line,
        )

    opening = parser.expect("{", "'{' opening the strategies")
    counts: list[int] = []
    labels: list[list[str] | None] = []  # None: default names "1", "2", ...
    what = "a number of strategies or a list of strategy names"
    while (token := parser.take(f"{what} or '}}'")).kind != "}":
        if token.kind == "{":
            names = parser.names("a strategy name")
            labels.append(names)
            counts.append(len(names))
        elif token.kind == "word" and _INDEX.fullmatch(token.text):
            if len(token.text.lstrip("0")) > 9:
                raise NFGParseError(f"too many strategies: {token.text}", line=token.line)
            labels.append(None)
            counts.append(int(token.text))
        else:
            raise NFGParseError(f"expected {what}, got {_show(token)}", line=token.line)
        if counts[-1] == 0:
            raise NFGParseError(f"player {len(counts)} has no strategy", line=token.line)
    if len(counts) != 2:
        raise NFGParseError(
            f"the strategies are given for {len(counts)} players, expected 2", line=opening.line
        )
    m, n = counts
    parser.accept("string")  # the optional comment, ignored

    if parser.accept("{"):
        payoffs = _outcome_body(parser, m * n)
    else:
        payoffs = [parser.number(f"payoff {k + 1} of {2 * m * n}") for k in range(2 * m * n)]
    if (extra := parser.peek()) is not None:
        raise NFGParseError(
            f"unexpected {_show(extra)} after the end of the game ({m} x {n} profiles)",
            line=extra.line,
        )

    # Profile k (0-based) is (k % m, k // m): player 1's strategy changes fastest.
    table = np.array(payoffs, dtype=np.float64).reshape(n, m, 2)
    rows, columns = (
        given if given is not None else [str(s + 1) for s in range(count)]
        for given, count in zip(labels, counts, strict=True)
    )
    return Game(
        table[:, :, 0].T, table[:, :, 1].T, players=players, strategies=(rows, columns), title=title
    )


def _outcome_body(parser: _Parser, profiles: int) -> list[float]:
    """Read the outcomes (after their opening brace) and the indices; return the payoffs."""
    outcomes: list[tuple[float, float]] = [(0.0, 0.0)]  # index 0: the null outcome
    while not parser.accept("}"):
        label = f"outcome {len(outcomes)}"
        parser.expect("{", f"'{{' opening {label} or '}}' closing the outcomes")
        parser.expect("string", f"the name of {label} in double quotes")
        values: list[float] = []
        while not parser.accept("}"):
            if parser.accept(","):
                continue
            if len(values) == 2 and (extra := parser.peek()) is not None:
                raise NFGParseError(f"{label} has more than 2 payoffs", line=extra.line)
            values.append(parser.number(f"a payoff of {label} or '}}'"))
        if len(values) != 2:
            raise NFGParseError(
                f"{label} has {len(values)} payoff(s), expected 2",
                line=parser.tokens[parser.pos - 1].line,
            )
        outcomes.append((values[0], values[1]))
    payoffs: list[float] = []
    for k in range(profiles):
        token = parser.take(f"outcome index {k + 1} of {profiles}")
        if token.kind != "word" or not _INDEX.fullmatch(token.text):
            raise NFGParseError(
                f"expected an outcome index (0 to {len(outcomes) - 1}), got {_show(token)}",
                line=token.line,
            )
        if len(token.text.lstrip("0")) > 12 or int(token.text) >= len(outcomes):
            raise NFGParseError(
                f"outcome index {token.text} is out of range: there are "
                f"{len(outcomes) - 1} outcomes (0 is the null outcome)",
                line=token.line,
            )
        payoffs.extend(outcomes[int(token.text)])
    return payoffs


def read_nfg(source: str | os.PathLike[str]) -> Game:
    """Read a two-player game from Gambit's strategic-form ``.nfg`` format.

    Parameters
    ----------
    source : str or path-like
        The file's text, if ``source`` is a ``str`` whose stripped text starts with
        ``NFG``; otherwise the path of a UTF-8 file.

    Returns
    -------
    Game
        The game, with the file's title, player names and strategy names (``"1"``,
        ``"2"``, ... when the file only gives the numbers of strategies).

    Raises
    ------
    InvalidParameterError
        If ``source`` is neither a string nor a path.
    NFGParseError
        If the file is malformed or does not have exactly two players; its ``line``
        attribute is the 1-based line of the problem (the last line if the file ends
        too early).
    FileNotFoundError
        If ``source`` is a path to no file.

    Examples
    --------
    >>> game = read_nfg('NFG 1 R "PD" { "Row" "Column" } { 2 2 } 3 3 5 0 0 5 1 1')
    >>> game.payoffs[0]
    array([[3., 0.],
           [5., 1.]])
    >>> game.players
    ('Row', 'Column')
    """
    if isinstance(source, str) and source.strip().startswith("NFG"):
        text = source
    elif not isinstance(source, (str, os.PathLike)):
        raise InvalidParameterError(
            f"source must be the text of an .nfg file or a path, got {type(source).__name__}"
        )
    else:
        with open(source, "rb") as handle:
            data = handle.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise NFGParseError(
                f"the file is not UTF-8 text ({exc.reason})",
                line=data.count(b"\n", 0, exc.start) + 1,
            ) from None
    return _parse(text)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: float) -> str:
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)  # the shortest text that reads back as the same float


def write_nfg(game: GameLike, path: str | os.PathLike[str] | None = None) -> str:
    """Write a game in Gambit's strategic-form ``.nfg`` format (payoff-list body).

    Payoffs are written so that reading them back gives the same floats: integers as
    integers, other numbers in their shortest round-trip form. Names and the title are
    kept, so ``read_nfg(write_nfg(game)) == game``.

    Parameters
    ----------
    game : Game
        The game to write.
    path : str or path-like, optional
        A file to write the text to (UTF-8), replacing any existing one.

    Returns
    -------
    str
        The file's text.

    Examples
    --------
    >>> pd = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]], title="PD")
    >>> print(write_nfg(pd), end="")
    NFG 1 R "PD" { "Player 1" "Player 2" }
    { { "1" "2" } { "1" "2" } }
    ""
    <BLANKLINE>
    3 3 5 0
    0 5 1 1
    >>> read_nfg(write_nfg(pd)) == pd
    True
    """
    game = as_game(game)
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise InvalidParameterError(f"path must be a file path, got {type(path).__name__}")
    A, B = (matrix.tolist() for matrix in game.payoffs)
    rows, columns = game.strategies
    lines = [
        f"NFG 1 R {_quote(game.title)} {{ {' '.join(_quote(p) for p in game.players)} }}",
        "{ { " + " ".join(map(_quote, rows)) + " } { " + " ".join(map(_quote, columns)) + " } }",
        '""',
        "",
    ]
    for j in range(len(columns)):  # one line per strategy of player 2
        lines.append(" ".join(f"{_number(A[i][j])} {_number(B[i][j])}" for i in range(len(rows))))
    text = "\n".join(lines) + "\n"
    if path is not None:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    return text
