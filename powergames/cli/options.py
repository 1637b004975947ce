"""Options several commands share: the scenario (``--preset``, ``--scenario``,
``--set``), ``--grid``, and argparse converters that check a value where it is read.

Nothing here imports the library at module level: ``powergames --help`` stays fast.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import importlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from powergames.errors import InvalidParameterError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from numpy.typing import NDArray

    from powergames.partnership import Scenario

__all__ = [
    "LazyChoices",
    "add_grid_option",
    "add_scenario_options",
    "assignments",
    "check_parameter",
    "did_you_mean",
    "name_list",
    "number",
    "parse_grid_options",
    "pivot_spec",
    "positive_int",
    "scenario",
]


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the choice closest to ``name``, or nothing.

    Examples
    --------
    >>> did_you_mean("dilutoin", ["regime", "dilution"])
    " (did you mean 'dilution'?)"
    >>> did_you_mean("zzz", ["regime"])
    ''
    """
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class LazyChoices(Sequence[str]):
    """The choices of an option, read from the library only when argparse needs them
    (to check a value or print the option's help), so building the parser imports
    nothing heavy."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def _values(self) -> tuple[str, ...]:
        return tuple(getattr(importlib.import_module(self.module), self.name))

    def __getitem__(self, index: Any) -> Any:
        return self._values()[index]

    def __len__(self) -> int:
        return len(self._values())

    def __iter__(self) -> Iterator[str]:
        return iter(self._values())

    def __contains__(self, value: object) -> bool:
        return value in self._values()


# ------------------------------------------------------------------ converters
def positive_int(text: str) -> int:
    """An argparse ``type``: a whole number >= 1.

    Examples
    --------
    >>> positive_int("4")
    4
    >>> positive_int("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a whole number >= 1, got '0'
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {text!r}")
    return value


def name_list(text: str) -> list[str]:
    """An argparse ``type``: comma-separated names, none of them empty.

    Examples
    --------
    >>> name_list("regime, dilution")
    ['regime', 'dilution']
    >>> name_list("regime,,dilution")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 'regime,,dilution': name 2 is empty
    """
    names = [name.strip() for name in text.split(",")]
    for k, name in enumerate(names, start=1):
        if not name:
            raise argparse.ArgumentTypeError(f"{text!r}: name {k} is empty")
    return names


def pivot_spec(text: str) -> list[str]:
    """An argparse ``type``: ``ROW,COLUMN,VALUE``.

    Examples
    --------
    >>> pivot_spec("discount_factor,inherited_weight,regime")
    ['discount_factor', 'inherited_weight', 'regime']
    """
    try:
        names = name_list(text)
    except argparse.ArgumentTypeError:
        names = []
    if len(names) != 3:
        raise argparse.ArgumentTypeError(f"{text!r} must have the form ROW,COLUMN,VALUE")
    return names


# --------------------------------------------------------------------- options
def add_scenario_options(parser: argparse.ArgumentParser, required: bool) -> None:
    """``--preset NAME | --scenario FILE`` and ``--set NAME=VALUE``."""
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


def add_grid_option(parser: argparse.ArgumentParser, help: str) -> None:
    """``--grid NAME=start:stop:num`` (repeatable)."""
    parser.add_argument("--grid", action="append", metavar="NAME=start:stop:num", help=help)


def assignments(items: Sequence[str] | None, option: str) -> dict[str, str]:
    """``NAME=VALUE`` options as a dictionary (each name once).

    Examples
    --------
    >>> assignments(["a=1", " b = 2:3:4 "], "--grid")
    {'a': '1', 'b': '2:3:4'}
    >>> assignments(["a"], "--set")
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


def number(text: str, name: str) -> float:
    """``text`` as a float, or an error naming the option."""
    try:
        return float(text)
    except ValueError:
        raise InvalidParameterError(f"{name} must be a number, got {text.strip()!r}") from None


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
    import numpy as np

    from powergames.gridspec import parse_grid_spec
    from powergames.partnership import Parameters

    grid: dict[str, NDArray[np.float64]] = {}
    for name, text in assignments(items, "--grid").items():
        check_parameter(name, f"--grid {name}={text}")
        try:
            if ":" in text:
                values = parse_grid_spec(text)
            else:
                values = np.array([number(part, name) for part in text.split(",")])
            Parameters(**{name: values})
        except InvalidParameterError as error:
            raise InvalidParameterError(f"--grid {name}={text}: {error}") from None
        grid[name] = values
    return grid


def check_image(path: str, what: str) -> None:
    """Refuse, before any work, an image ``path`` of an unknown format, or a figure when
    matplotlib is missing (saying what to install; ``what`` names the option or command
    that asked for it)."""
    from powergames import plot

    try:
        plot.check_image_path(path)
    except ImportError as error:
        if error.name != "matplotlib":
            raise
        raise InvalidParameterError(
            f"{what} needs matplotlib: pip install 'powergames[plot]'"
        ) from None


def check_parameter(name: str, option: str) -> None:
    """Refuse a name that is no parameter of the partnership model, suggesting the
    closest."""
    from powergames.partnership.parameters import check_name

    try:
        check_name(name)
    except InvalidParameterError as error:
        raise InvalidParameterError(f"{option}: {error}") from None


def scenario(args: argparse.Namespace) -> Scenario:
    """The preset or scenario file named by the options (the baseline when neither is
    given), with the ``--set`` values (which the title then mentions)."""
    from powergames.partnership import PRESETS, Scenario, load_preset, load_scenario

    if getattr(args, "preset", None):
        if args.preset not in PRESETS:
            raise InvalidParameterError(
                f"unknown preset {args.preset!r}{did_you_mean(args.preset, PRESETS)}; "
                f"choose one of {', '.join(PRESETS)} (see 'powergames presets')"
            )
        chosen = load_preset(args.preset)
    elif getattr(args, "scenario", None):
        chosen = load_scenario(Path(args.scenario))
    else:
        chosen = Scenario("baseline", title="The baseline B0 of the partnership model")
    changes = assignments(getattr(args, "set", None), "--set")
    if not changes:
        return chosen
    for name in changes:
        check_parameter(name, f"--set {name}")
    values = {name: number(text, f"--set {name}") for name, text in changes.items()}
    try:
        changed_scenario = chosen.with_values(**values)  # formulas that use them follow
    except InvalidParameterError as error:
        raise InvalidParameterError(f"--set: {error}") from None
    changed = ", ".join(f"{name} = {value:g}" for name, value in values.items())
    title = f"{chosen.title or chosen.name} (with {changed})"
    return dataclasses.replace(changed_scenario, title=title)
