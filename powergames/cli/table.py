"""``powergames table``: the partnership model swept over a grid, printed or streamed
to a file."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from powergames.cli import models, options
from powergames.errors import InvalidParameterError

__all__ = ["OUTPUT_SUFFIXES", "add_parser", "run"]

#: The files ``--out`` writes, by suffix.
OUTPUT_SUFFIXES = (".csv", ".jsonl", ".parquet")


def output_file(text: str) -> str:
    """An argparse ``type``: a file name ending in one of :data:`OUTPUT_SUFFIXES`."""
    if Path(text).suffix not in OUTPUT_SUFFIXES:
        raise argparse.ArgumentTypeError(
            f"{text!r}: the file name must end in {' or '.join(OUTPUT_SUFFIXES)}"
        )
    return text


#: Stands in the help for the list of columns, written only when help is printed.
_COLUMNS = "{columns}"


class _Help(argparse.HelpFormatter):
    """Help with the model's columns, grouped, one per line (listed only when the help
    is printed: the command line starts without the model)."""

    def _format_text(self, text: str) -> str:
        if text != _COLUMNS:
            return super()._format_text(text)
        from powergames.partnership.actors.quantities import NESTED_QUANTITIES
        from powergames.tables import list_columns
        from powergames.tables.actors import COLUMNS as NESTED_COLUMNS
        from powergames.tables.partnership import COLUMNS

        listing = list_columns(list(COLUMNS.values()), detailed=True)
        own = [NESTED_COLUMNS[q.name] for q in NESTED_QUANTITIES]
        nested = list_columns(own, detailed=True)
        return (
            "with --model nested, the nested game's own columns come first (then those "
            f"below, of the partnership at stage 3, and its parameters):\n{nested}\n\n"
            f"columns, by group (and any parameter of the model):\n{listing}\n\n"
        )


def add_parser(commands: Any) -> None:
    """The ``table`` command and its options."""
    table = commands.add_parser(
        "table",
        help="a table of the partnership model over a parameter grid",
        description=(
            "Sweep the partnership model over a grid of parameters, at the values of a "
            "preset or scenario file, and print the table (or stream it to a file)."
        ),
        epilog=_COLUMNS,
        formatter_class=_Help,
    )
    models.add_model_option(table)
    options.add_scenario_options(table, required=True)
    options.add_grid_option(
        table,
        "sweep NAME over num values from start to stop (both included), or over the "
        "values of NAME=v1,v2,...; repeatable (default: the scenario's own grid; without "
        "one, a single row)",
    )
    table.add_argument(
        "--columns",
        type=options.name_list,
        metavar="a,b,c",
        help="the columns to compute (default: regime, dilution, weight, "
        "critical_discount_factor, surplus; with --model nested: mobilisation, "
        "conditionality, temptation_oci, critical_discount_factor, regime, dilution and "
        "the four actors' payoffs)",
    )
    table.add_argument(
        "--format",
        choices=("markdown", "csv", "latex", "json"),
        help="how to print the table (default: markdown)",
    )
    table.add_argument(
        "--pivot",
        type=options.pivot_spec,
        metavar="ROW,COLUMN,VALUE",
        help="print a two-way table of VALUE by ROW and COLUMN, e.g. "
        "discount_factor,inherited_weight,regime",
    )
    table.add_argument(
        "--out",
        type=output_file,
        metavar="FILE",
        help="stream the rows to FILE (.csv; .jsonl for JSON lines; .parquet, with "
        "pyarrow) instead of printing them (--format and --pivot do not apply)",
    )
    existing = table.add_mutually_exclusive_group()
    existing.add_argument(
        "--resume",
        action="store_true",
        help="with --out: keep the rows an interrupted run wrote and compute the rest",
    )
    existing.add_argument(
        "--force",
        action="store_true",
        help="with --out: replace the file if it exists (without --force or --resume, an "
        "existing file is refused)",
    )
    table.add_argument(
        "--workers",
        type=options.positive_int,
        default=1,
        metavar="N",
        help="compute the chunks of the grid in N processes, at most one per chunk and "
        "per processor available (default: 1)",
    )
    table.set_defaults(run=run)


def run(args: argparse.Namespace) -> None:
    """Sweep and print (or stream to ``--out``)."""
    from concurrent.futures import ProcessPoolExecutor

    from powergames.tables import CHUNK_SIZE, MAX_POINTS_IN_MEMORY, Grid, Table, sweep

    if args.out is not None:
        for option in ("pivot", "format"):
            if getattr(args, option) is not None:
                raise InvalidParameterError(
                    f"--{option} applies to printed tables, not to --out (whose suffix, "
                    ".csv, .jsonl or .parquet, chooses the format)"
                )
    elif args.resume or args.force:
        option = "--resume" if args.resume else "--force"
        raise InvalidParameterError(f"{option} needs --out FILE (the file to write)")
    scenario = models.scenario(args)
    grid: dict[str, Any] = models.parse_grid(args) or dict(scenario.grid)
    columns = list(models.default_columns(args)) if args.columns is None else list(args.columns)
    if args.pivot is not None and args.pivot[2] not in columns:
        columns.append(args.pivot[2])

    model = models.sweep_model(args, scenario)
    points = Grid(grid)
    if args.out is None and points.size > MAX_POINTS_IN_MEMORY:
        raise InvalidParameterError(
            f"a table of {points.size:,} points is too large to print (at most "
            f"{MAX_POINTS_IN_MEMORY:,}): stream it to a file with --out FILE"
        )
    settings: dict[str, Any] = {"out": args.out, "resume": args.resume, "overwrite": args.force}
    workers = min(args.workers, points.count_chunks(CHUNK_SIZE), available_processors())
    if workers > 1:
        with ProcessPoolExecutor(workers) as executor:
            table = sweep(model, points, columns, executor=executor, **settings)
    else:
        table = sweep(model, points, columns, **settings)
    if args.out is not None:
        print(f"wrote {points.size} rows to {args.out}", file=sys.stderr)
        return

    title = scenario.title or scenario.name
    table = Table(table.data, table.columns, title)
    if args.pivot is not None:
        for name in args.pivot[:2]:
            if name not in table.names:
                raise InvalidParameterError(
                    f"--pivot: no column {name!r}; the table has {', '.join(table.names)}"
                )
        table = table.pivot(*args.pivot)
    _print(table, args.format or "markdown", title)


def available_processors() -> int:
    """The processors this process may run on (its affinity, where the system says)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def _print(table: Any, fmt: str, title: str) -> None:
    from powergames.tables import latex_escape

    if fmt == "markdown":
        print(f"{title}\n")
        print(table.to_markdown())
    elif fmt == "csv":
        print(table.to_csv(), end="")
    elif fmt == "latex":
        print(table.to_latex(caption=latex_escape(title)))
    else:
        print(table.to_json())
