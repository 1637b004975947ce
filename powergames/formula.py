"""Payoff formulas given as text, parsed safely into sympy expressions.

:func:`parse_formula` reads formulas such as ``"lam*(lp + lm) - R + g"`` from scenario
files and the command line. The text is turned into a syntax tree by :func:`ast.parse`,
which executes nothing, and the tree is walked against a whitelist: numbers, names,
parentheses, unary ``+ -``, binary ``+ - * / **`` (``^`` is read as ``**``) and calls of
a few functions. The sympy expression is built node by node from sympy's constructors;
the text itself is never evaluated, compiled for execution or handed to ``sympify``.
Everything else, and anything too long, too deep or too large, raises
:class:`~powergames.errors.FormulaError` naming the construct and its column.

Bounded work. Every sub-expression without names is enclosed, as it is built, in an
interval of double-precision numbers computed with the :mod:`math` module and rounded
outwards: a constant number of float operations per node. A constant whose enclosure
leaves the double range (``exp(exp(100))``) or straddles zero without being exactly
zero (``sin(exp(100))``, whose argument double precision knows only to within ``1e28``)
is refused, so every number sympy later sees is within the double range and has a known
sign. The decisions sympy would take with arbitrary precision are taken on the
enclosures instead, before any sympy constructor is called: which argument of ``min``
or ``max`` is the largest, the sign under ``abs``, and whether a square root, a
logarithm, a fractional power or a division is defined; what the enclosures cannot
decide is refused. ``min``, ``max`` and ``abs`` of expressions with names are built
unevaluated, so sympy never compares them, and sympy sees each name as a real (or
complex) symbol without a sign, so that its sign inference never isolates polynomial
roots; the symbols given in ``allowed`` are put back at the end, unevaluated.

Names are read as Python reads them, after Unicode normalisation (NFKC), which turns
the script small e (U+212F) into the letter ``e``, and the mathematical italic x
(U+1D465) into ``x``. A name whose spelling normalisation changes is refused, so that no
formula means something other than it shows: Euler's number is written ``exp(1)``.
"""

from __future__ import annotations

import ast
import math
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any

import sympy

from powergames._enclosure import NOT_REAL, Enclosures, Refusal
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


def _log_power_bits(expr: sympy.Expr) -> float:
    """The bits of the exact power sympy computes if exp is applied to ``expr`` (or to a
    sum with it): it rewrites ``exp(c*log(r))`` as ``r**c``, ``(5/2)**4000000`` from
    ``exp(log(2.5, exp(2.5e-7)))``. Terms that sympy collects inside one constructor
    were each checked here, so such a sum stays within a few times the limit."""
    worst = 0.0
    for term in expr.args if expr.is_Add else (expr,):
        coefficient, rest = term.as_coeff_Mul()
        if coefficient.is_Rational and rest.has(sympy.log):
            worst = max(worst, _bits(rest) * float(abs(coefficient)))
    return worst


class _Builder:
    """Walks a syntax tree against the whitelist, building the sympy expression and
    checking each constant sub-expression on its enclosure as it is built."""

    def __init__(
        self, source: _Source, names: dict[str, sympy.Expr] | None, max_depth: int, max_exp: int
    ) -> None:
        self.source, self.names, self.max_depth, self.max_exp = source, names, max_depth, max_exp
        self.min_max_arguments = 0
        self.enclose = Enclosures()

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

    def spelled(self, node: ast.Name) -> str:
        """The name, refused if Unicode normalisation changed how it is written."""
        begin = self.source.index(node.lineno, node.col_offset)
        written = self.source.text[begin : self.source.index(node.end_lineno, node.end_col_offset)]  # type: ignore[arg-type]
        if written != node.id:
            hint = ", or exp(1) for Euler's number" if node.id == "e" else ""
            message = (
                f"name {written!r} is read as {node.id!r} after Unicode normalisation (NFKC); "
                f"write {node.id!r}{hint}"
            )
            raise self.source.error(node, message)
        return node.id

    def name(self, node: ast.Name) -> sympy.Expr:
        name = self.spelled(node)
        if self.names is not None and name in self.names:
            return self.names[name]
        if name == "pi":
            return sympy.pi
        if name in _FUNCTIONS:
            raise self.source.error(node, f"function {name!r} is not called")
        if self.names is None:
            return sympy.Symbol(name, real=True)
        known = ", ".join(sorted({*self.names, "pi"}))
        raise self.source.error(node, f"name {name!r} is not allowed (allowed: {known})")

    def power(self, node: ast.AST, base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
        times, bounds = 1.0, self.enclose(exponent)
        if bounds is not None:
            size = max(-bounds[0], bounds[1])
            too_big = abs(exponent) > self.max_exp if exponent.is_Number else size > self.max_exp
            if too_big:
                raise self.source.error(node, f"exponent {exponent} beyond ±{self.max_exp}")
            times = max(size, 1.0)
            sign = self.enclose.sign(base)
            if sign == 0 and bounds[1] < 0:
                raise Refusal("division by zero, not a finite real number")
            if sign == -1 and not exponent.is_Integer:
                raise Refusal("fractional power of a negative number, not a real number")
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
        if any(isinstance(op, ast.Div) and self.enclose.sign(t) == 0 for op, t in terms):
            raise Refusal("division by zero, not a finite real number")
        return sympy.Mul(*(sympy.Pow(t, -1) if isinstance(op, ast.Div) else t for op, t in terms))

    def extreme(self, function: Any, args: list[sympy.Expr]) -> sympy.Expr:
        """Min or Max: the constants reduced to their extreme on their enclosures, the
        rest left unevaluated (sympy would compare them, at arbitrary cost)."""
        parts = [part for arg in args for part in (arg.args if type(arg) is function else [arg])]
        numbers = [part for part in parts if self.enclose(part) is not None]
        others = [part for part in parts if self.enclose(part) is None]
        if numbers:
            way = 1 if function is sympy.Max else -1
            best = numbers[0]
            for number in numbers[1:]:
                if (self.enclose.compare(number, best) or 0) * way > 0:
                    best = number
            for number in numbers:
                order = self.enclose.compare(number, best)
                if order is None or order * way > 0:
                    name = function.__name__.lower()
                    raise Refusal(
                        f"{name} cannot tell {best} and {number} apart in double precision"
                    )
            others.append(best)
        return others[0] if len(others) == 1 else function(*others, evaluate=False)

    def absolute(self, arg: sympy.Expr) -> sympy.Expr:
        sign = self.enclose.sign(arg)
        return sympy.Abs(arg, evaluate=False) if sign is None else -arg if sign < 0 else arg

    def logarithm(self, arg: sympy.Expr, base: sympy.Expr | None = None) -> sympy.Expr:
        sign = self.enclose.sign(arg)
        if sign == 0:
            raise Refusal("log of zero, not a finite real number")
        if sign == -1:
            raise Refusal("log of a negative number, not a real number")
        if base is None:
            return sympy.log(arg)
        bounds = self.enclose(base)
        if bounds is not None and not (bounds[0] > 0 and (bounds[1] < 1 or bounds[0] > 1)):
            raise Refusal(f"log base must be positive and different from 1, got {base}")
        return sympy.log(arg, base)

    def call(self, node: ast.Call, depth: int) -> sympy.Expr:
        if not isinstance(node.func, ast.Name):
            self.build(node.func, depth + 1)  # names the refused construct, if any
            raise self.source.error(node, "calling an expression is not allowed")
        name = self.spelled(node.func)
        if name not in _FUNCTIONS:
            known = ", ".join(_FUNCTIONS)
            raise self.source.error(node, f"function {name!r} is unknown (known: {known})")
        function, least, most = _FUNCTIONS[name]
        if node.keywords:
            raise self.source.error(node, "keyword arguments are not allowed")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.source.error(arg, "starred argument is not allowed")
        if not least <= len(node.args) <= most:
            count = "1 argument" if most == 1 else f"{least} to {most} arguments"
            raise self.source.error(node, f"{name} takes {count}")
        args = [self.build(arg, depth + 1) for arg in node.args]
        if function in (sympy.Min, sympy.Max):
            self.min_max_arguments += len(args)
            if self.min_max_arguments > _MAX_MIN_MAX_ARGUMENTS:
                message = f"more than {_MAX_MIN_MAX_ARGUMENTS} arguments to min and max in all"
                raise self.source.error(node, message)
            return self.extreme(function, args)
        if any(_bits(arg) > _MAX_NUMBER_BITS for arg in args):
            raise self.source.error(node, f"argument with numbers beyond {_MAX_NUMBER_BITS} bits")
        if function is sympy.Abs:
            return self.absolute(args[0])
        if function is sympy.log:
            return self.logarithm(*args)
        if function is sympy.sqrt and self.enclose.sign(args[0]) == -1:
            raise Refusal("square root of a negative number, not a real number")
        return function(*args)

    def build(self, node: ast.AST, depth: int) -> sympy.Expr:
        if depth > self.max_depth:
            raise self.source.error(node, f"formula nested deeper than {self.max_depth}")
        try:
            expr = self._build(node, depth)
            self.enclose.check(expr)
            if _log_power_bits(expr) > _MAX_NUMBER_BITS:
                raise Refusal(
                    f"a multiple of a logarithm whose exp would be an exact power of "
                    f"more than {_MAX_NUMBER_BITS} bits"
                )
            return expr
        except FormulaError:
            raise
        except Refusal as why:
            raise self.source.error(node, str(why)) from None
        except (ArithmeticError, TypeError, ValueError) as error:  # from sympy, unforeseen
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


def _without_signs(
    names: dict[str, sympy.Expr],
) -> tuple[dict[str, sympy.Expr], dict[sympy.Basic, sympy.Basic]]:
    """The names with each symbol replaced by a real (or complex) symbol of the same name
    and no sign, and the map back. Given ``t`` positive, sympy's sign inference on a
    polynomial in ``t`` isolates its real roots (seconds at degree 100, and unbounded);
    without a sign it stops at once. Every simplification valid for a real symbol is
    valid for a positive one, so the expression stays right once ``t`` is put back."""
    symbols = {s for value in names.values() for s in value.free_symbols}
    plain: dict[sympy.Basic, sympy.Basic] = {}
    for symbol in sorted(symbols, key=str):
        if isinstance(symbol, sympy.Symbol) and symbol.is_commutative:
            bare = (
                sympy.Symbol(symbol.name, real=True)
                if symbol.is_real
                else sympy.Symbol(symbol.name)
            )
            if bare != symbol and bare not in symbols and bare not in plain.values():
                plain[symbol] = bare
    if not plain:
        return names, {}
    with sympy.evaluate(False):
        stripped = {name: value.xreplace(plain) for name, value in names.items()}
    return stripped, {bare: symbol for symbol, bare in plain.items()}


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
        or a function argument may not hold numbers beyond 1024 bits, nor a multiple of
        a logarithm whose exp would be such a power; number literals have at most 30
        digits, and min and max take 32 arguments in all.

    Returns
    -------
    sympy.Expr
        The formula, with its numbers exact. A sub-expression without names has a
        finite real value within the double range; ``min``, ``max`` and ``abs`` of
        constants are resolved, and left unevaluated where they hold names.

    Raises
    ------
    FormulaError
        For a text that is not a str, empty, too long, too deep, malformed, or uses a
        construct, name, function or number outside the whitelist and limits, or a name
        that Unicode normalisation changes (the script e, U+212F, reads as ``e``). For
        a sub-expression, named in the message, whose value is not real (``sqrt(-1)``, ``log(-2)``,
        ``(-8)^(1/3)``), infinite or undefined (``1/0``, ``log(0)``, ``tan(pi/2)``),
        beyond double precision (``exp(exp(100))``), or that double precision cannot
        decide (``sin(exp(100))``; ``max`` of two constants equal to 16 digits), and for
        a ``log`` base that is not positive and different from 1. The message names
        the construct and its column.
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
    names, restore = _names(allowed), dict[sympy.Basic, sympy.Basic]()
    if names is not None:
        names, restore = _without_signs(names)
    source = _Source(text)
    level = 0
    for position, char in enumerate(text):  # ast.parse recurses on nesting
        level = level + 1 if char in "([{" else max(level - 1, 0) if char in ")]}" else level
        if level > max_depth:
            where = source.where(position)
            raise FormulaError(f"formula nested deeper than {max_depth} ({where})")
    try:
        with warnings.catch_warnings():  # Python warns on text such as "1and x"
            warnings.simplefilter("ignore", SyntaxWarning)
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
    if result.has(*NOT_REAL):
        raise FormulaError(f"the formula's value is not a finite real number: {result}")
    if restore:
        with sympy.evaluate(False):  # the structure is built; evaluation could be costly
            result = result.xreplace(restore)
    return result
