"""``powergames solve``: the Nash equilibria of a bimatrix game, from a Gambit ``.nfg``
file or a bundled example."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from powergames.cli.options import LazyChoices

if TYPE_CHECKING:  # pragma: no cover
    from powergames.equilibria import Equilibrium
    from powergames.game import Game

__all__ = ["add_parser", "equilibrium_table", "run"]


def add_parser(commands: Any) -> None:
    """The ``solve`` command and its options."""
    solve = commands.add_parser(
        "solve",
        help="Nash equilibria of a bimatrix game (.nfg file or bundled example)",
        description="Print the Nash equilibria of a two-player game.",
    )
    source = solve.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", help="a Gambit strategic-form .nfg file")
    source.add_argument("--example", metavar="NAME", help="a bundled game, see --list-examples")
    source.add_argument("--list-examples", action="store_true", help="list the bundled games")
    solve.add_argument(
        "--method",
        choices=LazyChoices("powergames.equilibria", "METHODS"),
        default="auto",
        metavar="METHOD",  # not the choices: listing them would import the solvers
        help="the solver, one of %(choices)s (default: %(default)s)",
    )
    solve.add_argument(
        "--format", choices=("markdown", "csv", "json"), default="markdown", help="output format"
    )
    solve.add_argument(
        "--time-limit",
        type=_seconds,
        metavar="SECONDS",
        help="stop the search after this many seconds and print what was found, with a note "
        "that the list may be incomplete",
    )
    solve.set_defaults(run=run)


def _seconds(text: str) -> float:
    """A positive, finite number of seconds (an argparse ``type``)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value


def run(args: argparse.Namespace) -> None:
    """Print the equilibria (notes such as degeneracy on standard error)."""
    from powergames.equilibria import equilibria
    from powergames.errors import DegenerateGameWarning, TimeLimitWarning
    from powergames.examples import EXAMPLES, load_example
    from powergames.nfg import read_nfg

    if args.list_examples:
        print("\n".join(sorted(EXAMPLES)))
        return
    game = load_example(args.example) if args.example else read_nfg(args.file)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DegenerateGameWarning)
        warnings.simplefilter("always", TimeLimitWarning)
        found = equilibria(game, args.method, time_limit=args.time_limit)
    if game.title:
        print(f"{game.title}\n")
    print(equilibrium_table(game, found, args.format))
    for warning in caught:
        print(f"note: {warning.message}", file=sys.stderr)


def _number(value: float) -> str:
    return f"{value:.6g}" if value != 0 else "0"


def _strategy_text(game: Game, player: int, sigma: Sequence[float]) -> str:
    """A mixed strategy as its support: names, with the probability when below 1."""
    names = game.strategies[player]
    return ", ".join(
        f"{names[k]}" if p == 1 else f"{names[k]} {_number(p)}"
        for k, p in enumerate(sigma)
        if p > 0
    )


def equilibrium_table(game: Game, found: Sequence[Equilibrium], fmt: str = "markdown") -> str:
    """The equilibria of ``game`` as a Markdown table, CSV or JSON.

    Examples
    --------
    >>> from powergames import Game, equilibria
    >>> game = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")))
    >>> print(equilibrium_table(game, equilibria(game)))
    | # | Player 1 | Player 2 | payoff Player 1 | payoff Player 2 |
    |---:|:---|:---|:---|:---|
    | 1 | D | D | 1 | 1 |
    """
    from powergames.tables import Table

    # Names are labels, not keys: two players, or two strategies, may share one.
    first, second = game.players
    if first == second or not first or not second:
        first, second = "Player 1", "Player 2"
    if fmt == "json":
        records = [
            {
                "players": [
                    {
                        "player": player,
                        "strategy": [
                            {"name": name, "probability": p}
                            for name, p in zip(
                                game.strategies[k], eq.strategies[k].tolist(), strict=True
                            )
                        ],
                        "payoff": eq.payoffs[k],
                    }
                    for k, player in enumerate(game.players)
                ]
            }
            for eq in found
        ]
        return json.dumps(records, indent=2)
    # Payoffs as text with six significant digits, as in every format before JSON.
    columns: dict[str, list[Any]] = {
        "#": list(range(1, len(found) + 1)),
        first: [_strategy_text(game, 0, eq.strategies[0].tolist()) for eq in found],
        second: [_strategy_text(game, 1, eq.strategies[1].tolist()) for eq in found],
        f"payoff {first}": [_number(eq.payoffs[0]) for eq in found],
        f"payoff {second}": [_number(eq.payoffs[1]) for eq in found],
    }
    table = Table({name: _column(values) for name, values in columns.items()})
    if fmt == "csv":
        return table.to_csv().rstrip("\n")
    return table.to_markdown()


def _column(values: list[Any]) -> Any:
    import numpy as np

    return np.array(values, dtype=int if values and isinstance(values[0], int) else str)
