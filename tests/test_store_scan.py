"""Scanning a database file a chunk at a time gives exactly what scanning its whole text
gives: the same documents at the same byte offsets, whatever the chunk boundaries split
(Arabic characters across two reads included)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sitboard.ingest.profile import load_profile
from sitboard.store import Store, storage
from test_store_support import WATCH, batch, item, result

PROFILE = load_profile("syria")


def make(db: Path) -> bytes:
    with Store.open(db, PROFILE, WATCH) as store:
        store.commit([batch(0, 30)])
        arabic = [item(100 + n, title="قوات المعارضة تدخل مدينة حماة " * (n + 1)) for n in range(9)]
        store.commit([result(arabic, feed="Feed B")])
    return db.read_bytes()


def scanned(db: Path, size: int) -> list:
    fd = os.open(db, os.O_RDONLY)
    source = storage.FileSource()
    source.fd = fd
    try:
        return list(storage.scan_file(source, size))
    finally:
        source.close()


@pytest.mark.parametrize(("chunk", "lookahead"), [(7, 20_000), (1000, 25_000), (1 << 20, 1 << 22)])
def test_chunks_scan_like_the_whole_text(tmp_path: Path, monkeypatch, chunk, lookahead) -> None:
    db = tmp_path / "db.json"
    raw = make(db)
    whole = list(storage.scan_documents(raw.decode("utf-8")))
    monkeypatch.setattr(storage, "CHUNK", chunk)
    monkeypatch.setattr(storage, "LOOKAHEAD", lookahead)
    got = scanned(db, len(raw))
    assert got == whole
    assert len([d for d in got if d[1] is not None]) > 60
    for _, doc_id, _, start, end in got:
        if doc_id is not None:
            assert raw[start:end].startswith(f'"{doc_id}":'.encode())


def test_a_document_longer_than_the_lookahead_is_irregular(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "db.json"
    raw = make(db)
    monkeypatch.setattr(storage, "CHUNK", 16)
    monkeypatch.setattr(storage, "LOOKAHEAD", 40)
    with pytest.raises(storage.Irregular):
        scanned(db, len(raw))


@pytest.mark.parametrize("cut", [1, 2, 50])
def test_a_cut_file_is_irregular(tmp_path: Path, monkeypatch, cut: int) -> None:
    db = tmp_path / "db.json"
    raw = make(db)
    monkeypatch.setattr(storage, "CHUNK", 100)
    monkeypatch.setattr(storage, "LOOKAHEAD", 30_000)
    with pytest.raises(storage.Irregular):
        scanned(db, len(raw) - cut)
