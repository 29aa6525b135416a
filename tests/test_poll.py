from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sitboard.ingest.claims import Extractor
from sitboard.ingest.model import (
    BoardConfig,
    Claim,
    Config,
    FeedConfig,
    FeedResult,
    FeedState,
    Item,
)
from sitboard.ingest.poll import BACKOFF_CAP, Poller, backoff_delay
from sitboard.ingest.profile import Profile

NOW = datetime(2024, 12, 6, 12, 0, tzinfo=UTC)


def make_poller(
    feeds: list[FeedConfig], profile: Profile, *, now: datetime = NOW, **options: object
) -> Poller:
    config = Config(board=BoardConfig(interval=300.0), feeds=tuple(feeds), source="test.toml")
    return Poller(config, profile, trust_env=False, timeout=3.0, clock=lambda: now, **options)  # type: ignore[arg-type]


def states_of(results: list[FeedResult]) -> dict[str, FeedState]:
    return {result.feed: result.state for result in results}


@pytest.fixture
def mixed_server(feed_server: HTTPServer, feed_fixtures: Path) -> HTTPServer:
    """Good and bad feeds from one server; the good ones support conditional requests."""
    rss = (feed_fixtures / "arabic.rss").read_bytes()
    atom = (feed_fixtures / "arabic.atom").read_bytes()
    for path, body, etag in (("/rss", rss, '"r1"'), ("/atom", atom, '"a1"')):
        feed_server.expect_request(path, headers={"If-None-Match": etag}).respond_with_data(
            b"", status=304, headers={"ETag": etag}
        )
        feed_server.expect_request(path).respond_with_data(
            body, content_type="application/rss+xml", headers={"ETag": etag}
        )
    feed_server.expect_request("/gone").respond_with_data(b"", status=404)
    feed_server.expect_request("/html").respond_with_data(
        b"<!doctype html><html><body><h1>Welcome</h1></body></html>", content_type="text/html"
    )
    feed_server.expect_request("/busy").respond_with_data(
        b"", status=429, headers={"Retry-After": "3600"}
    )
    return feed_server


def mixed_feeds(server: HTTPServer, tmp_path: Path, feed_fixtures: Path) -> list[FeedConfig]:
    local = tmp_path / "local.atom"
    local.write_bytes((feed_fixtures / "arabic.atom").read_bytes().replace(b"news-7", b"local-7"))
    return [
        FeedConfig("RSS", server.url_for("/rss")),
        FeedConfig("Atom", server.url_for("/atom"), interval=60.0),
        FeedConfig("Gone", server.url_for("/gone")),
        FeedConfig("HTML", server.url_for("/html")),
        FeedConfig("Busy", server.url_for("/busy")),
        FeedConfig("Local", str(local)),
        FeedConfig("Off", server.url_for("/rss"), enabled=False),
    ]


async def test_poll_good_and_bad_feeds_together(
    mixed_server: HTTPServer, tmp_path: Path, feed_fixtures: Path, syria_profile: Profile
) -> None:
    poller = make_poller(mixed_feeds(mixed_server, tmp_path, feed_fixtures), syria_profile)
    results = await poller.poll({})
    assert [r.feed for r in results] == ["RSS", "Atom", "Gone", "HTML", "Busy", "Local"]
    by_name = {r.feed: r for r in results}

    rss = by_name["RSS"]
    assert rss.outcome == "new" and rss.status == 200 and rss.error is None
    assert len(rss.items) == 3 and rss.items[0].feed == "RSS"
    assert rss.state == FeedState(
        name="RSS",
        url=mixed_server.url_for("/rss"),
        etag='"r1"',
        last_modified=None,
        last_fetch=NOW,
        last_ok=NOW,
        last_outcome="new",
        last_status=200,
        last_error=None,
        last_new=3,
        failures=0,
        next_due=NOW + timedelta(seconds=300),
        outlet="عنب بلدي",
    )
    assert by_name["Atom"].state.next_due == NOW + timedelta(seconds=60)
    assert len(by_name["Local"].items) == 2
    assert by_name["Local"].state.last_status is None

    gone = by_name["Gone"]
    assert gone.outcome == "error" and gone.items == ()
    assert gone.error == gone.state.last_error == "HTTP 404 Not Found"
    assert gone.state.failures == 1 and gone.state.last_ok is None
    assert by_name["HTML"].error is not None and by_name["HTML"].error.startswith("not a feed: ")
    busy = by_name["Busy"].state
    assert busy.next_due == NOW + timedelta(seconds=3600)  # Retry-After beats the 5 min interval
    assert gone.summary() == "Gone: error: HTTP 404 Not Found"


async def test_second_poll_is_conditional_and_not_modified(
    mixed_server: HTTPServer, tmp_path: Path, feed_fixtures: Path, syria_profile: Profile
) -> None:
    poller = make_poller(mixed_feeds(mixed_server, tmp_path, feed_fixtures)[:2], syria_profile)
    first = await poller.poll({})
    again = await poller.poll(states_of(first), force=True)
    assert [r.outcome for r in again] == ["not-modified", "not-modified"]
    assert [r.status for r in again] == [304, 304]
    assert all(r.items == () and r.state.etag for r in again)
    assert again[0].state.outlet == "عنب بلدي"  # remembered through the 304
    assert again[0].summary() == "RSS: not modified"
    sent = [request.headers.get("If-None-Match") for request, _ in mixed_server.log]
    assert sent.count('"r1"') == 1 and sent.count('"a1"') == 1


async def test_seen_items_are_dropped(
    mixed_server: HTTPServer, tmp_path: Path, feed_fixtures: Path, syria_profile: Profile
) -> None:
    poller = make_poller(mixed_feeds(mixed_server, tmp_path, feed_fixtures)[:1], syria_profile)
    known = {"https://www.example.org/?p=1001"}
    [result] = await poller.poll({}, seen=known.__contains__)
    assert [item.id for item in result.items] == [
        "https://www.example.org/?p=1002",
        "https://www.example.org/undated",
    ]
    assert result.state.last_new == 2


async def test_the_same_item_in_two_feeds_is_kept_once(
    tmp_path: Path, feed_fixtures: Path, syria_profile: Profile
) -> None:
    for name in ("a.rss", "b.rss"):
        (tmp_path / name).write_bytes((feed_fixtures / "arabic.rss").read_bytes())
    feeds = [FeedConfig("A", str(tmp_path / "a.rss")), FeedConfig("B", str(tmp_path / "b.rss"))]
    results = await make_poller(feeds, syria_profile).poll({})
    assert len(results[0].items) + len(results[1].items) == 3
    assert all(r.outcome == "new" for r in results)


async def test_only_polls_one_feed_even_if_disabled(
    tmp_path: Path, feed_fixtures: Path, syria_profile: Profile
) -> None:
    feeds = [
        FeedConfig("On", str(feed_fixtures / "arabic.rss")),
        FeedConfig("Off", str(feed_fixtures / "arabic.atom"), enabled=False),
    ]
    poller = make_poller(feeds, syria_profile)
    assert [r.feed for r in await poller.poll({}, only="Off")] == ["Off"]
    assert [r.feed for r in await poller.poll({}, force=True)] == ["On"]
    with pytest.raises(ValueError, match="no feed named 'Nope'"):
        await poller.poll({}, only="Nope")


async def test_nothing_due_polls_nothing(feed_fixtures: Path, syria_profile: Profile) -> None:
    feed = FeedConfig("On", str(feed_fixtures / "arabic.rss"))
    poller = make_poller([feed], syria_profile)
    state = FeedState(name="On", url=feed.url, last_fetch=NOW - timedelta(seconds=10))
    assert await poller.poll({"On": state}) == []
    [skipped] = await poller.poll({"On": state}, include_skipped=True)
    assert (skipped.outcome, skipped.state, skipped.items) == ("skipped", state, ())
    assert skipped.summary() == "On: skipped (not due)"


class RecordingExtractor(Extractor):
    """The real stub extractor, plus a record of the threads it ran in and a claim per item."""

    def __init__(self, profile: Profile, fail_on: str | None = None) -> None:
        super().__init__(profile)
        self.threads: set[str] = set()
        self.fail_on = fail_on

    def extract(self, item: Item) -> list[Claim]:
        self.threads.add(threading.current_thread().name)
        if item.id == self.fail_on:
            raise RuntimeError("extractor bug")
        return [
            Claim(
                item.id,
                "outlet",
                "media",
                "aleppo",
                "opp",
                "capture",
                "assert",
                None,
                item.title,
                0.5,
            )
        ]


async def test_extraction_runs_off_the_event_loop(
    feed_fixtures: Path, syria_profile: Profile
) -> None:
    poller = make_poller([FeedConfig("RSS", str(feed_fixtures / "arabic.rss"))], syria_profile)
    extractor = RecordingExtractor(syria_profile, fail_on="https://www.example.org/?p=1001")
    poller.extractor = extractor
    [result] = await poller.poll({})
    assert threading.current_thread().name not in extractor.threads
    assert len(extractor.threads) == 1
    assert len(result.items) == 3
    assert len(result.claims) == 2  # the failing item keeps its place, without claims
    assert result.summary() == "RSS: 3 new item(s), 2 claim(s)"


async def test_an_internal_error_is_one_feeds_error(
    feed_fixtures: Path, syria_profile: Profile
) -> None:
    class Broken:
        def places(self, text: str) -> tuple[str, ...]:
            raise KeyError("boom")

    feeds = [
        FeedConfig("Broken", str(feed_fixtures / "arabic.rss")),
        FeedConfig("Missing", str(feed_fixtures / "missing.rss")),
    ]
    poller = make_poller(feeds, syria_profile)
    poller.matcher = Broken()  # type: ignore[assignment]
    broken, missing = await poller.poll({})
    assert broken.outcome == "error"
    assert broken.error == "internal error: KeyError: 'boom'"
    assert missing.error == f"file not found: {feed_fixtures / 'missing.rss'}"


# --- scheduling ------------------------------------------------------------------------------


def test_due_honours_interval_enabled_and_back_off(syria_profile: Profile) -> None:
    feeds = [
        FeedConfig("Fresh", "https://a.example/"),
        FeedConfig("Recent", "https://b.example/"),
        FeedConfig("Fast", "https://c.example/", interval=60.0),
        FeedConfig("Off", "https://d.example/", enabled=False),
        FeedConfig("Failing", "https://e.example/"),
        FeedConfig("Moved", "https://f.example/new"),
    ]
    poller = make_poller(feeds, syria_profile)
    fetched = NOW - timedelta(seconds=120)
    states = {
        "Recent": FeedState("Recent", "https://b.example/", last_fetch=fetched),
        "Fast": FeedState("Fast", "https://c.example/", last_fetch=fetched),
        "Failing": FeedState(
            "Failing",
            "https://e.example/",
            last_fetch=fetched,
            failures=3,
            next_due=NOW + timedelta(hours=1),
        ),
        "Moved": FeedState("Moved", "https://f.example/old", last_fetch=fetched),
    }
    assert [f.name for f in poller.due(states, NOW)] == ["Fresh", "Fast", "Moved"]
    later = NOW + timedelta(seconds=200)
    assert [f.name for f in poller.due(states, later)] == ["Fresh", "Recent", "Fast", "Moved"]
    assert "Failing" in [f.name for f in poller.due(states, NOW + timedelta(hours=1))]
    assert poller.next_due(states) is None  # some feed is due now
    settled = {name: s for name, s in states.items() if name in ("Recent", "Failing")}
    only_settled = make_poller([feeds[1], feeds[4]], syria_profile)
    assert only_settled.next_due(settled) == NOW + timedelta(seconds=180)


def test_backoff_delay_grows_and_is_capped() -> None:
    assert [backoff_delay(300, n) for n in range(1, 5)] == [300, 600, 1200, 2400]
    assert backoff_delay(300, 50) == BACKOFF_CAP
    assert backoff_delay(10 * 3600, 3) == 10 * 3600  # never sooner than the interval


async def test_failures_accumulate_and_back_off(
    feed_server: HTTPServer, syria_profile: Profile
) -> None:
    feed_server.expect_request("/down").respond_with_data(b"", status=500)
    feed = FeedConfig("Down", feed_server.url_for("/down"))
    poller = make_poller([feed], syria_profile)
    states: dict[str, FeedState] = {}
    delays = []
    for _ in range(3):
        [result] = await poller.poll(states, force=True)
        states = states_of([result])
        delays.append((result.state.next_due - NOW).total_seconds())  # type: ignore[operator]
    assert delays == [300, 600, 1200]
    assert states["Down"].failures == 3


async def test_recovery_resets_failures(feed_fixtures: Path, syria_profile: Profile) -> None:
    feed = FeedConfig("RSS", str(feed_fixtures / "arabic.rss"))
    failing = FeedState("RSS", feed.url, failures=4, last_error="HTTP 500", last_fetch=NOW)
    [result] = await make_poller([feed], syria_profile).poll({"RSS": failing}, force=True)
    assert result.state.failures == 0 and result.state.last_error is None
