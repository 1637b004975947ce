"""The files of the fictional case study the documentation works through: a REFI-QDA
project of six coded interviews (``cooperation.qdpx``) and its codebook
(``cooperation-codebook.toml``), illustrative, not empirical."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from powergames.errors import InvalidParameterError

__all__ = ["EXAMPLES", "example_path"]

#: The example files shipped with powergames.
EXAMPLES = ("cooperation.qdpx", "cooperation-codebook.toml")


def example_path(name: str) -> Path:
    """The path of an example file (:data:`EXAMPLES`).

    Examples
    --------
    >>> example_path("cooperation.qdpx").name
    'cooperation.qdpx'
    """
    if name not in EXAMPLES:
        raise InvalidParameterError(
            f"unknown example file {name!r}; the examples are {', '.join(EXAMPLES)}"
        )
    return Path(str(resources.files("powergames").joinpath("data", "evidence", name)))
