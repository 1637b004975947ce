"""Figures: what is drawn is what the tables and solvers say, and it reads in print.

The colour science the palette is checked with is written here from its sources (the
sRGB transfer function, CIE lightness, Rec. 601 luma, and the colour-vision-deficiency
matrices of Machado, Oliveira & Fernandes 2009), independently of the code that chose
the palette, and checked against colorspacious where it is installed. Rendered figures
are drawn by Agg into in-memory PNG files and read pixel by pixel.
"""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
from typing import ClassVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powergames import Column, Game, InvalidParameterError, sweep
from powergames.bargaining import BargainingProblem, nash
from powergames.partnership import REGIMES, Parameters, load_preset
from powergames.repeated import equilibrium_payoff_set, feasible_set, minmax
from powergames.strategies import bargaining_problems, games, partnership_parameters

pytest.importorskip("matplotlib")

from matplotlib.colors import to_rgb
from matplotlib.contour import ContourSet
from matplotlib.text import Annotation

from powergames.plot import (
    BINDING_HATCHES,
    BINDING_LABELS,
    MAX_RESOLUTION,
    REGIME_COLOURS,
    REGIME_HATCHES,
    bargaining_map,
    check_resolution,
    default_range,
    payoff_set_map,
    regime_map,
)

XS = np.linspace(0.05, 0.95, 19)
YS = np.linspace(0.3, 1.0, 15)

#: The regimes that share borders on the usual maps (discount factor against inherited
#: weight or shared paradigm, control gain against shared paradigm).
BORDERING = ("partnership", "donor-beneficiary", "collaboration")

#: A fifth of each scale: L* runs from 0 to 100, luma from 0 to 255.
FIFTH_OF_LIGHTNESS, FIFTH_OF_LUMA = 20.0, 0.2 * 255


# ------------------------------------------------------------------ colour science
#: Machado, Oliveira & Fernandes (2009), Table 1, severity 1.0; applied to linear RGB.
MACHADO_2009 = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
}


def to_linear(rgb):
    """sRGB (IEC 61966-2-1) to linear RGB, components in [0, 1]."""
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def to_srgb(linear):
    linear = np.clip(np.asarray(linear, dtype=float), 0.0, 1.0)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)


def simulate(rgb, deficiency):
    """What a dichromat sees of sRGB colours (rows), in sRGB."""
    return to_srgb(to_linear(rgb) @ MACHADO_2009[deficiency].T)


def lightness(rgb):
    """CIE 1976 lightness L* (0 to 100) of sRGB colours: the luminance Y (the Y row of
    the sRGB-to-XYZ matrix of IEC 61966-2-1), then the CIE's cube root with its linear
    toe."""
    y = to_linear(rgb) @ np.array([0.2126, 0.7152, 0.0722])
    f = np.where(y > (6 / 29) ** 3, np.cbrt(y), y / (3 * (6 / 29) ** 2) + 4 / 29)
    return 116 * f - 16


def luma(rgb):
    """Rec. 601 luma on the 0-255 scale: the grey a greyscale conversion prints (PIL's
    ``convert("L")`` and most printer drivers)."""
    return 255 * np.asarray(rgb, dtype=float) @ np.array([0.299, 0.587, 0.114])


def luma709(rgb):
    """Rec. 709 luma on the 0-255 scale, the other common greyscale conversion."""
    return 255 * np.asarray(rgb, dtype=float) @ np.array([0.2126, 0.7152, 0.0722])


def palette(names=tuple(REGIMES)):
    return np.array([to_rgb(REGIME_COLOURS[name]) for name in names])


def test_the_colour_science_agrees_with_colorspacious():
    colorspacious = pytest.importorskip("colorspacious")
    from colorspacious.cvd import machado_et_al_2009_matrix

    for ours, theirs in (("protanopia", "protanomaly"), ("deuteranopia", "deuteranomaly")):
        np.testing.assert_array_equal(MACHADO_2009[ours], machado_et_al_2009_matrix(theirs, 100))
        space = {"name": "sRGB1+CVD", "cvd_type": theirs, "severity": 100}
        expected = np.clip(colorspacious.cspace_convert(palette(), space, "sRGB1"), 0, 1)
        np.testing.assert_allclose(simulate(palette(), ours), expected, atol=1e-6)
    # colorspacious inverts the standard's XYZ-to-sRGB matrix (printed to four places)
    # instead of using its sRGB-to-XYZ one: the Y weights differ in the fifth decimal,
    # L* by less than 0.002 on this palette.
    cielab = colorspacious.cspace_convert(palette(), "sRGB1", "CIELab")
    np.testing.assert_allclose(lightness(palette()), cielab[:, 0], atol=0.002)


def test_the_old_palette_merged_in_greyscale():
    # ColorBrewer Set2, the colours before: partnership, donor-beneficiary, collaboration.
    old = np.array([to_rgb(c) for c in ("#8da0cb", "#fc8d62", "#66c2a5")])
    np.testing.assert_allclose(luma(old), [159.2, 169.3, 163.2], atol=0.1)
    np.testing.assert_allclose(luma709(old)[:2], [159.1, 161.5], atol=0.1)  # as reported
    assert np.ptp(luma(old)) < FIFTH_OF_LUMA / 5  # what the fix is for


@pytest.mark.parametrize("vision", ["normal", "protanopia", "deuteranopia"])
def test_bordering_regimes_differ_in_lightness_by_a_fifth_of_the_scale(vision):
    colours = palette(BORDERING)
    if vision != "normal":
        colours = simulate(colours, vision)
    shades = zip(BORDERING, lightness(colours), luma(colours), luma709(colours), strict=True)
    for (a, la, ya, za), (b, lb, yb, zb) in itertools.combinations(shades, 2):
        assert abs(la - lb) >= FIFTH_OF_LIGHTNESS, (vision, a, b, la, lb)
        assert abs(ya - yb) >= FIFTH_OF_LUMA, (vision, a, b, ya, yb)
        assert abs(za - zb) >= FIFTH_OF_LUMA, (vision, a, b, za, zb)


def test_every_regime_is_told_from_every_other_without_colour():
    shades = dict(zip(REGIMES, lightness(palette()), strict=True))
    for a, b in itertools.combinations(REGIMES, 2):
        by_hatching = REGIME_HATCHES[a] != REGIME_HATCHES[b]
        by_lightness = abs(shades[a] - shades[b]) >= FIFTH_OF_LIGHTNESS
        assert by_hatching or by_lightness, (a, b)


def test_every_cause_has_its_own_hatching_and_none_is_a_regimes():
    patterns = [p for p in BINDING_HATCHES.values() if p]
    assert len(set(patterns)) == len(patterns) == len(BINDING_LABELS) - 1
    assert BINDING_HATCHES["none"] == ""
    assert not set(patterns) & set(REGIME_HATCHES.values())


# ------------------------------------------------------------------ rendering
def render(ax, dpi=100):
    """The figure of ``ax`` drawn by Agg into an in-memory PNG, as RGB in [0, 1] (rows
    from the top), and a function from data coordinates to (row, column)."""
    from PIL import Image

    figure = ax.figure.figure
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    image = np.asarray(Image.open(buffer).convert("RGB")) / 255.0
    figure.set_dpi(dpi)  # lay the figure out again as in the image, for the transform
    figure.canvas.draw()

    def pixel(x, y):
        column, up = ax.transData.transform((x, y))
        return round(image.shape[0] - up), round(column)

    return image, pixel


def block(image, pixel, x, y, radius=8):
    row, column = pixel(x, y)
    return image[row - radius : row + radius + 1, column - radius : column + radius + 1]


def grey(rgb):
    """The greyscale a PIL conversion gives (0-255)."""
    return luma(rgb)


def texture(patch):
    """The texture of a patch of pixels, whatever its phase: the normalised power
    spectrum of its greyscale, without the mean."""
    g = grey(patch)
    g = g - g.mean()
    power = np.abs(np.fft.fft2(g)) ** 2
    total = power.sum()
    return power / total if total > 0 else power


def flat(patch):
    return np.ptp(grey(patch)) < 2.0


def test_each_cell_has_the_colour_of_its_regime_in_the_table():
    preset = load_preset("solidarity-economy")
    ax = regime_map(preset, "discount_factor", "inherited_weight", XS, YS)
    table = sweep(preset, {"inherited_weight": YS, "discount_factor": XS}, ["regime"])
    names = list(REGIMES)
    codes = np.array([names.index(r) for r in table["regime"].tolist()]).reshape(len(YS), len(XS))
    mesh = ax.collections[0]
    np.testing.assert_array_equal(np.asarray(mesh.get_array()).reshape(codes.shape), codes)
    # Both regimes of this plane appear, each in its own colour and in the legend.
    assert set(table["regime"].tolist()) == {"partnership", "donor-beneficiary"}
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"regime", "partnership", "donor-beneficiary", "curves"} <= set(legend)
    assert "dilution" in " ".join(legend)
    assert not {"collaboration", "contested", "passive", "breakdown"} & set(legend)


def test_the_critical_discount_factor_is_drawn_where_the_table_puts_it():
    ax = regime_map(Parameters(), "discount_factor", "inherited_weight", XS, YS)
    (line,) = ax.get_lines()
    x, y = line.get_data()
    np.testing.assert_allclose(y, YS)
    np.testing.assert_allclose(x, 3 / 11)  # delta** at the baseline, for every a0


def test_title_and_legend_can_be_left_out():
    ax = regime_map(
        load_preset("partnership-1990s"),
        "discount_factor",
        "inherited_weight",
        XS,
        YS,
        title="",
        legend=False,
    )
    assert ax.get_title() == "" and ax.get_legend() is None and not ax.artists


def test_panels_share_a_figure():
    from matplotlib.figure import Figure

    figure = Figure()
    left, right = figure.subplots(1, 2)
    regime_map(Parameters(), "discount_factor", "shared_paradigm", XS, YS - 0.3, ax=left)
    regime_map(Parameters(), "moral_legitimacy", "shared_paradigm", [1, 2, 3], [0, 1], ax=right)
    assert left.figure is right.figure and right.get_xlabel().startswith("moral legitimacy")


class ToyMap:
    """A toy model on the plane of the discount factor and the inherited weight, for
    regime maps (the Model protocol of powergames.tables): a subclass gives
    ``values(delta, weight)``, the other columns at the grid points."""

    parameter_names = ("discount_factor", "inherited_weight")
    columns: ClassVar[dict[str, Column]] = {
        name: Column(name)
        for name in (
            *parameter_names,
            "regime",
            "dilution",
            "window_min",
            "window_max",
            "critical_discount_factor",
        )
    }
    default_columns = ("regime",)

    def values(self, delta, weight):
        raise NotImplementedError

    def compute(self, points, names):
        n = len(next(iter(points.values())))
        delta = points.get("discount_factor", np.full(n, 0.5))
        weight = points.get("inherited_weight", np.full(n, 0.5))
        out = {"discount_factor": delta, "inherited_weight": weight}
        out |= self.values(delta, weight)
        return {name: out[name] for name in names}


class BandsModel(ToyMap):
    """A map with every regime, in vertical bands of the discount factor, each next to
    the one before: collaboration, partnership, donor-beneficiary, contested, passive,
    breakdown (the order of REGIMES). Neither delta** nor any dilution contour is on
    it, so each band is its fill and its hatching alone."""

    def values(self, delta, weight):
        n = len(delta)
        band = np.minimum((delta * len(REGIMES)).astype(int), len(REGIMES) - 1)
        return {
            "regime": np.array(list(REGIMES))[band],
            "dilution": np.zeros(n),
            "window_min": np.zeros(n),
            "window_max": np.ones(n),
            "critical_discount_factor": np.full(n, np.inf),
        }


#: The middle of each band of the BandsModel map.
INSIDE = {name: ((k + 0.5) / len(REGIMES), 0.5) for k, name in enumerate(REGIMES)}


def bands_map(**options):
    grid = np.linspace(0, 0.999, 120), np.linspace(0, 1, 60)
    return regime_map(BandsModel(), "discount_factor", "inherited_weight", *grid, **options)


@pytest.fixture(scope="module")
def rendered_bands():
    return render(bands_map())


def test_the_bands_map_draws_every_regime():
    legend = [t.get_text() for t in bands_map().get_legend().get_texts()]
    assert set(REGIMES) <= set(legend)


def test_the_rendered_map_keeps_bordering_regimes_apart_in_greyscale(rendered_bands):
    image, pixel = rendered_bands
    seen = {}
    for name in BORDERING:
        patch = block(image, pixel, *INSIDE[name])
        assert flat(patch), name  # a plain fill: no hatching, no curve
        seen[name] = patch.reshape(-1, 3).mean(axis=0)
        np.testing.assert_allclose(seen[name], to_rgb(REGIME_COLOURS[name]), atol=1.5 / 255)
    for a, b in itertools.combinations(BORDERING, 2):
        assert abs(grey(seen[a]) - grey(seen[b])) >= FIFTH_OF_LUMA, (a, b)
        for vision in ("protanopia", "deuteranopia"):
            la, lb = lightness(simulate(np.array([seen[a], seen[b]]), vision))
            assert abs(la - lb) >= FIFTH_OF_LIGHTNESS, (vision, a, b)


def test_every_rendered_regime_is_told_apart_without_colour(rendered_bands):
    # In greyscale, any two regimes differ in mean grey by a fifth of the scale, or in
    # texture (the hatching), whatever the phase of the pattern.
    image, pixel = rendered_bands
    patches = {name: block(image, pixel, *INSIDE[name], radius=10) for name in REGIMES}
    for name in REGIMES:
        assert flat(patches[name]) == (REGIME_HATCHES[name] == ""), name
    for a, b in itertools.combinations(REGIMES, 2):
        by_grey = abs(grey(patches[a]).mean() - grey(patches[b]).mean()) >= FIFTH_OF_LUMA
        by_texture = np.abs(texture(patches[a]) - texture(patches[b])).sum() > 0.5
        assert by_grey or by_texture, (a, b)


def test_hatching_and_colours_can_be_changed():
    ax = bands_map(
        colors={"partnership": "white", "contested": (1.0, 0.0, 0.0)},
        hatches={"contested": "", "collaboration": "oo"},
    )
    image, pixel = render(ax)
    np.testing.assert_allclose(block(image, pixel, *INSIDE["partnership"]), 1.0, atol=1 / 255)
    contested = block(image, pixel, *INSIDE["contested"], radius=4)
    assert np.abs(contested.reshape(-1, 3) - [1.0, 0.0, 0.0]).max() <= 1 / 255
    assert not flat(block(image, pixel, *INSIDE["collaboration"]))
    unhatched = regime_map(
        Parameters(), "discount_factor", "shared_paradigm", XS, YS - 0.3, hatches=False
    )
    assert not any(c.get_hatch() for c in unhatched.collections)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"colors": {"partnership": "no such colour"}}, r"colors\['partnership'\]"),
        ({"colors": {"alliance": "red"}}, "unknown regime.*'alliance'"),
        ({"colors": ["red"]}, "colors must map regimes"),
        ({"hatches": {"contested": "#"}}, r"hatches\['contested'\] must be a hatch pattern"),
        ({"hatches": {"nope": "//"}}, "unknown regime"),
        ({"hatches": "//"}, "hatches must be True, False or a mapping"),
        ({"binding_constraint": "yes"}, "binding_constraint must be True or False"),
    ],
)
def test_bad_options_are_refused(options, message):
    with pytest.raises(InvalidParameterError, match=message):
        regime_map(Parameters(), "discount_factor", "inherited_weight", XS, YS, **options)


@pytest.mark.parametrize(
    ("x", "y", "xs", "message"),
    [
        ("discount_factor", "discount_factor", XS, "two different parameters"),
        ("nope", "inherited_weight", XS, "unknown grid parameter"),
        ("discount_factor", "inherited_weight", [0.5], "at least two values of discount_factor"),
        ("discount_factor", "inherited_weight", [0.5, 1.0], "discount_factor"),
    ],
)
def test_bad_maps_are_refused(x, y, xs, message):
    with pytest.raises(InvalidParameterError, match=message):
        regime_map(Parameters(), x, y, xs, YS)


def test_default_ranges_lie_in_the_domains():
    for name in ("discount_factor", "inherited_weight", "shared_paradigm", "transfer_floor"):
        low, high = default_range(name)
        assert low < high
        Parameters(**{name: np.array([low, high])})  # accepted: inside the domain


# ------------------------------------------------------------------ resolution
def test_a_resolution_above_the_limit_is_refused_before_anything_is_computed(monkeypatch):
    import powergames.plot.regimes as regimes

    def no_sweep(*args, **kwargs):
        raise AssertionError("the grid was computed")

    monkeypatch.setattr(regimes, "sweep", no_sweep)
    huge = np.linspace(0.01, 0.99, MAX_RESOLUTION + 1)
    with pytest.raises(InvalidParameterError, match=f"at most {MAX_RESOLUTION} values"):
        regime_map(Parameters(), "discount_factor", "inherited_weight", huge, YS)


@pytest.mark.parametrize("value", [1, MAX_RESOLUTION + 1, 100_000, 2.5, True, "200"])
def test_check_resolution_refuses(value):
    with pytest.raises(InvalidParameterError, match="resolution must be a whole number"):
        check_resolution(value)


def test_check_resolution_accepts_the_range():
    assert check_resolution(2) == 2 and check_resolution(MAX_RESOLUTION) == MAX_RESOLUTION


def test_the_command_line_refuses_a_huge_resolution_with_a_message(tmp_path, capsys):
    from powergames.cli import main

    out = tmp_path / "map.png"
    status = main(
        [
            *("plot", "regime-map", "--x", "discount_factor", "--y", "inherited_weight"),
            *("--resolution", "100000", "--out", str(out)),
        ]
    )
    err = capsys.readouterr().err
    assert status == 2 and f"at most {MAX_RESOLUTION} values" in err
    assert "Traceback" not in err and not out.exists()


# ------------------------------------------------------------------ contour labels
def label_boxes(ax, renderer):
    """The window extents of the dilution labels (inline and beside their contours)."""
    from matplotlib.text import Text

    # an annotation's own extent takes in its leader: the text's alone
    labels = [t for t in ax.texts if t.get_text().startswith("d*=")]
    return [Text.get_window_extent(t, renderer) for t in labels]


def critical_line(ax):
    (line,) = ax.get_lines()
    return ax.transData.transform(np.column_stack(line.get_data()))


def box_meets_polyline(box, points, pad=0.0):
    """Whether a polyline (display coordinates) passes within ``pad`` of a box."""
    points = points[np.isfinite(points).all(axis=1)]
    x0, y0, x1, y1 = box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad
    for p, q in itertools.pairwise(points):
        for t in np.linspace(0, 1, 200):  # dense enough at this scale: pixels
            x, y = p + t * (q - p)
            if x0 <= x <= x1 and y0 <= y <= y1:
                return True
    return False


def unlabelled_levels(legend):
    """The levels the legend names unlabelled: 'unlabelled, no room: d* = 0.1, 0.2'."""
    entries = [text for text in legend if text.startswith("unlabelled")]
    if not entries:
        return set()
    (entry,) = entries
    return {float(v) for v in entry.split("d* = ", 1)[1].split(",")}


def check_labels(ax):
    """Every level drawn is labelled or named unlabelled in the legend; labels stay in
    the frame, off the delta** line and off each other."""
    render(ax)
    renderer = ax.figure.figure.canvas.get_renderer()
    contours = next(c for c in ax.collections if isinstance(c, ContourSet) and not c.filled)
    texts = [t.get_text() for t in ax.texts]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    for level, path in zip(contours.levels, contours.get_paths(), strict=True):
        assert len(path.vertices), level  # a level without a line is not drawn
        labelled = f"d*={level:g}" in texts
        assert labelled != (level in unlabelled_levels(legend)), level
    boxes = label_boxes(ax, renderer)
    frame = ax.get_window_extent(renderer)
    line = critical_line(ax) if ax.get_lines() else np.zeros((0, 2))
    for box in boxes:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0
        assert box.y1 <= frame.y1
        assert not box_meets_polyline(box, line, pad=1.0)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    return boxes


def test_labels_keep_off_the_critical_discount_factor_in_the_1990s():
    # The labels used to sit on delta**, where matplotlib finds the straightest stretch.
    ax = regime_map(
        load_preset("partnership-1990s"),
        "discount_factor",
        "inherited_weight",
        np.linspace(0.01, 0.99, 200),
        np.linspace(0, 1, 200),
    )
    assert check_labels(ax)


class HugModel(ToyMap):
    """Partnership above delta** = 0.3, with a dilution falling from 0.202 on that line
    at 0.3 per unit of the discount factor: the 0.2 contour runs 0.007 of a unit
    from delta**, the 0.1 and 0.05 ones far from it."""

    def values(self, delta, weight):
        inside = delta >= 0.3
        return {
            "regime": np.where(inside, "partnership", "donor-beneficiary"),
            "dilution": np.where(inside, 0.202 - 0.3 * (delta - 0.3), np.inf),
            "window_min": np.where(inside, 0.0, 1.0),
            "window_max": np.where(inside, 1.0, 0.0),
            "critical_discount_factor": np.full(len(delta), 0.3),
        }


class IsolatedModel(HugModel):
    """Partnership at two isolated grid points only, with dilutions 0 and 0.3: the
    contour levels lie between them, but no line can be drawn."""

    def compute(self, points, names):
        out = super().compute(points, list(self.columns))
        delta, weight = out["discount_factor"], out["inherited_weight"]
        first = np.isclose(delta, 0.5) & np.isclose(weight, 0.5)
        second = np.isclose(delta, 0.8) & np.isclose(weight, 0.2)
        inside = first | second
        out["regime"] = np.where(inside, "partnership", "donor-beneficiary")
        out["dilution"] = np.where(first, 0.0, np.where(second, 0.3, np.inf))
        return {name: out[name] for name in names}


def test_levels_reached_only_at_isolated_points_are_not_drawn():
    grid = np.linspace(0.1, 0.9, 9), np.linspace(0.1, 0.9, 9)
    ax = regime_map(IsolatedModel(), "discount_factor", "inherited_weight", *grid)
    assert not any(isinstance(c, ContourSet) and not c.filled for c in ax.collections)
    assert "dilution" not in " ".join(t.get_text() for t in ax.get_legend().get_texts())


def test_a_contour_hugging_the_line_is_named_unlabelled_in_the_legend():
    grid = np.linspace(0.01, 0.99, 300), np.linspace(0, 1, 40)
    ax = regime_map(HugModel(), "discount_factor", "inherited_weight", *grid)
    boxes = check_labels(ax)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(boxes) == 2 and unlabelled_levels(legend) == {0.2}


class BumpModel(ToyMap):
    """Partnership everywhere above delta** = 0.2, with a dilution that peaks at 0.205
    at (0.7, 0.5): its contours are closed loops, the 0.2 one too short to carry its
    label."""

    def values(self, delta, weight):
        inside = delta >= 0.2
        bump = 0.205 * np.exp(-((delta - 0.7) ** 2 + (weight - 0.5) ** 2) / 0.005)
        return {
            "regime": np.where(inside, "partnership", "donor-beneficiary"),
            "dilution": np.where(inside, bump, np.inf),
            "window_min": np.where(inside, 0.0, 1.0),
            "window_max": np.where(inside, 1.0, 0.0),
            "critical_discount_factor": np.full(len(delta), 0.2),
        }


def test_a_short_contour_is_labelled_beside_it_with_a_leader():
    # axes of about the same scale on the page, so the loops are round
    deltas, weights = np.linspace(0, 0.99, 300), np.linspace(0.1, 0.9, 250)
    ax = regime_map(BumpModel(), "discount_factor", "inherited_weight", deltas, weights)
    check_labels(ax)
    (beside,) = [t for t in ax.texts if isinstance(t, Annotation)]
    assert beside.get_text() == "d*=0.2" and beside.arrow_patch is not None
    # its leader starts on the 0.2 contour
    x, y = beside.xy
    bump = 0.205 * np.exp(-((x - 0.7) ** 2 + (y - 0.5) ** 2) / 0.005)
    assert bump == pytest.approx(0.2, abs=0.001)


@settings(max_examples=15)
@given(partnership_parameters())
def test_labels_keep_off_the_line_on_any_map(parameters):
    ax = regime_map(
        parameters,
        "discount_factor",
        "inherited_weight",
        np.linspace(0.01, 0.99, 60),
        np.linspace(0, 1, 50),
    )
    if any(isinstance(c, ContourSet) and not c.filled for c in ax.collections):
        check_labels(ax)


def test_the_legend_sits_below_the_map_and_leaves_it_the_width():
    ax = regime_map(load_preset("partnership-1990s"), "discount_factor", "inherited_weight", XS, YS)
    render(ax)
    renderer = ax.figure.figure.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    axes = ax.get_window_extent(renderer)
    labels = ax.xaxis.get_tightbbox(renderer)
    assert legend.y1 <= labels.y0  # below the axis and its label
    assert axes.width >= 0.8 * ax.figure.figure.bbox.width  # before: 70 %


# ------------------------------------------------------------------ causes
CAUSE_AT = {  # (discount factor, inherited weight) well inside each cause's region
    "ngo-temptation": (0.45, 0.85),
    "resource-floor": (0.85, 0.85),
    "oci-temptation": (0.45, 0.15),
    "oci-participation": (0.85, 0.15),
    "none": (0.6, 0.5),
}


class BoundModel(ToyMap):
    """A model that says which bound of the window of weights binds, as version 2 of
    the partnership model does (the Model protocol of powergames.tables):

    - delta < 0.3: donor-beneficiary (delta** = 0.3 for every weight), no cause;
    - otherwise partnership with the window [0.3, 0.7]: above it (a0 > 0.7) the cap
      binds, the NGO's temptation for delta < 0.65, the resource floor beyond; below it
      (a0 < 0.3) the floor binds, the OCI's temptation, then its participation; inside
      it nothing binds.
    """

    columns: ClassVar[dict[str, Column]] = {
        **ToyMap.columns,
        "binding_constraint": Column("binding_constraint"),
    }
    title = "a model that says why"

    def values(self, delta, weight):
        inside, late = delta >= 0.3, delta >= 0.65
        cause = np.where(
            weight > 0.7,
            np.where(late, "resource-floor", "ngo-temptation"),
            np.where(weight < 0.3, np.where(late, "oci-participation", "oci-temptation"), "none"),
        ).astype(object)
        cause[~inside] = np.nan
        return {
            "regime": np.where(inside, "partnership", "donor-beneficiary"),
            "dilution": np.where(inside, np.maximum(0.0, weight - 0.7), np.inf),
            "window_min": np.where(inside, 0.3, 1.0),
            "window_max": np.where(inside, 0.7, 0.0),
            "critical_discount_factor": np.full(len(delta), 0.3),
            "binding_constraint": cause,
        }


class UnboundModel(BoundModel):
    """The same model without the binding_constraint column (version 1)."""

    columns: ClassVar[dict[str, Column]] = {
        k: v for k, v in BoundModel.columns.items() if k != "binding_constraint"
    }

    def compute(self, points, names):
        if "binding_constraint" in names:
            raise AssertionError("asked for a column the model does not have")
        return super().compute(points, names)


def bound_map(model, **options):
    return regime_map(
        model,
        "discount_factor",
        "inherited_weight",
        np.linspace(0.01, 0.99, 120),
        np.linspace(0, 1, 100),
        **options,
    )


def test_the_partnership_region_is_hatched_by_its_binding_constraint():
    ax = bound_map(BoundModel())
    image, pixel = render(ax, dpi=150)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "partnership: the OCI's weight is" in legend
    assert set(BINDING_LABELS.values()) <= set(legend)
    patches = {cause: block(image, pixel, *at, radius=10) for cause, at in CAUSE_AT.items()}
    assert flat(patches["none"])
    np.testing.assert_allclose(
        patches["none"].reshape(-1, 3).mean(axis=0),
        to_rgb(REGIME_COLOURS["partnership"]),
        atol=2 / 255,
    )
    hatched = [c for c in CAUSE_AT if c != "none"]
    spectra = {cause: texture(patches[cause]) for cause in hatched}
    for a, b in itertools.combinations(hatched, 2):
        assert np.abs(spectra[a] - spectra[b]).sum() > 0.5, (a, b)
    # the same cause elsewhere in its region has the same texture, whatever the phase
    again = texture(block(image, pixel, 0.38, 0.85, radius=10))
    assert np.abs(again - spectra["ngo-temptation"]).sum() < 0.5
    # the donor-beneficiary region has no cause
    assert flat(block(image, pixel, 0.15, 0.5))


def test_causes_are_shown_only_when_the_model_reports_them():
    legend = [t.get_text() for t in bound_map(UnboundModel()).get_legend().get_texts()]
    assert "partnership: the OCI's weight is" not in legend
    with pytest.raises(InvalidParameterError, match="binding_constraint"):
        bound_map(UnboundModel(), binding_constraint=True)
    quiet = bound_map(BoundModel(), binding_constraint=False)
    assert "partnership: the OCI's weight is" not in [
        t.get_text() for t in quiet.get_legend().get_texts()
    ]
    assert not any(c.get_hatch() for c in quiet.collections)


def test_an_unknown_cause_is_shown_under_its_own_name():
    class NewCause(BoundModel):
        def compute(self, points, names):
            out = super().compute(points, names)
            if "binding_constraint" in out:
                cause = out["binding_constraint"]
                cause[cause == "resource-floor"] = "funder-veto"
            return out

    legend = [t.get_text() for t in bound_map(NewCause()).get_legend().get_texts()]
    assert "funder-veto" in legend and BINDING_LABELS["resource-floor"] not in legend


# ------------------------------------------------------------------ payoff sets
PD = Game([[9, 1], [10, 3]], [[9, 10], [1, 3]], strategies=(("C", "D"), ("C", "D")))


def filled_polygons(ax):
    return [p.get_xy()[:-1] for p in ax.patches]


def same_polygon(drawn, vertices):
    return {tuple(np.round(v, 9)) for v in drawn} == {tuple(np.round(v, 9)) for v in vertices}


def test_the_payoff_sets_of_the_prisoners_dilemma():
    ax = payoff_set_map(PD, [0.1, 0.2, 0.9])
    polygons = filled_polygons(ax)
    # the feasible set, then the equilibrium set at delta = 0.9 (DESIGN section 8:
    # (3, 3), (9.75, 3), (9, 9), (3, 9.75)); the individually rational set is the same
    # quadrilateral, hatched
    assert same_polygon(polygons[0], [(1, 10), (3, 3), (10, 1), (9, 9)])
    rational = [(3, 3), (9.75, 3), (9, 9), (3, 9.75)]
    assert same_polygon(polygons[1], rational) and same_polygon(polygons[-1], rational)
    data = [np.column_stack(line.get_data()) for line in ax.get_lines()]
    assert any(d.shape == (2, 2) and same_polygon(d, [(3, 3), (9, 9)]) for d in data)  # 0.2
    points = [line for line in ax.get_lines() if line.get_marker() == "h"]  # 0.1: a point
    assert len(points) == 1 and np.column_stack(points[0].get_data()).tolist() == [[3, 3]]
    stage = [d for d in data if len(d) == 4]
    assert len(stage) == 1 and same_polygon(stage[0], [(9, 9), (1, 10), (10, 1), (3, 3)])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "equilibria, $\\delta$ = 0.2 (a segment)" in legend
    assert "equilibria, $\\delta$ = 0.1 (a point)" in legend
    assert "minmax (3, 3)" in legend
    names = sorted(t.get_text() for t in ax.texts)
    assert names == ["(C, C)", "(C, D)", "(D, C)", "(D, D)"]


def test_an_empty_payoff_set_is_named_in_the_legend():
    pennies = Game([[1, -1], [-1, 1]])
    assert equilibrium_payoff_set(pennies, 0.5).is_empty
    legend = [t.get_text() for t in payoff_set_map(pennies, 0.5).get_legend().get_texts()]
    assert "equilibria, $\\delta$ = 0.5: empty" in legend


def test_payoff_set_shades_read_in_greyscale():
    from powergames.plot.payoff_sets import FEASIBLE_SHADE, SET_SHADES

    shades = lightness(np.array([to_rgb(c) for c in (FEASIBLE_SHADE, *SET_SHADES)]))
    assert (np.diff(shades) <= -10).all()  # each darker than the one before by 10 L*


def test_the_rendered_payoff_sets_show_the_nesting():
    from powergames.plot.payoff_sets import FEASIBLE_SHADE, SET_SHADES

    ax = payoff_set_map(PD, [0.1, 0.9], labels=False, legend=False)
    image, pixel = render(ax, dpi=100)
    inside = block(image, pixel, 6.0, 4.5, radius=4).reshape(-1, 3).mean(axis=0)
    np.testing.assert_allclose(inside, to_rgb(SET_SHADES[0]), atol=1.5 / 255)
    # feasible but not individually rational (u2 < 3): the feasible shade
    outside = block(image, pixel, 7.0, 2.2, radius=3).reshape(-1, 3).mean(axis=0)
    np.testing.assert_allclose(outside, to_rgb(FEASIBLE_SHADE), atol=1.5 / 255)


@settings(max_examples=20, deadline=None)
@given(games(min_rows=2, max_rows=3, min_cols=2, max_cols=3), st.floats(0.05, 0.95))
def test_the_drawn_equilibrium_set_is_the_computed_one(game, delta):
    expected = equilibrium_payoff_set(game, delta)
    ax = payoff_set_map(game, delta, legend=False, labels=False)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    vertices = feasible_set(game).vertices
    assert x0 < vertices[:, 0].min() and vertices[:, 0].max() < x1
    assert y0 < vertices[:, 1].min() and vertices[:, 1].max() < y1
    values = minmax(game).values
    assert [ax.lines[0].get_xdata()[0], ax.lines[1].get_ydata()[0]] == pytest.approx(values)
    if expected.dimension == 2:
        assert same_polygon(filled_polygons(ax)[-1], expected.vertices)
    elif expected.dimension >= 0:
        drawn = [np.column_stack(line.get_data()) for line in ax.get_lines()]
        assert any(same_polygon(d, expected.vertices) for d in drawn)


@pytest.mark.parametrize(
    ("game", "delta", "message"),
    [
        (PD, 1.0, "delta must be in"),
        (PD, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], "at most 5 discount factors"),
        ([[1, 2]], 0.5, "game must be a powergames.Game"),
    ],
)
def test_bad_payoff_set_maps_are_refused(game, delta, message):
    with pytest.raises(InvalidParameterError, match=message):
        payoff_set_map(game, delta)


# ------------------------------------------------------------------ bargaining
def markers(ax):
    """Each marked point (a single-point line) by its legend name."""
    legend = ax.get_legend()
    handles = {
        t.get_text(): h for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)
    }
    points = {}
    for line in ax.get_lines():
        x, y = line.get_data()
        if len(x) == 1:
            points[line.get_marker()] = (float(x[0]), float(y[0]))
    return {
        text.split(":")[0]: points[h.get_marker()]
        for text, h in handles.items()
        if ":" in text and hasattr(h, "get_marker") and h.get_marker() in points
    }


def test_the_solutions_of_a_curved_frontier_are_marked_where_the_literature_puts_them():
    # u2 = 2 (1 - u1^2), d = 0 (DESIGN section 8): Nash (1/sqrt 3, 4/3); Kalai-Smorodinsky
    # ((sqrt 5 - 1)/2, sqrt 5 - 1); egalitarian u1 = u2 = (sqrt 17 - 1)/4; utilitarian:
    # 1 - 4 u1 = 0, (1/4, 15/8); the ideal point (1, 2).
    problem = BargainingProblem.from_frontier(lambda u: 2 * (1 - u**2), (0, 1))
    found = markers(bargaining_map(problem))
    expected = {
        "Nash": (1 / np.sqrt(3), 4 / 3),
        "Kalai-Smorodinsky": ((np.sqrt(5) - 1) / 2, np.sqrt(5) - 1),
        "egalitarian": ((np.sqrt(17) - 1) / 4, (np.sqrt(17) - 1) / 4),
        "utilitarian": (0.25, 1.875),
        "disagreement point d": (0.0, 0.0),
        "ideal point": (1.0, 2.0),
    }
    assert set(found) == set(expected)
    for name, point in expected.items():
        assert found[name] == pytest.approx(point, abs=1e-6), name


def test_coinciding_solutions_share_a_marker():
    # transferable utility, surplus 1, d = (0.2, 0.1): Nash = KS = egalitarian = (0.55, 0.45)
    problem = BargainingProblem.transferable(1, (0.2, 0.1))
    ax = bargaining_map(
        problem, ["nash", "kalai-smorodinsky", "egalitarian", nash(problem, (0.25, 0.75))]
    )
    found = markers(ax)
    assert found["Nash = Kalai-Smorodinsky = egalitarian"] == pytest.approx((0.55, 0.45))
    assert found["Nash with weights (0.25, 0.75)"] == pytest.approx((0.375, 0.625))


def test_solutions_differ_in_marker_shape():
    from powergames.plot.bargaining import MARKERS

    assert len({shape for shape, _ in MARKERS}) == len(MARKERS)


@settings(max_examples=25, deadline=None)
@given(bargaining_problems())
def test_every_marked_solution_lies_on_the_drawn_frontier(problem):
    ax = bargaining_map(problem)
    frontier = max(ax.get_lines(), key=lambda line: line.get_linewidth())
    u1, u2 = frontier.get_data()
    scale = 1.0 + max(np.ptp(u1), np.ptp(u2))
    for name, (x, y) in markers(ax).items():
        if name in ("disagreement point d", "ideal point"):
            continue
        assert problem.contains((x, y), tol=1e-6), name
        # on the frontier: nothing feasible beyond it in the direction (1, 1)
        assert not problem.contains((x + 1e-4 * scale, y + 1e-4 * scale), tol=0), name


@pytest.mark.parametrize(
    ("solutions", "message"),
    [
        (["nash", "rubinstein"], "unknown solution 'rubinstein'"),
        (["nash"] * 6, "at most 5 solutions"),
    ],
)
def test_bad_bargaining_maps_are_refused(solutions, message):
    with pytest.raises(InvalidParameterError, match=message):
        bargaining_map(BargainingProblem.transferable(1), solutions)


def test_a_symbolic_problem_is_refused_with_a_message():
    import sympy as sp

    s = sp.Symbol("s", positive=True)
    with pytest.raises(InvalidParameterError, match="numeric bargaining problem"):
        bargaining_map(BargainingProblem.transferable(s + 1), ["nash"])
    with pytest.raises(InvalidParameterError, match="numeric bargaining problem"):
        bargaining_map(BargainingProblem.transferable(np.array([1.0, 2.0])), ["nash"])


# ------------------------------------------------------------------ packaging
def test_importing_the_figures_does_not_import_matplotlib():
    code = "import sys, powergames.plot; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "False", result.stderr


def test_the_legend_labels_every_binding_constraint_of_the_model():
    from powergames.partnership import BINDING_CONSTRAINTS
    from powergames.plot.style import BINDING_HATCHES, BINDING_LABELS

    assert set(BINDING_LABELS) == set(BINDING_CONSTRAINTS) == set(BINDING_HATCHES)
