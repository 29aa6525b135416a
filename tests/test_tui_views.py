"""The board's ways into its views, driven through Textual's pilot on the real app: Enter on a
headline, a city or a claim; `m`; the feed screen's poll-one key; live reloads after a poll; `b`
over a view; the bell on a change of status; the command palette and the help screen.

Real store in tmp_path, real Poller against pytest-httpserver on loopback; no mocks.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from pytest_httpserver import HTTPServer
from sitboard.ingest.model import FeedConfig
from sitboard.tui.app import SitboardApp
from sitboard.tui.bidi import display_lines
from sitboard.tui.claims_pane import ClaimsList, ClaimsPane
from sitboard.tui.detail_screen import ItemScreen
from sitboard.tui.feeds_screen import FeedStatusScreen
from sitboard.tui.headlines_pane import HeadlinesTable
from sitboard.tui.help_screen import HelpScreen
from sitboard.tui.live import ClaimBlock, LiveScreen
from sitboard.tui.map_screen import MapScreen
from sitboard.tui.map_view import MapWidget
from sitboard.tui.marked_text import MarkedText
from sitboard.tui.messages import PollFinished
from sitboard.tui.picker_screen import PickerScreen
from sitboard.tui.status_pane import StatusTable
from sitboard.tui.timeline_screen import CityScreen
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, OptionList, Static
from tui_fixtures import (
    HAMA_TITLE,
    RSS_HEADERS,
    arabic_rss,
    make_app,
    not_due,
    open_store,
    sample_results,
    screen_lines,
    wait_for_polls,
)

SIZE = (120, 40)
RSS = arabic_rss()


async def select_row(pilot: object, table: DataTable | HeadlinesTable, key: str) -> None:
    table.focus()
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


def shown(app: SitboardApp) -> str:
    return "\n".join(screen_lines(app))


def loopback_feed(httpserver: HTTPServer, name: str = "jazeera") -> FeedConfig:
    httpserver.expect_request(f"/{name}.xml").respond_with_data(RSS, headers=RSS_HEADERS)
    return FeedConfig(name, httpserver.url_for(f"/{name}.xml"))


# --- Enter: headline, city, claim ----------------------------------------------------------


async def test_enter_on_a_headline_opens_its_item_with_title_and_claims(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select_row(pilot, app.query_one(HeadlinesTable), "item-1")
        screen = app.screen
        assert isinstance(screen, ItemScreen)
        assert screen.item_id == "item-1"
        assert screen.claims == store.claims_for_item("item-1") != ()
        title = screen.query_one("#item-title", MarkedText)
        first_line = display_lines(HAMA_TITLE, title.content_size.width, "on")[0].strip()
        text = shown(app)
        assert first_line in text
        assert "Claims drawn from it (1)" in text
        assert "captured by Opposition" in text
        assert screen.highlighter is app.highlighter  # one Highlighter for every view
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.default_screen


async def test_enter_on_a_status_row_opens_the_city_story(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select_row(pilot, app.query_one(StatusTable), "hama")
        screen = app.screen
        assert isinstance(screen, CityScreen)
        assert screen.city == "hama"
        assert screen.changes == store.history("hama") != ()
        assert screen.buckets is not None and sum(screen.buckets.counts) == 2
        text = shown(app)
        assert "Now Opposition" in text
        assert f"Changes of status ({len(screen.changes)}), oldest first" in text


async def test_enter_on_a_claim_opens_its_item(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        claims_list = app.query_one(ClaimsList)
        claims_list.focus()
        await pilot.press("down", "down")  # past the next source's header, to its claim
        await pilot.pause()
        option = claims_list.get_option_at_index(claims_list.highlighted or 0)
        assert option.id is not None and option.id.startswith("claim-")
        claim = app.query_one(ClaimsPane).claims[int(option.id.removeprefix("claim-"))]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        assert app.screen.item_id == claim.item
        assert claim in app.screen.claims


async def test_views_lead_to_each_other_from_the_board(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select_row(pilot, app.query_one(HeadlinesTable), "item-2")
        item_screen = app.screen
        assert isinstance(item_screen, ItemScreen)
        item_screen.query_one(ClaimBlock).focus()
        await pilot.press("enter")  # the claim's city
        await pilot.pause()
        city_screen = app.screen
        assert isinstance(city_screen, CityScreen) and city_screen.city == "hama"
        assert city_screen.highlighter is app.highlighter
        cause = city_screen.query("#city-changes ClaimBlock").results(ClaimBlock).__next__()
        cause.focus()
        await pilot.press("enter")  # the item of the claim that changed Hama's state
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen) and app.screen.item_id == cause.claim.item
        assert len(app.screen_stack) == 4
        for _ in range(3):
            await pilot.press("escape")
            await pilot.pause()
        assert app.screen is app.default_screen


# --- the map -------------------------------------------------------------------------------


async def test_m_opens_the_map_and_board_keys_stay_off_over_it(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MapScreen)
        assert {s.city: s.state for s in screen.statuses}["hama"] == "opp"
        markers = screen.query_one(MapWidget).markers()
        lines = screen_lines(app)
        region = screen.query_one(MapWidget).content_region
        hama = markers["hama"]
        assert lines[region.y + hama.y][region.x + hama.label_x :].startswith("Hama")
        await pilot.press("m", "c", "f")  # board keys: not stacked over the map
        await pilot.pause()
        assert app.screen is screen and len(app.screen_stack) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.default_screen


async def test_a_poll_while_the_map_is_open_recolours_it(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    feeds = (loopback_feed(httpserver),)
    store = open_store(tmp_path)
    not_due(store, feeds)
    app = make_app(store, feeds, check_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MapScreen)
        assert {s.city: s.state for s in screen.statuses}["hama"] == "unknown"
        assert len(httpserver.log) == 0  # nothing was due
        await pilot.press("r")  # poll now works over the map
        await wait_for_polls(app, pilot)
        assert len(httpserver.log) == 1
        assert app.screen is screen
        assert {s.city: s.state for s in screen.statuses}["hama"] == "opp"
        widget = screen.query_one(MapWidget)
        hama = widget.markers()["hama"]
        line = widget.render().split("\n")[hama.y]
        styles = " ".join(str(s.style) for s in line.spans if s.start <= hama.x < s.end)
        assert "green" in styles  # the opposition's colour


async def test_a_poll_while_a_city_story_is_open_adds_the_change(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    feeds = (loopback_feed(httpserver),)
    store = open_store(tmp_path)
    not_due(store, feeds)
    app = make_app(store, feeds, check_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select_row(pilot, app.query_one(StatusTable), "hama")
        screen = app.screen
        assert isinstance(screen, CityScreen)
        assert screen.changes == () and screen.buckets is None
        await pilot.press("r")
        await wait_for_polls(app, pilot)
        assert app.screen is screen
        assert [(c.old, c.new) for c in screen.changes] == [("unknown", "opp")]
        assert screen.buckets is not None and sum(screen.buckets.counts) >= 1
        assert "Changes of status (1), oldest first" in shown(app)


# --- b over a view -------------------------------------------------------------------------


async def test_b_on_an_item_screen_switches_its_mode_and_the_board(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    app = make_app(store, bidi="on")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select_row(pilot, app.query_one(HeadlinesTable), "item-1")
        screen = app.screen
        assert isinstance(screen, ItemScreen) and screen.mode == "on"
        width = screen.query_one("#item-title", MarkedText).content_size.width
        assert display_lines(HAMA_TITLE, width, "on")[0].strip() in shown(app)
        await pilot.press("b")
        await pilot.pause()
        assert app.screen is screen
        assert app.bidi_mode == screen.mode == "off"
        assert display_lines(HAMA_TITLE, width, "off")[0].strip() in shown(app)
        assert "bidi off" in app.sub_title  # the board underneath follows
        await pilot.press("b")
        await pilot.pause()
        assert screen.mode == "on"


async def test_b_over_a_city_story_redraws_the_map_below_it_too(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    app = make_app(store, bidi="off")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        map_screen = app.screen
        assert isinstance(map_screen, MapScreen)
        map_screen.query_one("#map-side").focus()
        await pilot.press("enter")  # the first watched city's story, over the map
        await pilot.pause()
        city = app.screen
        assert isinstance(city, CityScreen) and city.city == "aleppo"
        await pilot.press("b")
        await pilot.pause()
        assert app.screen is city
        assert app.bidi_mode == city.mode == map_screen.mode == "on"


# --- feed status: poll one feed ------------------------------------------------------------


async def test_p_in_feed_status_polls_only_the_highlighted_feed(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    feeds = (loopback_feed(httpserver, "first"), loopback_feed(httpserver, "second"))
    store = open_store(tmp_path)
    not_due(store, feeds)
    app = make_app(store, feeds, check_interval=0.05)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FeedStatusScreen)
        await pilot.press("down")
        await pilot.pause()
        assert screen.highlighted_feed() == "second"
        await pilot.press("p")
        await wait_for_polls(app, pilot)
        assert [entry[0].path for entry in httpserver.log] == ["/second.xml"]
        states = store.feed_states()
        assert states["second"].last_outcome == "new" and states["second"].last_new == 2
        assert states["first"].last_outcome == "not-modified"  # untouched
        assert app.screen is screen
        result = str(screen.query_one("#feed-poll", Static).render())
        summary = f"second: 2 new item(s), {store.counts()['claims']} claim(s)"
        assert result == f"Polled now: {summary} · HTTP 200"
        table = screen.query_one("#feeds-table", DataTable)
        assert table.get_cell_at((1, 2)).plain == "ok, 2 new"
        polled = [n.message for n in app._notifications if n.title == "Feed polled"]
        assert polled == [summary]
        assert len(app.query_one(HeadlinesTable).row_ids) == 2  # the board has them too


async def test_p_on_a_failing_feed_shows_the_error(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/bad.xml").respond_with_data("gone", status=503)
    feeds = (FeedConfig("bad", httpserver.url_for("/bad.xml")),)
    store = open_store(tmp_path)
    not_due(store, feeds)
    app = make_app(store, feeds, check_interval=0.05)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("f", "p")
        await wait_for_polls(app, pilot)
        screen = app.screen
        assert isinstance(screen, FeedStatusScreen)
        result = str(screen.query_one("#feed-poll", Static).render())
        assert result.startswith("Polled now: bad: error: ") and result.endswith("HTTP 503")
        detail = str(screen.query_one("#feed-detail", Static).render())
        assert "Failed 1 time in a row" in detail
        assert any(n.severity == "warning" for n in app._notifications if n.title == "Feed polled")


# --- the bell ------------------------------------------------------------------------------


class CountingBell(SitboardApp):
    rings = 0

    def bell(self) -> None:
        self.rings += 1


async def rings_after_changes(tmp_path: Path, *, bell: bool) -> tuple[int, int]:
    """(rings after a poll that changes two watched cities, rings after one that changes none)"""
    store = open_store(tmp_path)
    app = make_app(store, feeds=(), bell=bell, app_class=CountingBell)
    assert isinstance(app, CountingBell)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        report = await asyncio.to_thread(store.commit, sample_results())
        assert {c.city for c in report.changes} >= {"hama", "aleppo"}
        app.post_message(PollFinished(sample_results(), report))
        await pilot.pause()
        after_change = app.rings
        again = await asyncio.to_thread(store.commit, sample_results())
        assert again.changes == ()
        app.post_message(PollFinished(sample_results(), again))
        await pilot.pause()
        return after_change, app.rings


async def test_the_bell_rings_once_per_poll_that_changes_a_watched_city(tmp_path: Path) -> None:
    assert await rings_after_changes(tmp_path, bell=True) == (1, 1)


async def test_no_bell_unless_enabled(tmp_path: Path) -> None:
    assert await rings_after_changes(tmp_path, bell=False) == (0, 0)


async def test_the_bell_is_switched_on_from_the_palette(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    app = make_app(store, feeds=(), app_class=CountingBell)
    assert isinstance(app, CountingBell)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Bell on change: turn off" not in commands
        commands["Bell on change: turn on"].callback()
        assert app.bell_on_change
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Bell on change: turn off" in titles
        report = await asyncio.to_thread(store.commit, sample_results())
        app.post_message(PollFinished(sample_results(), report))
        await pilot.pause()
        assert app.rings == 1


# --- footer, help, palette -----------------------------------------------------------------


async def test_footer_help_and_palette_offer_the_new_actions(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert "m Map" in footer.replace("  ", " ")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Map", "City story: Aleppo", "City story: Idlib", "City story: Hama"} <= titles
        assert {"Poll feed: jazeera", "Poll feed: sana", "Check Arabic display"} <= titles
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).render())
        assert "m       Map: the profile's cities on a map" in text
        assert "enter   Open: a headline or claim opens its item" in text
        assert "p polls the highlighted feed" in text


async def test_the_palette_opens_a_city_story_by_name(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        app.screen.query_one(Input).value = "City story: Idlib"
        for _ in range(50):  # the palette searches in a worker
            await pilot.pause(0.02)
            if "City story: Idlib" in shown(app):
                break
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CityScreen) and app.screen.city == "idlib"


async def test_palette_over_a_view_offers_views_not_filters(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"City story: Hama", "Toggle Arabic reordering", "Poll now"} <= titles
        assert "Filter by city" not in titles and "Export to Markdown" not in titles


# --- filters: combined, in the header and in the export ------------------------------------


async def test_combined_filters_show_in_the_header_and_the_export(tmp_path: Path) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    store = open_store(tmp_path, sample_results())
    app = make_app(store, export_dir=out)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        for key, option in (("c", "pick:hama"), ("s", "pick:syrian-army")):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, PickerScreen)
            options = app.screen.query_one(OptionList)
            options.highlighted = options.get_option_index(option)
            await pilot.press("enter")
            await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        # حَمَاه: with short-vowel marks and a final heh; the titles say حماة
        app.screen.query_one(Input).value = "\u062d\u064e\u0645\u064e\u0627\u0647"
        await pilot.press("enter")
        await pilot.pause()
        assert app.filters.cities == {"hama"} and app.filters.sources == {"syrian-army"}
        assert "filter: city Hama; source Syrian army; “" in app.sub_title
        assert {c.source for c in app.query_one(ClaimsPane).claims} == {"syrian-army"}
        assert set(app.query_one(HeadlinesTable).row_ids) <= {
            "item-1",
            "item-2",
        }
        assert len(app.query_one(HeadlinesTable).row_ids) >= 1  # the diacritics did not matter
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        markdown = next(out.glob("sitboard-*.md")).read_text(encoding="utf-8")
        filters_line = next(line for line in markdown.splitlines() if "Filters:" in line)
        assert "cities: Hama (hama)" in filters_line
        assert "sources: Syrian army (syrian-army)" in filters_line
        assert "text: \u062d\u064e\u0645\u064e\u0627\u0647" in filters_line
        assert "Aleppo" not in markdown.split("Filters:")[1]  # the city filter holds


async def test_p_during_a_running_poll_polls_that_feed_right_after(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    feeds = (loopback_feed(httpserver, "first"), loopback_feed(httpserver, "second"))
    store = open_store(tmp_path)
    not_due(store, feeds)
    release = threading.Event()
    started = threading.Event()

    def before_poll() -> None:
        if not started.is_set():
            started.set()
            release.wait(10)  # hold the first poll until the feed screen has asked for one

    app = make_app(store, feeds, before_poll=before_poll, check_interval=0.05)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await asyncio.to_thread(started.wait, 10)
        await pilot.press("f", "down", "p")
        await pilot.pause()
        assert any("as soon as the running poll ends" in n.message for n in app._notifications)
        release.set()
        await wait_for_polls(app, pilot, 2)
        paths = [entry[0].path for entry in httpserver.log]
        assert sorted(paths[:2]) == ["/first.xml", "/second.xml"]  # r: every feed
        assert paths[2:] == ["/second.xml"]  # then p: that one alone


async def test_help_opens_over_a_view(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert isinstance(app.screen_stack[-2], MapScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)


async def test_feed_status_words_for_a_not_modified_feed(tmp_path: Path) -> None:
    feeds = (FeedConfig("quiet", "http://127.0.0.1:9/quiet.xml"),)
    store = open_store(tmp_path)
    not_due(store, feeds)
    app = make_app(store, feeds)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        table = app.screen.query_one("#feeds-table", DataTable)
        assert table.get_cell_at((0, 2)).plain == "not modified"
        assert table.get_cell_at((0, 3)).plain == "304"
        assert table.get_cell_at((0, 4)).plain == "0"


def arabic_counts(lines: list[str]) -> tuple[int, int]:
    """(logical Arabic letters, presentation forms) on screen."""
    text = "".join(lines)
    logical = sum(1 for ch in text if 0x0600 <= ord(ch) <= 0x06FF)
    shaped = sum(1 for ch in text if 0xFB50 <= ord(ch) <= 0xFEFF)
    return logical, shaped


async def test_every_view_draws_arabic_in_the_current_mode(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    app = make_app(store, bidi="on")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for mode in ("on", "off"):
            assert app.bidi_mode == mode
            for opened in ("item", "city", "map"):
                if opened == "item":
                    await select_row(pilot, app.query_one(HeadlinesTable), "item-1")
                elif opened == "city":
                    await select_row(pilot, app.query_one(StatusTable), "hama")
                else:
                    await pilot.press("m")
                    await pilot.pause()
                assert isinstance(app.screen, LiveScreen)
                logical, shaped = arabic_counts(screen_lines(app))
                if mode == "on":
                    assert (logical, shaped > 0) == (0, True), opened  # all shaped by the app
                else:
                    assert (shaped, logical > 0) == (0, True), opened  # left to the terminal
                await pilot.press("escape")
                await pilot.pause()
            await pilot.press("b")
            await pilot.pause()


async def test_a_click_shows_a_claim_and_a_second_click_opens_its_item(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        claims_list = app.query_one(ClaimsList)
        assert claims_list.highlighted == 1
        # rows: header, claim (2 lines), header, claim...: the second claim starts at row 4
        await pilot.click(ClaimsList, offset=(20, 4))
        await pilot.pause()
        assert app.screen is app.default_screen
        assert claims_list.highlighted == 3
        claim = app.query_one(ClaimsPane).claims[1]
        assert app.query_one("#evidence").text == claim.evidence  # type: ignore[attr-defined]
        await pilot.click(ClaimsList, offset=(20, 4))
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen) and app.screen.item_id == claim.item
