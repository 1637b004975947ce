"""The ``powergames`` command line: parses arguments, calls the library, prints.

Sub-commands (``powergames COMMAND --help`` for each):

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
``powergames plot regime-map --x NAME --y NAME [--preset NAME | --scenario FILE]
[--grid ...] [--set ...] [--resolution N] --out map.png``
    A regime map (:func:`powergames.plot.regime_map`; needs matplotlib).

Errors print one line ``powergames: error: ...`` on standard error and exit with
status 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import sys
import warnings
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import sympy as sp
from numpy.typing import NDArray

from powergames.equilibria import METHODS, Equilibrium, equilibria
from powergames.errors import DegenerateGameWarning, InvalidParameterError, PowergamesError
from powergames.game import Game
from powergames.gridspec import parse_grid_spec
from powergames.nfg import read_nfg
from powergames.partnership import (
    Parameters,
    Scenario,
    derive,
    evaluate,
    list_presets,
    load_preset,
    load_scenario,
)
from powergames.partnership.columns import COLUMNS, DEFAULT_COLUMNS, PartnershipModel
from powergames.partnership.quantities import quantity
from powergames.table import Table, _latex_escape
from powergames.tables import sweep

__all__ = ["EXAMPLES", "main", "parse_grid_options"]

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


# ------------------------------------------------------------------ option values
def _assignments(items: Sequence[str] | None, option: str) -> dict[str, str]:
    """``NAME=VALUE`` options as a dictionary (each name once).

    Examples
    --------
    >>> _assignments(["a=1", " b = 2:3:4 "], "--grid")
    {'a': '1', 'b': '2:3:4'}
    >>> _assignments(["a"], "--set")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: --set 'a' must have the form NAME=VALUE
    """
    found: dict[str, str] = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise InvalidParameterError(f"{option} {item!r} must have the form NAME=VALUE")
        if name in found:
            raise InvalidParameterError(f"{option} {name} is given twice")
        found[name] = value
    return found


def parse_grid_options(items: Sequence[str] | None) -> dict[str, NDArray[np.float64]]:
    """The ``--grid`` options: ``NAME=start:stop:num`` (``num`` values from ``start`` to
    ``stop`` inclusive) or ``NAME=v1,v2,...``, checked against the parameters' domains.

    Raises
    ------
    InvalidParameterError
        For a malformed option, an unknown parameter or a value outside its domain.

    Examples
    --------
    >>> grid = parse_grid_options(["discount_factor=0.2:0.8:4", "inherited_weight=0.5,0.9"])
    >>> {name: values.round(3).tolist() for name, values in grid.items()}
    {'discount_factor': [0.2, 0.4, 0.6, 0.8], 'inherited_weight': [0.5, 0.9]}
    >>> parse_grid_options(["discount_factor=0:1:3"])
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: --grid discount_factor=0:1:3: discount_factor ...
    """
    grid: dict[str, NDArray[np.float64]] = {}
    for name, text in _assignments(items, "--grid").items():
        try:
            if ":" in text:
                values = parse_grid_spec(text)
            else:
                values = np.array([_number(part, name) for part in text.split(",")])
            Parameters(**{name: values})
        except InvalidParameterError as error:
            raise InvalidParameterError(f"--grid {name}={text}: {error}") from None
        grid[name] = values
    return grid


def _number(text: str, name: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise InvalidParameterError(f"{name} must be a number, got {text.strip()!r}") from None


def _scenario(args: argparse.Namespace) -> Scenario:
    """The preset or scenario file named by the options (the baseline when neither is
    given), with the ``--set`` values (which the title then mentions)."""
    if getattr(args, "preset", None):
        scenario = load_preset(args.preset)
    elif getattr(args, "scenario", None):
        scenario = load_scenario(Path(args.scenario))
    else:
        scenario = Scenario("baseline", title="The baseline B0 of the partnership model")
    changes = _assignments(getattr(args, "set", None), "--set")
    if not changes:
        return scenario
    values = {name: _number(text, f"--set {name}") for name, text in changes.items()}
    try:
        changed_scenario = scenario.with_values(**values)
    except InvalidParameterError as error:
        raise InvalidParameterError(f"--set: {error}") from None
    changed = ", ".join(f"{name} = {value:g}" for name, value in values.items())
    title = f"{scenario.title or scenario.name} (with {changed})"
    return dataclasses.replace(changed_scenario, title=title)


def _model(scenario: Scenario) -> PartnershipModel:
    return PartnershipModel(scenario.parameters)


# ----------------------------------------------------------------------- commands
def _solve(args: argparse.Namespace) -> None:
    if args.list_examples:
        print("\n".join(sorted(EXAMPLES)))
        return
    game = load_example(args.example) if args.example else read_nfg(args.file)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DegenerateGameWarning)
        found = equilibria(game, args.method)
    if game.title:
        print(f"{game.title}\n")
    print(equilibrium_table(game, found, args.format))
    for warning in caught:
        print(f"note: {warning.message}", file=sys.stderr)


def _table(args: argparse.Namespace) -> None:
    scenario = _scenario(args)
    grid: dict[str, Any] = parse_grid_options(args.grid) or dict(scenario.grid)
    columns = list(DEFAULT_COLUMNS)
    if args.columns is not None:
        columns = [name.strip() for name in args.columns.split(",") if name.strip()]
        if not columns:
            raise InvalidParameterError("--columns needs at least one column name")
    pivot = None
    if args.pivot is not None:
        pivot = [name.strip() for name in args.pivot.split(",")]
        if len(pivot) != 3 or not all(pivot):
            raise InvalidParameterError(
                f"--pivot {args.pivot!r} must have the form ROW,COLUMN,VALUE"
            )
        if pivot[2] not in columns:
            columns.append(pivot[2])
    if args.workers < 1:
        raise InvalidParameterError(f"--workers must be at least 1, got {args.workers}")
    if args.out is not None:
        if args.pivot is not None or args.format is not None:
            option = "--pivot" if args.pivot is not None else "--format"
            raise InvalidParameterError(
                f"{option} applies to printed tables, not to --out (whose suffix, .csv or "
                ".jsonl, chooses the format)"
            )
        if Path(args.out).suffix not in (".csv", ".jsonl"):
            raise InvalidParameterError(
                f"--out {args.out!r}: the file name must end in .csv or .jsonl"
            )
    elif args.resume:
        raise InvalidParameterError("--resume needs --out FILE (the file to resume)")

    options: dict[str, Any] = {"out": args.out, "resume": args.resume}
    if args.workers > 1:
        with ProcessPoolExecutor(args.workers) as executor:
            table = sweep(_model(scenario), grid, columns, executor=executor, **options)
    else:
        table = sweep(_model(scenario), grid, columns, **options)
    if args.out is not None:
        rows = math.prod(len(values) for values in grid.values())
        print(f"wrote {rows} rows to {args.out}", file=sys.stderr)
        return

    title = scenario.title or scenario.name
    table = Table(table.data, table.columns, title)
    if pivot is not None:
        for name in pivot[:2]:
            if name not in table.names:
                raise InvalidParameterError(
                    f"--pivot: no column {name!r}; the table has {', '.join(table.names)}"
                )
        table = table.pivot(*pivot)
    fmt = args.format or "markdown"
    if fmt == "markdown":
        print(f"{title}\n")
        print(table.to_markdown())
    elif fmt == "csv":
        print(table.to_csv(), end="")
    elif fmt == "latex":
        print(table.to_latex(caption=_latex_escape(title)))
    else:
        print(table.to_json())


def _derive(args: argparse.Namespace) -> None:
    forms = derive()
    expressions = {n: forms[n] for n in forms} if args.expanded else forms.compact()
    values = evaluate(_scenario(args).parameters) if args.preset or args.scenario else None
    for name, expression in expressions.items():
        text = sp.latex(expression) if args.latex else str(expression)
        value = "" if values is None else f" = {float(values[name]):.12g}"
        short = "" if args.expanded else f" ({quantity(name).symbol})"
        print(f"{name}{short} = {text}{value}")


def _presets(args: argparse.Namespace) -> None:
    presets = list_presets()
    width = max(len(p.name) for p in presets)
    regime_width = max(len(p.expected_regime or "-") for p in presets)
    for preset in presets:
        regime = preset.expected_regime or "-"
        print(f"{preset.name:<{width}}  {regime:<{regime_width}}  {preset.title}")


def _plot(args: argparse.Namespace) -> None:
    from powergames import plot

    scenario = _scenario(args)
    grid = parse_grid_options(args.grid)
    extra = sorted(set(grid) - {args.x, args.y})
    if extra:
        raise InvalidParameterError(
            f"--grid {', '.join(extra)}: a map's grids are its axes, --x {args.x} and --y {args.y}"
        )
    if args.resolution < 2:
        raise InvalidParameterError(f"--resolution must be at least 2, got {args.resolution}")
    axes = {}
    for name in (args.x, args.y):
        if name in grid:
            axes[name] = grid[name]
        else:
            low, high = plot.default_range(name, scenario.parameters.get(name))
            axes[name] = np.linspace(low, high, args.resolution)
    try:
        plot.check_image_path(args.out)
        ax = plot.regime_map(scenario, args.x, args.y, axes[args.x], axes[args.y])
    except ImportError as error:
        if error.name != "matplotlib":
            raise
        raise InvalidParameterError(
            "the plot command needs matplotlib: pip install 'powergames[plot]'"
        ) from None
    plot.save_figure(ax.figure, args.out)
    print(f"wrote {args.out}", file=sys.stderr)


# ------------------------------------------------------------------------- parser
class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors, like the library's."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"powergames: error: {message} (see {self.prog} --help)\n")


def _scenario_options(parser: argparse.ArgumentParser, required: bool) -> None:
    source = parser.add_mutually_exclusive_group(required=required)
    source.add_argument("--preset", metavar="NAME", help="a bundled scenario (see 'presets')")
    source.add_argument("--scenario", metavar="FILE", help="a scenario file (TOML)")
    parser.add_argument(
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="change one parameter of the scenario to a number (repeatable; the formulas "
        "of a scenario file that use it are resolved again)",
    )


def _grid_option(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument(
        "--grid",
        action="append",
        metavar="NAME=start:stop:num",
        help=help,
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    solve.set_defaults(handler=_solve)

    table = commands.add_parser(
        "table",
        help="a table of the partnership model over a parameter grid",
        description=(
            "Sweep the partnership model over a grid of parameters, at the values of a "
            "preset or scenario file, and print the table (or stream it to a file). "
            f"Columns: {', '.join(COLUMNS)} and the parameters."
        ),
    )
    _scenario_options(table, required=True)
    _grid_option(
        table,
        "sweep NAME over num values from start to stop (both included), or over the "
        "values of NAME=v1,v2,...; repeatable (default: the scenario's own grid; without "
        "one, a single row)",
    )
    table.add_argument(
        "--columns",
        metavar="a,b,c",
        help=f"the columns to compute (default: {', '.join(DEFAULT_COLUMNS)})",
    )
    table.add_argument(
        "--format",
        choices=("markdown", "csv", "latex", "json"),
        help="how to print the table (default: markdown)",
    )
    table.add_argument(
        "--out",
        metavar="FILE",
        help="stream the rows to FILE (.csv, or .jsonl for JSON lines) instead of printing "
        "them (--format and --pivot do not apply)",
    )
    table.add_argument(
        "--resume",
        action="store_true",
        help="with --out: keep the rows an interrupted run wrote and compute the rest",
    )
    table.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="compute the chunks of the grid in N processes (default: 1)",
    )
    table.add_argument(
        "--pivot",
        metavar="ROW,COLUMN,VALUE",
        help="print a two-way table of VALUE by ROW and COLUMN, e.g. "
        "discount_factor,inherited_weight,regime",
    )
    table.set_defaults(handler=_table)

    derive_ = commands.add_parser(
        "derive",
        help="the closed forms of the partnership model",
        description=(
            "Print the closed forms of the partnership model, derived by sympy, one per "
            "line as name = expression: the stage game's temptations T_N, T_S and "
            "surpluses Sigma, Sigma_DB in the parameters, then the repeated game's forms "
            "in terms of those (a is the OCI's bargaining weight; a_min and a_max the "
            "window of self-enforcing weights). With a preset or scenario, also their "
            "values there (at the inherited weight)."
        ),
    )
    source = derive_.add_mutually_exclusive_group()
    source.add_argument("--preset", metavar="NAME", help="also print the values at a preset")
    source.add_argument("--scenario", metavar="FILE", help="also print the values at a scenario")
    derive_.add_argument("--latex", action="store_true", help="print the expressions as LaTeX")
    derive_.add_argument(
        "--expanded",
        action="store_true",
        help="write every form in the parameters alone (long)",
    )
    derive_.set_defaults(handler=_derive)

    presets = commands.add_parser(
        "presets",
        help="list the bundled scenarios",
        description="List the bundled scenarios: name, the regime it shows, title.",
    )
    presets.set_defaults(handler=_presets)

    plot = commands.add_parser(
        "plot",
        help="figures of the partnership model (needs matplotlib)",
        description="Draw figures of the partnership model (needs matplotlib).",
    )
    figures = plot.add_subparsers(dest="figure", required=True, metavar="FIGURE")
    regime_map = figures.add_parser(
        "regime-map",
        help="the regimes over two parameters",
        description=(
            "Colour the plane of two parameters by the regime of the partnership model, "
            "with the critical discount factor delta** (when one axis is the discount "
            "factor) and contours of the dilution d*. At the baseline parameters unless "
            "a preset or scenario is given."
        ),
    )
    regime_map.add_argument("--x", required=True, metavar="NAME", help="the horizontal axis")
    regime_map.add_argument("--y", required=True, metavar="NAME", help="the vertical axis")
    _scenario_options(regime_map, required=False)
    _grid_option(
        regime_map,
        "the values along the axis NAME, as for 'table' (default: --resolution values over "
        "its domain, clipped)",
    )
    regime_map.add_argument(
        "--resolution",
        type=int,
        default=200,
        metavar="N",
        help="values per axis without --grid (default: 200)",
    )
    regime_map.add_argument(
        "--out", required=True, metavar="FILE", help="the image (.png, .pdf, .svg, ...)"
    )
    regime_map.set_defaults(handler=_plot)
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
        args.handler(args)
    except BrokenPipeError:
        # The reader left early (``powergames table ... | head``): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (PowergamesError, OSError) as exc:
        print(f"powergames: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
