"""Errors the store raises; every message is written for the person running sitboard."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The database cannot be opened, read or written; the message says why and what to do."""


class StoreLocked(StoreError):
    """Another live sitboard process holds the database lock."""

    def __init__(self, message: str, *, path: Path, pid: int | None) -> None:
        super().__init__(message)
        self.path = path
        self.pid = pid


class StoreUnwritable(StoreError):
    """The database's folder cannot be written (no lock can be taken): it can only be read."""


class StoreCorrupt(StoreError):
    """The database file is not a readable sitboard database.

    `moved_to` is where the bad file was kept (None when nothing was moved);
    `backup` is the usable backup file, if there is one.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path,
        moved_to: Path | None = None,
        backup: Path | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.moved_to = moved_to
        self.backup = backup
