"""The ``powergames`` command line: parses arguments, calls the library, prints.

Sub-commands:

``powergames solve FILE.nfg [--method M] [--format F]``
    The Nash equilibria of a bimatrix game read from a Gambit ``.nfg`` file.
``powergames solve --example NAME``
    The same for a game bundled with powergames (``--list-examples`` lists them).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Sequence
from importlib import resources

from powergames.equilibria import METHODS, Equilibrium, equilibria
from powergames.errors import DegenerateGameWarning, PowergamesError
from powergames.game import Game
from powergames.nfg import read_nfg

__all__ = ["EXAMPLES", "main"]

#: Games shipped with powergames, by name.
EXAMPLES = {
    "partnership-baseline": "partnership-baseline.nfg",
}


def load_example(name: str) -> Game:
    """A bundled example game by name (see :data:`EXAMPLES`).

    Examples
    --------
    >>> load_example("partnership-baseline").strategies[0]
    ('impose', 'dilute', 'withdraw')
    """
    if name not in EXAMPLES:
        raise PowergamesError(f"unknown example {name!r}; choose one of {sorted(EXAMPLES)}")
    text = resources.files("powergames").joinpath("data", EXAMPLES[name]).read_text("utf-8")
    return read_nfg(text)


def _format_number(value: float) -> str:
    return f"{value:.6g}" if value != 0 else "0"


def _strategy_text(game: Game, player: int, sigma: Sequence[float]) -> str:
    names = game.strategies[player]
    return ", ".join(
        f"{names[k]}" if p == 1 else f"{names[k]} {_format_number(p)}"
        for k, p in enumerate(sigma)
        if p > 0
    )


def equilibrium_table(game: Game, found: Sequence[Equilibrium], fmt: str = "markdown") -> str:
    """The equilibria of ``game`` as a Markdown table, CSV or JSON.

    Examples
    --------
    >>> game = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")))
    >>> print(equilibrium_table(game, equilibria(game)))
    | # | Player 1 | Player 2 | payoff Player 1 | payoff Player 2 |
    |---|---|---|---|---|
    | 1 | D | D | 1 | 1 |
    """
    first, second = game.players
    if fmt == "json":
        records = [
            {
                "strategies": {
                    first: dict(zip(game.strategies[0], eq.strategies[0].tolist(), strict=True)),
                    second: dict(zip(game.strategies[1], eq.strategies[1].tolist(), strict=True)),
                },
                "payoffs": {first: eq.payoffs[0], second: eq.payoffs[1]},
            }
            for eq in found
        ]
        return json.dumps(records, indent=2)
    header = ["#", first, second, f"payoff {first}", f"payoff {second}"]
    rows = [
        [
            str(k),
            _strategy_text(game, 0, eq.strategies[0].tolist()),
            _strategy_text(game, 1, eq.strategies[1].tolist()),
            _format_number(eq.payoffs[0]),
            _format_number(eq.payoffs[1]),
        ]
        for k, eq in enumerate(found, start=1)
    ]
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return buffer.getvalue().rstrip("\n")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="powergames",
        description="Game-theoretic models of partnerships built across unequal power.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    solve = commands.add_parser(
        "solve",
        help="Nash equilibria of a bimatrix game (.nfg file or bundled example)",
        description="Print the Nash equilibria of a two-player game.",
    )
    source = solve.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", help="a Gambit strategic-form .nfg file")
    source.add_argument("--example", metavar="NAME", help="a bundled game, see --list-examples")
    source.add_argument("--list-examples", action="store_true", help="list the bundled games")
    solve.add_argument("--method", choices=METHODS, default="auto", help="solver (default: auto)")
    solve.add_argument(
        "--format", choices=("markdown", "csv", "json"), default="markdown", help="output format"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Examples
    --------
    >>> main(["solve", "--list-examples"])
    partnership-baseline
    0
    """
    args = _parser().parse_args(argv)
    try:
        if args.list_examples:
            print("\n".join(sorted(EXAMPLES)))
            return 0
        game = load_example(args.example) if args.example else read_nfg(args.file)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DegenerateGameWarning)
            found = equilibria(game, args.method)
        if game.title:
            print(f"{game.title}\n")
        print(equilibrium_table(game, found, args.format))
        for warning in caught:
            print(f"note: {warning.message}", file=sys.stderr)
    except (PowergamesError, OSError) as exc:
        print(f"powergames: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
