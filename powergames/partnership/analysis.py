"""``analyse(params)``: everything the model says at one parameter point."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from powergames.bargaining import Agreement, BargainingProblem, nash, nash_threats
from powergames.equilibria import Equilibrium, pure_equilibria
from powergames.game import Game
from powergames.partnership.closed_forms import evaluate
from powergames.partnership.game import NGO_STRATEGIES, OCI_STRATEGIES, partnership_game
from powergames.partnership.parameters import Parameters
from powergames.partnership.regimes import REGIMES, classify

__all__ = ["Analysis", "analyse"]


@dataclass(frozen=True, eq=False)
class Analysis:
    """The partnership model at one parameter point.

    Attributes
    ----------
    parameters : Parameters
        The parameters analysed (after the mechanisms' changes).
    game : Game
        The stage game at these parameters (its transfer is ``parameters.transfer``).
    stage_equilibria : list of Equilibrium
        The pure Nash equilibria of the stage game (``powergames.pure_equilibria``).
    minmax : (float, float)
        Each partner's pure minmax payoff (``powergames.repeated.minmax``): the outside
        options, since withdrawal and exit guarantee them.
    temptations : (float, float)
        ``(T_N, T_S)``: the OCI's gain from imposing instead of diluting, the NGO's from
        complying instead of asserting.
    surplus, donor_beneficiary_surplus : float
        ``Sigma``: the joint gain of (dilute, assert) over the minmax; ``Sigma_DB`` that
        of (impose, comply).
    window : (float, float)
        ``[a_min, a_max]``: the OCI weights at which (dilute, assert) forever is
        self-enforcing at the discount factor (empty when ``a_min > a_max``).
    critical_discount_factor : float
        ``delta**``: the smallest discount factor with a non-empty window.
    inherited_weight : float
        The OCI's weight before it chooses: ``a_0``, after any mechanism's change.
    weight : float
        ``a*``: the weight the OCI settles on, ``a_0`` clipped to the window.
    dilution : float
        ``d* = max(0, a_0 - a_max)``: how far the OCI dilutes its inherited power;
        infinite when the window is empty (below ``delta**`` no weight is
        self-enforcing, so no dilution suffices).
    reinforcement : float
        How much the NGO would have to raise its moral legitimacy for ``a_0`` to be
        self-enforcing with no dilution.
    agreement : Agreement
        Nash's (1953) variable-threat arbitration of the stage game with weight ``a*``
        (``powergames.bargaining.nash_threats``).
    nash_agreement : Agreement
        The generalised Nash solution with weight ``a*`` of the transferable-utility
        problem with the stage game's largest joint payoff and disagreement point the
        minmax. It equals ``agreement`` when (dilute, assert) maximises the joint payoff.
    transfer : float
        ``R(a*)``: the transfer with which (dilute, assert) pays the agreement. It is
        negative when ``a*`` exceeds ``funded_weight``: the NGO would pay the OCI.
    funded_weight : float
        ``a_R``: the largest weight whose agreement the OCI's transfer can fund
        (``R(a_R) = 0``).
    regime : str
        One of :data:`powergames.partnership.REGIMES`.
    sustainable : bool
        Whether (dilute, assert) is self-enforcing: the regime is collaboration or
        partnership.
    mechanisms : tuple
        The arbitration mechanisms applied.
    """

    parameters: Parameters
    game: Game
    stage_equilibria: list[Equilibrium]
    minmax: tuple[float, float]
    temptations: tuple[float, float]
    surplus: float
    donor_beneficiary_surplus: float
    window: tuple[float, float]
    critical_discount_factor: float
    inherited_weight: float
    weight: float
    dilution: float
    reinforcement: float
    agreement: Agreement
    nash_agreement: Agreement
    transfer: float
    funded_weight: float
    regime: str
    sustainable: bool
    mechanisms: tuple[Any, ...] = field(default=())

    @property
    def arbitration_is_nash(self) -> bool:
        """Whether the threat arbitration and the generalised Nash solution agree."""
        return bool(np.allclose(self.agreement.payoffs, self.nash_agreement.payoffs, atol=1e-9))

    @property
    def stage_outcomes(self) -> list[tuple[str, str]]:
        """The pure stage equilibria by strategy names, e.g. ``("impose", "comply")``."""
        return [
            (OCI_STRATEGIES[eq.supports[0][0]], NGO_STRATEGIES[eq.supports[1][0]])
            for eq in self.stage_equilibria
        ]

    def as_row(self) -> dict[str, Any]:
        """The analysis as one flat record (for tables)."""
        return {
            "temptation_oci": self.temptations[0],
            "temptation_ngo": self.temptations[1],
            "surplus": self.surplus,
            "donor_beneficiary_surplus": self.donor_beneficiary_surplus,
            "minmax_oci": self.minmax[0],
            "minmax_ngo": self.minmax[1],
            "window_min": self.window[0],
            "window_max": self.window[1],
            "critical_discount_factor": self.critical_discount_factor,
            "weight": self.weight,
            "dilution": self.dilution,
            "reinforcement": self.reinforcement,
            "agreement_oci": self.agreement.payoffs[0],
            "agreement_ngo": self.agreement.payoffs[1],
            "arbitration_transfer": self.transfer,
            "funded_weight": self.funded_weight,
            "regime": self.regime,
            "sustainable": self.sustainable,
        }

    def __str__(self) -> str:
        low, high = self.window
        window = f"[{low:.4g}, {high:.4g}]" if low <= high else "empty"
        outcomes = ", ".join(f"({n}, {s})" for n, s in self.stage_outcomes) or "none"
        return "\n".join(
            [
                f"regime: {self.regime} ({REGIMES[self.regime]})",
                f"stage equilibria: {outcomes}",
                f"temptations: OCI {self.temptations[0]:.4g}, NGO {self.temptations[1]:.4g}",
                f"surplus: {self.surplus:.4g} "
                f"(donor-beneficiary {self.donor_beneficiary_surplus:.4g})",
                f"self-enforcing weights at delta = {self.parameters.discount_factor:.4g}: "
                f"{window}; delta** = {self.critical_discount_factor:.4g}",
                f"OCI weight: inherited {self.inherited_weight:.4g}, chosen {self.weight:.4g} "
                f"(dilution {self.dilution:.4g}; NGO reinforcement needed instead: "
                f"{self.reinforcement:.4g})",
                f"agreement: OCI {self.agreement.payoffs[0]:.4g}, NGO "
                f"{self.agreement.payoffs[1]:.4g}, with transfer {self.transfer:.4g}",
            ]
        )


def analyse(params: Parameters | None = None, mechanisms: Sequence[Any] = ()) -> Analysis:
    """Analyse the partnership at one parameter point.

    1. Apply the arbitration ``mechanisms`` (``powergames.partnership.mechanisms``), in
       order: their parameter changes, then their changes to the OCI's weight.
    2. Build the stage game and solve it with the generic engine: its pure equilibria
       and each partner's pure minmax.
    3. Evaluate the closed forms (:func:`powergames.partnership.derive`): temptations,
       surpluses, the window of self-enforcing weights at the discount factor, the
       critical discount factor ``delta**``.
    4. The OCI settles on its weight ``a* = clip(a_0, a_min, a_max)``: it keeps as much
       of its inherited power as the relation can bear, diluting ``d* = a_0 - a_max``
       when it must.
    5. The agreement: Nash's variable-threat arbitration of the stage game with weight
       ``a*``, checked against the generalised Nash solution with the minmax as
       disagreement point; the transfer ``R(a*)`` that implements it.
    6. The regime (:func:`powergames.partnership.classify`).

    Parameters
    ----------
    params : Parameters, optional
        Numeric (not array-valued) parameters; the baseline B0 by default. For grids,
        use :func:`powergames.partnership.evaluate` or the table functions.
    mechanisms : sequence of mechanisms, optional

    Returns
    -------
    Analysis

    Examples
    --------
    >>> result = analyse()
    >>> result.regime, result.window, round(result.dilution, 6)
    ('partnership', (0.25, 0.875), 0.025)
    >>> result.stage_outcomes
    [('impose', 'comply'), ('withdraw', 'exit')]
    """
    params = Parameters() if params is None else params
    if params.is_symbolic or params.shape:
        raise TypeError("analyse takes numbers; use derive() for symbols and evaluate() for arrays")
    weight = params.inherited_weight
    if mechanisms:
        from powergames.partnership.mechanisms import apply_mechanisms

        params, weight = apply_mechanisms(params, weight, mechanisms)
    game = partnership_game(params)
    assert isinstance(game, Game)
    from powergames.repeated.minmax import minmax

    stage = pure_equilibria(game)
    values = minmax(game, pure=True).values
    forms = evaluate(params)
    low, high = forms["window_min"], forms["window_max"]
    chosen = float(np.clip(weight, low, high)) if low <= high else float(weight)
    forms_at_weight = evaluate(params, weight=chosen)
    agreement = nash_threats(game, weight=chosen)
    joint = agreement.parameters["joint_payoff"]
    if joint > sum(values):
        nash_agreement = nash(BargainingProblem.transferable(joint, values), (chosen, 1 - chosen))
    else:  # nothing to share: the agreement is the disagreement point
        nash_agreement = Agreement(values, "nash", {"weights": (chosen, 1 - chosen)}, values)
    A, B = game.payoffs
    regime = str(
        classify(
            forms["temptation_oci"],
            forms["temptation_ngo"],
            forms["surplus"],
            forms["donor_beneficiary_surplus"],
            params.discount_factor,
            forms["critical_discount_factor"],
            chosen,
            contested_surplus=A[0, 1] + B[0, 1] - sum(values),
            passive_surplus=A[1, 0] + B[1, 0] - sum(values),
        )
    )
    return Analysis(
        parameters=params,
        game=game,
        stage_equilibria=stage,
        minmax=values,
        temptations=(forms["temptation_oci"], forms["temptation_ngo"]),
        surplus=forms["surplus"],
        donor_beneficiary_surplus=forms["donor_beneficiary_surplus"],
        window=(low, high),
        critical_discount_factor=forms["critical_discount_factor"],
        inherited_weight=float(weight),
        weight=chosen,
        dilution=max(0.0, float(weight) - high) if low <= high else np.inf,
        reinforcement=forms["reinforcement"],
        agreement=agreement,
        nash_agreement=nash_agreement,
        transfer=forms_at_weight["arbitration_transfer"],
        funded_weight=forms["funded_weight"],
        regime=regime,
        sustainable=regime in ("collaboration", "partnership"),
        mechanisms=tuple(mechanisms),
    )
