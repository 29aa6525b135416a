"""The shipped demo feeds and their replay (sitboard --demo)."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import feedparser
import pytest
from sitboard.ingest.parse import parse_feed
from sitboard.ingest.places import PlaceMatcher
from sitboard.ingest.profile import load_profile

from sitboard.demo import DEMO_END, DEMO_START, DemoReplay, load_demo_feeds, parse_demo_feed


class FakeClock:
    """A clock the test moves by hand (the replay's time source, not the system under test)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _shipped() -> dict[str, bytes]:
    folder = resources.files("sitboard.data").joinpath("demo")
    return {f.name: f.read_bytes() for f in folder.iterdir() if f.name.endswith(".xml")}


def _parse(raw: bytes) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def _published(entry: feedparser.FeedParserDict) -> datetime:
    return datetime(*entry.published_parsed[:6], tzinfo=UTC)


def test_shipped_feeds_are_valid_and_varied() -> None:
    shipped = _shipped()
    assert 5 <= len(shipped) <= 7
    ids: list[str] = []
    versions = set()
    for name, raw in shipped.items():
        raw.decode("utf-8")
        parsed = _parse(raw)
        versions.add(parsed.version)
        assert parsed.entries, name
        assert parsed.feed.get("title"), name
        for entry in parsed.entries:
            assert entry.get("title") and entry.get("link") and entry.get("id"), name
            assert entry.link.startswith("https://example.invalid/")
            assert DEMO_START <= _published(entry) <= DEMO_END, (name, entry.title)
        ids += [entry.id for entry in parsed.entries]
    assert len(ids) == len(set(ids)), "duplicate ids across the demo feeds"
    assert 120 <= len(ids) <= 200
    assert "atom10" in versions and "rss20" in versions
    assert "README.md" in {
        f.name for f in resources.files("sitboard.data").joinpath("demo").iterdir()
    }


def test_demo_items_cover_the_watched_cities_and_more() -> None:
    profile = load_profile("syria")
    matcher = PlaceMatcher(profile)
    places: set[str] = set()
    outlets = set()
    for name, raw in _shipped().items():
        parsed = parse_feed(
            raw,
            {"content-type": "application/xml"},
            feed=name,
            url=f"file:///{name}",
            fetched=DEMO_END.astimezone(UTC),
            matcher=matcher,
        )
        assert parsed.error is None, (name, parsed.error)
        outlets.add(parsed.outlet)
        for item in parsed.items:
            places.update(matcher.places(f"{item.title}\n{item.text}"))
    assert {"aleppo", "idlib", "hama"} <= places
    assert {"homs", "damascus", "deir-ez-zor", "tal-rifaat", "manbij", "daraa"} <= places
    assert len(outlets) == len(_shipped())


def test_replay_reveals_items_over_time(tmp_path: Path) -> None:
    clock = FakeClock()
    replay = DemoReplay(tmp_path / "demo", duration=90.0, clock=clock)
    files = sorted((tmp_path / "demo").glob("*.xml"))
    assert len(files) == len(_shipped())
    first = _count(files)
    assert 0 < first < replay.total // 10, "about 5% of the timeline before the first advance"
    assert not replay.done

    counts = []
    for at in (0.0, 20.0, 45.0, 70.0, 89.0, 90.0):
        clock.now = 1000.0 + at
        counts.append(replay.advance())
        assert counts[-1] == _count(files)
        _assert_files_valid(files, replay.virtual_now)
    assert counts[0] == first
    assert counts == sorted(counts) and counts[2] > counts[0] and counts[4] > counts[2]
    assert counts[-1] == replay.total
    assert replay.done
    assert replay.virtual_now == DEMO_END
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == [f.name for f in files]


def test_virtual_time_maps_linearly_from_the_first_advance(tmp_path: Path) -> None:
    clock = FakeClock()
    replay = DemoReplay(tmp_path, duration=60.0, clock=clock)
    before = replay.virtual_now
    clock.now += 500  # time before the first advance does not count
    assert replay.virtual_now == before
    replay.advance()
    assert replay.virtual_now == before
    clock.now += 30
    middle = replay.virtual_now
    assert before < middle < DEMO_END
    assert abs((middle - before) - (DEMO_END - before) / 2).total_seconds() < 1
    assert replay.advance() == replay.advance()  # no time passed: nothing new


def test_config_points_at_the_replayed_files(tmp_path: Path) -> None:
    replay = DemoReplay(tmp_path, clock=FakeClock())
    config = replay.config()
    assert config.board.watch == ("aleppo", "idlib", "hama")
    assert config.board.db is None
    assert 0 < config.board.interval <= 10
    assert {f.name for f in config.feeds} == {name.removesuffix(".xml") for name in _shipped()}
    for feed in config.feeds:
        path = Path(feed.url)
        assert path.is_absolute() and path.parent == tmp_path.resolve() and path.exists()
        assert replay.path(feed.name) == path


def test_bad_demo_data_and_duration_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        DemoReplay(tmp_path, duration=0)
    with pytest.raises(ValueError, match="no <item>"):
        parse_demo_feed("empty.xml", "<rss><channel><title>x</title></channel></rss>")
    with pytest.raises(ValueError, match="usable date"):
        parse_demo_feed("bad.xml", "<rss><channel><item><title>x</title></item></channel></rss>")


def test_loaded_feeds_keep_header_and_all_items() -> None:
    for feed in load_demo_feeds():
        whole = _parse(feed.render(len(feed.items)).encode("utf-8"))
        assert len(whole.entries) == len(feed.items)
        empty = _parse(feed.render(0).encode("utf-8"))
        assert empty.entries == [] and empty.feed.get("title") == whole.feed.get("title")


def _count(files: list[Path]) -> int:
    return sum(len(_parse(p.read_bytes()).entries) for p in files)


def _assert_files_valid(files: list[Path], now: datetime) -> None:
    for path in files:
        parsed = _parse(path.read_bytes())
        times = [_published(e) for e in parsed.entries]
        assert times == sorted(times, reverse=True), f"{path.name}: not newest first"
        assert all(t <= now for t in times), f"{path.name}: an item from the future"
