"""A regression corpus: every two-player game of Gambit's catalogue (data under
tests/data/gambit, GPL-2.0-or-later, see its README), with its number of extreme
equilibria decided by exact rational arithmetic (tests/exact.py, on the files' exact
rational payoffs), and every method compared with it."""

from __future__ import annotations

import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from powergames import (
    DegenerateGameWarning,
    Game,
    equilibria,
    is_degenerate,
    lemke_howson,
    read_nfg,
    solve_batch,
    write_nfg,
)

import exact
from helpers import describe, same_profiles

DATA = Path(__file__).parent / "data" / "gambit"

#: Gambit's path -> (extreme equilibria, degenerate), both decided exactly.
CORPUS = {
    "catalog/journals/dcg/vonstengel1999/6x6_game_with_75_eq.nfg": (75, False),
    "catalog/journals/dcg/vonstengel1999/6x6_game_with_75_eq_small_payoffs.nfg": (75, False),
    "catalog/journals/ijgt/nau2004/sec3.nfg": (3, False),
    "catalog/journals/other/shapley1974/fig2.nfg": (3, False),
    "catalog/journals/other/shapley1974/fig3.nfg": (3, False),
    "contrib/games/2x2.nfg": (1, False),
    "contrib/games/2x2a.nfg": (1, False),
    "contrib/games/2x2const.nfg": (1, False),
    "contrib/games/8x8.nfg": (5, False),
    "contrib/games/cent2.nfg": (1, False),
    "contrib/games/coord2.nfg": (3, False),
    "contrib/games/coord3.nfg": (7, False),
    "contrib/games/coord4.nfg": (15, False),
    "contrib/games/csg1.nfg": (4, True),
    "contrib/games/csg2.nfg": (4, True),
    "contrib/games/csg3.nfg": (4, True),
    "contrib/games/csg4.nfg": (4, True),
    "contrib/games/deg1.nfg": (6, True),
    "contrib/games/deg2.nfg": (7, True),
    "contrib/games/e04.nfg": (3, True),
    "contrib/games/e07.nfg": (1, False),
    "contrib/games/loopback.nfg": (3, True),
    "contrib/games/mixdom.nfg": (1, True),
    "contrib/games/mixdom2.nfg": (1, False),
    "contrib/games/oneill.nfg": (1, True),
    "contrib/games/pd.nfg": (1, False),
    "contrib/games/perfect1.nfg": (9, True),
    "contrib/games/perfect2.nfg": (3, True),
    "contrib/games/sh3.nfg": (3, False),
    "contrib/games/sww1.nfg": (3, True),
    "contrib/games/todd1.nfg": (5, False),
    "contrib/games/todd2.nfg": (3, False),
    "contrib/games/todd3.nfg": (3, False),
    "contrib/games/vd.nfg": (10, True),
    "contrib/games/wink3.nfg": (4, True),
    "contrib/games/winkels.nfg": (12, True),
    "contrib/games/yamamoto.nfg": (2, True),
    "contrib/games/zero.nfg": (4, True),
    "tests/test_games/2x2_bimatrix_all_zero_payoffs.nfg": (4, True),
    "tests/test_games/const_sum_game.nfg": (2, True),
    "tests/test_games/coordination_4x4_outcome.nfg": (15, False),
    "tests/test_games/coordination_4x4_payoff.nfg": (15, False),
    "tests/test_games/mixed_strategy.nfg": (2, True),
    "tests/test_games/non_const_sum_game.nfg": (3, True),
}
FILES = sorted(CORPUS)
_EXACT: dict[str, list] = {}


def quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return function(*args, **kwargs)


def exact_extreme(name):
    if name not in _EXACT:
        A, B = exact.read_nfg_exact((DATA / name).read_text())
        _EXACT[name] = exact.extreme_equilibria(A, B)
    return _EXACT[name]


def exact_pure(name):
    return [eq for eq in exact_extreme(name) if all(max(s) == 1 for s in eq)]


def test_the_corpus_is_every_two_player_file():
    on_disk = {str(p.relative_to(DATA)) for p in DATA.rglob("*.nfg")}
    assert on_disk == set(CORPUS)


@pytest.mark.parametrize("name", FILES)
def test_the_exact_count_of_extreme_equilibria(name):
    count, degenerate = CORPUS[name]
    A, B = exact.read_nfg_exact((DATA / name).read_text())
    assert len(exact_extreme(name)) == count
    assert exact.is_degenerate(A, B) == degenerate
    # The floats powergames reads are the files' rationals, rounded.
    game = read_nfg(DATA / name)
    np.testing.assert_array_equal(game.payoffs[0], np.array(A, dtype=float))
    np.testing.assert_array_equal(game.payoffs[1], np.array(B, dtype=float))
    assert read_nfg(write_nfg(game)) == game


@pytest.mark.parametrize("name", FILES)
def test_vertex_enumeration_finds_exactly_the_extreme_equilibria(name):
    game = read_nfg(DATA / name)
    for method in ("vertex", "auto"):
        found = quiet(equilibria, game, method)
        assert same_profiles(found, exact_extreme(name), tol=1e-9), describe(found)
    assert is_degenerate(game) == CORPUS[name][1]


@pytest.mark.parametrize("name", FILES)
def test_support_enumeration(name):
    # Every equilibrium of a non-degenerate game; extreme ones, every pure one among
    # them, in a degenerate game.
    game = read_nfg(DATA / name)
    found = quiet(equilibria, game, "support")
    if not CORPUS[name][1]:
        assert same_profiles(found, exact_extreme(name), tol=1e-9), describe(found)
        return
    for eq in found:
        assert same_profiles([eq], [e for e in exact_extreme(name) if same_profiles([eq], [e])])
    for pure in exact_pure(name):
        assert any(same_profiles([pure], [eq]) for eq in found)


@pytest.mark.parametrize("name", FILES)
def test_lemke_howson_ends_at_an_extreme_equilibrium_from_every_label(name):
    game = read_nfg(DATA / name)
    m, n = game.shape
    for label in range(m + n):
        eq = lemke_howson(game, label)
        assert any(same_profiles([eq], [e], tol=1e-9) for e in exact_extreme(name)), label


@pytest.mark.parametrize("name", FILES)
def test_pure_equilibria(name):
    game = read_nfg(DATA / name)
    assert same_profiles(equilibria(game, "pure"), exact_pure(name))


@pytest.mark.parametrize(("method", "tol"), [("support", 1e-12), ("vertex", 1e-9)])
def test_solve_batch_game_by_game(method, tol):
    # Support enumeration takes the same path in both. Vertex enumeration of a single
    # game with more than 500 support pairs goes through convex hulls, whose vertices
    # agree with the support systems' solutions to rounding, the condition number times
    # eps: 1.5e-10 on von Stengel's 6x6 game (condition number 2e7). Both are compared
    # with the exact equilibria above.
    by_shape: dict[tuple[int, int], list[str]] = {}
    for name in FILES:
        by_shape.setdefault(read_nfg(DATA / name).shape, []).append(name)
    for names in by_shape.values():
        games = [read_nfg(DATA / name) for name in names]
        As = np.stack([g.payoffs[0] for g in games])
        Bs = np.stack([g.payoffs[1] for g in games])
        batch = quiet(solve_batch, As, Bs, method)
        for k, game in enumerate(games):
            assert same_profiles(batch[k], quiet(equilibria, game, method), tol=tol)


def test_support_enumeration_finds_all_75_equilibria_of_von_stengels_game():
    # von Stengel (1999), "New maximal numbers of equilibria in bimatrix games": a 6x6
    # game with 75 equilibria, integer payoffs up to 1.7e6. Two fully mixed equilibria
    # (supports {0..4} x {0, 2, 3, 4, 5} and all of both) were missed: their systems,
    # with condition numbers 4e6 and 2e7, were taken for singular because their
    # determinants were below 1e-12 of Hadamard's bound, a ratio that shrinks when the
    # support's payoffs span a small part of the game's payoff range.
    quantecon = pytest.importorskip("quantecon.game_theory")
    name = "catalog/journals/dcg/vonstengel1999/6x6_game_with_75_eq.nfg"
    game = read_nfg(DATA / name)
    found = equilibria(game, "support")
    assert len(found) == 75
    A, B = game.payoffs
    theirs = quantecon.support_enumeration(
        quantecon.NormalFormGame((quantecon.Player(A.copy()), quantecon.Player(B.T.copy())))
    )
    assert same_profiles(found, theirs, tol=1e-9)
    full = [eq for eq in found if eq.supports == (tuple(range(6)), tuple(range(6)))]
    assert len(full) == 1


@pytest.mark.parametrize("name", FILES)
def test_gambits_own_reader_and_enumeration_agree(name):
    # pygambit reads the same payoffs and title (it renames repeated names, "" "" to
    # "_1" "_2" and "defect" "defect" to "defect_1" "defect_2"; we keep them). Its
    # enummixed lists extreme equilibria, some more than once in degenerate games
    # (9 entries for the 4 extreme equilibria of csg2 and csg4): as sets, the exact ones.
    pygambit = pytest.importorskip("pygambit", reason="pygambit is optional")
    theirs = pygambit.read_nfg(str(DATA / name))
    ours = read_nfg(DATA / name)
    converted = Game(theirs)
    assert converted.title == ours.title
    for mine, gambits in zip(ours.payoffs, converted.payoffs, strict=True):
        np.testing.assert_array_equal(mine, gambits)
    found = pygambit.nash.enummixed_solve(theirs, rational=True).equilibria
    # mixed_strategies() yields (player, mixed strategy), a mixed strategy yields
    # (strategy, probability as a pygambit Rational).
    profiles = {
        tuple(tuple(Fraction(str(p)) for _, p in mixed) for _, mixed in profile.mixed_strategies())
        for profile in found
    }
    expected = {tuple(tuple(s) for s in eq) for eq in exact_extreme(name)}
    assert profiles == expected
