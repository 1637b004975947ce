"""Run the examples of the documentation (docs/ and README.md) in a fresh directory,
so the files they write (scenarios, tables, figures) land nowhere in the repository."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _documentation_in_a_fresh_directory(request, tmp_path, monkeypatch):
    if request.node.path.suffix == ".md":
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("MPLBACKEND", "Agg")
