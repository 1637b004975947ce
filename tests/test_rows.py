"""CSV and JSON lines formatted column by column are byte for byte what the standard
library writes row by row (the way tables and sweeps wrote them before)."""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from powergames.tables import Table
from powergames.tables.rows import csv_header, csv_rows, jsonl_rows


def reference_csv(data, names):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(zip(*[data[n].tolist() for n in names], strict=True))
    return buffer.getvalue()


def reference_jsonl(data, names):
    lines = []
    for row in zip(*[data[n].tolist() for n in names], strict=True):
        record = {
            n: (None if isinstance(v, float) and not math.isfinite(v) else v)
            for n, v in zip(names, row, strict=True)
        }
        lines.append(json.dumps(record) + "\n")
    return "".join(lines)


# Values that repeat (as sweeps' columns do) and values that do not.
floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True),
    st.sampled_from([0.0, -0.0, 1e16, 1e-5, 0.1, 3.0, 1e-300, -3.08149e-33]),
)
texts = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["", " ", "a,b", 'say "hi"', "line\nbreak", "cr\r", "é", "x|y", "\t"]),
)


@st.composite
def tables(draw):
    rows = draw(st.integers(0, 12))
    kinds = draw(
        st.lists(st.sampled_from(["f8", "f4", "i8", "u1", "b", "U", "O"]), min_size=1, max_size=5)
    )
    data = {}
    for k, kind in enumerate(kinds):
        name = draw(st.sampled_from([f"c{k}", f"col {k}", f'q"{k}', f"c,{k}", f"é{k}"]))
        if kind == "f8":
            values = np.array(draw(st.lists(floats, min_size=rows, max_size=rows)), dtype=kind)
        elif kind == "f4":
            single = st.floats(width=32, allow_nan=True, allow_infinity=True)
            values = np.array(draw(st.lists(single, min_size=rows, max_size=rows)), dtype=kind)
        elif kind == "i8":
            values = draw(hnp.arrays(np.int64, rows))
        elif kind == "u1":
            values = draw(hnp.arrays(np.uint8, rows))
        elif kind == "b":
            values = draw(hnp.arrays(np.bool_, rows))
        elif kind == "U":
            values = np.array(draw(st.lists(texts, min_size=rows, max_size=rows)), dtype=str)
            values = values.reshape(rows)
        else:
            items = draw(
                st.lists(
                    st.one_of(texts, floats, st.none(), st.integers()), min_size=rows, max_size=rows
                )
            )
            values = np.empty(rows, dtype=object)
            values[:] = items
        data[name] = values
    return data


@given(tables())
def test_csv_is_what_the_csv_module_writes(data):
    names = list(data)
    assert csv_header(names) + csv_rows(data, names) == reference_csv(data, names)


@given(tables())
def test_json_lines_are_what_json_dumps_writes(data):
    names = list(data)
    assert jsonl_rows(data, names) == reference_jsonl(data, names)


@given(tables())
def test_a_table_writes_the_same_csv(data):
    table = Table(data)
    assert table.to_csv() == reference_csv(table.data, list(table.names))


def test_a_single_column_of_empty_strings():
    data = {"s": np.array(["", "a", ""])}
    assert csv_rows(data, ["s"]) == '""\na\n""\n' == reference_csv(data, ["s"])[2:]
