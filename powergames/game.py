"""Bimatrix games: two players, finitely many pure strategies, payoffs as numbers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from powergames import _validate as check
from powergames.errors import InvalidGameError, InvalidParameterError
from powergames.render import Format, format_number, render

if TYPE_CHECKING:  # pragma: no cover
    import nashpy

__all__ = [
    "Game",
    "GameLike",
    "StrategyLabels",
    "as_game",
    "as_mixed_strategy",
    "as_payoff_matrix",
    "rescale_payoffs",
]

FloatArray = NDArray[np.float64]


def as_payoff_matrix(values: ArrayLike, name: str) -> FloatArray:
    """Convert ``values`` to a read-only, finite, 2-D float64 array.

    Parameters
    ----------
    values : array_like
        Payoffs, one row per strategy of the row player.
    name : str
        The argument's name, used in error messages.

    Raises
    ------
    InvalidGameError
        If ``values`` is ragged, not numeric, not 2-D, empty, or holds NaN or
        infinite entries.

    Examples
    --------
    >>> as_payoff_matrix([[1, 2], [3, 4]], "A")
    array([[1., 2.],
           [3., 4.]])
    """
    try:
        array = np.array(values, dtype=np.float64)
    except OverflowError:
        raise InvalidGameError(_beyond_float_range(values, name)) from None
    except (ValueError, TypeError) as exc:
        raise InvalidGameError(
            f"{name} must be a rectangular array of real numbers, got {check.short(values)} ({exc})"
        ) from None
    if np.iscomplexobj(np.asarray(values)):  # pragma: no cover - np.array(dtype=float) raises
        raise InvalidGameError(f"{name} must hold real numbers, got complex values")
    if array.ndim != 2:
        raise InvalidGameError(
            f"{name} must be 2-D (one row per row-player strategy), got {array.ndim}-D "
            f"with shape {array.shape}"
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise InvalidGameError(
            f"{name} must have at least one row and one column, got {array.shape}"
        )
    bad = ~np.isfinite(array)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise InvalidGameError(
            f"{name} must hold finite payoffs, got {array[i, j]} at row {i}, column {j}"
        )
    array.setflags(write=False)
    return array


def _beyond_float_range(values: ArrayLike, name: str) -> str:
    """The message for a payoff too large for a double, naming its entry."""
    entries = np.asarray(values, dtype=object)
    for index in np.ndindex(entries.shape):
        try:
            float(entries[index])
        except OverflowError:
            where = ", ".join(
                f"{axis} {i}" for axis, i in zip(("row", "column"), index, strict=False)
            )
            entry = entries[index]
            # str() of an int of more than 4300 digits raises: count digits from bits.
            digits = (
                int(abs(entry).bit_length() * math.log10(2)) + 1 if isinstance(entry, int) else 0
            )
            size = f"an integer of about {digits} digits" if digits else check.short(entry)
            return (
                f"{name} holds {size} at {where}, beyond the float range (magnitudes up to 1.8e308)"
            )
    return f"{name} holds a number beyond the float range (magnitudes up to 1.8e308)"


def rescale_payoffs(M: ArrayLike) -> FloatArray:
    """``M`` mapped affinely onto [0, 1] (a constant matrix onto 0), without overflow.

    A positive affine map of one player's payoffs changes neither best responses nor
    equilibria: the solvers and tolerances work on these payoffs. A payoff range beyond
    the largest double (payoffs near +-1.8e308) is computed on halved payoffs.

    Examples
    --------
    >>> rescale_payoffs([[1e308, -1e308], [0, 1]])
    array([[1. , 0. ],
           [0.5, 0.5]])
    """
    values = np.asarray(M, dtype=np.float64)
    low, high = float(values.min()), float(values.max())
    if not math.isfinite(high - low):
        return rescale_payoffs(0.5 * values)
    span = high - low
    unit: FloatArray = (values - low) / span if span > 0 else np.zeros_like(values)
    return unit


def as_mixed_strategy(values: ArrayLike, size: int, name: str, *, tol: float = 1e-9) -> FloatArray:
    """Validate a mixed strategy: a 1-D array of ``size`` non-negative numbers summing to 1
    (``powergames._validate.probability_vector``).

    Parameters
    ----------
    values : array_like
        Probabilities, one per pure strategy.
    size : int
        The number of pure strategies.
    name : str
        The argument's name, used in error messages.
    tol : float, default 1e-9
        Allowed error on non-negativity and on the sum.

    Raises
    ------
    InvalidParameterError
        If the shape, finiteness, signs or the sum are wrong.

    Examples
    --------
    >>> as_mixed_strategy([0.25, 0.75], 2, "sigma")
    array([0.25, 0.75])
    """
    return check.probability_vector(values, size, name, tol=tol)


def _names(given: Any, count: int, default: Sequence[str], name: str) -> tuple[str, ...]:
    if given is None:
        return tuple(default)
    if isinstance(given, (str, bytes)):
        raise InvalidParameterError(
            f"{name} must be a sequence of {count} names, got the string {given!r}"
        )
    try:
        labels = tuple(str(label) for label in given)
    except TypeError:
        raise InvalidParameterError(
            f"{name} must be a sequence of {count} names, got {check.short(given)}"
        ) from None
    if len(labels) != count:
        raise InvalidParameterError(f"{name} must have {count} names, got {len(labels)}: {labels}")
    return labels


class StrategyLabels:
    """The names of a two-player game: its players, their strategies and its title.

    The base of :class:`Game` and :class:`powergames.symbolic.SymbolicGame`. Names are
    labels, not keys: they may repeat (Gambit's files have games whose two players are
    both called "" and strategies that share a name), and they never change a result.

    Parameters
    ----------
    shape : (int, int)
        The numbers of pure strategies ``(m, n)``.
    players : sequence of 2 str, optional
        Player names, ``("Player 1", "Player 2")`` by default.
    strategies : pair of sequences of str, optional
        Strategy names of each player, ``("1", ..., "m")`` and ``("1", ..., "n")``
        by default.
    title : str, optional

    Raises
    ------
    InvalidParameterError
        If the names do not match the number of players or strategies.

    Examples
    --------
    >>> StrategyLabels((2, 1), strategies=(("up", "down"), ("stay",))).strategies
    (('up', 'down'), ('stay',))
    """

    __slots__ = ("_players", "_strategies", "_title")

    def __init__(
        self,
        shape: tuple[int, int],
        *,
        players: Sequence[str] | None = None,
        strategies: tuple[Sequence[str], Sequence[str]] | None = None,
        title: str = "",
    ) -> None:
        m, n = shape
        self._title = str(title)
        players_ = _names(players, 2, ("Player 1", "Player 2"), "players")
        self._players: tuple[str, str] = (players_[0], players_[1])
        rows, cols = (None, None) if strategies is None else check.pair(strategies, "strategies")
        self._strategies: tuple[tuple[str, ...], tuple[str, ...]] = (
            _names(rows, m, [str(k + 1) for k in range(m)], "strategies[0]"),
            _names(cols, n, [str(k + 1) for k in range(n)], "strategies[1]"),
        )

    @property
    def players(self) -> tuple[str, str]:
        """The player names, row player first."""
        return self._players

    @property
    def strategies(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The strategy names of the row and the column player."""
        return self._strategies

    @property
    def title(self) -> str:
        """The game's title (empty by default)."""
        return self._title


class Game(StrategyLabels):
    """A bimatrix game: payoff matrices ``A`` (row player) and ``B`` (column player).

    Player 0 chooses a row, player 1 a column; at the pure profile ``(i, j)`` they
    receive ``A[i, j]`` and ``B[i, j]``. Instances are immutable: the payoff
    arrays are read-only.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Row player's payoffs (a pandas DataFrame names the strategies); or, with ``B``
        omitted, a two-player game of nashpy, quantecon or pygambit to convert.
    B : array_like, shape (m, n), optional
        Column player's payoffs; ``-A`` (a zero-sum game) when omitted.
    players : sequence of 2 str, optional
        Player names, ``("Player 1", "Player 2")`` by default.
    strategies : pair of sequences of str, optional
        Strategy names of each player: by default the index and the columns of ``A``
        when it is a pandas DataFrame, else ``("1", ..., "m")`` and ``("1", ..., "n")``.
        Names are labels: they may repeat.
    title : str, optional
        A title, kept by :func:`powergames.write_nfg` and :func:`powergames.read_nfg`.

    Raises
    ------
    InvalidGameError
        If a payoff array is ragged, not 2-D, empty or not finite, or the shapes differ.
    InvalidParameterError
        If the names do not match the number of players or strategies.

    Examples
    --------
    >>> pd = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...           strategies=(("cooperate", "defect"), ("cooperate", "defect")))
    >>> pd.shape
    (2, 2)
    >>> pd.expected_payoffs([0, 1], [0, 1])
    (1.0, 1.0)
    """

    __slots__ = ("_A", "_B")

    def __init__(
        self,
        A: ArrayLike,
        B: ArrayLike | None = None,
        *,
        players: Sequence[str] | None = None,
        strategies: tuple[Sequence[str], Sequence[str]] | None = None,
        title: str = "",
    ) -> None:
        if B is None and _package(A) in _CONVERTERS:  # Game(nashpy_game), ...
            other = as_game(A, "A")
            A, B = other.payoffs
            players = other.players if players is None else players
            strategies = other.strategies if strategies is None else strategies
            title = other.title if not title else title
        A, B, frame_names = _unframe(A, B)
        if strategies is None:
            strategies = frame_names
        self._A = as_payoff_matrix(A, "A")
        if B is None:
            B_array = -self._A
            B_array.setflags(write=False)
            self._B = B_array
        else:
            self._B = as_payoff_matrix(B, "B")
            if self._B.shape != self._A.shape:
                raise InvalidGameError(
                    f"A and B must have the same shape, got A {self._A.shape} and B {self._B.shape}"
                )
        super().__init__(self.shape, players=players, strategies=strategies, title=title)

    # ------------------------------------------------------------------ data
    @property
    def payoffs(self) -> tuple[FloatArray, FloatArray]:
        """The payoff matrices ``(A, B)``, read-only float64 arrays."""
        return self._A, self._B

    @property
    def shape(self) -> tuple[int, int]:
        """The numbers of pure strategies ``(m, n)`` of the row and column players."""
        return (int(self._A.shape[0]), int(self._A.shape[1]))

    @property
    def is_zero_sum(self) -> bool:
        """Whether ``A + B == 0`` exactly."""
        return bool(np.array_equal(self._A, -self._B))

    # ------------------------------------------------------------- payoffs
    def expected_payoffs(self, sigma_row: ArrayLike, sigma_col: ArrayLike) -> tuple[float, float]:
        """Expected payoffs ``(sigma_row A sigma_col, sigma_row B sigma_col)`` of a mixed profile.

        Parameters
        ----------
        sigma_row, sigma_col : array_like
            Mixed strategies of the row and column player.

        Examples
        --------
        >>> Game([[1, -1], [-1, 1]]).expected_payoffs([0.5, 0.5], [0.5, 0.5])
        (0.0, 0.0)
        """
        m, n = self.shape
        x = as_mixed_strategy(sigma_row, m, "sigma_row")
        y = as_mixed_strategy(sigma_col, n, "sigma_col")
        return float(x @ self._A @ y), float(x @ self._B @ y)

    def transpose(self) -> Game:
        """The same game with the players' roles exchanged (row player becomes column player).

        Examples
        --------
        >>> Game([[1, 2]], [[3, 4]]).transpose().payoffs[0]
        array([[3.],
               [4.]])
        """
        return Game(
            self._B.T,
            self._A.T,
            players=self._players[::-1],
            strategies=(self._strategies[1], self._strategies[0]),
            title=self._title,
        )

    def __getitem__(self, profile: tuple[ArrayLike, ArrayLike]) -> tuple[float, float]:
        """``game[sigma_row, sigma_col]`` is :meth:`expected_payoffs`."""
        sigma_row, sigma_col = check.pair(profile, "profile")
        return self.expected_payoffs(sigma_row, sigma_col)

    # ---------------------------------------------------------------- interop
    def to_nashpy(self) -> nashpy.Game:
        """The same game as a :class:`nashpy.Game` (payoffs only: nashpy has no names).

        Examples
        --------
        >>> Game([[1, 0], [0, 1]]).to_nashpy().payoff_matrices[0]
        array([[1., 0.],
               [0., 1.]])
        """
        nashpy = _optional("nashpy", "to_nashpy")
        return nashpy.Game(np.array(self._A), np.array(self._B))

    @classmethod
    def from_nashpy(cls, game: nashpy.Game) -> Game:
        """Build a :class:`Game` from a :class:`nashpy.Game`.

        Examples
        --------
        >>> import nashpy
        >>> Game.from_nashpy(nashpy.Game([[1, 2], [3, 4]])).payoffs[1]
        array([[-1., -2.],
               [-3., -4.]])
        """
        A, B = game.payoff_matrices
        return cls(A, B)

    def to_quantecon(self) -> Any:
        """The same game as a two-player ``quantecon.game_theory.NormalFormGame``
        (payoffs only). quantecon is optional: ``pip install quantecon``.

        quantecon indexes each player's payoffs by (own action, opponent's action), so
        the column player's array is ``B`` transposed.
        """
        game_theory = _optional("quantecon.game_theory", "to_quantecon")
        A, B = np.array(self._A), np.array(self._B.T)  # writable copies (numba)
        return game_theory.NormalFormGame((game_theory.Player(A), game_theory.Player(B)))

    @classmethod
    def from_quantecon(cls, game: Any) -> Game:
        """Build a :class:`Game` from a two-player quantecon ``NormalFormGame``.

        Raises
        ------
        InvalidGameError
            If the game does not have two players.
        """
        players = getattr(game, "N", None)
        if players != 2:
            raise InvalidGameError(
                f"powergames handles two-player games; this quantecon game has {players} players"
            )
        A = np.asarray(game.players[0].payoff_array)
        B = np.asarray(game.players[1].payoff_array).T
        return cls(A, B)

    def to_pygambit(self) -> Any:
        """The same game as a ``pygambit.Game`` in strategic form, with its title and
        names. pygambit is optional: ``pip install pygambit``."""
        pygambit = _optional("pygambit", "to_pygambit")
        game = pygambit.Game.from_arrays(self._A, self._B, title=self.title)
        for player, name, names in zip(game.players, self.players, self.strategies, strict=True):
            player.label = name
            for strategy, label in zip(player.strategies, names, strict=True):
                strategy.label = label
        return game

    @classmethod
    def from_pygambit(cls, game: Any) -> Game:
        """Build a :class:`Game` from a two-player ``pygambit.Game`` (its strategic
        form), keeping its title and names.

        Raises
        ------
        InvalidGameError
            If the game does not have two players.
        """
        players = list(game.players)
        if len(players) != 2:
            raise InvalidGameError(
                f"powergames handles two-player games; this pygambit game has "
                f"{len(players)} players"
            )
        A, B = (np.asarray(M, dtype=np.float64) for M in game.to_arrays(dtype=float))
        return cls(
            A,
            B,
            players=[p.label for p in players],
            strategies=(
                [s.label for s in players[0].strategies],
                [s.label for s in players[1].strategies],
            ),
            title=game.title,
        )

    # ---------------------------------------------------------------- dunder
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Game):
            return NotImplemented
        return (
            self._players == other._players
            and self._title == other._title
            and self._strategies == other._strategies
            and np.array_equal(self._A, other._A)
            and np.array_equal(self._B, other._B)
        )

    def __hash__(self) -> int:
        return hash(
            (
                self._A.tobytes(),
                self._B.tobytes(),
                self._A.shape,
                self._players,
                self._strategies,
                self._title,
            )
        )

    def __repr__(self) -> str:
        A = np.array2string(self._A, separator=", ")
        B = np.array2string(self._B, separator=", ")
        return f"Game(\n{A},\n{B})"

    def table(self, fmt: Format = "text") -> str:
        """The payoff table, one cell ``a, b`` per profile (row player's payoff first),
        as plain text, Markdown or HTML; what notebooks and IPython display.

        Examples
        --------
        >>> print(Game([[1, 0.5]], [[2, 3]], strategies=(("T",), ("L", "R"))).table())
        Player 1 (rows) and Player 2 (columns)
           L     R
        T  1, 2  0.5, 3
        """
        rows, cols = self._strategies
        scale = max(float(np.abs(self._A).max()), float(np.abs(self._B).max()))
        body = [
            [name]
            + [
                f"{format_number(a, scale)}, {format_number(b, scale)}"
                for a, b in zip(A, B, strict=True)
            ]
            for name, A, B in zip(rows, self._A, self._B, strict=True)
        ]
        caption = f"{self._players[0]} (rows) and {self._players[1]} (columns)"
        if self._title:
            caption = f"{self._title}: {caption}"
        return render(["", *cols], body, fmt, caption)

    def _repr_markdown_(self) -> str:
        return self.table("markdown")

    def _repr_html_(self) -> str:
        return self.table("html")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.table("text"))


#: What the public functions accept where a game is expected: a :class:`Game`, or an
#: object :func:`as_game` converts.
GameLike = Any


def as_game(game: GameLike, name: str = "game") -> Game:
    """``game`` as a :class:`Game`: a :class:`Game` as it is, a two-player game of
    nashpy, quantecon (``NormalFormGame``) or pygambit converted. Every public function
    that takes a game calls this.

    Raises
    ------
    InvalidParameterError
        If ``game`` is none of these.
    InvalidGameError
        If it is a game of another number of players.

    Examples
    --------
    >>> pennies = Game([[1, -1], [-1, 1]])
    >>> as_game(pennies) is pennies
    True
    >>> import nashpy
    >>> as_game(nashpy.Game([[1, -1], [-1, 1]])) == pennies
    True
    """
    if isinstance(game, Game):
        return game
    package = _package(game)
    if package in _CONVERTERS:
        return getattr(Game, _CONVERTERS[package])(game)  # type: ignore[no-any-return]
    raise InvalidParameterError(
        f"{name} must be a powergames.Game or a two-player game of nashpy, quantecon or "
        f"pygambit, got {type(game).__name__}"
    )


#: The packages whose games :func:`as_game` converts, and the converters' names.
_CONVERTERS = {"nashpy": "from_nashpy", "quantecon": "from_quantecon", "pygambit": "from_pygambit"}


def _package(value: object) -> str:
    """The top-level package of ``value``'s type (no import needed to ask)."""
    return type(value).__module__.split(".")[0]


def _optional(module: str, what: str) -> Any:
    """Import an optional package, or say which one ``what`` needs."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".")[0]
        raise ModuleNotFoundError(
            f"{what} needs the optional package {package}: pip install {package}"
        ) from None


def _is_frame(values: object) -> bool:
    """Whether ``values`` is a pandas DataFrame (without importing pandas)."""
    return _package(values) == "pandas" and hasattr(values, "columns")


def _unframe(A: Any, B: Any) -> tuple[Any, Any, tuple[tuple[str, ...], tuple[str, ...]] | None]:
    """Payoffs given as pandas DataFrames: their values, and the strategy names their
    index and columns give (which must agree between ``A`` and ``B``)."""
    names = None
    for frame in (A, B):
        if not _is_frame(frame):
            continue
        labels = (tuple(str(i) for i in frame.index), tuple(str(c) for c in frame.columns))
        if names is not None and labels != names:
            raise InvalidGameError(f"A and B name the strategies differently: {names} and {labels}")
        names = labels
    values = [frame.to_numpy() if _is_frame(frame) else frame for frame in (A, B)]
    return values[0], values[1], names
