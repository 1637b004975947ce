"""The funder's eras: an exogenous Markov chain whose states set some parameters of the
partnership game (the control gain, the funder's accountability, the NGO's outside
option, ...), the environment the partners do not choose."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames._validate import integer, short
from powergames.errors import InvalidParameterError
from powergames.partnership.parameters import Parameters, check_name, suggest

__all__ = ["STATE_PARAMETERS", "Era", "EraChain"]

#: The parameters the state of the dynamic model sets, which an era may not: the
#: moral legitimacy and the shared paradigm are stocks, the discount factor comes from
#: time, breakdown and trust.
STATE_PARAMETERS = ("moral_legitimacy", "shared_paradigm", "discount_factor")


@dataclass(frozen=True)
class Era:
    """An era of the funder's environment: a name and the parameters it sets.

    Parameters
    ----------
    name : str
    values : mapping of str to float
        Parameters of :class:`~powergames.partnership.Parameters` this era sets (not
        those of :data:`STATE_PARAMETERS`).
    title : str, optional
    passages : mapping of str to str, optional
        The article's passage behind each value.

    Examples
    --------
    >>> Era("1960s", {"control_gain": 4.0}).values
    {'control_gain': 4.0}
    >>> Era("1960s", {"shared_paradigm": 0.5})
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: era '1960s' sets shared_paradigm, which the state ...
    """

    name: str
    values: Mapping[str, float] = field(default_factory=dict)
    title: str = ""
    passages: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InvalidParameterError(f"an era needs a name, got {short(self.name)}")
        values = {}
        for key, value in dict(self.values).items():
            check_name(key)
            if key in STATE_PARAMETERS:
                raise InvalidParameterError(
                    f"era {self.name!r} sets {key}, which the state of the dynamic model "
                    f"sets ({', '.join(STATE_PARAMETERS)})"
                )
            values[key] = value
        Parameters(**values)  # each value in its domain
        object.__setattr__(self, "values", {k: float(v) for k, v in values.items()})
        object.__setattr__(self, "passages", dict(self.passages))

    def parameters(self, base: Parameters) -> Parameters:
        """``base`` with this era's values."""
        return base.replace(**self.values)


@dataclass(frozen=True, eq=False)
class EraChain:
    """Eras and the probabilities of moving from one to the next each period.

    Parameters
    ----------
    eras : sequence of Era
        Names distinct.
    transitions : array_like, optional
        Row ``k`` gives the probabilities of the next period's era from era ``k``;
        rows sum to 1. One era forever by default (the identity).

    Examples
    --------
    >>> chain = EraChain([Era("a"), Era("b")], [[0.9, 0.1], [0.0, 1.0]])
    >>> chain.index("b"), chain.names
    (1, ('a', 'b'))
    >>> chain.sample(5, start="a", rng=np.random.default_rng(0)).tolist()
    [0, 0, 0, 0, 0]
    """

    eras: Sequence[Era]
    transitions: Any = None

    def __post_init__(self) -> None:
        eras = tuple(self.eras)
        if not eras or not all(isinstance(era, Era) for era in eras):
            raise InvalidParameterError("eras must be a non-empty sequence of Era")
        names = [era.name for era in eras]
        if len(set(names)) != len(names):
            raise InvalidParameterError(f"era names must be distinct, got {names}")
        k = len(eras)
        given = np.eye(k) if self.transitions is None else self.transitions
        try:
            P = np.array(given, dtype=np.float64)
        except (TypeError, ValueError):
            raise InvalidParameterError(
                f"transitions must be a {k} x {k} matrix of probabilities, got {short(given)}"
            ) from None
        if P.shape != (k, k) or not np.isfinite(P).all() or (P < 0).any():
            raise InvalidParameterError(
                f"transitions must be a {k} x {k} matrix of non-negative probabilities, "
                f"got shape {P.shape}"
            )
        if not np.allclose(P.sum(axis=1), 1.0, atol=1e-9):
            raise InvalidParameterError(
                f"each row of transitions must sum to 1, got {P.sum(axis=1).round(12).tolist()}"
            )
        P.setflags(write=False)
        object.__setattr__(self, "eras", eras)
        object.__setattr__(self, "transitions", P)

    @property
    def names(self) -> tuple[str, ...]:
        """The era names, in order."""
        return tuple(era.name for era in self.eras)

    def __len__(self) -> int:
        return len(self.eras)

    def index(self, era: str | int) -> int:
        """The position of an era given by name or position."""
        if isinstance(era, str):
            if era not in self.names:
                raise InvalidParameterError(
                    f"unknown era {era!r};{suggest(era, self.names)} the eras are "
                    f"{', '.join(self.names)}"
                )
            return self.names.index(era)
        return integer(era, "era", low=0, high=len(self.eras) - 1)

    def sequence(self, eras: Sequence[str | int], periods: int) -> NDArray[np.intp]:
        """A given sequence of eras, one a period, checked against the chain: each
        move must have a positive probability.

        Raises
        ------
        InvalidParameterError
            For an unknown era, a sequence shorter than ``periods``, or a move the
            chain cannot make.
        """
        if isinstance(eras, str) or len(eras) < periods:
            raise InvalidParameterError(
                f"eras must give an era for each of the {periods} periods, got {short(eras)}"
            )
        path = np.array([self.index(e) for e in list(eras)[:periods]], dtype=np.intp)
        for t in range(1, len(path)):
            if self.transitions[path[t - 1], path[t]] <= 0:
                raise InvalidParameterError(
                    f"eras[{t}]: the chain cannot move from {self.names[path[t - 1]]!r} to "
                    f"{self.names[path[t]]!r}"
                )
        return path

    def sample(
        self, periods: int, *, start: str | int, rng: np.random.Generator
    ) -> NDArray[np.intp]:
        """A path of ``periods`` eras drawn from the chain, from ``start``."""
        periods = integer(periods, "periods", low=1)
        path = np.empty(periods, dtype=np.intp)
        path[0] = self.index(start)
        for t in range(1, periods):
            path[t] = rng.choice(len(self.eras), p=self.transitions[path[t - 1]])
        return path

    def expected_durations(self) -> NDArray[np.float64]:
        """How many periods each era lasts on average once entered (``inf`` for an
        era the chain never leaves)."""
        stay = np.diag(self.transitions)
        with np.errstate(divide="ignore"):
            return np.asarray(np.where(stay < 1, 1 / (1 - stay), np.inf))

    def values(self, base: Parameters) -> list[Parameters]:
        """Each era's parameters on top of ``base``."""
        return [era.parameters(base) for era in self.eras]
