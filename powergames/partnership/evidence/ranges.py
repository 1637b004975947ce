"""Ranges of a parameter: what a researcher can say of a value they do not measure.

A range is a probability distribution on a closed interval ``[low, high]``: the
uniform distribution (a plain interval, every value as plausible as any other), the
triangular distribution (a most plausible value, ``mode``, and the least and most
plausible ones) or the beta distribution stretched onto the interval (a smooth hump
whose shape the two exponents set). Each is sampled by its inverse cumulative
distribution function :meth:`Range.ppf` applied to points of the unit interval, so
quasi-random points of the unit cube (:mod:`scipy.stats.qmc`) become points of the
ranged parameters. A range whose ends coincide is the exact value.

The ranges encode the researcher's judgement, not a measurement: see the
documentation's explanation, "What the numbers of evidence mean".
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from powergames._validate import real, short
from powergames.errors import InvalidParameterError

__all__ = ["DISTRIBUTIONS", "Beta", "Range", "Triangular", "Uniform", "as_range"]


class Range(ABC):
    """A distribution on a closed interval ``[low, high]`` of a parameter's values."""

    #: The name of the distribution in a scenario file's ``[ranges]`` table.
    distribution: ClassVar[str]
    low: float
    high: float

    @abstractmethod
    def ppf(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        """The inverse cumulative distribution function at ``u`` in ``[0, 1]``: the
        values below which a fraction ``u`` of the range's mass lies."""

    @property
    @abstractmethod
    def mean(self) -> float:
        """The mean of the distribution (a scenario's nominal value of the parameter)."""

    @abstractmethod
    def as_table(self) -> dict[str, Any]:
        """The range as a scenario file's ``[ranges]`` entry reads it (a TOML table)."""

    @property
    def width(self) -> float:
        """``high - low``."""
        return self.high - self.low

    @property
    def degenerate(self) -> bool:
        """Whether the range is one value (``low == high``)."""
        return self.low == self.high

    def to_toml(self) -> str:
        """The range as an inline TOML table, e.g. ``{ distribution = "uniform", low =
        1.0, high = 2.0 }``."""
        items = ", ".join(
            f"{key} = {value!r}" if not isinstance(value, str) else f'{key} = "{value}"'
            for key, value in self.as_table().items()
        )
        return "{ " + items + " }"


def _bounds(low: Any, high: Any, name: str) -> tuple[float, float]:
    low = real(low, f"{name} low", array=False)
    high = real(high, f"{name} high", array=False)
    if low > high:
        raise InvalidParameterError(f"{name}: low must be <= high, got low={low:g} > high={high:g}")
    return low, high


@dataclass(frozen=True)
class Uniform(Range):
    """Every value of ``[low, high]`` as plausible as any other: an interval.

    Examples
    --------
    >>> Uniform(2, 4).ppf(np.array([0.0, 0.25, 1.0])).tolist(), Uniform(2, 4).mean
    ([2.0, 2.5, 4.0], 3.0)
    """

    low: float
    high: float
    distribution: ClassVar[str] = "uniform"

    def __post_init__(self) -> None:
        low, high = _bounds(self.low, self.high, "uniform range")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def ppf(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.asarray(self.low + np.asarray(u) * self.width, dtype=np.float64)

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    def as_table(self) -> dict[str, Any]:
        return {"distribution": self.distribution, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class Triangular(Range):
    """A most plausible value ``mode`` and plausibility falling linearly to zero at
    ``low`` and ``high``.

    Examples
    --------
    >>> t = Triangular(0, 1, 4)
    >>> t.ppf(np.array([0.0, 0.25, 1.0])).tolist(), round(t.mean, 9)
    ([0.0, 1.0, 4.0], 1.666666667)
    """

    low: float
    mode: float
    high: float
    distribution: ClassVar[str] = "triangular"

    def __post_init__(self) -> None:
        low, high = _bounds(self.low, self.high, "triangular range")
        mode = real(self.mode, "triangular range mode", array=False)
        if not low <= mode <= high:
            raise InvalidParameterError(
                f"triangular range: mode must be in [low, high] = [{low:g}, {high:g}], got {mode:g}"
            )
        for key, value in (("low", low), ("mode", mode), ("high", high)):
            object.__setattr__(self, key, value)

    def ppf(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        # The inverse of the piecewise-quadratic distribution function.
        u = np.asarray(u, dtype=np.float64)
        if self.degenerate:
            return np.full(u.shape, self.low)
        left = self.mode - self.low
        right = self.high - self.mode
        split = left / self.width
        rising = self.low + np.sqrt(u * self.width * left)
        falling = self.high - np.sqrt((1 - u) * self.width * right)
        return np.where(u < split, rising, falling)

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    def as_table(self) -> dict[str, Any]:
        return {
            "distribution": self.distribution,
            "low": self.low,
            "mode": self.mode,
            "high": self.high,
        }


@dataclass(frozen=True)
class Beta(Range):
    """The beta distribution with exponents ``alpha`` and ``beta``, stretched from
    ``[0, 1]`` onto ``[low, high]`` (by default ``[0, 1]``, the domain of a share such
    as the shared paradigm).

    Examples
    --------
    >>> b = Beta(2, 2, low=0, high=4)
    >>> b.ppf(np.array([0.0, 0.5, 1.0])).round(9).tolist(), b.mean
    ([0.0, 2.0, 4.0], 2.0)
    """

    alpha: float
    beta: float
    low: float = 0.0
    high: float = 1.0
    distribution: ClassVar[str] = "beta"

    def __post_init__(self) -> None:
        low, high = _bounds(self.low, self.high, "beta range")
        alpha = real(self.alpha, "beta range alpha", low=0, low_open=True, array=False)
        beta = real(self.beta, "beta range beta", low=0, low_open=True, array=False)
        for key, value in (("alpha", alpha), ("beta", beta), ("low", low), ("high", high)):
            object.__setattr__(self, key, value)

    def ppf(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        from scipy.special import betaincinv

        unit = betaincinv(self.alpha, self.beta, np.asarray(u, dtype=np.float64))
        return np.asarray(self.low + unit * self.width, dtype=np.float64)

    @property
    def mean(self) -> float:
        return self.low + self.width * self.alpha / (self.alpha + self.beta)

    def as_table(self) -> dict[str, Any]:
        return {
            "distribution": self.distribution,
            "alpha": self.alpha,
            "beta": self.beta,
            "low": self.low,
            "high": self.high,
        }


#: The distributions a range may have, by the name a scenario file gives them.
DISTRIBUTIONS: dict[str, type[Range]] = {
    cls.distribution: cls for cls in (Uniform, Triangular, Beta)
}

_KEYS = {"uniform": ("low", "high"), "triangular": ("low", "mode", "high")}


def as_range(value: Any, name: str, domain: tuple[float, float] | None = None) -> Range:
    """A range from what a scenario gives: a :class:`Range`, a pair ``[low, high]``
    (uniform) or a table ``{distribution = "triangular", low = .., mode = .., high =
    ..}`` (``uniform``: ``low``, ``high``; ``beta``: ``alpha``, ``beta`` and optionally
    ``low``, ``high``, by default the ends of ``domain``).

    Raises
    ------
    InvalidParameterError
        Naming ``name``: a value of another shape, an unknown distribution or key, a
        missing key, bad numbers.

    Examples
    --------
    >>> as_range([1, 2], "moral_legitimacy")
    Uniform(low=1.0, high=2.0)
    >>> as_range({"distribution": "beta", "alpha": 2, "beta": 5}, "shared_paradigm", (0, 1))
    Beta(alpha=2.0, beta=5.0, low=0.0, high=1.0)
    >>> as_range({"distribution": "normal"}, "control_gain")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: control_gain: unknown distribution 'normal'; ...
    """
    if isinstance(value, Range):
        return value
    try:
        if isinstance(value, (list, tuple)):
            if len(value) != 2:
                raise InvalidParameterError(
                    f"an interval must be [low, high], got {len(value)} value(s)"
                )
            return Uniform(*value)
        if not isinstance(value, Mapping):
            raise InvalidParameterError(
                f"must be an interval [low, high] or a table with a distribution, got "
                f"{short(value)}"
            )
        return _from_table(value, domain)
    except InvalidParameterError as error:
        raise InvalidParameterError(f"{name}: {error}") from None


def _from_table(table: Mapping[str, Any], domain: tuple[float, float] | None) -> Range:
    kind = table.get("distribution", "uniform")
    if kind not in DISTRIBUTIONS:
        raise InvalidParameterError(
            f"unknown distribution {kind!r}; the distributions are {', '.join(DISTRIBUTIONS)}"
        )
    keys = _KEYS.get(kind, ("alpha", "beta", "low", "high"))
    unknown = [key for key in table if key not in (*keys, "distribution")]
    if unknown:
        raise InvalidParameterError(
            f"unknown key(s) {', '.join(map(repr, unknown))} for a {kind} range; its keys "
            f"are {', '.join(keys)}"
        )
    given = dict(table)
    given.pop("distribution", None)
    if kind == "beta":
        for key, end in zip(("low", "high"), domain or (math.nan, math.nan), strict=True):
            if key not in given:
                if not math.isfinite(end):
                    raise InvalidParameterError(
                        f"a beta range needs {key}: the parameter's domain has no finite {key} end"
                    )
                given[key] = end
    missing = [key for key in keys if key not in given]
    if missing:
        raise InvalidParameterError(f"a {kind} range needs {', '.join(missing)}")
    return DISTRIBUTIONS[kind](**given)
