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
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames.errors import InvalidParameterError
from powergames.partnership.actors.parameters import (
    NESTED_SPECS,
    NestedParameters,
    check_nested_name,
)
from powergames.partnership.scenario_file import (
    check_grid,
    check_head,
    check_keys,
    check_passages,
    from_toml,
    known,
    number,
    read_head,
    read_source,
    table,
)

__all__ = ["NestedScenario", "load_nested_scenario", "loads_nested"]

_TABLES = ("scenario", "parameters", "passages", "grid")
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
        check_head(self, NestedParameters)
        object.__setattr__(self, "passages", check_passages(self.passages, check_nested_name))
        object.__setattr__(self, "grid", check_grid(self.grid, NESTED_SPECS, check_nested_name))

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


def loads_nested(text: str, source: str = "scenario text") -> NestedScenario:
    """A nested scenario from TOML text; errors name the ``source``.

    Examples
    --------
    >>> text = '[scenario]\\nname = "x"\\n[parameters]\\nconditionality_cap = 0.5'
    >>> loads_nested(text).parameters.conditionality_cap
    0.5
    """
    return from_toml(text, source, _build)


def _build(data: Mapping[str, Any]) -> NestedScenario:
    check_keys("a nested scenario", data, _TABLES, kind="table")
    head = read_head(data)
    parameters_table, passages, grid = (table(data, name) for name in _TABLES[1:])
    for key in parameters_table:
        known("[parameters]", key, check_nested_name)
    values = {
        key: number(f"[parameters] {key}", value, nan=_SPECS[key].chosen)
        for key, value in parameters_table.items()
    }
    try:
        parameters = NestedParameters(**values)
    except InvalidParameterError as error:
        raise InvalidParameterError(f"[parameters] {error}") from None
    return NestedScenario(**head, parameters=parameters, grid=grid, passages=passages)


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
    return loads_nested(*read_source(path_or_text, "scenario"))
