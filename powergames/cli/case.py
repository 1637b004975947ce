"""``powergames case``: coded interviews to regimes. Reads a REFI-QDA project export
(.qdpx) and a codebook, sets each case's levels from its coded segments, and prints
how robust each case's regime is (:mod:`powergames.partnership.evidence`)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from powergames.cli import options

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> None:
    """The ``case`` command and its options."""
    parser = commands.add_parser(
        "case",
        help="coded interviews (.qdpx) and a codebook to the regimes of each case",
        description=(
            "Read the coded segments of a REFI-QDA project (exported by ATLAS.ti, NVivo, "
            "MAXQDA, ...), set each case's level of every code of the codebook from its "
            "count of coded segments, and print, per case, the levels and the regimes' "
            "shares of the plausible range those levels allow."
        ),
    )
    parser.add_argument("--codebook", required=True, metavar="FILE", help="the codebook (TOML)")
    parser.add_argument("--qdpx", required=True, metavar="FILE", help="the project (.qdpx)")
    parser.add_argument(
        "--by",
        choices=("set", "source", "case"),
        default="set",
        help="what a case is: a document group (set), a document (source) or a case of "
        "the project (default: set)",
    )
    parser.add_argument(
        "--samples",
        type=options.positive_int,
        default=4096,
        metavar="N",
        help="points of each case's plausible range, a power of two (default: 4096)",
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="(default: 0)")
    parser.add_argument(
        "--write",
        metavar="DIR",
        help="also write each case's scenario (with its ranges) to DIR/CASE.toml, for "
        "'uncertainty' and 'sensitivity'",
    )
    parser.add_argument(
        "--plot", metavar="FILE", help="also draw the regimes' shares of every case to FILE"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> None:
    """Read, set levels, sample, print."""
    from powergames import render
    from powergames.errors import InvalidParameterError
    from powergames.partnership.evidence import (
        case_scenario,
        load_codebook,
        read_qdpx,
        uncertainty,
    )

    if args.plot is not None:
        options.check_image(args.plot, "--plot")
    codebook = load_codebook(Path(args.codebook))
    counts = read_qdpx(args.qdpx).counts(args.by)
    if not counts:
        raise InvalidParameterError(
            f"{args.qdpx}: the project has no {args.by}s; try --by "
            f"{' or --by '.join(k for k in ('set', 'source', 'case') if k != args.by)}"
        )
    folder = Path(args.write) if args.write else None
    if folder is not None and not folder.is_dir():
        raise InvalidParameterError(f"--write {args.write}: no such directory")
    results = []
    for name, found in counts.items():
        levels = codebook.levels_from_counts(found)
        scenario = case_scenario(codebook, levels, name=name)
        result = uncertainty(scenario, args.samples, seed=args.seed)
        results.append(result)
        rows = []
        for key, level in levels.items():
            code = codebook.codes[key]
            wanted = code.qda_code or key
            segments = next(
                (v for p, v in found.items() if p == wanted or p.rsplit("/", 1)[-1] == wanted), 0
            )
            ranges = ", ".join(
                f"{p} {code.level(level).ranges[p].low:g}-{code.level(level).ranges[p].high:g}"
                for p in code.parameters
            )
            rows.append([key, str(segments), level, ranges])
        print(f"## {name}\n")
        print(render.markdown_table(["code", "segments", "level", "ranges"], rows))
        print(f"\n{result.statement()}\n")
        if folder is not None:
            path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name).strip('-') or 'case'}.toml"
            path.write_text(scenario.to_toml(), encoding="utf-8")
            print(f"wrote {path}", file=sys.stderr)
    if args.plot is not None:
        from powergames import plot

        plot.save_figure(plot.regime_shares(results).figure, args.plot)
        print(f"wrote {args.plot}", file=sys.stderr)
