"""Offline demo: replay the shipped Arabic feeds of 27 Nov - 8 Dec 2024 in about 90 seconds.

The demo feeds (package data under sitboard/data/demo/) are ordinary RSS 2.0 and Atom 1.0 files.
`DemoReplay` maps the demo's twelve days onto `duration` seconds of real time, starting at the
first `advance()`, and rewrites one copy of each feed in a work directory so that it holds only
the items published up to the replay's virtual "now". The board polls those copies like any other
feed, so the demo exercises the real fetch, parse, extract, store and display path.
"""

from __future__ import annotations

import bisect
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from importlib import resources
from pathlib import Path

from sitboard.ingest.model import BoardConfig, Config, FeedConfig

SYRIA = timezone(timedelta(hours=3))
DEMO_START = datetime(2024, 11, 27, 0, 0, tzinfo=SYRIA)
DEMO_END = datetime(2024, 12, 8, 23, 59, tzinfo=SYRIA)
HEAD_START = 0.05  # share of the timeline shown before the first advance: no empty first paint
WATCH = ("aleppo", "idlib", "hama")
INTERVAL = 3.0  # seconds between polls of the demo feeds

_BLOCK = re.compile(r"<(item|entry)\b[^>]*>.*?</\1>\s*", re.S)
_PUBDATE = re.compile(r"<pubDate>\s*(.*?)\s*</pubDate>", re.S)
_PUBLISHED = re.compile(r"<(published|updated)>\s*(.*?)\s*</\1>", re.S)
_BUILD_DATE = re.compile(r"(<lastBuildDate>).*?(</lastBuildDate>)", re.S)
_FEED_UPDATED = re.compile(r"(<updated>).*?(</updated>)", re.S)


class DemoDataError(ValueError):
    """A shipped demo feed that cannot be replayed (a packaging mistake)."""


@dataclass(frozen=True, slots=True)
class DemoItem:
    published: datetime  # aware
    xml: str  # the <item>/<entry> element as written in the shipped file


@dataclass(frozen=True, slots=True)
class DemoFeed:
    name: str  # the file's stem: the feed's name in the demo config
    filename: str
    atom: bool
    head: str  # everything before the first item
    tail: str  # everything after the last item
    items: tuple[DemoItem, ...]  # oldest first

    def render(self, visible: int) -> str:
        """The feed with its `visible` oldest items, newest first, and a matching build date."""
        shown = self.items[:visible]
        newest = shown[-1].published if shown else DEMO_START
        if self.atom:
            head = _FEED_UPDATED.sub(rf"\g<1>{newest.isoformat()}\g<2>", self.head, count=1)
        else:
            head = _BUILD_DATE.sub(rf"\g<1>{format_datetime(newest)}\g<2>", self.head, count=1)
        return head + "".join(item.xml for item in reversed(shown)) + self.tail


def _item_time(block: str, filename: str) -> datetime:
    rss = _PUBDATE.search(block)
    try:
        if rss:
            when = parsedate_to_datetime(rss.group(1))
        else:
            atom = _PUBLISHED.search(block)
            if atom is None:
                raise ValueError("no pubDate/published")
            when = datetime.fromisoformat(atom.group(2).replace("Z", "+00:00"))
    except (TypeError, ValueError) as exc:
        raise DemoDataError(f"{filename}: an item has no usable date ({exc})") from exc
    if when.tzinfo is None:
        raise DemoDataError(f"{filename}: an item date has no time zone")
    return when


def parse_demo_feed(filename: str, text: str) -> DemoFeed:
    """Split one shipped feed into header, items (sorted by time) and footer."""
    blocks = list(_BLOCK.finditer(text))
    if not blocks:
        raise DemoDataError(f"{filename}: no <item> or <entry> elements")
    items = sorted(
        (DemoItem(_item_time(m.group(0), filename), m.group(0)) for m in blocks),
        key=lambda item: item.published,
    )
    return DemoFeed(
        name=filename.rsplit(".", 1)[0],
        filename=filename,
        atom=blocks[0].group(1) == "entry",
        head=text[: blocks[0].start()],
        tail=text[blocks[-1].end() :],
        items=tuple(items),
    )


def load_demo_feeds() -> tuple[DemoFeed, ...]:
    """The shipped demo feeds, read as package data (works from a wheel or a zip too)."""
    folder = resources.files("sitboard.data").joinpath("demo")
    feeds = [
        parse_demo_feed(entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".xml")
    ]
    if not feeds:
        raise DemoDataError("no demo feeds found in sitboard/data/demo")
    return tuple(sorted(feeds, key=lambda feed: feed.name))


def _write_atomically(path: Path, text: str) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class DemoReplay:
    """Writes the demo feeds into `workdir`, revealing items as virtual time passes."""

    def __init__(
        self,
        workdir: Path,
        *,
        duration: float = 90.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if duration <= 0:
            raise ValueError(f"duration must be positive, not {duration!r}")
        self.workdir = Path(workdir).resolve()
        self.duration = duration
        self._clock = clock
        self._started: float | None = None
        self._feeds = load_demo_feeds()
        self._times = {feed.name: [item.published for item in feed.items] for feed in self._feeds}
        self._written: dict[str, int] = {}
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._write(self.virtual_now)

    @property
    def virtual_now(self) -> datetime:
        """The demo's clock: 5% into the timeline until the first advance, then on to the end."""
        span = DEMO_END - DEMO_START
        head = span * HEAD_START
        if self._started is None:
            return DEMO_START + head
        share = min(1.0, max(0.0, (self._clock() - self._started) / self.duration))
        return DEMO_START + head + (span - head) * share

    @property
    def done(self) -> bool:
        return self._started is not None and self.virtual_now >= DEMO_END

    @property
    def total(self) -> int:
        """How many items the demo holds in all."""
        return sum(len(feed.items) for feed in self._feeds)

    def path(self, feed_name: str) -> Path:
        for feed in self._feeds:
            if feed.name == feed_name:
                return self.workdir / feed.filename
        raise KeyError(feed_name)

    def config(self) -> Config:
        feeds = tuple(
            FeedConfig(name=f.name, url=str(self.workdir / f.filename)) for f in self._feeds
        )
        board = BoardConfig(watch=WATCH, interval=INTERVAL, db=None)
        return Config(board=board, feeds=feeds, source="sitboard demo")

    def advance(self) -> int:
        """Rewrite the feeds whose visible items changed; return how many items are visible."""
        if self._started is None:
            self._started = self._clock()
        return self._write(self.virtual_now)

    def _write(self, now: datetime) -> int:
        visible_total = 0
        for feed in self._feeds:
            visible = bisect.bisect_right(self._times[feed.name], now)
            visible_total += visible
            target = self.workdir / feed.filename
            if self._written.get(feed.name) != visible or not target.exists():
                _write_atomically(target, feed.render(visible))
                self._written[feed.name] = visible
        return visible_total
