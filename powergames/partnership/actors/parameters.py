"""The named parameters of the nested game of actors (DESIGN.md section 9): every
parameter of the partnership model (version 2), and those of the funder, the
membership and the base groups."""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from powergames import render
from powergames.errors import InvalidParameterError
from powergames.partnership.parameters import SPECS, ParameterSpec, Value, suggest

__all__ = [
    "NESTED_BASELINE",
    "NESTED_SPECS",
    "NestedParameterSpec",
    "NestedParameters",
    "check_nested_name",
]

INF = math.inf


@dataclass(frozen=True)
class NestedParameterSpec(ParameterSpec):
    """One parameter of the nested game: a :class:`ParameterSpec` whose domain may be
    open below (``lower_open``) and which may be left to an actor's choice
    (``chosen``: NaN, the default, means the actor chooses it).

    Examples
    --------
    >>> spec = next(s for s in NESTED_SPECS if s.name == "membership_accountability")
    >>> spec.describe()
    '(0, inf)'
    """

    lower_open: bool = False
    chosen: bool = False

    @property
    def sympy_symbol(self) -> sp.Symbol:
        """The sympy symbol, positive where the domain is open at 0."""
        low, _ = self.domain
        if low == 0 and self.lower_open:
            return sp.Symbol(self.symbol, positive=True)
        return super().sympy_symbol

    def describe(self) -> str:
        """The domain as an interval, e.g. ``(0, inf)``; ``or nan`` where an actor may
        choose the value."""
        text = super().describe()
        if self.lower_open:
            text = "(" + text[1:]
        if self.domain[1] == INF:
            text = text[:-1] + ")"
        return f"{text} or nan (chosen)" if self.chosen else text

    def check(self, value: Any) -> Any:
        """``value`` validated: as :meth:`ParameterSpec.check`, with the open lower
        end, and NaN accepted where the actor chooses.

        Examples
        --------
        >>> spec = next(s for s in NESTED_SPECS if s.name == "membership_mobilisation")
        >>> spec.check(0.5), spec.check(float("nan"))
        (0.5, nan)
        """
        if self.chosen and not isinstance(value, (sp.Basic, bool, np.bool_, str, bytes)):
            try:
                array = np.asarray(value, dtype=np.float64)
            except (TypeError, ValueError, OverflowError):
                array = None
            if array is not None and np.isnan(array).any():
                given = array[~np.isnan(array)]
                if given.size:
                    self.check(given)
                return float(array) if array.ndim == 0 else array
        checked = super().check(value)
        low, _ = self.domain
        if self.lower_open and not isinstance(checked, sp.Basic):
            array = np.asarray(checked)
            if (array <= low).any():
                raise InvalidParameterError(
                    f"{self.name} ({self.symbol}) must be in {self.describe()}, got "
                    f"{float(array[array <= low].ravel()[0]):g}"
                )
        return checked


def _version_two(name: str, **changes: Any) -> Any:
    """A field carrying the version-2 parameter ``name``'s spec (with ``changes``)."""
    spec = next(s for s in SPECS if s.name == name)
    metadata = {
        "symbol": spec.symbol,
        "latex": spec.latex,
        "domain": spec.domain,
        "meaning": spec.meaning,
        "upper_open": spec.upper_open,
        "lower_open": False,
        "chosen": False,
    }
    default = changes.pop("default", spec.default)
    metadata.update(changes)
    return field(default=default, metadata=metadata)


def _parameter(
    symbol: str,
    latex: str,
    domain: tuple[float, float],
    default: float,
    meaning: str,
    *,
    lower_open: bool = False,
    chosen: bool = False,
) -> Any:
    """A field carrying a new parameter's spec (the name is filled in by
    :data:`NESTED_SPECS`)."""
    metadata = {
        "symbol": symbol,
        "latex": latex,
        "domain": domain,
        "meaning": meaning,
        "upper_open": False,
        "lower_open": lower_open,
        "chosen": chosen,
    }
    return field(default=default, metadata=metadata)


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class NestedParameters(Mapping[str, Any]):
    r"""The parameters of the nested game of actors, validated.

    The thirteen parameters of the partnership model (version 2; see
    :class:`powergames.partnership.Parameters`) keep their names, meanings and defaults
    (the baseline B0), with two changes: ``control_gain`` is the OCI's gain from
    imposing *before* the funder's conditions (``g_0``, default 1; the conditions add
    ``gamma kappa``), and the membership's
    accountability must be positive (an OCI whose members value none of its legitimacy
    has no membership to speak of, and the stage game could not be written as a
    version-2 game). Then the actors':

    Parameters
    ----------
    membership_mobilisation : float in [0, 1] or nan, default nan
        ``m``: the membership's mobilisation. NaN: the membership chooses it (stage 1);
        a number fixes it (the subgame after that choice).
    membership_mobilisation_cost : float >= 0, default 1
        ``c_M``: the cost of mobilising, ``c_M m^2 / 2``.
    membership_tolerance : float >= 0, default 1
        ``tau``: the conditionality a passive membership ratifies; a membership
        mobilised at ``m`` ratifies ``kappa_M(m) = tau (1 - m)``.
    funder_political_cost : float >= 0, default 3
        ``p``: what facing a mobilised membership costs the funder, ``d_F = -p m``.
    winning_bid_gain : float >= 0, default 1
        ``mu``: how much a mobilised membership strengthens the OCI's bid elsewhere,
        ``d_N = w_NF + mu m``.
    oci_alternative_funding : float, default 0
        ``w_NF``: the OCI's payoff from its other funding, without this funder.
    funding_value : float, default 5
        ``f_N``: what the funder's critical resources are worth to the OCI.
    oci_condition_cost : float > 0, default 1
        ``c_N``: what each condition costs the OCI in its relation with the NGO.
    oci_bargaining_weight : float in [0, 1], default 0.5
        ``theta``: the OCI's weight in its bargaining with the funder.
    conditionality_cap : float >= 0, default 2
        ``kappa_bar``: the most conditionality the funder can attach.
    control_per_condition : float >= 0, default 2
        ``gamma``: the control each condition gives the funder, which tempts the OCI to
        impose (``g = g0 + gamma kappa``).
    base_group_floor : float >= 0, default 0
        ``r_B``: the least resources the NGO's base groups let it accept.

    Raises
    ------
    InvalidParameterError
        For a value outside the parameter's domain, or arrays that do not broadcast.

    Examples
    --------
    >>> p = NestedParameters(membership_mobilisation=0.5)
    >>> p.membership_mobilisation, p.control_per_condition
    (0.5, 2.0)
    >>> NestedParameters(membership_accountability=0)
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: membership_accountability (a_M) must be in (0, ...
    """

    # ------------------------------------------------ the partnership (version 2)
    pragmatic_legitimacy: Value = _version_two("pragmatic_legitimacy")
    moral_legitimacy: Value = _version_two("moral_legitimacy")
    funder_accountability: Value = _version_two(
        "funder_accountability",
        meaning="how much the OCI's funder (CIDA) values the results the OCI shows (its "
        "pragmatic legitimacy) and the control its conditions give",
    )
    membership_accountability: Value = _version_two(
        "membership_accountability",
        lower_open=True,
        meaning="how much the OCI's membership values the legitimacy the OCI shows, "
        "pragmatic and moral, and its own paradigm against the funder's conditions",
    )
    control_gain: Value = _version_two(
        "control_gain",
        default=1.0,
        symbol="g_0",
        latex="g_0",
        meaning="g0: what the OCI gains by imposing on the NGO before the funder's "
        "conditions (its own coercive power)",
    )
    autonomy_value: Value = _version_two("autonomy_value")
    assertion_cost: Value = _version_two("assertion_cost")
    shared_paradigm: Value = _version_two("shared_paradigm")
    oci_outside_option: Value = _version_two("oci_outside_option")
    ngo_outside_option: Value = _version_two("ngo_outside_option")
    transfer_floor: Value = _version_two("transfer_floor")
    discount_factor: Value = _version_two("discount_factor")
    inherited_weight: Value = _version_two("inherited_weight")
    # ------------------------------------------------------------ the membership
    membership_mobilisation: Value = _parameter(
        "m",
        "m",
        (0, 1),
        math.nan,
        "the membership's mobilisation, for political pressure or a winning bid (nan: "
        "the membership chooses it)",
        chosen=True,
    )
    membership_mobilisation_cost: Value = _parameter(
        "c_M",
        "c_M",
        (0, INF),
        1.0,
        "the membership's cost of mobilising, c_M m^2 / 2 (the last members are the "
        "hardest to mobilise)",
    )
    membership_tolerance: Value = _parameter(
        "tau",
        "\\tau",
        (0, INF),
        1.0,
        "the conditionality a passive membership ratifies; mobilised at m, it ratifies "
        "at most tau (1 - m)",
    )
    # ---------------------------------------------------------------- the funder
    funder_political_cost: Value = _parameter(
        "p",
        "p",
        (0, INF),
        3.0,
        "what facing a mobilised membership costs the funder when it breaks with the "
        "OCI (political pressure): its disagreement payoff is -p m",
    )
    winning_bid_gain: Value = _parameter(
        "mu",
        "\\mu",
        (0, INF),
        1.0,
        "how much a mobilised membership strengthens the OCI's bid for other funding "
        "(a winning bid): its disagreement payoff is w_NF + mu m",
    )
    oci_alternative_funding: Value = _parameter(
        "w_NF",
        "w_{NF}",
        (-INF, INF),
        0.0,
        "the OCI's payoff from its other funding, without this funder",
    )
    funding_value: Value = _parameter(
        "f_N",
        "f_N",
        (-INF, INF),
        5.0,
        "what the funder's critical resources (financial resources) are worth to the OCI",
    )
    oci_condition_cost: Value = _parameter(
        "c_N",
        "c_N",
        (0, INF),
        1.0,
        "what each condition costs the OCI in its relation with the NGO: the funder's "
        "policies it must carry South",
        lower_open=True,
    )
    oci_bargaining_weight: Value = _parameter(
        "theta",
        "\\theta",
        (0, 1),
        0.5,
        "the OCI's weight in its bargaining with the funder over the conditionality",
    )
    conditionality_cap: Value = _parameter(
        "kappa_bar",
        "\\bar\\kappa",
        (0, INF),
        2.0,
        "the most conditionality the funder can attach to its funding",
    )
    control_per_condition: Value = _parameter(
        "gamma",
        "\\gamma",
        (0, INF),
        2.0,
        "the control each unit of conditionality gives the funder; it raises the OCI's "
        "gain from imposing by as much (coercive isomorphism)",
    )
    # ----------------------------------------------------------- the base groups
    base_group_floor: Value = _parameter(
        "r_B",
        "r_B",
        (0, INF),
        0.0,
        "the least resources the NGO's base groups let it accept, to answer their "
        "needs: a floor on the transfer in every relation",
    )

    def __post_init__(self) -> None:
        for spec in NESTED_SPECS:
            object.__setattr__(self, spec.name, spec.check(getattr(self, spec.name)))
        shapes = {n: np.shape(v) for n, v in self.items() if isinstance(v, np.ndarray)}
        try:
            np.broadcast_shapes(*shapes.values())
        except ValueError:
            raise InvalidParameterError(
                f"parameter arrays must broadcast, got shapes {shapes}"
            ) from None

    @classmethod
    def symbolic(cls, *names: str, **values: Any) -> NestedParameters:
        """Parameters with sympy symbols: for ``names`` (every parameter but the
        mobilisation when none is given), and the given ``values`` or defaults for the
        others.

        Examples
        --------
        >>> p = NestedParameters.symbolic("control_per_condition")
        >>> p.control_per_condition, p.conditionality_cap
        (gamma, 2.0)
        """
        chosen = names or tuple(n for n in _BY_NAME if n != "membership_mobilisation")
        for name in chosen:
            check_nested_name(name)
        return cls(**{name: _BY_NAME[name].sympy_symbol for name in chosen}, **values)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> NestedParameters:
        """Parameters from a mapping of names to values, unknown names refused with a
        suggestion.

        Examples
        --------
        >>> NestedParameters.from_mapping({"conditionality_cap": 2}).conditionality_cap
        2.0
        """
        for name in values:
            check_nested_name(name)
        return cls(**values)

    # ----------------------------------------------------------- mapping API
    def __getitem__(self, name: str) -> Any:
        if name not in _BY_NAME:
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(_BY_NAME)

    def __len__(self) -> int:
        return len(_BY_NAME)

    def replace(self, **changes: Any) -> NestedParameters:
        """A copy with some parameters changed (validated).

        Examples
        --------
        >>> NestedParameters().replace(oci_bargaining_weight=0.8).oci_bargaining_weight
        0.8
        """
        for name in changes:
            check_nested_name(name)
        return dataclasses.replace(self, **changes)

    @property
    def is_symbolic(self) -> bool:
        """Whether some parameter is a sympy expression."""
        return any(isinstance(v, sp.Basic) for v in self.values())

    @property
    def shape(self) -> tuple[int, ...]:
        """The broadcast shape of the array-valued parameters (``()`` for numbers)."""
        return tuple(
            np.broadcast_shapes(*(np.shape(v) for v in self.values() if isinstance(v, np.ndarray)))
        )

    # ------------------------------------------------------------ display
    def __repr__(self) -> str:
        inside = ", ".join(f"{n}={_short(v)}" for n, v in self.items())
        return f"NestedParameters({inside})"

    def _rows(self) -> list[list[Any]]:
        return [
            [spec.name, spec.symbol, _short(self[spec.name]), spec.describe(), spec.meaning]
            for spec in NESTED_SPECS
        ]

    def _repr_markdown_(self) -> str:
        return render.markdown_table(
            ["parameter", "symbol", "value", "domain", "meaning"], self._rows()
        )

    def _repr_html_(self) -> str:
        return render.html_table(
            ["parameter", "symbol", "value", "domain", "meaning"], self._rows()
        )


#: The parameters of the nested game, in order: the thirteen of version 2, then the
#: membership's, the funder's and the base groups', with symbols, domains, meanings and
#: defaults (the nested baseline).
NESTED_SPECS: tuple[NestedParameterSpec, ...] = tuple(
    NestedParameterSpec(
        name=f.name,
        symbol=f.metadata["symbol"],
        latex=f.metadata["latex"],
        domain=f.metadata["domain"],
        meaning=f.metadata["meaning"],
        default=float(f.default),  # type: ignore[arg-type]
        upper_open=f.metadata["upper_open"],
        lower_open=f.metadata["lower_open"],
        chosen=f.metadata["chosen"],
    )
    for f in dataclasses.fields(NestedParameters)
)

_BY_NAME = {spec.name: spec for spec in NESTED_SPECS}

_dataclass_init = NestedParameters.__init__


@functools.wraps(_dataclass_init)
def _init(self: NestedParameters, *args: Any, **values: Any) -> None:
    # Unknown names get a suggestion, not the dataclass's TypeError.
    if args:
        raise InvalidParameterError(
            "NestedParameters takes its values by name (e.g. conditionality_cap=1), got "
            f"{len(args)} positional argument(s)"
        )
    for name in values:
        check_nested_name(name)
    _dataclass_init(self, **values)


NestedParameters.__init__ = _init  # type: ignore[method-assign]

#: The nested baseline: every parameter's default.
NESTED_BASELINE: dict[str, float] = {spec.name: spec.default for spec in NESTED_SPECS}


def check_nested_name(name: str) -> str:
    """``name`` if it is a parameter of the nested game, else
    :class:`InvalidParameterError` with a suggestion and the list of names.

    Examples
    --------
    >>> check_nested_name("conditionality")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: unknown parameter 'conditionality'; did you ...
    """
    if name in _BY_NAME:
        return name
    raise InvalidParameterError(
        f"unknown parameter {name!r};{suggest(name, _BY_NAME)} the parameters of the nested "
        f"game are {', '.join(_BY_NAME)}"
    )


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array(shape={value.shape})"
    return render.format_number(value) if not isinstance(value, sp.Basic) else str(value)
