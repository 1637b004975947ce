"""Points of a scenario's plausible range: quasi-random points of the unit cube, one
dimension per ranged parameter, carried onto the ranges by their inverse distribution
functions, with the formulas that use a ranged parameter evaluated at every point.

Quasi-random points (:mod:`scipy.stats.qmc`) fill the cube more evenly than
independent draws: scrambled Sobol' points (Owen 1998; Sobol' 1967), whose number must
be a power of two for their balance properties, or a Latin hypercube (McKay, Beckman
& Conover 1979), of any size. The ranged parameters take the cube's dimensions in the
order of :data:`powergames.partnership.SPECS`, whatever the order the scenario gives
them in, so that the same scenario written in another order gives the same points.

References
----------
Sobol', I. M. (1967). On the distribution of points in a cube and the approximate
evaluation of integrals. USSR Computational Mathematics and Mathematical Physics
7(4), 86-112.

Owen, A. B. (1998). Scrambling Sobol' and Niederreiter-Xing points. Journal of
Complexity 14(4), 466-489.

McKay, M. D., Beckman, R. J. and Conover, W. J. (1979). A comparison of three methods
for selecting values of input variables in the analysis of output from a computer
code. Technometrics 21(2), 239-245.
"""

from __future__ import annotations

import graphlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp
from numpy.typing import NDArray

from powergames._validate import integer
from powergames.errors import FormulaError, InvalidParameterError
from powergames.formula import parse_formula
from powergames.partnership.closed_forms import lambdify
from powergames.partnership.parameters import SPECS

if TYPE_CHECKING:  # pragma: no cover
    from powergames.partnership.evidence.ranges import Range
    from powergames.partnership.scenario import Scenario

__all__ = [
    "METHODS",
    "check_samples",
    "parameter_points",
    "ranged_names",
    "sample",
    "unit_points",
    "with_formulas",
]

#: The sampling designs: scrambled Sobol' points and Latin hypercubes.
METHODS = ("sobol", "latin-hypercube")

_ORDER = {spec.name: k for k, spec in enumerate(SPECS)}


def ranged_names(scenario: Scenario) -> tuple[str, ...]:
    """The scenario's ranged parameters, in the order of the model's parameters.

    Examples
    --------
    >>> from powergames.partnership import Scenario
    >>> ranged_names(Scenario("s", ranges={"shared_paradigm": (0, 1), "control_gain": (1, 3)}))
    ('control_gain', 'shared_paradigm')
    """
    return tuple(sorted(scenario.ranges, key=_ORDER.__getitem__))


def check_samples(samples: Any, method: str) -> int:
    """The number of points, checked for the design: at least 2; a power of two for
    Sobol' points.

    Examples
    --------
    >>> check_samples(1024, "sobol")
    1024
    >>> check_samples(1000, "sobol")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: samples must be a power of two for Sobol' ...
    """
    if method not in METHODS:
        raise InvalidParameterError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    n = integer(samples, "samples", low=2)
    if method == "sobol" and n & (n - 1):
        below = 1 << (n.bit_length() - 1)
        raise InvalidParameterError(
            f"samples must be a power of two for Sobol' points (their balance needs it), "
            f"got {n}: use {below} or {2 * below}, or method='latin-hypercube'"
        )
    return n


def unit_points(dimensions: int, samples: int, seed: Any, method: str = "sobol") -> NDArray[Any]:
    """``samples`` points of the unit cube of ``dimensions`` dimensions, shape
    ``(samples, dimensions)``: scrambled Sobol' points or a Latin hypercube.

    Examples
    --------
    >>> points = unit_points(2, 8, seed=1)
    >>> points.shape, bool(((points >= 0) & (points < 1)).all())
    ((8, 2), True)
    >>> sorted((points[:, 0] * 8).astype(int).tolist())  # one point in each eighth
    [0, 1, 2, 3, 4, 5, 6, 7]
    """
    from scipy.stats import qmc

    n = check_samples(samples, method)
    if dimensions == 0:
        return np.zeros((n, 0))
    rng = _generator(seed)
    if method == "sobol":
        engine: Any = qmc.Sobol
        points = _engine(engine, dimensions, rng, scramble=True).random_base2(n.bit_length() - 1)
    else:
        points = _engine(qmc.LatinHypercube, dimensions, rng).random(n)
    return np.asarray(points, dtype=np.float64)


def _engine(kind: Any, dimensions: int, rng: np.random.Generator, **options: Any) -> Any:
    try:
        return kind(dimensions, rng=rng, **options)
    except TypeError:  # pragma: no cover - scipy before 1.15 calls it seed
        return kind(dimensions, seed=rng, **options)


def _generator(seed: Any) -> np.random.Generator:
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    return np.random.default_rng(integer(seed, "seed", low=0))


def parameter_points(scenario: Scenario, unit: NDArray[Any]) -> dict[str, NDArray[np.float64]]:
    """The values of the parameters that vary at points ``unit`` of the unit cube (one
    column per ranged parameter, in :func:`ranged_names` order): the ranged ones by
    their inverse distribution functions, then every formula that uses one of them.

    Raises
    ------
    InvalidParameterError
        When a formula leaves its parameter's domain at some point.
    """
    names = ranged_names(scenario)
    ranges: Mapping[str, Range] = scenario.ranges
    return with_formulas(
        scenario, {name: ranges[name].ppf(unit[:, k]) for k, name in enumerate(names)}
    )


def sample(
    scenario: Scenario, samples: int, seed: Any = None, method: str = "sobol"
) -> dict[str, NDArray[np.float64]]:
    """``samples`` points of the scenario's plausible range: the values of every
    parameter that varies (ranged, or a formula of a ranged one).

    Examples
    --------
    >>> from powergames.partnership import Scenario
    >>> s = Scenario("s", ranges={"funder_accountability": (0.2, 0.6)},
    ...              formulas={"membership_accountability": "funder_accountability / 2"})
    >>> points = sample(s, 4, seed=0)
    >>> sorted(points), bool((points["membership_accountability"]
    ...                       == points["funder_accountability"] / 2).all())
    (['funder_accountability', 'membership_accountability'], True)
    """
    unit = unit_points(len(scenario.ranges), samples, seed, method)
    return parameter_points(scenario, unit)


def with_formulas(
    scenario: Scenario, varied: Mapping[str, NDArray[np.float64]]
) -> dict[str, NDArray[np.float64]]:
    """The values ``varied`` of some parameters at a number of points, with those of
    the scenario's formulas that depend on them (directly or through other formulas),
    evaluated with numpy at every point, in dependency order.

    Raises
    ------
    FormulaError, InvalidParameterError
        When a formula is not finite, or leaves its parameter's domain, at some point.
    """
    symbols = {spec.name: sp.Symbol(spec.name, real=True) for spec in SPECS}
    parsed = {name: parse_formula(text, symbols) for name, text in scenario.formulas.items()}
    depends = {name: {s.name for s in expr.free_symbols} for name, expr in parsed.items()}
    values: dict[str, Any] = dict(scenario.parameters.items())
    values.update(varied)
    moving = set(varied)
    out: dict[str, NDArray[np.float64]] = dict(varied)
    for name in graphlib.TopologicalSorter(depends).static_order():
        if name not in parsed or not depends[name] & moving:
            continue
        arguments = sorted(depends[name])
        function = lambdify([symbols[a] for a in arguments], parsed[name])
        with np.errstate(all="ignore"):
            result = np.asarray(function(*(values[a] for a in arguments)), dtype=np.float64)
        spec = SPECS[_ORDER[name]]
        if not np.isfinite(result).all():
            raise FormulaError(
                f"[parameters] {name} = {scenario.formulas[name]!r} is not a finite real "
                "number at some points of the ranges"
            )
        try:
            spec.check(result)
        except InvalidParameterError as error:
            raise InvalidParameterError(
                f"[parameters] {name} = {scenario.formulas[name]!r} leaves its domain at some "
                f"points of the ranges: {error}"
            ) from None
        values[name] = out[name] = np.broadcast_to(result, len(next(iter(varied.values())))).copy()
        moving.add(name)
    return out
