"""MkDocs hooks of the documentation site (``hooks:`` in mkdocs.yml).

Every ``nav`` entry ``reference/api/<dotted.module.name>.md`` that is not a file under
``docs/`` becomes a generated page: a title and the mkdocstrings directive that
renders the module's public names from their docstrings. Adding a module to the API
reference is therefore one line in ``nav``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

API_FOLDER = "reference/api/"


def _nav_paths(entries: Any) -> Iterator[str]:
    """Every page path named in a ``nav`` tree (strings, lists and one-key mappings)."""
    if isinstance(entries, str):
        yield entries
    elif isinstance(entries, list):
        for entry in entries:
            yield from _nav_paths(entry)
    elif isinstance(entries, dict):
        for value in entries.values():
            yield from _nav_paths(value)


def api_page(module: str) -> str:
    """The Markdown of a module's reference page."""
    return f"# `{module}`\n\n::: {module}\n"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for path in _nav_paths(config.nav or []):
        if not (path.startswith(API_FOLDER) and path.endswith(".md")):
            continue
        if files.get_file_from_path(path) is not None:
            continue  # written by hand
        module = path[len(API_FOLDER) : -len(".md")]
        files.append(File.generated(config, path, content=api_page(module)))
    return files
