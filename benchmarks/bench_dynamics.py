"""The dynamic partnership model: how long its solution takes, and how the cost grows
with the grid.

Solves the historical-path scenario (three eras) on a 20 x 20 grid of legitimacy and
trust (1,200 states, 10,800 action profiles) and on a 40 x 40 grid (4,800 states):
building the stochastic game, Goldlücke & Kranz's policy elimination (rounds and
policy improvements), the split's linear programmes, and the whole. As a peer, the
dynamic programme of the highest joint payoff on the profiles left at the end, solved
by quantecon's DiscreteDP (policy iteration), against powergames' policy iteration on
the same programme. Last, the generic solver on Goldlücke & Kranz's Cournot game with
stochastic water reserves at delta = 0.9, beside the times their R package dyngame
reports for the same games (published, on another machine: context, not a ratio).
"""

from __future__ import annotations

import numpy as np
from _common import available, format_time, median_time, options, ratio, table_header, table_row

from powergames.partnership.dynamics import (
    StateGrid,
    dynamic_game,
    load_dynamic_preset,
    solve,
    split,
    window_enforcement,
)
from powergames.repeated import policy_elimination, policy_iteration


def fresh(points: int):
    """The historical path on a new grid (nothing cached)."""
    base = load_dynamic_preset("historical-path").model
    return base.with_grid(StateGrid.even(float(base.grid.legitimacy[-1]), points, points))


def stages(points: int, repeat: int) -> dict[str, object]:
    """Median times of each stage, and the counts of one solution."""
    built = dynamic_game(fresh(points))

    def eliminate():
        return policy_elimination(
            built.game, candidates=built.candidates, enforceable=window_enforcement(built)
        )

    equilibrium = eliminate()
    return {
        "states": built.game.n_states,
        "profiles": built.game.n_rows,
        "build": median_time(lambda: dynamic_game(fresh(points)), repeat),
        "eliminate": median_time(eliminate, repeat),
        "split": median_time(lambda: split(built, equilibrium), repeat),
        "solve": median_time(lambda: solve(fresh(points)), repeat),
        "rounds": equilibrium.rounds,
        "improvements": equilibrium.improvements,
        "built": built,
        "equilibrium": equilibrium,
    }


def peer(result: dict[str, object], repeat: int) -> tuple[float, float, bool] | None:
    """quantecon's DiscreteDP against powergames' policy iteration on step 1's programme."""
    if not available("quantecon"):
        return None
    import quantecon as qe
    import scipy.sparse as sparse

    built, equilibrium = result["built"], result["equilibrium"]
    game = built.game  # type: ignore[attr-defined]
    rows = np.flatnonzero(equilibrium.candidates)  # type: ignore[attr-defined]
    n, beta = game.n_states, game.discount_factor
    joint = game.payoffs.sum(axis=1)
    Q = game.transitions[rows]
    ended = np.maximum(0.0, 1 - np.asarray(Q.sum(axis=1)).ravel())
    Q = sparse.hstack([Q, sparse.csr_matrix(ended[:, None])])
    Q = sparse.vstack([Q, sparse.csr_matrix(([1.0], ([0], [n])), shape=(1, n + 1))]).tocsr()
    ddp = qe.markov.DiscreteDP(
        np.concatenate([(1 - beta) * joint[rows], [0.0]]),
        Q,
        beta,
        np.concatenate([game.state_of_row[rows], [n]]),
        np.concatenate([rows % 9, [0]]),
    )
    theirs = median_time(lambda: ddp.solve(method="policy_iteration"), repeat, warm_up=True)
    allowed = equilibrium.candidates  # type: ignore[attr-defined]
    ours = median_time(lambda: policy_iteration(game, joint, allowed=allowed), repeat)
    same = np.allclose(
        ddp.solve(method="policy_iteration").v[:n],
        policy_iteration(game, joint, allowed=allowed).values,
        rtol=1e-10,
        atol=1e-10,
    )
    return ours, theirs, bool(same)


#: dyngame's seconds for the Cournot game of each size at delta = 0.9 (Goldlücke & Kranz's
#: replication code, examples/article/4_4_ABS_vs_GK, "cournot_speed3").
DYNGAME_SECONDS = {5: 0.135, 10: 0.84, 15: 6.99, 20: 48.105}


def cournot_reserves(size: int, delta: float):
    """Their Cournot duopoly: reserves 0..size, demand size - q1 - q2, each reserve
    growing by a uniform integer in [0, ceil(size / 3)] (their speed test)."""
    import itertools

    import scipy.sparse as sparse

    from powergames.repeated import StochasticGame

    grow = range(0, -(-size // 3) + 1)
    states = list(itertools.product(range(size + 1), repeat=2))
    counts, payoffs, rows, cols = [], [], [], []
    for x1, x2 in states:
        counts.append((x1 + 1, x2 + 1))
        for q1, q2 in itertools.product(range(x1 + 1), range(x2 + 1)):
            price = max(size - q1 - q2, 0)
            payoffs.append((price * q1, price * q2))
            for a, b in itertools.product(grow, grow):
                rows.append(len(payoffs) - 1)
                cols.append(min(x1 - q1 + a, size) * (size + 1) + min(x2 - q2 + b, size))
    values = np.full(len(rows), 1 / len(grow) ** 2)
    matrix = sparse.coo_matrix((values, (rows, cols)), shape=(len(payoffs), len(states)))
    return StochasticGame.from_rows(
        np.array(counts), np.array(payoffs, float), matrix.tocsr(), delta
    )


def main() -> None:
    args = options(__doc__, "time each stage once instead of the median of three")
    repeat = 1 if args.quick else 3
    solve(load_dynamic_preset("historical-path").model)  # imports and first-call costs
    print(
        table_header(
            "grid",
            "states",
            "profiles",
            "build",
            "policy elimination",
            "rounds",
            "improvements",
            "split (LP)",
            "whole solve",
        )
    )
    results = {}
    for points in (20, 40):
        r = stages(points, repeat)
        results[points] = r
        print(
            table_row(
                f"{points} x {points} x 3",
                f"{r['states']:,}",
                f"{r['profiles']:,}",
                format_time(r["build"]),
                format_time(r["eliminate"]),
                r["rounds"],
                r["improvements"],
                format_time(r["split"]),
                format_time(r["solve"]),
            )
        )
    small, large = results[20], results[40]
    print(
        f"\n40 x 40 against 20 x 20: {large['states'] / small['states']:.0f}x the states, "
        f"{large['solve'] / small['solve']:.1f}x the time"
    )
    print("\nThe highest joint payoff's dynamic programme (step 1) on the profiles left:\n")
    print(
        table_header(
            "grid", "powergames policy_iteration", "quantecon DiscreteDP", "ratio", "same values"
        )
    )
    for points, r in results.items():
        compared = peer(r, repeat)
        if compared is None:
            print(table_row(f"{points} x {points} x 3", "-", "quantecon not installed", "-", "-"))
            continue
        ours, theirs, same = compared
        print(
            table_row(
                f"{points} x {points} x 3",
                format_time(ours),
                format_time(theirs),
                ratio(theirs, ours),
                same,
            )
        )
    print("\nGoldlücke & Kranz's Cournot game with water reserves, delta = 0.9:\n")
    print(table_header("size", "states", "profiles", "powergames", "dyngame (published)"))
    for size in (5, 10, 15) if args.quick else (5, 10, 15, 20):
        game = cournot_reserves(size, 0.9)
        seconds = median_time(lambda game=game: policy_elimination(game), repeat)
        print(
            table_row(
                size,
                f"{game.n_states:,}",
                f"{game.n_rows:,}",
                format_time(seconds),
                f"{DYNGAME_SECONDS[size]:g} s",
            )
        )


if __name__ == "__main__":
    main()
