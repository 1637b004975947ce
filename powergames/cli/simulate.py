"""``powergames simulate``: a path of the dynamic partnership model, period by period."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from powergames.cli import options
from powergames.errors import InvalidParameterError

__all__ = ["OUTPUT_SUFFIXES", "add_dynamic_options", "add_parser", "dynamic_path", "run"]

#: The files ``--out`` writes, by suffix.
OUTPUT_SUFFIXES = {".csv": "csv", ".json": "json", ".md": "markdown", ".tex": "latex"}


def add_dynamic_options(parser: argparse.ArgumentParser) -> None:
    """``--preset NAME | --scenario FILE``, ``--periods``, ``--seed``, ``--draw-eras``."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--preset", metavar="NAME", help="a bundled dynamic scenario (historical-path)"
    )
    source.add_argument("--scenario", metavar="FILE", help="a dynamic scenario file (TOML)")
    parser.add_argument(
        "--periods",
        type=options.positive_int,
        default=50,
        metavar="N",
        help="the periods to simulate (default: 50)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        metavar="S",
        help="seeds the draws (the stocks on the grid, and the eras with --draw-eras): "
        "the same seed gives the same path",
    )
    parser.add_argument(
        "--draw-eras",
        action="store_true",
        help="draw the eras from the scenario's chain instead of following its calendar",
    )


def dynamic_path(args: argparse.Namespace) -> Any:
    """The scenario and the path the options ask for, as a table."""
    from powergames.partnership.dynamics import load_dynamic_preset, load_dynamic_scenario
    from powergames.tables.dynamics import simulate

    if args.preset is not None:
        scenario = load_dynamic_preset(args.preset)
    else:
        scenario = load_dynamic_scenario(Path(args.scenario))
    eras = None if args.draw_eras else scenario.eras(args.periods)
    return scenario, simulate(scenario, periods=args.periods, eras=eras, seed=args.seed)


def add_parser(commands: Any) -> None:
    """The ``simulate`` command and its options."""
    simulate = commands.add_parser(
        "simulate",
        help="a path of the dynamic partnership model",
        description=(
            "Solve a dynamic scenario (legitimacy and trust as stocks, the funder's eras "
            "as a Markov chain) and print the path of a relation from the scenario's "
            "start: era, stocks, regime, weight, dilution, transfer, period by period."
        ),
    )
    add_dynamic_options(simulate)
    simulate.add_argument(
        "--columns",
        type=options.name_list,
        metavar="a,b,c",
        help="the columns to print (default: period, era, moral_legitimacy, "
        "shared_paradigm, regime, weight, dilution, transfer)",
    )
    simulate.add_argument(
        "--format",
        choices=("markdown", "csv", "latex", "json"),
        help="how to print the path (default: markdown)",
    )
    simulate.add_argument(
        "--out",
        metavar="FILE",
        help="write the path to FILE instead (.csv, .json, .md or .tex), every column",
    )
    simulate.set_defaults(run=run)


DEFAULT_COLUMNS = (
    "period",
    "era",
    "moral_legitimacy",
    "shared_paradigm",
    "regime",
    "weight",
    "dilution",
    "transfer",
)


def run(args: argparse.Namespace) -> None:
    """Simulate and print (or write ``--out``)."""
    if args.out is not None:
        suffix = Path(args.out).suffix
        if suffix not in OUTPUT_SUFFIXES:
            raise InvalidParameterError(
                f"--out {args.out!r}: the file name must end in {', '.join(OUTPUT_SUFFIXES)}"
            )
        if args.format is not None or args.columns is not None:
            raise InvalidParameterError("--format and --columns apply to printed paths, not --out")
        if not Path(args.out).resolve().parent.is_dir():
            raise InvalidParameterError(f"--out {args.out!r}: the folder does not exist")
    _, table = dynamic_path(args)
    if args.out is not None:
        text = _render(table, OUTPUT_SUFFIXES[Path(args.out).suffix], table.title)
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {len(table)} periods to {args.out}", file=sys.stderr)
        return
    columns = list(DEFAULT_COLUMNS) if args.columns is None else list(args.columns)
    unknown = [name for name in columns if name not in table.names]
    if unknown:
        raise InvalidParameterError(
            f"--columns: unknown column {unknown[0]!r}"
            f"{options.did_you_mean(unknown[0], table.names)}; the columns are "
            f"{', '.join(table.names)}"
        )
    print(_render(table.select(*columns), args.format or "markdown", table.title), end="")


def _render(table: Any, fmt: str, title: str) -> str:
    from powergames.tables import latex_escape

    if fmt == "markdown":
        return f"{title}\n\n{table.to_markdown(digits=4)}\n"
    if fmt == "csv":
        return str(table.to_csv())
    if fmt == "latex":
        return str(table.to_latex(caption=latex_escape(title))) + "\n"
    return str(table.to_json()) + "\n"
