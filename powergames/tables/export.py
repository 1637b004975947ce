"""A :class:`~powergames.tables.Table` as Markdown, CSV, JSON, LaTeX or a pandas
DataFrame, and the formatting of its cells."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:  # pragma: no cover
    from powergames.tables.table import Table

__all__ = [
    "cell_text",
    "is_numeric",
    "latex_escape",
    "to_csv",
    "to_json",
    "to_latex",
    "to_markdown",
    "to_pandas",
]


def is_numeric(values: NDArray[Any]) -> bool:
    """Whether a column holds numbers (or booleans): right-aligned in Markdown and LaTeX."""
    return values.dtype.kind in "fiub"


def cell_text(value: Any, digits: int = 6) -> str:
    """A cell as display text: numbers with ``digits`` significant digits.

    Examples
    --------
    >>> cell_text(0.123456789, 3), cell_text(float("inf")), cell_text(True)
    ('0.123', 'inf', 'True')
    """
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return f"{value:.{digits}g}"
    return str(value)


def json_value(value: Any) -> Any:
    """A cell as a JSON value: NaN and infinities become null (JSON has no such numbers)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


_LATEX_SPECIALS = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "{": r"\{",
        "}": r"\}",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)


def latex_escape(text: str) -> str:
    """``text`` typeset literally by LaTeX (one pass, so escapes are not escaped again).

    Examples
    --------
    >>> print(latex_escape("50% & a_1"))
    50\\% \\& a\\_1
    """
    return text.translate(_LATEX_SPECIALS)


def to_markdown(table: Table, digits: int = 6) -> str:
    """A Markdown table (numbers with ``digits`` significant digits)."""
    header = "| " + " | ".join(table.names) + " |"
    rule = "|" + "|".join("---:" if is_numeric(v) else ":---" for v in table.data.values()) + "|"
    lines = [header, rule]
    lists = {n: v.tolist() for n, v in table.data.items()}
    for k in range(len(table)):
        lines.append("| " + " | ".join(cell_text(lists[n][k], digits) for n in table.names) + " |")
    return "\n".join(lines)


def to_csv(table: Table, path: str | Path | None = None) -> str:
    """CSV text (full precision); also written to ``path`` when given."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.names)
    lists = [v.tolist() for v in table.data.values()]
    writer.writerows(zip(*lists, strict=True))
    text = buffer.getvalue()
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def to_json(table: Table, path: str | Path | None = None) -> str:
    """JSON: ``{"title", "columns" (name, unit, meaning), "rows"}``; NaN and infinities
    become null."""
    document = {
        "title": table.title,
        "columns": [c.__dict__ for c in table.columns],
        "rows": [{k: json_value(v) for k, v in row.items()} for row in table],
    }
    text = json.dumps(document, indent=2, allow_nan=False)
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def to_latex(
    table: Table, caption: str | None = None, label: str | None = None, digits: int = 4
) -> str:
    """A LaTeX ``table`` with booktabs rules; see :meth:`Table.to_latex
    <powergames.tables.Table.to_latex>`."""
    align = "".join("r" if is_numeric(v) else "l" for v in table.data.values())
    names = [latex_escape(n) for n in table.names]
    lines = [r"\begin{table}[ht]", r"\centering", rf"\begin{{tabular}}{{{align}}}", r"\toprule"]
    lines.append(" & ".join(names) + r" \\")
    units = [latex_escape(c.unit) for c in table.columns]
    if any(units):
        lines.append(" & ".join(f"({u})" if u else "" for u in units) + r" \\")
    lines.append(r"\midrule")
    lists = {n: v.tolist() for n, v in table.data.items()}
    for k in range(len(table)):
        cells = [latex_escape(cell_text(lists[n][k], digits)) for n in table.names]
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    if caption is None and table.title:
        caption = latex_escape(table.title)
    if caption:
        lines.append(rf"\caption{{{caption}}}")
    if label:
        lines.append(rf"\label{{{label}}}")
    lines.append(r"\end{table}")
    return "\n".join(lines)


def to_pandas(table: Table) -> Any:
    """A :class:`pandas.DataFrame` (pandas is an optional dependency), with the columns'
    metadata and the title in ``attrs``."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("to_pandas needs pandas: pip install pandas") from None
    frame = pd.DataFrame(table.data)
    frame.attrs["columns"] = {c.name: c.__dict__ for c in table.columns}
    frame.attrs["title"] = table.title
    return frame
