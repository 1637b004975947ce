"""Scenarios: named, documented parameter sets of the partnership model, read from TOML.

A :class:`Scenario` is a parameter point of the model (:class:`Parameters`) with a name,
a title, a description of what it models, the passage of the article it reflects, an
optional default grid for tables and the regime it is built to show. Five scenarios
ship with powergames as presets (:data:`PRESETS`): the three historical compromises
of the article, donor-beneficiary (1960s), collaboration (1970s-80s) and partnership
(from the 1990s), and its two kinds of OCI, social economy and solidarity economy.
They are **illustrative, not empirical**: their numbers are chosen to show a mechanism
of the model, not measured.

The TOML format
---------------
A scenario file has up to three tables; any other table or key is an error that names it.

``[scenario]`` (required)
    ``name`` (required, a non-empty string); ``title``, ``description`` and ``passage``
    (strings, empty by default); ``expected_regime`` (optional, one of
    :data:`powergames.partnership.REGIMES`): the regime the scenario is built to show at
    its own parameters.
``[parameters]`` (optional)
    Parameter names (:data:`powergames.partnership.SPECS`) mapped to numbers or to
    formula strings. A formula may use numbers, the whitelisted operators and functions
    of :func:`powergames.formula.parse_formula` (``+ - * / ** ^``, ``exp log sqrt sin
    cos tan abs min max``, ``pi``) and the names of *other* parameters. A parameter the
    table does not give keeps its baseline value (:data:`BASELINE`), and formulas may
    use it. Formulas are resolved in dependency order, whatever their order in the
    file, and evaluated in double precision; a formula that refers to itself or a
    cycle of formulas is refused. The text of a formula is parsed against the
    whitelist, never evaluated as Python.
``[grid]`` (optional)
    Parameter names mapped to the values a table sweeps over: a list of numbers, or a
    string ``"start:stop:num"``, ``num`` values from ``start`` to ``stop`` inclusive
    (:func:`parse_grid_spec`, the form of ``powergames table --grid``). The grid
    replaces one parameter at a time: formulas are resolved once, at the scenario's
    own parameters.

Example::

    [scenario]
    name = "my-partnership"
    title = "A patient partnership"
    description = "Illustrative, not empirical: the baseline with a patient OCI."
    passage = "« Fait inédit jusque-là, [...] une perspective de long terme. » (the long term)"
    expected_regime = "partnership"

    [parameters]
    funder_accountability = 0.6
    membership_accountability = "funder_accountability / 2"
    discount_factor = 0.8

    [grid]
    discount_factor = "0.2:0.95:16"
    inherited_weight = [0.5, 0.7, 0.9]

Errors: a TOML syntax error raises :class:`~powergames.errors.InvalidParameterError`
with the line of the error (and the source: file, preset or text); a bad value (out
of its domain, of the wrong type, an unknown name or key) raises
:class:`~powergames.errors.InvalidParameterError`; a bad formula (outside the
whitelist, an unknown name, a cycle, a value that is not a finite real number) raises
:class:`~powergames.errors.FormulaError`. Each message names the key.

Examples
--------
>>> scenario = load_scenario('''
... [scenario]
... name = "halved-membership"
... expected_regime = "partnership"
... [parameters]
... funder_accountability = 0.6
... membership_accountability = "funder_accountability / 2"
... ''')
>>> scenario.parameters.membership_accountability, scenario.regime()
(0.3, 'partnership')
>>> [preset.expected_regime for preset in list_presets()][:3]
['donor-beneficiary', 'collaboration', 'partnership']
"""

from __future__ import annotations

import graphlib
import math
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import NDArray

from powergames.errors import FormulaError, InvalidParameterError
from powergames.formula import parse_formula
from powergames.gridspec import parse_grid_spec
from powergames.partnership.parameters import BASELINE, SPECS, Parameters
from powergames.partnership.regimes import REGIMES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 needs the tomli backport
    import tomli as tomllib

__all__ = [
    "PRESETS",
    "Scenario",
    "list_presets",
    "load_preset",
    "load_scenario",
    "parse_grid_spec",
]

#: The scenarios bundled with powergames (``powergames/data/presets/<name>.toml``): the
#: three historical compromises, then the two kinds of OCI.
PRESETS: tuple[str, ...] = (
    "donor-beneficiary-1960s",
    "collaboration-1970s",
    "partnership-1990s",
    "social-economy",
    "solidarity-economy",
)

_NAMES: tuple[str, ...] = tuple(spec.name for spec in SPECS)
_TABLES = ("scenario", "parameters", "grid")
_SCENARIO_KEYS = ("name", "title", "description", "passage", "expected_regime")
_GRID_SPEC = "start:stop:num"
_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True, eq=False)
class Scenario:
    """A named, documented parameter point of the partnership model.

    Attributes
    ----------
    name : str
        A short identifier (the file name of a preset, without ``.toml``).
    title : str
        A one-line title.
    description : str
        What the scenario models and why its numbers were chosen (illustrative, not
        empirical).
    passage : str
        The sentence(s) of the article the scenario reflects, in French, with a short
        English gloss.
    parameters : Parameters
        Numbers (not arrays, not symbols).
    grid : dict of str to numpy array
        A default grid for tables: parameter names to 1-D arrays of values within
        their domains (read-only copies). May be empty.
    expected_regime : str or None
        The regime (:data:`powergames.partnership.REGIMES`) the scenario is built to
        show at its own parameters.

    Two scenarios are equal when all their fields are (grids compared value by value).

    Examples
    --------
    >>> patient = Parameters(discount_factor=0.8)
    >>> s = Scenario("patient", parameters=patient, grid={"shared_paradigm": [0, 0.5, 1]})
    >>> s.grid["shared_paradigm"]
    array([0. , 0.5, 1. ])
    >>> s.regime()
    'partnership'
    >>> load_scenario(s.to_toml()) == s
    True
    >>> Scenario("x", grid={"discount_factor": [0.5, 1.0]})
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: [grid] discount_factor: ... must be in [0, 1), got 1
    """

    name: str
    title: str = ""
    description: str = ""
    passage: str = ""
    parameters: Parameters = field(default_factory=Parameters)
    grid: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    expected_regime: str | None = None

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
        if not isinstance(self.parameters, Parameters):
            raise InvalidParameterError(
                f"a scenario's parameters must be Parameters, got {type(self.parameters).__name__}"
            )
        if self.parameters.is_symbolic or self.parameters.shape:
            raise InvalidParameterError(
                "a scenario's parameters must be numbers (put arrays in its grid), got "
                f"{self.parameters!r}"
            )
        if self.expected_regime is not None and self.expected_regime not in REGIMES:
            raise InvalidParameterError(
                f"expected_regime must be one of {', '.join(REGIMES)}, got {self.expected_regime!r}"
            )
        if not isinstance(self.grid, Mapping):
            raise InvalidParameterError(
                f"a scenario's grid must map parameter names to values, got {self.grid!r}"
            )
        _unknown("[grid]", self.grid, _NAMES)
        object.__setattr__(
            self, "grid", {name: _grid_values(name, values) for name, values in self.grid.items()}
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return (
            (self.name, self.title, self.description, self.passage, self.expected_regime)
            == (other.name, other.title, other.description, other.passage, other.expected_regime)
            and dict(self.parameters) == dict(other.parameters)
            and self.grid.keys() == other.grid.keys()
            and all(np.array_equal(values, other.grid[name]) for name, values in self.grid.items())
        )

    __hash__ = None  # type: ignore[assignment]

    def regime(self) -> str:
        """The regime at the scenario's own parameters.

        The closed forms (:func:`powergames.partnership.evaluate`) classified by
        :func:`powergames.partnership.classify` with the OCI's weight
        ``a* = clip(a_0, a_min, a_max)`` (``a_0`` when the window is empty).

        Examples
        --------
        >>> load_preset("donor-beneficiary-1960s").regime()
        'donor-beneficiary'
        """
        from powergames.partnership.closed_forms import evaluate
        from powergames.partnership.regimes import classify

        values = evaluate(self.parameters)
        low, high = values["window_min"], values["window_max"]
        weight = self.parameters.inherited_weight
        chosen = float(np.clip(weight, low, high)) if low <= high else weight
        return str(
            classify(
                values["temptation_oci"],
                values["temptation_ngo"],
                values["surplus"],
                values["donor_beneficiary_surplus"],
                self.parameters.discount_factor,
                values["critical_discount_factor"],
                chosen,
            )
        )

    def to_toml(self) -> str:
        """The scenario as TOML text that :func:`load_scenario` reads back to an equal
        scenario: every parameter as a number, grids as lists.

        Examples
        --------
        >>> print(*Scenario("short", title='The "short" one').to_toml().splitlines()[:4], sep="\\n")
        [scenario]
        name = "short"
        title = "The \\"short\\" one"
        description = ""
        """
        lines = ["[scenario]"]
        for key in ("name", "title", "description", "passage"):
            lines.append(f"{key} = {_toml_string(getattr(self, key))}")
        if self.expected_regime is not None:
            lines.append(f"expected_regime = {_toml_string(self.expected_regime)}")
        lines += ["", "[parameters]"]
        lines += [f"{name} = {float(value)!r}" for name, value in self.parameters.items()]
        if self.grid:
            lines += ["", "[grid]"]
            for name, values in self.grid.items():
                numbers = [repr(float(v)) for v in values]
                rows = [", ".join(numbers[i : i + 8]) for i in range(0, len(numbers), 8)]
                body = rows[0] if len(rows) == 1 else "\n    " + ",\n    ".join(rows) + ",\n"
                lines.append(f"{name} = [{body}]")
        return "\n".join(lines) + "\n"


def _grid_values(name: str, values: Any) -> NDArray[np.float64]:
    """A grid's values for ``name``: a 1-D, non-empty, read-only float64 array within the
    parameter's domain."""
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
                f"{_GRID_SPEC!r}, got {values!r}"
            )
        for item in items:
            if isinstance(item, bool) or not isinstance(item, (int, float)):
                raise InvalidParameterError(f"[grid] {name} must hold numbers only, got {item!r}")
        try:
            array = np.array(items, dtype=np.float64)
        except OverflowError:
            raise InvalidParameterError(f"[grid] {name}: a number is too large") from None
    try:
        Parameters(**{name: array})  # the domain
    except InvalidParameterError as error:
        raise InvalidParameterError(f"[grid] {name}: {error}") from None
    array.flags.writeable = False
    return array


# -------------------------------------------------------------------- parameters
def _number(key: str, value: Any) -> float:
    """A TOML number as a finite float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidParameterError(
            f"[parameters] {key} must be a number or a formula string, got "
            f"{type(value).__name__} {value!r}"
        )
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise InvalidParameterError(f"[parameters] {key} must be a finite number, got {value!r}")
    return number


_FUNCTIONS: dict[type, Callable[..., float]] = {
    sp.exp: math.exp,
    sp.log: math.log,
    sp.sin: math.sin,
    sp.cos: math.cos,
    sp.tan: math.tan,
    sp.cot: lambda x: 1 / math.tan(x),
    sp.sec: lambda x: 1 / math.cos(x),
    sp.csc: lambda x: 1 / math.sin(x),
    sp.Abs: abs,
    sp.sign: lambda x: float(np.sign(x)),
    sp.Min: min,
    sp.Max: max,
}


def _float_value(expr: Any, values: Mapping[str, float]) -> float:
    """The value of a parsed formula at ``values``, in double precision.

    Walks the expression with the :mod:`math` module, so that huge values overflow
    at once instead of growing as exact numbers (``exp(exp(exp(100)))``).
    """
    if isinstance(expr, sp.Symbol):
        return values[expr.name]
    if expr.is_number and not expr.args:  # Rational, pi, E
        result = float(expr)
    else:
        args = [_float_value(arg, values) for arg in expr.args]
        if isinstance(expr, sp.Add):
            result = math.fsum(args)
        elif isinstance(expr, sp.Mul):
            result = math.prod(args)
        elif isinstance(expr, sp.Pow):
            result = math.pow(*args)
        elif type(expr) in _FUNCTIONS:
            result = _FUNCTIONS[type(expr)](*args)
        else:
            raise FormulaError(f"cannot evaluate {type(expr).__name__} in {expr}")
    if not math.isfinite(result):
        raise ArithmeticError(f"{expr} is not finite")
    return float(result)


def _resolve(table: Mapping[str, Any]) -> dict[str, float]:
    """The values of a ``[parameters]`` table, formulas resolved in dependency order."""
    symbols = {name: sp.Symbol(name, real=True) for name in _NAMES}
    numbers = {name: BASELINE[name] for name in _NAMES if name not in table}
    formulas: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, str):
            try:
                formulas[key] = parse_formula(value, symbols)
            except FormulaError as error:
                raise FormulaError(f"[parameters] {key} = {value!r}: {error}") from None
        else:
            numbers[key] = _number(key, value)
    depends = {key: {s.name for s in expr.free_symbols} for key, expr in formulas.items()}
    for key, names in depends.items():
        if key in names:
            raise FormulaError(f"[parameters] {key} = {table[key]!r} refers to itself")
    try:
        order = list(graphlib.TopologicalSorter(depends).static_order())
    except graphlib.CycleError as error:
        cycle = " -> ".join(reversed(error.args[1]))
        raise FormulaError(
            f"[parameters] the formulas form a cycle (each uses the next): {cycle}"
        ) from None
    for key in order:
        if key not in formulas:
            continue
        try:
            numbers[key] = _float_value(formulas[key], numbers)
        except FormulaError as error:
            raise FormulaError(f"[parameters] {key} = {table[key]!r}: {error}") from None
        except (ArithmeticError, ValueError) as error:
            raise FormulaError(
                f"[parameters] {key} = {table[key]!r} is not a finite real number "
                f"({type(error).__name__}: {error})"
            ) from None
    return {key: numbers[key] for key in table}


# ------------------------------------------------------------------------ loading
def _unknown(where: str, table: Mapping[str, Any], known: tuple[str, ...]) -> None:
    unknown = [key for key in table if key not in known]
    if unknown:
        raise InvalidParameterError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; the keys are "
            f"{', '.join(known)}"
        )


def _table(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise InvalidParameterError(f"[{name}] must be a table, got {table!r}")
    return table


def _string(table: Mapping[str, Any], key: str, default: str | None) -> str | None:
    value = table.get(key, default)
    if value is not None and not isinstance(value, str):
        raise InvalidParameterError(f"[scenario] {key} must be a string, got {value!r}")
    return value


def _build(data: Mapping[str, Any]) -> Scenario:
    unknown = [key for key in data if key not in _TABLES]
    if unknown:
        raise InvalidParameterError(
            f"unknown table(s) or key(s) {', '.join(map(repr, unknown))}; a scenario has the "
            "tables [scenario], [parameters] and [grid]"
        )
    if "scenario" not in data:
        raise InvalidParameterError("the table [scenario] is missing")
    head, table, grid = (_table(data, name) for name in _TABLES)
    _unknown("[scenario]", head, _SCENARIO_KEYS)
    _unknown("[parameters]", table, _NAMES)
    _unknown("[grid]", grid, _NAMES)
    name = _string(head, "name", None)
    if name is None:
        raise InvalidParameterError("[scenario] name is missing")
    values = _resolve(table)
    try:
        parameters = Parameters(**values)
    except InvalidParameterError as error:
        raise InvalidParameterError(f"[parameters] {error}") from None
    return Scenario(
        name=name,
        title=_string(head, "title", "") or "",
        description=_string(head, "description", "") or "",
        passage=_string(head, "passage", "") or "",
        parameters=parameters,
        grid=grid,
        expected_regime=_string(head, "expected_regime", None),
    )


def _parse(text: str, source: str) -> Scenario:
    """A scenario from TOML text; errors name the ``source``."""
    try:
        data = tomllib.loads(text)
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
    try:
        return _build(data)
    except FormulaError as error:
        raise FormulaError(f"{source}: {error}") from None
    except InvalidParameterError as error:
        raise InvalidParameterError(f"{source}: {error}") from None


def load_scenario(path_or_text: str | os.PathLike[str]) -> Scenario:
    """Read a scenario from a TOML file or from TOML text (see the module's docstring).

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
    >>> load_scenario('[scenario]\\nname = "x"\\n[parameters]\\ntransfer = "__import__(1)"')
    Traceback (most recent call last):
    ...
    powergames.errors.FormulaError: scenario text: ... function '__import__' is unknown ...
    >>> load_scenario('[scenario]\\nname = "x"\\n[parameters]\\ngain = 2')
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: scenario text: [parameters]: unknown key(s) 'gain'; ...
    """
    if isinstance(path_or_text, str) and (
        "\n" in path_or_text or path_or_text.lstrip().startswith("[")
    ):
        return _parse(path_or_text, "scenario text")
    path = os.fspath(path_or_text)
    with open(path, "rb") as file:
        raw = file.read()
    source = f"scenario file {path!r}"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidParameterError(f"{source}: not UTF-8 text ({error})") from None
    return _parse(text, source)


def load_preset(name: str) -> Scenario:
    """A scenario bundled with powergames, by name (see :data:`PRESETS`).

    Examples
    --------
    >>> preset = load_preset("partnership-1990s")
    >>> preset.title
    'The partnership of the 1990s: a compromise held up by the long term'
    >>> sorted(preset.grid)
    ['discount_factor', 'inherited_weight']
    """
    if name not in PRESETS:
        raise InvalidParameterError(
            f"unknown preset {name!r}; the presets are {', '.join(PRESETS)}"
        )
    resource = resources.files("powergames").joinpath("data").joinpath("presets")
    text = resource.joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return _parse(text, f"preset {name!r}")


def list_presets() -> list[Scenario]:
    """Every bundled preset, in the order of :data:`PRESETS`.

    Examples
    --------
    >>> [(s.name, s.regime()) for s in list_presets()][3:]
    [('social-economy', 'partnership'), ('solidarity-economy', 'partnership')]
    """
    return [load_preset(name) for name in PRESETS]


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
