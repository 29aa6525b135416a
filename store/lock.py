"""A single-writer lock: fcntl.flock on `<db>.lock`, which holds the owner's pid.

flock locks belong to the open file, so the kernel releases them when the process dies,
even by SIGKILL; a stale lock file is harmless. The file itself is never deleted (deleting
it would let two processes lock two different files of the same name).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from .errors import StoreError, StoreLocked, StoreUnwritable


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def _read_pid(fd: int) -> int | None:
    try:
        raw = os.pread(fd, 64, 0)
    except OSError:
        return None
    try:
        return int(raw.decode("ascii").strip())
    except ValueError:
        return None


class FileLock:
    """An exclusive, non-blocking lock for one database file."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.path = lock_path(db)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreUnwritable(
                f"cannot create the lock file {self.path}: {exc.strerror or exc}. "
                "The folder must be writable to save news; the board can still show "
                "what the database holds, read-only."
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            owner = f"process {pid}" if pid else "another process"
            raise StoreLocked(
                f"the database {self.db} is in use by {owner} (another sitboard?). "
                "Close it first, or open this one read-only.",
                path=self.db,
                pid=pid,
            ) from None
        except OSError as exc:
            os.close(fd)
            raise StoreError(f"cannot lock {self.path}: {exc.strerror or exc}") from exc
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
