"""The latest-headlines pane: time, outlet, title, newest first."""

from __future__ import annotations

from rich.text import Text
from sitboard.ingest.model import Item
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from .bidi import Mode, truncate_line
from .bidi_text import BidiText
from .display import one_line, short_time
from .headlines_table import HeadlinesTable

__all__ = ["HeadlinesPane", "HeadlinesTable"]


class HeadlinesPane(Vertical):
    """The headlines table, with the highlighted headline in full below it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._mode: Mode = "on"
        self._detail: tuple[Item | None, Mode] | None = None  # what the detail lines show

    def compose(self) -> ComposeResult:
        yield HeadlinesTable(id="headlines")
        yield Static(id="headline-label", markup=False)
        yield BidiText(id="headline-detail")

    def show(self, items: tuple[Item, ...], mode: Mode) -> None:
        self._mode = mode
        table = self.query_one(HeadlinesTable)
        table.show(items, mode)
        self._show_detail(table.highlighted_item())

    @on(HeadlinesTable.Highlighted, "#headlines")
    def _highlighted(self, event: HeadlinesTable.Highlighted) -> None:
        self._show_detail(event.item)

    def _show_detail(self, item: Item | None) -> None:
        if self._detail == (item, self._mode):
            return  # updating the same text would still cost a layout of the screen
        self._detail = (item, self._mode)
        label = self.query_one("#headline-label", Static)
        detail = self.query_one("#headline-detail", BidiText)
        mode = self._mode
        if item is None:
            label.update("")
            detail.show("", mode)
            return
        outlet = truncate_line(one_line(item.outlet), 30, mode, align=False)
        label.update(
            Text.assemble(("Headline", "bold"), f" · {short_time(item.when)} · ", (outlet, "cyan"))
        )
        detail.show(item.title, mode)
