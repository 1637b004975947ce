"""Streamed sweeps: nothing lost, nothing silently wrong, nothing that hangs.

Each test is the regression test of a class of defects: concurrent writers, resuming
what cannot be resumed, overwriting, damaged sidecars, clean-up, fingerprints, and
work without bound (grids, chunks in flight).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from toy_model import CHUNK, GRID, Toy

from powergames import InvalidParameterError, OutputFileError
from powergames.tables import MAX_POINTS_IN_MEMORY, Grid, sweep

TESTS = Path(__file__).parent
COLUMNS = ["y", "label", "flag"]


class Stop(Exception):
    """Raised by a progress callback to interrupt a sweep."""


def stop_after(chunks: int):
    def progress(done, total):
        if done >= chunks * CHUNK:
            raise Stop

    return progress


def interrupted(out: Path, chunks: int = 3, **options) -> bytes:
    """A sweep of the toy model stopped after ``chunks`` chunks; the file's bytes."""
    with pytest.raises(Stop):
        sweep(Toy(), GRID, COLUMNS, out=out, chunk_size=CHUNK, progress=stop_after(chunks))
    return out.read_bytes()


def complete(out: Path, **options) -> bytes:
    sweep(Toy(), GRID, COLUMNS, out=out, chunk_size=CHUNK, **options)
    return out.read_bytes()


@pytest.fixture
def reference(tmp_path) -> bytes:
    return complete(tmp_path / "reference.csv")


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name + ".sweep.json")


# ---------------------------------------------------------- concurrent writers
def test_a_second_sweep_of_a_file_being_written_is_refused(tmp_path, reference):
    out = tmp_path / "t.csv"
    refused = []

    def second_writer(done, total):
        if not refused:
            with pytest.raises(OutputFileError, match="being written by another sweep") as error:
                sweep(Toy(), GRID, COLUMNS, out=out, chunk_size=CHUNK, overwrite=True)
            refused.append(str(error.value))

    sweep(Toy(), GRID, COLUMNS, out=out, chunk_size=CHUNK, progress=second_writer)
    assert refused and str(out) in refused[0]
    assert out.read_bytes() == reference and not sidecar_of(out).exists()


def test_two_processes_writing_one_file_one_is_refused_and_the_file_is_whole(tmp_path, reference):
    out, started = tmp_path / "t.csv", tmp_path / "started"
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(TESTS)!r})
        from pathlib import Path
        from toy_model import CHUNK, GRID, Toy
        from powergames import OutputFileError
        from powergames.tables import sweep
        def slow(done, total):
            Path({str(started)!r}).touch()
            time.sleep(0.05)
        try:
            sweep(Toy(), GRID, {COLUMNS!r}, out={str(out)!r}, chunk_size=CHUNK, progress=slow,
                  overwrite=True)
        except OutputFileError as error:
            print(error)
            sys.exit(2)
    """)
    first = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    while not started.exists():
        assert first.poll() is None
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert first.wait(timeout=120) == 0
    assert second.returncode == 2 and "being written by another sweep" in second.stdout
    assert out.read_bytes() == reference and not sidecar_of(out).exists()


def test_the_sidecar_never_uses_a_fixed_temporary_name(tmp_path, reference):
    # Two writers once shared FILE.sweep.json.tmp; a folder by that name now blocks no one.
    out = tmp_path / "t.csv"
    (tmp_path / "t.csv.sweep.json.tmp").mkdir()
    assert complete(out) == reference
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "reference.csv",
        "reference.csv.lock",
        "t.csv",
        "t.csv.lock",
        "t.csv.sweep.json.tmp",
    ]


# ------------------------------------------------- resuming and overwriting
def test_resuming_a_file_without_a_sidecar_is_refused_and_leaves_it(tmp_path):
    out = tmp_path / "f.csv"
    out.write_bytes(b"important,data\n1,2\n")
    with pytest.raises(OutputFileError, match=r"nothing to resume in .*f\.csv"):
        sweep(Toy(), GRID, COLUMNS, out=out, chunk_size=CHUNK, resume=True)
    assert out.read_bytes() == b"important,data\n1,2\n"


def test_resuming_a_completed_sweep_is_refused(tmp_path, reference):
    out = tmp_path / "t.csv"
    complete(out)
    with pytest.raises(OutputFileError, match="nothing to resume"):
        complete(out, resume=True)
    assert out.read_bytes() == reference


def test_an_existing_file_is_replaced_only_when_asked(tmp_path, reference):
    out = tmp_path / "f.csv"
    out.write_bytes(b"important,data\n")
    with pytest.raises(OutputFileError, match="exists; use overwrite=True"):
        complete(out)
    assert out.read_bytes() == b"important,data\n"
    assert complete(out, overwrite=True) == reference
    with pytest.raises(InvalidParameterError, match="exclude each other"):
        complete(out, overwrite=True, resume=True)


def test_resume_with_no_file_yet_starts_the_sweep(tmp_path, reference):
    assert complete(tmp_path / "new.csv", resume=True) == reference


def test_an_interrupted_sweep_resumes_to_the_same_bytes(tmp_path, reference):
    out = tmp_path / "t.csv"
    interrupted(out)
    assert sidecar_of(out).exists()
    assert complete(out, resume=True) == reference
    assert not sidecar_of(out).exists()  # a completed sweep leaves no sidecar


@pytest.mark.parametrize("cut", [1, 2, 40])
def test_a_shortened_file_is_refused_not_padded(tmp_path, cut):
    # A user deleting the last row, a spreadsheet re-saving the file: the recorded
    # prefix is no longer there; truncate() would pad it with NUL bytes.
    out = tmp_path / "t.csv"
    data = interrupted(out)
    out.write_bytes(data[:-cut])
    with pytest.raises(OutputFileError, match=r"shorter .* cannot be resumed"):
        complete(out, resume=True)
    assert out.read_bytes() == data[:-cut]


def test_a_file_edited_within_its_recorded_prefix_is_refused(tmp_path):
    out = tmp_path / "t.csv"
    data = interrupted(out)
    edited = data.replace(b"low", b"LOW", 1)
    out.write_bytes(edited)
    with pytest.raises(OutputFileError, match=r"changed since .* checksum"):
        complete(out, resume=True)
    assert out.read_bytes() == edited


def test_resuming_a_different_sweep_is_refused(tmp_path):
    out = tmp_path / "t.csv"
    data = interrupted(out)
    for grid, columns, model in (
        ({**GRID, "z": [1.0]}, COLUMNS, Toy()),
        (GRID, ["y"], Toy()),
        (GRID, COLUMNS, Toy(slope=3.0)),
    ):
        with pytest.raises(OutputFileError, match="different sweep"):
            sweep(model, grid, columns, out=out, chunk_size=CHUNK, resume=True)
    with pytest.raises(OutputFileError, match="different sweep"):
        sweep(Toy(), GRID, COLUMNS, out=out, chunk_size=CHUNK + 1, resume=True)
    assert out.read_bytes() == data


def test_a_model_without_a_stable_repr_resumes_by_its_identity(tmp_path, reference):
    first, second = Toy(), Toy()
    assert repr(first) != repr(second)
    out = tmp_path / "t.csv"
    with pytest.raises(Stop):
        sweep(first, GRID, COLUMNS, out=out, chunk_size=CHUNK, progress=stop_after(2))
    sweep(second, GRID, COLUMNS, out=out, chunk_size=CHUNK, resume=True)
    assert out.read_bytes() == reference


def test_a_model_without_an_identity_cannot_be_resumed(tmp_path):
    class Anonymous(Toy):
        identity = None  # type: ignore[assignment]

    out = tmp_path / "t.csv"
    with pytest.raises(Stop):
        sweep(Anonymous(), GRID, COLUMNS, out=out, chunk_size=CHUNK, progress=stop_after(2))
    with pytest.raises(OutputFileError, match="defines no identity"):
        sweep(Anonymous(), GRID, COLUMNS, out=out, chunk_size=CHUNK, resume=True)


def well_formed_sidecar(path: Path) -> dict:
    return json.loads(sidecar_of(path).read_text())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not the JSON"),
        (b"{not json", "not the JSON"),
        (b"\xff\xfe", "not the JSON"),
        (b"[1, 2]", "not a sweep's sidecar"),
        (b'{"format": "powergames sweep"}', "version"),
        (b"null", "not a sweep's sidecar"),
        ("edit", "checksum does not match"),
        ("negative", "bytes must be a whole number >= 0"),
        ("text", "chunks must be a whole number >= 0"),
    ],
)
def test_a_malformed_sidecar_is_refused_naming_it(tmp_path, content, message):
    out = tmp_path / "t.csv"
    data = interrupted(out)
    sidecar = sidecar_of(out)
    if isinstance(content, str):
        from hashlib import sha256

        state = well_formed_sidecar(out)
        state.pop("check")
        if content == "edit":
            state["chunks"] += 1
        else:
            state.update({"bytes": -5} if content == "negative" else {"chunks": "three"})
        # A sidecar whose own checksum is right but whose values are not.
        check = sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()
        if content == "edit":
            check = "0" * 64
        content = json.dumps({**state, "check": check}).encode()
    sidecar.write_bytes(content)
    with pytest.raises(OutputFileError, match=message) as error:
        complete(out, resume=True)
    assert str(sidecar) in str(error.value) and "\n" not in str(error.value)
    assert out.read_bytes() == data and sidecar.read_bytes() == content


# ---------------------------------------------------------------- clean-up
def open_files() -> set[str]:
    folder = Path("/proc/self/fd")
    found = set()
    for fd in folder.iterdir():
        try:
            found.add(os.readlink(fd))
        except OSError:
            pass
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_a_failing_chunk_closes_the_file_and_releases_the_lock(tmp_path, reference):
    class Failing(Toy):
        def compute(self, points, names):
            if self.calls == 3:
                raise RuntimeError("the model failed")
            return super().compute(points, names)

    out = tmp_path / "t.csv"
    with pytest.raises(RuntimeError, match="the model failed"):
        sweep(Failing(), GRID, COLUMNS, out=out, chunk_size=CHUNK)
    assert not {str(out), str(out) + ".lock"} & open_files()
    # The sidecar records the three chunks written; the lock is free to resume.
    assert well_formed_sidecar(out)["chunks"] == 3
    assert complete(out, resume=True) == reference


# ------------------------------------------------------------ bounded work
def test_a_grid_too_large_for_memory_is_refused_before_any_work():
    huge = {"x": "0:1:1000000", "z": "0:1:1000000"}
    with pytest.raises(InvalidParameterError, match=r"1,000,000,000,000 points .* out="):
        sweep(Toy(), huge, COLUMNS)
    assert MAX_POINTS_IN_MEMORY == 10_000_000
    with pytest.raises(InvalidParameterError, match="chunk_size must be at most"):
        sweep(Toy(), GRID, COLUMNS, chunk_size=MAX_POINTS_IN_MEMORY + 1)


def test_a_huge_grid_streams_a_chunk_at_a_time(tmp_path):
    # 10^12 points: the chunks come lazily (no list of their starts), so the first
    # chunk is written at once.
    out = tmp_path / "huge.csv"
    huge = {"x": "0:1:1000000", "z": "0:1:1000000"}
    with pytest.raises(Stop):
        sweep(Toy(), huge, COLUMNS, out=out, chunk_size=1000, progress=stop_after(1))
    assert len(out.read_text().splitlines()) == 1 + 1000
    assert Grid(huge).count_chunks(1000) == 10**9


def test_a_grid_beyond_numpy_indices_is_refused():
    with pytest.raises(InvalidParameterError, match="beyond any sweep"):
        Grid({f"a{k}": np.zeros(1_000_000) for k in range(4)})


class CountingExecutor(ThreadPoolExecutor):
    """A thread pool that counts the chunks submitted and not yet collected."""

    def __init__(self) -> None:
        super().__init__(max_workers=2)
        self.lock = threading.Lock()
        self.submitted = self.collected = self.most = 0

    def submit(self, fn, /, *args, **kwargs):
        with self.lock:
            self.submitted += 1
            self.most = max(self.most, self.submitted - self.collected)
        return super().submit(fn, *args, **kwargs)


@pytest.mark.parametrize("in_flight", [1, 3])
def test_an_executor_holds_a_bounded_number_of_chunks(tmp_path, reference, in_flight):
    out = tmp_path / "t.csv"
    with CountingExecutor() as executor:

        def collected(done, total):
            executor.collected += done > 0  # the first call reports where the sweep starts

        sweep(
            Toy(),
            GRID,
            COLUMNS,
            out=out,
            chunk_size=CHUNK,
            executor=executor,
            in_flight=in_flight,
            progress=collected,
        )
    assert executor.submitted == -(-415 // CHUNK)
    assert executor.most == in_flight
    assert out.read_bytes() == reference


@pytest.mark.parametrize("bad", [0, -1, True, 2.5])
def test_in_flight_must_be_a_positive_integer(bad):
    with pytest.raises(InvalidParameterError, match="in_flight"):
        sweep(Toy(), GRID, COLUMNS, in_flight=bad)


# ------------------------------------------------------------------ formats
@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_each_format_streams_the_table_and_resumes_identically(tmp_path, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    full, part = tmp_path / f"full{suffix}", tmp_path / f"part{suffix}"
    streamed = sweep(Toy(), GRID, COLUMNS, out=full, chunk_size=CHUNK)
    with pytest.raises(Stop):
        sweep(Toy(), GRID, COLUMNS, out=part, chunk_size=CHUNK, progress=stop_after(4))
    sweep(Toy(), GRID, COLUMNS, out=part, chunk_size=CHUNK, resume=True)
    assert part.read_bytes() == full.read_bytes()
    assert (
        sorted(p.name for p in tmp_path.iterdir() if "sweep" in p.name or "spool" in p.name) == []
    )
    in_memory = sweep(Toy(), GRID, COLUMNS)
    for name in in_memory.names:
        got, expected = streamed[name], in_memory[name]
        if suffix == ".jsonl" and expected.dtype.kind == "f":
            expected = np.where(np.isfinite(expected), expected, np.nan)
        np.testing.assert_array_equal(got, expected)


def test_a_parquet_file_has_a_row_group_per_chunk(tmp_path):
    parquet = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "t.parquet"
    sweep(Toy(), GRID, COLUMNS, out=out, chunk_size=CHUNK)
    metadata = parquet.ParquetFile(out).metadata
    assert metadata.num_rows == 415 and metadata.num_row_groups == -(-415 // CHUNK)
    assert metadata.row_group(0).num_rows == CHUNK
    assert parquet.read_table(out).column_names == ["x", "z", "y", "label", "flag"]


def test_parquet_without_pyarrow_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r"pip install 'powergames\[parquet\]'"):
        sweep(Toy(), GRID, COLUMNS, out=tmp_path / "t.parquet")
    assert list(tmp_path.iterdir()) == []
