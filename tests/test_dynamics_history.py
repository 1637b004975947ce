"""The article's history as a path of the dynamic model (the historical-path preset):
the three compromises in order, accumulation and hysteresis, trust as patience."""

from __future__ import annotations

import numpy as np
import pytest

from powergames.partnership.dynamics import load_dynamic_preset, solve, trajectory

HISTORY = load_dynamic_preset("historical-path")
SIXTIES, SEVENTIES, NINETIES = HISTORY.model.chain.names
SUSTAINED = ("collaboration", "partnership")


@pytest.fixture(scope="module")
def solution():
    return solve(HISTORY.model)


@pytest.mark.parametrize("seed", range(10))
def test_the_historical_path_runs_donor_beneficiary_collaboration_partnership(solution, seed):
    # « Dans les années 1960, [...] donateurs et bénéficiaires. Dans les années 1970 et
    # 1980, [...] de collaboration [...]. C'est à partir des années 1990 que le
    # compromis semble avoir pris la forme du partenariat. » The eras by the calendar,
    # the stocks' lotteries by the seed.
    path = trajectory(solution, HISTORY.start, 50, eras=HISTORY.eras(50), seed=seed)
    firsts = path.first_periods()
    assert list(firsts)[:3] == ["donor-beneficiary", "collaboration", "partnership"]
    era = path["era"]
    regime = path["regime"]
    assert set(regime[era == SIXTIES]) == {"donor-beneficiary"}
    assert set(regime[era == SEVENTIES]) == {"collaboration"}
    assert set(regime[era == NINETIES]) == {"partnership"}


@pytest.mark.parametrize("seed", range(5))
def test_hysteresis_a_relation_with_history_survives_a_funder_shock_that_ends_a_new_one(
    solution, seed
):
    # The funder's shock: the move from the 1970s-80s to the 1990s. Same eras, two
    # relations: one with the legitimacy and trust the history built, one without.
    history = trajectory(solution, HISTORY.start, 30, eras=HISTORY.eras(30), seed=seed)
    built = (history["moral_legitimacy"][-1], history["shared_paradigm"][-1])
    eras = [SEVENTIES] + [NINETIES] * 30
    old = trajectory(solution, (*built, SEVENTIES), 31, eras=eras, seed=seed)
    new = trajectory(solution, (0.0, 0.0, SEVENTIES), 31, eras=eras, seed=seed)
    assert set(old["regime"][1:]) == {"partnership"}
    assert set(new["regime"][1:]) == {"breakdown"}
    assert built[0] > 3 and built[1] > 0.5


def test_the_relation_reshapes_the_game_its_environment_sets(solution):
    # « contribuant ainsi à une dynamique dialectique plutôt qu'unilatérale » and « voient
    # leur rôle renforcé grâce aux pouvoirs obtenus [...] de leurs partenaires du Sud ».
    path = trajectory(solution, HISTORY.start, 50, eras=HISTORY.eras(50), seed=0)
    era, L, phi = path["era"], path["moral_legitimacy"], path["shared_paradigm"]
    # The environment acts on the relation: imposition in the 1960s builds nothing...
    sixties = era == SIXTIES
    assert (np.diff(phi[sixties]) <= 0).all() and (np.diff(L[sixties]) <= 1e-12).all()
    # ... collaboration builds the NGO's legitimacy and the partners' trust ...
    seventies = np.flatnonzero(era == SEVENTIES)
    assert L[seventies[-1]] > L[seventies[0]] + 2 and phi[seventies[-1]] > phi[seventies[0]] + 0.5
    # ... and what the relation built decides what the next environment makes of it:
    # in the same 1990s state of the funder, a partnership with this history, parting
    # without it; the OCI carries North more of the legitimacy it is accountable for.
    model = HISTORY.model
    first = np.flatnonzero(era == NINETIES)[0]
    with_history = path.states[first]
    without = model.initial_state(0.0, 0.0, NINETIES)
    assert solution.regime[with_history] == "partnership"
    assert solution.regime[without] == "breakdown"
    assert solution.payoff_oci[with_history] > solution.payoff_oci[without] == 0
    # Wherever the 1990s relation is a partnership, the OCI's value rises with the
    # NGO's legitimacy.
    z, size = model.chain.index(NINETIES), model.grid.size
    value = solution.payoff_oci[z * size : (z + 1) * size].reshape(model.grid.shape)
    partnership = solution.policy_map(NINETIES) == "partnership"
    both = partnership[1:] & partnership[:-1]
    assert both.sum() > 100 and (np.diff(value, axis=0)[both] > 0).all()


def test_trust_accumulates_into_the_patience_that_holds_the_partnership(solution):
    # « surtout, à la relation de confiance, de réciprocité et de solidarité »: trust,
    # built period after period, lowers the risk of breakdown (the discount factor
    # rises with it along the path), and in the 1990s there are levels of legitimacy
    # at which trust alone separates a partnership from parting.
    path = trajectory(solution, HISTORY.start, 50, eras=HISTORY.eras(50), seed=0)
    phi, delta = path["shared_paradigm"], path["discount_factor"]
    order = np.argsort(phi, kind="stable")
    assert (np.diff(delta[order]) >= -1e-12).all() and delta.max() > delta.min() + 0.05
    model = HISTORY.model
    nineties = solution.policy_map(NINETIES)
    assert ((nineties[:, 0] == "breakdown") & (nineties[:, -1] == "partnership")).any()
    # More trust never ends a sustained relation, in any era, at any legitimacy.
    for era in model.chain.names:
        sustained = np.isin(solution.policy_map(era), SUSTAINED)
        assert (np.diff(sustained.astype(int), axis=1) >= 0).all()
