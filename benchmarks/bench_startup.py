"""Start-up: the README's main job as a whole process, and what it imports.

Runs ``powergames table --preset partnership-1990s ...`` (the README's example) in
fresh interpreters: with the closed forms' cache warm (every run after the first),
cold (an empty cache directory: the run derives the forms and writes them) and
turned off (``POWERGAMES_CACHE_DIR=""``: every run derives). Reports the median wall
time and processor time (user + system, of the child process) of several runs, and
the libraries the job imports.

    python benchmarks/bench_startup.py [--quick]

This is a benchmark, not a test.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from _common import format_time, options, table_header, table_row

COMMAND = [
    "table",
    "--preset",
    "partnership-1990s",
    "--grid",
    "discount_factor=0.2:0.8:7",
    "--grid",
    "inherited_weight=0.6:0.9:4",
    "--columns",
    "regime,dilution,weight,transfer",
]
#: Libraries whose import the main job should not pay, and sympy, which it still does.
LIBRARIES = ("scipy.optimize", "pandas", "numba", "matplotlib", "scipy.special", "sympy")


def run(cache: str) -> tuple[float, float]:
    """Wall and processor time of one run of the main job with the cache in ``cache``."""
    environment = {**os.environ, "POWERGAMES_CACHE_DIR": cache}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "powergames", *COMMAND],
        check=True,
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def imported(cache: str) -> list[str]:
    """Which of :data:`LIBRARIES` the main job imports."""
    code = (
        "import json, sys\n"
        "from powergames.cli import main\n"
        f"main({COMMAND!r})\n"
        f"print(json.dumps([m for m in {LIBRARIES!r} if m in sys.modules]), file=sys.stderr)\n"
    )
    environment = {**os.environ, "POWERGAMES_CACHE_DIR": cache}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    found: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return found


def main() -> None:
    args = options(__doc__, "fewer runs")
    repeat = 3 if args.quick else 9
    rows = []
    with tempfile.TemporaryDirectory() as warm:
        run(warm)  # writes the cache
        runs = [run(warm) for _ in range(repeat)]
        rows.append(("cache warm (every run after the first)", runs))
        cold = []
        for _ in range(max(2, repeat // 3)):
            with tempfile.TemporaryDirectory() as empty:
                cold.append(run(empty))
        rows.append(("cache cold (the first run: derives and writes)", cold))
        off = [run("") for _ in range(max(2, repeat // 3))]
        rows.append(("cache off (derives in every run)", off))
        libraries = imported(warm)
    print(
        "### The README's main job, whole process: `powergames " + " ".join(COMMAND) + "`",
        "",
        table_header("case", "runs", "median wall time", "median processor time"),
        sep="\n",
    )
    for name, times in rows:
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        print(table_row(name, len(times), format_time(wall), format_time(cpu)))
    print()
    print(f"Of {', '.join(LIBRARIES)}, the job imports: {', '.join(libraries) or 'none'}.")


if __name__ == "__main__":
    main()
