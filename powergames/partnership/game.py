"""The partnership stage game: the OCI imposes, dilutes or withdraws; the NGO complies,
asserts or exits."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import NDArray

from powergames.errors import InvalidParameterError
from powergames.game import Game
from powergames.partnership.parameters import Parameters
from powergames.symbolic import SymbolicGame

__all__ = ["NGO_STRATEGIES", "OCI_STRATEGIES", "PLAYERS", "partnership_game", "stage_payoffs"]

PLAYERS = ("OCI", "NGO")
OCI_STRATEGIES = ("impose", "dilute", "withdraw")
NGO_STRATEGIES = ("comply", "assert", "exit")


def _tables(p: Parameters, transfer: Any) -> tuple[list[list[Any]], list[list[Any]]]:
    """The payoff tables of DESIGN.md section 6, entry by entry."""
    lam = p.accountability
    lp, lm = p.pragmatic_legitimacy, p.moral_legitimacy
    g, b, e, phi = p.control_gain, p.autonomy_value, p.assertion_cost, p.shared_paradigm
    wN, wS = p.oci_outside_option, p.ngo_outside_option
    R = p.transfer_floor if transfer is None else transfer
    A = [
        [lam * lp - R + g, lam * (lp + lm) - R + g, wN],
        [lam * lp - R + phi * b, lam * (lp + lm) - R + phi * b, wN],
        [wN, wN, wN],
    ]
    B = [
        [R, R - e + phi * lm, wS],
        [R + b, R + b - e + phi * lm, wS],
        [wS, wS, wS],
    ]
    return A, B


def partnership_game(params: Parameters | None = None, transfer: Any = None) -> Game | SymbolicGame:
    r"""The stage game of the partnership (DESIGN.md section 6).

    ========  ==========================================  ====================
    OCI \ NGO  comply (C)                                  assert (A)
    ========  ==========================================  ====================
    impose    ``lam l_p - R + g``, ``R``                   ``lam (l_p + l_m) - R + g``,
                                                          ``R - e + phi l_m``
    dilute    ``lam l_p - R + phi b``, ``R + b``           ``lam (l_p + l_m) - R + phi b``,
                                                          ``R + b - e + phi l_m``
    withdraw  ``w_N``, ``w_S``                             ``w_N``, ``w_S``
    ========  ==========================================  ====================

    and ``(w_N, w_S)`` everywhere in the column exit. The OCI receives the NGO's
    pragmatic legitimacy whenever the NGO takes part and its moral legitimacy only when
    the NGO asserts itself, valued at ``lam = a_F + a_M`` (its accountability to funder
    and membership); it pays the transfer ``R``; imposing brings the control gain
    ``g``; diluting leaves the NGO its autonomy ``b``, which a shared paradigm ``phi``
    makes valuable to the OCI too.

    The transfer ``R`` is not a parameter of the model: in the repeated game it is part
    of the agreement the partners reach (version 2 of the model determines it, ``R*``,
    :func:`powergames.partnership.settle`). A stage game needs one, so it is an
    argument here.

    Parameters
    ----------
    params : Parameters, optional
        The baseline B0 by default.
    transfer : float or sympy expression, optional
        The per-period transfer ``R`` from the OCI to the NGO; the floor
        ``params.transfer_floor`` by default.

    Returns
    -------
    Game or SymbolicGame
        A :class:`SymbolicGame` when some parameter is symbolic, else a :class:`Game`.
        For array-valued parameters use :func:`stage_payoffs`.

    Examples
    --------
    >>> game = partnership_game(transfer=2)
    >>> game.payoffs[0]
    array([[4., 7., 1.],
           [2., 5., 1.],
           [1., 1., 1.]])
    >>> import sympy as sp
    >>> partnership_game(transfer=sp.Symbol("R")).payoffs[1][0, 0]
    R
    """
    params = Parameters() if params is None else params
    A, B = _tables(params, transfer)
    names = {"players": PLAYERS, "strategies": (OCI_STRATEGIES, NGO_STRATEGIES)}
    if params.is_symbolic or isinstance(transfer, sp.Basic):
        return SymbolicGame(A, B, **names, title="OCI-NGO partnership stage game")  # type: ignore[arg-type]
    if params.shape:
        raise InvalidParameterError(
            "array-valued parameters describe many games: use stage_payoffs(params)"
        )
    return Game(A, B, **names, title="OCI-NGO partnership stage game")  # type: ignore[arg-type]


def stage_payoffs(
    params: Parameters, transfer: Any = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The payoff matrices at every point of an array-valued parameter grid, shaped
    ``params.shape + (3, 3)``, ready for :func:`powergames.solve_batch`; ``transfer``
    (a number or an array that broadcasts) as in :func:`partnership_game`.

    Examples
    --------
    >>> import numpy as np
    >>> A, B = stage_payoffs(Parameters(), transfer=np.array([1.0, 2.0, 3.0]))
    >>> A.shape, B[:, 0, 0].tolist()
    ((3, 3, 3), [1.0, 2.0, 3.0])
    """
    A, B = _tables(params, transfer)
    shape = np.broadcast_shapes(params.shape, np.shape(transfer) if transfer is not None else ())
    As = np.empty((*shape, 3, 3))
    Bs = np.empty((*shape, 3, 3))
    for i in range(3):
        for j in range(3):
            As[..., i, j] = A[i][j]
            Bs[..., i, j] = B[i][j]
    return As, Bs
