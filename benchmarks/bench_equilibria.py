"""Nash equilibrium solvers: powergames side by side with its peers, in one run.

Times each solver on the same random games (uniform payoffs on [0, 1)), reports
the median time per game and the ratio peer / powergames (above 1: powergames is
faster), and checks that every solver returns the same equilibria as powergames.
Times are processor time of this process (``time.process_time``), which other jobs
on a shared machine disturb far less than wall time, the least of three calls per
game; nashpy's calls, run in a child process under a timeout, are wall time. Last,
the first call in a fresh interpreter (imports and, for quantecon, numba's
compilation included), in wall and processor time of the child process.

    python benchmarks/bench_equilibria.py            # the full run
    python benchmarks/bench_equilibria.py --quick    # fewer games, for a smoke test

Peers: nashpy (always installed), quantecon (``pip install quantecon``; timed after
its numba JIT warm-up) and pygambit (``pip install pygambit``; compiles from source).
A peer that is not installed is skipped. This is a benchmark, not a test.
"""

from __future__ import annotations

import multiprocessing as mp
import platform
import resource
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from _common import available, format_time, options, ratio, table_header, table_row, timed

import powergames as pg

Profile = tuple[np.ndarray, np.ndarray]


def random_games(count: int, m: int, n: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [(rng.random((m, n)), rng.random((m, n))) for _ in range(count)]


# ------------------------------------------------------------------ solvers
def powergames_all(method: str) -> Callable[[np.ndarray, np.ndarray], list[Profile]]:
    def solve(A: np.ndarray, B: np.ndarray) -> list[Profile]:
        return [eq.strategies for eq in pg.equilibria(pg.Game(A, B), method)]  # type: ignore[arg-type]

    return solve


def powergames_lh(A: np.ndarray, B: np.ndarray) -> list[Profile]:
    return [pg.lemke_howson(pg.Game(A, B), 0).strategies]


def nashpy_support(A: np.ndarray, B: np.ndarray) -> list[Profile]:
    import nashpy

    return [tuple(map(np.asarray, eq)) for eq in nashpy.Game(A, B).support_enumeration()]  # type: ignore[misc]


def nashpy_lh(A: np.ndarray, B: np.ndarray) -> list[Profile]:
    import nashpy

    x, y = nashpy.Game(A, B).lemke_howson(initial_dropped_label=0)
    return [(np.asarray(x), np.asarray(y))]


def _quantecon_game(A: np.ndarray, B: np.ndarray):  # type: ignore[no-untyped-def]
    import quantecon.game_theory as gt

    return gt.NormalFormGame((gt.Player(A), gt.Player(B.T)))


def quantecon_support(A: np.ndarray, B: np.ndarray) -> list[Profile]:
    import quantecon.game_theory as gt

    return list(gt.support_enumeration(_quantecon_game(A, B)))


def quantecon_vertex(A: np.ndarray, B: np.ndarray) -> list[Profile]:
    import quantecon.game_theory as gt

    return list(gt.vertex_enumeration(_quantecon_game(A, B)))


def quantecon_lh(A: np.ndarray, B: np.ndarray) -> list[Profile]:
    import quantecon.game_theory as gt

    return [gt.lemke_howson(_quantecon_game(A, B), init_pivot=0)]


def pygambit_enummixed(A: np.ndarray, B: np.ndarray) -> list[Profile]:
    import pygambit as gbt

    game = gbt.Game.from_arrays(A, B)
    first, second = list(game.players)
    result = gbt.nash.enummixed_solve(game, rational=False)
    return [
        (
            np.array([float(eq[s]) for s in first.strategies]),
            np.array([float(eq[s]) for s in second.strategies]),
        )
        for eq in result.equilibria
    ]


# ------------------------------------------------------------------ timing
@dataclass
class Row:
    solver: str
    times: list[float] = field(default_factory=list)
    same: list[bool] = field(default_factory=list)
    timed_out: bool = False
    note: str = ""


def same_sets(found: list[Profile], reference: list[Profile], tol: float = 1e-6) -> bool:
    if len(found) != len(reference):
        return False
    return all(
        any(np.allclose(x, u, atol=tol) and np.allclose(y, v, atol=tol) for u, v in reference)
        for x, y in found
    )


def cpu_timed(function: Callable[[], list[Profile]]) -> tuple[float, list[Profile]]:
    """The least processor time of three calls (the others are disturbed by other jobs
    on a shared machine) and what the call returned."""
    runs = [timed(function, time.process_time) for _ in range(3)]
    return min(t for t, _ in runs), runs[0][1]


def _child(solver_name: str, A: np.ndarray, B: np.ndarray, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    elapsed, found = timed(lambda: SOLVERS[solver_name](A, B))
    queue.put((elapsed, [(np.asarray(x), np.asarray(y)) for x, y in found]))


def run_with_timeout(
    solver_name: str, A: np.ndarray, B: np.ndarray, timeout: float
) -> tuple[float, list[Profile]] | None:
    """Time one call in a child process; None when it does not finish in ``timeout``."""
    queue: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    child = mp.Process(target=_child, args=(solver_name, A, B, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return queue.get()  # type: ignore[no-any-return]


SOLVERS: dict[str, Callable[[np.ndarray, np.ndarray], list[Profile]]] = {
    "powergames auto (vertex)": powergames_all("auto"),
    "powergames support": powergames_all("support"),
    "powergames vertex": powergames_all("vertex"),
    "powergames lemke-howson": powergames_lh,
    "nashpy support": nashpy_support,
    "nashpy lemke-howson": nashpy_lh,
    "quantecon support": quantecon_support,
    "quantecon vertex": quantecon_vertex,
    "quantecon lemke-howson": quantecon_lh,
    "pygambit enummixed (float)": pygambit_enummixed,
}


def bench_case(
    title: str,
    games: list[tuple[np.ndarray, np.ndarray]],
    reference: str,
    peers: list[tuple[str, int, float]],
    ours: list[str],
) -> tuple[str, list[Row]]:
    """Time ``reference`` and ``ours`` on every game and each peer on its first
    ``count`` games (with a per-call timeout for the slow ones)."""
    rows: list[Row] = []
    answers: dict[int, list[Profile]] = {}
    for name in [reference, *ours]:
        row = Row(name)
        SOLVERS[name](*games[0])  # warm-up (imports, caches)
        for k, (A, B) in enumerate(games):
            elapsed, found = cpu_timed(lambda: SOLVERS[name](A, B))  # noqa: B023
            row.times.append(elapsed)
            if name == reference:
                answers[k] = found
            else:
                row.same.append(same_sets(found, answers[k]))
        rows.append(row)
    for name, count, timeout in peers:
        module = name.split()[0]
        if not available(module):
            rows.append(Row(name, note="not installed"))
            continue
        row = Row(name)
        if not timeout:
            SOLVERS[name](*games[0])  # warm-up: numba's JIT, imports
        for k, (A, B) in enumerate(games[:count]):
            if timeout:
                result = run_with_timeout(name, A, B, timeout)
                if result is None:
                    row.timed_out = True
                    row.times.append(timeout)
                    row.note = f"did not finish in {timeout:g} s"
                    break
                elapsed, found = result
            else:
                elapsed, found = cpu_timed(lambda: SOLVERS[name](A, B))  # noqa: B023
            row.times.append(elapsed)
            if "lemke-howson" in name:
                row.same.append(pg.is_equilibrium(pg.Game(A, B), found[0], tol=1e-6))
            else:
                row.same.append(same_sets(found, answers[k]))
        rows.append(row)
    return title, rows


def report(title: str, rows: list[Row], reference: str) -> str:
    base = statistics.median(next(r for r in rows if r.solver == reference).times)
    lines = [
        f"### {title}",
        "",
        table_header("solver", "games", "median per game", "ratio to powergames", "same answers"),
    ]
    for row in rows:
        if not row.times:
            lines.append(table_row(row.solver, "-", "-", "-", row.note))
            continue
        median = statistics.median(row.times)
        same = "-" if not row.same else f"{sum(row.same)}/{len(row.same)}"
        if row.note:
            same = f"{same} ({row.note})"
        lines.append(
            table_row(
                row.solver,
                len(row.times),
                format_time(median),
                ratio(median, base, at_least=row.timed_out),
                same,
            )
        )
    return "\n".join(lines)


#: One random 3x3 game (non-degenerate), written out so that both interpreters solve it.
FIRST_GAME = (
    "A = np.random.default_rng(3).random((3, 3)); B = np.random.default_rng(4).random((3, 3))"
)
FIRST_CALLS = {
    "powergames": (
        f"import numpy as np, powergames as pg\n{FIRST_GAME}\npg.equilibria(pg.Game(A, B))"
    ),
    "quantecon": (
        f"import numpy as np, quantecon.game_theory as gt\n{FIRST_GAME}\n"
        "gt.support_enumeration(gt.NormalFormGame((gt.Player(A), gt.Player(B.T))))"
    ),
}


def first_call(library: str) -> tuple[float, float]:
    """Wall and processor time of a fresh interpreter that imports ``library`` and
    solves one 3x3 game, less those of an interpreter that only imports numpy."""

    def run(code: str) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu

    base = min((run("import numpy") for _ in range(3)), key=lambda t: t[1])
    best = min((run(FIRST_CALLS[library]) for _ in range(3)), key=lambda t: t[1])
    return best[0] - base[0], best[1] - base[1]


def report_first_calls() -> str:
    lines = [
        "### First call in a fresh interpreter (import and one 3x3 game, beyond numpy's import)",
        "",
        table_header("library", "wall time", "processor time", "ratio to powergames (processor)"),
    ]
    ours = first_call("powergames")
    lines.append(table_row("powergames", format_time(ours[0]), format_time(ours[1]), "1.0x"))
    if available("quantecon"):
        peer = first_call("quantecon")
        lines.append(
            table_row(
                "quantecon (numba compiles)",
                format_time(peer[0]),
                format_time(peer[1]),
                ratio(peer[1], ours[1]),
            )
        )
    return "\n".join(lines)


def main() -> None:
    args = options(__doc__, "fewer games")
    many = 5 if args.quick else 30
    slow_timeout = 20.0 if args.quick else 120.0
    warnings.simplefilter("ignore")  # peers warn on their own numerics

    print(
        f"python {platform.python_version()}, numpy {np.__version__}, powergames {pg.__version__}"
    )
    for module in ("nashpy", "quantecon", "numba", "pygambit"):
        if available(module):
            print(f"{module} {__import__(module).__version__}")
    print()

    cases = [
        (
            "All equilibria of a random 8x8 game",
            random_games(many, 8, 8, seed=8),
            "powergames auto (vertex)",
            [
                ("quantecon support", many, 0),
                ("quantecon vertex", many, 0),
                ("pygambit enummixed (float)", many, 0),
                ("nashpy support", 1 if args.quick else 3, slow_timeout),
            ],
            ["powergames support"],
        ),
        *(
            (
                f"All equilibria of a random {size}x{size} game (one call per game)",
                random_games(many * 10, size, size, seed=size),
                "powergames auto (vertex)",
                [
                    ("quantecon support", many * 10, 0),
                    ("pygambit enummixed (float)", many * 10, 0),
                    ("nashpy support", many * (10 if size < 4 else 1), 0),
                ],
                ["powergames support"],
            )
            for size in (2, 3, 4)
        ),
        (
            "One equilibrium of a random 100x100 game by Lemke-Howson (label 0)",
            random_games(many, 100, 100, seed=100),
            "powergames lemke-howson",
            [
                ("quantecon lemke-howson", many, 0),
                ("nashpy lemke-howson", 1, slow_timeout),
            ],
            [],
        ),
    ]
    for title, games, reference, peers, ours in cases:
        title, rows = bench_case(title, games, reference, peers, ours)
        print(report(title, rows, reference))
        print()
    print(report_first_calls())


if __name__ == "__main__":
    main()
