"""The named parameters of the OCI-NGO partnership model."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from powergames.errors import InvalidParameterError

__all__ = ["BASELINE", "SPECS", "ParameterSpec", "Parameters"]


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
        low, high = self.domain
        right = ")" if self.upper_open else "]"
        low_text = "-inf" if low == -math.inf else f"{low:g}"
        high_text = "inf" if high == math.inf else f"{high:g}"
        bracket = "(" if low == -math.inf else "["
        return f"{bracket}{low_text}, {high_text}{right}"


INF = math.inf

#: The parameters, in the order of the design document. Defaults are the baseline B0.
SPECS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "pragmatic_legitimacy",
        "l_p",
        "l_p",
        (0, INF),
        "the NGO's capacity to reach and mobilise base groups and deliver results, "
        "delivered to the OCI whenever the NGO takes part",
        4.0,
    ),
    ParameterSpec(
        "moral_legitimacy",
        "l_m",
        "l_m",
        (0, INF),
        "the values and development paradigm the NGO shares with its base groups, "
        "delivered to the OCI only when the NGO asserts itself",
        3.0,
    ),
    ParameterSpec(
        "funder_accountability",
        "a_F",
        "a_F",
        (0, INF),
        "how much the OCI's funder (CIDA) values the legitimacy the OCI can show",
        0.5,
    ),
    ParameterSpec(
        "membership_accountability",
        "a_M",
        "a_M",
        (0, INF),
        "how much the OCI's membership values the legitimacy the OCI can show",
        0.5,
    ),
    ParameterSpec(
        "control_gain",
        "g",
        "g",
        (0, INF),
        "what the OCI gains by imposing its funder's policies and its own paradigm "
        "(coercive power inherited from funder and membership)",
        2.0,
    ),
    ParameterSpec(
        "autonomy_value",
        "b",
        "b",
        (0, INF),
        "what the NGO gains when the OCI dilutes its power: room to answer to its base groups",
        3.0,
    ),
    ParameterSpec(
        "assertion_cost",
        "e",
        "e",
        (0, INF),
        "the NGO's cost of asserting its positions against the OCI",
        1.0,
    ),
    ParameterSpec(
        "shared_paradigm",
        "phi",
        r"\varphi",
        (0, 1),
        "how far the partners share a development paradigm: the OCI values the NGO's "
        "autonomy and the NGO values its own assertion by this fraction",
        0.0,
    ),
    ParameterSpec(
        "oci_outside_option",
        "w_N",
        "w_N",
        (-INF, INF),
        "the OCI's payoff without this partner (other partners, other programmes)",
        1.0,
    ),
    ParameterSpec(
        "ngo_outside_option",
        "w_S",
        "w_S",
        (-INF, INF),
        "the NGO's payoff without this OCI (other funders, other networks)",
        0.0,
    ),
    ParameterSpec(
        "transfer",
        "R",
        "R",
        (-INF, INF),
        "the resources the OCI transfers to the NGO each period (negative: the NGO "
        "cedes resources, as a weight near 1 can require)",
        2.0,
    ),
    ParameterSpec(
        "discount_factor",
        "delta",
        r"\delta",
        (0, 1),
        "how much the partners value the future of the relation (the long term)",
        0.5,
        upper_open=True,
    ),
    ParameterSpec(
        "inherited_weight",
        "a_0",
        "a_0",
        (0, 1),
        "the OCI's bargaining weight inherited from macro, meso and micro power, "
        "before any dilution",
        0.9,
    ),
)

_BY_NAME = {spec.name: spec for spec in SPECS}

#: The baseline B0 of the design document.
BASELINE: dict[str, float] = {spec.name: spec.default for spec in SPECS}


def _check(spec: ParameterSpec, value: Any) -> Any:
    """Validate a number, an array of numbers, or a sympy expression for ``spec``."""
    if isinstance(value, sp.Basic):
        if value.is_real is False:
            raise InvalidParameterError(f"{spec.name} must be real, got {value}")
        return value
    if isinstance(value, bool):
        raise InvalidParameterError(f"{spec.name} must be a number, got {value!r}")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{spec.name} must be a number, an array of numbers or a sympy expression, "
            f"got {value!r}"
        ) from None
    low, high = spec.domain
    if not np.isfinite(array).all():
        raise InvalidParameterError(f"{spec.name} must be finite, got {value!r}")
    bad = (array < low) | ((array >= high) if spec.upper_open else (array > high))
    if bad.any():
        first = array[bad].ravel()[0] if array.ndim else float(array)
        raise InvalidParameterError(
            f"{spec.name} ({spec.symbol}) must be in {spec.describe()}, got {first:g}"
        )
    return float(array) if array.ndim == 0 else array


class Parameters(Mapping[str, Any]):
    """The parameters of the partnership model, validated.

    Every parameter has a default (the baseline B0 of the design document); pass the
    ones to change by name. A value may be a number, a numpy array (the values
    broadcast against each other: a parameter grid) or a sympy expression.

    See :data:`SPECS` for the symbols, domains and meanings.

    Raises
    ------
    InvalidParameterError
        For an unknown name or a value outside the parameter's domain.

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

    __slots__ = ("_values",)

    def __init__(self, **values: Any) -> None:
        unknown = sorted(set(values) - set(_BY_NAME))
        if unknown:
            raise InvalidParameterError(
                f"unknown parameter(s) {', '.join(unknown)}; the parameters are "
                f"{', '.join(_BY_NAME)}"
            )
        merged = {**BASELINE, **values}
        self._values = {name: _check(_BY_NAME[name], merged[name]) for name in _BY_NAME}
        shapes = [np.shape(v) for v in self._values.values() if isinstance(v, np.ndarray)]
        try:
            np.broadcast_shapes(*shapes)
        except ValueError:
            given = {n: np.shape(v) for n, v in self._values.items() if isinstance(v, np.ndarray)}
            raise InvalidParameterError(
                f"parameter arrays must broadcast, got shapes {given}"
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
        unknown = sorted(set(chosen) - set(_BY_NAME))
        if unknown:
            raise InvalidParameterError(f"unknown parameter(s) {', '.join(unknown)}")
        return cls(**{name: _BY_NAME[name].sympy_symbol for name in chosen}, **values)

    # ----------------------------------------------------------- mapping API
    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # not a parameter (and _values itself while unpickling)
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"Parameters has no parameter {name!r}") from None

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (dict(self._values),))

    def replace(self, **changes: Any) -> Parameters:
        """A copy with some parameters changed (validated).

        Examples
        --------
        >>> Parameters().replace(control_gain=5).control_gain
        5.0
        """
        return Parameters(**{**self._values, **changes})

    # ------------------------------------------------------------ derived
    @property
    def accountability(self) -> Any:
        """lambda = a_F + a_M: the accountability value of legitimacy to the OCI's funder
        and membership together."""
        return self._values["funder_accountability"] + self._values["membership_accountability"]

    @property
    def is_symbolic(self) -> bool:
        """Whether some parameter is a sympy expression."""
        return any(isinstance(v, sp.Basic) for v in self._values.values())

    @property
    def shape(self) -> tuple[int, ...]:
        """The broadcast shape of the array-valued parameters (``()`` for numbers)."""
        return tuple(
            np.broadcast_shapes(
                *(np.shape(v) for v in self._values.values() if isinstance(v, np.ndarray))
            )
        )

    def __repr__(self) -> str:
        changed = {
            n: v for n, v in self._values.items() if not (isinstance(v, float) and v == BASELINE[n])
        }
        inside = ", ".join(f"{n}={_short(v)}" for n, v in changed.items())
        return f"Parameters({inside})"


def _rebuild(values: dict[str, Any]) -> Parameters:
    """Unpickle (for process pools): validate again from the values."""
    return Parameters(**values)


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array(shape={value.shape})"
    return repr(value) if not isinstance(value, sp.Basic) else str(value)
