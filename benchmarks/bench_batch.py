"""Many small games and many parameter points: powergames side by side with its peers.

Part 1 solves 10,000 random games (uniform payoffs on [0, 1)) of one shape, all
equilibria: ``solve_batch`` in one call against loops over the games with quantecon
(after its numba JIT warm-up), pygambit and nashpy (the slow peers on a sample,
reported per game and scaled to the batch). Every peer's equilibria are compared with
powergames' on the games it solved.

Part 2 evaluates the payoffs of a 3x3 game in 4 parameters at 100,000 points:
``SymbolicGame.evaluate`` against a raw vectorised ``sympy.lambdify`` of the payoff
entries and against ``Matrix.subs`` point by point (on a sample).

    python benchmarks/bench_batch.py [--quick]

Medians of several repetitions of processor time (``time.process_time``: other jobs
on a shared machine disturb it far less than wall time); ratios are peer time /
powergames time.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable

import numpy as np
import sympy as sp
from _common import available, median_time, options, ratio, table_header, table_row, timed
from bench_equilibria import pygambit_enummixed, quantecon_support, same_sets

import powergames as pg


def nashpy_support(A: np.ndarray, B: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    import nashpy

    return list(nashpy.Game(A, B).support_enumeration())


def bench_games(shape: tuple[int, int], count: int, repeat: int, sample: int) -> list[str]:
    rng = np.random.default_rng(sum(shape))
    As, Bs = rng.random((count, *shape)), rng.random((count, *shape))
    pg.solve_batch(As[:10], Bs[:10])  # warm caches
    ours = median_time(lambda: pg.solve_batch(As, Bs), repeat, clock=time.process_time)
    result = pg.solve_batch(As, Bs)
    reference = [[eq.strategies for eq in result[k]] for k in range(count)]
    lines = [
        f"### All equilibria of {count:,} random {shape[0]}x{shape[1]} games",
        "",
        table_header(
            "solver", "games timed", "time for all games", "ratio to powergames", "same answers"
        ),
        table_row(
            "powergames solve_batch (support)",
            f"{count:,}",
            f"{ours * 1e3:.1f} ms",
            ratio(ours, ours),
            "-",
        ),
    ]
    vertex = median_time(lambda: pg.solve_batch(As, Bs, "vertex"), repeat, clock=time.process_time)
    lines.append(
        table_row(
            "powergames solve_batch (vertex)",
            f"{count:,}",
            f"{vertex * 1e3:.1f} ms",
            ratio(vertex, ours, 2),
            "-",
        )
    )
    peers: list[tuple[str, str, Callable[[np.ndarray, np.ndarray], list], int]] = [
        ("quantecon support, loop", "quantecon", quantecon_support, count),
        ("pygambit enummixed (float), loop", "pygambit", pygambit_enummixed, sample * 5),
        ("nashpy support, loop", "nashpy", nashpy_support, sample),
    ]
    for name, module, solve, n_games in peers:
        if not available(module):
            lines.append(table_row(name, "-", "-", "-", "not installed"))
            continue
        solve(As[0], Bs[0])  # warm-up (numba JIT)
        elapsed, answers = timed(
            lambda: [solve(As[k], Bs[k]) for k in range(n_games)],  # noqa: B023
            time.process_time,
        )
        elapsed *= count / n_games
        same = sum(same_sets(answers[k], reference[k]) for k in range(n_games))
        scaled = "" if n_games == count else " (scaled)"
        lines.append(
            table_row(
                name,
                f"{n_games:,}",
                f"{elapsed * 1e3:,.1f} ms{scaled}",
                ratio(elapsed, ours),
                f"{same}/{n_games}",
            )
        )
    return lines


def bench_symbolic(points: int, repeat: int, sample: int) -> list[str]:
    a, b, c, d = sp.symbols("a b c d", real=True)
    A = [[a * b - c, a + d, sp.Integer(1)], [2 * c, b**2, c * d], [a - b, sp.Integer(0), d]]
    B = [[c, a * d - b, sp.Rational(1, 3)], [a**2, b, -c], [d, a + b + c + d, sp.Integer(0)]]
    game = pg.SymbolicGame(A, B, parameters=[a, b, c, d])
    rng = np.random.default_rng(0)
    grid = {name: rng.random(points) for name in "abcd"}
    cpu = time.process_time
    first = timed(lambda: game.evaluate(**grid), cpu)[0]
    ours = median_time(lambda: game.evaluate(**grid), repeat, clock=cpu)
    raw_function = sp.lambdify([a, b, c, d], [entry for row in A + B for entry in row], "numpy")
    raw = median_time(lambda: raw_function(*grid.values()), repeat, clock=cpu)
    stacked = median_time(
        lambda: np.stack(np.broadcast_arrays(*raw_function(*grid.values()))), repeat, clock=cpu
    )
    matrix_A, matrix_B = sp.Matrix(A), sp.Matrix(B)

    def subs_sample() -> None:
        for k in range(sample):
            values = {a: grid["a"][k], b: grid["b"][k], c: grid["c"][k], d: grid["d"][k]}
            np.array(matrix_A.subs(values), dtype=float)
            np.array(matrix_B.subs(values), dtype=float)

    subs = timed(subs_sample, cpu)[0] * points / sample
    return [
        f"### Payoffs of a 3x3 game in 4 parameters at {points:,} points",
        "",
        table_header("method", "time for all points", "per point", "ratio to evaluate"),
        table_row(
            "SymbolicGame.evaluate (compiled, cached)",
            f"{ours * 1e3:.2f} ms",
            f"{ours / points * 1e9:.0f} ns",
            ratio(ours, ours),
        ),
        table_row(
            "SymbolicGame.evaluate, first call (compiles)",
            f"{first * 1e3:.1f} ms",
            "-",
            ratio(first, ours),
        ),
        table_row(
            "raw vectorised sympy.lambdify (entries only, no array built)",
            f"{raw * 1e3:.2f} ms",
            f"{raw / points * 1e9:.0f} ns",
            ratio(raw, ours, 2),
        ),
        table_row(
            "raw vectorised sympy.lambdify, stacked into one array",
            f"{stacked * 1e3:.2f} ms",
            f"{stacked / points * 1e9:.0f} ns",
            ratio(stacked, ours, 2),
        ),
        table_row(
            f"sympy Matrix.subs point by point ({sample} timed, scaled)",
            f"{subs:.1f} s",
            f"{subs / points * 1e3:.2f} ms",
            ratio(subs, ours, 0),
        ),
    ]


def main() -> None:
    args = options(__doc__, "fewer games and repetitions")
    warnings.simplefilter("ignore")
    count = 1_000 if args.quick else 10_000
    repeat = 3 if args.quick else 7
    sample = 20 if args.quick else 200
    for shape in ((3, 3), (2, 2), (4, 4)):
        print("\n".join(bench_games(shape, count, repeat, sample)), end="\n\n")
    print("\n".join(bench_symbolic(10 * count, repeat, sample)))


if __name__ == "__main__":
    main()
