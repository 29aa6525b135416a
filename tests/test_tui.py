"""The board, driven through Textual's pilot on a real store, real Poller and real HTTP feeds."""

from __future__ import annotations

import asyncio
import shutil
import threading
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from rich.cells import cell_len
from rich.text import Text
from sitboard.ingest.model import FeedConfig, FeedResult, FeedState
from sitboard.ingest.profile import load_profile
from sitboard.tui.app import NO_CLAIMS, NO_ITEMS, RETRY_CHECKS, SitboardApp
from sitboard.tui.bidi import display_lines, truncate_line
from sitboard.tui.bidi_text import BidiText
from sitboard.tui.claims_pane import ClaimsList, ClaimsPane
from sitboard.tui.display import claim_summary
from sitboard.tui.feeds_screen import FeedStatusScreen
from sitboard.tui.headlines_pane import HeadlinesTable
from sitboard.tui.help_screen import HelpScreen
from sitboard.tui.messages import PollFinished
from sitboard.tui.picker_screen import PickerScreen
from sitboard.tui.search_screen import SearchScreen
from sitboard.tui.status_pane import StatusTable
from textual.widgets import Input, OptionList, Static
from tui_fixtures import (
    ALEPPO_TITLE,
    FETCHED,
    HAMA_EVIDENCE,
    HAMA_TITLE,
    RSS_HEADERS,
    SAMPLE_FEEDS,
    arabic_rss,
    claim,
    item,
    make_app,
    open_store,
    sample_results,
    screen_lines,
    settle,
    wait_for_polls,
)

SIZE = (120, 40)
RSS = arabic_rss()


def headline_ids(app: SitboardApp) -> list[str]:
    return list(app.query_one(HeadlinesTable).row_ids)


def status_rows(app: SitboardApp) -> list[str]:
    return [str(row.key.value) for row in app.query_one(StatusTable).ordered_rows]


def claim_sources(app: SitboardApp) -> set[str]:
    return {c.source for c in app.query_one(ClaimsPane).claims}


def headline_titles(app: SitboardApp) -> list[str]:
    table = app.query_one(HeadlinesTable)
    return [table.cells(row)[2] for row in range(len(table.row_ids))]


def empty_message(app: SitboardApp, selector: str) -> str:
    return str(app.query_one(selector, Static).content)


async def pick(pilot: object, app: SitboardApp, option_id: str) -> None:
    options = app.screen.query_one(OptionList)
    options.highlighted = options.get_option_index(option_id)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_empty_board_shows_three_panes_and_honest_empty_states(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path), feeds=())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for pane in ("#status-pane", "#claims-pane", "#headlines-pane"):
            assert app.query_one(pane).display
        assert status_rows(app) == ["aleppo", "idlib", "hama"]
        assert app.query_one("#claims-pane").has_class("-empty")
        assert app.query_one("#headlines-pane").has_class("-empty")
        assert empty_message(app, "#claims-empty") == NO_CLAIMS
        assert empty_message(app, "#headlines-empty") == NO_ITEMS
        assert app.query_one("#claims-empty").region.height > 0  # shown on screen
        text = "\n".join(screen_lines(app))
        assert "No items yet: waiting for the first poll." in text
        assert "Control status" in text and "Latest headlines" in text
        assert "no claims yet" in text
        assert "no feeds enabled" in app.sub_title


async def test_polled_item_appears_without_a_key_press(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(RSS, headers=RSS_HEADERS)
    feeds = (FeedConfig("jazeera", httpserver.url_for("/feed.xml")),)
    store = open_store(tmp_path)
    app = make_app(store, feeds, check_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_polls(app, pilot)
        shown = [item.title for item in store.view().headlines]
        assert len(shown) == 2
        assert headline_ids(app) == [item.id for item in store.view().headlines]
        assert not app.query_one("#headlines-pane").has_class("-empty")
        assert "last poll" in app.sub_title and "2 new" in app.sub_title
        first = store.view().headlines[0]
        assert store.seen(first.id)  # committed to the real database
        assert first.title.startswith("\u0641\u0635\u0627\u0626\u0644")  # فصائل
        # The Arabic title is drawn shaped and in visual order (bidi on).
        table = app.query_one(HeadlinesTable)
        width = table.column_widths[2]
        cell = table.cells(table.get_row_index(first.id))[2]
        title = first.title
        assert cell == truncate_line(title, width, "on")
        assert any(0xFE70 <= ord(ch) <= 0xFEFF for ch in cell)  # presentation forms


async def test_hostile_titles_are_shown_literally(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(RSS, headers=RSS_HEADERS)
    feeds = (FeedConfig("jazeera", httpserver.url_for("/feed.xml")),)
    store = open_store(tmp_path)
    # Straight into the store too, bypassing the feed parser's cleaning: the screen cleans again.
    escape = item(9, "\x1b[31mred\x1b[0m alert\x1b]0;pwned\x07 [b]bold[/b]", outlet="Evil\x1b[2J")
    state = FeedState(name="evil", url="http://127.0.0.1:9/evil", last_fetch=FETCHED)
    store.commit([FeedResult("evil", state.url, "new", state, items=(escape,))])
    app = make_app(store, feeds, check_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_polls(app, pilot)
        titles = headline_titles(app)
        assert any(t.startswith("[bold red]x[/]") for t in titles), titles
        assert "red alert [b]bold[/b]" in titles
        lines = screen_lines(app)
        assert not any("\x1b" in line or "\x07" in line for line in lines)
        assert any("[bold red]x[/]" in line for line in lines)
        hostile = next(i for i in store.view().headlines if i.title.startswith("[bold"))
        assert "[link=http://evil]" in hostile.title
        table = app.query_one(HeadlinesTable)
        width = table.column_widths[2]
        shown = table.cells(table.get_row_index(hostile.id))[2]
        assert shown == truncate_line(hostile.title, width, "on")


async def test_city_picker_narrows_every_pane(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert len(headline_ids(app)) == 3
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pick(pilot, app, "pick:aleppo")
        assert not isinstance(app.screen, PickerScreen)
        assert app.filters.cities == {"aleppo"}
        assert status_rows(app) == ["aleppo"]
        assert headline_ids(app) == ["item-3"]
        assert claim_sources(app) == {"sohr"}
        assert "city Aleppo" in app.sub_title


async def test_source_picker_narrows_claims(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert claim_sources(app) == {"opposition", "syrian-army", "sohr"}
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pick(pilot, app, "pick:syrian-army")
        assert app.filters.sources == {"syrian-army"}
        assert claim_sources(app) == {"syrian-army"}


async def test_search_narrows_and_escape_clears(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        # "حلب" (Aleppo) in the search box.
        app.screen.query_one(Input).value = "\u062d\u0644\u0628"
        await pilot.press("enter")
        await pilot.pause()
        assert headline_ids(app) == ["item-3"]
        assert app.filters.text == "\u062d\u0644\u0628"
        await pilot.press("escape")
        await pilot.pause()
        assert not app.filters.active
        assert len(headline_ids(app)) == 3
        assert status_rows(app) == ["aleppo", "idlib", "hama"]


async def test_search_matches_spelling_variants(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        app.screen.query_one(Input).value = "\u062d\u0645\u0627\u0647"  # حماه, written with heh
        await pilot.press("enter")
        await pilot.pause()
        assert set(headline_ids(app)) == {"item-1", "item-2"}  # titles say حماة


async def test_picker_escape_keeps_filters(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PickerScreen)
        assert not app.filters.active
        assert len(headline_ids(app)) == 3


async def test_export_writes_the_current_view(tmp_path: Path) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    app = make_app(open_store(tmp_path, sample_results()), export_dir=out)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        files = list(out.glob("sitboard-*.md"))
        assert [f.name for f in files] == ["sitboard-20241205-143100.md"]
        markdown = files[0].read_text(encoding="utf-8")
        assert HAMA_TITLE in markdown  # logical order, never the display form
        assert not any(0xFE70 <= ord(ch) <= 0xFEFF for ch in markdown)
        assert any(str(files[0]) in n.message for n in app._notifications)


async def test_export_follows_the_filters(tmp_path: Path) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    app = make_app(open_store(tmp_path, sample_results()), export_dir=out)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pick(pilot, app, "pick:aleppo")
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        markdown = next(out.glob("sitboard-*.md")).read_text(encoding="utf-8")
        assert ALEPPO_TITLE in markdown
        assert HAMA_TITLE not in markdown


async def test_feed_screen_shows_a_failing_feed(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/good.xml").respond_with_data(RSS, headers=RSS_HEADERS)
    httpserver.expect_request("/bad.xml").respond_with_data("boom", status=503)
    feeds = (
        FeedConfig("good", httpserver.url_for("/good.xml")),
        FeedConfig("broken", httpserver.url_for("/bad.xml")),
    )
    app = make_app(open_store(tmp_path), feeds, check_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_polls(app, pilot)
        assert "1 feed error" in app.sub_title
        assert len(headline_ids(app)) == 2  # the good feed still got through
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FeedStatusScreen)
        text = "\n".join(screen_lines(app))
        assert "broken" in text and "503" in text and "error" in text
        assert "good" in text and "ok, 2 new" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FeedStatusScreen)


async def test_help_screen_lists_keys_and_panes(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path), feeds=())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(screen_lines(app))
        for words in ("Export", "Poll now", "Claims by source", "Control status", "disputed"):
            assert words in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path), feeds=())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.return_code is None
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0  # set by App.exit()


async def test_poll_now_fetches_before_the_feed_is_due(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(RSS, headers=RSS_HEADERS)
    feeds = (FeedConfig("jazeera", httpserver.url_for("/feed.xml")),)
    app = make_app(open_store(tmp_path), feeds, check_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_polls(app, pilot)
        assert len(httpserver.log) == 1
        await asyncio.sleep(0.2)  # several timer ticks: the feed is not due (fixed clock)
        await pilot.pause()
        assert len(httpserver.log) == 1
        await pilot.press("r")
        await wait_for_polls(app, pilot, 2)
        assert len(httpserver.log) == 2


async def test_a_failing_poll_is_reported_and_polling_goes_on(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(RSS, headers=RSS_HEADERS)
    feeds = (FeedConfig("jazeera", httpserver.url_for("/feed.xml")),)
    calls: list[int] = []

    def before_poll() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("demo files [not] writable [/] [link=x]")  # markup would break

    app = make_app(open_store(tmp_path), feeds, before_poll=before_poll, check_interval=0.05)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for_polls(app, pilot)
        assert len(calls) >= 2
        errors = [n for n in app._notifications if n.severity == "error"]
        assert any("demo files [not] writable [/] [link=x]" in n.message for n in errors)
        assert "Trying again in about" in errors[0].message
        await pilot.pause()
        toasts = "\n".join(screen_lines(app))
        assert "demo files [not] writable [/] [link=x]" in toasts  # shown, not parsed
        assert len(headline_ids(app)) == 2


async def test_a_polled_claim_changes_the_status_and_is_notified(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(RSS, headers=RSS_HEADERS)
    feeds = (FeedConfig("jazeera", httpserver.url_for("/feed.xml")),)
    app = make_app(open_store(tmp_path), feeds, check_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_polls(app, pilot)
        # The real extractor reads "فصائل المعارضة تعلن السيطرة على مدينة حماة" as a capture.
        assert "opposition" in claim_sources(app)
        assert app.query_one(StatusTable).get_cell("hama", "state").plain == "Opposition"
        messages = [n.message for n in app._notifications if n.title == "Control status changed"]
        assert messages == ["Hama: unknown → Opposition"]


async def test_status_changes_are_notified_once_per_city(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    app = make_app(store, feeds=())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        report = await asyncio.to_thread(store.commit, sample_results())
        assert report.changes  # the resolver turned Hama and Aleppo to the opposition
        app.post_message(PollFinished(sample_results(), report))
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert sum(m.startswith("Hama: unknown → Opposition") for m in messages) == 1, messages
        assert sum(m.startswith("Aleppo: ") for m in messages) == 1, messages
        assert not any(m.startswith("Idlib") for m in messages)
        table = app.query_one(StatusTable)
        assert table.get_cell("hama", "state").plain == "Opposition"


async def test_status_table_shows_party_dispute_and_confidence(tmp_path: Path) -> None:
    results = sample_results()
    denial = item(4, "denial", outlet="SANA", feed="sana")
    results[1] = FeedResult(
        feed=results[1].feed,
        url=results[1].url,
        outcome="new",
        state=results[1].state,
        items=(*results[1].items, denial),
        claims=(
            *results[1].claims,
            claim(denial, "syrian-army", "gov", "aleppo", "gov", "denial", "deny", "x", 0.9),
        ),
    )
    store = open_store(tmp_path, results)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(StatusTable)
        statuses = {s.city: s for s in store.view().status}
        for city in ("aleppo", "hama"):
            dispute = table.get_cell(city, "dispute").plain
            assert ("disputed" in dispute) == statuses[city].disputed
            confidence = table.get_cell(city, "confidence").plain
            assert confidence == f"{round(statuses[city].confidence * 100)}%"
        assert table.get_cell("idlib", "state").plain == "unknown"
        hama_state = table.get_cell("hama", "state")
        assert "green" in str(hama_state.style)  # the opposition's colour in the profile
        # The line under the table explains the highlighted city (Aleppo, the first row).
        detail = str(app.query_one("#status-detail", Static).content)
        aleppo = statuses["aleppo"]
        assert aleppo.support and aleppo.against  # the army's denial contradicts the monitor
        supported, _, contradicted = detail.removeprefix("Aleppo: ").partition(" · ")
        names = {"sohr": "Syrian Observatory", "syrian-army": "Syrian army"}
        assert supported.startswith(table.get_cell("aleppo", "state").plain + " per ")
        assert all(names[c.source] in supported for c in aleppo.support)
        assert contradicted.startswith("contradicted by ")
        assert all(names[c.source] in contradicted for c in aleppo.against)


async def test_claim_evidence_follows_the_highlight(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(ClaimsPane)
        evidence = pane.query_one("#evidence")
        first = evidence.text  # type: ignore[attr-defined]
        assert first
        pane.query_one(OptionList).focus()
        await pilot.press("down")
        await pilot.pause()
        assert evidence.text != first  # type: ignore[attr-defined]
        assert evidence.text in {c.evidence for c in pane.claims}  # type: ignore[attr-defined]


async def test_bidi_toggle_switches_to_logical_text(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()), bidi="on")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any(any(0xFE70 <= ord(c) <= 0xFEFF for c in t) for t in headline_titles(app))
        await pilot.press("b")
        await pilot.pause()
        assert app.bidi_mode == "off"
        titles = headline_titles(app)
        assert not any(any(0xFE70 <= ord(c) <= 0xFEFF for c in t) for t in titles)
        assert any(t.startswith(ALEPPO_TITLE[:10]) for t in titles)


async def test_command_palette_offers_the_board_actions(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path), feeds=())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for title in ("Filter by city", "Filter by source", "Search", "Export to Markdown"):
            assert title in titles
        assert {"Poll now", "Feed status", "Help", "Clear filters"} <= titles


@pytest.mark.parametrize("width", [80, 120, 160])
async def test_cells_never_exceed_their_columns(tmp_path: Path, width: int) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=(width, 40)) as pilot:
        await pilot.pause()
        table = app.query_one(HeadlinesTable)
        assert table.row_ids
        for row in range(len(table.row_ids)):
            for text, column_width in zip(table.cells(row), table.column_widths, strict=True):
                assert cell_len(text) <= column_width
        claims = app.query_one(ClaimsList)
        room = claims.scrollable_content_region.width
        for index in range(claims.option_count):
            prompt = claims.get_option_at_index(index).prompt
            assert isinstance(prompt, Text)
            for line in prompt.plain.split("\n"):
                assert cell_len(line) <= room, (line, room)


async def test_polls_never_overlap(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(RSS, headers=RSS_HEADERS)
    feeds = (FeedConfig("jazeera", httpserver.url_for("/feed.xml")),)
    release = threading.Event()
    started = threading.Event()

    def before_poll() -> None:
        started.set()
        release.wait(10)

    app = make_app(open_store(tmp_path), feeds, before_poll=before_poll, check_interval=0.02)
    async with app.run_test(size=SIZE) as pilot:
        await asyncio.to_thread(started.wait, 10)
        assert app.polling
        assert "polling…" in app.sub_title
        await pilot.press("r")
        await asyncio.sleep(0.1)  # several timer ticks while the poll is held up
        await pilot.pause()
        assert any("already running" in n.message for n in app._notifications)
        release.set()
        await wait_for_polls(app, pilot)
        assert len(httpserver.log) == 1
        assert app.polls_done == 1


async def test_a_database_error_is_shown_and_the_board_keeps_its_data(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(RSS, headers=RSS_HEADERS)
    feeds = (*SAMPLE_FEEDS, FeedConfig("new", httpserver.url_for("/feed.xml")))
    folder = tmp_path / "db"
    store = open_store(folder, sample_results())

    def before_poll() -> None:
        shutil.rmtree(folder)  # the database's folder vanishes: the commit cannot be written

    app = make_app(store, feeds, before_poll=before_poll, check_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_polls(app, pilot)
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and errors[0].title == "Database"
        assert len(headline_ids(app)) == 3  # what was there before


async def test_detail_lines_are_rewrapped_on_resize(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        evidence = app.query_one("#evidence", BidiText)
        assert evidence.text == HAMA_EVIDENCE  # the newest claim of the biggest group
        width = evidence.content_size.width
        assert evidence.lines(width) == display_lines(HAMA_EVIDENCE, width, "on")
        assert len(evidence.lines(width)) == evidence.content_size.height >= 2
        drawn = [line.rstrip() for line in screen_lines(app)]
        first_line = display_lines(HAMA_EVIDENCE, width, "on")[0]
        assert any(first_line in line for line in drawn)
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        wider = evidence.content_size.width
        assert wider > width
        assert evidence.lines(wider) == display_lines(HAMA_EVIDENCE, wider, "on")
        detail = app.query_one("#headline-detail", BidiText)
        assert detail.text == ALEPPO_TITLE  # the newest headline is highlighted first


async def test_arabic_display_check_shows_the_sample_in_the_current_mode(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path), feeds=(), bidi="on")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_bidi_check()
        await pilot.press("b")
        app.action_bidi_check()
        await pilot.pause()
        checks = [n.message for n in app._notifications if n.title == "Arabic display check"]
        halab_visual = "\ufe90\ufee0\ufea3"  # حلب shaped and reversed
        assert checks[0].startswith(f"2024 (\ufe8e\ufef3\ufead\ufeee\ufeb3) {halab_visual}")
        assert checks[1].startswith("\u062d\u0644\u0628 (")  # off: logical order


def arabic_counts(lines: list[str]) -> tuple[int, int]:
    """(logical Arabic letters, presentation forms) on screen."""
    text = "".join(lines)
    logical = sum(1 for ch in text if 0x0600 <= ord(ch) <= 0x06FF)
    shaped = sum(1 for ch in text if 0xFB50 <= ord(ch) <= 0xFEFF)
    return logical, shaped


async def test_every_arabic_string_on_screen_goes_through_bidi(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()), bidi="on")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for mode in ("on", "off"):
            assert app.bidi_mode == mode
            for keys in [(), ("c",), ("s",), ("f",), ("down", "down")]:
                for key in keys:
                    await pilot.press(key)
                await pilot.pause()
                logical, shaped = arabic_counts(screen_lines(app))
                if mode == "on":
                    assert (logical, shaped > 0) == (0, True), keys  # all Arabic shaped
                else:
                    assert (shaped, logical > 0) == (0, True), keys  # the terminal's job
                if len(app.screen_stack) > 1:
                    await pilot.press("escape")
            await pilot.press("b")
            await pilot.pause()


async def test_board_keys_do_not_stack_dialogs(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("s", "e", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen_stack) == 1
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)  # the board's keys work again


@pytest.mark.parametrize(
    ("kind", "state", "stance", "expected"),
    [
        ("capture", "opp", "assert", "captured by Opposition"),
        ("withdrawal", "opp", "admit", "left to Opposition (admits)"),
        ("denial", "gov", "deny", "still held by Government (denies)"),
        ("fighting", "contested", "assert", "fighting: contested"),
        ("entry", "unknown", "allege", "entry: holder unclear (alleges)"),
    ],
)
def test_claim_wording(kind: str, state: str, stance: str, expected: str) -> None:
    source = item(1, "x")
    made = claim(source, "sohr", "observer", "hama", state, kind, stance, "x")
    assert claim_summary(load_profile("syria"), made) == expected


async def test_after_a_failed_poll_the_board_waits_before_trying_again(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(RSS, headers=RSS_HEADERS)
    feeds = (FeedConfig("jazeera", httpserver.url_for("/feed.xml")),)
    calls: list[int] = []

    def before_poll() -> None:
        calls.append(1)
        raise OSError("still broken")

    # A timer too slow to fire during the test: the checks are driven by hand below.
    app = make_app(open_store(tmp_path), feeds, before_poll=before_poll, check_interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        assert len(calls) == 1  # the check at start-up
        for _ in range(RETRY_CHECKS):
            app._check_poll()
            await settle(app)
        assert len(calls) == 1  # backing off
        app._check_poll()
        await settle(app)
        await pilot.pause()
        assert len(calls) == 2
        for _ in range(2 * RETRY_CHECKS):
            app._check_poll()
            await settle(app)
        assert len(calls) == 2  # twice as long after the second failure
        await pilot.press("r")  # poll now does not wait
        await settle(app)
        assert len(calls) == 3
        assert len(httpserver.log) == 0
