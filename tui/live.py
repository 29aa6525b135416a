"""The base of the board's full-screen views (item, city timeline, map): data from the Store API
only, re-read by `reload()` whenever the app has committed a poll or changed the bidi mode."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from .bidi import Mode

if TYPE_CHECKING:
    from sitboard.ingest.profile import Profile
    from sitboard.store import Store


class LiveScreen(Screen[None]):
    """A view of the store that the app keeps current: call `reload()` after each commit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="screen-back", tooltip="back to the board"),
    ]

    def __init__(self, store: Store, profile: Profile, mode: Mode) -> None:
        super().__init__()
        self.store = store
        self.profile = profile
        self.mode: Mode = mode

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Re-read the store and redraw. Subclasses draw here."""

    def set_mode(self, mode: Mode) -> None:
        """Draw Arabic for another bidi mode (the app's `b`)."""
        if mode != self.mode:
            self.mode = mode
            self.reload()

    def action_close(self) -> None:
        self.dismiss(None)
