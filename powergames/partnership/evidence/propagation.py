"""How robust a scenario's regime is to what the researcher does not know: the
regimes' shares of the plausible range, with confidence intervals, and the quantiles
of dilution, transfer and the critical discount factor.

The plausible range is the box of the scenario's ranges with their distributions; its
points are quasi-random (:mod:`powergames.partnership.evidence.sampling`) and the
model is evaluated on all of them at once by the settlement pipeline
(:func:`powergames.partnership.settle`; or through :func:`powergames.tables.sweep`
with :class:`powergames.tables.partnership.SweepEvaluator`).

Statistics
----------
Share of a regime
    The fraction of the points in that regime: an estimate of the probability of the
    regime under the ranges' distributions. Its interval is Wilson's (1927) score
    interval, which treats the points as independent draws; quasi-random points are
    usually more accurate than independent draws, so the interval is, if anything,
    wide. It never collapses to a point at a share of 0 or 1.
Quantiles of an output
    Over the points where the output is defined, with the fraction of points where it
    is (``defined``): the dilution is undefined (NaN) where no weight is admissible
    (no partnership can last), the transfer where the relation breaks down, and the
    critical discount factor is infinite where no discount factor makes the
    partnership last. Each undefined point is counted, never silently dropped: the
    quantiles are conditional on the output being defined.

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
inference. Journal of the American Statistical Association 22(158), 209-212.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from powergames import render
from powergames._validate import real
from powergames.errors import InvalidParameterError
from powergames.partnership.evidence.evaluation import Evaluator, settle_points
from powergames.partnership.evidence.sampling import (
    parameter_points,
    ranged_names,
    unit_points,
)
from powergames.partnership.regimes import REGIMES

if TYPE_CHECKING:  # pragma: no cover
    from powergames.partnership.scenario import Scenario

__all__ = ["OUTPUTS", "QUANTILES", "Share", "Spread", "Uncertainty", "uncertainty", "wilson"]

#: The outputs whose spread :func:`uncertainty` reports.
OUTPUTS = ("dilution", "transfer", "critical_discount_factor")
#: The quantiles it reports by default.
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class Share:
    """The share of the plausible range in a regime, with its confidence interval."""

    estimate: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{100 * self.estimate:.1f} % [{100 * self.low:.1f}, {100 * self.high:.1f}]"


@dataclass(frozen=True)
class Spread:
    """The spread of an output over the plausible range: the fraction of points where
    it is defined, and its quantiles there (NaN where it is defined nowhere)."""

    defined: float
    quantiles: dict[float, float]


@dataclass(frozen=True)
class Uncertainty:
    """What :func:`uncertainty` returns.

    Attributes
    ----------
    scenario : str
        The scenario's name.
    parameters : tuple of str
        The ranged parameters.
    samples : int
        The number of points.
    method : str
        ``"sobol"`` or ``"latin-hypercube"``.
    confidence : float
        The confidence level of the shares' intervals.
    shares : dict of str to Share
        Every regime of :data:`powergames.partnership.REGIMES`, in order.
    spreads : dict of str to Spread
        Dilution, transfer and critical discount factor.
    points : dict of str to array
        The values of the varied parameters at every point, and the outputs there
        (``regime`` and those of ``spreads``).
    """

    scenario: str
    parameters: tuple[str, ...]
    samples: int
    method: str
    confidence: float
    shares: dict[str, Share]
    spreads: dict[str, Spread]
    points: dict[str, NDArray[Any]]

    @property
    def dominant(self) -> str:
        """The regime with the largest share."""
        return max(self.shares, key=lambda regime: self.shares[regime].estimate)

    def statement(self) -> str:
        """One sentence: the dominant regime's share of the plausible range.

        Examples
        --------
        >>> from powergames.partnership import Scenario
        >>> result = uncertainty(Scenario("b0"), samples=4)
        >>> result.statement()
        'partnership in 100 % of the plausible range (95 % interval 51 to 100 %; 4 points)'
        """
        share = self.shares[self.dominant]
        return (
            f"{self.dominant} in {100 * share.estimate:.0f} % of the plausible range "
            f"({100 * self.confidence:.0f} % interval {100 * share.low:.0f} to "
            f"{100 * share.high:.0f} %; {self.samples} points)"
        )

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-serialisable data (without the points); quantiles that
        are undefined are None.

        Examples
        --------
        >>> from powergames.partnership import Scenario
        >>> uncertainty(Scenario("b0"), samples=2).as_dict()["shares"]["partnership"]["estimate"]
        1.0
        """

        def number(x: float) -> float | None:
            return None if math.isnan(x) else x

        return {
            "scenario": self.scenario,
            "parameters": list(self.parameters),
            "samples": self.samples,
            "method": self.method,
            "confidence": self.confidence,
            "statement": self.statement(),
            "shares": {r: vars(s) for r, s in self.shares.items()},
            "spreads": {
                n: {
                    "defined": s.defined,
                    "quantiles": {f"{q:g}": number(v) for q, v in s.quantiles.items()},
                }
                for n, s in self.spreads.items()
            },
        }

    def to_markdown(self, digits: int = 3) -> str:
        """The shares and the quantiles as two Markdown tables."""

        def cell(x: float) -> str:
            return render.format_number(x, digits=digits)

        shares = render.markdown_table(
            ["regime", "share", "low", "high"],
            [[r, *map(cell, (s.estimate, s.low, s.high))] for r, s in self.shares.items()],
        )
        levels = list(next(iter(self.spreads.values())).quantiles)
        spreads = render.markdown_table(
            ["output", "defined", *(f"q{100 * q:g}" for q in levels)],
            [
                [n, cell(s.defined), *map(cell, s.quantiles.values())]
                for n, s in self.spreads.items()
            ],
        )
        return f"{shares}\n\n{spreads}"

    def __str__(self) -> str:
        return f"{self.statement()}\n\n{self.to_markdown()}"


def wilson(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson's score interval for a proportion of ``successes`` out of ``n``.

    Examples
    --------
    >>> [round(x, 4) for x in wilson(0, 100)]
    [0.0, 0.037]
    >>> [round(x, 4) for x in wilson(50, 100)]
    [0.4038, 0.5962]
    """
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + confidence / 2))
    p = successes / n
    scale = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / scale
    half = z / scale * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # In exact arithmetic low <= p <= high; rounding at p = 0 or 1 may cross by 1e-17.
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))


def uncertainty(
    scenario: Scenario,
    samples: int = 4096,
    seed: Any = None,
    *,
    method: str = "sobol",
    confidence: float = 0.95,
    quantiles: Sequence[float] = QUANTILES,
    evaluate: Evaluator | None = None,
) -> Uncertainty:
    """The regimes' shares of a scenario's plausible range and the spread of its
    outputs, from ``samples`` quasi-random points of its ranges.

    Parameters
    ----------
    scenario : Scenario
        A scenario with ranges (a scenario without any is one point: every sample is
        its own regime).
    samples : int, default 4096
        The number of points: a power of two for Sobol' points.
    seed : int or numpy Generator, optional
        Seeds the scrambling (or the hypercube): the same seed gives the same result.
    method : {"sobol", "latin-hypercube"}
    confidence : float, default 0.95
        The level of the shares' intervals (Wilson's score interval).
    quantiles : sequence of float
        The quantiles of the outputs to report, in ``[0, 1]``.
    evaluate : Evaluator, optional
        How the model is evaluated at the points
        (``powergames.partnership.evidence.evaluation``): all at once in memory by
        default; :class:`powergames.tables.partnership.SweepEvaluator` runs the points
        through :func:`powergames.tables.sweep`, in chunks, on an executor, streamed
        with their outputs to a file.

    Returns
    -------
    Uncertainty

    Examples
    --------
    >>> from powergames.partnership import Scenario
    >>> case = Scenario("case", ranges={"shared_paradigm": (0, 0.5), "discount_factor": (0.1, 0.5)})
    >>> result = uncertainty(case, samples=1024, seed=1)
    >>> print(result.shares["partnership"])
    84.0 % [81.6, 86.1]
    >>> print(result.shares["donor-beneficiary"])
    15.5 % [13.4, 17.9]
    >>> dilution = result.spreads["dilution"]  # defined where the partnership lasts
    >>> round(dilution.defined, 3), round(dilution.quantiles[0.5], 3)
    (0.84, 0.194)
    """
    level = real(
        confidence, "confidence", low=0, high=1, low_open=True, high_open=True, array=False
    )
    levels = [real(q, "quantiles", low=0, high=1, array=False) for q in quantiles]
    if not levels:
        raise InvalidParameterError("quantiles must hold at least one level")
    names = ranged_names(scenario)
    unit = unit_points(len(names), samples, seed, method)
    n = len(unit)
    points = parameter_points(scenario, unit)
    columns = ["regime", *OUTPUTS]
    outputs = (evaluate or settle_points)(scenario, points, columns, n)
    regime = outputs["regime"]
    shares = {}
    for name in REGIMES:
        k = int(np.count_nonzero(regime == name))
        shares[name] = Share(k / n, *wilson(k, n, level))
    spreads = {name: _spread(outputs[name], levels) for name in OUTPUTS}
    return Uncertainty(
        scenario=scenario.name,
        parameters=names,
        samples=n,
        method=method,
        confidence=level,
        shares=shares,
        spreads=spreads,
        points={**points, **outputs},
    )


def _spread(values: NDArray[Any], levels: list[float]) -> Spread:
    values = np.asarray(values, dtype=np.float64)
    defined = values[np.isfinite(values)]
    if defined.size == 0:
        return Spread(0.0, dict.fromkeys(levels, math.nan))
    found = np.quantile(defined, levels)
    return Spread(defined.size / values.size, dict(zip(levels, map(float, found), strict=True)))
