"""Bargaining solutions: closed forms vectorised over arrays, smooth frontiers per problem.

    python benchmarks/bench_bargaining.py [--quick]

No peer library computes these solutions on continuous frontiers, so the figures are
absolute; the vectorised closed forms are compared with the same formula evaluated
point by point in Python.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp
from _common import median_time, options, table_header, table_row

from powergames.bargaining import (
    BargainingProblem,
    egalitarian,
    kalai_smorodinsky,
    nash,
    rubinstein,
    utilitarian,
)


def main() -> None:
    args = options(__doc__)
    n = 100_000 if args.quick else 1_000_000
    repeat = 3 if args.quick else 7
    rng = np.random.default_rng(0)
    a = rng.random(n)
    surplus = 1 + rng.random(n)
    d1, d2 = 0.3 * rng.random(n), 0.3 * rng.random(n)
    delta1, delta2 = 0.5 + 0.49 * rng.random(n), 0.5 + 0.49 * rng.random(n)

    rows = [
        f"### Closed forms over {n:,} problems at once (arrays)",
        "",
        table_header("computation", "time", "per problem"),
    ]
    cases: list[tuple[str, Callable[[], object]]] = [
        (
            "generalised Nash, transferable utility (weights, surplus, d arrays)",
            lambda: nash(BargainingProblem.transferable(surplus, (d1, d2)), (a, 1 - a)),
        ),
        (
            "Kalai-Smorodinsky, linear frontier (slopes, d arrays)",
            lambda: kalai_smorodinsky(BargainingProblem.linear(surplus, 0.5 + a, (d1, d2))),
        ),
        (
            "egalitarian, transferable utility",
            lambda: egalitarian(BargainingProblem.transferable(surplus, (d1, d2))),
        ),
        (
            "utilitarian, linear frontier",
            lambda: utilitarian(BargainingProblem.linear(surplus, 0.5 + a, (d1, d2))),
        ),
        ("Rubinstein (discount factor arrays)", lambda: rubinstein(delta1, delta2)),
        (
            "Rubinstein with outside options",
            lambda: rubinstein(delta1, delta2, outside_options=(0.2 * a, 0.3 * a)),
        ),
        (
            "generalised Nash, polygon with 6 vertices (weights array)",
            lambda: nash(
                BargainingProblem.from_points(
                    [(0, 5), (1, 4.8), (2, 4.3), (3, 3.5), (4, 2), (5, 0)]
                ),
                (a, 1 - a),
            ),
        ),
    ]
    for name, run in cases:
        t = median_time(run, repeat, warm_up=True)
        rows.append(table_row(name, f"{t * 1e3:.1f} ms", f"{t / n * 1e9:.0f} ns"))

    loop_n = n // 100

    def python_loop() -> None:
        for k in range(loop_n):
            G = surplus[k] - d1[k] - d2[k]
            _ = (d1[k] + a[k] * G, d2[k] + (1 - a[k]) * G)

    t = median_time(python_loop, repeat) * n / loop_n
    name = "the Nash formula in a Python loop, for comparison (scaled)"
    rows.append(table_row(name, f"{t * 1e3:.1f} ms", f"{t / n * 1e9:.0f} ns"))
    print("\n".join(rows), end="\n\n")

    u1 = sp.Symbol("u1")
    problems = {
        "sympy frontier 2 (1 - u1^2)": BargainingProblem.from_frontier(2 * (1 - u1**2), (0, 1)),
        "callable frontier 2 (1 - u1^2)": BargainingProblem.from_frontier(
            lambda x: 2 * (1 - x * x), (0, 1)
        ),
        "callable frontier 3 (1 - u1^2.5)": BargainingProblem.from_frontier(
            lambda x: 3 * (1 - x**2.5), (0, 1), (0.1, 0.2)
        ),
    }
    rows = [
        "### One smooth frontier, one problem per call",
        "",
        table_header("problem", "Nash", "Kalai-Smorodinsky", "egalitarian", "utilitarian"),
    ]
    count = 50 if args.quick else 500
    for name, problem in problems.items():
        cells = []
        for solution in (nash, kalai_smorodinsky, egalitarian, utilitarian):

            def solve_many(solution=solution, problem=problem) -> None:  # type: ignore[no-untyped-def]
                for _ in range(count):
                    solution(problem)

            t = median_time(solve_many, 3) / count
            cells.append(f"{t * 1e6:.0f} us")
        rows.append(table_row(name, *cells))
    print("\n".join(rows))


if __name__ == "__main__":
    main()
