"""The scenarios bundled with powergames: the article's three historical compromises
and its two kinds of OCI (``powergames/data/presets/<name>.toml``)."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

from powergames.errors import InvalidParameterError
from powergames.partnership.parameters import suggest
from powergames.partnership.scenario import Scenario
from powergames.partnership.scenario_toml import loads

__all__ = ["PRESETS", "list_presets", "load_preset", "preset_text"]

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
    return loads(preset_text(name, PRESETS, "presets"), f"preset {name!r}")


def preset_text(name: str, names: Sequence[str], folder: str, kind: str = "preset") -> str:
    """The TOML text of a bundled preset, ``powergames/data/<folder>/<name>.toml``, for
    the loaders of each kind of preset.

    Parameters
    ----------
    name : str
        The preset's name.
    names : sequence of str
        The presets of its kind.
    folder : str
        Their folder in ``powergames/data``.
    kind : str, default "preset"
        What they are called in the error (``"nested preset"``, ``"dynamic preset"``).

    Raises
    ------
    InvalidParameterError
        When ``name`` is not one of ``names`` (with the nearest names).

    Examples
    --------
    >>> "[parameters]" in preset_text("partnership-1990s", PRESETS, "presets")
    True
    >>> preset_text("1990s", ("historical-path",), "paths", "dynamic preset")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: unknown dynamic preset '1990s'; the dynamic ...
    """
    if name not in names:
        raise InvalidParameterError(
            f"unknown {kind} {name!r};{suggest(name, names)} the {kind}s are {', '.join(names)}"
        )
    folder_path = resources.files("powergames").joinpath("data").joinpath(folder)
    return folder_path.joinpath(f"{name}.toml").read_text(encoding="utf-8")


def list_presets() -> list[Scenario]:
    """Every bundled preset, in the order of :data:`PRESETS`.

    Examples
    --------
    >>> [s.name for s in list_presets()][:3]
    ['donor-beneficiary-1960s', 'collaboration-1970s', 'partnership-1990s']
    """
    return [load_preset(name) for name in PRESETS]
