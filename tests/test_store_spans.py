"""Stored documents stay in the file: after open and after each commit the store holds where
each document is, not the document, and every write still produces the complete database."""

from __future__ import annotations

import json
from pathlib import Path

from sitboard.ingest.profile import load_profile
from sitboard.store import Store, storage
from sitboard.store.storage import SpanDoc
from test_store_support import WATCH, batch

PROFILE = load_profile("syria")


def documents(store: Store) -> list[object]:
    tables = store._mw.cache or store._storage()._initial or {}
    return [doc for table in tables.values() for doc in table.values()]


def test_documents_are_spans_of_the_file_after_open_and_after_commits(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    with Store.open(db, PROFILE, WATCH) as store:
        store.commit([batch(0, 4)])
        assert all(type(doc) is SpanDoc for doc in documents(store))
    with Store.open(db, PROFILE, WATCH) as store:
        assert documents(store) and all(type(doc) is SpanDoc for doc in documents(store))
        store.commit([batch(10, 3, feed="Feed B", source="sohr")])
        store.commit([batch(20, 2)])
        docs = documents(store)
        assert all(type(doc) is SpanDoc for doc in docs)
        on_disk = json.loads(db.read_text(encoding="utf-8"))
        held = {
            name: {key: dict(doc) for key, doc in table.items()}
            for name, table in store._mw.cache.items()
        }
        assert held == on_disk
        assert store.counts()["items"] == 9
    with Store.open(db, PROFILE, WATCH) as store:
        assert store.counts()["items"] == 9 and store.seen("item-21")


def test_a_file_laid_out_differently_opens_and_is_rewritten_complete(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    with Store.open(db, PROFILE, WATCH) as store:
        store.commit([batch(0, 3)])
    data = json.loads(db.read_text(encoding="utf-8"))
    db.write_text(json.dumps(data, indent=4, ensure_ascii=True), encoding="utf-8")  # TinyDB's way
    with Store.open(db, PROFILE, WATCH) as store:
        assert store.counts()["items"] == 3
        store.commit([batch(5, 2)])
    again = json.loads(db.read_text(encoding="utf-8"))
    assert {d["id"] for d in again["items"].values()} == {f"item-{n}" for n in (0, 1, 2, 5, 6)}
    for name, table in data.items():
        for key, doc in table.items():
            if name not in ("feeds", "board"):  # rewritten by each commit
                assert again[name][key] == doc


def test_a_commit_encodes_only_its_own_documents(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "db.json"
    with Store.open(db, PROFILE, WATCH) as store:
        store.commit([batch(0, 60)])
    encoded: list[str] = []
    real = storage.entry_bytes

    def counting(key: str, doc: object) -> bytes:
        encoded.append(key)
        return real(key, doc)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "entry_bytes", counting)
    with Store.open(db, PROFILE, WATCH) as store:
        store.commit([batch(100, 2)])
        # 2 items, 2 claims, the feed's state, the board, maybe a status change: not the
        # 120 stored
        assert 5 <= len(encoded) <= 9
        encoded.clear()
        store.commit([batch(200, 1)])
        assert 3 <= len(encoded) <= 6
    on_disk = json.loads(db.read_text(encoding="utf-8"))
    assert len(on_disk["items"]) == 63 and len(on_disk["claims"]) == 63
