"""``powergames uncertainty``: the regimes' shares of a scenario's plausible range and
the spread of its outputs (:func:`powergames.partnership.evidence.uncertainty`)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from powergames.cli import options

__all__ = ["add_parser", "add_sampling_options", "run", "run_sweep"]


def add_sampling_options(parser: argparse.ArgumentParser, samples: int) -> None:
    """``--samples``, ``--seed``, ``--workers`` and ``--out``, as ``uncertainty`` and
    ``sensitivity`` share them."""
    parser.add_argument(
        "--samples",
        type=options.positive_int,
        default=samples,
        metavar="N",
        help=f"the number of points, a power of two for Sobol' points (default: {samples})",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="seeds the quasi-random points: the same seed, the same result (default: 0)",
    )
    parser.add_argument(
        "--workers",
        type=options.positive_int,
        default=1,
        metavar="N",
        help="evaluate the points in N processes (default: 1)",
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="also stream every point (its parameters and outputs) to FILE (.csv, .jsonl "
        "or .parquet); an existing file is replaced",
    )
    parser.add_argument(
        "--plot", metavar="FILE", help="also draw the figure to FILE (.png, .pdf, .svg; matplotlib)"
    )
    parser.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="how to print"
    )


def add_parser(commands: Any) -> None:
    """The ``uncertainty`` command and its options."""
    parser = commands.add_parser(
        "uncertainty",
        help="how robust a scenario's regime is to its ranges",
        description=(
            "Sample the ranges of a scenario (its [ranges] table) with quasi-random points "
            "and print the share of each regime, with its confidence interval, and the "
            "quantiles of the dilution, the transfer and the critical discount factor "
            "where they are defined."
        ),
    )
    options.add_scenario_options(parser, required=True)
    add_sampling_options(parser, 4096)
    parser.add_argument(
        "--method",
        choices=("sobol", "latin-hypercube"),
        default="sobol",
        help="scrambled Sobol' points or a Latin hypercube (default: sobol)",
    )
    parser.set_defaults(run=run)


def run_sweep(args: argparse.Namespace, function: Any) -> Any:
    """Call ``function`` (uncertainty or sensitivity) with ``--samples``, ``--seed``,
    and, for ``--workers`` and ``--out``, an evaluator that sweeps the points on a
    process pool and streams them to the file."""
    from concurrent.futures import ProcessPoolExecutor

    from powergames.cli.table import available_processors
    from powergames.tables.partnership import SweepEvaluator

    settings: dict[str, Any] = {"seed": args.seed, "samples": args.samples}
    workers = min(args.workers, available_processors())
    if workers == 1 and args.out is None:
        return function(**settings)
    if workers == 1:
        return function(evaluate=SweepEvaluator(out=args.out, overwrite=True), **settings)
    with ProcessPoolExecutor(workers) as executor:
        evaluate = SweepEvaluator(
            executor, out=args.out, overwrite=args.out is not None, chunk_size=4096
        )
        return function(evaluate=evaluate, **settings)


def run(args: argparse.Namespace) -> None:
    """Sample, print, and draw if asked."""
    from powergames.partnership.evidence import uncertainty

    if args.plot is not None:
        options.check_image(args.plot, "--plot")
    scenario = options.scenario(args)
    result = run_sweep(args, lambda **kw: uncertainty(scenario, method=args.method, **kw))
    if args.format == "json":
        print(json.dumps(result.as_dict(), indent=2))
    else:
        print(f"{scenario.title or scenario.name}\n")
        print(result)
    if args.plot is not None:
        from powergames import plot

        plot.save_figure(plot.regime_shares(result).figure, args.plot)
        print(f"wrote {args.plot}", file=sys.stderr)
