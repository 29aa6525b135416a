"""`sitboard extract`: files in, items, claims and city status out, with no database.

The JSON form is a public contract (DESIGN.md, README "The extract contract"): keep it stable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .claims import Extractor
from .model import CityStatus, Claim, Item
from .parse import parse_feed
from .places import PlaceMatcher
from .profile import Profile
from .resolve import resolve_claims
from .sanitize import clean_text


class ExtractError(ValueError):
    """An input file that could not be read, with the reason."""


@dataclass(frozen=True, slots=True)
class Extraction:
    items: tuple[Item, ...]
    claims: tuple[Claim, ...]
    status: tuple[CityStatus, ...]


def read_text_item(path: Path, matcher: PlaceMatcher, published: datetime | None) -> Item:
    """A .txt file as one item: the first line is the title, the rest the body."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExtractError(f"{path}: cannot read: {exc}") from exc
    title, _, body = clean_text(raw).strip().partition("\n")
    digest = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]
    return Item(
        id=f"{path.name}#{digest}",
        feed=path.stem,
        outlet=path.stem,
        title=title.strip(),
        text=body.strip(),
        link=None,
        published=published,
        fetched=datetime.now(UTC),
        places=matcher.places(f"{title}\n{body}"),
    )


def read_items(
    paths: Iterable[Path], profile: Profile, *, published: datetime | None = None
) -> list[Item]:
    """Items from .txt files and RSS/Atom files (anything that is not .txt is read as a feed)."""
    matcher = PlaceMatcher(profile)
    items: list[Item] = []
    for path in paths:
        if path.suffix.lower() == ".txt":
            items.append(read_text_item(path, matcher, published))
            continue
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise ExtractError(f"{path}: cannot read: {exc}") from exc
        parsed = parse_feed(
            content,
            {},
            feed=path.stem,
            url=path.resolve().as_uri(),
            fetched=datetime.now(UTC),
            matcher=matcher,
        )
        if parsed.error and not parsed.items:
            raise ExtractError(f"{path}: {parsed.error}")
        items.extend(parsed.items)
    return items


def extract(items: Sequence[Item], profile: Profile) -> Extraction:
    extractor = Extractor(profile)
    claims = tuple(claim for item in items for claim in extractor.extract(item))
    return Extraction(tuple(items), claims, tuple(resolve_claims(claims, profile)))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def to_json(result: Extraction) -> dict:
    """The contract's JSON object. `support`/`against` index into `claims`."""
    index: dict[str, int] = {}
    for n, claim in enumerate(result.claims):
        index.setdefault(claim.id, n)
    return {
        "items": [
            {
                "id": item.id,
                "outlet": item.outlet,
                "title": item.title,
                "published": _iso(item.published),
                "places": list(item.places),
            }
            for item in result.items
        ],
        "claims": [
            {
                "item": c.item,
                "source": c.source,
                "side": c.side,
                "city": c.city,
                "state": c.state,
                "kind": c.kind,
                "stance": c.stance,
                "when": _iso(c.when),
                "evidence": c.evidence,
                "confidence": round(c.confidence, 3),
            }
            for c in result.claims
        ],
        "status": [
            {
                "city": s.city,
                "state": s.state,
                "since": _iso(s.since),
                "confidence": round(s.confidence, 3),
                "disputed": s.disputed,
                "support": [index[c.id] for c in s.support if c.id in index],
                "against": [index[c.id] for c in s.against if c.id in index],
            }
            for s in result.status
        ],
    }


def to_text(result: Extraction, profile: Profile) -> str:
    """A readable form for people (logical-order text; the terminal shapes it or not)."""
    lines: list[str] = []
    by_item: dict[str, list[Claim]] = {}
    for claim in result.claims:
        by_item.setdefault(claim.item, []).append(claim)
    for item in result.items:
        when = item.published.strftime("%Y-%m-%d %H:%M") if item.published else "undated"
        lines.append(f"■ {item.title}")
        places = ", ".join(profile.place_name(p) for p in item.places) or "no places"
        lines.append(f"  {item.outlet} · {when} · {places}")
        for c in by_item.get(item.id, []):
            at = c.when.strftime("%Y-%m-%d %H:%M") if c.when else "?"
            lines.append(
                f"  - {profile.actor_name(c.source)} ({c.side}) says {profile.place_name(c.city)}"
                f" is {c.state}: {c.kind}/{c.stance} at {at}, confidence {c.confidence:.2f}"
            )
            lines.append(f"      «{c.evidence}»")
        lines.append("")
    lines.append("Status")
    if not result.status:
        lines.append("  (no claims about any city)")
    for s in result.status:
        since = s.since.strftime("%Y-%m-%d %H:%M") if s.since else "?"
        dispute = "  DISPUTED" if s.disputed else ""
        lines.append(
            f"  {profile.place_name(s.city):<18} {s.state:<10} since {since}"
            f"  confidence {s.confidence:.0%}{dispute}"
        )
    return "\n".join(lines) + "\n"
