"""ItemScreen: one news item in full, with why the board read what it read from it.

The title and body with places, speakers, reporting verbs and event words marked; the marked
words listed under the text; the claims drawn from the item; the outlet and the link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from sitboard.ingest.model import Claim, Item
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer, Header, Static

from .bidi import Mode, truncate_line
from .display import claim_summary, one_line, short_time, source_name, state_text
from .highlight import KINDS, Highlighter, Kind, MarkedWord, marked_words
from .live import ClaimBlock, LiveScreen
from .marked_text import MarkedText

if TYPE_CHECKING:
    from sitboard.ingest.profile import Profile
    from sitboard.store import Store

KIND_TITLES: dict[Kind, str] = {
    "place": "Places",
    "speaker": "Speakers",
    "verb": "Verbs",
    "event": "Events",
}
SCOPE_WORDS = {"city": "city", "countryside": "countryside", "governorate": "province"}
WORD_WIDTH = 30  # cells for one marked word in the list


class EntryLines(Widget):
    """Rows of short entries, wrapped between entries only: an entry holding reordered Arabic
    must never be cut in two, or its halves would come out in the wrong order."""

    DEFAULT_CSS = """
    EntryLines {
        height: auto;
    }
    """

    SEPARATOR = " · "

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[list[Text]] = []

    def show(self, rows: list[list[Text]]) -> None:
        self._rows = rows
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Text]:
        out: list[Text] = []
        for row in self._rows:
            if not row:
                continue
            line = row[0].copy()
            for n, entry in enumerate(row[1:]):
                gap = " " if n == 0 else self.SEPARATOR
                if line.cell_len + len(gap) + entry.cell_len > width and line.cell_len > 2:
                    out.append(line)
                    line = Text("  ")
                    gap = ""
                line.append(gap, "dim")
                line.append_text(entry)
            out.append(line)
        return out

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.lines(width)))

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for n, line in enumerate(self.lines(self.content_size.width)):
            if n:
                text.append("\n")
            text.append_text(line)
        return text


class ItemScreen(LiveScreen):
    """The item `item_id` of `store`; `reload()` re-reads it and its claims."""

    DEFAULT_CSS = """
    ItemScreen #item-scroll {
        padding: 0 1;
    }
    ItemScreen .item-heading {
        margin-top: 1;
        color: $text-accent;
        text-style: bold;
    }
    ItemScreen #item-meta {
        color: $text-muted;
    }
    ItemScreen #item-title {
        text-style: bold;
        margin-bottom: 1;
    }
    ItemScreen #item-claims {
        height: auto;
    }
    ItemScreen .claim {
        margin-bottom: 1;
    }
    """

    def __init__(
        self,
        store: Store,
        profile: Profile,
        mode: Mode,
        item_id: str,
        *,
        highlighter: Highlighter | None = None,
    ) -> None:
        super().__init__(store, profile, mode, highlighter=highlighter)
        self.item_id = item_id
        self.item: Item | None = None
        self.claims: tuple[Claim, ...] = ()
        self._shown: object = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="item-scroll"):
            yield Static(id="item-meta", markup=False)
            yield MarkedText(id="item-title")
            yield Static(id="item-link", markup=False)
            yield Static("Text", classes="item-heading", markup=False)
            yield MarkedText(id="item-text")
            yield Static("Marked words", classes="item-heading", markup=False)
            yield EntryLines(id="item-marks")
            yield Static(id="item-claims-heading", classes="item-heading", markup=False)
            yield Vertical(id="item-claims")
        yield Footer()

    def draw(self) -> None:
        self.item = self.store.item(self.item_id)
        self.claims = self.store.claims_for_item(self.item_id)
        item = self.item
        mode = self.mode
        shown = (item, self.claims, mode)
        if shown == self._shown:
            return  # nothing new: keep focus and scroll position
        self._shown = shown
        meta = self.query_one("#item-meta", Static)
        if item is None:
            self.title = "Item"
            meta.update(Text("This item is no longer in the database.", style="italic"))
            self.query_one("#item-title", MarkedText).show("", (), mode)
            self.query_one("#item-text", MarkedText).show("", (), mode)
            self.query_one("#item-claims", Vertical).remove_children()
            return
        self.title = "Item"
        self.sub_title = truncate_line(one_line(item.outlet), 40, mode, align=False)
        meta.update(self._meta(item))
        title_spans = self.highlighter.spans(item.title)
        body_spans = self.highlighter.spans(item.text)
        self.query_one("#item-title", MarkedText).show(item.title, title_spans, mode)
        self.query_one("#item-text", MarkedText).show(item.text or "(no text)", body_spans, mode)
        link = Text()
        link.append("Link ", "bold")
        link.append(one_line(item.link) if item.link else "none given")
        self.query_one("#item-link", Static).update(link)
        words = marked_words(item.title, title_spans)
        more = marked_words(item.text, body_spans)
        merged = {
            kind: tuple(dict.fromkeys((*words.get(kind, ()), *more.get(kind, ()))))
            for kind in KINDS
        }
        self.query_one("#item-marks", EntryLines).show(self.marks_entries(merged))
        self.query_one("#item-claims-heading", Static).update(
            f"Claims drawn from it ({len(self.claims)})" if self.claims else "No claims drawn"
        )
        self._show_claims()

    def _meta(self, item: Item) -> Text:
        text = Text()
        text.append(truncate_line(one_line(item.outlet), 40, self.mode, align=False), "bold cyan")
        text.append(f" · {short_time(item.published)} UTC")
        if item.published is None:
            text.append(f" (fetched {short_time(item.fetched)})")
        text.append(" · feed ")
        text.append(truncate_line(one_line(item.feed), 30, self.mode, align=False))
        if item.places:
            text.append(" · ")
            text.append(", ".join(self.profile.place_name(p) for p in item.places))
        return text

    def marks_entries(self, words: dict[Kind, tuple[MarkedWord, ...]]) -> list[list[Text]]:
        """Per kind: its title, then one unbreakable entry per word: `حماة (Hama, city)`."""
        rows: list[list[Text]] = []
        for kind in KINDS:
            row = [Text(f"{KIND_TITLES[kind]}:", style="bold")]
            found = words.get(kind, ())
            if not found:
                row.append(Text("none", style="dim"))
            for word in found:
                entry = Text(truncate_line(word.surface, WORD_WIDTH, self.mode, align=False))
                entry.append(f" ({self._describe(kind, word.value)})", "dim")
                row.append(entry)
            rows.append(row)
        return rows

    def _describe(self, kind: Kind, value: str) -> str:
        if kind == "place":
            place, _, scope = value.partition("/")
            return f"{self.profile.place_name(place)}, {SCOPE_WORDS.get(scope, scope)}"
        if kind == "speaker":
            return self.profile.actor_name(value)
        return value

    def _show_claims(self) -> None:
        box = self.query_one("#item-claims", Vertical)
        box.remove_children()
        blocks: list[ClaimBlock] = []
        for claim in self.claims:
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(short_time(claim.when), "dim")
            line.append("  ")
            line.append(self.profile.place_name(claim.city), "bold")
            line.append("  ")
            line.append(claim_summary(self.profile, claim))
            line.append(" · state ")
            line.append_text(state_text(self.profile, claim.state))
            line.append(f" · {source_name(self.profile, claim.source)}")
            line.append(f" · {round(claim.confidence * 100)}%", "dim")
            blocks.append(
                ClaimBlock(claim, line, self.highlighter, self.mode, opens="city", classes="claim")
            )
        if blocks:
            box.mount_all(blocks)
