"""A :class:`~powergames.tables.Table` as Markdown, CSV, JSON, LaTeX, a pandas
DataFrame or an xarray Dataset, and the formatting of its cells.

Displayed cells (Markdown, LaTeX, HTML) show numbers with a few significant digits:
NaN as ``nan``, infinities as ``inf`` and ``-inf``, and zero as ``0`` whatever its
sign; a value smaller than :data:`ROUND_OFF` times the largest magnitude of its
column is round-off and shows as ``0`` (``-3.08e-33`` beside values near 1). CSV and
JSON keep every value exactly (JSON writes NaN and infinities as null).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from powergames.tables import rows

if TYPE_CHECKING:  # pragma: no cover
    from powergames.tables.table import Table

__all__ = [
    "ROUND_OFF",
    "cell_text",
    "display_cells",
    "is_numeric",
    "latex_escape",
    "to_csv",
    "to_json",
    "to_latex",
    "to_markdown",
    "to_pandas",
    "to_xarray",
]

#: Displayed values below this fraction of their column's largest magnitude are
#: round-off: they show as 0 (a little above the relative precision of float64 after
#: a few operations).
ROUND_OFF = 1e-12


def is_numeric(values: NDArray[Any]) -> bool:
    """Whether a column holds numbers (or booleans): right-aligned in Markdown and LaTeX."""
    return values.dtype.kind in "fiub"


def cell_text(value: Any, digits: int = 6) -> str:
    """A cell as display text: numbers with ``digits`` significant digits.

    Examples
    --------
    >>> cell_text(0.123456789, 3), cell_text(float("inf")), cell_text(True)
    ('0.123', 'inf', 'True')
    >>> cell_text(float("nan")), cell_text(-0.0)
    ('nan', '0')
    """
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return f"{value + 0.0:.{digits}g}"  # + 0.0: -0.0 shows as 0
    return str(value)


def display_cells(values: NDArray[Any], digits: int = 6) -> list[str]:
    """A column's cells as display text (:func:`cell_text`), round-off cleaned: values
    below :data:`ROUND_OFF` times the column's largest finite magnitude show as 0.

    Examples
    --------
    >>> display_cells(np.array([8.0, -3.08149e-33, np.nan]))
    ['8', '0', 'nan']
    >>> display_cells(np.array([1e-30, 2e-30]))  # small, but not round-off
    ['1e-30', '2e-30']
    """
    if values.dtype.kind == "f" and values.size:
        finite = np.abs(values[np.isfinite(values)])
        scale = finite.max() if finite.size else 0.0
        if scale > 0:
            values = np.where(np.abs(values) < ROUND_OFF * scale, 0.0, values)
    return [cell_text(v, digits) for v in values.tolist()]


def _markdown_cell(text: str) -> str:
    """A cell that cannot break a Markdown table: ``|`` escaped, line breaks as spaces."""
    return text.replace("|", "\\|").replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


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
    """A Markdown table (numbers with ``digits`` significant digits; ``|`` in a cell
    escaped).

    Examples
    --------
    >>> from powergames.tables import Table
    >>> print(to_markdown(Table({"label": ["a|b"], "x": [-0.0]})))
    | label | x |
    |:---|---:|
    | a\\|b | 0 |
    """
    header = "| " + " | ".join(_markdown_cell(n) for n in table.names) + " |"
    rule = "|" + "|".join("---:" if is_numeric(v) else ":---" for v in table.data.values()) + "|"
    lines = [header, rule]
    cells = [[_markdown_cell(c) for c in display_cells(v, digits)] for v in table.data.values()]
    lines += ["| " + " | ".join(row) + " |" for row in zip(*cells, strict=True)]
    return "\n".join(lines)


def to_csv(table: Table, path: str | Path | None = None) -> str:
    """CSV text (full precision); also written to ``path`` when given."""
    text = rows.csv_header(table.names) + rows.csv_rows(table.data, table.names)
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def to_json(table: Table, path: str | Path | None = None) -> str:
    """JSON: ``{"title", "columns" (name, unit, meaning), "rows"}``; NaN and infinities
    become null."""
    document = {
        "title": table.title,
        "columns": [c.metadata() for c in table.columns],
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
    cells = [[latex_escape(c) for c in display_cells(v, digits)] for v in table.data.values()]
    lines += [" & ".join(row) + r" \\" for row in zip(*cells, strict=True)]
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
    frame.attrs["columns"] = {c.name: c.metadata() for c in table.columns}
    frame.attrs["title"] = table.title
    return frame


def to_xarray(table: Table) -> Any:
    """An :class:`xarray.Dataset` of a gridded sweep; see :meth:`Table.to_xarray
    <powergames.tables.Table.to_xarray>`."""
    from powergames.errors import InvalidParameterError

    grid = table.grid
    if grid is None or len(table) != grid.size:
        raise InvalidParameterError(
            "to_xarray needs the table of a gridded sweep, with every row "
            "(not filtered, sorted or pivoted since)"
        )
    try:
        import xarray as xr
    except ImportError:
        raise ImportError("to_xarray needs xarray: pip install 'powergames[xarray]'") from None
    meta = {c.name: c.metadata() for c in table.columns}

    def attributes(name: str) -> dict[str, str]:
        fields = meta.get(name, {"name": name})
        return {key: value for key, value in fields.items() if key != "name" and value}

    if grid.product:
        dims = list(grid.names)
        coords = {n: (n, axis, attributes(n)) for n, axis in grid.axes.items()}
    else:
        dims = ["point"]
        coords = {n: ("point", axis, attributes(n)) for n, axis in grid.axes.items()}
    variables = {
        name: (dims, values.reshape(grid.shape), attributes(name))
        for name, values in table.data.items()
        if name not in grid.axes
    }
    return xr.Dataset(variables, coords=coords, attrs={"title": table.title} if table.title else {})
