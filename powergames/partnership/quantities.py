"""The derived quantities of the partnership model, in one registry.

Everything that names a derived quantity -- the closed forms
(:class:`~powergames.partnership.ClosedForms`), the settlement
(:func:`~powergames.partnership.settle`), :meth:`Analysis.as_row
<powergames.partnership.Analysis.as_row>`, the table columns and the command line's
symbols -- is built from :data:`QUANTITIES`, so a quantity is named, described and
given its unit once.

The layers, in the order they are computed:

``stage``
    Closed forms in the parameters, read off the stage game: temptations, surpluses,
    the OCI's gains in each relation, the minmax.
``window``
    Closed forms of the repeated game at the discount factor: the bounds on the OCI's
    bargaining weight, the admissible window, the critical discount factors.
``settlement``
    Closed forms at the inherited weight ``a_0``: the weight the OCI settles on, its
    dilution, the transfer and the agreement of the arbitrated partnership.
``outcome``
    Computed numerically from the others (no closed form): the regime, the path it
    names and what that path pays, which bound of the window binds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

__all__ = ["LAYERS", "QUANTITIES", "Quantity", "quantity"]

Layer = Literal["stage", "window", "settlement", "outcome"]
#: The layers, in the order they are computed.
LAYERS: tuple[Layer, ...] = ("stage", "window", "settlement", "outcome")
#: The layers of a registry (the nested game's registry has layers of its own).
LayerT = TypeVar("LayerT", bound=str)


@dataclass(frozen=True)
class Quantity(Generic[LayerT]):
    """One derived quantity of the model (or of a model built on it, with layers of its
    own: ``powergames.partnership.actors.NESTED_QUANTITIES``).

    Attributes
    ----------
    name : str
        Its name in code, tables and the command line (``dilution``).
    symbol : str
        Its symbol in plain text (``d*``), as :func:`powergames.partnership.derive`'s
        compact forms and the command line print it.
    latex : str
        Its symbol in LaTeX.
    unit : str
        ``utility``, ``weight`` (a share of the surplus), ``resources`` (per period),
        ``legitimacy``, ``discount factor``, or ``""`` for labels and flags.
    meaning : str
        What it says, in the article's terms.
    layer : str
        One of ``powergames.partnership.quantities.LAYERS`` (of the registry's layers).
    kind : str
        ``"number"``, ``"flag"`` (true or false) or ``"label"`` (text).
    """

    name: str
    symbol: str
    latex: str
    unit: str
    meaning: str
    layer: LayerT
    kind: Literal["number", "flag", "label"] = "number"


#: Every derived quantity, by layer.
QUANTITIES: tuple[Quantity[Layer], ...] = (
    # --------------------------------------------------------------- stage game
    Quantity(
        "temptation_oci",
        "T_N",
        "T_N",
        "utility",
        "the OCI's one-shot gain from imposing rather than diluting when the NGO asserts",
        "stage",
    ),
    Quantity(
        "temptation_ngo",
        "T_S",
        "T_S",
        "utility",
        "the NGO's one-shot gain from complying rather than asserting when the OCI dilutes",
        "stage",
    ),
    Quantity(
        "surplus",
        "Sigma",
        "\\Sigma",
        "utility",
        "the joint gain of (dilute, assert) over the partners' outside options",
        "stage",
    ),
    Quantity(
        "donor_beneficiary_surplus",
        "Sigma_DB",
        "\\Sigma_{DB}",
        "utility",
        "the joint gain of (impose, comply) over the partners' outside options",
        "stage",
    ),
    Quantity(
        "efficiency_margin",
        "E",
        "E",
        "utility",
        "how much more (dilute, assert) pays jointly than the best other meeting of "
        "the stage game; negative where imposing or complying is worth more to the pair",
        "stage",
    ),
    Quantity(
        "oci_gain_at_floor",
        "G_N",
        "G_N",
        "utility",
        "the OCI's gain from (dilute, assert) over its outside option when it transfers "
        "only the floor R_0",
        "stage",
    ),
    Quantity(
        "donor_gain",
        "G_DB",
        "G_{DB}",
        "utility",
        "the OCI's gain from the donor-beneficiary relation (impose, comply) when it pays "
        "the NGO the least the NGO accepts, and at least the floor",
        "stage",
    ),
    Quantity(
        "contested_gain",
        "G_IA",
        "G_{IA}",
        "utility",
        "the OCI's gain from (impose, assert) when it pays the NGO the least the NGO "
        "accepts, and at least the floor",
        "stage",
    ),
    Quantity(
        "passive_gain",
        "G_DC",
        "G_{DC}",
        "utility",
        "the OCI's gain from (dilute, comply) when it pays the NGO the least the NGO "
        "accepts, and at least the floor",
        "stage",
    ),
    Quantity(
        "minmax_oci",
        "m_N",
        "m_N",
        "utility",
        "the OCI's minmax payoff: its outside option, which withdrawing guarantees",
        "stage",
    ),
    Quantity(
        "minmax_ngo",
        "m_S",
        "m_S",
        "utility",
        "the NGO's minmax payoff: its outside option, which exiting guarantees",
        "stage",
    ),
    # ------------------------------------------------------- the repeated game
    Quantity(
        "oci_incentive_weight",
        "a_min",
        "a_{\\min}",
        "weight",
        "the least weight that keeps the OCI from imposing (its temptation against its "
        "share of the future)",
        "window",
    ),
    Quantity(
        "ngo_incentive_weight",
        "a_max",
        "a_{\\max}",
        "weight",
        "the largest weight that keeps the NGO asserting (its temptation against its "
        "share of the future)",
        "window",
    ),
    Quantity(
        "funded_weight",
        "a_R",
        "a_R",
        "weight",
        "the largest weight whose agreement the OCI funds with a transfer of at least "
        "the floor R_0 (limited liability: resources flow South)",
        "window",
    ),
    Quantity(
        "participation_weight",
        "a_DB",
        "a_{DB}",
        "weight",
        "the least weight at which the OCI prefers the partnership to its best "
        "alternative: the donor-beneficiary relation where (impose, comply) is a stage "
        "equilibrium, else its outside option (then 0)",
        "window",
    ),
    Quantity(
        "window_min",
        "a_lo",
        "a_{lo}",
        "weight",
        "the lowest admissible weight of the arbitrated partnership (NaN when no weight "
        "is admissible)",
        "window",
    ),
    Quantity(
        "window_max",
        "a_hi",
        "a_{hi}",
        "weight",
        "the highest admissible weight of the arbitrated partnership (NaN when no weight "
        "is admissible)",
        "window",
    ),
    Quantity(
        "incentive_discount_factor",
        "delta**",
        "\\delta^{**}",
        "discount factor",
        "the lowest discount factor at which some weight satisfies both partners' "
        "incentives (the resource floor and participation aside)",
        "window",
    ),
    Quantity(
        "critical_discount_factor",
        "delta_c",
        "\\delta_c",
        "discount factor",
        "the lowest discount factor with an admissible weight: the partnership holds "
        "exactly from here on (inf: at no discount factor)",
        "window",
    ),
    # ------------------------------------------------------------- settlement
    Quantity(
        "weight",
        "a*",
        "a^*",
        "weight",
        "the OCI's weight in the arbitrated partnership: its inherited weight, brought "
        "into the admissible window",
        "settlement",
    ),
    Quantity(
        "dilution",
        "d*",
        "d^*",
        "weight",
        "how much of its inherited weight the OCI dilutes to make the partnership last "
        "(NaN when no weight is admissible)",
        "settlement",
    ),
    Quantity(
        "ngo_concession",
        "c*",
        "c^*",
        "weight",
        "how much weight the NGO concedes to an OCI whose inherited weight is too small "
        "for it to stay (NaN when no weight is admissible)",
        "settlement",
    ),
    Quantity(
        "arbitration_transfer",
        "R*",
        "R^*",
        "resources",
        "the transfer from the OCI to the NGO each period in the arbitrated partnership, "
        "at least the floor R_0",
        "settlement",
    ),
    Quantity(
        "agreement_oci",
        "u_N*",
        "u_N^*",
        "utility",
        "the OCI's payoff in the arbitrated partnership, w_N + a* Sigma",
        "settlement",
    ),
    Quantity(
        "agreement_ngo",
        "u_S*",
        "u_S^*",
        "utility",
        "the NGO's payoff in the arbitrated partnership, w_S + (1 - a*) Sigma",
        "settlement",
    ),
    Quantity(
        "threshold_oci",
        "delta_N",
        "\\delta_N",
        "discount factor",
        "the OCI's critical discount factor for (dilute, assert) forever at weight a*",
        "settlement",
    ),
    Quantity(
        "threshold_ngo",
        "delta_S",
        "\\delta_S",
        "discount factor",
        "the NGO's critical discount factor for (dilute, assert) forever at weight a*",
        "settlement",
    ),
    Quantity(
        "reinforcement",
        "x*",
        "x^*",
        "legitimacy",
        "how much moral legitimacy the NGO would have to add for its temptation alone "
        "not to force the OCI to dilute its inherited weight",
        "settlement",
    ),
    # ---------------------------------------------------------------- outcome
    Quantity(
        "regime",
        "regime",
        "\\text{regime}",
        "",
        "the compromise the relation settles into",
        "outcome",
        "label",
    ),
    Quantity(
        "sustainable",
        "sustainable",
        "\\text{sustainable}",
        "",
        "whether (dilute, assert) is played: the regime is collaboration or partnership",
        "outcome",
        "flag",
    ),
    Quantity(
        "binding_constraint",
        "binding",
        "\\text{binding}",
        "",
        "which bound of the window sets the weight: ngo-temptation, resource-floor, "
        "oci-temptation, oci-participation, or none (empty outside the partnership)",
        "outcome",
        "label",
    ),
    Quantity(
        "path",
        "path",
        "\\text{path}",
        "",
        "the meeting played in every period of the regime, as oci/ngo strategies",
        "outcome",
        "label",
    ),
    Quantity(
        "payoff_oci",
        "u_N",
        "u_N",
        "utility",
        "the OCI's payoff per period on the regime's path",
        "outcome",
    ),
    Quantity(
        "payoff_ngo",
        "u_S",
        "u_S",
        "utility",
        "the NGO's payoff per period on the regime's path",
        "outcome",
    ),
    Quantity(
        "transfer",
        "R",
        "R",
        "resources",
        "the transfer from the OCI to the NGO per period on the regime's path (NaN "
        "where the relation breaks down)",
        "outcome",
    ),
    Quantity(
        "stage_equilibria",
        "stage NE",
        "\\text{stage NE}",
        "",
        "the pure equilibria of the stage game at the path's transfer",
        "outcome",
        "label",
    ),
)

_BY_NAME = {q.name: q for q in QUANTITIES}


def quantity(name: str) -> Quantity[Layer]:
    """The registry entry of ``name``.

    Examples
    --------
    >>> quantity("dilution").symbol
    'd*'
    """
    return _BY_NAME[name]
