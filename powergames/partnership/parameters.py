"""The named parameters of the OCI-NGO partnership model (DESIGN.md section 6)."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import sympy as sp

from powergames import render
from powergames.errors import InvalidParameterError

__all__ = ["BASELINE", "SPECS", "ParameterSpec", "Parameters", "suggest"]

INF = math.inf

#: A parameter's value: a number, a numpy array of numbers (a grid) or a sympy expression.
Value: TypeAlias = Any


@dataclass(frozen=True)
class ParameterSpec:
    """One parameter of the model: its name, mathematical symbol, domain and meaning.

    ``domain`` is a closed interval except where ``upper_open`` (the discount factor).
    """

    name: str
    symbol: str
    latex: str
    domain: tuple[float, float]
    meaning: str
    default: float
    upper_open: bool = False

    @property
    def sympy_symbol(self) -> sp.Symbol:
        """The sympy symbol, with the sign assumptions its domain implies."""
        low, _ = self.domain
        if low >= 0:
            return sp.Symbol(self.symbol, nonnegative=True)
        return sp.Symbol(self.symbol, real=True)

    def describe(self) -> str:
        """The domain as an interval, e.g. ``[0, 1)``."""
        low, high = self.domain
        right = ")" if self.upper_open else "]"
        low_text = "-inf" if low == -math.inf else f"{low:g}"
        high_text = "inf" if high == math.inf else f"{high:g}"
        bracket = "(" if low == -math.inf else "["
        return f"{bracket}{low_text}, {high_text}{right}"

    def check(self, value: Any) -> Any:
        """``value`` validated for this parameter: a float, a float array or a sympy
        expression (returned as it is, refused only when provably not real).

        Examples
        --------
        >>> SPECS[0].check(2)
        2.0
        """
        if isinstance(value, sp.Basic):
            if value.is_real is False:
                raise InvalidParameterError(f"{self.name} must be real, got {value}")
            return value
        if isinstance(value, (bool, np.bool_, str, bytes)):
            raise InvalidParameterError(f"{self.name} must be a number, got {value!r}")
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            raise InvalidParameterError(
                f"{self.name} must be a number, an array of numbers or a sympy expression, "
                f"got {render.format_number(value)}"
            ) from None
        if not np.isfinite(array).all():
            raise InvalidParameterError(f"{self.name} must be finite, got {value!r}")
        low, high = self.domain
        bad = (array < low) | ((array >= high) if self.upper_open else (array > high))
        if bad.any():
            first = array[bad].ravel()[0] if array.ndim else float(array)
            raise InvalidParameterError(
                f"{self.name} ({self.symbol}) must be in {self.describe()}, got {first:g}"
            )
        return float(array) if array.ndim == 0 else array


def _parameter(
    symbol: str,
    latex: str,
    domain: tuple[float, float],
    default: float,
    meaning: str,
    upper_open: bool = False,
) -> Any:
    """A dataclass field carrying its :class:`ParameterSpec` (the name is filled in by
    :data:`SPECS`)."""
    spec = {"symbol": symbol, "latex": latex, "domain": domain, "meaning": meaning}
    return field(default=default, metadata={**spec, "upper_open": upper_open})


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class Parameters(Mapping[str, Any]):
    r"""The parameters of the partnership model, validated.

    Every parameter has a default (the baseline B0 of DESIGN.md section 6); pass the
    ones to change by name. A value may be a number, a numpy array (the values
    broadcast against each other: a parameter grid) or a sympy expression. The object
    is immutable and reads like a mapping (``dict(p)``, ``p["control_gain"]``) as well
    as by attribute.

    Parameters
    ----------
    pragmatic_legitimacy : float, default 4
        ``l_p``: the NGO's capacity to reach and mobilise base groups and deliver
        results, delivered to the OCI whenever the NGO takes part.
    moral_legitimacy : float, default 3
        ``l_m``: the values and paradigm the NGO shares with its base groups,
        delivered to the OCI only when the NGO asserts itself.
    funder_accountability : float, default 0.5
        ``a_F``: how much the OCI's funder values the legitimacy the OCI can show.
    membership_accountability : float, default 0.5
        ``a_M``: how much the OCI's membership values it.
    control_gain : float, default 2
        ``g``: what the OCI gains by imposing its funder's policies (coercion).
    autonomy_value : float, default 3
        ``b``: what the NGO gains when the OCI dilutes its power.
    assertion_cost : float, default 1
        ``e``: the NGO's cost of asserting its positions.
    shared_paradigm : float in [0, 1], default 0
        ``phi``: how far the partners share a development paradigm.
    oci_outside_option, ngo_outside_option : float, default 1 and 0
        ``w_N``, ``w_S``: each partner's payoff without the other.
    transfer_floor : float >= 0, default 0
        ``R_0``: the least the OCI transfers each period (limited liability:
        resources flow South).
    discount_factor : float in [0, 1), default 0.5
        ``delta``: how much the partners value the future of the relation.
    inherited_weight : float in [0, 1], default 0.9
        ``a_0``: the OCI's bargaining weight inherited from macro, meso and micro
        power, before any dilution.

    Raises
    ------
    InvalidParameterError
        For a value outside the parameter's domain, or arrays that do not broadcast.

    Examples
    --------
    >>> p = Parameters(shared_paradigm=0.5)
    >>> p.shared_paradigm, p.accountability
    (0.5, 1.0)
    >>> Parameters(discount_factor=1.0)
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: discount_factor (delta) must be in [0, 1), got 1
    >>> Parameters.symbolic().control_gain
    g
    """

    pragmatic_legitimacy: Value = _parameter(
        "l_p",
        "\\ell_p",
        (0, INF),
        4.0,
        "the NGO's capacity to reach and mobilise base groups and deliver results, "
        "delivered to the OCI whenever the NGO takes part",
    )
    moral_legitimacy: Value = _parameter(
        "l_m",
        "\\ell_m",
        (0, INF),
        3.0,
        "the values and development paradigm the NGO shares with its base groups, "
        "delivered to the OCI only when the NGO asserts itself",
    )
    funder_accountability: Value = _parameter(
        "a_F",
        "a_F",
        (0, INF),
        0.5,
        "how much the OCI's funder (CIDA) values the legitimacy the OCI can show",
    )
    membership_accountability: Value = _parameter(
        "a_M",
        "a_M",
        (0, INF),
        0.5,
        "how much the OCI's membership values the legitimacy the OCI can show",
    )
    control_gain: Value = _parameter(
        "g",
        "g",
        (0, INF),
        2.0,
        "what the OCI gains by imposing its funder's development policies on the NGO "
        "(the coercive power it inherits from its funder)",
    )
    autonomy_value: Value = _parameter(
        "b",
        "b",
        (0, INF),
        3.0,
        "what the NGO gains when the OCI dilutes its power: room to answer to its base groups",
    )
    assertion_cost: Value = _parameter(
        "e", "e", (0, INF), 1.0, "the NGO's cost of asserting its positions against the OCI"
    )
    shared_paradigm: Value = _parameter(
        "phi",
        "\\varphi",
        (0, 1),
        0.0,
        "how far the partners share a development paradigm: the OCI values the NGO's "
        "autonomy and the NGO values its own assertion by this fraction",
    )
    oci_outside_option: Value = _parameter(
        "w_N",
        "w_N",
        (-INF, INF),
        1.0,
        "the OCI's payoff without this partner (other partners, other programmes)",
    )
    ngo_outside_option: Value = _parameter(
        "w_S",
        "w_S",
        (-INF, INF),
        0.0,
        "the NGO's payoff without this OCI (other funders, other networks)",
    )
    transfer_floor: Value = _parameter(
        "R_0",
        "R_0",
        (0, INF),
        0.0,
        "the least the OCI transfers to the NGO each period (limited liability: resources "
        "flow South; e.g. a funder's envelope earmarked for the South)",
    )
    discount_factor: Value = _parameter(
        "delta",
        "\\delta",
        (0, 1),
        0.5,
        "how much the partners value the future of the relation (the long term)",
        upper_open=True,
    )
    inherited_weight: Value = _parameter(
        "a_0",
        "a_0",
        (0, 1),
        0.9,
        "the OCI's bargaining weight inherited from macro, meso and micro power, before "
        "any dilution",
    )

    def __post_init__(self) -> None:
        for spec in SPECS:
            object.__setattr__(self, spec.name, spec.check(getattr(self, spec.name)))
        shapes = {n: np.shape(v) for n, v in self.items() if isinstance(v, np.ndarray)}
        try:
            np.broadcast_shapes(*shapes.values())
        except ValueError:
            raise InvalidParameterError(
                f"parameter arrays must broadcast, got shapes {shapes}"
            ) from None

    @classmethod
    def symbolic(cls, *names: str, **values: Any) -> Parameters:
        """Parameters with sympy symbols: for ``names`` (all parameters when none is
        given), and the given ``values`` or defaults for the others.

        Examples
        --------
        >>> p = Parameters.symbolic("control_gain")
        >>> p.control_gain, p.autonomy_value
        (g, 3.0)
        """
        chosen = names or tuple(_BY_NAME)
        for name in chosen:
            check_name(name)
        return cls(**{name: _BY_NAME[name].sympy_symbol for name in chosen}, **values)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Parameters:
        """Parameters from a mapping of names to values, unknown names refused with a
        suggestion.

        Examples
        --------
        >>> Parameters.from_mapping({"control_gain": 3}).control_gain
        3.0
        >>> Parameters.from_mapping({"control_gian": 3})
        Traceback (most recent call last):
        ...
        powergames.errors.InvalidParameterError: unknown parameter 'control_gian'; did you ...
        """
        for name in values:
            check_name(name)
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

    def replace(self, **changes: Any) -> Parameters:
        """A copy with some parameters changed (validated).

        Examples
        --------
        >>> Parameters().replace(control_gain=5).control_gain
        5.0
        """
        for name in changes:
            check_name(name)
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------ derived
    @property
    def accountability(self) -> Any:
        """lambda = a_F + a_M: the accountability value of legitimacy to the OCI's funder
        and membership together."""
        return self.funder_accountability + self.membership_accountability

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
        return f"Parameters({inside})"

    def _rows(self) -> list[list[Any]]:
        return [
            [spec.name, spec.symbol, _short(self[spec.name]), spec.describe(), spec.meaning]
            for spec in SPECS
        ]

    def describe(self, fmt: render.Format = "text") -> str:
        """The parameters as a table (name, symbol, value, domain, meaning) in plain
        text, Markdown or HTML: what notebooks and IPython display.

        Examples
        --------
        >>> print(Parameters().describe("markdown").splitlines()[2])
        | pragmatic_legitimacy | l_p | 4 | [0, inf] | ... |
        """
        header = ["parameter", "symbol", "value", "domain", "meaning"]
        return render.render(header, self._rows(), fmt)

    def _repr_markdown_(self) -> str:
        return self.describe("markdown")

    def _repr_html_(self) -> str:
        return self.describe("html")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self) if cycle else self.describe("text"))


#: The parameters, in the order of the design document, with their symbols, domains,
#: meanings and defaults (the baseline B0): read from :class:`Parameters`' fields.
SPECS: tuple[ParameterSpec, ...] = tuple(
    ParameterSpec(
        name=f.name,
        symbol=f.metadata["symbol"],
        latex=f.metadata["latex"],
        domain=f.metadata["domain"],
        meaning=f.metadata["meaning"],
        default=float(f.default),  # type: ignore[arg-type]
        upper_open=f.metadata["upper_open"],
    )
    for f in dataclasses.fields(Parameters)
)

_BY_NAME = {spec.name: spec for spec in SPECS}

_dataclass_init = Parameters.__init__


@functools.wraps(_dataclass_init)
def _init(self: Parameters, *args: Any, **values: Any) -> None:
    # Unknown names get a suggestion, not the dataclass's TypeError.
    if args:
        raise InvalidParameterError(
            f"Parameters takes its values by name (e.g. control_gain=2), got {len(args)} "
            "positional argument(s)"
        )
    for name in values:
        check_name(name)
    _dataclass_init(self, **values)


Parameters.__init__ = _init  # type: ignore[method-assign]

#: The baseline B0 of the design document.
BASELINE: dict[str, float] = {spec.name: spec.default for spec in SPECS}


def suggest(name: str, choices: Any) -> str:
    """`` did you mean 'x'?`` for the closest of ``choices`` to ``name``, or ``""``.

    Examples
    --------
    >>> suggest("discount", ["discount_factor", "inherited_weight"])
    " did you mean 'discount_factor'?"
    """
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" did you mean {close[0]!r}?" if close else ""


def check_name(name: str) -> str:
    """``name`` if it is a parameter's name, else :class:`InvalidParameterError` with a
    suggestion and the list of names.

    Examples
    --------
    >>> check_name("transfer")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: 'transfer' is no longer a parameter: ...
    """
    if name in _BY_NAME:
        return name
    if name == "transfer":
        raise InvalidParameterError(
            "'transfer' is no longer a parameter: the model determines the transfer R* "
            "(version 2); give a lower bound with 'transfer_floor' instead"
        )
    raise InvalidParameterError(
        f"unknown parameter {name!r};{suggest(name, _BY_NAME)} the parameters are "
        f"{', '.join(_BY_NAME)}"
    )


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array(shape={value.shape})"
    return render.format_number(value) if not isinstance(value, sp.Basic) else str(value)
