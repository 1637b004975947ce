"""Support and vertex enumeration, the pure solver and the degeneracy test: laws and
cross-checks against an exact rational oracle."""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from powergames import (
    DegenerateGameWarning,
    Game,
    is_degenerate,
    is_equilibrium,
    pure_equilibria,
    support_enumeration,
    vertex_enumeration,
)
from powergames.strategies import games, permutations_of

import exact
from helpers import describe, same_profiles

ENUMERATORS = [support_enumeration, vertex_enumeration]


def quiet(solver, game, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return solver(game, **kwargs)


def exact_pure(game):
    A, B = game.payoffs
    return [
        (np.eye(A.shape[0])[i], np.eye(A.shape[1])[j])
        for i in range(A.shape[0])
        for j in range(A.shape[1])
        if A[i, j] == A[:, j].max() and B[i, j] == B[i, :].max()
    ]


@pytest.mark.parametrize("solver", [*ENUMERATORS, pure_equilibria])
@given(game=games(max_rows=5, max_cols=5))
def test_every_returned_profile_is_an_equilibrium(solver, game):
    for eq in quiet(solver, game):
        assert is_equilibrium(game, eq.strategies), describe([eq])
        assert eq.payoffs == pytest.approx(game.expected_payoffs(*eq.strategies), abs=1e-9)


@pytest.mark.parametrize("solver", [*ENUMERATORS, pure_equilibria])
@given(game=games(payoffs="float", max_rows=5, max_cols=5))
def test_every_returned_profile_is_an_equilibrium_float_payoffs(solver, game):
    for eq in quiet(solver, game):
        assert is_equilibrium(game, eq.strategies), describe([eq])


@given(game=games(max_rows=4, max_cols=4, min_value=-3, max_value=3))
def test_vertex_enumeration_finds_exactly_the_extreme_equilibria(game):
    # Small integer payoffs: ties everywhere, many degenerate games, continua.
    expected = exact.extreme_equilibria(*game.payoffs)
    found = quiet(vertex_enumeration, game)
    note(f"found:\n{describe(found)}\nexact:\n{describe(expected)}")
    assert same_profiles(found, expected, tol=1e-9)


@given(game=games(max_rows=4, max_cols=4, min_value=-1000, max_value=1000))
def test_vertex_enumeration_matches_the_oracle_on_decimal_games(game):
    # Payoffs with three decimals. The solvers treat payoffs within tol (relative to
    # the payoff range) as tied, so the comparison with the exact oracle is made on
    # payoffs that are either equal or well apart.
    A, B = (M / 1000 for M in game.payoffs)
    expected = exact.extreme_equilibria(A, B)
    assert same_profiles(quiet(vertex_enumeration, Game(A, B)), expected, tol=1e-7)


@given(game=games(payoffs="float", max_rows=5, max_cols=5, degenerate=False))
def test_support_and_vertex_enumeration_agree_on_non_degenerate_games(game):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateGameWarning)
        support, vertex = support_enumeration(game), vertex_enumeration(game)
    assert same_profiles(support, vertex), f"{describe(support)}\nvs\n{describe(vertex)}"
    assert len(support) % 2 == 1  # Lemke-Howson's parity: a non-degenerate game has an odd number


@given(game=games(max_rows=4, max_cols=4, min_value=-3, max_value=3))
def test_is_degenerate_agrees_with_the_exact_definition(game):
    assert is_degenerate(game) == exact.is_degenerate(*game.payoffs)


@pytest.mark.parametrize("solver", ENUMERATORS)
@given(game=games(max_rows=4, max_cols=4, degenerate=True))
def test_degenerate_games_warn_and_keep_every_pure_equilibrium(solver, game):
    with pytest.warns(DegenerateGameWarning):
        found = solver(game)
    for pure in exact_pure(game):
        assert any(same_profiles([pure], [eq]) for eq in found)


@given(game=games(max_rows=5, max_cols=5))
def test_pure_equilibria_are_exactly_the_mutual_best_replies(game):
    assert same_profiles(pure_equilibria(game), exact_pure(game))


@given(game=games(max_rows=4, max_cols=4))
def test_support_enumeration_returns_extreme_equilibria_only(game):
    extreme = quiet(vertex_enumeration, game)
    for eq in quiet(support_enumeration, game):
        assert any(same_profiles([eq], [other]) for other in extreme)


@pytest.mark.parametrize("solver", ENUMERATORS)
@given(case=games(max_rows=4, max_cols=4).flatmap(permutations_of))
def test_equilibria_are_invariant_under_permuting_strategies(solver, case):
    permuted, rows, cols = case
    A, B = permuted.payoffs
    original = Game(np.empty_like(A), np.empty_like(B))
    # Undo the permutation on the game, then permute the equilibria back.
    inverse_rows, inverse_cols = np.argsort(rows), np.argsort(cols)
    original = Game(A[np.ix_(inverse_rows, inverse_cols)], B[np.ix_(inverse_rows, inverse_cols)])
    moved = [(x[rows], y[cols]) for x, y in (eq.strategies for eq in quiet(solver, original))]
    assert same_profiles(quiet(solver, permuted), moved)


@pytest.mark.parametrize("solver", ENUMERATORS)
@given(
    game=games(max_rows=4, max_cols=4),
    scale=st.tuples(st.sampled_from([1e-3, 0.5, 7.0, 1e4]), st.sampled_from([1e-2, 3.0, 1e3])),
    shift=st.tuples(st.integers(-1000, 1000), st.integers(-1000, 1000)),
)
def test_equilibria_are_invariant_under_positive_affine_transforms(solver, game, scale, shift):
    A, B = game.payoffs
    moved = Game(scale[0] * A + shift[0], scale[1] * B + shift[1])
    assert same_profiles(quiet(solver, moved), quiet(solver, game))


@pytest.mark.parametrize("solver", ENUMERATORS)
@given(game=games(max_rows=4, max_cols=4))
def test_swapping_the_players_swaps_the_equilibria(solver, game):
    swapped = [(y, x) for x, y in (eq.strategies for eq in quiet(solver, game))]
    assert same_profiles(quiet(solver, game.transpose()), swapped)


# ----------------------------------------------------------------- known games
HALF = [0.5, 0.5]
THIRD = [1 / 3, 1 / 3, 1 / 3]

KNOWN = {
    "prisoners-dilemma": (
        Game([[3, 0], [5, 1]], [[3, 5], [0, 1]]),
        [([0, 1], [0, 1])],
    ),
    "matching-pennies": (Game([[1, -1], [-1, 1]]), [(HALF, HALF)]),
    "battle-of-the-sexes": (
        Game([[3, 0], [0, 2]], [[2, 0], [0, 3]]),
        [([1, 0], [1, 0]), ([0.6, 0.4], [0.4, 0.6]), ([0, 1], [0, 1])],
    ),
    "rock-paper-scissors": (Game([[0, -1, 1], [1, 0, -1], [-1, 1, 0]]), [(THIRD, THIRD)]),
    # Shapley (1964): a unique, fully mixed equilibrium that fictitious play never reaches.
    "shapley": (
        Game([[0, 1, 2], [2, 0, 1], [1, 2, 0]], [[0, 2, 1], [1, 0, 2], [2, 1, 0]]),
        [(THIRD, THIRD)],
    ),
    # A 3x3 coordination game has 2^3 - 1 = 7 equilibria, one per non-empty support.
    "coordination-3": (
        Game(np.eye(3), np.eye(3)),
        [
            (s / s.sum(), s / s.sum())
            for s in (
                np.array(b, dtype=float)
                for b in (
                    [1, 0, 0],
                    [0, 1, 0],
                    [0, 0, 1],
                    [1, 1, 0],
                    [1, 0, 1],
                    [0, 1, 1],
                    [1, 1, 1],
                )
            )
        ],
    ),
}


@pytest.mark.parametrize("solver", ENUMERATORS)
@pytest.mark.parametrize("name", sorted(KNOWN))
def test_known_games(solver, name):
    game, expected = KNOWN[name]
    found = solver(game)
    assert same_profiles(found, expected), describe(found)


def test_a_continuum_of_equilibria_is_returned_by_its_extreme_points():
    # After Top the column player is indifferent, so (Top, any y) is an equilibrium;
    # after Bottom it prefers Right, and Bottom is a best reply only to Right.
    game = Game([[1, 1], [0, 1]], [[1, 1], [0, 1]])
    with pytest.warns(DegenerateGameWarning):
        found = vertex_enumeration(game)
    assert same_profiles(found, [([1, 0], [1, 0]), ([1, 0], [0, 1]), ([0, 1], [0, 1])])
    midpoint = ([1.0, 0.0], [0.5, 0.5])
    assert is_equilibrium(game, midpoint)


def test_all_zero_game_has_every_pure_profile_as_an_extreme_equilibrium():
    # nashpy 0.0.43's vertex enumeration crashes on this game.
    with pytest.warns(DegenerateGameWarning):
        found = vertex_enumeration(Game(np.zeros((2, 3)), np.zeros((2, 3))))
    assert same_profiles(found, [(np.eye(2)[i], np.eye(3)[j]) for i in range(2) for j in range(3)])


def test_one_by_n_games():
    game = Game([[1, 5, 2]], [[0, 3, 1]])
    for solver in ENUMERATORS:
        assert same_profiles(solver(game), [([1], [0, 1, 0])])


def test_mixed_equilibrium_is_exact_on_a_rational_game():
    # Battle of the sexes with payoffs whose mixed equilibrium is (3/7, 4/7), (5/9, 4/9).
    A, B = [[4, 0], [0, 5]], [[4, 0], [0, 3]]
    game = Game(A, B)
    mixed = [eq for eq in support_enumeration(game) if not eq.is_pure]
    assert len(mixed) == 1
    x, y = mixed[0].strategies
    assert [Fraction(v).limit_denominator(100) for v in x] == [Fraction(3, 7), Fraction(4, 7)]
    assert [Fraction(v).limit_denominator(100) for v in y] == [Fraction(5, 9), Fraction(4, 9)]
    assert np.abs(x - [3 / 7, 4 / 7]).max() < 1e-15 and np.abs(y - [5 / 9, 4 / 9]).max() < 1e-15


# ----------------------------------------------------------- nashpy regressions
NASHPY_MISSES = {
    # Random 3x3 games (payoffs rounded to 3 decimals) on which nashpy 0.0.43's
    # support enumeration, comparing floats for equality, misses equilibria that the
    # exact oracle confirms. Seed 177: nashpy returns no equilibrium at all.
    "seed-35": (
        [[0.338, 0.458, 0.935], [0.947, 0.097, 0.001], [0.453, 0.908, 0.811]],
        [[0.904, 0.813, 0.163], [0.979, 0.358, 0.001], [0.044, 0.029, 0.581]],
    ),
    "seed-177": (
        [[0.486, 0.313, 0.593], [0.539, 0.821, 0.168], [0.789, 0.907, 0.151]],
        [[0.639, 0.02, 0.442], [0.106, 0.332, 0.986], [0.461, 0.292, 0.531]],
    ),
}


@pytest.mark.parametrize("solver", ENUMERATORS)
@pytest.mark.parametrize("name", sorted(NASHPY_MISSES))
def test_games_where_nashpy_misses_equilibria(solver, name):
    A, B = NASHPY_MISSES[name]
    assert not exact.is_degenerate(A, B)
    expected = exact.extreme_equilibria(A, B)
    found = solver(Game(A, B))
    assert same_profiles(found, expected), describe(found)


# ------------------------------------------------------- the batched kernel
@pytest.mark.parametrize("method", ["support", "vertex"])
@given(
    batch=st.integers(1, 3).flatmap(
        lambda m: st.integers(1, 3).flatmap(
            lambda n: st.lists(
                games(min_rows=m, max_rows=m, min_cols=n, max_cols=n), min_size=1, max_size=12
            )
        )
    )
)
def test_the_batched_kernel_gives_each_game_its_own_equilibria(method, batch):
    from powergames.equilibria._enumerate import enumerate_equilibria

    As = np.stack([g.payoffs[0] for g in batch])
    Bs = np.stack([g.payoffs[1] for g in batch])
    result = enumerate_equilibria(As, Bs, method, 1e-9)
    assert (np.diff(result.game) >= 0).all()
    solver = support_enumeration if method == "support" else vertex_enumeration
    for k, game in enumerate(batch):
        mine = result.game == k
        expected = quiet(solver, game)
        assert same_profiles(list(zip(result.row[mine], result.col[mine], strict=True)), expected)
        assert result.degenerate[k] == is_degenerate(game)


@given(game=games(payoffs="float", min_rows=2, max_rows=7, min_cols=2, max_cols=7))
def test_convex_hull_vertices_equal_the_support_pair_vertices(game):
    from powergames.equilibria import _polytope as poly

    A, B = (poly.normalise(M[None]) for M in game.payoffs)
    m, n = game.shape
    p, q = poly.polytope_vertices(A, B, 1e-9)
    hp, hq = poly.hull_vertices(A[0], B[0], 1e-9)
    simple = (poly.popcount(hp.labels) == m).all() and (poly.popcount(hq.labels) == n).all()
    if simple:  # the hull's answer is used only then
        assert set(hp.labels.tolist()) == set(p.labels.tolist())
        assert set(hq.labels.tolist()) == set(q.labels.tolist())


SINGULAR_SUPPORT_SYSTEMS = [
    # Integer games whose support systems include singular ones that LU solves without
    # meeting an exact zero pivot: taken at face value, the "solution" is a point in
    # the middle of an edge of the polytope, reported as a spurious vertex.
    [[1, 1, -2, 2, 0], [-2, -2, 1, 2, -2], [-1, -1, 2, -1, 1], [0, 0, 1, -1, 2]],
    [[-1, 1, 1], [-2, 1, 2], [1, 1, -1], [1, 0, 2]],
    [[-2, -2, -1, -1], [-2, -1, 2, 1], [-1, 0, 0, 0], [0, -2, 2, 2], [2, 1, 0, 1], [0, 1, 2, -1]],
]


@pytest.mark.parametrize("A", SINGULAR_SUPPORT_SYSTEMS)
def test_singular_support_systems_give_no_spurious_vertices(A):
    from powergames.equilibria import _polytope as poly

    A = np.array(A, dtype=float)
    An = poly.normalise(A[None])
    _, q = poly.polytope_vertices(An, An, 1e-9)
    exact_vertices = exact.polytope_vertices(exact._shift(exact.to_fractions(A)))
    assert sorted(q.labels.tolist()) == sorted(
        sum(1 << label for label in labels) for _, labels in exact_vertices
    )
    B = np.arange(A.size, dtype=float).reshape(A.shape) % 3
    assert same_profiles(quiet(vertex_enumeration, Game(A, B)), exact.extreme_equilibria(A, B))


# ------------------------------------------------------------------ size limit
def test_games_beyond_the_label_limit_are_refused_before_any_work():
    from powergames import InvalidGameError, solve_batch

    rng = np.random.default_rng(0)
    game = Game(rng.random((2, 61)), rng.random((2, 61)))  # 63 labels: one too many
    for solver in (*ENUMERATORS, is_degenerate):
        with pytest.raises(InvalidGameError, match=r"at most 62 pure strategies.*2x61"):
            solver(game)
    with pytest.raises(InvalidGameError, match="at most 62"):
        solve_batch(rng.random((3, 2, 61)))


def test_games_at_the_label_limit_are_solved():
    rng = np.random.default_rng(1)
    game = Game(rng.random((2, 60)), rng.random((2, 60)))  # 62 labels
    support, vertex = support_enumeration(game), vertex_enumeration(game)
    assert support and same_profiles(support, vertex)
    assert all(is_equilibrium(game, eq.strategies) for eq in support)


# --------------------------------------------------------- singular systems
def test_a_well_conditioned_system_with_a_tiny_hadamard_ratio_is_regular():
    # Payoffs in [1, 2] that differ little within a support: every row is close to
    # (1.5, ..., 1.5), so |det| is 1e-16 of Hadamard's bound, yet the condition number
    # is about 1e3 and the solution is accurate. Such systems were taken for singular.
    from powergames.equilibria import _systems as systems

    rng = np.random.default_rng(0)
    for s in (3, 6):
        M = 1.5 + 1e-3 * rng.random((1, s, s))
        ratio = abs(np.linalg.det(M[0])) / np.prod(np.linalg.norm(M[0], axis=1))
        assert ratio < systems.REGULAR_RATIO and np.linalg.cond(M[0]) < 1e6
        z, ok = systems.solve_stack(M)
        assert ok.all()
        np.testing.assert_allclose(M[0] @ z[0], 1.0, rtol=1e-12)
        entries = [[M[:, p, q] for q in range(s)] for p in range(s)] if s <= 3 else None
        if entries is not None:
            components, ok = systems.cramer(entries)
            assert ok.all()
            np.testing.assert_allclose([c[0] for c in components], z[0], rtol=1e-9)


def test_a_singular_system_rounded_to_floats_is_singular():
    from powergames.equilibria import _systems as systems

    rows = np.array([[1.1, 1.7, 1.3], [1.9, 1.2, 1.4]])
    M = np.vstack([rows, (rows[0] + rows[1]) / 2])[None]  # rank 2, rounded
    assert not systems.solve_stack(M)[1].any()
    assert not systems.cramer([[M[:, p, q] for q in range(3)] for p in range(3)])[1].any()


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 3),
    st.integers(0, 6),
    st.integers(0, 2**32 - 1),
    st.sampled_from([1.0, 1e-3]),
)
def test_cramer_agrees_with_lapack_and_padding_changes_no_float(s, trailing, seed, spread):
    # Systems of payoffs in [1, 2], as the kernels see them (with a small spread, most
    # go to LU: their Hadamard ratio is tiny): Cramer's rule against LAPACK, and each
    # system padded to 3 x 3 with an identity block gives bitwise the floats of the
    # system alone.
    from powergames.equilibria import _systems as systems

    rng = np.random.default_rng(seed)
    M = 1.5 + spread * (rng.random((s, s, trailing)) - 0.5)
    z, ok = systems.cramer(M)
    for t in np.flatnonzero(ok):
        np.testing.assert_allclose(z[:, t], np.linalg.solve(M[:, :, t], np.ones(s)), rtol=1e-9)
    padded = np.zeros((3, 3, trailing))
    padded[:s, :s] = M
    padded[range(s, 3), range(s, 3)] = 1.0
    z3, ok3 = systems.cramer(padded, np.full(trailing, s))
    assert np.array_equal(ok3, ok)
    assert np.array_equal(z3[:s][:, ok], z[:, ok]) and (z3[s:][:, ok] == 1.0).all()


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([1.0, 1e-3]))
def test_both_layouts_of_the_3x3_cofactors_give_the_same_floats(seed, spread):
    # A large stack goes through views of its entries, its small pieces through
    # gathered copies: the same operations, hence bitwise the same determinants and sums.
    from powergames.equilibria import _systems as systems

    rng = np.random.default_rng(seed)
    count = 2 * systems.CRAMER_VIEWS_FROM
    M = 1.5 + spread * (rng.random((3, 3, count)) - 0.5)
    det, sums = systems._cofactor_sums(M)
    piece = systems.CRAMER_VIEWS_FROM // 4
    for a in range(0, count, piece):
        small_det, small_sums = systems._cofactor_sums(M[..., a : a + piece])
        assert np.array_equal(small_det, det[a : a + piece])
        assert np.array_equal(small_sums, sums[:, a : a + piece])
