"""The headlines table (tui/headlines_table.py), through the real app: the cursor and its keys,
the detail line that follows it, Enter and clicks, literal feed text, resize and bidi modes,
and that only the rows on screen are drawn."""

from __future__ import annotations

from pathlib import Path

from sitboard.ingest.model import FeedResult, Filters, Item
from sitboard.tui.app import SitboardApp
from sitboard.tui.bidi import truncate_line
from sitboard.tui.bidi_text import BidiText
from sitboard.tui.detail_screen import ItemScreen
from sitboard.tui.display import short_time
from sitboard.tui.headlines_table import HeadlinesTable
from textual.widgets import Static
from tui_fixtures import (
    ALEPPO_TITLE,
    HAMA_TITLE,
    SANA_TITLE,
    fed_state,
    item,
    make_app,
    open_store,
    sample_results,
    screen_lines,
)

SIZE = (120, 40)
ITEMS = 60


def many_items() -> list[FeedResult]:
    """ITEMS items, the newest (item-ITEMS) first on the board; titles cycle three texts."""
    titles = (HAMA_TITLE, SANA_TITLE, ALEPPO_TITLE)
    items = tuple(item(n, f"{titles[n % 3]} {n}") for n in range(1, ITEMS + 1))
    state = fed_state("jazeera", "http://127.0.0.1:9/jazeera.xml")
    return [FeedResult("jazeera", state.url, "new", state, items)]


def detail(app: SitboardApp) -> str:
    return app.query_one("#headline-detail", BidiText).text


def label(app: SitboardApp) -> str:
    return str(app.query_one("#headline-label", Static).content)


def drawn_row(table: HeadlinesTable, row: int) -> str:
    """The text of a row as the table draws it (header is line 0)."""
    top = round(table.scroll_y)
    strip = table.render_line(row - top + 1)
    return strip.text


async def test_cursor_keys_move_the_highlight_and_the_detail_follows(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, many_items()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(HeadlinesTable)
        assert len(table.row_ids) == ITEMS and table.row_ids[0] == f"item-{ITEMS}"
        assert table.cursor_row == 0
        first = table.items[0]
        assert detail(app) == first.title
        assert short_time(first.when) in label(app)
        table.focus()
        await pilot.press("down", "down")
        await pilot.pause()
        assert table.cursor_row == 2
        assert detail(app) == table.items[2].title
        await pilot.press("up")
        await pilot.pause()
        assert table.cursor_row == 1 and detail(app) == table.items[1].title
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == ITEMS - 1
        assert detail(app) == table.items[-1].title
        # The last row is scrolled into view and drawn.
        assert round(table.scroll_y) > 0
        assert table.cells(ITEMS - 1)[2].strip() in "\n".join(screen_lines(app))
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0 and round(table.scroll_y) == 0
        page = table.scrollable_content_region.height - 1
        await pilot.press("pagedown")
        await pilot.pause()
        assert table.cursor_row == page
        assert detail(app) == table.items[page].title
        await pilot.press("pageup")
        await pilot.pause()
        assert table.cursor_row == 0
        await pilot.press("up")  # already at the top: stays
        await pilot.pause()
        assert table.cursor_row == 0


async def test_enter_posts_open_item_and_the_board_opens_it(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, many_items()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(HeadlinesTable)
        table.focus()
        await pilot.press("down", "down", "down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        assert app.screen.item_id == table.items[3].id == f"item-{ITEMS - 3}"


async def test_a_click_highlights_and_a_second_click_opens(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, many_items()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(HeadlinesTable)
        await pilot.click(HeadlinesTable, offset=(20, 0))  # the header: nothing happens
        await pilot.pause()
        assert table.cursor_row == 0 and not isinstance(app.screen, ItemScreen)
        await pilot.click(HeadlinesTable, offset=(20, 4))  # header line + row 3
        await pilot.pause()
        assert table.cursor_row == 3
        assert detail(app) == table.items[3].title
        assert not isinstance(app.screen, ItemScreen)
        await pilot.click(HeadlinesTable, offset=(20, 4))
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        assert app.screen.item_id == table.items[3].id


async def test_hostile_text_is_drawn_literally(tmp_path: Path) -> None:
    # Short enough to fit the title column at 120 columns.
    hostile = (
        item(1, "[bold red]x[/] \x1b[31mred\x1b[0m", outlet="[i]Evil"),
        item(2, "\x1b]0;pwned\x07[@click=app.quit]q[/]"),
        item(3, "[link=http://e]l[/link]"),
    )
    state = fed_state("evil", "http://127.0.0.1:9/evil")
    store = open_store(tmp_path, [FeedResult("evil", state.url, "new", state, hostile)])
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(HeadlinesTable)
        rows = [drawn_row(table, row) for row in range(len(table.row_ids))]
        text = "\n".join(rows)
        assert "[bold red]x[/] red" in text and "[@click=app.quit]q[/]" in text
        assert "[i]Evil" in text and "[link=http://e]l[/link]" in text
        assert not any(ch in text for ch in "\x1b\x07")
        for row in range(len(table.row_ids)):
            strip = table.render_line(row + 1)
            assert all(not segment.style or not segment.style.link for segment in strip)
        lines = "\n".join(screen_lines(app))
        assert "[bold red]x[/]" in lines and "\x1b" not in lines
        assert app.is_running  # the [@click=app.quit] text did nothing


async def test_resize_recuts_the_titles_to_the_new_width(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        table = app.query_one(HeadlinesTable)
        wide = table.column_widths[2]
        items = {i.id: i for i in table.items}
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        narrow = table.column_widths[2]
        assert narrow < wide
        for row, item_id in enumerate(table.row_ids):
            title = table.cells(row)[2]
            assert title == truncate_line(items[item_id].title, narrow, "on")
        assert table.cells(0)[2].strip() in "\n".join(screen_lines(app))
        # the table never draws wider than its region
        assert table.virtual_size.width <= table.size.width


async def test_bidi_off_shows_titles_in_logical_order_and_on_shapes_them(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()), bidi="on")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(HeadlinesTable)
        row = table.get_row_index("item-1")
        shaped = table.cells(row)[2]
        assert any(0xFE70 <= ord(ch) <= 0xFEFF for ch in shaped)  # presentation forms
        assert shaped.strip() in drawn_row(table, row)
        await pilot.press("b")
        await pilot.pause()
        assert app.bidi_mode == "off"
        logical = table.cells(row)[2]
        assert logical == truncate_line(HAMA_TITLE, table.column_widths[2], "off")
        assert not any(0xFE70 <= ord(ch) <= 0xFEFF for ch in logical)
        assert logical.startswith(HAMA_TITLE[:10])
        assert logical in drawn_row(table, row)


async def test_a_filter_redraws_only_the_rows_on_screen(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, many_items()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(HeadlinesTable)
        made: list[int] = []
        original = table._make_strip

        def counting(row: int, *args: object) -> object:
            made.append(row)
            return original(row, *args)  # type: ignore[arg-type]

        table._make_strip = counting  # type: ignore[method-assign]
        table.focus()
        await pilot.press("down")
        await pilot.pause()
        app.set_filters(Filters(text="حلب"))
        await pilot.pause()
        shown: tuple[Item, ...] = table.items
        assert 0 < len(shown) < ITEMS
        assert table.cursor_row == 1  # the cursor keeps its row number
        assert set(made) - {-1} <= set(range(table.scrollable_content_region.height))
        made.clear()
        app.set_filters(Filters())
        await pilot.pause()
        assert len(table.row_ids) == ITEMS
        rows = set(made) - {-1}
        assert rows and len(rows) <= table.scrollable_content_region.height < ITEMS


async def test_the_row_under_the_mouse_is_shaded_until_a_key_moves_the_cursor(
    tmp_path: Path,
) -> None:
    app = make_app(open_store(tmp_path, many_items()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(HeadlinesTable)

        def background(row: int) -> object:
            table._base_style = table.rich_style
            return next(iter(table.render_line(row + 1))).style.bgcolor  # type: ignore[union-attr]

        plain = background(5)
        assert background(6) == plain
        await pilot.hover(HeadlinesTable, offset=(20, 6))  # header line + row 5
        await pilot.pause()
        assert background(5) != plain and background(6) == plain
        assert table.cursor_row == 0  # hovering does not move the cursor
        table.focus()
        await pilot.press("down")
        await pilot.pause()
        assert background(5) == background(7)  # (focused, the table's own shade changed)
