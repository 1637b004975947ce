"""Scenario files: TOML text to :class:`Scenario` and back.

The format (specified in the documentation's reference, "Scenario files") has the
tables ``[scenario]`` (name, title, description, passage, expected_regime),
``[parameters]`` (numbers or formula strings), ``[passages]`` (the article's passage
behind each parameter), ``[power]`` (the inherited weight from three levels of power),
``[patience]`` (the discount factor from time, breakdown and trust), ``[grid]`` and
``[ranges]`` (parameters known within a range: :mod:`powergames.partnership.evidence`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from powergames.errors import InvalidParameterError
from powergames.partnership.parameters import Parameters
from powergames.partnership.scenario import (
    PATIENCE_KEYS,
    POWER_KEYS,
    Scenario,
    resolve_parameters,
)
from powergames.partnership.scenario_file import (
    check_keys,
    from_toml,
    read_head,
    read_source,
    table,
)

__all__ = ["dumps", "load_scenario", "loads"]

_TABLES = ("scenario", "parameters", "passages", "power", "patience", "grid", "ranges")


def _build(data: Mapping[str, Any]) -> Scenario:
    check_keys("a scenario", data, _TABLES, kind="table")
    head = read_head(data)
    parameters_table, passages, power, patience, grid, ranges = (
        table(data, n) for n in _TABLES[1:]
    )
    both = [name for name in ranges if name in parameters_table]
    if both:
        raise InvalidParameterError(
            f"{', '.join(both)}: given in [parameters] and in [ranges]; give a value or a range"
        )
    formulas = {k: v for k, v in parameters_table.items() if isinstance(v, str)}
    numbers = {k: v for k, v in parameters_table.items() if not isinstance(v, str)}
    # Numbers are checked (types, names) before the scenario resolves formulas.
    values = resolve_parameters(numbers)
    try:
        parameters = Parameters(**values)
    except InvalidParameterError as error:
        raise InvalidParameterError(f"[parameters] {error}") from None
    return Scenario(
        **head,
        parameters=parameters,
        grid=grid,
        formulas=formulas,
        passages=passages,
        power=power,
        patience=patience,
        ranges=ranges,
    )


def loads(text: str, source: str = "scenario text") -> Scenario:
    """A scenario from TOML text; errors name the ``source``.

    Examples
    --------
    >>> loads('[scenario]\\nname = "b0"').name
    'b0'
    """
    return from_toml(text, source, _build)


def load_scenario(path_or_text: str | os.PathLike[str]) -> Scenario:
    """Read a scenario from a TOML file or from TOML text (the format: see the module's
    docstring and the documentation's reference).

    Parameters
    ----------
    path_or_text : str or path-like
        A path, or TOML text: a str that contains a newline or starts with ``[``.

    Returns
    -------
    Scenario

    Raises
    ------
    InvalidParameterError
        For a TOML syntax error (the message gives the line), a missing ``[scenario]``
        or name, an unknown table or key, or a value of the wrong type or out of its
        domain. The message names the file (or "scenario text").
    FormulaError
        For a formula outside the whitelist, with an unknown name, a cycle, or a value
        that is not a finite real number.
    OSError
        When the file cannot be read.

    Examples
    --------
    >>> load_scenario('[scenario]\\nname = "b0"').parameters == Parameters()
    True
    >>> load_scenario('[scenario]\\nname = "x"\\n[parameters]\\ncontrol_gain = "__import__(1)"')
    Traceback (most recent call last):
    ...
    powergames.errors.FormulaError: scenario text: ... function '__import__' is unknown ...
    >>> load_scenario('[scenario]\\nname = "x"\\n[parameters]\\ncontrol_gian = 2')
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: scenario text: [parameters] unknown parameter ...
    """
    return loads(*read_source(path_or_text, "scenario"))


def dumps(scenario: Scenario) -> str:
    """The scenario as TOML text that :func:`load_scenario` reads back to an equal
    scenario: numbers as numbers, formulas as their text, grids as lists."""
    lines = ["[scenario]"]
    for key in ("name", "title", "description", "passage"):
        lines.append(f"{key} = {_toml_string(getattr(scenario, key))}")
    if scenario.expected_regime is not None:
        lines.append(f"expected_regime = {_toml_string(scenario.expected_regime)}")
    lines += ["", "[parameters]"]
    for name, value in scenario.parameters.items():
        if name in scenario.ranges:
            continue
        if name in scenario.formulas:
            lines.append(f"{name} = {_toml_string(scenario.formulas[name])}")
        else:
            lines.append(f"{name} = {float(value)!r}")
    if scenario.passages:
        lines += ["", "[passages]"]
        lines += [f"{n} = {_toml_string(t)}" for n, t in scenario.passages.items()]
    if scenario.power:
        lines += ["", "[power]"]
        for key in POWER_KEYS:
            if key not in scenario.power:
                continue
            value = scenario.power[key]
            if isinstance(value, Mapping):
                inner = ", ".join(f"{k} = {float(v)!r}" for k, v in value.items())
                lines.append(f"{key} = {{ {inner} }}")
            else:
                lines.append(f"{key} = {float(value)!r}")
    if scenario.patience:
        lines += ["", "[patience]"]
        lines += [
            f"{k} = {float(scenario.patience[k])!r}"
            for k in PATIENCE_KEYS
            if k in scenario.patience
        ]
    if scenario.ranges:
        lines += ["", "[ranges]"]
        lines += [f"{name} = {rng.to_toml()}" for name, rng in scenario.ranges.items()]
    if scenario.grid:
        lines += ["", "[grid]"]
        for name, values in scenario.grid.items():
            numbers = [repr(float(v)) for v in values]
            rows = [", ".join(numbers[i : i + 8]) for i in range(0, len(numbers), 8)]
            body = rows[0] if len(rows) == 1 else "\n    " + ",\n    ".join(rows) + ",\n"
            lines.append(f"{name} = [{body}]")
    return "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string (multi-line when it has line breaks)."""
    escapes = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}
    multiline = "\n" in text
    out = []
    for char in text:
        if char in escapes:
            out.append(escapes[char])
        elif char == "\n":
            out.append("\n" if multiline else "\\n")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    body = "".join(out)
    return f'"""\n{body}"""' if multiline else f'"{body}"'
