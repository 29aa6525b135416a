"""Items loaded from the file keep their title and text there: they are read back whole
(and right) after later commits rewrote and moved them, after a prune, while another
thread reads them during commits, and by the search keys."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sitboard.ingest.model import Filters, Item
from sitboard.ingest.profile import load_profile
from sitboard.store import Store
from sitboard.store.records import StoredItem
from test_store_board import fill, news, same
from test_store_support import T0, WATCH, result

PROFILE = load_profile("syria")


@pytest.mark.parametrize("lazy", [True, False])
def test_stored_items_read_back_after_commits_and_a_prune(tmp_path: Path, lazy: bool) -> None:
    db = tmp_path / "db.json"
    items, _ = fill(db, rounds=3)
    by_id: dict[str, Item] = {i.id: i for i in items}
    with Store.open(db, PROFILE, WATCH, lazy=lazy) as store:
        store.finish_loading()
        records = store._index.items
        assert all(type(r) is StoredItem for r in records.values())  # no text in memory
        for n in range(3):
            more, more_claims = news(10_000 + 100 * n, 25, seed=50 + n)
            store.commit([result(more, more_claims, feed=f"Feed {n}")])
            by_id.update((i.id, i) for i in more)
            assert {i: store.item(i) for i in by_id} == by_id
        dropped = store.prune(T0)
        assert dropped
        kept = {i: it for i, it in by_id.items() if store.item(i) is not None}
        assert len(kept) == len(by_id) - dropped
        assert all(it.when >= T0 for it in kept.values())
        assert {i: store.item(i) for i in kept} == kept
        after = store.view(headlines=1000)
    with Store.open(db, PROFILE, WATCH, lazy=lazy) as store:
        assert same(store.view(headlines=1000), after)
        assert {i: store.item(i) for i in kept} == kept


def test_items_read_from_another_thread_during_commits(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    items, _ = fill(db, rounds=2)
    with Store.open(db, PROFILE, WATCH, lazy=True) as store:
        store.finish_loading()
        done = threading.Event()
        wrong: list[str] = []
        reads = 0

        def reader() -> None:
            nonlocal reads
            while not done.is_set():
                for it in items[::7]:
                    if store.item(it.id) != it:
                        wrong.append(it.id)
                    reads += 1

        thread = threading.Thread(target=reader)
        thread.start()
        try:
            for n in range(15):
                more, more_claims = news(20_000 + 50 * n, 20, seed=n)
                store.commit([result(more, more_claims, feed=f"Feed {n % 3}")])
        finally:
            done.set()
            thread.join()
        assert reads and not wrong


def test_search_keys_of_stored_items(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    fill(db, rounds=2)
    needle = Filters(text="body 1")
    with Store.open(db, PROFILE, WATCH) as store:
        expected = store.view(needle, headlines=500)
    assert len(expected.headlines) > 10
    with Store.open(db, PROFILE, WATCH, lazy=True) as store:
        store.prune(T0)  # drops records whose keys were never computed
        store.prepare_search()
        got = store.view(needle, headlines=500)
        assert all(h.when >= T0 for h in got.headlines)
        assert [h for h in expected.headlines if h.when >= T0] == list(got.headlines)
