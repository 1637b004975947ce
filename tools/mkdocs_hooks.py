"""MkDocs hooks of the documentation site (``hooks:`` in mkdocs.yml).

1. Every ``nav`` entry ``reference/api/<dotted.module.name>.md`` that is not a file
   under ``docs/`` becomes a generated page: a title and the mkdocstrings directive
   that renders the module's public names from their docstrings. Adding a module to
   the API reference is therefore one line in ``nav``.
2. The notebooks of the gallery link to other pages by their Markdown files, as a
   reader in Jupyter follows them; on the site those links become the pages' URLs,
   and a link to a page that does not exist is a warning (an error in strict mode),
   as it is in a Markdown page.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Iterator
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

API_FOLDER = "reference/api/"

log = logging.getLogger("mkdocs.hooks.powergames")

#: A link to a Markdown page in a notebook's HTML, with an optional anchor.
MARKDOWN_LINK = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|/|#)([^"#]+\.md)(#[^"]*)?"')


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


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    folder = posixpath.dirname(page.file.src_uri)

    def resolve(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(folder, match[1]))
        found = files.get_file_from_path(target)
        if found is None:
            log.warning(f"{page.file.src_uri}: a link to {match[1]!r}, which is not a page")
            return match[0]
        return f'href="{found.url_relative_to(page.file)}{match[2] or ""}"'

    return MARKDOWN_LINK.sub(resolve, html)
