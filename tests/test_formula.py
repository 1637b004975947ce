"""Payoff formulas as text: the whitelist, exact numbers, limits, refusals, safety."""

from __future__ import annotations

import ast
import builtins
import inspect
import sys
from fractions import Fraction
from typing import Any

import pytest
import sympy
from hypothesis import assume, given, reject
from hypothesis import strategies as st

import powergames.formula
from powergames.errors import FormulaError, InvalidParameterError
from powergames.formula import parse_formula

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
    "huge argument": ("sqrt(" + "*".join(["99999999999999999999"] * 20) + ")", "1024 bits"),
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
    "imaginary": ("sqrt(-1)", "not a finite real number"),
    "imaginary times a name": ("x*log(-2)", "not a finite real number"),
    "cube root of a negative": ("(-8)^(1/3)", "fractional power of a negative number"),
    "incomparable": ("max(sqrt(-1), 1)", "sympy refused"),
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
