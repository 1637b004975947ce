"""The nested game's bundled scenarios: the article's two kinds of OCI, told apart by
who they answer to (their funder or their membership) and by how readily their
membership mobilises (``powergames/data/nested-presets/<name>.toml``)."""

from __future__ import annotations

from importlib import resources

from powergames.errors import InvalidParameterError
from powergames.partnership.actors.scenario import NestedScenario, loads_nested
from powergames.partnership.parameters import suggest

__all__ = ["NESTED_PRESETS", "list_nested_presets", "load_nested_preset"]

#: The nested presets.
NESTED_PRESETS: tuple[str, ...] = ("nested-social-economy", "nested-solidarity-economy")


def load_nested_preset(name: str) -> NestedScenario:
    """A nested scenario bundled with powergames, by name (see :data:`NESTED_PRESETS`).

    Examples
    --------
    >>> load_nested_preset("nested-solidarity-economy").parameters.membership_accountability
    0.6
    >>> load_nested_preset("social-economy")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: unknown nested preset 'social-economy'; did you ...
    """
    if name not in NESTED_PRESETS:
        raise InvalidParameterError(
            f"unknown nested preset {name!r};{suggest(name, NESTED_PRESETS)} the nested "
            f"presets are {', '.join(NESTED_PRESETS)}"
        )
    folder = resources.files("powergames").joinpath("data").joinpath("nested-presets")
    text = folder.joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return loads_nested(text, f"preset {name!r}")


def list_nested_presets() -> list[NestedScenario]:
    """Every bundled nested preset, in the order of :data:`NESTED_PRESETS`.

    Examples
    --------
    >>> [s.name for s in list_nested_presets()]
    ['nested-social-economy', 'nested-solidarity-economy']
    """
    return [load_nested_preset(name) for name in NESTED_PRESETS]
