"""Equilibrium payoff sets of repeated games: powergames against quantecon, in one run.

    python benchmarks/bench_repeated.py [--quick]

Times ``equilibrium_payoff_set`` (Abreu-Sannikov) and quantecon's
``RepeatedGame.equilibrium_payoffs`` (the same algorithm, numba) on the prisoner's
dilemma and random 3x3 and 4x4 games at delta = 0.9, after quantecon's JIT warm-up;
then the cost of a first call in a fresh interpreter (import included) for each. The
sets are compared by Hausdorff distance.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

import numpy as np
from _common import median_time, options, ratio, table_header, table_row

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


def quantecon_set(A: np.ndarray, B: np.ndarray, delta: float) -> PayoffSet:
    import quantecon.game_theory as gt

    game = gt.NormalFormGame((gt.Player(A.copy()), gt.Player(B.T.copy())))
    hull = gt.RepeatedGame(game, delta).equilibrium_payoffs()
    return PayoffSet.from_points(hull.points[hull.vertices])


def main() -> None:
    args = options(__doc__)
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
        table_header(
            "game",
            "powergames",
            "quantecon",
            "ratio",
            "APS (ours, cross-check)",
            "Hausdorff distance",
        )
    )
    for name, A, B in cases:
        game = Game(A, B)
        ours = median_time(lambda: equilibrium_payoff_set(game, delta), repeat)  # noqa: B023
        theirs = median_time(lambda: quantecon_set(A, B, delta), repeat)  # noqa: B023
        aps = median_time(lambda: aps_payoff_set(game, delta), 1)  # noqa: B023
        distance = equilibrium_payoff_set(game, delta).hausdorff(quantecon_set(A, B, delta))
        print(
            table_row(
                name,
                f"{ours * 1e3:.2f} ms",
                f"{theirs * 1e3:.2f} ms",
                ratio(theirs, ours),
                f"{aps * 1e3:.1f} ms",
                f"{distance:.1e}",
            )
        )
    print("\n### First call in a fresh interpreter (import, JIT compilation, one solve)\n")
    print(table_header("library", "wall time", "ratio"))
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
        print(table_row(library, f"{seconds:.2f} s", ratio(seconds, first["powergames"])))


if __name__ == "__main__":
    main()
