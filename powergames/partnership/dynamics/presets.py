"""Dynamic scenarios: a dynamic model, where a relation starts and the sequence of
eras the article tells, read from TOML (``powergames/data/paths/<name>.toml``).

The format has the tables of a scenario file (``[scenario]``, ``[parameters]`` shared
by every era, ``[power]``, ``[passages]``) and those of the dynamics: ``[dynamics]``
(``rate``, ``hazard``, ``period``, ``depreciation``, ``production``, ``trust_growth``,
``trust_erosion``), ``[grid]`` (``moral_legitimacy`` and ``shared_paradigm`` as
``"start:stop:num"``), ``[start]`` (``moral_legitimacy``, ``shared_paradigm``,
``era``), ``[calendar]`` (periods in each era, in order) and ``[[eras]]`` (each with
``name``, ``title``, ``stay`` -- the probability of staying another period, the rest
moving to the next era; the last era stays for ever -- and its own ``[eras.parameters]``
and ``[eras.passages]``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from powergames.errors import InvalidParameterError
from powergames.gridspec import parse_grid_spec
from powergames.partnership.dynamics.eras import Era, EraChain
from powergames.partnership.dynamics.grid import StateGrid
from powergames.partnership.dynamics.model import DynamicModel
from powergames.partnership.dynamics.stocks import StockLaws
from powergames.partnership.parameters import Parameters, suggest
from powergames.partnership.presets import preset_text
from powergames.partnership.scenario import resolve_parameters, weight_from_power
from powergames.partnership.scenario_file import from_toml, read_source, table

__all__ = [
    "DYNAMIC_PRESETS",
    "DynamicScenario",
    "load_dynamic_preset",
    "load_dynamic_scenario",
]

#: The bundled dynamic scenarios.
DYNAMIC_PRESETS: tuple[str, ...] = ("historical-path",)

_TABLES = (
    "scenario",
    "parameters",
    "power",
    "dynamics",
    "grid",
    "start",
    "calendar",
    "passages",
    "eras",
)
_DYNAMICS = {
    "rate": "model",
    "hazard": "model",
    "period": "model",
    "depreciation": "laws",
    "production": "laws",
    "trust_growth": "laws",
    "trust_erosion": "laws",
}
_ERA_KEYS = ("name", "title", "stay", "parameters", "passages")
_START = ("moral_legitimacy", "shared_paradigm", "era")


@dataclass(frozen=True, eq=False)
class DynamicScenario:
    """A dynamic model with the article's history: where the relation starts, the
    eras in the order the article tells them, and the passages behind each number.

    Attributes
    ----------
    model : DynamicModel
    start : dict
        ``moral_legitimacy``, ``shared_paradigm`` and ``era`` of the first period.
    calendar : tuple of (str, int)
        The eras in order with their periods; the last goes on.
    passage : str
        The article's passage behind the scenario.
    passages : dict of str to str
        The passage behind each shared parameter and each parameter of the dynamics
        (each era's own are in its ``passages``, see :class:`Era`).
    """

    model: DynamicModel
    start: dict[str, Any]
    calendar: tuple[tuple[str, int], ...]
    passage: str = ""
    passages: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.model.name

    def eras(self, periods: int) -> list[str]:
        """The era of each of ``periods`` periods, by the calendar (the last era goes
        on).

        Examples
        --------
        >>> load_dynamic_preset("historical-path").eras(12)[9:]
        ['donor-beneficiary-1960s', 'collaboration-1970s-80s', 'collaboration-1970s-80s']
        """
        sequence: list[str] = []
        for era, length in self.calendar:
            sequence += [era] * length
        sequence += [self.calendar[-1][0]] * max(0, periods - len(sequence))
        return sequence[:periods]


def _known(where: str, table: Mapping[str, Any], keys: Any) -> None:
    unknown = [key for key in table if key not in keys]
    if unknown:
        raise InvalidParameterError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))};"
            f"{suggest(unknown[0], keys)} the keys are {', '.join(keys)}"
        )


def _number(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidParameterError(f"{where} must be a number, got {value!r}")
    return float(value)


def _text(where: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidParameterError(f"{where} must be a string, got {value!r}")
    return value.strip()


def _eras(data: Mapping[str, Any]) -> EraChain:
    entries = data.get("eras")
    if not isinstance(entries, list) or not entries:
        raise InvalidParameterError("a dynamic scenario needs [[eras]], at least one")
    eras, stays = [], []
    for k, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise InvalidParameterError(f"[[eras]] entry {k} must be a table")
        _known(f"[[eras]] {k}", entry, _ERA_KEYS)
        if "name" not in entry:
            raise InvalidParameterError(f"[[eras]] entry {k} needs a name")
        name = _text(f"[[eras]] {k} name", entry["name"])
        values = resolve_parameters(table(entry, "parameters"))
        passages = {
            key: _text(f"[[eras]] {name} passages.{key}", text)
            for key, text in table(entry, "passages").items()
        }
        eras.append(Era(name, values, _text(f"era {name} title", entry.get("title", "")), passages))
        stays.append(_number(f"era {name} stay", entry.get("stay", 1.0)))
    k = len(eras)
    if stays[-1] != 1.0:
        raise InvalidParameterError(
            f"the last era ({eras[-1].name!r}) must stay for ever (stay = 1), got {stays[-1]}"
        )
    P = np.zeros((k, k))
    for i, stay in enumerate(stays):
        if not 0 <= stay <= 1:
            raise InvalidParameterError(f"era {eras[i].name} stay must be in [0, 1], got {stay}")
        P[i, i] = stay
        if i + 1 < k:
            P[i, i + 1] = 1 - stay
    return EraChain(eras, P)


def _build(data: Mapping[str, Any]) -> DynamicScenario:
    _known("dynamic scenario", data, _TABLES)
    head = table(data, "scenario")
    _known("[scenario]", head, ("name", "title", "description", "passage"))
    if "name" not in head:
        raise InvalidParameterError("[scenario] name is missing")
    shared = resolve_parameters(table(data, "parameters"))
    power = table(data, "power")
    if power:
        shared["inherited_weight"] = weight_from_power(power)
    dynamics = table(data, "dynamics")
    _known("[dynamics]", dynamics, tuple(_DYNAMICS))
    for required in ("rate", "hazard"):
        if required not in dynamics:
            raise InvalidParameterError(f"[dynamics] {required} is missing")
    values = {key: _number(f"[dynamics] {key}", v) for key, v in dynamics.items()}
    grid = table(data, "grid")
    _known("[grid]", grid, ("moral_legitimacy", "shared_paradigm"))
    axes = [
        parse_grid_spec(_text(f"[grid] {key}", grid.get(key, default)))
        for key, default in (("moral_legitimacy", "0:6:20"), ("shared_paradigm", "0:1:20"))
    ]
    chain = _eras(data)
    model = DynamicModel(
        Parameters(**shared),
        chain,
        StateGrid(*axes),
        StockLaws(**{k: v for k, v in values.items() if _DYNAMICS[k] == "laws"}),
        name=_text("[scenario] name", head["name"]),
        title=_text("[scenario] title", head.get("title", "")),
        description=_text("[scenario] description", head.get("description", "")),
        **{k: v for k, v in values.items() if _DYNAMICS[k] == "model"},
    )
    start = table(data, "start")
    _known("[start]", start, _START)
    start = {
        "moral_legitimacy": _number("[start] moral_legitimacy", start.get("moral_legitimacy", 0.0)),
        "shared_paradigm": _number("[start] shared_paradigm", start.get("shared_paradigm", 0.0)),
        "era": chain.names[chain.index(start.get("era", chain.names[0]))],
    }
    model.initial_state(start["moral_legitimacy"], start["shared_paradigm"], start["era"])
    calendar = table(data, "calendar") or {start["era"]: 1}
    for era, periods in calendar.items():
        chain.index(era)
        if isinstance(periods, bool) or not isinstance(periods, int) or periods < 1:
            raise InvalidParameterError(f"[calendar] {era} must be a whole number >= 1")
    ordered = tuple(calendar.items())
    chain.sequence([era for era, n in ordered for _ in range(n)], sum(n for _, n in ordered))
    passages = {
        key: _text(f"[passages] {key}", text) for key, text in table(data, "passages").items()
    }
    return DynamicScenario(
        model, start, ordered, _text("[scenario] passage", head.get("passage", "")), passages
    )


def _parse(text: str, source: str) -> DynamicScenario:
    return from_toml(text, source, _build)


def load_dynamic_scenario(path_or_text: str | os.PathLike[str]) -> DynamicScenario:
    """A dynamic scenario from a TOML file, or from TOML text (a string with a line
    break).

    Raises
    ------
    InvalidParameterError
        For a file that cannot be read or parsed, an unknown table or key, or values
        outside their domains.

    Examples
    --------
    >>> scenario = load_dynamic_scenario('''
    ... [scenario]
    ... name = "two-eras"
    ... [dynamics]
    ... rate = 0.1
    ... hazard = 0.3
    ... [grid]
    ... moral_legitimacy = "0:2:3"
    ... shared_paradigm = "0:1:2"
    ... [[eras]]
    ... name = "first"
    ... stay = 0.5
    ... [[eras]]
    ... name = "second"
    ... ''')
    >>> scenario.model, scenario.model.chain.transitions.tolist()
    (DynamicModel(two-eras: 3 x 2 stocks x 2 eras = 12 states), [[0.5, 0.5], [0.0, 1.0]])
    """
    try:
        text, source = read_source(path_or_text, "dynamic scenario")
    except OSError as error:
        path = os.fspath(path_or_text)
        raise InvalidParameterError(f"cannot read {path!r}: {error.strerror}") from None
    return _parse(text, source)


@functools.cache
def load_dynamic_preset(name: str) -> DynamicScenario:
    """A dynamic scenario bundled with powergames (see :data:`DYNAMIC_PRESETS`); the
    same object for the same name, so its model is solved once.

    Examples
    --------
    >>> scenario = load_dynamic_preset("historical-path")
    >>> scenario.model
    DynamicModel(historical-path: 20 x 20 stocks x 3 eras = 1200 states)
    >>> scenario.model.chain.names
    ('donor-beneficiary-1960s', 'collaboration-1970s-80s', 'partnership-1990s')
    >>> load_dynamic_preset("historical")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: unknown dynamic preset 'historical'; did you ...
    """
    text = preset_text(name, DYNAMIC_PRESETS, "paths", "dynamic preset")
    return _parse(text, f"dynamic preset {name!r}")
