"""Streaming a sweep to a file chunk by chunk, with a sidecar file that lets an
interrupted sweep resume where it stopped."""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any

from numpy.typing import NDArray

from powergames.errors import InvalidParameterError
from powergames.tables.grid import Grid

__all__ = ["Writer", "fingerprint"]


def fingerprint(model: Any, grid: Grid, names: list[str], chunk_size: int) -> str:
    """What identifies a sweep for resuming: the model, the grid, the columns."""
    description = json.dumps(
        {
            "model": repr(model),
            "grid": grid.describe(),
            "columns": names,
            "chunk_size": chunk_size,
        },
        sort_keys=True,
    )
    return hashlib.sha256(description.encode()).hexdigest()


_ROWS_PER_WRITE = 4096


class Writer:
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
