"""TinyDB storage for sitboard: one JSON file, written atomically, once per commit.

`AtomicJSONStorage` is a TinyDB `Storage`: each `write` serialises the whole database to a
temporary file in the same folder, fsyncs it, renames it over the database and fsyncs the
folder, so a crash at any moment leaves either the old or the new complete file.
`BatchingMiddleware` is a TinyDB `Middleware`: table operations only change its in-memory
copy; `flush()` hands the whole state to the storage in one write.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from tinydb.middlewares import Middleware
from tinydb.storages import Storage

from .errors import StoreError

Tables = dict[str, dict[str, Any]]
GROUP = 1024  # documents per written chunk


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


class EncodedDoc(Mapping[str, Any]):
    """A stored document kept as its encoded table entry, `"<doc id>":<UTF-8 JSON>`.

    Stored documents never change, so after their first write the middleware keeps them in
    this form and later writes reuse the bytes instead of re-encoding the whole database
    (a json.dumps of everything would also hold the GIL for its whole length, freezing
    the UI thread). It is a read-only Mapping, which is all TinyDB's table operations need.
    """

    __slots__ = ("entry", "key", "split")

    def __init__(self, key: str, doc: Mapping[str, Any]) -> None:
        self.key = key
        self.entry = entry_bytes(key, doc)
        self.split = self.entry.index(b":") + 1

    def _value(self) -> dict[str, Any]:
        return json.loads(self.entry[self.split :])

    def __getitem__(self, name: str) -> Any:
        return self._value()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._value())

    def __len__(self) -> int:
        return len(self._value())


def entry_bytes(key: str, doc: Mapping[str, Any]) -> bytes:
    """`"<key>":<doc as JSON>` in UTF-8; a lone surrogate (not encodable) becomes "?"."""
    if isinstance(doc, EncodedDoc):
        doc = doc._value()
    return (_ENCODER.encode(str(key)) + ":" + _ENCODER.encode(doc)).encode("utf-8", "replace")


def encode_chunks(data: Tables) -> list[bytes]:
    """The whole database as compact UTF-8 JSON (Arabic as text, not \\u escapes), in
    pieces that are written one after the other (no copy of the whole file in memory)."""
    chunks = [b"{"]
    for n, (name, table) in enumerate(data.items()):
        entries = [
            d.entry if type(d) is EncodedDoc and d.key == k else entry_bytes(k, d)
            for k, d in table.items()
        ]
        prefix = b"," if n else b""
        chunks += [prefix, _ENCODER.encode(name).encode("utf-8"), b":{"]
        # joined in groups: no single huge allocation, and the GIL is released between them
        for start in range(0, len(entries), GROUP):
            chunks += [b"," if start else b"", b",".join(entries[start : start + GROUP])]
        chunks.append(b"}")
    chunks.append(b"}")
    return chunks


def encode(data: Tables) -> bytes:
    return b"".join(encode_chunks(data))


class CorruptFile(ValueError):
    """The file exists but is not a complete JSON object of tables."""


def decode(raw: bytes) -> Tables:
    """Parse database bytes, or raise CorruptFile saying what is wrong."""
    if not raw.strip():
        raise CorruptFile("the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CorruptFile(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise CorruptFile(f"not valid JSON ({exc.msg}; line {exc.lineno})") from exc
    except RecursionError as exc:
        raise CorruptFile("not valid JSON (nested too deeply)") from exc
    if not isinstance(data, dict):
        raise CorruptFile("not a JSON object of tables")
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            raise CorruptFile(f"table {name!r} is not an object of documents")
        if not all(k.isdigit() for k in table):
            raise CorruptFile(f"table {name!r} has a document id that is not a number")
    return data


def read_file(path: Path) -> tuple[Tables, bytes] | None:
    """The decoded tables and raw bytes of `path`; None when the file does not exist."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError as exc:
        raise StoreError(f"{path} is a directory, not a database file") from exc
    except OSError as exc:
        raise StoreError(f"cannot read the database {path}: {exc.strerror or exc}") from exc
    return decode(raw), raw


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some filesystems do not allow opening folders; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def describe_os_error(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return f"the disk holding {path.parent} is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"no permission to write in {path.parent} (read-only folder or filesystem?)"
    return f"{exc.strerror or exc}"


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


def atomic_write(path: Path, raw: bytes | list[bytes]) -> int:
    """Replace `path` by `raw` (bytes or a list of chunks) atomically and durably; on error
    the old file is untouched. Returns the number of bytes written."""
    chunks = [raw] if isinstance(raw, bytes) else raw
    folder = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=folder)
    except OSError as exc:
        raise StoreError(
            f"cannot write the database {path}: {describe_os_error(exc, path)}"
        ) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.writelines(chunks)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreError(
            f"cannot write the database {path}: {describe_os_error(exc, path)}"
        ) from exc
    fsync_dir(folder)
    return sum(len(c) for c in chunks)


def remove_stale_temps(path: Path) -> None:
    """Delete temporary files a killed writer left behind (call only while holding the lock)."""
    # ours exactly: `.<db name>.` + mkstemp's 8 random characters + `.tmp`, so another
    # database's temporary files in the same folder (say `<db name>.x.json`) are left alone
    ours = re.compile(
        re.escape(temp_prefix(path)) + r"((bak|corrupt-[0-9TZ-]+)\.)?[a-z0-9_]{8}\.tmp"
    )
    with contextlib.suppress(OSError):
        for entry in path.parent.iterdir():
            if ours.fullmatch(entry.name):
                with contextlib.suppress(OSError):
                    entry.unlink()


class AtomicJSONStorage(Storage):
    """The whole database in one UTF-8 JSON file, replaced atomically on every write."""

    def __init__(
        self,
        path: str | Path,
        *,
        readonly: bool = False,
        initial: Tables | None = None,
        on_write: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.readonly = readonly
        self._initial = initial
        self._on_write = on_write
        self.writes = 0  # completed file writes, for tests and benchmarks

    def read(self) -> Tables | None:
        if self._initial is not None:
            data, self._initial = self._initial, None
            return data
        loaded = read_file(self.path)
        return None if loaded is None else loaded[0]

    def write(self, data: Tables) -> None:
        if self.readonly:
            raise StoreError(f"the database {self.path} is open read-only")
        size = atomic_write(self.path, encode_chunks(data))
        self.writes += 1
        if self._on_write is not None:
            self._on_write(size)


class BatchingMiddleware(Middleware):
    """Keeps TinyDB's state in memory; only `flush()` writes, and only as one write.

    `snapshot()`/`restore()` let the store undo table operations whose write failed: TinyDB
    replaces a table's dict on every operation (it never edits the old one in place, as long
    as documents are not updated in place, which the store never does), so a shallow copy
    of the top-level dict is a complete snapshot.
    """

    def __init__(self, storage_cls: Callable[..., Storage]) -> None:
        super().__init__(storage_cls)
        self.cache: Tables | None = None
        self.dirty = False

    def read(self) -> Tables | None:
        if self.cache is None:
            self.cache = self.storage.read()
        return self.cache

    def write(self, data: Tables) -> None:
        self.cache = data
        self.dirty = True

    def flush(self) -> None:
        if self.dirty and self.cache is not None:
            self.compact()
            self.storage.write(self.cache)
            self.dirty = False

    def compact(self) -> None:
        """Replace plain documents by their encoded form (same content, less memory)."""
        for table in (self.cache or {}).values():
            # TinyDB appends new documents at the end of a table's dict, so scanning from
            # the end can stop at the first document already encoded.
            fresh = []
            for doc_id, doc in reversed(table.items()):
                if type(doc) is EncodedDoc and doc.key == doc_id:
                    break
                fresh.append(doc_id)
            for doc_id in fresh:
                table[doc_id] = EncodedDoc(doc_id, table[doc_id])

    def snapshot(self) -> tuple[Tables | None, bool]:
        return (None if self.cache is None else dict(self.cache)), self.dirty

    def restore(self, snapshot: tuple[Tables | None, bool]) -> None:
        self.cache, self.dirty = snapshot

    def close(self) -> None:
        # Unflushed changes are dropped on purpose: only a commit writes.
        self.storage.close()
