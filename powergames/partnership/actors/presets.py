"""The nested game's bundled scenarios: the article's two kinds of OCI, told apart by
who they answer to (their funder or their membership) and by how readily their
membership mobilises (``powergames/data/nested-presets/<name>.toml``)."""

from __future__ import annotations

from powergames.partnership.actors.scenario import NestedScenario, loads_nested
from powergames.partnership.presets import preset_text

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
    text = preset_text(name, NESTED_PRESETS, "nested-presets", "nested preset")
    return loads_nested(text, f"preset {name!r}")


def list_nested_presets() -> list[NestedScenario]:
    """Every bundled nested preset, in the order of :data:`NESTED_PRESETS`.

    Examples
    --------
    >>> [s.name for s in list_nested_presets()]
    ['nested-social-economy', 'nested-solidarity-economy']
    """
    return [load_nested_preset(name) for name in NESTED_PRESETS]
