"""What the model's TOML files share: the dyadic scenarios
(:mod:`powergames.partnership.scenario_toml`), the nested ones
(:mod:`powergames.partnership.actors.scenario`) and the codebooks
(:mod:`powergames.partnership.evidence.codebook`).

Reading a file or text (a syntax error names its line), checking its tables and keys,
reading the ``[scenario]`` head, and the checks every scenario makes of its head, its
passages and its grid, for the parameters of either game: a ``check_name`` function
refuses unknown names, and each parameter's spec (anything with a ``check(values)``
method) checks its domain. Every message names the table and the key.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from powergames.errors import FormulaError, InvalidParameterError
from powergames.gridspec import parse_grid_spec
from powergames.partnership.regimes import REGIMES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 needs the tomli backport
    import tomli as tomllib

__all__ = [
    "HEAD_KEYS",
    "check_grid",
    "check_head",
    "check_keys",
    "check_passages",
    "from_toml",
    "known",
    "number",
    "read_head",
    "read_source",
    "read_toml",
    "table",
    "text",
]

#: The keys of a scenario's ``[scenario]`` table.
HEAD_KEYS: tuple[str, ...] = ("name", "title", "description", "passage", "expected_regime")

_LINE = re.compile(r"at line (\d+)")
_Built = TypeVar("_Built")


class _Spec(Protocol):
    """A parameter's name and the check of its domain (a spec of either game)."""

    @property
    def name(self) -> str: ...

    def check(self, value: Any) -> Any: ...


# ----------------------------------------------------------------------- files
def read_source(path_or_text: str | os.PathLike[str], kind: str) -> tuple[str, str]:
    """The text of a ``kind`` of file and the source its errors name: ``path_or_text``
    itself when it is TOML text (a str that contains a newline or starts with ``[``),
    else the UTF-8 content of that file.

    Raises
    ------
    InvalidParameterError
        For a file that is not UTF-8 text.
    OSError
        When the file cannot be read.

    Examples
    --------
    >>> read_source('[scenario]\\nname = "x"', "scenario")
    ('[scenario]\\nname = "x"', 'scenario text')
    """
    if isinstance(path_or_text, str) and (
        "\n" in path_or_text or path_or_text.lstrip().startswith("[")
    ):
        return path_or_text, f"{kind} text"
    path = os.fspath(path_or_text)
    with open(path, "rb") as file:
        raw = file.read()
    source = f"{kind} file {path!r}"
    try:
        return raw.decode("utf-8-sig"), source
    except UnicodeDecodeError as error:
        raise InvalidParameterError(f"{source}: not UTF-8 text ({error})") from None


def read_toml(text: str, source: str) -> dict[str, Any]:
    """The tables of TOML ``text``; a syntax error names the ``source``, the line and
    what it holds.

    Examples
    --------
    >>> read_toml('[scenario]\\nname = = "x"', "scenario text")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: scenario text: invalid TOML at line 2 (name = = ...
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _LINE.search(message)
        where = ""
        if found:
            number = int(found.group(1))
            lines = text.splitlines()
            excerpt = lines[number - 1].strip() if number <= len(lines) else ""
            excerpt = excerpt if len(excerpt) <= 60 else excerpt[:57] + "..."
            where = f" at line {number}" + (f" ({excerpt})" if excerpt else "")
        raise InvalidParameterError(f"{source}: invalid TOML{where}: {message}") from None


def from_toml(text: str, source: str, build: Callable[[dict[str, Any]], _Built]) -> _Built:
    """What ``build`` makes of the tables of TOML ``text``, every error prefixed by the
    ``source``.

    Examples
    --------
    >>> from_toml("[scenario]", "scenario text", read_head)
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: scenario text: [scenario] name is missing
    """
    data = read_toml(text, source)
    try:
        return build(data)
    except FormulaError as error:
        raise FormulaError(f"{source}: {error}") from None
    except InvalidParameterError as error:
        raise InvalidParameterError(f"{source}: {error}") from None


# ------------------------------------------------------------ tables and keys
def check_keys(
    where: str, table: Mapping[str, Any], known: tuple[str, ...], kind: str = "key"
) -> None:
    """Refuse keys of a scenario table (or tables of a file: ``kind="table"``) that are
    not ``known``, naming the table.

    Examples
    --------
    >>> check_keys("[patience]", {"rte": 1}, ("rate", "hazard"))
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: [patience]: unknown key(s) 'rte'; the keys are ...
    """
    unknown = [key for key in table if key not in known]
    if unknown:
        raise InvalidParameterError(
            f"{where}: unknown {kind}(s) {', '.join(map(repr, unknown))}; the {kind}s are "
            f"{', '.join(known)}"
        )


def table(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    """The table ``[name]`` of a file's ``data`` (empty when absent).

    Examples
    --------
    >>> table({"grid": 3}, "grid")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: [grid] must be a table, got 3
    """
    found = data.get(name, {})
    if not isinstance(found, dict):
        raise InvalidParameterError(f"[{name}] must be a table, got {found!r}")
    return found


def text(given: Mapping[str, Any], key: str, where: str) -> str:
    """The string ``given[key]`` of the table ``where`` (empty when absent).

    Examples
    --------
    >>> text({"title": 3}, "title", "[scenario]")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: [scenario] title must be a string, got 3
    """
    value = given.get(key, "")
    if not isinstance(value, str):
        raise InvalidParameterError(f"{where} {key} must be a string, got {value!r}")
    return value


def read_head(data: Mapping[str, Any]) -> dict[str, Any]:
    """The ``[scenario]`` table of a scenario file: its strings by :data:`HEAD_KEYS`
    (``expected_regime`` None when absent, the others ``""``); ``name`` required.

    Examples
    --------
    >>> read_head({"scenario": {"name": "b0", "title": "Baseline"}})
    {'name': 'b0', 'title': 'Baseline', 'description': '', 'passage': '', 'expected_regime': None}
    """
    if "scenario" not in data:
        raise InvalidParameterError("the table [scenario] is missing")
    head = table(data, "scenario")
    check_keys("[scenario]", head, HEAD_KEYS)
    if "name" not in head:
        raise InvalidParameterError("[scenario] name is missing")
    strings: dict[str, Any] = {key: text(head, key, "[scenario]") for key in HEAD_KEYS}
    if "expected_regime" not in head:
        strings["expected_regime"] = None
    return strings


# ---------------------------------------------------------------- a scenario
def known(where: str, name: str, check_name: Callable[[str], str]) -> None:
    """Refuse a name that ``check_name`` refuses, the message prefixed by ``where``.

    Examples
    --------
    >>> from powergames.partnership.parameters import check_name
    >>> known("[grid]", "gain", check_name)
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: [grid] unknown parameter 'gain'; ...
    """
    try:
        check_name(name)
    except InvalidParameterError as error:
        raise InvalidParameterError(f"{where} {error}") from None


def number(where: str, value: Any, *, formula: bool = False, nan: bool = False) -> float:
    """The number given for ``where`` (a key of a table), as a float: finite, or NaN
    where ``nan`` (a parameter an actor chooses). ``formula`` says in the message
    that a formula string was allowed too.

    Examples
    --------
    >>> number("[patience] rate", 10**400)
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: [patience] rate must be a finite number, got 1000...
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        alternative = " or a formula string" if formula else ""
        raise InvalidParameterError(
            f"{where} must be a number{alternative}, got {type(value).__name__} {value!r}"
        )
    try:
        result = float(value)
    except OverflowError:  # an integer too large for a float
        result = math.inf
    if not (math.isfinite(result) or (nan and math.isnan(result))):
        raise InvalidParameterError(f"{where} must be a finite number, got {value!r}")
    return result


def check_head(scenario: Any, parameters_type: type[Any]) -> None:
    """The checks every scenario makes of its head: a non-empty ``name``; ``title``,
    ``description`` and ``passage`` strings; ``parameters`` numbers of
    ``parameters_type``; an ``expected_regime`` that is a regime or None.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> check_head(SimpleNamespace(name=" "), object)
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: a scenario's name must be a non-empty str, got ' '
    """
    if not isinstance(scenario.name, str) or not scenario.name.strip():
        raise InvalidParameterError(
            f"a scenario's name must be a non-empty str, got {scenario.name!r}"
        )
    for key in ("title", "description", "passage"):
        if not isinstance(getattr(scenario, key), str):
            raise InvalidParameterError(
                f"a scenario's {key} must be a str, got {getattr(scenario, key)!r}"
            )
    parameters = scenario.parameters
    if not isinstance(parameters, parameters_type):
        raise InvalidParameterError(
            f"a scenario's parameters must be {parameters_type.__name__}, got "
            f"{type(parameters).__name__}"
        )
    if parameters.is_symbolic or parameters.shape:
        raise InvalidParameterError(
            f"a scenario's parameters must be numbers (put arrays in its grid), got {parameters!r}"
        )
    expected = scenario.expected_regime
    if expected is not None and expected not in REGIMES:
        raise InvalidParameterError(
            f"expected_regime must be one of {', '.join(REGIMES)}, got {expected!r}"
        )


def check_passages(passages: Mapping[str, Any], check_name: Callable[[str], str]) -> dict[str, str]:
    """A scenario's passages (parameter names to the article's text), checked.

    Examples
    --------
    >>> from powergames.partnership.parameters import check_name
    >>> check_passages({"discount_factor": 3}, check_name)
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: [passages] discount_factor must be a string, got 3
    """
    for name, passage in passages.items():
        known("[passages]", name, check_name)
        if not isinstance(passage, str):
            raise InvalidParameterError(f"[passages] {name} must be a string, got {passage!r}")
    return dict(passages)


def check_grid(
    grid: Any, specs: Iterable[_Spec], check_name: Callable[[str], str]
) -> dict[str, NDArray[np.float64]]:
    """A scenario's grid: parameter names to 1-D, non-empty, read-only float64 arrays
    within their domains, from lists of numbers, arrays or strings
    ``"start:stop:num"`` (:func:`powergames.gridspec.parse_grid_spec`).

    Examples
    --------
    >>> from powergames.partnership.parameters import SPECS, check_name
    >>> check_grid({"discount_factor": "0:0.5:3"}, SPECS, check_name)
    {'discount_factor': array([0.  , 0.25, 0.5 ])}
    """
    if not isinstance(grid, Mapping):
        raise InvalidParameterError(
            f"a scenario's grid must map parameter names to values, got {grid!r}"
        )
    for name in grid:
        known("[grid]", name, check_name)
    by_name = {spec.name: spec for spec in specs}
    return {name: _grid_values(name, values, by_name[name]) for name, values in grid.items()}


def _grid_values(name: str, values: Any, spec: _Spec) -> NDArray[np.float64]:
    if isinstance(values, str):
        try:
            array = parse_grid_spec(values)
        except InvalidParameterError as error:
            raise InvalidParameterError(f"[grid] {name}: {error}") from None
    else:
        items = values.tolist() if isinstance(values, np.ndarray) else values
        if not isinstance(items, (list, tuple)) or not items:
            raise InvalidParameterError(
                f"[grid] {name} must be a non-empty list of numbers or a string "
                f"'start:stop:num', got {values!r}"
            )
        for item in items:
            if isinstance(item, bool) or not isinstance(item, (int, float)):
                raise InvalidParameterError(f"[grid] {name} must hold numbers only, got {item!r}")
        try:
            array = np.array(items, dtype=np.float64)
        except OverflowError:
            raise InvalidParameterError(f"[grid] {name}: a number is too large") from None
    try:
        spec.check(array)
    except InvalidParameterError as error:
        raise InvalidParameterError(f"[grid] {name}: {error}") from None
    array.flags.writeable = False
    return array
