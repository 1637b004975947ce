"""Symbolic games: payoffs as sympy expressions in named parameters.

A :class:`SymbolicGame` holds the payoff matrices of a bimatrix game as sympy
expressions. It substitutes numbers for its parameters exactly (:meth:`SymbolicGame.subs`), or
evaluates its payoffs at many parameter points at once through one compiled,
cached, numpy-vectorised function (:meth:`SymbolicGame.evaluate`), ready for
:func:`powergames.solve_batch`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike, NDArray

from powergames.errors import InvalidGameError, InvalidParameterError
from powergames.formula import parse_formula
from powergames.game import Game, StrategyLabels

__all__ = ["SymbolicGame", "parse_formula"]

FloatArray = NDArray[np.float64]


def _as_symbol(parameter: sp.Symbol | str) -> sp.Symbol:
    if isinstance(parameter, sp.Symbol):
        return parameter
    if isinstance(parameter, str) and parameter.isidentifier():
        return sp.Symbol(parameter, real=True)
    raise InvalidParameterError(
        f"parameters must be sympy Symbols or identifier strings, got {parameter!r}"
    )


def _as_expression(value: Any, name: str, allowed: Mapping[str, sp.Basic] | None) -> sp.Expr:
    if isinstance(value, str):
        return parse_formula(value, allowed)
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, Fraction)):
        raise InvalidGameError(
            f"{name} must hold sympy expressions, real numbers or formulas, got {value!r}"
        )
    return _exact_number(value)


def _exact_number(value: numbers.Real | Fraction) -> sp.Expr:
    if isinstance(value, (int, np.integer)):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    number = float(value)
    if not np.isfinite(number):
        raise InvalidParameterError(f"values must be finite, got {number}")
    return sp.Integer(int(number)) if number.is_integer() else sp.Float(number)


def _as_matrix(
    values: Any, name: str, allowed: Mapping[str, sp.Basic] | None
) -> sp.ImmutableMatrix:
    if isinstance(values, sp.MatrixBase):
        rows = values.tolist()
    else:
        try:
            rows = [list(row) for row in values]
        except TypeError:
            raise InvalidGameError(
                f"{name} must be a 2-D table of payoffs, got {values!r}"
            ) from None
    if not rows or not rows[0] or any(len(row) != len(rows[0]) for row in rows):
        raise InvalidGameError(f"{name} must be a non-empty rectangular table, got {values!r}")
    return sp.ImmutableMatrix(
        [
            [_as_expression(v, f"{name}[{i}][{j}]", allowed) for j, v in enumerate(row)]
            for i, row in enumerate(rows)
        ]
    )


class SymbolicGame(StrategyLabels):
    """A bimatrix game whose payoffs are sympy expressions in named parameters.

    Parameters
    ----------
    A, B : 2-D tables of sympy expressions, numbers or formula strings
        The row and column player's payoffs. Strings are parsed by
        :func:`parse_formula` with the parameters as the allowed names.
    parameters : sequence of sympy.Symbol or str, optional
        The parameters, in the order :meth:`evaluate` compiles them. Strings become
        real symbols; symbols keep their assumptions (positive, ...). By default the
        free symbols of the payoffs, sorted by name.
    domains : mapping of str to (float, float), optional
        Closed intervals the parameters must lie in, such as ``{"phi": (0, 1)}``;
        :meth:`subs` and :meth:`evaluate` refuse values outside them. Sign
        assumptions of the symbols (``positive``, ``nonnegative``, ``negative``,
        ``nonpositive``) are enforced the same way.
    players, strategies, title
        As for :class:`powergames.Game`.

    Raises
    ------
    InvalidGameError
        If the tables are ragged, of different shapes, or hold something other than
        expressions, numbers or formulas.
    InvalidParameterError
        If a payoff uses a symbol that is not among ``parameters``.

    Examples
    --------
    >>> import sympy as sp
    >>> T, R, P, S = sp.symbols("T R P S", real=True)
    >>> pd = SymbolicGame([[R, S], [T, P]], [[R, T], [S, P]], parameters=[T, R, P, S])
    >>> pd.parameters
    (T, R, P, S)
    >>> pd.subs(T=5, R=3, P=1, S=0).payoffs[0]
    array([[3., 0.],
           [5., 1.]])
    >>> As, Bs = pd.evaluate(T=[5, 6], R=3, P=1, S=0)
    >>> As.shape
    (2, 2, 2)
    """

    def __init__(
        self,
        A: Any,
        B: Any,
        parameters: Sequence[sp.Symbol | str] | None = None,
        *,
        players: Sequence[str] | None = None,
        strategies: tuple[Sequence[str], Sequence[str]] | None = None,
        title: str = "",
        domains: Mapping[str, tuple[float, float]] | None = None,
    ) -> None:
        given = None if parameters is None else tuple(_as_symbol(p) for p in parameters)
        if given is not None and len({p.name for p in given}) != len(given):
            raise InvalidParameterError(f"parameters must have distinct names, got {given}")
        allowed = None if given is None else {p.name: p for p in given}
        self._A = _as_matrix(A, "A", allowed)
        self._B = _as_matrix(B, "B", allowed)
        if self._A.shape != self._B.shape:
            raise InvalidGameError(
                f"A and B must have the same shape, got A {self._A.shape} and B {self._B.shape}"
            )
        free = self._A.free_symbols | self._B.free_symbols
        if given is None:
            given = tuple(sorted(free, key=lambda s: s.name))
        else:
            missing = sorted(str(s) for s in free - set(given))
            if missing:
                raise InvalidParameterError(
                    f"the payoffs use {', '.join(missing)}, which are not among the "
                    f"parameters {tuple(str(p) for p in given)}"
                )
        self._parameters: tuple[sp.Symbol, ...] = given
        self._domains = _check_domains(domains or {}, given)
        super().__init__(self.shape, players=players, strategies=strategies, title=title)

    # ------------------------------------------------------------------ data
    @property
    def payoffs(self) -> tuple[sp.ImmutableMatrix, sp.ImmutableMatrix]:
        """The payoff matrices ``(A, B)`` as immutable sympy matrices."""
        return self._A, self._B

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """The parameters, in the order :meth:`evaluate` compiles them."""
        return self._parameters

    @property
    def domains(self) -> dict[str, tuple[float, float]]:
        """The closed interval of each parameter that has one (see ``domains``)."""
        return dict(self._domains)

    @property
    def shape(self) -> tuple[int, int]:
        """The numbers of pure strategies ``(m, n)``."""
        m, n = self._A.shape
        return int(m), int(n)

    # --------------------------------------------------------- substitution
    def _values(self, values: Mapping[str, Any], *, complete: bool) -> dict[sp.Symbol, Any]:
        by_name = {p.name: p for p in self._parameters}
        unknown = sorted(set(values) - set(by_name))
        if unknown:
            raise InvalidParameterError(
                f"unknown parameter(s) {', '.join(unknown)}; the parameters are {tuple(by_name)}"
            )
        missing = [name for name in by_name if name not in values]
        if complete and missing:
            raise InvalidParameterError(f"missing value(s) for parameter(s) {', '.join(missing)}")
        return {by_name[name]: value for name, value in values.items()}

    def _check_values(self, symbol: sp.Symbol, values: NDArray[np.float64]) -> None:
        """Refuse values outside the parameter's domain or sign assumption."""
        name = symbol.name
        rules = [
            (~np.isfinite(values), "finite"),
            (values <= 0 if symbol.is_positive else None, "positive"),
            (values < 0 if symbol.is_nonnegative else None, "non-negative"),
            (values >= 0 if symbol.is_negative else None, "negative"),
            (values > 0 if symbol.is_nonpositive else None, "non-positive"),
        ]
        if name in self._domains:
            low, high = self._domains[name]
            rules.append(((values < low) | (values > high), f"in [{low:g}, {high:g}]"))
        for bad, requirement in rules:
            if bad is not None and np.any(bad):
                first = values[bad][0] if values.ndim else values
                raise InvalidParameterError(f"{name} must be {requirement}, got {first}")

    def subs(self, **values: Any) -> Game | SymbolicGame:
        """Substitute values for parameters, exactly (sympy substitution).

        With a number for every parameter the result is a numeric
        :class:`powergames.Game`; otherwise a :class:`SymbolicGame` in the remaining
        parameters (values may then be sympy expressions).

        Raises
        ------
        InvalidParameterError
            For an unknown parameter name, a non-finite value, or payoffs that are
            not finite real numbers at these values.

        Examples
        --------
        >>> g = SymbolicGame([["a + b", 0]], [["a*b", 1]])
        >>> g.subs(a=1, b=2).payoffs[1]
        array([[2., 1.]])
        >>> g.subs(a=1).parameters
        (b,)
        """
        mapping = self._values(values, complete=False)
        for symbol, value in mapping.items():
            if not isinstance(value, sp.Basic):
                self._check_values(symbol, np.asarray(float(_check_real(symbol.name, value))))
        exact = {
            symbol: value
            if isinstance(value, sp.Basic)
            else _exact_number(_check_real(name, value))
            for (name, value), symbol in zip(values.items(), mapping, strict=True)
        }
        if len(exact) == len(self._parameters) and not any(
            isinstance(value, sp.Basic) for value in values.values()
        ):
            # Numbers for every parameter: evaluate in double precision. Exact
            # substitution then evalf can take unbounded time on large values
            # (max(sin(exp(exp(t))), 0) at t = 100).
            As, Bs = self.evaluate(**{name: float(value) for name, value in values.items()})
            if not (np.isfinite(As).all() and np.isfinite(Bs).all()):
                raise InvalidParameterError(
                    f"the payoffs are not finite real numbers at {values}: A = {As.tolist()}, "
                    f"B = {Bs.tolist()}"
                )
            return Game(
                As, Bs, players=self._players, strategies=self._strategies, title=self._title
            )
        A, B = self._A.xreplace(exact), self._B.xreplace(exact)
        remaining = [p for p in self._parameters if p not in exact]
        remaining += sorted(
            (A.free_symbols | B.free_symbols) - set(remaining), key=lambda s: s.name
        )
        if remaining:
            return SymbolicGame(
                A,
                B,
                remaining,
                domains={
                    k: v for k, v in self._domains.items() if k in {p.name for p in remaining}
                },
                players=self._players,
                strategies=self._strategies,
                title=self._title,
            )
        try:
            numeric_A = np.array(A.evalf(), dtype=np.float64)
            numeric_B = np.array(B.evalf(), dtype=np.float64)
        except TypeError:
            raise InvalidParameterError(
                f"the payoffs are not real numbers at {values}: A = {A.tolist()}, B = {B.tolist()}"
            ) from None
        return Game(
            numeric_A,
            numeric_B,
            players=self._players,
            strategies=self._strategies,
            title=self._title,
        )

    @cached_property
    def _compiled(self) -> Callable[..., list[Any]]:
        # Integers beyond double precision are printed as Python ints, which numpy's
        # functions refuse (log(10**20)): give them as floats.
        entries = [
            entry.xreplace({i: sp.Float(i) for i in entry.atoms(sp.Integer) if abs(i) > 2**53})
            for entry in list(self._A) + list(self._B)
        ]
        function: Callable[..., list[Any]] = sp.lambdify(
            self._parameters, entries, modules="numpy", cse=True, dummify=True, docstring_limit=0
        )
        return function

    def evaluate(self, **arrays: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """The payoffs at many parameter points at once.

        The arrays broadcast against each other (numpy rules) to a common shape
        ``S``; the payoffs are computed by one function compiled with
        :func:`sympy.lambdify` on the first call and cached.

        Returns
        -------
        As, Bs : arrays of shape ``S + (m, n)``
            ``As[idx]`` is the row player's payoff matrix at the point ``idx``. They
            are views into one buffer laid out for fast filling; use
            ``np.ascontiguousarray`` if a copy in C order is needed.

        Raises
        ------
        InvalidParameterError
            For a missing or unknown parameter, arrays that do not broadcast, or
            non-numeric values.

        Examples
        --------
        >>> g = SymbolicGame([["x", 1]], [[0, "y"]])
        >>> As, Bs = g.evaluate(x=[1.0, 2.0, 3.0], y=0.5)
        >>> As[:, 0, 0]
        array([1., 2., 3.])
        >>> Bs[2]
        array([[0. , 0.5]])
        """
        mapping = self._values(arrays, complete=True)
        try:
            inputs = [np.asarray(arrays[p.name], dtype=np.float64) for p in mapping]
            shape = np.broadcast_shapes(*(a.shape for a in inputs)) if inputs else ()
        except (TypeError, ValueError) as exc:
            raise InvalidParameterError(
                f"parameter arrays must be numeric and broadcast: {exc}"
            ) from None
        by_symbol = dict(zip(mapping, inputs, strict=True))
        for symbol, values in by_symbol.items():
            self._check_values(symbol, values)
        ordered = [by_symbol[p] for p in self._parameters]
        m, n = self.shape
        buffer = np.empty((2, m, n, *shape))
        with np.errstate(all="ignore"):
            try:
                values = self._compiled(*ordered)
            except (TypeError, ValueError, OverflowError) as exc:
                raise InvalidParameterError(
                    f"the payoffs cannot be evaluated in double precision: {exc}"
                ) from None
            for k, value in enumerate(values):
                buffer[k // (m * n), (k // n) % m, k % n] = value
        axes = tuple(range(-len(shape) - 2, -2)) if shape else ()
        As = np.moveaxis(buffer[0], (0, 1), (-2, -1)) if axes else buffer[0]
        Bs = np.moveaxis(buffer[1], (0, 1), (-2, -1)) if axes else buffer[1]
        return As, Bs

    # -------------------------------------------------------- closed forms
    def deviation_gains(self, row: int, col: int) -> tuple[sp.Expr, sp.Expr]:
        """Each player's best gain from a unilateral pure deviation at ``(row, col)``:
        ``max_k A[k, col] - A[row, col]`` and ``max_l B[row, l] - B[row, col]``.
        Both are non-positive (as expressions: ``0`` at the maximum) iff the profile
        is a pure Nash equilibrium.

        Examples
        --------
        >>> import sympy as sp
        >>> T, R, P, S = sp.symbols("T R P S", real=True)
        >>> pd = SymbolicGame([[R, S], [T, P]], [[R, T], [S, P]])
        >>> pd.deviation_gains(0, 0)
        (-R + Max(R, T), -R + Max(R, T))
        """
        m, n = self.shape
        if not (0 <= row < m and 0 <= col < n):
            raise InvalidParameterError(
                f"(row, col) must index a profile of a {m}x{n} game, got {(row, col)}"
            )
        best_row = sp.Max(*[self._A[k, col] for k in range(m)])
        best_col = sp.Max(*[self._B[row, l] for l in range(n)])
        return best_row - self._A[row, col], best_col - self._B[row, col]

    def to_latex(self) -> str:
        """The payoff table in LaTeX (an ``array``; each cell ``a, b``).

        Examples
        --------
        >>> print(SymbolicGame([["x", 0]], [[1, "y"]]).to_latex())
        \\begin{array}{r|cc}
         & 1 & 2 \\\\ \\hline
        1 & x,\\ 1 & 0,\\ y \\\\
        \\end{array}
        """
        rows, cols = self._strategies
        m, n = self.shape
        lines = [r"\begin{array}{r|" + "c" * n + "}"]
        lines.append(" & " + " & ".join(_latex_text(c) for c in cols) + r" \\ \hline")
        for i in range(m):
            cells = [f"{sp.latex(self._A[i, j])},\\ {sp.latex(self._B[i, j])}" for j in range(n)]
            lines.append(f"{_latex_text(rows[i])} & " + " & ".join(cells) + r" \\")
        lines.append(r"\end{array}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"SymbolicGame({self._A.tolist()}, {self._B.tolist()}, "
            f"parameters={list(self._parameters)})"
        )


def _check_domains(
    domains: Mapping[str, tuple[float, float]], parameters: tuple[sp.Symbol, ...]
) -> dict[str, tuple[float, float]]:
    names = {p.name for p in parameters}
    checked = {}
    for name, interval in domains.items():
        if name not in names:
            raise InvalidParameterError(f"domains names {name!r}, which is not a parameter")
        try:
            low, high = (float(v) for v in interval)
        except (TypeError, ValueError):
            raise InvalidParameterError(
                f"domains[{name!r}] must be a pair (low, high), got {interval!r}"
            ) from None
        if not low <= high:
            raise InvalidParameterError(
                f"domains[{name!r}] must have low <= high, got {interval!r}"
            )
        checked[name] = (low, high)
    return checked


def _latex_text(name: str) -> str:
    if name.isdigit():
        return name
    escaped = name.replace("\\", r"\textbackslash{}")
    for char in "&%$#_{}":
        escaped = escaped.replace(char, "\\" + char)
    return r"\text{" + escaped + "}"


def _check_real(name: str, value: Any) -> numbers.Real | Fraction:
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, Fraction)):
        raise InvalidParameterError(
            f"{name} must be a real number or a sympy expression, got {value!r}"
        )
    if not np.isfinite(float(value)):
        raise InvalidParameterError(f"{name} must be finite, got {value!r}")
    return value
