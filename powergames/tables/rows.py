"""Rows as CSV or JSON-lines text, formatted column by column.

The text is exactly what the standard library writes row by row (``csv.writer`` with
``lineterminator="\\n"``; ``json.dumps`` of each row's dictionary, NaN and infinities as
null), only faster: a column's distinct values are formatted once each (most columns
of a sweep repeat a few values: the grid's axes, the regimes, whatever does not depend
on every parameter), then the rows are joined in C loops (``str.join``) instead of
through the writer's per-field calls.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from itertools import repeat
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["csv_header", "csv_rows", "factorize", "jsonl_rows"]


def factorize(values: NDArray[Any]) -> tuple[NDArray[np.intp], NDArray[np.intp]] | None:
    """Where each distinct value of a column first occurs, and which distinct value each
    entry is, told apart by bit pattern (-0.0 and 0.0, or NaNs, as ``tolist`` tells
    them); None for columns of other kinds than numbers, booleans and text.

    Examples
    --------
    >>> first, inverse = factorize(np.array(["b", "a", "b"]))
    >>> np.array(["b", "a", "b"])[first][inverse].tolist()
    ['b', 'a', 'b']
    """
    kind, size = values.dtype.kind, values.dtype.itemsize
    if kind in "fiub" and size in (1, 2, 4, 8):
        key = np.ascontiguousarray(values).view(f"u{size}")
    elif kind == "U" and size:
        # Compared as raw bytes: twice as fast as comparing text, and the order of
        # the distinct values does not matter here.
        key = np.ascontiguousarray(values).view(np.dtype((np.void, size)))
    else:
        return None
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _tokens(values: NDArray[Any], text: Callable[[Any], str]) -> list[str]:
    """``text(v)`` for every value, computed once per distinct value."""
    if values.size == 0:
        return []
    found = factorize(values)
    if found is None:
        # Other kinds (objects, bytes), value by value: equal objects may print
        # apart (0.0 and -0.0, 1 and True).
        return [text(v) for v in values.tolist()]
    first, inverse = found
    formatted = np.array([text(v) for v in values[first].tolist()], dtype=object)
    return formatted[inverse].tolist()  # type: ignore[no-any-return]


class _CsvField:
    """One field as ``csv.writer`` writes it (quoted when it must be)."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")

    def __call__(self, value: Any) -> str:
        if value is None or (isinstance(value, str) and value == ""):
            return ""  # csv quotes an empty field only when it is alone in its row
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow([value])
        return self.buffer.getvalue()[:-1]


def _prefixed(prefix: str, text: Callable[[Any], str], value: Any) -> str:
    return prefix + text(value)


def _quoted_if_empty(text: Callable[[Any], str], value: Any) -> str:
    return text(value) or '""'


def csv_header(names: Sequence[str]) -> str:
    """The header row."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(names)
    return buffer.getvalue()


def csv_rows(data: Mapping[str, NDArray[Any]], names: Sequence[str]) -> str:
    """The rows of ``data`` as CSV, one line each (no header).

    Examples
    --------
    >>> print(csv_rows({"x": np.array([0.1, -0.0, np.inf]), "s": np.array(["a,b", "c", ""])},
    ...                ["x", "s"]), end="")
    0.1,"a,b"
    -0.0,c
    inf,
    """
    if not names:
        return ""
    field = _CsvField()
    columns: list[Iterable[str]] = []
    for k, name in enumerate(names):
        values = data[name]
        plain: Callable[[Any], str] = (
            str if values.dtype.kind == "b" else repr if values.dtype.kind in "fiu" else field
        )
        if len(names) == 1:  # a row of one empty field is written ""
            columns.append(_tokens(values, partial(_quoted_if_empty, plain)))
        else:
            columns.append(_tokens(values, partial(_prefixed, "," if k else "", plain)))
    return "".join(map("".join, zip(*columns, repeat("\n", len(data[names[0]])), strict=True)))


def _json_number(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "null"
    return json.dumps(value)


def jsonl_rows(data: Mapping[str, NDArray[Any]], names: Sequence[str]) -> str:
    """The rows of ``data`` as JSON lines: one object per row, NaN and infinities as
    null.

    Examples
    --------
    >>> print(jsonl_rows({"x": np.array([0.5, np.nan]), "ok": np.array([True, False])},
    ...                  ["x", "ok"]), end="")
    {"x": 0.5, "ok": true}
    {"x": null, "ok": false}
    """
    if not names:
        return ""
    columns: list[Iterable[str]] = []
    for k, name in enumerate(names):
        key = ("{" if k == 0 else ", ") + json.dumps(name) + ": "
        columns.append(_tokens(data[name], partial(_prefixed, key, _json_number)))
    rows = len(data[names[0]])
    return "".join(map("".join, zip(*columns, repeat("}\n", rows), strict=True)))
