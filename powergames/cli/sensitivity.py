"""``powergames sensitivity``: Sobol' indices of the model's outputs to a scenario's
ranged parameters (:func:`powergames.partnership.evidence.sensitivity`; needs SALib)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from powergames.cli import options
from powergames.cli.uncertainty import add_sampling_options, run_sweep
from powergames.errors import InvalidParameterError

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> None:
    """The ``sensitivity`` command and its options."""
    parser = commands.add_parser(
        "sensitivity",
        help="which ranged parameter drives each output (Sobol' indices; needs SALib)",
        description=(
            "First-order and total Sobol' indices, with bootstrap intervals, of the "
            "dilution, the critical discount factor, the transfer and the indicator of "
            "each regime (regime=partnership, ...) to each ranged parameter of a scenario. "
            "The model is evaluated SAMPLES * (d + 2) times for d ranged parameters."
        ),
    )
    options.add_scenario_options(parser, required=True)
    add_sampling_options(parser, 1024)
    parser.add_argument(
        "--outputs",
        type=options.name_list,
        metavar="a,b",
        help="the outputs to analyse (default: all of them)",
    )
    parser.add_argument(
        "--figure-output",
        metavar="NAME",
        help="with --plot: the output whose indices to draw (default: the first analysed)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> None:
    """Estimate, print, and draw if asked."""
    from powergames.partnership.evidence import sensitivity

    if args.plot is not None:
        options.check_image(args.plot, "--plot")
    scenario = options.scenario(args)
    try:
        result = run_sweep(args, lambda **kw: sensitivity(scenario, args.outputs, **kw))
    except ImportError as error:
        if error.name != "SALib":
            raise
        raise InvalidParameterError(str(error)) from None
    if args.format == "json":
        print(json.dumps(result.as_dict(), indent=2))
    else:
        print(
            f"{scenario.title or scenario.name}: Sobol' indices, {result.samples} x "
            f"{len(result.parameters) + 2} points\n"
        )
        for output in result.outputs:
            undefined = result.undefined[output]
            note = f" (limit value at {100 * undefined:.1f} % of points)" if undefined else ""
            if result.variance[output] == 0:
                print(f"{output}: one value over the whole range, no indices\n")
                continue
            print(f"{output}{note}\n\n{result.to_markdown(output)}\n")
    if args.plot is not None:
        from powergames import plot

        output = args.figure_output or next(
            (o for o in result.outputs if result.variance[o] > 0), result.outputs[0]
        )
        plot.save_figure(plot.sobol_bars(result, output).figure, args.plot)
        print(f"wrote {args.plot}", file=sys.stderr)
