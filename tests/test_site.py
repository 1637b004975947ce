"""The documentation site's sources and the citation file: every public module has a
reference page, every page is in the site's navigation, and CITATION.cff is valid
and names the package's version. (The site itself is built by ``mkdocs build
--strict`` in continuous integration.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

import powergames

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
API_FOLDER = "reference/api/"


def nav_paths(entries: object) -> list[str]:
    if isinstance(entries, str):
        return [entries]
    if isinstance(entries, list):
        return [path for entry in entries for path in nav_paths(entry)]
    if isinstance(entries, dict):
        return [path for value in entries.values() for path in nav_paths(value)]
    return []


@pytest.fixture(scope="module")
def nav() -> list[str]:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return nav_paths(config["nav"])


def public_modules() -> list[str]:
    """``powergames``, its public top-level modules, and every public package in it."""
    package = ROOT / "powergames"
    names = ["powergames"]
    for path in sorted(package.glob("*.py")):
        if not path.stem.startswith("_"):
            names.append(f"powergames.{path.stem}")
    for init in sorted(package.rglob("__init__.py")):
        parts = init.parent.relative_to(ROOT).parts
        if len(parts) > 1 and not any(part.startswith("_") for part in parts):
            names.append(".".join(parts))
    return names


def test_every_public_module_has_a_reference_page(nav: list[str]) -> None:
    documented = {p[len(API_FOLDER) : -len(".md")] for p in nav if p.startswith(API_FOLDER)}
    missing = [m for m in public_modules() if m not in documented]
    assert not missing, f"add to mkdocs.yml's nav: {[f'{API_FOLDER}{m}.md' for m in missing]}"


def test_every_reference_page_names_a_module(nav: list[str]) -> None:
    for path in nav:
        if path.startswith(API_FOLDER):
            module = path[len(API_FOLDER) : -len(".md")]
            parts = module.split(".")
            assert (ROOT.joinpath(*parts).with_suffix(".py")).exists() or (
                ROOT.joinpath(*parts, "__init__.py").exists()
            ), f"{path}: no module {module}"


def test_every_page_is_in_the_navigation_and_every_entry_exists(nav: list[str]) -> None:
    pages = {
        p.relative_to(DOCS).as_posix()
        for p in DOCS.rglob("*")
        if p.suffix in {".md", ".ipynb"} and ".ipynb_checkpoints" not in p.parts
    }
    listed = {p for p in nav if not p.startswith(API_FOLDER)}
    assert pages - listed == set(), "pages missing from mkdocs.yml's nav"
    assert listed - pages == set(), "nav entries without a file"


def test_the_citation_file_is_valid_and_names_this_version() -> None:
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert citation["message"] and citation["title"] and citation["abstract"]
    assert citation["authors"] == [{"name": "The powergames developers"}]
    assert citation["license"] == "BSD-3-Clause"
    assert str(citation["version"]) == powergames.__version__


def test_the_package_metadata_names_the_same_version() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == powergames.__version__
    assert project["license"] == "BSD-3-Clause"  # an SPDX expression (PEP 639)
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("BSD 3-Clause License")
