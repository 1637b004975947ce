"""Whether a change to the solvers leaves their results byte for byte the same.

A speed change must not change an equilibrium, its order or a float of it. This
script solves a fixed set of games (random and tied payoffs of every shape from 1x1
to 6x6, payoffs near 1e300 and 1e-300, all-zero games; batches of 400 games from 2x2
to 6x6) with every enumeration method, Lemke-Howson and ``solve_batch``, and stores
the results' bytes; a second command compares two such files.

    python benchmarks/same_results.py dump before.pickle    # on the old version
    python benchmarks/same_results.py dump after.pickle     # on the new one
    python benchmarks/same_results.py compare before.pickle after.pickle

To run the old version, check it out in a worktree and put it first on the path
(``PYTHONPATH=<worktree>``). The comparison exits with status 1 when a record differs.

This is a tool for changes that should change nothing, not a test: floats may differ
between machines and library versions, so no reference file is kept.
"""

from __future__ import annotations

import pickle
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np

import powergames as pg
from powergames import lemke_howson, solve_batch

Record = tuple[tuple[Any, ...], Any]


def _games(rng: np.random.Generator) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    for m in range(1, 7):
        for n in range(1, 7):
            for _ in range(6 if m * n <= 16 else 3):
                yield rng.random((m, n)), rng.random((m, n))
                yield (
                    rng.integers(0, 3, (m, n)).astype(float),
                    rng.integers(0, 3, (m, n)).astype(float),
                )
            yield rng.random((m, n)) * 1e300, rng.random((m, n)) * 1e-300
            yield np.zeros((m, n)), rng.integers(0, 2, (m, n)).astype(float)


def _profiles(found: list[pg.Equilibrium]) -> list[Any]:
    return [(tuple(s.tobytes() for s in e.strategies), e.payoffs) for e in found]


def _attempt(key: tuple[Any, ...], solve: Any, *arguments: Any) -> Record:
    """``key`` with the profiles ``solve(*arguments)`` finds, or with its error (an error
    is a result too: it must not change either)."""
    try:
        found = solve(*arguments)
    except Exception as error:
        return key, repr(error)
    return key, _profiles(found if isinstance(found, list) else [found])


def records() -> list[Record]:
    """The results of every solver on the fixed set of games."""
    rng = np.random.default_rng(12345)
    out: list[Record] = []
    for i, (A, B) in enumerate(_games(rng)):
        game = pg.Game(A, B)
        for method in ("vertex", "support"):
            out.append(_attempt(("single", i, method), pg.equilibria, game, method))
        out.append(_attempt(("lemke-howson", i), lemke_howson, game, 0))
    for m, n in [(2, 2), (3, 3), (4, 4), (2, 5), (5, 3), (6, 6)]:
        for kind in ("random", "ties"):
            if kind == "random":
                As, Bs = rng.random((400, m, n)), rng.random((400, m, n))
            else:
                As = rng.integers(0, 3, (400, m, n)).astype(float)
                Bs = rng.integers(0, 3, (400, m, n)).astype(float)
            for method in ("support", "vertex"):
                batch = solve_batch(As, Bs, method)
                arrays = (batch.game, batch.row, batch.col, batch.payoffs, batch.degenerate)
                out.append((("batch", m, n, kind, method), [a.tobytes() for a in arrays]))
    return out


def main(arguments: list[str]) -> int:
    if len(arguments) == 2 and arguments[0] == "dump":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = records()
        with open(arguments[1], "wb") as stream:
            pickle.dump(found, stream)
        print(f"{len(found)} records written to {arguments[1]}")
        return 0
    if len(arguments) == 3 and arguments[0] == "compare":
        with open(arguments[1], "rb") as first, open(arguments[2], "rb") as second:
            before, after = pickle.load(first), pickle.load(second)
        if [key for key, _ in before] != [key for key, _ in after]:
            print("the two files do not hold the same records")
            return 1
        differ = [key for (key, a), (_, b) in zip(before, after, strict=True) if a != b]
        print(f"{len(before)} records, {len(differ)} differ{': ' if differ else ''}", end="")
        print(", ".join(map(str, differ[:10])))
        return 1 if differ else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
