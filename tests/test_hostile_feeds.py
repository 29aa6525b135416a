"""Feeds that are broken, lying or malicious: each must give a clean result, never an exception,
and never let its bytes reach the terminal."""

from __future__ import annotations

import random
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sitboard.ingest.model import BoardConfig, Config, FeedConfig, Item
from sitboard.ingest.parse import MAX_ITEMS, MAX_TITLE, ParsedFeed, parse_feed
from sitboard.ingest.places import PlaceMatcher
from sitboard.ingest.poll import Poller
from sitboard.ingest.profile import Profile

FETCHED = datetime(2024, 12, 6, 12, 0, tzinfo=UTC)
HEAD = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>قناة</title>'
TAIL = "</channel></rss>"


def parse(data: bytes, matcher: PlaceMatcher, headers: dict[str, str] | None = None) -> ParsedFeed:
    return parse_feed(
        data,
        headers or {},
        feed="Hostile",
        url="https://h.example/feed",
        fetched=FETCHED,
        matcher=matcher,
    )


def assert_safe(item: Item) -> None:
    for text in (item.title, item.text, item.outlet, item.link or "", item.id):
        for ch in text:
            assert ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs"), repr(text)
        assert "\u202e" not in text and "\u2066" not in text


def many_items(count: int, guid: str | None = None) -> bytes:
    items = "".join(
        f"<item><title>خبر رقم {n} من حلب</title>"
        f"<guid>{guid or f'https://h.example/{n}'}</guid>"
        f"<pubDate>Thu, 05 Dec 2024 {n // 60 % 24:02d}:{n % 60:02d}:00 GMT</pubDate>"
        f"<description>نص الخبر {n}</description></item>"
        for n in range(count)
    )
    return (HEAD + items + TAIL).encode()


GOOD = many_items(3)
CUT_SOURCE = many_items(3).replace(b"h.example/", b"cut.example/")
HOSTILE: dict[str, tuple[bytes, str]] = {
    "truncated": (CUT_SOURCE[: len(CUT_SOURCE) * 2 // 3], "application/rss+xml"),
    "html": (
        b"<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
        b"<body><p>Checking your browser</p></body></html>",
        "text/html; charset=utf-8",
    ),
    "empty": (b"", "application/rss+xml"),
    "garbage": (random.Random(7).randbytes(4096), "application/octet-stream"),
    "json": (b'{"items": [{"title": "not xml"}]}', "application/json"),
}


# --- end to end: one poll over a server full of hostile feeds ----------------------------------


async def test_a_poll_over_hostile_feeds(feed_server: HTTPServer, syria_profile: Profile) -> None:
    for name, (body, content_type) in HOSTILE.items():
        feed_server.expect_request(f"/{name}").respond_with_data(body, content_type=content_type)
    feed_server.expect_request("/good").respond_with_data(GOOD, content_type="application/rss+xml")
    feeds = [FeedConfig(name, feed_server.url_for(f"/{name}")) for name in [*HOSTILE, "good"]]
    config = Config(board=BoardConfig(), feeds=tuple(feeds))
    poller = Poller(config, syria_profile, trust_env=False, timeout=5.0, clock=lambda: FETCHED)
    results = {result.feed: result for result in await poller.poll({})}

    assert results["good"].outcome == "new" and len(results["good"].items) == 3
    for name in ("html", "empty", "garbage", "json"):
        assert results[name].outcome == "error", name
        assert results[name].error is not None and results[name].error.startswith("not a feed: ")
        assert results[name].state.failures == 1
    assert results["empty"].error == "not a feed: empty response"
    truncated = results["truncated"]
    # Either nothing usable (an error) or the complete items before the cut, never a fragment.
    if truncated.outcome == "error":
        assert truncated.error is not None and truncated.error.startswith("not a feed: ")
    else:
        assert truncated.items
        assert {item.id for item in truncated.items} < {
            f"https://cut.example/{n}" for n in range(3)
        }


# --- parse level -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_documents_never_raise(name: str, matcher: PlaceMatcher) -> None:
    body, content_type = HOSTILE[name]
    result = parse(body, matcher, {"content-type": content_type})
    for item in result.items:
        assert_safe(item)
    if not result.items:
        assert result.error is not None


def test_truncated_document_loses_only_the_cut_item(matcher: PlaceMatcher) -> None:
    cut = CUT_SOURCE.index(b"<guid>https://cut.example/2</guid>")
    result = parse(CUT_SOURCE[:cut], matcher)
    assert result.error is None and result.bozo is not None
    assert sorted(item.id for item in result.items) == [
        "https://cut.example/0",
        "https://cut.example/1",
    ]


def test_invalid_utf8_is_decoded_without_crashing(matcher: PlaceMatcher) -> None:
    data = (
        (HEAD + "<item><title>حلب ").encode()
        + b"\xff\xfe\xc3("
        + ("</title><guid>https://h.example/1</guid></item>" + TAIL).encode()
    )
    result = parse(data, matcher)
    assert result.error is None
    assert len(result.items) == 1
    assert_safe(result.items[0])
    assert result.bozo is not None


def test_mislabelled_encoding_in_prolog(matcher: PlaceMatcher) -> None:
    title = "المعارضة تدخل مدينة إدلب"
    data = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>ت</title>'
        f"<item><title>{title}</title><guid>https://h.example/1</guid></item>{TAIL}"
    ).encode("cp1256")
    result = parse(data, matcher)
    assert result.error is None
    assert result.items[0].title == title  # detected as windows-1256 despite the label
    assert result.bozo is not None


def test_mislabelled_encoding_in_http_header(matcher: PlaceMatcher) -> None:
    result = parse(GOOD, matcher, {"content-type": "application/rss+xml; charset=iso-8859-1"})
    assert result.error is None
    for item in result.items:
        assert_safe(item)


def test_ten_thousand_items_are_capped_newest_first(matcher: PlaceMatcher) -> None:
    result = parse(many_items(10_000), matcher)
    assert result.error is None
    assert len(result.items) == MAX_ITEMS
    dates = [item.published for item in result.items]
    assert all(dates) and dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    assert len({item.id for item in result.items}) == MAX_ITEMS


def test_duplicate_guids_collapse_to_one_item(matcher: PlaceMatcher) -> None:
    result = parse(many_items(50, guid="https://h.example/same"), matcher)
    assert len(result.items) == 1
    assert result.items[0].title == "خبر رقم 49 من حلب"  # the newest copy


def test_items_without_title_date_or_anything(matcher: PlaceMatcher) -> None:
    items = (
        "<item><guid>https://h.example/empty</guid></item>"  # nothing to show: skipped
        "<item><description>نص بلا عنوان</description></item>"
        "<item><title>بلا تاريخ</title></item>"
        "<item><title>من المستقبل</title><pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>"
        "<item><title>   </title><description>  </description></item>"
    )
    result = parse((HEAD + items + TAIL).encode(), matcher)
    assert result.error is None
    assert sorted(item.title for item in result.items) == sorted(
        ["نص بلا عنوان", "بلا تاريخ", "من المستقبل"]
    )
    assert all(item.published is None for item in result.items)
    assert all(item.when == FETCHED for item in result.items)


def test_huge_title_is_capped(matcher: PlaceMatcher) -> None:
    data = (HEAD + f"<item><title>{'حلب ' * 100_000}</title></item>" + TAIL).encode()
    result = parse(data, matcher)
    assert len(result.items[0].title) <= MAX_TITLE + 1


def test_entity_expansion_bomb_stays_small(matcher: PlaceMatcher) -> None:
    levels = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)
    ]
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r [{"".join(levels)}]><rss version="2.0"><channel>'
        "<title>t</title><item><title>&l9;</title><guid>https://h.example/1</guid></item>"
        f"{TAIL}"
    ).encode()
    result = parse(data, matcher)
    assert all(len(item.title) < 10_000 for item in result.items)


def test_external_entities_are_not_resolved(matcher: PlaceMatcher, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        '<rss version="2.0"><channel><title>t</title>'
        "<item><title>a &x; b</title><guid>https://h.example/1</guid></item>"
        f"{TAIL}"
    ).encode()
    result = parse(data, matcher)
    assert all("TOP-SECRET" not in item.title + item.text for item in result.items)


def test_terminal_attacks_in_every_field(matcher: PlaceMatcher) -> None:
    evil = "\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\x1b]0;title\x07\u202e"
    data = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title><![CDATA[{evil}Outlet]]></title>"
        f"<item><title><![CDATA[{evil}عنوان]]></title>"
        f"<description><![CDATA[<p>{evil}نص</p>]]></description>"
        f"<link>https://h.example/a</link><guid><![CDATA[{evil}https://h.example/g]]></guid>"
        f"</item>{TAIL}"
    ).encode()
    result = parse(data, matcher)
    assert result.outlet == "Outlet"
    [item] = result.items
    assert (item.title, item.text, item.id) == ("عنوان", "نص", "https://h.example/g")
    assert_safe(item)
