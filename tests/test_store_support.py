"""Factories shared by the store tests (no tests here): items, claims and feed results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sitboard.ingest.model import Claim, FeedResult, FeedState, Item

T0 = datetime(2024, 12, 5, 12, 0, tzinfo=UTC)
WATCH = ("aleppo", "idlib", "hama")
SIDES = {"syrian-army": "gov", "sana": "gov", "opposition": "opp", "sohr": "observer"}


def item(
    n: int | str,
    *,
    minutes: float = 0.0,
    feed: str = "Feed A",
    outlet: str = "Outlet A",
    title: str | None = None,
    text: str = "",
    places: Sequence[str] = ("hama",),
    published: datetime | str | None = "default",
) -> Item:
    when = T0 + timedelta(minutes=minutes) if published == "default" else published
    assert when is None or isinstance(when, datetime)
    return Item(
        id=f"item-{n}",
        feed=feed,
        outlet=outlet,
        title=title if title is not None else f"headline {n}",
        text=text,
        link=f"https://example.org/news/{n}",
        published=when,
        fetched=T0,
        places=tuple(places),
    )


def claim(
    it: Item,
    source: str = "sana",
    *,
    city: str = "hama",
    state: str = "gov",
    kind: str = "hold",
    stance: str = "assert",
    evidence: str | None = None,
    confidence: float = 0.8,
) -> Claim:
    return Claim(
        item=it.id,
        source=source,
        side=SIDES.get(source, "media"),
        city=city,
        state=state,
        kind=kind,
        stance=stance,
        when=it.published,
        evidence=evidence if evidence is not None else it.title,
        confidence=confidence,
        outlet=it.outlet,
    )


def result(
    items: Sequence[Item] = (),
    claims: Sequence[Claim] = (),
    *,
    feed: str = "Feed A",
    outcome: str = "new",
    error: str | None = None,
    etag: str | None = None,
) -> FeedResult:
    state = FeedState(
        name=feed,
        url=f"https://example.org/{feed.replace(' ', '-').lower()}.xml",
        etag=etag,
        last_fetch=T0,
        last_ok=None if error else T0,
        last_outcome=outcome,  # type: ignore[arg-type]
        last_status=None if error else 200,
        last_error=error,
        last_new=len(items),
        failures=1 if error else 0,
        next_due=T0 + timedelta(minutes=5),
        outlet=None if error else "Outlet A",
    )
    return FeedResult(
        feed=feed,
        url=state.url,
        outcome=outcome,  # type: ignore[arg-type]
        state=state,
        items=tuple(items),
        claims=tuple(claims),
        error=error,
    )


def batch(start: int, count: int, *, feed: str = "Feed A", source: str = "sana") -> FeedResult:
    """`count` items numbered from `start`, each with one claim."""
    items = [item(n, minutes=n, feed=feed) for n in range(start, start + count)]
    return result(items, [claim(i, source) for i in items], feed=feed)
