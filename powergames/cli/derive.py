"""``powergames derive``: the closed forms of the partnership model, as text or LaTeX,
with their values at a scenario."""

from __future__ import annotations

import argparse
from typing import Any

from powergames.cli import options

__all__ = ["add_parser", "run"]

#: The symbols of the compact forms, beside the names of the forms they stand for.
_SHORT_NAMES = {
    "temptation_oci": "T_N",
    "temptation_ngo": "T_S",
    "surplus": "Sigma",
    "donor_beneficiary_surplus": "Sigma_DB",
    "window_min": "a_min",
    "window_max": "a_max",
}


def add_parser(commands: Any) -> None:
    """The ``derive`` command and its options."""
    derive = commands.add_parser(
        "derive",
        help="the closed forms of the partnership model",
        description=(
            "Print the closed forms of the partnership model, derived by sympy, one per "
            "line as name = expression: the stage game's temptations T_N, T_S and "
            "surpluses Sigma, Sigma_DB in the parameters, then the repeated game's forms "
            "in terms of those (a is the OCI's bargaining weight; a_min and a_max the "
            "window of self-enforcing weights). With a preset or scenario, also their "
            "values there (at the inherited weight)."
        ),
    )
    source = derive.add_mutually_exclusive_group()
    source.add_argument("--preset", metavar="NAME", help="also print the values at a preset")
    source.add_argument("--scenario", metavar="FILE", help="also print the values at a scenario")
    derive.add_argument("--latex", action="store_true", help="print the expressions as LaTeX")
    derive.add_argument(
        "--expanded",
        action="store_true",
        help="write every form in the parameters alone (long)",
    )
    derive.set_defaults(run=run)


def run(args: argparse.Namespace) -> None:
    """Print the forms, one per line."""
    import sympy as sp

    from powergames.partnership import derive, evaluate

    forms = derive()
    expressions = forms.as_dict() if args.expanded else forms.compact()
    values = evaluate(options.scenario(args).parameters) if args.preset or args.scenario else None
    for name, expression in expressions.items():
        text = sp.latex(expression) if args.latex else str(expression)
        value = "" if values is None else f" = {float(values[name]):.12g}"
        short = "" if args.expanded or name not in _SHORT_NAMES else f" ({_SHORT_NAMES[name]})"
        print(f"{name}{short} = {text}{value}")
