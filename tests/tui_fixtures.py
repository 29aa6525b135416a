"""Shared pieces for the board tests: a real store with known contents, a fixed clock, configs.

Nothing here is a mock: stores are TinyDB files under tmp_path, pollers are the real Poller,
feeds are served by pytest-httpserver.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sitboard.ingest.model import (
    BoardConfig,
    Claim,
    Config,
    FeedConfig,
    FeedResult,
    FeedState,
    Item,
)
from sitboard.ingest.poll import Poller
from sitboard.ingest.profile import Profile, load_profile
from sitboard.store import Store
from sitboard.tui.app import SitboardApp
from textual.worker import WorkerFailed

DATA = Path(__file__).parent / "data" / "tui"
WATCH = ("aleppo", "idlib", "hama")
T0 = datetime(2024, 12, 5, 14, 0, tzinfo=UTC)
FETCHED = T0 + timedelta(minutes=30)
NOW = T0 + timedelta(minutes=31)  # the fixed "now" of the app: one minute after the last fetch

# Logical Arabic built from code points, so that the source file shows no RTL literals.
HAMA_TITLE = (
    "\u0641\u0635\u0627\u0626\u0644 \u0627\u0644\u0645\u0639\u0627\u0631\u0636\u0629 "
    "\u062a\u0639\u0644\u0646 \u0627\u0644\u0633\u064a\u0637\u0631\u0629 \u0639\u0644\u0649 "
    "\u0645\u062f\u064a\u0646\u0629 \u062d\u0645\u0627\u0629"
)  # فصائل المعارضة تعلن السيطرة على مدينة حماة
SANA_TITLE = (
    "\u0627\u0644\u062c\u064a\u0634 \u0627\u0644\u0633\u0648\u0631\u064a: "
    "\u0625\u0639\u0627\u062f\u0629 \u0627\u0644\u0627\u0646\u062a\u0634\u0627\u0631 "
    "\u062e\u0627\u0631\u062c \u062d\u0645\u0627\u0629"
)  # الجيش السوري: إعادة الانتشار خارج حماة
ALEPPO_TITLE = (
    "\u0627\u0644\u0645\u0631\u0635\u062f: \u0642\u0648\u0627\u062a "
    "\u0627\u0644\u0645\u0639\u0627\u0631\u0636\u0629 \u062a\u062f\u062e\u0644 \u062d\u0644\u0628"
)  # المرصد: قوات المعارضة تدخل حلب
JAZEERA = "\u0627\u0644\u062c\u0632\u064a\u0631\u0629 \u0646\u062a"  # الجزيرة نت
HAMA_EVIDENCE = (
    "\u0642\u0627\u0644\u062a \u0641\u0635\u0627\u0626\u0644 "
    "\u0627\u0644\u0645\u0639\u0627\u0631\u0636\u0629 \u0625\u0646\u0647\u0627 "
    "\u0633\u064a\u0637\u0631\u062a \u0639\u0644\u0649 \u0645\u062f\u064a\u0646\u0629 "
    "\u062d\u0645\u0627\u0629 (\u0648\u0633\u0637 \u0633\u0648\u0631\u064a\u0627) "
    "\u0628\u0639\u062f \u0645\u0639\u0627\u0631\u0643 \u0639\u0646\u064a\u0641\u0629 "
    "\u0645\u0639 \u0642\u0648\u0627\u062a \u0627\u0644\u0646\u0638\u0627\u0645 "
    "\u0641\u064a 5 \u062f\u064a\u0633\u0645\u0628\u0631."
)


def profile() -> Profile:
    return load_profile("syria")


def item(
    n: int,
    title: str,
    *,
    outlet: str = JAZEERA,
    feed: str = "jazeera",
    places: tuple[str, ...] = ("hama",),
) -> Item:
    return Item(
        id=f"item-{n}",
        feed=feed,
        outlet=outlet,
        title=title,
        text=title,
        link=f"https://example.test/{n}",
        published=T0 + timedelta(minutes=n),
        fetched=FETCHED,
        places=places,
    )


def claim(
    source_item: Item,
    source: str,
    side: str,
    city: str,
    state: str,
    kind: str,
    stance: str,
    evidence: str,
    confidence: float = 0.8,
) -> Claim:
    return Claim(
        item=source_item.id,
        source=source,
        side=side,
        city=city,
        state=state,
        kind=kind,
        stance=stance,
        when=source_item.published,
        evidence=evidence,
        confidence=confidence,
        outlet=source_item.outlet,
    )


def fed_state(name: str, url: str) -> FeedState:
    return FeedState(
        name=name,
        url=url,
        last_fetch=FETCHED,
        last_ok=FETCHED,
        last_outcome="new",
        last_status=200,
        last_new=1,
        next_due=FETCHED + timedelta(minutes=5),
    )


SAMPLE_FEEDS = (
    FeedConfig("jazeera", "http://127.0.0.1:9/jazeera.xml"),
    FeedConfig("sana", "http://127.0.0.1:9/sana.xml"),
    FeedConfig("bbc", "http://127.0.0.1:9/bbc.xml"),
)


def sample_results() -> list[FeedResult]:
    """Three feeds, three items, three claims: Hama taken (two sources), Aleppo entered."""
    hama = item(1, HAMA_TITLE)
    sana = item(2, SANA_TITLE, outlet="SANA", feed="sana")
    aleppo = item(3, ALEPPO_TITLE, outlet="BBC Arabic", feed="bbc", places=("aleppo",))
    claims = {
        "jazeera": (
            claim(hama, "opposition", "opp", "hama", "opp", "capture", "assert", HAMA_EVIDENCE),
        ),
        "sana": (
            claim(sana, "syrian-army", "gov", "hama", "opp", "withdrawal", "admit", SANA_TITLE),
        ),
        "bbc": (
            claim(aleppo, "sohr", "observer", "aleppo", "opp", "entry", "assert", ALEPPO_TITLE),
        ),
    }
    items = {"jazeera": hama, "sana": sana, "bbc": aleppo}
    return [
        FeedResult(
            feed=feed.name,
            url=feed.url,
            outcome="new",
            state=fed_state(feed.name, feed.url),
            items=(items[feed.name],),
            claims=claims[feed.name],
        )
        for feed in SAMPLE_FEEDS
    ]


def config(feeds: tuple[FeedConfig, ...], interval: float = 300.0) -> Config:
    return Config(board=BoardConfig(watch=WATCH, interval=interval), feeds=feeds)


def open_store(tmp_path: Path, results: list[FeedResult] | None = None) -> Store:
    store = Store.open(tmp_path / "board.json", profile(), WATCH, clock=lambda: NOW)
    if results:
        store.commit(results)
    return store


def make_app(
    store: Store,
    feeds: tuple[FeedConfig, ...] = SAMPLE_FEEDS,
    *,
    bidi: str = "on",
    export_dir: Path | None = None,
    before_poll: object = None,
    now: datetime | None = NOW,
    check_interval: float = 1.0,
    bell: bool = False,
    app_class: type[SitboardApp] = SitboardApp,
) -> SitboardApp:
    """The real app on a real store and a real Poller, with a fixed clock unless now=None."""
    cfg = config(feeds)
    prof = store.profile or profile()
    clock = (lambda: now) if now is not None else (lambda: datetime.now(UTC))
    return app_class(
        config=cfg,
        store=store,
        profile=prof,
        poller=Poller(cfg, prof, clock=clock, timeout=5.0, connect_timeout=2.0),
        bidi=bidi,
        before_poll=before_poll,  # type: ignore[arg-type]
        export_dir=export_dir,
        now=clock,
        check_interval=check_interval,
        bell=bell,
    )


def not_due(store: Store, feeds: tuple[FeedConfig, ...]) -> None:
    """Record a fetch of each feed a minute before NOW, so that none is due at start-up."""
    store.commit(
        [
            FeedResult(
                feed.name,
                feed.url,
                "not-modified",
                replace(
                    fed_state(feed.name, feed.url),
                    last_outcome="not-modified",
                    last_status=304,
                    last_new=0,
                ),
            )
            for feed in feeds
        ]
    )


def screen_lines(app: SitboardApp) -> list[str]:
    """The text of every line of the current screen, as the terminal would get it."""
    update = app.screen._compositor.render_full_update(simplify=True)
    return ["".join(segment.text for segment in row) for row in update.strips]


RSS_HEADERS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def arabic_rss() -> bytes:
    """tests/data/tui/arabic.xml: the small Arabic feed the board tests serve."""
    return (DATA / "arabic.xml").read_bytes()


async def settle(app: SitboardApp) -> None:
    """Wait for running workers; one that raised is the app's to report, not the test's."""
    with contextlib.suppress(WorkerFailed):
        await app.workers.wait_for_complete()


async def wait_for_polls(app: SitboardApp, pilot: object, count: int = 1) -> None:
    """Let the timer start polls and the workers finish, until `count` polls are done."""
    for _ in range(300):
        await settle(app)
        await pilot.pause()  # type: ignore[attr-defined]
        if app.polls_done >= count and not app.polling:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"only {app.polls_done} poll(s) finished")
