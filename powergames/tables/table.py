"""``Table``: typed columns with units, meanings and groups, and their exports."""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from powergames.errors import InvalidParameterError
from powergames.tables import export

if TYPE_CHECKING:  # pragma: no cover
    from powergames.tables.grid import Grid

__all__ = ["Column", "Table", "by_group", "list_columns"]


@dataclass(frozen=True)
class Column:
    """A column's name, unit, meaning and group (shown in exports, ``describe`` and
    listings of a model's columns, which gather the columns of a group)."""

    name: str
    unit: str = ""
    meaning: str = ""
    group: str = ""

    def metadata(self) -> dict[str, str]:
        """Name, unit and meaning, and the group when there is one (for JSON, pandas)."""
        fields = {"name": self.name, "unit": self.unit, "meaning": self.meaning}
        return {**fields, "group": self.group} if self.group else fields


def by_group(columns: Sequence[Column]) -> dict[str, list[Column]]:
    """The columns gathered by group, groups in order of first appearance (columns
    without a group under ``"other"``)."""
    groups: dict[str, list[Column]] = {}
    for column in columns:
        groups.setdefault(column.group or "other", []).append(column)
    return groups


def list_columns(columns: Sequence[Column], *, detailed: bool = False) -> str:
    """The columns, group by group: one line per group, or (``detailed``) a heading
    per group and one line per column with its unit and meaning.

    Examples
    --------
    >>> columns = [Column("regime", group="outcome"), Column("dilution", "weight", "d*", "weights"),
    ...            Column("sustainable", group="outcome")]
    >>> print(list_columns(columns))
      outcome: regime, sustainable
      weights: dilution
    >>> print(list_columns(columns, detailed=True))
    outcome:
      regime
      sustainable
    weights:
      dilution [weight]: d*
    """
    groups = by_group(columns)
    if not detailed:
        return "\n".join(
            f"  {group}: {', '.join(c.name for c in members)}" for group, members in groups.items()
        )
    lines = []
    for group, members in groups.items():
        lines.append(f"{group}:")
        for c in members:
            unit = f" [{c.unit}]" if c.unit else ""
            lines.append(f"  {c.name}{unit}" + (f": {c.meaning}" if c.meaning else ""))
    return "\n".join(lines)


class Table:
    """Rows of typed columns, stored column by column as numpy arrays.

    Parameters
    ----------
    data : mapping of str to array_like
        The columns, all of the same length, in order.
    columns : sequence of Column, optional
        Units and meanings, by name (columns without one get a bare :class:`Column`).
    title : str, optional
    grid : Grid, optional
        The grid a sweep evaluated, row by row: its axes are the table's first
        columns, and :meth:`to_xarray` gives each axis a dimension.

    Examples
    --------
    >>> t = Table({"delta": [0.2, 0.5], "regime": ["breakdown", "partnership"]})
    >>> len(t), t.names
    (2, ('delta', 'regime'))
    >>> print(t.to_markdown())
    | delta | regime |
    |---:|:---|
    | 0.2 | breakdown |
    | 0.5 | partnership |
    """

    def __init__(
        self,
        data: Mapping[str, ArrayLike] | None = None,
        columns: Sequence[Column] = (),
        title: str = "",
        *,
        grid: Grid | None = None,
        loader: Callable[[], dict[str, NDArray[Any]]] | None = None,
    ) -> None:
        self._meta = {c.name: c for c in columns}
        self.title = title
        self.grid = grid
        self._loader = loader
        self._data: dict[str, NDArray[Any]] | None = None
        if data is not None:
            self._data = self._check(data)
        elif loader is None:
            self._data = {}

    @staticmethod
    def _check(data: Mapping[str, ArrayLike]) -> dict[str, NDArray[Any]]:
        arrays = {str(name): np.asarray(values) for name, values in data.items()}
        lengths = {name: a.shape for name, a in arrays.items()}
        if any(a.ndim != 1 for a in arrays.values()):
            raise InvalidParameterError(f"table columns must be 1-D, got shapes {lengths}")
        if len({a.shape[0] for a in arrays.values()}) > 1:
            raise InvalidParameterError(f"table columns must have equal lengths, got {lengths}")
        return arrays

    @property
    def data(self) -> dict[str, NDArray[Any]]:
        """The columns by name (loaded on first use for a table read from a file)."""
        if self._data is None:
            assert self._loader is not None
            self._data = self._check(self._loader())
        return self._data

    # --------------------------------------------------------------- access
    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.data)

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns' metadata, in order."""
        return tuple(self._meta.get(name, Column(name)) for name in self.data)

    def __len__(self) -> int:
        return len(next(iter(self.data.values()))) if self.data else 0

    def __getitem__(self, name: str) -> NDArray[Any]:
        try:
            return self.data[name]
        except KeyError:
            raise KeyError(f"no column {name!r}; the columns are {self.names}") from None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """The rows, as dictionaries of Python values."""
        lists = {name: values.tolist() for name, values in self.data.items()}
        for k in range(len(self)):
            yield {name: values[k] for name, values in lists.items()}

    def to_records(self) -> list[dict[str, Any]]:
        """The rows as a list of dictionaries."""
        return list(self)

    def _derive(self, data: Mapping[str, ArrayLike], keeps_rows: bool = False) -> Table:
        grid = self.grid if keeps_rows else None
        return Table(data, tuple(self._meta.values()), self.title, grid=grid)

    # ------------------------------------------------------------ transform
    def select(self, *names: str) -> Table:
        """The table with only these columns, in this order."""
        missing = [n for n in names if n not in self.data]
        if missing:
            raise InvalidParameterError(
                f"unknown column(s) {missing}; the columns are {self.names}"
            )
        return self._derive({n: self.data[n] for n in names}, keeps_rows=True)

    def filter(self, mask: ArrayLike | None = None, **equal: Any) -> Table:
        """The rows where ``mask`` holds and each named column equals the given value.

        Examples
        --------
        >>> t = Table({"delta": [0.2, 0.5, 0.8], "regime": ["a", "b", "b"]})
        >>> t.filter(regime="b").filter(t.filter(regime="b")["delta"] > 0.6)["delta"].tolist()
        [0.8]
        """
        keep = np.ones(len(self), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
        for name, value in equal.items():
            keep = keep & (self[name] == value)
        return self._derive({n: v[keep] for n, v in self.data.items()})

    def sort(self, by: str | Sequence[str], *, descending: bool = False) -> Table:
        """The rows sorted by one column or several (the first is the primary key).

        The sort is stable in both directions: rows that tie keep their order.

        Examples
        --------
        >>> t = Table({"delta": [0.2, 0.5, 0.8], "regime": ["a", "b", "b"]})
        >>> t.sort("regime", descending=True)["delta"].tolist()
        [0.5, 0.8, 0.2]
        """
        keys = [by] if isinstance(by, str) else list(by)
        ranks = [np.unique(self[k], return_inverse=True)[1].ravel() for k in reversed(keys)]
        order = np.lexsort([-r for r in ranks] if descending else ranks)
        return self._derive({n: v[order] for n, v in self.data.items()})

    def pivot(self, row: str, column: str, value: str) -> Table:
        """A two-way table: one row per value of ``row``, one column per value of
        ``column``, cells holding ``value`` (the last one when a pair repeats; empty
        where a pair is missing).

        Examples
        --------
        >>> t = Table({"delta": [0.2, 0.2, 0.5, 0.5], "a0": [0.5, 0.9, 0.5, 0.9],
        ...            "regime": ["x", "y", "z", "w"]})
        >>> print(t.pivot("delta", "a0", "regime").to_markdown())
        | delta | a0=0.5 | a0=0.9 |
        |---:|:---|:---|
        | 0.2 | x | y |
        | 0.5 | z | w |
        """
        rows, row_index = np.unique(self[row], return_inverse=True)
        cols, col_index = np.unique(self[column], return_inverse=True)
        values = self[value]
        filler: Any = "" if values.dtype.kind in "USO" else np.nan
        cells = np.full(
            (len(rows), len(cols)), filler, dtype=values.dtype if filler == "" else float
        )
        if filler == "":
            cells = cells.astype(object)
        cells[row_index, col_index] = values
        data: dict[str, ArrayLike] = {row: rows}
        for k, c in enumerate(cols):
            data[f"{column}={export.cell_text(c)}"] = cells[:, k]
        meta = [self._meta.get(row, Column(row))]
        return Table(data, meta, self.title or f"{value} by {row} and {column}")

    # -------------------------------------------------------------- exports
    def to_markdown(self, digits: int = 6) -> str:
        """A Markdown table (numbers with ``digits`` significant digits)."""
        return export.to_markdown(self, digits)

    def to_csv(self, path: str | Path | None = None) -> str:
        """CSV text (full precision); also written to ``path`` when given."""
        return export.to_csv(self, path)

    def to_json(self, path: str | Path | None = None) -> str:
        """JSON: ``{"title", "columns" (name, unit, meaning), "rows"}``; NaN and
        infinities become null."""
        return export.to_json(self, path)

    def to_latex(
        self, caption: str | None = None, label: str | None = None, digits: int = 4
    ) -> str:
        """A LaTeX ``table`` with booktabs rules (``\\usepackage{booktabs}``).

        Column names, units and cells are escaped for LaTeX.

        Parameters
        ----------
        caption : str, optional
            The caption, as LaTeX (written as given, so it may hold mathematics).
            By default the table's title, escaped; none if the table has no title.
        label : str, optional
            A ``\\label`` for cross-references.
        digits : int, default 4
            Significant digits of the numbers.

        Examples
        --------
        >>> t = Table({"delta": [0.5], "regime": ["donor-beneficiary"]}, title="50% & more")
        >>> print(t.to_latex())
        \\begin{table}[ht]
        \\centering
        \\begin{tabular}{rl}
        \\toprule
        delta & regime \\\\
        \\midrule
        0.5 & donor-beneficiary \\\\
        \\bottomrule
        \\end{tabular}
        \\caption{50\\% \\& more}
        \\end{table}
        >>> print(t.to_latex(caption=r"$\\delta = 1/2$").splitlines()[-2])
        \\caption{$\\delta = 1/2$}
        """
        return export.to_latex(self, caption, label, digits)

    def to_pandas(self) -> Any:
        """A :class:`pandas.DataFrame` (pandas is an optional dependency)."""
        return export.to_pandas(self)

    def to_xarray(self) -> Any:
        """An :class:`xarray.Dataset` of a gridded sweep: one dimension per grid axis
        (one dimension ``point`` for zipped axes), the other columns as variables, units
        and meanings as attributes (xarray is an optional dependency:
        ``pip install 'powergames[xarray]'``).

        Raises
        ------
        InvalidParameterError
            For a table that is not a whole gridded sweep (no grid, or rows filtered,
            sorted or pivoted since).
        """
        return export.to_xarray(self)

    def describe(self) -> str:
        """The columns with their units and meanings, one per line."""
        return "\n".join(
            f"{c.name}"
            + (f" [{c.unit}]" if c.unit else "")
            + (f": {c.meaning}" if c.meaning else "")
            for c in self.columns
        )

    def _preview(self) -> str:
        """The first 50 rows as Markdown."""
        shown = self if len(self) <= 50 else self._derive({n: v[:50] for n, v in self.data.items()})
        more = f"\n\n({len(self)} rows; first 50 shown)" if len(self) > 50 else ""
        return shown.to_markdown() + more

    def _repr_markdown_(self) -> str:
        # Rendered by Jupyter: text that looks like HTML must show as written.
        return html.escape(self._preview(), quote=False)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self) if cycle else str(self))

    def _repr_html_(self) -> str:
        head = "".join(
            f'<th title="{html.escape(c.meaning)}">{html.escape(c.name)}</th>' for c in self.columns
        )
        shown = {n: v[:50] for n, v in self.data.items()}
        cells = [export.display_cells(v) for v in shown.values()]
        body = [
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in zip(*cells, strict=True)
        ]
        caption = f"<caption>{html.escape(self.title)}</caption>" if self.title else ""
        more = f"<p>{len(self)} rows; first 50 shown</p>" if len(self) > 50 else ""
        rows = "".join(body)
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}"

    def __repr__(self) -> str:
        return f"Table({len(self)} rows: {', '.join(self.names)})"

    def __str__(self) -> str:
        """The title and the first 50 rows as Markdown, for ``print(table)``.

        Examples
        --------
        >>> print(Table({"delta": [0.2, 0.5], "regime": ["a", "b"]}, title="Two rows"))
        Two rows
        <BLANKLINE>
        | delta | regime |
        |---:|:---|
        | 0.2 | a |
        | 0.5 | b |
        """
        return (f"{self.title}\n\n" if self.title else "") + self._preview()

    # --------------------------------------------------------------- reading
    @classmethod
    def read_csv(cls, path: str | Path, columns: Sequence[Column] = ()) -> Table:
        """Read a CSV file written by :meth:`to_csv` or a sweep (numbers parsed back)."""
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            rows = list(reader)
        data = {name: _parse_column([r[k] for r in rows]) for k, name in enumerate(header)}
        return cls(data, columns)

    @classmethod
    def read_jsonl(cls, path: str | Path, columns: Sequence[Column] = ()) -> Table:
        """Read a JSON-lines file of records (one object per line), as sweeps write."""
        with open(path, encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle if line.strip()]
        names = list(records[0]) if records else []
        data = {n: _parse_column([r[n] for r in records], parsed=True) for n in names}
        return cls(data, columns)


def _parse_column(values: list[Any], parsed: bool = False) -> NDArray[Any]:
    """Numbers where every entry is one (empty or null: NaN), booleans, else strings."""
    if parsed:
        if all(isinstance(v, bool) for v in values):
            return np.array(values, dtype=bool)
        if all(
            v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values
        ):
            return np.array([np.nan if v is None else v for v in values], dtype=float)
        return np.array(values, dtype=str)
    if values and all(v in ("True", "False") for v in values):
        return np.array([v == "True" for v in values], dtype=bool)
    try:
        return np.array([float(v) if v != "" else np.nan for v in values], dtype=float)
    except ValueError:
        return np.array(values, dtype=str)
