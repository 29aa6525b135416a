"""The store on real TinyDB files: create, dedup, feed states, one write per commit,
corruption and recovery, locking, read-only modes, write failures and retention."""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sitboard.ingest.model import Filters
from sitboard.ingest.profile import load_profile
from sitboard.store import Store, StoreCorrupt, StoreError, StoreLocked
from test_store_support import T0, WATCH, batch, claim, item, result

PROFILE = load_profile("syria")


def open_store(db: Path, **kwargs) -> Store:
    return Store.open(db, PROFILE, WATCH, **kwargs)


def stored_ids(db: Path) -> set[str]:
    data = json.loads(db.read_text(encoding="utf-8"))
    return {doc["id"] for doc in data["items"].values()}


# -- creating and committing -----------------------------------------------------------------


def test_open_creates_folder_and_a_valid_file(tmp_path: Path) -> None:
    db = tmp_path / "deep" / "er" / "sitboard.json"
    with open_store(db) as store:
        assert store.path == db and not store.readonly and store.watch == WATCH
        assert store.counts() == {"items": 0, "claims": 0, "feeds": 0, "history": 0}
    data = json.loads(db.read_text(encoding="utf-8"))
    assert [d["schema"] for d in data["meta"].values()] == [1]


def test_commit_reports_and_persists(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    with open_store(db) as store:
        report = store.commit([batch(0, 3), batch(100, 2, feed="Feed B", source="sohr")])
        assert (report.new_items, report.new_claims) == (5, 5)
        assert store.seen("item-0") and store.seen("item-101") and not store.seen("item-7")
    assert stored_ids(db) == {"item-0", "item-1", "item-2", "item-100", "item-101"}
    with open_store(db) as store:
        assert store.counts()["items"] == 5 and store.counts()["claims"] == 5
        assert store.seen("item-2")


def test_dedup_across_polls_and_restarts(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    first = batch(0, 4)
    with open_store(db) as store:
        assert store.commit([first]).new_items == 4
        again = store.commit([first])
        assert (again.new_items, again.new_claims) == (0, 0)
    with open_store(db) as store:
        overlap = batch(2, 4)  # items 2, 3 are stored already; 4, 5 are new
        report = store.commit([first, overlap])
        assert (report.new_items, report.new_claims) == (2, 2)
        assert store.counts() == {"items": 6, "claims": 6, "feeds": 1, "history": 1}
    data = json.loads(db.read_text(encoding="utf-8"))
    ids = [doc["id"] for doc in data["items"].values()]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 6
    assert len(data["claims"]) == 6


def test_same_item_twice_in_one_batch_is_stored_once(tmp_path: Path) -> None:
    a = item(1)
    with open_store(tmp_path / "db.json") as store:
        report = store.commit([result([a], [claim(a)]), result([a], [claim(a)], feed="Feed B")])
        assert (report.new_items, report.new_claims) == (1, 1)


def test_feed_states_persist_including_errors(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    ok = result([item(1)], etag='"v1"')
    failing = result(feed="Broken", outcome="error", error="HTTP 503 Service Unavailable")
    with open_store(db) as store:
        store.commit([ok, failing])
        newer = result(feed="Broken", outcome="error", error="timed out after 20 s")
        store.commit([newer])
        states = store.feed_states()
    assert states["Feed A"] == ok.state
    assert states["Broken"] == newer.state
    with open_store(db) as store:
        assert store.feed_states() == states
        assert store.counts()["feeds"] == 2


def test_one_write_per_commit(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    with open_store(db) as store:
        store.commit([batch(0, 1)])
        for round_ in range(3):
            before_writes = store.writes
            before_stat = db.stat()
            results = [batch(1000 * (round_ + 1) + 50 * f, 30, feed=f"Feed {f}") for f in range(4)]
            report = store.commit(results)
            assert report.new_items == 120
            assert store.writes == before_writes + 1
            after_stat = db.stat()
            assert (after_stat.st_ino, after_stat.st_mtime_ns) != (
                before_stat.st_ino,
                before_stat.st_mtime_ns,
            )
        # Nothing new and no feed state: no write at all.
        before = store.writes
        assert store.commit([]).new_items == 0
        assert store.writes == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


# -- damaged files ---------------------------------------------------------------------------


def make_db(db: Path, start: int = 0, count: int = 3) -> None:
    with open_store(db) as store:
        store.commit([batch(start, count)])


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: b"\xff\xfe" + raw, id="not-utf8"),
        pytest.param(lambda raw: b"[1, 2, 3]", id="not-an-object"),
        pytest.param(
            lambda raw: raw.replace(b'"fetched":"', b'"fetched":"garbage'), id="bad-record"
        ),
    ],
)
def test_corrupt_file_raises_and_moves_nothing(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    db = tmp_path / "db.json"
    make_db(db)
    bad = damage(db.read_bytes())
    db.write_bytes(bad)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(StoreCorrupt) as err:
        open_store(db)
    assert err.value.path == db and err.value.moved_to is None
    assert "--restore-backup" in str(err.value) and "--start-fresh" in str(err.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert db.read_bytes() == bad
    # The lock was released: a second attempt fails the same way, not with StoreLocked.
    with pytest.raises(StoreCorrupt):
        open_store(db)


def test_restore_backup_brings_back_the_last_good_file(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    make_db(db, 0, 3)
    with open_store(db) as store:  # this open saved the 3-item file as the backup
        store.commit([batch(10, 2)])
    damaged = db.read_bytes()[:-40]
    db.write_bytes(damaged)
    with pytest.raises(StoreCorrupt) as err:
        open_store(db)
    assert err.value.backup == db.with_name("db.json.bak")
    with open_store(db, restore_backup=True) as store:
        assert store.counts()["items"] == 3
        assert store.notice is not None and "restored" in store.notice
        store.commit([batch(20, 1)])
    kept = list(tmp_path.glob("db.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert stored_ids(db) == {"item-0", "item-1", "item-2", "item-20"}


def test_restore_backup_without_a_good_backup_refuses(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    make_db(db)  # a new file: no backup yet
    db.write_bytes(b'{"items": {"1": ')
    with pytest.raises(StoreCorrupt) as err:
        open_store(db, restore_backup=True)
    assert "there is no usable backup" in str(err.value) and "--start-fresh" in str(err.value)
    assert db.read_bytes() == b'{"items": {"1": ' and not list(tmp_path.glob("*.corrupt-*"))


def test_start_fresh_keeps_the_bad_file_aside(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    make_db(db)
    db.write_bytes(b"{ not json")
    with open_store(db, start_fresh=True) as store:
        assert store.counts()["items"] == 0
        assert store.notice is not None and "empty" in store.notice
        store.commit([batch(5, 1)])
    kept = list(tmp_path.glob("db.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"{ not json"
    assert stored_ids(db) == {"item-5"}


def test_newer_schema_is_refused_without_touching_it(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    db.write_text('{"meta": {"1": {"schema": 99}}}', encoding="utf-8")
    with pytest.raises(StoreError, match="newer sitboard"):
        open_store(db, start_fresh=True)
    assert db.read_text(encoding="utf-8") == '{"meta": {"1": {"schema": 99}}}'


# -- locking and read-only opens ---------------------------------------------------------------

HOLDER = """
import sys
from sitboard.store import Store
store = Store.open(sys.argv[1], None, ("hama",))
print("ready", flush=True)
sys.stdin.read()
store.close()
"""


def test_second_writer_is_locked_out_and_readonly_still_works(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    make_db(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLocked) as err:
            open_store(db)
        assert err.value.pid == holder.pid and str(holder.pid) in str(err.value)
        with open_store(db, readonly=True) as reader:
            assert reader.readonly and reader.counts()["items"] == 3
            assert len(reader.view().headlines) == 3
            with pytest.raises(StoreError, match="read-only"):
                reader.commit([batch(50, 1)])
            with pytest.raises(StoreError, match="read-only"):
                reader.prune(T0)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
    with open_store(db) as store:  # the lock went with the holder
        assert store.commit([batch(50, 1)]).new_items == 1


def test_open_twice_in_one_process_is_locked(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    with open_store(db), pytest.raises(StoreLocked, match=str(os.getpid())):
        open_store(db)
    with open_store(db):
        pass


def test_readonly_never_writes_or_creates(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    with pytest.raises(StoreError, match="no database"):
        open_store(db, readonly=True)
    assert list(tmp_path.iterdir()) == []
    make_db(db)
    names = sorted(p.name for p in tmp_path.iterdir())
    stamp = db.stat().st_mtime_ns
    with open_store(db, readonly=True, retention_days=1) as reader:
        assert reader.counts()["items"] == 0  # retention applies in memory only
    assert db.stat().st_mtime_ns == stamp and sorted(p.name for p in tmp_path.iterdir()) == names
    assert len(stored_ids(db)) == 3


def test_closed_store_refuses_commits(tmp_path: Path) -> None:
    store = open_store(tmp_path / "db.json")
    store.close()
    store.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        store.commit([batch(0, 1)])


# -- write failures: nothing half-applied --------------------------------------------------------


def in_child(fn: Callable[[Path], None], folder: Path) -> None:
    """Run `fn(folder)` in a forked child, as an unprivileged user when we are root (root
    ignores folder permissions); re-raise its failure here."""
    ctx = multiprocessing.get_context("fork")
    errors = ctx.SimpleQueue()

    def target() -> None:
        try:
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            fn(folder)
        except BaseException:
            errors.put(traceback.format_exc())
            os._exit(1)
        os._exit(0)

    proc = ctx.Process(target=target)
    proc.start()
    proc.join(60)
    if proc.exitcode != 0:
        message = errors.get() if not errors.empty() else f"exit code {proc.exitcode}"
        pytest.fail(f"child failed:\n{message}")


@pytest.fixture
def shared_folder():
    folder = Path(tempfile.mkdtemp(prefix="sitboard-store-"))
    if os.geteuid() == 0:
        os.chown(folder, 65534, 65534)
    try:
        yield folder
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder, ignore_errors=True)


def check_failed_commit_left_nothing(store: Store, db: Path, failing, message: str) -> None:
    before_view = store.view()
    before_counts = store.counts()
    before_states = store.feed_states()
    before_file = db.read_bytes()
    with pytest.raises(StoreError, match=message):
        store.commit(failing)
    assert store.counts() == before_counts
    assert store.feed_states() == before_states
    after_view = store.view()
    assert after_view.headlines == before_view.headlines
    assert after_view.claims_by_source == before_view.claims_by_source
    assert after_view.status == before_view.status
    assert not store.seen(failing[0].items[0].id)
    assert db.read_bytes() == before_file
    assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]


def _readonly_folder_scenario(folder: Path) -> None:
    db = folder / "db.json"
    store = open_store(db)
    store.commit([batch(0, 2)])
    os.chmod(folder, 0o555)
    failing = [batch(10, 3), result(feed="Feed B", outcome="error", error="boom")]
    check_failed_commit_left_nothing(store, db, failing, "no permission")
    os.chmod(folder, 0o755)
    report = store.commit(failing)  # the same results succeed once the folder is writable
    assert (report.new_items, report.new_claims) == (3, 3)
    assert store.feed_states()["Feed B"].last_error == "boom"
    store.close()
    assert stored_ids(db) == {f"item-{n}" for n in (0, 1, 10, 11, 12)}


def test_read_only_folder_on_commit(shared_folder: Path) -> None:
    in_child(_readonly_folder_scenario, shared_folder)


def _full_disk_scenario(folder: Path) -> None:
    db = folder / "db.json"
    store = open_store(db)
    store.commit([batch(0, 2)])
    size = db.stat().st_size
    # A file size limit makes the write fail part-way, as a full disk does.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 200, hard))
    big = [item(n, minutes=n, text="نص طويل " * 200) for n in range(10, 20)]
    check_failed_commit_left_nothing(
        store, db, [result(big, [claim(i) for i in big])], "cannot write the database"
    )
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert store.commit([result(big, [claim(i) for i in big])]).new_items == 10
    store.close()
    assert len(stored_ids(db)) == 12


def test_full_disk_on_commit(shared_folder: Path) -> None:
    in_child(_full_disk_scenario, shared_folder)


# -- retention -------------------------------------------------------------------------------


def test_retention_at_open_drops_old_items_and_claims_keeps_history(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    old = [item(n, minutes=n) for n in range(3)]  # around T0
    new = [item(n, minutes=60 * 24 * 10 + n) for n in range(3, 5)]  # ten days later
    with open_store(db) as store:
        changes = store.commit([result(old + new, [claim(i) for i in old + new])]).changes
        assert changes
    now = T0 + timedelta(days=12)
    with open_store(db, retention_days=7, clock=lambda: now) as store:
        assert store.counts()["items"] == 2 and store.counts()["claims"] == 2
        assert store.item("item-0") is None and store.claims_for_item("item-0") == ()
        assert store.history("hama") == changes
        assert [i.id for i in store.view().headlines] == ["item-4", "item-3"]
        found = store.view(Filters(text="headline"))  # the text index forgot them too
        assert [i.id for i in found.headlines] == ["item-4", "item-3"]
        assert [c.item for _, cs in found.claims_by_source for c in cs] == ["item-4", "item-3"]
        assert store.view(Filters(text="headline 1")).headlines == ()
    assert stored_ids(db) == {"item-3", "item-4"}
    assert len(json.loads(db.read_text(encoding="utf-8"))["claims"]) == 2


def test_prune_and_commit_time_retention(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    clock = [T0 + timedelta(days=3)]
    with open_store(db, retention_days=2, clock=lambda: clock[0]) as store:
        too_old = item(1, minutes=-60)  # older than the two days kept: refused, but seen
        fresh = item(2, minutes=60 * 24 * 2)
        report = store.commit([result([too_old, fresh], [claim(too_old), claim(fresh)])])
        assert (report.new_items, report.new_claims) == (1, 1)
        assert store.seen(too_old.id) and store.item(too_old.id) is None
        assert store.prune(T0 + timedelta(days=5)) == 1
        assert store.counts()["items"] == 0 and store.counts()["claims"] == 0
        assert store.view(Filters(cities=frozenset({"hama"}))).headlines == ()
    assert stored_ids(db) == set()


# -- a failing resolver does not stop storage ---------------------------------------------------


def test_resolver_errors_are_reported_not_fatal(tmp_path: Path, monkeypatch) -> None:
    import sitboard.store.store as store_module

    class Flaky(store_module.Resolver):  # the real resolver, failing on one city
        def add(self, claims):
            claims = list(claims)
            if any(c.city == "idlib" for c in claims):
                raise RuntimeError("boom")
            return super().add(claims)

    monkeypatch.setattr(store_module, "Resolver", Flaky)
    db = tmp_path / "db.json"
    with open_store(db) as store:
        good = store.commit([batch(0, 2)])
        assert good.warnings == () and store.status("hama").state == "gov"
        bad_item = item(9, places=("idlib",))
        report = store.commit([result([bad_item], [claim(bad_item, city="idlib")])])
        assert report.new_items == 1 and report.new_claims == 1
        assert report.warnings and "boom" in report.warnings[0]
        assert store.seen(bad_item.id)
        assert store.status("hama").state == "gov"  # the last good statuses stay
    with open_store(db) as store:  # opening still works, and says what went wrong
        assert store.counts()["items"] == 3
        assert store.notice is not None and "boom" in store.notice


def test_readonly_open_of_a_damaged_file_repairs_nothing(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    make_db(db)
    db.write_bytes(b'{"items": ')
    for flags in ({}, {"restore_backup": True}, {"start_fresh": True}):
        with pytest.raises(StoreCorrupt, match="read-only"):
            open_store(db, readonly=True, **flags)
    assert db.read_bytes() == b'{"items": ' and not list(tmp_path.glob("*.corrupt-*"))


def _readonly_folder_at_open(folder: Path) -> None:
    db = folder / "db.json"
    make_db(db)
    os.chmod(folder, 0o555)
    try:
        # The lock file is still there from before: the store opens, but cannot save
        with open_store(db) as store:
            assert store.notice is not None and "backup" in store.notice
            with pytest.raises(StoreError, match="no permission"):
                store.commit([batch(10, 1)])
            assert store.counts()["items"] == 3
        os.chmod(folder, 0o755)
        (folder / "db.json.lock").unlink()
        os.chmod(folder, 0o555)
        # Without it, even the lock cannot be taken; read-only opening still works
        with pytest.raises(StoreError, match="lock file"):
            open_store(db)
        with open_store(db, readonly=True) as reader:
            assert reader.counts()["items"] == 3
    finally:
        os.chmod(folder, 0o755)


def test_read_only_folder_at_open(shared_folder: Path) -> None:
    in_child(_readonly_folder_at_open, shared_folder)


def test_open_removes_only_its_own_stale_temporary_files(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    make_db(db)
    ours = [".db.json.hk569vao.tmp", ".db.json.bak.abcdefgh.tmp"]
    others = [".db.json.x.json.abcdefgh.tmp", ".other.json.abcdefgh.tmp", "notes.tmp"]
    for name in ours + others:
        (tmp_path / name).write_text("partial")
    with open_store(db):
        pass
    left = {p.name for p in tmp_path.iterdir()}
    assert not left & set(ours) and set(others) <= left


def test_a_symlinked_database_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "data" / "sitboard.json"
    make_db(real)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with open_store(link) as store:
        assert store.commit([batch(40, 1)]).new_items == 1
    assert link.is_symlink() and stored_ids(real) == {"item-0", "item-1", "item-2", "item-40"}


def test_an_unchanged_database_is_not_copied_to_the_backup_again(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    with open_store(db) as store:
        store.commit([batch(0, 3)])
    with open_store(db):  # the committed file becomes the backup
        pass
    bak = db.with_name("db.json.bak")
    first = bak.stat()
    assert bak.read_bytes() == db.read_bytes()
    with open_store(db):  # nothing changed since: the backup is left as it is
        pass
    assert bak.stat().st_ino == first.st_ino
    with open_store(db) as store:
        store.commit([batch(10, 2)])
    with open_store(db):  # changed: copied again
        pass
    assert bak.stat().st_ino != first.st_ino
    assert bak.read_bytes() == db.read_bytes()
