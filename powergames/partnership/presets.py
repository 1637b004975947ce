"""The scenarios bundled with powergames: the article's three historical compromises
and its two kinds of OCI (``powergames/data/presets/<name>.toml``)."""

from __future__ import annotations

from importlib import resources

from powergames.errors import InvalidParameterError
from powergames.partnership.parameters import suggest
from powergames.partnership.scenario import Scenario
from powergames.partnership.scenario_toml import loads

__all__ = ["PRESETS", "list_presets", "load_preset"]

#: The presets: the three historical compromises, then the two kinds of OCI.
PRESETS: tuple[str, ...] = (
    "donor-beneficiary-1960s",
    "collaboration-1970s",
    "partnership-1990s",
    "social-economy",
    "solidarity-economy",
)


def load_preset(name: str) -> Scenario:
    """A scenario bundled with powergames, by name (see :data:`PRESETS`).

    Examples
    --------
    >>> preset = load_preset("partnership-1990s")
    >>> sorted(preset.grid)
    ['discount_factor', 'inherited_weight']
    >>> load_preset("partnership-1990")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: unknown preset 'partnership-1990'; did you mean ...
    """
    if name not in PRESETS:
        raise InvalidParameterError(
            f"unknown preset {name!r};{suggest(name, PRESETS)} the presets are {', '.join(PRESETS)}"
        )
    resource = resources.files("powergames").joinpath("data").joinpath("presets")
    text = resource.joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return loads(text, f"preset {name!r}")


def list_presets() -> list[Scenario]:
    """Every bundled preset, in the order of :data:`PRESETS`.

    Examples
    --------
    >>> [s.name for s in list_presets()][:3]
    ['donor-beneficiary-1960s', 'collaboration-1970s', 'partnership-1990s']
    """
    return [load_preset(name) for name in PRESETS]
