"""The files a sweep streams to, chosen by suffix: Parquet (``.parquet``, with pyarrow),
JSON lines (``.jsonl``), else CSV; and reading them back.

CSV and JSON lines are appended chunk by chunk. A Parquet file's metadata sits at its
end, so a file cut short is unreadable and cannot be appended to: the chunks are
spooled instead as an Arrow IPC stream (``FILE.spool``, one record batch per chunk,
appended and resumed like CSV), and the Parquet file, one row group per chunk, is
written from the spool when the sweep completes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from powergames.tables import rows
from powergames.tables._resume import Encoder, replace_with

__all__ = ["FORMATS", "CsvEncoder", "JsonLinesEncoder", "ParquetEncoder", "encoder_for", "read"]

#: The formats by suffix (any other suffix is CSV).
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}


class CsvEncoder(Encoder):
    """CSV with a header row; numbers in full precision (``repr``)."""

    name = "csv"

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)

    def header(self) -> bytes:
        return rows.csv_header(self.names).encode()

    def chunk(self, part: Mapping[str, NDArray[Any]], first: bool) -> bytes:
        return _by_slices(rows.csv_rows, part, self.names)


class JsonLinesEncoder(CsvEncoder):
    """One JSON object per row; NaN and infinities as null."""

    name = "jsonl"

    def header(self) -> bytes:
        return b""

    def chunk(self, part: Mapping[str, NDArray[Any]], first: bool) -> bytes:
        return _by_slices(rows.jsonl_rows, part, self.names)


#: Rows formatted at once: the text of a slice, a few times the size of its arrays,
#: is all the memory formatting takes beyond the chunk.
_SLICE = 16_384


def _by_slices(
    text: Callable[[Mapping[str, NDArray[Any]], Sequence[str]], str],
    part: Mapping[str, NDArray[Any]],
    names: Sequence[str],
) -> bytes:
    size = len(part[names[0]]) if names else 0
    return b"".join(
        text({n: part[n][start : start + _SLICE] for n in names}, names).encode()
        for start in range(0, size, _SLICE)
    )


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ImportError("Parquet files need pyarrow: pip install 'powergames[parquet]'") from None
    return pyarrow


class ParquetEncoder(CsvEncoder):
    """Parquet through an Arrow IPC spool: one record batch, then one row group, per
    chunk."""

    name = "parquet"

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(names)
        self.pa = _pyarrow()

    def spool(self, path: Path) -> Path:
        return path.with_name(path.name + ".spool")

    def header(self) -> bytes:
        return b""  # the schema comes with the first chunk: the columns' types

    def chunk(self, part: Mapping[str, NDArray[Any]], first: bool) -> bytes:
        columns = [_arrow_array(self.pa, part[n]) for n in self.names]
        batch = self.pa.record_batch(columns, self.names)
        body: bytes = batch.serialize().to_pybytes()
        return bytes(batch.schema.serialize().to_pybytes()) + body if first else body

    def complete(self, spool: Path, path: Path) -> None:
        pa, parquet = self.pa, self.pa.parquet

        def write(temporary: Path) -> None:
            # Read batch by batch from the file (a memory map would count the whole
            # spool in the process's resident memory).
            with pa.OSFile(str(spool)) as source:
                reader = pa.ipc.open_stream(source)
                with parquet.ParquetWriter(str(temporary), reader.schema) as writer:
                    for batch in reader:
                        writer.write_batch(batch, row_group_size=max(1, batch.num_rows))

        replace_with(path, write)
        spool.unlink()


def _arrow_array(pa: Any, values: NDArray[Any]) -> Any:
    """A column as an Arrow array, from its buffers: numbers without a copy, strings
    through their distinct values (and without ``pyarrow.array``, which imports
    pandas, a second's wait)."""
    n = len(values)
    kind = values.dtype.kind
    if kind in "fiu" and values.dtype.isnative:
        buffer = pa.py_buffer(np.ascontiguousarray(values))
        return pa.Array.from_buffers(pa.from_numpy_dtype(values.dtype), n, [None, buffer])
    if kind == "b":
        bits = np.packbits(values, bitorder="little")  # Arrow's booleans: one bit each
        return pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(bits)])
    found = rows.factorize(values) if kind == "U" else None
    if found is not None:
        first, inverse = found
        encoded = np.array([text.encode() for text in values[first].tolist()], dtype=object)
        picked = encoded[inverse]
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, picked), dtype=np.int64, count=n), out=offsets[1:])
        data = pa.py_buffer(b"".join(picked.tolist()))
        return pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(offsets), data])
    return pa.array(values.tolist())


def encoder_for(path: Path, names: Sequence[str]) -> CsvEncoder:
    """The encoder of the format that ``path``'s suffix names."""
    kind = FORMATS.get(path.suffix, "csv")
    encoders = {"csv": CsvEncoder, "jsonl": JsonLinesEncoder, "parquet": ParquetEncoder}
    return encoders[kind](names)


def read(path: Path) -> dict[str, NDArray[Any]]:
    """The columns of a file a sweep wrote."""
    from powergames.tables.table import Table

    if path.suffix == ".parquet":
        table = _pyarrow().parquet.read_table(str(path))
        data = {}
        for name, column in zip(table.column_names, table.columns, strict=True):
            values = column.to_numpy()
            data[name] = values.astype(str) if values.dtype == object else values
        return data
    reader = Table.read_jsonl if path.suffix == ".jsonl" else Table.read_csv
    return reader(path).data
