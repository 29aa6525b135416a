"""The latest-headlines pane: time, outlet, title, newest first."""

from __future__ import annotations

from rich.text import Text
from sitboard.ingest.model import Item
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from .bidi import Mode, truncate_line
from .bidi_text import BidiText
from .display import cell, one_line, short_time

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
        if self.columns and items == self._items and mode == self._mode:
            return  # the same headlines: keep the rows and what Textual drew of them
        self._items = items
        self._mode = mode
        self._rebuild()

    def on_resize(self) -> None:
        if self._title_width != self._wanted_title_width():
            self._rebuild()

    def _wanted_title_width(self) -> int:
        # Each column has one cell of padding on both sides. Room for the vertical scrollbar is
        # kept even while there is none: when it appears no resize event comes, and a title
        # column too wide would be cropped on the right, the logical start of an Arabic title.
        used = TIME_WIDTH + OUTLET_WIDTH + 3 * 2 + self.styles.scrollbar_size_vertical
        return max(MIN_TITLE_WIDTH, self.content_region.width - used)

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


class HeadlinesPane(Vertical):
    """The headlines table, with the highlighted headline in full below it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._mode: Mode = "on"

    def compose(self) -> ComposeResult:
        yield HeadlinesTable(id="headlines")
        yield Static(id="headline-label", markup=False)
        yield BidiText(id="headline-detail")

    def show(self, items: tuple[Item, ...], mode: Mode) -> None:
        self._mode = mode
        table = self.query_one(HeadlinesTable)
        table.show(items, mode)
        self._show_detail(table.highlighted_item())

    @on(DataTable.RowHighlighted, "#headlines")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(self.query_one(HeadlinesTable).highlighted_item())

    def _show_detail(self, item: Item | None) -> None:
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
