"""One poll cycle: decide which feeds are due, fetch them together, parse and extract.

The event loop only waits on the network; parsing and claim extraction run in a worker thread,
or in worker processes once a poll has volume (cpu_pool.py), so a Textual app polling in the
background never freezes. Each feed's outcome, good or bad, becomes one FeedResult carrying
the feed's next FeedState; a failing feed backs off exponentially and honours Retry-After, and
never stops the others.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import httpx

from .claims import Extractor
from .cpu_pool import CpuPool, auto_workers
from .fetch import MB, Fetcher, FetchResponse
from .model import Claim, Config, FeedConfig, FeedResult, FeedState, Item
from .parse import MAX_ITEMS, MAX_TEXT
from .places import PlaceMatcher
from .profile import Profile
from .sanitize import one_line

log = logging.getLogger(__name__)

BACKOFF_CAP = 6 * 3600.0  # seconds: a failing feed is still tried at least this often
RETRY_AFTER_CAP = 24 * 3600.0  # a server cannot silence a feed for longer than this


def backoff_delay(interval: float, failures: int, cap: float = BACKOFF_CAP) -> float:
    """Seconds until the next try after `failures` consecutive failures: the interval, doubled
    for each failure after the first, at most `cap` (never less than the interval)."""
    if failures <= 1:
        return interval
    return max(interval, min(cap, interval * 2.0 ** min(failures - 1, 30)))


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class _Received:
    """The documents a poll of `feeds` feeds has received so far."""

    feeds: int
    size: int = 0
    documents: int = 0

    def add(self, size: int) -> None:
        self.size += size
        self.documents += 1

    def projected(self) -> int:
        """Bytes the whole poll will bring, judged from the documents so far: a big poll
        starts its workers with its first document, not after reading many in a thread."""
        return self.size * self.feeds // max(1, self.documents)


class Poller:
    """Polls the feeds of a Config. Holds no feed state itself: states come in, results go out."""

    def __init__(
        self,
        config: Config,
        profile: Profile,
        *,
        concurrency: int = 8,
        timeout: float = 20.0,
        connect_timeout: float = 10.0,
        max_bytes: int = 10 * MB,
        max_redirects: int = 5,
        user_agent: str | None = None,
        trust_env: bool = True,
        backoff_cap: float = BACKOFF_CAP,
        max_items: int = MAX_ITEMS,
        max_text: int = MAX_TEXT,
        clock: Callable[[], datetime] = _utc_now,
        transport: httpx.AsyncBaseTransport | None = None,
        workers: int | None = None,
    ) -> None:
        self.config = config
        self.profile = profile
        if workers is None:
            workers = config.board.workers
        self.pool = CpuPool(profile, auto_workers() if workers is None else workers)
        self.backoff_cap = backoff_cap
        self.max_items = max_items
        self.max_text = max_text
        self.clock = clock
        self.last_requests = 0  # HTTP requests sent by the last poll (for benchmarks)
        self._fetcher_options: dict[str, object] = {
            "concurrency": concurrency,
            "timeout": timeout,
            "connect_timeout": connect_timeout,
            "max_bytes": max_bytes,
            "max_redirects": max_redirects,
            "user_agent": user_agent,
            "trust_env": trust_env,
            "transport": transport,
        }

    @property
    def matcher(self) -> PlaceMatcher:
        return self.pool.readers.matcher

    @matcher.setter
    def matcher(self, matcher: PlaceMatcher) -> None:
        self.pool.readers = replace(self.pool.readers, matcher=matcher)

    @property
    def extractor(self) -> Extractor:
        return self.pool.readers.extractor

    @extractor.setter
    def extractor(self, extractor: Extractor) -> None:
        self.pool.readers = replace(self.pool.readers, extractor=extractor)

    # --- scheduling ------------------------------------------------------------------------

    def interval(self, feed: FeedConfig) -> float:
        return feed.interval or self.config.board.interval

    def due_at(self, feed: FeedConfig, state: FeedState | None) -> datetime | None:
        """When `feed` is next due; None means now (never fetched, or its URL changed)."""
        if state is None or state.url != feed.url or state.last_fetch is None:
            return None
        if state.failures > 0 and state.next_due is not None:
            return state.next_due  # back-off or Retry-After
        # Use the configured interval, not a stored next_due, so an edited feeds.toml applies now.
        return state.last_fetch + timedelta(seconds=self.interval(feed))

    def due(self, states: Mapping[str, FeedState], now: datetime) -> list[FeedConfig]:
        """Enabled feeds whose time has come, in feeds.toml order."""
        due = []
        for feed in self.config.feeds:
            if not feed.enabled:
                continue
            when = self.due_at(feed, states.get(feed.name))
            if when is None or when <= now:
                due.append(feed)
        return due

    def next_due(self, states: Mapping[str, FeedState]) -> datetime | None:
        """The earliest time any enabled feed falls due (None: one is due already or none exist)."""
        times = []
        for feed in self.config.feeds:
            if feed.enabled:
                when = self.due_at(feed, states.get(feed.name))
                if when is None:
                    return None
                times.append(when)
        return min(times) if times else None

    # --- polling ---------------------------------------------------------------------------

    async def poll(
        self,
        states: Mapping[str, FeedState],
        *,
        seen: Callable[[str], bool] = lambda _: False,
        force: bool = False,
        only: str | None = None,
        include_skipped: bool = False,
    ) -> list[FeedResult]:
        """Fetch the due feeds (all enabled ones if `force`; just the one named `only`, enabled
        or not) concurrently and return one FeedResult each, in feeds.toml order.

        With `include_skipped`, enabled feeds that were not due are returned too, with outcome
        "skipped" and their state unchanged (for `sitboard poll --once` style reports)."""
        now = self.clock()
        if only is not None:
            feeds = [feed for feed in self.config.feeds if feed.name == only]
            if not feeds:
                raise ValueError(f"no feed named {only!r} in {self.config.source or 'the config'}")
        elif force:
            feeds = [feed for feed in self.config.feeds if feed.enabled]
        else:
            feeds = self.due(states, now)
        self.last_requests = 0
        polled: dict[str, FeedResult] = {}
        if feeds:
            claimed: set[str] = set()  # ids taken by an earlier feed of this same poll
            received = _Received(feeds=len(feeds))
            async with Fetcher(**self._fetcher_options) as fetcher:  # type: ignore[arg-type]
                results = await asyncio.gather(
                    *(
                        self._poll_feed(
                            fetcher, feed, states.get(feed.name), now, seen, claimed, received
                        )
                        for feed in feeds
                    )
                )
            self.last_requests = fetcher.requests
            if self.pool.running:
                # Workers hold ~60 MB each; the board sleeps between polls, so they go now and
                # the next big poll forks new ones from the waiting server (~0.2 s).
                await asyncio.to_thread(self.pool.close)
            polled = {result.feed: result for result in results}
        if not include_skipped or only is not None:
            return list(polled.values())
        report = []
        for feed in self.config.feeds:
            if feed.name in polled:
                report.append(polled[feed.name])
            elif feed.enabled:
                state = states.get(feed.name) or FeedState(name=feed.name, url=feed.url)
                report.append(FeedResult(feed.name, feed.url, "skipped", state))
        return report

    async def _poll_feed(
        self,
        fetcher: Fetcher,
        feed: FeedConfig,
        state: FeedState | None,
        now: datetime,
        seen: Callable[[str], bool],
        claimed: set[str],
        received: _Received,
    ) -> FeedResult:
        started = time.monotonic()
        if state is not None and state.url != feed.url:
            # The URL was edited: the old validators and failures belong to another document.
            state = FeedState(name=feed.name, url=feed.url, outlet=state.outlet)
        response = await fetcher.fetch(
            feed.url,
            etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
        )
        try:
            if response.error is not None:
                return self._failed(feed, state, now, response, response.error, started)
            if response.not_modified:
                return self._succeeded(feed, state, now, response, None, [], [], started)
            received.add(len(response.content))
            in_process = await self.pool.engage(received.projected())
            options = {
                "feed": feed.name,
                "url": feed.url,
                "fetched": now,
                "max_items": self.max_items,
                "max_text": self.max_text,
            }
            content, headers = response.content, response.headers
            read: list[list[Claim]] | None = None
            if state is None or state.last_ok is None:
                # never read before: its items are new (bar a few another feed brought), so
                # they are read in the same task as the parse
                parsed, read = await self.pool.parse_and_extract(
                    content, headers, in_process=in_process, **options
                )
            else:
                parsed = await self.pool.parse(content, headers, in_process=in_process, **options)
            if parsed.error is not None:
                return self._failed(feed, state, now, response, parsed.error, started)
            fresh: list[Item] = []
            claims: list[Claim] = []
            for n, item in enumerate(parsed.items):
                if item.id in claimed or seen(item.id):
                    continue
                claimed.add(item.id)
                fresh.append(item)
                if read is not None:
                    claims.extend(read[n])
            if read is None and fresh:
                claims = await self.pool.extract(fresh, in_process=in_process)
            return self._succeeded(
                feed, state, now, response, parsed.outlet, fresh, claims, started
            )
        except Exception as exc:  # one feed's surprise must never stop the poll
            # The message goes into the result; the traceback only to a configured log, never
            # to stderr under a running TUI (logging's last-resort handler prints WARNING+).
            log.info("polling %s failed", feed.name, exc_info=True)
            message = "internal error: " + one_line(f"{type(exc).__name__}: {exc}")[:200]
            return self._failed(feed, state, now, response, message, started)

    def close(self) -> None:
        """Stop the worker processes, if a poll that did not finish left them running."""
        self.pool.close()

    def _succeeded(
        self,
        feed: FeedConfig,
        state: FeedState | None,
        now: datetime,
        response: FetchResponse,
        outlet: str | None,
        items: list[Item],
        claims: list[Claim],
        started: float,
    ) -> FeedResult:
        outcome = "not-modified" if response.not_modified else "new"
        etag, last_modified = response.etag, response.last_modified
        if response.not_modified and state is not None:
            etag = etag or state.etag
            last_modified = last_modified or state.last_modified
        new_state = FeedState(
            name=feed.name,
            url=feed.url,
            etag=etag,
            last_modified=last_modified,
            last_fetch=now,
            last_ok=now,
            last_outcome=outcome,
            last_status=response.status,
            last_error=None,
            last_new=len(items),
            failures=0,
            next_due=now + timedelta(seconds=self.interval(feed)),
            outlet=outlet or (state.outlet if state else None),
        )
        return FeedResult(
            feed=feed.name,
            url=feed.url,
            outcome=outcome,
            state=new_state,
            items=tuple(items),
            claims=tuple(claims),
            status=response.status,
            error=None,
            elapsed=time.monotonic() - started,
        )

    def _failed(
        self,
        feed: FeedConfig,
        state: FeedState | None,
        now: datetime,
        response: FetchResponse,
        error: str,
        started: float,
    ) -> FeedResult:
        failures = (state.failures if state else 0) + 1
        delay = backoff_delay(self.interval(feed), failures, self.backoff_cap)
        if response.retry_after is not None:
            delay = max(delay, min(response.retry_after, RETRY_AFTER_CAP))
        # The validators are kept from the last good fetch: storing those of a broken document
        # would turn its repair into a 304 and hide the fix.
        new_state = FeedState(
            name=feed.name,
            url=feed.url,
            etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
            last_fetch=now,
            last_ok=state.last_ok if state else None,
            last_outcome="error",
            last_status=response.status,
            last_error=error,
            last_new=state.last_new if state else 0,
            failures=failures,
            next_due=now + timedelta(seconds=delay),
            outlet=state.outlet if state else None,
        )
        return FeedResult(
            feed=feed.name,
            url=feed.url,
            outcome="error",
            state=new_state,
            status=response.status,
            error=error,
            elapsed=time.monotonic() - started,
        )
