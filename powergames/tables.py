"""``sweep``: a model evaluated over a parameter grid, in chunks, possibly in parallel
and streamed to a file, into a :class:`Table`."""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from powergames.errors import InvalidParameterError
from powergames.table import Column, Table

__all__ = ["Model", "grid_points", "sweep"]

#: Grid points per chunk: each chunk is one vectorised evaluation, one task for an
#: executor, one unit written to the output file and skipped on resume.
CHUNK_SIZE = 65_536


class Model(Protocol):
    """What :func:`sweep` needs of a model: its parameters, its columns (with their
    metadata) and a vectorised ``compute``."""

    @property
    def parameter_names(self) -> tuple[str, ...]: ...

    @property
    def columns(self) -> dict[str, Column]: ...

    @property
    def default_columns(self) -> tuple[str, ...]: ...

    def compute(
        self, points: Mapping[str, NDArray[Any]], names: Sequence[str]
    ) -> dict[str, NDArray[Any]]: ...


def _as_model(model: Any) -> Model:
    from powergames.partnership.columns import PartnershipModel
    from powergames.partnership.parameters import Parameters
    from powergames.partnership.scenario import Scenario

    if isinstance(model, Scenario):
        return PartnershipModel(model.parameters)
    if isinstance(model, Parameters):
        return PartnershipModel(model)
    if hasattr(model, "compute") and hasattr(model, "columns"):
        return model  # type: ignore[no-any-return]
    raise InvalidParameterError(
        "model must be Parameters, a Scenario or a model with compute(); "
        f"got {type(model).__name__}"
    )


def _as_axis(name: str, values: Any) -> NDArray[np.float64]:
    if isinstance(values, str):
        from powergames.gridspec import parse_grid_spec

        return parse_grid_spec(values)
    array = np.atleast_1d(np.asarray(values, dtype=np.float64))
    if array.ndim != 1 or array.size == 0:
        raise InvalidParameterError(f"grid[{name!r}] must be a non-empty 1-D list of values")
    return array


def grid_points(
    grid: Mapping[str, Any], start: int, stop: int, *, product: bool = True
) -> dict[str, NDArray[np.float64]]:
    """The points ``start .. stop - 1`` of a grid, in C order over the parameters (the
    last varies fastest) for a full product, else position by position.

    Examples
    --------
    >>> grid_points({"x": [1, 2], "y": [10, 20, 30]}, 2, 5)
    {'x': array([1., 2., 2.]), 'y': array([30., 10., 20.])}
    """
    axes = {name: _as_axis(name, values) for name, values in grid.items()}
    if not axes:  # the empty grid has a single point: the model's own parameters
        return {}
    index = np.arange(start, stop)
    if not product:
        return {name: axis[index] for name, axis in axes.items()}
    shape = tuple(len(axis) for axis in axes.values())
    positions = np.unravel_index(index, shape)
    return {name: axis[k] for (name, axis), k in zip(axes.items(), positions, strict=True)}


def _size(grid: Mapping[str, Any], product: bool) -> int:
    lengths = [len(_as_axis(name, values)) for name, values in grid.items()]
    if not lengths:
        return 1
    if product:
        return math.prod(lengths)
    if len(set(lengths)) > 1:
        raise InvalidParameterError(
            f"zipped grids need equal lengths, got {dict(zip(grid, lengths, strict=True))}"
        )
    return lengths[0]


def _compute_chunk(
    model: Model,
    grid: Mapping[str, Any],
    start: int,
    stop: int,
    product: bool,
    names: Sequence[str],
) -> dict[str, NDArray[Any]]:
    points = grid_points(grid, start, stop, product=product)
    return model.compute(points, names)


def sweep(
    model: Any,
    grid: Mapping[str, Any],
    columns: Sequence[str] | None = None,
    *,
    product: bool = True,
    executor: Executor | None = None,
    out: str | os.PathLike[str] | None = None,
    resume: bool = False,
    progress: bool | Callable[[int, int], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Table:
    """Evaluate a model at every point of a parameter grid, as a table.

    Parameters
    ----------
    model : Parameters, Scenario or Model
        Parameters (or a scenario) give the partnership model at those values;
        anything with the :class:`Model` interface is swept as it is.
    grid : mapping of parameter name to values
        Values as a list or array, or a string ``"start:stop:num"`` (inclusive
        linspace).
    columns : sequence of str, optional
        The model's columns to compute (its defaults when omitted). The grid's
        parameters always come first.
    product : bool, default True
        True: every combination of the values (the last parameter varies fastest).
        False: the values are zipped, point by point (equal lengths).
    executor : concurrent.futures.Executor, optional
        Runs the chunks (a ``ProcessPoolExecutor``, or ``client.get_executor()`` of a
        ``dask.distributed`` client). The table is identical with or without one.
    out : path, optional
        Stream the rows to this file as chunks finish, in order: CSV, or JSON lines
        when the name ends in ``.jsonl``. The returned table then reads the file when
        first used, so memory stays bounded however large the grid.
    resume : bool, default False
        With ``out``: keep the chunks already written by an interrupted sweep of the
        same grid and columns, and compute only the rest.
    progress : bool or callable, optional
        A progress bar on standard error (tqdm when installed); by default only when
        standard error is a terminal and the sweep has several chunks. A callable is
        called with ``(points done, points in all)``.
    chunk_size : int, default 65,536

    Returns
    -------
    Table
        The grid's parameters, then the columns; titled by the scenario's title when
        ``model`` is a scenario.

    Raises
    ------
    InvalidParameterError
        For unknown parameters or columns, bad grids, or a resumed file that belongs
        to another sweep.

    Examples
    --------
    >>> from powergames.partnership import Parameters
    >>> table = sweep(Parameters(), {"discount_factor": [0.2, 0.5], "inherited_weight": [0.8]},
    ...               ["regime", "dilution"])
    >>> print(table.to_markdown(digits=3))
    | discount_factor | inherited_weight | regime | dilution |
    |---:|---:|:---|---:|
    | 0.2 | 0.8 | donor-beneficiary |  |
    | 0.5 | 0.8 | partnership | 0.05 |
    """
    the_model = _as_model(model)
    unknown = sorted(set(grid) - set(the_model.parameter_names))
    if unknown:
        raise InvalidParameterError(
            f"unknown grid parameter(s) {', '.join(unknown)}; the parameters are "
            f"{', '.join(the_model.parameter_names)}"
        )
    wanted = list(the_model.default_columns if columns is None else columns)
    names = list(grid) + [c for c in wanted if c not in grid]
    bad = sorted(set(names) - set(the_model.columns))
    if bad:
        raise InvalidParameterError(
            f"unknown column(s) {', '.join(bad)}; the columns are {', '.join(the_model.columns)}"
        )
    if not (isinstance(chunk_size, int) and chunk_size > 0):
        raise InvalidParameterError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    total = _size(grid, product)
    starts = list(range(0, total, chunk_size))
    meta = [the_model.columns[n] for n in names]
    title = str(getattr(model, "title", "") or "")  # a scenario titles its tables
    report = _progress(progress, total, len(starts))

    if out is None:
        if resume:
            raise InvalidParameterError("resume needs an output file (out=...)")
        parts = list(
            _run(the_model, grid, starts, total, chunk_size, product, names, executor, report)
        )
        data = {n: np.concatenate([p[n] for p in parts]) if parts else np.zeros(0) for n in names}
        return Table(data, meta, title)

    path = Path(out)
    writer = _Writer(path, names, _fingerprint(the_model, grid, names, product, chunk_size))
    done = writer.open(resume, chunk_size)
    report(min(done * chunk_size, total))
    for part in _run(
        the_model, grid, starts[done:], total, chunk_size, product, names, executor, report
    ):
        writer.write(part)
    writer.close()
    reader = Table.read_jsonl if path.suffix == ".jsonl" else Table.read_csv
    return Table(columns=meta, title=title, loader=lambda: reader(path).data)


def _run(
    model: Model,
    grid: Mapping[str, Any],
    starts: list[int],
    total: int,
    chunk_size: int,
    product: bool,
    names: list[str],
    executor: Executor | None,
    report: Callable[[int], None],
) -> Iterator[dict[str, NDArray[Any]]]:
    """The chunks' columns, in grid order (computed in the executor when given)."""
    if executor is None:
        for start in starts:
            stop = min(start + chunk_size, total)
            yield _compute_chunk(model, grid, start, stop, product, names)
            report(stop)
        return
    futures = [
        executor.submit(_compute_chunk, model, grid, s, min(s + chunk_size, total), product, names)
        for s in starts
    ]
    for start, future in zip(starts, futures, strict=True):
        yield future.result()
        report(min(start + chunk_size, total))


def _fingerprint(
    model: Model, grid: Mapping[str, Any], names: list[str], product: bool, chunk_size: int
) -> str:
    """What identifies a sweep for resuming: the model, the grid, the columns."""
    description = json.dumps(
        {
            "model": repr(model),
            "grid": {k: _as_axis(k, v).tolist() for k, v in grid.items()},
            "columns": names,
            "product": product,
            "chunk_size": chunk_size,
        },
        sort_keys=True,
    )
    return hashlib.sha256(description.encode()).hexdigest()


_ROWS_PER_WRITE = 4096


class _Writer:
    """Rows appended chunk by chunk to CSV or JSON lines, with a sidecar file that
    records the sweep's fingerprint and the chunks completed."""

    def __init__(self, path: Path, names: list[str], fingerprint: str) -> None:
        self.path, self.names, self.fingerprint = path, names, fingerprint
        self.sidecar = path.with_name(path.name + ".sweep.json")
        self.jsonl = path.suffix == ".jsonl"
        self.chunks = 0

    def open(self, resume: bool, chunk_size: int) -> int:
        """Open for writing; the number of chunks already done (resume)."""
        if resume and self.path.exists() and self.sidecar.exists():
            state = json.loads(self.sidecar.read_text(encoding="utf-8"))
            if state.get("fingerprint") != self.fingerprint:
                raise InvalidParameterError(
                    f"{self.path} was written by a different sweep (grid, columns or model); "
                    "remove it or write elsewhere"
                )
            self.chunks = int(state["chunks"])
            # Drop anything written after the last completed chunk (an interrupted write).
            with open(self.path, "r+b") as handle:
                handle.seek(int(state["bytes"]))
                handle.truncate()
            self.handle = open(self.path, "a", newline="", encoding="utf-8")
            return self.chunks
        self.handle = open(self.path, "w", newline="", encoding="utf-8")
        if not self.jsonl:
            csv.writer(self.handle, lineterminator="\n").writerow(self.names)
        self._save_state()
        return 0

    def write(self, part: dict[str, NDArray[Any]]) -> None:
        # Rows become Python objects a slice at a time: a chunk's columns as lists
        # would take several times the memory of its arrays.
        size = len(next(iter(part.values()))) if part else 0
        writer = csv.writer(self.handle, lineterminator="\n")
        for start in range(0, size, _ROWS_PER_WRITE):
            lists = [part[n][start : start + _ROWS_PER_WRITE].tolist() for n in self.names]
            if self.jsonl:
                for row in zip(*lists, strict=True):
                    record = {
                        n: (None if isinstance(v, float) and not math.isfinite(v) else v)
                        for n, v in zip(self.names, row, strict=True)
                    }
                    self.handle.write(json.dumps(record) + "\n")
            else:
                writer.writerows(zip(*lists, strict=True))
        self.chunks += 1
        self._save_state()

    def _save_state(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        state = {
            "fingerprint": self.fingerprint,
            "chunks": self.chunks,
            "bytes": self.handle.tell(),
        }
        temporary = self.sidecar.with_name(self.sidecar.name + ".tmp")
        temporary.write_text(json.dumps(state), encoding="utf-8")
        os.replace(temporary, self.sidecar)

    def close(self) -> None:
        self.handle.close()


def _progress(
    progress: bool | Callable[[int, int], None] | None, total: int, chunks: int
) -> Callable[[int], None]:
    if callable(progress):
        callback = progress
        return lambda done: callback(done, total)
    show = progress if progress is not None else (chunks > 1 and sys.stderr.isatty())
    if not show:
        return lambda done: None
    try:
        from tqdm import tqdm
    except ImportError:

        def plain(done: int) -> None:
            print(
                f"\rpowergames: {done}/{total} points",
                end="" if done < total else "\n",
                file=sys.stderr,
            )

        return plain
    bar = tqdm(total=total, unit="pt", file=sys.stderr)

    def update(done: int) -> None:
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update
