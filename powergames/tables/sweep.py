"""``sweep``: a model evaluated over a parameter grid, in chunks, possibly in parallel
and streamed to a file, into a :class:`Table`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from powergames.errors import InvalidParameterError
from powergames.tables._resume import Writer, fingerprint
from powergames.tables.grid import Grid
from powergames.tables.table import Column, Table

__all__ = ["CHUNK_SIZE", "Model", "as_model", "register_adapter", "sweep"]

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


#: Adapters that make other objects sweepable (each returns a Model, or None when the
#: object is not its kind); see :func:`register_adapter`.
_ADAPTERS: list[Callable[[Any], Model | None]] = []


def register_adapter(adapter: Callable[[Any], Model | None]) -> None:
    """Let :func:`sweep` take objects of another kind: ``adapter(obj)`` returns a
    :class:`Model` for the objects it knows and None for the others."""
    _ADAPTERS.append(adapter)


def as_model(obj: Any) -> Model:
    """``obj`` as a :class:`Model`: itself when it has the interface, else what the
    first adapter that knows it makes of it.

    Raises
    ------
    InvalidParameterError
        When no adapter knows the object.
    """
    if hasattr(obj, "compute") and hasattr(obj, "columns"):
        return obj  # type: ignore[no-any-return]
    for adapter in _ADAPTERS:
        model = adapter(obj)
        if model is not None:
            return model
    raise InvalidParameterError(
        f"model must be Parameters, a Scenario or a model with compute(); got {type(obj).__name__}"
    )


def _compute_chunk(
    model: Model, points: Mapping[str, NDArray[Any]], names: Sequence[str]
) -> dict[str, NDArray[Any]]:
    return model.compute(points, names)


def sweep(
    model: Any,
    grid: Mapping[str, Any] | Grid,
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
    | 0.2 | 0.8 | donor-beneficiary | inf |
    | 0.5 | 0.8 | partnership | 0 |
    """
    the_model = as_model(model)
    points = grid if isinstance(grid, Grid) else Grid(grid, product=product)
    unknown = sorted(set(points.names) - set(the_model.parameter_names))
    if unknown:
        raise InvalidParameterError(
            f"unknown grid parameter(s) {', '.join(unknown)}; the parameters are "
            f"{', '.join(the_model.parameter_names)}"
        )
    wanted = list(the_model.default_columns if columns is None else columns)
    names = list(points.names) + [c for c in wanted if c not in points.names]
    bad = sorted(set(names) - set(the_model.columns))
    if bad:
        raise InvalidParameterError(
            f"unknown column(s) {', '.join(bad)}; the columns are {', '.join(the_model.columns)}"
        )
    if not (isinstance(chunk_size, int) and chunk_size > 0):
        raise InvalidParameterError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    total = points.size
    meta = [the_model.columns[n] for n in names]
    title = str(getattr(model, "title", "") or "")  # a scenario titles its tables
    report = _progress(progress, total, points.count_chunks(chunk_size))

    if out is None:
        if resume:
            raise InvalidParameterError("resume needs an output file (out=...)")
        parts = list(_run(the_model, points, points.chunks(chunk_size), names, executor, report))
        data = {n: np.concatenate([p[n] for p in parts]) if parts else np.zeros(0) for n in names}
        return Table(data, meta, title)

    path = Path(out)
    writer = Writer(path, names, fingerprint(the_model, points, names, chunk_size))
    done = writer.open(resume, chunk_size)
    report(min(done * chunk_size, total))
    chunks = points.chunks(chunk_size, first=done)
    for part in _run(the_model, points, chunks, names, executor, report):
        writer.write(part)
    writer.close()
    reader = Table.read_jsonl if path.suffix == ".jsonl" else Table.read_csv
    return Table(columns=meta, title=title, loader=lambda: reader(path).data)


def _run(
    model: Model,
    grid: Grid,
    chunks: Iterator[tuple[int, int]],
    names: list[str],
    executor: Executor | None,
    report: Callable[[int], None],
) -> Iterator[dict[str, NDArray[Any]]]:
    """The chunks' columns, in grid order (computed in the executor when given)."""
    if executor is None:
        for start, stop in chunks:
            yield _compute_chunk(model, grid.points(start, stop), names)
            report(stop)
        return
    futures = [
        (stop, executor.submit(_compute_chunk, model, grid.points(start, stop), names))
        for start, stop in chunks
    ]
    for stop, future in futures:
        yield future.result()
        report(stop)


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
