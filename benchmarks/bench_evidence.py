"""Evidence: uncertainty over 2^16 points of a scenario's plausible range, Sobol'
indices, and a REFI-QDA project read.

    python benchmarks/bench_evidence.py [--quick]

1. ``uncertainty`` of a case with every parameter of the version-2 model ranged, 2^16
   scrambled Sobol' points, every output (the regime and the quantiles of dilution,
   transfer and the critical discount factor): the whole call, and its parts (the
   points, ``settle`` through the sweep, the statistics). The target is under a
   second.
2. ``sensitivity`` of the same case, every output (3 quantities and 6 regime
   indicators), 2^10 base points (2^10 x 15 model evaluations).
3. ``read_qdpx`` on the tutorial's project, and on a project of 200 sources with
   20,000 coded segments.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _common import format_time, median_time, options, table_header, table_row, timed

from powergames.partnership import SPECS, Parameters, Scenario, settle
from powergames.partnership.evidence import (
    Triangular,
    example_path,
    read_qdpx,
    sensitivity,
    uncertainty,
)
from powergames.partnership.evidence.sampling import parameter_points, unit_points

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def case() -> Scenario:
    """Every parameter ranged around the baseline, a third of them triangular."""
    ranges = {}
    for k, spec in enumerate(SPECS):
        low, high = spec.domain
        centre = spec.default
        span = max(0.5, abs(centre)) / 2
        a, b = max(low, centre - span), min(high - 1e-9 if spec.upper_open else high, centre + span)
        ranges[spec.name] = Triangular(a, centre, b) if k % 3 == 0 else (a, b)
    return Scenario("everything ranged", parameters=Parameters(), ranges=ranges)


def main() -> None:
    args = options(__doc__)
    repeat = 3 if args.quick else 7
    scenario = case()
    uncertainty(scenario, 2**10, seed=0)  # compile the closed forms, import scipy
    n = 2**16
    whole = median_time(lambda: uncertainty(scenario, n, seed=1), repeat)
    points_time = median_time(
        lambda: parameter_points(scenario, unit_points(len(scenario.ranges), n, 1)), repeat
    )
    values = parameter_points(scenario, unit_points(len(scenario.ranges), n, 1))
    settle_time = median_time(lambda: settle(scenario.parameters.replace(**values)), repeat)
    result = uncertainty(scenario, n, seed=1)
    print(f"## 1. uncertainty, {len(scenario.ranges)} ranged parameters, {n:,} Sobol' points\n")
    print(table_header("step", "median time", "per point"))
    print(table_row("`uncertainty` (all of it)", format_time(whole), format_time(whole / n)))
    print(
        table_row(
            "the points (qmc, inverse distributions)",
            format_time(points_time),
            format_time(points_time / n),
        )
    )
    print(
        table_row(
            "`settle` on all points at once", format_time(settle_time), format_time(settle_time / n)
        )
    )
    print(f"\n{result.statement()}; under a second: {whole < 1.0}\n")

    base = 2**8 if args.quick else 2**10
    evaluations = base * (len(scenario.ranges) + 2)
    elapsed, found = timed(lambda: sensitivity(scenario, samples=base, seed=1))
    print(f"## 2. sensitivity, all {len(found.outputs)} outputs, {evaluations:,} evaluations\n")
    print(table_header("step", "time"))
    print(
        table_row(
            "`sensitivity` (SALib's estimators and 100 bootstrap resamples per output)",
            format_time(elapsed),
        )
    )
    print(f"\ndilution is driven by {', '.join(found.ranking('dilution')[:2])}\n")

    from qdpx_files import write_qdpx

    print("## 3. read_qdpx\n")
    print(table_header("project", "median time"))
    example = example_path("cooperation.qdpx")
    print(
        table_row(
            "the tutorial's (6 sources, 26 segments)",
            format_time(median_time(lambda: read_qdpx(example), repeat)),
        )
    )
    spec = {
        "name": "large",
        "codes": {f"code {k}": {f"sub {j}": {} for j in range(3)} for k in range(10)},
        "sources": {
            f"interview {s}": {
                "segments": [
                    [f"code {(s + i) % 10}/sub {i % 3}", f"code {i % 10}"] for i in range(100)
                ]
            }
            for s in range(200)
        },
        "sets": {f"group {g}": [f"interview {s}" for s in range(g, 200, 10)] for g in range(10)},
    }
    with tempfile.TemporaryDirectory() as folder:
        path = write_qdpx(Path(folder) / "large.qdpx", spec)
        print(
            table_row(
                "200 sources, 20,000 segments, 10 groups",
                format_time(median_time(lambda: read_qdpx(path), repeat)),
            )
        )


if __name__ == "__main__":
    main()
