"""The item, city-timeline and map screens on a real store, driven through Textual's pilot.

Each screen is pushed on a small host app with a real TinyDB store in tmp_path; what it shows is
read back from the screen (or the widget's own render) and compared with what the store holds.
Arabic expectations come from tui/bidi.py itself (tested in test_bidi.py), never from literals.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.text import Text
from sitboard.ingest.model import Claim, FeedResult, Item
from sitboard.store import Store
from sitboard.tui.bidi import Mode, display_lines, truncate_line
from sitboard.tui.detail_screen import EntryLines, ItemScreen
from sitboard.tui.live import ClaimBlock, LiveScreen
from sitboard.tui.map_screen import MapScreen
from sitboard.tui.map_view import WATCHED, MapWidget, layout
from sitboard.tui.marked_text import MarkedText
from sitboard.tui.timeline_screen import CityScreen, count_per_bucket
from textual.app import App
from textual.geometry import Region
from textual.widgets import OptionList, Sparkline, Static
from tui_fixtures import (
    ALEPPO_TITLE,
    HAMA_TITLE,
    SANA_TITLE,
    claim,
    fed_state,
    item,
    open_store,
    sample_results,
    screen_lines,
)

SIZE = (100, 36)
ARMY = ("syrian-army", "gov")
HAMA = "\u062d\u0645\u0627\u0629"  # حماة
CITY_WORD = "\u0645\u062f\u064a\u0646\u0629"  # مدينة


class Host(App[None]):
    """Shows one screen over an empty base screen, as SitboardApp would push it."""

    def __init__(self, screen: LiveScreen) -> None:
        super().__init__()
        self.view_screen = screen

    def on_mount(self) -> None:
        self.push_screen(self.view_screen)


def _result(feed: str, items: list[Item], claims: list[Claim]) -> FeedResult:
    url = f"http://127.0.0.1:9/{feed}.xml"
    return FeedResult(
        feed=feed,
        url=url,
        outcome="new",
        state=fed_state(feed, url),
        items=tuple(items),
        claims=tuple(claims),
    )


def _says(it: Item, source: str, side: str, city: str, state: str, kind: str, stance: str) -> Claim:
    return claim(it, source, side, city, state, kind, stance, it.title)


def aleppo_story(store: Store) -> None:
    """Aleppo: held by the army at 14:00, entered by the opposition at 16:00 (disputed),
    captured at 19:00 per the opposition, with the army admitting the loss."""
    held = item(0, SANA_TITLE, outlet="SANA", feed="sana", places=("aleppo",))
    entered = item(120, ALEPPO_TITLE, outlet="BBC Arabic", feed="bbc", places=("aleppo",))
    taken = item(300, ALEPPO_TITLE, places=("aleppo",))
    army, sohr, opposition = ("syrian-army", "gov"), ("sohr", "observer"), ("opposition", "opp")
    store.commit([_result("sana", [held], [_says(held, *army, "aleppo", "gov", "hold", "assert")])])
    entry = _says(entered, *sohr, "aleppo", "opp", "entry", "assert")
    store.commit([_result("bbc", [entered], [entry])])
    capture = _says(taken, *opposition, "aleppo", "opp", "capture", "assert")
    loss = _says(taken, *army, "aleppo", "opp", "loss", "admit")
    store.commit([_result("jazeera", [taken], [capture, loss])])


def _text(app: App[None]) -> str:
    return "\n".join(screen_lines(app))


# --- ItemScreen ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["on", "off"])
async def test_item_screen_shows_title_marks_claims_and_link(tmp_path: Path, mode: Mode) -> None:
    store = open_store(tmp_path, sample_results())
    screen = ItemScreen(store, store.profile, mode, "item-1")
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = _text(app)
        assert display_lines(HAMA_TITLE, 98, mode)[0].strip() in shown
        assert "Link https://example.test/1" in shown
        assert "Claims drawn from it (1)" in shown
        assert "captured by Opposition" in shown and "Armed factions" in shown
        assert "Places: " + truncate_line(HAMA, 30, mode, align=False) + " (Hama, city)" in shown
        assert screen.claims == store.claims_for_item("item-1")


async def test_item_screen_styles_the_place_where_it_is_drawn(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    app = Host(ItemScreen(store, store.profile, "on", "item-1"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        title = app.screen.query_one("#item-title", MarkedText)
        width = title.content_region.width
        strips = title.render_lines(Region(0, 0, width, 1))
        segments = [s for s in strips[0] if s.text.strip()]
        place = truncate_line(HAMA, 10, "on", align=False)
        marked = [s for s in segments if s.text == place]
        assert marked, [s.text for s in segments]
        assert marked[0].style is not None and marked[0].style.underline
        assert marked[0].style.bold and not marked[0].style.italic
        # an unmarked word of the same line (مدينة) is drawn plain
        city_word = truncate_line(CITY_WORD, 10, "on", align=False)
        line = "".join(s.text for s in segments)
        assert city_word in line
        assert not any(city_word in s.text and s.style and s.style.underline for s in segments)


def test_marked_words_wrap_between_entries_only() -> None:
    entries = EntryLines()
    entries.show([[Text("Speakers:")] + [Text(f"word{n} (someone long)") for n in range(6)]])
    lines = [line.plain for line in entries.lines(30)]
    assert len(lines) > 2
    assert all(len(line) <= 30 for line in lines)
    joined = " ".join(lines)
    for n in range(6):
        assert f"word{n} (someone long)" in joined  # never cut inside an entry
    assert lines[0].startswith("Speakers: word0")
    assert all(line.startswith("  ") for line in lines[1:])


async def test_item_screen_for_a_missing_item_says_so(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    app = Host(ItemScreen(store, store.profile, "on", "no-such-item"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "no longer in the database" in _text(app)


async def test_escape_leaves_the_screen(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    app = Host(ItemScreen(store, store.profile, "on", "item-1"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ItemScreen)


# --- CityScreen ---------------------------------------------------------------------------


async def test_city_screen_lists_changes_in_order_with_causes(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    aleppo_story(store)
    history = store.history("aleppo")
    assert [(c.old, c.new) for c in history] == [("unknown", "gov"), ("gov", "opp")]
    screen = CityScreen(store, store.profile, "on", "aleppo")
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        heads = [str(s.render()) for s in screen.query(".change-head").results(Static)]
        assert heads == [
            "12-05 14:00 UTC  unknown → Government",
            "12-05 16:00 UTC  Government → Opposition  ⚠ disputed",
        ]
        lines = screen.query("#city-changes .claim-line").results(Static)
        causes = [str(s.render()) for s in lines]
        assert causes[0].startswith("Syrian army: held by Government")
        assert causes[1].startswith("Syrian Observatory (SOHR): entered by Opposition")
        shown = _text(app)
        assert "Now Opposition since 12-05 16:00 UTC" in shown
        assert "Disputed by (1)" in shown
        assert "Changes of status (2), oldest first" in shown


async def test_city_screen_sparkline_counts_claims_per_hour(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    aleppo_story(store)
    screen = CityScreen(store, store.profile, "off", "aleppo")
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # claims at 14:00, 16:00 and two at 19:00: six hours from 14:00
        assert screen.buckets is not None
        assert screen.buckets.counts == (1, 0, 1, 0, 0, 2)
        spark = screen.query_one("#city-spark", Sparkline)
        # six cells per hour when there are this few
        assert spark.data == [float(n) for n in (1, 0, 1, 0, 0, 2) for _ in range(6)]
        assert spark.size.width == 36
        lines = screen_lines(app)
        row = spark.content_region.y + spark.content_region.height - 1
        bars = lines[row][spark.content_region.x : spark.content_region.x + 36]
        assert bars[:6] == "█" * 6 and bars[30:] == "█" * 6 and bars[6:12] == "▁" * 6
        assert "12-05 14:00" in _text(app) and "12-05 19:00" in _text(app)
        assert "Claims about it per hour: 4 in 6 hours, at most 2 in one" in _text(app)


async def test_city_screen_sparkline_of_equal_counts_is_drawn_full(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())  # two claims about Hama, both at 14:0x
    screen = CityScreen(store, store.profile, "on", "hama")
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen.buckets is not None and screen.buckets.counts == (2,)
        spark = screen.query_one("#city-spark", Sparkline)
        region = spark.content_region
        lines = screen_lines(app)
        for row in range(region.y, region.y + region.height):
            assert lines[row][region.x : region.x + region.width] == "█" * region.width


async def test_city_screen_reload_shows_a_new_change(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    aleppo_story(store)
    screen = CityScreen(store, store.profile, "on", "aleppo")
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert len(screen.query(".change")) == 2
        back = item(2000, SANA_TITLE, outlet="SANA", feed="sana", places=("aleppo",))
        claims = [
            claim(back, source, "gov", "aleppo", "gov", "recapture", "assert", SANA_TITLE, 0.95)
            for source in ("syrian-army", "sana", "russia")
        ]
        report = store.commit([_result("sana", [back], claims)])
        assert report.changes, "the fixture must change Aleppo's state"
        screen.reload()
        await pilot.pause()
        assert len(screen.query(".change")) == len(store.history("aleppo")) == 3
        spark = screen.query_one("#city-spark", Sparkline)
        assert screen.buckets is not None and sum(screen.buckets.counts) == 7
        assert spark.data is not None and len(spark.data) >= len(screen.buckets.counts)


def test_reload_before_mounting_does_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    for screen in (
        ItemScreen(store, store.profile, "on", "item-1"),
        CityScreen(store, store.profile, "on", "hama"),
        MapScreen(store, store.profile, "on"),
    ):
        screen.reload()  # the app may reload every screen on its stack right after a push


def test_buckets_switch_from_hours_to_days_and_keep_the_latest() -> None:
    t0 = datetime(2024, 12, 1, 10, 30, tzinfo=UTC)
    assert count_per_bucket([]) is None
    hourly = count_per_bucket([t0, t0 + timedelta(minutes=20), t0 + timedelta(hours=3)])
    assert hourly is not None and hourly.unit == "hour"
    assert hourly.counts == (2, 0, 0, 1)
    assert hourly.start == datetime(2024, 12, 1, 10, tzinfo=UTC)
    daily = count_per_bucket([t0, t0 + timedelta(days=4), t0 + timedelta(days=4, hours=1)])
    assert daily is not None and daily.unit == "day"
    assert daily.counts == (1, 0, 0, 0, 2)
    cut = count_per_bucket([t0 + timedelta(days=n) for n in range(10)], max_buckets=4)
    assert cut is not None and cut.counts == (1, 1, 1, 1)
    assert cut.end == datetime(2024, 12, 10, tzinfo=UTC)


# --- moving between views ------------------------------------------------------------------


async def test_enter_on_a_cause_opens_its_item_and_a_claim_opens_its_city(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    aleppo_story(store)
    app = Host(CityScreen(store, store.profile, "on", "aleppo"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        blocks = list(app.screen.query("#city-changes ClaimBlock").results(ClaimBlock))
        blocks[1].focus()
        await pilot.press("enter")
        await pilot.pause()
        item_screen = app.screen
        assert isinstance(item_screen, ItemScreen)
        assert item_screen.item_id == blocks[1].claim.item == "item-120"
        item_screen.query_one(ClaimBlock).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CityScreen) and app.screen.city == "aleppo"
        # a reload with nothing new keeps what has focus
        focused = app.screen.query("ClaimBlock").results(ClaimBlock).__next__()
        focused.focus()
        await pilot.pause()
        app.screen.reload()
        await pilot.pause()
        assert app.focused is focused
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is item_screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CityScreen)


async def test_map_side_list_opens_a_city(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    app = Host(MapScreen(store, store.profile, "on"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        side = app.screen.query_one("#map-side", OptionList)
        assert [side.get_option_at_index(n).id for n in range(3)] == ["aleppo", "idlib", "hama"]
        side.focus()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CityScreen) and app.screen.city == "hama"


async def test_a_click_in_the_map_list_points_at_the_city_and_a_second_opens_it(
    tmp_path: Path,
) -> None:
    store = open_store(tmp_path, sample_results())
    app = Host(MapScreen(store, store.profile, "on"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        side = app.screen.query_one("#map-side", OptionList)
        side.focus()
        await pilot.press("down")
        await pilot.pause()
        assert side.highlighted == 1
        await pilot.click("#map-side", offset=(3, 0))  # Aleppo's first line
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)
        assert side.highlighted == 0
        assert app.screen.query_one(MapWidget).selected == "aleppo"
        await pilot.click("#map-side", offset=(3, 0))
        await pilot.pause()
        assert isinstance(app.screen, CityScreen) and app.screen.city == "aleppo"


# --- the map ------------------------------------------------------------------------------


def _style_at(line: Text, x: int) -> str:
    styles = [str(span.style) for span in line.spans if span.start <= x < span.end]
    return " ".join(styles)


async def test_map_places_watched_cities_by_their_coordinates(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    screen = MapScreen(store, store.profile, "on")
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = screen.query_one(MapWidget)
        markers = widget.markers()
        for city in store.watch:
            assert markers[city].watched
        assert markers["aleppo"].y < markers["hama"].y < markers["damascus"].y  # north up
        assert markers["latakia"].x < markers["idlib"].x < markers["raqqa"].x  # east right
        assert markers["deir-ez-zor"].x > markers["homs"].x
        region = widget.content_region
        lines = screen_lines(app)
        for city in store.watch:
            m = markers[city]
            assert lines[region.y + m.y][region.x + m.x] == WATCHED
            label = lines[region.y + m.y][region.x + m.label_x :][: len(m.label)]
            assert label == store.profile.place_name(city)
        rendered = widget.render().split("\n")
        # Aleppo and Hama are held by the opposition (green), Idlib has no claims (dim)
        for city, colour in (("aleppo", "green"), ("hama", "green"), ("idlib", "dim")):
            m = markers[city]
            assert colour in _style_at(rendered[m.y], m.x), city
        assert "Opposition" in rendered[-2].plain and "unknown" in rendered[-2].plain


async def test_map_recolours_on_reload(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    screen = MapScreen(store, store.profile, "on")
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = screen.query_one(MapWidget)
        m = widget.markers()["idlib"]
        assert "red" not in _style_at(widget.render().split("\n")[m.y], m.x)
        held = item(50, SANA_TITLE, outlet="SANA", feed="sana", places=("idlib",))
        hold = _says(held, "syrian-army", "gov", "idlib", "gov", "hold", "assert")
        store.commit([_result("sana", [held], [hold])])
        screen.reload()
        await pilot.pause()
        assert "red" in _style_at(widget.render().split("\n")[m.y], m.x)
        assert "Government" in _text(app)


async def test_map_reload_with_nothing_new_keeps_the_list(tmp_path: Path) -> None:
    store = open_store(tmp_path, sample_results())
    screen = MapScreen(store, store.profile, "on")
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        side = screen.query_one("#map-side", OptionList)
        side.focus()
        await pilot.press("down", "down")
        first = side.get_option_at_index(0)
        screen.reload()
        await pilot.pause()
        assert side.highlighted == 2
        assert side.get_option_at_index(0) is first  # not rebuilt
        held = item(50, SANA_TITLE, outlet="SANA", feed="sana", places=("idlib",))
        store.commit(
            [_result("sana", [held], [_says(held, *ARMY, "idlib", "gov", "hold", "assert")])]
        )
        screen.reload()
        await pilot.pause()
        assert side.get_option_at_index(0) is not first  # rebuilt for the new status
        assert side.highlighted == 2


@pytest.mark.parametrize("size", [(40, 12), (80, 24), (150, 50)])
def test_layout_keeps_markers_apart_and_labels_clear(size: tuple[int, int]) -> None:
    from sitboard.ingest.profile import load_profile

    places = list(load_profile("syria").places.values())
    width, height = size
    markers = layout(places, width, height, ("aleppo", "idlib", "hama"))
    assert set(markers) == {p.id for p in places}
    cells = [(m.x, m.y) for m in markers.values()]
    assert len(set(cells)) == len(cells)
    used: set[tuple[int, int]] = set(cells)
    for m in markers.values():
        assert 0 <= m.x < width and 0 <= m.y < height
        if m.label_x >= 0:
            span = {(x, m.y) for x in range(m.label_x, m.label_x + len(m.label))}
            assert m.label_x + len(m.label) <= width
            assert not span & used
            used |= span
    watched = [markers[c] for c in ("aleppo", "idlib", "hama")]
    if width >= 80:
        assert all(m.label_x >= 0 for m in watched)


# --- snapshots (layout only; RTL correctness is checked on strings above) -----------------

SnapCompare = Callable[..., bool]


@pytest.mark.parametrize("mode", ["on", "off"])
def test_snapshot_item_screen(snap_compare: SnapCompare, tmp_path: Path, mode: Mode) -> None:
    store = open_store(tmp_path, sample_results())
    assert snap_compare(Host(ItemScreen(store, store.profile, mode, "item-1")), terminal_size=SIZE)


@pytest.mark.parametrize("mode", ["on", "off"])
def test_snapshot_city_screen(snap_compare: SnapCompare, tmp_path: Path, mode: Mode) -> None:
    store = open_store(tmp_path)
    aleppo_story(store)
    assert snap_compare(Host(CityScreen(store, store.profile, mode, "aleppo")), terminal_size=SIZE)


@pytest.mark.parametrize("mode", ["on", "off"])
def test_snapshot_map_screen(snap_compare: SnapCompare, tmp_path: Path, mode: Mode) -> None:
    store = open_store(tmp_path, sample_results())
    assert snap_compare(Host(MapScreen(store, store.profile, mode)), terminal_size=SIZE)
