"""Scenarios: named, documented parameter points of the partnership model, with the
article's passages behind their numbers, formulas between parameters and a default
grid. The TOML format is read by :mod:`powergames.partnership.scenario_toml` and
specified in the documentation (reference: scenario files)."""

from __future__ import annotations

import graphlib
import html
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import NDArray

from powergames import render
from powergames.errors import FormulaError, InvalidParameterError
from powergames.formula import parse_formula
from powergames.partnership.bargaining_weight import relation_discount_factor
from powergames.partnership.evidence.ranges import Range, as_range
from powergames.partnership.parameters import BASELINE, SPECS, Parameters, check_name
from powergames.partnership.power import MesoPower, MicroPower, inherited_weight
from powergames.partnership.scenario_file import (
    check_grid,
    check_head,
    check_keys,
    check_passages,
    known,
    number,
)

__all__ = ["PATIENCE_KEYS", "POWER_KEYS", "Scenario", "check_keys", "resolve_parameters"]

_NAMES: tuple[str, ...] = tuple(spec.name for spec in SPECS)

#: The keys of a scenario's ``power`` table and what each holds: the inherited weight
#: from the three levels of power (:func:`powergames.partnership.inherited_weight`).
POWER_KEYS: dict[str, tuple[str, ...]] = {
    "macro": (),
    "oci_meso": ("formal_authority", "critical_resources", "discursive_legitimacy"),
    "ngo_meso": ("formal_authority", "critical_resources", "discursive_legitimacy"),
    "oci_micro": ("control_of_uncertainty",),
    "ngo_micro": ("control_of_uncertainty",),
}
#: The keys of a scenario's ``patience`` table: the discount factor from time, the
#: risk of breakdown and trust (:func:`powergames.partnership.relation_discount_factor`).
PATIENCE_KEYS: tuple[str, ...] = ("rate", "hazard", "trust", "period")


@dataclass(frozen=True, eq=False)
class Scenario(render.Described):
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
        Numbers (not arrays, not symbols), formulas resolved.
    grid : dict of str to numpy array
        A default grid for tables: parameter names to 1-D arrays of values within
        their domains (read-only copies). May be empty.
    expected_regime : str or None
        The regime the scenario is built to show at its own parameters.
    formulas : dict of str to str
        The parameters given as formulas of others (the text as written); they are
        resolved again when :meth:`with_values` changes a parameter they use.
    passages : dict of str to str
        For each parameter whose value the article motivates, the passage (French,
        quoted, with a gloss).
    power : dict
        The three levels of power the inherited weight is derived from, when it is
        (keys of ``powergames.partnership.scenario.POWER_KEYS``).
    patience : dict
        The rate, hazard, trust and period the discount factor is derived from, when
        it is (``powergames.partnership.scenario.PATIENCE_KEYS``).
    ranges : dict of str to Range
        The parameters the researcher knows only within a range
        (:mod:`powergames.partnership.evidence`): a :class:`Range`, a pair ``(low,
        high)`` (uniform) or a table as in a scenario file's ``[ranges]``. Their value
        in ``parameters`` is the range's mean (the nominal point); formulas that use
        them follow. :func:`powergames.partnership.evidence.uncertainty` samples them.

    Examples
    --------
    >>> patient = Parameters(discount_factor=0.8)
    >>> s = Scenario("patient", parameters=patient, grid={"shared_paradigm": [0, 0.5, 1]})
    >>> s.grid["shared_paradigm"]
    array([0. , 0.5, 1. ])
    >>> s.regime()
    'partnership'
    """

    name: str
    title: str = ""
    description: str = ""
    passage: str = ""
    parameters: Parameters = field(default_factory=Parameters)
    grid: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    expected_regime: str | None = None
    formulas: dict[str, str] = field(default_factory=dict)
    passages: dict[str, str] = field(default_factory=dict)
    power: dict[str, Any] = field(default_factory=dict)
    patience: dict[str, Any] = field(default_factory=dict)
    ranges: dict[str, Range] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_head(self, Parameters)
        grid = check_grid(self.grid, SPECS, check_name)
        if not isinstance(self.formulas, Mapping):
            raise InvalidParameterError(
                f"a scenario's formulas must map parameter names to values, got {self.formulas!r}"
            )
        for name in self.formulas:
            known("[formulas]", name, check_name)
        object.__setattr__(self, "passages", check_passages(self.passages, check_name))
        object.__setattr__(self, "grid", grid)
        object.__setattr__(self, "formulas", dict(self.formulas))
        object.__setattr__(self, "power", dict(self.power))
        object.__setattr__(self, "patience", dict(self.patience))
        object.__setattr__(self, "ranges", self._checked_ranges())
        if self.formulas or self.power or self.patience or self.ranges:
            object.__setattr__(self, "parameters", self._resolved())

    def _checked_ranges(self) -> dict[str, Range]:
        """The ranges as :class:`Range` objects, each within its parameter's domain and
        of a parameter that is neither a formula nor derived from another table."""
        if not isinstance(self.ranges, Mapping):
            raise InvalidParameterError(
                f"a scenario's ranges must map parameter names to ranges, got {self.ranges!r}"
            )
        derived = {"inherited_weight": "power", "discount_factor": "patience"}
        checked: dict[str, Range] = {}
        for name, value in self.ranges.items():
            known("[ranges]", name, check_name)
            spec = next(spec for spec in SPECS if spec.name == name)
            rng = as_range(value, f"[ranges] {name}", spec.domain)
            if name in self.formulas:
                raise InvalidParameterError(
                    f"[ranges] {name} is also a formula: give it a range or a formula, not both"
                )
            if name in derived and getattr(self, derived[name]):
                raise InvalidParameterError(
                    f"[ranges] {name} is derived from [{derived[name]}]; it cannot also have "
                    "a range"
                )
            try:
                spec.check(np.array([rng.low, rng.high]))
            except InvalidParameterError as error:
                raise InvalidParameterError(f"[ranges] {name}: the range {error}") from None
            checked[name] = rng
        return checked

    def _resolved(self) -> Parameters:
        """The parameters with the derived ones computed: the inherited weight from
        the ``power`` table, the discount factor from the ``patience`` table, the
        ranged parameters at their means, then the formulas in dependency order."""
        values: dict[str, Any] = {
            n: v for n, v in self.parameters.items() if n not in self.formulas
        }
        values.update({name: rng.mean for name, rng in self.ranges.items()})
        for table, name, derive in (
            ("power", "inherited_weight", weight_from_power),
            ("patience", "discount_factor", discount_factor_from_patience),
        ):
            given = getattr(self, table)
            if not given:
                continue
            if name in self.formulas:
                raise InvalidParameterError(
                    f"{name} is derived from [{table}]; it cannot also be a formula"
                )
            values[name] = derive(given)
        resolved = resolve_parameters({**values, **self.formulas})
        try:
            return Parameters(**resolved)
        except InvalidParameterError as error:
            raise InvalidParameterError(f"[parameters] {error}") from None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        fields = ("name", "title", "description", "passage", "expected_regime")
        return (
            all(getattr(self, f) == getattr(other, f) for f in fields)
            and dict(self.parameters) == dict(other.parameters)
            and (self.formulas, self.passages) == (other.formulas, other.passages)
            and (self.power, self.patience) == (other.power, other.patience)
            and self.ranges == other.ranges
            and self.grid.keys() == other.grid.keys()
            and all(np.array_equal(values, other.grid[name]) for name, values in self.grid.items())
        )

    __hash__ = None  # type: ignore[assignment]

    def regime(self) -> str:
        """The regime at the scenario's own parameters
        (:func:`powergames.partnership.settle`).

        Examples
        --------
        >>> Scenario("impatient", parameters=Parameters(discount_factor=0.1)).regime()
        'donor-beneficiary'
        """
        from powergames.partnership.settlement import settle

        return str(settle(self.parameters)["regime"])

    def with_values(self, **values: Any) -> Scenario:
        """The scenario with some parameters set to numbers; the formulas that use
        them are resolved again (a parameter set here is no longer a formula, nor
        ranged).

        Examples
        --------
        >>> s = Scenario("s", formulas={"membership_accountability": "funder_accountability / 2"})
        >>> s.parameters.membership_accountability
        0.25
        >>> s.with_values(funder_accountability=2).parameters.membership_accountability
        1.0
        """
        for name in values:
            check_name(name)
        changes: dict[str, Any] = {
            "parameters": self.parameters.replace(**values),
            "formulas": {n: f for n, f in self.formulas.items() if n not in values},
            "ranges": {n: r for n, r in self.ranges.items() if n not in values},
        }
        # A value given here replaces the table it was derived from.
        if "inherited_weight" in values:
            changes["power"] = {}
        if "discount_factor" in values:
            changes["patience"] = {}
        return _replace(self, **changes)

    def describe(self, fmt: render.Format = "text") -> str:
        """The scenario at a glance, in plain text, Markdown or HTML (what notebooks
        and IPython display): its name, title and regime, then each parameter with
        its value, where the value comes from (a formula, the ``power`` or
        ``patience`` table) and the article's passage behind it, shortened (folded in
        HTML).

        Examples
        --------
        >>> s = Scenario("patient", "A patient relation",
        ...              parameters=Parameters(discount_factor=0.8),
        ...              passages={"discount_factor": "« dans une perspective de long terme »"})
        >>> print(*s.describe().splitlines()[:2], sep="\\n")
        Scenario patient: A patient relation
        regime: partnership
        >>> print(s.describe("markdown").splitlines()[-2])
        | discount_factor | delta | 0.8 |  | « dans une perspective de long terme » |
        """
        return _describe(self, fmt)

    def to_toml(self) -> str:
        """The scenario as TOML text that :func:`powergames.partnership.load_scenario`
        reads back to an equal scenario.

        Examples
        --------
        >>> print(*Scenario("short", title='The "short" one').to_toml().splitlines()[:3], sep="\\n")
        [scenario]
        name = "short"
        title = "The \\"short\\" one"
        """
        from powergames.partnership.scenario_toml import dumps

        return dumps(self)


def _describe(scenario: Scenario, fmt: render.Format) -> str:
    """:meth:`Scenario.describe`: a few lines about the scenario, then its parameters."""

    def folded(text: str, width: int) -> str:
        if fmt != "html":
            return render.shorten(text, width) if text else ""
        if len(" ".join(text.split())) > width:
            return render.details(render.shorten(text, width), text)
        return render.Html(html.escape(text))

    regime = scenario.regime()
    expected = scenario.expected_regime
    lines = [
        f"Scenario {scenario.name}" + (f": {scenario.title}" if scenario.title else ""),
        f"regime: {regime}"
        + (f" (built to show {expected})" if expected not in (None, regime) else ""),
    ]
    if scenario.grid:
        lines.append(
            "grid: " + ", ".join(f"{n} ({len(v)} values)" for n, v in scenario.grid.items())
        )
    derived = {"inherited_weight": "power", "discount_factor": "patience"}
    rows = []
    for spec in SPECS:
        source = ""
        if spec.name in scenario.formulas:
            source = f"= {scenario.formulas[spec.name]}"
        elif spec.name in derived and getattr(scenario, derived[spec.name]):
            source = f"from [{derived[spec.name]}]"
        passage = scenario.passages.get(spec.name, "")
        value = render.format_number(scenario.parameters[spec.name])
        rows.append([spec.name, spec.symbol, value, source, folded(passage, 60)])
    header = ["parameter", "symbol", "value", "from", "passage"]
    table = render.render(header, rows, fmt)
    about = [text for text in (scenario.description, scenario.passage) if text]
    if fmt == "html":
        head = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        return head + "".join(f"<div>{folded(text, 100)}</div>" for text in about) + table
    lines += [render.shorten(text, 100) for text in about]
    if fmt == "markdown":
        return "\n\n".join(html.escape(line, quote=False) for line in lines) + "\n\n" + table
    return "\n".join(lines) + "\n" + table


def _replace(scenario: Scenario, **changes: Any) -> Scenario:
    fields = (
        "name title description passage parameters grid expected_regime formulas passages "
        "power patience ranges"
    ).split()
    return Scenario(**{f: changes.get(f, getattr(scenario, f)) for f in fields})


# ------------------------------------------------------------------- formulas
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


def resolve_parameters(table: Mapping[str, Any]) -> dict[str, float]:
    """The values of a parameter table whose entries are numbers or formula strings
    (:func:`powergames.formula.parse_formula`) of other parameters, formulas resolved
    in dependency order; parameters the table does not give keep their baseline value,
    which formulas may use.

    Raises
    ------
    InvalidParameterError
        For an unknown name or a value that is neither a number nor a string.
    FormulaError
        For a formula outside the whitelist, a cycle, or a value that is not a finite
        real number.

    Examples
    --------
    >>> resolve_parameters(
    ...     {"funder_accountability": 0.6, "membership_accountability": "funder_accountability / 2"}
    ... )
    {'funder_accountability': 0.6, 'membership_accountability': 0.3}
    """
    for key in table:
        known("[parameters]", key, check_name)
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
            numbers[key] = number(f"[parameters] {key}", value, formula=True)
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


def weight_from_power(power: Mapping[str, Any]) -> float:
    """The inherited weight of a scenario's ``power`` table (``POWER_KEYS``).

    Examples
    --------
    >>> round(weight_from_power({"macro": 1.0, "ngo_micro": {"control_of_uncertainty": 1.0}}), 9)
    0.5
    """
    check_keys("[power]", power, tuple(POWER_KEYS))
    levels: dict[str, Any] = {}
    for key, fields in POWER_KEYS.items():
        given = power.get(key, 0.0 if not fields else {})
        if not fields:
            levels[key] = number(f"[power] {key}", given) if key in power else 0.0
            continue
        if not isinstance(given, Mapping):
            raise InvalidParameterError(f"[power] {key} must be a table of {', '.join(fields)}")
        check_keys(f"[power] {key}", given, fields)
        kind = MesoPower if key.endswith("meso") else MicroPower
        values = {name: number(f"[power] {key}.{name}", v) for name, v in given.items()}
        levels[key] = kind(**values)
    weight = inherited_weight(
        levels["macro"],
        meso_oci=levels["oci_meso"],
        meso_ngo=levels["ngo_meso"],
        micro_oci=levels["oci_micro"],
        micro_ngo=levels["ngo_micro"],
    )
    return float(weight)


def discount_factor_from_patience(patience: Mapping[str, Any]) -> float:
    """The discount factor of a scenario's ``patience`` table (``PATIENCE_KEYS``;
    ``rate`` required).

    Examples
    --------
    >>> round(discount_factor_from_patience({"rate": 0.05, "hazard": 0.4, "trust": 0.75}), 6)
    0.856106
    """
    check_keys("[patience]", patience, PATIENCE_KEYS)
    if "rate" not in patience:
        raise InvalidParameterError("[patience] rate is missing")
    values = {key: number(f"[patience] {key}", v) for key, v in patience.items()}
    return float(relation_discount_factor(**values))
