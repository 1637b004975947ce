"""One table renderer for the displays of games and equilibria: plain text (the terminal,
IPython's pretty printer), Markdown and HTML (Jupyter)."""

from __future__ import annotations

import html
import math
from typing import Literal

__all__ = ["Format", "number", "render"]

Format = Literal["text", "markdown", "html"]

#: Values below this fraction of the largest magnitude shown beside them are round-off
#: and display as 0.
ROUND_OFF = 1e-12


def number(value: float, scale: float = 0.0) -> str:
    """A number as people write it: integers without a decimal point, six significant
    digits otherwise, and 0 for -0.0 and for round-off (``|value| <= 1e-12 * scale``).

    Examples
    --------
    >>> number(3.0), number(2 / 3), number(-0.0), number(-3.08e-33, scale=1.0)
    ('3', '0.666667', '0', '0')
    """
    value = float(value)
    if value == 0 or (math.isfinite(value) and abs(value) <= ROUND_OFF * scale):
        return "0"
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def render(header: list[str], rows: list[list[str]], fmt: Format, caption: str = "") -> str:
    """A table with a header row, in ``fmt``; the first column names the rows.

    Examples
    --------
    >>> print(render(["", "L", "R"], [["T", "1, 2", "0, 0"]], "text"))
       L     R
    T  1, 2  0, 0
    >>> print(render(["", "L"], [["T", "1"]], "markdown", caption="A game"))
    |  | L |
    |---|---|
    | T | 1 |
    <BLANKLINE>
    *A game*
    """
    if fmt == "markdown":
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += [
            "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows
        ]
        return "\n".join(lines + (["", f"*{caption}*"] if caption else []))
    if fmt == "html":
        head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
        body = "".join(
            "<tr>"
            + f"<th>{html.escape(row[0])}</th>"
            + "".join(f"<td>{html.escape(cell)}</td>" for cell in row[1:])
            + "</tr>"
            for row in rows
        )
        title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
        return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    table = [header, *rows]
    widths = [max(len(row[k]) for row in table) for k in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in table
    ]
    return "\n".join(([caption] if caption else []) + lines)
