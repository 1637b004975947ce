"""The models a command can work on (``--model``): the dyadic partnership model of
version 2 (the default) and the nested game of actors. What differs between them for
the command line -- their scenarios, the parameters a grid may name, the model a sweep
takes, their default columns -- is chosen here, so each command handles both alike.

Nothing here imports the library at module level: ``powergames --help`` stays fast.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from powergames.cli import options
from powergames.errors import InvalidParameterError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from numpy.typing import NDArray

__all__ = [
    "MODELS",
    "add_model_option",
    "default_columns",
    "parameter_range",
    "parse_grid",
    "scenario",
    "sweep_model",
]

#: The models, the default first.
MODELS = ("dyadic", "nested")


def add_model_option(parser: argparse.ArgumentParser) -> None:
    """``--model {dyadic,nested}``."""
    parser.add_argument(
        "--model",
        choices=MODELS,
        default="dyadic",
        help="the partnership model of version 2 between OCI and NGO (dyadic, the default), "
        "or the nested game of actors around it: the funder, the membership and the base "
        "groups (nested; its presets are nested-social-economy and "
        "nested-solidarity-economy)",
    )


def _nested(args: argparse.Namespace) -> bool:
    return getattr(args, "model", "dyadic") == "nested"


def scenario(args: argparse.Namespace) -> Any:
    """The scenario the options name, with the ``--set`` values: a
    :class:`powergames.partnership.Scenario` for the dyadic model, a
    :class:`powergames.partnership.actors.scenario.NestedScenario` for the nested game
    (its baseline when neither ``--preset`` nor ``--scenario`` is given)."""
    from powergames.partnership.actors.presets import NESTED_PRESETS, load_nested_preset

    if not _nested(args):
        if getattr(args, "preset", None) in NESTED_PRESETS:
            raise InvalidParameterError(
                f"{args.preset!r} is a preset of the nested game of actors: add --model nested"
            )
        return options.scenario(args)
    from powergames.partnership.actors.scenario import NestedScenario, load_nested_scenario

    if getattr(args, "preset", None):
        if args.preset not in NESTED_PRESETS:
            raise InvalidParameterError(
                f"unknown nested preset {args.preset!r}"
                f"{options.did_you_mean(args.preset, NESTED_PRESETS)}; with --model nested "
                f"choose one of {', '.join(NESTED_PRESETS)}"
            )
        chosen = load_nested_preset(args.preset)
    elif getattr(args, "scenario", None):
        chosen = load_nested_scenario(Path(args.scenario))
    else:
        chosen = NestedScenario("nested-baseline", title="The baseline of the nested game")
    changes = options.assignments(getattr(args, "set", None), "--set")
    if not changes:
        return chosen
    for name in changes:
        _check_nested(name, f"--set {name}")
    values = {name: options.number(text, f"--set {name}") for name, text in changes.items()}
    try:
        changed_scenario = chosen.with_values(**values)
    except InvalidParameterError as error:
        raise InvalidParameterError(f"--set: {error}") from None
    changed = ", ".join(f"{name} = {value:g}" for name, value in values.items())
    title = f"{chosen.title or chosen.name} (with {changed})"
    return dataclasses.replace(changed_scenario, title=title)


def _check_nested(name: str, option: str) -> None:
    from powergames.partnership.actors.parameters import check_nested_name

    try:
        check_nested_name(name)
    except InvalidParameterError as error:
        raise InvalidParameterError(f"{option}: {error}") from None


def parse_grid(args: argparse.Namespace) -> dict[str, NDArray[np.float64]]:
    """The ``--grid`` options, checked against the chosen model's parameters and their
    domains (:func:`powergames.cli.options.parse_grid_options` for the dyadic model).

    Examples
    --------
    >>> args = argparse.Namespace(model="nested", grid=["membership_mobilisation=0:1:3"])
    >>> parse_grid(args)["membership_mobilisation"].tolist()
    [0.0, 0.5, 1.0]
    """
    items: Sequence[str] | None = getattr(args, "grid", None)
    if not _nested(args):
        return options.parse_grid_options(items)
    import numpy as np

    from powergames.gridspec import parse_grid_spec
    from powergames.partnership.actors import NestedParameters

    grid: dict[str, NDArray[np.float64]] = {}
    for name, text in options.assignments(items, "--grid").items():
        _check_nested(name, f"--grid {name}={text}")
        try:
            if ":" in text:
                values = parse_grid_spec(text)
            else:
                values = np.array([options.number(part, name) for part in text.split(",")])
            NestedParameters(**{name: values})
        except InvalidParameterError as error:
            raise InvalidParameterError(f"--grid {name}={text}: {error}") from None
        grid[name] = values
    return grid


def sweep_model(args: argparse.Namespace, chosen: Any) -> Any:
    """The model a sweep takes, at the scenario's parameters."""
    if not _nested(args):
        from powergames.tables.partnership import PartnershipModel

        return PartnershipModel(chosen.parameters)
    from powergames.tables.actors import NestedModel

    return NestedModel(chosen.parameters)


def default_columns(args: argparse.Namespace) -> tuple[str, ...]:
    """The columns a table shows when ``--columns`` is not given."""
    if not _nested(args):
        from powergames.tables.partnership import DEFAULT_COLUMNS

        return DEFAULT_COLUMNS
    from powergames.tables.actors import DEFAULT_COLUMNS as NESTED_COLUMNS

    return NESTED_COLUMNS


def parameter_range(args: argparse.Namespace, name: str, value: Any) -> tuple[float, float]:
    """A map axis's default range: the parameter's domain, clipped
    (:func:`powergames.plot.default_range`, with the chosen model's parameters)."""
    from powergames import plot

    if not _nested(args):
        return plot.default_range(name, value)
    from powergames.partnership.actors import NESTED_SPECS

    return plot.default_range(name, value, specs=NESTED_SPECS)
