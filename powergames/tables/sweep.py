"""``sweep``: a model evaluated over a parameter grid, in chunks, possibly in parallel
and streamed to a file, into a :class:`Table`."""

from __future__ import annotations

import difflib
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from powergames.errors import InvalidParameterError
from powergames.tables import formats
from powergames.tables._resume import StreamWriter, fingerprint
from powergames.tables.grid import Grid
from powergames.tables.table import Column, Table, list_columns

__all__ = [
    "CHUNK_SIZE",
    "MAX_POINTS_IN_MEMORY",
    "Model",
    "as_model",
    "default_in_flight",
    "register_adapter",
    "sweep",
]

#: Grid points per chunk: each chunk is one vectorised evaluation, one task for an
#: executor, one unit written to the output file and skipped on resume.
CHUNK_SIZE = 65_536

#: The most grid points a table held in memory may have (and the largest chunk): ten
#: million points of twenty float columns take 1.6 GB. Larger grids stream to a file
#: (``out=``), in bounded memory whatever their size.
MAX_POINTS_IN_MEMORY = 10_000_000


class Model(Protocol):
    """What :func:`sweep` needs of a model: its parameters, its columns (with their
    metadata), a vectorised ``compute``, and its ``identity``: what defines it, as
    JSON-serialisable data (a name and the values of its parameters), which a
    streamed sweep records so that it resumes only a sweep of the same model."""

    @property
    def parameter_names(self) -> tuple[str, ...]: ...

    @property
    def columns(self) -> dict[str, Column]: ...

    @property
    def default_columns(self) -> tuple[str, ...]: ...

    def compute(
        self, points: Mapping[str, NDArray[Any]], names: Sequence[str]
    ) -> dict[str, NDArray[Any]]: ...

    def identity(self) -> dict[str, Any]: ...


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


def default_in_flight() -> int:
    """Chunks an executor holds at once by default: twice the processors, at least 4
    (enough to keep a local pool busy; pass ``in_flight`` for a larger cluster)."""
    return max(4, 2 * (os.cpu_count() or 1))


def _compute_chunk(
    model: Model, points: Mapping[str, NDArray[Any]], names: Sequence[str]
) -> dict[str, NDArray[Any]]:
    return model.compute(points, names)


def _suggestion(name: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1)
    return f"{name} (did you mean {close[0]}?)" if close else name


def _column_names(model: Model, grid: Grid, columns: Sequence[str] | str | None) -> list[str]:
    unknown = [n for n in grid.names if n not in model.parameter_names]
    if unknown:
        raise InvalidParameterError(
            f"unknown grid parameter(s) "
            f"{', '.join(_suggestion(n, model.parameter_names) for n in unknown)}; "
            f"the parameters are {', '.join(model.parameter_names)}"
        )
    if isinstance(columns, str):  # "regime,dilution", as on the command line
        columns = [name.strip() for name in columns.split(",")]
    wanted = list(model.default_columns if columns is None else columns)
    if any(not isinstance(n, str) or not n for n in wanted):
        raise InvalidParameterError(f"columns must be non-empty names, got {columns!r}")
    names = list(grid.names) + [c for c in wanted if c not in grid.names]
    bad = [n for n in names if n not in model.columns]
    if bad:
        raise InvalidParameterError(
            f"unknown column(s) {', '.join(_suggestion(n, list(model.columns)) for n in bad)}; "
            f"the columns, by group:\n{list_columns(list(model.columns.values()))}"
        )
    return names


def sweep(
    model: Any,
    grid: Mapping[str, Any] | Grid,
    columns: Sequence[str] | str | None = None,
    *,
    product: bool = True,
    executor: Executor | None = None,
    out: str | os.PathLike[str] | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool | Callable[[int, int], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
    in_flight: int | None = None,
) -> Table:
    """Evaluate a model at every point of a parameter grid, as a table.

    Parameters
    ----------
    model : Parameters, Scenario or Model
        Parameters (or a scenario) give the partnership model at those values;
        anything with the :class:`Model` interface is swept as it is.
    grid : mapping of parameter name to values, or Grid
        Values as a list or array, or a string ``"start:stop:num"`` (inclusive
        linspace).
    columns : sequence of str, or str, optional
        The model's columns to compute (its defaults when omitted), as names or one
        comma-separated string (``"regime,dilution"``). The grid's parameters always
        come first.
    product : bool, default True
        True: every combination of the values (the last parameter varies fastest).
        False: the values are zipped, point by point (equal lengths).
    executor : concurrent.futures.Executor, optional
        Runs the chunks (a ``ProcessPoolExecutor``, or ``client.get_executor()`` of a
        ``dask.distributed`` client). The table is identical with or without one.
    out : path, optional
        Stream the rows to this file as chunks finish, in order: JSON lines when the
        name ends in ``.jsonl``, else CSV. The returned table then reads the file when
        first used, so memory stays bounded however large the grid. A file that
        exists is refused unless ``overwrite`` or ``resume`` is given, and so is a
        file another sweep is writing.
    resume : bool, default False
        With ``out``: keep the chunks already written by an interrupted sweep of the
        same model, grid and columns, and compute only the rest. Refused when the
        file has no sidecar (nothing to resume), or changed since it was written.
    overwrite : bool, default False
        With ``out``: replace an existing file.
    progress : bool or callable, optional
        A progress bar on standard error (tqdm when installed); by default only when
        standard error is a terminal and the sweep has several chunks. A callable is
        called with ``(points done, points in all)``.
    chunk_size : int, default 65,536
        Points per chunk, at most :data:`MAX_POINTS_IN_MEMORY`.
    in_flight : int, optional
        With an executor: the most chunks submitted and not yet collected
        (``powergames.tables.sweep.default_in_flight`` by default), so memory stays bounded.

    Returns
    -------
    Table
        The grid's parameters, then the columns; titled by the scenario's title when
        ``model`` is a scenario.

    Raises
    ------
    InvalidParameterError
        For unknown parameters or columns, bad grids, or a grid of more than
        :data:`MAX_POINTS_IN_MEMORY` points without ``out``.
    OutputFileError
        For an output file that cannot be used (it exists, is locked by another
        sweep, or holds nothing this sweep can resume); the file is left as it was.

    Examples
    --------
    >>> from powergames.partnership import Parameters
    >>> table = sweep(Parameters(), {"discount_factor": [0.2, 0.5], "inherited_weight": [0.8]},
    ...               ["regime", "dilution"])
    >>> print(table.to_markdown(digits=3))
    | discount_factor | inherited_weight | regime | dilution |
    |---:|---:|:---|---:|
    | 0.2 | 0.8 | donor-beneficiary | nan |
    | 0.5 | 0.8 | partnership | 0.05 |
    """
    the_model = as_model(model)
    points = grid if isinstance(grid, Grid) else Grid(grid, product=product)
    names = _column_names(the_model, points, columns)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InvalidParameterError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    if chunk_size > MAX_POINTS_IN_MEMORY:
        raise InvalidParameterError(
            f"chunk_size must be at most {MAX_POINTS_IN_MEMORY:,} (MAX_POINTS_IN_MEMORY), "
            f"got {chunk_size:,}"
        )
    flight = default_in_flight() if in_flight is None else in_flight
    if isinstance(flight, bool) or not isinstance(flight, int) or flight < 1:
        raise InvalidParameterError(f"in_flight must be a positive integer, got {in_flight!r}")
    meta = [the_model.columns[n] for n in names]
    title = str(getattr(model, "title", "") or "")  # a scenario titles its tables
    total = points.size
    tasks = _Tasks(the_model, points, names, executor, flight)

    if out is None:
        if resume or overwrite:
            raise InvalidParameterError("resume and overwrite need an output file (out=...)")
        if total > MAX_POINTS_IN_MEMORY:
            raise InvalidParameterError(
                f"a table of {total:,} points is more than sweep holds in memory "
                f"({MAX_POINTS_IN_MEMORY:,} points, MAX_POINTS_IN_MEMORY): stream it to a "
                "file with out=... (any size, in bounded memory) or use a smaller grid"
            )
        report = _progress(progress, total, points.count_chunks(chunk_size))
        parts = list(tasks.run(points.chunks(chunk_size), report))
        data = {n: np.concatenate([p[n] for p in parts]) if parts else np.zeros(0) for n in names}
        return Table(data, meta, title, grid=points)

    if resume and overwrite:
        raise InvalidParameterError("resume and overwrite exclude each other: choose one")
    path = Path(out)
    encoder = formats.encoder_for(path, names)
    identity = getattr(the_model, "identity", None)
    key = fingerprint(
        identity() if callable(identity) else None,
        {
            "grid": points.fingerprint(),
            "columns": names,
            "format": encoder.name,
            "chunk_size": chunk_size,
        },
    )
    with StreamWriter(path, encoder, key, resume=resume, overwrite=overwrite) as writer:
        report = _progress(progress, total, points.count_chunks(chunk_size) - writer.chunks)
        report(min(writer.chunks * chunk_size, total))
        for part in tasks.run(points.chunks(chunk_size, first=writer.chunks), report):
            writer.write(part)
        writer.finish()
    return Table(columns=meta, title=title, grid=points, loader=lambda: formats.read(path))


class _Tasks:
    """The chunks' columns, in grid order: computed here, or in an executor with at
    most ``in_flight`` chunks submitted and not yet collected."""

    def __init__(
        self,
        model: Model,
        grid: Grid,
        names: list[str],
        executor: Executor | None,
        in_flight: int,
    ) -> None:
        self.model, self.grid, self.names = model, grid, names
        self.executor, self.in_flight = executor, in_flight

    def run(
        self, chunks: Iterator[tuple[int, int]], report: Callable[[int], None]
    ) -> Iterator[dict[str, NDArray[Any]]]:
        if self.executor is None:
            for start, stop in chunks:
                yield _compute_chunk(self.model, self.grid.points(start, stop), self.names)
                report(stop)
            return
        pending: deque[tuple[int, Future[dict[str, NDArray[Any]]]]] = deque()
        try:
            for start, stop in chunks:
                points = self.grid.points(start, stop)
                future = self.executor.submit(_compute_chunk, self.model, points, self.names)
                pending.append((stop, future))
                if len(pending) >= self.in_flight:
                    done, oldest = pending.popleft()
                    yield oldest.result()
                    report(done)
            while pending:
                done, oldest = pending.popleft()
                yield oldest.result()
                report(done)
        finally:
            for _, future in pending:  # the sweep stopped early: drop what is queued
                future.cancel()


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
