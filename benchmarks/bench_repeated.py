"""Equilibrium payoff sets of repeated games: powergames against quantecon, in one run.

    python benchmarks/bench_repeated.py [--quick]

Times ``equilibrium_payoff_set`` (Abreu-Sannikov) and quantecon's
``RepeatedGame.equilibrium_payoffs`` (the same algorithm, numba) on the prisoner's
dilemma and random 3x3 and 4x4 games at delta = 0.9, after quantecon's JIT warm-up;
then the cost of a first call in a fresh interpreter (import included) for each. The
sets are compared by Hausdorff distance.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import numpy as np

from powergames import Game
from powergames.repeated import PayoffSet, aps_payoff_set, equilibrium_payoff_set

FIRST_CALL = {
    "powergames": (
        "import time; t = time.perf_counter()\n"
        "from powergames import Game\n"
        "from powergames.repeated import equilibrium_payoff_set\n"
        "equilibrium_payoff_set(Game([[9, 1], [10, 3]], [[9, 10], [1, 3]]), 0.9)\n"
        "print(time.perf_counter() - t)"
    ),
    "quantecon": (
        "import time; t = time.perf_counter()\n"
        "import numpy as np, quantecon.game_theory as gt\n"
        "A = np.array([[9.0, 1.0], [10.0, 3.0]])\n"
        "g = gt.NormalFormGame((gt.Player(A), gt.Player(A.copy())))\n"
        "gt.RepeatedGame(g, 0.9).equilibrium_payoffs()\n"
        "print(time.perf_counter() - t)"
    ),
}


def median_time(function, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def quantecon_set(A: np.ndarray, B: np.ndarray, delta: float) -> PayoffSet:
    import quantecon.game_theory as gt

    game = gt.NormalFormGame((gt.Player(A.copy()), gt.Player(B.T.copy())))
    hull = gt.RepeatedGame(game, delta).equilibrium_payoffs()
    return PayoffSet.from_points(hull.points[hull.vertices])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 3 if args.quick else 9
    delta = 0.9
    rng = np.random.default_rng(2014)
    cases = [
        (
            "prisoner's dilemma (DESIGN.md section 8)",
            np.array([[9.0, 1], [10, 3]]),
            np.array([[9.0, 10], [1, 3]]),
        )
    ]
    for shape in ((3, 3), (4, 4)):
        for k in range(2 if args.quick else 5):
            cases.append(
                (
                    f"random {shape[0]}x{shape[1]} game #{k + 1}",
                    rng.random(shape),
                    rng.random(shape),
                )
            )
    quantecon_set(cases[0][1], cases[0][2], delta)  # JIT warm-up
    print(f"### Equilibrium payoff set at delta = {delta}\n")
    print(
        "| game | powergames | quantecon | ratio | APS (ours, cross-check) | Hausdorff distance |"
    )
    print("|---|---|---|---|---|---|")
    for name, A, B in cases:
        game = Game(A, B)
        ours = median_time(lambda: equilibrium_payoff_set(game, delta), repeat)  # noqa: B023
        theirs = median_time(lambda: quantecon_set(A, B, delta), repeat)  # noqa: B023
        aps = median_time(lambda: aps_payoff_set(game, delta), 1)  # noqa: B023
        distance = equilibrium_payoff_set(game, delta).hausdorff(quantecon_set(A, B, delta))
        print(
            f"| {name} | {ours * 1e3:.2f} ms | {theirs * 1e3:.2f} ms | {theirs / ours:.1f}x "
            f"| {aps * 1e3:.1f} ms | {distance:.1e} |"
        )
    print("\n### First call in a fresh interpreter (import, JIT compilation, one solve)\n")
    print("| library | wall time | ratio |\n|---|---|---|")
    first = {}
    for library, code in FIRST_CALL.items():
        runs = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code], capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(1 if args.quick else 3)
        ]
        first[library] = statistics.median(runs)
    for library, seconds in first.items():
        print(f"| {library} | {seconds:.2f} s | {seconds / first['powergames']:.1f}x |")


if __name__ == "__main__":
    main()
