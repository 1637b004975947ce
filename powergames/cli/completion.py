"""``powergames completion bash|zsh|tcsh``: a shell completion script (needs shtab)."""

from __future__ import annotations

import argparse
from typing import Any

from powergames.errors import InvalidParameterError

__all__ = ["SHELLS", "add_parser", "run"]

#: The shells shtab writes completion scripts for.
SHELLS = ("bash", "zsh", "tcsh")


def add_parser(commands: Any) -> None:
    """The ``completion`` command."""
    completion = commands.add_parser(
        "completion",
        help="print a shell completion script (needs shtab)",
        description=(
            "Print a completion script for the shell, to be sourced by it; for bash: "
            "powergames completion bash > ~/.local/share/bash-completion/completions/"
            "powergames. Needs shtab (pip install 'powergames[completion]')."
        ),
    )
    completion.add_argument("shell", choices=SHELLS, help="the shell")
    completion.set_defaults(run=run)


def run(args: argparse.Namespace) -> None:
    """Print the script."""
    try:
        import shtab
    except ImportError:
        raise InvalidParameterError(
            "shell completion needs shtab: pip install 'powergames[completion]'"
        ) from None
    from powergames.cli import build_parser

    print(shtab.complete(build_parser(), shell=args.shell), end="")
