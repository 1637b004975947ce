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

Medians of several repetitions; ratios are peer time / powergames time.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np
import sympy as sp
from bench_equilibria import available, pygambit_enummixed, quantecon_support, same_sets

import powergames as pg


def median_time(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def nashpy_support(A: np.ndarray, B: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    import nashpy

    return list(nashpy.Game(A, B).support_enumeration())


def bench_games(shape: tuple[int, int], count: int, repeat: int, sample: int) -> list[str]:
    rng = np.random.default_rng(sum(shape))
    As, Bs = rng.random((count, *shape)), rng.random((count, *shape))
    pg.solve_batch(As[:10], Bs[:10])  # warm caches
    ours = median_time(lambda: pg.solve_batch(As, Bs), repeat)
    result = pg.solve_batch(As, Bs)
    reference = [[eq.strategies for eq in result[k]] for k in range(count)]
    lines = [
        f"### All equilibria of {count:,} random {shape[0]}x{shape[1]} games",
        "",
        "| solver | games timed | time for all games | ratio to powergames | same answers |",
        "|---|---|---|---|---|",
        f"| powergames solve_batch (support) | {count:,} | {ours * 1e3:.1f} ms | 1.0x | - |",
    ]
    vertex = median_time(lambda: pg.solve_batch(As, Bs, "vertex"), repeat)
    lines.append(
        f"| powergames solve_batch (vertex) | {count:,} | {vertex * 1e3:.1f} ms "
        f"| {vertex / ours:.2f}x | - |"
    )
    peers: list[tuple[str, str, Callable[[np.ndarray, np.ndarray], list], int]] = [
        ("quantecon support, loop", "quantecon", quantecon_support, count),
        ("pygambit enummixed (float), loop", "pygambit", pygambit_enummixed, sample * 5),
        ("nashpy support, loop", "nashpy", nashpy_support, sample),
    ]
    for name, module, solve, n_games in peers:
        if not available(module):
            lines.append(f"| {name} | - | - | - | not installed |")
            continue
        solve(As[0], Bs[0])  # warm-up (numba JIT)
        start = time.perf_counter()
        answers = [solve(As[k], Bs[k]) for k in range(n_games)]
        elapsed = (time.perf_counter() - start) * count / n_games
        same = sum(same_sets(answers[k], reference[k]) for k in range(n_games))
        scaled = "" if n_games == count else " (scaled)"
        lines.append(
            f"| {name} | {n_games:,} | {elapsed * 1e3:,.1f} ms{scaled} | {elapsed / ours:,.1f}x "
            f"| {same}/{n_games} |"
        )
    return lines


def bench_symbolic(points: int, repeat: int, sample: int) -> list[str]:
    a, b, c, d = sp.symbols("a b c d", real=True)
    A = [[a * b - c, a + d, sp.Integer(1)], [2 * c, b**2, c * d], [a - b, sp.Integer(0), d]]
    B = [[c, a * d - b, sp.Rational(1, 3)], [a**2, b, -c], [d, a + b + c + d, sp.Integer(0)]]
    game = pg.SymbolicGame(A, B, parameters=[a, b, c, d])
    rng = np.random.default_rng(0)
    grid = {name: rng.random(points) for name in "abcd"}
    start = time.perf_counter()
    game.evaluate(**grid)
    first = time.perf_counter() - start
    ours = median_time(lambda: game.evaluate(**grid), repeat)
    raw_function = sp.lambdify([a, b, c, d], [entry for row in A + B for entry in row], "numpy")
    raw = median_time(lambda: raw_function(*grid.values()), repeat)
    stacked = median_time(
        lambda: np.stack(np.broadcast_arrays(*raw_function(*grid.values()))), repeat
    )
    matrix_A, matrix_B = sp.Matrix(A), sp.Matrix(B)

    def subs_sample() -> None:
        for k in range(sample):
            values = {a: grid["a"][k], b: grid["b"][k], c: grid["c"][k], d: grid["d"][k]}
            np.array(matrix_A.subs(values), dtype=float)
            np.array(matrix_B.subs(values), dtype=float)

    subs = median_time(subs_sample, 1) * points / sample
    return [
        f"### Payoffs of a 3x3 game in 4 parameters at {points:,} points",
        "",
        "| method | time for all points | per point | ratio to evaluate |",
        "|---|---|---|---|",
        f"| SymbolicGame.evaluate (compiled, cached) | {ours * 1e3:.2f} ms "
        f"| {ours / points * 1e9:.0f} ns | 1.0x |",
        f"| SymbolicGame.evaluate, first call (compiles) | {first * 1e3:.1f} ms | - "
        f"| {first / ours:.1f}x |",
        f"| raw vectorised sympy.lambdify (entries only, no array built) | {raw * 1e3:.2f} ms "
        f"| {raw / points * 1e9:.0f} ns | {raw / ours:.2f}x |",
        f"| raw vectorised sympy.lambdify, stacked into one array | {stacked * 1e3:.2f} ms "
        f"| {stacked / points * 1e9:.0f} ns | {stacked / ours:.2f}x |",
        f"| sympy Matrix.subs point by point ({sample} timed, scaled) | {subs:.1f} s "
        f"| {subs / points * 1e3:.2f} ms | {subs / ours:,.0f}x |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer games and repetitions")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    count = 1_000 if args.quick else 10_000
    repeat = 3 if args.quick else 7
    sample = 20 if args.quick else 200
    for shape in ((3, 3), (2, 2), (4, 4)):
        print("\n".join(bench_games(shape, count, repeat, sample)), end="\n\n")
    print("\n".join(bench_symbolic(10 * count, repeat, sample)))


if __name__ == "__main__":
    main()
