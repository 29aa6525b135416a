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
    (
        "Item (enter on a headline or claim)",
        "The whole item with the places, speakers, reporting verbs and event words the board "
        "read marked, and every claim drawn from it. Enter on a claim opens its city's story.",
    ),
    (
        "City story (enter on a city)",
        "The city's status now, how many claims speak of it per hour, each change of status "
        "with the claims that caused it, and who disputes it. Enter on a claim opens its item.",
    ),
    (
        "Map (m)",
        "Every place of the profile where it lies, coloured by who holds it; enter on a city "
        "in the list opens its story. These views follow each poll as the board does.",
    ),
    (
        "Feed status (f)",
        "Each feed's last fetch and what came back (new items, not modified, HTTP status, "
        "error), its failures in a row and its next poll; p polls the highlighted feed.",
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
