"""Streaming a sweep to a file chunk by chunk, so that an interrupted sweep resumes
where it stopped and nothing is lost, mixed in or silently wrong.

The protocol
------------
1. A lock: ``FILE.lock`` is locked (``filelock``, an OS lock released when the process
   ends, however it ends) for the whole sweep; a second sweep of the same file is
   refused at once.
2. A sidecar, ``FILE.sweep.json``, records after every chunk what identifies the
   sweep (a fingerprint of the model, the grid, the columns, the format), the number
   of chunks written, the bytes they take and a SHA-256 checksum of those bytes; the
   sidecar carries a checksum of its own fields. It is replaced atomically (a
   uniquely named temporary file, then ``os.replace``) after the chunk's bytes are
   on disk (``fsync``), so it never records bytes that are not there.
3. Resuming checks the sidecar (well-formed, its own checksum, the same sweep), then
   that the file still holds the recorded bytes unchanged (size and checksum), and
   only then drops what follows them (the part of a chunk being written when the
   sweep stopped, or anything appended since) and goes on. Any failed check refuses
   with :class:`~powergames.errors.OutputFileError` and leaves the file untouched.
4. A completed sweep removes its sidecar: a file without one is complete, or was
   not written by a sweep, and there is nothing to resume in it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

import filelock
from numpy.typing import NDArray

from powergames.errors import OutputFileError

__all__ = ["SIDECAR_SUFFIX", "Encoder", "StreamWriter", "fingerprint"]

#: The sidecar of ``FILE`` is ``FILE`` + this suffix.
SIDECAR_SUFFIX = ".sweep.json"
_FORMAT = "powergames sweep"
_VERSION = 2
_READ_SIZE = 1 << 20


def fingerprint(identity: Mapping[str, Any] | None, description: Mapping[str, Any]) -> str | None:
    """A SHA-256 of what defines a sweep: the model's identity (None when the model
    has none: such a sweep cannot be resumed) and the grid, columns and format."""
    if identity is None:
        return None
    text = json.dumps({"model": identity, **description}, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


class Encoder:
    """How a format turns chunks into bytes: a header written before the first chunk,
    each chunk, and what to make of the spooled bytes once the sweep is complete."""

    #: The format's name (part of a sweep's fingerprint).
    name = ""

    #: The file the bytes go to while the sweep runs (the output itself by default).
    def spool(self, path: Path) -> Path:
        return path

    def header(self) -> bytes:
        return b""

    def chunk(self, part: Mapping[str, NDArray[Any]], first: bool) -> bytes:
        raise NotImplementedError  # pragma: no cover

    def complete(self, spool: Path, path: Path) -> None:
        """Turn the spooled bytes into the output (nothing to do when they are it)."""


def _checked(fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


class StreamWriter:
    """The output of one sweep, as a context manager: locked on entry, closed and
    unlocked on exit whatever happens.

    Parameters
    ----------
    path : Path
        The output file.
    encoder : Encoder
        The format.
    fingerprint : str or None
        What identifies the sweep (None: the sweep cannot be resumed).
    resume, overwrite : bool
        Keep the chunks an interrupted sweep of the same fingerprint wrote; replace an
        existing file. A file that exists is refused unless one of them is given.
    """

    def __init__(
        self,
        path: Path,
        encoder: Encoder,
        fingerprint: str | None,
        *,
        resume: bool = False,
        overwrite: bool = False,
    ) -> None:
        self.path, self.encoder, self.fingerprint = path, encoder, fingerprint
        self.resume, self.overwrite = resume, overwrite
        self.data = encoder.spool(path)
        self.sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
        self.lock = filelock.FileLock(str(path.with_name(path.name + ".lock")), timeout=0)
        self.handle: BinaryIO | None = None
        self.hash = hashlib.sha256()
        self.chunks = 0

    # ---------------------------------------------------------------- life cycle
    def __enter__(self) -> StreamWriter:
        if not self.path.parent.is_dir():
            raise OutputFileError(f"{self.path}: the folder {self.path.parent} does not exist")
        try:
            self.lock.acquire()
        except filelock.Timeout:
            raise OutputFileError(
                f"{self.path} is being written by another sweep (it holds {self.lock.lock_file}); "
                "wait for it to finish or write elsewhere"
            ) from None
        try:
            self._open()
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._close()

    def _close(self) -> None:
        try:
            if self.handle is not None:
                self.handle.close()
                self.handle = None
        finally:
            self.lock.release()

    # -------------------------------------------------------------------- opening
    def _open(self) -> None:
        if self.resume and self.fingerprint is None:
            raise OutputFileError(
                f"{self.path}: this model defines no identity(), so its sweeps cannot be resumed"
            )
        exists = self.path.exists() or self.data.exists()
        if self.resume:
            if self.sidecar.exists():
                self._resume()
                return
            if exists:
                raise OutputFileError(
                    f"nothing to resume in {self.path}: it has no sidecar {self.sidecar.name} "
                    "(the sweep that wrote it completed, or it was not written by a sweep); "
                    "use overwrite=True (--force) to replace it"
                )
        elif exists and not self.overwrite:
            raise OutputFileError(
                f"{self.path} exists; use overwrite=True (--force) to replace it, or "
                "resume=True (--resume) to finish the sweep that wrote it"
            )
        self.handle = open(self.data, "wb")  # closed in _close
        self._append(self.encoder.header())
        self._save()

    def _resume(self) -> None:
        state = self._read_sidecar()
        if state["fingerprint"] != self.fingerprint:
            raise OutputFileError(
                f"{self.path} was written by a different sweep (grid, columns or model); "
                "remove it or write elsewhere"
            )
        recorded = state["bytes"]
        size = self.data.stat().st_size if self.data.exists() else 0
        if recorded and not self.data.exists():
            raise OutputFileError(
                f"{self.data} is missing, but its sidecar {self.sidecar.name} records "
                f"{recorded} bytes of it: nothing to resume; remove the sidecar to start again"
            )
        if size < recorded:
            raise OutputFileError(
                f"{self.data} is shorter ({size} bytes) than the {recorded} bytes its sidecar "
                f"{self.sidecar.name} records: it changed since, so it cannot be resumed; "
                "remove it or use overwrite=True (--force)"
            )
        with open(self.data, "rb") if size else _Empty() as handle:
            left = recorded
            while left:
                block = handle.read(min(left, _READ_SIZE))
                self.hash.update(block)
                left -= len(block)
        if self.hash.hexdigest() != state["sha256"]:
            raise OutputFileError(
                f"{self.data} changed since its sidecar {self.sidecar.name} recorded it "
                f"(the checksum of its first {recorded} bytes differs), so it cannot be "
                "resumed; remove it or use overwrite=True (--force)"
            )
        self.chunks = state["chunks"]
        # Everything checked: drop what follows the last complete chunk.
        self.handle = open(self.data, "r+b" if size else "wb")
        self.handle.truncate(recorded)
        self.handle.seek(recorded)
        if recorded == 0:
            self._append(self.encoder.header())

    def _read_sidecar(self) -> dict[str, Any]:
        def bad(what: str) -> OutputFileError:
            return OutputFileError(
                f"the sidecar {self.sidecar} is unusable ({what}); remove it and the file "
                "to start again, or use overwrite=True (--force)"
            )

        try:
            state = json.loads(self.sidecar.read_bytes().decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise bad("not the JSON a sweep writes") from None
        if not isinstance(state, dict) or state.get("format") != _FORMAT:
            raise bad("not a sweep's sidecar")
        if state.get("version") != _VERSION:
            raise bad(f"version {state.get('version')!r}, this powergames writes {_VERSION}")
        fields = {k: v for k, v in state.items() if k != "check"}
        if state.get("check") != _checked(fields):
            raise bad("its checksum does not match its content: it was edited or damaged")
        for key in ("chunks", "bytes"):
            value = state.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise bad(f"{key} must be a whole number >= 0, got {value!r}")
        if not isinstance(state.get("sha256"), str):
            raise bad("no checksum of the file")
        return state

    # -------------------------------------------------------------------- writing
    def _append(self, data: bytes) -> None:
        assert self.handle is not None
        self.handle.write(data)
        self.hash.update(data)

    def write(self, part: Mapping[str, NDArray[Any]]) -> None:
        """Append one chunk and record it."""
        self._append(self.encoder.chunk(part, first=self.chunks == 0))
        self.chunks += 1
        self._save()

    def _save(self) -> None:
        assert self.handle is not None
        self.handle.flush()
        os.fsync(self.handle.fileno())
        fields = {
            "format": _FORMAT,
            "version": _VERSION,
            "fingerprint": self.fingerprint,
            "chunks": self.chunks,
            "bytes": self.handle.tell(),
            "sha256": self.hash.hexdigest(),
        }
        text = json.dumps({**fields, "check": _checked(fields)}, indent=1)
        _replace_atomically(self.sidecar, text.encode())

    def finish(self) -> None:
        """The sweep is complete: close the file, make the output, drop the sidecar."""
        assert self.handle is not None
        self.handle.close()
        self.handle = None
        self.encoder.complete(self.data, self.path)
        self.sidecar.unlink()


class _Empty:
    """A file of no bytes (to resume a file that was never created)."""

    def __enter__(self) -> _Empty:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def read(self, size: int) -> bytes:  # pragma: no cover - never asked for bytes
        return b""


def _replace_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` through a uniquely named temporary file in its folder, then
    ``os.replace``: readers see the old content or the new, never a mix, and two
    writers never share a temporary file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def replace_with(path: Path, write: Callable[[Path], None]) -> None:
    """Make ``path`` by ``write(temporary)`` then ``os.replace``, so that an
    interrupted ``write`` leaves no partial output."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
