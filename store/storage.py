"""TinyDB storage for sitboard: one JSON file, written atomically, once per commit.

`AtomicJSONStorage` is a TinyDB `Storage`: each `write` serialises the whole database to a
temporary file in the same folder, fsyncs it, renames it over the database and fsyncs the
folder, so a crash at any moment leaves either the old or the new complete file.
`BatchingMiddleware` is a TinyDB `Middleware`: table operations only change its in-memory
copy; `flush()` hands the whole state to the storage in one write.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb.middlewares import Middleware
from tinydb.storages import Storage

from .errors import StoreError

Tables = dict[str, dict[str, Any]]


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


class EncodedDoc(Mapping[str, Any]):
    """A stored document kept as its encoded table entry, `"<doc id>":<UTF-8 JSON>`.

    Stored documents never change, so after their first write the middleware keeps them in
    this form and later writes reuse the bytes instead of re-encoding the whole database
    (a json.dumps of everything would also hold the GIL for its whole length, freezing
    the UI thread). It is a read-only Mapping, which is all TinyDB's table operations need.
    """

    __slots__ = ("entry", "key", "split")

    def __init__(self, key: str, doc: Mapping[str, Any], entry: bytes | None = None) -> None:
        self.key = key
        self.entry = entry_bytes(key, doc) if entry is None else entry
        self.split = self.entry.index(b":") + 1

    def _value(self) -> dict[str, Any]:
        return json.loads(self.entry[self.split :])

    def __getitem__(self, name: str) -> Any:
        return self._value()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._value())

    def __len__(self) -> int:
        return len(self._value())


class FileSource:
    """Where stored documents' bytes are: the database file as last read or written.

    It reads through an open descriptor, so renaming a new file over the path does not
    change what it reads; until the store attaches the file, it reads from the bytes that
    were loaded. After each write the middleware points it at the new file.
    """

    __slots__ = ("fd", "lock", "raw")

    def __init__(self, raw: bytes | None = None) -> None:
        self.raw = raw
        self.fd: int | None = None
        # held while documents are read from outside a write, and while a write points
        # them at the new file: a reader never sees an old place in the new file
        self.lock = threading.Lock()

    def read(self, start: int, end: int) -> bytes:
        if self.raw is not None:
            return self.raw[start:end]
        if self.fd is None:
            raise StoreError("the database is closed")
        data = os.pread(self.fd, end - start, start)
        if len(data) != end - start:
            raise StoreError("the database file was cut short while sitboard had it open")
        return data

    def attach(self, path: Path) -> None:
        """Read from the file at `path` from now on, if it holds the bytes loaded (else keep
        them in memory: more memory, still right)."""
        raw = self.raw
        if raw is None:
            return
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return
        try:
            edge = min(len(raw), 4096)
            same = (
                os.fstat(fd).st_size == len(raw)
                and os.pread(fd, edge, 0) == raw[:edge]
                and os.pread(fd, edge, len(raw) - edge) == raw[len(raw) - edge :]
            )
        except OSError:
            same = False
        if same:
            self.fd, self.raw = fd, None
        else:
            os.close(fd)

    def repoint(self, fd: int) -> None:
        """Read from `fd` (the file just written) from now on (call holding `lock`)."""
        old, self.fd, self.raw = self.fd, fd, None
        if old is not None:
            os.close(old)

    def close(self) -> None:
        with self.lock:
            if self.fd is not None:
                os.close(self.fd)
                self.fd = None


class SpanDoc(Mapping[str, Any]):
    """A stored document that stays in the database file: where its table entry
    `"<doc id>":{...}` is. Nothing of it is held in memory, and a write copies its bytes
    from the old file to the new one (in the kernel, runs of documents at a time)."""

    __slots__ = ("end", "key", "source", "start")

    def __init__(self, key: str, source: FileSource, start: int, end: int) -> None:
        self.key = key
        self.source = source
        self.start = start
        self.end = end

    def _value(self) -> dict[str, Any]:
        entry = self.source.read(self.start, self.end)
        return json.loads(entry[entry.index(b":") + 1 :])

    def value(self) -> dict[str, Any]:
        """The document, from any thread (a write may be moving it meanwhile)."""
        with self.source.lock:
            entry = self.source.read(self.start, self.end)
        return json.loads(entry[entry.index(b":") + 1 :])

    def __getitem__(self, name: str) -> Any:
        return self._value()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._value())

    def __len__(self) -> int:
        return len(self._value())


def entry_bytes(key: str, doc: Mapping[str, Any]) -> bytes:
    """`"<key>":<doc as JSON>` in UTF-8; a lone surrogate (not encodable) becomes "?"."""
    if isinstance(doc, EncodedDoc | SpanDoc):
        doc = doc._value()
    return (_ENCODER.encode(str(key)) + ":" + _ENCODER.encode(doc)).encode("utf-8", "replace")


Span = tuple[FileSource, int, int]  # bytes [start, end) of a source
Piece = bytes | bytearray | Span
PIECE = 1 << 20  # bytes gathered in memory before they are written


@dataclass
class Layout:
    """A database file to write: its pieces in order, and where each document lands."""

    pieces: list[Piece] = field(default_factory=list)
    size: int = 0
    # runs of documents copied from the source, and how far each run moved
    moved: list[tuple[list[SpanDoc], int]] = field(default_factory=list)
    # documents written from memory: their table, id and place in the new file
    placed: list[tuple[dict[str, Any], str, int, int]] = field(default_factory=list)


def layout(data: Tables, source: FileSource | None, last_table: str | None = None) -> Layout:
    """The whole database as compact UTF-8 JSON (Arabic as text, not \\u escapes): new
    documents encoded, documents already in the file copied from it in runs. The table
    `last_table`, if any, is written last (where `read_last_table` finds it)."""
    out = Layout()
    if last_table is not None and last_table in data:
        data = {n: t for n, t in data.items() if n != last_table} | {last_table: data[last_table]}
    run: list[SpanDoc] = []
    run_start = run_end = run_to = 0

    def close_run() -> None:
        nonlocal run
        if run:
            out.pieces.append((run[0].source, run_start, run_end))
            out.moved.append((run, run_to - run_start))
            run = []

    def put(data: bytes) -> None:
        close_run()
        last = out.pieces[-1] if out.pieces else None
        if type(last) is bytearray and len(last) < PIECE:
            last += data
        else:
            out.pieces.append(bytearray(data))
        out.size += len(data)

    put(b"{")
    for n, (name, table) in enumerate(data.items()):
        put((b"," if n else b"") + _ENCODER.encode(name).encode("utf-8") + b":{")
        first = True
        for key, doc in table.items():
            if type(doc) is SpanDoc and doc.key == key and doc.source is source:
                if run and doc.start == run_end + 1:  # the next entry of the file: after a ","
                    run.append(doc)
                    out.size += doc.end - run_end
                    run_end = doc.end
                else:
                    if not first:
                        put(b",")
                    close_run()
                    run, run_start, run_end, run_to = [doc], doc.start, doc.end, out.size
                    out.size += doc.end - doc.start
            else:
                if not first:
                    put(b",")
                if type(doc) is EncodedDoc and doc.key == key:
                    entry = doc.entry
                else:
                    entry = entry_bytes(key, doc)
                out.placed.append((table, key, out.size, out.size + len(entry)))
                put(entry)
            first = False
        put(b"}")
    put(b"}")
    return out


def encode(data: Tables) -> bytes:
    return b"".join(
        bytes(p) if not isinstance(p, tuple) else p[0].read(p[1], p[2])
        for p in layout(data, None).pieces
    )


def _write_all(fd: int, data: bytes | bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _copy(span: Span, fd: int) -> None:
    """Append bytes [start, end) of a source to `fd`: in the kernel when it can."""
    source, offset, end = span
    while offset < end:
        if source.fd is not None:
            try:
                copied = os.copy_file_range(source.fd, fd, end - offset, offset)
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                    raise
            else:
                if copied == 0:
                    raise StoreError("the database file was cut short while sitboard had it open")
                offset += copied
                continue
        chunk = source.read(offset, min(end, offset + PIECE))
        _write_all(fd, chunk)
        offset += len(chunk)


def read_last_table(
    source: FileSource, size: int, name: str, limit: int = 64 << 20
) -> dict[str, Any] | None:
    """Document "1" of the table `name` when it is the file's last table and its only
    document, read from the end of the file (`size` bytes from `source`): the file then
    ends `,"<name>":{"1":{...}}}`. None when it is not there or not whole.

    Inside a JSON string every `"` is escaped, so `,"<name>":{"1":` can only be the
    structure itself; the document is then parsed and must end the file exactly.
    """
    marker = b"," + _ENCODER.encode(name).encode("utf-8") + b':{"1":'
    tail = 1 << 18
    while True:
        start = max(0, size - tail)
        chunk = source.read(start, size)
        at = chunk.rfind(marker)
        if at != -1:
            break
        if start == 0 or tail >= limit:
            return None
        tail *= 8
    try:
        text = chunk[at + len(marker) :].decode("utf-8")
        doc, end = json.JSONDecoder().raw_decode(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if type(doc) is not dict or text[end:].strip() != "}}":
        return None
    return doc


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


class Irregular(Exception):
    """The text is not laid out as a plain object of tables of documents."""


_SPACE = re.compile(r"[ \t\n\r]*")
# one table entry's opening: [,] "<digits>" :
_ENTRY = re.compile(r'[ \t\n\r]*(?:(,)[ \t\n\r]*)?"([0-9]+)"[ \t\n\r]*:[ \t\n\r]*')
_SCAN = json.JSONDecoder().scan_once


ScannedDoc = tuple[str, str | None, dict[str, Any], int, int]
LOOKAHEAD = 1 << 22  # characters decoded ahead of a file's scan: a document must fit in them
CHUNK = 1 << 23  # bytes read at a time


def scan_documents(text: str) -> Iterator[ScannedDoc]:
    """(table, document id, document, start, end) for each document of a database text, in
    file order, with one parse of the text; each table starts with an entry of document id
    None (so empty tables are seen too).

    [start, end) are the UTF-8 byte offsets of the document's table entry `"<id>":{...}`,
    so that a loaded document can stay in the file. Raises Irregular on anything but a
    plain object of tables of documents with unique numeric ids (the caller then takes the
    slow path, which explains what is wrong).
    """
    return _scan(iter((text,)))


def scan_file(source: FileSource, size: int) -> Iterator[ScannedDoc]:
    """scan_documents over the first `size` bytes of `source`, read and decoded a chunk at
    a time: neither the file's bytes nor its text are ever held whole (a document larger
    than LOOKAHEAD characters raises Irregular)."""

    def chunks() -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")()
        for start in range(0, size, CHUNK):
            end = min(size, start + CHUNK)
            yield decoder.decode(source.read(start, end), final=end == size)

    return _scan(chunks())


def _scan(chunks: Iterator[str]) -> Iterator[ScannedDoc]:
    text = next(chunks, "")
    ended = False
    done_chars = done_bytes = 0

    def byte_offset(chars: int) -> int:
        nonlocal done_chars, done_bytes
        done_bytes += len(text[done_chars:chars].encode("utf-8"))
        done_chars = chars
        return done_bytes

    def ahead(pos: int, need: int = LOOKAHEAD) -> int:
        """Make `need` characters after `pos` available (or all that are left), dropping
        those before `pos`; returns where `pos` is now."""
        nonlocal text, done_chars, ended
        if ended or len(text) - pos >= need:
            return pos
        byte_offset(pos)
        parts = [text[pos:]]
        have = len(parts[0])
        while have < need:
            piece = next(chunks, None)
            if piece is None:
                ended = True
                break
            parts.append(piece)
            have += len(piece)
        text = "".join(parts)
        done_chars = 0
        return 0

    def skip(pos: int) -> int:
        return _SPACE.match(text, pos).end()  # type: ignore[union-attr]

    def expect(pos: int, char: str) -> int:
        pos = skip(pos)
        if text[pos : pos + 1] != char:
            raise Irregular
        return pos + 1

    try:
        pos = expect(ahead(0), "{")
        names: set[str] = set()
        pos = skip(pos)
        while text[pos : pos + 1] != "}":
            if names:
                pos = skip(expect(pos, ","))
            if text[pos : pos + 1] != '"':
                raise Irregular
            name, pos = _SCAN(text, pos)
            if name in names:
                raise Irregular
            names.add(name)
            pos = expect(expect(pos, ":"), "{")
            yield name, None, {}, 0, 0
            ids: set[str] = set()
            first = True
            while True:
                pos = ahead(pos)
                entry = _ENTRY.match(text, pos)
                if entry is None:
                    pos = expect(pos, "}")
                    break
                if (entry.group(1) is None) != first:  # a comma between entries only
                    raise Irregular
                doc_id = entry.group(2)
                if doc_id in ids:
                    raise Irregular
                ids.add(doc_id)
                start = entry.start(2) - 1
                doc, end = _SCAN(text, entry.end())
                if type(doc) is not dict:
                    raise Irregular
                # since the last entry of a table: only ASCII (a comma, spaces, the id)
                begin = byte_offset(start) if first else done_bytes + start - done_chars
                done_bytes = begin + len(text[start:end].encode("utf-8"))
                done_chars = end
                yield name, doc_id, doc, begin, done_bytes
                pos = end
                first = False
            pos = skip(ahead(pos))
        pos = ahead(pos + 1, need=1 << 62)  # the rest of the file: only spaces
        if skip(pos) != len(text):
            raise Irregular
    except (StopIteration, ValueError, RecursionError, IndexError) as exc:
        raise Irregular from exc


def read_bytes(path: Path) -> bytes | None:
    """The bytes of the database `path`; None when the file does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError as exc:
        raise StoreError(f"{path} is a directory, not a database file") from exc
    except OSError as exc:
        raise StoreError(f"cannot read the database {path}: {exc.strerror or exc}") from exc


def read_file(path: Path) -> tuple[Tables, bytes] | None:
    """The decoded tables and raw bytes of `path`; None when the file does not exist."""
    raw = read_bytes(path)
    return None if raw is None else (decode(raw), raw)


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


def atomic_write(path: Path, raw: bytes | Sequence[Piece], *, keep_open: bool = False) -> int:
    """Replace `path` by `raw` (bytes, or pieces: bytes and spans of a source) atomically
    and durably; on error the old file is untouched. Returns the number of bytes written,
    or with `keep_open` a descriptor open for reading on the new file."""
    chunks: Sequence[Piece] = [raw] if isinstance(raw, bytes) else raw
    folder = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=folder)
    except OSError as exc:
        raise StoreError(
            f"cannot write the database {path}: {describe_os_error(exc, path)}"
        ) from exc
    tmp = Path(tmp_name)
    reader: int | None = None
    size = 0
    try:
        try:
            for chunk in chunks:
                if isinstance(chunk, tuple):
                    _copy(chunk, fd)
                    size += chunk[2] - chunk[1]
                else:
                    _write_all(fd, chunk)
                    size += len(chunk)
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777)
        if keep_open:
            reader = os.open(tmp, os.O_RDONLY)
        os.replace(tmp, path)
    except (OSError, StoreError) as exc:
        if reader is not None:
            os.close(reader)
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, StoreError):
            raise
        raise StoreError(
            f"cannot write the database {path}: {describe_os_error(exc, path)}"
        ) from exc
    fsync_dir(folder)
    return reader if reader is not None else size


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
    """The whole database in one UTF-8 JSON file, replaced atomically on every write.

    After each write every document is a SpanDoc of the new file: the database's contents
    stay on disk, and the next write copies what did not change.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        readonly: bool = False,
        initial: Tables | None = None,
        source: FileSource | None = None,
        on_write: Callable[[int], None] | None = None,
        last_table: str | None = None,
    ) -> None:
        super().__init__()
        self.last_table = last_table
        self.path = Path(path)
        self.readonly = readonly
        self._initial = initial
        self.source = source  # the file the initial documents are spans of
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
        plan = layout(data, self.source, self.last_table)
        reader = atomic_write(self.path, plan.pieces, keep_open=True)
        self.writes += 1
        self._settle(plan, reader)
        if self._on_write is not None:
            self._on_write(plan.size)

    def _settle(self, plan: Layout, reader: int) -> None:
        """Point every document at its place in the file just written (`reader`)."""
        source = self.source
        if source is None:
            source = self.source = FileSource()
        with source.lock:
            for docs, shift in plan.moved:
                if shift:
                    for doc in docs:
                        doc.start += shift
                        doc.end += shift
            source.repoint(reader)
        for table, key, start, end in plan.placed:
            table[key] = SpanDoc(key, source, start, end)

    def close(self) -> None:
        if self.source is not None:
            self.source.close()


class BatchingMiddleware(Middleware):
    """Keeps TinyDB's state in memory; only `flush()` writes, and only as one write.

    `snapshot()`/`restore()` let the store undo table operations whose write failed: TinyDB
    replaces a table's dict on every operation (it never edits the old one in place, as long
    as documents are not updated in place, which the store never does), so a shallow copy
    of the top-level dict is a complete snapshot. (A successful write does edit the tables
    in place: their documents become spans of the new file; no snapshot outlives that.)
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
            self.storage.write(self.cache)
            self.dirty = False

    def snapshot(self) -> tuple[Tables | None, bool]:
        return (None if self.cache is None else dict(self.cache)), self.dirty

    def restore(self, snapshot: tuple[Tables | None, bool]) -> None:
        self.cache, self.dirty = snapshot

    def close(self) -> None:
        # Unflushed changes are dropped on purpose: only a commit writes.
        self.storage.close()
