"""``powergames derive``: the closed forms of the partnership model, as text or LaTeX,
with their values at a scenario."""

from __future__ import annotations

import argparse
from typing import Any

from powergames.cli import models, options

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> None:
    """The ``derive`` command and its options."""
    derive = commands.add_parser(
        "derive",
        help="the closed forms of the partnership model",
        description=(
            "Print the closed forms of the partnership model, derived by sympy, one per "
            "line as name (symbol) = expression, in layers: the stage game's quantities "
            "(temptations T_N, T_S, surpluses Sigma, Sigma_DB, the OCI's gains) in the "
            "parameters, then the bounds on the OCI's weight and the window [a_lo, a_hi] "
            "in terms of those, then the settlement at the inherited weight a_0 (a*, d*, "
            "R*). With a preset or scenario, also their values there. With --model "
            "nested, the nested game's: the win-set, the funding bargain (the "
            "conditionality kappa*), the membership's stationary mobilisations, the map "
            "to the partnership's parameters (lines 'stage: ...') and the partnership's "
            "T_N, delta_c and d*; the values are those of the game's outcome."
        ),
    )
    models.add_model_option(derive)
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
    if args.model == "nested":
        _nested(args)
        return
    import sympy as sp

    from powergames.partnership import derive, evaluate
    from powergames.partnership.quantities import quantity

    forms = derive()
    expressions = {n: forms[n] for n in forms} if args.expanded else forms.compact()
    values = evaluate(options.scenario(args).parameters) if args.preset or args.scenario else None
    for name, expression in expressions.items():
        text = sp.latex(expression) if args.latex else str(expression)
        value = "" if values is None else f" = {float(values[name]):.12g}"
        short = "" if args.expanded else f" ({quantity(name).symbol})"
        print(f"{name}{short} = {text}{value}")


def _nested(args: argparse.Namespace) -> None:
    """The nested game's forms, one per line, with their values at the outcome."""
    import numpy as np
    import sympy as sp

    from powergames.partnership.actors import derive_nested, settle_nested, stage_parameters
    from powergames.partnership.actors.closed_forms import (
        FUNDING_FORMS,
        evaluate_critical_control_gain,
        evaluate_funding,
    )
    from powergames.partnership.closed_forms import evaluate

    forms = derive_nested()
    expressions = {n: forms[n] for n in forms} if args.expanded else forms.compact()
    values: dict[str, float] = {}
    if args.preset or args.scenario:
        params = models.scenario(args).parameters
        outcome = settle_nested(params)
        funding = evaluate_funding(params, outcome["mobilisation"])
        stage = stage_parameters(params, outcome["conditionality"])
        symbols = {spec.symbol: spec.name for spec in _dyadic_specs()}
        values = {name: float(np.asarray(v)) for name, v in funding.items()}
        at_stage = evaluate(stage)
        values.update({n: float(v) for n, v in at_stage.items()})
        values["critical_control_gain"] = float(evaluate_critical_control_gain(stage, at_stage))
        values["critical_conditionality"] = float(outcome["critical_conditionality"])
        for key in expressions:
            if key.startswith("stage: "):
                values[key] = float(stage[symbols[key.removeprefix("stage: ")]])
    for name, expression in expressions.items():
        text = sp.latex(expression) if args.latex else str(expression)
        value = f" = {values[name]:.12g}" if name in values else ""
        symbol = FUNDING_FORMS.get(name)
        short = f" ({symbol})" if symbol is not None and not args.expanded else ""
        print(f"{name}{short} = {text}{value}")


def _dyadic_specs() -> tuple[Any, ...]:
    from powergames.partnership import SPECS

    return tuple(SPECS)
