"""``powergames presets``: the bundled scenarios."""

from __future__ import annotations

import argparse
from typing import Any

from powergames.cli import models

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> None:
    """The ``presets`` command."""
    presets = commands.add_parser(
        "presets",
        help="list the bundled scenarios",
        description=(
            "List the bundled scenarios: name, the regime it shows, title (with --model "
            "nested, those of the nested game of actors)."
        ),
    )
    models.add_model_option(presets)
    presets.set_defaults(run=run)


def run(args: argparse.Namespace) -> None:
    """One line per preset: name, expected regime, title.

    Examples
    --------
    >>> from powergames.cli import main
    >>> status = main(["presets", "--model", "nested"])
    nested-social-economy      partnership  An OCI of the social economy among its actors: ...
    nested-solidarity-economy  partnership  An OCI of the solidarity economy among its actors: ...
    """
    if getattr(args, "model", "dyadic") == "nested":
        from powergames.partnership.actors.presets import list_nested_presets

        presets: list[Any] = list_nested_presets()
    else:
        from powergames.partnership import list_presets

        presets = list_presets()
    width = max(len(p.name) for p in presets)
    regime_width = max(len(p.expected_regime or "-") for p in presets)
    for preset in presets:
        regime = preset.expected_regime or "-"
        print(f"{preset.name:<{width}}  {regime:<{regime_width}}  {preset.title}")
