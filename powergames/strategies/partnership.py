"""Strategies for the partnership model: its parameters, ranges of the evidence
layer, scenarios with ranges, and the nested game of actors' parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import strategies as st

if TYPE_CHECKING:  # pragma: no cover
    from powergames.partnership import Parameters, Scenario
    from powergames.partnership.actors import NestedParameters
    from powergames.partnership.evidence import Range

__all__ = ["nested_parameters", "partnership_parameters", "ranged_scenarios", "ranges"]


@st.composite
def partnership_parameters(
    draw: st.DrawFn, /, *, sustainable: bool = False, **fixed: object
) -> Parameters:
    """Parameters of the partnership model, each drawn in a range wide enough to reach
    every regime: legitimacies, gains and costs in [0, 10], accountabilities in [0, 2],
    the shared paradigm in [0, 1], outside options in [-2, 5], the transfer floor in
    [0, 5] (exactly 0 often), the discount factor in [0, 0.99] and the inherited weight
    in [0, 1]. Keyword arguments fix parameters instead of drawing them.

    With ``sustainable=True``, points where (dilute, assert) is played: the control
    gain and the assertion cost are drawn below the levels at which (dilute, assert)
    stops maximising the joint payoff, the discount factor above the critical one
    (:func:`powergames.partnership.settle`), and points within rounding of a tie (a
    temptation of about 0, the critical discount factor itself) are left out.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(partnership_parameters(shared_paradigm=1.0), lambda p: True).shared_paradigm
    1.0
    """
    from powergames.partnership import Parameters, settle

    unit = st.floats(0, 1)
    ranges = {
        "pragmatic_legitimacy": st.floats(0, 10),
        "moral_legitimacy": st.floats(0, 10),
        "funder_accountability": st.floats(0, 2),
        "membership_accountability": st.floats(0, 2),
        "control_gain": st.floats(0, 10),
        "autonomy_value": st.floats(0, 10),
        "assertion_cost": st.floats(0, 10),
        "shared_paradigm": unit,
        "oci_outside_option": st.floats(-2, 5),
        "ngo_outside_option": st.floats(-2, 5),
        "transfer_floor": st.one_of(st.just(0.0), st.floats(0, 5)),
        "discount_factor": st.floats(0, 0.99),
        "inherited_weight": unit,
    }
    values = {
        name: fixed[name] if name in fixed else draw(strategy) for name, strategy in ranges.items()
    }
    params = Parameters(**values)
    if not sustainable:
        return params
    phi, b = params.shared_paradigm, params.autonomy_value
    lam, moral = params.accountability, params.moral_legitimacy
    if "control_gain" not in fixed:
        params = params.replace(control_gain=draw(unit) * (1 + phi) * b)
    if "assertion_cost" not in fixed:
        params = params.replace(assertion_cost=draw(unit) * (lam + phi) * moral)
    result = settle(params)
    delta_c = result["critical_discount_factor"]
    scale = 1 + abs(result["surplus"])
    ties = [result[n] for n in ("temptation_oci", "temptation_ngo")]
    if delta_c >= 0.98 or any(t != 0 and abs(t) < 1e-9 * scale for t in ties):
        from hypothesis import reject

        reject()
    if "discount_factor" in fixed:
        return params
    return params.replace(discount_factor=delta_c + draw(st.floats(1e-6, 1)) * (0.99 - delta_c))


@st.composite
def ranges(draw: st.DrawFn, /, low: float = 0.0, high: float = 10.0) -> Range:
    """A range (:mod:`powergames.partnership.evidence`) within ``[low, high]``: uniform,
    triangular or beta, degenerate (one value) now and then.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(ranges(0, 1), lambda r: r.degenerate).low
    0.0
    """
    from powergames.partnership.evidence import Beta, Triangular, Uniform

    ends = sorted(draw(st.floats(low, high)) for _ in range(2))
    if draw(st.integers(0, 5)) == 0:
        ends[1] = ends[0]
    kind = draw(st.sampled_from(["uniform", "triangular", "beta"]))
    if kind == "uniform":
        return Uniform(*ends)
    if kind == "triangular":
        return Triangular(ends[0], draw(st.floats(ends[0], ends[1])), ends[1])
    shape = st.floats(0.5, 8)
    return Beta(draw(shape), draw(shape), *ends)


@st.composite
def ranged_scenarios(draw: st.DrawFn, /, max_ranges: int = 4) -> Scenario:
    """A scenario of the partnership model (values from :func:`partnership_parameters`)
    with one to ``max_ranges`` of its parameters ranged, each range within the span
    that strategy draws the parameter from.

    Examples
    --------
    >>> from hypothesis import find
    >>> 1 <= len(find(ranged_scenarios(), lambda s: True).ranges) <= 4
    True
    """
    from powergames.partnership import Scenario

    spans = {
        "pragmatic_legitimacy": (0, 10),
        "moral_legitimacy": (0, 10),
        "funder_accountability": (0, 2),
        "membership_accountability": (0, 2),
        "control_gain": (0, 10),
        "autonomy_value": (0, 10),
        "assertion_cost": (0, 10),
        "shared_paradigm": (0, 1),
        "oci_outside_option": (-2, 5),
        "ngo_outside_option": (-2, 5),
        "transfer_floor": (0, 5),
        "discount_factor": (0, 0.99),
        "inherited_weight": (0, 1),
    }
    names = draw(
        st.lists(st.sampled_from(sorted(spans)), min_size=1, max_size=max_ranges, unique=True)
    )
    chosen = {name: draw(ranges(*spans[name])) for name in names}
    return Scenario("ranged", parameters=draw(partnership_parameters()), ranges=chosen)


@st.composite
def nested_parameters(
    draw: st.DrawFn, /, *, chosen: bool | None = None, **fixed: object
) -> NestedParameters:
    """Parameters of the nested game of actors: the partnership model's drawn as in
    :func:`partnership_parameters` (the membership's accountability in [0.05, 2], the
    control gain before conditions in [0, 5]), and the actors': mobilisation cost in
    [0, 5], tolerance and cap in [0, 3], political cost and bid gain in [0, 5], the
    OCI's alternative funding in [-2, 5] and funding value in [-2, 10], its cost per
    condition in [0.05, 5], its bargaining weight in [0, 1], the control per condition
    in [0, 3], the base groups' floor in [0, 5] (exactly 0 often); no subnormal numbers.
    The mobilisation is left to the membership (NaN) when ``chosen`` is True, drawn in
    [0, 1] when False, either when None. Keyword arguments fix parameters instead of
    drawing them.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(nested_parameters(chosen=False), lambda p: True).membership_mobilisation
    0.0
    """
    from powergames.partnership.actors import NestedParameters

    def floats(low: float, high: float) -> st.SearchStrategy[float]:
        # Subnormal numbers are no one's accountability or cost, and they underflow.
        return st.floats(low, high, allow_subnormal=False)

    unit = floats(0, 1)
    draws = {
        "pragmatic_legitimacy": floats(0, 10),
        "moral_legitimacy": floats(0, 10),
        "funder_accountability": floats(0, 2),
        "membership_accountability": floats(0.05, 2),
        "control_gain": floats(0, 5),
        "autonomy_value": floats(0, 10),
        "assertion_cost": floats(0, 10),
        "shared_paradigm": unit,
        "oci_outside_option": floats(-2, 5),
        "ngo_outside_option": floats(-2, 5),
        "transfer_floor": st.one_of(st.just(0.0), floats(0, 5)),
        "discount_factor": floats(0, 0.99),
        "inherited_weight": unit,
        "membership_mobilisation_cost": floats(0, 5),
        "membership_tolerance": floats(0, 3),
        "funder_political_cost": floats(0, 5),
        "winning_bid_gain": floats(0, 5),
        "oci_alternative_funding": floats(-2, 5),
        "funding_value": floats(-2, 10),
        "oci_condition_cost": floats(0.05, 5),
        "oci_bargaining_weight": unit,
        "conditionality_cap": floats(0, 3),
        "control_per_condition": floats(0, 3),
        "base_group_floor": st.one_of(st.just(0.0), floats(0, 5)),
    }
    if chosen is None:
        draws["membership_mobilisation"] = st.one_of(st.just(float("nan")), unit)
    elif not chosen:
        draws["membership_mobilisation"] = unit
    values = {
        name: fixed[name] if name in fixed else draw(strategy) for name, strategy in draws.items()
    }
    values.update({name: value for name, value in fixed.items() if name not in values})
    return NestedParameters(**values)
