"""Timing and reporting helpers the benchmarks share.

The benchmarks are scripts run from the repository root (``python
benchmarks/bench_equilibria.py``), so Python puts this folder on the path and they
import this module by name. It holds what each of them needs the same way: the
``--quick`` option, the wall time of one call and the median of several (after an
untimed warm-up call where asked), ratios and times as the tables print them, and the
lines of a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def options(doc: str, quick_help: str | None = None) -> argparse.Namespace:
    """The command line of a benchmark: its docstring's first line, and ``--quick``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    return parser.parse_args()


def timed(
    function: Callable[[], T], clock: Callable[[], float] = time.perf_counter
) -> tuple[float, T]:
    """The time of one call, in seconds, and what it returned: wall time by default,
    or by ``clock`` (``time.process_time``: the processor time of this process, which
    other jobs on a shared machine disturb far less than the wall time)."""
    start = clock()
    result = function()
    return clock() - start, result


def median_time(
    function: Callable[[], object],
    repeat: int,
    *,
    warm_up: bool = False,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """The median time of ``repeat`` calls (by ``clock``, as :func:`timed`), after one
    untimed call if ``warm_up`` (imports, caches, numba's compilation)."""
    if warm_up:
        function()
    return statistics.median(timed(function, clock)[0] for _ in range(repeat))


def ratio(peer: float, ours: float, digits: int = 1, *, at_least: bool = False) -> str:
    """``peer / ours`` as the tables print it: ``3.5x``, ``2,810x``, ``>= 40.0x`` (a
    lower bound, when the peer was stopped)."""
    return f"{'>= ' if at_least else ''}{peer / ours:,.{digits}f}x"


def format_time(seconds: float) -> str:
    """A duration with the unit that suits it: ``1.20 s``, ``4.86 ms``, ``930.2 us``."""
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} us"


def table_row(*cells: object) -> str:
    """One line of a Markdown table."""
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def table_header(*columns: str) -> str:
    """The first two lines of a Markdown table: the column names and the rule."""
    return table_row(*columns) + "\n|" + "---|" * len(columns)


def available(module: str) -> bool:
    """Whether an optional peer can be imported."""
    try:
        __import__(module)
    except ImportError:
        return False
    return True
