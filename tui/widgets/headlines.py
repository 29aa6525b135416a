"""The latest-headlines pane: time, outlet, title, newest first."""

from __future__ import annotations

from rich.text import Text
from sitboard.ingest.model import Item
from textual.widgets import DataTable

from ..bidi import Mode
from ..display import cell, short_time

TIME_WIDTH = 11
OUTLET_WIDTH = 14
MIN_TITLE_WIDTH = 12


class HeadlinesTable(DataTable[Text]):
    """Titles are cut and reordered by tui/bidi.py to the title column's width."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")
        self._items: tuple[Item, ...] = ()
        self._mode: Mode = "on"
        self._title_width = 0

    def show(self, items: tuple[Item, ...], mode: Mode) -> None:
        self._items = items
        self._mode = mode
        self._rebuild()

    def on_resize(self) -> None:
        if self._title_width != self._wanted_title_width():
            self._rebuild()

    def _wanted_title_width(self) -> int:
        # Each column has one cell of padding on both sides; keep one cell for the scrollbar.
        used = TIME_WIDTH + OUTLET_WIDTH + 3 * 2 + 1
        return max(MIN_TITLE_WIDTH, self.scrollable_content_region.width - used)

    def _rebuild(self) -> None:
        title_width = self._wanted_title_width()
        cursor = self.cursor_row
        self.clear(columns=self._title_width != title_width or not self.columns)
        if not self.columns:
            self.add_column("Time (UTC)", width=TIME_WIDTH, key="time")
            self.add_column("Outlet", width=OUTLET_WIDTH, key="outlet")
            self.add_column("Title", width=title_width, key="title")
        self._title_width = title_width
        for item in self._items:
            self.add_row(
                Text(short_time(item.when), style="dim"),
                cell(item.outlet, OUTLET_WIDTH, self._mode, style="cyan"),
                cell(item.title, title_width, self._mode),
                key=item.id,
            )
        if self._items:
            self.move_cursor(row=min(cursor, len(self._items) - 1), scroll=False)

    def highlighted_item(self) -> Item | None:
        if not self._items or self.cursor_row >= len(self._items):
            return None
        return self._items[self.cursor_row]
