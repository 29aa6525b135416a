"""The base of the board's full-screen views (item, city timeline, map): data from the Store API
only, re-read by `reload()` whenever the app has committed a poll or changed the bidi mode.

Views lead to each other: a claim opens its item or its city. Widgets post OpenItem / OpenCity
and the screen pushes the next view with the same store, profile, mode and highlighter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from sitboard.ingest.model import Claim
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Click
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from .bidi import Mode
from .highlight import Highlighter
from .marked_text import MarkedText

if TYPE_CHECKING:
    from sitboard.ingest.profile import Profile
    from sitboard.store import Store


@dataclass
class OpenItem(Message):
    """Show the item `item_id` (ItemScreen)."""

    item_id: str


@dataclass
class OpenCity(Message):
    """Show the story of `city` (CityScreen)."""

    city: str


class ClaimBlock(Vertical, can_focus=True):
    """One claim: a summary line and its evidence with marks. Enter (or a click) opens the
    claim's item or its city, as `opens` says."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="claim-open", tooltip="the item or city of this claim")
    ]

    DEFAULT_CSS = """
    ClaimBlock {
        height: auto;
        padding-left: 2;
        border-left: outer $primary 50%;
    }
    ClaimBlock:focus {
        border-left: outer $accent;
        background: $boost;
    }
    ClaimBlock > .claim-evidence {
        color: $text-muted;
    }
    """

    def __init__(
        self,
        claim: Claim,
        summary: Text,
        highlighter: Highlighter,
        mode: Mode,
        *,
        opens: Literal["item", "city"],
        classes: str | None = None,
    ) -> None:
        self.claim = claim
        self.opens = opens
        evidence = MarkedText(
            claim.evidence, highlighter.spans(claim.evidence), mode=mode, classes="claim-evidence"
        )
        line = Static(summary, markup=False, classes="claim-line")
        super().__init__(line, evidence, classes=classes)

    def action_open(self) -> None:
        if self.opens == "item":
            self.post_message(OpenItem(self.claim.item))
        else:
            self.post_message(OpenCity(self.claim.city))

    def on_click(self, event: Click) -> None:
        if event.chain == 2:  # a double click opens; a single one focuses
            self.action_open()


class LiveScreen(Screen[None]):
    """A view of the store that the app keeps current: call `reload()` after each commit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="screen-back", tooltip="back to the board"),
    ]

    def __init__(
        self,
        store: Store,
        profile: Profile,
        mode: Mode,
        *,
        highlighter: Highlighter | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.profile = profile
        self.mode: Mode = mode
        self._highlighter = highlighter
        self._ready = False

    @property
    def highlighter(self) -> Highlighter:
        """Built on first use (about 0.1 s): pass one in to share it between screens."""
        if self._highlighter is None:
            self._highlighter = Highlighter(self.profile)
        return self._highlighter

    def on_mount(self) -> None:
        self._ready = True
        self.draw()

    def reload(self) -> None:
        """Re-read the store and redraw; safe to call at any time (before the screen is
        mounted it does nothing: mounting draws)."""
        if self._ready:
            self.draw()

    def draw(self) -> None:
        """Read the store and show it. Subclasses implement this."""

    def set_mode(self, mode: Mode) -> None:
        """Draw Arabic for another bidi mode (the app's `b`)."""
        if mode != self.mode:
            self.mode = mode
            self.reload()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(OpenItem)
    def open_item(self, message: OpenItem) -> None:
        from .detail_screen import ItemScreen

        message.stop()
        self.app.push_screen(
            ItemScreen(
                self.store, self.profile, self.mode, message.item_id, highlighter=self.highlighter
            )
        )

    @on(OpenCity)
    def open_city(self, message: OpenCity) -> None:
        from .timeline_screen import CityScreen

        message.stop()
        self.app.push_screen(
            CityScreen(
                self.store, self.profile, self.mode, message.city, highlighter=self.highlighter
            )
        )
