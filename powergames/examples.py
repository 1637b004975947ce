"""Games bundled with powergames (in ``powergames/data``), by name."""

from __future__ import annotations

import difflib
from importlib import resources

from powergames.errors import InvalidParameterError
from powergames.game import Game
from powergames.nfg import read_nfg

__all__ = ["EXAMPLES", "load_example"]

#: The bundled games: name, and the Gambit ``.nfg`` file that holds it.
EXAMPLES = {
    "partnership-baseline": "partnership-baseline.nfg",
}


def load_example(name: str) -> Game:
    """A bundled example game by name (see :data:`EXAMPLES`).

    Raises
    ------
    InvalidParameterError
        For a name that is not in :data:`EXAMPLES` (the message suggests the closest).

    Examples
    --------
    >>> load_example("partnership-baseline").strategies[0]
    ('impose', 'dilute', 'withdraw')
    >>> load_example("partnership")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: unknown example 'partnership' (did you mean ...
    """
    if name not in EXAMPLES:
        close = difflib.get_close_matches(str(name), EXAMPLES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InvalidParameterError(
            f"unknown example {name!r}{hint}; choose one of {sorted(EXAMPLES)}"
        )
    text = resources.files("powergames").joinpath("data", EXAMPLES[name]).read_text("utf-8")
    return read_nfg(text)
