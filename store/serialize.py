"""Model dataclasses to JSON-ready dicts and back, exactly.

Datetimes become ISO-8601 strings, tuples become lists, frozensets sorted lists. Every
`*_from_dict` is the inverse of its `*_to_dict`: `x_from_dict(x_to_dict(v)) == v`.
A malformed document raises ValueError (or KeyError/TypeError), which the store reports
as a corrupt database.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sitboard.ingest.model import (
    CityStatus,
    Claim,
    FeedResult,
    FeedState,
    Filters,
    Item,
    StatusChange,
)

Doc = dict[str, Any]


def dt_to_str(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def dt_from_str(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO date string, got {type(value).__name__}")
    return datetime.fromisoformat(value)


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {type(value).__name__}")
    return value


def _opt_str(value: object) -> str | None:
    return None if value is None else _str(value)


def _strs(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"expected a list, got {type(value).__name__}")
    return tuple(_str(v) for v in value)


def item_to_dict(item: Item) -> Doc:
    return {
        "id": item.id,
        "feed": item.feed,
        "outlet": item.outlet,
        "title": item.title,
        "text": item.text,
        "link": item.link,
        "published": dt_to_str(item.published),
        "fetched": dt_to_str(item.fetched),
        "places": list(item.places),
    }


def item_from_dict(doc: Mapping[str, Any]) -> Item:
    fetched = dt_from_str(doc["fetched"])
    if fetched is None:
        raise ValueError("item without a fetch time")
    return Item(
        id=_str(doc["id"]),
        feed=_str(doc["feed"]),
        outlet=_str(doc["outlet"]),
        title=_str(doc["title"]),
        text=_str(doc["text"]),
        link=_opt_str(doc.get("link")),
        published=dt_from_str(doc.get("published")),
        fetched=fetched,
        places=_strs(doc.get("places", [])),
    )


def claim_to_dict(claim: Claim) -> Doc:
    return {
        "item": claim.item,
        "source": claim.source,
        "side": claim.side,
        "city": claim.city,
        "state": claim.state,
        "kind": claim.kind,
        "stance": claim.stance,
        "when": dt_to_str(claim.when),
        "evidence": claim.evidence,
        "confidence": claim.confidence,
        "outlet": claim.outlet,
    }


def claim_from_dict(
    doc: Mapping[str, Any],
    strings: dict[str, str] | None = None,
    times: dict[str, datetime | None] | None = None,
) -> Claim:
    """The claim of `doc`; with `strings` and `times`, equal values decoded before are
    shared instead of copied (many claims repeat an item id, a sentence, a time)."""
    confidence = doc["confidence"]
    if not isinstance(confidence, int | float) or isinstance(confidence, bool):
        raise ValueError("claim confidence is not a number")
    text = doc.get("when")
    if times is None or not isinstance(text, str):
        when = dt_from_str(text)
    else:
        when = times.get(text)
        if when is None:
            when = times[text] = dt_from_str(text)
    fields = [doc[name] for name in _CLAIM_STRINGS]
    fields.append(doc.get("outlet", ""))
    for value in fields:
        if type(value) is not str:
            raise ValueError(f"expected a string, got {type(value).__name__}")
    if strings is not None:
        share = strings.setdefault
        fields = [share(value, value) for value in fields]
    item, source, side, city, state, kind, stance, evidence, outlet = fields
    return Claim(
        item=item,
        source=source,
        side=side,
        city=city,
        state=state,
        kind=kind,
        stance=stance,
        when=when,
        evidence=evidence,
        confidence=float(confidence),
        outlet=outlet,
    )


_CLAIM_STRINGS = ("item", "source", "side", "city", "state", "kind", "stance", "evidence")


def _claims(value: object) -> tuple[Claim, ...]:
    if not isinstance(value, list):
        raise ValueError("expected a list of claims")
    return tuple(claim_from_dict(v) for v in value)


def status_to_dict(status: CityStatus) -> Doc:
    return {
        "city": status.city,
        "state": status.state,
        "since": dt_to_str(status.since),
        "confidence": status.confidence,
        "disputed": status.disputed,
        "support": [claim_to_dict(c) for c in status.support],
        "against": [claim_to_dict(c) for c in status.against],
    }


def status_from_dict(doc: Mapping[str, Any]) -> CityStatus:
    return CityStatus(
        city=_str(doc["city"]),
        state=_str(doc["state"]),
        since=dt_from_str(doc.get("since")),
        confidence=float(doc["confidence"]),
        disputed=bool(doc["disputed"]),
        support=_claims(doc.get("support", [])),
        against=_claims(doc.get("against", [])),
    )


def change_to_dict(change: StatusChange) -> Doc:
    return {
        "city": change.city,
        "old": change.old,
        "new": change.new,
        "at": dt_to_str(change.at),
        "cause": [claim_to_dict(c) for c in change.cause],
        "disputed": change.disputed,
    }


def change_from_dict(doc: Mapping[str, Any]) -> StatusChange:
    return StatusChange(
        city=_str(doc["city"]),
        old=_str(doc["old"]),
        new=_str(doc["new"]),
        at=dt_from_str(doc.get("at")),
        cause=_claims(doc.get("cause", [])),
        disputed=bool(doc.get("disputed", False)),
    )


def feed_state_to_dict(state: FeedState) -> Doc:
    return {
        "name": state.name,
        "url": state.url,
        "etag": state.etag,
        "last_modified": state.last_modified,
        "last_fetch": dt_to_str(state.last_fetch),
        "last_ok": dt_to_str(state.last_ok),
        "last_outcome": state.last_outcome,
        "last_status": state.last_status,
        "last_error": state.last_error,
        "last_new": state.last_new,
        "failures": state.failures,
        "next_due": dt_to_str(state.next_due),
        "outlet": state.outlet,
    }


def _opt_int(value: object) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("expected an integer")
    return value


def feed_state_from_dict(doc: Mapping[str, Any]) -> FeedState:
    outcome = doc.get("last_outcome")
    if outcome not in (None, "new", "not-modified", "error", "skipped"):
        raise ValueError(f"unknown feed outcome {outcome!r}")
    return FeedState(
        name=_str(doc["name"]),
        url=_str(doc["url"]),
        etag=_opt_str(doc.get("etag")),
        last_modified=_opt_str(doc.get("last_modified")),
        last_fetch=dt_from_str(doc.get("last_fetch")),
        last_ok=dt_from_str(doc.get("last_ok")),
        last_outcome=outcome,
        last_status=_opt_int(doc.get("last_status")),
        last_error=_opt_str(doc.get("last_error")),
        last_new=_opt_int(doc.get("last_new")) or 0,
        failures=_opt_int(doc.get("failures")) or 0,
        next_due=dt_from_str(doc.get("next_due")),
        outlet=_opt_str(doc.get("outlet")),
    )


def filters_to_dict(filters: Filters) -> Doc:
    return {
        "cities": sorted(filters.cities),
        "sources": sorted(filters.sources),
        "text": filters.text,
    }


def filters_from_dict(doc: Mapping[str, Any]) -> Filters:
    return Filters(
        cities=frozenset(_strs(doc.get("cities", []))),
        sources=frozenset(_strs(doc.get("sources", []))),
        text=_str(doc.get("text", "")),
    )


def feed_result_to_dict(result: FeedResult) -> Doc:
    return {
        "feed": result.feed,
        "url": result.url,
        "outcome": result.outcome,
        "state": feed_state_to_dict(result.state),
        "items": [item_to_dict(i) for i in result.items],
        "claims": [claim_to_dict(c) for c in result.claims],
        "status": result.status,
        "error": result.error,
        "elapsed": result.elapsed,
    }


def feed_result_from_dict(doc: Mapping[str, Any]) -> FeedResult:
    return FeedResult(
        feed=_str(doc["feed"]),
        url=_str(doc["url"]),
        outcome=doc["outcome"],
        state=feed_state_from_dict(doc["state"]),
        items=tuple(item_from_dict(i) for i in doc.get("items", [])),
        claims=_claims(doc.get("claims", [])),
        status=_opt_int(doc.get("status")),
        error=_opt_str(doc.get("error")),
        elapsed=float(doc.get("elapsed", 0.0)),
    )
