"""Equilibrium tables of the partnership model: a vectorised sweep against the same
table built point by point, and a million points streamed to a CSV file.

    python benchmarks/bench_tables.py [--quick]

1. A 100 x 100 grid (discount factor x inherited weight) with every column, by
   ``sweep``; against ``analyse`` called point by point and against a table built the
   naive way, ``sympy`` substitution into the stage game plus nashpy's support
   enumeration at each point (both timed on a sample and scaled to the grid).
2. 100,000 grid points streamed to CSV, and 1,000,000 to CSV, JSON lines and
   Parquet, each in a fresh process (after the closed forms are compiled): time per
   point and peak resident memory (the same whatever the size when memory is
   bounded), against the size of the table in memory.
3. 1,000,000 and 3,000,000 points streamed to CSV through a process pool of two
   workers, each in a fresh process: the peak resident memory of the sweeping
   process and of the largest worker (bounded: at most ``in_flight`` chunks are
   submitted and not yet written).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
import warnings
from pathlib import Path

import numpy as np
from _common import median_time, options, ratio, table_header, table_row, timed

from powergames.partnership import BASELINE, SPECS, Parameters, analyse, partnership_game
from powergames.tables import sweep
from powergames.tables.partnership import COLUMNS


def naive_point(symbolic_game, values) -> None:  # type: ignore[no-untyped-def]
    """The table row the naive way: substitute every parameter with sympy, solve the
    stage game with nashpy."""
    import nashpy

    A, B = (np.array(M.subs(values), dtype=float) for M in symbolic_game.payoffs)
    list(nashpy.Game(A, B).support_enumeration())


def main() -> None:
    args = options(__doc__)
    warnings.simplefilter("ignore")  # nashpy warns on the degenerate stage games
    size = 100
    grid = {
        "discount_factor": np.linspace(0.2, 0.95, size),
        "inherited_weight": np.linspace(0.5, 0.95, size),
    }
    columns = list(COLUMNS)
    sweep(Parameters(), {"discount_factor": [0.5]}, columns)  # compile the closed forms once
    whole = median_time(lambda: sweep(Parameters(), grid, columns), 3 if args.quick else 7)
    ours = whole / (size * size)  # one row per grid point

    sample = 20 if args.quick else 100
    rng = np.random.default_rng(0)
    picks = rng.integers(0, size, size=(sample, 2))

    def analyse_sample() -> None:
        for i, j in picks:
            analyse(
                Parameters(
                    discount_factor=float(grid["discount_factor"][i]),
                    inherited_weight=float(grid["inherited_weight"][j]),
                )
            )

    point = timed(analyse_sample)[0] / sample

    game = partnership_game(Parameters.symbolic())

    def naive_sample() -> None:
        for i, j in picks[: sample // 4]:
            point_values = {
                **BASELINE,
                "discount_factor": float(grid["discount_factor"][i]),
                "inherited_weight": float(grid["inherited_weight"][j]),
            }
            naive_point(game, {spec.sympy_symbol: point_values[spec.name] for spec in SPECS})

    naive = timed(naive_sample)[0] / (sample // 4)

    print(f"### A {size} x {size} grid, all {len(columns)} columns\n")
    print(table_header("method", "per point", "whole grid", "ratio to sweep"))
    for name, per in (
        ("sweep (vectorised closed forms)", ours),
        ("analyse, point by point (sample, scaled)", point),
        ("sympy subs + nashpy, point by point (sample, scaled)", naive),
    ):
        print(
            table_row(
                name, f"{per * 1e6:,.2f} us", f"{per * size * size:,.3f} s", ratio(per, ours, 0)
            )
        )

    # Peak memory in fresh processes: after the imports and the compilation of the
    # closed forms, then after streaming grids of two sizes. A bounded stream has
    # the same peak for both.
    baseline = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource\n"
            "from powergames.partnership import Parameters, evaluate\n"
            "evaluate(Parameters())\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    small, large = (100, 1000) if not args.quick else (20, 100)
    runs = [stream(".csv", small)] + [stream(suffix, large) for suffix in FORMATS]
    print("\n### Grids streamed to a file, all columns (fresh process each)\n")
    print("| points | format | file | time | per point | peak resident memory | in memory |")
    print("|---|---|---|---|---|---|---|")
    for rows, suffix, seconds, peak_mb, file_mb, _ in runs:
        in_memory_mb = rows * (len(columns) + 2) * 8 / 1e6
        print(
            f"| {rows:,} | {suffix} | {file_mb:.0f} MB | {seconds:.1f} s "
            f"| {seconds / rows * 1e6:.2f} us | {peak_mb:.0f} MB | about {in_memory_mb:.0f} MB |"
        )
    print(
        f"\nAfter the imports and the compilation of the closed forms alone: "
        f"{int(baseline.stdout) / 1024:.0f} MB."
    )
    executor_memory(args.quick)


#: The formats a sweep streams to.
FORMATS = (".csv", ".jsonl", ".parquet")


def stream(
    suffix: str, rows_of_delta: int, workers: int = 0
) -> tuple[int, str, float, float, float, float]:
    """A grid of ``rows_of_delta`` x 1000 points streamed to a file in a fresh process,
    through a pool of ``workers`` processes when given: (points, suffix, seconds, peak
    memory of the process in MB, file size in MB, peak memory of a worker in MB)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"grid{suffix}"
        code = textwrap.dedent(f"""
            import resource, time, numpy as np
            from concurrent.futures import ProcessPoolExecutor
            from powergames.partnership import Parameters
            from powergames.tables.partnership import COLUMNS
            from powergames.tables import sweep
            grid = {{"discount_factor": np.linspace(0.01, 0.99, {rows_of_delta}),
                     "inherited_weight": np.linspace(0.0, 1.0, 1000)}}
            sweep(Parameters(), {{"discount_factor": [0.5]}}, list(COLUMNS))  # compile
            start = time.perf_counter()
            if {workers}:
                with ProcessPoolExecutor({workers}) as pool:
                    sweep(Parameters(), grid, list(COLUMNS), out={str(out)!r}, progress=False,
                          executor=pool)
            else:
                sweep(Parameters(), grid, list(COLUMNS), out={str(out)!r}, progress=False)
            print(time.perf_counter() - start,
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        """)
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        seconds, peak_kb, child_kb = result.stdout.split()
        size = out.stat().st_size / 1e6
    points = rows_of_delta * 1000
    return points, suffix, float(seconds), int(peak_kb) / 1024, size, int(child_kb) / 1024


def executor_memory(quick: bool) -> None:
    """Peak memory of streamed sweeps through a process pool, in fresh processes."""
    runs = [stream(".csv", rows, workers=2) for rows in ((100, 300) if quick else (1000, 3000))]
    print("\n### Grids streamed to CSV through a pool of 2 processes (fresh process each)\n")
    print("| points | time | peak memory, sweeping process | peak memory, largest worker |")
    print("|---|---|---|---|")
    for points, _, seconds, peak_mb, _, worker_mb in runs:
        print(f"| {points:,} | {seconds:.1f} s | {peak_mb:.0f} MB | {worker_mb:.0f} MB |")


if __name__ == "__main__":
    main()
