"""The look of every figure: the regime palette, the hatching, and what the hatching of
a partnership region says about its cause.

The palette is chosen to survive greyscale print and colour blindness. The three
regimes that share borders on the usual maps (partnership, collaboration,
donor-beneficiary) are told apart by lightness alone: pale, middle and dark. In CIE
lightness L* (0 to 100) and in the Rec. 601 luma of a greyscale conversion (0 to 255),
as seen with normal vision and through the simulations of deuteranopia and protanopia
of Machado, Oliveira & Fernandes (2009), they stand at

=================  ========  ======  ====  =============  =============
regime             colour    L*      luma  deuteranopia   protanopia
                                           L* / luma      L* / luma
=================  ========  ======  ====  =============  =============
partnership        #F2E4A0   90.3    224   90.9 / 226     89.1 / 221
collaboration      #44AA88   63.1    136   61.5 / 148     65.5 / 158
donor-beneficiary  #2C4F8A   33.9     75   32.5 / 71      36.0 / 81
=================  ========  ======  ====  =============  =============

so any two of them differ by at least 27 L* and 60 of 255 in luma (a fifth of either
scale is 20 and 51), and by at least 23.7 L* and 63 in luma for a dichromat. The three
rarer regimes (contested, passive, breakdown) sit at middle lightness (L* 66, 76, 77)
and carry each its own hatching, so every regime is told from every other without
colour.

The colours before (ColorBrewer's Set2) failed this: partnership, donor-beneficiary and
collaboration had L* 66, 70 and 72 (Rec. 601 luma 159, 169, 163; Rec. 709 luma 159,
161, 172), and merged in print.

References
----------
Machado, G. M., Oliveira, M. M. and Fernandes, L. A. F. (2009). A physiologically-based
model for simulation of color vision deficiency. IEEE Transactions on Visualization and
Computer Graphics 15(6), 1291-1298.

Examples
--------
>>> REGIME_COLOURS["partnership"], REGIME_HATCHES["contested"]
('#F2E4A0', 'xx')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from powergames.errors import InvalidParameterError
from powergames.partnership import REGIMES

__all__ = [
    "BINDING_HATCHES",
    "BINDING_LABELS",
    "DILUTION_LEVELS",
    "HATCH_SYMBOLS",
    "OTHER_BINDING_LABELS",
    "REGIME_COLOURS",
    "REGIME_HATCHES",
    "check_hatches",
    "regime_colours",
    "regime_hatches",
]

#: A fixed colour for every regime of :data:`powergames.partnership.REGIMES`, the same
#: on every map: partnership pale, collaboration middle, donor-beneficiary dark (see
#: the table above); the hatched regimes light enough for their hatching to show.
REGIME_COLOURS: dict[str, str] = {
    "collaboration": "#44AA88",
    "partnership": "#F2E4A0",
    "donor-beneficiary": "#2C4F8A",
    "contested": "#DD8899",
    "passive": "#E8B070",
    "breakdown": "#BDBDBD",
}

#: The hatching of each regime (matplotlib's hatch patterns; ``""`` for none): the rarer
#: regimes, whose lightness is close to a common one, are told apart by it.
REGIME_HATCHES: dict[str, str] = {
    "collaboration": "",
    "partnership": "",
    "donor-beneficiary": "",
    "contested": "xx",
    "passive": "..",
    "breakdown": "++",
}

#: What binds the OCI's weight at a partnership point (the values of the model's
#: ``binding_constraint`` column), as a legend reads it: the window of admissible
#: weights is capped by the NGO's temptation or by the resource floor, and floored by
#: the OCI's temptation or by its participation; ``"none"`` when the inherited weight
#: lies inside the window and is kept.
BINDING_LABELS: dict[str, str] = {
    "ngo-temptation": "capped by the NGO's temptation",
    "resource-floor": "capped by the resource floor",
    "oci-temptation": "floored by the OCI's temptation",
    "oci-participation": "floored by the OCI's participation",
    "none": "none: the inherited weight holds",
}

#: Legend words for the causes other models add to :data:`BINDING_LABELS`: the nested
#: game of actors' floor of resources set by the base groups, and a weight the dynamic
#: model sets by another state's constraint. They take spare hatch patterns.
OTHER_BINDING_LABELS: dict[str, str] = {
    "base-group-floor": "capped by the base groups' floor",
    "another-state": "set by another state's constraint",
}

#: The hatching that shows each cause inside the partnership region, none of them a
#: regime's pattern: caps, where the dilution contours run, are hatched ``////`` and
#: ``||||``, floors ``\\\\`` and ``----``.
BINDING_HATCHES: dict[str, str] = {
    "ngo-temptation": "////",
    "resource-floor": "||||",
    "oci-temptation": "\\\\\\\\",
    "oci-participation": "----",
    "none": "",
}

#: The levels of dilution ``d*`` drawn as contours.
DILUTION_LEVELS: tuple[float, ...] = (0.05, 0.1, 0.2)

#: The symbols matplotlib draws as hatching.
HATCH_SYMBOLS = frozenset("/\\|-+xoO.*")


def check_hatches(pattern: object, name: str) -> str:
    """A hatch pattern: a string of matplotlib's hatch symbols (``""`` for none).

    Examples
    --------
    >>> check_hatches("//", "hatches['partnership']")
    '//'
    >>> check_hatches("#", "hatches['partnership']")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: hatches['partnership'] must be a hatch pattern ...
    """
    if not isinstance(pattern, str) or not set(pattern) <= HATCH_SYMBOLS:
        raise InvalidParameterError(
            f"{name} must be a hatch pattern made of {' '.join(sorted(HATCH_SYMBOLS))} "
            f"(or '' for none), got {pattern!r}"
        )
    return pattern


def _unknown_regimes(given: Mapping[str, object], name: str) -> None:
    unknown = sorted(set(given) - set(REGIMES))
    if unknown:
        raise InvalidParameterError(
            f"{name}: unknown regime(s) {', '.join(map(repr, unknown))}; the regimes are "
            f"{', '.join(REGIMES)}"
        )


def regime_colours(colors: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The colour of every regime: :data:`REGIME_COLOURS`, with those of ``colors``
    (any matplotlib colour) in place of the defaults.

    Raises
    ------
    InvalidParameterError
        For an unknown regime or something that is not a colour.

    Examples
    --------
    >>> regime_colours({"partnership": "white"})["partnership"]
    'white'
    """
    from matplotlib.colors import is_color_like

    if colors is None:
        return dict(REGIME_COLOURS)
    if not isinstance(colors, Mapping):
        raise InvalidParameterError(
            f"colors must map regimes to colours, got {type(colors).__name__}"
        )
    _unknown_regimes(colors, "colors")
    for regime, colour in colors.items():
        if not is_color_like(colour):
            raise InvalidParameterError(
                f"colors[{regime!r}] must be a matplotlib colour, got {colour!r}"
            )
    return {**REGIME_COLOURS, **colors}


def regime_hatches(hatches: Mapping[str, str] | bool = True) -> dict[str, str]:
    """The hatching of every regime: :data:`REGIME_HATCHES` (``True``), none
    (``False``), or the defaults with those of a mapping in their place.

    Raises
    ------
    InvalidParameterError
        For an unknown regime or pattern.

    Examples
    --------
    >>> regime_hatches({"breakdown": ""})["breakdown"], regime_hatches(False)["contested"]
    ('', '')
    """
    if hatches is True:
        return dict(REGIME_HATCHES)
    if hatches is False:
        return dict.fromkeys(REGIMES, "")
    if not isinstance(hatches, Mapping):
        raise InvalidParameterError(
            f"hatches must be True, False or a mapping of regimes to hatch patterns, "
            f"got {hatches!r}"
        )
    _unknown_regimes(hatches, "hatches")
    chosen = {r: check_hatches(p, f"hatches[{r!r}]") for r, p in hatches.items()}
    return {**REGIME_HATCHES, **chosen}
