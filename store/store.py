"""The sitboard database: one TinyDB file, in-memory indexes, board views.

A `Store` is opened by one writer (an flock keeps others out) or by any number of readers
(`readonly=True`). Each `commit()` of a poll cycle's results is one atomic file write;
views are computed from in-memory indexes only, under a lock that a commit holds just long
enough to swap its (already written) changes in, so the UI thread never waits on the disk.

Each commit also writes the board it leaves (store/board.py): the resolved statuses, the
unfiltered view's headlines and claims, feeds and counts. A large file opens on that board
alone (the first paint needs nothing else) and `finish_loading()` reads the rest, in the
app's worker thread; until then, anything else waits for it. Statuses come from the board
when its stamp is current, so the resolver replays every claim only when a commit needs it.
Items loaded from the file keep their title and text there (store/records.py).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from sitboard.ingest.model import (
    BoardView,
    CityStatus,
    Claim,
    FeedResult,
    FeedState,
    Filters,
    Item,
    StatusChange,
)
from sitboard.ingest.profile import Profile
from sitboard.ingest.resolve import Resolver
from tinydb import TinyDB
from tinydb.table import Table

from . import serialize as ser
from .board import (
    BOARD_TABLE,
    HEADLINES,
    PER_SOURCE,
    Board,
    board_from_dict,
    board_to_dict,
    make_stamp,
)
from .errors import StoreError
from .index import Index, SearchKey, load_search_key, timestamp
from .loading import (
    SCHEMA_VERSION,
    Contents,
    DocId,
    LoadStopped,
    decode_contents,
    load,
    load_from,
    recover,
    refresh_backup,
)
from .lock import FileLock
from .storage import (
    AtomicJSONStorage,
    BatchingMiddleware,
    CorruptFile,
    FileSource,
    Tables,
    decode,
    read_last_table,
    remove_stale_temps,
)

NO_FILTERS = Filters()
HISTORY_IN_VIEW = 200
PRUNE_EVERY = timedelta(hours=1)  # retention at commit time runs at most this often
# A file this large opens on its board alone (the rest loads in finish_loading); a smaller
# one is read whole at open, which also checks every record before anything is shown.
LAZY_FROM = 4 << 20


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class CommitReport:
    """What one commit added: counts of new items and claims, and the status changes."""

    new_items: int = 0
    new_claims: int = 0
    changes: tuple[StatusChange, ...] = ()
    pruned_items: int = 0  # items dropped by retention during this commit
    warnings: tuple[str, ...] = ()  # problems that did not stop the commit (resolver errors)


class Store:
    """The local database. Create with `Store.open(...)`; close with `close()` or `with`."""

    def __init__(
        self,
        *,
        path: Path,
        profile: Profile | None,
        watch: Sequence[str],
        readonly: bool,
        db: TinyDB,
        middleware: BatchingMiddleware,
        lock: FileLock | None,
        retention_days: float | None,
        clock: Callable[[], datetime],
        search_key: SearchKey,
        notice: str | None,
    ) -> None:
        self.path = path
        self.profile = profile
        self.watch: tuple[str, ...] = tuple(watch)
        self.readonly = readonly
        self.retention_days = retention_days
        self.notice = notice  # what open() repaired, for the user; None when nothing
        self._db = db
        self._mw = middleware
        self._lock = lock
        self._clock = clock
        self._closed = False
        # Lock order: _commit_lock, then _index_lock. view() only takes _index_lock.
        self._commit_lock = threading.RLock()
        self._index_lock = threading.RLock()
        self._tables: dict[str, Table] = {
            name: db.table(name, cache_size=0)
            for name in ("meta", "feeds", "items", "claims", "history", BOARD_TABLE)
        }
        self._search_key = search_key
        self._index = Index(search_key)
        self._item_docs: dict[str, DocId] = {}
        self._claim_docs: dict[str, list[DocId]] = {}
        self._feeds: dict[str, FeedState] = {}
        self._feed_docs: dict[str, int] = {}
        self._history: list[StatusChange] = []
        self._history_by_city: dict[str, list[int]] = {}
        self._expired: set[str] = set()  # new items refused because retention drops them
        self._last_prune = clock()
        # Replayed from every claim only when a commit needs it (statuses come from the
        # board written with the last commit when it is current).
        self._resolver: Resolver | None = None
        self._status: dict[str, CityStatus] = {}
        # Until finish_loading() ran, a lazily opened store has only its board: the
        # unfiltered view, statuses, feeds and counts. Anything else waits for the load.
        self._board: Board | None = None
        self._loaded = True
        self._load_lock = threading.Lock()
        self._load_error: StoreError | None = None
        self._closing = False
        self._pending: tuple[FileSource, int] | None = None  # the file to load, its size
        self._source: FileSource | None = None  # the file the stored items are read from

    def _install(self, contents: Contents) -> None:
        """Make `contents` (the whole file, decoded) the store's data."""
        index = Index(self._search_key)
        index.add_items(contents.items)
        index.add_claims(contents.claims)
        history: list[StatusChange] = []
        by_city: dict[str, list[int]] = {}
        for change in contents.history:
            by_city.setdefault(change.city, []).append(len(history))
            history.append(change)
        with self._index_lock:
            self._index = index
            self._item_docs = contents.item_docs
            self._claim_docs = contents.claim_docs
            self._feeds = contents.feeds
            self._feed_docs = contents.feed_docs
            self._history = history
            self._history_by_city = by_city
            self._board = None
            self._loaded = True

    def _stored_board(self, doc: object) -> Board | None:
        """The board document if it is current for this store's data, profile and resolver."""
        if doc is None:
            return None
        try:
            board = board_from_dict(doc)  # type: ignore[arg-type]
        except (KeyError, ValueError, TypeError, AttributeError, IndexError):
            return None
        if board.status is None:
            return None
        stamp = make_stamp(
            SCHEMA_VERSION,
            self.profile,
            self.watch,
            len(self._index.items),
            self._index.claim_count,
        )
        return board if board.stamp.resolves_like(stamp) else None

    # -- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        profile: Profile | None = None,
        watch: Sequence[str] = (),
        *,
        readonly: bool = False,
        restore_backup: bool = False,
        start_fresh: bool = False,
        retention_days: float | None = None,
        clock: Callable[[], datetime] = _utcnow,
        lazy: bool | None = None,
    ) -> Store:
        """Open (or create) the database at `path`.

        With `lazy` (by default: for files of LAZY_FROM bytes or more) a database whose
        board (written by the last commit) is current opens on that board alone, and the
        rest is read by `finish_loading()`, which anything that needs it calls (or waits
        for). Damage to the records is then reported by that call, not by open().

        A damaged file raises StoreCorrupt and nothing is touched, unless `restore_backup`
        (put `<db>.bak` back, keeping the damaged file as `<db>.corrupt-<time>`) or
        `start_fresh` (keep the damaged file aside, start empty) is given. Another writer
        raises StoreLocked; `readonly` opens without the lock and never writes.
        """
        path = Path(path).expanduser().absolute()
        if path.is_symlink():  # write through the link: a rename would replace the link itself
            path = path.resolve()
        lock: FileLock | None = None
        if not readonly:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder {path.parent} for the database: "
                    f"{exc.strerror or exc}"
                ) from exc
            lock = FileLock(path)
            lock.acquire()
        try:
            return cls._open_locked(
                path,
                profile,
                watch,
                readonly=readonly,
                restore_backup=restore_backup,
                start_fresh=start_fresh,
                retention_days=retention_days,
                clock=clock,
                lock=lock,
                lazy=lazy,
            )
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @classmethod
    def _open_locked(
        cls,
        path: Path,
        profile: Profile | None,
        watch: Sequence[str],
        *,
        readonly: bool,
        restore_backup: bool,
        start_fresh: bool,
        retention_days: float | None,
        clock: Callable[[], datetime],
        lock: FileLock | None,
        lazy: bool | None = None,
    ) -> Store:
        notice: str | None = None
        created = False
        if not readonly:
            remove_stale_temps(path)
        # (a repair asked for must see the damage now: a lazy open would find it only later)
        if lazy is not False and retention_days is None and not (restore_backup or start_fresh):
            quick = cls._open_on_board(
                path, profile, watch, readonly=readonly, clock=clock, lock=lock, lazy=lazy
            )
            if quick is not None:
                return quick
        try:
            loaded = load(path)
        except CorruptFile as exc:
            loaded, notice = recover(
                path,
                str(exc),
                readonly=readonly,
                restore_backup=restore_backup,
                start_fresh=start_fresh,
                now=clock(),
            )
            created = loaded is None
        else:
            if loaded is None:
                if readonly:
                    raise StoreError(f"there is no database at {path} yet") from None
                created = True
            elif not readonly:
                # The file just read is good: it becomes the backup.
                try:
                    refresh_backup(path, loaded.raw)
                except StoreError as exc:
                    notice = f"could not refresh the backup: {exc}"
        tables, contents = (loaded.tables, loaded.contents) if loaded else ({}, Contents())
        source = loaded.source if loaded else None
        if source is not None:
            source.attach(path)  # the documents are read from the file, not kept in memory
        store = cls._assemble(
            path,
            profile,
            watch,
            readonly=readonly,
            lock=lock,
            retention_days=retention_days,
            clock=clock,
            notice=notice,
            source=None if readonly else source,
            initial=tables,
        )
        store._source = source
        try:
            store._install(contents)
            if created:
                store._tables["meta"].insert(
                    {"schema": SCHEMA_VERSION, "created": clock().isoformat()}
                )
            if retention_days is not None:
                store._prune_locked(clock() - timedelta(days=retention_days))
            if readonly:
                store._mw.read()  # take the loaded tables from the storage...
                store._mw.cache = {}  # ...and drop them: never written, the models suffice
            else:
                store._mw.flush()
            board = store._stored_board(contents.board)
            if board is not None and board.status is not None:
                store._status = dict(board.status)  # no replay: the resolver waits for a commit
            else:
                problems: list[str] = []
                store._rebuild_resolver(problems)
                if problems:
                    store.notice = "; ".join(filter(None, [store.notice, *problems]))
        except BaseException:
            store._db.close()
            raise
        return store

    @classmethod
    def _open_on_board(
        cls,
        path: Path,
        profile: Profile | None,
        watch: Sequence[str],
        *,
        readonly: bool,
        clock: Callable[[], datetime],
        lock: FileLock | None,
        lazy: bool | None,
    ) -> Store | None:
        """The store opened on the board at the end of the file, the rest left for
        finish_loading(); None when that cannot be (small file, no current board)."""
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return None  # the full open says what is wrong
        source = FileSource()
        source.fd = fd
        board: Board | None = None
        try:
            size = os.fstat(fd).st_size
            if lazy or size >= LAZY_FROM:
                doc = read_last_table(source, size, BOARD_TABLE)
                if doc is not None:
                    board = board_from_dict(doc)
        except (OSError, StoreError, KeyError, ValueError, TypeError, AttributeError, IndexError):
            board = None
        if (
            board is None
            or board.status is None
            or board.stamp.schema != SCHEMA_VERSION
            or board.stamp
            != make_stamp(SCHEMA_VERSION, profile, watch, board.stamp.items, board.stamp.claims)
        ):
            source.close()
            return None
        # The tables are handed to the storage once loaded: nothing reads them before.
        store = cls._assemble(
            path,
            profile,
            watch,
            readonly=readonly,
            lock=lock,
            retention_days=None,
            clock=clock,
            notice=None,
            source=source,
        )
        store._board = board
        store._status = dict(board.status)
        store._feeds = dict(board.feeds)
        store._loaded = False
        store._pending = (source, size)
        store._source = source
        return store

    def finish_loading(self) -> bool:
        """Read what a lazy open left in the file (the items, claims and history behind the
        board), for a worker thread right after the first paint. Safe to call from any
        thread, any number of times; every method that needs the data calls it (or waits
        for the call under way). Returns True when this call did the loading.

        Raises StoreCorrupt when the file turns out to be damaged (it then stays
        unchanged, and every later call that needs the data raises the same error)."""
        if self._loaded:
            return False
        with self._load_lock:
            if self._load_error is not None:
                raise self._load_error
            if self._loaded or self._closed:
                return False
            try:
                self._load_rest()
            except StoreError as exc:
                self._load_error = exc
                raise
            return self._loaded  # (False when a close stopped it)

    @property
    def loaded(self) -> bool:
        """False until everything a lazy open left for later is loaded."""
        return self._loaded

    def _ensure_loaded(self) -> None:
        if not self._loaded:
            self.finish_loading()
            if not self._loaded:
                raise StoreError(f"the database {self.path} is closed")

    def _load_rest(self) -> None:
        assert self._pending is not None and self._board is not None
        source, size = self._pending
        try:
            quick = load_from(source, size, self.path, lambda: self._closing)
        except LoadStopped:
            return  # closing: nothing is installed
        try:
            if quick is None:  # not plainly laid out, or damaged: the slow path says how
                raw = source.read(0, size)
                tables = decode(raw)
                contents = decode_contents(tables, self.path)
                del raw
            else:
                tables, contents = quick
        except CorruptFile as exc:
            # raises StoreCorrupt, with the advice an open of the damaged file gives
            recover(
                self.path,
                str(exc),
                readonly=self.readonly,
                restore_backup=False,
                start_fresh=False,
                now=self._clock(),
            )
            raise
        storage = self._storage()
        storage._initial = tables
        if self.readonly:
            self._mw.read()
            self._mw.cache = {}
        elif quick is None:
            storage.source = None  # (not spans of the file: written from memory)
        board = self._board
        self._install(contents)
        self._pending = None
        stamp = make_stamp(
            SCHEMA_VERSION, self.profile, self.watch, len(contents.items), len(contents.claims)
        )
        if not board.stamp.resolves_like(stamp):
            # the board does not match the data after all (edited by hand?): replay
            problems: list[str] = []
            self._rebuild_resolver(problems)
            self._add_notice(problems)
        if not self.readonly:
            try:
                refresh_backup(self.path, [(source, 0, size)])
            except StoreError as exc:
                self._add_notice([f"could not refresh the backup: {exc}"])

    def _add_notice(self, problems: Sequence[str]) -> None:
        if problems:
            self.notice = "; ".join(filter(None, [self.notice, *problems]))

    @classmethod
    def _assemble(
        cls,
        path: Path,
        profile: Profile | None,
        watch: Sequence[str],
        *,
        readonly: bool,
        lock: FileLock | None,
        retention_days: float | None,
        clock: Callable[[], datetime],
        notice: str | None,
        source: FileSource | None,
        initial: Tables | None = None,
    ) -> Store:
        """The store over a TinyDB on this project's storage and middleware."""
        middleware = BatchingMiddleware(AtomicJSONStorage)
        db = TinyDB(
            path,
            storage=middleware,
            readonly=readonly,
            initial=initial,
            source=source,
            last_table=BOARD_TABLE,
        )
        return cls(
            path=path,
            profile=profile,
            watch=watch,
            readonly=readonly,
            db=db,
            middleware=middleware,
            lock=lock,
            retention_days=retention_days,
            clock=clock,
            search_key=load_search_key(),
            notice=notice,
        )

    def close(self) -> None:
        self._closing = True  # a load under way stops soon (and close waits for it)
        with self._commit_lock, self._load_lock:
            if self._closed:
                return
            self._closed = True
            self._db.close()
            if self._source is not None:
                self._source.close()
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def writes(self) -> int:
        """Completed file writes since open (the storage's own count)."""
        return self._storage().writes

    def _storage(self) -> AtomicJSONStorage:
        storage = self._mw.storage
        assert isinstance(storage, AtomicJSONStorage)
        return storage

    # -- reads -----------------------------------------------------------------------------

    def feed_states(self) -> dict[str, FeedState]:
        with self._index_lock:
            return dict(self._feeds)

    def seen(self, item_id: str) -> bool:
        self._ensure_loaded()
        return self._index.has_item(item_id) or item_id in self._expired

    def item(self, item_id: str) -> Item | None:
        if not self._loaded:
            with self._index_lock:
                board = self._board
                if board is not None and item_id in board.items:
                    return board.items[item_id]
            self._ensure_loaded()
        with self._index_lock:
            return self._index.item(item_id)

    def claims_for_item(self, item_id: str) -> tuple[Claim, ...]:
        self._ensure_loaded()
        with self._index_lock:
            return self._index.claims_for_item(item_id)

    def history(self, city: str) -> tuple[StatusChange, ...]:
        """The stored status changes of `city`, oldest first."""
        self._ensure_loaded()
        with self._index_lock:
            return tuple(self._history[n] for n in self._history_by_city.get(city, ()))

    def status(self, city: str) -> CityStatus:
        with self._index_lock:
            return self._status.get(city) or _unknown(city)

    def city_counts(self) -> list[tuple[str, int]]:
        self._ensure_loaded()
        with self._index_lock:
            return self._index.city_counts()

    def source_counts(self) -> list[tuple[str, int]]:
        self._ensure_loaded()
        with self._index_lock:
            return self._index.source_counts()

    def counts(self) -> dict[str, int]:
        with self._index_lock:
            board = self._board
            if board is not None:
                return {
                    "items": board.stamp.items,
                    "claims": board.stamp.claims,
                    "feeds": len(self._feeds),
                    "history": board.history_count,
                }
            return {
                "items": len(self._index.items),
                "claims": self._index.claim_count,
                "feeds": len(self._feeds),
                "history": len(self._history),
            }

    def prepare_search(self) -> None:
        """Compute the text search keys now instead of on the first text search (they are
        not computed at open: that is most of opening a large store). For a worker thread,
        after the first paint: it holds the index lock one block of records at a time, so
        views go on meanwhile. (It loads the store first if a lazy open left that to do.)"""
        self._ensure_loaded()
        with self._index_lock:
            steps = self._index.unprepared()
        for step in steps:
            with self._index_lock:
                step()

    def view(
        self, filters: Filters = NO_FILTERS, *, headlines: int = 100, claims_per_source: int = 50
    ) -> BoardView:
        """The board narrowed by `filters`, from memory only; safe from any thread. Before
        a lazy open's load is done, the unfiltered board comes from the stored board (the
        same view) and any other waits for the load."""
        if not self._loaded:
            if not filters.active and headlines <= HEADLINES and claims_per_source <= PER_SOURCE:
                with self._index_lock:
                    board = self._board
                    if board is not None:
                        return self._board_view(board, headlines, claims_per_source)
            self._ensure_loaded()
        with self._index_lock:
            cities = self._shown_cities(filters)
            status = tuple(self._status.get(c) or _unknown(c) for c in cities)
            claims = self._index.claims_by_source(filters, claims_per_source)
            heads = self._index.headlines(filters, headlines)
            feeds = tuple(sorted(self._feeds.values(), key=lambda s: s.name))
            history = self._newest_history(cities)
        return BoardView(
            generated=self._clock(),
            filters=filters,
            status=status,
            claims_by_source=claims,
            headlines=heads,
            feeds=feeds,
            history=history,
        )

    def _board_view(self, board: Board, headlines: int, claims_per_source: int) -> BoardView:
        per_source = max(0, claims_per_source)
        return BoardView(
            generated=self._clock(),
            filters=NO_FILTERS,
            status=tuple(self._status.get(c) or _unknown(c) for c in self.watch),
            claims_by_source=tuple((s, shown[:per_source]) for s, _, shown in board.sources),
            headlines=board.headlines[: max(0, headlines)],
            feeds=tuple(sorted(self._feeds.values(), key=lambda s: s.name)),
            history=board.history[:HISTORY_IN_VIEW],
        )

    def _newest_history(
        self, cities: Sequence[str], added: Sequence[StatusChange] = ()
    ) -> tuple[StatusChange, ...]:
        """The newest HISTORY_IN_VIEW changes of `cities`, newest first, counting `added`
        as if appended to the history."""
        changes = self._history
        base = len(changes)
        shown = [n for c in cities for n in self._history_by_city.get(c, ())]
        shown += [base + k for c in cities for k, change in enumerate(added) if change.city == c]

        def change(n: int) -> StatusChange:
            return changes[n] if n < base else added[n - base]

        shown.sort(key=lambda n: (timestamp(change(n).at), n), reverse=True)
        return tuple(change(n) for n in shown[:HISTORY_IN_VIEW])

    def _shown_cities(self, filters: Filters) -> list[str]:
        if not filters.cities:
            return list(self.watch)
        watched = [c for c in self.watch if c in filters.cities]
        return watched + sorted(filters.cities - set(self.watch))

    # -- writes ----------------------------------------------------------------------------

    def commit(self, results: Sequence[FeedResult]) -> CommitReport:
        """Store one poll cycle's results with one atomic write.

        Items already stored (by id) and their claims are skipped. On a write error
        (read-only folder, full disk) nothing is applied, in memory or on disk, and a
        StoreError is raised; the next commit starts again from the last written state.
        """
        self._check_writable()
        with self._commit_lock:
            self._check_writable()
            self._ensure_loaded()
            return self._commit_locked(results, prune_before=self._due_prune_cutoff())

    def prune(self, before: datetime) -> int:
        """Drop items published (else fetched) before `before`, with their claims; keep
        status history. One write. Returns the number of items dropped."""
        self._check_writable()
        with self._commit_lock:
            self._check_writable()
            self._ensure_loaded()
            return self._commit_locked((), prune_before=before).pruned_items

    def _check_writable(self) -> None:
        if self._closed:
            raise StoreError(f"the database {self.path} is closed")
        if self.readonly:
            raise StoreError(f"the database {self.path} is open read-only; nothing was saved")

    def _due_prune_cutoff(self) -> datetime | None:
        if self.retention_days is None:
            return None
        now = self._clock()
        if now - self._last_prune < PRUNE_EVERY:
            return None
        return now - timedelta(days=self.retention_days)

    def _commit_locked(
        self, results: Sequence[FeedResult], *, prune_before: datetime | None
    ) -> CommitReport:
        index = self._index
        new_items: dict[str, Item] = {}
        expired: set[str] = set()
        cutoff = prune_before.timestamp() if prune_before is not None else None
        if cutoff is None and self.retention_days is not None:
            cutoff = (self._clock() - timedelta(days=self.retention_days)).timestamp()
        for result in results:
            for item in result.items:
                if index.has_item(item.id) or item.id in new_items:
                    continue
                if cutoff is not None and item.when.timestamp() < cutoff:
                    expired.add(item.id)
                    continue
                new_items[item.id] = item
        new_claims: dict[str, Claim] = {}
        for result in results:
            for claim in result.claims:
                if claim.item in new_items and claim.id not in new_claims:
                    new_claims[claim.id] = claim
        states: dict[str, FeedState] = {}
        for result in results:
            states[result.state.name] = result.state
        prune_ids = (
            index.items_older_than(prune_before.timestamp()) if prune_before is not None else []
        )
        if not (new_items or states or prune_ids):
            self._expired |= expired
            return CommitReport()

        def when(claim: Claim) -> float:
            if claim.when is not None:
                return claim.when.timestamp()
            return new_items[claim.item].when.timestamp()

        ordered_claims = sorted(new_claims.values(), key=when)
        snapshot = self._mw.snapshot()
        resolver_touched = False
        replacement: Resolver | None = None  # after pruning: a resolver without the dropped
        status: dict[str, CityStatus] | None = None
        warnings: list[str] = []
        try:
            item_ids = self._insert("items", [ser.item_to_dict(i) for i in new_items.values()])
            claim_ids = self._insert("claims", [ser.claim_to_dict(c) for c in ordered_claims])
            old_feed_docs = [self._feed_docs[n] for n in states if n in self._feed_docs]
            if old_feed_docs:
                self._tables["feeds"].remove(doc_ids=old_feed_docs)
            feed_ids = self._insert("feeds", [ser.feed_state_to_dict(s) for s in states.values()])
            dropped_claim_docs: list[int] = []
            if prune_ids:
                self._tables["items"].remove(doc_ids=[int(self._item_docs[i]) for i in prune_ids])
                for item_id in prune_ids:
                    dropped_claim_docs.extend(map(int, self._claim_docs.get(item_id, ())))
                if dropped_claim_docs:
                    self._tables["claims"].remove(doc_ids=dropped_claim_docs)
            resolver_touched = True
            try:
                changes = tuple(self._ensure_resolver().add(ordered_claims))
            except Exception as exc:  # a resolver bug must not stop news from being stored
                changes = ()
                warnings.append(f"status resolution failed ({type(exc).__name__}: {exc})")
            if not warnings:
                # the statuses after this commit, written with it
                resolver = self._resolver
                if prune_ids:
                    replacement = self._replay_without(set(prune_ids), ordered_claims, warnings)
                    resolver = replacement
                if resolver is not None and not warnings:
                    status = self._compute_status(warnings, resolver)
            board = self._board_after(
                new_items, ordered_claims, [when(c) for c in ordered_claims], prune_ids
            )
            self._tables[BOARD_TABLE].truncate()
            self._tables[BOARD_TABLE].insert(
                board_to_dict(
                    board(
                        {**self._feeds, **states},
                        self._newest_history(self.watch, changes),
                        len(self._history) + len(changes),
                        status,
                    )
                )
            )
            self._insert("history", [ser.change_to_dict(c) for c in changes])
            self._mw.flush()
        except BaseException:
            self._mw.restore(snapshot)
            for table in self._tables.values():
                table.clear_cache()
                table._next_id = None  # TinyDB recomputes it from the restored table
            if resolver_touched:
                self._resolver = None  # replayed from the stored claims when next needed
            raise

        # Written: now make it visible.
        for item_id, doc_id in zip(new_items, item_ids, strict=True):
            self._item_docs[item_id] = doc_id
        for claim, doc_id in zip(ordered_claims, claim_ids, strict=True):
            self._claim_docs.setdefault(claim.item, []).append(doc_id)
        for name, doc_id in zip(states, feed_ids, strict=True):
            self._feed_docs[name] = doc_id
        for item_id in prune_ids:
            self._item_docs.pop(item_id, None)
            self._claim_docs.pop(item_id, None)
        # Statuses with the items and claims, so a view sees them together.
        with self._index_lock:
            index.add_items(new_items.values())
            index.add_claims(ordered_claims)
            if prune_ids:
                index.remove_items(prune_ids)
            self._feeds.update(states)
            self._append_history(changes)
            self._expired |= expired
            if status is not None:
                self._status = status
        if replacement is not None and status is not None:
            self._resolver = replacement
        if prune_before is not None:
            self._last_prune = self._clock()
        if status is None:
            self._rebuild_resolver(warnings)
        return CommitReport(
            new_items=len(new_items),
            new_claims=len(ordered_claims),
            changes=changes,
            pruned_items=len(prune_ids),
            warnings=tuple(dict.fromkeys(warnings)),
        )

    def _ensure_resolver(self) -> Resolver:
        """The resolver, replaying every stored claim first if that was not done yet."""
        if self._resolver is None:
            with self._index_lock:
                claims = self._index.all_claims()
            resolver = Resolver(self.profile)
            resolver.add(claims)
            self._resolver = resolver
        return self._resolver

    def _replay_without(
        self, removed: set[str], added: Sequence[Claim], warnings: list[str]
    ) -> Resolver | None:
        """A new resolver of the stored claims but those of `removed` items, plus `added`."""
        kept = [c for c in self._index.all_claims() if c.item not in removed]
        resolver = Resolver(self.profile)
        try:
            resolver.add(kept)
            resolver.add(added)
        except Exception as exc:
            warnings.append(f"status resolution failed ({type(exc).__name__}: {exc})")
            return None
        return resolver

    def _board_after(
        self,
        new_items: dict[str, Item],
        claims: Sequence[Claim],
        times: Sequence[float],
        prune_ids: Sequence[str],
    ) -> Callable[
        [dict[str, FeedState], tuple[StatusChange, ...], int, dict[str, CityStatus] | None],
        Board,
    ]:
        """The board as it will be once this commit is applied (it is written with it), as
        a function of the feeds, history and statuses after the commit."""
        index = self._index
        removed = set(prune_ids)
        heads = index.headlines_after(new_items.values(), removed, HEADLINES)
        sources = index.sources_after(list(zip(times, claims, strict=True)), removed, PER_SOURCE)
        items = {item.id: item for item in heads}
        for _, _, shown in sources:
            for claim in shown:
                if claim.when is None and claim.item not in items:
                    found = new_items.get(claim.item) or index.item(claim.item)
                    if found is not None:
                        items[found.id] = found
        dropped = sum(len(index.claims_for_item(i)) for i in removed)
        stamp = make_stamp(
            SCHEMA_VERSION,
            self.profile,
            self.watch,
            len(index.items) + len(new_items) - len(removed),
            index.claim_count + len(claims) - dropped,
        )

        def board(
            feeds: dict[str, FeedState],
            history: tuple[StatusChange, ...],
            history_count: int,
            status: dict[str, CityStatus] | None,
        ) -> Board:
            return Board(
                stamp=stamp,
                status=status,
                headlines=tuple(heads),
                sources=tuple(sources),
                items=items,
                feeds=feeds,
                history=history,
                history_count=history_count,
            )

        return board

    def _insert(self, table: str, docs: list[dict[str, Any]]) -> list[int]:
        # An empty insert would still rebuild the whole table inside TinyDB.
        return self._tables[table].insert_multiple(docs) if docs else []

    def _prune_locked(self, before: datetime) -> None:
        """Retention at open time: drop old items from the tables and the index (no write)."""
        prune_ids = self._index.items_older_than(before.timestamp())
        if not prune_ids:
            return
        self._tables["items"].remove(doc_ids=[int(self._item_docs.pop(i)) for i in prune_ids])
        claim_docs = [int(d) for i in prune_ids for d in self._claim_docs.pop(i, ())]
        if claim_docs:
            self._tables["claims"].remove(doc_ids=claim_docs)
        self._index.remove_items(prune_ids)
        self._tables[BOARD_TABLE].truncate()  # it shows what was just dropped

    def _append_history(self, changes: Iterable[StatusChange]) -> None:
        for change in changes:
            self._history_by_city.setdefault(change.city, []).append(len(self._history))
            self._history.append(change)

    def _rebuild_resolver(self, warnings: list[str] | None = None) -> None:
        """Feed every stored claim, in time order, to a new resolver (at open when the
        stored board is not current, after retention dropped claims, after a resolver
        error)."""
        with self._index_lock:
            claims = self._index.all_claims()
        resolver = Resolver(self.profile)
        try:
            resolver.add(claims)
        except Exception as exc:
            if warnings is None:
                raise
            # keep the previous resolver and statuses: stale beats empty
            warnings.append(f"status resolution failed ({type(exc).__name__}: {exc})")
            return
        self._resolver = resolver
        self._refresh_status(warnings)

    def _compute_status(
        self, warnings: list[str] | None, resolver: Resolver | None = None
    ) -> dict[str, CityStatus] | None:
        resolver = resolver or self._ensure_resolver()
        try:
            cities = dict.fromkeys((*self.watch, *resolver.cities()))
            return {c: resolver.status(c) for c in cities}
        except Exception as exc:
            if warnings is None:
                raise
            warnings.append(f"status resolution failed ({type(exc).__name__}: {exc})")
            return None

    def _refresh_status(self, warnings: list[str] | None = None) -> None:
        status = self._compute_status(warnings)
        if status is not None:
            with self._index_lock:
                self._status = status


def _unknown(city: str) -> CityStatus:
    return CityStatus(city=city, state="unknown", since=None, confidence=0.0, disputed=False)
