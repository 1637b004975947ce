"""``analyse(params)``: everything the model says at one parameter point, with the
stage game solved by the generic engine beside the closed forms."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from powergames import render
from powergames.bargaining import Agreement, nash_threats
from powergames.equilibria import Equilibrium, pure_equilibria
from powergames.errors import InvalidParameterError
from powergames.game import Game
from powergames.partnership.game import NGO_STRATEGIES, OCI_STRATEGIES, partnership_game
from powergames.partnership.parameters import Parameters
from powergames.partnership.quantities import QUANTITIES
from powergames.partnership.regimes import REGIMES
from powergames.partnership.settlement import BINDING_CONSTRAINTS, settle
from powergames.repeated import minmax

__all__ = ["Analysis", "analyse"]


@dataclass(frozen=True, eq=False)
class Analysis:
    """The partnership model at one parameter point.

    Every quantity of :data:`powergames.partnership.quantities.QUANTITIES` is an
    attribute (``result.dilution``, ``result.regime``, ...) and an item
    (``result["dilution"]``); :meth:`as_row` gives them all as one record. The fields
    below add what the generic engine finds in the stage game.

    Attributes
    ----------
    parameters : Parameters
        The parameters analysed (after the mechanisms' changes).
    inherited_weight : float
        The OCI's weight before it settles: ``a_0``, after any mechanism's change.
    quantities : dict
        Every derived quantity, by name (:func:`powergames.partnership.settle`).
    game : Game
        The stage game at the transfer of the regime's path (the floor where the
        relation breaks down).
    pure_equilibria : list of Equilibrium
        Its pure Nash equilibria, found by :func:`powergames.pure_equilibria` (the
        quantity ``stage_equilibria`` names them).
    minmax : (float, float)
        Each partner's pure minmax payoff, found by
        :func:`powergames.repeated.minmax`: the outside options, since withdrawal and
        exit guarantee them.
    threat_arbitration : Agreement or None
        Nash's (1953) variable-threat arbitration of the stage game with weight ``a*``
        (:func:`powergames.bargaining.nash_threats`), where a weight is admissible:
        it equals the partnership's agreement, since the arbitration selects (dilute,
        assert) exactly where it maximises the joint payoff.
    mechanisms : tuple
        The arbitration mechanisms applied.
    """

    parameters: Parameters
    inherited_weight: float
    quantities: dict[str, Any]
    game: Game
    pure_equilibria: list[Equilibrium]
    minmax: tuple[float, float]
    threat_arbitration: Agreement | None
    mechanisms: tuple[Any, ...] = field(default=())

    def __getattr__(self, name: str) -> Any:
        quantities = self.__dict__.get("quantities", {})
        if name in quantities:
            return quantities[name]
        raise AttributeError(f"Analysis has no attribute {name!r}")

    def __getitem__(self, name: str) -> Any:
        return self.quantities[name]

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self.quantities})

    @property
    def window(self) -> tuple[float, float]:
        """``(a_lo, a_hi)``: the admissible weights (NaN ends when there is none)."""
        return (self.quantities["window_min"], self.quantities["window_max"])

    @property
    def temptations(self) -> tuple[float, float]:
        """``(T_N, T_S)``."""
        return (self.quantities["temptation_oci"], self.quantities["temptation_ngo"])

    @property
    def payoffs(self) -> tuple[float, float]:
        """``(u_N, u_S)``: what the regime's path pays each partner per period."""
        return (self.quantities["payoff_oci"], self.quantities["payoff_ngo"])

    @property
    def arbitration_is_nash(self) -> bool | None:
        """Whether Nash's threat arbitration gives the partnership's agreement (None
        where no weight is admissible)."""
        if self.threat_arbitration is None:
            return None
        agreed = (self.quantities["agreement_oci"], self.quantities["agreement_ngo"])
        return bool(np.allclose(self.threat_arbitration.payoffs, agreed, atol=1e-9))

    @property
    def stage_outcomes(self) -> list[tuple[str, str]]:
        """The pure stage equilibria by strategy names, e.g. ``("impose", "comply")``."""
        return [
            (OCI_STRATEGIES[eq.supports[0][0]], NGO_STRATEGIES[eq.supports[1][0]])
            for eq in self.pure_equilibria
        ]

    def as_row(self) -> dict[str, Any]:
        """Every quantity as one flat record, in the registry's order (for tables)."""
        return {q.name: self.quantities[q.name] for q in QUANTITIES}

    # ------------------------------------------------------------ display
    def _summary(self) -> list[list[Any]]:
        q = self.quantities
        rows: list[list[Any]] = [
            ["regime", f"{q['regime']}: {REGIMES[q['regime']]}"],
            ["path", f"{q['path']}, paying OCI {_n(q['payoff_oci'])}, NGO {_n(q['payoff_ngo'])}"],
            [
                "transfer",
                f"{_n(q['transfer'])} per period (floor {_n(self.parameters.transfer_floor)})",
            ],
        ]
        if not math.isnan(q["window_min"]):
            binding = q["binding_constraint"]
            rows += [
                [
                    "window",
                    f"[{_n(q['window_min'])}, {_n(q['window_max'])}] at delta = "
                    f"{_n(self.parameters.discount_factor)}",
                ],
                [
                    "weight",
                    f"inherited {_n(self.inherited_weight)}, settled {_n(q['weight'])} "
                    f"(dilution {_n(q['dilution'])}, NGO concession {_n(q['ngo_concession'])})",
                ],
                ["binding", f"{binding}: {BINDING_CONSTRAINTS[binding]}"],
            ]
        rows += [
            [
                "critical discount factor",
                f"{_n(q['critical_discount_factor'])} "
                f"(incentives alone: {_n(q['incentive_discount_factor'])})",
            ],
            ["temptations", f"OCI {_n(q['temptation_oci'])}, NGO {_n(q['temptation_ngo'])}"],
            [
                "surplus",
                f"{_n(q['surplus'])} (donor-beneficiary {_n(q['donor_beneficiary_surplus'])})",
            ],
            ["stage equilibria", q["stage_equilibria"]],
        ]
        return rows

    def __str__(self) -> str:
        return render.text_table(self._summary())

    def __repr__(self) -> str:
        q = self.quantities
        return (
            f"Analysis(regime={q['regime']!r}, weight={_n(q['weight'])}, "
            f"dilution={_n(q['dilution'])}, transfer={_n(q['transfer'])}, "
            f"critical_discount_factor={_n(q['critical_discount_factor'])})"
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_markdown_(self) -> str:
        return render.render(["", "the model at this point"], self._summary(), "markdown")

    def _repr_html_(self) -> str:
        return render.render(["", "the model at this point"], self._summary(), "html")


def _n(value: Any) -> str:
    return render.format_number(value)


def analyse(
    params: Parameters | Mapping[str, Any] | Any = None,
    mechanisms: Sequence[Any] = (),
    **values: Any,
) -> Analysis:
    """Analyse the partnership at one parameter point.

    1. Apply the arbitration ``mechanisms`` (``powergames.partnership.mechanisms``), in
       order: their parameter changes, then their changes to the OCI's weight.
    2. Settle (:func:`powergames.partnership.settle`): the window of admissible weights,
       the weight, dilution and transfer, the regime, its path and what it pays.
    3. Solve the stage game at the path's transfer with the generic engine: its pure
       equilibria and each partner's pure minmax; where a weight is admissible, Nash's
       variable-threat arbitration with that weight.

    Parameters
    ----------
    params : Parameters, Scenario, preset name or mapping, optional
        The point to analyse: :class:`Parameters`, a :class:`Scenario` (its
        parameters), the name of a preset, or a mapping of parameter names to numbers.
        The baseline B0 by default.
    mechanisms : sequence of mechanisms, optional
    **values
        Parameters to change, by name (``analyse(discount_factor=0.3)``).

    Returns
    -------
    Analysis

    Raises
    ------
    InvalidParameterError
        For arrays or symbols (use :func:`powergames.partnership.settle` or
        :func:`powergames.partnership.derive`), an unknown preset or parameter.

    Examples
    --------
    >>> result = analyse()
    >>> result.regime, result.window, round(result.dilution, 6), result.transfer
    ('partnership', (0.625, 0.75), 0.15, 0.0)
    >>> analyse("partnership-1990s", discount_factor=0.2).regime
    'donor-beneficiary'
    """
    params = as_parameters(params).replace(**values) if values else as_parameters(params)
    if params.is_symbolic or params.shape:
        raise InvalidParameterError(
            "analyse takes numbers; use derive() for symbols and settle() for arrays"
        )
    weight = params.inherited_weight
    if mechanisms:
        from powergames.partnership.mechanisms import apply_mechanisms

        params, weight = apply_mechanisms(params, weight, mechanisms)
    q = settle(params, weight)
    paid = params.transfer_floor if math.isnan(q["transfer"]) else q["transfer"]
    game = partnership_game(params, transfer=paid)
    assert isinstance(game, Game)
    threat = None
    if not math.isnan(q["weight"]):
        before_transfers = partnership_game(params, transfer=0.0)
        assert isinstance(before_transfers, Game)
        threat = nash_threats(before_transfers, weight=q["weight"])
    return Analysis(
        parameters=params,
        inherited_weight=float(weight),
        quantities=q,
        game=game,
        pure_equilibria=pure_equilibria(game),
        minmax=minmax(game, pure=True).values,
        threat_arbitration=threat,
        mechanisms=tuple(mechanisms),
    )


def as_parameters(params: Any) -> Parameters:
    """:class:`Parameters` from what users pass for a point: Parameters, a Scenario,
    a preset's name, a mapping of names to values, or None (the baseline).

    Examples
    --------
    >>> as_parameters({"control_gain": 3}).control_gain
    3.0
    """
    if params is None:
        return Parameters()
    if isinstance(params, Parameters):
        return params
    if isinstance(params, str):
        from powergames.partnership.presets import load_preset

        return load_preset(params).parameters
    if isinstance(params, Mapping):
        return Parameters.from_mapping(params)
    inner = getattr(params, "parameters", None)
    if isinstance(inner, Parameters):
        return inner
    raise InvalidParameterError(
        "params must be Parameters, a Scenario, a preset name or a mapping of parameter "
        f"names to values, got {type(params).__name__}"
    )
