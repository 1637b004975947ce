"""The nested game's closed forms against a brute-force backward induction of its
discretised version (``nested_verifier``: grids of mobilisation and conditionality,
the Nash product maximised over the grid, stage 3 at the nested stage game), agreeing
to the grids' resolution."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from nested_verifier import backward_induction, bargain

from powergames.partnership.actors import NestedParameters, evaluate_funding, settle_nested
from powergames.partnership.actors.presets import NESTED_PRESETS, load_nested_preset
from powergames.strategies import nested_parameters

MOBILISATIONS = np.linspace(0.0, 1.0, 51)
STEPS = 200  # conditionalities on [0, cap]


def well_scaled(v: dict[str, float]) -> bool:
    """The funder's stake in control is 0 or large enough that floating point sees its
    gain from one grid step of conditionality (below that the brute force cannot tell
    its Nash products apart; the closed form can)."""
    stake = v["funder_accountability"] * v["control_per_condition"]
    return stake == 0 or stake >= 1e-3


def grids(v: dict[str, float]) -> tuple[np.ndarray, float]:
    cap = v["conditionality_cap"]
    kappas = np.linspace(0.0, cap, STEPS + 1) if cap > 0 else np.array([0.0])
    return kappas, (cap / STEPS if cap > 0 else 0.0)


@settings(max_examples=30)
@given(p=nested_parameters(chosen=True))
def test_the_conditionality_is_the_bargain_of_the_discretised_game(p):
    # Stage 2: at every mobilisation of the grid, the conditionality that maximises the
    # Nash product over the grid is within one grid step of the closed form (the Nash
    # product is log-concave, so its maximum over a grid is next to the continuous one).
    v = {name: float(value) for name, value in p.items()}
    assume(well_scaled(v))
    kappas, step = grids(v)
    closed = evaluate_funding(p, MOBILISATIONS)["conditionality"]
    for m, kappa in zip(MOBILISATIONS, closed, strict=True):
        assert abs(bargain(v, float(m), kappas) - kappa) <= step + 1e-9


@settings(max_examples=30)
@given(p=nested_parameters(chosen=True))
def test_the_membership_chooses_as_in_the_discretised_game(p):
    # The whole backward induction: the membership's payoff at its choice agrees with
    # the discretised game's to the grids' resolution. On a piece of the payoff, a grid
    # step of mobilisation moves it by at most L h_m (L = a_M gamma max(k_1, tau) + c_M,
    # the steepest slope of a_M gamma kappa* plus the cost's) and a grid step of
    # conditionality by a_M gamma h_kappa.
    v = {name: float(value) for name, value in p.items()}
    assume(well_scaled(v))
    kappas, step = grids(v)
    brute = backward_induction(v, MOBILISATIONS, kappas)
    closed = settle_nested(p)
    bound = resolution(p, MOBILISATIONS[1] - MOBILISATIONS[0], step)
    scale = 1 + abs(closed["membership_payoff"])
    assert abs(closed["membership_payoff"] - brute.membership_payoff) <= bound + 1e-9 * scale


def resolution(p: NestedParameters, h_m: float, h_kappa: float) -> float:
    """How much a grid step of mobilisation and of conditionality can move the
    membership's payoff on a piece: ``L h_m + a_M gamma h_kappa``, with ``L = a_M gamma
    max(k_1, tau) + c_M`` the steepest slope of ``a_M gamma kappa*`` plus the cost's."""
    slope = float(evaluate_funding(p, 0.0)["conditionality_slope"])
    slope = max(slope if np.isfinite(slope) else 0.0, float(p.membership_tolerance))
    a_M, gamma = float(p.membership_accountability), float(p.control_per_condition)
    return (a_M * gamma * slope + float(p.membership_mobilisation_cost)) * h_m + (
        a_M * gamma * h_kappa
    )


def test_the_presets_solve_as_their_discretised_games():
    # At the presets, the discretised game (a finer mobilisation grid) lands in the
    # same regime, with the membership's payoff within the grids' resolution. (The
    # payoff is flat near the choice: the argmax of a grid is not a sharper test.)
    mobilisations = np.linspace(0.0, 1.0, 201)
    for name in NESTED_PRESETS:
        p = load_nested_preset(name).parameters
        v = {key: float(value) for key, value in p.items()}
        kappas, step = grids(v)
        brute = backward_induction(v, mobilisations, kappas)
        closed = settle_nested(p)
        assert brute.regime == closed["regime"], name
        gap = abs(brute.membership_payoff - closed["membership_payoff"])
        assert gap <= resolution(p, 1 / 200, step), name
        # No grid point beats the closed form by more than a conditionality step.
        assert brute.membership_payoff <= closed["membership_payoff"] + resolution(p, 0, step)


def test_the_baseline_solves_as_its_discretised_game_exactly_on_the_grid():
    # At the nested baseline the kinks fall on the grids: the brute force finds the
    # closed form's outcome exactly.
    p = NestedParameters()
    v = {key: float(value) for key, value in p.items()}
    brute = backward_induction(v, np.linspace(0, 1, 41), np.linspace(0, 2, 81))
    closed = settle_nested(p)
    assert (brute.mobilisation, brute.conditionality, brute.regime) == (
        closed["mobilisation"],
        closed["conditionality"],
        closed["regime"],
    )
    assert brute.membership_payoff == closed["membership_payoff"]
