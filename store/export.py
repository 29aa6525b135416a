"""A board view as a Markdown snapshot: control status, claims by source, latest headlines.

Feed text is untrusted: every piece of it goes through `escape_cell`, which neutralises
Markdown and HTML syntax and keeps the text in logical order (it is never reshaped).
The output depends only on the view and the profile, so a fixed view renders identically.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from sitboard.ingest.model import BoardView, CityStatus, Claim, Filters, Item
from sitboard.ingest.profile import Profile
from sitboard.ingest.sanitize import clean_text, one_line

if TYPE_CHECKING:
    from .store import Store

# Feed text first goes through the same cleaning as the screen (ingest/sanitize.one_line:
# escape sequences, controls, bidi and zero-width characters removed, line breaks of every
# kind become spaces), then Markdown and HTML syntax is escaped.
_MARKDOWN = set("\\`*_[]|~$")  # $ too: GitHub renders $...$ as math
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LEADING = set("#>+-=")

STANCE_WORDS = {"assert": "claims", "admit": "admits", "deny": "denies", "allege": "alleges"}
KIND_WORDS = {
    "capture": "capture of {city}",
    "entry": "entry into {city}",
    "recapture": "recapture of {city}",
    "loss": "loss of {city}",
    "withdrawal": "withdrawal from {city}",
    "hold": "holding {city}",
    "repel": "repelling an attack on {city}",
    "denial": "denial of reports about {city}",
    "fighting": "fighting in {city}",
}
NONE = "—"


def escape_cell(text: str) -> str:
    """Untrusted text made inert for a Markdown table cell or a line of prose."""
    text = one_line(text)
    out = []
    for ch in text:
        if ch in _HTML:
            out.append(_HTML[ch])
        elif ch in _MARKDOWN:
            out.append("\\" + ch)
        else:
            out.append(ch)
    escaped = "".join(out)
    if escaped[:1] in _LEADING:
        escaped = "\\" + escaped
    return escaped


def safe_link(url: str | None) -> str:
    """An http(s) URL as a Markdown autolink, percent-encoding anything that could break
    out of it (or out of the table cell); anything else is not linked."""
    if not url:
        return NONE
    url = clean_text(url).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return NONE
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return NONE
    return "<" + quote(url, safe="!#$%&'()*+,-./:;=?@[]~_") + ">"


def format_time(when: datetime | None) -> str:
    if when is None:
        return NONE
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def state_label(state: str, profile: Profile) -> str:
    party = profile.parties.get(state)
    if party is not None:
        return party.en
    return state.capitalize()


def claim_words(claim: Claim, profile: Profile) -> str:
    """What a claim says, in words: 'admits withdrawal from Hama; held by Opposition'."""
    city = profile.place_name(claim.city)
    verb = STANCE_WORDS.get(claim.stance, claim.stance)
    what = KIND_WORDS.get(claim.kind, claim.kind + " in {city}").format(city=city)
    if claim.state in profile.parties:
        held = f"held by {state_label(claim.state, profile)}"
    else:
        held = state_label(claim.state, profile).lower()
    return f"{verb} {what}; {held}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)]


def _filters_line(filters: Filters, profile: Profile) -> str:
    if not filters.active:
        return "none"
    parts = []
    if filters.cities:
        names = [f"{profile.place_name(c)} ({c})" for c in sorted(filters.cities)]
        parts.append("cities: " + ", ".join(escape_cell(n) for n in names))
    if filters.sources:
        names = [
            f"{profile.actor_name(s)} ({s})" if s in profile.actors else s
            for s in sorted(filters.sources)
        ]
        parts.append("sources: " + ", ".join(escape_cell(n) for n in names))
    if filters.text:
        parts.append("text: " + escape_cell(filters.text))
    return "; ".join(parts)


def _disputed(status: CityStatus, profile: Profile) -> str:
    if not status.disputed:
        return "no"
    by = list(dict.fromkeys(profile.actor_name(c.source) for c in status.against))
    return "yes, by " + ", ".join(escape_cell(b) for b in by) if by else "yes"


def _status_rows(view: BoardView, profile: Profile) -> list[list[str]]:
    rows = []
    for status in view.status:
        place = profile.places.get(status.city)
        rows.append(
            [
                escape_cell(place.en if place else status.city),
                escape_cell(place.ar if place else ""),
                escape_cell(state_label(status.state, profile)),
                format_time(status.since),
                f"{round(status.confidence * 100)}%",
                _disputed(status, profile),
            ]
        )
    return rows


def _claim_rows(
    claims: tuple[Claim, ...], profile: Profile, item_times: Mapping[str, datetime]
) -> list[list[str]]:
    return [
        [
            format_time(c.when or item_times.get(c.item)),
            escape_cell(profile.place_name(c.city)),
            escape_cell(claim_words(c, profile)),
            escape_cell(c.outlet) if c.outlet else NONE,
            escape_cell(c.evidence),
        ]
        for c in claims
    ]


def _headline_rows(items: tuple[Item, ...]) -> list[list[str]]:
    return [
        [format_time(i.when), escape_cell(i.outlet), escape_cell(i.title), safe_link(i.link)]
        for i in items
    ]


def render_markdown(
    view: BoardView, profile: Profile, *, item_times: Mapping[str, datetime] | None = None
) -> str:
    """The view as Markdown. `item_times` (item id -> time) dates claims that have no
    time of their own, by their item's; without it such claims show "—"."""
    times = item_times if item_times is not None else {}
    lines = [
        "# sitboard snapshot",
        "",
        f"Generated at: {format_time(view.generated)}",
        "",
        f"Filters: {_filters_line(view.filters, profile)}",
        "",
        "## Control status",
        "",
    ]
    if view.status:
        header = ["City", "Arabic", "State", "Since", "Confidence", "Disputed"]
        lines += _table(header, _status_rows(view, profile))
    else:
        lines.append("No cities shown.")
    lines += ["", "## Claims by source", ""]
    if not view.claims_by_source:
        lines += ["No claims.", ""]
    for source, claims in view.claims_by_source:
        name = profile.actor_name(source)
        label = f"{name} ({source})" if name != source else name
        count = f"{len(claims)} claim" + ("" if len(claims) == 1 else "s")
        lines += [f"### {escape_cell(label)}: {count}", ""]
        header = ["Time", "City", "Claim", "Outlet", "Evidence"]
        lines += [*_table(header, _claim_rows(claims, profile, times)), ""]
    lines += ["## Latest headlines", ""]
    if view.headlines:
        lines += _table(["Time", "Outlet", "Title", "Link"], _headline_rows(view.headlines))
    else:
        lines.append("No headlines.")
    return "\n".join(lines) + "\n"


def export_view(store: Store, filters: Filters, profile: Profile) -> str:
    """The Markdown snapshot of what the board shows under `filters`, every claim dated (by its
    item's time when the sentence gave none). Used by the board's `e` and `sitboard export`."""
    view = store.view(filters)
    times: dict[str, datetime] = {}
    for _source, claims in view.claims_by_source:
        for claim in claims:
            if claim.item not in times and (item := store.item(claim.item)) is not None:
                times[claim.item] = item.when
    return render_markdown(view, profile, item_times=times)
