"""A small modal to type the text filter."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class SearchScreen(ModalScreen[str | None]):
    """Returns the text to search for ("" clears the search), or None when dismissed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_search", "Close", id="search-close")
    ]

    def __init__(self, current: str = "") -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("Search headlines and claims", style="bold"), classes="dialog-title")
            yield Input(
                value=self._current,
                placeholder="Arabic or Latin; spelling variants match (حماه finds حماة)",
                id="search-input",
            )
            yield Label(Text("enter: apply · empty: clear · escape: cancel", style="dim"))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_dismiss_search(self) -> None:
        self.dismiss(None)
