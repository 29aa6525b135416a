"""The board as of the last commit, kept in the database beside the data it sums up.

Each commit writes one "board" document in the same atomic write as its items and claims:
the resolved status of every city with claims, the newest headlines, each source's claim
count and newest claims, the newest status changes of the watched cities, the feeds and
the counts. Opening a large store reads only this document (from the end of the file) to
paint the unfiltered board; everything else is loaded afterwards (Store.finish_loading).

The document is stamped with what it depends on: the schema, the resolver's code, the
profile, the watch list and the number of items and claims. A stamp that does not match
means the document is not used: the store loads everything and replays the claims.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from sitboard.ingest import resolve
from sitboard.ingest.model import CityStatus, Claim, FeedState, Item, StatusChange
from sitboard.ingest.profile import Profile

from . import serialize as ser

BOARD_TABLE = "board"  # written last in the file (storage.AtomicJSONStorage(last_table=...))
HEADLINES = 100  # what the board keeps: enough for view()'s defaults
PER_SOURCE = 50
HISTORY = 200


@cache
def resolver_digest() -> str:
    """What identifies the resolver's rules: a digest of its source file."""
    try:
        code = Path(resolve.__file__ or "").read_bytes()
    except OSError:
        return "unknown"
    return hashlib.sha256(code).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Stamp:
    schema: int
    resolver: str
    profile: str | None
    watch: tuple[str, ...]
    items: int
    claims: int

    def resolves_like(self, other: Stamp) -> bool:
        """True when statuses resolved under `self` hold under `other` (same rules, same
        claims counted)."""
        return (self.schema, self.resolver, self.profile, self.items, self.claims) == (
            other.schema,
            other.resolver,
            other.profile,
            other.items,
            other.claims,
        )


def make_stamp(
    schema: int, profile: Profile | None, watch: Sequence[str], items: int, claims: int
) -> Stamp:
    return Stamp(
        schema=schema,
        resolver=resolver_digest(),
        profile=None if profile is None else profile.name,
        watch=tuple(watch),
        items=items,
        claims=claims,
    )


@dataclass(frozen=True, slots=True)
class Board:
    """The unfiltered board and the statuses as of one commit."""

    stamp: Stamp
    status: dict[str, CityStatus] | None  # None: the resolver failed at that commit
    headlines: tuple[Item, ...]  # newest first, up to HEADLINES
    sources: tuple[tuple[str, int, tuple[Claim, ...]], ...]  # (source, count, newest first)
    items: dict[str, Item]  # headlines and the items of shown claims without a time
    feeds: dict[str, FeedState]
    history: tuple[StatusChange, ...]  # newest first: the watched cities' last HISTORY
    history_count: int


class _Claims:
    """Claims written once in the document and referred to by position."""

    def __init__(self) -> None:
        self.docs: list[dict[str, Any]] = []
        self._at: dict[Claim, int] = {}

    def ref(self, claim: Claim) -> int:
        n = self._at.get(claim)
        if n is None:
            n = self._at[claim] = len(self.docs)
            self.docs.append(ser.claim_to_dict(claim))
        return n

    def refs(self, claims: Sequence[Claim]) -> list[int]:
        return [self.ref(c) for c in claims]


def board_to_dict(board: Board) -> dict[str, Any]:
    claims = _Claims()
    status = None
    if board.status is not None:
        status = [
            {
                "city": s.city,
                "state": s.state,
                "since": ser.dt_to_str(s.since),
                "confidence": s.confidence,
                "disputed": s.disputed,
                "support": claims.refs(s.support),
                "against": claims.refs(s.against),
            }
            for s in board.status.values()
        ]
    sources = [[source, count, claims.refs(shown)] for source, count, shown in board.sources]
    history = [
        {**ser.change_to_dict(change), "cause": claims.refs(change.cause)}
        for change in board.history
    ]
    stamp = board.stamp
    return {
        "stamp": {
            "schema": stamp.schema,
            "resolver": stamp.resolver,
            "profile": stamp.profile,
            "watch": list(stamp.watch),
            "items": stamp.items,
            "claims": stamp.claims,
        },
        "claims": claims.docs,
        "status": status,
        "headlines": [item.id for item in board.headlines],
        "items": [ser.item_to_dict(item) for item in board.items.values()],
        "sources": sources,
        "feeds": [ser.feed_state_to_dict(state) for state in board.feeds.values()],
        "history": history,
        "history_count": board.history_count,
    }


def _int(value: object) -> int:
    if type(value) is not int:
        raise ValueError("expected an integer")
    return value


def board_from_dict(doc: Mapping[str, Any]) -> Board:
    """The board of `doc`; ValueError/KeyError/TypeError when it is malformed."""
    raw = doc["stamp"]
    stamp = Stamp(
        schema=_int(raw["schema"]),
        resolver=str(raw["resolver"]),
        profile=None if raw["profile"] is None else str(raw["profile"]),
        watch=tuple(str(c) for c in raw["watch"]),
        items=_int(raw["items"]),
        claims=_int(raw["claims"]),
    )
    strings: dict[str, str] = {}
    claims = [ser.claim_from_dict(c, strings, {}) for c in doc["claims"]]

    def refs(value: object) -> tuple[Claim, ...]:
        if not isinstance(value, list):
            raise ValueError("expected a list of claim positions")
        return tuple(claims[_int(n)] for n in value)

    status: dict[str, CityStatus] | None = None
    if doc["status"] is not None:
        status = {}
        for s in doc["status"]:
            city = str(s["city"])
            status[city] = CityStatus(
                city=city,
                state=str(s["state"]),
                since=ser.dt_from_str(s["since"]),
                confidence=float(s["confidence"]),
                disputed=bool(s["disputed"]),
                support=refs(s["support"]),
                against=refs(s["against"]),
            )
    items = {item.id: item for item in map(ser.item_from_dict, doc["items"])}
    headlines = tuple(items[str(i)] for i in doc["headlines"])
    sources = tuple(
        (str(source), _int(count), refs(shown)) for source, count, shown in doc["sources"]
    )
    feeds = {state.name: state for state in map(ser.feed_state_from_dict, doc["feeds"])}
    # the causes are positions in `claims`, not documents
    history = tuple(
        replace(ser.change_from_dict({**h, "cause": []}), cause=refs(h["cause"]))
        for h in doc["history"]
    )
    return Board(
        stamp=stamp,
        status=status,
        headlines=headlines,
        sources=sources,
        items=items,
        feeds=feeds,
        history=history,
        history_count=_int(doc["history_count"]),
    )
