"""Fault injection: a streamed sweep (CSV, JSON lines or Parquet) killed at a random
chunk (a real process, SIGKILL), its file or sidecar possibly damaged, then resumed.
Either the final file is byte-identical to an uninterrupted sweep's, or the resume is
refused with an OutputFileError and the file and sidecar are left exactly as they were.
Nothing else.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from toy_model import CHUNK, GRID, Toy

from powergames import OutputFileError
from powergames.tables import sweep

TESTS = Path(__file__).parent
CHUNKS = -(-len(GRID["x"]) * len(GRID["z"]) // CHUNK)
COLUMNS = ["y", "label", "flag"]

#: Kill the sweep (SIGKILL) at chunk k: when it starts computing it ("compute"), after
#: it is recorded ("recorded"), or after its bytes are written and before the sidecar
#: records them ("writing": the file is then longer than the sidecar says).
SCRIPT = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from toy_model import CHUNK, GRID, Toy
    from powergames.tables import sweep

    mode, k, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    model = Toy(kill_at=k if mode == "compute" else None)
    progress = None
    if mode == "recorded":
        def progress(done, total):
            if done >= min((k + 1) * CHUNK, total):  # the last chunk is short
                os.kill(os.getpid(), signal.SIGKILL)
    if mode == "writing":
        # fsync: 2 when the file opens (data, sidecar), then 2 per chunk (data first).
        calls, real = [0], os.fsync
        def fsync(fd):
            calls[0] += 1
            if calls[0] == 3 + 2 * k:
                os.kill(os.getpid(), signal.SIGKILL)
            real(fd)
        os.fsync = fsync
    sweep(model, GRID, {columns!r}, out=out, chunk_size=CHUNK, progress=progress)
""").format(tests=str(TESTS), columns=COLUMNS)

DAMAGES = (
    "none",
    "truncate the tail",  # only what follows the recorded bytes
    "truncate into the prefix",
    "append garbage",
    "edit a byte in the prefix",
    "edit a byte after the prefix",
    "corrupt the sidecar",
    "delete the sidecar",
    "change the grid",
)
HARMFUL = {
    "truncate into the prefix",
    "edit a byte in the prefix",
    "delete the sidecar",
    "change the grid",
}


SUFFIXES = (".csv", ".jsonl", ".parquet")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The file of an uninterrupted sweep, by suffix."""
    folder = tmp_path_factory.mktemp("reference")
    files = {}
    for suffix in SUFFIXES:
        out = folder / f"full{suffix}"
        sweep(Toy(), GRID, COLUMNS, out=out, chunk_size=CHUNK)
        files[suffix] = out.read_bytes()
    return files


def recorded_bytes(sidecar: Path) -> int:
    return int(json.loads(sidecar.read_text())["bytes"])


@settings(
    max_examples=24,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    suffix=st.sampled_from(SUFFIXES),
    mode=st.sampled_from(["compute", "recorded", "writing"]),
    k=st.integers(0, CHUNKS - 1),
    damage=st.sampled_from(DAMAGES),
    where=st.floats(0, 1, exclude_max=True),
    garbage=st.binary(min_size=1, max_size=40),
)
# Killed once the last (short) chunk is recorded, before the sweep ends.
@example(suffix=".csv", mode="recorded", k=CHUNKS - 1, damage="none", where=0.0, garbage=b"\x00")
def test_a_killed_and_damaged_sweep_resumes_identically_or_is_refused_untouched(
    tmp_path_factory, reference, suffix, mode, k, damage, where, garbage
):
    folder = tmp_path_factory.mktemp("killed")
    out, sidecar = folder / f"t{suffix}", folder / f"t{suffix}.sweep.json"
    # The bytes being written: the file itself, or the spool of a Parquet file.
    data_file = out.with_name(out.name + ".spool") if suffix == ".parquet" else out
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode, str(k), str(out)],
        capture_output=True,
        timeout=120,
    )
    assert run.returncode == -9, run.stderr.decode()[-2000:]
    assert data_file.exists() and sidecar.exists()

    grid = GRID
    data, size = data_file.read_bytes(), data_file.stat().st_size
    prefix = recorded_bytes(sidecar)
    if (prefix == 0 and "prefix" in damage and "after" not in damage) or (
        damage == "edit a byte after the prefix" and size == prefix
    ):
        damage = "none"  # nothing there to damage (killed before any byte was recorded)
    if damage == "truncate the tail":
        data_file.write_bytes(data[: prefix + int(where * (size - prefix))])
    elif damage == "truncate into the prefix":
        data_file.write_bytes(data[: int(where * prefix)])
    elif damage == "append garbage":
        data_file.write_bytes(data + garbage)
    elif damage == "edit a byte in the prefix":
        at = int(where * prefix)
        data_file.write_bytes(data[:at] + bytes([data[at] ^ 0x55]) + data[at + 1 :])
    elif damage == "edit a byte after the prefix":
        at = prefix + int(where * (size - prefix))
        data_file.write_bytes(data[:at] + bytes([data[at] ^ 0x55]) + data[at + 1 :])
    elif damage == "corrupt the sidecar":
        text = sidecar.read_bytes()
        at = int(where * len(text))
        sidecar.write_bytes(text[:at] + bytes([text[at] ^ (garbage[0] | 1)]) + text[at + 1 :])
    elif damage == "delete the sidecar":
        sidecar.unlink()
    elif damage == "change the grid":
        grid = {**GRID, "z": GRID["z"][:-1]}
    before = (
        data_file.read_bytes() if data_file.exists() else None,
        sidecar.read_bytes() if sidecar.exists() else None,
    )

    try:
        sweep(Toy(), grid, COLUMNS, out=out, chunk_size=CHUNK, resume=True)
    except OutputFileError as error:
        refused = str(error)
    else:
        refused = None

    if refused is None:
        assert out.read_bytes() == reference[suffix]
        assert not sidecar.exists() and not out.with_name(out.name + ".spool").exists()
        assert damage not in HARMFUL
    else:
        assert "\n" not in refused and f"t{suffix}" in refused
        after = (
            data_file.read_bytes() if data_file.exists() else None,
            sidecar.read_bytes() if sidecar.exists() else None,
        )
        assert after == before
        assert damage != "none" and damage != "truncate the tail" and damage != "append garbage"
