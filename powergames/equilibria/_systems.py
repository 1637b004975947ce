"""Many small linear systems ``M z = 1`` at once: the solves of the support pairs.

Plain float arrays in and out, no validation. Systems of size up to 3 are solved by
Cramer's rule in array arithmetic (:func:`cramer`), larger ones, and the small ones
whose Cramer solution would be inaccurate, by stacked LAPACK solves
(:func:`solve_stack`); both tell singular systems apart explicitly.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


#: Singular support systems are told apart by their reciprocal condition number
#: ``sigma_min / sigma_max`` (2-norm): an exactly singular system, once its entries are
#: rounded, has one near machine epsilon, and no float solve of a system below this
#: value is worth keeping (its forward error exceeds 1e-4).
RCOND_MIN = 1e-12
#: Computing every system's singular values would cost ten times its solve, so a cheap
#: ratio decides first: a system whose ``|det M|`` exceeds this fraction of the product
#: of its row norms (Hadamard's bound) is regular for sure. With entries in [1, 2] the
#: ratio is at most ``2 s^1.5`` times the reciprocal condition number (Hadamard's
#: inequality applied to the adjugate), so above 1e-8 ``rcond > 1e-11 > RCOND_MIN``
#: for every size the kernels handle. The ratio alone is no test of singularity: rows
#: of payoffs mapped onto [1, 2] share a large common part, so a well-conditioned
#: system whose payoffs span a small part of the game's payoff range has a tiny ratio
#: (von Stengel's 6 x 6 game with 75 equilibria has full supports with ratio 1e-18 and
#: condition number 2e7).
REGULAR_RATIO = 1e-8


#: Cramer's rule is used where the Hadamard ratio exceeds this: its relative error, about
#: ``eps`` over the ratio, stays below 1e-12. (Random systems of payoffs in [1, 2] of
#: size up to 3 have ratios around 0.1; the others go through LU.)
CRAMER_RATIO = 1e-4


def _well_conditioned(M: FloatArray) -> NDArray[np.bool_]:
    """Whether each system of the stack ``M`` (T, s, s) has ``rcond > RCOND_MIN``."""
    sigma = np.linalg.svd(M, compute_uv=False)
    regular: NDArray[np.bool_] = sigma[:, -1] > RCOND_MIN * sigma[:, 0]
    return regular


def solve_stack(M: FloatArray) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Solve ``M[t] z[t] = 1`` (all ones) for every regular ``M[t]``.

    Returns ``(z, ok)`` with ``z`` of shape ``(T, s)``, NaN where ``ok`` is False.
    Singular systems must be told apart explicitly: LU rarely meets an exact zero
    pivot in floating point, and the "solution" it then returns is an arbitrary point
    of a face, not a vertex.
    """
    T, s, _ = M.shape
    with np.errstate(divide="ignore"):
        log_bound = np.log(np.linalg.norm(M, axis=2)).sum(axis=1)
    sign, logdet = np.linalg.slogdet(M)
    ok = logdet - log_bound > np.log(REGULAR_RATIO)
    doubt = (sign != 0) & ~ok
    if doubt.any():
        ok[doubt] = _well_conditioned(M[doubt])
    z = np.full((T, s), np.nan)
    if ok.any():
        z[ok] = np.linalg.solve(M[ok], np.ones((int(ok.sum()), s, 1)))[..., 0]
    return z, ok


#: Where the cofactors of a 3 x 3 matrix take their entries: ``cof[i][j] = M[i1, j1]
#: M[i2, j2] - M[i1, j2] M[i2, j1]`` with ``(i1, i2) = _CYCLE[i]``, ``(j1, j2) = _CYCLE[j]``.
_CYCLE = ((1, 2), (2, 0), (0, 1))
_NEXT = np.array([c[0] for c in _CYCLE])
_AFTER = np.array([c[1] for c in _CYCLE])
#: From this many 3 x 3 systems at once, the cofactors are computed entry by entry on
#: views of the stack (temporaries one system deep) rather than from four gathered
#: copies of it (nine systems deep, but four calls instead of thirty-six): the same
#: operations on the same entries, hence the same floats. (Measured: the gathers are
#: twice as fast for one game's 38 systems, the views 1.5 to 2 times as fast from a
#: few thousand systems on.)
CRAMER_VIEWS_FROM = 1000


def cramer(
    M: FloatArray | list[list[FloatArray]], sizes: NDArray[np.intp] | int | None = None
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Solve ``M z = 1`` by Cramer's rule for many tiny systems in plain array
    arithmetic: ``M`` of shape ``(s, s, ...)`` (``s <= 3``), one system per trailing
    index, or given entry by entry (a list of lists of arrays).

    A stack may hold systems of smaller sizes padded to ``s x s`` with an identity
    block (``sizes`` gives each system's size; ``s`` by default). The padding changes
    no float of the result: every entry it adds is an exact 0 or 1, so the cofactors,
    determinant, adjugate sums and Hadamard bound of the padded system are, operation
    by operation, those of the smaller formulas (``a d - b c``, ``d - b``, ``1 / a``,
    ...), and its extra components are 1.

    Returns the components of ``z``, an array ``(s, ...)``, and where the system is
    regular (decided as in :func:`solve_stack`). Cramer's rule loses accuracy as
    ``eps`` over the Hadamard ratio: systems whose ratio is below
    :data:`CRAMER_RATIO` go to :func:`solve_stack` (LU, backward stable) instead,
    unpadded.
    """
    M = np.asarray(M, dtype=np.float64)
    s = len(M)
    if s == 1:
        det, adjugate_sums = M[0, 0], np.ones_like(M[0])
    elif s == 2:
        (a, b), (c, d) = M
        det, adjugate_sums = a * d - b * c, np.empty_like(M[0])
        np.subtract(d, b, out=adjugate_sums[0, ...])
        np.subtract(a, c, out=adjugate_sums[1, ...])
    else:
        # z = adj(M) 1 / det, and adj(M)[j][i] = cof[i][j]: z_j sums column j of the
        # cofactors, and det expands along row 0.
        det, adjugate_sums = _cofactor_sums(M)
    squares = M * M
    row_sums = squares[:, 0]
    for j in range(1, s):
        row_sums = row_sums + squares[:, j]
    norms = np.sqrt(row_sums)
    bound = norms[0]
    for i in range(1, s):
        bound = bound * norms[i]
    bound *= CRAMER_RATIO
    ok = np.abs(det) > bound
    z: FloatArray = np.divide(adjugate_sums, np.where(ok, det, 1.0), out=adjugate_sums)
    doubt = (det != 0) & ~ok
    if doubt.any():
        where = np.nonzero(doubt)
        size = None if sizes is None else np.broadcast_to(sizes, doubt.shape)[where]
        for t in [s] if size is None else np.unique(size).tolist():
            at = where if size is None else tuple(axis[size == t] for axis in where)
            solved, regular = solve_stack(np.moveaxis(M[:t, :t][(..., *at)], -1, 0))
            ok[at] = regular
            z[(slice(None, t), *at)] = np.where(regular, solved.T, 0.0)
            z[(slice(t, None), *at)] = 1.0
    return z, ok


def _cofactor_sums(M: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The determinant (expanded along row 0) and the column sums of the cofactors of
    each 3 x 3 system of the stack ``M`` (3, 3, ...); see :data:`CRAMER_VIEWS_FROM`."""
    if M[0, 0].size < CRAMER_VIEWS_FROM:
        cof = (
            M[_NEXT[:, None], _NEXT] * M[_AFTER[:, None], _AFTER]
            - M[_NEXT[:, None], _AFTER] * M[_AFTER[:, None], _NEXT]
        )
        first = M[0] * cof[0]
        return first[0] + first[1] + first[2], cof[0] + cof[1] + cof[2]
    sums = np.empty_like(M[0])
    terms = []
    for j, (j1, j2) in enumerate(_CYCLE):
        column = sums[j, ...]
        for i, (i1, i2) in enumerate(_CYCLE):
            cofactor = M[i1, j1] * M[i2, j2]
            cofactor -= M[i1, j2] * M[i2, j1]
            if i == 0:
                column[...] = cofactor
                terms.append(M[0, j] * cofactor)
            else:
                column += cofactor
    return terms[0] + terms[1] + terms[2], sums
