"""The architecture of DESIGN.md section 1, checked on the source: imports point down
the layers, and no module uses another module's private names.

Every ``import`` of every module of the package is read with ``ast`` (imports inside
functions and under ``TYPE_CHECKING`` included)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "powergames"

#: The layers, bottom to top (DESIGN.md section 1). A module may import modules of its
#: own layer or of the layers below. The package's own ``__init__`` re-exports names
#: lazily and stands outside the layers.
LAYERS: list[tuple[str, ...]] = [
    ("errors", "_validate", "_enclosure", "render", "gridspec", "formula"),
    ("game", "symbolic", "nfg", "examples"),
    ("equilibria",),
    ("bargaining", "repeated"),
    ("partnership",),
    ("tables",),
    ("plot",),
    ("cli", "__main__"),
    ("strategies",),  # the testing layer: hypothesis strategies over everything
]
#: Private modules of the package as a whole, which any of its modules may use.
SHARED_PRIVATE = {"powergames._validate", "powergames._enclosure"}


def layer_of(module: str) -> int:
    """The layer of a dotted module name inside the package."""
    first = module.split(".")[1]
    for k, names in enumerate(LAYERS):
        if first in names:
            return k
    raise AssertionError(f"{module} is in no layer of DESIGN.md section 1")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """``(module imported, names imported from it, line)`` for every import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((target, [alias.name for alias in node.names], node.lineno))
    return [
        (target, names, line) for target, names, line in found if target.startswith("powergames")
    ]


ALL = modules()


def test_every_module_is_in_a_layer():
    for name in ALL:
        if name != "powergames":
            layer_of(name)


@pytest.mark.parametrize("name", sorted(n for n in ALL if n != "powergames"))
def test_imports_point_down_the_layers(name):
    mine = layer_of(name)
    for target, _, line in imports(name, ALL[name]):
        if target == "powergames":
            continue  # the package's lazy re-exports
        assert layer_of(target) <= mine, f"{name}:{line} imports {target}, a layer above"


def imported_modules(name: str) -> list[tuple[str, list[str], int]]:
    """The imports of ``name``, with ``from package import module`` read as the
    import of the module."""
    found = []
    for target, names, line in imports(name, ALL[name]):
        submodules = [n for n in names if f"{target}.{n}" in ALL]
        found += [(f"{target}.{n}", [], line) for n in submodules]
        found.append((target, [n for n in names if n not in submodules], line))
    return found


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_private_name_is_used_across_modules(name):
    for target, names, line in imported_modules(name):
        # A private module belongs to its package: importable from inside it only.
        parts = target.split(".")
        for depth, part in enumerate(parts):
            if part.startswith("_") and not part.startswith("__"):
                owner = ".".join(parts[:depth])
                inside = name == owner or name.startswith(owner + ".")
                shared = ".".join(parts[: depth + 1]) in SHARED_PRIVATE
                assert inside or shared, f"{name}:{line} imports the private module {target}"
        # A private name belongs to its module.
        if target != name:
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            assert not private, f"{name}:{line} imports private names {private} from {target}"


def test_the_generic_layers_never_import_the_domain():
    generic = [
        n for n in ALL if n != "powergames" and layer_of(n) < layer_of("powergames.partnership")
    ]
    for name in generic:
        for target, _, line in imports(name, ALL[name]):
            assert not target.startswith("powergames.partnership"), f"{name}:{line}"


def test_the_checker_sees_a_violation():
    # The checker itself: an upward import and a private name are caught.
    fake = PACKAGE / "equilibria" / "solve.py"
    tree_imports = imports("powergames.equilibria.solve", fake)
    assert tree_imports  # it reads the file
    assert layer_of("powergames.partnership.settlement") > layer_of("powergames.equilibria.solve")


def lines_of_code(path: Path) -> int:
    """Lines that are neither blank, comments nor docstrings."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                if isinstance(body[0].value.value, str):
                    docstrings.update(range(body[0].lineno, body[0].end_lineno + 1))
    count = 0
    for number, text in enumerate(source.splitlines(), start=1):
        stripped = text.strip()
        if stripped and not stripped.startswith("#") and number not in docstrings:
            count += 1
    return count


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_module_is_over_400_lines_of_code(name):
    assert lines_of_code(ALL[name]) <= 400, name
