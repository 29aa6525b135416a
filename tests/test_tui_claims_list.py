"""The claims list at size: it lays out lines without drawing every claim, draws only the rows
on screen, and still reaches every claim; the app freezes the loaded heap after its first paint.
"""

from __future__ import annotations

import gc
from pathlib import Path

from rich.color import Color
from rich.style import Style as RichStyle
from rich.text import Text
from sitboard.ingest.model import FeedResult, Filters
from sitboard.tui.app import YOUNG_GC_THRESHOLD
from sitboard.tui.claims_pane import ClaimOption, ClaimsList, ClaimsPane, option_height
from sitboard.tui.detail_screen import ItemScreen
from sitboard.tui.status_pane import StatusTable
from textual.strip import Strip
from textual.widgets import OptionList
from tui_fixtures import (
    ALEPPO_TITLE,
    HAMA_TITLE,
    claim,
    fed_state,
    item,
    make_app,
    open_store,
    screen_lines,
)

SIZE = (120, 40)
CLAIMS = 40


def many_claims() -> list[FeedResult]:
    """CLAIMS items, each with one claim: most from the observatory, every fifth from the army."""
    items = []
    claims = []
    for n in range(1, CLAIMS + 1):
        title = f"{HAMA_TITLE} {n}" if n % 2 else f"{ALEPPO_TITLE} {n}"
        city = "hama" if n % 2 else "aleppo"
        made = item(n, title, places=(city,))
        source, side = ("syrian-army", "gov") if n % 5 == 0 else ("sohr", "observer")
        items.append(made)
        claims.append(claim(made, source, side, city, "opp", "capture", "assert", title))
    state = fed_state("jazeera", "http://127.0.0.1:9/jazeera.xml")
    result = FeedResult("jazeera", state.url, "new", state, tuple(items), claims=tuple(claims))
    return [result]


async def test_only_the_claims_on_screen_are_drawn_and_every_claim_is_reachable(
    tmp_path: Path,
) -> None:
    app = make_app(open_store(tmp_path, many_claims()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        claims_list = app.query_one(ClaimsList)
        options = [claims_list.get_option_at_index(i) for i in range(claims_list.option_count)]
        claim_options = [o for o in options if isinstance(o, ClaimOption)]
        assert len(claim_options) == CLAIMS == len(app.query_one(ClaimsPane).claims)
        built = [o for o in claim_options if o.built]
        assert built, "the claims on screen are drawn"
        assert len(built) <= claims_list.size.height // 2 + 1 < CLAIMS

        claims_list.focus()
        await pilot.press("end")
        await pilot.pause()
        last = claims_list.highlighted
        assert last == claims_list.option_count - 1
        option = claims_list.get_option_at_index(last)
        assert isinstance(option, ClaimOption) and option.built
        pane = app.query_one(ClaimsPane)
        wanted = pane.claims[int((option.id or "").removeprefix("claim-"))]
        assert app.query_one("#evidence").text == wanted.evidence  # type: ignore[attr-defined]
        screen = "\n".join(screen_lines(app))
        assert option.prompt.plain.split("\n")[0].strip() in screen  # type: ignore[union-attr]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen) and app.screen.item_id == wanted.item


async def test_counted_heights_agree_with_textual_layout(tmp_path: Path) -> None:
    """The list counts each prompt's lines instead of laying it out: the two must agree, or
    rows would overlap or leave gaps (and clicks would land on the wrong claim)."""
    app = make_app(open_store(tmp_path, many_claims()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        claims_list = app.query_one(ClaimsList)
        width = claims_list.scrollable_content_region.width
        padding = claims_list.get_component_styles("option-list--option").padding.width
        total = 0
        for index in range(claims_list.option_count):
            option = claims_list.get_option_at_index(index)
            assert isinstance(option.prompt, Text)
            laid_out = claims_list._get_visual(option).get_height(
                claims_list.styles, width - padding
            )
            assert option_height(option) == laid_out == len(option.prompt.plain.split("\n"))
            total += laid_out
        assert claims_list.virtual_size.height == total


async def test_the_board_freezes_the_loaded_heap_after_its_first_paint(tmp_path: Path) -> None:
    thresholds = gc.get_threshold()
    gc.unfreeze()
    gc.set_threshold(700, *thresholds[1:])
    assert gc.get_freeze_count() == 0
    app = make_app(open_store(tmp_path, many_claims()))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.pause()
            assert gc.get_freeze_count() > 0
            assert gc.get_threshold()[0] == YOUNG_GC_THRESHOLD
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


async def test_a_filter_that_leaves_a_pane_as_it_was_does_not_rebuild_it(tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, many_claims()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = app.query_one(StatusTable)
        rows = dict(status.rows)
        claims_list = app.query_one(ClaimsList)
        first = claims_list.get_option_at_index(1)
        app.set_filters(Filters(sources=frozenset({"syrian-army"})))
        await pilot.pause()
        assert {c.source for c in app.query_one(ClaimsPane).claims} == {"syrian-army"}
        assert dict(status.rows) == rows
        assert all(status.rows[key] is row for key, row in rows.items())  # kept, not re-added
        app.set_filters(Filters())
        await pilot.pause()
        assert claims_list.get_option_at_index(1) is not first  # the claims did change
        again = claims_list.get_option_at_index(1)
        app.refresh_board()  # nothing changed at all: the claims list keeps its options
        await pilot.pause()
        assert claims_list.get_option_at_index(1) is again
        app.set_filters(Filters(cities=frozenset({"hama"})))
        await pilot.pause()
        assert list(status.rows) == ["hama"]  # a city filter does narrow the table


def color_value(color: Color | None) -> tuple[object, ...] | None:
    """A colour as the terminal gets it (Rich names one ANSI colour "cyan" or "color(6)")."""
    return None if color is None else (color.type, color.number, color.triplet)


def cells(strip: Strip) -> list[tuple[str, tuple[object, ...]]]:
    """Each cell of a drawn line: its character and what its style shows."""
    out = []
    for segment in strip:
        style = segment.style or RichStyle()
        shown = (
            color_value(style.color),
            color_value(style.bgcolor),
            style.bold,
            style.dim,
            style.italic,
            style.reverse,
        )
        out.extend((ch, shown) for ch in segment.text)
    return out


async def test_claims_are_drawn_as_option_list_would_draw_them(tmp_path: Path) -> None:
    """ClaimsList draws its Text prompts itself (Rich segments over the option's style) instead
    of through Content: each line must show the same characters in the same styles."""
    app = make_app(open_store(tmp_path, many_claims()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        claims_list = app.query_one(ClaimsList)
        claims_list.focus()
        await pilot.press("down")
        await pilot.pause()
        compared = 0
        for index in range(min(claims_list.option_count, 12)):
            option = claims_list.get_option_at_index(index)
            for component in (
                "",
                "option-list--option-highlighted",
                "option-list--option-disabled",
            ):
                names = (
                    ("option-list--option", component) if component else ("option-list--option",)
                )
                style = claims_list.get_visual_style(*names)
                ours = claims_list._get_option_render(option, style)
                claims_list._option_render_cache.clear()
                theirs = OptionList._get_option_render(claims_list, option, style)
                claims_list._option_render_cache.clear()
                assert len(ours) == len(theirs) == option_height(option)
                for mine, textual in zip(ours, theirs, strict=True):
                    assert cells(mine) == cells(textual), (index, component)
                    assert (
                        mine.cell_length
                        == textual.cell_length
                        == claims_list.scrollable_content_region.width
                    )
                compared += 1
        assert compared >= 12
