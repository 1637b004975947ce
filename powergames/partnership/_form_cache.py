"""The closed forms on disk: derived by sympy once, read back by later processes.

Deriving the closed forms and compiling them into numpy functions takes about a second
of sympy work; a table of the model needs only the compiled functions. The first
process that needs them derives them and writes, to a file in the user's cache
directory, the derivation (pickled sympy expressions) and the source code of the
compiled functions with the names they use. Later processes read that file instead.

The file's name is a hash of everything the derivation depends on: the source code
of every module it runs (:data:`SOURCES`), the versions of Python, sympy and numpy,
and the file format. Any change to one of them is a new name, so an old file is never
read for a new model; its contents are checked against the name again when read. A
file that cannot be read (missing, corrupt, from an interrupted write) is derived
again and replaced; a directory that cannot be written to is no error: each process
then derives for itself. Writers take a lock (the processes of a parallel sweep start
together: one derives, the others wait for its file) and replace the file atomically.

The directory is ``$POWERGAMES_CACHE_DIR`` when that is set (an empty value turns the
cache off), else the platform's cache directory: ``$XDG_CACHE_HOME/powergames`` or
``~/.cache/powergames`` on Linux, ``~/Library/Caches/powergames`` on macOS,
``%LOCALAPPDATA%\\powergames\\Cache`` on Windows.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

#: Bumped when the layout of the file changes.
FORMAT = 1
#: The environment variable that chooses the directory ("" turns the cache off).
ENVIRONMENT_VARIABLE = "POWERGAMES_CACHE_DIR"
#: The modules whose code runs when the closed forms are derived and compiled (a test
#: checks that deriving imports no other module of powergames).
SOURCES = (
    "powergames",
    "powergames._enclosure",
    "powergames._validate",
    "powergames.errors",
    "powergames.formula",
    "powergames.game",
    "powergames.render",
    "powergames.symbolic",
    "powergames.partnership",
    "powergames.partnership._form_cache",
    "powergames.partnership.closed_forms",
    "powergames.partnership.game",
    "powergames.partnership.parameter_set",
    "powergames.partnership.parameters",
    "powergames.partnership.quantities",
)
#: Seconds a process waits for another one deriving the same forms before it derives
#: them itself.
LOCK_TIMEOUT = 120.0

Payload = dict[str, Any]
T = TypeVar("T")


def directory() -> Path | None:
    """The cache directory, or None when the cache is turned off."""
    configured = os.environ.get(ENVIRONMENT_VARIABLE)
    if configured is not None:
        return Path(configured).expanduser() if configured.strip() else None
    if sys.platform == "win32":  # pragma: no cover - platform specific
        local = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(local) / "powergames" / "Cache"
    if sys.platform == "darwin":  # pragma: no cover - platform specific
        return Path.home() / "Library" / "Caches" / "powergames"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "powergames"


def _source_path(module: str) -> Path:
    """The file of ``module`` under the installed package, without importing it."""
    package = Path(__file__).resolve().parent.parent  # .../powergames
    parts = module.split(".")[1:]
    base = package.joinpath(*parts)
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def key() -> str:
    """The hash that names the file: the sources of :data:`SOURCES`, the versions of
    Python, sympy and numpy, and :data:`FORMAT`."""
    import numpy
    import sympy

    digest = hashlib.sha256()
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    digest.update(f"{FORMAT}|{python}|{sympy.__version__}|{numpy.__version__}".encode())
    for module in SOURCES:
        digest.update(f"|{module}|".encode())
        digest.update(_source_path(module).read_bytes())
    return digest.hexdigest()[:32]


def _read(path: Path, expected: str, load: Callable[[Payload], T]) -> T | None:
    """``load`` of the payload stored at ``path`` for key ``expected``, or None for a
    file that is missing, unreadable, corrupt, made for another key, or that ``load``
    refuses (by raising)."""
    try:
        with path.open("rb") as stream:
            payload = pickle.load(stream)
        if payload["key"] != expected or payload["format"] != FORMAT:
            return None
        return load(payload)
    except Exception:  # any failure to read is a miss
        return None


def _write(path: Path, payload: Payload) -> None:
    """Write ``payload`` to ``path`` atomically (a temporary file, then a rename), or
    not at all."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(payload, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def fetch(name: str, build: Callable[[], tuple[Payload, T]], load: Callable[[Payload], T]) -> T:
    """``load(payload)`` for the payload stored as ``name`` under the current
    :func:`key`; else the objects ``build()`` makes, after storing its payload (with
    ``"key"`` and ``"format"`` added) for the next processes when the directory allows
    it. ``build`` returns ``(payload, objects)``; an empty payload is not stored. A
    stored payload that ``load`` refuses is built again and replaced."""
    folder = directory()
    if folder is None:
        return build()[1]
    current = key()
    path = folder / f"{name}-{current}.pickle"
    found = _read(path, current, load)
    if found is not None:
        return found
    from filelock import FileLock, Timeout

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT)
        lock.acquire()
    except (OSError, Timeout):  # unwritable, or another process stuck: build here
        return build()[1]
    try:
        found = _read(path, current, load)  # written while this process waited
        if found is not None:
            return found
        payload, objects = build()
        if payload:
            _write(path, {**payload, "key": current, "format": FORMAT})
        return objects
    finally:
        lock.release()


def namespace_references(function: Callable[..., Any], helpers: dict[str, Any]) -> dict[str, str]:
    """How to find again every global name ``function``'s code uses: ``"helper"`` for
    a value of ``helpers``, ``"numpy"`` for numpy's attribute of that name,
    ``"functools"`` for functools', ``"builtins"`` for a builtin.

    Raises
    ------
    LookupError
        If a name is none of these (the function cannot be rebuilt from its source).
    """
    names: set[str] = set()
    stack = [function.__code__]
    while stack:
        code = stack.pop()
        names.update(code.co_names)
        stack.extend(c for c in code.co_consts if hasattr(c, "co_names"))
    found: dict[str, str] = {}
    known = function.__globals__
    for name in sorted(names):
        if name not in known:
            found[name] = "builtins"
            continue
        value = known[name]
        for module, candidate in (
            ("helper", helpers.get(name)),
            ("numpy", getattr(importlib.import_module("numpy"), name, None)),
            ("functools", getattr(importlib.import_module("functools"), name, None)),
        ):
            if candidate is not None and candidate is value:
                found[name] = module
                break
        else:
            raise LookupError(f"{name!r} in the compiled code of {function.__name__}")
    return found


def rebuild(
    source: str, function_name: str, references: dict[str, str], helpers: dict[str, Any]
) -> Callable[..., Any]:
    """The function defined by ``source``, with the globals ``references`` name
    (:func:`namespace_references`)."""
    namespace: dict[str, Any] = {}
    for name, module in references.items():
        if module == "helper":
            namespace[name] = helpers[name]
        elif module != "builtins":
            namespace[name] = getattr(importlib.import_module(module), name)
    exec(compile(source, f"<compiled closed form {function_name}>", "exec"), namespace)
    function: Callable[..., Any] = namespace[function_name]
    return function
