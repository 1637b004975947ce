"""Enclosures of constants in intervals of doubles: they contain the exact value."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import mpmath
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from powergames._enclosure import Enclosures, Refusal

FUNCTIONS = {
    "exp": (sympy.exp, mpmath.exp),
    "log": (sympy.log, mpmath.log),
    "sin": (sympy.sin, mpmath.sin),
    "cos": (sympy.cos, mpmath.cos),
    "tan": (sympy.tan, mpmath.tan),
    "cot": (sympy.cot, mpmath.cot),
    "sqrt": (sympy.sqrt, mpmath.sqrt),
    "cube": (lambda x: x**3, lambda x: x**3),
    "inverse square": (lambda x: x**-2, lambda x: x**-2),
    "power 2/7": (
        lambda x: x ** sympy.Rational(2, 7),
        lambda x: mpmath.power(x, mpmath.mpf(2) / 7),
    ),
    "abs": (sympy.Abs, abs),
}
rationals = st.one_of(
    st.fractions(-10, 10, max_denominator=10**6),
    st.fractions(-(10**18), 10**18, max_denominator=7),  # large arguments of sin, cos, tan
    st.integers(-800, 800).map(Fraction),  # exp near and beyond the double range
    st.integers(1, 10**6).map(lambda n: Fraction(1, n)),
)


def contains(bounds: tuple[float, float], value: Any) -> bool:
    """Whether the bounds hold a value computed to 60 digits (its error allowed for: far
    below the width of any enclosure that is not a single double)."""
    error = mpmath.mpf(10) ** -45 * (1 + abs(value))
    return mpmath.mpf(bounds[0]) - error <= value <= mpmath.mpf(bounds[1]) + error


@given(rationals, st.sampled_from(sorted(FUNCTIONS)))
def test_the_enclosure_of_a_function_of_a_number_contains_its_value(x: Fraction, name: str) -> None:
    symbolic, numeric = FUNCTIONS[name]
    number = sympy.Rational(x.numerator, x.denominator)
    with mpmath.workdps(60):
        try:
            value = numeric(mpmath.mpf(x.numerator) / x.denominator)
        except (ValueError, ZeroDivisionError):
            return
        expr = symbolic(number)
        try:
            bounds = Enclosures()(expr)
        except Refusal:
            return  # beyond the double range, at a pole, or not real: refused
        assert bounds is not None
        assert isinstance(value, mpmath.mpf), f"{expr} enclosed but {value} is not real"
        assert contains(bounds, value), (expr, bounds, value)


@given(st.lists(rationals, min_size=1, max_size=6), st.sampled_from(["+", "*"]))
def test_sums_and_products_contain_the_exact_value(terms: list[Fraction], operation: str) -> None:
    exact = sum(terms) if operation == "+" else Fraction(1)
    if operation == "*":
        for term in terms:
            exact *= term
    # Irrational terms, so that sympy keeps the sum or product unevaluated
    irrational = [sympy.Rational(t.numerator, t.denominator) * sympy.sqrt(2) for t in terms]
    expr = sympy.Add(*irrational) if operation == "+" else sympy.Mul(*irrational)
    with mpmath.workdps(60):
        scale = mpmath.sqrt(2) ** (1 if operation == "+" else len(terms))
        value = mpmath.mpf(exact.numerator) / exact.denominator * scale
        try:
            bounds = Enclosures()(expr)
        except Refusal:
            return
        assert bounds is not None
        assert contains(bounds, value), (expr, bounds, value)


@pytest.mark.parametrize(
    ("expr", "bounds"),
    [
        (sympy.Integer(3), (3.0, 3.0)),  # exact doubles are exact
        (sympy.Rational(1, 4), (0.25, 0.25)),
        (sympy.sin(sympy.exp(100)), (-1.0, 1.0)),
        (sympy.Max(sympy.sin(1), sympy.cos(1), evaluate=False), None),
    ],
)
def test_exact_and_wide_enclosures(expr: sympy.Expr, bounds: tuple[float, float] | None) -> None:
    got = Enclosures()(expr)
    if bounds is None:
        assert got is not None and got[0] < 0.8414709848078965 < got[1]
    else:
        assert got == bounds


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (sympy.exp(sympy.exp(100)), "beyond the double-precision range"),
        (sympy.exp(710), "beyond the double-precision range"),
        (sympy.Rational(10**400), "beyond the double-precision range"),
        (sympy.tan(sympy.pi / 2 + sympy.Rational(1, 10**30)), "pole"),
        (sympy.zoo, "not a finite real number"),
        (sympy.I, "not a finite real number"),
        (sympy.EulerGamma, "cannot evaluate EulerGamma"),
    ],
)
def test_refusals(expr: sympy.Expr, message: str) -> None:
    with pytest.raises(Refusal, match=message):
        Enclosures()(expr)


def test_signs_and_comparisons_are_decided_only_when_certain() -> None:
    enclose = Enclosures()
    assert enclose.sign(sympy.Integer(0)) == 0
    assert enclose.sign(1 - sympy.pi) == -1
    assert enclose.sign(sympy.Symbol("x")) is None
    assert enclose.compare(sympy.Rational(1, 3), sympy.Rational(333333333333333333, 10**18)) == 1
    equal = (sympy.sqrt(2) + sympy.sqrt(3)) ** 2, 5 + 2 * sympy.sqrt(6)
    assert enclose.compare(*equal) is None
    enclose.check(sympy.exp(-700))  # tiny, and positive
    with pytest.raises(Refusal, match="not determined in double precision"):
        enclose.check(sympy.exp(-1000))  # underflows: its sign is lost
