"""The closed forms' cache on disk: read back exactly as derived, never read for another
model, and no failure when the file is damaged or the directory cannot be written."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

from powergames.partnership import _form_cache as cache
from powergames.partnership import closed_forms, derive
from powergames.strategies import partnership_parameters

NAME = "closed-forms"


def stored_file(folder: Path) -> Path:
    return folder / f"{NAME}-{cache.key()}.pickle"


@pytest.fixture(scope="module")
def built() -> tuple[dict, dict]:
    """What a first process stores, and the functions it compiled."""
    stored, made = closed_forms._build()
    return stored, made.compiled


def rebuilt(stored: dict) -> dict:
    return closed_forms._load(stored).compiled


def run(code: str, folder: Path | str) -> str:
    """Run ``code`` in a fresh interpreter with the cache in ``folder``."""
    environment = {**os.environ, cache.ENVIRONMENT_VARIABLE: str(folder)}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    return done.stdout


# Evaluates the forms at fixed points and prints them as JSON (repr keeps every bit);
# with FORBID, deriving raises, so the forms must come from the file.
EVALUATE = """
import json, sys
import numpy as np
from powergames.partnership import Parameters, closed_forms, evaluate
if "FORBID" in sys.argv[1:]:
    def refuse():
        raise AssertionError("derived although the cache holds the forms")
    closed_forms._derive = refuse
rng = np.random.default_rng(7)
params = Parameters(discount_factor=rng.uniform(0, 0.99, 50), inherited_weight=rng.uniform(0, 1, 50),
                    shared_paradigm=rng.uniform(0, 1, 50), transfer_floor=rng.uniform(0, 3, 50))
values = evaluate(params)
print(json.dumps({name: [repr(float(v)) for v in np.ravel(value)] for name, value in values.items()}))
"""
FORBIDDING = EVALUATE.replace("sys.argv[1:]", '["FORBID"]')


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, dict]:
    """A cache folder written by a first process, and what that process evaluated."""
    folder = tmp_path_factory.mktemp("cache")
    return folder, json.loads(run(EVALUATE, folder))


# ----------------------------------------------------------- read back exactly
@settings(max_examples=40)
@given(partnership_parameters())
def test_functions_read_back_from_the_file_give_the_same_floats(built, params):
    stored, compiled = built
    again = rebuilt(pickle.loads(pickle.dumps(stored)))
    values = [np.float64(params[spec.name]) for spec in closed_forms.SPECS]
    known_live = dict.fromkeys(closed_forms.SYMBOLS, np.nan)
    known_read = dict.fromkeys(closed_forms.SYMBOLS, np.nan)
    with np.errstate(all="ignore"):
        for name in compiled:
            known_live[name] = compiled[name](*values, *known_live.values())
            known_read[name] = again[name](*values, *known_read.values())
    for name in compiled:
        np.testing.assert_array_equal(known_read[name], known_live[name], err_msg=name)


def test_the_derivation_read_back_is_the_derivation(built):
    stored, _ = built
    compact, finite, admissible = pickle.loads(stored["forms"])
    forms = derive()
    assert compact == forms.compact_forms
    assert finite == forms.finite_forms
    assert admissible == forms.admissible


def test_a_second_process_reads_the_forms_without_deriving(reference):
    folder, first = reference
    assert json.loads(run(FORBIDDING, folder)) == first


def test_processes_started_together_agree_and_leave_one_readable_file(reference, tmp_path):
    environment = {**os.environ, cache.ENVIRONMENT_VARIABLE: str(tmp_path)}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", EVALUATE],
            stdout=subprocess.PIPE,
            text=True,
            env=environment,
        )
        for _ in range(3)
    ]
    outputs = [json.loads(child.communicate()[0]) for child in children]
    assert all(child.returncode == 0 for child in children)
    assert outputs == [reference[1]] * 3
    assert [p.name for p in tmp_path.glob("*.pickle")] == [stored_file(tmp_path).name]
    assert not list(tmp_path.glob("*.tmp"))
    assert json.loads(run(FORBIDDING, tmp_path)) == reference[1]


# -------------------------------------------------- never read for another model
def test_the_key_changes_with_the_models_source(monkeypatch, tmp_path):
    before = cache.key()
    original = cache._source_path
    edited = tmp_path / "closed_forms.py"
    edited.write_bytes(original("powergames.partnership.closed_forms").read_bytes() + b"\n# edit\n")

    def path(module: str) -> Path:
        return edited if module == "powergames.partnership.closed_forms" else original(module)

    monkeypatch.setattr(cache, "_source_path", path)
    assert cache.key() != before


def test_the_key_changes_with_sympys_version(monkeypatch):
    import sympy

    before = cache.key()
    monkeypatch.setattr(sympy, "__version__", sympy.__version__ + ".post1")
    assert cache.key() != before


def test_a_file_made_for_another_key_is_not_read(built, monkeypatch, tmp_path):
    monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, str(tmp_path))
    stored, _ = built
    # Wrong forms under the current file name, but stamped with another key.
    wrong = dict(stored, functions={n: f for n, f in stored["functions"].items()})
    wrong["functions"]["surplus"] = wrong["functions"]["temptation_oci"]
    stored_file(tmp_path).write_bytes(
        pickle.dumps({**wrong, "key": "0" * 32, "format": cache.FORMAT})
    )
    made = cache.fetch(NAME, closed_forms._build, closed_forms._load)
    assert made.compiled["surplus"] is not made.compiled["temptation_oci"]
    payload = pickle.loads(stored_file(tmp_path).read_bytes())
    assert payload["key"] == cache.key()  # replaced by a file of the current key
    assert payload["functions"]["surplus"] != payload["functions"]["temptation_oci"]


def test_every_module_the_derivation_imports_is_in_the_key(tmp_path):
    code = """
    import sys
    from powergames.partnership import closed_forms
    closed_forms._build()
    print("\\n".join(m for m in sys.modules if m == "powergames" or m.startswith("powergames.")))
    """
    loaded = set(run(code, "").split())
    assert loaded <= set(cache.SOURCES), loaded - set(cache.SOURCES)


# ------------------------------------------------------------ no failure at all
class Counting:
    """A build that hands out what a first process made, counting its calls."""

    def __init__(self, built: tuple[dict, dict]) -> None:
        self.stored, self.calls = built[0], 0

    def __call__(self) -> tuple[dict, str]:
        self.calls += 1
        return self.stored, "built"


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle", pickle.dumps([1, 2, 3]), "truncated", "no functions", "bad source"],
)
def test_a_damaged_file_is_built_again_and_replaced(damage, built, monkeypatch, tmp_path):
    monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, str(tmp_path))
    build = Counting(built)
    assert cache.fetch(NAME, build, closed_forms._load) == "built"
    path = stored_file(tmp_path)
    good = path.read_bytes()
    if damage == "truncated":
        damage = good[: len(good) // 2]
    elif damage in ("no functions", "bad source"):
        payload = pickle.loads(good)
        if damage == "no functions":
            del payload["functions"]
        else:
            _, name, references = payload["functions"]["surplus"]
            payload["functions"]["surplus"] = ("def broken(:\n", name, references)
        damage = pickle.dumps(payload)
    path.write_bytes(damage)
    assert cache.fetch(NAME, build, closed_forms._load) == "built"
    assert build.calls == 2
    assert path.read_bytes() == good  # replaced
    read = cache.fetch(NAME, build, closed_forms._load)
    assert build.calls == 2 and set(read.compiled) == set(closed_forms.SYMBOLS)


def test_an_unwritable_directory_or_none_is_no_error(built, monkeypatch, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a directory")
    for folder in (str(blocker / "cache"), ""):  # unwritable; the cache turned off
        monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, folder)
        build = Counting(built)
        assert cache.fetch(NAME, build, closed_forms._load) == "built"
        assert cache.fetch(NAME, build, closed_forms._load) == "built"
        assert build.calls == 2
    assert blocker.read_text() == "not a directory"


def test_an_empty_setting_turns_the_cache_off(monkeypatch):
    monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, "")
    assert cache.directory() is None
    monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, "~/somewhere")
    assert cache.directory() == Path.home() / "somewhere"


def test_the_default_directory_follows_the_platforms_convention(monkeypatch, tmp_path):
    monkeypatch.delenv(cache.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert cache.directory() == tmp_path / "powergames"


def test_the_readmes_table_reads_the_cache_and_imports_no_optimiser_nor_pandas(reference):
    folder, _ = reference
    code = """
    import sys
    from powergames.partnership import closed_forms
    def refuse():
        raise AssertionError("derived although the cache holds the forms")
    closed_forms._derive = refuse
    from powergames.cli import main
    main(["table", "--preset", "partnership-1990s", "--grid", "discount_factor=0.2:0.8:7",
          "--grid", "inherited_weight=0.6:0.9:4", "--columns", "regime,dilution,weight,transfer"])
    heavy = ("scipy.optimize", "pandas", "numba", "matplotlib")
    print([m for m in heavy if m in sys.modules], file=sys.stderr)
    """
    environment = {**os.environ, cache.ENVIRONMENT_VARIABLE: str(folder)}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=environment,
    )
    assert done.returncode == 0 and done.stderr.strip() == "[]", done.stderr
    assert "| 0.5 | 0.9 | partnership | 0.0566265 | 0.843373 | 0.6 |" in done.stdout
