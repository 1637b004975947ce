"""Payoff formulas as text: the whitelist, exact numbers, limits, refusals, safety."""

from __future__ import annotations

import ast
import builtins
import contextlib
import inspect
import math
import operator
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any, TypeVar

import mpmath
import pytest
import sympy
from hypothesis import assume, given, reject, settings
from hypothesis import strategies as st

import powergames.formula
from powergames import SymbolicGame
from powergames._enclosure import Enclosures
from powergames.errors import FormulaError, InvalidParameterError, PowergamesError
from powergames.formula import parse_formula
from powergames.partnership import load_scenario

T = TypeVar("T")

x, y, z = sympy.symbols("x y z", real=True)


def real(*names: str) -> list[sympy.Symbol]:
    return [sympy.Symbol(name, real=True) for name in names]


# ---------------------------------------------------------------------------------------
# Accepted formulas


def test_payoff_formula_with_allowed_names() -> None:
    lam, lp, lm, R, g = real("lam", "lp", "lm", "R", "g")
    got = parse_formula("lam*(lp + lm) - R + g", ["lam", "lp", "lm", "R", "g"])
    assert got == lam * (lp + lm) - R + g
    assert sympy.simplify(got - (lam * lp + lam * lm - R + g)) == 0


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.1 + 1/3", sympy.Rational(13, 30)),
        ("1e-3", sympy.Rational(1, 1000)),
        ("2.5E+2", sympy.Integer(250)),
        (".5 + 5.", sympy.Rational(11, 2)),
        ("1_000.25", sympy.Rational(4001, 4)),
        ("0.000000000000000000000001", sympy.Rational(1, 10**24)),
        ("0x10 + 0o7 + 0b1", sympy.Integer(24)),
        ("2^3", sympy.Integer(8)),
        ("2^-1", sympy.Rational(1, 2)),
        ("2 ^ 3 ^ 2", sympy.Integer(512)),  # right-associative, like **
        ("(-8)^2", sympy.Integer(64)),
        ("10**-100", sympy.Rational(1, 10**100)),
        ("-3 - -2 + +1", sympy.Integer(0)),
        ("12 / 4 / 3 * 2", sympy.Integer(2)),
        ("min(3, 1/2, 2) + max(-1, 0)", sympy.Rational(1, 2)),
        ("abs(-3) + Abs(2)", sympy.Integer(5)),
        ("cos(pi) + sin(0) + tan(0) + exp(0) + log(1) + sqrt(4)", sympy.Integer(2)),
        ("log(8, 2)", sympy.Integer(3)),
    ],
)
def test_numbers_are_exact(text: str, value: sympy.Expr) -> None:
    got = parse_formula(text)
    assert got == value
    assert not got.has(sympy.Float)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-x**2", -(x**2)),
        ("x^2 + y", x**2 + y),
        ("sqrt(y) + max(x, y)", sympy.sqrt(y) + sympy.Max(x, y)),
        ("Min(x, y, z) * exp(-x) / log(y)", sympy.Min(x, y, z) * sympy.exp(-x) / sympy.log(y)),
        ("x - y - z", x - y - z),
        ("x - (y - z)", x - y + z),
        ("x / y / z", x / (y * z)),
        ("x / (y / z)", x * z / y),
        ("(x +\n y)", x + y),
        ("x  # a comment", x),
        ("  x + 1", x + 1),  # leading blanks, as in indented scenario files
        ("\n\tx\n", x),
        ("2*pi*x", 2 * sympy.pi * x),
    ],
)
def test_structure(text: str, expected: sympy.Expr) -> None:
    assert parse_formula(text) == expected


def test_names_become_real_symbols() -> None:
    got = parse_formula("a + b", ["a", "b"])
    assert got.free_symbols == {sympy.Symbol("a", real=True), sympy.Symbol("b", real=True)}
    assert all(symbol.is_real for symbol in parse_formula("p * q").free_symbols)


def test_mapping_substitutes_values_and_symbols() -> None:
    theta = sympy.Symbol("theta", positive=True)
    got = parse_formula("phi * t + 1", {"phi": sympy.Rational(1, 2), "t": theta})
    assert got == theta / 2 + 1
    assert parse_formula("2*phi", {"phi": sympy.Rational(1, 2)}) == 1


def test_pi_is_sympy_pi_unless_shadowed() -> None:
    assert parse_formula("pi") is sympy.pi
    assert parse_formula("pi", ["x"]) is sympy.pi
    assert parse_formula("pi + 1", {"pi": sympy.Integer(3)}) == 4
    assert parse_formula("pi", ["pi"]) == sympy.Symbol("pi", real=True)


def test_long_flat_chains_are_one_level() -> None:
    assert parse_formula("+".join(["x"] * 400)) == 400 * x
    assert parse_formula("*".join(["x"] * 400)) == x**400
    assert parse_formula("-".join(["x"] * 300)) == -298 * x


def test_printed_expressions_parse_back() -> None:
    expressions = [
        sympy.Max(x, 2 * y) - sympy.Abs(z) / 3,
        sympy.Min(x, y) * sympy.sqrt(x) + sympy.Rational(-7, 9),
        sympy.exp(x) * sympy.log(y) ** 2 - sympy.pi * sympy.sin(z),
    ]
    for expression in expressions:
        assert parse_formula(str(expression)) == expression


def test_limits_are_adjustable() -> None:
    assert parse_formula("x**3", max_exponent=3) == x**3
    with pytest.raises(FormulaError, match="exponent 4"):
        parse_formula("x**4", max_exponent=3)
    assert parse_formula("x" * 10, max_length=10) == sympy.Symbol("x" * 10, real=True)
    with pytest.raises(FormulaError, match="11 characters"):
        parse_formula("x" * 11, max_length=10)
    assert parse_formula("((x))", max_depth=2) == x
    with pytest.raises(FormulaError, match="deeper than 2"):
        parse_formula("(((x)))", max_depth=2)
    with pytest.raises(FormulaError, match="deeper than 3"):
        parse_formula("---x", max_depth=3)
    with pytest.raises(FormulaError, match="deeper than 3"):
        parse_formula("sin(cos(tan(x)))", max_depth=3)


# ---------------------------------------------------------------------------------------
# Refused formulas

REFUSED = {
    "dunder import": ("__import__('os').system('true')", "attribute access"),
    "subclasses": ("().__class__.__bases__[0].__subclasses__()", "attribute access"),
    "attribute": ("x.real", "attribute access"),
    "subscript": ("x[0]", "subscripting"),
    "lambda": ("lambda: 1", "lambda"),
    "comprehension": ("[i for i in range(3)]", "comprehension"),
    "generator": ("exp(i for i in x)", "generator"),
    "list": ("[1, 2]", "list"),
    "tuple": ("(1, 2)", "tuple"),
    "dict": ("{1: 2}", "dict"),
    "set": ("{1}", "set"),
    "string": ('"abc"', "string"),
    "bytes": ("b'x'", "bytes"),
    "conditional": ("1 if x else 2", "conditional"),
    "comparison": ("x < 1", "comparison"),
    "chained comparison": ("0 <= x <= 1", "comparison"),
    "and": ("x and y", "boolean"),
    "or": ("x or y", "boolean"),
    "not": ("not x", "not"),
    "invert": ("~x", "operator ~"),
    "modulo": ("x % 2", "operator %"),
    "floor division": ("x // 2", "operator //"),
    "matmul": ("x @ y", "operator @"),
    "shift": ("x << 2", "operator <<"),
    "bitwise and": ("x & y", "operator &"),
    "bitwise or": ("x | y", "operator |"),
    "unknown function": ("f(x)", "function 'f' is unknown"),
    "builtin function": ("print(x)", "function 'print' is unknown"),
    "call of an expression": ("(x + y)(2)", "calling an expression"),
    "call of a call": ("exp(x)(2)", "calling an expression"),
    "uncalled function": ("exp + 1", "function 'exp' is not called"),
    "exp arity": ("exp(x, y)", "exp takes 1 argument"),
    "exp no argument": ("exp()", "exp takes 1 argument"),
    "log arity": ("log(x, 2, 3)", "log takes 1 to 2 arguments"),
    "min arity": ("min(x)", "min takes 2 to"),
    "max arity": ("max(x)", "max takes 2 to"),
    "keywords": ("max(x, y, key=1)", "keyword"),
    "keyword splat": ("max(x, y, **k)", "keyword"),
    "starred call": ("max(*args)", "starred"),
    "bare starred": ("*args", "invalid syntax"),
    "tower of nines": ("9**9**9", "exponent 387420489"),
    "tower with caret": ("9^9^9", "exponent 387420489"),
    "big exponent": ("2**1000", "exponent 1000"),
    "big negative exponent": ("10**-200", "exponent -200"),
    "exponent computed": ("x**(10*11)", "exponent 110"),
    "exponent as a decimal": ("x**100.5", "exponent 201/2"),
    "power of powers": ("(10**29)**100", "1024 bits"),
    "stacked powers": ("((7**90)**90)**90", "1024 bits"),
    "huge argument": (
        "sqrt(" + "*".join(["99999999999999999999"] * 20) + ")",
        "beyond the double-precision range",
    ),
    "argument of many digits": (
        "sqrt(" + "*".join(["(10**29 + 1)/10**29"] * 12) + ")",
        "1024 bits",
    ),
    "too long": ("x" * 2000, "2000 characters"),
    "too deep": ("(" * 200 + "x" + ")" * 200, "deeper than 50"),
    "too deep unary": ("-" * 60 + "x", "deeper than 50"),
    "too deep calls": ("sin(" * 60 + "x" + ")" * 60, "deeper than 50"),
    "too deep powers": ("x**" * 60 + "x", "deeper than 50"),
    "too many digits": ("1" * 50, "30 digits"),
    "too many decimal digits": ("0." + "1" * 40, "30 digits"),
    "huge scientific": ("1e400", "30 digits"),
    "absurd scientific": ("1e999999999", "30 digits"),
    "tiny scientific": ("1e-99999", "30 digits"),
    "empty": ("", "empty"),
    "blank": ("  \t\n ", "empty"),
    "assignment": ("x = 1", "invalid syntax"),
    "statements": ("x; y", "invalid syntax"),
    "import": ("import os", "invalid syntax"),
    "walrus": ("(x := 1)", "assignment expression"),
    "true": ("True", "boolean literal"),
    "none": ("None", "None"),
    "complex": ("1j", "complex literal"),
    "ellipsis": ("...", "Ellipsis"),
    "f-string": ("f'{x}'", "f-string"),
    "yield": ("(yield x)", "Yield is not allowed"),
    "await": ("(await x)", "Await is not allowed"),
    "null byte": ("x\x00", "null bytes"),
    "unclosed": ("(x + 1", "never closed"),
    "dangling operator": ("x +", "invalid syntax"),
    "too many min and max": (
        "max(" + ", ".join(f"min(a{i}, b{i})" for i in range(12)) + ")",
        "more than 32 arguments",
    ),
    "division by zero": ("1/0", "not a finite real number"),
    "zero to a negative power": ("0**-1", "not a finite real number"),
    "symbolic division by zero": ("x/(x - x)", "not a finite real number"),
    "log of zero": ("log(0)", "not a finite real number"),
    "imaginary": ("sqrt(-1)", r"square root of a negative number.*\): sqrt\(-1\)$"),
    "imaginary times a name": ("x*log(-2)", r"log of a negative number.*\): log\(-2\)$"),
    "cube root of a negative": ("(-8)^(1/3)", "fractional power of a negative number"),
    "incomparable": ("max(sqrt(-1), 1)", r"square root of a negative.*\): sqrt\(-1\)$"),
}


@pytest.mark.parametrize(("text", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_refused(text: str, message: str) -> None:
    with pytest.raises(FormulaError, match=message):
        parse_formula(text)


@pytest.mark.parametrize("text", [None, 3, 2.5, b"x", ["x"], sympy.Symbol("x")])
def test_non_str_is_refused(text: Any) -> None:
    with pytest.raises(FormulaError, match="must be a str"):
        parse_formula(text)


def test_formula_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_formula("x.real")


def test_name_outside_allowed_is_named_with_the_allowed_ones() -> None:
    with pytest.raises(FormulaError) as caught:
        parse_formula("alpha*x + beta", ["x", "alpha"])
    message = str(caught.value)
    assert "'beta'" in message
    assert "alpha, pi, x" in message
    assert "column 11" in message
    with pytest.raises(FormulaError, match="'y' is not allowed"):
        parse_formula("x + y", {"x": x})


@pytest.mark.parametrize(
    ("text", "where", "excerpt"),
    [
        ("x + y.real", "column 5", "y.real"),
        ("x^2 + y.real", "column 7", "y.real"),  # ^ is one character of the text
        ("x^2^3 + y[0]", "column 9", "y[0]"),
        ("λ + μ.real", "column 5", "μ.real"),  # characters, not UTF-8 bytes
        ("(x +\n  y.real)", "line 2, column 3", "y.real"),
        ("  x.real", "column 3", "x.real"),
        ("x + 10**-200", "column 5", "10**-200"),
        ("x +* 2", "column 4", ""),
    ],
)
def test_errors_give_the_position_in_the_text(text: str, where: str, excerpt: str) -> None:
    with pytest.raises(FormulaError) as caught:
        parse_formula(text)
    assert f"({where})" in str(caught.value)
    assert str(caught.value).endswith(excerpt)


def test_malformed_allowed_is_refused() -> None:
    with pytest.raises(InvalidParameterError, match="not the str"):
        parse_formula("x", "x")
    with pytest.raises(InvalidParameterError, match="sympy expressions"):
        parse_formula("x", {"x": 0.5})
    with pytest.raises(InvalidParameterError, match="sympy expressions"):
        parse_formula("x", [1])  # type: ignore[list-item]


# ---------------------------------------------------------------------------------------
# Never evaluates the text


def test_parses_without_eval_or_sympify(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the text was handed to an evaluator")

    sympify_module = sys.modules["sympy.core.sympify"]
    real_sympify = sympify_module.sympify

    def sympify_no_text(a: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(a, str):
            raise AssertionError(f"sympify called on the text {a!r}")
        return real_sympify(a, *args, **kwargs)

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    monkeypatch.setattr(sympy, "sympify", refuse)
    monkeypatch.setattr(sympy, "parse_expr", refuse)
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", refuse)
    monkeypatch.setattr(sympify_module, "sympify", sympify_no_text)
    got = parse_formula("lam*(lp + lm) - R^2 + max(g, 0.5) / sqrt(3)")
    lam, lp, lm, R, g = real("lam", "lp", "lm", "R", "g")
    assert got == lam * (lp + lm) - R**2 + sympy.Max(g, sympy.Rational(1, 2)) / sympy.sqrt(3)


def test_module_calls_no_evaluator() -> None:
    tree = ast.parse(inspect.getsource(powergames.formula))
    evaluators = {"eval", "exec", "compile", "__import__", "sympify", "parse_expr", "S"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                assert func.id not in evaluators, ast.unparse(node)
            elif isinstance(func, ast.Attribute) and ast.unparse(func) != "re.compile":
                assert func.attr not in evaluators, ast.unparse(node)


# ---------------------------------------------------------------------------------------
# Properties: agreement with exact arithmetic; garbage in, FormulaError out

NAMES = ("x", "y", "z")
leaves = st.one_of(
    st.integers(0, 9).map(lambda n: ("num", Fraction(n), str(n))),
    st.integers(0, 40).map(lambda n: ("num", Fraction(n, 4), repr(n / 4))),  # 2.25, 10.0
    st.sampled_from(NAMES).map(lambda name: ("var", name)),
)


def extend(children: st.SearchStrategy[tuple[Any, ...]]) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.one_of(
        st.tuples(st.sampled_from("+-*/"), children, children),
        st.tuples(st.just("neg"), children),
        st.tuples(st.just("pow"), children, st.integers(-2, 3), st.booleans()),
    )


trees = st.recursive(leaves, extend, max_leaves=8)


def render(tree: tuple[Any, ...]) -> str:
    kind = tree[0]
    if kind in ("num", "var"):
        return str(tree[-1] if kind == "num" else tree[1])
    if kind == "neg":
        return f"(-{render(tree[1])})"
    if kind == "pow":
        return f"({render(tree[1])}){'^' if tree[3] else '**'}{tree[2]}"
    return f"({render(tree[1])} {kind} {render(tree[2])})"


def evaluate(tree: tuple[Any, ...], point: dict[str, Fraction]) -> Fraction:
    """The tree's exact value; raises ZeroDivisionError like Python's fractions."""
    kind = tree[0]
    if kind == "num":
        return tree[1]  # type: ignore[no-any-return]
    if kind == "var":
        return point[tree[1]]
    if kind == "neg":
        return -evaluate(tree[1], point)
    if kind == "pow":
        return evaluate(tree[1], point) ** tree[2]  # type: ignore[no-any-return]
    a, b = evaluate(tree[1], point), evaluate(tree[2], point)
    if kind == "+":
        return a + b
    if kind == "-":
        return a - b
    return a * b if kind == "*" else a / b


def shape(tree: tuple[Any, ...]) -> tuple[int, int]:
    """Depth, and the largest product of |exponents| along a path (numbers' growth)."""
    kind = tree[0]
    if kind in ("num", "var"):
        return 1, 1
    shapes = [shape(child) for child in tree[1:] if isinstance(child, tuple)]
    growth = max(growth for _, growth in shapes)
    if kind == "pow":
        growth *= max(abs(tree[2]), 1)
    return 1 + max(depth for depth, _ in shapes), growth


@given(trees, st.fixed_dictionaries({n: st.fractions(-5, 5, max_denominator=6) for n in NAMES}))
def test_agrees_with_exact_arithmetic(tree: tuple[Any, ...], point: dict[str, Fraction]) -> None:
    depth, growth = shape(tree)
    assume(depth <= 12 and growth <= 16)  # within max_depth and the 1024-bit number limit
    try:
        value = evaluate(tree, point)
    except ZeroDivisionError:
        reject()
    expr = parse_formula(render(tree))
    symbols = {sympy.Symbol(n, real=True): sympy.Rational(v.numerator, v.denominator)
               for n, v in point.items()}  # fmt: skip
    assert expr.subs(symbols) == sympy.Rational(value.numerator, value.denominator)


formula_text = st.text(
    alphabet="xyz0123456789.e_+-*/^()[]{},:;=<>!%&|~'\" \nabcdijklmnopqrst", max_size=60
)


@given(st.one_of(st.text(max_size=40), formula_text))
def test_garbage_is_a_formula_or_a_formula_error(text: str) -> None:
    try:
        result = parse_formula(text)
    except FormulaError:
        return
    assert isinstance(result, sympy.Expr)


# ---------------------------------------------------------------------------------------
# Refusals where a sub-expression is built, naming it


@pytest.mark.parametrize(
    ("text", "message", "excerpt"),
    [
        ("sqrt(-1)*sqrt(-1)", "square root of a negative number", "sqrt(-1)"),
        ("cos(sqrt(-1))", "square root of a negative number", "sqrt(-1)"),
        ("x + sqrt(1 - pi)", "square root of a negative number", "sqrt(1 - pi)"),
        ("0*log(-2)", "log of a negative number", "log(-2)"),
        ("log(1 - exp(1), 2)", "log of a negative number", "log(1 - exp(1), 2)"),
        ("x*log(0)", "log of zero, not a finite real number", "log(0)"),
        ("(1 - 2)^0.5 * 0", "fractional power of a negative number", "(1 - 2)^0.5"),
        ("(sin(1) - 1)**(1/3)", "fractional power of a negative number", "(sin(1) - 1)**(1/3)"),
        ("(-8)**(2/3)", "fractional power of a negative number", "(-8)**(2/3)"),
        ("x/(pi - pi)", "division by zero", "x/(pi - pi)"),
        ("(sqrt(2) - sqrt(2))**-2", "division by zero", "(sqrt(2) - sqrt(2))**-2"),
    ],
)
def test_non_real_sub_expressions_are_refused_where_built(
    text: str, message: str, excerpt: str
) -> None:
    with pytest.raises(FormulaError, match=message) as caught:
        parse_formula(text)
    assert str(caught.value).endswith(f": {excerpt}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(-2)**3 + (-8)**(2/2)", sympy.Integer(-16)),  # integer powers of negatives are real
        ("sqrt(0) + 0**0.5 + log(1)", sympy.Integer(0)),
        ("sqrt(x - 1)", sympy.sqrt(x - 1)),  # a sign that depends on x: for evaluation
        ("(-2)**x", (-2) ** x),
    ],
)
def test_real_values_and_names_are_not_refused(text: str, expected: sympy.Expr) -> None:
    assert parse_formula(text) == expected


@pytest.mark.parametrize(
    "text",
    ["log(x, 0)", "log(x, -2)", "log(x, 1)", "log(8, 0)", "log(x, 2 - 1)",
     "log(x, sin(1)**2 + cos(1)**2)", "log(x, 1 - exp(2))"],
)  # fmt: skip
def test_log_base_must_be_positive_and_different_from_one(text: str) -> None:
    with pytest.raises(FormulaError, match="log base must be positive and different from 1"):
        parse_formula(text)


def test_log_bases_below_one_and_names_are_accepted() -> None:
    assert parse_formula("log(x, 1/2)") == -sympy.log(x) / sympy.log(2)
    assert parse_formula("log(8, 2)") == 3
    assert float(parse_formula("log(9, 1/3)")) == pytest.approx(-2)
    assert parse_formula("log(x, y)") == sympy.log(x) / sympy.log(y)


@pytest.mark.parametrize(
    ("text", "written", "read"),
    [
        ("\u212f", "\u212f", "e"),  # script small e: not Euler's number
        ("2*\u212f + 1", "\u212f", "e"),
        ("\U0001d465 + x", "\U0001d465", "x"),  # mathematical italic x
        ("x + \ufb01", "\ufb01", "fi"),  # the ligature fi
        ("\uff45\uff58\uff50(1)", "\uff45\uff58\uff50", "exp"),  # full-width exp
    ],
)
def test_names_that_unicode_normalisation_changes_are_refused(
    text: str, written: str, read: str
) -> None:
    with pytest.raises(FormulaError, match="Unicode normalisation") as caught:
        parse_formula(text)
    assert f"name {written!r} is read as {read!r}" in str(caught.value)
    assert str(caught.value).endswith(f": {written}")


def test_eulers_number_is_exp_1_and_e_a_name() -> None:
    assert parse_formula("exp(1)") is sympy.E
    assert parse_formula("e") == sympy.Symbol("e", real=True)
    with pytest.raises(FormulaError, match=r"exp\(1\) for Euler's number"):
        parse_formula("\u212f")
    assert parse_formula("λ + μ") == sympy.Symbol("λ", real=True) + sympy.Symbol("μ", real=True)


# ---------------------------------------------------------------------------------------
# Bounded work: sympy never evaluates a constant beyond double precision

BOUND = 2.0  # seconds per formula: a bound on unbounded work (hangs ran > 120 s), not speed


class Hung(BaseException):
    """Raised by the watchdog; a BaseException so that no `except Exception` in sympy
    swallows it."""


@contextlib.contextmanager
def watchdog(seconds: float = 10 * BOUND) -> Iterator[None]:
    """Fail, rather than hang the suite, if the body runs far beyond the bound."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)  # and every second after, if caught
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def within_bound(call: Callable[[], T]) -> T | PowergamesError:
    """The call's result, or the PowergamesError it raised, asserting it took < BOUND."""
    start = time.perf_counter()
    with watchdog():
        try:
            outcome: T | PowergamesError = call()
        except PowergamesError as error:
            outcome = error
    elapsed = time.perf_counter() - start
    assert elapsed < BOUND, f"{elapsed:.2f} s"
    return outcome


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("max(sin(exp(exp(100))), 0)", "exp(exp(100))"),
        ("abs(sin(exp(exp(100))))", "exp(exp(100))"),
        ("log(sin(exp(exp(100))))", "exp(exp(100))"),
        ("min(x, cos(exp(exp(100))))", "exp(exp(100))"),
        ("max(sin(exp(exp(6.5))**100), 0)", "exp(exp(6.5))**100"),
        ("exp(exp(exp(100)))", "exp(exp(100))"),
        ("x*exp(710)", "exp(710)"),
        ("max(sin(exp(100)), 0)", "sin(exp(100))"),  # its argument known to within 1e28
        ("exp(-1000) + x", "exp(-1000)"),  # underflows: its sign is lost
    ],
)
def test_constants_beyond_double_precision_are_refused_at_once(text: str, excerpt: str) -> None:
    outcome = within_bound(lambda: parse_formula(text))
    assert isinstance(outcome, FormulaError)
    assert "double precision" in str(outcome) or "double-precision" in str(outcome)
    assert str(outcome).endswith(f": {excerpt}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("max(sqrt(2) + sqrt(3), sqrt(5 + 2*sqrt(6)))", "max cannot tell"),  # equal
        ("min(pi, 3.14159265358979323846264338)", "min cannot tell"),  # 1e-27 apart
        ("abs(sin(1)**2 + cos(1)**2 - 1)", "not determined in double precision"),
        ("sqrt((sqrt(2) + sqrt(3))**2 - 5 - 2*sqrt(6))", "not determined in double"),
    ],
)
def test_what_double_precision_cannot_decide_is_refused(text: str, message: str) -> None:
    outcome = within_bound(lambda: parse_formula(text))
    assert isinstance(outcome, FormulaError)
    assert message in str(outcome)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("max(sin(1), cos(1), 1/2)", sympy.sin(1)),
        ("min(sqrt(2), 1.5, 7/5)", sympy.Rational(7, 5)),
        ("max(1/3, 0.333333333333333333333)", sympy.Rational(1, 3)),  # exactly, though close
        ("abs(1 - pi) + abs(sin(2))", sympy.pi - 1 + sympy.sin(2)),
        ("max(x, 1, 2, max(x, 3))", sympy.Max(x, 3)),
        ("min(x, min(y, 1))", sympy.Min(x, y, 1)),
        ("abs(-x)", sympy.Abs(-x, evaluate=False)),  # with a name: left to evaluation
        ("exp(709) - exp(709) + sin(exp(30))", sympy.sin(sympy.exp(30))),
        ("tan(pi/2 + 1)", -sympy.cot(1)),
    ],
)
def test_min_max_abs_of_constants_are_decided_exactly(text: str, expected: sympy.Expr) -> None:
    assert parse_formula(text) == expected


def test_signs_of_symbols_do_not_reach_sympy_sign_inference() -> None:
    # With t positive, sympy isolates the roots of the polynomial to sign it (it ran
    # for minutes); the formula is built with a real t and t put back.
    t = sympy.Symbol("t", positive=True)
    polynomial = "+".join(f"{(-1) ** k * (k * 37 % 91 + 1)}*t**{k}" for k in range(60))
    for text in (f"abs({polynomial})", f"exp({polynomial})", f"log(2, {polynomial})"):
        got = within_bound(lambda: parse_formula(text, {"t": t}))  # noqa: B023
        assert isinstance(got, sympy.Expr)
        assert got.free_symbols == {t}
    # The price: simplifications that need t's sign are not made (still equal at every t).
    unsimplified = sympy.Abs(t, evaluate=False) + sympy.Max(t, 0, evaluate=False)
    assert parse_formula("sqrt(t**2) + max(t, 0)", {"t": t}) == unsimplified
    game = within_bound(lambda: SymbolicGame([[f"sin({polynomial})", "t"]], [["t", 0]], [t]))
    assert isinstance(game, SymbolicGame)
    assert game.parameters == (t,)


# Formulas over the whole whitelist, nested: exp, log and powers to leave double
# precision, sin, cos and tan of large arguments, min, max and abs to compare, and
# leaves that are equal without being the same expression. A tree's reference value is
# computed independently with mpmath. Leaf text -> its value, at mpmath's precision:
LEAVES: dict[str, Callable[[], Any]] = {
    **{text: lambda text=text: mpmath.mpmathify(text)
       for text in ("0", "1", "2", "3", "7", "0.5", "1e-3", "2.5e-7", "100", "700", "1e20")},
    "pi": lambda: +mpmath.pi,
    "x": lambda: mpmath.mpf(3) / 7,
    "y": lambda: mpmath.mpf(-5) / 2,
    "exp(100)": lambda: mpmath.exp(100),
    "exp(700)": lambda: mpmath.exp(700),
    "((sqrt(2) + sqrt(3))**2)": lambda: (mpmath.sqrt(2) + mpmath.sqrt(3)) ** 2,
    "(5 + 2*sqrt(6))": lambda: 5 + 2 * mpmath.sqrt(6),
    "(sin(1)**2 + cos(1)**2)": lambda: mpmath.sin(1) ** 2 + mpmath.cos(1) ** 2,
}  # fmt: skip
EXPONENTS = ("2", "3", "-1", "-2", "0.5", "1/3", "10", "100")
POINT = {"x": sympy.Rational(3, 7), "y": sympy.Rational(-5, 2)}

formula_trees = st.recursive(
    st.sampled_from(sorted(LEAVES)).map(lambda leaf: ("leaf", leaf)),
    lambda kids: st.one_of(
        st.tuples(st.sampled_from(("exp", "sin", "cos", "tan", "log", "sqrt", "abs")), kids),
        st.tuples(st.sampled_from(("max", "min")), kids, kids),
        st.tuples(st.sampled_from(("max", "min")), kids, kids, kids),
        st.tuples(st.just("log2"), kids, kids),
        st.tuples(st.sampled_from(("+", "-", "*", "/")), kids, kids),
        st.tuples(st.just("**"), kids, st.sampled_from(EXPONENTS)),
        st.tuples(st.just("neg"), kids),
    ),
    max_leaves=10,
)


def formula_text(tree: tuple[Any, ...]) -> str:
    kind, *args = tree
    if kind == "leaf":
        return str(args[0])
    if kind == "neg":
        return f"(-{formula_text(args[0])})"
    if kind == "**":
        return f"({formula_text(args[0])})**({args[1]})"
    if kind in ("+", "-", "*", "/"):
        return f"({formula_text(args[0])} {kind} {formula_text(args[1])})"
    if kind == "log2":
        return f"log({formula_text(args[0])}, {formula_text(args[1])})"
    return f"{kind}({', '.join(formula_text(arg) for arg in args)})"


class NotReal(Exception):
    """A sub-expression whose value is clearly not real (mpmath says so)."""


class Unknown(Exception):
    """A value mpmath cannot give reliably here (huge, undefined or too close to 0)."""


def mp_value(tree: tuple[Any, ...]) -> Any:
    """The formula's value at POINT with mpmath at the current precision."""
    kind, *args = tree
    if kind == "leaf":
        return LEAVES[args[0]]()
    if kind == "**":
        base, exponent = mp_value(args[0]), Fraction(args[1])
        if base < 0 and exponent.denominator != 1:
            raise NotReal
        value = mpmath.power(base, mpmath.mpf(exponent.numerator) / exponent.denominator)
    else:
        values = [mp_value(arg) for arg in args]
        value = mp_apply(kind, values)
    if abs(value) > 1e300 or 0 < abs(value) < mpmath.mpf(10) ** (-mpmath.mp.dps // 2):
        raise Unknown
    return value


def mp_apply(kind: str, values: list[Any]) -> Any:
    if kind in ("sqrt", "log", "log2") and values[0] < 0:
        raise NotReal
    if (kind in ("log", "log2") and values[0] == 0) or (kind == "/" and values[1] == 0):
        raise Unknown
    if kind == "log2":
        if values[1] <= 0 or values[1] == 1:
            raise Unknown
        return mpmath.log(values[0]) / mpmath.log(values[1])
    functions: dict[str, Callable[..., Any]] = {
        "exp": mpmath.exp, "sin": mpmath.sin, "cos": mpmath.cos, "tan": mpmath.tan,
        "log": mpmath.log, "sqrt": mpmath.sqrt, "abs": abs, "max": max, "min": min,
        "neg": operator.neg, "+": operator.add, "-": operator.sub, "*": operator.mul,
        "/": operator.truediv,
    }  # fmt: skip
    return functions[kind](*values)


def reference(tree: tuple[Any, ...]) -> Any:
    """The value at 60 digits if it agrees with the value at 120 (no cancellation ate
    the digits); NotReal propagates; None when unknown."""
    values = []
    for digits in (60, 120):
        with mpmath.workdps(digits):
            try:
                values.append(mp_value(tree))
            except (Unknown, ZeroDivisionError, OverflowError):
                return None
    if abs(values[0] - values[1]) > mpmath.mpf(10) ** -40 * (1 + abs(values[1])):
        return None
    return values[1]


def evaluated(expr: sympy.Expr) -> Any:
    """The value to 30 digits as an mpmath number, asserting it is a finite real."""
    value = within_bound(lambda: expr.evalf(30))
    assert isinstance(value, sympy.Number), value  # real: evalf gives no imaginary part
    assert value.is_finite, value
    return mpmath.mpf(str(value))


@settings(max_examples=max(300, settings().max_examples))
@given(formula_trees)
def test_formulas_are_bounded_and_finite_real_or_refused(tree: tuple[Any, ...]) -> None:
    text = formula_text(tree)
    outcome = within_bound(lambda: parse_formula(text, POINT))
    try:
        expected = reference(tree)
    except NotReal:
        assert isinstance(outcome, FormulaError), f"accepted a non-real value: {outcome}"
        return
    if isinstance(outcome, PowergamesError):
        assert isinstance(outcome, FormulaError)
        return
    assert not outcome.free_symbols
    with mpmath.workdps(40):
        value = evaluated(outcome)
        if expected is not None:  # min, max and abs decided on enclosures, rightly
            assert abs(value - expected) <= 1e-20 * (1 + abs(expected)), (value, expected)
        low, high = Enclosures()(outcome) or (math.nan, math.nan)  # and the decisions' basis
        error = mpmath.mpf(10) ** -25 * (1 + abs(value))
        assert low - error <= value <= high + error, (low, value, high)


@settings(max_examples=max(100, settings().max_examples))
@given(formula_trees, st.booleans())
def test_formulas_with_names_are_bounded(tree: tuple[Any, ...], positive: bool) -> None:
    text = formula_text(tree)
    symbols = [sympy.Symbol(name, positive=True) if positive else sympy.Symbol(name, real=True)
               for name in ("x", "y")]  # fmt: skip
    outcome = within_bound(lambda: parse_formula(text, {s.name: s for s in symbols}))
    if isinstance(outcome, PowergamesError):
        assert isinstance(outcome, FormulaError)
        return
    assert outcome.free_symbols <= set(symbols)
    game = within_bound(lambda: SymbolicGame([[text, "x"]], [["y", text]], symbols))
    assert isinstance(game, SymbolicGame)
    assert game.payoffs[0][0, 0] == outcome


@given(formula_trees)
def test_scenario_formulas_are_bounded(tree: tuple[Any, ...]) -> None:
    text = formula_text(tree).replace("x", "control_gain").replace("y", "autonomy_value")
    scenario = f'[scenario]\nname = "generated"\n\n[parameters]\ntransfer = "{text}"\n'
    outcome = within_bound(lambda: load_scenario(scenario))
    if isinstance(outcome, PowergamesError):
        assert isinstance(outcome, (FormulaError, InvalidParameterError))
        return
    assert math.isfinite(outcome.parameters.transfer)


@pytest.mark.parametrize("text", ["1and x", "0x1for y", "2or 3", "1if x else 2"])
def test_malformed_numbers_are_refused_without_a_python_warning(text):
    # Python's parser warns (SyntaxWarning: invalid decimal literal) on a number run
    # into a keyword; a user of the command line would see the warning printed.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(FormulaError):
            parse_formula(text)
    assert [str(w.message) for w in caught] == []
