"""Scenarios of the nested game: named, documented parameter points with the article's
passage behind each number, read from TOML.

A nested scenario file has the tables ``[scenario]`` (``name``, ``title``,
``description``, ``passage``, ``expected_regime``), ``[parameters]`` (numbers, by the
names of :data:`powergames.partnership.actors.NESTED_SPECS`; a parameter not given
keeps its default), ``[passages]`` (the article's passage behind each parameter) and
``[grid]`` (lists of values or ``"start:stop:num"``).
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames.errors import InvalidParameterError
from powergames.gridspec import parse_grid_spec
from powergames.partnership.actors.parameters import (
    NESTED_SPECS,
    NestedParameters,
    check_nested_name,
)
from powergames.partnership.regimes import REGIMES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 needs the tomli backport
    import tomli as tomllib

__all__ = ["NestedScenario", "load_nested_scenario", "loads_nested"]

_TABLES = ("scenario", "parameters", "passages", "grid")
_HEAD = ("name", "title", "description", "passage", "expected_regime")
_SPECS = {spec.name: spec for spec in NESTED_SPECS}


@dataclass(frozen=True, eq=False)
class NestedScenario:
    """A named, documented parameter point of the nested game.

    Attributes
    ----------
    name, title, description, passage : str
        As for :class:`powergames.partnership.Scenario`: an identifier, a one-line
        title, what the scenario models (illustrative, not empirical), the article's
        passage it reflects.
    parameters : NestedParameters
        Numbers (not arrays, not symbols).
    grid : dict of str to numpy array
        A default grid for tables (read-only arrays within the parameters' domains).
    expected_regime : str or None
        The regime of the partnership the scenario is built to show.
    passages : dict of str to str
        For each parameter, the passage of the article behind its value.

    Examples
    --------
    >>> s = NestedScenario("mobilised", parameters=NestedParameters(membership_mobilisation=1.0))
    >>> s.regime()
    'partnership'
    """

    name: str
    title: str = ""
    description: str = ""
    passage: str = ""
    parameters: NestedParameters = field(default_factory=NestedParameters)
    grid: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    expected_regime: str | None = None
    passages: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidParameterError(
                f"a scenario's name must be a non-empty str, got {self.name!r}"
            )
        for key in ("title", "description", "passage"):
            if not isinstance(getattr(self, key), str):
                raise InvalidParameterError(
                    f"a scenario's {key} must be a str, got {getattr(self, key)!r}"
                )
        if not isinstance(self.parameters, NestedParameters):
            raise InvalidParameterError(
                "a nested scenario's parameters must be NestedParameters, got "
                f"{type(self.parameters).__name__}"
            )
        if self.parameters.is_symbolic or self.parameters.shape:
            raise InvalidParameterError(
                "a scenario's parameters must be numbers (put arrays in its grid)"
            )
        if self.expected_regime is not None and self.expected_regime not in REGIMES:
            raise InvalidParameterError(
                f"expected_regime must be one of {', '.join(REGIMES)}, got {self.expected_regime!r}"
            )
        for name, text in self.passages.items():
            _known("[passages]", name)
            if not isinstance(text, str):
                raise InvalidParameterError(f"[passages] {name} must be a string, got {text!r}")
        if not isinstance(self.grid, Mapping):
            raise InvalidParameterError(
                f"[grid] must map parameter names to values, got {self.grid!r}"
            )
        grid = {name: _grid_values(name, values) for name, values in self.grid.items()}
        object.__setattr__(self, "grid", grid)
        object.__setattr__(self, "passages", dict(self.passages))

    def regime(self) -> str:
        """The partnership's regime at the scenario's own parameters
        (:func:`powergames.partnership.actors.settle_nested`)."""
        from powergames.partnership.actors.solution import settle_nested

        return str(settle_nested(self.parameters)["regime"])

    def with_values(self, **values: Any) -> NestedScenario:
        """The scenario with some parameters set to numbers.

        Examples
        --------
        >>> NestedScenario("s").with_values(conditionality_cap=0.5).parameters.conditionality_cap
        0.5
        """
        return dataclasses.replace(self, parameters=self.parameters.replace(**values))


def _known(where: str, name: str) -> None:
    try:
        check_nested_name(name)
    except InvalidParameterError as error:
        raise InvalidParameterError(f"{where} {error}") from None


def _grid_values(name: str, values: Any) -> NDArray[np.float64]:
    """A grid's values for ``name``: a 1-D, non-empty, read-only float array within the
    parameter's domain."""
    _known("[grid]", name)
    try:
        if isinstance(values, str):
            array = parse_grid_spec(values)
        else:
            items = values.tolist() if isinstance(values, np.ndarray) else values
            if not isinstance(items, (list, tuple)) or not items:
                raise InvalidParameterError(
                    f"must be a non-empty list of numbers or 'start:stop:num', got {values!r}"
                )
            if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in items):
                raise InvalidParameterError(f"must hold numbers only, got {items!r}")
            array = np.array(items, dtype=np.float64)
        _SPECS[name].check(array)
    except (InvalidParameterError, OverflowError) as error:
        raise InvalidParameterError(f"[grid] {name}: {error}") from None
    array.flags.writeable = False
    return array


def _number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidParameterError(f"[parameters] {key} must be a number, got {value!r}")
    number = float(value)
    if not (math.isfinite(number) or (math.isnan(number) and _SPECS[key].chosen)):
        raise InvalidParameterError(f"[parameters] {key} must be a finite number, got {value!r}")
    return number


def _table(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise InvalidParameterError(f"[{name}] must be a table, got {table!r}")
    return table


def loads_nested(text: str, source: str = "scenario text") -> NestedScenario:
    """A nested scenario from TOML text; errors name the ``source``.

    Examples
    --------
    >>> text = '[scenario]\\nname = "x"\\n[parameters]\\nconditionality_cap = 0.5'
    >>> loads_nested(text).parameters.conditionality_cap
    0.5
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidParameterError(f"{source}: invalid TOML: {error}") from None
    try:
        unknown = [key for key in data if key not in _TABLES]
        if unknown:
            raise InvalidParameterError(
                f"unknown table(s) {', '.join(map(repr, unknown))}; a nested scenario has "
                f"the tables {', '.join(f'[{t}]' for t in _TABLES)}"
            )
        head, table, passages, grid = (_table(data, name) for name in _TABLES)
        extra = [key for key in head if key not in _HEAD]
        if extra:
            raise InvalidParameterError(f"[scenario]: unknown key(s) {', '.join(map(repr, extra))}")
        if "name" not in head:
            raise InvalidParameterError("[scenario] name is missing")
        for key in _HEAD:
            if key in head and not isinstance(head[key], str):
                raise InvalidParameterError(f"[scenario] {key} must be a string")
        for key in table:
            _known("[parameters]", key)
        values = {key: _number(key, value) for key, value in table.items()}
        try:
            parameters = NestedParameters(**values)
        except InvalidParameterError as error:
            raise InvalidParameterError(f"[parameters] {error}") from None
        return NestedScenario(
            name=head["name"],
            title=head.get("title", ""),
            description=head.get("description", ""),
            passage=head.get("passage", ""),
            parameters=parameters,
            grid=grid,
            expected_regime=head.get("expected_regime"),
            passages=passages,
        )
    except InvalidParameterError as error:
        raise InvalidParameterError(f"{source}: {error}") from None


def load_nested_scenario(path_or_text: str | os.PathLike[str]) -> NestedScenario:
    """Read a nested scenario from a TOML file, or from TOML text (a str that contains
    a newline or starts with ``[``).

    Raises
    ------
    InvalidParameterError
        For invalid TOML, a missing name, an unknown table, key or parameter, or a value
        of the wrong type or out of its domain; the message names the file.
    OSError
        When the file cannot be read.

    Examples
    --------
    >>> load_nested_scenario('[scenario]\\nname = "x"\\n[parameters]\\nconditionality = 1')
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: scenario text: [parameters] unknown parameter ...
    """
    if isinstance(path_or_text, str) and (
        "\n" in path_or_text or path_or_text.lstrip().startswith("[")
    ):
        return loads_nested(path_or_text)
    path = os.fspath(path_or_text)
    with open(path, "rb") as file:
        raw = file.read()
    source = f"scenario file {path!r}"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidParameterError(f"{source}: not UTF-8 text ({error})") from None
    return loads_nested(text, source)
