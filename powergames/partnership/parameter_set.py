"""Named, validated model parameters: the spec of one parameter, and the immutable
mapping of values both the partnership model and the nested game of actors are built
on (:class:`powergames.partnership.Parameters`,
:class:`powergames.partnership.actors.NestedParameters`)."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias, TypeVar

import numpy as np
import sympy as sp

from powergames import render
from powergames.errors import InvalidParameterError

__all__ = ["ParameterSet", "ParameterSpec", "parameter", "parameter_set", "suggest"]

#: A parameter's value: a number, a numpy array of numbers (a grid) or a sympy expression.
Value: TypeAlias = Any

_SetT = TypeVar("_SetT", bound="ParameterSet")


@dataclass(frozen=True)
class ParameterSpec:
    """One parameter of the model: its name, mathematical symbol, domain and meaning.

    ``domain`` is a closed interval except where ``upper_open`` (the discount factor).

    Examples
    --------
    >>> spec = ParameterSpec("delta", "delta", "\\\\delta", (0, 1), "patience", 0.5, True)
    >>> spec.describe(), spec.check(0.25)
    ('[0, 1)', 0.25)
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
        >>> ParameterSpec("g", "g", "g", (0, math.inf), "control", 2.0).check(2)
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


def parameter(
    symbol: str,
    latex: str,
    domain: tuple[float, float],
    default: float,
    meaning: str,
    **flags: bool,
) -> Any:
    """A dataclass field of a :class:`ParameterSet` carrying its spec: the name is the
    field's, ``flags`` the spec type's extra switches (``upper_open``, ...).

    Examples
    --------
    >>> f = parameter("delta", "delta", (0, 1), 0.5, "patience", upper_open=True)
    >>> f.default, f.metadata["symbol"], f.metadata["upper_open"]
    (0.5, 'delta', True)
    """
    spec = {"symbol": symbol, "latex": latex, "domain": domain, "meaning": meaning}
    return field(default=default, metadata={**spec, **flags})


class ParameterSet(render.Described, Mapping[str, Any]):
    """The values of a model's named parameters: validated, immutable, broadcasting
    against each other, read by attribute or as a mapping (``dict(p)``,
    ``p["control_gain"]``), displayed as a table in notebooks.

    A subclass is a frozen keyword-only dataclass whose fields are made with
    :func:`parameter`, completed by the :func:`parameter_set` decorator.

    Examples
    --------
    >>> from powergames.partnership import Parameters
    >>> p = Parameters(control_gain=3)
    >>> p["control_gain"], len(p) == len(Parameters.SPECS), p.replace(control_gain=1).control_gain
    (3.0, True, 1.0)
    """

    #: The parameters, in the order of the fields, with their symbols, domains,
    #: meanings and defaults.
    SPECS: ClassVar[tuple[ParameterSpec, ...]] = ()
    #: The same, by name.
    BY_NAME: ClassVar[dict[str, ParameterSpec]] = {}
    #: What an unknown name's message calls the set ("the parameters ...").
    OWNER: ClassVar[str] = "the parameters"
    #: Names that were parameters once, with what to use instead.
    RETIRED: ClassVar[dict[str, str]] = {}

    @classmethod
    def check_name(cls, name: str) -> str:
        """``name`` if it is a parameter's name, else :class:`InvalidParameterError`
        with a suggestion and the list of names.

        Examples
        --------
        >>> from powergames.partnership import Parameters
        >>> Parameters.check_name("discount")
        Traceback (most recent call last):
        ...
        powergames.errors.InvalidParameterError: unknown parameter 'discount'; did you ...
        """
        if name in cls.BY_NAME:
            return name
        if name in cls.RETIRED:
            raise InvalidParameterError(f"{name!r} is no longer a parameter: {cls.RETIRED[name]}")
        raise InvalidParameterError(
            f"unknown parameter {name!r};{suggest(name, cls.BY_NAME)} {cls.OWNER} are "
            f"{', '.join(cls.BY_NAME)}"
        )

    def __post_init__(self) -> None:
        for spec in self.SPECS:
            object.__setattr__(self, spec.name, spec.check(getattr(self, spec.name)))
        shapes = {n: np.shape(v) for n, v in self.items() if isinstance(v, np.ndarray)}
        try:
            np.broadcast_shapes(*shapes.values())
        except ValueError:
            raise InvalidParameterError(
                f"parameter arrays must broadcast, got shapes {shapes}"
            ) from None

    @classmethod
    def symbolic(cls: type[_SetT], *names: str, **values: Any) -> _SetT:
        """Parameters with sympy symbols: for ``names`` (when none is given, every
        parameter but those an actor chooses), and the given ``values`` or defaults for
        the others.

        Examples
        --------
        >>> from powergames.partnership import Parameters
        >>> from powergames.partnership.actors import NestedParameters
        >>> p = Parameters.symbolic("control_gain")
        >>> p.control_gain, p.autonomy_value
        (g, 3.0)
        >>> NestedParameters.symbolic().membership_mobilisation  # the membership's choice
        nan
        """
        chosen = names or tuple(s.name for s in cls.SPECS if not getattr(s, "chosen", False))
        symbols = {cls.check_name(name): cls.BY_NAME[name].sympy_symbol for name in chosen}
        return cls(**symbols, **values)

    @classmethod
    def from_mapping(cls: type[_SetT], values: Mapping[str, Any]) -> _SetT:
        """Parameters from a mapping of names to values, unknown names refused with a
        suggestion.

        Examples
        --------
        >>> from powergames.partnership import Parameters
        >>> Parameters.from_mapping({"control_gain": 3}).control_gain
        3.0
        >>> Parameters.from_mapping({"control_gian": 3})
        Traceback (most recent call last):
        ...
        powergames.errors.InvalidParameterError: unknown parameter 'control_gian'; did you ...
        """
        for name in values:
            cls.check_name(name)
        return cls(**values)

    # ----------------------------------------------------------- mapping API
    def __getitem__(self, name: str) -> Any:
        if name not in self.BY_NAME:
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.BY_NAME)

    def __len__(self) -> int:
        return len(self.SPECS)

    def replace(self: _SetT, **changes: Any) -> _SetT:
        """A copy with some parameters changed (validated).

        Examples
        --------
        >>> from powergames.partnership.actors import NestedParameters
        >>> NestedParameters().replace(oci_bargaining_weight=0.8).oci_bargaining_weight
        0.8
        """
        for name in changes:
            self.check_name(name)
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    # ------------------------------------------------------------ derived
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
        return f"{type(self).__name__}({inside})"

    def describe(self, fmt: render.Format = "text") -> str:
        """The parameters as a table (name, symbol, value, domain, meaning) in plain
        text, Markdown or HTML: what notebooks and IPython display.

        Examples
        --------
        >>> from powergames.partnership import Parameters
        >>> print(Parameters().describe("markdown").splitlines()[2])
        | pragmatic_legitimacy | l_p | 4 | [0, inf] | ... |
        """
        header = ["parameter", "symbol", "value", "domain", "meaning"]
        rows = [
            [spec.name, spec.symbol, _short(self[spec.name]), spec.describe(), spec.meaning]
            for spec in self.SPECS
        ]
        return render.render(header, rows, fmt)


def parameter_set(
    spec_type: type[ParameterSpec],
) -> Callable[[type[_SetT]], type[_SetT]]:
    """Complete a :class:`ParameterSet` dataclass: its ``SPECS`` read from the fields
    (as ``spec_type``), and an ``__init__`` that takes values by name only and answers
    an unknown name with a suggestion rather than the dataclass's ``TypeError``.

    Examples
    --------
    >>> @parameter_set(ParameterSpec)
    ... @dataclass(frozen=True, eq=False, repr=False, kw_only=True)
    ... class Toy(ParameterSet):
    ...     gain: Value = parameter("g", "g", (0, math.inf), 1.0, "a gain")
    >>> Toy(gain=2), [spec.name for spec in Toy.SPECS]
    (Toy(gain=2), ['gain'])
    >>> Toy(gian=2)
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: unknown parameter 'gian'; did you mean 'gain'? ...
    """

    def complete(cls: type[_SetT]) -> type[_SetT]:
        cls.SPECS = tuple(
            spec_type(name=f.name, default=float(f.default), **f.metadata)  # type: ignore[arg-type]
            for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        )
        cls.BY_NAME = {spec.name: spec for spec in cls.SPECS}
        dataclass_init = cls.__init__

        @functools.wraps(dataclass_init)
        def init(self: _SetT, *args: Any, **values: Any) -> None:
            if args:
                raise InvalidParameterError(
                    f"{cls.__name__} takes its values by name (e.g. {cls.SPECS[0].name}=1), "
                    f"got {len(args)} positional argument(s)"
                )
            for name in values:
                cls.check_name(name)
            dataclass_init(self, **values)

        cls.__init__ = init  # type: ignore[method-assign,assignment]
        return cls

    return complete


def suggest(name: str, choices: Any) -> str:
    """`` did you mean 'x'?`` for the closest of ``choices`` to ``name``, or ``""``.

    Examples
    --------
    >>> suggest("discount", ["discount_factor", "inherited_weight"])
    " did you mean 'discount_factor'?"
    """
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" did you mean {close[0]!r}?" if close else ""


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array(shape={value.shape})"
    return render.format_number(value) if not isinstance(value, sp.Basic) else str(value)
