"""The ``powergames`` command line: parses arguments, calls the library, prints.

Sub-commands (``powergames COMMAND --help`` for each), one module each:

``powergames solve FILE.nfg [--method M] [--format F]``
    The Nash equilibria of a bimatrix game read from a Gambit ``.nfg`` file.
``powergames solve --example NAME``
    The same for a game bundled with powergames (``--list-examples`` lists them).
``powergames table (--preset NAME | --scenario FILE) [--grid NAME=start:stop:num]...
[--set NAME=VALUE]... [--columns a,b,c] [--format markdown|csv|latex|json] [--out FILE]
[--resume] [--workers N] [--pivot ROW,COLUMN,VALUE]``
    The partnership model swept over a grid (:func:`powergames.sweep`), printed or
    streamed to a CSV or JSON-lines file.
``powergames derive [--preset NAME | --scenario FILE] [--latex] [--expanded]``
    The closed forms (:func:`powergames.partnership.derive`), in terms of the stage
    game's temptations and surpluses (or expanded in the parameters), with their
    values at a scenario.
``powergames presets``
    The bundled scenarios: name, regime, title.
``powergames simulate (--preset NAME | --scenario FILE) [--periods N] [--seed S]
[--draw-eras] [--columns a,b,c] [--format F] [--out FILE]``
    A path of the dynamic partnership model (:func:`powergames.simulate`).
``powergames plot regime-map --x NAME --y NAME [--preset NAME | --scenario FILE]
[--grid ...] [--set ...] [--resolution N] --out map.png``
    A regime map (:func:`powergames.plot.regime_map`; needs matplotlib).
``powergames uncertainty (--preset NAME | --scenario FILE) [--samples N] [--seed S]``
    The regimes' shares of a scenario's plausible range (its ``[ranges]``) and the
    spread of dilution, transfer and critical discount factor.
``powergames sensitivity (--preset NAME | --scenario FILE) [--outputs a,b] [--samples N]``
    Sobol' indices of the outputs to the ranged parameters (needs SALib).
``powergames case --codebook FILE --qdpx FILE [--by set|source|case]``
    Coded interviews (a REFI-QDA project) and a codebook to each case's regimes.
``powergames plot trajectory (--preset NAME | --scenario FILE) [--periods N] [--seed S]
[--draw-eras] --out path.png``
    A path of the dynamic model (:func:`powergames.plot.trajectory_plot`).
``powergames plot policy-map (--preset NAME | --scenario FILE) [--periods N] [--seed S]
[--draw-eras] [--no-path] --out map.png``
    The dynamic model's regimes over the stocks, era by era, with the path
    (:func:`powergames.plot.policy_map`).
``powergames completion bash|zsh|tcsh``
    A shell completion script (needs shtab).
``powergames --version``
    The version.

Each command module has ``add_parser(subparsers)`` and ``run(args)``; the library is
imported inside ``run``, so ``powergames --help`` answers at once. Errors print one
line ``powergames: error: ...`` on standard error and exit with status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from powergames.cli import (
    case,
    completion,
    derive,
    plot,
    presets,
    sensitivity,
    simulate,
    solve,
    table,
    uncertainty,
)
from powergames.cli.options import did_you_mean
from powergames.errors import PowergamesError

__all__ = ["COMMANDS", "EXAMPLES", "build_parser", "load_example", "main", "parse_grid_options"]

#: The command modules, in the order ``--help`` lists them.
COMMANDS = (
    solve,
    table,
    derive,
    presets,
    simulate,
    plot,
    uncertainty,
    sensitivity,
    case,
    completion,
)


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors, like the library's, that suggest the closest
    choice to a mistyped one."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"powergames: error: {message} (see {self.prog} --help)\n")

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            choices = [str(choice) for choice in action.choices]
            raise argparse.ArgumentError(
                action,
                f"invalid choice: {value!r}{did_you_mean(str(value), choices)} "
                f"(choose from {', '.join(choices)})",
            )


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command (building it imports nothing heavy)."""
    parser = Parser(
        prog="powergames",
        description="Game-theoretic models of partnerships built across unequal power.",
    )
    from powergames import __version__

    parser.add_argument("--version", action="version", version=f"powergames {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Examples
    --------
    >>> main(["solve", "--list-examples"])
    partnership-baseline
    0
    """
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except BrokenPipeError:
        # The reader left early (``powergames table ... | head``): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (PowergamesError, OSError) as exc:
        print(f"powergames: error: {exc}", file=sys.stderr)
        return 2
    return 0


def __getattr__(name: str) -> Any:
    # Names the command line re-exports from the library, imported on first use.
    if name in ("EXAMPLES", "load_example"):
        from powergames import examples

        return getattr(examples, name)
    if name == "parse_grid_options":
        from powergames.cli.options import parse_grid_options

        return parse_grid_options
    raise AttributeError(f"module 'powergames.cli' has no attribute {name!r}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
