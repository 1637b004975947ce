"""The adapter that makes the partnership model sweepable: its table columns, computed
on whole parameter grids at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from powergames.errors import InvalidParameterError
from powergames.tables.table import Column

if TYPE_CHECKING:  # pragma: no cover
    from powergames.partnership import Parameters

# The partnership model is imported where it is used: its columns are listed by
# ``powergames table --help``, which must not wait for sympy.

__all__ = ["COLUMNS", "DEFAULT_COLUMNS", "PartnershipModel", "as_model"]

#: The group of a column, from its unit (until the model's registry of quantities
#: gives each its own).
GROUPS = {
    "": "regimes and thresholds",
    "weight": "bargaining weights",
    "utility": "payoffs and surpluses",
    "legitimacy": "legitimacy",
    "resources": "resources",
}

COLUMNS: dict[str, Column] = {
    c.name: Column(c.name, c.unit, c.meaning, GROUPS[c.unit])
    for c in (
        Column("regime", "", "the compromise the partnership settles into"),
        Column("sustainable", "", "whether (dilute, assert) is self-enforcing"),
        Column("dilution", "weight", "d*: how far the OCI dilutes its inherited weight"),
        Column("weight", "weight", "a*: the OCI's bargaining weight after dilution"),
        Column("window_min", "weight", "a_min: the lowest self-enforcing weight"),
        Column("window_max", "weight", "a_max: the highest self-enforcing weight"),
        Column(
            "critical_discount_factor",
            "",
            "delta**: the lowest discount factor with a self-enforcing weight",
        ),
        Column(
            "reinforcement",
            "legitimacy",
            "the moral legitimacy the NGO would have to add "
            "for the inherited weight to be self-enforcing",
        ),
        Column("temptation_oci", "utility", "T_N: the OCI's gain from imposing"),
        Column("temptation_ngo", "utility", "T_S: the NGO's gain from complying"),
        Column("surplus", "utility", "Sigma: the joint gain of (dilute, assert)"),
        Column(
            "donor_beneficiary_surplus", "utility", "Sigma_DB: the joint gain of (impose, comply)"
        ),
        Column("agreement_oci", "utility", "the OCI's payoff in the arbitrated agreement"),
        Column("agreement_ngo", "utility", "the NGO's payoff in the arbitrated agreement"),
        Column(
            "arbitration_transfer",
            "resources",
            "R(a*): the transfer implementing the agreement (the parameter transfer is R)",
        ),
        Column(
            "funded_weight",
            "weight",
            "a_R: the largest weight the OCI's transfer can "
            "fund (above it the NGO would pay the OCI)",
        ),
        Column("threshold_oci", "", "the OCI's critical discount factor at weight a*"),
        Column("threshold_ngo", "", "the NGO's critical discount factor at weight a*"),
        Column("stage_equilibria", "", "the pure equilibria of the stage game"),
    )
}
#: What a table shows when no column is asked for.
DEFAULT_COLUMNS = ("regime", "dilution", "weight", "critical_discount_factor", "surplus")


def parameter_columns() -> dict[str, Column]:
    """The model's parameters as columns (which grids show), in the group "parameters"."""
    from powergames.partnership import SPECS

    return {spec.name: Column(spec.name, "", spec.meaning, "parameters") for spec in SPECS}


def _baseline() -> Parameters:
    from powergames.partnership import Parameters

    return Parameters()


@dataclass(frozen=True)
class PartnershipModel:
    """The partnership model at a base point, ready to be swept over a grid.

    Parameters
    ----------
    parameters : Parameters, optional
        The values of the parameters not on the grid (the baseline by default).
    mechanisms : sequence of mechanisms, optional
        Arbitration mechanisms applied at every point
        (:func:`powergames.partnership.apply_mechanisms`).

    Examples
    --------
    >>> import numpy as np
    >>> model = PartnershipModel()
    >>> out = model.compute({"discount_factor": np.array([0.2, 0.5])}, ["regime", "dilution"])
    >>> out["regime"].tolist(), out["dilution"].round(4).tolist()
    (['donor-beneficiary', 'partnership'], [inf, 0.025])
    """

    parameters: Parameters = field(default_factory=_baseline)
    mechanisms: tuple[Any, ...] = ()

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(parameter_columns())

    @property
    def columns(self) -> dict[str, Column]:
        """Every column the model computes, and the parameters (which grids show)."""
        return {**parameter_columns(), **COLUMNS}

    @property
    def default_columns(self) -> tuple[str, ...]:
        return DEFAULT_COLUMNS

    def identity(self) -> dict[str, Any]:
        """What defines the model: its parameters' values and its mechanisms (a resumed
        sweep must be of the same model)."""
        return {
            "model": "powergames.tables.PartnershipModel",
            "parameters": {name: _plain(value) for name, value in self.parameters.items()},
            "mechanisms": [repr(mechanism) for mechanism in self.mechanisms],
        }

    def compute(
        self, points: Mapping[str, NDArray[Any]], names: Sequence[str]
    ) -> dict[str, NDArray[Any]]:
        """The columns ``names`` at the grid points (arrays of equal length, one per
        varied parameter), vectorised: no loop over points."""
        from powergames.partnership import classify, evaluate, stage_payoffs

        unknown = sorted(set(names) - set(self.columns))
        if unknown:
            raise InvalidParameterError(
                f"unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}"
            )
        params = self.parameters.replace(**points)
        weight: Any = params.inherited_weight
        if self.mechanisms:
            from powergames.partnership.mechanisms import apply_mechanisms

            params, weight = apply_mechanisms(params, weight, self.mechanisms)
        n = len(next(iter(points.values()))) if points else 1
        forms = evaluate(params)
        low, high = forms["window_min"], forms["window_max"]
        weight = np.broadcast_to(np.asarray(weight, dtype=float), np.shape(low))
        chosen = np.where(low <= high, np.clip(weight, low, np.maximum(low, high)), weight)
        at = evaluate(params, weight=chosen)
        out: dict[str, Any] = {
            "window_min": low,
            "window_max": high,
            "weight": chosen,
            "dilution": np.where(low <= high, np.maximum(0.0, weight - high), np.inf),
            "threshold_oci": at["threshold_oci"],
            "threshold_ngo": at["threshold_ngo"],
            "agreement_oci": at["agreement_oci"],
            "agreement_ngo": at["agreement_ngo"],
            "arbitration_transfer": at["arbitration_transfer"],
        }
        for name in (
            "temptation_oci",
            "temptation_ngo",
            "surplus",
            "donor_beneficiary_surplus",
            "critical_discount_factor",
            "reinforcement",
            "funded_weight",
        ):
            out[name] = forms[name]
        if {"regime", "sustainable", "stage_equilibria"} & set(names):
            A, B = stage_payoffs(params)
            outside = forms["minmax_oci"] + forms["minmax_ngo"]
            regime = classify(
                forms["temptation_oci"],
                forms["temptation_ngo"],
                forms["surplus"],
                forms["donor_beneficiary_surplus"],
                params.discount_factor,
                forms["critical_discount_factor"],
                chosen,
                contested_surplus=A[..., 0, 1] + B[..., 0, 1] - outside,
                passive_surplus=A[..., 1, 0] + B[..., 1, 0] - outside,
            )
            out["regime"] = regime
            out["sustainable"] = np.isin(regime, ("collaboration", "partnership"))
            if "stage_equilibria" in names:
                out["stage_equilibria"] = _pure_equilibria_labels(A, B)
        for name in points:
            out[name] = points[name]
        return {name: np.broadcast_to(np.asarray(out[name]), (n,)).copy() for name in names}


def _plain(value: Any) -> Any:
    """A parameter's value as JSON data: numbers (or nested lists of them), else text."""
    try:
        return np.asarray(value, dtype=float).tolist()
    except (TypeError, ValueError):
        return str(value)


def _pure_equilibria_labels(A: NDArray[np.float64], B: NDArray[np.float64]) -> NDArray[np.str_]:
    """The pure equilibria of every stage game, as text like ``impose/comply;
    withdraw/exit``: best replies found with array maxima, labels by unique masks."""
    from powergames.partnership import NGO_STRATEGIES, OCI_STRATEGIES

    scale = 1e-12 * (1 + np.abs(A).max() + np.abs(B).max()) if A.size else 0.0
    best = (A >= A.max(axis=-2, keepdims=True) - scale) & (
        B >= B.max(axis=-1, keepdims=True) - scale
    )
    bits = (best.reshape(*best.shape[:-2], 9) * (1 << np.arange(9))).sum(axis=-1)
    codes, inverse = np.unique(bits, return_inverse=True)
    cells = [f"{OCI_STRATEGIES[k // 3]}/{NGO_STRATEGIES[k % 3]}" for k in range(9)]
    labels = np.array(["; ".join(cells[k] for k in range(9) if code >> k & 1) for code in codes])
    return labels[inverse.reshape(bits.shape)]


def as_model(obj: Any) -> PartnershipModel | None:
    """The partnership model at a scenario's or a parameter point's values (None for
    other objects): what makes ``sweep(load_preset(...), grid)`` work.

    Examples
    --------
    >>> from powergames.partnership import Parameters
    >>> as_model(Parameters(discount_factor=0.3)).parameters.discount_factor
    0.3
    >>> as_model("a string") is None
    True
    """
    from powergames.partnership import Parameters, Scenario

    if isinstance(obj, Scenario):
        return PartnershipModel(obj.parameters)
    if isinstance(obj, Parameters):
        return PartnershipModel(obj)
    return None
