"""Every model type survives dict -> JSON -> dict exactly, through a real store file too."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st
from sitboard.ingest.model import CityStatus, FeedState, Filters, StatusChange
from sitboard.store import Store
from sitboard.store import serialize as ser
from test_store_support import T0, claim, item, result


def through_json(doc: dict) -> dict:
    return json.loads(json.dumps(doc, ensure_ascii=False))


def test_item_and_claim_round_trip_with_arabic_and_none() -> None:
    it = item(1, title="قوات المعارضة تدخل مدينة حماة", text="سطر\nآخر", places=("hama", "idlib"))
    bare = item(2, published=None, places=())
    for value in (it, bare):
        assert ser.item_from_dict(through_json(ser.item_to_dict(value))) == value
    c = claim(it, "syrian-army", stance="admit", kind="withdrawal", state="opp")
    undated = claim(bare, "sohr")
    assert undated.when is None
    for value in (c, undated):
        assert ser.claim_from_dict(through_json(ser.claim_to_dict(value))) == value


def test_status_change_and_city_status_round_trip() -> None:
    a, b = item(1), item(2, minutes=30)
    status = CityStatus(
        city="hama",
        state="contested",
        since=T0 + timedelta(microseconds=123456),
        confidence=0.4,
        disputed=True,
        support=(claim(a, "opposition", state="opp"),),
        against=(claim(b, "sana"),),
    )
    assert ser.status_from_dict(through_json(ser.status_to_dict(status))) == status
    change = StatusChange(
        city="hama", old="gov", new="opp", at=T0, cause=(claim(a),), disputed=True
    )
    assert ser.change_from_dict(through_json(ser.change_to_dict(change))) == change
    undated = StatusChange(city="idlib", old="unknown", new="opp", at=None)
    assert ser.change_from_dict(through_json(ser.change_to_dict(undated))) == undated


def test_feed_state_result_and_filters_round_trip() -> None:
    full = FeedState(
        name="BBC عربي",
        url="https://feeds.bbci.co.uk/arabic/rss.xml",
        etag='W/"abc"',
        last_modified="Thu, 05 Dec 2024 12:00:00 GMT",
        last_fetch=T0,
        last_ok=T0 - timedelta(hours=1),
        last_outcome="error",
        last_status=503,
        last_error="HTTP 503 Service Unavailable",
        last_new=0,
        failures=3,
        next_due=T0 + timedelta(minutes=10),
        outlet="BBC News عربي",
    )
    for state in (full, FeedState(name="x", url="file:///tmp/x.xml")):
        assert ser.feed_state_from_dict(through_json(ser.feed_state_to_dict(state))) == state
    res = result([item(1)], [claim(item(1))])
    assert ser.feed_result_from_dict(through_json(ser.feed_result_to_dict(res))) == res
    flt = Filters(cities=frozenset({"hama", "idlib"}), sources=frozenset({"sana"}), text="حماه")
    assert ser.filters_from_dict(through_json(ser.filters_to_dict(flt))) == flt


def test_non_utc_offset_keeps_its_instant_and_offset() -> None:
    plus3 = datetime(2024, 12, 5, 15, 0, tzinfo=timezone(timedelta(hours=3)))
    back = ser.dt_from_str(ser.dt_to_str(plus3))
    assert back == plus3 and back is not None and back.utcoffset() == timedelta(hours=3)


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(max_size=40),
    text=st.text(max_size=80),
    link=st.none() | st.text(max_size=30),
    minutes=st.integers(min_value=-(10**6), max_value=10**6),
    places=st.lists(st.sampled_from(["hama", "idlib", "aleppo", "homs"]), max_size=3),
    confidence=st.floats(min_value=0.0, max_value=1.0),
)
def test_arbitrary_text_round_trips(
    title: str, text: str, link: str | None, minutes: int, places: list[str], confidence: float
) -> None:
    it = item(1, minutes=minutes, title=title, text=text, places=places)
    it = replace(it, link=link)
    assert ser.item_from_dict(through_json(ser.item_to_dict(it))) == it
    c = claim(it, evidence=text, confidence=confidence)
    assert ser.claim_from_dict(through_json(ser.claim_to_dict(c))) == c


def test_round_trip_through_a_real_store_file(tmp_path) -> None:
    db = tmp_path / "db.json"
    a = item(1, title="دخول «هيئة تحرير الشام» إلى حلب", places=("aleppo",))
    b = item(2, minutes=5, published=None)
    claims = [claim(a, "opposition", city="aleppo", state="opp", kind="entry"), claim(b, "sohr")]
    res = result([a, b], claims, etag='"e1"')
    with Store.open(db, None, ("aleppo", "hama")) as store:
        report = store.commit([res])
        changes = report.changes
    raw = db.read_text(encoding="utf-8")
    assert "حلب" in raw  # stored as UTF-8 text, not \u escapes
    with Store.open(db, None, ("aleppo", "hama")) as store:
        assert store.item(a.id) == a
        assert store.item(b.id) == b
        assert store.claims_for_item(a.id) == (claims[0],)
        assert store.claims_for_item(b.id) == (claims[1],)
        assert store.feed_states() == {"Feed A": res.state}
        stored = tuple(ch for city in ("aleppo", "hama") for ch in store.history(city))
        assert sorted(stored, key=repr) == sorted(changes, key=repr)
