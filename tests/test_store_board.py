"""The board each commit writes: statuses used at open instead of a replay (and equal to
one), a stale stamp falls back to the replay, a lazy open shows the same unfiltered board
before and after finish_loading, and everything else waits for (or runs) the load."""

from __future__ import annotations

import json
import random
import threading
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sitboard.ingest import resolve
from sitboard.ingest.model import BoardView, Claim, Filters, Item
from sitboard.ingest.profile import load_profile
from sitboard.store import Store, StoreCorrupt, StoreError
from sitboard.store import board as board_module
from sitboard.store import store as store_module
from test_store_support import T0, WATCH, claim, item, result

PROFILE = load_profile("syria")
CITIES = ("hama", "aleppo", "idlib", "homs")
SOURCES = ("sana", "syrian-army", "opposition", "sohr")
STATES = ("gov", "opp", "contested")


def news(start: int, count: int, seed: int) -> tuple[list[Item], list[Claim]]:
    """Items out of time order (some undated), each with claims about one or two cities
    (some without a time of their own)."""
    rng = random.Random(seed)
    items, claims = [], []
    for n in range(start, start + count):
        city = rng.choice(CITIES)
        published = None if n % 17 == 0 else T0 + timedelta(minutes=rng.randint(-3000, 3000))
        it = item(
            n,
            feed=rng.choice(("Feed A", "Feed B")),
            outlet=rng.choice(("Outlet A", "Outlet B")),
            text=f"body {n}",
            places=(city,),
            published=published,
        )
        items.append(it)
        for k in range(rng.randint(1, 2)):
            c = claim(
                it,
                rng.choice(SOURCES),
                city=city if k == 0 else rng.choice(CITIES),
                state=rng.choice(STATES),
                kind=rng.choice(("capture", "hold", "loss")),
                stance=rng.choice(("assert", "admit", "allege")),
                evidence=f"sentence {n}.{k}",
                confidence=rng.choice((0.5, 0.8, 0.95)),
            )
            if n % 11 == 0:
                c = replace(c, when=None)
            claims.append(c)
    return items, claims


def fill(db: Path, rounds: int = 4, per_round: int = 90) -> tuple[list[Item], list[Claim]]:
    everything: tuple[list[Item], list[Claim]] = ([], [])
    with Store.open(db, PROFILE, WATCH) as store:
        for r in range(rounds):
            items, claims = news(r * per_round, per_round, seed=r)
            half = len(items) // 2
            ids = {i.id for i in items[:half]}
            store.commit(
                [
                    result(items[:half], [c for c in claims if c.item in ids]),
                    result(items[half:], [c for c in claims if c.item not in ids], feed="Feed B"),
                ]
            )
            everything[0].extend(items)
            everything[1].extend(claims)
    return everything


def replayed_status(store: Store, claims: list[Claim], cities=CITIES) -> dict:
    resolver = resolve.Resolver(PROFILE)
    resolver.add(claims)
    return {c: resolver.status(c) for c in cities}


def same(a: BoardView, b: BoardView) -> bool:
    return replace(a, generated=None) == replace(b, generated=None)


class CountingResolver(resolve.Resolver):
    replays = 0

    def add(self, claims):  # type: ignore[override]
        CountingResolver.replays += 1
        return super().add(claims)


@pytest.fixture
def counting(monkeypatch) -> type[CountingResolver]:
    CountingResolver.replays = 0
    monkeypatch.setattr(store_module, "Resolver", CountingResolver)
    return CountingResolver


def test_open_uses_the_stored_statuses_and_they_equal_a_replay(tmp_path: Path, counting) -> None:
    db = tmp_path / "db.json"
    _, claims = fill(db)
    counting.replays = 0
    with Store.open(db, PROFILE, WATCH) as store:
        assert counting.replays == 0  # no replay at open
        assert {c: store.status(c) for c in CITIES} == replayed_status(store, claims)
        before = store.view()
        # the first commit replays once, and its changes are the replay's
        items, more = news(1000, 20, seed=99)
        report = store.commit([result(items, more)])
        assert counting.replays >= 1
        assert {c: store.status(c) for c in CITIES} == replayed_status(store, claims + more)
        assert report.new_items == 20
        assert store.view() != before
    with Store.open(db, PROFILE, WATCH) as store:
        assert {c: store.status(c) for c in CITIES} == replayed_status(store, claims + more)


@pytest.mark.parametrize("stale", ["resolver", "profile", "counts", "damaged"])
def test_a_board_that_is_not_current_is_replayed(
    tmp_path: Path, counting, monkeypatch, stale: str
) -> None:
    db = tmp_path / "db.json"
    _, claims = fill(db, rounds=2)
    if stale == "resolver":
        monkeypatch.setattr(board_module, "resolver_digest", lambda: "other rules")
    profile = PROFILE
    if stale == "profile":
        profile = replace(PROFILE, name="another")
    data = json.loads(db.read_text(encoding="utf-8"))
    if stale in ("counts", "damaged"):
        board = data["board"]["1"]
        if stale == "counts":
            board["stamp"]["claims"] += 1
        else:
            board["status"] = "garbage"
        db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    counting.replays = 0
    for lazy in (True, None):
        with Store.open(db, profile, WATCH, lazy=lazy) as store:
            store.finish_loading()
            assert counting.replays >= 1
            assert {c: store.status(c) for c in CITIES} == replayed_status(store, claims)
        counting.replays = 0


def test_a_lazy_open_shows_the_same_board_before_and_after_loading(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    _, claims = fill(db)
    with Store.open(db, PROFILE, WATCH) as store:
        expected = store.view()
        expected_counts = store.counts()
        small = store.view(headlines=7, claims_per_source=3)
    with Store.open(db, PROFILE, WATCH, lazy=True) as store:
        assert not store.loaded
        assert len(expected.headlines) == 100 and len(expected.claims_by_source) == len(SOURCES)
        assert same(store.view(), expected)
        assert same(store.view(headlines=7, claims_per_source=3), small)
        assert store.counts() == expected_counts
        assert store.feed_states() == {s.name: s for s in expected.feeds}
        # headlines (and items of undated claims) without the load
        shown = expected.headlines[0]
        assert store.item(shown.id) == shown
        assert not store.loaded
        assert store.finish_loading() is True
        assert store.loaded and store.finish_loading() is False
        assert same(store.view(), expected)
        assert store.counts() == expected_counts
        assert {c: store.status(c) for c in CITIES} == replayed_status(store, claims)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.view(Filters(cities=frozenset({"homs"}))),
        lambda s: s.view(headlines=500),
        lambda s: s.item("item-3"),
        lambda s: s.claims_for_item("item-3"),
        lambda s: s.seen("item-3"),
        lambda s: s.history("hama"),
        lambda s: s.city_counts(),
        lambda s: s.source_counts(),
        lambda s: s.prepare_search(),
    ],
)
def test_anything_but_the_board_loads_first(tmp_path: Path, call) -> None:
    db = tmp_path / "db.json"
    fill(db, rounds=2)
    with Store.open(db, PROFILE, WATCH) as store:
        expected = call(store)
    with Store.open(db, PROFILE, WATCH, lazy=True) as store:
        assert not store.loaded
        got = call(store)
        assert store.loaded
        if isinstance(got, BoardView):
            assert same(got, expected)
        else:
            assert got == expected


def test_commits_after_a_lazy_open_and_the_next_open(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    items, claims = fill(db, rounds=3)
    more_items, more_claims = news(5000, 40, seed=7)
    with Store.open(db, PROFILE, WATCH, lazy=True) as store:
        report = store.commit([result(more_items, more_claims)])  # loads, then commits
        assert report.new_items == 40
        after = store.view()
        texts = {i.id: store.item(i.id).text for i in items + more_items}  # type: ignore[union-attr]
    assert texts == {i.id: i.text for i in items + more_items}
    with Store.open(db, PROFILE, WATCH, lazy=True) as store:
        assert not store.loaded
        assert same(store.view(), after)
        store.finish_loading()
        assert same(store.view(), after)
        assert store.counts()["items"] == len(items) + 40
        assert {c: store.status(c) for c in CITIES} == replayed_status(store, claims + more_claims)


def test_views_and_commits_while_another_thread_loads(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    fill(db, rounds=3)
    more_items, more_claims = news(7000, 30, seed=3)
    hama = Filters(cities=frozenset({"hama"}))
    with Store.open(db, PROFILE, WATCH) as store:
        expected_hama = store.view(hama)
    with Store.open(db, PROFILE, WATCH, lazy=True) as store:
        start = threading.Barrier(4)
        out: dict[str, object] = {}
        errors: list[BaseException] = []

        def run(name, call) -> None:
            start.wait()
            try:
                out[name] = call()
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [
            threading.Thread(target=run, args=("load", store.finish_loading)),
            threading.Thread(target=run, args=("hama", lambda: store.view(hama))),
            threading.Thread(
                target=run,
                args=("commit", lambda: store.commit([result(more_items, more_claims)])),
            ),
        ]
        for t in threads:
            t.start()
        start.wait()
        board = store.view()  # never waits: the board, or the loaded store
        for t in threads:
            t.join()
        assert not errors
        assert out["commit"].new_items == 30  # type: ignore[attr-defined]
        # the filtered view waited for the load, and came before or after the commit
        hama_view = out["hama"]
        assert isinstance(hama_view, BoardView)
        assert same(hama_view, expected_hama) or same(hama_view, store.view(hama))
        assert board.headlines
        final = store.view()
        assert store.counts()["items"] == 270 + 30
    with Store.open(db, PROFILE, WATCH) as store:
        assert same(store.view(), final)


def test_damage_behind_the_board_is_reported_by_the_load(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    fill(db, rounds=2)
    with Store.open(db, PROFILE, WATCH):  # makes the backup
        pass
    bad = db.read_bytes().replace(b'"fetched":"', b'"fetched":"garbage', 1)
    db.write_bytes(bad)
    with Store.open(db, PROFILE, WATCH, lazy=True) as store:
        assert store.view().headlines  # the board still shows
        with pytest.raises(StoreCorrupt) as err:
            store.finish_loading()
        assert "--restore-backup" in str(err.value)
        with pytest.raises(StoreCorrupt):
            store.view(Filters(cities=frozenset({"hama"})))
        with pytest.raises(StoreError):
            store.commit([result([item(9999)])])
    assert db.read_bytes() == bad
    # the advice works: a repair asked for is never a lazy open (that would not see the damage)
    with Store.open(db, PROFILE, WATCH, restore_backup=True, lazy=True) as store:
        assert store.loaded
        assert store.counts()["items"] == 180


def test_a_truncated_file_is_refused_at_a_lazy_open(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    fill(db, rounds=2)
    raw = db.read_bytes()
    db.write_bytes(raw[:-30])
    with pytest.raises(StoreCorrupt):
        Store.open(db, PROFILE, WATCH, lazy=True)
    assert db.read_bytes() == raw[:-30]


def test_the_board_after_a_prune_is_the_view(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    _, claims = fill(db, rounds=3)
    with Store.open(db, PROFILE, WATCH) as store:
        dropped = store.prune(T0)
        assert dropped > 0
        expected = store.view()
        kept = [c for c in claims if store.item(c.item) is not None]
        assert {c: store.status(c) for c in CITIES} == replayed_status(store, kept)
    with Store.open(db, PROFILE, WATCH, lazy=True) as store:
        assert not store.loaded
        assert same(store.view(), expected)
        store.finish_loading()
        assert same(store.view(), expected)
        assert {c: store.status(c) for c in CITIES} == replayed_status(store, kept)


def test_another_watch_list_does_not_open_on_the_board(tmp_path: Path, counting) -> None:
    db = tmp_path / "db.json"
    _, claims = fill(db, rounds=2)
    counting.replays = 0
    with Store.open(db, PROFILE, ("homs", "hama"), lazy=True) as store:
        assert store.loaded  # the board's history is of other cities: a full open
        assert counting.replays == 0  # the statuses still hold
        assert store.view().status[0] == replayed_status(store, claims)["homs"]


def test_closing_stops_a_load_under_way(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "db.json"
    fill(db, rounds=2)
    real = store_module.load_from
    started = threading.Event()

    def load_from(source, size, path, stop):
        def slow_stop() -> bool:
            started.set()
            while not stop():  # the load stays under way until close() asks it to stop
                threading.Event().wait(0.01)
            return True

        return real(source, size, path, slow_stop)

    monkeypatch.setattr(store_module, "load_from", load_from)
    store = Store.open(db, PROFILE, WATCH, lazy=True)
    out: list[object] = []
    loader = threading.Thread(target=lambda: out.append(store.finish_loading()))
    loader.start()
    assert started.wait(10)
    store.close()  # waits for the load, which stops
    loader.join()
    assert out == [False] and store.closed and not store.loaded
    with pytest.raises(StoreError, match="closed"):
        store.view(Filters(cities=frozenset({"hama"})))
