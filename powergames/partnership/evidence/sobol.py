"""Which ranged parameter drives an output: first-order and total Sobol' indices, with
confidence intervals, estimated by SALib.

The first-order index ``S_i`` of a parameter is the share of the output's variance
over the plausible range that the parameter explains alone; the total index ``T_i``
adds every interaction the parameter takes part in, so ``T_i = 0`` means the output
does not depend on the parameter at all (Sobol' 1993; Homma & Saltelli 1996). The
points are Saltelli's design (``samples * (d + 2)`` model evaluations for ``d``
ranged parameters, on scrambled Sobol' points of the unit cube), carried onto the
ranges by their inverse distribution functions; SALib's estimators (Saltelli et al.
2010 for ``S_i``, Jansen 1999 for ``T_i``) and bootstrap intervals do the rest: this
module does not re-implement them (``pip install 'powergames[evidence]'``).

Undefined outputs
-----------------
Sobol' indices need an output at every point. Where the model leaves one undefined,
it takes its limit value, and the fraction of points where it does is reported
(:attr:`Sensitivity.undefined`): where no weight is admissible the dilution is the
whole inherited weight (the OCI would have to dilute everything it has, and that
would not be enough); where no discount factor makes the partnership last, the
critical discount factor is 1 (only a relation valued as much as the present would
do); where the relation breaks down, the transfer is 0 (nothing flows). The indices
of such an output mix the parameters' effect on whether the output is defined with
their effect on its value; the indicators of the regimes separate the first.

References
----------
Sobol', I. M. (1993). Sensitivity estimates for nonlinear mathematical models.
Mathematical Modelling and Computational Experiments 1(4), 407-414.

Homma, T. and Saltelli, A. (1996). Importance measures in global sensitivity analysis
of nonlinear models. Reliability Engineering & System Safety 52(1), 1-17.

Jansen, M. J. W. (1999). Analysis of variance designs for model output. Computer
Physics Communications 117(1-2), 35-43.

Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and Tarantola, S.
(2010). Variance based sensitivity analysis of model output. Design and estimator for
the total sensitivity index. Computer Physics Communications 181(2), 259-270.

Herman, J. and Usher, W. (2017). SALib: an open-source Python library for sensitivity
analysis. Journal of Open Source Software 2(9), 97.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from powergames._validate import integer, real
from powergames.errors import InvalidParameterError
from powergames.partnership.evidence.evaluation import Evaluator, settle_points
from powergames.partnership.evidence.ranges import Range
from powergames.partnership.evidence.sampling import check_samples, ranged_names, with_formulas
from powergames.partnership.regimes import REGIMES

if TYPE_CHECKING:  # pragma: no cover
    from powergames.partnership.scenario import Scenario

__all__ = [
    "METHODS",
    "NEEDS_SALIB",
    "OUTPUTS",
    "Estimate",
    "Sensitivity",
    "SobolIndex",
    "sensitivity",
    "sobol_indices",
]

#: The methods of :func:`sensitivity`.
METHODS = ("sobol",)
#: What to install when SALib is missing.
NEEDS_SALIB = "sensitivity analysis needs SALib: pip install 'powergames[evidence]'"
#: The outputs :func:`sensitivity` can analyse: three quantities of the model and the
#: indicator of each regime (1 at the points in that regime, else 0).
OUTPUTS: tuple[str, ...] = (
    "dilution",
    "critical_discount_factor",
    "transfer",
    *(f"regime={regime}" for regime in REGIMES),
)


@dataclass(frozen=True)
class Estimate:
    """An index with its confidence interval (NaN for an output that does not vary)."""

    value: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"


@dataclass(frozen=True)
class SobolIndex:
    """The first-order and total Sobol' indices of one parameter for one output."""

    first: Estimate
    total: Estimate


@dataclass(frozen=True)
class Sensitivity:
    """What :func:`sensitivity` and :func:`sobol_indices` return.

    Attributes
    ----------
    parameters : tuple of str
        The ranged parameters, in the order of the indices.
    indices : dict of str to dict of str to SobolIndex
        By output, then by parameter.
    variance : dict of str to float
        Each output's variance over the points (0: the indices are NaN, there is
        nothing to share out).
    undefined : dict of str to float
        Each output's fraction of points where it was undefined and took its limit
        value (see the module's documentation).
    samples : int
        The base number of points ``N``; the model was evaluated ``N (d + 2)`` times.
    confidence : float
        The level of the intervals (SALib's bootstrap).
    """

    parameters: tuple[str, ...]
    indices: dict[str, dict[str, SobolIndex]]
    variance: dict[str, float]
    undefined: dict[str, float]
    samples: int
    confidence: float

    @property
    def outputs(self) -> tuple[str, ...]:
        """The outputs analysed."""
        return tuple(self.indices)

    def ranking(self, output: str) -> list[str]:
        """The parameters from the most to the least influential on ``output`` (by
        total index).

        Raises
        ------
        InvalidParameterError
            For an output that was not analysed.
        """
        if output not in self.indices:
            raise InvalidParameterError(
                f"output {output!r} was not analysed; the outputs are {', '.join(self.outputs)}"
            )
        found = self.indices[output]
        return sorted(self.parameters, key=lambda p: -np.nan_to_num(found[p].total.value, nan=-1.0))

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-serialisable data; indices of an output that does not
        vary are None."""

        def estimate(e: Estimate) -> dict[str, float | None]:
            return {k: None if math.isnan(v) else v for k, v in vars(e).items()}

        return {
            "parameters": list(self.parameters),
            "samples": self.samples,
            "confidence": self.confidence,
            "outputs": {
                output: {
                    "variance": self.variance[output],
                    "undefined": self.undefined[output],
                    "indices": {
                        p: {"first": estimate(i.first), "total": estimate(i.total)}
                        for p, i in found.items()
                    },
                }
                for output, found in self.indices.items()
            },
        }

    def to_markdown(self, output: str) -> str:
        """The indices of one output as a Markdown table."""
        from powergames import render

        rows = [
            [name, str(self.indices[output][name].first), str(self.indices[output][name].total)]
            for name in self.ranking(output)
        ]
        return render.markdown_table(["parameter", "first order", "total"], rows)


def _salib() -> tuple[Any, Any]:
    try:
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as design
    except ImportError as error:
        raise ImportError(NEEDS_SALIB, name="SALib") from error
    return design, analyze


def sobol_indices(
    function: Callable[[dict[str, NDArray[np.float64]]], Mapping[str, NDArray[Any]]],
    ranges: Mapping[str, Range],
    samples: int = 1024,
    seed: Any = None,
    *,
    confidence: float = 0.95,
    resamples: int = 100,
) -> Sensitivity:
    """First-order and total Sobol' indices of each output of ``function`` to each
    ranged input, estimated by SALib on Saltelli's design.

    Parameters
    ----------
    function : callable
        Takes a dict of input name to array of values (one per point) and returns a
        dict of output name to array of finite values at those points.
    ranges : mapping of str to Range
        The inputs and their distributions.
    samples : int, default 1024
        The base number ``N`` of points, a power of two; ``function`` sees
        ``N (d + 2)`` points in one call.
    seed : int, optional
        Seeds the scrambling of the points and the bootstrap.
    confidence : float, default 0.95
        The level of the bootstrap intervals.
    resamples : int, default 100
        Bootstrap resamples.

    Returns
    -------
    Sensitivity
        With ``undefined`` all zero (``function`` gives finite values).

    Examples
    --------
    >>> from powergames.partnership.evidence import Uniform
    >>> result = sobol_indices(lambda x: {"y": x["a"] + 2 * x["b"]},
    ...                        {"a": Uniform(0, 1), "b": Uniform(0, 1)}, 1024, seed=1)
    >>> found = result.indices["y"]
    >>> round(found["a"].first.value, 2), round(found["b"].total.value, 2)
    (0.2, 0.8)
    """
    design, analyze = _salib()
    names = tuple(ranges)
    if not names:
        raise InvalidParameterError("sensitivity needs at least one ranged parameter")
    n = check_samples(samples, "sobol")
    level = real(
        confidence, "confidence", low=0, high=1, low_open=True, high_open=True, array=False
    )
    repeats = integer(resamples, "resamples", low=2)
    seed_value = None if seed is None else integer(seed, "seed", low=0)
    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    unit = design.sample(problem, n, calc_second_order=False, scramble=True, seed=seed_value)
    inputs = {name: ranges[name].ppf(unit[:, k]) for k, name in enumerate(names)}
    outputs = function(inputs)
    indices: dict[str, dict[str, SobolIndex]] = {}
    variance: dict[str, float] = {}
    for output, values in outputs.items():
        y = np.asarray(values, dtype=np.float64)
        if y.shape != (len(unit),) or not np.isfinite(y).all():
            raise InvalidParameterError(
                f"output {output!r} must be {len(unit)} finite numbers, one per point"
            )
        variance[output] = float(y.var())
        if variance[output] == 0:
            nan = Estimate(math.nan, math.nan, math.nan)
            indices[output] = {name: SobolIndex(nan, nan) for name in names}
            continue
        found = analyze.analyze(
            problem,
            y,
            calc_second_order=False,
            num_resamples=repeats,
            conf_level=level,
            seed=seed_value,
        )
        indices[output] = {
            name: SobolIndex(
                _estimate(found["S1"][k], found["S1_conf"][k]),
                _estimate(found["ST"][k], found["ST_conf"][k]),
            )
            for k, name in enumerate(names)
        }
    return Sensitivity(
        parameters=names,
        indices=indices,
        variance=variance,
        undefined=dict.fromkeys(outputs, 0.0),
        samples=n,
        confidence=level,
    )


def _estimate(value: float, half_width: float) -> Estimate:
    return Estimate(float(value), float(value - half_width), float(value + half_width))


def sensitivity(
    scenario: Scenario,
    outputs: Sequence[str] | str | None = None,
    method: str = "sobol",
    *,
    samples: int = 1024,
    seed: Any = None,
    confidence: float = 0.95,
    resamples: int = 100,
    evaluate: Evaluator | None = None,
) -> Sensitivity:
    """First-order and total Sobol' indices of the model's outputs to each ranged
    parameter of a scenario.

    Parameters
    ----------
    scenario : Scenario
        A scenario with at least one range.
    outputs : sequence of str, or str, optional
        Names of ``powergames.partnership.evidence.sobol.OUTPUTS`` (or one
        comma-separated string); all of them by default.
    method : {"sobol"}
        Variance-based indices (the only method so far).
    samples : int, default 1024
        The base number of points, a power of two: the model is evaluated
        ``samples * (d + 2)`` times for ``d`` ranged parameters.
    seed, confidence, resamples
        As for :func:`sobol_indices`.
    evaluate : Evaluator, optional
        How the model is evaluated at the points, as for
        :func:`powergames.partnership.evidence.uncertainty`.

    Returns
    -------
    Sensitivity

    Examples
    --------
    >>> from powergames.partnership import Scenario
    >>> case = Scenario("case", ranges={"shared_paradigm": (0, 0.5), "discount_factor": (0.2, 0.6)})
    >>> result = sensitivity(case, "critical_discount_factor", samples=256, seed=1)
    >>> result.ranking("critical_discount_factor")
    ['shared_paradigm', 'discount_factor']
    >>> result.indices["critical_discount_factor"]["discount_factor"].total.value
    0.0
    """
    if method not in METHODS:
        raise InvalidParameterError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    wanted = _outputs(outputs)
    names = ranged_names(scenario)
    undefined: dict[str, float] = {}

    def model(points: dict[str, NDArray[np.float64]]) -> dict[str, NDArray[np.float64]]:
        size = len(next(iter(points.values())))
        varied = with_formulas(scenario, points)
        columns = ["regime", "dilution", "critical_discount_factor", "transfer"]
        if "dilution" in wanted:
            columns.append("inherited_weight")
        found = (evaluate or settle_points)(scenario, varied, columns, size)
        result, missing = _limit_values(found, wanted)
        undefined.update(missing)
        return result

    result = sobol_indices(
        model,
        {name: scenario.ranges[name] for name in names},
        samples,
        seed,
        confidence=confidence,
        resamples=resamples,
    )
    return Sensitivity(
        parameters=result.parameters,
        indices=result.indices,
        variance=result.variance,
        undefined={name: undefined.get(name, 0.0) for name in result.indices},
        samples=result.samples,
        confidence=result.confidence,
    )


def _outputs(outputs: Sequence[str] | str | None) -> list[str]:
    if outputs is None:
        return list(OUTPUTS)
    if isinstance(outputs, str):
        outputs = [name.strip() for name in outputs.split(",")]
    wanted = list(outputs)
    unknown = [name for name in wanted if name not in OUTPUTS]
    if unknown or not wanted:
        from powergames.partnership.parameters import suggest

        hint = suggest(unknown[0], OUTPUTS) if unknown else ""
        raise InvalidParameterError(
            f"unknown output(s) {', '.join(map(repr, unknown))};{hint} the outputs are "
            f"{', '.join(OUTPUTS)}"
            if unknown
            else "outputs must name at least one output"
        )
    return wanted


#: The limit value of each output that can be undefined (see the module's notes).
_LIMITS: dict[str, Callable[[Mapping[str, NDArray[Any]]], Any]] = {
    "dilution": lambda found: found["inherited_weight"],
    "critical_discount_factor": lambda found: 1.0,
    "transfer": lambda found: 0.0,
}


def _limit_values(
    found: Mapping[str, NDArray[Any]], wanted: Sequence[str]
) -> tuple[dict[str, NDArray[np.float64]], dict[str, float]]:
    """The outputs ``wanted`` as finite numbers, undefined values replaced by their
    limit, and the fraction replaced for each."""
    result: dict[str, NDArray[np.float64]] = {}
    undefined: dict[str, float] = {}
    for name in wanted:
        if name.startswith("regime="):
            result[name] = (found["regime"] == name.removeprefix("regime=")).astype(np.float64)
            continue
        values = np.asarray(found[name], dtype=np.float64)
        missing = ~np.isfinite(values)
        undefined[name] = float(missing.mean())
        limit = np.broadcast_to(np.asarray(_LIMITS[name](found), dtype=np.float64), values.shape)
        result[name] = np.where(missing, limit, values)
    return result, undefined
