"""Nash's (1953) variable-threat bargaining solution with transferable utility."""

from __future__ import annotations

from powergames._validate import real
from powergames.bargaining.agreement import Agreement
from powergames.equilibria.zero_sum import zero_sum_value
from powergames.game import Game, GameLike, as_game  # noqa: F401 (Game: the examples)

__all__ = ["nash_threats"]


def nash_threats(game: GameLike, weight: float = 0.5) -> Agreement:
    """Nash's variable-threat (arbitration) solution of a bimatrix game with
    transferable utility.

    Before bargaining, each player commits to a threat: a mixed strategy of
    ``game`` that will be carried out if the players fail to agree. The threats fix
    the disagreement point ``t = (x A y, x B y)``, and the agreement is the
    generalised Nash bargaining solution with weights ``(a, 1 - a)`` on the
    transferable-utility frontier ``u1 + u2 = Pi`` measured from ``t``. Anticipating
    this, each player chooses the threat that serves him best (Nash 1953).

    Algorithm, with ``a = weight``:

    1. The joint payoff ``Pi = max_ij (A + B)_ij``. With transferable utility and
       binding agreements the players can always play the pure profile attaining
       it and share ``Pi`` by a side payment; no (correlated) play gives more.
    2. The threat game: the zero-sum game with matrix ``D_a = (1 - a) A - a B``; the
       row player maximises ``x D_a y``, the column player minimises it.
    3. Its value ``v_a`` and optimal strategies ``(x*, y*)`` (by
       :func:`~powergames.equilibria.zero_sum.zero_sum_value`) are the optimal
       threats; the threat point is ``t = (x* A y*, x* B y*)``.
    4. The agreement is ``u1 = a Pi + v_a`` and ``u2 = (1 - a) Pi - v_a``.

    Why step 4 is the bargaining outcome. For fixed threats ``(x, y)`` the
    disagreement point is ``t = (x A y, x B y)`` and ``t1 + t2 = x (A + B) y <= Pi``.
    Maximising ``(u1 - t1)^a (u2 - t2)^(1 - a)`` on ``u1 + u2 = Pi`` splits the
    surplus ``Pi - t1 - t2`` in the ratio ``a : 1 - a``::

        u1 = t1 + a (Pi - t1 - t2) = a Pi + (1 - a) t1 - a t2 = a Pi + x D_a y,
        u2 = t2 + (1 - a) (Pi - t1 - t2) = (1 - a) Pi - x D_a y.

    So the row player's agreement payoff rises and the column player's falls,
    one for one, with ``x D_a y``: choosing threats is the zero-sum game ``D_a``, and
    at its optimal strategies ``x* D_a y* = (1 - a) t1 - a t2 = v_a``, which gives
    step 4. In particular ``(u1, u2)`` is the generalised Nash solution of the
    transferable-utility problem with surplus ``Pi`` and disagreement point ``t``.
    The value ``v_a``, and so the agreement, is unique; the optimal threats and the
    threat point need not be, when the threat game has several optimal strategy
    pairs (every pair gives the same ``(1 - a) t1 - a t2 = v_a``).

    Parameters
    ----------
    game : Game
        The bimatrix game whose mixed strategies are the possible threats.
    weight : float, default 0.5
        The row player's bargaining weight ``a`` in ``[0, 1]``; the column player's
        is ``1 - a``. With ``a = 1/2``, ``D_a`` is proportional to ``A - B`` and the
        solution is Nash's symmetric one.

    Returns
    -------
    Agreement
        ``payoffs == (u1, u2)``, ``solution == "nash-threats"``, ``parameters`` with
        ``"weight"`` (``a``), ``"joint_payoff"`` (``Pi``) and ``"threat_value"``
        (``v_a``), ``disagreement`` the threat point ``t`` and ``threats`` the
        optimal threats ``(x*, y*)``.

    Raises
    ------
    InvalidParameterError
        If ``game`` is not a :class:`~powergames.game.Game` or ``weight`` is not a
        real number in ``[0, 1]``.

    See Also
    --------
    powergames.equilibria.zero_sum.zero_sum_value : solves the threat game.

    Notes
    -----
    Each player gets at least his maximin payoff in ``game``: ``u1 >= max_x min_y
    x A y`` and ``u2 >= max_y min_x x B y``, for every weight. (If ``x^`` is the
    row player's maximin strategy, then ``x^ D_a y >= (1 - a) x^ A y - a (Pi - x^ A
    y) = x^ A y - a Pi`` because ``x^ B y <= Pi - x^ A y``; hence ``v_a >= max_x min_y
    x A y - a Pi``. Symmetrically for the column player.) And ``u1 = a Pi + v_a`` is
    non-decreasing in ``a``: raising ``a`` by ``h`` lowers ``D_a`` by ``h (A + B)
    <= h Pi`` entrywise, so ``v_a`` falls by at most ``h Pi``.

    References
    ----------
    Nash, J. F. (1953). Two-person cooperative games. Econometrica 21(1), 128-140.

    Luce, R. D. and Raiffa, H. (1957). Games and Decisions. Wiley. Chapter 6
    (Nash's extension of the bargaining model to variable threats).

    Myerson, R. B. (1991). Game Theory: Analysis of Conflict. Harvard University
    Press. Chapter 8 (rational threats in two-person bargaining with transferable
    utility).

    Ferguson, T. S. Game Theory (lecture notes, UCLA). Part III, section 4
    (cooperative games with transferable utility: the TU solution).

    Examples
    --------
    Battle of the sexes with side payments. The players can always reach the
    joint payoff 3; the threat game ``(A - B)/2`` is ``[[0.5, 0], [0, -0.5]]``, whose
    saddle point (row 0, column 1) gives value 0, so they split 3 evenly:

    >>> battle = Game([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> agreement = nash_threats(battle)
    >>> agreement.payoffs
    (1.5, 1.5)
    >>> agreement.disagreement
    (0.0, 0.0)

    With weight 3/4 the threat game ``A/4 - 3B/4 = [[-1/4, 0], [0, -5/4]]`` has no
    saddle point; the row player threatens ``(5/6, 1/6)`` and ``v = -5/24``, so
    ``u1 = 3/4 * 3 - 5/24 = 49/24``:

    >>> weighted = nash_threats(battle, weight=0.75)
    >>> [round(u * 24, 9) for u in weighted.payoffs]
    [49.0, 23.0]
    >>> weighted.threats[0]
    array([0.8333..., 0.1666...])
    """
    game = as_game(game)
    a = real(weight, "weight", low=0.0, high=1.0, array=False)
    A, B = game.payoffs
    joint_payoff = float((A + B).max())
    threat_game = zero_sum_value((1.0 - a) * A - a * B)
    v = threat_game.value
    x, y = threat_game.row_strategy, threat_game.col_strategy
    threat_point = (float(x @ A @ y), float(x @ B @ y))
    return Agreement(
        payoffs=(a * joint_payoff + v, (1.0 - a) * joint_payoff - v),
        solution="nash-threats",
        parameters={"weight": a, "joint_payoff": joint_payoff, "threat_value": v},
        disagreement=threat_point,
        threats=(x, y),
    )
