"""Reading a database file into model objects, and repairing a damaged one.

A file that cannot be read is never replaced silently: `recover` acts only on the user's
explicit choice (restore the backup, or start fresh), and always keeps the damaged file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from sitboard.ingest.model import Claim, FeedState, StatusChange

from . import serialize as ser
from .board import BOARD_TABLE
from .errors import StoreCorrupt, StoreError
from .records import ItemRecord, stored_item
from .storage import (
    CorruptFile,
    FileSource,
    Irregular,
    Piece,
    ScannedDoc,
    SpanDoc,
    Tables,
    atomic_write,
    decode,
    fsync_dir,
    read_bytes,
    scan_documents,
    scan_file,
)

SCHEMA_VERSION = 1
DocId = int | str


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def backup_is_current(path: Path) -> bool:
    """True when `<db>.bak` is already a copy of the database as it is now.

    A backup is written with the database's size and modification time (as `cp -p` would),
    so an unchanged database (opened, not committed to) is not copied again at every open:
    that is the whole file rewritten and fsynced for nothing.
    """
    try:
        db, bak = path.stat(), backup_path(path).stat()
    except OSError:
        return False
    return (db.st_size, db.st_mtime_ns) == (bak.st_size, bak.st_mtime_ns)


def refresh_backup(path: Path, raw: bytes | Sequence[Piece]) -> None:
    """Make `raw` (the database's bytes, just read and found good, or spans of the open
    file) the backup, unless the backup already is this file."""
    if backup_is_current(path):
        return
    before = path.stat()
    bak = backup_path(path)
    atomic_write(bak, raw)
    # (if this fails, the next open copies the file again: slower, not wrong)
    with contextlib.suppress(OSError):
        os.utime(bak, ns=(before.st_atime_ns, before.st_mtime_ns))


@dataclass
class Contents:
    """A database file decoded into model objects, with the TinyDB document ids."""

    items: list[ItemRecord] = field(default_factory=list)
    # TinyDB document ids: as the file's key strings (shared with the tables), or ints
    item_docs: dict[str, DocId] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    claim_docs: dict[str, list[DocId]] = field(default_factory=dict)  # item id -> doc ids
    feeds: dict[str, FeedState] = field(default_factory=dict)
    feed_docs: dict[str, int] = field(default_factory=dict)
    history: list[StatusChange] = field(default_factory=list)
    board: Mapping[str, Any] | None = None  # the board document, decoded on demand
    # strings and times shared by the claims decoded (an item's id, a sentence, a time)
    memo: dict[str, str] = field(default_factory=dict, repr=False)
    times: dict[str, datetime | None] = field(default_factory=dict, repr=False)
    shared: dict[Any, Any] = field(default_factory=dict, repr=False)  # feeds, outlets, places


def _check_schema(meta: list[Mapping[str, Any]], has_data: bool, path: Path) -> None:
    versions = [d.get("schema") for d in meta]
    version = versions[0] if versions else None
    if version is None and has_data:
        raise CorruptFile("no schema version: not a sitboard database")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise CorruptFile("the schema version is not a number")
    if version is not None and version > SCHEMA_VERSION:
        raise StoreError(
            f"the database {path} was written by a newer sitboard (schema {version}, this "
            f"version reads {SCHEMA_VERSION}); upgrade sitboard or choose another --db"
        )


DATA_TABLES = ("items", "claims", "feeds", "history")


def _decode_doc(
    out: Contents, table: str, doc_id: str, doc: Mapping[str, Any], span: SpanDoc | None = None
) -> None:
    if table == "items":
        if span is None:
            item = ser.item_from_dict(doc)
            record: ItemRecord = item
        else:  # the title and text stay in the file
            record, item = stored_item(doc, span, out.shared)
        if item.id not in out.item_docs:
            out.items.append(record)
            out.item_docs[item.id] = doc_id
            out.memo.setdefault(item.id, item.id)
    elif table == "claims":
        claim = ser.claim_from_dict(doc, out.memo, out.times)
        out.claims.append(claim)
        out.claim_docs.setdefault(claim.item, []).append(doc_id)
    elif table == "feeds":
        state = ser.feed_state_from_dict(doc)
        out.feeds[state.name] = state
        out.feed_docs[state.name] = int(doc_id)
    elif table == "history":
        out.history.append(ser.change_from_dict(doc))
    elif table == BOARD_TABLE:
        out.board = doc


def decode_contents(tables: Tables, path: Path) -> Contents:
    """Decode every document, or raise CorruptFile; a newer schema is a StoreError."""
    has_data = any(tables.get(t) for t in DATA_TABLES)
    _check_schema(list(tables.get("meta", {}).values()), has_data, path)
    out = Contents()
    try:
        for table in DATA_TABLES:
            for doc_id, doc in tables.get(table, {}).items():
                _decode_doc(out, table, doc_id, doc)
        for doc_id, doc in tables.get(BOARD_TABLE, {}).items():
            _decode_doc(out, BOARD_TABLE, doc_id, doc)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise CorruptFile(f"a stored record cannot be read ({type(exc).__name__}: {exc})") from exc
    return out


class Loaded(NamedTuple):
    tables: Tables  # as TinyDB wants them
    raw: bytes  # the file's bytes (they become the backup)
    contents: Contents  # decoded into models
    source: FileSource | None = None  # what the tables' documents are spans of


def load_quickly(raw: bytes, path: Path) -> tuple[Tables, Contents, FileSource] | None:
    """Tables whose documents stay in the file (spans of it: no dicts kept, nothing encoded
    again) and the models, in one pass over the text; None when the file is not plainly
    laid out or a record does not decode (the slow path then says what is wrong)."""
    source = FileSource(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return _load_scanned(scan_documents(text), source, path)


class LoadStopped(Exception):
    """load_from was asked to stop (the store is being closed)."""


def load_from(
    source: FileSource, size: int, path: Path, stop: Callable[[], bool] = lambda: False
) -> tuple[Tables, Contents] | None:
    """load_quickly for the first `size` bytes of an open file, read a chunk at a time (the
    file's bytes are never all in memory); the documents are spans of `source`. Raises
    LoadStopped as soon as `stop()` (asked every few thousand documents) is true."""

    def checked(docs: Iterable[ScannedDoc]) -> Iterator[ScannedDoc]:
        for n, doc in enumerate(docs):
            if not n % 4096 and stop():
                raise LoadStopped
            yield doc

    loaded = _load_scanned(checked(scan_file(source, size)), source, path)
    return None if loaded is None else (loaded[0], loaded[1])


def _load_scanned(
    scanned: Iterable[ScannedDoc], source: FileSource, path: Path
) -> tuple[Tables, Contents, FileSource] | None:
    tables: Tables = {}
    meta: list[Mapping[str, Any]] = []
    out = Contents()
    try:
        table: dict[str, Any] = {}
        for name, doc_id, doc, start, end in scanned:
            if doc_id is None:
                table = tables[name] = {}
                continue
            span = table[doc_id] = SpanDoc(doc_id, source, start, end)
            if name == "meta":
                meta.append(doc)
            else:
                _decode_doc(out, name, doc_id, doc, span)
    except (UnicodeDecodeError, Irregular, KeyError, ValueError, TypeError, AttributeError):
        return None
    _check_schema(meta, any(tables.get(t) for t in DATA_TABLES), path)
    return tables, out, source


def load(path: Path) -> Loaded | None:
    """The database at `path` decoded, None if there is no file; CorruptFile if damaged."""
    raw = read_bytes(path)
    if raw is None:
        return None
    quick = load_quickly(raw, path)
    if quick is not None:
        return Loaded(quick[0], raw, quick[1], quick[2])
    tables = decode(raw)
    return Loaded(tables, raw, decode_contents(tables, path))


def good_backup(path: Path) -> Loaded | None:
    try:
        return load(backup_path(path))
    except (CorruptFile, StoreError):
        return None


def _aside_name(path: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    return target


def keep_copy(path: Path, now: datetime) -> Path:
    """Copy the damaged file to `<db>.corrupt-<time>` (durably) and return that path."""
    target = _aside_name(path, now)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"cannot read the damaged database {path}: {exc}") from exc
    atomic_write(target, raw)
    return target


def move_aside(path: Path, now: datetime) -> Path:
    """Rename the damaged file to `<db>.corrupt-<time>` and return that path."""
    target = _aside_name(path, now)
    try:
        os.rename(path, target)
    except OSError as exc:
        raise StoreError(f"cannot move the damaged database {path} aside: {exc}") from exc
    fsync_dir(path.parent)
    return target


def recover(
    path: Path,
    reason: str,
    *,
    readonly: bool,
    restore_backup: bool,
    start_fresh: bool,
    now: datetime,
) -> tuple[Loaded | None, str]:
    """Handle a damaged file as the user chose; returns (contents or None, notice)."""
    backup = good_backup(path)
    bak = backup_path(path)
    if readonly:
        raise StoreCorrupt(
            f"the database {path} is damaged ({reason}). Open it without read-only mode "
            "to repair it (--restore-backup or --start-fresh).",
            path=path,
            backup=bak if backup else None,
        )
    if restore_backup and backup is not None:
        # Copy the damaged file first, then replace it atomically: if anything fails the
        # damaged file is still in place, so the next open cannot start empty by mistake.
        kept = keep_copy(path, now)
        try:
            atomic_write(path, backup.raw)
        except StoreError as exc:
            raise StoreCorrupt(
                f"the database {path} is damaged ({reason}) and restoring the backup failed: "
                f"{exc}. The damaged file is unchanged (a copy is in {kept}).",
                path=path,
                moved_to=kept,
                backup=bak,
            ) from exc
        when = datetime.fromtimestamp(bak.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")
        return backup, (
            f"the database was damaged ({reason}); it was kept as {kept} and the backup "
            f"from {when} was restored"
        )
    if start_fresh:
        moved = move_aside(path, now)
        return None, (
            f"the database was damaged ({reason}); it was kept as {moved} and an empty "
            "database was started"
        )
    if backup is not None:
        advice = (
            f"Run again with --restore-backup to restore the last good copy ({bak}), or "
            "with --start-fresh to keep the damaged file aside and start empty."
        )
    else:
        given = " was given, but it" if restore_backup else ""
        advice = (
            f"--restore-backup{given} cannot help: there is no usable backup ({bak}). "
            "Run again with --start-fresh to keep the damaged file aside and start an "
            "empty database."
        )
    raise StoreCorrupt(
        f"the database {path} is damaged ({reason}). Nothing was changed. {advice}",
        path=path,
        backup=bak if backup else None,
    )
