"""``powergames plot``: figures of the partnership model and its dynamics (matplotlib)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from powergames.cli import models, options
from powergames.errors import InvalidParameterError

__all__ = ["add_parser", "run", "run_policy_map", "run_trajectory"]


def add_parser(commands: Any) -> None:
    """The ``plot`` command and its figures."""
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
    models.add_model_option(regime_map)
    options.add_scenario_options(regime_map, required=False)
    options.add_grid_option(
        regime_map,
        "the values along the axis NAME, as for 'table' (default: --resolution values over "
        "its domain, clipped)",
    )
    regime_map.add_argument(
        "--resolution",
        type=_resolution,
        default=200,
        metavar="N",
        help="values per axis without --grid (default: 200)",
    )
    regime_map.add_argument(
        "--out", required=True, metavar="FILE", help="the image (.png, .pdf, .svg, ...)"
    )
    regime_map.set_defaults(run=run)
    _add_dynamic_figures(figures)


def _add_dynamic_figures(figures: Any) -> None:
    """``trajectory`` and ``policy-map``: figures of the dynamic model."""
    from powergames.cli.simulate import add_dynamic_options

    trajectory = figures.add_parser(
        "trajectory",
        help="a path of the dynamic model: stocks and regime over time",
        description=(
            "Simulate a dynamic scenario (see 'simulate') and draw the path: moral "
            "legitimacy, trust and the OCI's weight over time, the regime of each "
            "period, the eras shaded."
        ),
    )
    add_dynamic_options(trajectory)
    trajectory.add_argument(
        "--out", required=True, metavar="FILE", help="the image (.png, .pdf, .svg, ...)"
    )
    trajectory.set_defaults(run=run_trajectory)
    policy = figures.add_parser(
        "policy-map",
        help="the dynamic model's regimes over the stocks, era by era",
        description=(
            "Solve a dynamic scenario and draw the regime of every state over the two "
            "stocks, one panel per era, with the path of a relation over it."
        ),
    )
    add_dynamic_options(policy)
    policy.add_argument("--no-path", action="store_true", help="draw the map without a path")
    policy.add_argument(
        "--out", required=True, metavar="FILE", help="the image (.png, .pdf, .svg, ...)"
    )
    policy.set_defaults(run=run_policy_map)


def _draw(args: argparse.Namespace, draw: Any) -> None:
    from powergames import plot
    from powergames.cli.simulate import dynamic_path

    options.check_image(args.out, "the plot command")
    scenario, path = dynamic_path(args)
    plot.save_figure(draw(plot, scenario, path), args.out)
    print(f"wrote {args.out}", file=sys.stderr)


def run_trajectory(args: argparse.Namespace) -> None:
    """Draw a path of the dynamic model and save it."""
    _draw(args, lambda plot, scenario, path: plot.trajectory_plot(path))


def run_policy_map(args: argparse.Namespace) -> None:
    """Draw the dynamic model's policy map and save it."""
    from powergames.partnership.dynamics import solve

    _draw(
        args,
        lambda plot, scenario, path: plot.policy_map(
            solve(scenario.model), path=None if args.no_path else path
        ),
    )


def _resolution(text: str) -> int:
    value = options.positive_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"must be at least 2, got {text!r}")
    return value


def run(args: argparse.Namespace) -> None:
    """Draw the regime map and save it."""
    import numpy as np

    from powergames import plot

    scenario = models.scenario(args)
    grid = models.parse_grid(args)
    extra = sorted(set(grid) - {args.x, args.y})
    if extra:
        raise InvalidParameterError(
            f"--grid {', '.join(extra)}: a map's grids are its axes, --x {args.x} and --y {args.y}"
        )
    axes = {}
    for name in (args.x, args.y):
        if name in grid:
            axes[name] = grid[name]
        else:
            low, high = models.parameter_range(args, name, scenario.parameters.get(name))
            axes[name] = np.linspace(low, high, args.resolution)
    options.check_image(args.out, "the plot command")
    ax = plot.regime_map(scenario, args.x, args.y, axes[args.x], axes[args.y])
    plot.save_figure(ax.figure, args.out)
    print(f"wrote {args.out}", file=sys.stderr)
