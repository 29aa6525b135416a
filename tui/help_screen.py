"""Help: the keys, and what each pane of the board means."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

PANES = (
    (
        "Control status",
        "One row per watched city: who holds it according to the claims read so far, since "
        "when, how confident the board is, and ⚠ disputed when sources contradict each other. "
        "Claims counts how many claims support and contradict that state.",
    ),
    (
        "Claims by source",
        "Every claim the extractor found, grouped by who makes it (an army, a monitor, an "
        "outlet). Each line: time, city, what is claimed, and the outlet that published it. "
        "The sentence the claim was read from is shown below the list.",
    ),
    (
        "Latest headlines",
        "The newest items from all feeds: time (UTC), outlet and title.",
    ),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help-close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, keys: Sequence[tuple[str, str]], bidi_note: str) -> None:
        super().__init__()
        self._keys = keys
        self._bidi_note = bidi_note

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("sitboard help\n\n", "bold")
        text.append("Keys\n", "bold underline")
        for key, description in self._keys:
            text.append(f"  {key:<8}", "bold cyan")
            text.append(f"{description}\n")
        text.append("\nPanes\n", "bold underline")
        for title, meaning in PANES:
            text.append(f"  {title}: ", "bold")
            text.append(f"{meaning}\n")
        text.append("\nArabic\n", "bold underline")
        text.append(f"  {self._bidi_note}\n")
        text.append("\nescape closes this screen.", "dim")
        with VerticalScroll(classes="dialog wide"):
            yield Static(text, id="help-text", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
