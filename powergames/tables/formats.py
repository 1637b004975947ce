"""The files a sweep streams to, chosen by suffix: JSON lines (``.jsonl``), else CSV;
and reading them back."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from numpy.typing import NDArray

from powergames.tables._resume import Encoder

__all__ = ["FORMATS", "encoder_for", "read"]

#: The formats by suffix (any other suffix is CSV).
FORMATS = {".csv": "csv", ".jsonl": "jsonl"}

# Rows become Python objects a slice at a time: a chunk's columns as lists would take
# several times the memory of its arrays.
_ROWS_PER_WRITE = 4096


class CsvEncoder(Encoder):
    """CSV with a header row; numbers in full precision (``repr``)."""

    name = "csv"

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)

    def header(self) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(self.names)
        return buffer.getvalue().encode()

    def chunk(self, part: Mapping[str, NDArray[Any]], first: bool) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        size = len(part[self.names[0]]) if self.names else 0
        for start in range(0, size, _ROWS_PER_WRITE):
            lists = [part[n][start : start + _ROWS_PER_WRITE].tolist() for n in self.names]
            writer.writerows(zip(*lists, strict=True))
        return buffer.getvalue().encode()


class JsonLinesEncoder(CsvEncoder):
    """One JSON object per row; NaN and infinities as null."""

    name = "jsonl"

    def header(self) -> bytes:
        return b""

    def chunk(self, part: Mapping[str, NDArray[Any]], first: bool) -> bytes:
        lines = []
        size = len(part[self.names[0]]) if self.names else 0
        for start in range(0, size, _ROWS_PER_WRITE):
            lists = [part[n][start : start + _ROWS_PER_WRITE].tolist() for n in self.names]
            for row in zip(*lists, strict=True):
                record = {
                    n: (None if isinstance(v, float) and not math.isfinite(v) else v)
                    for n, v in zip(self.names, row, strict=True)
                }
                lines.append(json.dumps(record) + "\n")
        return "".join(lines).encode()


def encoder_for(path: Path, names: Sequence[str]) -> CsvEncoder:
    """The encoder of the format that ``path``'s suffix names."""
    kind = FORMATS.get(path.suffix, "csv")
    return JsonLinesEncoder(names) if kind == "jsonl" else CsvEncoder(names)


def read(path: Path) -> dict[str, NDArray[Any]]:
    """The columns of a file a sweep wrote."""
    from powergames.tables.table import Table

    reader = Table.read_jsonl if path.suffix == ".jsonl" else Table.read_csv
    return reader(path).data
