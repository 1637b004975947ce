"""The nested game of actors swept over a 100 x 100 grid: vectorised backward induction
against the same table built point by point.

    python benchmarks/bench_actors.py [--quick]

Two grids at the social-economy preset, every column of the nested game:

1. the membership chooses its mobilisation (the whole backward induction: for each
   point, the candidates of stage 1, the funding bargain and the partnership at each),
   over the mobilisation cost x the conditionality cap;
2. the subgames after a given mobilisation (stages 2 and 3 only), over the
   mobilisation x the conditionality cap.

Each grid by ``sweep`` (one vectorised evaluation of the 10,000 points), against
``settle_nested`` called point by point on a random sample of the grid, scaled to the
grid; the two must give the same rows.
"""

from __future__ import annotations

import numpy as np
from _common import format_time, median_time, options, ratio, table_header, table_row, timed

from powergames.partnership.actors import settle_nested
from powergames.partnership.actors.presets import load_nested_preset
from powergames.tables import NestedModel, sweep
from powergames.tables.actors import COLUMNS


def agree(swept: object, alone: object) -> bool:
    """The same value in the table and point by point (NaN agreeing with NaN)."""
    if isinstance(alone, float) and np.isnan(alone):
        return bool(np.isnan(swept))  # type: ignore[arg-type]
    return bool(swept == alone)


def main() -> None:
    args = options(__doc__)
    size = 100
    preset = load_nested_preset("nested-social-economy")
    model = NestedModel(preset.parameters)
    columns = list(COLUMNS)
    grids = {
        "membership chooses (stages 1-3)": {
            "membership_mobilisation_cost": np.linspace(0.5, 60, size),
            "conditionality_cap": np.linspace(0, 2, size),
        },
        "mobilisation given (stages 2-3)": {
            "membership_mobilisation": np.linspace(0, 1, size),
            "conditionality_cap": np.linspace(0, 2, size),
        },
    }
    sweep(model, {"conditionality_cap": [1.0]}, columns)  # compile the closed forms once
    rng = np.random.default_rng(0)
    sample = 20 if args.quick else 100
    print(table_header("grid", "method", "per point", "whole grid", "ratio to sweep", "same rows"))
    for label, grid in grids.items():
        whole = median_time(lambda g=grid: sweep(model, g, columns), 1 if args.quick else 3)
        table = sweep(model, grid, columns)
        names = list(grid)
        picks = rng.integers(0, size * size, size=sample)

        def point_by_point(g=grid, n=names, chosen=picks):  # type: ignore[no-untyped-def]
            rows = []
            for k in chosen:
                i, j = divmod(int(k), size)
                values = {n[0]: float(g[n[0]][i]), n[1]: float(g[n[1]][j])}
                rows.append((int(k), settle_nested(preset.parameters.replace(**values))))
            return rows

        elapsed, rows = timed(point_by_point)
        same = sum(all(agree(table[name][k], row[name]) for name in COLUMNS) for k, row in rows)
        per_point = elapsed / sample
        n = size * size
        vectorised = (format_time(whole / n), format_time(whole), "1x", "-")
        print(table_row(label, "`sweep` (vectorised)", *vectorised))
        print(
            table_row(
                label,
                "`settle_nested`, point by point (scaled)",
                format_time(per_point),
                format_time(per_point * n),
                ratio(per_point * n, whole),
                f"{same}/{sample}",
            )
        )


if __name__ == "__main__":
    main()
