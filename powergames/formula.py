"""Payoff formulas given as text, parsed safely into sympy expressions.

:func:`parse_formula` reads formulas such as ``"lam*(lp + lm) - R + g"`` from scenario
files and the command line. The text is turned into a syntax tree by :func:`ast.parse`,
which executes nothing, and the tree is walked against a whitelist: numbers, names,
parentheses, unary ``+ -``, binary ``+ - * / **`` (``^`` is read as ``**``) and calls of
a few functions. The sympy expression is built node by node from sympy's constructors;
the text itself is never evaluated, compiled for execution or handed to ``sympify``.
Everything else, and anything too long, too deep or too large, raises
:class:`~powergames.errors.FormulaError` naming the construct and its column.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any

import sympy

from powergames.errors import FormulaError, InvalidParameterError

__all__ = ["parse_formula"]

_MAX_DIGITS = 30  # number literals: numerator and denominator below 10**30
_MAX_NUMBER_BITS = 1024  # numbers in a power or a function argument (sqrt factors them)
_MAX_MIN_MAX_ARGUMENTS = 32  # in the whole formula, as sympy compares them pairwise
# name -> (sympy function, least and most arguments); Abs, Min, Max as sympy prints them.
_FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int]] = {
    **{name: (getattr(sympy, name), 1, 1) for name in ("exp", "sqrt", "sin", "cos", "tan")},
    "log": (sympy.log, 1, 2),
    **{name: (sympy.Abs, 1, 1) for name in ("abs", "Abs")},
    **{name: (sympy.Min, 2, _MAX_MIN_MAX_ARGUMENTS) for name in ("min", "Min")},
    **{name: (sympy.Max, 2, _MAX_MIN_MAX_ARGUMENTS) for name in ("max", "Max")},
}
_DECIMAL = re.compile(r"([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_REFUSED: dict[type, str] = {
    ast.Attribute: "attribute access", ast.Subscript: "subscripting", ast.Compare: "comparison",
    ast.BoolOp: "boolean operator", ast.IfExp: "conditional expression", ast.Lambda: "lambda",
    ast.NamedExpr: "assignment expression", ast.ListComp: "comprehension",
    ast.SetComp: "comprehension", ast.DictComp: "comprehension", ast.GeneratorExp: "generator",
    ast.List: "list", ast.Tuple: "tuple", ast.Set: "set", ast.Dict: "dict",
    ast.JoinedStr: "f-string", ast.Starred: "starred argument",
    # literals and operators outside the whitelist
    str: "string literal", bytes: "bytes literal", bool: "boolean literal",
    complex: "complex literal", type(None): "None", type(...): "Ellipsis",
    ast.Mod: "operator %", ast.FloorDiv: "operator //", ast.MatMult: "operator @",
    ast.LShift: "operator <<", ast.RShift: "operator >>", ast.BitOr: "operator |",
    ast.BitAnd: "operator &", ast.Not: "not", ast.Invert: "operator ~",
}  # fmt: skip


class _Source:
    """The formula, the text given to :func:`ast.parse` (no leading blanks, ``^`` spelled
    ``**``) and the map from positions in the second back to the first, for messages."""

    def __init__(self, text: str) -> None:
        self.text = text
        lead = len(text) - len(text.lstrip())  # ast.parse refuses an indented expression
        self.parsed = text[lead:].replace("^", "**")
        self._origin = [i for i in range(lead, len(text)) for _ in range(1 + (text[i] == "^"))]
        self._origin.append(len(text))
        self._starts = [0] + [m.end() for m in _NEWLINE.finditer(self.parsed)]

    def index(self, line: int, column: int, in_bytes: bool = True) -> int:
        """Position in ``text`` of a 1-based line and 0-based (UTF-8 byte) column of
        ``parsed``."""
        start = self._starts[min(max(line, 1), len(self._starts)) - 1]
        if in_bytes:
            column = len(self.parsed[start:].encode()[:column].decode(errors="ignore"))
        return self._origin[min(start + max(column, 0), len(self.parsed))]

    def where(self, position: int) -> str:
        """``"column c"`` (or ``"line l, column c"``) of a position in ``text``."""
        starts = [0] + [m.end() for m in _NEWLINE.finditer(self.text)]
        line = sum(start <= position for start in starts)
        place = f"column {position - starts[line - 1] + 1}"
        return place if len(starts) == 1 else f"line {line}, {place}"

    def error(self, node: ast.AST, message: str) -> FormulaError:
        begin = self.index(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.index(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        excerpt = self.text[begin:end]
        excerpt = excerpt if len(excerpt) <= 60 else excerpt[:57] + "..."
        return FormulaError(f"{message} ({self.where(begin)}): {excerpt}")


def _bits(expr: sympy.Basic) -> float:
    """log2 of the largest numerator or denominator among the numbers in ``expr``."""
    return max(
        (math.log2(max(abs(r.p), r.q)) for r in expr.atoms(sympy.Rational) if r.p), default=0.0
    )


class _Builder:
    """Walks a syntax tree against the whitelist, building the sympy expression."""

    def __init__(
        self, source: _Source, names: dict[str, sympy.Expr] | None, max_depth: int, max_exp: int
    ) -> None:
        self.source, self.names, self.max_depth, self.max_exp = source, names, max_depth, max_exp
        self.min_max_arguments = 0

    def number(self, node: ast.Constant) -> sympy.Expr:
        if type(node.value) is int:
            value = Fraction(node.value)
        else:  # float: read the literal's text exactly, so that 0.1 is 1/10
            start = self.source.index(node.lineno, node.col_offset)
            end = self.source.index(node.end_lineno, node.end_col_offset)  # type: ignore[arg-type]
            found = _DECIMAL.fullmatch(self.source.text[start:end].replace("_", ""))
            if found is None:  # pragma: no cover - Python's float literals all match
                raise self.source.error(node, "unreadable number")
            whole, fraction, exponent = found.groups(default="")
            if len((whole + fraction).strip("0")) > _MAX_DIGITS or len(exponent) > 5:
                raise self.source.error(node, f"number with more than {_MAX_DIGITS} digits")
            value = Fraction(int(whole + fraction or "0")) * Fraction(10) ** (
                int(exponent or "0") - len(fraction)
            )
        if max(abs(value.numerator), value.denominator) >= 10**_MAX_DIGITS:
            raise self.source.error(node, f"number with more than {_MAX_DIGITS} digits")
        return sympy.Rational(value.numerator, value.denominator)

    def name(self, node: ast.Name) -> sympy.Expr:
        if self.names is not None and node.id in self.names:
            return self.names[node.id]
        if node.id == "pi":
            return sympy.pi
        if node.id in _FUNCTIONS:
            raise self.source.error(node, f"function {node.id!r} is not called")
        if self.names is None:
            return sympy.Symbol(node.id, real=True)
        known = ", ".join(sorted({*self.names, "pi"}))
        raise self.source.error(node, f"name {node.id!r} is not allowed (allowed: {known})")

    def power(self, node: ast.AST, base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
        times = 1.0
        if exponent.is_Number:
            if not (exponent.is_finite and abs(exponent) <= self.max_exp):
                raise self.source.error(node, f"exponent {exponent} beyond ±{self.max_exp}")
            times = max(float(abs(exponent)), 1.0)
            if base.is_Number and base.is_negative and not exponent.is_integer:
                raise self.source.error(node, "fractional power of a negative number")
        if _bits(base) * times > _MAX_NUMBER_BITS:
            raise self.source.error(node, f"power with numbers beyond {_MAX_NUMBER_BITS} bits")
        return sympy.Pow(base, exponent)

    def chain(self, node: ast.BinOp, depth: int) -> sympy.Expr:
        """``a + b - c ...`` or ``a * b / c ...``: one level of nesting, walked in a loop."""
        additive = isinstance(node.op, (ast.Add, ast.Sub))
        kinds = (ast.Add, ast.Sub) if additive else (ast.Mult, ast.Div)
        operands: list[tuple[ast.operator | None, ast.expr]] = []
        left: ast.expr = node
        while isinstance(left, ast.BinOp) and isinstance(left.op, kinds):
            operands.append((left.op, left.right))
            left = left.left
        operands.append((None, left))
        terms = [(op, self.build(operand, depth + 1)) for op, operand in reversed(operands)]
        if additive:
            return sympy.Add(*(-term if isinstance(op, ast.Sub) else term for op, term in terms))
        return sympy.Mul(*(sympy.Pow(t, -1) if isinstance(op, ast.Div) else t for op, t in terms))

    def call(self, node: ast.Call, depth: int) -> sympy.Expr:
        if not isinstance(node.func, ast.Name):
            self.build(node.func, depth + 1)  # names the refused construct, if any
            raise self.source.error(node, "calling an expression is not allowed")
        if node.func.id not in _FUNCTIONS:
            known = ", ".join(_FUNCTIONS)
            raise self.source.error(node, f"function {node.func.id!r} is unknown (known: {known})")
        function, least, most = _FUNCTIONS[node.func.id]
        if node.keywords:
            raise self.source.error(node, "keyword arguments are not allowed")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.source.error(arg, "starred argument is not allowed")
        if not least <= len(node.args) <= most:
            count = "1 argument" if most == 1 else f"{least} to {most} arguments"
            raise self.source.error(node, f"{node.func.id} takes {count}")
        args = [self.build(arg, depth + 1) for arg in node.args]
        if function in (sympy.Min, sympy.Max):
            self.min_max_arguments += len(args)
            if self.min_max_arguments > _MAX_MIN_MAX_ARGUMENTS:
                message = f"more than {_MAX_MIN_MAX_ARGUMENTS} arguments to min and max in all"
                raise self.source.error(node, message)
        if any(_bits(arg) > _MAX_NUMBER_BITS for arg in args):
            raise self.source.error(node, f"argument with numbers beyond {_MAX_NUMBER_BITS} bits")
        return function(*args)

    def build(self, node: ast.AST, depth: int) -> sympy.Expr:
        if depth > self.max_depth:
            raise self.source.error(node, f"formula nested deeper than {self.max_depth}")
        try:
            return self._build(node, depth)
        except FormulaError:
            raise
        except (ArithmeticError, TypeError, ValueError) as error:  # from sympy: Max(I, 1), ...
            raise self.source.error(node, f"sympy refused the value: {error}") from None

    def _build(self, node: ast.AST, depth: int) -> sympy.Expr:
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
            operand = self.build(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            base, exponent = self.build(node.left, depth + 1), self.build(node.right, depth + 1)
            return self.power(node, base, exponent)
        if isinstance(node, ast.BinOp) and type(node.op) in (ast.Add, ast.Sub, ast.Mult, ast.Div):
            return self.chain(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        kind = type(node.value if isinstance(node, ast.Constant) else getattr(node, "op", node))
        kind = kind if kind in _REFUSED else type(node)
        raise self.source.error(node, f"{_REFUSED.get(kind, kind.__name__)} is not allowed")


def _names(
    allowed: Mapping[str, sympy.Basic] | Iterable[str] | None,
) -> dict[str, sympy.Expr] | None:
    if allowed is None:
        return None
    if isinstance(allowed, str):
        raise InvalidParameterError(f"allowed must be a mapping or names, not the str {allowed!r}")
    names: dict[str, sympy.Expr] = {}
    for name in allowed:
        if isinstance(allowed, Mapping):
            value = allowed[name]
        else:
            value = sympy.Symbol(name, real=True) if isinstance(name, str) else None
        if not isinstance(name, str) or not isinstance(value, sympy.Expr):
            raise InvalidParameterError(
                f"allowed must map names to sympy expressions, got {name!r}: {value!r}"
            )
        names[name] = value
    return names


def parse_formula(
    text: str,
    allowed: Mapping[str, sympy.Basic] | Iterable[str] | None = None,
    *,
    max_length: int = 1000,
    max_depth: int = 50,
    max_exponent: int = 100,
) -> sympy.Expr:
    """Parse a payoff formula into a sympy expression, accepting only a whitelist.

    Parameters
    ----------
    text : str
        The formula: numbers (``3``, ``0.25``, ``1e-3``, read exactly as rationals),
        names, parentheses, unary ``+ -``, binary ``+ - * /`` and ``**`` (or ``^``), and
        calls of ``exp log sqrt sin cos tan abs min max`` (also spelled ``Abs Min Max``;
        ``log`` takes an optional base, ``min`` and ``max`` two or more arguments).
        ``pi`` is sympy's pi unless ``allowed`` names it. As in Python, the formula may
        span lines only inside parentheses.
    allowed : mapping, iterable of str or None
        The names the formula may use: a mapping from name to the sympy expression that
        replaces it (a Symbol or a value), or names that each become a real
        ``sympy.Symbol``. None (the default) accepts any name as a real Symbol.
    max_length : int
        The most characters ``text`` may have.
    max_depth : int
        The deepest nesting of parentheses, calls, unary signs and powers (a chain
        ``a + b - c`` or ``a * b / c`` is one level).
    max_exponent : int
        The largest absolute value of a numeric exponent. Besides, a power of numbers
        or a function argument may not hold numbers beyond 1024 bits, number
        literals have at most 30 digits, and min and max take 32 arguments in all.

    Returns
    -------
    sympy.Expr
        The formula, with its numbers exact.

    Raises
    ------
    FormulaError
        For a text that is not a str, empty, too long, too deep, malformed, or uses a
        construct, name, function or number outside the whitelist and limits, or whose
        value is infinite, undefined or not real (``1/0``, ``sqrt(-1)``, ``(-8)^(1/3)``).
        The message names the construct and its column.
    InvalidParameterError
        For ``allowed`` that is not a mapping to sympy expressions or names.

    Examples
    --------
    >>> from powergames.formula import parse_formula
    >>> parse_formula("lam*(lp + lm) - R + g", ["lam", "lp", "lm", "R", "g"])
    -R + g + lam*(lm + lp)
    >>> parse_formula("0.1 + 1/3 + 2^3")
    253/30
    >>> parse_formula("max(x, 1) - phi*x", {"x": sympy.Symbol("x"), "phi": sympy.Rational(1, 2)})
    -x/2 + Max(1, x)
    >>> parse_formula("__import__('os').system('true')")
    Traceback (most recent call last):
    ...
    powergames.errors.FormulaError: attribute access is not allowed (column 1): __import__...
    >>> parse_formula("x + y", ["x"])
    Traceback (most recent call last):
    ...
    powergames.errors.FormulaError: name 'y' is not allowed (allowed: pi, x) (column 5): y
    """
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be a str, got {type(text).__name__} {text!r:.60}")
    if len(text) > max_length:
        raise FormulaError(f"formula of {len(text)} characters, more than the limit {max_length}")
    if not text.strip():
        raise FormulaError("the formula is empty")
    names = _names(allowed)
    source = _Source(text)
    level = 0
    for position, char in enumerate(text):  # ast.parse recurses on nesting
        level = level + 1 if char in "([{" else max(level - 1, 0) if char in ")]}" else level
        if level > max_depth:
            where = source.where(position)
            raise FormulaError(f"formula nested deeper than {max_depth} ({where})")
    try:
        tree = ast.parse(source.parsed, mode="eval")
    except SyntaxError as error:
        position = source.index(error.lineno or 1, (error.offset or 1) - 1, in_bytes=False)
        raise FormulaError(f"invalid syntax ({source.where(position)}): {error.msg}") from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise FormulaError(f"cannot parse the formula: {error!r:.100}") from None
    try:
        result = _Builder(source, names, max_depth, max_exponent).build(tree.body, 1)
    except RecursionError:
        raise FormulaError(f"formula nested deeper than Python can walk: {text:.60}") from None
    if result.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.I):
        raise FormulaError(f"the formula's value is not a finite real number: {result}")
    return result
