"""Board views from the in-memory indexes: filters by city, source (actor or outlet), text
(with Arabic normalisation), combined; status rows for every watched city; caps; counts."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sitboard.ingest.model import Filters
from sitboard.ingest.profile import load_profile
from sitboard.store import Store
from test_store_support import WATCH, batch, claim, item, result

PROFILE = load_profile("syria")

A = item(
    "a",
    minutes=0,
    feed="BBC",
    outlet="BBC Arabic",
    title="قوات المعارضة تدخل مدينة حماه",
    places=("hama",),
)
B = item(
    "b", minutes=10, feed="AJ", outlet="Al Jazeera", title="اشتباكات في حلب", places=("aleppo",)
)
C = item(
    "c",
    minutes=20,
    feed="SANA feed",
    outlet="SANA",
    title="الجيش السوري يعيد الانتشار خارج حماة",
    text="وأكدت القيادة العامة أن الوحدات العسكرية في إدلب ثابتة",
    places=("hama", "idlib"),
)
D = item("d", minutes=30, feed="AJ", outlet="Al Jazeera", title="Idlib calm", places=("idlib",))
E = item(
    "e", minutes=40, feed="BBC", outlet="BBC Arabic", title="المعارضة في حلب", places=("aleppo",)
)

CLAIMS = {
    "opp-hama": claim(A, "opposition", state="opp", kind="entry"),
    "sohr-aleppo": claim(B, "sohr", city="aleppo", state="contested", kind="fighting"),
    "army-hama": claim(
        C, "syrian-army", state="opp", kind="withdrawal", stance="admit", evidence=C.title
    ),
    "sana-idlib": claim(C, "sana", city="idlib", state="gov", kind="hold", evidence=C.text),
    "opp-aleppo": claim(E, "opposition", city="aleppo", state="opp", kind="capture"),
}


@pytest.fixture
def store(tmp_path: Path):
    db = tmp_path / "db.json"
    with Store.open(db, PROFILE, WATCH) as s:
        s.commit([result([A, B, C, D, E], list(CLAIMS.values()))])
    with Store.open(db, PROFILE, WATCH) as s:  # views come from indexes rebuilt at open
        yield s


def ids(items) -> list[str]:
    return [i.id.removeprefix("item-") for i in items]


def grouped(view) -> list[tuple[str, list[str]]]:
    return [
        (source, [c.item.removeprefix("item-") for c in cs]) for source, cs in view.claims_by_source
    ]


def test_unfiltered_view(store: Store) -> None:
    view = store.view()
    assert [s.city for s in view.status] == list(WATCH)
    assert ids(view.headlines) == ["e", "d", "c", "b", "a"]
    # most claims first, then by id; each newest first
    assert grouped(view) == [
        ("opposition", ["e", "a"]),
        ("sana", ["c"]),
        ("sohr", ["b"]),
        ("syrian-army", ["c"]),
    ]
    assert [f.name for f in view.feeds] == ["Feed A"]
    assert view.filters == Filters()


def test_status_rows_for_every_watched_city_even_without_claims(tmp_path: Path) -> None:
    watch = ("hama", "homs", "aleppo")
    with Store.open(tmp_path / "db.json", PROFILE, watch) as s:
        s.commit([result([A], [CLAIMS["opp-hama"]])])
        rows = s.view().status
        assert [r.city for r in rows] == ["hama", "homs", "aleppo"]
        assert rows[1].state == "unknown" and rows[1].support == () and rows[1].since is None
        assert rows[0].state == "opp"
        # a city filter outside the watch list still gets its row
        rows = s.view(Filters(cities=frozenset({"palmyra", "hama"}))).status
        assert [r.city for r in rows] == ["hama", "palmyra"]


def test_city_filter_narrows_status_claims_and_headlines(store: Store) -> None:
    view = store.view(Filters(cities=frozenset({"hama"})))
    assert [s.city for s in view.status] == ["hama"]
    assert ids(view.headlines) == ["c", "a"]
    assert grouped(view) == [("opposition", ["a"]), ("syrian-army", ["c"])]
    assert {c.city for _, cs in view.claims_by_source for c in cs} == {"hama"}
    assert all(ch.city == "hama" for ch in view.history)


def test_source_filter_by_actor(store: Store) -> None:
    view = store.view(Filters(sources=frozenset({"syrian-army"})))
    assert grouped(view) == [("syrian-army", ["c"])]
    assert ids(view.headlines) == ["c"]  # the items in which this actor speaks
    assert [s.city for s in view.status] == list(WATCH)  # status rows are per city


@pytest.mark.parametrize("name", ["Al Jazeera", "al jazeera", "AJ"])
def test_source_filter_by_outlet_or_feed_name(store: Store, name: str) -> None:
    view = store.view(Filters(sources=frozenset({name})))
    assert ids(view.headlines) == ["d", "b"]
    assert grouped(view) == [("sohr", ["b"])]


def test_text_filter_uses_the_search_key(store: Store) -> None:
    # "حماة" (taa marbuta) finds "حماه" in A when the Arabic search key is available;
    # with plain casefolding it finds C's spelling only.
    view = store.view(Filters(text="حماة"))
    assert "c" in ids(view.headlines)
    key = store._index.key  # the key the store uses, to know which reading applies
    if key("حماه") == key("حماة"):
        assert ids(view.headlines) == ["c", "a"]
        assert grouped(view) == [("opposition", ["a"]), ("syrian-army", ["c"])]
    # claims match on their evidence sentence
    view = store.view(Filters(text="القيادة العامة"))
    assert grouped(view) == [("sana", ["c"])]
    assert ids(view.headlines) == ["c"]
    assert ids(store.view(Filters(text="IDLIB")).headlines) == ["d"]
    nothing = store.view(Filters(text="zzz-nowhere"))
    assert nothing.headlines == () and nothing.claims_by_source == ()


def test_combined_filters_intersect(store: Store) -> None:
    view = store.view(Filters(cities=frozenset({"hama"}), sources=frozenset({"SANA"})))
    assert ids(view.headlines) == ["c"]
    assert grouped(view) == [("syrian-army", ["c"])]  # published by SANA, about Hama
    view = store.view(
        Filters(cities=frozenset({"aleppo"}), sources=frozenset({"opposition"}), text="حلب")
    )
    assert ids(view.headlines) == ["e"]
    assert grouped(view) == [("opposition", ["e"])]
    view = store.view(Filters(cities=frozenset({"idlib"}), sources=frozenset({"BBC Arabic"})))
    assert view.headlines == () and view.claims_by_source == ()


def test_caps_on_headlines_and_claims_per_source(store: Store) -> None:
    view = store.view(headlines=2, claims_per_source=1)
    assert ids(view.headlines) == ["e", "d"]
    assert grouped(view)[0] == ("opposition", ["e"])
    filtered = store.view(Filters(cities=frozenset({"aleppo"})), headlines=1, claims_per_source=1)
    assert ids(filtered.headlines) == ["e"]
    assert store.view(headlines=0).headlines == ()


def test_history_newest_first_for_shown_cities(store: Store) -> None:
    view = store.view()
    assert view.history, "the resolver reported changes for these claims"
    times = [ch.at for ch in view.history]
    assert times == sorted(times, reverse=True)
    assert {ch.city for ch in view.history} <= set(WATCH)
    hama = store.history("hama")
    assert hama and [ch.at for ch in hama] == sorted(ch.at for ch in hama)  # oldest first


def test_counts(store: Store) -> None:
    assert store.counts() == {"items": 5, "claims": 5, "feeds": 1, "history": len(store._history)}
    cities = dict(store.city_counts())
    assert cities["hama"] == 2 + 2 and cities["aleppo"] == 2 + 2 and cities["idlib"] == 2 + 1
    assert store.city_counts()[0][1] >= store.city_counts()[-1][1]
    sources = dict(store.source_counts())
    assert sources["opposition"] == 2 and sources["Al Jazeera"] == 2 and sources["SANA"] == 1
    assert store.claims_for_item("item-c") == (CLAIMS["army-hama"], CLAIMS["sana-idlib"])
    assert store.item("item-zzz") is None and store.claims_for_item("item-zzz") == ()


def test_view_from_another_thread_during_commits(tmp_path: Path) -> None:
    """The UI thread reads views while a worker commits; every view is self-consistent."""
    with Store.open(tmp_path / "db.json", PROFILE, WATCH) as s:
        stop = threading.Event()
        problems: list[str] = []

        def reader() -> None:
            while not stop.is_set():
                view = s.view(headlines=1000, claims_per_source=1000)
                shown = {i.id for i in view.headlines}
                for _, claims in view.claims_by_source:
                    for c in claims:
                        if c.item not in shown:
                            problems.append(f"claim of {c.item} without its item")
                if len(view.headlines) % 10:
                    problems.append(f"half a commit visible: {len(view.headlines)} items")

        thread = threading.Thread(target=reader)
        thread.start()
        try:
            for n in range(30):
                s.commit([batch(10 * n, 10)])
        finally:
            stop.set()
            thread.join()
        assert problems == []
        assert len(s.view(headlines=1000).headlines) == 300


def test_prepared_search_keys_give_the_same_views(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    with Store.open(db, load_profile("syria"), WATCH) as store:
        store.commit([batch(0, 5), batch(10, 3, feed="Feed B", source="sohr")])
    filters = Filters(text="headline 1")
    with Store.open(db, load_profile("syria"), WATCH) as lazy:
        expected = lazy.view(filters)
    with Store.open(db, load_profile("syria"), WATCH) as prepared:
        prepared.prepare_search()
        assert prepared._index.unprepared() == []
        got = prepared.view(filters)
    assert [i.id for i in got.headlines] == [i.id for i in expected.headlines]
    assert {i.id for i in got.headlines} == {"item-1", "item-10", "item-11", "item-12"}
