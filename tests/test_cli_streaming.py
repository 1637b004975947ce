"""``powergames table --out``: every way a streamed table can go wrong ends in one line
on standard error and exit status 2, never a traceback, and leaves the file as it was."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import filelock
import pytest
from cli_calls import call

from powergames.partnership import load_preset
from powergames.tables import CHUNK_SIZE, PartnershipModel, sweep
from powergames.tables.partnership import DEFAULT_COLUMNS

PRESET = "partnership-1990s"
# 66,000 points: two chunks.
GRID = ["--grid", "discount_factor=0.01:0.99:300", "--grid", "inherited_weight=0:1:220"]


def one_line_error(status: int, out: str, err: str, *fragments: str) -> None:
    assert status == 2 and out == ""
    assert err.startswith("powergames: error:") and len(err.splitlines()) == 1, err
    for fragment in fragments:
        assert fragment in err, err


class Stop(Exception):
    pass


@pytest.fixture
def interrupted(tmp_path: Path) -> Path:
    """The file of ``powergames table --preset ... GRID --out`` interrupted after one
    of its two chunks (made through the library, with the same sweep)."""
    import numpy as np

    out = tmp_path / "t.csv"
    grid = {
        "discount_factor": np.linspace(0.01, 0.99, 300),
        "inherited_weight": np.linspace(0, 1, 220),
    }

    def stop(done: int, total: int) -> None:
        if done:
            raise Stop

    with pytest.raises(Stop):
        sweep(
            PartnershipModel(load_preset(PRESET).parameters),
            grid,
            list(DEFAULT_COLUMNS),
            out=out,
            progress=stop,
            chunk_size=CHUNK_SIZE,
        )
    return out


def table(*args: str) -> list[str]:
    return ["table", "--preset", PRESET, *GRID, *args]


def test_an_interrupted_table_resumes_to_the_table_printed(capsys, interrupted):
    status, _, err = call(capsys, *table("--out", str(interrupted), "--resume"))
    assert status == 0 and err == f"wrote 66000 rows to {interrupted}\n"
    status, printed, _ = call(capsys, *table("--format", "csv"))
    assert interrupted.read_text() == printed
    assert not Path(str(interrupted) + ".sweep.json").exists()


def test_resume_of_a_file_no_sweep_wrote_is_refused_end_to_end(tmp_path):
    # printf 'important,data\n1,2\n' > f.csv; powergames table ... --out f.csv --resume
    path = tmp_path / "f.csv"
    path.write_text("important,data\n1,2\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "powergames",
            "table",
            "--preset",
            PRESET,
            "--out",
            str(path),
            "--resume",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    one_line_error(result.returncode, result.stdout, result.stderr, "nothing to resume", "f.csv")
    assert path.read_text() == "important,data\n1,2\n"


def test_an_existing_file_needs_force(capsys, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("important,data\n1,2\n")
    args = ["table", "--preset", PRESET, "--out", str(path)]
    one_line_error(*call(capsys, *args), "exists", "--force")
    assert path.read_text() == "important,data\n1,2\n"
    status, _, _ = call(capsys, *args, "--force")
    assert status == 0 and path.read_text().startswith("discount_factor,inherited_weight,regime")
    one_line_error(*call(capsys, *args, "--force", "--resume"), "not allowed with")
    one_line_error(*call(capsys, "table", "--preset", PRESET, "--force"), "--force needs --out")


def test_a_file_being_written_is_refused(capsys, tmp_path):
    path = tmp_path / "f.csv"
    with filelock.FileLock(str(path) + ".lock"):
        one_line_error(
            *call(capsys, "table", "--preset", PRESET, "--out", str(path)),
            "being written by another sweep",
        )
    assert not path.exists()


def test_a_shortened_file_is_refused(capsys, interrupted):
    data = interrupted.read_bytes()
    interrupted.write_bytes(data[: data.rstrip(b"\n").rfind(b"\n") + 1])  # the last row deleted
    before = interrupted.read_bytes()
    one_line_error(*call(capsys, *table("--out", str(interrupted), "--resume")), "shorter", "t.csv")
    assert interrupted.read_bytes() == before


@pytest.mark.parametrize(
    "damage",
    ["{not json", "[]", '{"format": "powergames sweep", "version": 2}', "negative", "edit"],
)
def test_a_malformed_sidecar_is_refused_naming_it(capsys, interrupted, damage):
    sidecar = Path(str(interrupted) + ".sweep.json")
    if damage in ("negative", "edit"):
        state = json.loads(sidecar.read_text())
        state["bytes" if damage == "negative" else "chunks"] = -1 if damage == "negative" else 7
        damage = json.dumps(state)
    sidecar.write_text(damage)
    before = interrupted.read_bytes()
    one_line_error(
        *call(capsys, *table("--out", str(interrupted), "--resume")), str(sidecar), "unusable"
    )
    assert interrupted.read_bytes() == before


def test_a_grid_too_large_for_memory_is_refused(capsys):
    one_line_error(
        *call(
            capsys,
            "table",
            "--preset",
            PRESET,
            "--grid",
            "discount_factor=0:0.9:1000000",
            "--grid",
            "inherited_weight=0:1:1000000",
        ),
        "1,000,000,000,000 points",
        "--out",
    )


class Pool:
    """Stands in for ProcessPoolExecutor, recording the processes asked for."""

    asked: ClassVar[list[int]] = []

    def __init__(self, max_workers: int) -> None:
        Pool.asked.append(max_workers)
        from concurrent.futures import ThreadPoolExecutor

        self.pool = ThreadPoolExecutor(1)

    def __enter__(self):
        return self.pool

    def __exit__(self, *args):
        self.pool.shutdown()


def test_workers_are_capped_by_the_chunks_and_the_processors(capsys, monkeypatch):
    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    Pool.asked = []
    status, _, _ = call(capsys, "table", "--preset", PRESET, "--workers", "1000")
    assert status == 0 and Pool.asked == []  # one chunk: no processes at all
    status, _, _ = call(capsys, *table("--workers", "1000", "--format", "csv"))
    assert status == 0 and len(Pool.asked) == 1 and 1 <= Pool.asked[0] <= 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--columns", "regime,,dilution"], "name 2 is empty"),
        (["--columns", ","], "name 1 is empty"),
        (["--workers", "1000000000000000000000"], None),
        (["--workers", "-3"], "--workers"),
        (["--workers", "many"], "--workers"),
        (["--out", "t.csv", "--format", "csv"], "--format applies to printed tables"),
        (["--pivot", ",,"], "ROW,COLUMN,VALUE"),
        (["--out", "nowhere/t.csv"], "the folder nowhere does not exist"),
    ],
)
def test_bad_table_options(capsys, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    status, out, err = call(capsys, "table", "--preset", PRESET, *args)
    if message is None:  # a huge number of workers is capped, not an error
        assert status == 0
    else:
        one_line_error(status, out, err, message)


def test_out_as_parquet(capsys, tmp_path):
    parquet = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "t.parquet"
    small = ["--grid", "discount_factor=0.2:0.8:4", "--grid", "inherited_weight=0.5,0.9"]
    status, _, err = call(capsys, "table", "--preset", PRESET, *small, "--out", str(path))
    assert status == 0 and err == f"wrote 8 rows to {path}\n"
    status, printed, _ = call(capsys, "table", "--preset", PRESET, *small, "--format", "csv")
    written = parquet.read_table(path).to_pylist()
    lines = printed.splitlines()
    assert lines[0].split(",") == list(written[0])
    assert [[str(v) for v in row.values()] for row in written] == [
        line.split(",") for line in lines[1:]
    ]
