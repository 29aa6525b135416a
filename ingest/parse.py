"""Turn the raw bytes of one feed into clean Items.

feedparser gets the bytes and the HTTP headers (never decoded text), so it can pick the
encoding from the headers, the XML prolog or, with chardet installed, from the bytes
themselves: an undeclared windows-1256 feed still reads as Arabic. Everything taken from the
feed is then made plain and safe: HTML becomes text, entities are decoded, and `clean_text`
strips what could reach the terminal.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import feedparser

from .model import Item
from .places import PlaceMatcher
from .sanitize import clean_text, one_line

MAX_ITEMS = 500
MAX_TEXT = 20_000
MAX_TITLE = 1_000
MAX_ID = 500
FUTURE_SLACK = timedelta(days=1)

# Tags whose start or end begins a new line of text.
_BLOCK_TAGS = (
    "address article aside blockquote br caption dd div dl dt figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul"
)
_BLOCK = frozenset(_BLOCK_TAGS.split())
# Tags whose content is never text to read.
_SKIP_TAGS = "script style noscript template head title iframe object svg math select"
_SKIP = frozenset(_SKIP_TAGS.split())
_CELL = frozenset(("td", "th"))
_TAG_LIKE = re.compile(r"</?[A-Za-z][^<>]*>")
_SPACES = re.compile(r"[^\S\n]+")


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    outlet: str | None  # the feed's own title, cleaned; None when it has none
    items: list[Item] = field(default_factory=list)  # newest first, ids unique
    error: str | None = None  # set when the document is not a usable feed
    bozo: str | None = None  # feedparser's complaint about a feed that still parsed


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag in _CELL:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag in _CELL:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text from an HTML fragment: block tags become line breaks, scripts and styles
    are dropped, entities decoded, runs of spaces collapsed, empty lines removed."""
    if not html:
        return ""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = clean_text("".join(extractor.parts).replace("\xa0", " "))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _plain(detail: Mapping[str, Any] | None, value: str | None) -> str:
    """Text of a feedparser text construct, whatever type it claims to be."""
    if not value:
        return ""
    kind = (detail or {}).get("type", "text/html")
    if kind in ("text/html", "application/xhtml+xml"):
        return html_to_text(value)
    if _TAG_LIKE.search(value):
        # Plain text that still carries markup: strip the tags, keep its & as written.
        return html_to_text(value.replace("&", "&amp;"))
    text = clean_text(value)
    return "\n".join(
        line for line in (_SPACES.sub(" ", s).strip() for s in text.split("\n")) if line
    )


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _struct_to_utc(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _date_parser() -> Callable[[str], datetime | None] | None:
    """sitboard.ingest.when.parse_feed_date when it exists (Arabic month names and digits)."""
    try:
        from .when import parse_feed_date
    except ImportError:
        return None
    return parse_feed_date


def _raw(entry: Mapping[str, Any], key: str) -> Any:
    # Plain dict lookup: feedparser's own mapping of missing "updated*" keys to "published*"
    # warns and is going away.
    return dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)


def _published(
    entry: Mapping[str, Any],
    fetched: datetime,
    fallback: Callable[[str], datetime | None] | None,
) -> datetime | None:
    when = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        when = _struct_to_utc(_raw(entry, key))
        if when is not None:
            break
    if when is None and fallback is not None:
        for key in ("published", "updated", "created"):
            raw = _raw(entry, key)
            if not isinstance(raw, str) or not raw.strip():
                continue
            try:
                when = fallback(clean_text(raw)[:200])
            except Exception:  # another module's parser must not lose the whole feed
                when = None
            if when is not None:
                break
    if when is None:
        return None
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    if when > fetched + FUTURE_SLACK:
        return None  # a date in the future would pin the item to the top of the board forever
    return when


def _link(entry: Mapping[str, Any]) -> str | None:
    link = entry.get("link")
    if not isinstance(link, str):
        return None
    link = one_line(link)
    if not link.lower().startswith(("http://", "https://")) or len(link) > 2000:
        return None  # javascript:, data: and the like must never become something to open
    return link


def _item_id(
    entry: Mapping[str, Any],
    url: str,
    link: str | None,
    title: str,
    text: str,
    when: datetime | None,
) -> str:
    guid = entry.get("id")
    guid = one_line(guid) if isinstance(guid, str) else ""
    if guid:
        # A guid such as "12345" is only unique within its feed; qualify it with the feed URL.
        item_id = guid if ":" in guid else f"{url}#{guid}"
    elif link:
        item_id = link
    else:
        stamp = when.isoformat() if when else ""
        digest = hashlib.sha1(f"{title}\n{text}\n{stamp}".encode()).hexdigest()
        item_id = f"sha1:{digest}"
    if len(item_id) > MAX_ID:
        item_id = "sha1:" + hashlib.sha1(item_id.encode()).hexdigest()
    return item_id


def _body(entry: Mapping[str, Any], limit: int) -> str:
    candidates: list[tuple[Mapping[str, Any] | None, str]] = []
    for content in entry.get("content") or ():
        if isinstance(content, Mapping) and isinstance(content.get("value"), str):
            candidates.append((content, content["value"]))
    summary = entry.get("summary")
    if isinstance(summary, str):
        candidates.append((entry.get("summary_detail"), summary))
    if not candidates:
        return ""
    detail, raw = max(candidates, key=lambda pair: len(pair[1]))
    return _plain(detail, raw[: limit * 10])  # bound the HTML work, not only the result


_SAX_WHERE = re.compile(r"^(?:<unknown>:)?(\d+):(\d+): (.*)$")


def _reason(exc: object) -> str:
    """feedparser's complaint as one short line: "no element found (line 19, column 84)"."""
    text = one_line(str(exc)) or type(exc).__name__
    where = _SAX_WHERE.match(text)
    if where:
        text = f"{where.group(3)} (line {where.group(1)}, column {where.group(2)})"
    return text[:300]


_CLOSING_TAGS = (b"</rss>", b"</feed>", b"</rdf:rdf>", b"</rdf>")


def _truncated(content: bytes) -> bool:
    """True when the document stops before its root element is closed."""
    tail = content.rstrip()[-256:].lower()
    return not any(tag in tail for tag in _CLOSING_TAGS)


# A numeric character reference to no character (past U+10FFFF, or too big for a C int) makes
# feedparser's chr() raise and lose the whole document; it becomes U+FFFD instead.
_CHAR_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,40})|([0-9]{1,40}));")


def _safe_reference(match: re.Match[bytes]) -> bytes:
    hex_digits, decimal = match.groups()
    value = int(hex_digits, 16) if hex_digits else int(decimal)
    return match.group(0) if value <= 0x10FFFF else b"&#xFFFD;"


def parse_feed(
    content: bytes,
    headers: Mapping[str, str],
    *,
    feed: str,
    url: str,
    fetched: datetime,
    matcher: PlaceMatcher,
    max_items: int = MAX_ITEMS,
    max_text: int = MAX_TEXT,
) -> ParsedFeed:
    """Parse one fetched document into Items (newest first, at most `max_items`)."""
    if not content.strip():
        return ParsedFeed(outlet=None, error="not a feed: empty response")
    content = _CHAR_REFERENCE.sub(_safe_reference, content)
    try:
        # Every HTML fragment becomes plain text here (html_to_text), so feedparser's own
        # sanitising and rewriting of links inside HTML would be work thrown away: 40% of its
        # time on an Arabic news feed. Item links are resolved either way.
        parsed = feedparser.parse(
            content,
            response_headers={k.lower(): v for k, v in headers.items()},
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except (ValueError, LookupError, UnicodeError, OverflowError) as exc:
        # feedparser trusts the declared encoding's name: a NUL or a non-ASCII byte in it
        # escapes as an exception instead of a bozo flag.
        return ParsedFeed(outlet=None, error=f"not a feed: unreadable encoding ({exc})")
    exc = parsed.get("bozo_exception") if parsed.get("bozo") else None
    bozo = _reason(exc) if exc is not None else None
    entries = parsed.get("entries") or []
    if exc is not None and entries and _truncated(content):
        entries = entries[:-1]  # the entry the document was cut off in is a fragment
    if not entries:
        if not parsed.get("version"):
            return ParsedFeed(outlet=None, error=f"not a feed: {bozo or 'no RSS or Atom found'}")
        if exc is not None and not isinstance(exc, feedparser.CharacterEncodingOverride):
            return ParsedFeed(outlet=None, error=f"not a feed: {bozo}", bozo=bozo)
    channel = parsed.get("feed") or {}
    outlet = one_line(_plain(channel.get("title_detail"), channel.get("title")))[:200] or None
    items = list(
        _items(
            entries, feed=feed, url=url, fetched=fetched, outlet=outlet or feed, max_text=max_text
        )
    )
    # Newest first; undated items after the dated ones, in the feed's own order.
    items.sort(
        key=lambda item: item.published.timestamp() if item.published else float("-inf"),
        reverse=True,
    )
    unique: dict[str, Item] = {}
    for item in items:
        unique.setdefault(item.id, item)
    kept = [
        replace(item, places=matcher.places(f"{item.title}\n{item.text}"))
        for item in list(unique.values())[:max_items]
    ]
    return ParsedFeed(outlet=outlet, items=kept, bozo=bozo)


def _items(
    entries: Iterable[Mapping[str, Any]],
    *,
    feed: str,
    url: str,
    fetched: datetime,
    outlet: str,
    max_text: int,
) -> Iterable[Item]:
    fallback = _date_parser()
    for entry in entries:
        title = one_line(_plain(entry.get("title_detail"), entry.get("title")))
        text = _body(entry, max_text)
        if one_line(text) == title:
            text = ""  # descriptions that only repeat the title add nothing
        if not title and not text:
            continue
        if not title:
            title = _cut(one_line(text), 160)
        title = _cut(title, MAX_TITLE)
        text = _cut(text, max_text)
        when = _published(entry, fetched, fallback)
        link = _link(entry)
        yield Item(
            id=_item_id(entry, url, link, title, text, when),
            feed=feed,
            outlet=outlet,
            title=title,
            text=text,
            link=link,
            published=when,
            fetched=fetched,
        )
