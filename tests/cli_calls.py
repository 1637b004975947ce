"""Calling the ``powergames`` command from the tests: in a subprocess, in this process,
and in a fresh interpreter to see which modules a call imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from powergames.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """``powergames ARGS`` in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "powergames", *args], capture_output=True, text=True, timeout=120
    )


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``powergames ARGS`` in this process: (exit status, stdout, stderr)."""
    try:
        status = main(list(args))
    except SystemExit as exit:  # argparse: --help, usage errors
        status = exit.code if isinstance(exit.code, int) else 1
    out, err = capsys.readouterr()
    return status, out, err


def imported_by(args: list[str], modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` ``powergames ARGS`` imports, run in a fresh interpreter."""
    code = (
        "import json, sys\n"
        "from powergames.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(json.dumps([m for m in {modules!r} if m in sys.modules]), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    imported: list[str] = json.loads(result.stderr)
    return imported
