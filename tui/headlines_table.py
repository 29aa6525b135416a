"""The headlines table: time, outlet and title per row, newest first, with a row cursor.

It draws through Textual's Line API (ScrollView.render_line): a screen line is one Strip of
Segments, made only for the rows on screen and kept per row until the rows, the widths, the
bidi mode or the styles change. A filter change therefore costs the dozens of rows on screen,
not a table rebuild: DataTable, which this replaces, re-added and re-measured every row and
drew every cell through Rich's console (35-45 ms of each filter change).

It looks as DataTable did (same colours, header, one cell of padding on both sides of each
column, the cursor's colour over the cells' own). Feed text only ever becomes Segment text,
never markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from sitboard.ingest.model import Item
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .bidi import Mode, truncate_line
from .display import one_line, short_time
from .live import OpenItem

TIME_WIDTH = 11
OUTLET_WIDTH = 14
MIN_TITLE_WIDTH = 12
PADDING = 1  # blank cells on each side of every column, as DataTable's cell_padding
HEADER = ("Time (UTC)", "Outlet", "Title")
HEADER_LINES = 1

TIME_STYLE = Style(dim=True)
OUTLET_STYLE = Style(color="cyan")
TITLE_STYLE = Style.null()


class HeadlinesTable(ScrollView, can_focus=True):
    """Items as rows; the cursor row's item is `highlighted_item()`. Enter (or a click on the
    highlighted row) posts OpenItem; moving the cursor posts HeadlinesTable.Highlighted."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "headlines--header",
        "headlines--cursor",
        "headlines--hover",
    }

    # DataTable's look, for the parts this table has.
    DEFAULT_CSS = """
    HeadlinesTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        &:focus {
            background-tint: $foreground 5%;
            & > .headlines--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .headlines--header {
                background-tint: $foreground 5%;
            }
        }
        & > .headlines--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .headlines--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .headlines--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .headlines--hover {
            background: $block-hover-background;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
    ]

    class Highlighted(Message):
        """The cursor moved to another row (by key or click); `item` is its item."""

        def __init__(self, table: HeadlinesTable, item: Item | None) -> None:
            super().__init__()
            self.table = table
            self.item = item

        @property
        def control(self) -> HeadlinesTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: tuple[Item, ...] = ()
        self._mode: Mode = "on"
        self._title_width = MIN_TITLE_WIDTH
        self._cursor = 0
        self._hover: int | None = None
        # (row or -1 for the header, cursor?, hover?, line width, base and row styles) -> Strip;
        # emptied whenever what a row shows changes. Holds a few screens of rows.
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(512)
        self._base_style = Style()  # the widget's rich_style, read at each redraw

    # --- data ----------------------------------------------------------------------------

    def show(self, items: tuple[Item, ...], mode: Mode) -> None:
        """Show `items` (newest first) in bidi `mode`; the cursor keeps its row number."""
        if items == self._items and mode == self._mode:
            return  # the same headlines: nothing to redraw
        self._items = items
        self._mode = mode
        self._title_width = self._wanted_title_width()
        self._strips.clear()
        self._cursor = min(self._cursor, max(0, len(items) - 1))
        self._hover = None
        self._update_virtual_size()
        self.scroll_to(y=0, animate=False, force=True)
        self._scroll_to_cursor()
        self.refresh()

    @property
    def items(self) -> tuple[Item, ...]:
        return self._items

    @property
    def row_ids(self) -> tuple[str, ...]:
        """The items' ids, top row first."""
        return tuple(item.id for item in self._items)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def column_widths(self) -> tuple[int, int, int]:
        """Text widths of the time, outlet and title columns (padding not included)."""
        return (TIME_WIDTH, OUTLET_WIDTH, self._title_width)

    def highlighted_item(self) -> Item | None:
        if 0 <= self._cursor < len(self._items):
            return self._items[self._cursor]
        return None

    def get_row_index(self, item_id: str) -> int:
        """The row of the item `item_id` (KeyError if it is not shown)."""
        for index, item in enumerate(self._items):
            if item.id == item_id:
                return index
        raise KeyError(item_id)

    def cells(self, row: int) -> tuple[str, str, str]:
        """The row's three cells as drawn: time, outlet, title (cut, and shaped in mode on)."""
        item = self._items[row]
        return (
            short_time(item.when),
            truncate_line(one_line(item.outlet), OUTLET_WIDTH, self._mode),
            truncate_line(one_line(item.title), self._title_width, self._mode),
        )

    def move_cursor(self, row: int, *, scroll: bool = True) -> None:
        """Put the cursor on `row` (clamped to the rows there are)."""
        row = max(0, min(row, len(self._items) - 1))
        if row == self._cursor or not self._items:
            return
        old = self._cursor
        self._cursor = row
        self._refresh_row(old)
        self._refresh_row(row)
        if scroll:
            self._scroll_to_cursor()
        self.post_message(self.Highlighted(self, self.highlighted_item()))

    # --- geometry ------------------------------------------------------------------------

    def _wanted_title_width(self) -> int:
        # Room for the vertical scrollbar is kept even while there is none: when it appears no
        # resize event comes, and a title column too wide would be cropped on the right, the
        # logical start of an Arabic title.
        fixed = TIME_WIDTH + OUTLET_WIDTH + 3 * 2 * PADDING + self.styles.scrollbar_size_vertical
        return max(MIN_TITLE_WIDTH, self.content_region.width - fixed)

    def _table_width(self) -> int:
        return sum(self.column_widths) + 3 * 2 * PADDING

    def _update_virtual_size(self) -> None:
        size = Size(self._table_width(), HEADER_LINES + len(self._items))
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def on_resize(self) -> None:
        width = self._wanted_title_width()
        if width != self._title_width:
            self._title_width = width
            self._strips.clear()
            self._update_virtual_size()
            self.refresh()
        self._scroll_to_cursor()

    def _page(self) -> int:
        """Rows that fit under the header."""
        return max(1, self.scrollable_content_region.height - HEADER_LINES)

    def _scroll_to_cursor(self) -> None:
        if not self._items or not self.scrollable_content_region.height:
            return
        top = round(self.scroll_y)
        page = self._page()
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, force=True)
        elif self._cursor >= top + page:
            self.scroll_to(y=self._cursor - page + 1, animate=False, force=True)

    def _refresh_row(self, row: int | None) -> None:
        if row is not None:
            self.refresh_line(row + HEADER_LINES)

    def _row_at(self, event: events.MouseEvent) -> int | None:
        """The row under the mouse, None on the header or below the last row."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < HEADER_LINES:
            return None
        row = offset.y - HEADER_LINES + round(self.scroll_y)
        return row if row < len(self._items) else None

    # --- keys and mouse --------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self._set_hover(None)
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._set_hover(None)
        self.move_cursor(self._cursor + 1)

    def action_page_up(self) -> None:
        self._set_hover(None)
        page = self._page()
        self.scroll_to(y=max(0, round(self.scroll_y) - page), animate=False, force=True)
        self.move_cursor(self._cursor - page)

    def action_page_down(self) -> None:
        self._set_hover(None)
        page = self._page()
        self.scroll_to(y=round(self.scroll_y) + page, animate=False, force=True)
        self.move_cursor(self._cursor + page)

    def action_first(self) -> None:
        self._set_hover(None)
        self.move_cursor(0)

    def action_last(self) -> None:
        self._set_hover(None)
        self.move_cursor(len(self._items) - 1)

    def action_open(self) -> None:
        item = self.highlighted_item()
        if item is not None:
            self.post_message(OpenItem(item.id))

    async def _on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        if row is None:
            return
        event.stop()
        if row == self._cursor:
            self.action_open()  # a click on the highlighted row opens it, as in DataTable
        else:
            self.move_cursor(row)

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._row_at(event))

    def _on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, row: int | None) -> None:
        if row != self._hover:
            old, self._hover = self._hover, row
            self._refresh_row(old)
            self._refresh_row(row)

    # --- drawing -------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The widget's style walks the DOM for its background: once per redraw, not per line.
        self._base_style = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self._base_style
        if y < HEADER_LINES:
            return self._strip(-1, width, base)
        row = y - HEADER_LINES + round(self.scroll_y)
        if row >= len(self._items):
            return Strip.blank(width, base)
        return self._strip(row, width, base)

    def _strip(self, row: int, width: int, base: Style) -> Strip:
        header = row < 0
        cursor = not header and row == self._cursor
        hover = not header and row == self._hover
        row_style = self.get_component_rich_style("headlines--header") if header else base
        component = Style()
        if hover:
            component += self.get_component_rich_style("headlines--hover")
        if cursor:
            component += self.get_component_rich_style("headlines--cursor")
        key = (row, cursor, hover, width, self._title_width, base, row_style, component)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._make_strip(row, width, base, row_style, component)
            self._strips[key] = strip
        return strip

    def _make_strip(
        self, row: int, width: int, base: Style, row_style: Style, component: Style
    ) -> Strip:
        # As DataTable's cells: the row's style and the cursor's under the cell's own style,
        # and the cursor's colours over it.
        pre = row_style + component
        post = Style(color=component.color, bgcolor=component.bgcolor)
        if row < 0:
            texts = tuple(
                truncate_line(label, width, "off")
                for label, width in zip(HEADER, self.column_widths, strict=True)
            )
            styles: tuple[Style, ...] = (Style.null(),) * 3
        else:
            texts = self.cells(row)
            styles = (TIME_STYLE, OUTLET_STYLE, TITLE_STYLE)
        segments: list[Segment] = []
        pad = " " * PADDING
        columns = zip(texts, styles, self.column_widths, strict=True)
        for index, (text, style, column) in enumerate(columns):
            # Each cell carries its place as DataTable's did, so that cells stay apart in the
            # SVG snapshots (a screen that looks the same also compares the same).
            cell = pre + Style.from_meta({"row": row, "column": index})
            segments.append(Segment(pad, cell))
            if text:
                segments.append(Segment(text, cell + style + post))
            fill = column - cell_len(text)
            segments.append(Segment(" " * fill + pad if fill > 0 else pad, cell))
        rest = width - self._table_width()
        if rest > 0:
            place = Style.from_meta({"row": row, "column": 0, "out_of_bounds": True})
            segments.append(Segment(" " * rest, row_style + component + place))
        return Strip(segments).adjust_cell_length(width, base).simplify()
