"""Plain-text, Markdown and HTML rendering of small records, shared by every result a
user looks at in a terminal or a notebook (one rendering, several outputs).

Numbers are shown with six significant digits; ``-0.0`` prints as ``0``, and a value
below ``1e-12`` of the scale it is compared with (round-off such as ``-3.08e-33`` next
to payoffs of order 1) prints as ``0``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

__all__ = ["format_number", "html_table", "markdown_table", "text_table"]

#: Below this fraction of the scale, a number is round-off and prints as 0.
ROUND_OFF = 1e-12


def format_number(value: Any, scale: float = 1.0, digits: int = 6) -> str:
    """A number as a short string: ``digits`` significant digits, ``0`` for ``-0.0`` and
    for round-off below ``ROUND_OFF * scale``, ``nan``/``inf``/``-inf`` spelled out.
    Anything that is not a real number is returned as ``str(value)``.

    Examples
    --------
    >>> format_number(2 / 3), format_number(-0.0), format_number(-3.08e-33)
    ('0.666667', '0', '0')
    >>> format_number(float("inf")), format_number(True), format_number("dilute")
    ('inf', 'True', 'dilute')
    """
    if isinstance(value, bool) or (not isinstance(value, (int, float)) and not _is_real(value)):
        return str(value)
    number = float(value)
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    if abs(number) < ROUND_OFF * max(abs(scale), 1e-300) or number == 0:
        return "0"
    return f"{number:.{digits}g}"


def _is_real(value: Any) -> bool:
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a dependency
        return False
    return isinstance(value, (np.floating, np.integer))


def _cells(rows: Sequence[Sequence[Any]]) -> list[list[str]]:
    return [[format_number(cell) for cell in row] for row in rows]


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table; ``|`` inside a cell is escaped.

    Examples
    --------
    >>> print(markdown_table(["name", "value"], [["a|b", 0.5]]))
    | name | value |
    |---|---|
    | a\\|b | 0.5 |
    """

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

    return "\n".join(
        [line(list(header)), "|" + "---|" * len(header), *(line(r) for r in _cells(rows))]
    )


def html_table(header: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = "") -> str:
    """An HTML table (cells escaped), for notebooks' ``_repr_html_``.

    Examples
    --------
    >>> html_table(["x"], [["<b>"]])
    '<table><thead><tr><th>x</th></tr></thead><tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>'
    """
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in _cells(rows)
    )
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def text_table(rows: Sequence[Sequence[Any]]) -> str:
    """Rows of cells as aligned plain text (two spaces between columns).

    Examples
    --------
    >>> print(text_table([["regime", "partnership"], ["dilution", 0.15]]))
    regime    partnership
    dilution  0.15
    """
    cells = _cells(rows)
    if not cells:
        return ""
    widths = [max(len(row[k]) for row in cells if k < len(row)) for k in range(len(cells[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip() for row in cells
    )
