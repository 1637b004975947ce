"""The one rendering of what users look at: games, equilibria, parameters, analyses,
scenarios, agreements and payoff sets, as plain text (the terminal, IPython's pretty
printer), Markdown and HTML (Jupyter).

Every display is a table with a header row, built from the same cells in each format:
:func:`render` picks the format, and :func:`format_number` writes the numbers.
Numbers are shown as people write them: integers without a decimal point, six
significant digits otherwise, ``nan``, ``inf`` and ``-inf`` spelled out, and ``0`` for
``-0.0`` and for round-off (a value below ``ROUND_OFF`` of the scale it is compared
with, such as ``-3.08e-33`` next to payoffs of order 1). Text from users (names,
titles, passages) is escaped in HTML and Markdown, so it shows as written.

Examples
--------
>>> print(render(["", "value"], [["dilution", 0.15], ["round-off", -3.08e-33]], "text"))
           value
dilution   0.15
round-off  0
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence
from typing import Any, Literal

from powergames.errors import InvalidParameterError

__all__ = [
    "ROUND_OFF",
    "Described",
    "Format",
    "Html",
    "details",
    "format_number",
    "format_value",
    "html_table",
    "markdown_table",
    "render",
    "shorten",
    "text_table",
]

#: The formats of a display: plain text, Markdown, HTML.
Format = Literal["text", "markdown", "html"]

#: Below this fraction of the scale, a number is round-off and prints as 0.
ROUND_OFF = 1e-12

#: Integer values below this magnitude print in full (beyond it, float64 has gaps).
_EXACT_INTEGERS = 1e15


class Described:
    """What notebooks and IPython show of an object that describes itself as a table
    (``describe(fmt)``, ``fmt`` one of :data:`Format`): the Markdown, HTML or plain-text
    table.

    Examples
    --------
    >>> class Pair(Described):
    ...     def describe(self, fmt: Format = "text") -> str:
    ...         return render(["a", "b"], [[1, 2]], fmt)
    >>> print(Pair()._repr_markdown_())
    | a | b |
    |---|---|
    | 1 | 2 |
    """

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # IPython's pretty printer takes the first class of the MRO that defines
        # _repr_pretty_ or __repr__: a subclass with a __repr__ of its own would hide
        # the inherited _repr_pretty_.
        cls._repr_pretty_ = Described._repr_pretty_  # type: ignore[method-assign]

    def describe(self, fmt: Format = "text") -> str:
        """The object as a table in plain text, Markdown or HTML."""
        raise NotImplementedError  # pragma: no cover

    def _repr_markdown_(self) -> str:
        return self.describe("markdown")

    def _repr_html_(self) -> str:
        return self.describe("html")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self) if cycle else self.describe("text"))


class Html(str):
    """Text that is already HTML: :func:`html_table` and :func:`render` insert it as it
    is instead of escaping it (build it with :func:`details` or :func:`html.escape`)."""

    __slots__ = ()


def format_number(value: Any, scale: float = 1.0, digits: int = 6) -> str:
    """A number as a short string; anything that is not a real number as ``str(value)``.

    Parameters
    ----------
    value : Any
        A Python or numpy number, or anything else (a string, a sympy expression).
    scale : float, default 1.0
        The magnitude ``value`` is compared with: ``|value| < ROUND_OFF * scale`` is
        round-off and prints as ``0``. Pass the largest magnitude shown beside it (0:
        no round-off, only an exact zero prints as ``0``).
    digits : int, default 6
        Significant digits of a number that is not an integer.

    Examples
    --------
    >>> format_number(2 / 3), format_number(3.0), format_number(-0.0), format_number(-3.08e-33)
    ('0.666667', '3', '0', '0')
    >>> format_number(-3.08e-33, scale=0), format_number(1234567.0), format_number(1e20)
    ('-3.08e-33', '1234567', '1e+20')
    >>> format_number(float("nan")), format_number(float("-inf")), format_number(True)
    ('nan', '-inf', 'True')
    >>> format_number("dilute")
    'dilute'
    """
    if isinstance(value, bool) or not _is_real(value):
        return str(value)
    number = float(value)
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    if number == 0 or abs(number) < ROUND_OFF * abs(scale):
        return "0"
    if number.is_integer() and abs(number) < _EXACT_INTEGERS:
        return str(int(number))
    return f"{number:.{digits}g}"


def format_value(value: Any, scale: float = 1.0) -> str:
    """Any value a result holds, as a short string: numbers by :func:`format_number`,
    tuples and lists item by item, arrays by their values when small, by their shape
    otherwise, and anything else (a sympy expression, a string) as ``str(value)``.

    Examples
    --------
    >>> import numpy as np
    >>> format_value((0.5, -0.0)), format_value(np.array([1.0, 2 / 3]))
    ('(0.5, 0)', '[1, 0.666667]')
    >>> format_value(np.zeros((20, 3)))
    'array of shape (20, 3)'
    """
    import numpy as np

    if isinstance(value, np.ndarray):
        if value.size > 8 or value.ndim > 1:
            return f"array of shape {value.shape}"
        return "[" + ", ".join(format_value(v, scale) for v in value.tolist()) + "]"
    if isinstance(value, (tuple, list)):
        inside = ", ".join(format_value(v, scale) for v in value)
        return f"({inside})" if isinstance(value, tuple) else f"[{inside}]"
    return format_number(value, scale)


def _is_real(value: Any) -> bool:
    if isinstance(value, (int, float)):
        return True
    import numpy as np

    return isinstance(value, (np.floating, np.integer))


def shorten(text: str, width: int = 80) -> str:
    """``text`` on one line, cut at a word to at most ``width`` characters (``…`` marks
    the cut).

    Examples
    --------
    >>> shorten("un paradigme de développement partagé", 20)
    'un paradigme de …'
    """
    return textwrap.shorten(" ".join(text.split()), width, placeholder=" …")


def details(summary: str, body: str) -> Html:
    r"""An HTML ``<details>`` element: ``summary`` shown, ``body`` folded (both escaped,
    the body's line breaks kept).

    Examples
    --------
    >>> details("a <short> text", "the whole\ntext")
    '<details><summary>a &lt;short&gt; text</summary>the whole<br>text</details>'
    """
    folded = "<br>".join(html.escape(line) for line in body.strip().splitlines())
    return Html(f"<details><summary>{html.escape(summary)}</summary>{folded}</details>")


def _cell(value: Any, scale: float) -> str:
    return value if isinstance(value, str) else format_number(value, scale)


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def markdown_table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = "", scale: float = 1.0
) -> str:
    """A GitHub-flavoured Markdown table: cells on one line, ``|`` and HTML's special
    characters escaped (a Markdown viewer shows them as written); an italic caption
    below.

    Examples
    --------
    >>> print(markdown_table(["name", "value"], [["a|b <c>", 0.5]], caption="Two & one"))
    | name | value |
    |---|---|
    | a\\|b &lt;c&gt; | 0.5 |
    <BLANKLINE>
    *Two &amp; one*
    """

    def line(cells: Sequence[Any]) -> str:
        shown = (html.escape(_one_line(_cell(c, scale)), quote=False) for c in cells)
        return "| " + " | ".join(c.replace("|", "\\|") for c in shown) + " |"

    lines = [line(header), "|" + "---|" * len(header), *(line(row) for row in rows)]
    if caption:
        lines += ["", f"*{html.escape(_one_line(caption), quote=False)}*"]
    return "\n".join(lines)


def html_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    caption: str = "",
    row_headers: bool = True,
    scale: float = 1.0,
) -> str:
    """An HTML table, cells escaped (except :class:`Html` cells); with ``row_headers``
    the first cell of each row is a header cell (it names the row).

    Examples
    --------
    >>> html_table(["", "x"], [["a", "<b>"]])
    '<table><thead><tr><th></th><th>x</th></tr></thead><tbody><tr><th>a</th><td>&lt;b&gt;</td></tr></tbody></table>'
    """

    def cell(value: Any, tag: str) -> str:
        text = value if isinstance(value, Html) else html.escape(_cell(value, scale))
        return f"<{tag}>{text}</{tag}>"

    head = "".join(cell(h, "th") for h in header)
    body = "".join(
        "<tr>"
        + "".join(cell(c, "th" if k == 0 and row_headers else "td") for k, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def text_table(
    rows: Sequence[Sequence[Any]],
    header: Sequence[str] | None = None,
    caption: str = "",
    scale: float = 1.0,
) -> str:
    """Rows of cells as aligned plain text (two spaces between columns), under an
    optional header row and a caption line.

    Examples
    --------
    >>> print(text_table([["regime", "partnership"], ["dilution", 0.15]]))
    regime    partnership
    dilution  0.15
    """
    table = [[_one_line(_cell(c, scale)) for c in row] for row in ([header] if header else [])]
    table += [[_one_line(_cell(c, scale)) for c in row] for row in rows]
    if not table:
        return caption
    columns = max(len(row) for row in table)
    widths = [max(len(row[k]) for row in table if k < len(row)) for k in range(columns)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip() for row in table
    ]
    return "\n".join(([caption] if caption else []) + lines)


def render(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: Format,
    caption: str = "",
    scale: float = 1.0,
) -> str:
    """A table with a header row in ``fmt``; the first cell of each row names the row.
    Cells are strings (shown as they are) or numbers (:func:`format_number` with
    ``scale``).

    Examples
    --------
    >>> print(render(["", "L", "R"], [["T", "1, 2", "0, 0"]], "text"))
       L     R
    T  1, 2  0, 0
    >>> print(render(["", "L"], [["T", 1.0]], "markdown", caption="A game"))
    |  | L |
    |---|---|
    | T | 1 |
    <BLANKLINE>
    *A game*
    """
    if fmt == "markdown":
        return markdown_table(header, rows, caption, scale)
    if fmt == "html":
        return html_table(header, rows, caption, row_headers=True, scale=scale)
    if fmt == "text":
        return text_table(rows, header, caption, scale)
    raise InvalidParameterError(f"fmt must be 'text', 'markdown' or 'html', got {fmt!r}")
