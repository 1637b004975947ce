"""The exception and warning types of powergames.

Every error raised on bad input derives from :class:`PowergamesError`, so a caller
can catch all of them at once; each also derives from :class:`ValueError` (or
:class:`SyntaxError`-like parse errors from :class:`ValueError` as well), so code
written against the standard library's conventions keeps working. Messages name
the offending argument and value.
"""

from __future__ import annotations

__all__ = [
    "DegenerateGameWarning",
    "EvidenceFileError",
    "FormulaError",
    "InfeasibleProblemError",
    "InvalidGameError",
    "InvalidParameterError",
    "NFGParseError",
    "OutputFileError",
    "PowergamesError",
    "TimeLimitWarning",
]


class PowergamesError(Exception):
    """Base class of every error powergames raises on bad input."""


class InvalidGameError(PowergamesError, ValueError):
    """Payoffs that do not define a finite bimatrix game.

    Raised for NaN or infinite payoffs, ragged or non-numeric arrays, arrays that
    are not 2-D, and payoff matrices of different shapes.
    """


class InvalidParameterError(PowergamesError, ValueError):
    """An argument outside its domain: a discount factor outside [0, 1), a mixed
    strategy that does not sum to 1, an unknown method name, ..."""


class OutputFileError(InvalidParameterError):
    """An output file a sweep cannot use: it exists and was not to be overwritten,
    another sweep is writing it, or there is nothing to resume in it (no sidecar; a
    sidecar that is malformed or belongs to another sweep; a file that changed since
    the sidecar recorded it).

    The message names the file (or its sidecar) and what to do. Nothing is written
    to a file refused this way. An :class:`InvalidParameterError`: the ``out``
    argument is what cannot be used.
    """


class InfeasibleProblemError(PowergamesError, ValueError):
    """A bargaining problem with no point strictly better than disagreement for both,
    or a disagreement point outside the feasible set."""


class NFGParseError(PowergamesError, ValueError):
    """A malformed Gambit ``.nfg`` file.

    Attributes
    ----------
    line : int or None
        The 1-based line of the file where the problem was found, when known.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


class FormulaError(PowergamesError, ValueError):
    """A formula given as text that uses a name, operator or construct outside the
    whitelist, or that is too long or malformed."""


class EvidenceFileError(PowergamesError, ValueError):
    """A file of qualitative evidence that cannot be read safely: a REFI-QDA project
    (``.qdpx``) that is not a zip archive or holds no project, an archive that is too
    large, too compressed or has too many members (a zip bomb), a member name that
    leaves the archive, XML that is malformed, declares a document type or entities
    (external entities, "billion laughs"), or a project whose references do not
    resolve.

    The message names the file and what was refused; nothing is read outside the
    archive and nothing is extracted.
    """


class DegenerateGameWarning(UserWarning):
    """The game is degenerate: some mixed strategy with support of size k has more
    than k pure best responses.

    Equilibria may then form continua and support enumeration may miss some of
    them; vertex enumeration returns every extreme equilibrium.
    """


class TimeLimitWarning(UserWarning):
    """A search stopped at its ``time_limit``: every equilibrium returned is an
    equilibrium, but the list may be incomplete.

    Raised as a warning, so that what was found is still returned; turn it into an
    error with ``warnings.simplefilter("error", TimeLimitWarning)``.
    """
