"""A codebook: the researcher's coding scheme, each code's ordinal levels mapped to
ranges of the model's parameters, and the thresholds of coded segments that set a
case's level from a qualitative-analysis project.

The format (TOML; the documentation's how-to "Write a codebook" walks through one)::

    [codebook]
    name = "oci-ngo-partnerships"          # required
    description = "..."
    base = "partnership-1990s"             # optional: a preset for the other values

    [parameters]                           # optional: exact values, as in a scenario
    discount_factor = 0.6

    [codes.base_mobilisation]              # one table per code of the scheme
    description = "The NGO's base groups mobilise behind it"
    qda_code = "Mobilisation des bases"    # its name in the QDA project (default: key)

    [codes.base_mobilisation.levels.weak]  # levels from the lowest to the highest
    segments = 0                           # least coded segments per case (first: 0)
    pragmatic_legitimacy = [1, 3]          # a range, as in a scenario's [ranges]

    [codes.base_mobilisation.levels.strong]
    segments = 5
    pragmatic_legitimacy = [3, 6]

Every level of a code maps the same parameters; the ranges a code gives one
parameter do not overlap and follow the order of the levels (rising or falling); no
parameter is mapped by two codes; ``segments`` rise strictly from 0.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from powergames._validate import integer
from powergames.errors import InvalidParameterError
from powergames.partnership.evidence.ranges import Range, as_range
from powergames.partnership.parameters import SPECS, Parameters, check_name, suggest
from powergames.partnership.scenario import Scenario, resolve_parameters
from powergames.partnership.scenario_file import check_keys, from_toml, read_source, text

__all__ = ["Code", "Codebook", "Level", "case_scenario", "load_codebook"]

_DOMAINS = {spec.name: spec for spec in SPECS}


@dataclass(frozen=True)
class Level:
    """One ordinal level of a code: the ranges it gives parameters, and the least
    number of coded segments per case that reaches it (None when not stated)."""

    name: str
    ranges: dict[str, Range]
    segments: int | None = None


@dataclass(frozen=True)
class Code:
    """A code of the coding scheme and its levels, from the lowest to the highest."""

    name: str
    levels: tuple[Level, ...]
    description: str = ""
    qda_code: str = ""

    @property
    def parameters(self) -> tuple[str, ...]:
        """The parameters the code's levels give ranges to."""
        return tuple(self.levels[0].ranges)

    def level(self, name: str) -> Level:
        """The level called ``name``.

        Raises
        ------
        InvalidParameterError
            For an unknown level, with a suggestion and the code's levels.
        """
        for level in self.levels:
            if level.name == name:
                return level
        names = [level.name for level in self.levels]
        raise InvalidParameterError(
            f"code {self.name!r} has no level {name!r};{suggest(name, names)} its levels are "
            f"{', '.join(names)}"
        )

    def level_for(self, segments: int) -> Level:
        """The highest level whose threshold ``segments`` reaches."""
        if any(level.segments is None for level in self.levels):
            raise InvalidParameterError(
                f"code {self.name!r} states no thresholds of segments: give each level "
                "'segments = N' to read levels from coded segments"
            )
        return [level for level in self.levels if level.segments <= segments][-1]  # type: ignore[operator]


@dataclass(frozen=True)
class Codebook:
    """A coding scheme mapped to ranges of the model (:func:`load_codebook`).

    Attributes
    ----------
    name, description : str
    codes : dict of str to Code
        By the code's key in the codebook.
    base : Scenario
        The values of the parameters that no coded level gives a range.
    """

    name: str
    codes: dict[str, Code]
    base: Scenario
    description: str = ""

    def code(self, name: str) -> Code:
        """The code called ``name``, or an error that lists the codes."""
        if name not in self.codes:
            raise InvalidParameterError(
                f"unknown code {name!r};{suggest(name, self.codes)} the codes are "
                f"{', '.join(self.codes)}"
            )
        return self.codes[name]

    def levels_from_counts(self, counts: Mapping[str, int]) -> dict[str, str]:
        """Each code's level for a case, from the number of segments coded with it.

        ``counts`` maps the project's codes (by path ``parent/child`` as
        :func:`powergames.partnership.evidence.read_qdpx` gives them) to the number of
        segments coded with each in the case. A code of the codebook is found by its
        ``qda_code``: a path, or a name that only one code of the project has; a code
        the case never used has 0 segments.

        Raises
        ------
        InvalidParameterError
            For a ``qda_code`` that no code or several codes of the project have.
        """
        levels = {}
        for key, code in self.codes.items():
            wanted = code.qda_code or key
            found = [p for p in counts if p == wanted] or [
                p for p in counts if p.rsplit("/", 1)[-1] == wanted
            ]
            if len(found) > 1:
                raise InvalidParameterError(
                    f"code {key!r}: qda_code {wanted!r} names several codes of the project "
                    f"({', '.join(found)}); give its path"
                )
            if not found and counts:
                raise InvalidParameterError(
                    f"code {key!r}: the project has no code {wanted!r};"
                    f"{suggest(wanted, counts)} its codes are {', '.join(counts)}"
                )
            segments = integer(counts[found[0]], f"counts[{found[0]!r}]", low=0) if found else 0
            levels[key] = code.level_for(segments).name
        return levels


def case_scenario(
    codebook: Codebook, levels: Mapping[str, str], name: str = "case", title: str = ""
) -> Scenario:
    """The scenario of a coded case: the codebook's base, with the ranges of the
    coded levels.

    A code that ``levels`` does not name leaves its parameters at the base's values.

    Raises
    ------
    InvalidParameterError
        For an unknown code or level (with a suggestion).

    Examples
    --------
    >>> codebook = load_codebook('''
    ... [codebook]
    ... name = "demo"
    ... [codes.mobilisation.levels.weak]
    ... moral_legitimacy = [0.5, 2]
    ... [codes.mobilisation.levels.strong]
    ... moral_legitimacy = [2, 5]
    ... ''')
    >>> case_scenario(codebook, {"mobilisation": "strong"}).ranges
    {'moral_legitimacy': Uniform(low=2.0, high=5.0)}
    >>> case_scenario(codebook, {"mobilisation": "srong"})
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: code 'mobilisation' has no level 'srong'; did you ...
    """
    if not isinstance(levels, Mapping):
        raise InvalidParameterError(f"levels must map codes to levels, got {levels!r}")
    ranges = dict(codebook.base.ranges)
    coded = []
    for key, level_name in levels.items():
        level = codebook.code(key).level(level_name)
        ranges.update(level.ranges)
        coded.append(f"{key} = {level_name}")
    description = "Coded levels: " + ("; ".join(coded) if coded else "none") + "."
    return dataclasses.replace(
        codebook.base,
        name=name,
        title=title or f"{name} ({codebook.name})",
        description=description,
        expected_regime=None,
        grid={},
        ranges=ranges,
    )


def load_codebook(path_or_text: str | os.PathLike[str]) -> Codebook:
    """Read a codebook from a TOML file or text (the format: the module's docstring).

    Raises
    ------
    InvalidParameterError
        For a TOML syntax error, an unknown table or key, an unknown parameter, a
        range outside its parameter's domain, levels of a code that map different
        parameters, overlapping ranges or ranges out of the levels' order, a parameter
        mapped by two codes, and thresholds of segments that do not rise from 0. The
        message names the code and level.
    """
    return from_toml(*read_source(path_or_text, "codebook"), _build)


def _keys(table: Any, where: str, known: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise InvalidParameterError(f"{where} must be a table, got {table!r}")
    check_keys(where, table, known)
    return table


def _build(data: Mapping[str, Any]) -> Codebook:
    top = _keys(dict(data), "a codebook", ("codebook", "parameters", "codes"))
    head = _keys(top.get("codebook", {}), "[codebook]", ("name", "description", "base"))
    name = text(head, "name", "[codebook]")
    if not name:
        raise InvalidParameterError("[codebook] name is missing")
    base = _base(
        text(head, "base", "[codebook]"),
        _keys(top.get("parameters", {}), "[parameters]", tuple(_DOMAINS)),
    )
    codes_table = top.get("codes", {})
    if not isinstance(codes_table, dict) or not codes_table:
        raise InvalidParameterError("[codes] must hold at least one code, as [codes.NAME]")
    codes = {key: _code(key, value) for key, value in codes_table.items()}
    owners: dict[str, str] = {}
    for key, code in codes.items():
        for parameter in code.parameters:
            if parameter in owners:
                raise InvalidParameterError(
                    f"{parameter} is mapped by the codes {owners[parameter]!r} and {key!r}: "
                    "each parameter by one code at most"
                )
            if parameter in base.formulas:
                raise InvalidParameterError(
                    f"code {key!r} maps {parameter}, which [parameters] gives as a formula"
                )
            owners[parameter] = key
    return Codebook(name, codes, base, text(head, "description", "[codebook]"))


def _base(preset: str, table: Mapping[str, Any]) -> Scenario:
    from powergames.partnership.presets import load_preset

    formulas = {k: v for k, v in table.items() if isinstance(v, str)}
    numbers = resolve_parameters({k: v for k, v in table.items() if not isinstance(v, str)})
    if preset:
        chosen = load_preset(preset)
        return dataclasses.replace(
            chosen.with_values(**numbers),
            formulas={**{k: v for k, v in chosen.formulas.items() if k not in numbers}, **formulas},
        )
    return Scenario("base", parameters=Parameters(**numbers), formulas=formulas)


def _code(key: str, table: Any) -> Code:
    where = f"[codes.{key}]"
    table = _keys(table, where, ("description", "qda_code", "levels"))
    levels_table = table.get("levels", {})
    if not isinstance(levels_table, dict) or len(levels_table) < 2:
        raise InvalidParameterError(
            f"{where} needs at least two levels, as [codes.{key}.levels.NAME]"
        )
    levels = tuple(_level(key, name, value) for name, value in levels_table.items())
    parameters = set(levels[0].ranges)
    if not parameters:
        raise InvalidParameterError(f"{where}: level {levels[0].name!r} maps no parameter")
    for level in levels[1:]:
        if set(level.ranges) != parameters:
            raise InvalidParameterError(
                f"{where}: every level must map the same parameters; {levels[0].name!r} maps "
                f"{', '.join(sorted(parameters))}, {level.name!r} maps "
                f"{', '.join(sorted(level.ranges)) or 'none'}"
            )
    for parameter in levels[0].ranges:
        _ordered(where, parameter, levels)
    _thresholds(where, levels)
    return Code(key, levels, text(table, "description", where), text(table, "qda_code", where))


def _level(code: str, name: str, table: Any) -> Level:
    where = f"[codes.{code}.levels.{name}]"
    if not isinstance(table, dict):
        raise InvalidParameterError(f"{where} must be a table, got {table!r}")
    ranges = {}
    for key, value in table.items():
        if key == "segments":
            continue
        try:
            check_name(key)
        except InvalidParameterError as error:
            raise InvalidParameterError(f"{where} {error} (or 'segments')") from None
        spec = _DOMAINS[key]
        rng = as_range(value, f"{where} {key}", spec.domain)
        try:
            spec.check([rng.low, rng.high])
        except InvalidParameterError as error:
            raise InvalidParameterError(f"{where} the range of {error}") from None
        ranges[key] = rng
    segments = table.get("segments")
    if segments is not None:
        segments = integer(segments, f"{where} segments", low=0)
    return Level(name, ranges, segments)


def _ordered(where: str, parameter: str, levels: tuple[Level, ...]) -> None:
    """Refuse ranges of one parameter that overlap or do not follow the levels."""
    spans = [(level.ranges[parameter].low, level.ranges[parameter].high) for level in levels]
    for i, (a, b) in enumerate(spans):
        for j in range(i + 1, len(spans)):
            c, d = spans[j]
            if max(a, c) < min(b, d) or (a, b) == (c, d):
                raise InvalidParameterError(
                    f"{where}: the ranges of {parameter} for the levels {levels[i].name!r} "
                    f"[{a:g}, {b:g}] and {levels[j].name!r} [{c:g}, {d:g}] overlap"
                )
    middles = [(a + b) / 2 for a, b in spans]
    steps = [later - earlier for earlier, later in itertools.pairwise(middles)]
    if not (all(s > 0 for s in steps) or all(s < 0 for s in steps)):
        order = ", ".join(
            f"{lv.name} [{a:g}, {b:g}]" for lv, (a, b) in zip(levels, spans, strict=True)
        )
        raise InvalidParameterError(
            f"{where}: the ranges of {parameter} must rise or fall with the levels, got {order}"
        )


def _thresholds(where: str, levels: tuple[Level, ...]) -> None:
    given = [level.segments for level in levels]
    if all(s is None for s in given):
        return
    if any(s is None for s in given):
        raise InvalidParameterError(f"{where}: give 'segments' for every level or for none")
    if given[0] != 0 or any(b <= a for a, b in itertools.pairwise(given)):  # type: ignore[operator]
        raise InvalidParameterError(
            f"{where}: the thresholds 'segments' must start at 0 and rise strictly with the "
            f"levels, got {', '.join(f'{lv.name} {lv.segments}' for lv in levels)}"
        )
