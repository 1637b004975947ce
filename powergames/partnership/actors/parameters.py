"""The named parameters of the nested game of actors (DESIGN.md section 9): every
parameter of the partnership model (version 2), and those of the funder, the
membership and the base groups."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import sympy as sp

from powergames.errors import InvalidParameterError
from powergames.partnership.parameter_set import (
    ParameterSet,
    ParameterSpec,
    Value,
    parameter,
    parameter_set,
)
from powergames.partnership.parameters import Parameters

__all__ = [
    "NESTED_BASELINE",
    "NESTED_SPECS",
    "NestedParameterSpec",
    "NestedParameters",
    "check_nested_name",
]

INF = math.inf


@dataclass(frozen=True)
class NestedParameterSpec(ParameterSpec):
    """One parameter of the nested game: a :class:`ParameterSpec` whose domain may be
    open below (``lower_open``) and which may be left to an actor's choice
    (``chosen``: NaN, the default, means the actor chooses it).

    Examples
    --------
    >>> spec = next(s for s in NESTED_SPECS if s.name == "membership_accountability")
    >>> spec.describe()
    '(0, inf)'
    """

    lower_open: bool = False
    chosen: bool = False

    @property
    def sympy_symbol(self) -> sp.Symbol:
        """The sympy symbol, positive where the domain is open at 0."""
        low, _ = self.domain
        if low == 0 and self.lower_open:
            return sp.Symbol(self.symbol, positive=True)
        return super().sympy_symbol

    def describe(self) -> str:
        """The domain as an interval, e.g. ``(0, inf)``; ``or nan`` where an actor may
        choose the value."""
        text = super().describe()
        if self.lower_open:
            text = "(" + text[1:]
        if self.domain[1] == INF:
            text = text[:-1] + ")"
        return f"{text} or nan (chosen)" if self.chosen else text

    def check(self, value: Any) -> Any:
        """``value`` validated: as :meth:`ParameterSpec.check`, with the open lower
        end, and NaN accepted where the actor chooses.

        Examples
        --------
        >>> spec = next(s for s in NESTED_SPECS if s.name == "membership_mobilisation")
        >>> spec.check(0.5), spec.check(float("nan"))
        (0.5, nan)
        """
        if self.chosen and not isinstance(value, (sp.Basic, bool, np.bool_, str, bytes)):
            try:
                array = np.asarray(value, dtype=np.float64)
            except (TypeError, ValueError, OverflowError):
                array = None
            if array is not None and np.isnan(array).any():
                given = array[~np.isnan(array)]
                if given.size:
                    self.check(given)
                return float(array) if array.ndim == 0 else array
        checked = super().check(value)
        low, _ = self.domain
        if self.lower_open and not isinstance(checked, sp.Basic):
            array = np.asarray(checked)
            if (array <= low).any():
                raise InvalidParameterError(
                    f"{self.name} ({self.symbol}) must be in {self.describe()}, got "
                    f"{float(array[array <= low].ravel()[0]):g}"
                )
        return checked


def _version_two(name: str, **changes: Any) -> Any:
    """A field carrying the version-2 parameter ``name``'s spec (with ``changes``)."""
    spec = Parameters.BY_NAME[name]
    given: dict[str, Any] = {
        "symbol": spec.symbol,
        "latex": spec.latex,
        "domain": spec.domain,
        "default": spec.default,
        "meaning": spec.meaning,
        "upper_open": spec.upper_open,
    } | changes
    return parameter(**given)


@parameter_set(NestedParameterSpec)
@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class NestedParameters(ParameterSet):
    r"""The parameters of the nested game of actors, validated.

    The thirteen parameters of the partnership model (version 2; see
    :class:`powergames.partnership.Parameters`) keep their names, meanings and defaults
    (the baseline B0), with two changes: ``control_gain`` is the OCI's gain from
    imposing *before* the funder's conditions (``g_0``, default 1; the conditions add
    ``gamma kappa``), and the membership's
    accountability must be positive (an OCI whose members value none of its legitimacy
    has no membership to speak of, and the stage game could not be written as a
    version-2 game). Then the actors':

    Parameters
    ----------
    membership_mobilisation : float in [0, 1] or nan, default nan
        ``m``: the membership's mobilisation. NaN: the membership chooses it (stage 1);
        a number fixes it (the subgame after that choice).
    membership_mobilisation_cost : float >= 0, default 1
        ``c_M``: the cost of mobilising, ``c_M m^2 / 2``.
    membership_tolerance : float >= 0, default 1
        ``tau``: the conditionality a passive membership ratifies; a membership
        mobilised at ``m`` ratifies ``kappa_M(m) = tau (1 - m)``.
    funder_political_cost : float >= 0, default 3
        ``p``: what facing a mobilised membership costs the funder, ``d_F = -p m``.
    winning_bid_gain : float >= 0, default 1
        ``mu``: how much a mobilised membership strengthens the OCI's bid elsewhere,
        ``d_N = w_NF + mu m``.
    oci_alternative_funding : float, default 0
        ``w_NF``: the OCI's payoff from its other funding, without this funder.
    funding_value : float, default 5
        ``f_N``: what the funder's critical resources are worth to the OCI.
    oci_condition_cost : float > 0, default 1
        ``c_N``: what each condition costs the OCI in its relation with the NGO.
    oci_bargaining_weight : float in [0, 1], default 0.5
        ``theta``: the OCI's weight in its bargaining with the funder.
    conditionality_cap : float >= 0, default 2
        ``kappa_bar``: the most conditionality the funder can attach.
    control_per_condition : float >= 0, default 2
        ``gamma``: the control each condition gives the funder, which tempts the OCI to
        impose (``g = g0 + gamma kappa``).
    base_group_floor : float >= 0, default 0
        ``r_B``: the least resources the NGO's base groups let it accept.

    Raises
    ------
    InvalidParameterError
        For a value outside the parameter's domain, or arrays that do not broadcast.

    Examples
    --------
    >>> p = NestedParameters(membership_mobilisation=0.5)
    >>> p.membership_mobilisation, p.control_per_condition
    (0.5, 2.0)
    >>> NestedParameters(membership_accountability=0)
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: membership_accountability (a_M) must be in (0, ...
    """

    # ------------------------------------------------ the partnership (version 2)
    pragmatic_legitimacy: Value = _version_two("pragmatic_legitimacy")
    moral_legitimacy: Value = _version_two("moral_legitimacy")
    funder_accountability: Value = _version_two(
        "funder_accountability",
        meaning="how much the OCI's funder (CIDA) values the results the OCI shows (its "
        "pragmatic legitimacy) and the control its conditions give",
    )
    membership_accountability: Value = _version_two(
        "membership_accountability",
        lower_open=True,
        meaning="how much the OCI's membership values the legitimacy the OCI shows, "
        "pragmatic and moral, and its own paradigm against the funder's conditions",
    )
    control_gain: Value = _version_two(
        "control_gain",
        default=1.0,
        symbol="g_0",
        latex="g_0",
        meaning="g0: what the OCI gains by imposing on the NGO before the funder's "
        "conditions (its own coercive power)",
    )
    autonomy_value: Value = _version_two("autonomy_value")
    assertion_cost: Value = _version_two("assertion_cost")
    shared_paradigm: Value = _version_two("shared_paradigm")
    oci_outside_option: Value = _version_two("oci_outside_option")
    ngo_outside_option: Value = _version_two("ngo_outside_option")
    transfer_floor: Value = _version_two("transfer_floor")
    discount_factor: Value = _version_two("discount_factor")
    inherited_weight: Value = _version_two("inherited_weight")
    # ------------------------------------------------------------ the membership
    membership_mobilisation: Value = parameter(
        "m",
        "m",
        (0, 1),
        math.nan,
        "the membership's mobilisation, for political pressure or a winning bid (nan: "
        "the membership chooses it)",
        chosen=True,
    )
    membership_mobilisation_cost: Value = parameter(
        "c_M",
        "c_M",
        (0, INF),
        1.0,
        "the membership's cost of mobilising, c_M m^2 / 2 (the last members are the "
        "hardest to mobilise)",
    )
    membership_tolerance: Value = parameter(
        "tau",
        "\\tau",
        (0, INF),
        1.0,
        "the conditionality a passive membership ratifies; mobilised at m, it ratifies "
        "at most tau (1 - m)",
    )
    # ---------------------------------------------------------------- the funder
    funder_political_cost: Value = parameter(
        "p",
        "p",
        (0, INF),
        3.0,
        "what facing a mobilised membership costs the funder when it breaks with the "
        "OCI (political pressure): its disagreement payoff is -p m",
    )
    winning_bid_gain: Value = parameter(
        "mu",
        "\\mu",
        (0, INF),
        1.0,
        "how much a mobilised membership strengthens the OCI's bid for other funding "
        "(a winning bid): its disagreement payoff is w_NF + mu m",
    )
    oci_alternative_funding: Value = parameter(
        "w_NF",
        "w_{NF}",
        (-INF, INF),
        0.0,
        "the OCI's payoff from its other funding, without this funder",
    )
    funding_value: Value = parameter(
        "f_N",
        "f_N",
        (-INF, INF),
        5.0,
        "what the funder's critical resources (financial resources) are worth to the OCI",
    )
    oci_condition_cost: Value = parameter(
        "c_N",
        "c_N",
        (0, INF),
        1.0,
        "what each condition costs the OCI in its relation with the NGO: the funder's "
        "policies it must carry South",
        lower_open=True,
    )
    oci_bargaining_weight: Value = parameter(
        "theta",
        "\\theta",
        (0, 1),
        0.5,
        "the OCI's weight in its bargaining with the funder over the conditionality",
    )
    conditionality_cap: Value = parameter(
        "kappa_bar",
        "\\bar\\kappa",
        (0, INF),
        2.0,
        "the most conditionality the funder can attach to its funding",
    )
    control_per_condition: Value = parameter(
        "gamma",
        "\\gamma",
        (0, INF),
        2.0,
        "the control each unit of conditionality gives the funder; it raises the OCI's "
        "gain from imposing by as much (coercive isomorphism)",
    )
    # ----------------------------------------------------------- the base groups
    base_group_floor: Value = parameter(
        "r_B",
        "r_B",
        (0, INF),
        0.0,
        "the least resources the NGO's base groups let it accept, to answer their "
        "needs: a floor on the transfer in every relation",
    )

    OWNER: ClassVar[str] = "the parameters of the nested game"


#: The parameters of the nested game, in order: the thirteen of version 2, then the
#: membership's, the funder's and the base groups', with symbols, domains, meanings and
#: defaults (the nested baseline).
NESTED_SPECS: tuple[NestedParameterSpec, ...] = NestedParameters.SPECS  # type: ignore[assignment]

#: The nested baseline: every parameter's default.
NESTED_BASELINE: dict[str, float] = {spec.name: spec.default for spec in NESTED_SPECS}


def check_nested_name(name: str) -> str:
    """``name`` if it is a parameter of the nested game, else
    :class:`InvalidParameterError` with a suggestion and the list of names.

    Examples
    --------
    >>> check_nested_name("conditionality")
    Traceback (most recent call last):
    ...
    powergames.errors.InvalidParameterError: unknown parameter 'conditionality'; did you ...
    """
    return NestedParameters.check_name(name)
