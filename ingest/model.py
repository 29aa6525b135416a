"""The data model shared by ingest, store and tui.

Everything here is plain data: frozen dataclasses with no I/O. Datetimes are always
timezone-aware UTC. Text fields hold the original logical-order text with markup removed;
they are never reshaped for display.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

# Stable vocabularies (DESIGN.md). Profiles may add actors and cities, never parties or kinds.
PARTIES: tuple[str, ...] = ("gov", "opp", "sdf")
STATES: tuple[str, ...] = (*PARTIES, "contested", "unknown")
SIDES: tuple[str, ...] = (*PARTIES, "observer", "media")
KINDS: tuple[str, ...] = (
    "capture",
    "entry",
    "recapture",
    "loss",
    "withdrawal",
    "hold",
    "repel",
    "denial",
    "fighting",
)
STANCES: tuple[str, ...] = ("assert", "admit", "deny", "allege")

Outcome = Literal["new", "not-modified", "error", "skipped"]


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """One `[[feeds]]` table of feeds.toml."""

    name: str
    url: str  # http(s)://, file:// or an absolute filesystem path (relative ones are resolved)
    interval: float | None = None  # seconds; None means the board default
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class BoardConfig:
    """The `[board]` table of feeds.toml."""

    watch: tuple[str, ...] = ("aleppo", "idlib", "hama")
    interval: float = 300.0  # seconds
    db: str | None = None  # path; None means the user's data directory
    profile: str = "syria"
    bidi: Literal["auto", "on", "off"] = "auto"
    retention_days: int | None = None  # None keeps everything
    bell: bool = False  # ring the terminal bell when a watched city changes hands
    workers: int | None = None  # processes for parsing and reading; None: one per core, up to 4


@dataclass(frozen=True, slots=True)
class Config:
    board: BoardConfig
    feeds: tuple[FeedConfig, ...]
    source: str | None = None  # the file this came from, for messages


@dataclass(frozen=True, slots=True)
class Item:
    """One news item, parsed and cleaned."""

    id: str  # stable: guid, else link, else a hash of the content
    feed: str  # the feed's name in feeds.toml
    outlet: str  # the publishing outlet's name (feed title, else the feed name)
    title: str
    text: str  # body, HTML removed, entities decoded
    link: str | None
    published: datetime | None  # UTC; None when the feed gave no usable date
    fetched: datetime  # UTC, when this item was first parsed
    places: tuple[str, ...] = ()  # place ids mentioned (city, countryside or governorate)

    @property
    def when(self) -> datetime:
        """The best time for ordering: published, else fetched."""
        return self.published or self.fetched


@dataclass(frozen=True, slots=True)
class Claim:
    """Who says what about which city, in one sentence of one item."""

    item: str  # Item.id
    source: str  # actor id: syrian-army, opposition, sohr, sana, russia, ..., media, outlet
    side: str  # gov / opp / sdf / observer / media
    city: str  # place id
    state: str  # gov / opp / sdf / contested / unknown: who holds the city, per this claim
    kind: str  # one of KINDS
    stance: str  # one of STANCES
    when: datetime | None  # UTC: the time the claim is about
    evidence: str  # the sentence, original text
    confidence: float  # 0..1, the extractor's confidence in its own reading
    outlet: str = ""  # the outlet that published the item

    @property
    def id(self) -> str:
        """Stable identity within a database: one claim per (item, source, city, kind, sentence)."""
        return f"{self.item}\x1f{self.source}\x1f{self.city}\x1f{self.kind}\x1f{self.evidence}"


@dataclass(frozen=True, slots=True)
class CityStatus:
    """A watched city's resolved state."""

    city: str
    state: str  # gov / opp / sdf / contested / unknown
    since: datetime | None
    confidence: float
    disputed: bool
    support: tuple[Claim, ...] = ()
    against: tuple[Claim, ...] = ()


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One step in a city's history: the state changed at `at` because of `cause`."""

    city: str
    old: str
    new: str
    at: datetime | None
    cause: tuple[Claim, ...] = ()
    disputed: bool = False


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the board remembers about fetching one feed."""

    name: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_fetch: datetime | None = None  # last attempt
    last_ok: datetime | None = None  # last attempt that returned a feed (or 304)
    last_outcome: Outcome | None = None
    last_status: int | None = None  # HTTP status, None for files and network errors
    last_error: str | None = None
    last_new: int = 0  # new items stored by the last successful fetch
    failures: int = 0  # consecutive failures
    next_due: datetime | None = None  # earliest time for the next scheduled fetch
    outlet: str | None = None  # the feed's own title, once seen


@dataclass(frozen=True, slots=True)
class FeedResult:
    """The outcome of polling one feed once: what ingest hands to store."""

    feed: str
    url: str
    outcome: Outcome
    state: FeedState  # the feed's state after this poll
    items: tuple[Item, ...] = ()  # items not seen before, newest first
    claims: tuple[Claim, ...] = ()  # claims from those items
    status: int | None = None
    error: str | None = None
    elapsed: float = 0.0  # seconds

    def summary(self) -> str:
        """One human line, as `sitboard poll --once` prints it."""
        if self.outcome == "error":
            return f"{self.feed}: error: {self.error}"
        if self.outcome == "not-modified":
            return f"{self.feed}: not modified"
        if self.outcome == "skipped":
            return f"{self.feed}: skipped (not due)"
        return f"{self.feed}: {len(self.items)} new item(s), {len(self.claims)} claim(s)"


@dataclass(frozen=True, slots=True)
class Filters:
    """What the board is narrowed to. Empty sets mean no narrowing."""

    cities: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()  # actor ids and/or outlet names
    text: str = ""

    @property
    def active(self) -> bool:
        return bool(self.cities or self.sources or self.text)


@dataclass(frozen=True, slots=True)
class BoardView:
    """Everything one screen (or one export) shows, already filtered."""

    generated: datetime
    filters: Filters
    status: tuple[CityStatus, ...]  # watched cities, in watch order (narrowed by city filter)
    claims_by_source: tuple[tuple[str, tuple[Claim, ...]], ...]  # (actor id, newest first)
    headlines: tuple[Item, ...]  # newest first
    feeds: tuple[FeedState, ...] = field(default=())
    history: tuple[StatusChange, ...] = field(default=())  # newest first, for shown cities
